// One mistake, one error each: a return type that is not a `Result` under an async retry, a
// retry with a timeout, a breaker alone, a fallback, a hedged fallback and a full stack.
use retry_runtime::{circuit_breaker, fallback, retry_on_failure};

type Count = u32;

#[retry_on_failure(max_attempts = 3)]
async fn async_retry() -> Count {
    1
}

#[retry_on_failure(max_attempts = 3, timeout = "1s")]
async fn async_retry_timeout() -> Count {
    1
}

#[circuit_breaker(name = "not_result")]
fn breaker_alone() -> Count {
    1
}

fn backup() -> Count {
    2
}

async fn backup_async() -> Count {
    2
}

#[fallback(to = backup)]
fn fallback_alone() -> Count {
    1
}

#[fallback(to = backup_async, hedge_after = "300ms")]
async fn hedged() -> Count {
    1
}

#[fallback(to = backup)]
#[retry_on_failure(max_attempts = 3)]
#[circuit_breaker(name = "not_result_stack")]
fn stacked() -> Count {
    1
}

fn main() {}
