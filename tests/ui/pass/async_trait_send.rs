use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

use async_trait::async_trait;
use retry_runtime::retry_on_failure;

#[derive(Debug)]
struct Overloaded;

#[async_trait]
trait Provider: Send + Sync {
    async fn complete(&self, prompt: &str) -> Result<String, Overloaded>;
    async fn reset(&mut self, to: u32) -> Result<u32, Overloaded>;
}

struct Flaky {
    calls: AtomicU32,
    fail: u32,
}

#[async_trait]
impl Provider for Flaky {
    #[retry_on_failure(max_attempts = 3, initial_delay = "1ms", when = |_e| true)]
    async fn complete(&self, prompt: &str) -> Result<String, Overloaded> {
        let n = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
        tokio::task::yield_now().await;
        if n <= self.fail {
            Err(Overloaded)
        } else {
            Ok(format!("{prompt}!"))
        }
    }

    #[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
    async fn reset(&mut self, to: u32) -> Result<u32, Overloaded> {
        *self.calls.get_mut() = to;
        Ok(to)
    }
}

fn assert_send<T: Send>(_: &T) {}

#[tokio::main]
async fn main() {
    let provider: Arc<dyn Provider> = Arc::new(Flaky { calls: AtomicU32::new(0), fail: 2 });
    let fut = {
        let provider = provider.clone();
        async move { provider.complete("hi").await }
    };
    assert_send(&fut);
    assert_eq!(tokio::spawn(fut).await.unwrap().unwrap(), "hi!");
    let mut flaky = Flaky { calls: AtomicU32::new(0), fail: 0 };
    assert_eq!(flaky.reset(5).await.unwrap(), 5);
}
