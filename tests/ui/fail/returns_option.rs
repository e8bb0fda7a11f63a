use retry_runtime::retry_on_failure;

#[retry_on_failure(max_attempts = 3)]
fn find(id: u32) -> Option<u32> {
    Some(id)
}

fn main() {
    let _ = find(1);
}
