use std::cell::Cell;
use std::time::Duration;

use retry_runtime::{retry_on_failure, Jitter, RetryPolicy};

#[derive(Debug, PartialEq)]
struct Overloaded;

const PROVIDER: RetryPolicy = RetryPolicy::exponential()
    .max_attempts(4)
    .initial_delay(Duration::from_millis(200))
    .max_delay(Duration::from_secs(5))
    .jitter(Jitter::Full);

mod presets {
    use super::*;
    pub const FAST: RetryPolicy = RetryPolicy::fixed().initial_delay(Duration::ZERO);
}

// Keys beside `policy` override its fields; both delays together are checked against each
// other only, so a smaller pair than the policy's is fine.
#[retry_on_failure(policy = PROVIDER, max_attempts = 6, initial_delay = "0s", max_delay = "1ms", jitter = none)]
fn complete(calls: &Cell<u32>) -> Result<u32, Overloaded> {
    calls.set(calls.get() + 1);
    if calls.get() < 6 {
        Err(Overloaded)
    } else {
        Ok(calls.get())
    }
}

// A path into a module, and a backoff change on top of the policy.
#[retry_on_failure(policy = presets::FAST, backoff = linear, max_retries = 1)]
fn twice(calls: &Cell<u32>) -> Result<(), Overloaded> {
    calls.set(calls.get() + 1);
    Err(Overloaded)
}

fn main() {
    let calls = Cell::new(0);
    assert_eq!(complete(&calls), Ok(6));
    let calls = Cell::new(0);
    assert_eq!(twice(&calls), Err(Overloaded));
    assert_eq!(calls.get(), 2);
}
