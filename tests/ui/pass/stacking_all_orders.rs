// Every order of the three attributes compiles, with no warnings: the attributes taken over by
// the outermost one leave no unused import behind.
#![deny(warnings)]
#![deny(unused, unreachable_code, unused_qualifications)]
#![deny(clippy::all)]

use retry_runtime::{circuit_breaker, fallback, retry_on_failure, CircuitOpen};

#[derive(Debug, Clone)]
enum ApiError {
    Unavailable,
    Open,
}

impl From<CircuitOpen> for ApiError {
    fn from(_: CircuitOpen) -> Self {
        ApiError::Open
    }
}

fn backup(x: u32) -> Result<u32, ApiError> {
    Ok(x)
}

async fn backup_async(x: u32) -> Result<u32, ApiError> {
    Ok(x)
}

#[fallback(to = backup)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[circuit_breaker(ui_order_1)]
fn frb(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[fallback(to = backup)]
#[circuit_breaker(ui_order_2)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
fn fbr(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[fallback(to = backup)]
#[circuit_breaker(ui_order_3)]
fn rfb(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[circuit_breaker(ui_order_4)]
#[fallback(to = backup)]
fn rbf(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[circuit_breaker(ui_order_5)]
#[fallback(to = backup)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
fn bfr(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[circuit_breaker(ui_order_6)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[fallback(to = backup)]
fn brf(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[fallback(to = backup_async)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s", timeout = "1s")]
#[circuit_breaker(ui_order_async)]
async fn documented_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

impl From<retry_runtime::AttemptTimedOut> for ApiError {
    fn from(_: retry_runtime::AttemptTimedOut) -> Self {
        ApiError::Unavailable
    }
}

#[retry_runtime::retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[retry_runtime::circuit_breaker(ui_order_qualified)]
fn qualified(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

fn main() {
    for f in [frb, fbr, rfb, rbf, bfr, brf, qualified] {
        assert_eq!(f(1).unwrap(), 1);
    }
    // The failure path of every order: the fallback answers (`backup` echoes its argument,
    // passed on unchanged), whatever the retry and the breaker did before it.
    for f in [frb, fbr, rfb, rbf, bfr, brf] {
        assert_eq!(f(0).unwrap(), 0);
    }
    assert!(matches!(qualified(0), Err(ApiError::Unavailable)));
    fn is_send<T: Send>(_: T) {}
    is_send(documented_async(1));
}
