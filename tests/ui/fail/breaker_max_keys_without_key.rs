use retry_runtime::circuit_breaker;

#[derive(Debug)]
struct ApiError;

impl From<retry_runtime::CircuitOpen> for ApiError {
    fn from(_: retry_runtime::CircuitOpen) -> Self {
        ApiError
    }
}

#[circuit_breaker(openai, max_keys = 100)]
fn fetch(host: &str) -> Result<u32, ApiError> {
    let _ = host;
    Ok(1)
}

fn main() {
    let _ = fetch("a");
}
