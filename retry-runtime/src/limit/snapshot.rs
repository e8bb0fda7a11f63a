//! `LimiterSnapshot` and `ConcurrencySnapshot`: a limiter's configuration and state at one
//! moment, for dashboards and logs.

use std::fmt;
use std::time::Duration;

use crate::duration::DurationText;

/// A rate limiter's configuration and state at one moment, from
/// [`RateLimiter::snapshot`](crate::RateLimiter::snapshot) or [`limiters`](crate::limiters).
///
/// `Display` writes one line for dashboards and logs:
///
/// ```
/// use std::time::Duration;
/// use retry_runtime::LimiterSnapshot;
/// let s = LimiterSnapshot {
///     name: "openai",
///     rate: 500,
///     per: Duration::from_secs(60),
///     burst: 20,
///     available: 0,
///     paused_for: Some(Duration::from_millis(2_500)),
///     waiting: 3,
///     refused: 12,
/// };
/// assert_eq!(
///     s.to_string(),
///     "openai  500 per 1m, burst 20: 0 available, 3 waiting, 12 refused, paused for 2.5s"
/// );
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LimiterSnapshot {
    /// The limiter's name.
    pub name: &'static str,
    /// Cost units admitted per `per` (as last set by `set_rate`).
    pub rate: u32,
    /// The period of `rate`.
    pub per: Duration,
    /// The most units admitted at once after an idle spell.
    pub burst: u32,
    /// Whole units a call could take at once right now (0 while paused or while calls wait).
    pub available: u32,
    /// While paused: the time until the pause ends.
    pub paused_for: Option<Duration>,
    /// Calls sleeping until their turn.
    pub waiting: usize,
    /// Calls refused since the limiter was created.
    pub refused: u64,
}

impl fmt::Display for LimiterSnapshot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}  {} per {}, burst {}: {} available, {} waiting, {} refused",
            self.name,
            self.rate,
            DurationText::Exact(self.per),
            self.burst,
            self.available,
            self.waiting,
            self.refused
        )?;
        if let Some(d) = self.paused_for {
            write!(f, ", paused for {}", DurationText::Rounded(d))?;
        }
        Ok(())
    }
}

/// A concurrency limit's state at one moment, from
/// [`ConcurrencyLimit::snapshot`](crate::ConcurrencyLimit::snapshot) or
/// [`concurrency_limits`](crate::concurrency_limits).
///
/// ```
/// use retry_runtime::ConcurrencySnapshot;
/// let s = ConcurrencySnapshot { name: "openai", max: 8, in_flight: 8, waiting: 2, refused: 1 };
/// assert_eq!(s.to_string(), "openai  8/8 in flight, 2 waiting, 1 refused");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConcurrencySnapshot {
    /// The limit's name.
    pub name: &'static str,
    /// The most calls in flight at once.
    pub max: u32,
    /// Calls holding a permit (a waiter handed one counts from that moment).
    pub in_flight: u32,
    /// Calls waiting for a permit.
    pub waiting: usize,
    /// Calls refused since the limit was created.
    pub refused: u64,
}

impl fmt::Display for ConcurrencySnapshot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}  {}/{} in flight, {} waiting, {} refused",
            self.name, self.in_flight, self.max, self.waiting, self.refused
        )
    }
}
