//! The atomics and the clock the breaker uses: std's, or loom's and a fake clock under
//! `--cfg loom` (model checking, see `tests/breaker_loom.rs`).

#[cfg(loom)]
pub(crate) use loom::sync::atomic::{AtomicU32, AtomicU64, Ordering};
#[cfg(not(loom))]
pub(crate) use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};

/// Nanoseconds since a process-wide base instant (the first time any breaker read the clock).
#[cfg(not(loom))]
#[inline]
pub(crate) fn now_ns() -> u64 {
    use std::sync::OnceLock;
    use std::time::Instant;
    static BASE: OnceLock<Instant> = OnceLock::new();
    let base = *BASE.get_or_init(Instant::now);
    u64::try_from(base.elapsed().as_nanos()).unwrap_or(u64::MAX)
}

/// Under loom the clock stands still unless the model moves it, so every execution of a
/// model is deterministic.
#[cfg(loom)]
pub(crate) fn now_ns() -> u64 {
    FAKE_NOW.load(std::sync::atomic::Ordering::SeqCst)
}

#[cfg(loom)]
pub(crate) static FAKE_NOW: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
