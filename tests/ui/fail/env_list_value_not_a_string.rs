use retry_runtime::retry_on_failure;

#[derive(Debug)]
struct ApiError;

#[retry_on_failure(env(max_retries = LLM_MAX_RETRIES))]
fn fetch() -> Result<u32, ApiError> {
    Ok(1)
}

fn main() {
    let _ = fetch();
}
