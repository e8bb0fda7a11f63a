use retry_runtime::concurrency_limit;

#[derive(Debug)]
struct ApiError;

#[concurrency_limit("openai", max = 8)]
async fn fetch() -> Result<u32, ApiError> {
    Ok(1)
}

fn main() {
    let _ = fetch();
}
