use retry_runtime::retry_on_failure;

#[derive(Debug)]
struct ApiError;

#[retry_on_failure(max_retry_after = "0s")]
fn call() -> Result<u32, ApiError> {
    Ok(1)
}

fn main() {
    let _ = call();
}
