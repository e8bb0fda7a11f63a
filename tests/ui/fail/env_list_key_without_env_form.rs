use retry_runtime::retry_on_failure;

#[derive(Debug)]
struct ApiError;

#[retry_on_failure(max_attempts = 3, env(when = "X"))]
fn fetch() -> Result<u32, ApiError> {
    Ok(1)
}

fn main() {
    let _ = fetch();
}
