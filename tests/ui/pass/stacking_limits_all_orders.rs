// Every order of the five attributes compiles, sync and async (the async fallback hedging),
// with no warnings: the attributes taken over by the outermost one leave no unused import
// behind.
#![deny(warnings)]
#![deny(unused, unreachable_code, unused_qualifications)]
#![deny(clippy::all)]

use retry_runtime::{
    circuit_breaker, concurrency_limit, fallback, rate_limit, retry_on_failure, CircuitOpen,
    RateLimited,
};

#[derive(Debug, Clone)]
enum ApiError {
    Unavailable,
    Open,
    Limited,
}

impl From<CircuitOpen> for ApiError {
    fn from(_: CircuitOpen) -> Self {
        ApiError::Open
    }
}

impl From<RateLimited> for ApiError {
    fn from(_: RateLimited) -> Self {
        ApiError::Limited
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
#[circuit_breaker(ui_lim_breaker_1)]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
fn frbcl(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[fallback(to = backup_async, hedge_after = "300ms")]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[circuit_breaker(ui_lim_breaker_2)]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
async fn frbcl_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[fallback(to = backup)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[circuit_breaker(ui_lim_breaker_3)]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[concurrency_limit(ui_lim_conc, max = 8)]
fn frblc(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[fallback(to = backup_async, hedge_after = "300ms")]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[circuit_breaker(ui_lim_breaker_4)]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[concurrency_limit(ui_lim_conc, max = 8)]
async fn frblc_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[fallback(to = backup)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[circuit_breaker(ui_lim_breaker_5)]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
fn frcbl(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[fallback(to = backup_async, hedge_after = "300ms")]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[circuit_breaker(ui_lim_breaker_6)]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
async fn frcbl_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[fallback(to = backup)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[circuit_breaker(ui_lim_breaker_7)]
fn frclb(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[fallback(to = backup_async, hedge_after = "300ms")]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[circuit_breaker(ui_lim_breaker_8)]
async fn frclb_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[fallback(to = backup)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[circuit_breaker(ui_lim_breaker_9)]
#[concurrency_limit(ui_lim_conc, max = 8)]
fn frlbc(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[fallback(to = backup_async, hedge_after = "300ms")]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[circuit_breaker(ui_lim_breaker_10)]
#[concurrency_limit(ui_lim_conc, max = 8)]
async fn frlbc_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[fallback(to = backup)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[circuit_breaker(ui_lim_breaker_11)]
fn frlcb(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[fallback(to = backup_async, hedge_after = "300ms")]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[circuit_breaker(ui_lim_breaker_12)]
async fn frlcb_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[fallback(to = backup)]
#[circuit_breaker(ui_lim_breaker_13)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
fn fbrcl(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[fallback(to = backup_async, hedge_after = "300ms")]
#[circuit_breaker(ui_lim_breaker_14)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
async fn fbrcl_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[fallback(to = backup)]
#[circuit_breaker(ui_lim_breaker_15)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[concurrency_limit(ui_lim_conc, max = 8)]
fn fbrlc(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[fallback(to = backup_async, hedge_after = "300ms")]
#[circuit_breaker(ui_lim_breaker_16)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[concurrency_limit(ui_lim_conc, max = 8)]
async fn fbrlc_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[fallback(to = backup)]
#[circuit_breaker(ui_lim_breaker_17)]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
fn fbcrl(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[fallback(to = backup_async, hedge_after = "300ms")]
#[circuit_breaker(ui_lim_breaker_18)]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
async fn fbcrl_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[fallback(to = backup)]
#[circuit_breaker(ui_lim_breaker_19)]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
fn fbclr(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[fallback(to = backup_async, hedge_after = "300ms")]
#[circuit_breaker(ui_lim_breaker_20)]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
async fn fbclr_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[fallback(to = backup)]
#[circuit_breaker(ui_lim_breaker_21)]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[concurrency_limit(ui_lim_conc, max = 8)]
fn fblrc(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[fallback(to = backup_async, hedge_after = "300ms")]
#[circuit_breaker(ui_lim_breaker_22)]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[concurrency_limit(ui_lim_conc, max = 8)]
async fn fblrc_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[fallback(to = backup)]
#[circuit_breaker(ui_lim_breaker_23)]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
fn fblcr(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[fallback(to = backup_async, hedge_after = "300ms")]
#[circuit_breaker(ui_lim_breaker_24)]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
async fn fblcr_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[fallback(to = backup)]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[circuit_breaker(ui_lim_breaker_25)]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
fn fcrbl(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[fallback(to = backup_async, hedge_after = "300ms")]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[circuit_breaker(ui_lim_breaker_26)]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
async fn fcrbl_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[fallback(to = backup)]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[circuit_breaker(ui_lim_breaker_27)]
fn fcrlb(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[fallback(to = backup_async, hedge_after = "300ms")]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[circuit_breaker(ui_lim_breaker_28)]
async fn fcrlb_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[fallback(to = backup)]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[circuit_breaker(ui_lim_breaker_29)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
fn fcbrl(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[fallback(to = backup_async, hedge_after = "300ms")]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[circuit_breaker(ui_lim_breaker_30)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
async fn fcbrl_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[fallback(to = backup)]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[circuit_breaker(ui_lim_breaker_31)]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
fn fcblr(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[fallback(to = backup_async, hedge_after = "300ms")]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[circuit_breaker(ui_lim_breaker_32)]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
async fn fcblr_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[fallback(to = backup)]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[circuit_breaker(ui_lim_breaker_33)]
fn fclrb(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[fallback(to = backup_async, hedge_after = "300ms")]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[circuit_breaker(ui_lim_breaker_34)]
async fn fclrb_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[fallback(to = backup)]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[circuit_breaker(ui_lim_breaker_35)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
fn fclbr(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[fallback(to = backup_async, hedge_after = "300ms")]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[circuit_breaker(ui_lim_breaker_36)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
async fn fclbr_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[fallback(to = backup)]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[circuit_breaker(ui_lim_breaker_37)]
#[concurrency_limit(ui_lim_conc, max = 8)]
fn flrbc(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[fallback(to = backup_async, hedge_after = "300ms")]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[circuit_breaker(ui_lim_breaker_38)]
#[concurrency_limit(ui_lim_conc, max = 8)]
async fn flrbc_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[fallback(to = backup)]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[circuit_breaker(ui_lim_breaker_39)]
fn flrcb(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[fallback(to = backup_async, hedge_after = "300ms")]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[circuit_breaker(ui_lim_breaker_40)]
async fn flrcb_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[fallback(to = backup)]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[circuit_breaker(ui_lim_breaker_41)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[concurrency_limit(ui_lim_conc, max = 8)]
fn flbrc(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[fallback(to = backup_async, hedge_after = "300ms")]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[circuit_breaker(ui_lim_breaker_42)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[concurrency_limit(ui_lim_conc, max = 8)]
async fn flbrc_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[fallback(to = backup)]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[circuit_breaker(ui_lim_breaker_43)]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
fn flbcr(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[fallback(to = backup_async, hedge_after = "300ms")]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[circuit_breaker(ui_lim_breaker_44)]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
async fn flbcr_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[fallback(to = backup)]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[circuit_breaker(ui_lim_breaker_45)]
fn flcrb(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[fallback(to = backup_async, hedge_after = "300ms")]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[circuit_breaker(ui_lim_breaker_46)]
async fn flcrb_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[fallback(to = backup)]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[circuit_breaker(ui_lim_breaker_47)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
fn flcbr(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[fallback(to = backup_async, hedge_after = "300ms")]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[circuit_breaker(ui_lim_breaker_48)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
async fn flcbr_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[fallback(to = backup)]
#[circuit_breaker(ui_lim_breaker_49)]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
fn rfbcl(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[fallback(to = backup_async, hedge_after = "300ms")]
#[circuit_breaker(ui_lim_breaker_50)]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
async fn rfbcl_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[fallback(to = backup)]
#[circuit_breaker(ui_lim_breaker_51)]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[concurrency_limit(ui_lim_conc, max = 8)]
fn rfblc(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[fallback(to = backup_async, hedge_after = "300ms")]
#[circuit_breaker(ui_lim_breaker_52)]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[concurrency_limit(ui_lim_conc, max = 8)]
async fn rfblc_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[fallback(to = backup)]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[circuit_breaker(ui_lim_breaker_53)]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
fn rfcbl(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[fallback(to = backup_async, hedge_after = "300ms")]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[circuit_breaker(ui_lim_breaker_54)]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
async fn rfcbl_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[fallback(to = backup)]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[circuit_breaker(ui_lim_breaker_55)]
fn rfclb(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[fallback(to = backup_async, hedge_after = "300ms")]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[circuit_breaker(ui_lim_breaker_56)]
async fn rfclb_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[fallback(to = backup)]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[circuit_breaker(ui_lim_breaker_57)]
#[concurrency_limit(ui_lim_conc, max = 8)]
fn rflbc(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[fallback(to = backup_async, hedge_after = "300ms")]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[circuit_breaker(ui_lim_breaker_58)]
#[concurrency_limit(ui_lim_conc, max = 8)]
async fn rflbc_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[fallback(to = backup)]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[circuit_breaker(ui_lim_breaker_59)]
fn rflcb(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[fallback(to = backup_async, hedge_after = "300ms")]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[circuit_breaker(ui_lim_breaker_60)]
async fn rflcb_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[circuit_breaker(ui_lim_breaker_61)]
#[fallback(to = backup)]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
fn rbfcl(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[circuit_breaker(ui_lim_breaker_62)]
#[fallback(to = backup_async, hedge_after = "300ms")]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
async fn rbfcl_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[circuit_breaker(ui_lim_breaker_63)]
#[fallback(to = backup)]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[concurrency_limit(ui_lim_conc, max = 8)]
fn rbflc(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[circuit_breaker(ui_lim_breaker_64)]
#[fallback(to = backup_async, hedge_after = "300ms")]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[concurrency_limit(ui_lim_conc, max = 8)]
async fn rbflc_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[circuit_breaker(ui_lim_breaker_65)]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[fallback(to = backup)]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
fn rbcfl(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[circuit_breaker(ui_lim_breaker_66)]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[fallback(to = backup_async, hedge_after = "300ms")]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
async fn rbcfl_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[circuit_breaker(ui_lim_breaker_67)]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[fallback(to = backup)]
fn rbclf(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[circuit_breaker(ui_lim_breaker_68)]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[fallback(to = backup_async, hedge_after = "300ms")]
async fn rbclf_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[circuit_breaker(ui_lim_breaker_69)]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[fallback(to = backup)]
#[concurrency_limit(ui_lim_conc, max = 8)]
fn rblfc(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[circuit_breaker(ui_lim_breaker_70)]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[fallback(to = backup_async, hedge_after = "300ms")]
#[concurrency_limit(ui_lim_conc, max = 8)]
async fn rblfc_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[circuit_breaker(ui_lim_breaker_71)]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[fallback(to = backup)]
fn rblcf(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[circuit_breaker(ui_lim_breaker_72)]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[fallback(to = backup_async, hedge_after = "300ms")]
async fn rblcf_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[fallback(to = backup)]
#[circuit_breaker(ui_lim_breaker_73)]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
fn rcfbl(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[fallback(to = backup_async, hedge_after = "300ms")]
#[circuit_breaker(ui_lim_breaker_74)]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
async fn rcfbl_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[fallback(to = backup)]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[circuit_breaker(ui_lim_breaker_75)]
fn rcflb(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[fallback(to = backup_async, hedge_after = "300ms")]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[circuit_breaker(ui_lim_breaker_76)]
async fn rcflb_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[circuit_breaker(ui_lim_breaker_77)]
#[fallback(to = backup)]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
fn rcbfl(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[circuit_breaker(ui_lim_breaker_78)]
#[fallback(to = backup_async, hedge_after = "300ms")]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
async fn rcbfl_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[circuit_breaker(ui_lim_breaker_79)]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[fallback(to = backup)]
fn rcblf(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[circuit_breaker(ui_lim_breaker_80)]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[fallback(to = backup_async, hedge_after = "300ms")]
async fn rcblf_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[fallback(to = backup)]
#[circuit_breaker(ui_lim_breaker_81)]
fn rclfb(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[fallback(to = backup_async, hedge_after = "300ms")]
#[circuit_breaker(ui_lim_breaker_82)]
async fn rclfb_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[circuit_breaker(ui_lim_breaker_83)]
#[fallback(to = backup)]
fn rclbf(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[circuit_breaker(ui_lim_breaker_84)]
#[fallback(to = backup_async, hedge_after = "300ms")]
async fn rclbf_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[fallback(to = backup)]
#[circuit_breaker(ui_lim_breaker_85)]
#[concurrency_limit(ui_lim_conc, max = 8)]
fn rlfbc(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[fallback(to = backup_async, hedge_after = "300ms")]
#[circuit_breaker(ui_lim_breaker_86)]
#[concurrency_limit(ui_lim_conc, max = 8)]
async fn rlfbc_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[fallback(to = backup)]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[circuit_breaker(ui_lim_breaker_87)]
fn rlfcb(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[fallback(to = backup_async, hedge_after = "300ms")]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[circuit_breaker(ui_lim_breaker_88)]
async fn rlfcb_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[circuit_breaker(ui_lim_breaker_89)]
#[fallback(to = backup)]
#[concurrency_limit(ui_lim_conc, max = 8)]
fn rlbfc(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[circuit_breaker(ui_lim_breaker_90)]
#[fallback(to = backup_async, hedge_after = "300ms")]
#[concurrency_limit(ui_lim_conc, max = 8)]
async fn rlbfc_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[circuit_breaker(ui_lim_breaker_91)]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[fallback(to = backup)]
fn rlbcf(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[circuit_breaker(ui_lim_breaker_92)]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[fallback(to = backup_async, hedge_after = "300ms")]
async fn rlbcf_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[fallback(to = backup)]
#[circuit_breaker(ui_lim_breaker_93)]
fn rlcfb(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[fallback(to = backup_async, hedge_after = "300ms")]
#[circuit_breaker(ui_lim_breaker_94)]
async fn rlcfb_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[circuit_breaker(ui_lim_breaker_95)]
#[fallback(to = backup)]
fn rlcbf(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[circuit_breaker(ui_lim_breaker_96)]
#[fallback(to = backup_async, hedge_after = "300ms")]
async fn rlcbf_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[circuit_breaker(ui_lim_breaker_97)]
#[fallback(to = backup)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
fn bfrcl(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[circuit_breaker(ui_lim_breaker_98)]
#[fallback(to = backup_async, hedge_after = "300ms")]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
async fn bfrcl_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[circuit_breaker(ui_lim_breaker_99)]
#[fallback(to = backup)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[concurrency_limit(ui_lim_conc, max = 8)]
fn bfrlc(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[circuit_breaker(ui_lim_breaker_100)]
#[fallback(to = backup_async, hedge_after = "300ms")]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[concurrency_limit(ui_lim_conc, max = 8)]
async fn bfrlc_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[circuit_breaker(ui_lim_breaker_101)]
#[fallback(to = backup)]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
fn bfcrl(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[circuit_breaker(ui_lim_breaker_102)]
#[fallback(to = backup_async, hedge_after = "300ms")]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
async fn bfcrl_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[circuit_breaker(ui_lim_breaker_103)]
#[fallback(to = backup)]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
fn bfclr(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[circuit_breaker(ui_lim_breaker_104)]
#[fallback(to = backup_async, hedge_after = "300ms")]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
async fn bfclr_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[circuit_breaker(ui_lim_breaker_105)]
#[fallback(to = backup)]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[concurrency_limit(ui_lim_conc, max = 8)]
fn bflrc(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[circuit_breaker(ui_lim_breaker_106)]
#[fallback(to = backup_async, hedge_after = "300ms")]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[concurrency_limit(ui_lim_conc, max = 8)]
async fn bflrc_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[circuit_breaker(ui_lim_breaker_107)]
#[fallback(to = backup)]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
fn bflcr(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[circuit_breaker(ui_lim_breaker_108)]
#[fallback(to = backup_async, hedge_after = "300ms")]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
async fn bflcr_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[circuit_breaker(ui_lim_breaker_109)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[fallback(to = backup)]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
fn brfcl(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[circuit_breaker(ui_lim_breaker_110)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[fallback(to = backup_async, hedge_after = "300ms")]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
async fn brfcl_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[circuit_breaker(ui_lim_breaker_111)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[fallback(to = backup)]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[concurrency_limit(ui_lim_conc, max = 8)]
fn brflc(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[circuit_breaker(ui_lim_breaker_112)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[fallback(to = backup_async, hedge_after = "300ms")]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[concurrency_limit(ui_lim_conc, max = 8)]
async fn brflc_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[circuit_breaker(ui_lim_breaker_113)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[fallback(to = backup)]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
fn brcfl(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[circuit_breaker(ui_lim_breaker_114)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[fallback(to = backup_async, hedge_after = "300ms")]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
async fn brcfl_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[circuit_breaker(ui_lim_breaker_115)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[fallback(to = backup)]
fn brclf(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[circuit_breaker(ui_lim_breaker_116)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[fallback(to = backup_async, hedge_after = "300ms")]
async fn brclf_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[circuit_breaker(ui_lim_breaker_117)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[fallback(to = backup)]
#[concurrency_limit(ui_lim_conc, max = 8)]
fn brlfc(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[circuit_breaker(ui_lim_breaker_118)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[fallback(to = backup_async, hedge_after = "300ms")]
#[concurrency_limit(ui_lim_conc, max = 8)]
async fn brlfc_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[circuit_breaker(ui_lim_breaker_119)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[fallback(to = backup)]
fn brlcf(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[circuit_breaker(ui_lim_breaker_120)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[fallback(to = backup_async, hedge_after = "300ms")]
async fn brlcf_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[circuit_breaker(ui_lim_breaker_121)]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[fallback(to = backup)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
fn bcfrl(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[circuit_breaker(ui_lim_breaker_122)]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[fallback(to = backup_async, hedge_after = "300ms")]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
async fn bcfrl_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[circuit_breaker(ui_lim_breaker_123)]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[fallback(to = backup)]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
fn bcflr(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[circuit_breaker(ui_lim_breaker_124)]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[fallback(to = backup_async, hedge_after = "300ms")]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
async fn bcflr_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[circuit_breaker(ui_lim_breaker_125)]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[fallback(to = backup)]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
fn bcrfl(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[circuit_breaker(ui_lim_breaker_126)]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[fallback(to = backup_async, hedge_after = "300ms")]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
async fn bcrfl_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[circuit_breaker(ui_lim_breaker_127)]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[fallback(to = backup)]
fn bcrlf(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[circuit_breaker(ui_lim_breaker_128)]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[fallback(to = backup_async, hedge_after = "300ms")]
async fn bcrlf_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[circuit_breaker(ui_lim_breaker_129)]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[fallback(to = backup)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
fn bclfr(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[circuit_breaker(ui_lim_breaker_130)]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[fallback(to = backup_async, hedge_after = "300ms")]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
async fn bclfr_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[circuit_breaker(ui_lim_breaker_131)]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[fallback(to = backup)]
fn bclrf(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[circuit_breaker(ui_lim_breaker_132)]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[fallback(to = backup_async, hedge_after = "300ms")]
async fn bclrf_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[circuit_breaker(ui_lim_breaker_133)]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[fallback(to = backup)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[concurrency_limit(ui_lim_conc, max = 8)]
fn blfrc(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[circuit_breaker(ui_lim_breaker_134)]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[fallback(to = backup_async, hedge_after = "300ms")]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[concurrency_limit(ui_lim_conc, max = 8)]
async fn blfrc_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[circuit_breaker(ui_lim_breaker_135)]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[fallback(to = backup)]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
fn blfcr(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[circuit_breaker(ui_lim_breaker_136)]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[fallback(to = backup_async, hedge_after = "300ms")]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
async fn blfcr_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[circuit_breaker(ui_lim_breaker_137)]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[fallback(to = backup)]
#[concurrency_limit(ui_lim_conc, max = 8)]
fn blrfc(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[circuit_breaker(ui_lim_breaker_138)]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[fallback(to = backup_async, hedge_after = "300ms")]
#[concurrency_limit(ui_lim_conc, max = 8)]
async fn blrfc_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[circuit_breaker(ui_lim_breaker_139)]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[fallback(to = backup)]
fn blrcf(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[circuit_breaker(ui_lim_breaker_140)]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[fallback(to = backup_async, hedge_after = "300ms")]
async fn blrcf_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[circuit_breaker(ui_lim_breaker_141)]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[fallback(to = backup)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
fn blcfr(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[circuit_breaker(ui_lim_breaker_142)]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[fallback(to = backup_async, hedge_after = "300ms")]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
async fn blcfr_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[circuit_breaker(ui_lim_breaker_143)]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[fallback(to = backup)]
fn blcrf(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[circuit_breaker(ui_lim_breaker_144)]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[fallback(to = backup_async, hedge_after = "300ms")]
async fn blcrf_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[concurrency_limit(ui_lim_conc, max = 8)]
#[fallback(to = backup)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[circuit_breaker(ui_lim_breaker_145)]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
fn cfrbl(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[concurrency_limit(ui_lim_conc, max = 8)]
#[fallback(to = backup_async, hedge_after = "300ms")]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[circuit_breaker(ui_lim_breaker_146)]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
async fn cfrbl_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[concurrency_limit(ui_lim_conc, max = 8)]
#[fallback(to = backup)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[circuit_breaker(ui_lim_breaker_147)]
fn cfrlb(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[concurrency_limit(ui_lim_conc, max = 8)]
#[fallback(to = backup_async, hedge_after = "300ms")]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[circuit_breaker(ui_lim_breaker_148)]
async fn cfrlb_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[concurrency_limit(ui_lim_conc, max = 8)]
#[fallback(to = backup)]
#[circuit_breaker(ui_lim_breaker_149)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
fn cfbrl(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[concurrency_limit(ui_lim_conc, max = 8)]
#[fallback(to = backup_async, hedge_after = "300ms")]
#[circuit_breaker(ui_lim_breaker_150)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
async fn cfbrl_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[concurrency_limit(ui_lim_conc, max = 8)]
#[fallback(to = backup)]
#[circuit_breaker(ui_lim_breaker_151)]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
fn cfblr(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[concurrency_limit(ui_lim_conc, max = 8)]
#[fallback(to = backup_async, hedge_after = "300ms")]
#[circuit_breaker(ui_lim_breaker_152)]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
async fn cfblr_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[concurrency_limit(ui_lim_conc, max = 8)]
#[fallback(to = backup)]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[circuit_breaker(ui_lim_breaker_153)]
fn cflrb(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[concurrency_limit(ui_lim_conc, max = 8)]
#[fallback(to = backup_async, hedge_after = "300ms")]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[circuit_breaker(ui_lim_breaker_154)]
async fn cflrb_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[concurrency_limit(ui_lim_conc, max = 8)]
#[fallback(to = backup)]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[circuit_breaker(ui_lim_breaker_155)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
fn cflbr(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[concurrency_limit(ui_lim_conc, max = 8)]
#[fallback(to = backup_async, hedge_after = "300ms")]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[circuit_breaker(ui_lim_breaker_156)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
async fn cflbr_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[concurrency_limit(ui_lim_conc, max = 8)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[fallback(to = backup)]
#[circuit_breaker(ui_lim_breaker_157)]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
fn crfbl(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[concurrency_limit(ui_lim_conc, max = 8)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[fallback(to = backup_async, hedge_after = "300ms")]
#[circuit_breaker(ui_lim_breaker_158)]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
async fn crfbl_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[concurrency_limit(ui_lim_conc, max = 8)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[fallback(to = backup)]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[circuit_breaker(ui_lim_breaker_159)]
fn crflb(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[concurrency_limit(ui_lim_conc, max = 8)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[fallback(to = backup_async, hedge_after = "300ms")]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[circuit_breaker(ui_lim_breaker_160)]
async fn crflb_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[concurrency_limit(ui_lim_conc, max = 8)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[circuit_breaker(ui_lim_breaker_161)]
#[fallback(to = backup)]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
fn crbfl(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[concurrency_limit(ui_lim_conc, max = 8)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[circuit_breaker(ui_lim_breaker_162)]
#[fallback(to = backup_async, hedge_after = "300ms")]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
async fn crbfl_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[concurrency_limit(ui_lim_conc, max = 8)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[circuit_breaker(ui_lim_breaker_163)]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[fallback(to = backup)]
fn crblf(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[concurrency_limit(ui_lim_conc, max = 8)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[circuit_breaker(ui_lim_breaker_164)]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[fallback(to = backup_async, hedge_after = "300ms")]
async fn crblf_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[concurrency_limit(ui_lim_conc, max = 8)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[fallback(to = backup)]
#[circuit_breaker(ui_lim_breaker_165)]
fn crlfb(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[concurrency_limit(ui_lim_conc, max = 8)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[fallback(to = backup_async, hedge_after = "300ms")]
#[circuit_breaker(ui_lim_breaker_166)]
async fn crlfb_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[concurrency_limit(ui_lim_conc, max = 8)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[circuit_breaker(ui_lim_breaker_167)]
#[fallback(to = backup)]
fn crlbf(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[concurrency_limit(ui_lim_conc, max = 8)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[circuit_breaker(ui_lim_breaker_168)]
#[fallback(to = backup_async, hedge_after = "300ms")]
async fn crlbf_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[concurrency_limit(ui_lim_conc, max = 8)]
#[circuit_breaker(ui_lim_breaker_169)]
#[fallback(to = backup)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
fn cbfrl(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[concurrency_limit(ui_lim_conc, max = 8)]
#[circuit_breaker(ui_lim_breaker_170)]
#[fallback(to = backup_async, hedge_after = "300ms")]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
async fn cbfrl_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[concurrency_limit(ui_lim_conc, max = 8)]
#[circuit_breaker(ui_lim_breaker_171)]
#[fallback(to = backup)]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
fn cbflr(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[concurrency_limit(ui_lim_conc, max = 8)]
#[circuit_breaker(ui_lim_breaker_172)]
#[fallback(to = backup_async, hedge_after = "300ms")]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
async fn cbflr_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[concurrency_limit(ui_lim_conc, max = 8)]
#[circuit_breaker(ui_lim_breaker_173)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[fallback(to = backup)]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
fn cbrfl(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[concurrency_limit(ui_lim_conc, max = 8)]
#[circuit_breaker(ui_lim_breaker_174)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[fallback(to = backup_async, hedge_after = "300ms")]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
async fn cbrfl_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[concurrency_limit(ui_lim_conc, max = 8)]
#[circuit_breaker(ui_lim_breaker_175)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[fallback(to = backup)]
fn cbrlf(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[concurrency_limit(ui_lim_conc, max = 8)]
#[circuit_breaker(ui_lim_breaker_176)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[fallback(to = backup_async, hedge_after = "300ms")]
async fn cbrlf_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[concurrency_limit(ui_lim_conc, max = 8)]
#[circuit_breaker(ui_lim_breaker_177)]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[fallback(to = backup)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
fn cblfr(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[concurrency_limit(ui_lim_conc, max = 8)]
#[circuit_breaker(ui_lim_breaker_178)]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[fallback(to = backup_async, hedge_after = "300ms")]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
async fn cblfr_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[concurrency_limit(ui_lim_conc, max = 8)]
#[circuit_breaker(ui_lim_breaker_179)]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[fallback(to = backup)]
fn cblrf(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[concurrency_limit(ui_lim_conc, max = 8)]
#[circuit_breaker(ui_lim_breaker_180)]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[fallback(to = backup_async, hedge_after = "300ms")]
async fn cblrf_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[concurrency_limit(ui_lim_conc, max = 8)]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[fallback(to = backup)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[circuit_breaker(ui_lim_breaker_181)]
fn clfrb(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[concurrency_limit(ui_lim_conc, max = 8)]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[fallback(to = backup_async, hedge_after = "300ms")]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[circuit_breaker(ui_lim_breaker_182)]
async fn clfrb_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[concurrency_limit(ui_lim_conc, max = 8)]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[fallback(to = backup)]
#[circuit_breaker(ui_lim_breaker_183)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
fn clfbr(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[concurrency_limit(ui_lim_conc, max = 8)]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[fallback(to = backup_async, hedge_after = "300ms")]
#[circuit_breaker(ui_lim_breaker_184)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
async fn clfbr_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[concurrency_limit(ui_lim_conc, max = 8)]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[fallback(to = backup)]
#[circuit_breaker(ui_lim_breaker_185)]
fn clrfb(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[concurrency_limit(ui_lim_conc, max = 8)]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[fallback(to = backup_async, hedge_after = "300ms")]
#[circuit_breaker(ui_lim_breaker_186)]
async fn clrfb_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[concurrency_limit(ui_lim_conc, max = 8)]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[circuit_breaker(ui_lim_breaker_187)]
#[fallback(to = backup)]
fn clrbf(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[concurrency_limit(ui_lim_conc, max = 8)]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[circuit_breaker(ui_lim_breaker_188)]
#[fallback(to = backup_async, hedge_after = "300ms")]
async fn clrbf_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[concurrency_limit(ui_lim_conc, max = 8)]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[circuit_breaker(ui_lim_breaker_189)]
#[fallback(to = backup)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
fn clbfr(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[concurrency_limit(ui_lim_conc, max = 8)]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[circuit_breaker(ui_lim_breaker_190)]
#[fallback(to = backup_async, hedge_after = "300ms")]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
async fn clbfr_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[concurrency_limit(ui_lim_conc, max = 8)]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[circuit_breaker(ui_lim_breaker_191)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[fallback(to = backup)]
fn clbrf(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[concurrency_limit(ui_lim_conc, max = 8)]
#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[circuit_breaker(ui_lim_breaker_192)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[fallback(to = backup_async, hedge_after = "300ms")]
async fn clbrf_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[fallback(to = backup)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[circuit_breaker(ui_lim_breaker_193)]
#[concurrency_limit(ui_lim_conc, max = 8)]
fn lfrbc(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[fallback(to = backup_async, hedge_after = "300ms")]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[circuit_breaker(ui_lim_breaker_194)]
#[concurrency_limit(ui_lim_conc, max = 8)]
async fn lfrbc_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[fallback(to = backup)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[circuit_breaker(ui_lim_breaker_195)]
fn lfrcb(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[fallback(to = backup_async, hedge_after = "300ms")]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[circuit_breaker(ui_lim_breaker_196)]
async fn lfrcb_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[fallback(to = backup)]
#[circuit_breaker(ui_lim_breaker_197)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[concurrency_limit(ui_lim_conc, max = 8)]
fn lfbrc(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[fallback(to = backup_async, hedge_after = "300ms")]
#[circuit_breaker(ui_lim_breaker_198)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[concurrency_limit(ui_lim_conc, max = 8)]
async fn lfbrc_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[fallback(to = backup)]
#[circuit_breaker(ui_lim_breaker_199)]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
fn lfbcr(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[fallback(to = backup_async, hedge_after = "300ms")]
#[circuit_breaker(ui_lim_breaker_200)]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
async fn lfbcr_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[fallback(to = backup)]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[circuit_breaker(ui_lim_breaker_201)]
fn lfcrb(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[fallback(to = backup_async, hedge_after = "300ms")]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[circuit_breaker(ui_lim_breaker_202)]
async fn lfcrb_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[fallback(to = backup)]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[circuit_breaker(ui_lim_breaker_203)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
fn lfcbr(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[fallback(to = backup_async, hedge_after = "300ms")]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[circuit_breaker(ui_lim_breaker_204)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
async fn lfcbr_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[fallback(to = backup)]
#[circuit_breaker(ui_lim_breaker_205)]
#[concurrency_limit(ui_lim_conc, max = 8)]
fn lrfbc(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[fallback(to = backup_async, hedge_after = "300ms")]
#[circuit_breaker(ui_lim_breaker_206)]
#[concurrency_limit(ui_lim_conc, max = 8)]
async fn lrfbc_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[fallback(to = backup)]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[circuit_breaker(ui_lim_breaker_207)]
fn lrfcb(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[fallback(to = backup_async, hedge_after = "300ms")]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[circuit_breaker(ui_lim_breaker_208)]
async fn lrfcb_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[circuit_breaker(ui_lim_breaker_209)]
#[fallback(to = backup)]
#[concurrency_limit(ui_lim_conc, max = 8)]
fn lrbfc(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[circuit_breaker(ui_lim_breaker_210)]
#[fallback(to = backup_async, hedge_after = "300ms")]
#[concurrency_limit(ui_lim_conc, max = 8)]
async fn lrbfc_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[circuit_breaker(ui_lim_breaker_211)]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[fallback(to = backup)]
fn lrbcf(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[circuit_breaker(ui_lim_breaker_212)]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[fallback(to = backup_async, hedge_after = "300ms")]
async fn lrbcf_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[fallback(to = backup)]
#[circuit_breaker(ui_lim_breaker_213)]
fn lrcfb(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[fallback(to = backup_async, hedge_after = "300ms")]
#[circuit_breaker(ui_lim_breaker_214)]
async fn lrcfb_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[circuit_breaker(ui_lim_breaker_215)]
#[fallback(to = backup)]
fn lrcbf(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[circuit_breaker(ui_lim_breaker_216)]
#[fallback(to = backup_async, hedge_after = "300ms")]
async fn lrcbf_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[circuit_breaker(ui_lim_breaker_217)]
#[fallback(to = backup)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[concurrency_limit(ui_lim_conc, max = 8)]
fn lbfrc(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[circuit_breaker(ui_lim_breaker_218)]
#[fallback(to = backup_async, hedge_after = "300ms")]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[concurrency_limit(ui_lim_conc, max = 8)]
async fn lbfrc_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[circuit_breaker(ui_lim_breaker_219)]
#[fallback(to = backup)]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
fn lbfcr(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[circuit_breaker(ui_lim_breaker_220)]
#[fallback(to = backup_async, hedge_after = "300ms")]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
async fn lbfcr_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[circuit_breaker(ui_lim_breaker_221)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[fallback(to = backup)]
#[concurrency_limit(ui_lim_conc, max = 8)]
fn lbrfc(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[circuit_breaker(ui_lim_breaker_222)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[fallback(to = backup_async, hedge_after = "300ms")]
#[concurrency_limit(ui_lim_conc, max = 8)]
async fn lbrfc_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[circuit_breaker(ui_lim_breaker_223)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[fallback(to = backup)]
fn lbrcf(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[circuit_breaker(ui_lim_breaker_224)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[fallback(to = backup_async, hedge_after = "300ms")]
async fn lbrcf_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[circuit_breaker(ui_lim_breaker_225)]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[fallback(to = backup)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
fn lbcfr(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[circuit_breaker(ui_lim_breaker_226)]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[fallback(to = backup_async, hedge_after = "300ms")]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
async fn lbcfr_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[circuit_breaker(ui_lim_breaker_227)]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[fallback(to = backup)]
fn lbcrf(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[circuit_breaker(ui_lim_breaker_228)]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[fallback(to = backup_async, hedge_after = "300ms")]
async fn lbcrf_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[fallback(to = backup)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[circuit_breaker(ui_lim_breaker_229)]
fn lcfrb(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[fallback(to = backup_async, hedge_after = "300ms")]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[circuit_breaker(ui_lim_breaker_230)]
async fn lcfrb_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[fallback(to = backup)]
#[circuit_breaker(ui_lim_breaker_231)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
fn lcfbr(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[fallback(to = backup_async, hedge_after = "300ms")]
#[circuit_breaker(ui_lim_breaker_232)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
async fn lcfbr_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[fallback(to = backup)]
#[circuit_breaker(ui_lim_breaker_233)]
fn lcrfb(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[fallback(to = backup_async, hedge_after = "300ms")]
#[circuit_breaker(ui_lim_breaker_234)]
async fn lcrfb_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[circuit_breaker(ui_lim_breaker_235)]
#[fallback(to = backup)]
fn lcrbf(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[circuit_breaker(ui_lim_breaker_236)]
#[fallback(to = backup_async, hedge_after = "300ms")]
async fn lcrbf_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[circuit_breaker(ui_lim_breaker_237)]
#[fallback(to = backup)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
fn lcbfr(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[circuit_breaker(ui_lim_breaker_238)]
#[fallback(to = backup_async, hedge_after = "300ms")]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
async fn lcbfr_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[circuit_breaker(ui_lim_breaker_239)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[fallback(to = backup)]
fn lcbrf(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

#[rate_limit(ui_lim_rate, rate = 100, cost = x % 3 + 1)]
#[concurrency_limit(ui_lim_conc, max = 8)]
#[circuit_breaker(ui_lim_breaker_240)]
#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
#[fallback(to = backup_async, hedge_after = "300ms")]
async fn lcbrf_async(x: u32) -> Result<u32, ApiError> {
    if x == 0 { Err(ApiError::Unavailable) } else { Ok(x) }
}

fn main() {
    let _ = frbcl(1);
    let _ = frblc(1);
    let _ = frcbl(1);
    let _ = frclb(1);
    let _ = frlbc(1);
    let _ = frlcb(1);
    let _ = fbrcl(1);
    let _ = fbrlc(1);
    let _ = fbcrl(1);
    let _ = fbclr(1);
    let _ = fblrc(1);
    let _ = fblcr(1);
    let _ = fcrbl(1);
    let _ = fcrlb(1);
    let _ = fcbrl(1);
    let _ = fcblr(1);
    let _ = fclrb(1);
    let _ = fclbr(1);
    let _ = flrbc(1);
    let _ = flrcb(1);
    let _ = flbrc(1);
    let _ = flbcr(1);
    let _ = flcrb(1);
    let _ = flcbr(1);
    let _ = rfbcl(1);
    let _ = rfblc(1);
    let _ = rfcbl(1);
    let _ = rfclb(1);
    let _ = rflbc(1);
    let _ = rflcb(1);
    let _ = rbfcl(1);
    let _ = rbflc(1);
    let _ = rbcfl(1);
    let _ = rbclf(1);
    let _ = rblfc(1);
    let _ = rblcf(1);
    let _ = rcfbl(1);
    let _ = rcflb(1);
    let _ = rcbfl(1);
    let _ = rcblf(1);
    let _ = rclfb(1);
    let _ = rclbf(1);
    let _ = rlfbc(1);
    let _ = rlfcb(1);
    let _ = rlbfc(1);
    let _ = rlbcf(1);
    let _ = rlcfb(1);
    let _ = rlcbf(1);
    let _ = bfrcl(1);
    let _ = bfrlc(1);
    let _ = bfcrl(1);
    let _ = bfclr(1);
    let _ = bflrc(1);
    let _ = bflcr(1);
    let _ = brfcl(1);
    let _ = brflc(1);
    let _ = brcfl(1);
    let _ = brclf(1);
    let _ = brlfc(1);
    let _ = brlcf(1);
    let _ = bcfrl(1);
    let _ = bcflr(1);
    let _ = bcrfl(1);
    let _ = bcrlf(1);
    let _ = bclfr(1);
    let _ = bclrf(1);
    let _ = blfrc(1);
    let _ = blfcr(1);
    let _ = blrfc(1);
    let _ = blrcf(1);
    let _ = blcfr(1);
    let _ = blcrf(1);
    let _ = cfrbl(1);
    let _ = cfrlb(1);
    let _ = cfbrl(1);
    let _ = cfblr(1);
    let _ = cflrb(1);
    let _ = cflbr(1);
    let _ = crfbl(1);
    let _ = crflb(1);
    let _ = crbfl(1);
    let _ = crblf(1);
    let _ = crlfb(1);
    let _ = crlbf(1);
    let _ = cbfrl(1);
    let _ = cbflr(1);
    let _ = cbrfl(1);
    let _ = cbrlf(1);
    let _ = cblfr(1);
    let _ = cblrf(1);
    let _ = clfrb(1);
    let _ = clfbr(1);
    let _ = clrfb(1);
    let _ = clrbf(1);
    let _ = clbfr(1);
    let _ = clbrf(1);
    let _ = lfrbc(1);
    let _ = lfrcb(1);
    let _ = lfbrc(1);
    let _ = lfbcr(1);
    let _ = lfcrb(1);
    let _ = lfcbr(1);
    let _ = lrfbc(1);
    let _ = lrfcb(1);
    let _ = lrbfc(1);
    let _ = lrbcf(1);
    let _ = lrcfb(1);
    let _ = lrcbf(1);
    let _ = lbfrc(1);
    let _ = lbfcr(1);
    let _ = lbrfc(1);
    let _ = lbrcf(1);
    let _ = lbcfr(1);
    let _ = lbcrf(1);
    let _ = lcfrb(1);
    let _ = lcfbr(1);
    let _ = lcrfb(1);
    let _ = lcrbf(1);
    let _ = lcbfr(1);
    let _ = lcbrf(1);
    let runtime = tokio::runtime::Builder::new_current_thread().enable_time().build().unwrap();
    runtime.block_on(async {
        let _ = frbcl_async(1).await;
        let _ = frblc_async(1).await;
        let _ = frcbl_async(1).await;
        let _ = frclb_async(1).await;
        let _ = frlbc_async(1).await;
        let _ = frlcb_async(1).await;
        let _ = fbrcl_async(1).await;
        let _ = fbrlc_async(1).await;
        let _ = fbcrl_async(1).await;
        let _ = fbclr_async(1).await;
        let _ = fblrc_async(1).await;
        let _ = fblcr_async(1).await;
        let _ = fcrbl_async(1).await;
        let _ = fcrlb_async(1).await;
        let _ = fcbrl_async(1).await;
        let _ = fcblr_async(1).await;
        let _ = fclrb_async(1).await;
        let _ = fclbr_async(1).await;
        let _ = flrbc_async(1).await;
        let _ = flrcb_async(1).await;
        let _ = flbrc_async(1).await;
        let _ = flbcr_async(1).await;
        let _ = flcrb_async(1).await;
        let _ = flcbr_async(1).await;
        let _ = rfbcl_async(1).await;
        let _ = rfblc_async(1).await;
        let _ = rfcbl_async(1).await;
        let _ = rfclb_async(1).await;
        let _ = rflbc_async(1).await;
        let _ = rflcb_async(1).await;
        let _ = rbfcl_async(1).await;
        let _ = rbflc_async(1).await;
        let _ = rbcfl_async(1).await;
        let _ = rbclf_async(1).await;
        let _ = rblfc_async(1).await;
        let _ = rblcf_async(1).await;
        let _ = rcfbl_async(1).await;
        let _ = rcflb_async(1).await;
        let _ = rcbfl_async(1).await;
        let _ = rcblf_async(1).await;
        let _ = rclfb_async(1).await;
        let _ = rclbf_async(1).await;
        let _ = rlfbc_async(1).await;
        let _ = rlfcb_async(1).await;
        let _ = rlbfc_async(1).await;
        let _ = rlbcf_async(1).await;
        let _ = rlcfb_async(1).await;
        let _ = rlcbf_async(1).await;
        let _ = bfrcl_async(1).await;
        let _ = bfrlc_async(1).await;
        let _ = bfcrl_async(1).await;
        let _ = bfclr_async(1).await;
        let _ = bflrc_async(1).await;
        let _ = bflcr_async(1).await;
        let _ = brfcl_async(1).await;
        let _ = brflc_async(1).await;
        let _ = brcfl_async(1).await;
        let _ = brclf_async(1).await;
        let _ = brlfc_async(1).await;
        let _ = brlcf_async(1).await;
        let _ = bcfrl_async(1).await;
        let _ = bcflr_async(1).await;
        let _ = bcrfl_async(1).await;
        let _ = bcrlf_async(1).await;
        let _ = bclfr_async(1).await;
        let _ = bclrf_async(1).await;
        let _ = blfrc_async(1).await;
        let _ = blfcr_async(1).await;
        let _ = blrfc_async(1).await;
        let _ = blrcf_async(1).await;
        let _ = blcfr_async(1).await;
        let _ = blcrf_async(1).await;
        let _ = cfrbl_async(1).await;
        let _ = cfrlb_async(1).await;
        let _ = cfbrl_async(1).await;
        let _ = cfblr_async(1).await;
        let _ = cflrb_async(1).await;
        let _ = cflbr_async(1).await;
        let _ = crfbl_async(1).await;
        let _ = crflb_async(1).await;
        let _ = crbfl_async(1).await;
        let _ = crblf_async(1).await;
        let _ = crlfb_async(1).await;
        let _ = crlbf_async(1).await;
        let _ = cbfrl_async(1).await;
        let _ = cbflr_async(1).await;
        let _ = cbrfl_async(1).await;
        let _ = cbrlf_async(1).await;
        let _ = cblfr_async(1).await;
        let _ = cblrf_async(1).await;
        let _ = clfrb_async(1).await;
        let _ = clfbr_async(1).await;
        let _ = clrfb_async(1).await;
        let _ = clrbf_async(1).await;
        let _ = clbfr_async(1).await;
        let _ = clbrf_async(1).await;
        let _ = lfrbc_async(1).await;
        let _ = lfrcb_async(1).await;
        let _ = lfbrc_async(1).await;
        let _ = lfbcr_async(1).await;
        let _ = lfcrb_async(1).await;
        let _ = lfcbr_async(1).await;
        let _ = lrfbc_async(1).await;
        let _ = lrfcb_async(1).await;
        let _ = lrbfc_async(1).await;
        let _ = lrbcf_async(1).await;
        let _ = lrcfb_async(1).await;
        let _ = lrcbf_async(1).await;
        let _ = lbfrc_async(1).await;
        let _ = lbfcr_async(1).await;
        let _ = lbrfc_async(1).await;
        let _ = lbrcf_async(1).await;
        let _ = lbcfr_async(1).await;
        let _ = lbcrf_async(1).await;
        let _ = lcfrb_async(1).await;
        let _ = lcfbr_async(1).await;
        let _ = lcrfb_async(1).await;
        let _ = lcrbf_async(1).await;
        let _ = lcbfr_async(1).await;
        let _ = lcbrf_async(1).await;
    });
}
