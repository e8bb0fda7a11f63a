// The expansion must not make a strict crate fail: no unused variables, imports or
// mutability, no unreachable code, no non-snake-case names, no deprecated items, no `unsafe`.
// (`clippy::all` takes effect when clippy checks the file; the expansion passes it too.)
#![forbid(unsafe_code)]
#![deny(warnings)]
#![deny(unused, unreachable_code, unused_qualifications, unused_results)]
#![deny(nonstandard_style, rust_2018_idioms, future_incompatible)]
#![deny(clippy::all)]

use std::time::Duration;

use retry_runtime::{retry_on_failure, AttemptTimedOut, RetryPolicy};

#[derive(Debug)]
enum ApiError {
    Unavailable,
    Timeout,
}

impl From<AttemptTimedOut> for ApiError {
    fn from(_: AttemptTimedOut) -> Self {
        ApiError::Timeout
    }
}

const POLICY: RetryPolicy = RetryPolicy::linear().max_attempts(2);

#[retry_on_failure]
fn bare() -> Result<(), ApiError> {
    Ok(())
}

#[retry_on_failure(max_attempts = 2, initial_delay = "0s", when = |e| matches!(e, ApiError::Unavailable))]
fn early_return(fail: bool) -> Result<u32, ApiError> {
    if fail {
        return Err(ApiError::Unavailable);
    }
    Ok(1)
}

#[retry_on_failure(policy = POLICY, timeout = "1s", initial_delay = "0s", env = "UI_NO_WARNINGS",
    on_retry = |event| assert!(event.attempt > 0), on_give_up = |_| {})]
async fn with_timeout(mut tries: u32) -> Result<u32, ApiError> {
    tries += 1;
    Ok(tries)
}

#[retry_on_failure(max_attempts = 2, initial_delay = "0s", retry_after = |_| Some(Duration::ZERO))]
fn question_mark(input: &str) -> Result<u32, ApiError> {
    let n: u32 = input.parse().map_err(|_| ApiError::Unavailable)?;
    Ok(n)
}

struct Client;

impl Client {
    #[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
    fn get(&self) -> Result<u32, ApiError> {
        Ok(7)
    }

    #[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
    async fn get_async(&mut self) -> Result<u32, ApiError> {
        Ok(8)
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    bare().unwrap();
    assert_eq!(early_return(false).unwrap(), 1);
    assert!(early_return(true).is_err());
    assert_eq!(with_timeout(1).await.unwrap(), 2);
    assert_eq!(question_mark("5").unwrap(), 5);
    assert_eq!(Client.get().unwrap(), 7);
    assert_eq!(Client.get_async().await.unwrap(), 8);
    assert!(matches!(ApiError::Timeout, ApiError::Timeout));
}
