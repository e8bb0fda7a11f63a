use retry_runtime::fallback;

#[derive(Debug)]
struct ApiError;

fn backup(id: u32) -> Result<u32, ApiError> {
    Ok(id)
}

#[fallback(to = backup)]
async fn fetch(id: u32) -> Result<u32, ApiError> {
    Ok(id)
}

fn main() {
    let _ = fetch(1);
}
