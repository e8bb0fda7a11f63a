use std::cell::Cell;
use std::time::Duration;

use retry_runtime::retry_on_failure;

#[derive(Debug)]
enum ApiError {
    Unavailable,
    Forbidden,
    RateLimited { retry_in: Duration },
}

impl ApiError {
    fn is_transient(&self) -> bool {
        !matches!(self, ApiError::Forbidden)
    }

    fn retry_after(&self) -> Option<Duration> {
        match self {
            ApiError::RateLimited { retry_in } => Some(*retry_in),
            _ => None,
        }
    }
}

// No closure argument carries a type: each is inferred from the return type.
#[retry_on_failure(
    max_attempts = 4,
    initial_delay = "1ms",
    when = |e| e.is_transient(),
    unless = |e| matches!(e, ApiError::Forbidden),
    retry_after = |e| e.retry_after(),
    on_retry = |event| assert!(event.attempt < 3, "{}: {:?} {:?}", event.function, event.error, event.delay),
    on_give_up = |event| assert!(event.error.retry_after().is_none(), "{:?}", event.elapsed),
)]
fn call(calls: &Cell<u32>) -> Result<u32, ApiError> {
    calls.set(calls.get() + 1);
    match calls.get() {
        1 => Err(ApiError::Unavailable),
        2 => Err(ApiError::RateLimited { retry_in: Duration::from_millis(1) }),
        _ => Err(ApiError::Forbidden),
    }
}

// The same in an async fn, with a closure capturing a local from the enclosing scope.
#[retry_on_failure(max_attempts = 2, initial_delay = "0s", when = |e| e.is_transient(), on_give_up = |event| assert_eq!(event.attempt, 2))]
async fn call_async(calls: &Cell<u32>) -> Result<(), ApiError> {
    calls.set(calls.get() + 1);
    Err(ApiError::Unavailable)
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let calls = Cell::new(0);
    assert!(matches!(call(&calls), Err(ApiError::Forbidden)));
    assert_eq!(calls.get(), 3);
    let calls = Cell::new(0);
    assert!(matches!(call_async(&calls).await, Err(ApiError::Unavailable)));
    assert_eq!(calls.get(), 2);
}
