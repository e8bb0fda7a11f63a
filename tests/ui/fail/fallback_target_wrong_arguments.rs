use retry_runtime::fallback;

#[derive(Debug, Clone)]
struct ApiError;

fn backup(id: u32) -> Result<u32, ApiError> {
    Ok(id)
}

fn wrong_args(id: u32, extra: bool) -> Result<u32, ApiError> {
    Ok(if extra { id } else { 0 })
}

#[fallback(to = wrong_args)]
fn fetch(id: u32) -> Result<u32, ApiError> {
    let _ = backup(id);
    Err(ApiError)
}

fn main() {
    let _ = fetch(1);
}
