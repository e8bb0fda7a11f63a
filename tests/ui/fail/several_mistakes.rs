use retry_runtime::retry_on_failure;

#[derive(Debug)]
struct ApiError;

#[retry_on_failure(max_attempts = 0, base_delay = "1s", max_delay = "30", jitter = 2.0, backoff = exponentail)]
fn fetch() -> Result<u32, ApiError> {
    Ok(1)
}

fn main() {
    let _ = fetch();
}
