//! Retry policies: [`RetryPolicy`], its `const fn` builder with the rules between its values,
//! and its getters; the kinds of [`Backoff`] and [`Jitter`] it takes. The math that turns a
//! policy into delays is in `schedule.rs`, the presets in `presets.rs`.

mod fallible;
mod presets;
mod schedule;
#[cfg(test)]
mod tests;

use crate::error::or_fail;
use std::time::Duration;

pub use fallible::PolicyError;
pub use schedule::Delays;
pub(crate) use schedule::Schedule;

/// How the base delay grows from one retry to the next.
///
/// `n` below is the number of the attempt that just failed (1 for the first).
///
/// ```
/// use retry_runtime::{Backoff, RetryPolicy};
/// const P: RetryPolicy = RetryPolicy::exponential().backoff(Backoff::Linear);
/// assert_eq!(P.get_backoff(), Backoff::Linear);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Backoff {
    /// `initial_delay * multiplier^(n-1)`.
    Exponential,
    /// `initial_delay * n`.
    Linear,
    /// `initial_delay` every time.
    Fixed,
    /// AWS "decorrelated jitter": `rand(initial_delay, previous * 3)`, starting from
    /// `previous = initial_delay`. It is random by itself and takes no [`Jitter`].
    Decorrelated,
}

/// Randomness applied to the capped base delay `d = min(base, max_delay)`.
///
/// Every result stays within `max_delay`, jitter included.
///
/// ```
/// use retry_runtime::{Jitter, RetryPolicy};
/// const P: RetryPolicy = RetryPolicy::fixed().jitter(Jitter::Fraction(0.2));
/// assert_eq!(P.get_jitter(), Jitter::Fraction(0.2));
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Jitter {
    /// Exactly `d`.
    None,
    /// Uniform in `[0, d]` (the default): the mean is `d / 2`.
    Full,
    /// `d / 2 + rand(0, d / 2)`.
    Equal,
    /// Uniform in `[d * (1 - f), d * (1 + f)]`, capped at `max_delay`; `f` in `0.0..=1.0`.
    Fraction(f64),
}

// Which fields were set explicitly: rules between values apply only to those.
const SET_INITIAL: u8 = 1;
const SET_MAX_DELAY: u8 = 2;
const SET_MULTIPLIER: u8 = 4;
const SET_JITTER: u8 = 8;

/// A retry schedule: how many attempts, how long to sleep between them, and when to stop.
///
/// Built by `const fn`s, so presets are constants and an invalid preset fails the build.
/// Every setter rejects its own bad value and every conflict between values set explicitly,
/// in whatever order they were set; a default never makes a build fail.
///
/// ```
/// use std::time::Duration;
/// use retry_runtime::{Jitter, RetryPolicy};
///
/// const PROVIDER: RetryPolicy = RetryPolicy::exponential()
///     .max_attempts(4)
///     .initial_delay(Duration::from_millis(200))
///     .max_delay(Duration::from_secs(5))
///     .jitter(Jitter::Full);
///
/// // Three sleeps at most between four attempts, each within [0, base].
/// let delays: Vec<Duration> = PROVIDER.delays_seeded(7).collect();
/// assert_eq!(delays.len(), 3);
/// assert!(delays[2] <= Duration::from_millis(800));
/// ```
///
/// An invalid combination is a compile error when the policy is a constant:
///
/// ```compile_fail,E0080
/// use std::time::Duration;
/// use retry_runtime::RetryPolicy;
/// const BAD: RetryPolicy = RetryPolicy::exponential()
///     .max_delay(Duration::from_secs(1))
///     .initial_delay(Duration::from_secs(2)); // initial_delay is larger than max_delay
/// ```
///
/// ```compile_fail,E0080
/// use retry_runtime::RetryPolicy;
/// const BAD: RetryPolicy = RetryPolicy::exponential().max_attempts(0);
/// ```
#[derive(Clone, Copy, Debug)]
pub struct RetryPolicy {
    backoff: Backoff,
    max_attempts: u32,
    initial_delay: Duration,
    max_delay: Duration,
    multiplier: f64,
    jitter: Jitter,
    max_elapsed: Option<Duration>,
    /// `None`: `max_delay`.
    max_retry_after: Option<Duration>,
    timeout: Option<Duration>,
    explicit: u8,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self::exponential()
    }
}

/// Two policies are equal when they retry the same way: every value is compared, not which of
/// them were set explicitly (`RetryPolicy::exponential().initial_delay(100ms)` equals
/// `RetryPolicy::exponential()`).
///
/// ```
/// use std::time::Duration;
/// use retry_runtime::RetryPolicy;
/// assert_eq!(RetryPolicy::exponential().initial_delay(Duration::from_millis(100)), RetryPolicy::exponential());
/// assert_ne!(RetryPolicy::exponential().max_attempts(4), RetryPolicy::exponential());
/// ```
impl PartialEq for RetryPolicy {
    fn eq(&self, other: &Self) -> bool {
        self.backoff == other.backoff
            && self.max_attempts == other.max_attempts
            && self.initial_delay == other.initial_delay
            && self.max_delay == other.max_delay
            && self.multiplier == other.multiplier
            && self.jitter == other.jitter
            && self.max_elapsed == other.max_elapsed
            && self.get_max_retry_after() == other.get_max_retry_after()
            && self.timeout == other.timeout
    }
}

/// Unwraps a checked setter in a `const` context: an error becomes a build failure there,
/// and a panic with the same message at run time.
impl RetryPolicy {
    const fn with_backoff(backoff: Backoff) -> Self {
        RetryPolicy {
            backoff,
            max_attempts: 3,
            initial_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(10),
            multiplier: 2.0,
            jitter: Jitter::Full,
            max_elapsed: None,
            max_retry_after: None,
            timeout: None,
            explicit: 0,
        }
    }

    /// Exponential backoff with the attribute's defaults: 3 attempts, 100 ms doubling,
    /// capped at 10 s, full jitter.
    ///
    /// ```
    /// use std::time::Duration;
    /// use retry_runtime::{Jitter, RetryPolicy};
    /// let d: Vec<_> = RetryPolicy::exponential().jitter(Jitter::None).delays_seeded(0).collect();
    /// assert_eq!(d, [Duration::from_millis(100), Duration::from_millis(200)]);
    /// ```
    pub const fn exponential() -> Self {
        Self::with_backoff(Backoff::Exponential)
    }

    /// Linear backoff (`initial_delay * n`) with the attribute's defaults.
    ///
    /// ```
    /// use std::time::Duration;
    /// use retry_runtime::{Jitter, RetryPolicy};
    /// let p = RetryPolicy::linear().max_attempts(4).jitter(Jitter::None);
    /// let d: Vec<_> = p.delays_seeded(0).map(|d| d.as_millis()).collect();
    /// assert_eq!(d, [100, 200, 300]);
    /// ```
    pub const fn linear() -> Self {
        Self::with_backoff(Backoff::Linear)
    }

    /// A fixed delay (`initial_delay` every time) with the attribute's defaults.
    ///
    /// ```
    /// use std::time::Duration;
    /// use retry_runtime::{Jitter, RetryPolicy};
    /// let p = RetryPolicy::fixed().initial_delay(Duration::from_millis(50)).jitter(Jitter::None);
    /// assert!(p.delays_seeded(1).all(|d| d == Duration::from_millis(50)));
    /// ```
    pub const fn fixed() -> Self {
        Self::with_backoff(Backoff::Fixed)
    }

    /// AWS decorrelated jitter with the attribute's defaults; it takes no [`Jitter`].
    ///
    /// ```
    /// use std::time::Duration;
    /// use retry_runtime::RetryPolicy;
    /// let first = RetryPolicy::decorrelated().delays_seeded(3).next().unwrap();
    /// assert!(first >= Duration::from_millis(100) && first <= Duration::from_millis(300));
    /// ```
    pub const fn decorrelated() -> Self {
        Self::with_backoff(Backoff::Decorrelated)
    }

    /// Replaces the backoff kind, keeping every other field.
    ///
    /// Fails for [`Backoff::Decorrelated`] when a jitter was set explicitly, and for any kind
    /// but [`Backoff::Exponential`] when a multiplier was set explicitly.
    ///
    /// # Panics
    ///
    /// If decorrelated backoff is combined with a jitter set explicitly, or a backoff other than exponential with an explicit multiplier: in a `const`, that is a compile error.
    ///
    /// ```
    /// use retry_runtime::{Backoff, RetryPolicy};
    /// const P: RetryPolicy = RetryPolicy::fixed().max_attempts(5).backoff(Backoff::Linear);
    /// assert_eq!(P.get_max_attempts(), 5);
    /// ```
    pub const fn backoff(self, backoff: Backoff) -> Self {
        or_fail!(self.check_backoff(backoff))
    }

    /// Calls in all, the first included (`>= 1`).
    ///
    /// # Panics
    ///
    /// If `n` is 0: in a `const`, that is a compile error. [`try_max_attempts`](Self::try_max_attempts) returns the error instead.
    ///
    /// ```
    /// use retry_runtime::RetryPolicy;
    /// assert_eq!(RetryPolicy::fixed().max_attempts(7).get_max_attempts(), 7);
    /// ```
    pub const fn max_attempts(self, n: u32) -> Self {
        or_fail!(self.check_max_attempts(n))
    }

    /// The same as [`max_attempts`](Self::max_attempts), counted as retries:
    /// `max_attempts = max_retries + 1`.
    ///
    /// # Panics
    ///
    /// If `n` is `u32::MAX` (no count of attempts holds it): in a `const`, that is a compile error. [`try_max_retries`](Self::try_max_retries) returns the error instead.
    ///
    /// ```
    /// use retry_runtime::RetryPolicy;
    /// assert_eq!(RetryPolicy::fixed().max_retries(0).get_max_attempts(), 1);
    /// ```
    pub const fn max_retries(self, n: u32) -> Self {
        or_fail!(self.check_max_retries(n))
    }

    /// The first base delay. Above a `max_delay` set explicitly it fails; above the default
    /// `max_delay` it lifts `max_delay` to itself.
    ///
    /// # Panics
    ///
    /// If `d` exceeds a `max_delay` set explicitly: in a `const`, that is a compile error. [`try_initial_delay`](Self::try_initial_delay) returns the error instead.
    ///
    /// ```
    /// use std::time::Duration;
    /// use retry_runtime::RetryPolicy;
    /// let p = RetryPolicy::fixed().initial_delay(Duration::from_secs(30));
    /// assert_eq!(p.get_max_delay(), Duration::from_secs(30));
    /// ```
    pub const fn initial_delay(self, d: Duration) -> Self {
        or_fail!(self.check_initial_delay(d))
    }

    /// The longest sleep ever taken, jitter included (`> 0`). Below an `initial_delay` set
    /// explicitly it fails; below the default `initial_delay` it lowers that one to itself.
    ///
    /// # Panics
    ///
    /// If `d` is zero or below an `initial_delay` set explicitly: in a `const`, that is a compile error. [`try_max_delay`](Self::try_max_delay) returns the error instead.
    ///
    /// ```
    /// use std::time::Duration;
    /// use retry_runtime::RetryPolicy;
    /// let p = RetryPolicy::exponential().max_delay(Duration::from_millis(50));
    /// assert_eq!(p.get_initial_delay(), Duration::from_millis(50));
    /// ```
    pub const fn max_delay(self, d: Duration) -> Self {
        or_fail!(self.check_max_delay(d))
    }

    /// The exponential growth factor (`>= 1.0`; exponential backoff only).
    ///
    /// # Panics
    ///
    /// If `m` is below 1.0 (or NaN), or the backoff is not exponential: in a `const`, that is a compile error. [`try_multiplier`](Self::try_multiplier) returns the error instead.
    ///
    /// ```
    /// use retry_runtime::RetryPolicy;
    /// assert_eq!(RetryPolicy::exponential().multiplier(1.5).get_multiplier(), 1.5);
    /// ```
    pub const fn multiplier(self, m: f64) -> Self {
        or_fail!(self.check_multiplier(m))
    }

    /// The jitter; a [`Jitter::Fraction`] must lie in `0.0..=1.0`, and decorrelated backoff
    /// takes none.
    ///
    /// # Panics
    ///
    /// If a fraction lies outside `0.0..=1.0`, or the backoff is decorrelated: in a `const`, that is a compile error. [`try_jitter`](Self::try_jitter) returns the error instead.
    ///
    /// ```
    /// use retry_runtime::{Jitter, RetryPolicy};
    /// assert_eq!(RetryPolicy::linear().jitter(Jitter::Equal).get_jitter(), Jitter::Equal);
    /// ```
    pub const fn jitter(self, j: Jitter) -> Self {
        or_fail!(self.check_jitter(j))
    }

    /// Give up rather than start a sleep that would end more than `d` after the first attempt
    /// began (`> 0`).
    ///
    /// # Panics
    ///
    /// If `d` is zero: in a `const`, that is a compile error. [`try_max_elapsed`](Self::try_max_elapsed) returns the error instead.
    ///
    /// ```
    /// use std::time::Duration;
    /// use retry_runtime::RetryPolicy;
    /// let p = RetryPolicy::fixed().max_elapsed(Duration::from_secs(20));
    /// assert_eq!(p.get_max_elapsed(), Some(Duration::from_secs(20)));
    /// ```
    pub const fn max_elapsed(self, d: Duration) -> Self {
        or_fail!(self.check_max_elapsed(d))
    }

    /// The longest server hint (`retry_after`) honoured (`> 0`; default: `max_delay`). A hint
    /// up to it is slept in full even when it exceeds `max_delay`, which caps the backoff
    /// only; a longer hint gives up at once (a provider saying "come back in an hour" is not
    /// worth waiting for in a request).
    ///
    /// # Panics
    ///
    /// If `d` is zero: in a `const`, that is a compile error. [`try_max_retry_after`](Self::try_max_retry_after) returns the error instead.
    ///
    /// ```
    /// use std::time::Duration;
    /// use retry_runtime::RetryPolicy;
    /// let p = RetryPolicy::exponential().max_retry_after(Duration::from_secs(60));
    /// assert_eq!(p.get_max_retry_after(), Duration::from_secs(60));
    /// assert_eq!(p.get_max_delay(), Duration::from_secs(10)); // the backoff's cap is unchanged
    /// ```
    pub const fn max_retry_after(self, d: Duration) -> Self {
        or_fail!(self.check_max_retry_after(d))
    }

    /// Per-attempt timeout for async attempts (`> 0`). An attempt running longer is dropped and
    /// fails with [`AttemptTimedOut`](crate::AttemptTimedOut) converted into the call's error
    /// type. It is applied by `#[retry_on_failure]` on async functions and by
    /// [`Retry::run_async_with_timeout`](crate::Retry::run_async_with_timeout), the drivers that
    /// know `E: From<AttemptTimedOut>`; the other drivers cannot make an error from it and do not
    /// time attempts out.
    ///
    /// # Panics
    ///
    /// If `d` is zero: in a `const`, that is a compile error. [`try_timeout`](Self::try_timeout) returns the error instead.
    ///
    /// ```
    /// use std::time::Duration;
    /// use retry_runtime::RetryPolicy;
    /// let p = RetryPolicy::fixed().timeout(Duration::from_secs(2));
    /// assert_eq!(p.get_timeout(), Some(Duration::from_secs(2)));
    /// ```
    pub const fn timeout(self, d: Duration) -> Self {
        or_fail!(self.check_timeout(d))
    }

    /// Sets `initial_delay` and `max_delay` together, checked against each other only: the
    /// attribute uses it (through `__private::policy_with_delays`) when both keys override a
    /// `policy = P`.
    pub(crate) const fn initial_and_max_delay(self, initial: Duration, max: Duration) -> Self {
        or_fail!(self.check_delays(initial, max))
    }

    // ---- checked setters (used by the const setters, their `try_` twins and `env` overrides) ----

    pub(crate) const fn check_backoff(mut self, backoff: Backoff) -> Result<Self, &'static str> {
        if matches!(backoff, Backoff::Decorrelated) && self.explicit & SET_JITTER != 0 {
            return Err("decorrelated backoff takes no jitter: it is random by itself");
        }
        if !matches!(backoff, Backoff::Exponential) && self.explicit & SET_MULTIPLIER != 0 {
            return Err("multiplier applies only to exponential backoff");
        }
        self.backoff = backoff;
        Ok(self)
    }

    pub(crate) const fn check_max_attempts(mut self, n: u32) -> Result<Self, &'static str> {
        if n == 0 {
            return Err("max_attempts must be at least 1");
        }
        self.max_attempts = n;
        Ok(self)
    }

    pub(crate) const fn check_max_retries(self, n: u32) -> Result<Self, &'static str> {
        match n.checked_add(1) {
            Some(a) => self.check_max_attempts(a),
            None => Err("max_retries must be below u32::MAX"),
        }
    }

    pub(crate) const fn check_initial_delay(mut self, d: Duration) -> Result<Self, &'static str> {
        if d.as_nanos() > self.max_delay.as_nanos() {
            if self.explicit & SET_MAX_DELAY != 0 {
                return Err("initial_delay is larger than max_delay");
            }
            self.max_delay = d;
        }
        self.initial_delay = d;
        self.explicit |= SET_INITIAL;
        Ok(self)
    }

    pub(crate) const fn check_max_delay(mut self, d: Duration) -> Result<Self, &'static str> {
        if d.is_zero() {
            return Err("max_delay must be greater than zero");
        }
        if self.initial_delay.as_nanos() > d.as_nanos() {
            if self.explicit & SET_INITIAL != 0 {
                return Err("max_delay is smaller than initial_delay");
            }
            self.initial_delay = d;
        }
        self.max_delay = d;
        self.explicit |= SET_MAX_DELAY;
        Ok(self)
    }

    pub(crate) const fn check_multiplier(mut self, m: f64) -> Result<Self, &'static str> {
        if m.is_nan() || m < 1.0 {
            return Err("multiplier must be at least 1.0");
        }
        if !matches!(self.backoff, Backoff::Exponential) {
            return Err("multiplier applies only to exponential backoff");
        }
        self.multiplier = m;
        self.explicit |= SET_MULTIPLIER;
        Ok(self)
    }

    pub(crate) const fn check_jitter(mut self, j: Jitter) -> Result<Self, &'static str> {
        if let Jitter::Fraction(f) = j {
            if f.is_nan() || f < 0.0 || f > 1.0 {
                return Err("a jitter fraction must lie in 0.0..=1.0");
            }
        }
        if matches!(self.backoff, Backoff::Decorrelated) {
            return Err("decorrelated backoff takes no jitter: it is random by itself");
        }
        self.jitter = j;
        self.explicit |= SET_JITTER;
        Ok(self)
    }

    pub(crate) const fn check_max_elapsed(mut self, d: Duration) -> Result<Self, &'static str> {
        if d.is_zero() {
            return Err("max_elapsed must be greater than zero");
        }
        self.max_elapsed = Some(d);
        Ok(self)
    }

    pub(crate) const fn check_max_retry_after(mut self, d: Duration) -> Result<Self, &'static str> {
        if d.is_zero() {
            return Err("max_retry_after must be greater than zero");
        }
        self.max_retry_after = Some(d);
        Ok(self)
    }

    pub(crate) const fn check_timeout(mut self, d: Duration) -> Result<Self, &'static str> {
        if d.is_zero() {
            return Err("timeout must be greater than zero");
        }
        self.timeout = Some(d);
        Ok(self)
    }

    /// Sets `initial_delay` and `max_delay` together, checking them against each other only
    /// (used by `env` overrides that give both).
    pub(crate) const fn check_delays(
        mut self,
        initial: Duration,
        max: Duration,
    ) -> Result<Self, &'static str> {
        if max.is_zero() {
            return Err("max_delay must be greater than zero");
        }
        if initial.as_nanos() > max.as_nanos() {
            return Err("initial_delay is larger than max_delay");
        }
        self.initial_delay = initial;
        self.max_delay = max;
        self.explicit |= SET_INITIAL | SET_MAX_DELAY;
        Ok(self)
    }

    // ---- getters ----

    /// The backoff kind.
    ///
    /// ```
    /// use retry_runtime::{Backoff, RetryPolicy};
    /// assert_eq!(RetryPolicy::default().get_backoff(), Backoff::Exponential);
    /// ```
    pub const fn get_backoff(&self) -> Backoff {
        self.backoff
    }

    /// Calls in all, the first included.
    ///
    /// ```
    /// use retry_runtime::RetryPolicy;
    /// assert_eq!(RetryPolicy::default().get_max_attempts(), 3);
    /// ```
    pub const fn get_max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The first base delay.
    ///
    /// ```
    /// use std::time::Duration;
    /// use retry_runtime::RetryPolicy;
    /// assert_eq!(RetryPolicy::default().get_initial_delay(), Duration::from_millis(100));
    /// ```
    pub const fn get_initial_delay(&self) -> Duration {
        self.initial_delay
    }

    /// The cap on every sleep, jitter included.
    ///
    /// ```
    /// use std::time::Duration;
    /// use retry_runtime::RetryPolicy;
    /// assert_eq!(RetryPolicy::default().get_max_delay(), Duration::from_secs(10));
    /// ```
    pub const fn get_max_delay(&self) -> Duration {
        self.max_delay
    }

    /// The exponential growth factor.
    ///
    /// ```
    /// use retry_runtime::RetryPolicy;
    /// assert_eq!(RetryPolicy::default().get_multiplier(), 2.0);
    /// ```
    pub const fn get_multiplier(&self) -> f64 {
        self.multiplier
    }

    /// The jitter ([`Jitter::None`] is reported for decorrelated backoff, which takes none).
    ///
    /// ```
    /// use retry_runtime::{Jitter, RetryPolicy};
    /// assert_eq!(RetryPolicy::default().get_jitter(), Jitter::Full);
    /// assert_eq!(RetryPolicy::decorrelated().get_jitter(), Jitter::None);
    /// ```
    pub const fn get_jitter(&self) -> Jitter {
        match self.backoff {
            Backoff::Decorrelated => Jitter::None,
            _ => self.jitter,
        }
    }

    /// The overall time limit, if any.
    ///
    /// ```
    /// use retry_runtime::RetryPolicy;
    /// assert_eq!(RetryPolicy::default().get_max_elapsed(), None);
    /// ```
    pub const fn get_max_elapsed(&self) -> Option<Duration> {
        self.max_elapsed
    }

    /// The longest server hint honoured: the one set, else `max_delay`.
    ///
    /// ```
    /// use std::time::Duration;
    /// use retry_runtime::RetryPolicy;
    /// assert_eq!(RetryPolicy::default().get_max_retry_after(), Duration::from_secs(10));
    /// ```
    pub const fn get_max_retry_after(&self) -> Duration {
        match self.max_retry_after {
            Some(d) => d,
            None => self.max_delay,
        }
    }

    /// `max_retry_after` as set, `None` when it follows `max_delay` (written to configuration
    /// files only when set).
    #[cfg(feature = "serde")]
    pub(crate) const fn explicit_max_retry_after(&self) -> Option<Duration> {
        self.max_retry_after
    }

    /// The per-attempt timeout, if any.
    ///
    /// ```
    /// use retry_runtime::RetryPolicy;
    /// assert_eq!(RetryPolicy::default().get_timeout(), None);
    /// ```
    pub const fn get_timeout(&self) -> Option<Duration> {
        self.timeout
    }
}
