use retry_runtime::retry_on_failure;

type Count = u32;

#[retry_on_failure(max_attempts = 3)]
fn count() -> Count {
    1
}

fn main() {
    let _ = count();
}
