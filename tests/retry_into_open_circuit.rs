//! No sleep into a certain rejection: when an attempt's failure opens the breaker below a retry
//! for longer than the next sleep, the retry returns that failure's own error at once. A dead
//! backend takes exactly `failure_threshold` calls, whatever the jitter draws, and no time
//! passes after the failure that opened the circuit.

use std::cell::Cell;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Mutex;

use retry_runtime::{breaker, circuit_breaker, retry_on_failure, CircuitOpen, State};
use tokio::time::Instant;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Error {
    Down(u32),
    Open,
}

impl From<CircuitOpen> for Error {
    fn from(_: CircuitOpen) -> Self {
        Error::Open
    }
}

static ASYNC_RUNS: AtomicU32 = AtomicU32::new(0);
static LAST_RUN: Mutex<Option<Instant>> = Mutex::new(None);

// Full jitter over 1 s .. 10 s: every sleep is shorter than the 30 s the circuit stays open.
#[retry_on_failure(max_attempts = 10, initial_delay = "1s", max_delay = "10s", jitter = full)]
#[circuit_breaker(doomed_async, failure_threshold = 3, reset_timeout = "30s")]
async fn dead_backend() -> Result<(), Error> {
    let n = ASYNC_RUNS.fetch_add(1, Ordering::SeqCst) + 1;
    *LAST_RUN.lock().unwrap() = Some(Instant::now());
    Err(Error::Down(n))
}

#[tokio::test(start_paused = true)]
async fn async_retry_gives_up_when_its_failure_opens_the_circuit() {
    let cb = breaker_named("doomed_async", || async { dead_backend().await }).await;
    for call in 0..50 {
        cb.reset();
        let before = ASYNC_RUNS.load(Ordering::SeqCst);
        let result = dead_backend().await;
        let runs = ASYNC_RUNS.load(Ordering::SeqCst) - before;
        // The third failure's own error, not a rejection; exactly three body runs.
        assert_eq!(result, Err(Error::Down(before + 3)), "call {call}");
        assert_eq!(runs, 3, "call {call}");
        assert_eq!(cb.state(), State::Open);
        // No time passed after the failure that opened the circuit.
        assert_eq!(
            LAST_RUN.lock().unwrap().unwrap(),
            Instant::now(),
            "call {call}"
        );
    }
    // While open, a call is rejected at once and the body does not run.
    let before = ASYNC_RUNS.load(Ordering::SeqCst);
    assert_eq!(dead_backend().await, Err(Error::Open));
    assert_eq!(ASYNC_RUNS.load(Ordering::SeqCst), before);
}

/// The breaker named `name`, registered by a first call of `first`.
async fn breaker_named<F, Fut>(name: &str, first: F) -> &'static retry_runtime::CircuitBreaker
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = Result<(), Error>>,
{
    let _ = first().await;
    breaker(name).expect("registered by its first call")
}

thread_local! {
    static SYNC_RUNS: Cell<u32> = const { Cell::new(0) };
}

// A sleep longer than the open time: the next attempt is a probe, so the retry sleeps.
#[retry_on_failure(max_attempts = 4, initial_delay = "2ms", jitter = none, backoff = fixed)]
#[circuit_breaker(doomed_sync, failure_threshold = 2, reset_timeout = "1ms")]
fn short_open() -> Result<(), Error> {
    SYNC_RUNS.with(|r| r.set(r.get() + 1));
    Err(Error::Down(SYNC_RUNS.with(Cell::get)))
}

#[retry_on_failure(max_attempts = 4, initial_delay = "1ms", jitter = none, backoff = fixed)]
#[circuit_breaker(doomed_sync_long, failure_threshold = 2, reset_timeout = "1h")]
fn long_open() -> Result<(), Error> {
    SYNC_RUNS.with(|r| r.set(r.get() + 1));
    Err(Error::Down(SYNC_RUNS.with(Cell::get)))
}

#[test]
fn sync_retry_gives_up_only_when_the_circuit_outlasts_the_sleep() {
    SYNC_RUNS.with(|r| r.set(0));
    // Open for an hour after the second failure: give up with its error, two runs.
    assert_eq!(long_open(), Err(Error::Down(2)));
    assert_eq!(SYNC_RUNS.with(Cell::get), 2);
    // Open for 1 ms, sleep 2 ms: the retry sleeps through it and probes, up to its attempts.
    SYNC_RUNS.with(|r| r.set(0));
    let result = short_open();
    assert_eq!(SYNC_RUNS.with(Cell::get), 4, "{result:?}");
    assert_eq!(result, Err(Error::Down(4)));
}
