// The limiters and hedging on methods (sync, async, `&mut self`), in an `#[async_trait]`
// impl, with generic functions and borrowed arguments; the futures stay `Send`.
#![deny(warnings)]

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use retry_runtime::{concurrency_limit, fallback, rate_limit, retry_on_failure, RateLimited};

#[derive(Debug)]
enum Error {
    Limited(RateLimited),
    Down,
}

impl From<RateLimited> for Error {
    fn from(l: RateLimited) -> Self {
        Error::Limited(l)
    }
}

#[async_trait]
trait Provider: Send + Sync {
    async fn complete(&self, prompt: &str) -> Result<String, Error>;
}

struct Client {
    name: String,
    calls: u32,
}

#[async_trait]
impl Provider for Client {
    #[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
    #[concurrency_limit(ui_shapes_trait, max = 4, max_wait = "1s")]
    #[rate_limit(ui_shapes_trait_rate, rate = 1_000, per = "1m", cost = prompt.len() as u32)]
    async fn complete(&self, prompt: &str) -> Result<String, Error> {
        tokio::task::yield_now().await;
        Ok(format!("{}: {prompt}", self.name))
    }
}

impl Client {
    #[rate_limit("ui_shapes_sync", rate = 10, limited_error = Error::Limited)]
    fn name(&self) -> Result<&str, Error> {
        Ok(&self.name)
    }

    #[concurrency_limit(ui_shapes_mut, max = 1)]
    async fn bump(&mut self, by: u32) -> Result<u32, Error> {
        self.calls += by;
        Ok(self.calls)
    }

    #[fallback(to = Self::backup, hedge_after = "50ms")]
    #[rate_limit(ui_shapes_hedge, rate = 100, pause_on = |e| match e {
        Error::Down => Some(Duration::from_millis(1)),
        Error::Limited(_) => None,
    })]
    async fn ask(&self, prompt: String) -> Result<String, Error> {
        tokio::time::sleep(Duration::from_millis(100)).await;
        Ok(format!("slow {prompt}"))
    }

    async fn backup(&self, prompt: String) -> Result<String, Error> {
        Ok(format!("backup {prompt}"))
    }
}

#[concurrency_limit(ui_shapes_generic, max = 2)]
fn generic<T: Clone + std::fmt::Debug>(value: &T) -> Result<T, Error> {
    Ok(value.clone())
}

fn assert_send<T: Send>(_: &T) {}

#[tokio::main]
async fn main() {
    let client = Arc::new(Client { name: "c".into(), calls: 0 });
    let fut = {
        let client = client.clone();
        async move { client.complete("hi").await }
    };
    assert_send(&fut);
    assert_eq!(tokio::spawn(fut).await.unwrap().unwrap(), "c: hi");
    assert_eq!(client.name().unwrap(), "c");
    let ask = client.ask("q".to_string());
    assert_send(&ask);
    assert_eq!(ask.await.unwrap(), "backup q");
    let mut owned = Client { name: "d".into(), calls: 0 };
    assert_eq!(owned.bump(2).await.unwrap(), 2);
    assert_eq!(generic(&5u8).unwrap(), 5);
    let _ = Error::Down;
}
