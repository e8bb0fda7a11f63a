//! `policy = Self::POLICY` and a generic type's associated policy, inside impls.
use std::time::Duration;

use retry_runtime::{retry_on_failure, RetryPolicy};

struct Provider;

impl Provider {
    const POLICY: RetryPolicy = RetryPolicy::fixed()
        .max_attempts(2)
        .initial_delay(Duration::ZERO);

    #[retry_on_failure(policy = Self::POLICY)]
    fn call(&self, calls: &mut u32) -> Result<(), ()> {
        *calls += 1;
        Err(())
    }

    #[retry_on_failure(policy = Self::POLICY, max_attempts = 3)]
    async fn call_async(&self, calls: &std::cell::Cell<u32>) -> Result<(), ()> {
        calls.set(calls.get() + 1);
        Err(())
    }
}

trait Tuned {
    const POLICY: RetryPolicy;
}

struct Fast;
impl Tuned for Fast {
    const POLICY: RetryPolicy = RetryPolicy::fixed()
        .max_attempts(4)
        .initial_delay(Duration::ZERO);
}

#[retry_on_failure(policy = T::POLICY)]
fn generic<T: Tuned>(calls: &mut u32) -> Result<(), ()> {
    *calls += 1;
    Err(())
}

fn main() {
    let mut calls = 0;
    let _ = Provider.call(&mut calls);
    assert_eq!(calls, 2);
    let calls = std::cell::Cell::new(0);
    let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
    let _ = rt.block_on(Provider.call_async(&calls));
    assert_eq!(calls.get(), 3);
    let mut calls = 0;
    let _ = generic::<Fast>(&mut calls);
    assert_eq!(calls, 4);
}
