//! `BreakerSnapshot`: a breaker's state and counters at one moment, for dashboards and logs.

use std::borrow::Cow;
use std::fmt;
use std::time::Duration;

use super::state::State;
use crate::duration::DurationText;

/// A breaker's state and counters at one moment, from
/// [`CircuitBreaker::snapshot`](crate::CircuitBreaker::snapshot) or [`breakers`](crate::breakers).
///
/// `Display` writes one line for dashboards and logs:
///
/// ```
/// use std::time::Duration;
/// use retry_runtime::{BreakerSnapshot, State};
/// let s = BreakerSnapshot {
///     name: "openai".into(),
///     state: State::Open,
///     consecutive_failures: 5,
///     window_calls: 0,
///     window_failures: 0,
///     rejected: 12,
///     retry_in: Some(Duration::from_millis(28_140)),
/// };
/// assert_eq!(
///     s.to_string(),
///     "openai  OPEN  failures 5 in a row, 0/0 in window, 12 rejected, next probe in 28.1s"
/// );
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BreakerSnapshot {
    /// The breaker's name: `openai`, or `openai[<key>]` for a keyed breaker. Borrowed for a
    /// named breaker, copied for a keyed one (which may be evicted while the snapshot lives).
    pub name: Cow<'static, str>,
    /// Its state.
    pub state: State,
    /// Consecutive failures: the current run while closed, the run that opened it (plus failed
    /// probes) otherwise. Always 0 in rate mode, which does not count runs.
    pub consecutive_failures: u32,
    /// Rate mode: calls in the sliding window (0 in consecutive mode).
    pub window_calls: u64,
    /// Rate mode: failures in the sliding window (0 in consecutive mode).
    pub window_failures: u64,
    /// Calls rejected since the breaker was created.
    pub rejected: u64,
    /// While open: the time until a probe is let through. `None` in every other state.
    pub retry_in: Option<Duration>,
}

impl fmt::Display for BreakerSnapshot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}  {}  failures {} in a row, {}/{} in window, {} rejected",
            self.name,
            self.state,
            self.consecutive_failures,
            self.window_failures,
            self.window_calls,
            self.rejected
        )?;
        if let Some(d) = self.retry_in {
            write!(f, ", next probe in {}", DurationText::Rounded(d))?;
        }
        Ok(())
    }
}
