use std::fmt::Display;

use retry_runtime::retry_on_failure;

#[derive(Debug, PartialEq)]
struct Empty;

#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
fn join(parts: impl IntoIterator<Item = impl Display> + Clone, sep: &impl AsRef<str>) -> Result<String, Empty> {
    let joined: Vec<String> = parts.clone().into_iter().map(|p| p.to_string()).collect();
    if joined.is_empty() {
        Err(Empty)
    } else {
        Ok(joined.join(sep.as_ref()))
    }
}

#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
async fn measure(text: impl AsRef<str> + Send, mut counter: impl FnMut() -> u32) -> Result<usize, Empty> {
    counter();
    Ok(text.as_ref().len())
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    assert_eq!(join([1, 2, 3], &","), Ok("1,2,3".to_string()));
    assert_eq!(join(Vec::<u8>::new(), &","), Err(Empty));
    let mut n = 0;
    assert_eq!(measure("four", || { n += 1; n }).await, Ok(4));
}
