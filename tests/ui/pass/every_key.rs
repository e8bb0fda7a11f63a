use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use retry_runtime::{retry_on_failure, AttemptTimedOut, RetryEvent, RetryPolicy};

#[derive(Debug, thiserror::Error)]
enum ApiError {
    #[error("unavailable")]
    Unavailable,
    #[error("bad request")]
    BadRequest,
    #[error("rate limited")]
    RateLimited(Duration),
    #[error(transparent)]
    Timeout(#[from] AttemptTimedOut),
}

impl ApiError {
    fn is_transient(&self) -> bool {
        !matches!(self, ApiError::BadRequest)
    }
}

const BASE: RetryPolicy = RetryPolicy::exponential().max_attempts(2);

static CALLS: AtomicU32 = AtomicU32::new(0);
static RETRIES: AtomicU32 = AtomicU32::new(0);

// Every key but `max_retries`, which excludes `max_attempts` (see below).
#[retry_on_failure(
    policy = BASE,
    max_attempts = 4,
    backoff = exponential,
    initial_delay = "1ms",
    max_delay = "1.5s",
    multiplier = 1.5,
    jitter = 0.25,
    max_elapsed = "1m30s",
    timeout = "250ms",
    when = |e| e.is_transient(),
    unless = |e| matches!(e, ApiError::BadRequest),
    retry_after = |e| match e {
        ApiError::RateLimited(d) => Some(*d),
        _ => None,
    },
    on_retry = |event: &RetryEvent<'_, ApiError>| {
        RETRIES.fetch_add(1, Ordering::SeqCst);
        assert!(event.function.ends_with("fetch"));
    },
    on_give_up = |event| eprintln!("{} gave up after {}: {}", event.function, event.attempt, event.error),
    budget = "api",
    env = "UI_EVERY_KEY",
    crate = "::retry_runtime",
)]
async fn fetch() -> Result<u32, ApiError> {
    match CALLS.fetch_add(1, Ordering::SeqCst) {
        0 => Err(ApiError::Unavailable),
        1 => Err(ApiError::RateLimited(Duration::from_millis(2))),
        n => Ok(n + 1),
    }
}

#[retry_on_failure(max_retries = 0, backoff = fixed, jitter = none, initial_delay = "0s")]
fn once() -> Result<(), ApiError> {
    Err(ApiError::Unavailable)
}

#[retry_on_failure(backoff = linear, jitter = equal, max_delay = "10ms", initial_delay = "1ms")]
fn linear() -> Result<(), ApiError> {
    Ok(())
}

#[retry_on_failure(backoff = decorrelated, initial_delay = "1ms", max_delay = "2ms")]
fn decorrelated() -> Result<(), ApiError> {
    Ok(())
}

#[tokio::main]
async fn main() {
    assert_eq!(fetch().await.unwrap(), 3);
    assert_eq!(RETRIES.load(Ordering::SeqCst), 2);
    assert!(matches!(once(), Err(ApiError::Unavailable)));
    assert!(!ApiError::BadRequest.is_transient());
    assert!(linear().is_ok());
    assert!(decorrelated().is_ok());
}
