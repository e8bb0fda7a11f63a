use retry_runtime::retry_on_failure;

#[derive(Debug)]
struct ApiError;

fn send(body: String) -> Result<usize, ApiError> {
    Ok(body.len())
}

#[retry_on_failure(max_attempts = 3)]
fn upload(body: String) -> Result<usize, ApiError> {
    send(body)
}

fn main() {
    let _ = upload(String::from("payload"));
}
