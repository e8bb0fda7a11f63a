//! Retry policies: the backoff math, jitter, and the `const fn` builder.

use std::time::Duration;

use crate::rng::{Rng, WyRand};

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
/// ```compile_fail
/// use std::time::Duration;
/// use retry_runtime::RetryPolicy;
/// const BAD: RetryPolicy = RetryPolicy::exponential()
///     .max_delay(Duration::from_secs(1))
///     .initial_delay(Duration::from_secs(2)); // initial_delay is larger than max_delay
/// ```
///
/// ```compile_fail
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
            && self.timeout == other.timeout
    }
}

/// Unwraps a checked setter in a `const` context: an error becomes a build failure there,
/// and a panic with the same message at run time.
macro_rules! or_fail {
    ($e:expr) => {
        match $e {
            Ok(p) => p,
            Err(msg) => panic!("{}", msg),
        }
    };
}

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
    /// ```
    /// use retry_runtime::{Backoff, RetryPolicy};
    /// const P: RetryPolicy = RetryPolicy::fixed().max_attempts(5).backoff(Backoff::Linear);
    /// assert_eq!(P.get_max_attempts(), 5);
    /// ```
    pub const fn backoff(self, backoff: Backoff) -> Self {
        or_fail!(self.try_backoff(backoff))
    }

    /// Calls in all, the first included (`>= 1`).
    ///
    /// ```
    /// use retry_runtime::RetryPolicy;
    /// assert_eq!(RetryPolicy::fixed().max_attempts(7).get_max_attempts(), 7);
    /// ```
    pub const fn max_attempts(self, n: u32) -> Self {
        or_fail!(self.try_max_attempts(n))
    }

    /// The same as [`max_attempts`](Self::max_attempts), counted as retries:
    /// `max_attempts = max_retries + 1`.
    ///
    /// ```
    /// use retry_runtime::RetryPolicy;
    /// assert_eq!(RetryPolicy::fixed().max_retries(0).get_max_attempts(), 1);
    /// ```
    pub const fn max_retries(self, n: u32) -> Self {
        or_fail!(self.try_max_retries(n))
    }

    /// The first base delay. Above a `max_delay` set explicitly it fails; above the default
    /// `max_delay` it lifts `max_delay` to itself.
    ///
    /// ```
    /// use std::time::Duration;
    /// use retry_runtime::RetryPolicy;
    /// let p = RetryPolicy::fixed().initial_delay(Duration::from_secs(30));
    /// assert_eq!(p.get_max_delay(), Duration::from_secs(30));
    /// ```
    pub const fn initial_delay(self, d: Duration) -> Self {
        or_fail!(self.try_initial_delay(d))
    }

    /// The longest sleep ever taken, jitter included (`> 0`). Below an `initial_delay` set
    /// explicitly it fails; below the default `initial_delay` it lowers that one to itself.
    ///
    /// ```
    /// use std::time::Duration;
    /// use retry_runtime::RetryPolicy;
    /// let p = RetryPolicy::exponential().max_delay(Duration::from_millis(50));
    /// assert_eq!(p.get_initial_delay(), Duration::from_millis(50));
    /// ```
    pub const fn max_delay(self, d: Duration) -> Self {
        or_fail!(self.try_max_delay(d))
    }

    /// The exponential growth factor (`>= 1.0`; exponential backoff only).
    ///
    /// ```
    /// use retry_runtime::RetryPolicy;
    /// assert_eq!(RetryPolicy::exponential().multiplier(1.5).get_multiplier(), 1.5);
    /// ```
    pub const fn multiplier(self, m: f64) -> Self {
        or_fail!(self.try_multiplier(m))
    }

    /// The jitter; a [`Jitter::Fraction`] must lie in `0.0..=1.0`, and decorrelated backoff
    /// takes none.
    ///
    /// ```
    /// use retry_runtime::{Jitter, RetryPolicy};
    /// assert_eq!(RetryPolicy::linear().jitter(Jitter::Equal).get_jitter(), Jitter::Equal);
    /// ```
    pub const fn jitter(self, j: Jitter) -> Self {
        or_fail!(self.try_jitter(j))
    }

    /// Give up rather than start a sleep that would end more than `d` after the first attempt
    /// began (`> 0`).
    ///
    /// ```
    /// use std::time::Duration;
    /// use retry_runtime::RetryPolicy;
    /// let p = RetryPolicy::fixed().max_elapsed(Duration::from_secs(20));
    /// assert_eq!(p.get_max_elapsed(), Some(Duration::from_secs(20)));
    /// ```
    pub const fn max_elapsed(self, d: Duration) -> Self {
        or_fail!(self.try_max_elapsed(d))
    }

    /// Per-attempt timeout for async attempts (`> 0`). An attempt running longer is dropped and
    /// fails with [`AttemptTimedOut`](crate::AttemptTimedOut) converted into the call's error
    /// type. It is applied by `#[retry_on_failure]` on async functions and by
    /// [`Retry::run_async_with_timeout`](crate::Retry::run_async_with_timeout), the drivers that
    /// know `E: From<AttemptTimedOut>`; the other drivers cannot make an error from it and do not
    /// time attempts out.
    ///
    /// ```
    /// use std::time::Duration;
    /// use retry_runtime::RetryPolicy;
    /// let p = RetryPolicy::fixed().timeout(Duration::from_secs(2));
    /// assert_eq!(p.get_timeout(), Some(Duration::from_secs(2)));
    /// ```
    pub const fn timeout(self, d: Duration) -> Self {
        or_fail!(self.try_timeout(d))
    }

    /// Sets `initial_delay` and `max_delay` together, checked against each other only: the
    /// attribute uses it when both keys override a `policy = P`.
    #[doc(hidden)]
    pub const fn __delays(self, initial: Duration, max: Duration) -> Self {
        or_fail!(self.try_delays(initial, max))
    }

    // ---- checked setters (used by the const setters and by `env` overrides) ----

    pub(crate) const fn try_backoff(mut self, backoff: Backoff) -> Result<Self, &'static str> {
        if matches!(backoff, Backoff::Decorrelated) && self.explicit & SET_JITTER != 0 {
            return Err("decorrelated backoff takes no jitter: it is random by itself");
        }
        if !matches!(backoff, Backoff::Exponential) && self.explicit & SET_MULTIPLIER != 0 {
            return Err("multiplier applies only to exponential backoff");
        }
        self.backoff = backoff;
        Ok(self)
    }

    pub(crate) const fn try_max_attempts(mut self, n: u32) -> Result<Self, &'static str> {
        if n == 0 {
            return Err("max_attempts must be at least 1");
        }
        self.max_attempts = n;
        Ok(self)
    }

    pub(crate) const fn try_max_retries(self, n: u32) -> Result<Self, &'static str> {
        match n.checked_add(1) {
            Some(a) => self.try_max_attempts(a),
            None => Err("max_retries must be below u32::MAX"),
        }
    }

    pub(crate) const fn try_initial_delay(mut self, d: Duration) -> Result<Self, &'static str> {
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

    pub(crate) const fn try_max_delay(mut self, d: Duration) -> Result<Self, &'static str> {
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

    pub(crate) const fn try_multiplier(mut self, m: f64) -> Result<Self, &'static str> {
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

    pub(crate) const fn try_jitter(mut self, j: Jitter) -> Result<Self, &'static str> {
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

    pub(crate) const fn try_max_elapsed(mut self, d: Duration) -> Result<Self, &'static str> {
        if d.is_zero() {
            return Err("max_elapsed must be greater than zero");
        }
        self.max_elapsed = Some(d);
        Ok(self)
    }

    pub(crate) const fn try_timeout(mut self, d: Duration) -> Result<Self, &'static str> {
        if d.is_zero() {
            return Err("timeout must be greater than zero");
        }
        self.timeout = Some(d);
        Ok(self)
    }

    /// Sets `initial_delay` and `max_delay` together, checking them against each other only
    /// (used by `env` overrides that give both).
    pub(crate) const fn try_delays(
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

    /// The per-attempt timeout, if any.
    ///
    /// ```
    /// use retry_runtime::RetryPolicy;
    /// assert_eq!(RetryPolicy::default().get_timeout(), None);
    /// ```
    pub const fn get_timeout(&self) -> Option<Duration> {
        self.timeout
    }

    /// The successive delays of this policy for a given seed: exactly the sleeps the retry
    /// loops take when every attempt fails (`max_attempts - 1` of them), computed by the same
    /// code. The same seed gives the same schedule.
    ///
    /// ```
    /// use retry_runtime::RetryPolicy;
    /// let p = RetryPolicy::exponential().max_attempts(6);
    /// let a: Vec<_> = p.delays_seeded(42).collect();
    /// assert_eq!(a.len(), 5);
    /// assert_eq!(a, p.delays_seeded(42).collect::<Vec<_>>());
    /// ```
    pub fn delays_seeded(&self, seed: u64) -> Delays {
        Delays {
            policy: *self,
            schedule: Schedule::new(),
            rng: WyRand::new(seed),
            attempt: 1,
        }
    }

    /// The successive delays with a random seed; see [`delays_seeded`](Self::delays_seeded).
    ///
    /// ```
    /// use std::time::Duration;
    /// use retry_runtime::RetryPolicy;
    /// assert!(RetryPolicy::default().delays().all(|d| d <= Duration::from_secs(10)));
    /// ```
    pub fn delays(&self) -> Delays {
        self.delays_seeded(crate::rng::random_seed())
    }

    /// `max_delay` in nanoseconds, saturated to `u64` (about 584 years).
    #[inline]
    fn max_nanos(&self) -> u64 {
        saturate_nanos(self.max_delay)
    }

    /// The base delay (before jitter) after attempt `attempt` failed, capped at `max_delay`.
    /// `prev` is the previous capped base (exponential) or the previous delay (decorrelated).
    /// Pure integer and float arithmetic: saturates, never overflows, never panics.
    #[inline]
    pub(crate) fn base_nanos(&self, attempt: u32, prev: u64, rng: &mut impl Rng) -> u64 {
        let max = self.max_nanos();
        let initial = saturate_nanos(self.initial_delay).min(max);
        match self.backoff {
            Backoff::Fixed => initial,
            Backoff::Linear => initial.saturating_mul(u64::from(attempt.max(1))).min(max),
            Backoff::Exponential => {
                if attempt <= 1 || initial == 0 {
                    return initial;
                }
                // The closed form `initial * multiplier^(n-1)`: growing `prev` instead would
                // truncate to whole nanoseconds at every step and drift below it (1 ns at 1.5x
                // would never grow). `initial > 0` and `multiplier >= 1`, so never NaN.
                let grown = initial as f64 * self.multiplier.powf(f64::from(attempt - 1));
                if grown >= max as f64 {
                    max
                } else {
                    // `as` saturates; `max(prev)` and `max(initial)` keep the schedule
                    // monotone across float rounding (above 2^53 ns, `initial as f64` rounds).
                    (grown as u64).max(prev).max(initial).min(max)
                }
            }
            Backoff::Decorrelated => {
                let prev = if attempt <= 1 {
                    initial
                } else {
                    prev.max(initial)
                };
                let hi = prev.saturating_mul(3).min(max);
                uniform(rng, initial.min(hi), hi)
            }
        }
    }

    /// Applies the jitter to a capped base `d`, staying within `max_delay`.
    #[inline]
    pub(crate) fn jitter_nanos(&self, d: u64, rng: &mut impl Rng) -> u64 {
        if d == 0 || matches!(self.backoff, Backoff::Decorrelated) {
            return d;
        }
        match self.jitter {
            Jitter::None => d,
            Jitter::Full => uniform(rng, 0, d),
            Jitter::Equal => {
                let half = d / 2;
                half + uniform(rng, 0, d - half)
            }
            Jitter::Fraction(f) => {
                let spread = (d as f64 * f) as u64;
                let lo = d.saturating_sub(spread);
                let hi = d.saturating_add(spread).min(self.max_nanos());
                uniform(rng, lo, hi.max(lo))
            }
        }
    }
}

/// Presets: starting points with the reasoning behind their numbers. Use them as they are
/// (`policy = RetryPolicy::STANDARD` on the attribute) or adjust them: keys given beside
/// `policy` override its fields, and so do setters.
impl RetryPolicy {
    /// For request/response calls to a rate-limited HTTP API, an LLM provider's above all:
    /// 3 attempts, exponential from 500 ms (doubling), full jitter, capped at 8 s.
    ///
    /// - **3 attempts** (two retries), as the official OpenAI and Anthropic SDKs make. During
    ///   an outage every retry multiplies the load on the provider; two retries ride out a
    ///   blip without turning an outage into a retry storm (pair it with a retry budget for
    ///   that).
    /// - **500 ms first**: rate limits are counted per second or per minute, so a retry a few
    ///   milliseconds later meets the same limit; half a second lets a token bucket refill and
    ///   a restarting instance come back. Doubling gives 500 ms then 1 s of base delay: at most
    ///   1.5 s of sleep in all, 750 ms on average.
    /// - **Full jitter**: the clients of one provider key hit its limit together; drawing each
    ///   sleep from `[0, base]` spreads their retries over the whole interval, which does the
    ///   least total work of the jitter schemes (AWS, "Exponential Backoff and Jitter").
    /// - **8 s cap**: with the default schedule the cap matters for `Retry-After` hints, which
    ///   raise a sleep up to it: a hint of a few seconds is honoured, while a longer one (a
    ///   per-minute window) gives up at once and hands the error to the caller, who can queue
    ///   the work, rather than holding the call for a minute. Raising `max_attempts` keeps every
    ///   sleep within 8 s.
    /// - **No `max_elapsed`**: an LLM response can take a minute, and the elapsed time counts
    ///   the attempts too; it would also read the clock on every call. Bound slow attempts with
    ///   `timeout` (async) instead.
    ///
    /// ```
    /// use std::time::Duration;
    /// use retry_runtime::{Jitter, RetryPolicy};
    ///
    /// let bases: Vec<Duration> = RetryPolicy::STANDARD.jitter(Jitter::None).delays_seeded(0).collect();
    /// assert_eq!(bases, [Duration::from_millis(500), Duration::from_secs(1)]);
    /// // With its full jitter, each sleep is drawn from [0, base].
    /// assert!(RetryPolicy::STANDARD.delays_seeded(7).zip(bases).all(|(d, b)| d <= b));
    /// ```
    pub const STANDARD: RetryPolicy = RetryPolicy::exponential()
        .max_attempts(3)
        .initial_delay(Duration::from_millis(500))
        .multiplier(2.0)
        .max_delay(Duration::from_secs(8))
        .jitter(Jitter::Full);

    /// For setting up a streaming response (server-sent events, a WebSocket, a gRPC stream)
    /// while a user waits for the first token: shorter and gentler than
    /// [`STANDARD`](Self::STANDARD). 3 attempts, exponential from 100 ms (doubling), full
    /// jitter, capped at 1 s.
    ///
    /// - **Short delays**: what fails while a stream is set up is mostly a connection reset by
    ///   a load balancer rotating a backend, or a 5xx from one busy replica; the next attempt
    ///   usually lands elsewhere and succeeds at once. 100 ms then 200 ms of base delay add at
    ///   most 300 ms (150 ms on average) before the first token, below what a user notices
    ///   next to a model's own time to first token.
    /// - **3 attempts**: enough for a reset or two, and still few: a stream is expensive to
    ///   start, and a backend that failed three set-ups in a row is down, which the user should
    ///   hear at once, not after a long spinner (a fallback to another provider does better).
    /// - **Full jitter**: when a stream server dies, all of its clients reconnect in the same
    ///   instant; jitter keeps that herd from stampeding the next server.
    /// - **1 s cap**: a `Retry-After` hint longer than a second gives up at once, since a user
    ///   watching an empty reply should not wait out a rate limit.
    /// - **No `max_elapsed`** (the sleeps are already bounded, and it would read the clock on
    ///   every call); bound the set-up with `timeout` (async).
    ///
    /// Retry only the set-up (the call that returns the stream), never the consumption: once
    /// tokens have reached the user, a retry would repeat them.
    ///
    /// ```
    /// use std::time::Duration;
    /// use retry_runtime::{Jitter, RetryPolicy};
    ///
    /// let bases: Vec<Duration> = RetryPolicy::STREAMING.jitter(Jitter::None).delays_seeded(0).collect();
    /// assert_eq!(bases, [Duration::from_millis(100), Duration::from_millis(200)]);
    /// let total: Duration = RetryPolicy::STREAMING.delays_seeded(3).sum();
    /// assert!(total <= Duration::from_millis(300));
    /// ```
    pub const STREAMING: RetryPolicy = RetryPolicy::exponential()
        .max_attempts(3)
        .initial_delay(Duration::from_millis(100))
        .multiplier(2.0)
        .max_delay(Duration::from_secs(1))
        .jitter(Jitter::Full);
}

/// Uniform in `[lo, hi]` (Lemire's multiply-shift; `lo <= hi`).
#[inline]
fn uniform(rng: &mut impl Rng, lo: u64, hi: u64) -> u64 {
    if lo >= hi {
        return lo;
    }
    let span = u128::from(hi - lo) + 1;
    lo + ((u128::from(rng.next_u64()) * span) >> 64) as u64
}

#[inline]
pub(crate) fn saturate_nanos(d: Duration) -> u64 {
    u64::try_from(d.as_nanos()).unwrap_or(u64::MAX)
}

/// The evolving state of one call's schedule: the previous base (or, decorrelated, delay).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Schedule {
    prev: u64,
}

impl Schedule {
    #[inline]
    pub(crate) const fn new() -> Self {
        Schedule { prev: 0 }
    }

    /// The sleep after attempt `attempt` failed, jitter included, `<= max_delay`.
    #[inline]
    pub(crate) fn next(&mut self, policy: &RetryPolicy, attempt: u32, rng: &mut impl Rng) -> u64 {
        let base = policy.base_nanos(attempt, self.prev, rng);
        self.prev = base;
        policy.jitter_nanos(base, rng)
    }
}

/// The delays of a [`RetryPolicy`], from [`RetryPolicy::delays_seeded`] or
/// [`RetryPolicy::delays`]: `max_attempts - 1` of them, then the iterator ends.
///
/// ```
/// use retry_runtime::RetryPolicy;
/// let mut d = RetryPolicy::fixed().max_attempts(2).delays_seeded(0);
/// assert!(d.next().is_some());
/// assert!(d.next().is_none());
/// ```
#[derive(Clone, Debug)]
pub struct Delays {
    policy: RetryPolicy,
    schedule: Schedule,
    rng: WyRand,
    /// The number of the attempt the next delay follows (1-based).
    attempt: u32,
}

impl Iterator for Delays {
    type Item = Duration;

    fn next(&mut self) -> Option<Duration> {
        if self.attempt >= self.policy.max_attempts {
            return None;
        }
        let nanos = self
            .schedule
            .next(&self.policy, self.attempt, &mut self.rng);
        self.attempt += 1;
        Some(Duration::from_nanos(nanos))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.policy.max_attempts.saturating_sub(self.attempt) as usize;
        (left, Some(left))
    }
}

impl ExactSizeIterator for Delays {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::WyRand;
    use proptest::prelude::*;

    fn duration() -> impl Strategy<Value = Duration> {
        prop_oneof![
            Just(Duration::ZERO),
            (1u64..5_000).prop_map(Duration::from_nanos),
            (1u64..100_000).prop_map(Duration::from_millis),
            any::<u64>().prop_map(Duration::from_nanos),
            (any::<u64>(), 0u32..1_000_000_000).prop_map(|(s, n)| Duration::new(s, n)),
            Just(Duration::MAX),
        ]
    }

    fn multiplier() -> impl Strategy<Value = f64> {
        prop_oneof![
            Just(1.0),
            Just(2.0),
            1.0f64..10.0,
            10.0f64..1e300,
            Just(f64::MAX),
            Just(f64::INFINITY),
        ]
    }

    fn jitter() -> impl Strategy<Value = Jitter> {
        prop_oneof![
            Just(Jitter::None),
            Just(Jitter::Full),
            Just(Jitter::Equal),
            Just(Jitter::Fraction(1.0)),
            (0.0f64..=1.0).prop_map(Jitter::Fraction),
        ]
    }

    /// Any valid policy, built through the checked setters.
    fn policy() -> impl Strategy<Value = RetryPolicy> {
        (0u8..4, duration(), duration(), multiplier(), jitter()).prop_map(|(b, x, y, m, j)| {
            let (initial, max) = if x <= y { (x, y) } else { (y, x) };
            let max = if max.is_zero() {
                Duration::from_nanos(1)
            } else {
                max
            };
            let p = match b {
                0 => RetryPolicy::exponential().multiplier(m),
                1 => RetryPolicy::linear(),
                2 => RetryPolicy::fixed(),
                _ => RetryPolicy::decorrelated(),
            };
            let p = p.max_delay(max).initial_delay(initial);
            if b == 3 {
                p
            } else {
                p.jitter(j)
            }
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 4_000, failure_persistence: None, ..ProptestConfig::default() })]

        /// Any attempt number and any previous value: no panic, and never above max_delay.
        #[test]
        fn base_nanos_is_total_and_capped(
            p in policy(),
            attempt in prop_oneof![0u32..=3, 0u32..=300, any::<u32>(), Just(u32::MAX)],
            prev in prop_oneof![Just(0u64), 0u64..10_000, any::<u64>(), Just(u64::MAX)],
            seed in any::<u64>(),
        ) {
            let mut rng = WyRand::new(seed);
            let base = p.base_nanos(attempt, prev, &mut rng);
            prop_assert!(base <= p.max_nanos(), "{} > {} for {:?}", base, p.max_nanos(), p);
            let initial = saturate_nanos(p.get_initial_delay()).min(p.max_nanos());
            // No backoff ever goes below the initial delay.
            prop_assert!(base >= initial, "{} < initial {} for {:?}", base, initial, p);
        }

        /// Any capped base: jitter never panics and stays within max_delay and its own bounds.
        #[test]
        fn jitter_nanos_is_total_and_capped(
            p in policy(),
            frac in 0.0f64..=1.0,
            pick in 0u8..4,
            seed in any::<u64>(),
        ) {
            let max = p.max_nanos();
            let d = match pick {
                0 => 0,
                1 => max,
                2 => max.saturating_sub(1),
                _ => (max as f64 * frac) as u64,
            }
            .min(max);
            let mut rng = WyRand::new(seed);
            let x = p.jitter_nanos(d, &mut rng);
            prop_assert!(x <= max, "{} > max {} for {:?}", x, max, p);
            match p.get_jitter() {
                Jitter::None => prop_assert_eq!(x, d),
                Jitter::Full => prop_assert!(x <= d),
                Jitter::Equal => prop_assert!(d / 2 <= x && x <= d),
                Jitter::Fraction(f) => {
                    let spread = (d as f64 * f) as u64;
                    prop_assert!(d.saturating_sub(spread) <= x);
                    prop_assert!(x <= d.saturating_add(spread).min(max));
                }
            }
        }

        /// Outside its contract (a base above max_delay) jitter still never panics.
        #[test]
        fn jitter_nanos_never_panics(p in policy(), d in any::<u64>(), seed in any::<u64>()) {
            let mut rng = WyRand::new(seed);
            let _ = p.jitter_nanos(d, &mut rng);
        }

        /// A schedule driven with any attempt numbers stays within max_delay.
        #[test]
        fn schedule_next_is_capped(
            p in policy(),
            start in any::<u32>(),
            seed in any::<u64>(),
        ) {
            let mut rng = WyRand::new(seed);
            let mut s = Schedule::new();
            for k in 0..64u32 {
                let d = s.next(&p, start.wrapping_add(k), &mut rng);
                prop_assert!(d <= p.max_nanos());
            }
        }

        /// `uniform` stays within its bounds for any `lo <= hi`.
        #[test]
        fn uniform_within_bounds(a in any::<u64>(), b in any::<u64>(), seed in any::<u64>()) {
            let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
            let mut rng = WyRand::new(seed);
            let x = uniform(&mut rng, lo, hi);
            prop_assert!(lo <= x && x <= hi);
        }
    }

    #[test]
    fn uniform_reaches_both_ends_of_a_small_range() {
        let mut rng = WyRand::new(1);
        let mut seen = [false; 4];
        for _ in 0..1_000 {
            seen[uniform(&mut rng, 10, 13) as usize - 10] = true;
        }
        assert_eq!(seen, [true; 4]);
    }

    #[test]
    fn presets_have_the_documented_schedules() {
        let standard = RetryPolicy::STANDARD;
        assert_eq!(standard.get_backoff(), Backoff::Exponential);
        assert_eq!(standard.get_max_attempts(), 3);
        assert_eq!(standard.get_max_delay(), Duration::from_secs(8));
        assert_eq!(standard.get_jitter(), Jitter::Full);
        assert_eq!(
            (standard.get_max_elapsed(), standard.get_timeout()),
            (None, None)
        );
        let streaming = RetryPolicy::STREAMING;
        assert_eq!(streaming.get_max_attempts(), 3);
        assert_eq!(streaming.get_max_delay(), Duration::from_secs(1));
        assert_eq!(streaming.get_jitter(), Jitter::Full);
        assert_eq!(
            (streaming.get_max_elapsed(), streaming.get_timeout()),
            (None, None)
        );

        let ms = |p: RetryPolicy| -> Vec<u128> {
            p.jitter(Jitter::None)
                .delays_seeded(0)
                .map(|d| d.as_millis())
                .collect()
        };
        assert_eq!(ms(standard), [500, 1000]);
        assert_eq!(ms(streaming), [100, 200]);
        // More attempts keep doubling up to the cap.
        assert_eq!(
            ms(standard.max_attempts(7)),
            [500, 1000, 2000, 4000, 8000, 8000]
        );
        assert_eq!(
            ms(streaming.max_attempts(7)),
            [100, 200, 400, 800, 1000, 1000]
        );
    }

    #[test]
    fn preset_jitter_stays_within_the_base_and_averages_half_of_it() {
        for (p, bases) in [
            (RetryPolicy::STANDARD, [500.0, 1000.0]),
            (RetryPolicy::STREAMING, [100.0, 200.0]),
        ] {
            let mut sums = [0.0f64; 2];
            let n = 20_000;
            for seed in 0..n {
                for (i, d) in p.delays_seeded(seed).enumerate() {
                    let ms = d.as_secs_f64() * 1e3;
                    assert!(ms <= bases[i], "{ms} > {}", bases[i]);
                    sums[i] += ms;
                }
            }
            for i in 0..2 {
                let mean = sums[i] / n as f64;
                let want = bases[i] / 2.0;
                assert!(
                    (mean - want).abs() < want * 0.03,
                    "mean {mean}, want {want}"
                );
            }
        }
    }

    #[test]
    fn saturate_nanos_saturates() {
        assert_eq!(saturate_nanos(Duration::MAX), u64::MAX);
        assert_eq!(saturate_nanos(Duration::from_nanos(u64::MAX)), u64::MAX);
        assert_eq!(saturate_nanos(Duration::from_millis(3)), 3_000_000);
    }
}
