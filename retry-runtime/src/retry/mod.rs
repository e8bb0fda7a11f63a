//! The retry loops, one file a part, each depending only on those listed before it:
//!
//! - `gate.rs`: [`ThroughBreaker`], the `breaker` option: each attempt through a breaker;
//! - `setup.rs`: [`Retry`], a policy plus the options of a call, built by setters;
//! - `decide.rs`: the one decision core (after a failure: sleep how long, or give up) and the
//!   per-call state;
//! - `blocking.rs`: the sync driver ([`Retry::run`], [`retry`]), sleeping on the thread;
//! - `tokio.rs`: the async driver ([`Retry::run_async`], [`retry_async`]) and the one async
//!   loop, `retry_async_loop!`, which the attribute's expansion runs too.

mod blocking;
mod decide;
mod gate;
mod setup;
#[cfg(feature = "tokio")]
mod tokio;

pub use blocking::retry;
pub use gate::ThroughBreaker;
pub use setup::Retry;
#[cfg(feature = "tokio")]
pub use tokio::{pause, retry_async, AsyncState, Pause};
