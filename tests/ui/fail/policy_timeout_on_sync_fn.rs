use std::time::Duration;

use retry_runtime::{retry_on_failure, RetryPolicy};

#[derive(Debug)]
struct ApiError;

const SLOW: RetryPolicy = RetryPolicy::exponential()
    .max_attempts(4)
    .timeout(Duration::from_secs(2));

#[retry_on_failure(policy = SLOW)]
fn fetch() -> Result<u32, ApiError> {
    Ok(1)
}

fn main() {
    let _ = fetch();
}
