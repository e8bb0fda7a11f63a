use retry_runtime::{circuit_breaker, fallback, retry_on_failure};

#[derive(Debug)]
struct ApiError;

impl From<retry_runtime::CircuitOpen> for ApiError {
    fn from(_: retry_runtime::CircuitOpen) -> Self {
        ApiError
    }
}

fn backup() -> Result<u32, ApiError> {
    Ok(2)
}

#[fallback(to = backup, fallbacks = [backup])]
#[retry_on_failure(max_attempts = 0)]
#[circuit_breaker(openai, recovery_timeout = "30s")]
fn fetch() -> Result<u32, ApiError> {
    Ok(1)
}

fn main() {
    let _ = fetch();
}
