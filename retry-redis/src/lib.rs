//! Breakers, retry budgets and rate limiters of `retry-runtime` shared by a fleet of
//! processes through Redis.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod admin;
mod breakers;
mod budgets;
mod conn;
mod fleet;
mod keys;
mod limiters;
mod link;
mod scripts;
mod sync;

pub use admin::{Admin, AdminError, BreakerRow, BudgetRow, LimiterRow};
pub use fleet::{Fleet, FleetBuilder, FleetError, FleetStatus};
