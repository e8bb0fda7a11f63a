use retry_runtime::retry_on_failure;

#[derive(Debug)]
struct Offline;

#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
fn ids(limit: u32) -> Result<impl Iterator<Item = u32>, Offline> {
    Ok((0..limit).map(|i| i * 2))
}

#[retry_on_failure(max_attempts = 2, initial_delay = "0s", when = |_e| true)]
async fn names<'a>(all: &'a [&'a str]) -> Result<impl Iterator<Item = &'a str> + 'a, Offline> {
    Ok(all.iter().copied().filter(|n| !n.is_empty()))
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    assert_eq!(ids(3).unwrap().collect::<Vec<_>>(), [0, 2, 4]);
    assert_eq!(names(&["a", "", "b"]).await.unwrap().count(), 2);
}
