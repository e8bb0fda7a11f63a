use retry_runtime::retry_on_failure;

#[derive(Debug)]
struct ApiError;

async fn send(body: String) -> Result<usize, ApiError> {
    Ok(body.len())
}

#[retry_on_failure(max_attempts = 3)]
async fn upload(body: String) -> Result<usize, ApiError> {
    send(body).await
}

fn main() {
    let _ = upload(String::from("payload"));
}
