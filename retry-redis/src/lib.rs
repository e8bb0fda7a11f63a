//! Breakers, retry budgets and rate limiters of `retry-runtime` shared by a fleet of
//! processes through Redis.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod keys;
#[expect(
    dead_code,
    reason = "the scripts the fleet's sync task runs; only Admin is here yet"
)]
mod scripts;

pub mod admin;
pub use admin::*;
