use retry_runtime::{retry_on_failure, RetryPolicy};

#[derive(Debug)]
struct ApiError;

const AWS: RetryPolicy = RetryPolicy::decorrelated().max_attempts(5);

#[retry_on_failure(policy = AWS, jitter = full)]
fn fetch() -> Result<u32, ApiError> {
    Ok(1)
}

fn main() {
    let _ = fetch();
}
