use retry_runtime::circuit_breaker;

#[derive(Debug)]
struct ApiError;

impl From<retry_runtime::CircuitOpen> for ApiError {
    fn from(_: retry_runtime::CircuitOpen) -> Self {
        ApiError
    }
}

#[circuit_breaker(openai, rejected_error = |open| ApiError::from(open))]
fn fetch() -> Result<u32, ApiError> {
    Ok(1)
}

fn main() {
    let _ = fetch();
}
