//! `RateWindow`, rate mode's sliding window: calls and failures counted in time buckets,
//! striped per thread.
//!
//! The window is cut into [`BUCKETS`] buckets of `window / BUCKETS`; a call counts while its
//! bucket is one of the last `BUCKETS` (so for between `window - window / BUCKETS` and `window`).
//! Each slot packs the bucket's number (24 bits) with its count (40 bits) in one atomic word,
//! so a slot left over from an older bucket is recognised and restarted by its next writer.
//!
//! # Stripes
//!
//! Every live thread holds a small index (`thread_index.rs`), unique among live threads and
//! handed back when the thread exits. The thread holding index `i` is the only writer of stripe
//! `i` (cache-padded, so
//! two cores never write one line), so it counts with a plain load and store, no atomic
//! read-modify-write (a `lock`-prefixed add costs several times the rest of the path). Threads
//! beyond the stripes count into one shared stripe with atomic adds. Readers never write an
//! owned stripe: to forget every call (the breaker closed again), a reader bumps the window's
//! *clear generation*; a stripe that has not caught up with it counts as empty, and its owner
//! zeroes it on its next call.
//!
//! # Time
//!
//! The bucket a success lands in is the breaker's *shared epoch*, the newest bucket number any
//! thread has read off the clock, not a clock reading of its own (`Instant::now` costs about
//! 20 ns, several times the rest of the path). Failures always read the clock, and so does a
//! success while its stripe's bucket holds fewer than [`EXACT`] calls, then one success in
//! [`SAMPLE`]: at most `SAMPLE - 1` successes per stripe and bucket, and never more than one in
//! `EXACT / (SAMPLE - 1)` (about 6 %) of a bucket's count, can land in a bucket older than
//! their own, where they leave the window early. At low traffic every call reads the clock and
//! the window is exact to its bucket.

use super::loom_shim::{
    now_ns, AtomicU64,
    Ordering::{Acquire, Relaxed, Release},
};
use crate::padded::CachePadded;
use crate::thread_index::thread_index;

/// Buckets per window.
pub(crate) const BUCKETS: usize = 16;
/// A stripe reads the clock on every success while its bucket holds fewer calls than this.
const EXACT: u64 = 256;
/// Past [`EXACT`], one success in this many reads the clock (a power of two).
const SAMPLE: u64 = 16;

const TAG_SHIFT: u32 = 40;
const COUNT: u64 = (1 << TAG_SHIFT) - 1;
const TAG_BITS: u64 = (1 << 24) - 1;

#[inline]
fn tag(epoch: u64) -> u64 {
    epoch & TAG_BITS
}

/// `a` is a later bucket than `b`, by less than a window (24-bit bucket numbers, compared
/// modulo wrap-around). A writer's epoch lags the newest by a bucket or so, never by a window; a
/// slot tagged further "ahead" than that is in fact stale (a fresh slot's tag 0 seen from a
/// bucket number past 2^23, or a slot idle for 2^23 buckets), and is restarted, not counted
/// into: counting into it would hide the call from the window.
#[inline]
fn later(a: u64, b: u64) -> bool {
    let d = a.wrapping_sub(b) & TAG_BITS;
    d != 0 && d < BUCKETS as u64
}

/// The slot value after counting one call of bucket `e` into a slot holding `v`: one more in
/// the same bucket, or in a later one (the caller's epoch was stale: the call is recent, and
/// counts there); a fresh count of one when the slot holds an older bucket.
#[inline]
fn bumped(v: u64, e: u64) -> u64 {
    let t = v >> TAG_SHIFT;
    if t == tag(e) || later(t, tag(e)) {
        v + 1
    } else {
        tag(e) << TAG_SHIFT | 1
    }
}

// ---- the window ----

/// One thread's counters: a slot per bucket for calls and one for failures, and the clear
/// generation its owner last caught up with. Kept in a [`CachePadded`], so neighbouring stripes
/// never share a cache line (nor an adjacent-line prefetch pair).
struct Stripe {
    seen: AtomicU64,
    calls: [AtomicU64; BUCKETS],
    failures: [AtomicU64; BUCKETS],
}

impl Stripe {
    fn new() -> Self {
        Stripe {
            seen: AtomicU64::new(0),
            calls: std::array::from_fn(|_| AtomicU64::new(0)),
            failures: std::array::from_fn(|_| AtomicU64::new(0)),
        }
    }

    fn sum(&self, e: u64, calls: &mut u64, failures: &mut u64) {
        let live = |v: u64| {
            let age = tag(e).wrapping_sub(v >> TAG_SHIFT) & TAG_BITS;
            if age < BUCKETS as u64 {
                v & COUNT
            } else {
                0
            }
        };
        for b in 0..BUCKETS {
            *calls = calls.saturating_add(live(self.calls[b].load(Relaxed)));
            *failures = failures.saturating_add(live(self.failures[b].load(Relaxed)));
        }
    }

    fn zero(&self) {
        for b in 0..BUCKETS {
            self.calls[b].store(0, Relaxed);
            self.failures[b].store(0, Relaxed);
        }
    }
}

/// The sliding window of one breaker in rate mode.
pub(crate) struct RateWindow {
    /// The newest bucket number read off the clock by any thread.
    epoch: AtomicU64,
    /// Bumped to forget every call.
    clears: AtomicU64,
    bucket_ns: u64,
    /// Stripe `i` is written only by the live thread holding index `i`.
    owned: Box<[CachePadded<Stripe>]>,
    /// For threads beyond `owned`: atomic adds.
    shared: Box<CachePadded<Stripe>>,
}

impl std::fmt::Debug for RateWindow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RateWindow")
            .field("bucket_ns", &self.bucket_ns)
            .field("stripes", &self.owned.len())
            .finish_non_exhaustive()
    }
}

impl RateWindow {
    pub(crate) fn new(window: std::time::Duration) -> Self {
        let nanos = u64::try_from(window.as_nanos()).unwrap_or(u64::MAX);
        let bucket_ns = (nanos / BUCKETS as u64).max(1);
        // Twice the cores, so that a pool's threads rarely spill into the shared stripe:
        // 384 bytes each, 1.5 KiB on a small machine, 24 KiB at most.
        let stripes = std::thread::available_parallelism()
            .map_or(4, |n| n.get() * 2)
            .clamp(4, 64);
        RateWindow {
            epoch: AtomicU64::new(now_ns() / bucket_ns),
            clears: AtomicU64::new(0),
            bucket_ns,
            owned: (0..stripes)
                .map(|_| CachePadded::new(Stripe::new()))
                .collect(),
            shared: Box::new(CachePadded::new(Stripe::new())),
        }
    }

    /// Counts a successful call: a few loads and one plain store to the thread's own stripe.
    #[inline]
    pub(crate) fn success(&self) {
        match self.owned.get(thread_index()) {
            Some(stripe) => {
                let clears = self.clears.load(Relaxed);
                if stripe.seen.load(Relaxed) != clears {
                    catch_up(stripe, clears);
                }
                let e = self.epoch.load(Relaxed);
                let slot = &stripe.calls[e as usize % BUCKETS];
                let v = slot.load(Relaxed);
                if v >> TAG_SHIFT == tag(e) && v & COUNT >= EXACT && v & (SAMPLE - 1) != SAMPLE - 1
                {
                    slot.store(v + 1, Relaxed);
                } else {
                    slot.store(bumped(v, e), Relaxed);
                    self.tick();
                }
            }
            None => self.shared_success(),
        }
    }

    #[cold]
    #[inline(never)]
    fn shared_success(&self) {
        let e = self.epoch.load(Relaxed);
        add(&self.shared.calls[e as usize % BUCKETS], e);
        self.tick();
    }

    /// Reads the clock and moves the shared epoch forward to it (writing only when it moved).
    fn tick(&self) -> u64 {
        let now = now_ns() / self.bucket_ns;
        if now > self.epoch.load(Relaxed) {
            self.epoch.fetch_max(now, Relaxed);
        }
        now
    }

    /// Counts a failed call and returns the window's `(calls, failures)` with it included.
    pub(crate) fn failure(&self) -> (u64, u64) {
        let e = self.tick();
        let b = e as usize % BUCKETS;
        match self.owned.get(thread_index()) {
            Some(stripe) => {
                let clears = self.clears.load(Relaxed);
                if stripe.seen.load(Relaxed) != clears {
                    catch_up(stripe, clears);
                }
                for slot in [&stripe.calls[b], &stripe.failures[b]] {
                    slot.store(bumped(slot.load(Relaxed), e), Relaxed);
                }
            }
            None => {
                add(&self.shared.calls[b], e);
                add(&self.shared.failures[b], e);
            }
        }
        self.sum(e)
    }

    /// The window's `(calls, failures)` now.
    pub(crate) fn totals(&self) -> (u64, u64) {
        let e = self.tick();
        self.sum(e)
    }

    fn sum(&self, e: u64) -> (u64, u64) {
        let (mut calls, mut failures) = (0u64, 0u64);
        let clears = self.clears.load(Acquire);
        for stripe in self.owned.iter() {
            // A stripe its owner has not zeroed since the last clear holds forgotten calls.
            if stripe.seen.load(Acquire) == clears {
                stripe.sum(e, &mut calls, &mut failures);
            }
        }
        self.shared.sum(e, &mut calls, &mut failures);
        (calls, failures.min(calls))
    }

    /// Forgets every call (the breaker closed again and starts afresh).
    pub(crate) fn clear(&self) {
        self.clears.fetch_add(1, Release);
        self.shared.zero();
    }
}

/// The owner zeroes its stripe after a clear, then marks it caught up.
#[cold]
#[inline(never)]
fn catch_up(stripe: &Stripe, clears: u64) {
    stripe.zero();
    stripe.seen.store(clears, Release);
}

/// Adds one call of bucket `e` to a slot of the shared stripe.
#[inline]
fn add(slot: &AtomicU64, e: u64) {
    let prev = slot.fetch_add(1, Relaxed);
    if prev >> TAG_SHIFT != tag(e) {
        restart(slot, prev, e);
    }
}

/// Our `+1` went into a shared slot holding another bucket (`prev`). If that bucket is later
/// than ours, the call simply counts there. If it is older, its count is dead: restart the slot
/// at bucket `e` with our one call, or, if another thread restarted it first (discarding our
/// `+1` with the old count), add ours again.
#[cold]
fn restart(slot: &AtomicU64, prev: u64, e: u64) {
    let old = prev >> TAG_SHIFT;
    if later(old, tag(e)) {
        return;
    }
    let mut cur = slot.load(Relaxed);
    loop {
        if cur >> TAG_SHIFT != old {
            slot.fetch_add(1, Relaxed);
            return;
        }
        match slot.compare_exchange_weak(cur, tag(e) << TAG_SHIFT | 1, Relaxed, Relaxed) {
            Ok(_) => return,
            Err(now) => cur = now,
        }
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;

    #[test]
    fn tags_compare_modulo_wraparound() {
        assert!(later(5, 4));
        assert!(!later(4, 5));
        assert!(!later(4, 4));
        assert!(later(0, TAG_BITS));
        assert!(!later(0, TAG_BITS - BUCKETS as u64));
    }

    #[test]
    fn a_fresh_slot_counts_at_any_age_of_the_process() {
        // Bucket numbers past 2^23 (a 1 s window after about 6 days, a 1 ms window after about
        // 9 minutes): a fresh slot (tag 0, count 0) must take the call's bucket, or the call
        // would count under tag 0, outside every window.
        let e = (1 << 23) + 5;
        assert_eq!(bumped(0, e), tag(e) << TAG_SHIFT | 1);
        let slot = AtomicU64::new(0);
        add(&slot, e);
        assert_eq!(slot.load(Relaxed), tag(e) << TAG_SHIFT | 1);
        // A slot idle for 2^23 buckets is stale too.
        assert_eq!(
            bumped(5 << TAG_SHIFT | 9, 6 + (1 << 23)),
            tag(6 + (1 << 23)) << TAG_SHIFT | 1
        );
    }

    #[test]
    fn a_slot_of_an_older_bucket_restarts() {
        let slot = AtomicU64::new(3 << TAG_SHIFT | 41);
        add(&slot, 7);
        assert_eq!(slot.load(Relaxed), 7 << TAG_SHIFT | 1);
        add(&slot, 7);
        assert_eq!(slot.load(Relaxed), 7 << TAG_SHIFT | 2);
        // A writer still on an older bucket counts into the newer one.
        add(&slot, 6);
        assert_eq!(slot.load(Relaxed), 7 << TAG_SHIFT | 3);
        assert_eq!(bumped(3 << TAG_SHIFT | 41, 7), 7 << TAG_SHIFT | 1);
        assert_eq!(bumped(7 << TAG_SHIFT | 41, 6), 7 << TAG_SHIFT | 42);
    }

    #[test]
    fn counts_and_clears() {
        let w = RateWindow::new(std::time::Duration::from_secs(3600));
        for _ in 0..1000 {
            w.success();
        }
        assert_eq!(w.failure(), (1001, 1));
        assert_eq!(w.totals(), (1001, 1));
        w.clear();
        assert_eq!(w.totals(), (0, 0));
        w.success();
        assert_eq!(w.totals(), (1, 0));
    }
}
