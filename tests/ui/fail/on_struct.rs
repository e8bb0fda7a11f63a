use retry_runtime::retry_on_failure;

#[retry_on_failure(max_attempts = 3)]
struct Client {
    url: String,
}

fn main() {
    let _ = Client { url: String::new() }.url;
}
