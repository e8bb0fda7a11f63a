use retry_runtime::fallback;

#[derive(Debug, Clone)]
struct ApiError;

fn backup(id: u32) -> Result<u32, ApiError> {
    Ok(id)
}

#[fallback(to = [backup, 3])]
fn fetch(id: u32) -> Result<u32, ApiError> {
    let _ = backup(id);
    Err(ApiError)
}

fn main() {
    let _ = fetch(1);
}
