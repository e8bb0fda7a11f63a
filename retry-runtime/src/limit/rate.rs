//! `RateLimiter`: a GCRA limiter (`gcra.rs`) whose theoretical arrival time lives in one
//! `AtomicU64`, moved by compare-exchange; no lock and no refill task. This file holds the
//! limiter's state, the admission that never waits (`try_acquire`, with its leases when threads
//! contend, `lease.rs`), `pause`, `set_rate` and the snapshot; the calls that wait for their
//! turn are in `waiting.rs`.

use std::fmt;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering::*};
use std::sync::{Mutex, OnceLock, PoisonError};
use std::time::Duration;

use super::config::LimiterConfig;
use super::gcra;
use super::holes::Holes;
use super::lease::{self, Leases, Take};
use super::refused::{RateLimited, Why};
use super::snapshot::LimiterSnapshot;
use super::timeline::{nanos, Timeline};
use crate::padded::CachePadded;
use crate::policy::PolicyError;

/// A rate limiter: admits at most `rate` cost units per `per`, `burst` at once after an idle
/// spell, by the generic cell rate algorithm (a token bucket that needs no refill task).
///
/// Usually reached through `#[rate_limit(name, ...)]` or
/// [`register_limiter`](crate::register_limiter), which share one limiter per name across the
/// process; [`RateLimiter::new`] makes one of your own (a `static`, or any value you keep). It
/// is `Sync`: share it as `&'static` or in an `Arc`.
///
/// - [`try_acquire`](Self::try_acquire) admits a call now or refuses it, never waiting;
/// - [`acquire`](Self::acquire) blocks the thread until the call's turn, and
///   [`acquire_async`](Self::acquire_async) sleeps on tokio's clock; both refuse at once a call
///   whose turn is further away than the configuration's `max_wait`;
/// - [`pause`](Self::pause) and [`set_rate`](Self::set_rate) feed it what a provider says (a
///   429's `Retry-After`, its rate-limit headers).
///
/// ```
/// use std::time::Duration;
/// use retry_runtime::{LimiterConfig, RateLimiter};
///
/// static SEARCH: RateLimiter = RateLimiter::new(
///     "search",
///     LimiterConfig::new(10, Duration::from_secs(1)).burst(2),
/// );
///
/// assert!(SEARCH.try_acquire(1).is_ok());
/// assert!(SEARCH.try_acquire(1).is_ok());
/// // The burst is spent: the next unit is due in about 100 ms.
/// let refused = SEARCH.try_acquire(1).unwrap_err();
/// assert!(refused.retry_in() <= Duration::from_millis(100));
/// ```
///
/// # Accuracy
///
/// Over any interval `t`, the units admitted never exceed `burst + rate * t / per`, whatever
/// the number of threads and tasks: every admission is one compare-exchange of the one word,
/// judged at its own reading of the clock (the proof is in the crate's `limit/gcra.rs`).
///
/// # Under contention
///
/// Once threads contend for the word (a compare-exchange lost), a thread takes up to 16 units
/// in one compare-exchange and admits its next calls from them, each with a clock reading and
/// a few loads of its own cache line, for as long as it uses them up quickly. The bound holds
/// all the same (the lease is scheduled as if it arrived at the end of its window); the
/// price is a little of the burst while a lease is out, and the units of a lease whose thread
/// stops calling, which are lost. Small limiters (a burst under 8, or one a lease's window
/// would take more than half of) never lease.
///
/// # Time
///
/// A limiter reads the crate's clock: `std::time::Instant` in production; with tokio's
/// `test-util` feature, a task or thread inside a runtime whose clock is paused reads that
/// paused clock, so tests drive limiters with `tokio::time::advance` or auto-advance. The sync
/// [`acquire`](Self::acquire) sleeps with `std::thread::sleep`: call it from plain threads, not
/// from a runtime's (whose paused clock its sleep would not move).
pub struct RateLimiter {
    pub(super) hot: CachePadded<Hot>,
    pub(super) cold: CachePadded<Cold>,
}

/// What every admission reads, and the one word it writes.
pub(super) struct Hot {
    /// The theoretical arrival time, in ns on `timeline`.
    pub(super) tat: AtomicU64,
    /// The emission interval, ns per unit (changed by `set_rate`).
    pub(super) interval: AtomicU64,
    pub(super) timeline: Timeline,
    pub(super) name: &'static str,
    pub(super) burst: u32,
    pub(super) max_wait: u64,
    /// The configuration it was created with (the registry compares it).
    pub(super) config: LimiterConfig,
    /// The threads' leases (`lease.rs`), made when threads first contend.
    pub(super) leases: OnceLock<Box<Leases>>,
}

/// What only waits, refusals, pauses and rate changes touch, on its own cache lines.
pub(super) struct Cold {
    /// The end of the latest pause, in ns on the timeline (0: never paused).
    pub(super) paused_until: AtomicU64,
    pub(super) waiting: AtomicUsize,
    pub(super) refused: AtomicU64,
    /// The rate and period now in force: `set_rate` changes them.
    pub(super) rate: Mutex<(u32, Duration)>,
    pub(super) holes: Holes,
    /// Leases taken in an older generation are void: a pause or a new rate moves it on.
    pub(super) lease_generation: AtomicU64,
    /// `rate_limiter_refusals_total{limiter}` and `rate_limiter_wait_seconds{limiter}`,
    /// resolved on first use.
    #[cfg(feature = "metrics")]
    pub(super) metrics: crate::metrics::LimiterMetrics,
}

impl RateLimiter {
    /// A limiter of its own, outside the registry (the registry's are made by
    /// [`register_limiter`](crate::register_limiter)). `const`, so it can be a `static`.
    ///
    /// ```
    /// use std::time::Duration;
    /// use retry_runtime::{LimiterConfig, RateLimiter};
    /// static LIMIT: RateLimiter =
    ///     RateLimiter::new("docs_own", LimiterConfig::new(5, Duration::from_secs(1)));
    /// assert_eq!(LIMIT.name(), "docs_own");
    /// assert!(retry_runtime::limiter("docs_own").is_none());
    /// ```
    pub const fn new(name: &'static str, config: LimiterConfig) -> Self {
        RateLimiter {
            hot: CachePadded::new(Hot {
                tat: AtomicU64::new(0),
                interval: AtomicU64::new(config.interval_ns()),
                timeline: Timeline::new(),
                name,
                burst: config.get_burst(),
                max_wait: nanos(config.get_max_wait()),
                config,
                leases: OnceLock::new(),
            }),
            cold: CachePadded::new(Cold {
                paused_until: AtomicU64::new(0),
                waiting: AtomicUsize::new(0),
                refused: AtomicU64::new(0),
                rate: Mutex::new((config.get_rate(), config.get_per())),
                holes: Holes::new(),
                lease_generation: AtomicU64::new(0),
                #[cfg(feature = "metrics")]
                metrics: crate::metrics::LimiterMetrics::new(),
            }),
        }
    }

    /// The limiter's name.
    ///
    /// ```
    /// use std::time::Duration;
    /// use retry_runtime::{LimiterConfig, RateLimiter};
    /// let l = RateLimiter::new("openai", LimiterConfig::new(1, Duration::from_secs(1)));
    /// assert_eq!(l.name(), "openai");
    /// ```
    pub fn name(&self) -> &'static str {
        self.hot.name
    }

    /// Its configuration, with the rate and period now in force (see
    /// [`set_rate`](Self::set_rate)).
    ///
    /// ```
    /// use std::time::Duration;
    /// use retry_runtime::{LimiterConfig, RateLimiter};
    /// let c = LimiterConfig::new(100, Duration::from_secs(1)).burst(10);
    /// let l = RateLimiter::new("docs_config", c);
    /// assert_eq!(l.config(), c);
    /// l.set_rate(50, Duration::from_secs(1)).unwrap();
    /// assert_eq!(l.config(), LimiterConfig::new(50, Duration::from_secs(1)).burst(10));
    /// ```
    pub fn config(&self) -> LimiterConfig {
        let (rate, per) = self.rate_now();
        let base = self.hot.config;
        match LimiterConfig::try_new(rate, per).and_then(|c| c.try_burst(base.get_burst())) {
            Ok(c) => c.max_wait(base.get_max_wait()),
            // `set_rate` stores only what these checks accepted.
            Err(_) => base,
        }
    }

    /// The configuration it was created with, as the registry compares it.
    pub(crate) fn created_with(&self) -> &LimiterConfig {
        &self.hot.config
    }

    /// Admits `cost` units now, or refuses the call at once: it never waits.
    ///
    /// A refusal says how long until a call like this one would be admitted
    /// ([`RateLimited::retry_in`]). A `cost` above the burst is always refused. A cost of 0
    /// takes nothing, and is admitted unless the limiter's next unit is more than one interval
    /// away (a pause, calls waiting ahead).
    ///
    /// ```
    /// use std::time::Duration;
    /// use retry_runtime::{LimiterConfig, RateLimiter};
    /// // 6 000 tokens a minute, at most 2 000 at once.
    /// let tpm = RateLimiter::new(
    ///     "docs_tpm",
    ///     LimiterConfig::new(6_000, Duration::from_secs(60)).burst(2_000),
    /// );
    /// assert!(tpm.try_acquire(1_500).is_ok());
    /// let refused = tpm.try_acquire(1_000).unwrap_err();
    /// // 500 tokens short, at 100 tokens a second: about 5 s.
    /// assert!(refused.retry_in() > Duration::from_millis(4_900));
    /// assert!(tpm.try_acquire(3_000).is_err()); // never: above the burst
    /// ```
    #[inline]
    pub fn try_acquire(&self, cost: u32) -> Result<(), RateLimited> {
        let now = self.hot.timeline.now();
        match self.admit_at(cost, now) {
            Ok(()) => Ok(()),
            Err(wait) => Err(self.refuse(cost, wait)),
        }
    }

    /// Admits `cost` units at `now` if they conform; otherwise the wait until they would.
    #[inline]
    pub(super) fn admit_at(&self, cost: u32, now: u64) -> Result<(), u64> {
        let hot = &*self.hot;
        if let Some(leases) = hot.leases.get() {
            match leases.take(cost, now, self.cold.lease_generation.load(Relaxed)) {
                Take::Taken => return Ok(()),
                Take::Renew => return self.admit_contended(cost, now),
                Take::Alone => {}
            }
        }
        if cost > hot.burst {
            return Err(u64::MAX);
        }
        let interval = hot.interval.load(Relaxed);
        let tolerance = interval.saturating_mul(u64::from(hot.burst));
        let tat = hot.tat.load(Relaxed);
        let (new_tat, wait) = gcra::schedule(tat, now, cost, interval, tolerance);
        if wait > 0 {
            return Err(wait);
        }
        match hot.tat.compare_exchange(tat, new_tat, Relaxed, Relaxed) {
            Ok(_) => Ok(()),
            // Another thread moved the word first: threads contend for it.
            Err(_) => self.admit_contended(cost, now),
        }
    }

    /// [`admit_at`](Self::admit_at) once a compare-exchange lost to another thread: takes a
    /// lease for this thread (`lease.rs`) if the limiter allows one, else admits the call
    /// alone.
    #[inline(never)]
    fn admit_contended(&self, cost: u32, now: u64) -> Result<(), u64> {
        let hot = &*self.hot;
        let interval = hot.interval.load(Relaxed);
        let tolerance = interval.saturating_mul(u64::from(hot.burst));
        if let Some((units, window)) = lease::terms(interval, hot.burst) {
            let leases = hot.leases.get_or_init(|| Box::new(Leases::new()));
            if cost <= units && leases.has_stripe() {
                // Read before the compare-exchange: a pause that comes after voids the lease.
                let generation = self.cold.lease_generation.load(SeqCst);
                let until = now.saturating_add(window);
                let mut tat = hot.tat.load(Relaxed);
                loop {
                    // Scheduled as if it arrived at the end of its window (see `lease.rs`).
                    let (new_tat, _) = gcra::schedule(tat, until, units, interval, tolerance);
                    // It must conform at `now`, when its first unit is handed out.
                    if new_tat.saturating_sub(tolerance) > now {
                        break;
                    }
                    match hot.tat.compare_exchange(tat, new_tat, SeqCst, Relaxed) {
                        Ok(_) => {
                            leases.keep(units - cost, until, generation);
                            return Ok(());
                        }
                        Err(current) => tat = current,
                    }
                }
            }
        }
        let mut tat = hot.tat.load(Relaxed);
        loop {
            let (new_tat, wait) = gcra::schedule(tat, now, cost, interval, tolerance);
            if wait > 0 {
                return Err(wait);
            }
            match hot
                .tat
                .compare_exchange_weak(tat, new_tat, Relaxed, Relaxed)
            {
                Ok(_) => return Ok(()),
                Err(current) => tat = current,
            }
        }
    }

    /// Counts a refusal of `cost` units whose turn was `wait` away, and builds its error.
    #[cold]
    #[inline(never)]
    pub(super) fn refuse(&self, cost: u32, wait: u64) -> RateLimited {
        self.cold.refused.fetch_add(1, Relaxed);
        #[cfg(feature = "metrics")]
        self.cold.metrics.refused(self.hot.name);
        let burst = self.hot.burst;
        if cost > burst {
            RateLimited::with(self.hot.name, Duration::MAX, Why::Cost { cost, burst })
        } else {
            RateLimited::new(self.hot.name, Duration::from_nanos(wait))
        }
    }

    /// Admits nobody for `duration`, whoever calls: for a server's "slow down" (a 429's
    /// `Retry-After`). Calls already waiting whose turn falls inside the pause wait for a new
    /// turn after it (or are refused, if that is beyond their `max_wait`).
    ///
    /// When the pause ends, calls resume at the configured rate without a burst: the first
    /// unit is admitted at its end, the next one interval later, and so on. A pause never
    /// shortens one already running, and a zero duration changes nothing.
    ///
    /// ```
    /// use std::time::Duration;
    /// use retry_runtime::{LimiterConfig, RateLimiter};
    /// let l = RateLimiter::new("docs_pause", LimiterConfig::new(100, Duration::from_secs(1)));
    /// l.pause(Duration::from_secs(30));
    /// let refused = l.try_acquire(1).unwrap_err();
    /// assert!(refused.retry_in() > Duration::from_secs(29));
    /// assert!(l.snapshot().paused_for.is_some());
    /// ```
    pub fn pause(&self, duration: Duration) {
        if duration.is_zero() {
            return;
        }
        let now = self.hot.timeline.now();
        let until = now.saturating_add(nanos(duration).min(super::config::MAX_SPAN_NS));
        self.cold.paused_until.fetch_max(until, SeqCst);
        // Empty at the end of the pause but for one unit: the first call goes at `until`.
        let interval = self.hot.interval.load(Relaxed);
        let floor = until.saturating_add(interval.saturating_mul(u64::from(self.hot.burst - 1)));
        self.hot.tat.fetch_max(floor, SeqCst);
        // After the TAT moved: a lease taken before that is void, one taken after cannot be.
        self.cold.lease_generation.fetch_add(1, SeqCst);
        self.cold.holes.clear_before(until);
    }

    /// Whether a pause that began after a call reserved its `turn` covers it.
    pub(super) fn paused_over(&self, turn: u64) -> bool {
        self.cold.paused_until.load(SeqCst) > turn
    }

    /// Paces calls at `rate` units per `per` from now on, keeping the burst and `max_wait`:
    /// for what a provider's rate-limit headers say.
    ///
    /// The units admitted ahead of the clock stay owed at the new rate, so a change never
    /// refills the burst: after spending it at 10 a second, a change to 1 a second makes the
    /// next unit wait a second. Calls already waiting keep their turns; a call admitted while
    /// the rate changes is judged by either rate.
    ///
    /// Returns the rule broken, and changes nothing, for a rate of 0, a zero `per` or one
    /// beyond the configuration's limits (see [`LimiterConfig`]).
    ///
    /// ```
    /// use std::time::Duration;
    /// use retry_runtime::{LimiterConfig, RateLimiter};
    /// let l = RateLimiter::new("docs_set_rate", LimiterConfig::new(100, Duration::from_secs(1)));
    /// l.set_rate(500, Duration::from_secs(60)).unwrap();
    /// assert_eq!((l.config().get_rate(), l.config().get_burst()), (500, 100));
    /// assert!(l.set_rate(0, Duration::from_secs(1)).is_err());
    /// ```
    pub fn set_rate(&self, rate: u32, per: Duration) -> Result<(), PolicyError> {
        let config = LimiterConfig::try_new(rate, per)?.try_burst(self.hot.burst)?;
        let mut now_in_force = self
            .cold
            .rate
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        *now_in_force = (rate, per);
        let new = config.interval_ns();
        let old = self.hot.interval.swap(new, Relaxed);
        // Leases were sized for the old rate.
        self.cold.lease_generation.fetch_add(1, SeqCst);
        // The units owed (admitted ahead of the clock, or of the end of a pause) stay owed, now
        // at the new interval: a bucket emptied at one rate is as empty at the other, not
        // refilled by the change, and a pause keeps its end.
        let now = self.hot.timeline.now();
        let from = now.max(self.cold.paused_until.load(SeqCst));
        let mut tat = self.hot.tat.load(Relaxed);
        while tat > from {
            let owed = u128::from(tat - from) * u128::from(new) / u128::from(old);
            let rescaled = from.saturating_add(u64::try_from(owed).unwrap_or(u64::MAX));
            match self
                .hot
                .tat
                .compare_exchange_weak(tat, rescaled, Relaxed, Relaxed)
            {
                Ok(_) => break,
                Err(current) => tat = current,
            }
        }
        Ok(())
    }

    /// Fleet backends only: the limiter's clock now and its theoretical arrival time (the
    /// time its next unit is due), both since the limiter's own origin. Between two readings,
    /// `tat₁ − max(tat₀, now₀)` over the interval in force is the units admitted in between,
    /// which a backend reports as this process's demand.
    ///
    /// ```
    /// use std::time::Duration;
    /// use retry_runtime::{LimiterConfig, RateLimiter};
    /// let l = RateLimiter::new("docs_fleet_clock", LimiterConfig::new(10, Duration::from_secs(1)).burst(5));
    /// let (now, tat) = l.fleet_clock();
    /// l.try_acquire(3).unwrap();
    /// let (_, later) = l.fleet_clock();
    /// // 3 units at 100 ms each (and the few µs between the two readings).
    /// let admitted = (later - tat.max(now)).as_millis() / 100;
    /// assert_eq!(admitted, 3);
    /// ```
    pub fn fleet_clock(&self) -> (Duration, Duration) {
        let now = self.hot.timeline.now();
        let tat = self.hot.tat.load(Relaxed);
        (Duration::from_nanos(now), Duration::from_nanos(tat))
    }

    fn rate_now(&self) -> (u32, Duration) {
        *self
            .cold
            .rate
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// The limiter's configuration and state at this moment.
    ///
    /// ```
    /// use std::time::Duration;
    /// use retry_runtime::{LimiterConfig, RateLimiter};
    /// let l = RateLimiter::new("docs_snap", LimiterConfig::new(100, Duration::from_secs(1)).burst(10));
    /// l.try_acquire(3).unwrap();
    /// let s = l.snapshot();
    /// assert_eq!((s.burst, s.available, s.waiting, s.refused), (10, 7, 0, 0));
    /// ```
    pub fn snapshot(&self) -> LimiterSnapshot {
        let now = self.hot.timeline.now();
        let (rate, per) = self.rate_now();
        let interval = self.hot.interval.load(Relaxed);
        let tat = self.hot.tat.load(Relaxed);
        let paused_until = self.cold.paused_until.load(SeqCst);
        LimiterSnapshot {
            name: self.hot.name,
            rate,
            per,
            burst: self.hot.burst,
            available: gcra::available(tat, now, interval, self.hot.burst),
            paused_for: (paused_until > now).then(|| Duration::from_nanos(paused_until - now)),
            waiting: self.cold.waiting.load(Relaxed),
            refused: self.cold.refused.load(Relaxed),
        }
    }
}

impl fmt::Debug for RateLimiter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RateLimiter")
            .field("name", &self.hot.name)
            .field("config", &self.config())
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A limiter whose next call takes a lease, as after a lost compare-exchange.
    fn leased(name: &'static str, config: LimiterConfig) -> RateLimiter {
        let l = RateLimiter::new(name, config);
        let now = l.hot.timeline.now();
        l.admit_contended(1, now).unwrap();
        l
    }

    #[test]
    fn a_lease_is_scheduled_at_the_end_of_its_window() {
        // 1,000 a second, burst 100: leases of 16 units, valid for 16 ms.
        let l = leased(
            "lease_unit_window",
            LimiterConfig::new(1_000, Duration::from_secs(1)).burst(100),
        );
        let (units, window) = lease::terms(1_000_000, 100).unwrap();
        assert_eq!((units, window), (16, 16_000_000));
        // The idle limiter's TAT moved to the window's end plus the lease: 32 of 100 units.
        assert_eq!(l.snapshot().available, 100 - 32);
        // The lease serves this thread's next 15 units without touching the word.
        let tat = l.hot.tat.load(Relaxed);
        for _ in 1..units {
            l.try_acquire(1).unwrap();
        }
        assert_eq!(l.hot.tat.load(Relaxed), tat);
        // Used up within its window: the next call renews it.
        l.try_acquire(1).unwrap();
        assert!(l.hot.tat.load(Relaxed) > tat);
    }

    #[test]
    fn a_pause_or_a_new_rate_voids_leases() {
        let config = LimiterConfig::new(1_000, Duration::from_secs(1)).burst(100);
        let l = leased("lease_unit_pause", config);
        l.pause(Duration::from_secs(5));
        assert!(
            l.try_acquire(1).is_err(),
            "a leased unit went through a pause"
        );
        let l = leased("lease_unit_rate", config);
        let tat = l.hot.tat.load(Relaxed);
        l.set_rate(1_000, Duration::from_secs(1)).unwrap();
        // Admitted alone now, moving the word.
        l.try_acquire(1).unwrap();
        assert_ne!(l.hot.tat.load(Relaxed), tat);
    }

    #[test]
    fn small_limiters_admit_contended_calls_alone() {
        let l = leased(
            "lease_unit_small",
            LimiterConfig::new(10, Duration::from_secs(1)).burst(4),
        );
        assert!(l.hot.leases.get().is_none());
        assert_eq!(l.snapshot().available, 3);
    }
}
