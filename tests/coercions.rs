//! The body is checked against the declared return type, as it is without the attributes: the
//! usual coercions (`&String` to `&str`, `Box<T>` to `Box<dyn Trait>`) apply in every layer.

use retry_runtime::{circuit_breaker, fallback, retry_on_failure, CircuitOpen};

#[derive(Debug, PartialEq)]
enum ApiError {
    Open,
}

impl From<CircuitOpen> for ApiError {
    fn from(_: CircuitOpen) -> Self {
        ApiError::Open
    }
}

trait Handler: Send {
    fn name(&self) -> &'static str;
}

struct H;

impl Handler for H {
    fn name(&self) -> &'static str {
        "h"
    }
}

struct Store {
    data: String,
}

impl Store {
    #[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
    fn sync_retry(&self) -> Result<&str, ApiError> {
        Ok(&self.data)
    }

    #[circuit_breaker(coercions_sync)]
    #[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
    fn sync_breaker_over_retry(&self) -> Result<&str, ApiError> {
        Ok(&self.data)
    }

    #[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
    async fn async_retry(&self) -> Result<&str, ApiError> {
        Ok(&self.data)
    }

    #[retry_on_failure(max_attempts = 2, initial_delay = "0s", timeout = "1s")]
    async fn async_retry_timeout(&self) -> Result<&str, ApiError> {
        Ok(&self.data)
    }

    #[circuit_breaker(coercions_async)]
    async fn async_breaker(&self) -> Result<&str, ApiError> {
        Ok(&self.data)
    }

    #[circuit_breaker(coercions_async_stack)]
    #[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
    async fn async_breaker_over_retry(&self) -> Result<&str, ApiError> {
        Ok(&self.data)
    }

    #[fallback(to = Self::backup)]
    async fn async_fallback(&self) -> Result<&str, ApiError> {
        Ok(&self.data)
    }

    async fn backup(&self) -> Result<&str, ApiError> {
        Ok("backup")
    }
}

impl From<retry_runtime::AttemptTimedOut> for ApiError {
    fn from(_: retry_runtime::AttemptTimedOut) -> Self {
        ApiError::Open
    }
}

#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
fn boxed() -> Result<Box<dyn Handler>, ApiError> {
    Ok(Box::new(H))
}

#[circuit_breaker(coercions_boxed)]
async fn boxed_async() -> Result<Box<dyn Handler>, ApiError> {
    Ok(Box::new(H))
}

#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
fn fn_pointer() -> Result<fn(u32) -> u32, ApiError> {
    fn id(x: u32) -> u32 {
        x
    }
    Ok(id)
}

#[test]
fn sync_layers_coerce() {
    let s = Store { data: "d".into() };
    assert_eq!(s.sync_retry(), Ok("d"));
    assert_eq!(s.sync_breaker_over_retry(), Ok("d"));
    assert_eq!(boxed().unwrap().name(), "h");
    assert_eq!(fn_pointer().unwrap()(3), 3);
}

#[tokio::test]
async fn async_layers_coerce() {
    let s = Store { data: "d".into() };
    assert_eq!(s.async_retry().await, Ok("d"));
    assert_eq!(s.async_retry_timeout().await, Ok("d"));
    assert_eq!(s.async_breaker().await, Ok("d"));
    assert_eq!(s.async_breaker_over_retry().await, Ok("d"));
    assert_eq!(s.async_fallback().await, Ok("d"));
    assert_eq!(boxed_async().await.unwrap().name(), "h");
}
