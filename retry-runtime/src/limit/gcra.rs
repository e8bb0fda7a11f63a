//! The generic cell rate algorithm (GCRA), the token bucket without a refill task: one number,
//! the theoretical arrival time (TAT), says when the limiter will have caught up with every
//! unit admitted so far.
//!
//! With an emission interval `T = per / rate` and a tolerance `burst * T`, a call of `cost`
//! units arriving at `now` is scheduled after the later of `TAT` and `now`; it conforms once
//! `TAT + cost * T` is within the tolerance of the clock, and then the TAT moves to that sum.
//! A limiter keeps its TAT in one `AtomicU64` and moves it with compare-exchange (`rate.rs`);
//! this file is only the arithmetic, so it can be checked on its own.
//!
//! # The bound
//!
//! Over any interval `[s, s + t]`, the units admitted (each at its own reading of the clock,
//! or at its turn for a call that waited) are at most `burst + t / T`. Take them in the order
//! their compare-exchanges took effect. The TAT only grows, by at least `cost * T` per
//! admission, from a start of at least `s` for the first (`max(TAT, now)` with `now >= s`; a
//! call that waited has `start >= turn + (burst - cost) * T >= s`); and every admission leaves
//! it within the tolerance of its own time, so the last leaves it at most `s + t + burst * T`.
//! Hence `units * T <= t + burst * T`. A reservation given back (`waiting.rs`) either rolls
//! the TAT back when nothing was scheduled after it, which is as if it had never been made, or
//! hands its exact slot to a later caller, which keeps the same schedule. A lease of several
//! units for one thread (`lease.rs`) is scheduled as if it arrived at the end of the window
//! its units are handed out in, which keeps the same argument.

/// Where a call of `cost` units arriving at `now` falls: the TAT once it is admitted, and how
/// long after `now` it conforms (0: at once). `interval` is `T`, `tolerance` is `burst * T`;
/// every sum saturates, so absurd inputs cannot wrap.
#[inline]
pub(crate) fn schedule(tat: u64, now: u64, cost: u32, interval: u64, tolerance: u64) -> (u64, u64) {
    let start = if tat > now { tat } else { now };
    let new_tat = start.saturating_add(u64::from(cost).saturating_mul(interval));
    let turn = new_tat.saturating_sub(tolerance);
    (new_tat, turn.saturating_sub(now))
}

/// The whole units a limiter could admit at once at `now`, at most `burst`.
pub(crate) fn available(tat: u64, now: u64, interval: u64, burst: u32) -> u32 {
    let tolerance = interval.saturating_mul(u64::from(burst));
    let used = tat.saturating_sub(now);
    let free = tolerance.saturating_sub(used) / interval;
    u32::try_from(free).unwrap_or(u32::MAX).min(burst)
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: u64 = 10; // ns per unit
    const BURST: u32 = 4;
    const TOL: u64 = T * BURST as u64;

    #[test]
    fn an_idle_limiter_admits_a_burst_then_paces() {
        let (mut tat, mut now) = (0, 1_000);
        for _ in 0..BURST {
            let (next, wait) = schedule(tat, now, 1, T, TOL);
            assert_eq!(wait, 0);
            tat = next;
        }
        assert_eq!(available(tat, now, T, BURST), 0);
        // The fifth unit waits one interval, and so does every unit after it.
        let (next, wait) = schedule(tat, now, 1, T, TOL);
        assert_eq!(wait, T);
        now += T;
        assert_eq!(schedule(tat, now, 1, T, TOL), (next, 0));
        assert_eq!(available(next, now, T, BURST), 0);
        // After an idle spell the burst is back, and no more.
        assert_eq!(available(next, now + 100 * T, T, BURST), BURST);
    }

    #[test]
    fn a_cost_waits_for_as_many_intervals() {
        let (tat, wait) = schedule(0, 1_000, BURST, T, TOL);
        assert_eq!((tat, wait), (1_000 + TOL, 0));
        let (_, wait) = schedule(tat, 1_000, 3, T, TOL);
        assert_eq!(wait, 3 * T);
        // A cost above the burst never conforms at once, however idle the limiter.
        let (_, wait) = schedule(0, 1_000, BURST + 1, T, TOL);
        assert_eq!(wait, T);
    }

    #[test]
    fn sums_saturate() {
        let (tat, wait) = schedule(u64::MAX - 1, 0, u32::MAX, u64::MAX, u64::MAX);
        assert_eq!(tat, u64::MAX);
        assert_eq!(wait, 0);
        assert_eq!(available(u64::MAX, 0, T, BURST), 0);
    }
}
