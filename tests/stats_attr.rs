//! `stats()` per annotated function, counted on the failure paths of every layer, and the
//! `budget` key drawing retries from a shared budget.

use std::sync::atomic::{AtomicU32, Ordering};

use retry_runtime::{
    circuit_breaker, configure_budget, fallback, retry_on_failure, stats, CircuitOpen, RetryBudget,
    SiteStats,
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

fn listed(function: &str) -> SiteStats {
    stats()
        .into_iter()
        .find(|s| s.function == function)
        .unwrap_or_else(|| panic!("{function} is not in stats(): {:?}", stats()))
}

static FLAKY: AtomicU32 = AtomicU32::new(0);

#[retry_on_failure(max_attempts = 3, initial_delay = "0ms")]
fn stats_flaky(fail_first: u32) -> Result<u32, ApiError> {
    let n = FLAKY.fetch_add(1, Ordering::SeqCst);
    if n < fail_first {
        Err(ApiError::Down)
    } else {
        Ok(n)
    }
}

#[test]
fn retries_and_give_ups_are_counted_and_success_is_not_listed() {
    assert!(stats_flaky(0).is_ok());
    assert!(
        stats().iter().all(|s| s.function != "stats_flaky"),
        "a site joins the list on its first failure"
    );
    FLAKY.store(0, Ordering::SeqCst);
    assert!(stats_flaky(2).is_ok());
    FLAKY.store(0, Ordering::SeqCst);
    assert!(stats_flaky(5).is_err());
    let s = listed("stats_flaky");
    assert_eq!((s.retries, s.give_ups), (2 + 2, 1));
}

fn spare() -> Result<u32, ApiError> {
    Ok(7)
}

struct Svc;

impl Svc {
    #[fallback(to = spare_method)]
    #[circuit_breaker(stats_attr_breaker, failure_threshold = 1, reset_timeout = "60s")]
    fn guarded(&self) -> Result<u32, ApiError> {
        Err(ApiError::Down)
    }
}

fn spare_method(_: &Svc) -> Result<u32, ApiError> {
    spare()
}

#[test]
fn fallbacks_and_rejections_are_counted_per_method() {
    assert_eq!(Svc.guarded(), Ok(7)); // fails, opens the circuit, falls back
    assert_eq!(Svc.guarded(), Ok(7)); // rejected, falls back
    let s = listed("Svc::guarded");
    assert_eq!((s.fallbacks, s.rejections), (2, 1));
}

static BUDGETED: AtomicU32 = AtomicU32::new(0);

#[retry_on_failure(max_attempts = 5, initial_delay = "0ms", budget = "stats_attr_budget")]
fn budgeted() -> Result<u32, ApiError> {
    BUDGETED.fetch_add(1, Ordering::SeqCst);
    Err(ApiError::Down)
}

static BUDGETED_ASYNC: AtomicU32 = AtomicU32::new(0);

#[retry_on_failure(
    max_attempts = 5,
    initial_delay = "0ms",
    budget = "stats_attr_budget_async"
)]
async fn budgeted_async() -> Result<u32, ApiError> {
    BUDGETED_ASYNC.fetch_add(1, Ordering::SeqCst);
    Err(ApiError::Down)
}

#[test]
fn the_budget_key_draws_retries_from_the_named_budget() {
    // No reserve, and first attempts earn nothing: every retry is refused.
    let _ = configure_budget(
        "stats_attr_budget",
        RetryBudget::default().ratio(0.0).min_per_sec(0),
    );
    assert_eq!(budgeted(), Err(ApiError::Down));
    assert_eq!(BUDGETED.load(Ordering::SeqCst), 1, "no token: no retry");
    let s = listed("budgeted");
    assert_eq!((s.retries, s.give_ups, s.budget_refusals), (0, 1, 1));
}

#[tokio::test]
async fn the_budget_key_works_for_async_functions() {
    let _ = configure_budget(
        "stats_attr_budget_async",
        RetryBudget::default().ratio(0.5).min_per_sec(0),
    );
    // Each call deposits half a token for its first attempt: the second call can retry once.
    assert_eq!(budgeted_async().await, Err(ApiError::Down));
    assert_eq!(BUDGETED_ASYNC.load(Ordering::SeqCst), 1);
    assert_eq!(budgeted_async().await, Err(ApiError::Down));
    assert_eq!(BUDGETED_ASYNC.load(Ordering::SeqCst), 3);
    let s = listed("budgeted_async");
    assert_eq!((s.retries, s.budget_refusals), (1, 2));
}
