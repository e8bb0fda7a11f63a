//! `ConcurrencyLimit`: at most `max` calls in flight under a name, waiting calls served first
//! come, first served, for threads and tasks alike; and `ConcurrencyPermit`, a call's slot,
//! given back when it drops (the call returned, panicked, or its future was dropped).
//!
//! The free slots and the number of waiters share one `AtomicU64`, so a call that finds a free
//! slot and nobody waiting takes it with one compare-exchange, and a permit released with
//! nobody waiting puts it back with another. Only when someone waits does either side take the
//! lock of the line (`queue.rs`): a call never takes a slot past a waiter, and a freed slot goes
//! straight to the waiter at the front, which is then woken. Free slots and waiters are never
//! both non-zero: a slot frees into the front waiter's hands, and a call joins the line only
//! when no slot is free.

use std::fmt;
#[cfg(feature = "tokio")]
use std::future::poll_fn;
use std::sync::atomic::{AtomicU64, Ordering::*};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::task::{Context, Poll};
use std::time::Duration;

use super::queue::{Queue, Wake};
use super::refused::{RateLimited, Why};
use super::snapshot::ConcurrencySnapshot;
use crate::padded::CachePadded;

/// How long a call waits for a slot when no wait is given: 30 s.
const DEFAULT_MAX_WAIT: Duration = Duration::from_secs(30);

/// One waiter, in the high half of the state word.
const ONE_WAITER: u64 = 1 << 32;

/// A concurrency limit: at most `max` calls in flight at once under one name.
///
/// Usually reached through `#[concurrency_limit(name, max = ...)]` or
/// [`register_concurrency_limit`](crate::register_concurrency_limit), which share one limit
/// per name across the process; [`ConcurrencyLimit::new`] makes one of your own.
///
/// A call takes a [`ConcurrencyPermit`] and holds its slot until the permit drops: when the
/// call returns, when it panics (the permit drops while unwinding), when its future is
/// dropped. A call that finds every slot taken waits in line, first come, first served,
/// whether it is a thread ([`acquire`](Self::acquire), which blocks) or a task
/// ([`acquire_async`](Self::acquire_async), which sleeps and costs nothing while it waits),
/// and is refused with [`RateLimited`] if no slot comes within its wait (30 s unless given:
/// [`acquire_within`](Self::acquire_within),
/// [`acquire_async_within`](Self::acquire_async_within)). A waiting future dropped leaves the
/// line, and a slot handed to it just then goes on to the next in line.
///
/// ```
/// use retry_runtime::ConcurrencyLimit;
///
/// static UPLOADS: ConcurrencyLimit = ConcurrencyLimit::new("uploads", 2);
///
/// let a = UPLOADS.try_acquire().unwrap();
/// let b = UPLOADS.try_acquire().unwrap();
/// assert!(UPLOADS.try_acquire().is_err()); // both slots taken
/// drop(a);
/// assert!(UPLOADS.try_acquire().is_ok());
/// # drop(b);
/// ```
///
/// A limit of `max` 0 admits no call: every call is refused at once.
pub struct ConcurrencyLimit {
    /// Waiters in the high 32 bits, free slots in the low 32.
    state: CachePadded<AtomicU64>,
    cold: CachePadded<Cold>,
}

/// What only waits, refusals and releases to a waiter touch.
struct Cold {
    name: &'static str,
    max: u32,
    queue: Mutex<Queue>,
    /// The number of the last waiter handed a slot; waiters are numbered in arrival order and
    /// served from the front, so a waiter still waiting whose number is at most this one has
    /// its slot. Written under the queue's lock.
    granted_through: AtomicU64,
    refused: AtomicU64,
    #[cfg(feature = "metrics")]
    metrics: crate::metrics::LimiterMetrics,
}

/// A call's slot in a [`ConcurrencyLimit`], given back when it drops.
///
/// ```
/// use retry_runtime::ConcurrencyLimit;
/// let limit = ConcurrencyLimit::new("docs_permit", 1);
/// {
///     let _permit = limit.try_acquire().unwrap();
///     assert_eq!(limit.snapshot().in_flight, 1);
/// }
/// assert_eq!(limit.snapshot().in_flight, 0);
/// ```
#[must_use = "the slot is given back as soon as the permit drops"]
pub struct ConcurrencyPermit<'a> {
    limit: &'a ConcurrencyLimit,
}

impl Drop for ConcurrencyPermit<'_> {
    #[inline]
    fn drop(&mut self) {
        self.limit.release();
    }
}

impl fmt::Debug for ConcurrencyPermit<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConcurrencyPermit")
            .field("limit", &self.limit.name())
            .finish()
    }
}

impl ConcurrencyLimit {
    /// A limit of its own, outside the registry (the registry's are made by
    /// [`register_concurrency_limit`](crate::register_concurrency_limit)). `const`, so it can
    /// be a `static`.
    ///
    /// ```
    /// use retry_runtime::ConcurrencyLimit;
    /// static DB: ConcurrencyLimit = ConcurrencyLimit::new("db", 16);
    /// assert_eq!((DB.name(), DB.max()), ("db", 16));
    /// ```
    pub const fn new(name: &'static str, max: u32) -> Self {
        ConcurrencyLimit {
            state: CachePadded::new(AtomicU64::new(max as u64)),
            cold: CachePadded::new(Cold {
                name,
                max,
                queue: Mutex::new(Queue::new()),
                granted_through: AtomicU64::new(0),
                refused: AtomicU64::new(0),
                #[cfg(feature = "metrics")]
                metrics: crate::metrics::LimiterMetrics::new(),
            }),
        }
    }

    /// The limit's name.
    ///
    /// ```
    /// use retry_runtime::ConcurrencyLimit;
    /// assert_eq!(ConcurrencyLimit::new("openai", 8).name(), "openai");
    /// ```
    pub fn name(&self) -> &'static str {
        self.cold.name
    }

    /// The most calls in flight at once.
    ///
    /// ```
    /// use retry_runtime::ConcurrencyLimit;
    /// assert_eq!(ConcurrencyLimit::new("openai", 8).max(), 8);
    /// ```
    pub fn max(&self) -> u32 {
        self.cold.max
    }

    /// A slot now, or a refusal at once: never waits. A call is refused while others wait in
    /// line, even if a slot is being handed over, so nobody is served out of turn.
    ///
    /// ```
    /// use retry_runtime::ConcurrencyLimit;
    /// let limit = ConcurrencyLimit::new("docs_try", 1);
    /// let permit = limit.try_acquire().unwrap();
    /// assert!(limit.try_acquire().is_err());
    /// drop(permit);
    /// assert!(limit.try_acquire().is_ok());
    /// ```
    #[inline]
    pub fn try_acquire(&self) -> Result<ConcurrencyPermit<'_>, RateLimited> {
        if self.take_free_slot() {
            Ok(ConcurrencyPermit { limit: self })
        } else {
            Err(self.refuse())
        }
    }

    /// A slot, blocking the thread up to 30 s in line for one; refused after that. See
    /// [`acquire_within`](Self::acquire_within).
    ///
    /// ```
    /// use retry_runtime::ConcurrencyLimit;
    /// let limit = ConcurrencyLimit::new("docs_acquire", 4);
    /// let permit = limit.acquire().unwrap();
    /// assert_eq!(limit.snapshot().in_flight, 1);
    /// # drop(permit);
    /// ```
    pub fn acquire(&self) -> Result<ConcurrencyPermit<'_>, RateLimited> {
        self.acquire_within(DEFAULT_MAX_WAIT)
    }

    /// A slot, blocking the thread up to `max_wait` in line for one (first come, first
    /// served); refused after that. [`Duration::MAX`] waits as long as it takes.
    ///
    /// ```
    /// use std::time::Duration;
    /// use retry_runtime::ConcurrencyLimit;
    /// let limit = ConcurrencyLimit::new("docs_within", 1);
    /// let held = limit.acquire().unwrap();
    /// let refused = limit.acquire_within(Duration::from_millis(5)).unwrap_err();
    /// assert_eq!(refused.to_string(), "concurrency limit 'docs_within' reached (1 in flight)");
    /// # drop(held);
    /// ```
    pub fn acquire_within(&self, max_wait: Duration) -> Result<ConcurrencyPermit<'_>, RateLimited> {
        if self.take_free_slot() {
            self.waited(Duration::ZERO);
            return Ok(ConcurrencyPermit { limit: self });
        }
        self.acquire_slow(max_wait)
    }

    #[cold]
    #[inline(never)]
    fn acquire_slow(&self, max_wait: Duration) -> Result<ConcurrencyPermit<'_>, RateLimited> {
        if self.cold.max == 0 || max_wait.is_zero() {
            return Err(self.refuse());
        }
        let start = std::time::Instant::now();
        let deadline = start.checked_add(max_wait);
        let Some(number) = self.join_line(Some(Wake::Thread(std::thread::current()))) else {
            self.waited(start.elapsed());
            return Ok(ConcurrencyPermit { limit: self });
        };
        let mut waiter = Waiter {
            limit: self,
            number,
            settled: false,
        };
        loop {
            if waiter.granted() {
                waiter.settled = true;
                self.waited(start.elapsed());
                return Ok(ConcurrencyPermit { limit: self });
            }
            match deadline {
                None => std::thread::park(),
                Some(deadline) => {
                    let now = std::time::Instant::now();
                    if now >= deadline {
                        return self.give_up(&mut waiter, now - start);
                    }
                    std::thread::park_timeout(deadline - now);
                }
            }
        }
    }

    /// A slot, the task sleeping up to 30 s in line for one; refused after that. See
    /// [`acquire_async_within`](Self::acquire_async_within).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// use retry_runtime::ConcurrencyLimit;
    /// let limit = ConcurrencyLimit::new("docs_async", 2);
    /// let permit = limit.acquire_async().await.unwrap();
    /// assert_eq!(limit.snapshot().in_flight, 1);
    /// # drop(permit);
    /// # }
    /// ```
    #[cfg(feature = "tokio")]
    pub async fn acquire_async(&self) -> Result<ConcurrencyPermit<'_>, RateLimited> {
        self.acquire_async_within(DEFAULT_MAX_WAIT).await
    }

    /// A slot, the task sleeping (on tokio's clock) up to `max_wait` in line for one, first
    /// come, first served; refused after that.
    ///
    /// Dropping the future while it waits takes it out of the line; if a slot was handed to
    /// it at that moment, the slot goes on to the next in line.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread", start_paused = true)]
    /// # async fn main() {
    /// use std::time::Duration;
    /// use retry_runtime::ConcurrencyLimit;
    /// let limit = ConcurrencyLimit::new("docs_async_within", 1);
    /// let held = limit.acquire_async().await.unwrap();
    /// let refused = limit.acquire_async_within(Duration::from_secs(5)).await.unwrap_err();
    /// assert_eq!(refused.name(), "docs_async_within");
    /// drop(held);
    /// assert!(limit.acquire_async_within(Duration::from_secs(5)).await.is_ok());
    /// # }
    /// ```
    #[cfg(feature = "tokio")]
    pub async fn acquire_async_within(
        &self,
        max_wait: Duration,
    ) -> Result<ConcurrencyPermit<'_>, RateLimited> {
        if self.take_free_slot() {
            self.waited(Duration::ZERO);
            return Ok(ConcurrencyPermit { limit: self });
        }
        if self.cold.max == 0 || max_wait.is_zero() {
            return Err(self.refuse());
        }
        let start = tokio::time::Instant::now();
        let Some(number) = self.join_line(None) else {
            self.waited(start.elapsed());
            return Ok(ConcurrencyPermit { limit: self });
        };
        let mut waiter = Waiter {
            limit: self,
            number,
            settled: false,
        };
        let served = tokio::time::timeout(max_wait, poll_fn(|cx| waiter.poll(cx))).await;
        match served {
            Ok(()) => {
                waiter.settled = true;
                self.waited(start.elapsed());
                Ok(ConcurrencyPermit { limit: self })
            }
            Err(_) => self.give_up(&mut waiter, start.elapsed()),
        }
    }

    /// A waiter whose time ran out leaves the line, unless a slot reached it meanwhile.
    fn give_up(
        &self,
        waiter: &mut Waiter<'_>,
        waited: Duration,
    ) -> Result<ConcurrencyPermit<'_>, RateLimited> {
        if waiter.leave() {
            self.waited(waited);
            Ok(ConcurrencyPermit { limit: self })
        } else {
            Err(self.refuse())
        }
    }

    /// Takes a free slot if there is one and nobody waits.
    #[inline]
    fn take_free_slot(&self) -> bool {
        let state = self.state.load(Relaxed);
        state < ONE_WAITER
            && state > 0
            && self
                .state
                .compare_exchange(state, state - 1, Acquire, Relaxed)
                .is_ok()
    }

    /// Under the line's lock: takes a free slot if there is one and nobody waits (`None`), or
    /// joins the back of the line (its number).
    fn join_line(&self, wake: Option<Wake>) -> Option<u64> {
        let mut queue = self.queue();
        let mut state = self.state.load(Relaxed);
        loop {
            let (next, free) = if state < ONE_WAITER && state > 0 {
                (state - 1, true)
            } else {
                (state + ONE_WAITER, false)
            };
            match self
                .state
                .compare_exchange_weak(state, next, Acquire, Relaxed)
            {
                Ok(_) if free => return None,
                Ok(_) => return Some(queue.push(wake)),
                Err(current) => state = current,
            }
        }
    }

    /// Gives a slot back: to the front of the line if anyone waits, else to the free slots.
    #[inline]
    fn release(&self) {
        let mut state = self.state.load(Relaxed);
        while state < ONE_WAITER {
            match self
                .state
                .compare_exchange_weak(state, state + 1, Release, Relaxed)
            {
                Ok(_) => return,
                Err(current) => state = current,
            }
        }
        self.hand_over();
    }

    /// Someone waits: the slot goes to the front of the line, which is woken.
    #[cold]
    #[inline(never)]
    fn hand_over(&self) {
        let mut queue = self.queue();
        match queue.pop_front() {
            Some((number, wake)) => {
                self.state.fetch_sub(ONE_WAITER, AcqRel);
                self.cold.granted_through.store(number, Release);
                drop(queue);
                if let Some(wake) = wake {
                    wake.wake();
                }
            }
            // The waiters left (their time ran out) before the lock was ours.
            None => {
                self.state.fetch_add(1, Release);
            }
        }
    }

    fn queue(&self) -> MutexGuard<'_, Queue> {
        // Nothing panics while holding the lock; a poisoned one holds a consistent line.
        self.cold
            .queue
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Counts a refusal and builds its error.
    #[cold]
    #[inline(never)]
    fn refuse(&self) -> RateLimited {
        self.cold.refused.fetch_add(1, Relaxed);
        #[cfg(feature = "metrics")]
        self.cold.metrics.refused(self.cold.name);
        RateLimited::with(
            self.cold.name,
            Duration::ZERO,
            Why::Concurrency { max: self.cold.max },
        )
    }

    /// Records how long an admitted call waited, with the `metrics` feature.
    #[inline]
    fn waited(&self, _waited: Duration) {
        #[cfg(feature = "metrics")]
        self.cold.metrics.waited(self.cold.name, _waited);
    }

    /// The limit's state at this moment.
    ///
    /// ```
    /// use retry_runtime::ConcurrencyLimit;
    /// let limit = ConcurrencyLimit::new("docs_snapshot", 3);
    /// let _a = limit.try_acquire().unwrap();
    /// let s = limit.snapshot();
    /// assert_eq!((s.max, s.in_flight, s.waiting, s.refused), (3, 1, 0, 0));
    /// ```
    pub fn snapshot(&self) -> ConcurrencySnapshot {
        let state = self.state.load(Acquire);
        let free = (state & u64::from(u32::MAX)) as u32;
        ConcurrencySnapshot {
            name: self.cold.name,
            max: self.cold.max,
            in_flight: self.cold.max.saturating_sub(free),
            waiting: (state >> 32) as usize,
            refused: self.cold.refused.load(Relaxed),
        }
    }
}

impl fmt::Debug for ConcurrencyLimit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConcurrencyLimit")
            .field("name", &self.cold.name)
            .field("max", &self.cold.max)
            .finish_non_exhaustive()
    }
}

/// A call in line. Dropped while still in line (its future dropped), it leaves, and a slot
/// that reached it goes on to the next in line.
struct Waiter<'a> {
    limit: &'a ConcurrencyLimit,
    number: u64,
    /// It left with a slot or without one: nothing to do on drop.
    settled: bool,
}

impl Waiter<'_> {
    /// Whether a slot reached it.
    fn granted(&self) -> bool {
        self.limit.cold.granted_through.load(Acquire) >= self.number
    }

    /// Ready once a slot reached it; until then the task's waker is in line.
    #[cfg_attr(not(feature = "tokio"), allow(dead_code))]
    fn poll(&mut self, cx: &mut Context<'_>) -> Poll<()> {
        if self.granted() {
            return Poll::Ready(());
        }
        let mut queue = self.limit.queue();
        if self.granted() {
            return Poll::Ready(());
        }
        queue.set_waker(self.number, cx.waker());
        Poll::Pending
    }

    /// Leaves the line: true if a slot reached it first (the caller now holds it).
    fn leave(&mut self) -> bool {
        self.settled = true;
        let mut queue = self.limit.queue();
        if self.granted() {
            return true;
        }
        queue.remove(self.number);
        self.limit.state.fetch_sub(ONE_WAITER, AcqRel);
        false
    }
}

impl Drop for Waiter<'_> {
    fn drop(&mut self) {
        if !self.settled && self.leave() {
            self.limit.release();
        }
    }
}
