use retry_runtime::retry_on_failure;

#[derive(Debug)]
struct ApiError {
    status: u16,
}

#[retry_on_failure(max_attempts = 3, when = |e| e.status)]
fn fetch() -> Result<u32, ApiError> {
    Err(ApiError { status: 503 })
}

fn main() {
    let _ = fetch();
}
