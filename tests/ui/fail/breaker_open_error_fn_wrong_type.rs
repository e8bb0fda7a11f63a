use retry_runtime::circuit_breaker;

/// An error type with no `From` impls.
#[derive(Debug)]
enum ApiError {
    Unavailable(u32),
}

/// Takes a number, not the `CircuitOpen` of a rejected call.
fn unavailable(code: u32) -> ApiError {
    ApiError::Unavailable(code)
}

#[circuit_breaker(openai, open_error = unavailable)]
fn fetch() -> Result<u32, ApiError> {
    Err(ApiError::Unavailable(503))
}

fn main() {
    let _ = fetch();
}
