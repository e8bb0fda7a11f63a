use retry_runtime::circuit_breaker;

#[derive(Debug)]
struct ApiError;

impl From<retry_runtime::CircuitOpen> for ApiError {
    fn from(_: retry_runtime::CircuitOpen) -> Self {
        ApiError
    }
}

#[circuit_breaker(openai, on_state_change = |change| println!("{}: {}", log_prefix, change))]
fn fetch(log_prefix: &str) -> Result<u32, ApiError> {
    let _ = log_prefix;
    Ok(1)
}

fn main() {
    let _ = fetch("api");
}
