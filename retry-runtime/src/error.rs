//! Errors the runtime creates itself.

use std::fmt;
use std::time::Duration;

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
}

impl fmt::Display for AttemptTimedOut {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "attempt {} timed out after {}",
            self.attempt,
            HumanDuration(self.timeout)
        )
    }
}

impl std::error::Error for AttemptTimedOut {}

/// Shows a duration the way people write it: `1.5s`, `250ms`, `12.3s`, `2m5s`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct HumanDuration(pub(crate) Duration);

impl fmt::Display for HumanDuration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = self.0;
        if d >= Duration::from_secs(60) {
            let secs = d.as_secs();
            let (m, s) = (secs / 60, secs % 60);
            if s == 0 {
                write!(f, "{m}m")
            } else {
                write!(f, "{m}m{s}s")
            }
        } else if d >= Duration::from_millis(999_950) / 1000 {
            // Tenths of a second, rounded to the nearest: a wait computed a few microseconds
            // after `12.3s` was set still reads `12.3s`.
            let tenths = (d.as_nanos() + 50_000_000) / 100_000_000;
            let (secs, tenths) = (tenths / 10, tenths % 10);
            if tenths == 0 {
                write!(f, "{secs}s")
            } else {
                write!(f, "{secs}.{tenths}s")
            }
        } else if d.as_millis() >= 1 {
            write!(f, "{}ms", d.as_millis())
        } else if d.as_micros() >= 1 {
            write!(f, "{}us", d.as_micros())
        } else {
            write!(f, "{}ns", d.as_nanos())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn human_durations() {
        let cases = [
            (Duration::from_millis(12_345), "12.3s"),
            (Duration::from_micros(12_299_950), "12.3s"),
            (Duration::from_millis(12_250), "12.3s"),
            (Duration::from_millis(59_990), "60s"),
            (Duration::from_millis(999), "999ms"),
            (Duration::from_micros(999_960), "1s"),
            (Duration::from_secs(2), "2s"),
            (Duration::from_millis(250), "250ms"),
            (Duration::from_secs(125), "2m5s"),
            (Duration::from_secs(120), "2m"),
            (Duration::from_micros(7), "7us"),
            (Duration::ZERO, "0ns"),
        ];
        for (d, want) in cases {
            assert_eq!(HumanDuration(d).to_string(), want);
        }
    }
}
