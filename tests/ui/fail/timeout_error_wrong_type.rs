use retry_runtime::retry_on_failure;

#[derive(Debug)]
enum ApiError {
    Timeout,
}

#[retry_on_failure(timeout = "2s", timeout_error = |_| "timed out")]
async fn call() -> Result<u32, ApiError> {
    Err(ApiError::Timeout)
}

fn main() {
    let _ = call();
}
