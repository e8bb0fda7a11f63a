// A crate that re-exports the runtime under its own path, with no `retry_runtime` in scope
// at the call sites.
mod rt {
    pub use retry_runtime::*;
}

mod client {
    use crate::rt::{retry_on_failure, RetryPolicy};

    #[derive(Debug, PartialEq)]
    pub struct Unavailable;

    const POLICY: RetryPolicy = RetryPolicy::fixed().max_attempts(2);

    #[retry_on_failure(crate = "crate::rt", max_attempts = 2, initial_delay = "1ms")]
    pub fn fetch() -> Result<u32, Unavailable> {
        Ok(1)
    }

    #[retry_on_failure(crate = "crate::rt", policy = POLICY, env = "UI_CRATE_PATH", when = |e| *e == Unavailable)]
    pub async fn fetch_async() -> Result<u32, Unavailable> {
        Ok(2)
    }

    pub struct Client;

    impl Client {
        #[retry_on_failure(crate = "crate::rt")]
        pub fn get(&self) -> Result<u32, Unavailable> {
            Ok(3)
        }
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    assert_eq!(client::fetch(), Ok(1));
    assert_eq!(client::fetch_async().await, Ok(2));
    assert_eq!(client::Client.get(), Ok(3));
}
