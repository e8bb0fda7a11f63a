use std::cell::Cell;
use std::time::Duration;

use retry_runtime::{retry_on_failure, RetryPolicy};

#[derive(Debug, PartialEq)]
struct Unavailable;

static SHARED: RetryPolicy = RetryPolicy::fixed()
    .max_attempts(3)
    .initial_delay(Duration::from_millis(1));

#[retry_on_failure(policy = SHARED)]
fn fetch(calls: &Cell<u32>) -> Result<u32, Unavailable> {
    calls.set(calls.get() + 1);
    Err(Unavailable)
}

#[retry_on_failure(policy = SHARED, max_attempts = 2)]
async fn fetch_async(calls: &Cell<u32>) -> Result<u32, Unavailable> {
    calls.set(calls.get() + 1);
    Err(Unavailable)
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let calls = Cell::new(0);
    assert_eq!(fetch(&calls), Err(Unavailable));
    assert_eq!(calls.get(), 3);
    let calls = Cell::new(0);
    assert_eq!(fetch_async(&calls).await, Err(Unavailable));
    assert_eq!(calls.get(), 2);
}
