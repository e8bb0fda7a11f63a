//! Exact event counters that a counting thread updates without a locked instruction.
//!
//! A site's statistics count on failure paths (a retry, a give-up...), and an atomic
//! read-modify-write there costs more than the rest of a retry decision (a `lock xadd` is
//! about 20 cycles on x86). So each counter set has [`STRIPES`] stripes, and the thread holding
//! index `i` (`thread_index.rs`, as the breaker's rate window does) is the only writer of stripe
//! `i` and adds with a plain load and store. Threads with an index beyond [`STRIPES`] share one
//! more stripe with atomic adds. A reader sums every stripe; once the counting threads are
//! joined (or otherwise synchronised with the reader), the sum is exact.

use std::sync::atomic::{AtomicU64, Ordering};

use crate::thread_index::thread_index;

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
        match self.owned.get(thread_index()) {
            Some(stripe) => {
                // This thread is the stripe's only writer.
                let counter = &stripe[which];
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
