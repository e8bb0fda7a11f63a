use retry_runtime::retry_on_failure;

#[derive(Debug)]
enum ApiError {
    Timeout,
}

#[retry_on_failure(max_attempts = 3, timeout_error = |_| ApiError::Timeout)]
async fn call() -> Result<u32, ApiError> {
    Ok(1)
}

fn main() {
    let _ = call();
}
