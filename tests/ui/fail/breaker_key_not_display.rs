use retry_runtime::circuit_breaker;

#[derive(Debug)]
struct ApiError;

impl From<retry_runtime::CircuitOpen> for ApiError {
    fn from(_: retry_runtime::CircuitOpen) -> Self {
        ApiError
    }
}

/// A key type that cannot be shown.
struct Region {
    id: u8,
}

#[circuit_breaker(openai, key = region)]
fn fetch(region: &Region) -> Result<u8, ApiError> {
    Ok(region.id)
}

fn main() {
    let _ = fetch(&Region { id: 1 });
}
