use retry_runtime::{retry_on_failure, RetryPolicy};

#[derive(Debug)]
struct ApiError;

struct Client {
    policy: RetryPolicy,
}

impl Client {
    #[retry_on_failure(policy = self.policy, env(max_retries = "LLM_MAX_RETRIES"))]
    fn call(&self) -> Result<u32, ApiError> {
        Ok(1)
    }
}

fn main() {
    let _ = Client { policy: RetryPolicy::default() }.call();
}
