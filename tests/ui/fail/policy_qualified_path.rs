use retry_runtime::{retry_on_failure, RetryPolicy};

#[derive(Debug)]
struct ApiError;

trait Presets {
    const FAST: RetryPolicy;
}

struct Client;

impl Presets for Client {
    const FAST: RetryPolicy = RetryPolicy::fixed().max_attempts(2);
}

#[retry_on_failure(policy = <Client as Presets>::FAST)]
fn fetch() -> Result<u32, ApiError> {
    Ok(1)
}

fn main() {
    let _ = fetch();
}
