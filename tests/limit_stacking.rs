//! The limiters in a stack: a refusal below a retry ends the retry at once (no sleep, no
//! further attempt, nothing deposited in or withdrawn from its budget), a call the breaker
//! above rejects takes no turn of the limiter below, and the documented order of all five
//! attributes sends a refusal to the fallback.

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use retry_runtime::{
    breaker, circuit_breaker, concurrency_limit, configure_budget, fallback, limiter, rate_limit,
    retry_on_failure, stats, CircuitOpen, RateLimited, RetryBudget, SiteStats,
};
use tokio::time::Instant;

#[derive(Debug, Clone, PartialEq, Eq)]
enum ApiError {
    Down,
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

fn site(function: &str) -> SiteStats {
    stats()
        .into_iter()
        .find(|s| s.function == function)
        .unwrap_or_default()
}

// ---- retry over a rate limit ----

static RETRY_RUNS: AtomicU32 = AtomicU32::new(0);

#[retry_on_failure(max_attempts = 5, initial_delay = "1s", jitter = none, budget = "limit_stack_budget")]
#[rate_limit(limit_stack_retry, rate = 1, per = "1h", max_wait = "0s")]
async fn retry_over_limiter() -> Result<(), ApiError> {
    RETRY_RUNS.fetch_add(1, Ordering::SeqCst);
    Err(ApiError::Down)
}

#[tokio::test(start_paused = true)]
async fn a_refusal_below_a_retry_ends_it_at_once_and_spends_no_budget() {
    let budget = configure_budget("limit_stack_budget", RetryBudget::new());
    // The first attempt takes the one turn and fails; its retry sleeps 1 s and is refused.
    let start = Instant::now();
    assert_eq!(retry_over_limiter().await, Err(ApiError::Limited));
    assert_eq!(
        start.elapsed(),
        Duration::from_secs(1),
        "one sleep, then no more"
    );
    assert_eq!(RETRY_RUNS.load(Ordering::SeqCst), 1);
    let s = site("retry_over_limiter");
    assert_eq!((s.retries, s.give_ups, s.limited), (1, 1, 1));

    // A refused first attempt: no sleep, no deposit, no withdrawal.
    let available = budget.available();
    let start = Instant::now();
    assert_eq!(retry_over_limiter().await, Err(ApiError::Limited));
    assert_eq!(start.elapsed(), Duration::ZERO);
    assert_eq!(budget.available(), available);
    assert_eq!(
        RETRY_RUNS.load(Ordering::SeqCst),
        1,
        "the body never ran again"
    );
    let s = site("retry_over_limiter");
    assert_eq!((s.retries, s.give_ups, s.limited), (1, 2, 2));
}

static SYNC_RUNS: AtomicU32 = AtomicU32::new(0);

#[retry_on_failure(max_attempts = 5, initial_delay = "0ms")]
#[concurrency_limit(limit_stack_sync, max = 1, max_wait = "0s")]
fn sync_retry_over_concurrency(depth: u32) -> Result<(), ApiError> {
    SYNC_RUNS.fetch_add(1, Ordering::SeqCst);
    if depth > 0 {
        // The inner call finds the one slot taken: refused, and its retry ends at once.
        assert_eq!(
            sync_retry_over_concurrency(depth - 1),
            Err(ApiError::Limited)
        );
    }
    Err(ApiError::Down)
}

#[test]
fn a_sync_refusal_below_a_retry_ends_it_at_once() {
    assert_eq!(sync_retry_over_concurrency(1), Err(ApiError::Down));
    // Five outer attempts, each with one refused inner call that never ran its body.
    assert_eq!(SYNC_RUNS.load(Ordering::SeqCst), 5);
    let s = site("sync_retry_over_concurrency");
    assert_eq!(s.limited, 5);
}

// ---- breaker over a rate limit: a rejected call takes no turn ----

#[circuit_breaker(limit_stack_breaker, failure_threshold = 100)]
#[rate_limit(limit_stack_breaker_rate, rate = 1, per = "1h", max_wait = "0s")]
fn breaker_over_limiter() -> Result<u32, ApiError> {
    Ok(7)
}

#[test]
fn a_call_the_breaker_rejects_takes_no_turn_of_the_limiter() {
    let _ = breaker_over_limiter(); // registers both, takes the turn
    limiter("limit_stack_breaker_rate")
        .unwrap()
        .set_rate(1, Duration::from_secs(3600))
        .unwrap();
    let cb = breaker("limit_stack_breaker").unwrap();
    cb.force_open();
    let refused_before = limiter("limit_stack_breaker_rate")
        .unwrap()
        .snapshot()
        .refused;
    for _ in 0..50 {
        assert_eq!(breaker_over_limiter(), Err(ApiError::Open));
    }
    let snap = limiter("limit_stack_breaker_rate").unwrap().snapshot();
    assert_eq!(snap.refused, refused_before, "the limiter was never asked");
    assert_eq!(site("breaker_over_limiter").rejections, 50);
    cb.force_closed();
}

// ---- the documented order: fallback, retry, breaker, concurrency limit, rate limit ----

static FULL_RUNS: AtomicU32 = AtomicU32::new(0);

#[fallback(to = cached)]
#[retry_on_failure(max_attempts = 3, initial_delay = "100ms", jitter = none)]
#[circuit_breaker(limit_stack_full, failure_threshold = 10)]
#[concurrency_limit(limit_stack_full_conc, max = 4)]
#[rate_limit(limit_stack_full_rate, rate = 2, per = "1h", max_wait = "1s")]
async fn documented_order(fail: bool) -> Result<&'static str, ApiError> {
    FULL_RUNS.fetch_add(1, Ordering::SeqCst);
    if fail {
        Err(ApiError::Down)
    } else {
        Ok("live")
    }
}

async fn cached(_fail: bool) -> Result<&'static str, ApiError> {
    Ok("cached")
}

#[tokio::test(start_paused = true)]
async fn the_documented_order_sends_a_refusal_to_the_fallback() {
    assert_eq!(documented_order(false).await, Ok("live"));
    // One turn left: the first attempt fails, the retry is refused at once, the fallback answers.
    let start = Instant::now();
    assert_eq!(documented_order(true).await, Ok("cached"));
    assert_eq!(
        start.elapsed(),
        Duration::from_millis(100),
        "one backoff sleep"
    );
    assert_eq!(FULL_RUNS.load(Ordering::SeqCst), 2);
    let s = site("documented_order");
    assert_eq!((s.limited, s.fallbacks, s.retries), (1, 1, 1));
    assert_eq!(
        retry_runtime::concurrency_limit("limit_stack_full_conc")
            .unwrap()
            .snapshot()
            .in_flight,
        0
    );
}

// ---- a refusal is no verdict on the backend: the breaker above does not count it ----

#[circuit_breaker(limit_stack_verdict, failure_threshold = 2, reset_timeout = "60s")]
#[rate_limit(limit_stack_verdict_rate, rate = 1, per = "1h", max_wait = "0s")]
fn breaker_over_refusals() -> Result<u32, ApiError> {
    Ok(1)
}

#[test]
fn a_breaker_above_a_limiter_does_not_count_its_refusals_as_failures() {
    assert_eq!(breaker_over_refusals(), Ok(1));
    for _ in 0..10 {
        assert_eq!(breaker_over_refusals(), Err(ApiError::Limited));
    }
    let cb = breaker("limit_stack_verdict").unwrap();
    assert_eq!(cb.state(), retry_runtime::State::Closed);
    assert_eq!(cb.snapshot().consecutive_failures, 0);
}
