use retry_runtime::retry_on_failure;

#[retry_on_failure(max_attempts = 3)]
fn send(message: &str) {
    println!("{message}");
}

fn main() {
    send("hello");
}
