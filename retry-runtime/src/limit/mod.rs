//! Limiters: pacing calls before they fail. A rate limiter ([`RateLimiter`], the generic cell
//! rate algorithm in one atomic word) and a concurrency limit ([`ConcurrencyLimit`], a fair
//! semaphore for threads and tasks), each with a process-wide registry by name.
//!
//! # Files
//!
//! From the top of the module down; each file uses only files below it.
//!
//! - `registry.rs`: the registries ([`register_limiter`], [`limiter`], [`limiters`],
//!   [`register_concurrency_limit`], [`concurrency_limit`], [`concurrency_limits`]) and the
//!   per-site handles `RateLimitSite` and `ConcurrencyLimitSite`.
//! - `waiting.rs`: the rate limiter's calls that wait ([`RateLimiter::acquire`],
//!   [`RateLimiter::acquire_async`]): reservations, and giving them back.
//! - `rate.rs`: [`RateLimiter`], its one-word state, `try_acquire` (with leases under
//!   contention), `pause`, `set_rate`.
//! - `concurrency.rs`: [`ConcurrencyLimit`] and [`ConcurrencyPermit`].
//! - `queue.rs`: a concurrency limit's line of waiters, first come, first served.
//! - `lease.rs`: units a thread takes several at a time when threads contend, and why the
//!   bound still holds.
//! - `holes.rs`: slots given back by dropped waiting calls, for later callers.
//! - `gcra.rs`: the algorithm's arithmetic and the proof of the limiter's bound.
//! - `timeline.rs`: a limiter's clock, nanoseconds since its first reading.
//! - `config.rs`: [`LimiterConfig`].
//! - `refused.rs`: [`RateLimited`], the error of a refused call.
//! - `snapshot.rs`: [`LimiterSnapshot`] and [`ConcurrencySnapshot`].
//!
//! This file holds only these docs, the `mod` lines and the re-exports.

mod concurrency;
mod config;
mod gcra;
mod holes;
mod lease;
mod queue;
mod rate;
mod refused;
mod registry;
mod snapshot;
mod timeline;
mod waiting;

pub use concurrency::{ConcurrencyLimit, ConcurrencyPermit};
pub use config::LimiterConfig;
pub use rate::RateLimiter;
pub use refused::RateLimited;
pub use registry::{
    concurrency_limit, concurrency_limits, limiter, limiters, register_concurrency_limit,
    register_limiter, ConcurrencyLimitSite, RateLimitSite,
};
pub use snapshot::{ConcurrencySnapshot, LimiterSnapshot};
