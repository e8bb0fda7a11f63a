//! Ground floor: per-thread counts of the retry loops' clock reads and random draws, so a test
//! can check the promise that a call reads no clock and draws nothing before its first
//! failure. Counted in debug builds only (tests build in debug): without `debug_assertions`
//! (release builds, benches) the counters, the type and `probe` do not exist and every
//! increment is an empty function. Read through `__private::probe`.

#[cfg(debug_assertions)]
use std::cell::Cell;

/// What the retry loops of the current thread have done since the thread started: clock
/// reads (`Clock::now` at a call's start, `Clock::since` for `elapsed`) and draws from the
/// jitter generator. Take it before and after a call and subtract.
#[cfg(debug_assertions)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Probe {
    /// Reads of the loops' clock.
    pub clock_reads: u64,
    /// Draws from the loops' jitter generator.
    pub draws: u64,
}

#[cfg(debug_assertions)]
impl Probe {
    /// What happened between `earlier` (an older reading on the same thread) and `self`.
    pub fn since(self, earlier: Probe) -> Probe {
        Probe {
            clock_reads: self.clock_reads - earlier.clock_reads,
            draws: self.draws - earlier.draws,
        }
    }
}

#[cfg(debug_assertions)]
thread_local! {
    static COUNTS: Cell<Probe> = const { Cell::new(Probe { clock_reads: 0, draws: 0 }) };
}

/// The counts of the current thread so far (debug builds only).
#[cfg(debug_assertions)]
pub fn probe() -> Probe {
    COUNTS.with(Cell::get)
}

/// Counts one clock read of a retry loop; nothing in a release build.
#[inline(always)]
pub(crate) fn clock_read() {
    #[cfg(debug_assertions)]
    bump(|p| p.clock_reads += 1);
}

/// Counts one draw from the jitter generator; nothing in a release build.
#[inline(always)]
pub(crate) fn draw() {
    #[cfg(debug_assertions)]
    bump(|p| p.draws += 1);
}

/// Applies `count` to the current thread's counts.
#[cfg(debug_assertions)]
fn bump(count: impl FnOnce(&mut Probe)) {
    COUNTS.with(|c| {
        let mut p = c.get();
        count(&mut p);
        c.set(p);
    });
}
