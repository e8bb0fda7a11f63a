//! The operations every bench measures, shared by the benches (`mod common;`) and
//! `examples/async_cost.rs` (`#[path]`): compiled into each binary, so calls stay as inlinable
//! as when each file had its own copy.

use std::hint::black_box;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use retry_runtime::{Jitter, RetryPolicy};

/// The error every operation returns on failure. `Result<u32, Transient>` is 8 bytes, returned
/// in a register: a larger result goes through memory, and the partial stores and wide reload
/// that causes (store-forwarding stalls, ~10 cycles each) would add noise to every bench alike.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Transient(pub u16);

impl std::fmt::Display for Transient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "HTTP {}", self.0)
    }
}

impl Transient {
    pub fn is_transient(&self) -> bool {
        matches!(self.0, 429 | 500..=504)
    }
}

/// The input of the success benches: never `u32::MAX`, but the compiler cannot know.
pub const INPUT: u32 = 41;

/// The attribute's defaults: 3 attempts, 100 ms doubling, capped at 10 s, full jitter.
pub const POLICY: RetryPolicy = RetryPolicy::exponential()
    .max_attempts(3)
    .initial_delay(Duration::from_millis(100))
    .max_delay(Duration::from_secs(10))
    .jitter(Jitter::Full);

/// The same with no sleep between attempts (the fail-once groups).
pub const ZERO_DELAY: RetryPolicy = RetryPolicy::exponential()
    .max_attempts(3)
    .initial_delay(Duration::ZERO);

/// The operation of the success groups: succeeds unless its (opaque) input is `u32::MAX`.
#[inline(never)]
pub fn op(x: u32) -> Result<u32, Transient> {
    let x = black_box(x);
    if x == u32::MAX {
        Err(Transient(503))
    } else {
        Ok(x + 1)
    }
}

/// The async twin of [`op`].
#[inline(never)]
pub async fn op_async(x: u32) -> Result<u32, Transient> {
    op(x)
}

/// The state of the flaky operation: `true` after a failed attempt. Plain loads and stores (no
/// read-modify-write), so it costs what a `Cell` does.
pub static FAILED_LAST: AtomicBool = AtomicBool::new(false);

/// Fails every other call: each logical call that retries fails once, then succeeds, and leaves
/// the state as it found it (checked by [`assert_fail_once`]).
#[inline(never)]
pub fn flaky() -> Result<u32, Transient> {
    let failed = FAILED_LAST.load(Ordering::Relaxed);
    FAILED_LAST.store(!failed, Ordering::Relaxed);
    if failed {
        Ok(black_box(7))
    } else {
        Err(Transient(503))
    }
}

/// The async twin of [`flaky`].
#[inline(never)]
pub async fn flaky_async() -> Result<u32, Transient> {
    flaky()
}

/// A logical call must have made exactly two attempts: one failure, then a success.
pub fn assert_fail_once(name: &str, r: Result<u32, Transient>) {
    assert_eq!(r, Ok(7), "{name}: expected a success after one failure");
    assert!(
        !FAILED_LAST.load(Ordering::Relaxed),
        "{name}: expected exactly two attempts"
    );
}

pub fn assert_success(name: &str, r: Result<u32, Transient>) {
    assert_eq!(r, Ok(INPUT + 1), "{name}");
}

/// A minimal tower retry policy: retry any error, up to `.0` more times, with no delay.
#[derive(Clone, Copy)]
pub struct RetryErrors(pub usize);

impl<Req: Clone, Res, E> tower::retry::Policy<Req, Res, E> for RetryErrors {
    type Future = std::future::Ready<()>;

    fn retry(&mut self, _: &mut Req, result: &mut Result<Res, E>) -> Option<Self::Future> {
        match result {
            Err(_) if self.0 > 0 => {
                self.0 -= 1;
                Some(std::future::ready(()))
            }
            _ => None,
        }
    }

    fn clone_request(&mut self, req: &Req) -> Option<Req> {
        Some(req.clone())
    }
}
