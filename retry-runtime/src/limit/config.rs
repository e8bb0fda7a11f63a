//! `LimiterConfig`: what a rate limiter is told (rate, period, burst, longest wait), built by
//! `const fn`s with fallible twins, and the emission interval the limiter derives from it.

use std::time::Duration;

use crate::policy::PolicyError;

/// The longest wait of a call when none is given: 30 s.
const DEFAULT_MAX_WAIT: Duration = Duration::from_secs(30);

/// 100 years in nanoseconds: the longest `per`, and the longest time a burst takes to refill.
/// Far beyond any real limit, and small enough that every sum of times on a limiter's clock
/// stays inside a `u64` of nanoseconds.
pub(crate) const MAX_SPAN_NS: u64 = 36_525 * 24 * 3600 * 1_000_000_000;

/// How a [`RateLimiter`](crate::RateLimiter) paces calls: `rate` cost units per `per`, at most
/// `burst` units at once after an idle spell, and a call that would wait longer than
/// `max_wait` for its turn refused at once.
///
/// Built by `const fn`s named after the keys of `#[rate_limit]`, so presets are constants and an
/// invalid preset fails the build. Each setter has a fallible twin (`try_new`, `try_burst`) for
/// values read at run time.
///
/// ```
/// use std::time::Duration;
/// use retry_runtime::LimiterConfig;
///
/// // 500 requests a minute, at most 20 at once, nobody waits longer than 5 s.
/// const OPENAI_RPM: LimiterConfig = LimiterConfig::new(500, Duration::from_secs(60))
///     .burst(20)
///     .max_wait(Duration::from_secs(5));
///
/// assert_eq!(OPENAI_RPM.get_rate(), 500);
/// assert_eq!(OPENAI_RPM.get_burst(), 20);
/// // Defaults: burst = rate, max_wait = 30 s.
/// let c = LimiterConfig::new(100, Duration::from_secs(1));
/// assert_eq!((c.get_burst(), c.get_max_wait()), (100, Duration::from_secs(30)));
/// ```
///
/// An invalid value is a compile error when the configuration is a constant:
///
/// ```compile_fail,E0080
/// use std::time::Duration;
/// use retry_runtime::LimiterConfig;
/// const BAD: LimiterConfig = LimiterConfig::new(0, Duration::from_secs(1));
/// ```
///
/// # Precision
///
/// The limiter spaces units by the emission interval `per / rate`, rounded up to a whole
/// nanosecond, so it never admits faster than asked; the rounding slows it by less than one
/// nanosecond per unit (under 0.1 % at a million units a second, nothing measurable at the
/// rates of an API).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct LimiterConfig {
    rate: u32,
    per: Duration,
    burst: u32,
    max_wait: Duration,
}

impl LimiterConfig {
    /// `rate` cost units admitted per `per`, with `burst = rate` and `max_wait` 30 s.
    ///
    /// # Panics
    ///
    /// If `rate` is 0, `per` is zero or longer than 100 years: in a `const`, that is a compile
    /// error. [`try_new`](Self::try_new) returns the error instead.
    ///
    /// ```
    /// use std::time::Duration;
    /// use retry_runtime::LimiterConfig;
    /// const TEN_A_SECOND: LimiterConfig = LimiterConfig::new(10, Duration::from_secs(1));
    /// assert_eq!(TEN_A_SECOND.get_per(), Duration::from_secs(1));
    /// ```
    pub const fn new(rate: u32, per: Duration) -> Self {
        unwrap(Self::try_new(rate, per))
    }

    /// The most units admitted at once after an idle spell (`>= 1`; `rate` by default).
    ///
    /// A `burst` of 1 spaces every unit by `per / rate`; a larger one lets that many units
    /// through at once when the limiter has been idle, then paces the rest.
    ///
    /// # Panics
    ///
    /// If `burst` is 0, or refilling it (`burst * per / rate`) would take more than 100 years:
    /// in a `const`, that is a compile error. [`try_burst`](Self::try_burst) returns the error
    /// instead.
    ///
    /// ```
    /// use std::time::Duration;
    /// use retry_runtime::LimiterConfig;
    /// let c = LimiterConfig::new(100, Duration::from_secs(1)).burst(10);
    /// assert_eq!(c.get_burst(), 10);
    /// ```
    pub const fn burst(self, burst: u32) -> Self {
        unwrap(self.try_burst(burst))
    }

    /// The longest a call waits for its turn (30 s by default): a call whose turn is further
    /// away is refused at once, without waiting. Zero makes every call either admitted at
    /// once or refused; [`Duration::MAX`] waits as long as it takes. Any value is valid.
    ///
    /// ```
    /// use std::time::Duration;
    /// use retry_runtime::LimiterConfig;
    /// let c = LimiterConfig::new(1, Duration::from_secs(1)).max_wait(Duration::ZERO);
    /// assert_eq!(c.get_max_wait(), Duration::ZERO);
    /// ```
    pub const fn max_wait(mut self, max_wait: Duration) -> Self {
        self.max_wait = max_wait;
        self
    }

    /// [`new`](Self::new), returning the rule broken instead of panicking (for values read at
    /// run time).
    ///
    /// ```
    /// use std::time::Duration;
    /// use retry_runtime::LimiterConfig;
    /// let err = LimiterConfig::try_new(0, Duration::from_secs(1)).unwrap_err();
    /// assert_eq!(err.to_string(), "rate must be at least 1");
    /// assert!(LimiterConfig::try_new(5, Duration::ZERO).is_err());
    /// assert!(LimiterConfig::try_new(5, Duration::from_millis(1)).is_ok());
    /// ```
    pub const fn try_new(rate: u32, per: Duration) -> Result<Self, PolicyError> {
        if rate == 0 {
            return Err(PolicyError::new("rate must be at least 1"));
        }
        if per.is_zero() {
            return Err(PolicyError::new("per must be greater than zero"));
        }
        if per.as_nanos() > MAX_SPAN_NS as u128 {
            return Err(PolicyError::new("per must be at most 100 years"));
        }
        LimiterConfig {
            rate,
            per,
            burst: 1,
            max_wait: DEFAULT_MAX_WAIT,
        }
        .try_burst(rate)
    }

    /// [`burst`](Self::burst), returning the rule broken instead of panicking.
    ///
    /// ```
    /// use std::time::Duration;
    /// use retry_runtime::LimiterConfig;
    /// let c = LimiterConfig::new(100, Duration::from_secs(1));
    /// assert_eq!(c.try_burst(0).unwrap_err().rule(), "burst must be at least 1");
    /// assert_eq!(c.try_burst(5).unwrap().get_burst(), 5);
    /// ```
    pub const fn try_burst(mut self, burst: u32) -> Result<Self, PolicyError> {
        if burst == 0 {
            return Err(PolicyError::new("burst must be at least 1"));
        }
        if burst as u128 * interval_ns(self.rate, self.per) as u128 > MAX_SPAN_NS as u128 {
            return Err(PolicyError::new(
                "refilling the burst (burst * per / rate) must take at most 100 years",
            ));
        }
        self.burst = burst;
        Ok(self)
    }

    /// Cost units admitted per [`get_per`](Self::get_per).
    ///
    /// ```
    /// use std::time::Duration;
    /// use retry_runtime::LimiterConfig;
    /// assert_eq!(LimiterConfig::new(7, Duration::from_secs(1)).get_rate(), 7);
    /// ```
    pub const fn get_rate(&self) -> u32 {
        self.rate
    }

    /// The period of [`get_rate`](Self::get_rate).
    ///
    /// ```
    /// use std::time::Duration;
    /// use retry_runtime::LimiterConfig;
    /// let per = Duration::from_secs(60);
    /// assert_eq!(LimiterConfig::new(500, per).get_per(), per);
    /// ```
    pub const fn get_per(&self) -> Duration {
        self.per
    }

    /// The most units admitted at once after an idle spell.
    ///
    /// ```
    /// use std::time::Duration;
    /// use retry_runtime::LimiterConfig;
    /// assert_eq!(LimiterConfig::new(7, Duration::from_secs(1)).get_burst(), 7);
    /// ```
    pub const fn get_burst(&self) -> u32 {
        self.burst
    }

    /// The longest a call waits for its turn.
    ///
    /// ```
    /// use std::time::Duration;
    /// use retry_runtime::LimiterConfig;
    /// let c = LimiterConfig::new(7, Duration::from_secs(1));
    /// assert_eq!(c.get_max_wait(), Duration::from_secs(30));
    /// ```
    pub const fn get_max_wait(&self) -> Duration {
        self.max_wait
    }

    /// The emission interval: nanoseconds per unit, `per / rate` rounded up (at least 1).
    pub(crate) const fn interval_ns(&self) -> u64 {
        interval_ns(self.rate, self.per)
    }
}

/// `per / rate` in nanoseconds, rounded up, for a rate of at least 1 and a `per` of at most
/// [`MAX_SPAN_NS`] (so the result fits).
const fn interval_ns(rate: u32, per: Duration) -> u64 {
    let per = per.as_nanos();
    let rate = rate as u128;
    let ns = per.div_ceil(rate);
    if ns == 0 {
        1
    } else {
        ns as u64
    }
}

/// Unwraps a checked setter in a `const` context: an error becomes a build failure there, and a
/// panic with the rule at run time.
const fn unwrap(checked: Result<LimiterConfig, PolicyError>) -> LimiterConfig {
    match checked {
        Ok(config) => config,
        Err(error) => panic!("{}", error.rule()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_interval_rounds_up_so_the_limiter_is_never_faster() {
        let c = LimiterConfig::new(3, Duration::from_secs(1));
        assert_eq!(c.interval_ns(), 333_333_334);
        let c = LimiterConfig::new(100, Duration::from_secs(1));
        assert_eq!(c.interval_ns(), 10_000_000);
        // Faster than one unit a nanosecond: 1 ns, the clock's resolution.
        let c = LimiterConfig::new(u32::MAX, Duration::from_nanos(1));
        assert_eq!(c.interval_ns(), 1);
    }

    #[test]
    fn every_rule_is_checked() {
        let sec = Duration::from_secs(1);
        assert!(LimiterConfig::try_new(0, sec).is_err());
        assert!(LimiterConfig::try_new(1, Duration::ZERO).is_err());
        let century = Duration::from_nanos(MAX_SPAN_NS);
        assert!(LimiterConfig::try_new(1, century).is_ok());
        assert_eq!(
            LimiterConfig::try_new(1, century + Duration::from_nanos(1))
                .unwrap_err()
                .rule(),
            "per must be at most 100 years"
        );
        let slow = LimiterConfig::new(1, Duration::from_secs(3600 * 24 * 365));
        assert!(slow.try_burst(100).is_ok());
        assert!(slow.try_burst(101).is_err());
        assert!(LimiterConfig::new(u32::MAX, sec)
            .try_burst(u32::MAX)
            .is_ok());
    }

    #[test]
    #[should_panic(expected = "burst must be at least 1")]
    fn the_plain_setter_panics_with_the_rule() {
        let _ = LimiterConfig::new(1, Duration::from_secs(1)).burst(std::hint::black_box(0));
    }
}
