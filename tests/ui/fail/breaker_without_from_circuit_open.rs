use retry_runtime::circuit_breaker;

#[derive(Debug)]
struct ApiError;

#[circuit_breaker(openai)]
fn fetch() -> Result<u32, ApiError> {
    Ok(1)
}

fn main() {
    let _ = fetch();
}
