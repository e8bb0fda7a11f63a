use std::time::Duration;

use retry_runtime::{retry_on_failure, RetryPolicy};

#[derive(Debug)]
struct ApiError;

const PROVIDER: RetryPolicy = RetryPolicy::exponential()
    .max_attempts(4)
    .max_delay(Duration::from_secs(1));

#[retry_on_failure(policy = PROVIDER, initial_delay = "5s")]
fn fetch() -> Result<u32, ApiError> {
    Ok(1)
}

fn main() {
    let _ = fetch();
}
