use retry_runtime::retry_on_failure;

#[retry_on_failure(max_attempts = 3)]
fn count() -> u32 {
    1
}

fn main() {
    let _ = count();
}
