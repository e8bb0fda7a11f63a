use retry_runtime::retry_on_failure;

#[derive(Debug)]
struct ApiError;

struct Client;

#[retry_on_failure(max_attempts = 3)]
impl Client {
    fn fetch(&self) -> Result<u32, ApiError> {
        Ok(1)
    }
}

fn main() {
    let _ = Client.fetch();
}
