//! A retry budget under a breaker below the retry: a call the open circuit rejects (its body
//! never ran) deposits nothing, so a long outage cannot fill the budget and pay for a retry
//! storm once the circuit closes again.

use std::sync::atomic::{AtomicU32, Ordering};

use retry_runtime::{
    breaker, circuit_breaker, configure_budget, retry_on_failure, CircuitOpen, RetryBudget,
};

#[derive(Debug, Clone, PartialEq, Eq)]
enum ApiError {
    Down,
    Open,
}

impl From<CircuitOpen> for ApiError {
    fn from(_: CircuitOpen) -> Self {
        ApiError::Open
    }
}

/// The budget's defaults: ratio 0.1, 10 per second over a 10 s ttl (a reserve of 100).
const BUDGET: RetryBudget = RetryBudget::new();
const REJECTED: u32 = 100_000;
const FAILING: u32 = 1_000;

/// The most body runs `FAILING` calls may make: one first attempt each, plus `ratio` of them
/// and the reserve as retries.
fn bound() -> u32 {
    let reserve = f64::from(BUDGET.get_min_per_sec()) * BUDGET.get_ttl().as_secs_f64();
    (f64::from(FAILING) * (1.0 + BUDGET.get_ratio()) + reserve) as u32
}

static SYNC_RUNS: AtomicU32 = AtomicU32::new(0);

#[retry_on_failure(max_attempts = 5, initial_delay = "0ms", budget = "admission_sync")]
#[circuit_breaker(admission_sync)]
fn sync_call() -> Result<(), ApiError> {
    SYNC_RUNS.fetch_add(1, Ordering::Relaxed);
    Err(ApiError::Down)
}

#[test]
fn rejected_calls_deposit_nothing_sync() {
    configure_budget("admission_sync", BUDGET);
    // Registers the site's breaker, then opens it by hand.
    let _ = sync_call();
    let cb = breaker("admission_sync").unwrap();
    cb.force_open();
    SYNC_RUNS.store(0, Ordering::Relaxed);
    for _ in 0..REJECTED {
        assert_eq!(sync_call(), Err(ApiError::Open));
    }
    assert_eq!(
        SYNC_RUNS.load(Ordering::Relaxed),
        0,
        "no body ran while open"
    );
    cb.force_closed();
    for _ in 0..FAILING {
        assert_eq!(sync_call(), Err(ApiError::Down));
    }
    let runs = SYNC_RUNS.load(Ordering::Relaxed);
    assert!(runs <= bound(), "{runs} body runs, more than {}", bound());
}

static ASYNC_RUNS: AtomicU32 = AtomicU32::new(0);

#[retry_on_failure(max_attempts = 5, initial_delay = "0ms", budget = "admission_async")]
#[circuit_breaker(admission_async)]
async fn async_call() -> Result<(), ApiError> {
    ASYNC_RUNS.fetch_add(1, Ordering::Relaxed);
    Err(ApiError::Down)
}

#[tokio::test(start_paused = true)]
async fn rejected_calls_deposit_nothing_async() {
    configure_budget("admission_async", BUDGET);
    let _ = async_call().await;
    let cb = breaker("admission_async").unwrap();
    cb.force_open();
    ASYNC_RUNS.store(0, Ordering::Relaxed);
    for _ in 0..REJECTED {
        assert_eq!(async_call().await, Err(ApiError::Open));
    }
    assert_eq!(
        ASYNC_RUNS.load(Ordering::Relaxed),
        0,
        "no body ran while open"
    );
    cb.force_closed();
    for _ in 0..FAILING {
        assert_eq!(async_call().await, Err(ApiError::Down));
    }
    let runs = ASYNC_RUNS.load(Ordering::Relaxed);
    assert!(runs <= bound(), "{runs} body runs, more than {}", bound());
}
