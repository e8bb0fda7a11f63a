use retry_runtime::retry_on_failure;

#[derive(Debug)]
struct ApiError;

trait Provider {
    #[retry_on_failure(max_attempts = 3)]
    fn complete(&self, prompt: &str) -> Result<String, ApiError>;
}

fn main() {}
