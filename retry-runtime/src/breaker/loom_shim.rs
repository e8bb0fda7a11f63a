//! The atomics and the clock the breaker uses: std's atomics and the crate's clock
//! (`clock.rs`: tokio's `Instant` with the `tokio` feature, std's without), or loom's atomics
//! and a fake clock under `--cfg loom` (model checking, see `tests/breaker_loom.rs`).

#[cfg(loom)]
pub(crate) use loom::sync::atomic::{AtomicU32, AtomicU64, Ordering};
#[cfg(not(loom))]
pub(crate) use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};

/// Nanoseconds on the breaker clock: `EARLIER` plus the time since a process-wide base instant
/// (the first reading of any breaker), read off the crate's one clock (`clock.rs`: tokio's
/// `Instant` with the `tokio` feature, so a paused tokio clock drives breakers).
///
/// A reading earlier than the base (a paused clock that started before it and lags the real
/// one) counts back from `EARLIER` instead of stopping at zero, so every clock's readings keep
/// their exact differences, whichever clock read first.
#[cfg(not(loom))]
#[inline]
pub(crate) fn now_ns() -> u64 {
    use crate::clock::Instant;
    use std::sync::OnceLock;
    static BASE: OnceLock<Instant> = OnceLock::new();
    let now = Instant::now();
    let base = *BASE.get_or_init(|| now);
    let ns = |d: std::time::Duration| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX);
    match now.checked_duration_since(base) {
        Some(after) => EARLIER.saturating_add(ns(after)),
        None => EARLIER.saturating_sub(ns(base.duration_since(now))),
    }
}

/// Where the breaker clock's base stands: 60 s, room for readings before the base (a paused
/// clock lags the real one by about the time since its test started). Small on purpose: bucket
/// numbers of a rate window stay as low as with a base at zero.
#[cfg(not(loom))]
const EARLIER: u64 = 60_000_000_000;

/// Under loom the clock stands still unless the model moves it, so every execution of a
/// model is deterministic.
#[cfg(loom)]
pub(crate) fn now_ns() -> u64 {
    FAKE_NOW.load(std::sync::atomic::Ordering::SeqCst)
}

#[cfg(loom)]
pub(crate) static FAKE_NOW: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
