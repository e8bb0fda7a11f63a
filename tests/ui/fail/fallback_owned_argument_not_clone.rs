use retry_runtime::fallback;

#[derive(Debug)]
struct ApiError;

struct Request(u32);

fn second(r: Request) -> Result<u32, ApiError> {
    Ok(r.0)
}

fn third(r: Request) -> Result<u32, ApiError> {
    Ok(r.0)
}

#[fallback(to = [second, third])]
fn fetch(r: Request) -> Result<u32, ApiError> {
    Ok(r.0)
}

fn main() {
    let _ = fetch(Request(1));
}
