use std::time::Duration;

use retry_runtime::retry_on_failure;

#[derive(Debug)]
struct ApiError {
    wait: Duration,
}

#[retry_on_failure(max_attempts = 3, retry_after = |e| e.wait)]
fn fetch() -> Result<u32, ApiError> {
    Err(ApiError { wait: Duration::from_secs(1) })
}

fn main() {
    let _ = fetch();
}
