//! Exact event counters that a counting thread updates without a locked instruction.
//!
//! A site's statistics count on failure paths (a retry, a give-up...), and an atomic
//! read-modify-write there costs more than the rest of a retry decision (a `lock xadd` is
//! about 20 cycles on x86). So each counter set has [`STRIPES`] stripes, and each thread that
//! counts owns one stripe index for its whole life (handed out from a free list, returned when
//! the thread ends): the only writer of its stripe, it adds with a plain load and store.
//! Threads beyond [`STRIPES`] alive at once share one more stripe with atomic adds. A reader
//! sums every stripe; once the counting threads are joined (or otherwise synchronised with the
//! reader), the sum is exact.

use std::cell::Cell;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};

/// Stripes owned by one thread each.
pub(crate) const STRIPES: usize = 16;

/// `N` counters, striped.
#[derive(Debug)]
pub(crate) struct Counters<const N: usize> {
    owned: [[AtomicU64; N]; STRIPES],
    shared: [AtomicU64; N],
}

impl<const N: usize> Counters<N> {
    /// All zero. `const`, so counters can sit in `static`s.
    pub(crate) const fn new() -> Self {
        Counters {
            owned: [const { [const { AtomicU64::new(0) }; N] }; STRIPES],
            shared: [const { AtomicU64::new(0) }; N],
        }
    }

    /// Adds one to counter `which`.
    #[inline]
    pub(crate) fn add(&self, which: usize) {
        match stripe() {
            Some(stripe) => {
                // This thread is the stripe's only writer.
                let counter = &self.owned[stripe][which];
                counter.store(counter.load(Ordering::Relaxed) + 1, Ordering::Relaxed);
            }
            None => {
                self.shared[which].fetch_add(1, Ordering::Relaxed);
            }
        }
    }

    /// The sum of counter `which` over every stripe.
    pub(crate) fn sum(&self, which: usize) -> u64 {
        self.owned
            .iter()
            .map(|stripe| stripe[which].load(Ordering::Relaxed))
            .fold(
                self.shared[which].load(Ordering::Relaxed),
                u64::wrapping_add,
            )
    }
}

/// The stripe indices: how many were ever handed out, and those no living thread owns.
struct Pool {
    handed_out: usize,
    free: Vec<usize>,
}

static POOL: Mutex<Pool> = Mutex::new(Pool {
    handed_out: 0,
    free: Vec::new(),
});

/// A thread's stripe, returned to the pool when the thread ends. The pool's lock orders the
/// ending thread's last counts before the next owner's first.
struct Owned(Option<usize>);

impl Owned {
    fn take() -> Self {
        let mut pool = POOL.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(stripe) = pool.free.pop() {
            Owned(Some(stripe))
        } else if pool.handed_out < STRIPES {
            pool.handed_out += 1;
            Owned(Some(pool.handed_out - 1))
        } else {
            Owned(None)
        }
    }
}

impl Drop for Owned {
    fn drop(&mut self) {
        if let Some(stripe) = self.0 {
            // Counts after this point (from other thread-local destructors) go to the shared
            // stripe: the next owner may already be writing this one.
            let _ = STRIPE.try_with(|cell| cell.set(None));
            POOL.lock()
                .unwrap_or_else(PoisonError::into_inner)
                .free
                .push(stripe);
        }
    }
}

thread_local! {
    /// This thread's stripe: taken on its first count.
    static OWNED: Owned = Owned::take();
    /// A copy of it readable without the lazy-initialisation check: `Some(i)` once taken.
    static STRIPE: Cell<Option<usize>> = const { Cell::new(None) };
}

/// The calling thread's stripe, or `None` to use the shared one (all stripes taken, or the
/// thread is ending and its own is gone).
#[inline]
fn stripe() -> Option<usize> {
    match STRIPE.try_with(Cell::get) {
        Ok(Some(stripe)) => Some(stripe),
        _ => first_stripe(),
    }
}

#[cold]
#[inline(never)]
fn first_stripe() -> Option<usize> {
    let stripe = OWNED.try_with(|owned| owned.0).ok().flatten();
    let _ = STRIPE.try_with(|cell| cell.set(stripe));
    stripe
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;

    #[test]
    fn many_threads_count_exactly() {
        static COUNTERS: Counters<2> = Counters::new();
        // More threads than stripes, alive at once, then again: owned stripes, the shared
        // one, and stripes handed to new threads after their owners ended.
        for _ in 0..2 {
            std::thread::scope(|s| {
                for _ in 0..(STRIPES + 8) {
                    s.spawn(|| {
                        for _ in 0..10_000 {
                            COUNTERS.add(0);
                        }
                        COUNTERS.add(1);
                    });
                }
            });
        }
        assert_eq!(COUNTERS.sum(0), 2 * (STRIPES as u64 + 8) * 10_000);
        assert_eq!(COUNTERS.sum(1), 2 * (STRIPES as u64 + 8));
    }
}
