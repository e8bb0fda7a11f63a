//! `BreakerConfig`: what a breaker is told (thresholds, timeouts, the state-change hook).

use std::fmt;
use std::time::Duration;

use super::state::StateChange;
use crate::error::or_fail;

/// The largest `success_threshold` and `half_open_max_calls`: the half-open counters share the
/// breaker's one atomic state word, 20 bits each.
pub(crate) const MAX_PROBES: u32 = (1 << 20) - 1;

/// How a [`CircuitBreaker`](crate::CircuitBreaker) decides to open, how long it stays open and
/// how it closes again.
///
/// Built by `const fn`s named after the keys of `#[circuit_breaker]`, so presets are constants
/// and an invalid preset fails the build. [`BreakerConfig::new`] and [`BreakerConfig::default`]
/// are the same value: 5 consecutive failures open the circuit, probes start after 30 s, one at
/// a time, and 2 successful probes in a row close it.
///
/// Two modes count failures:
///
/// - **consecutive** (the default, [`failure_threshold`](Self::failure_threshold)): the circuit
///   opens after that many failures in a row; any success resets the count.
/// - **rate** ([`failure_rate`](Self::failure_rate), with [`window`](Self::window) and
///   [`min_calls`](Self::min_calls)): the circuit opens when failures / calls over the sliding
///   window reach the rate, once the window holds at least `min_calls` calls. The rate is
///   judged on each recorded failure.
///
/// Whichever of `failure_threshold` and `failure_rate` is set last decides the mode.
///
/// ```
/// use std::time::Duration;
/// use retry_runtime::BreakerConfig;
///
/// const OPENAI: BreakerConfig = BreakerConfig::new()
///     .failure_rate(0.5)
///     .window(Duration::from_secs(30))
///     .min_calls(20)
///     .reset_timeout(Duration::from_secs(10));
///
/// assert_eq!(OPENAI.get_failure_rate(), Some(0.5));
/// assert_eq!(OPENAI.get_success_threshold(), 2);
/// assert_eq!(BreakerConfig::default(), BreakerConfig::new());
/// ```
///
/// An invalid value is a compile error when the configuration is a constant:
///
/// ```compile_fail,E0080
/// use retry_runtime::BreakerConfig;
/// const BAD: BreakerConfig = BreakerConfig::new().failure_threshold(0);
/// ```
///
/// ```compile_fail,E0080
/// use retry_runtime::BreakerConfig;
/// const BAD: BreakerConfig = BreakerConfig::new().failure_rate(1.5);
/// ```
///
/// Equality compares every value but [`on_state_change`](Self::on_state_change): function
/// pointers have no reliable identity (the same closure may get two addresses, two functions
/// one), so two configurations that differ only in their hook are equal.
#[derive(Clone, Copy)]
pub struct BreakerConfig {
    failure_threshold: u32,
    failure_rate: Option<f64>,
    window: Duration,
    min_calls: u32,
    reset_timeout: Duration,
    success_threshold: u32,
    half_open_max_calls: u32,
    on_state_change: Option<fn(&StateChange<'_>)>,
}

impl Default for BreakerConfig {
    fn default() -> Self {
        Self::new()
    }
}

impl PartialEq for BreakerConfig {
    fn eq(&self, other: &Self) -> bool {
        self.failure_threshold == other.failure_threshold
            && self.failure_rate == other.failure_rate
            && self.window == other.window
            && self.min_calls == other.min_calls
            && self.reset_timeout == other.reset_timeout
            && self.success_threshold == other.success_threshold
            && self.half_open_max_calls == other.half_open_max_calls
    }
}

impl fmt::Debug for BreakerConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("BreakerConfig");
        match self.failure_rate {
            None => d.field("failure_threshold", &self.failure_threshold),
            Some(rate) => d
                .field("failure_rate", &rate)
                .field("window", &self.window)
                .field("min_calls", &self.min_calls),
        };
        d.field("reset_timeout", &self.reset_timeout)
            .field("success_threshold", &self.success_threshold)
            .field("half_open_max_calls", &self.half_open_max_calls)
            .field(
                "on_state_change",
                &self.on_state_change.map(|_| "fn(&StateChange)"),
            )
            .finish()
    }
}

/// Unwraps a checked setter in a `const` context: an error becomes a build failure there, and a
/// panic with the same message at run time.
impl BreakerConfig {
    /// The defaults: consecutive mode with `failure_threshold` 5, `window` 60 s and `min_calls`
    /// 10 (used once `failure_rate` is set), `reset_timeout` 30 s, `success_threshold` 2,
    /// `half_open_max_calls` 1, no `on_state_change`.
    ///
    /// ```
    /// use std::time::Duration;
    /// use retry_runtime::BreakerConfig;
    /// const C: BreakerConfig = BreakerConfig::new();
    /// assert_eq!(C.get_failure_threshold(), 5);
    /// assert_eq!(C.get_failure_rate(), None);
    /// assert_eq!(C.get_window(), Duration::from_secs(60));
    /// assert_eq!(C.get_min_calls(), 10);
    /// assert_eq!(C.get_reset_timeout(), Duration::from_secs(30));
    /// assert_eq!(C.get_half_open_max_calls(), 1);
    /// ```
    pub const fn new() -> Self {
        BreakerConfig {
            failure_threshold: 5,
            failure_rate: None,
            window: Duration::from_secs(60),
            min_calls: 10,
            reset_timeout: Duration::from_secs(30),
            success_threshold: 2,
            half_open_max_calls: 1,
            on_state_change: None,
        }
    }

    /// Consecutive failures that open the circuit (`>= 1`); switches to consecutive mode.
    ///
    /// # Panics
    ///
    /// If `n` is 0: in a `const`, that is a compile error. [`try_failure_threshold`](Self::try_failure_threshold) returns the
    /// error instead.
    ///
    /// ```
    /// use retry_runtime::BreakerConfig;
    /// let c = BreakerConfig::new().failure_rate(0.5).failure_threshold(3);
    /// assert_eq!((c.get_failure_threshold(), c.get_failure_rate()), (3, None));
    /// ```
    pub const fn failure_threshold(self, n: u32) -> Self {
        or_fail!(self.try_failure_threshold(n))
    }

    /// Rate mode: open when failures / calls in the window reach `rate`, in `(0, 1]`.
    ///
    /// The rate is judged on each recorded failure, once the window holds
    /// [`min_calls`](Self::min_calls) calls; "reach" means `>=`. The window is kept in 16
    /// buckets of `window / 16`, so a call counts for between 15/16 of the window and the whole
    /// of it. Calls are counted per thread (no cache line written by two cores), and a success
    /// costs a few loads, one plain store and, most of the time, no clock read: it is stamped
    /// with the newest bucket any thread has read off the clock. Failures always read the
    /// clock, and so do successes while their thread's bucket holds fewer than 256 calls, then
    /// one in 16; so on a busy breaker at most 15 successes per thread and bucket, never more
    /// than about 6 % of a bucket, can land in an older bucket than their own and leave the
    /// window that much early. At low traffic the count is exact to the bucket.
    ///
    /// # Panics
    ///
    /// If `rate` lies outside `(0, 1]` (NaN included): in a `const`, that is a compile error. [`try_failure_rate`](Self::try_failure_rate) returns the
    /// error instead.
    ///
    /// ```
    /// use retry_runtime::BreakerConfig;
    /// assert_eq!(BreakerConfig::new().failure_rate(0.25).get_failure_rate(), Some(0.25));
    /// ```
    pub const fn failure_rate(self, rate: f64) -> Self {
        or_fail!(self.try_failure_rate(rate))
    }

    /// Rate mode: the sliding window failures and calls are counted over (`> 0`).
    ///
    /// # Panics
    ///
    /// If `window` is zero: in a `const`, that is a compile error. [`try_window`](Self::try_window) returns the
    /// error instead.
    ///
    /// ```
    /// use std::time::Duration;
    /// use retry_runtime::BreakerConfig;
    /// let c = BreakerConfig::new().window(Duration::from_secs(10));
    /// assert_eq!(c.get_window(), Duration::from_secs(10));
    /// ```
    pub const fn window(self, window: Duration) -> Self {
        or_fail!(self.try_window(window))
    }

    /// Rate mode: calls the window must hold before the rate counts (`>= 1`).
    ///
    /// # Panics
    ///
    /// If `n` is 0: in a `const`, that is a compile error. [`try_min_calls`](Self::try_min_calls) returns the
    /// error instead.
    ///
    /// ```
    /// use retry_runtime::BreakerConfig;
    /// assert_eq!(BreakerConfig::new().min_calls(50).get_min_calls(), 50);
    /// ```
    pub const fn min_calls(self, n: u32) -> Self {
        or_fail!(self.try_min_calls(n))
    }

    /// How long the circuit stays open before probes are let through (`> 0`).
    ///
    /// # Panics
    ///
    /// If `timeout` is zero: in a `const`, that is a compile error. [`try_reset_timeout`](Self::try_reset_timeout) returns the
    /// error instead.
    ///
    /// ```
    /// use std::time::Duration;
    /// use retry_runtime::BreakerConfig;
    /// let c = BreakerConfig::new().reset_timeout(Duration::from_millis(500));
    /// assert_eq!(c.get_reset_timeout(), Duration::from_millis(500));
    /// ```
    pub const fn reset_timeout(self, timeout: Duration) -> Self {
        or_fail!(self.try_reset_timeout(timeout))
    }

    /// Successful probes in a row that close the circuit again (`1..=1_048_575`).
    ///
    /// # Panics
    ///
    /// If `n` is 0 or above 1,048,575: in a `const`, that is a compile error. [`try_success_threshold`](Self::try_success_threshold) returns the
    /// error instead.
    ///
    /// ```
    /// use retry_runtime::BreakerConfig;
    /// assert_eq!(BreakerConfig::new().success_threshold(1).get_success_threshold(), 1);
    /// ```
    pub const fn success_threshold(self, n: u32) -> Self {
        or_fail!(self.try_success_threshold(n))
    }

    /// Probes allowed in flight at once while half-open (`1..=1_048_575`); every other call is
    /// rejected.
    ///
    /// A probe dropped without a verdict (a cancelled future) frees its slot. If every slot
    /// stays taken and no probe has been admitted for a whole `reset_timeout` (a hung probe, a
    /// leaked permit), the next caller starts a fresh half-open period as the one probe, and
    /// the old probes' verdicts are ignored: nothing can wedge a breaker half-open.
    ///
    /// # Panics
    ///
    /// If `n` is 0 or above 1,048,575: in a `const`, that is a compile error. [`try_half_open_max_calls`](Self::try_half_open_max_calls) returns the
    /// error instead.
    ///
    /// ```
    /// use retry_runtime::BreakerConfig;
    /// assert_eq!(BreakerConfig::new().half_open_max_calls(3).get_half_open_max_calls(), 3);
    /// ```
    pub const fn half_open_max_calls(self, n: u32) -> Self {
        or_fail!(self.try_half_open_max_calls(n))
    }

    /// Called on every transition of the breaker, by the thread that made it, after it took
    /// effect. A closure that captures nothing will do.
    ///
    /// Transitions made by different threads at nearly the same moment may reach the hook in
    /// either order; each [`StateChange`] is right about its own `from` and `to`.
    ///
    /// A hook that panics finds the transition already made, so the breaker stays consistent.
    /// Its panic propagates to the caller, like any panic of user code, except while the thread
    /// unwinds from another panic (a body that panicked while holding its permit): then it is
    /// caught, reported (an `ERROR` event with the `tracing` feature), and the first panic goes
    /// on, since a panic out of a destructor would abort the process.
    ///
    /// ```
    /// use retry_runtime::{BreakerConfig, State, StateChange};
    /// const C: BreakerConfig = BreakerConfig::new().on_state_change(|c: &StateChange| {
    ///     if c.to == State::Open {
    ///         eprintln!("{} opened", c.name);
    ///     }
    /// });
    /// assert!(C.get_on_state_change().is_some());
    /// ```
    pub const fn on_state_change(mut self, hook: fn(&StateChange<'_>)) -> Self {
        self.on_state_change = Some(hook);
        self
    }

    /// [`failure_threshold`](Self::failure_threshold), returning the reason instead of
    /// panicking on a bad value (for values read at run time).
    ///
    /// ```
    /// use retry_runtime::BreakerConfig;
    /// assert!(BreakerConfig::new().try_failure_threshold(0).is_err());
    /// ```
    pub const fn try_failure_threshold(mut self, n: u32) -> Result<Self, &'static str> {
        if n == 0 {
            return Err("failure_threshold must be at least 1");
        }
        self.failure_threshold = n;
        self.failure_rate = None;
        Ok(self)
    }

    /// [`failure_rate`](Self::failure_rate), returning the reason instead of panicking.
    ///
    /// ```
    /// use retry_runtime::BreakerConfig;
    /// assert!(BreakerConfig::new().try_failure_rate(0.0).is_err());
    /// assert!(BreakerConfig::new().try_failure_rate(f64::NAN).is_err());
    /// assert!(BreakerConfig::new().try_failure_rate(1.0).is_ok());
    /// ```
    pub const fn try_failure_rate(mut self, rate: f64) -> Result<Self, &'static str> {
        // Written so that NaN fails too.
        if !(rate > 0.0 && rate <= 1.0) {
            return Err("failure_rate must lie in (0, 1]");
        }
        self.failure_rate = Some(rate);
        Ok(self)
    }

    /// [`window`](Self::window), returning the reason instead of panicking.
    ///
    /// ```
    /// use std::time::Duration;
    /// use retry_runtime::BreakerConfig;
    /// assert!(BreakerConfig::new().try_window(Duration::ZERO).is_err());
    /// ```
    pub const fn try_window(mut self, window: Duration) -> Result<Self, &'static str> {
        if window.is_zero() {
            return Err("window must be greater than zero");
        }
        self.window = window;
        Ok(self)
    }

    /// [`min_calls`](Self::min_calls), returning the reason instead of panicking.
    ///
    /// ```
    /// use retry_runtime::BreakerConfig;
    /// assert!(BreakerConfig::new().try_min_calls(0).is_err());
    /// ```
    pub const fn try_min_calls(mut self, n: u32) -> Result<Self, &'static str> {
        if n == 0 {
            return Err("min_calls must be at least 1");
        }
        self.min_calls = n;
        Ok(self)
    }

    /// [`reset_timeout`](Self::reset_timeout), returning the reason instead of panicking.
    ///
    /// ```
    /// use std::time::Duration;
    /// use retry_runtime::BreakerConfig;
    /// assert!(BreakerConfig::new().try_reset_timeout(Duration::ZERO).is_err());
    /// ```
    pub const fn try_reset_timeout(mut self, timeout: Duration) -> Result<Self, &'static str> {
        if timeout.is_zero() {
            return Err("reset_timeout must be greater than zero");
        }
        self.reset_timeout = timeout;
        Ok(self)
    }

    /// [`success_threshold`](Self::success_threshold), returning the reason instead of
    /// panicking.
    ///
    /// ```
    /// use retry_runtime::BreakerConfig;
    /// assert!(BreakerConfig::new().try_success_threshold(0).is_err());
    /// assert!(BreakerConfig::new().try_success_threshold(2_000_000).is_err());
    /// ```
    pub const fn try_success_threshold(mut self, n: u32) -> Result<Self, &'static str> {
        if n == 0 {
            return Err("success_threshold must be at least 1");
        }
        if n > MAX_PROBES {
            return Err("success_threshold must be at most 1048575");
        }
        self.success_threshold = n;
        Ok(self)
    }

    /// [`half_open_max_calls`](Self::half_open_max_calls), returning the reason instead of
    /// panicking.
    ///
    /// ```
    /// use retry_runtime::BreakerConfig;
    /// assert!(BreakerConfig::new().try_half_open_max_calls(0).is_err());
    /// ```
    pub const fn try_half_open_max_calls(mut self, n: u32) -> Result<Self, &'static str> {
        if n == 0 {
            return Err("half_open_max_calls must be at least 1");
        }
        if n > MAX_PROBES {
            return Err("half_open_max_calls must be at most 1048575");
        }
        self.half_open_max_calls = n;
        Ok(self)
    }

    /// Consecutive failures that open the circuit in consecutive mode.
    ///
    /// ```
    /// use retry_runtime::BreakerConfig;
    /// assert_eq!(BreakerConfig::new().failure_threshold(8).get_failure_threshold(), 8);
    /// ```
    pub const fn get_failure_threshold(&self) -> u32 {
        self.failure_threshold
    }

    /// The failure rate in rate mode, `None` in consecutive mode.
    ///
    /// ```
    /// use retry_runtime::BreakerConfig;
    /// assert_eq!(BreakerConfig::new().get_failure_rate(), None);
    /// ```
    pub const fn get_failure_rate(&self) -> Option<f64> {
        self.failure_rate
    }

    /// The sliding window of rate mode.
    ///
    /// ```
    /// use std::time::Duration;
    /// use retry_runtime::BreakerConfig;
    /// assert_eq!(BreakerConfig::new().get_window(), Duration::from_secs(60));
    /// ```
    pub const fn get_window(&self) -> Duration {
        self.window
    }

    /// Calls the window must hold before the rate counts.
    ///
    /// ```
    /// use retry_runtime::BreakerConfig;
    /// assert_eq!(BreakerConfig::new().get_min_calls(), 10);
    /// ```
    pub const fn get_min_calls(&self) -> u32 {
        self.min_calls
    }

    /// How long the circuit stays open before probes.
    ///
    /// ```
    /// use std::time::Duration;
    /// use retry_runtime::BreakerConfig;
    /// assert_eq!(BreakerConfig::new().get_reset_timeout(), Duration::from_secs(30));
    /// ```
    pub const fn get_reset_timeout(&self) -> Duration {
        self.reset_timeout
    }

    /// Successful probes in a row that close the circuit.
    ///
    /// ```
    /// use retry_runtime::BreakerConfig;
    /// assert_eq!(BreakerConfig::new().get_success_threshold(), 2);
    /// ```
    pub const fn get_success_threshold(&self) -> u32 {
        self.success_threshold
    }

    /// Probes allowed in flight at once.
    ///
    /// ```
    /// use retry_runtime::BreakerConfig;
    /// assert_eq!(BreakerConfig::new().get_half_open_max_calls(), 1);
    /// ```
    pub const fn get_half_open_max_calls(&self) -> u32 {
        self.half_open_max_calls
    }

    /// The transition hook, if any.
    ///
    /// ```
    /// use retry_runtime::BreakerConfig;
    /// assert!(BreakerConfig::new().get_on_state_change().is_none());
    /// ```
    pub const fn get_on_state_change(&self) -> Option<fn(&StateChange<'_>)> {
        self.on_state_change
    }
}
