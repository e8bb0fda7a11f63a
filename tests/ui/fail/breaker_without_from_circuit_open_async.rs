use retry_runtime::circuit_breaker;

#[derive(Debug)]
enum ApiError {
    Unavailable,
}

struct Client;

impl Client {
    #[circuit_breaker("openai", failure_threshold = 3)]
    async fn fetch(&self) -> Result<u32, ApiError> {
        Err(ApiError::Unavailable)
    }
}

fn main() {
    let _ = Client.fetch();
}
