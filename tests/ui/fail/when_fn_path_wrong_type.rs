use retry_runtime::retry_on_failure;

#[derive(Debug)]
struct ApiError;

fn is_transient(e: &std::io::Error) -> bool {
    e.kind() == std::io::ErrorKind::TimedOut
}

#[retry_on_failure(max_attempts = 3, when = is_transient)]
fn fetch() -> Result<u32, ApiError> {
    Ok(1)
}

fn main() {
    let _ = fetch();
}
