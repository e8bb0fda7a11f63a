//! Leases: when threads contend for a rate limiter's one word (a compare-exchange failed), a
//! thread takes several units in one compare-exchange and keeps them in a stripe of its own
//! (`thread_index.rs`: the thread holding index `i` is the only writer of stripe `i`), then
//! admits its next calls from there with a plain load and store, until the units run out, the
//! lease's window passes, or a pause or a new rate makes leases void. A lease used up within
//! its window is renewed at once (calls come fast); one whose window passed first is not (calls
//! come slowly: the thread admits them one by one until threads contend again). An
//! uncontended limiter never leases.
//!
//! # The bound, kept
//!
//! A lease of `k` units taken at `L` is valid until `L + W`, and is scheduled as if it arrived
//! at `L + W`: the TAT becomes `max(TAT, L + W) + k * T`, which must be within the tolerance of
//! `L` (`<= L + burst * T`). Every unit is handed out at some `a` in `[L, L + W]`. In the
//! argument of `gcra.rs`, the first admission whose units fall in a window `[s, s + t]` starts
//! the TAT at `L + W >= a >= s` at least, and the last leaves it at most `L + burst * T <= s +
//! t + burst * T`: the same `units * T <= t + burst * T`. The price is the lease's window, taken
//! from the burst while the limiter is idle: leases are taken only when `W + k * T` is at most
//! half the tolerance, so half the burst stays for everyone. Units a lease held when it expired
//! or was voided are lost: the limiter admits less than it could, never more.

use std::sync::atomic::{AtomicU32, AtomicU64, Ordering::Relaxed};

use crate::padded::CachePadded;
use crate::thread_index::thread_index;

/// Stripes, one per thread index below this; threads beyond it take no lease.
const STRIPES: usize = 16;
/// The most units in one lease.
const MAX_UNITS: u32 = 16;
/// The shortest window a lease is valid for: long enough for a busy thread to use its units.
const MIN_WINDOW_NS: u64 = 100_000;

/// A lease's size and window for a limiter of `interval` ns per unit and `burst`: `None` when
/// the limiter is too small for one (fewer than 2 units, or a window that would take more
/// than half the tolerance).
pub(super) fn terms(interval: u64, burst: u32) -> Option<(u32, u64)> {
    let units = MAX_UNITS.min(burst / 4);
    if units < 2 {
        return None;
    }
    let span = interval.saturating_mul(u64::from(units));
    let window = span.max(MIN_WINDOW_NS);
    let tolerance = interval.saturating_mul(u64::from(burst));
    (window.saturating_add(span) <= tolerance / 2).then_some((units, window))
}

/// What a thread's lease did for a call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Take {
    /// Admitted from the lease.
    Taken,
    /// The lease is used up, within its window: take the next one.
    Renew,
    /// No lease to use or renew: admit the call alone.
    Alone,
}

/// One thread's lease.
#[derive(Debug, Default)]
struct Stripe {
    units: AtomicU32,
    /// The end of the lease's window, on the limiter's timeline.
    until: AtomicU64,
    /// The limiter's lease generation when the lease was taken.
    generation: AtomicU64,
}

/// A limiter's stripes, allocated on its first lease.
#[derive(Debug)]
pub(super) struct Leases {
    stripes: [CachePadded<Stripe>; STRIPES],
}

impl Leases {
    pub(super) fn new() -> Self {
        Leases {
            stripes: std::array::from_fn(|_| CachePadded::new(Stripe::default())),
        }
    }

    /// This thread's stripe, if it has one.
    #[inline]
    fn mine(&self) -> Option<&Stripe> {
        self.stripes.get(thread_index()).map(|s| &**s)
    }

    /// Admits `cost` units at `now` from this thread's lease if it can ([`Take::Taken`]);
    /// otherwise says whether to take the next lease at once ([`Take::Renew`]: the lease was
    /// used up within its window, so calls come fast) or to admit the call alone
    /// ([`Take::Alone`]: no stripe, no lease yet, a lease voided, or one whose window passed
    /// before it was used up, so calls come slowly and a new lease would mostly be lost).
    #[inline]
    pub(super) fn take(&self, cost: u32, now: u64, generation: u64) -> Take {
        let Some(stripe) = self.mine() else {
            return Take::Alone;
        };
        if now > stripe.until.load(Relaxed) || stripe.generation.load(Relaxed) != generation {
            return Take::Alone;
        }
        let units = stripe.units.load(Relaxed);
        if units < cost {
            return Take::Renew;
        }
        // This thread is the stripe's only writer.
        stripe.units.store(units - cost, Relaxed);
        Take::Taken
    }

    /// Whether this thread has a stripe to keep a lease in.
    pub(super) fn has_stripe(&self) -> bool {
        self.mine().is_some()
    }

    /// Keeps `units` leased until `until`, taken in `generation`, in this thread's stripe.
    pub(super) fn keep(&self, units: u32, until: u64, generation: u64) {
        if let Some(stripe) = self.mine() {
            stripe.units.store(0, Relaxed);
            stripe.until.store(until, Relaxed);
            stripe.generation.store(generation, Relaxed);
            stripe.units.store(units, Relaxed);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_limiters_take_no_lease() {
        assert_eq!(terms(10_000_000, 7), None, "burst too small");
        // 100 a second, burst 10: 2 units, a window of 20 ms; 40 ms of the 100 ms tolerance.
        assert_eq!(terms(10_000_000, 10), Some((2, 20_000_000)));
        assert_eq!(terms(1, u32::MAX), Some((MAX_UNITS, MIN_WINDOW_NS)));
        // A window of 100 us would take more than half of a 64 ns tolerance.
        assert_eq!(terms(1, 64), None);
    }

    #[test]
    fn a_lease_serves_its_units_within_its_window_and_generation() {
        let leases = Leases::new();
        assert_eq!(leases.take(1, 1, 0), Take::Alone, "no lease yet");
        leases.keep(3, 100, 7);
        assert_eq!(leases.take(2, 50, 7), Take::Taken);
        assert_eq!(
            leases.take(2, 50, 7),
            Take::Renew,
            "one unit left: calls come fast"
        );
        assert_eq!(leases.take(1, 101, 7), Take::Alone, "window passed");
        assert_eq!(leases.take(1, 50, 8), Take::Alone, "voided");
        assert_eq!(leases.take(1, 100, 7), Take::Taken);
        assert_eq!(leases.take(1, 100, 7), Take::Renew);
    }
}
