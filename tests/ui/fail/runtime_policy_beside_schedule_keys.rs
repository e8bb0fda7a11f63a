use retry_runtime::{retry_on_failure, RetryPolicy};

#[derive(Debug)]
struct ApiError;

struct Client {
    policy: RetryPolicy,
}

impl Client {
    #[retry_on_failure(max_attempts = 5, policy = self.policy, initial_delay = "1s", env = "LLM")]
    fn call(&self) -> Result<u32, ApiError> {
        Ok(1)
    }
}

fn main() {
    let _ = Client { policy: RetryPolicy::default() }.call();
}
