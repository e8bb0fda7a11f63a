use retry_runtime::{retry_on_failure, AttemptTimedOut};

#[derive(Debug)]
struct ApiError;

impl From<AttemptTimedOut> for ApiError {
    fn from(_: AttemptTimedOut) -> Self {
        ApiError
    }
}

#[retry_on_failure(max_attempts = 3, timeout = "0s")]
async fn fetch() -> Result<u32, ApiError> {
    Ok(1)
}

fn main() {
    let _ = fetch();
}
