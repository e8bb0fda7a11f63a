use std::cell::Cell;
use std::rc::Rc;

use async_trait::async_trait;
use retry_runtime::retry_on_failure;

#[derive(Debug)]
struct Busy;

#[async_trait(?Send)]
trait Local {
    async fn next(&self) -> Result<u32, Busy>;
}

struct Counter {
    calls: Rc<Cell<u32>>,
}

#[async_trait(?Send)]
impl Local for Counter {
    #[retry_on_failure(max_attempts = 4, initial_delay = "0s", when = |_e| true)]
    async fn next(&self) -> Result<u32, Busy> {
        let calls = self.calls.clone();
        calls.set(calls.get() + 1);
        tokio::task::yield_now().await;
        if calls.get() < 3 {
            Err(Busy)
        } else {
            Ok(calls.get())
        }
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let counter = Counter { calls: Rc::new(Cell::new(0)) };
    assert_eq!(counter.next().await.unwrap(), 3);
}
