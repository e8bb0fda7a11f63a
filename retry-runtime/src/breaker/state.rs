//! `State` and `StateChange`: the states of a breaker and the transitions it reports. The
//! bottom of the module: every other file in `breaker/` may name them, and this one names none.

use std::fmt;

/// The state of a circuit breaker.
///
/// Displayed in capitals, as dashboards and logs show it:
///
/// ```
/// use retry_runtime::State;
/// assert_eq!(State::HalfOpen.to_string(), "HALF_OPEN");
/// assert_eq!(State::ForcedClosed.to_string(), "FORCED_CLOSED");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum State {
    /// Calls run; failures are counted.
    Closed,
    /// Calls are rejected until `reset_timeout` has passed.
    Open,
    /// Up to `half_open_max_calls` probes run at once; every other call is rejected.
    HalfOpen,
    /// Opened by hand ([`force_open`](crate::CircuitBreaker::force_open)): every call is rejected
    /// until [`reset`](crate::CircuitBreaker::reset) or
    /// [`force_closed`](crate::CircuitBreaker::force_closed).
    ForcedOpen,
    /// Closed by hand ([`force_closed`](crate::CircuitBreaker::force_closed)): every call runs
    /// and nothing is counted until [`reset`](crate::CircuitBreaker::reset) or
    /// [`force_open`](crate::CircuitBreaker::force_open).
    ForcedClosed,
}

#[cfg(feature = "metrics")]
impl State {
    /// How metrics show this state: the `circuit_breaker_state` gauge's value and the
    /// transitions counter's `to` label.
    pub(crate) const fn metric(self) -> crate::metrics::BreakerState {
        let (gauge, label) = match self {
            State::Closed => (0.0, "closed"),
            State::Open => (1.0, "open"),
            State::HalfOpen => (2.0, "half_open"),
            State::ForcedOpen => (3.0, "forced_open"),
            State::ForcedClosed => (4.0, "forced_closed"),
        };
        crate::metrics::BreakerState { gauge, label }
    }
}

impl State {
    /// The name shown by `Display`: `CLOSED`, `OPEN`, `HALF_OPEN`, `FORCED_OPEN`,
    /// `FORCED_CLOSED`.
    ///
    /// ```
    /// use retry_runtime::State;
    /// assert_eq!(State::Open.as_str(), "OPEN");
    /// ```
    pub const fn as_str(self) -> &'static str {
        match self {
            State::Closed => "CLOSED",
            State::Open => "OPEN",
            State::HalfOpen => "HALF_OPEN",
            State::ForcedOpen => "FORCED_OPEN",
            State::ForcedClosed => "FORCED_CLOSED",
        }
    }
}

impl fmt::Display for State {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

/// A transition of a breaker, given to its `on_state_change` hook (and, with the `tracing`
/// feature, logged as an `INFO` event, target `retry_runtime`, fields `breaker`, `from`, `to`).
///
/// The name is borrowed for the hook's call: a keyed breaker's name (`openai[<key>]`) lives
/// only as long as the breaker. A hook that keeps it copies it (`change.name.to_owned()`).
///
/// ```
/// use retry_runtime::{State, StateChange};
/// let change = StateChange { name: "openai", from: State::Closed, to: State::Open };
/// assert_eq!(change.to_string(), "circuit breaker 'openai': CLOSED -> OPEN");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct StateChange<'a> {
    /// The breaker's name: `openai`, or `openai[<key>]` for a keyed breaker.
    pub name: &'a str,
    /// The state it left.
    pub from: State,
    /// The state it entered.
    pub to: State,
}

impl fmt::Display for StateChange<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "circuit breaker '{}': {} -> {}",
            self.name, self.from, self.to
        )
    }
}
