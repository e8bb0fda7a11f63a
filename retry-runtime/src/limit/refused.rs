//! `RateLimited`, the error of a call a limiter refused (a rate limiter whose next slot is too
//! far away, a cost above the burst, a concurrency limit with no free slot in time), and how it
//! writes the wait so that it never reads shorter than it is.

use std::fmt;
use std::time::Duration;

use crate::duration::DurationText;

/// Why a limiter refused a call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Why {
    /// A rate limiter's next slot for this call is further away than its `max_wait`.
    Rate,
    /// A cost above the rate limiter's burst: never admitted.
    Cost { cost: u32, burst: u32 },
    /// A concurrency limit had no free slot within `max_wait`.
    Concurrency { max: u32 },
}

/// A call was refused by a limiter: a [`RateLimiter`](crate::RateLimiter) whose next slot
/// for it is further away than its `max_wait`, or a
/// [`ConcurrencyLimit`](crate::ConcurrencyLimit) with no free slot within its wait. The call
/// did not run.
///
/// ```
/// use std::time::Duration;
/// use retry_runtime::RateLimited;
/// let e = RateLimited::new("openai", Duration::from_millis(1_200));
/// assert_eq!(e.name(), "openai");
/// assert_eq!(e.to_string(), "rate limit 'openai' reached; next slot in 1.2s");
/// ```
///
/// A concurrency limit says how many calls it holds in flight:
///
/// ```
/// use std::time::Duration;
/// use retry_runtime::ConcurrencyLimit;
/// let limit = ConcurrencyLimit::new("openai", 8);
/// let permits: Vec<_> = (0..8).map(|_| limit.try_acquire().unwrap()).collect();
/// let e = limit.try_acquire().unwrap_err();
/// assert_eq!(e.to_string(), "concurrency limit 'openai' reached (8 in flight)");
/// assert_eq!(e.retry_in(), Duration::ZERO);
/// # drop(permits);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RateLimited {
    name: &'static str,
    retry_in: Duration,
    why: Why,
}

impl RateLimited {
    /// The error of a rate limiter named `name` whose next slot is `retry_in` away (for tests
    /// of code that handles it).
    ///
    /// ```
    /// use std::time::Duration;
    /// use retry_runtime::RateLimited;
    /// let e = RateLimited::new("db", Duration::from_secs(3));
    /// assert_eq!(e.retry_in(), Duration::from_secs(3));
    /// ```
    pub const fn new(name: &'static str, retry_in: Duration) -> Self {
        RateLimited {
            name,
            retry_in,
            why: Why::Rate,
        }
    }

    pub(crate) const fn with(name: &'static str, retry_in: Duration, why: Why) -> Self {
        RateLimited {
            name,
            retry_in,
            why,
        }
    }

    /// The name of the limiter that refused the call.
    ///
    /// ```
    /// use std::time::Duration;
    /// use retry_runtime::RateLimited;
    /// assert_eq!(RateLimited::new("openai", Duration::ZERO).name(), "openai");
    /// ```
    pub const fn name(&self) -> &'static str {
        self.name
    }

    /// How long until the limiter could admit a call like the refused one at once, as of the
    /// refusal, were no other call to come first: exact to the nanosecond, never earlier than
    /// true.
    ///
    /// [`Duration::MAX`] for a cost above the rate limiter's burst (it is never admitted), and
    /// [`Duration::ZERO`] for a concurrency limit (a slot frees whenever a call in flight
    /// ends, which the limit cannot foresee).
    ///
    /// ```
    /// use std::time::Duration;
    /// use retry_runtime::{LimiterConfig, RateLimiter};
    /// let limiter = RateLimiter::new("docs_retry_in", LimiterConfig::new(2, Duration::from_secs(1)));
    /// let e = limiter.try_acquire(3).unwrap_err();
    /// assert_eq!(e.retry_in(), Duration::MAX);
    /// ```
    pub const fn retry_in(&self) -> Duration {
        self.retry_in
    }
}

impl fmt::Display for RateLimited {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.why {
            Why::Rate => write!(
                f,
                "rate limit '{}' reached; next slot in {}",
                self.name,
                DurationText::Rounded(round_up_for_text(self.retry_in))
            ),
            Why::Cost { cost, burst } => write!(
                f,
                "rate limit '{}' can never admit a cost of {cost}: its burst is {burst}",
                self.name
            ),
            Why::Concurrency { max: 0 } => write!(
                f,
                "concurrency limit '{}' admits no call (its max is 0)",
                self.name
            ),
            Why::Concurrency { max } => write!(
                f,
                "concurrency limit '{}' reached ({max} in flight)",
                self.name
            ),
        }
    }
}

impl std::error::Error for RateLimited {}

/// `d` rounded up to the precision `DurationText::Rounded` writes it with (whole seconds from a
/// minute up, tenths of a second from a second, then whole milliseconds, microseconds,
/// nanoseconds), so the text never promises a slot earlier than the true wait.
fn round_up_for_text(d: Duration) -> Duration {
    const SECOND: u128 = 1_000_000_000;
    let step = match d.as_nanos() {
        n if n >= 60 * SECOND => SECOND,
        n if n >= SECOND => SECOND / 10,
        n if n >= 1_000_000 => 1_000_000,
        n if n >= 1_000 => 1_000,
        _ => 1,
    };
    let up = d.as_nanos().div_ceil(step) * step;
    match u64::try_from(up / SECOND) {
        Ok(secs) => Duration::new(secs, (up % SECOND) as u32),
        Err(_) => d,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(ns: u64) -> String {
        RateLimited::new("x", Duration::from_nanos(ns)).to_string()
    }

    #[test]
    fn the_wait_is_written_rounded_up() {
        assert_eq!(
            text(1_200_000_000),
            "rate limit 'x' reached; next slot in 1.2s"
        );
        assert_eq!(
            text(1_200_000_001),
            "rate limit 'x' reached; next slot in 1.3s"
        );
        assert_eq!(
            text(1_249_000_000),
            "rate limit 'x' reached; next slot in 1.3s"
        );
        assert_eq!(text(999_000_001), "rate limit 'x' reached; next slot in 1s");
        assert_eq!(
            text(10_000_001),
            "rate limit 'x' reached; next slot in 11ms"
        );
        assert_eq!(
            text(59_950_000_000),
            "rate limit 'x' reached; next slot in 1m"
        );
        assert_eq!(
            text(90_000_000_001),
            "rate limit 'x' reached; next slot in 1m31s"
        );
        assert_eq!(text(1), "rate limit 'x' reached; next slot in 1ns");
        assert_eq!(text(0), "rate limit 'x' reached; next slot in 0ns");
        assert_eq!(round_up_for_text(Duration::MAX), Duration::MAX);
    }

    #[test]
    fn each_refusal_says_why() {
        let cost = RateLimited::with(
            "x",
            Duration::MAX,
            Why::Cost {
                cost: 12,
                burst: 10,
            },
        );
        assert_eq!(
            cost.to_string(),
            "rate limit 'x' can never admit a cost of 12: its burst is 10"
        );
        let closed = RateLimited::with("y", Duration::ZERO, Why::Concurrency { max: 0 });
        assert_eq!(
            closed.to_string(),
            "concurrency limit 'y' admits no call (its max is 0)"
        );
    }
}
