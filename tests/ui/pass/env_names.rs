// `env(...)` with the variable names of the systems this library replaces, with and without a
// prefix, on both attributes, in a stack and beside a constant policy.

use retry_runtime::{circuit_breaker, retry_on_failure, CircuitOpen, RetryPolicy};

#[derive(Debug)]
enum ApiError {
    Busy,
    Open(CircuitOpen),
}

impl From<CircuitOpen> for ApiError {
    fn from(open: CircuitOpen) -> Self {
        ApiError::Open(open)
    }
}

#[retry_on_failure(
    max_attempts = 3,
    env(
        initial_delay = "LLM_RETRY_INITIAL_DELAY",
        max_retries = "LLM_MAX_RETRIES",
        multiplier = "LLM_RETRY_BACKOFF_FACTOR",
    )
)]
fn named() -> Result<u32, ApiError> {
    Ok(1)
}

#[retry_on_failure(env(prefix = "LLM", initial_delay = "RETRY_BASE_DELAY"))]
async fn prefix_and_named() -> Result<u32, ApiError> {
    Ok(1)
}

// A key may name the variable its prefix reads anyway; a trailing comma is fine.
#[retry_on_failure(env(max_retries = "LLM_MAX_RETRIES", prefix = "LLM",))]
fn own_variable() -> Result<u32, ApiError> {
    Ok(1)
}

#[circuit_breaker(
    provider,
    env(
        failure_threshold = "CIRCUIT_BREAKER_THRESHOLD",
        reset_timeout = "CIRCUIT_BREAKER_TIMEOUT",
    )
)]
fn guarded() -> Result<u32, ApiError> {
    Ok(1)
}

#[retry_on_failure(
    env(max_retries = "LLM_MAX_RETRIES", jitter = "LLM_RETRY_JITTER", max_retry_after = "LLM_MAX_RETRY_AFTER")
)]
#[circuit_breaker(
    stacked,
    failure_rate = 0.5,
    env(prefix = "LLM_BREAKER", failure_rate = "CIRCUIT_BREAKER_FAILURE_RATE", window = "CIRCUIT_BREAKER_WINDOW")
)]
async fn stacked() -> Result<u32, ApiError> {
    Err(ApiError::Busy)
}

struct Client;

impl Client {
    const POLICY: RetryPolicy = RetryPolicy::linear().max_attempts(2);

    #[retry_on_failure(policy = Self::POLICY, env(max_attempts = "CLIENT_MAX_ATTEMPTS"))]
    fn call(&self) -> Result<u32, ApiError> {
        Ok(1)
    }
}

fn main() {
    let _ = named();
    let _ = prefix_and_named();
    let _ = own_variable();
    let _ = guarded();
    let _ = stacked();
    let _ = Client.call();
}
