use retry_runtime::{circuit_breaker, fallback, retry_on_failure};

#[derive(Debug)]
struct ApiError;

fn backup(host: &str) -> Result<u32, ApiError> {
    let _ = host;
    Ok(2)
}

// The breaker is not the outermost attribute: the missing `From<CircuitOpen>` is still
// reported at its name.
#[fallback(to = backup)]
#[retry_on_failure(max_attempts = 3, initial_delay = "1ms")]
#[circuit_breaker(openai, key = host, failure_threshold = 3)]
fn fetch(host: &str) -> Result<u32, ApiError> {
    Ok(1)
}

fn main() {
    let _ = fetch("a");
}
