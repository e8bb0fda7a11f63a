use retry_runtime::retry_on_failure;

#[derive(Debug)]
struct ApiError;

#[retry_on_failure(max_delay = "1s", initial_delay = "5s")]
fn fetch() -> Result<u32, ApiError> {
    Ok(1)
}

fn main() {
    let _ = fetch();
}
