//! Errors the runtime creates itself.

use std::fmt;
use std::time::Duration;

use crate::duration::DurationText;

/// An async attempt ran longer than the policy's `timeout` and was dropped.
///
/// It counts as a failed attempt like any other; the annotated function's error type receives
/// it through `From<AttemptTimedOut>`, which `timeout` requires.
///
/// ```
/// use std::time::Duration;
/// use retry_runtime::AttemptTimedOut;
/// let e = AttemptTimedOut::new(2, Duration::from_millis(1500));
/// assert_eq!(e.attempt(), 2);
/// assert_eq!(e.to_string(), "attempt 2 timed out after 1.5s");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct AttemptTimedOut {
    attempt: u32,
    timeout: Duration,
}

impl AttemptTimedOut {
    /// The error for attempt `attempt` (1-based) cut off after `timeout`.
    ///
    /// ```
    /// # use std::time::Duration;
    /// # use retry_runtime::AttemptTimedOut;
    /// let e = AttemptTimedOut::new(1, Duration::from_secs(3));
    /// assert_eq!(e.timeout(), Duration::from_secs(3));
    /// ```
    pub const fn new(attempt: u32, timeout: Duration) -> Self {
        AttemptTimedOut { attempt, timeout }
    }

    /// The 1-based number of the attempt that timed out.
    ///
    /// ```
    /// # use std::time::Duration;
    /// # use retry_runtime::AttemptTimedOut;
    /// assert_eq!(AttemptTimedOut::new(4, Duration::from_secs(1)).attempt(), 4);
    /// ```
    pub const fn attempt(&self) -> u32 {
        self.attempt
    }

    /// The per-attempt timeout that ran out.
    ///
    /// ```
    /// # use std::time::Duration;
    /// # use retry_runtime::AttemptTimedOut;
    /// assert_eq!(AttemptTimedOut::new(1, Duration::from_secs(9)).timeout(), Duration::from_secs(9));
    /// ```
    pub const fn timeout(&self) -> Duration {
        self.timeout
    }

    /// This timeout as the error type of a call, `E::from(self)`. The attribute's `timeout`
    /// converts with it when no `timeout_error` is given, so a missing conversion is reported
    /// at the `timeout` key with a message saying how to add one.
    ///
    /// ```
    /// # use std::time::Duration;
    /// use retry_runtime::AttemptTimedOut;
    /// #[derive(Debug, PartialEq)]
    /// enum Error { TimedOut(u32) }
    /// impl From<AttemptTimedOut> for Error {
    ///     fn from(t: AttemptTimedOut) -> Self { Error::TimedOut(t.attempt()) }
    /// }
    /// let e: Error = AttemptTimedOut::new(2, Duration::from_secs(1)).into_error();
    /// assert_eq!(e, Error::TimedOut(2));
    /// ```
    pub fn into_error<E: TimeoutError>(self) -> E {
        E::from(self)
    }
}

impl fmt::Display for AttemptTimedOut {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "attempt {} timed out after {}",
            self.attempt,
            DurationText::Rounded(self.timeout)
        )
    }
}

impl std::error::Error for AttemptTimedOut {}

/// Implemented by every error type that can hold an [`AttemptTimedOut`] (every `E:
/// From<AttemptTimedOut>`): what the attribute's `timeout` asks of the function's error type
/// when no `timeout_error` builds it.
///
/// ```
/// use retry_runtime::{AttemptTimedOut, TimeoutError};
/// #[derive(Debug)]
/// struct Error;
/// impl From<AttemptTimedOut> for Error {
///     fn from(_: AttemptTimedOut) -> Self { Error }
/// }
/// fn takes_timeouts<E: TimeoutError>() {}
/// takes_timeouts::<Error>();
/// ```
#[diagnostic::on_unimplemented(
    message = "`timeout` needs `{Self}: From<retry_runtime::AttemptTimedOut>`: a timed-out attempt must become an error of this type",
    label = "needs `From<AttemptTimedOut>`",
    note = "build the error with `timeout_error = |timed_out| ...` on the attribute, or add a variant, e.g. with thiserror: `#[error(transparent)] Timeout(#[from] retry_runtime::AttemptTimedOut)`"
)]
pub trait TimeoutError: From<AttemptTimedOut> {}
impl<E: From<AttemptTimedOut>> TimeoutError for E {}

/// The value of a checked `const` setter, or a panic with its message: at compile time (a
/// `const` policy, configuration or budget) that is a build error naming the problem. The
/// `const` setters of `RetryPolicy`, `BreakerConfig` and `RetryBudget` all end here. (A macro,
/// not a `const fn`, so the build error shows the setter, not one more frame.)
macro_rules! or_fail {
    ($checked:expr) => {
        match $checked {
            Ok(value) => value,
            Err(message) => panic!("{}", message),
        }
    };
}
pub(crate) use or_fail;
