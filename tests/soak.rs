//! A soak through the whole stack, `#[fallback] #[retry_on_failure(budget)] #[circuit_breaker]
//! #[concurrency_limit] #[rate_limit]`, from threads and tokio tasks at once: random failures,
//! random panics in `on_retry` and in `on_state_change`, attempts cancelled at random points
//! (waiting on a limiter or holding a slot among them), and a backend that dies and recovers.
//! Seeded (`SOAK_SEED=<n>` reproduces a run) and bounded to a few seconds.
//!
//! At the end: every call answered exactly once (a value, an error or a panic, never an abort or
//! a hang), the breaker closes again once the backend is back (no probe slot leaked by a
//! cancelled or panicking attempt), no concurrency slot is held and nobody waits on a limiter, the retries stayed within the budget's ratio, and the
//! statistics equal the test's own counts.

use std::cell::Cell;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicU8, Ordering::Relaxed};
use std::time::{Duration, Instant};

use retry_runtime::{
    breaker, circuit_breaker, concurrency_limit, configure_budget, fallback, limiter, rate_limit,
    retry_on_failure, stats, CircuitOpen, RateLimited, RetryBudget, RetryEvent, State, StateChange,
};

#[derive(Debug, Clone, PartialEq, Eq)]
enum SoakError {
    Down,
    Open,
    Limited,
}

impl From<RateLimited> for SoakError {
    fn from(_: RateLimited) -> Self {
        SoakError::Limited
    }
}

impl From<CircuitOpen> for SoakError {
    fn from(_: CircuitOpen) -> Self {
        SoakError::Open
    }
}

/// The backend: each attempt fails with this probability, in percent (100: dead).
static FAIL_PERCENT: AtomicU8 = AtomicU8::new(20);
/// Whether hooks may panic (off for the recovery at the end).
static CHAOS: AtomicBool = AtomicBool::new(true);

// The test's own counts, compared with the library's at the end.
static BODY_RUNS: AtomicU64 = AtomicU64::new(0);
static RETRIES: AtomicU64 = AtomicU64::new(0);
static GIVE_UPS: AtomicU64 = AtomicU64::new(0);
static REJECTED_GIVE_UPS: AtomicU64 = AtomicU64::new(0);
static LIMITED_GIVE_UPS: AtomicU64 = AtomicU64::new(0);
static FALLBACKS: AtomicU64 = AtomicU64::new(0);

fn seed() -> u64 {
    std::env::var("SOAK_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x5eed_2026)
}

thread_local! {
    static RNG: Cell<u64> = const { Cell::new(0) };
}

/// A per-thread xorshift stream derived from the seed: a run reproduces thread by thread.
fn seed_thread(stream: u64) {
    RNG.with(|r| r.set((seed() ^ stream.wrapping_mul(0x9e37_79b9_7f4a_7c15)) | 1));
}

fn chance(percent: u64) -> bool {
    RNG.with(|r| {
        let mut x = r.get();
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        r.set(x);
        x % 100 < percent
    })
}

fn chaos(percent: u64) -> bool {
    CHAOS.load(Relaxed) && chance(percent)
}

fn on_retry(_: &RetryEvent<'_, SoakError>) {
    if chaos(2) {
        panic!("on_retry hook panicked (on purpose)");
    }
    RETRIES.fetch_add(1, Relaxed);
}

fn on_give_up(event: &RetryEvent<'_, SoakError>) {
    GIVE_UPS.fetch_add(1, Relaxed);
    match *event.error {
        SoakError::Open => {
            REJECTED_GIVE_UPS.fetch_add(1, Relaxed);
        }
        SoakError::Limited => {
            LIMITED_GIVE_UPS.fetch_add(1, Relaxed);
        }
        SoakError::Down => {}
    }
}

fn on_state_change(_: &StateChange) {
    if chaos(10) {
        panic!("on_state_change hook panicked (on purpose)");
    }
}

fn backup() -> Result<u64, SoakError> {
    FALLBACKS.fetch_add(1, Relaxed);
    Ok(0)
}

async fn backup_async() -> Result<u64, SoakError> {
    backup()
}

fn attempt() -> Result<u64, SoakError> {
    BODY_RUNS.fetch_add(1, Relaxed);
    if chance(u64::from(FAIL_PERCENT.load(Relaxed))) {
        Err(SoakError::Down)
    } else {
        Ok(1)
    }
}

#[fallback(to = backup)]
#[retry_on_failure(max_attempts = 3, initial_delay = "0ms", budget = "soak",
                   on_retry = on_retry, on_give_up = on_give_up)]
#[circuit_breaker(soak, failure_threshold = 8, reset_timeout = "5ms", half_open_max_calls = 2,
                  success_threshold = 2, on_state_change = on_state_change)]
#[concurrency_limit(soak_slots, max = 16, max_wait = "2ms")]
#[rate_limit(soak_rate, rate = 40_000, per = "1s", burst = 100, max_wait = "1ms")]
fn call() -> Result<u64, SoakError> {
    attempt()
}

#[fallback(to = backup_async)]
#[retry_on_failure(max_attempts = 3, initial_delay = "0ms", budget = "soak",
                   on_retry = on_retry, on_give_up = on_give_up)]
#[circuit_breaker(soak, failure_threshold = 8, reset_timeout = "5ms", half_open_max_calls = 2,
                  success_threshold = 2, on_state_change = on_state_change)]
#[concurrency_limit(soak_slots, max = 16, max_wait = "2ms")]
#[rate_limit(soak_rate, rate = 40_000, per = "1s", burst = 100, max_wait = "1ms")]
async fn call_async() -> Result<u64, SoakError> {
    // A suspension point inside the attempt, where a cancellation can land with the breaker's
    // permit held.
    tokio::task::yield_now().await;
    attempt()
}

/// What happened to the calls of one worker.
#[derive(Default)]
struct Outcomes {
    answered: u64,
    panicked: u64,
    cancelled: u64,
}

impl Outcomes {
    fn add(&mut self, other: Outcomes) {
        self.answered += other.answered;
        self.panicked += other.panicked;
        self.cancelled += other.cancelled;
    }
}

fn sync_worker(stream: u64, until: Instant) -> (u64, Outcomes) {
    seed_thread(stream);
    let (mut calls, mut out) = (0, Outcomes::default());
    while Instant::now() < until {
        calls += 1;
        match catch_unwind(call) {
            Ok(_) => out.answered += 1,
            Err(_) => out.panicked += 1,
        }
    }
    (calls, out)
}

async fn async_worker(stream: u64, until: Instant) -> (u64, Outcomes) {
    seed_thread(stream);
    let (mut calls, mut out) = (0, Outcomes::default());
    while Instant::now() < until {
        calls += 1;
        let call = AssertUnwindSafe(call_async());
        if chance(5) {
            // Cancelled at its first suspension point: the attempt is dropped mid-way.
            let mut call = std::pin::pin!(call);
            let polled = futures_poll_once(call.as_mut()).await;
            match polled {
                Some(Ok(_)) => out.answered += 1,
                Some(Err(_)) => out.panicked += 1,
                None => out.cancelled += 1,
            }
        } else {
            match futures_catch(call).await {
                Ok(_) => out.answered += 1,
                Err(_) => out.panicked += 1,
            }
        }
        seed_thread(stream.wrapping_add(calls)); // a task may move between threads
    }
    (calls, out)
}

/// Polls a call once (catching a panic), then drops it if it is not done.
async fn futures_poll_once<F: std::future::Future>(
    mut call: std::pin::Pin<&mut F>,
) -> Option<std::thread::Result<F::Output>> {
    std::future::poll_fn(|cx| {
        let polled = catch_unwind(AssertUnwindSafe(|| call.as_mut().poll(cx)));
        std::task::Poll::Ready(match polled {
            Ok(std::task::Poll::Ready(v)) => Some(Ok(v)),
            Ok(std::task::Poll::Pending) => None,
            Err(panic) => Some(Err(panic)),
        })
    })
    .await
}

/// Awaits a call, catching a panic.
async fn futures_catch<F: std::future::Future>(call: F) -> std::thread::Result<F::Output> {
    let mut call = std::pin::pin!(call);
    std::future::poll_fn(
        |cx| match catch_unwind(AssertUnwindSafe(|| call.as_mut().poll(cx))) {
            Ok(std::task::Poll::Pending) => std::task::Poll::Pending,
            Ok(std::task::Poll::Ready(v)) => std::task::Poll::Ready(Ok(v)),
            Err(panic) => std::task::Poll::Ready(Err(panic)),
        },
    )
    .await
}

#[test]
fn the_whole_stack_holds_under_chaos() {
    // The hooks' panics are expected: keep them out of the log, and every other panic in it.
    let report = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .copied()
            .or_else(|| info.payload().downcast_ref::<String>().map(String::as_str));
        if !message.is_some_and(|m| m.ends_with("(on purpose)")) {
            report(info);
        }
    }));
    configure_budget("soak", RetryBudget::new());
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();

    let mut calls = 0;
    let mut outcomes = Outcomes::default();
    // Healthy with 20% failures, then dead, then healthy again, each phase from 4 threads
    // and 64 tasks at once.
    for (phase, fail_percent) in [(0u64, 20u8), (1, 100), (2, 20)] {
        FAIL_PERCENT.store(fail_percent, Relaxed);
        let until = Instant::now() + Duration::from_millis(700);
        let tasks: Vec<_> = (0..64)
            .map(|t| rt.spawn(async_worker((phase << 32) | (1000 + t), until)))
            .collect();
        let threads: Vec<_> = (0..4)
            .map(|t| std::thread::spawn(move || sync_worker((phase << 32) | t, until)))
            .collect();
        for thread in threads {
            let (n, out) = thread.join().expect("a worker thread itself never panics");
            calls += n;
            outcomes.add(out);
        }
        for task in tasks {
            let (n, out) = rt
                .block_on(task)
                .expect("a worker task itself never panics");
            calls += n;
            outcomes.add(out);
        }
    }

    eprintln!(
        "soak (seed {}): {calls} calls: {} answered, {} panicked, {} cancelled",
        seed(),
        outcomes.answered,
        outcomes.panicked,
        outcomes.cancelled
    );
    // Every call answered exactly once.
    assert_eq!(
        outcomes.answered + outcomes.panicked + outcomes.cancelled,
        calls
    );
    assert!(
        outcomes.panicked > 0 && outcomes.cancelled > 0,
        "the chaos happened"
    );

    // Recovery: no chaos, a healthy backend; the breaker closes again, so no probe slot leaked.
    CHAOS.store(false, Relaxed);
    FAIL_PERCENT.store(0, Relaxed);
    seed_thread(7);
    let cb = breaker("soak").expect("registered by the first call");
    let deadline = Instant::now() + Duration::from_secs(5);
    while cb.state() != State::Closed {
        assert!(
            Instant::now() < deadline,
            "the breaker never closed: {}",
            cb.snapshot()
        );
        std::thread::sleep(Duration::from_millis(6));
        let _ = call();
    }
    assert_eq!(call(), Ok(1));
    // No slot held, nobody waiting: cancelled and panicking attempts gave theirs back.
    let slots = retry_runtime::concurrency_limit("soak_slots").expect("registered by a call");
    let slots = slots.snapshot();
    assert_eq!((slots.in_flight, slots.waiting), (0, 0), "{slots:?}");
    let rate = limiter("soak_rate")
        .expect("registered by a call")
        .snapshot();
    assert_eq!(rate.waiting, 0, "{rate:?}");
    eprintln!(
        "soak: limiters refused {} (slots) and {} (rate)",
        slots.refused, rate.refused
    );

    // The budget held: retries within ratio 0.1 of the first attempts, plus its reserve of 100
    // (the run is shorter than the budget's 10 s ttl). First attempts are the body runs that were
    // not retries; a call cancelled or panicking between its retry's announcement and the
    // retry's body run makes that count one short, hence the slack of one per such call.
    let runs = BODY_RUNS.load(Relaxed);
    let retries = RETRIES.load(Relaxed);
    let first_attempts = runs - retries;
    let bound =
        0.1 * first_attempts as f64 + 100.0 + (outcomes.cancelled + outcomes.panicked) as f64;
    assert!(
        retries as f64 <= bound,
        "{retries} retries for {first_attempts} first attempts, more than {bound:.0}"
    );

    eprintln!("soak: {runs} body runs, {retries} retries, budget bound {bound:.0}");
    // The statistics equal the test's own counts.
    let site = stats()
        .into_iter()
        .filter(|s| s.function == "call" || s.function == "call_async")
        .fold((0, 0, 0, 0, 0), |acc, s| {
            (
                acc.0 + s.retries,
                acc.1 + s.give_ups,
                acc.2 + s.fallbacks,
                acc.3 + s.rejections,
                acc.4 + s.limited,
            )
        });
    eprintln!("soak: statistics (retries, give-ups, fallbacks, rejections, limited) {site:?}");
    assert_eq!(site.0, retries, "retries");
    assert_eq!(site.1, GIVE_UPS.load(Relaxed), "give-ups");
    assert_eq!(site.2, FALLBACKS.load(Relaxed), "fallbacks");
    assert_eq!(site.3, REJECTED_GIVE_UPS.load(Relaxed), "rejections");
    assert_eq!(site.4, LIMITED_GIVE_UPS.load(Relaxed), "limited");
}
