use retry_runtime::retry_on_failure;

#[derive(Debug)]
enum ApiError {
    Empty,
}

#[retry_on_failure(validate = |text| !text.is_empty())]
fn complete() -> Result<String, ApiError> {
    Err(ApiError::Empty)
}

fn main() {
    let _ = complete();
}
