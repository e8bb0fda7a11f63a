use retry_runtime::circuit_breaker;

/// An error type with no `From` impls.
#[derive(Debug)]
enum ApiError {
    Unavailable(String),
}

// `open_error` must build an `ApiError`, and this closure builds a `String`.
#[circuit_breaker(openai, open_error = |open| open.to_string())]
fn fetch() -> Result<u32, ApiError> {
    Err(ApiError::Unavailable("down".into()))
}

fn main() {
    let _ = fetch();
}
