//! Keyed breakers, `#[circuit_breaker(name, key = ...)]`: one breaker per key (per host, model,
//! tenant), named `name[<key>]`. A failing key opens only its own breaker (a second client on
//! a healthy host keeps working); at most `max_keys` per name, the least recently used dropped;
//! the key is evaluated per call (per attempt under a retry) in sync and async code, in every
//! stacking order; `open_error` builds the error of a rejected call for an error type without
//! `From<CircuitOpen>`.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

use retry_runtime::{
    breakers, circuit_breaker, fallback, keyed_breaker, register_breaker, retry_on_failure, stats,
    BreakerConfig, CircuitOpen, State,
};

#[derive(Debug, Clone, PartialEq, Eq)]
enum ApiError {
    Down,
    Open(String),
}

impl From<CircuitOpen> for ApiError {
    fn from(open: CircuitOpen) -> Self {
        ApiError::Open(open.name().to_owned())
    }
}

fn open(name: &str) -> Result<u32, ApiError> {
    Err(ApiError::Open(name.to_owned()))
}

fn runs(counter: &AtomicU32) -> u32 {
    counter.load(Ordering::SeqCst)
}

/// The names `breakers()` lists under `name`, sorted.
fn listed(name: &str) -> Vec<String> {
    let prefix = format!("{name}[");
    breakers()
        .into_iter()
        .filter(|s| s.name.starts_with(&prefix))
        .map(|s| s.name.into_owned())
        .collect()
}

// ---- the motivating bug: a second client on a healthy host keeps working ----

struct Client {
    base_url: String,
    /// Whether the host answers.
    up: bool,
    runs: AtomicU32,
}

impl Client {
    fn new(base_url: &str, up: bool) -> Self {
        Client {
            base_url: base_url.to_owned(),
            up,
            runs: AtomicU32::new(0),
        }
    }

    fn base_url(&self) -> &str {
        &self.base_url
    }

    #[circuit_breaker(kb_hosts, key = self.base_url(), failure_threshold = 2, reset_timeout = "60s")]
    fn get(&self) -> Result<u32, ApiError> {
        self.runs.fetch_add(1, Ordering::SeqCst);
        if self.up {
            Ok(200)
        } else {
            Err(ApiError::Down)
        }
    }
}

#[test]
fn a_failing_host_opens_only_its_own_breaker() {
    let dead = Client::new("https://dead.example", false);
    let healthy = Client::new("https://healthy.example", true);
    assert_eq!(dead.get(), Err(ApiError::Down));
    assert_eq!(dead.get(), Err(ApiError::Down));
    // Open: rejected without running, under the breaker of its own host.
    assert_eq!(dead.get(), open("kb_hosts[https://dead.example]"));
    assert_eq!(runs(&dead.runs), 2);
    // The other host's calls all run and succeed.
    for _ in 0..10 {
        assert_eq!(healthy.get(), Ok(200));
    }
    assert_eq!(runs(&healthy.runs), 10);

    let dead_breaker = keyed_breaker("kb_hosts", "https://dead.example").unwrap();
    assert_eq!(dead_breaker.state(), State::Open);
    assert_eq!(dead_breaker.snapshot().rejected, 1);
    let healthy_breaker = keyed_breaker("kb_hosts", "https://healthy.example").unwrap();
    assert_eq!(healthy_breaker.state(), State::Closed);
    assert_eq!(
        listed("kb_hosts"),
        [
            "kb_hosts[https://dead.example]",
            "kb_hosts[https://healthy.example]"
        ]
    );
    // No breaker of the bare name was made.
    assert!(retry_runtime::breaker("kb_hosts").is_none());
    // A rejection counts in the function's statistics like an unkeyed one's.
    let s = stats()
        .into_iter()
        .find(|s| s.function.ends_with("Client::get"))
        .unwrap();
    assert_eq!(s.rejections, 1);
}

// ---- keys from arguments, of any `Display` type; async ----

#[circuit_breaker(kb_tenants, key = tenant, failure_threshold = 1)]
fn by_tenant(tenant: u64, up: bool) -> Result<u32, ApiError> {
    if up {
        Ok(1)
    } else {
        Err(ApiError::Down)
    }
}

#[test]
fn a_key_of_any_display_type_names_its_breaker() {
    assert_eq!(by_tenant(42, false), Err(ApiError::Down));
    assert_eq!(by_tenant(42, true), open("kb_tenants[42]"));
    assert_eq!(by_tenant(7, true), Ok(1));
    assert_eq!(
        keyed_breaker("kb_tenants", 42u64).unwrap().state(),
        State::Open
    );
    assert_eq!(
        keyed_breaker("kb_tenants", "42").unwrap().name(),
        "kb_tenants[42]"
    );
}

#[circuit_breaker(kb_models, key = model, failure_threshold = 1)]
async fn complete(model: &str, prompt: String) -> Result<String, ApiError> {
    tokio::task::yield_now().await;
    if model == "down-model" {
        Err(ApiError::Down)
    } else {
        Ok(format!("{model}: {prompt}"))
    }
}

#[tokio::test]
async fn an_async_call_is_keyed_by_its_argument_and_stays_send() {
    let spawned = tokio::spawn(complete("small-model", "hi".into()));
    assert_eq!(spawned.await.unwrap(), Ok("small-model: hi".into()));
    assert_eq!(
        complete("down-model", "hi".into()).await,
        Err(ApiError::Down)
    );
    assert_eq!(
        complete("down-model", "hi".into()).await,
        Err(ApiError::Open("kb_models[down-model]".into()))
    );
    assert_eq!(
        complete("small-model", "again".into()).await,
        Ok("small-model: again".into())
    );
}

// ---- `#[async_trait]`: `self` in the key is the moved receiver ----

#[async_trait::async_trait]
trait Chat {
    async fn ask(&self, fail: bool) -> Result<u32, ApiError>;
}

struct Provider {
    url: String,
}

#[async_trait::async_trait]
impl Chat for Provider {
    #[circuit_breaker(kb_async_trait, key = self.url, failure_threshold = 1)]
    async fn ask(&self, fail: bool) -> Result<u32, ApiError> {
        if fail {
            Err(ApiError::Down)
        } else {
            Ok(3)
        }
    }
}

#[tokio::test]
async fn an_async_trait_method_is_keyed_by_self() {
    let a = Provider { url: "a".into() };
    let b = Provider { url: "b".into() };
    assert_eq!(a.ask(true).await, Err(ApiError::Down));
    assert_eq!(
        a.ask(false).await,
        Err(ApiError::Open("kb_async_trait[a]".into()))
    );
    assert_eq!(b.ask(false).await, Ok(3));
}

// ---- eviction of the least recently used, whatever its state ----

#[circuit_breaker(kb_evict, key = key, max_keys = 2, failure_threshold = 1, reset_timeout = "60s")]
fn evicting(key: &str, up: bool) -> Result<u32, ApiError> {
    if up {
        Ok(1)
    } else {
        Err(ApiError::Down)
    }
}

#[test]
fn past_max_keys_the_least_recently_used_breaker_is_dropped() {
    assert_eq!(evicting("a", false), Err(ApiError::Down));
    assert_eq!(evicting("b", true), Ok(1));
    // `a` (open) is used after `b`: `b` is the least recently used when `c` arrives.
    assert_eq!(evicting("a", true), open("kb_evict[a]"));
    let b = keyed_breaker("kb_evict", "b").unwrap();
    assert_eq!(evicting("c", true), Ok(1));
    assert_eq!(listed("kb_evict"), ["kb_evict[a]", "kb_evict[c]"]);
    assert!(keyed_breaker("kb_evict", "b").is_none());
    // The registry let the evicted breaker go (the calling thread's cache may still hold it).
    assert!(Arc::strong_count(&b) <= 3);
    // An open breaker is dropped too when it is the least recently used: `a` now.
    assert_eq!(evicting("c", true), Ok(1));
    assert_eq!(evicting("d", true), Ok(1));
    assert_eq!(listed("kb_evict"), ["kb_evict[c]", "kb_evict[d]"]);
    // Its key starts afresh: a new, closed breaker, and the call runs.
    assert_eq!(evicting("a", true), Ok(1));
    assert_eq!(
        keyed_breaker("kb_evict", "a").unwrap().state(),
        State::Closed
    );
}

static HOLDER_RUNS: AtomicU32 = AtomicU32::new(0);

#[circuit_breaker(kb_held, key = key, max_keys = 1, failure_threshold = 1)]
fn holder(key: &str) -> Result<u32, ApiError> {
    HOLDER_RUNS.fetch_add(1, Ordering::SeqCst);
    if key == "a" {
        // A call of another key evicts `a` while this call holds a's permit.
        assert_eq!(holder("b"), Ok(0));
        assert!(keyed_breaker("kb_held", "a").is_none());
        Err(ApiError::Down)
    } else {
        Ok(0)
    }
}

#[test]
fn a_call_holding_an_evicted_breaker_settles_on_it_harmlessly() {
    assert_eq!(holder("a"), Err(ApiError::Down));
    assert_eq!(runs(&HOLDER_RUNS), 2);
    // The failure went to the evicted breaker: `a` starts afresh and runs.
    assert_eq!(listed("kb_held"), ["kb_held[b]"]);
    assert_eq!(holder("a"), Err(ApiError::Down));
    assert_eq!(runs(&HOLDER_RUNS), 4);
}

// ---- the configuration registered for the name wins ----

#[circuit_breaker(kb_registered, key = key, failure_threshold = 1)]
fn registered(key: &str) -> Result<u32, ApiError> {
    let _ = key;
    Err(ApiError::Down)
}

#[test]
fn a_registered_configuration_applies_to_every_key() {
    let config = BreakerConfig::new().failure_threshold(3);
    register_breaker("kb_registered", config);
    for _ in 0..3 {
        assert_eq!(registered("x"), Err(ApiError::Down));
    }
    assert_eq!(registered("x"), open("kb_registered[x]"));
    assert_eq!(
        keyed_breaker("kb_registered", "x").unwrap().config(),
        &config
    );
}

// ---- `open_error`: an error type that cannot take a `From` impl ----

/// A library's public error: no variant for an open circuit, no `From` impls.
#[derive(Debug, PartialEq, Eq)]
enum LibError {
    Status(u16),
    Unavailable(String),
}

struct LibClient {
    host: &'static str,
}

impl LibClient {
    fn unavailable(&self, open: CircuitOpen) -> LibError {
        LibError::Unavailable(format!("{}: {open}", self.host))
    }

    #[circuit_breaker(kb_open_error, key = self.host, failure_threshold = 1, reset_timeout = "60s",
        open_error = |open| self.unavailable(open))]
    fn fetch(&self) -> Result<u32, LibError> {
        Err(LibError::Status(503))
    }
}

#[circuit_breaker(kb_open_error_unkeyed, failure_threshold = 1, reset_timeout = "60s",
    open_error = |open| LibError::Unavailable(open.to_string()))]
fn fetch_unkeyed() -> Result<u32, LibError> {
    Err(LibError::Status(500))
}

#[test]
fn open_error_builds_the_error_of_a_rejected_call() {
    let client = LibClient { host: "h1" };
    assert_eq!(client.fetch(), Err(LibError::Status(503)));
    let Err(LibError::Unavailable(message)) = client.fetch() else {
        panic!("rejected as unavailable");
    };
    assert!(
        message.starts_with("h1: circuit breaker 'kb_open_error[h1]' is open; next probe in"),
        "{message}"
    );

    assert_eq!(fetch_unkeyed(), Err(LibError::Status(500)));
    let Err(LibError::Unavailable(message)) = fetch_unkeyed() else {
        panic!("rejected as unavailable");
    };
    assert!(message.starts_with("circuit breaker 'kb_open_error_unkeyed' is open"));
}

// ---- stacking: every order; the key is evaluated per attempt ----

static KEY_READS: AtomicU32 = AtomicU32::new(0);
static RB_RUNS: AtomicU32 = AtomicU32::new(0);

struct Host(&'static str);

impl Host {
    fn key(&self) -> &str {
        KEY_READS.fetch_add(1, Ordering::SeqCst);
        self.0
    }

    /// A retry over a keyed breaker: each attempt asks for its key and is one breaker call; a
    /// failure that opens the key's circuit, or a rejection by it, ends the retry at once.
    #[retry_on_failure(max_attempts = 5, initial_delay = "0ms")]
    #[circuit_breaker(kb_retry_over, key = self.key(), failure_threshold = 2, reset_timeout = "60s")]
    fn retried(&self) -> Result<u32, ApiError> {
        RB_RUNS.fetch_add(1, Ordering::SeqCst);
        Err(ApiError::Down)
    }
}

#[test]
fn a_retry_over_a_keyed_breaker_reads_the_key_per_attempt_and_stops_when_open() {
    let host = Host("r1");
    // Two attempts ran and opened the circuit: the retry returns the second's error rather
    // than sleep into a certain rejection. One read of the key per attempt.
    assert_eq!(host.retried(), Err(ApiError::Down));
    assert_eq!((runs(&RB_RUNS), runs(&KEY_READS)), (2, 2));
    // Open: the next call's first attempt reads its key and is rejected without running.
    assert_eq!(host.retried(), open("kb_retry_over[r1]"));
    assert_eq!((runs(&RB_RUNS), runs(&KEY_READS)), (2, 3));
    // Another host is not affected.
    assert_eq!(Host("r2").retried(), Err(ApiError::Down));
    assert_eq!(runs(&RB_RUNS), 4);
}

static BR_RUNS: AtomicU32 = AtomicU32::new(0);

/// A keyed breaker over a retry: one breaker call per logical call, whatever its attempts.
#[circuit_breaker(kb_over_retry, key = key, failure_threshold = 2, reset_timeout = "60s")]
#[retry_on_failure(max_attempts = 3, initial_delay = "0ms")]
async fn breaker_over_retry(key: &str) -> Result<u32, ApiError> {
    BR_RUNS.fetch_add(1, Ordering::SeqCst);
    Err(ApiError::Down)
}

#[tokio::test]
async fn a_keyed_breaker_over_a_retry_counts_one_failure_per_call() {
    assert_eq!(breaker_over_retry("k").await, Err(ApiError::Down));
    assert_eq!(breaker_over_retry("k").await, Err(ApiError::Down));
    assert_eq!(runs(&BR_RUNS), 6);
    assert_eq!(
        breaker_over_retry("k").await,
        Err(ApiError::Open("kb_over_retry[k]".into()))
    );
    assert_eq!(runs(&BR_RUNS), 6);
}

fn backup(_key: &str) -> Result<u32, ApiError> {
    Ok(99)
}

static FB_RUNS: AtomicU32 = AtomicU32::new(0);

/// The documented order: a fallback over a retry over a keyed breaker.
#[fallback(to = backup)]
#[retry_on_failure(max_attempts = 3, initial_delay = "0ms")]
#[circuit_breaker(kb_full_stack, key = key, failure_threshold = 2, reset_timeout = "60s")]
fn full_stack(key: &str) -> Result<u32, ApiError> {
    FB_RUNS.fetch_add(1, Ordering::SeqCst);
    if key == "down" {
        Err(ApiError::Down)
    } else {
        Ok(1)
    }
}

#[test]
fn a_fallback_takes_over_from_an_open_keyed_breaker() {
    assert_eq!(full_stack("down"), Ok(99));
    assert_eq!(runs(&FB_RUNS), 2);
    assert_eq!(
        keyed_breaker("kb_full_stack", "down").unwrap().state(),
        State::Open
    );
    // Open: straight to the fallback, no attempt runs; the healthy key still runs.
    assert_eq!(full_stack("down"), Ok(99));
    assert_eq!(runs(&FB_RUNS), 2);
    assert_eq!(full_stack("up"), Ok(1));
    assert_eq!(runs(&FB_RUNS), 3);
}

// ---- many threads, many keys: no deadlock, the bound holds ----

#[circuit_breaker(kb_threads, key = key, max_keys = 64, failure_threshold = 3, reset_timeout = "60s")]
fn threaded(key: u32, up: bool) -> Result<u32, ApiError> {
    if up {
        Ok(key)
    } else {
        Err(ApiError::Down)
    }
}

#[test]
fn many_threads_with_many_keys_keep_the_bound() {
    let handles: Vec<_> = (0..8u32)
        .map(|t| {
            std::thread::spawn(move || {
                let mut ok = 0;
                for i in 0..3_000u32 {
                    // Each thread walks its own stride through 300 keys; one key in five fails.
                    let key = (i * 7 + t * 13) % 300;
                    match threaded(key, key % 5 != 0) {
                        Ok(k) => {
                            assert_eq!(k, key);
                            ok += 1;
                        }
                        Err(ApiError::Down) => assert_eq!(key % 5, 0),
                        Err(ApiError::Open(name)) => {
                            assert_eq!(name, format!("kb_threads[{key}]"));
                        }
                    }
                }
                ok
            })
        })
        .collect();
    let ok: u32 = handles.into_iter().map(|h| h.join().unwrap()).sum();
    assert!(ok > 0);
    let names = listed("kb_threads");
    assert!(!names.is_empty() && names.len() <= 64, "{}", names.len());
}

// ---- every stacking order, sync and async: a failing key opens its breaker, another runs ----

fn backup_u32(_key: u32) -> Result<u32, ApiError> {
    Ok(99)
}

async fn backup_u32_async(_key: u32) -> Result<u32, ApiError> {
    Ok(99)
}

/// One function per order of the three attributes, the breaker keyed by the argument `$key`
/// (named by the caller, so the attributes see it); key 0 fails.
macro_rules! orders {
    ($key:ident; $($name:ident, $async_name:ident, $breaker:literal, $opens:literal: $(#[$attr:meta])* $(@async #[$async_attr:meta])*;)*) => {$(
        $(#[$attr])*
        fn $name($key: u32) -> Result<u32, ApiError> {
            if $key == 0 { Err(ApiError::Down) } else { Ok($key) }
        }

        $(#[$async_attr])*
        async fn $async_name($key: u32) -> Result<u32, ApiError> {
            tokio::task::yield_now().await;
            if $key == 0 { Err(ApiError::Down) } else { Ok($key) }
        }
    )*

        /// Each order's sync and async function, its breaker's name, and whether a failing key
        /// opens it (not when a fallback below turns the failure into a success).
        #[allow(clippy::type_complexity)]
        const ORDERS: &[(
            fn(u32) -> Result<u32, ApiError>,
            fn(u32) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<u32, ApiError>> + Send>>,
            &str,
            bool,
        )] = &[$(($name, |k| Box::pin($async_name(k)), $breaker, $opens)),*];
    };
}

orders! {
    key;
    o_frb, o_frb_async, "kb_o_frb", true:
        #[fallback(to = backup_u32)]
        #[retry_on_failure(max_attempts = 2, initial_delay = "0ms")]
        #[circuit_breaker(kb_o_frb, key = key, failure_threshold = 2)]
        @async #[fallback(to = backup_u32_async)]
        @async #[retry_on_failure(max_attempts = 2, initial_delay = "0ms")]
        @async #[circuit_breaker(kb_o_frb_async, key = key, failure_threshold = 2)];
    o_fbr, o_fbr_async, "kb_o_fbr", true:
        #[fallback(to = backup_u32)]
        #[circuit_breaker(kb_o_fbr, key = key, failure_threshold = 2)]
        #[retry_on_failure(max_attempts = 2, initial_delay = "0ms")]
        @async #[fallback(to = backup_u32_async)]
        @async #[circuit_breaker(kb_o_fbr_async, key = key, failure_threshold = 2)]
        @async #[retry_on_failure(max_attempts = 2, initial_delay = "0ms")];
    o_rfb, o_rfb_async, "kb_o_rfb", true:
        #[retry_on_failure(max_attempts = 2, initial_delay = "0ms")]
        #[fallback(to = backup_u32)]
        #[circuit_breaker(kb_o_rfb, key = key, failure_threshold = 2)]
        @async #[retry_on_failure(max_attempts = 2, initial_delay = "0ms")]
        @async #[fallback(to = backup_u32_async)]
        @async #[circuit_breaker(kb_o_rfb_async, key = key, failure_threshold = 2)];
    o_rbf, o_rbf_async, "kb_o_rbf", false:
        #[retry_on_failure(max_attempts = 2, initial_delay = "0ms")]
        #[circuit_breaker(kb_o_rbf, key = key, failure_threshold = 2)]
        #[fallback(to = backup_u32)]
        @async #[retry_on_failure(max_attempts = 2, initial_delay = "0ms")]
        @async #[circuit_breaker(kb_o_rbf_async, key = key, failure_threshold = 2)]
        @async #[fallback(to = backup_u32_async)];
    o_bfr, o_bfr_async, "kb_o_bfr", false:
        #[circuit_breaker(kb_o_bfr, key = key, failure_threshold = 2)]
        #[fallback(to = backup_u32)]
        #[retry_on_failure(max_attempts = 2, initial_delay = "0ms")]
        @async #[circuit_breaker(kb_o_bfr_async, key = key, failure_threshold = 2)]
        @async #[fallback(to = backup_u32_async)]
        @async #[retry_on_failure(max_attempts = 2, initial_delay = "0ms")];
    o_brf, o_brf_async, "kb_o_brf", false:
        #[circuit_breaker(kb_o_brf, key = key, failure_threshold = 2)]
        #[retry_on_failure(max_attempts = 2, initial_delay = "0ms")]
        #[fallback(to = backup_u32)]
        @async #[circuit_breaker(kb_o_brf_async, key = key, failure_threshold = 2)]
        @async #[retry_on_failure(max_attempts = 2, initial_delay = "0ms")]
        @async #[fallback(to = backup_u32_async)];
}

/// Whether `result` is what a call of a failing key may give in a stack: the fallback's
/// value, the body's error, or a rejection by the key's breaker.
fn failing_key_result(result: &Result<u32, ApiError>, breaker: &str) -> bool {
    match result {
        Ok(99) | Err(ApiError::Down) => true,
        Err(ApiError::Open(name)) => name == &format!("{breaker}[0]"),
        Ok(_) => false,
    }
}

#[tokio::test]
async fn every_stacking_order_keys_its_breaker_sync_and_async() {
    for &(sync, asynchronous, breaker, opens) in ORDERS {
        let async_breaker = format!("{breaker}_async");
        for _ in 0..4 {
            let r = sync(0);
            assert!(failing_key_result(&r, breaker), "{breaker}: {r:?}");
            let r = asynchronous(0).await;
            assert!(
                failing_key_result(&r, &async_breaker),
                "{async_breaker}: {r:?}"
            );
        }
        let failing = if opens { State::Open } else { State::Closed };
        for name in [breaker, async_breaker.as_str()] {
            assert_eq!(keyed_breaker(name, 0).unwrap().state(), failing, "{name}");
        }
        assert_eq!(sync(1), Ok(1), "{breaker}");
        assert_eq!(asynchronous(1).await, Ok(1), "{async_breaker}");
        for name in [breaker, async_breaker.as_str()] {
            assert_eq!(
                keyed_breaker(name, 1).unwrap().state(),
                State::Closed,
                "{name}"
            );
        }
    }
}
