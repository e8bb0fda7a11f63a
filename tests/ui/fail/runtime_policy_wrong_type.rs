use retry_runtime::retry_on_failure;

#[derive(Debug)]
struct ApiError;

struct Client {
    attempts: u32,
}

impl Client {
    #[retry_on_failure(policy = self.attempts)]
    fn call(&self) -> Result<u32, ApiError> {
        Ok(1)
    }
}

fn main() {
    let _ = Client { attempts: 3 }.call();
}
