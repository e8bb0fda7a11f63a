use std::time::Duration;

use retry_runtime::{retry_on_failure, AttemptTimedOut, RetryPolicy};

#[derive(Debug)]
struct ApiError;

impl From<AttemptTimedOut> for ApiError {
    fn from(_: AttemptTimedOut) -> Self {
        ApiError
    }
}

const SLOW: RetryPolicy = RetryPolicy::exponential()
    .max_attempts(4)
    .timeout(Duration::from_secs(2));

#[retry_on_failure(policy = SLOW)]
async fn fetch() -> Result<u32, ApiError> {
    Ok(1)
}

fn main() {
    let _ = fetch();
}
