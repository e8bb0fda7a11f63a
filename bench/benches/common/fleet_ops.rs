//! The operations the fleet's success-path measures share (`benches/fleet.rs` in time,
//! `examples/fleet_cost.rs` in instructions): one operation under each attribute the fleet
//! joins, and under all three.

use std::hint::black_box;
use std::time::Duration;

use retry_runtime::{circuit_breaker, rate_limit, retry_on_failure, CircuitOpen, RateLimited};

/// The operation's error, with the two the attributes produce.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Failure {
    Transient(u16),
    Open,
    Limited,
}

impl From<CircuitOpen> for Failure {
    #[cold]
    fn from(_: CircuitOpen) -> Self {
        Failure::Open
    }
}

impl From<RateLimited> for Failure {
    #[cold]
    fn from(_: RateLimited) -> Self {
        Failure::Limited
    }
}

/// Never `u32::MAX`, but the compiler cannot know.
pub const INPUT: u32 = 41;

/// Succeeds unless its (opaque) input is `u32::MAX`.
#[inline(never)]
pub fn op(x: u32) -> Result<u32, Failure> {
    let x = black_box(x);
    if x == u32::MAX {
        Err(Failure::Transient(503))
    } else {
        Ok(x + 1)
    }
}

#[circuit_breaker(fleet_ops_breaker, failure_threshold = 5)]
pub fn breaker(x: u32) -> Result<u32, Failure> {
    op(x)
}

#[retry_on_failure(max_attempts = 3, budget = "fleet_ops_budget")]
pub fn retry_budget(x: u32) -> Result<u32, Failure> {
    op(x)
}

#[rate_limit(fleet_ops_rate, rate = 4_294_967_295, burst = 4_294_967_295)]
pub fn rate_limited(x: u32) -> Result<u32, Failure> {
    op(x)
}

#[retry_on_failure(max_attempts = 3, budget = "fleet_ops_stack_budget")]
#[circuit_breaker(fleet_ops_stack_breaker, failure_threshold = 5)]
#[rate_limit(fleet_ops_stack_rate, rate = 4_294_967_295, burst = 4_294_967_295)]
pub fn stack(x: u32) -> Result<u32, Failure> {
    op(x)
}

/// One of the operations above.
pub type Op = fn(u32) -> Result<u32, Failure>;

/// Each case by the name the measures print.
pub const CASES: [(&str, Op); 4] = [
    ("breaker", breaker),
    ("retry_budget", retry_budget),
    ("rate_limit", rate_limited),
    ("stack", stack),
];

/// The Redis the fleet measures use: `REDIS_URL`, or the local one.
pub fn redis_url() -> String {
    std::env::var("REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".into())
}

/// Starts a fleet in a namespace of this process's own (`<prefix>-<pid>`), waits up to 2 s for
/// it to connect, then lets its sync task join the operations' breakers, budgets and limiters
/// (made before, by a first call of each): `status().connected` says whether Redis answered.
pub async fn start_fleet(prefix: &str) -> retry_redis::Fleet {
    let fleet = retry_redis::Fleet::builder(redis_url())
        .namespace(format!("{prefix}-{}", std::process::id()))
        .start()
        .await
        .expect("the fleet starts");
    for _ in 0..200 {
        if fleet.status().connected {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    if fleet.status().connected {
        tokio::time::sleep(Duration::from_millis(1200)).await;
    }
    fleet
}
