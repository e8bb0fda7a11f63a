use retry_runtime::fallback;

#[derive(Debug, Clone)]
struct ApiError;

fn backup(id: u32) -> Result<u32, ApiError> {
    Ok(id)
}

#[fallback(to = backup, on_fallback = |e: &u32| drop(e))]
fn fetch(id: u32) -> Result<u32, ApiError> {
    let _ = backup(id);
    Err(ApiError)
}

fn main() {
    let _ = fetch(1);
}
