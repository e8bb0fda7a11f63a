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

// Each wrong predicate is reported once, at the closure: in an async retry, a retry over a
// breaker, a breaker's and a fallback's `when`, and a `when` followed by other options.
#[retry_on_failure(max_attempts = 3, when = |e: &std::io::Error| e.kind() == std::io::ErrorKind::TimedOut)]
async fn fetch_async() -> Result<u32, ApiError> {
    Ok(1)
}

#[retry_on_failure(max_attempts = 3, when = |e: &std::io::Error| e.kind() == std::io::ErrorKind::TimedOut)]
#[circuit_breaker("when_in_stack_a")]
fn fetch_retry_over_breaker() -> Result<u32, ApiError> {
    Ok(1)
}

#[circuit_breaker("when_in_stack_b", when = |e: &std::io::Error| e.kind() == std::io::ErrorKind::TimedOut)]
fn fetch_breaker() -> Result<u32, ApiError> {
    Ok(1)
}

#[fallback(to = backup, when = |e: &std::io::Error| e.kind() == std::io::ErrorKind::TimedOut)]
fn fetch_fallback() -> Result<u32, ApiError> {
    Ok(1)
}

#[fallback(to = backup)]
#[retry_on_failure(when = |e: &std::io::Error| e.kind() == std::io::ErrorKind::TimedOut, unless = |_e| false, on_retry = |_ev| ())]
fn fetch_more_options() -> Result<u32, ApiError> {
    Ok(1)
}

fn main() {
    let _ = fetch_async();
    let _ = fetch_retry_over_breaker();
    let _ = fetch_breaker();
    let _ = fetch_fallback();
    let _ = fetch_more_options();
}
