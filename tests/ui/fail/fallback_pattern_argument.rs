use retry_runtime::fallback;

#[derive(Debug)]
struct ApiError;

fn backup(pair: (u32, u32)) -> Result<u32, ApiError> {
    Ok(pair.0)
}

#[fallback(to = backup)]
fn fetch((a, b): (u32, u32)) -> Result<u32, ApiError> {
    Ok(a + b)
}

fn main() {
    let _ = fetch((1, 2));
}
