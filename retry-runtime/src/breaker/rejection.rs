//! `CircuitOpen`, the error of a call the breaker did not let through, and `Why`, the reason
//! it gives (open, every probe slot taken, opened by hand).

use std::fmt;
use std::time::Duration;

use super::name::BreakerName;
use super::state::State;
use crate::duration::DurationText;

/// Why a breaker rejected a call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Why {
    /// Open; the first probe is due in `retry_in`.
    Open,
    /// Half-open with every probe slot taken.
    Probing,
    /// Opened by hand.
    Forced,
}

/// A call was rejected because its circuit breaker is open: the call did not run.
///
/// `#[circuit_breaker]` and [`CircuitBreaker::call`](crate::CircuitBreaker::call) hand it to
/// the caller's error type through `From<CircuitOpen>` (one `#[from]` with thiserror).
///
/// ```
/// use std::time::Duration;
/// use retry_runtime::CircuitOpen;
/// let e = CircuitOpen::new("openai", Duration::from_millis(12_340));
/// assert_eq!(e.name(), "openai");
/// assert_eq!(e.to_string(), "circuit breaker 'openai' is open; next probe in 12.3s");
/// ```
///
/// A half-open breaker whose probe slots are all taken, and a breaker opened by hand, reject
/// calls too, and say so:
///
/// ```
/// use retry_runtime::{BreakerConfig, CircuitBreaker, State};
/// let cb = CircuitBreaker::new("search", BreakerConfig::new());
/// cb.force_open();
/// let e = cb.try_acquire().unwrap_err();
/// assert_eq!(e.state(), State::ForcedOpen);
/// assert_eq!(e.to_string(), "circuit breaker 'search' is open (forced open until reset)");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CircuitOpen {
    name: BreakerName,
    retry_in: Duration,
    why: Why,
}

impl CircuitOpen {
    /// The error of an open breaker named `name` whose next probe is due in `retry_in`
    /// (for tests of code that handles it).
    ///
    /// ```
    /// use std::time::Duration;
    /// use retry_runtime::{CircuitOpen, State};
    /// let e = CircuitOpen::new("db", Duration::from_secs(3));
    /// assert_eq!((e.retry_in(), e.state()), (Duration::from_secs(3), State::Open));
    /// ```
    pub const fn new(name: &'static str, retry_in: Duration) -> Self {
        CircuitOpen {
            name: BreakerName::Static(name),
            retry_in,
            why: Why::Open,
        }
    }

    pub(crate) const fn with(name: BreakerName, retry_in: Duration, why: Why) -> Self {
        CircuitOpen {
            name,
            retry_in,
            why,
        }
    }

    /// The name of the breaker that rejected the call: `openai`, or `openai[<key>]` for a
    /// keyed breaker (see `#[circuit_breaker(key = ...)]`). Borrowed from the error: a keyed
    /// breaker's name lives only as long as the breaker and the errors that name it.
    ///
    /// ```
    /// use std::time::Duration;
    /// use retry_runtime::CircuitOpen;
    /// assert_eq!(CircuitOpen::new("openai", Duration::ZERO).name(), "openai");
    /// ```
    pub fn name(&self) -> &str {
        self.name.as_str()
    }

    /// How long until the breaker lets a probe through, as of the rejection.
    ///
    /// `Duration::ZERO` when it is half-open (probes are in flight now; a slot frees when one
    /// ends), and `Duration::MAX` when it was opened by hand (no probe until someone calls
    /// [`reset`](crate::CircuitBreaker::reset) or
    /// [`force_closed`](crate::CircuitBreaker::force_closed)).
    ///
    /// ```
    /// use std::time::Duration;
    /// use retry_runtime::CircuitOpen;
    /// let e = CircuitOpen::new("openai", Duration::from_secs(9));
    /// assert_eq!(e.retry_in(), Duration::from_secs(9));
    /// ```
    pub const fn retry_in(&self) -> Duration {
        self.retry_in
    }

    /// The state the breaker was in: [`State::Open`], [`State::HalfOpen`] (every probe slot
    /// taken) or [`State::ForcedOpen`].
    ///
    /// ```
    /// use std::time::Duration;
    /// use retry_runtime::{CircuitOpen, State};
    /// assert_eq!(CircuitOpen::new("x", Duration::ZERO).state(), State::Open);
    /// ```
    pub const fn state(&self) -> State {
        match self.why {
            Why::Open => State::Open,
            Why::Probing => State::HalfOpen,
            Why::Forced => State::ForcedOpen,
        }
    }
}

impl fmt::Display for CircuitOpen {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.why {
            Why::Open => write!(
                f,
                "circuit breaker '{}' is open; next probe in {}",
                self.name,
                DurationText::Rounded(self.retry_in)
            ),
            Why::Probing => write!(
                f,
                "circuit breaker '{}' is open (half-open: its probes are in flight)",
                self.name
            ),
            Why::Forced => write!(
                f,
                "circuit breaker '{}' is open (forced open until reset)",
                self.name
            ),
        }
    }
}

impl std::error::Error for CircuitOpen {}
