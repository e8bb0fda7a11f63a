use retry_runtime::retry_on_failure;

#[derive(Debug)]
struct Overloaded;

struct Provider {
    calls: u32,
    log: Vec<String>,
}

impl Provider {
    // Each attempt borrows `self` and `prompt` afresh; a failed attempt's mutation is seen by
    // the next one.
    #[retry_on_failure(max_attempts = 5, initial_delay = "1ms", max_delay = "2ms")]
    async fn complete(&mut self, prompt: &str) -> Result<String, Overloaded> {
        self.calls += 1;
        self.log.push(prompt.to_owned());
        tokio::task::yield_now().await;
        if self.calls < 3 {
            return Err(Overloaded);
        }
        Ok(format!("{prompt} after {}", self.calls))
    }

    #[retry_on_failure(max_retries = 1, initial_delay = "0s")]
    async fn consume(mut self, extra: String) -> Result<Vec<String>, Overloaded> {
        self.log.push(extra.clone());
        Ok(self.log.clone())
    }
}

fn assert_send<T: Send>(_: T) {}

#[tokio::main]
async fn main() {
    let mut provider = Provider { calls: 0, log: Vec::new() };
    assert_send(provider.complete("x"));
    let handle = tokio::spawn(async move {
        let answer = provider.complete("hello").await.unwrap();
        (answer, provider)
    });
    let (answer, provider) = handle.await.unwrap();
    assert_eq!(answer, "hello after 3");
    assert_send(Provider { calls: 0, log: Vec::new() }.consume(String::new()));
    let log = tokio::spawn(provider.consume("bye".to_owned())).await.unwrap().unwrap();
    assert_eq!(log.len(), 4);
}
