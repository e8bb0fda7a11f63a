use retry_runtime::retry_on_failure;

#[derive(Debug)]
struct ApiError;

const ATTEMPTS: u32 = 3;

#[retry_on_failure(policy = ATTEMPTS)]
fn fetch() -> Result<u32, ApiError> {
    Ok(1)
}

fn main() {
    let _ = fetch();
}
