//! The `metrics` feature as users see it: a Prometheus exporter listening on loopback, a
//! scripted run through annotated functions (retries, give-ups by attempts, by a permanent
//! error, by a refused budget, by an open circuit and by a limiter below, a fallback, a hedge, a
//! breaker opening and rejecting; a rate limiter and a concurrency limit refusing calls), then a
//! scrape of `/metrics` over real HTTP whose counters, gauge and labels are checked exactly. One
//! test function: the metrics facade has one global recorder per process.
#![cfg(feature = "metrics")]

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use metrics_exporter_prometheus::PrometheusBuilder;
use retry_runtime::{
    breaker, circuit_breaker, configure_budget, fallback, rate_limit, register_concurrency_limit,
    register_limiter, retry_on_failure, CircuitOpen, LimiterConfig, RateLimited, RetryBudget,
    State,
};

#[derive(Debug)]
enum ApiError {
    Transient,
    Fatal,
    Open,
    Limited,
}

impl From<RateLimited> for ApiError {
    fn from(_: RateLimited) -> Self {
        ApiError::Limited
    }
}

impl From<CircuitOpen> for ApiError {
    fn from(_: CircuitOpen) -> Self {
        ApiError::Open
    }
}

static FLAKY_RUNS: AtomicU32 = AtomicU32::new(0);

/// Fails twice, then succeeds: 3 attempts, 2 retries, no give-up.
#[retry_on_failure(max_attempts = 5, initial_delay = "1ms")]
fn flaky() -> Result<u32, ApiError> {
    if FLAKY_RUNS.fetch_add(1, Ordering::SeqCst) < 2 {
        Err(ApiError::Transient)
    } else {
        Ok(7)
    }
}

/// Succeeds at once: 1 attempt per call.
#[retry_on_failure(max_attempts = 3, initial_delay = "1ms")]
async fn healthy() -> Result<u32, ApiError> {
    Ok(1)
}

/// Always fails: 3 attempts, 2 retries, a give-up by attempts.
#[retry_on_failure(max_attempts = 3, initial_delay = "1ms")]
async fn always_down() -> Result<u32, ApiError> {
    Err(ApiError::Transient)
}

/// A permanent error: 1 attempt, a permanent give-up.
#[retry_on_failure(max_attempts = 3, initial_delay = "1ms", unless = |e| matches!(e, ApiError::Fatal))]
fn fatal() -> Result<u32, ApiError> {
    Err(ApiError::Fatal)
}

/// Gives up by attempts (2 attempts, 1 retry), then falls back to `backup`.
#[fallback(to = backup)]
#[retry_on_failure(max_attempts = 2, initial_delay = "1ms")]
fn with_backup() -> Result<u32, ApiError> {
    Err(ApiError::Transient)
}

fn backup() -> Result<u32, ApiError> {
    Ok(99)
}

/// A budget with no tokens at all: the first retry is refused.
#[retry_on_failure(
    max_attempts = 3,
    initial_delay = "1ms",
    budget = "metrics_test_budget"
)]
fn thrifty() -> Result<u32, ApiError> {
    Err(ApiError::Transient)
}

/// A breaker below a retry: the second failure opens it; a later call is rejected at once.
#[retry_on_failure(max_attempts = 2, initial_delay = "1ms")]
#[circuit_breaker(metrics_backend, failure_threshold = 2, reset_timeout = "60s")]
fn guarded() -> Result<u32, ApiError> {
    Err(ApiError::Transient)
}

/// A keyed breaker: its metrics carry its full name, `metrics_keyed[<key>]`.
#[circuit_breaker(metrics_keyed, key = host, failure_threshold = 1, reset_timeout = "60s")]
fn by_host(host: &str) -> Result<u32, ApiError> {
    let _ = host;
    Err(ApiError::Transient)
}

/// The first attempt takes the limiter's one turn and fails; the retry is refused: a give-up
/// by `limited`.
#[retry_on_failure(max_attempts = 3, initial_delay = "1ms")]
#[rate_limit(metrics_attr_limiter, rate = 1, per = "1h", max_wait = "0s")]
fn limited_retry() -> Result<u32, ApiError> {
    Err(ApiError::Transient)
}

/// A primary slower than `hedge_after`: one hedge.
#[fallback(to = hedge_backup, hedge_after = "10ms")]
async fn hedged() -> Result<u32, ApiError> {
    tokio::time::sleep(Duration::from_secs(1)).await;
    Ok(1)
}

async fn hedge_backup() -> Result<u32, ApiError> {
    Ok(2)
}

/// A free port on loopback (bound, then released for the exporter).
fn free_port() -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap()
}

/// `GET /metrics` over plain HTTP/1.1; waits for the listener to come up.
fn scrape(addr: SocketAddr) -> String {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        match TcpStream::connect(addr) {
            Ok(mut stream) => {
                stream
                    .write_all(
                        b"GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
                    )
                    .unwrap();
                let mut response = String::new();
                stream.read_to_string(&mut response).unwrap();
                assert!(response.starts_with("HTTP/1.1 200"), "{response}");
                let body = response.split_once("\r\n\r\n").unwrap().1;
                return body.to_string();
            }
            Err(e) if Instant::now() < deadline => {
                let _ = e;
                std::thread::sleep(Duration::from_millis(20));
            }
            Err(e) => panic!("the exporter never listened on {addr}: {e}"),
        }
    }
}

/// The value of the sample `name{labels}` (labels in any order), if scraped.
fn sample(body: &str, name: &str, labels: &[(&str, &str)]) -> Option<f64> {
    let mut want: Vec<String> = labels.iter().map(|(k, v)| format!("{k}=\"{v}\"")).collect();
    want.sort();
    body.lines()
        .filter(|line| !line.starts_with('#'))
        .find_map(|line| {
            let (series, value) = line.rsplit_once(' ')?;
            let (series_name, got) = match series.split_once('{') {
                Some((n, rest)) => (n, rest.strip_suffix('}')?),
                None => (series, ""),
            };
            let mut got: Vec<String> = got
                .split(',')
                .filter(|l| !l.is_empty())
                .map(str::to_string)
                .collect();
            got.sort();
            (series_name == name && got == want).then(|| value.parse().unwrap())
        })
}

/// Every sample of `name`, for the messages of failed assertions.
fn samples<'a>(body: &'a str, name: &str) -> Vec<&'a str> {
    body.lines().filter(|l| l.starts_with(name)).collect()
}

#[test]
fn a_prometheus_scrape_shows_every_count() {
    let addr = free_port();
    // Installed before the first annotated call: sites resolve their handles on first use.
    PrometheusBuilder::new()
        .with_http_listener(addr)
        .install()
        .expect("install the Prometheus exporter");
    configure_budget(
        "metrics_test_budget",
        RetryBudget::new().ratio(0.0).min_per_sec(0),
    );

    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    assert_eq!(flaky().unwrap(), 7);
    for _ in 0..4 {
        assert_eq!(rt.block_on(healthy()).unwrap(), 1);
    }
    assert!(matches!(
        rt.block_on(always_down()),
        Err(ApiError::Transient)
    ));
    assert!(matches!(fatal(), Err(ApiError::Fatal)));
    assert_eq!(with_backup().unwrap(), 99);
    assert!(matches!(thrifty(), Err(ApiError::Transient)));
    // Two failed attempts open the breaker; the next call is rejected without running.
    assert!(matches!(guarded(), Err(ApiError::Transient)));
    assert_eq!(breaker("metrics_backend").unwrap().state(), State::Open);
    assert!(matches!(guarded(), Err(ApiError::Open)));
    // One failure opens the breaker of host `a`; its next call is rejected.
    assert!(matches!(by_host("a"), Err(ApiError::Transient)));
    assert!(matches!(by_host("a"), Err(ApiError::Open)));
    assert!(matches!(limited_retry(), Err(ApiError::Limited)));
    let paused = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .unwrap();
    assert_eq!(paused.block_on(hedged()).unwrap(), 2);
    // A rate limiter: one call admitted by `acquire` (its wait recorded), two refused; a
    // concurrency limit with its one slot taken: one refused.
    let limiter = register_limiter(
        "metrics_limiter",
        LimiterConfig::new(1, Duration::from_secs(3600))
            .burst(1)
            .max_wait(Duration::ZERO),
    );
    limiter.acquire(1).unwrap();
    assert!(limiter.acquire(1).is_err());
    assert!(limiter.try_acquire(1).is_err());
    let slots = register_concurrency_limit("metrics_slots", 1);
    let held = slots.try_acquire().unwrap();
    assert!(slots.try_acquire().is_err());
    drop(held);

    let body = scrape(addr);
    let count = |name: &str, labels: &[(&str, &str)]| {
        sample(&body, name, labels)
            .unwrap_or_else(|| panic!("no {name}{labels:?} in {:#?}", samples(&body, name)))
    };
    let f = |function| [("function", function)];

    // Every attempt, a first one that succeeds included.
    for (function, attempts) in [
        ("flaky", 3.0),
        ("healthy", 4.0),
        ("always_down", 3.0),
        ("fatal", 1.0),
        ("with_backup", 2.0),
        ("thrifty", 1.0),
        ("guarded", 3.0),
    ] {
        assert_eq!(
            count("retry_attempts_total", &f(function)),
            attempts,
            "{function}"
        );
    }
    for (function, retries) in [
        ("flaky", 2.0),
        ("always_down", 2.0),
        ("with_backup", 1.0),
        ("guarded", 1.0),
    ] {
        assert_eq!(
            count("retry_retries_total", &f(function)),
            retries,
            "{function}"
        );
    }
    // Functions that never retried have no retries series.
    for function in ["healthy", "fatal", "thrifty"] {
        assert_eq!(sample(&body, "retry_retries_total", &f(function)), None);
    }

    let give_up = |function, reason| {
        count(
            "retry_give_ups_total",
            &[("function", function), ("reason", reason)],
        )
    };
    assert_eq!(give_up("always_down", "attempts"), 1.0);
    assert_eq!(give_up("fatal", "permanent"), 1.0);
    assert_eq!(give_up("with_backup", "attempts"), 1.0);
    assert_eq!(give_up("thrifty", "budget"), 1.0);
    assert_eq!(give_up("guarded", "attempts"), 1.0);
    assert_eq!(give_up("guarded", "circuit_open"), 1.0);
    assert_eq!(give_up("limited_retry", "limited"), 1.0);
    let give_ups = samples(&body, "retry_give_ups_total");
    assert_eq!(give_ups.len(), 7, "{give_ups:#?}");
    assert_eq!(count("retry_hedges_total", &f("hedged")), 1.0);

    assert_eq!(
        count(
            "retry_fallbacks_total",
            &[
                ("function", "with_backup"),
                ("from", "with_backup"),
                ("to", "backup")
            ],
        ),
        1.0
    );
    assert_eq!(
        count(
            "retry_budget_refusals_total",
            &[("budget", "metrics_test_budget")]
        ),
        1.0
    );

    let refusals = |limiter| count("rate_limiter_refusals_total", &[("limiter", limiter)]);
    assert_eq!(refusals("metrics_limiter"), 2.0);
    assert_eq!(refusals("metrics_slots"), 1.0);
    assert_eq!(
        count(
            "rate_limiter_wait_seconds_count",
            &[("limiter", "metrics_limiter")]
        ),
        1.0
    );

    let b = [("breaker", "metrics_backend")];
    assert_eq!(count("circuit_breaker_state", &b), 1.0, "open");
    assert_eq!(count("circuit_breaker_rejections_total", &b), 1.0);
    assert_eq!(
        count(
            "circuit_breaker_transitions_total",
            &[("breaker", "metrics_backend"), ("to", "open")],
        ),
        1.0
    );
    // A keyed breaker is labelled with its full name.
    let k = [("breaker", "metrics_keyed[a]")];
    assert_eq!(count("circuit_breaker_state", &k), 1.0, "open");
    assert_eq!(count("circuit_breaker_rejections_total", &k), 1.0);
    assert_eq!(
        count(
            "circuit_breaker_transitions_total",
            &[("breaker", "metrics_keyed[a]"), ("to", "open")],
        ),
        1.0
    );
    let transitions = samples(&body, "circuit_breaker_transitions_total");
    assert_eq!(transitions.len(), 2, "{transitions:#?}");

    // A forced state shows in the gauge and as a transition.
    breaker("metrics_backend").unwrap().force_closed();
    let body = scrape(addr);
    assert_eq!(sample(&body, "circuit_breaker_state", &b), Some(4.0));
    assert_eq!(
        sample(
            &body,
            "circuit_breaker_transitions_total",
            &[("breaker", "metrics_backend"), ("to", "forced_closed")],
        ),
        Some(1.0)
    );
}
