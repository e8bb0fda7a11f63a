use retry_runtime::rate_limit;

#[derive(Debug)]
struct ApiError;

#[rate_limit(openai, rate = 10)]
fn fetch() -> Result<u32, ApiError> {
    Ok(1)
}

fn main() {
    let _ = fetch();
}
