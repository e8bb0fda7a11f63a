use retry_runtime::{retry_on_failure, AttemptTimedOut};

#[derive(Debug)]
struct ApiError;

impl From<AttemptTimedOut> for ApiError {
    fn from(_: AttemptTimedOut) -> Self {
        ApiError
    }
}

struct Client {
    timeout_ms: u64,
}

impl Client {
    #[retry_on_failure(timeout = self.timeout_ms)]
    async fn call(&self) -> Result<u32, ApiError> {
        Ok(1)
    }
}

fn main() {
    let _ = Client { timeout_ms: 3 }.call();
}
