//! The backoff math of a [`RetryPolicy`]: the base delay of each retry (exponential, linear,
//! fixed, decorrelated), the jitter applied to it, the per-call [`Schedule`] the retry loops
//! keep, and [`Delays`], the same sleeps as an iterator.

use std::time::Duration;

use super::{Backoff, Jitter, RetryPolicy};
use crate::rng::{Rng, WyRand};

impl RetryPolicy {
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
    pub(super) fn max_nanos(&self) -> u64 {
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

/// Uniform in `[lo, hi]` (Lemire's multiply-shift; `lo <= hi`).
#[inline]
pub(super) fn uniform(rng: &mut impl Rng, lo: u64, hi: u64) -> u64 {
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
