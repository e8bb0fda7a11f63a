use retry_runtime::{rate_limit, RateLimited};

#[derive(Debug)]
struct ApiError;

impl From<RateLimited> for ApiError {
    fn from(_: RateLimited) -> Self {
        ApiError
    }
}

#[rate_limit(openai, rate = 10_000, per = "1m", cost = prompt.len())]
fn complete(prompt: &str) -> Result<usize, ApiError> {
    Ok(prompt.len())
}

fn main() {
    let _ = complete("hi");
}
