use std::cell::Cell;

use retry_runtime::retry_on_failure;

#[derive(Debug, PartialEq)]
struct Busy;

trait Store {
    async fn put(&self, key: &str, value: u32) -> Result<u32, Busy>;
    fn get(&self, key: &str) -> Result<u32, Busy>;
}

struct Memory {
    calls: Cell<u32>,
}

impl Store for Memory {
    #[retry_on_failure(max_attempts = 3, initial_delay = "0s")]
    async fn put(&self, key: &str, value: u32) -> Result<u32, Busy> {
        self.calls.set(self.calls.get() + 1);
        if self.calls.get() < 2 || key.is_empty() {
            Err(Busy)
        } else {
            Ok(value)
        }
    }

    #[retry_on_failure(max_attempts = 3, initial_delay = "0s")]
    fn get(&self, key: &str) -> Result<u32, Busy> {
        key.parse().map_err(|_| Busy)
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let memory = Memory { calls: Cell::new(0) };
    assert_eq!(memory.put("k", 7).await, Ok(7));
    assert_eq!(memory.calls.get(), 2);
    assert_eq!(memory.get("12"), Ok(12));
}
