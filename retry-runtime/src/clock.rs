//! The one clock breakers and budgets read: tokio's `Instant` with the `tokio` feature, std's
//! without it.
//!
//! tokio's `Instant::now()` is std's `Instant::now()` unless tokio's `test-util` feature is on,
//! and only test builds turn that on (this crate's dev-dependencies and the workspace root's),
//! so a production build reads std's clock at std's cost. With `test-util` on, a thread inside
//! a tokio runtime whose clock is paused (`#[tokio::test(start_paused = true)]`,
//! `tokio::time::pause()`) reads that paused clock, and `tokio::time::advance` moves breakers
//! and budgets exactly as far as it says; a thread outside every runtime, or in one whose
//! clock runs, reads the real clock (tokio falls back to std's, it does not panic). A plain
//! thread joins a paused clock by entering the runtime (`Handle::enter`).
//!
//! The sync retry loop's `max_elapsed` keeps std's clock: it sleeps with `std::thread::sleep`,
//! which a paused clock would not see.

#[cfg(not(feature = "tokio"))]
pub(crate) use std::time::Instant;
#[cfg(feature = "tokio")]
pub(crate) use tokio::time::Instant;
