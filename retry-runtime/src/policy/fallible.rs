//! The fallible twins of [`RetryPolicy`]'s setters, for policies built at run time from
//! configuration: each returns a [`PolicyError`] naming the rule broken instead of panicking.
//! The rules themselves are the `check_*` functions beside the setters (`policy/mod.rs`).

use std::fmt;
use std::time::Duration;

use super::{Jitter, RetryPolicy};

/// A rule of [`RetryPolicy`] (or of a [`LimiterConfig`](crate::LimiterConfig)) that a value
/// broke: `max_attempts` of 0, an `initial_delay` above an explicit `max_delay`, a multiplier
/// below 1.0, a rate of 0... `Display` names the rule.
///
/// ```
/// use retry_runtime::{PolicyError, RetryPolicy};
/// let err: PolicyError = RetryPolicy::exponential().try_max_attempts(0).unwrap_err();
/// assert_eq!(err.to_string(), "max_attempts must be at least 1");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PolicyError {
    rule: &'static str,
}

impl PolicyError {
    /// The rule broken, as `Display` writes it.
    ///
    /// ```
    /// use retry_runtime::RetryPolicy;
    /// let err = RetryPolicy::linear().try_multiplier(2.0).unwrap_err();
    /// assert_eq!(err.rule(), "multiplier applies only to exponential backoff");
    /// ```
    pub const fn rule(&self) -> &'static str {
        self.rule
    }

    /// The error for a broken `rule`, for the other configurations' checks (limiters).
    pub(crate) const fn new(rule: &'static str) -> Self {
        PolicyError { rule }
    }
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.rule)
    }
}

impl std::error::Error for PolicyError {}

/// The twin of a panicking setter: the same check, its error as a [`PolicyError`].
macro_rules! fallible {
    ($($(#[$doc:meta])* $name:ident($value:ident: $ty:ty) = $check:ident;)*) => {
        impl RetryPolicy {
            $(
                $(#[$doc])*
                pub const fn $name(self, $value: $ty) -> Result<Self, PolicyError> {
                    match self.$check($value) {
                        Ok(policy) => Ok(policy),
                        Err(rule) => Err(PolicyError { rule }),
                    }
                }
            )*
        }
    };
}

fallible! {
    /// [`max_attempts`](Self::max_attempts), or the rule it breaks.
    ///
    /// ```
    /// use retry_runtime::RetryPolicy;
    /// assert_eq!(RetryPolicy::fixed().try_max_attempts(4).unwrap().get_max_attempts(), 4);
    /// assert!(RetryPolicy::fixed().try_max_attempts(0).is_err());
    /// ```
    try_max_attempts(n: u32) = check_max_attempts;

    /// [`max_retries`](Self::max_retries), or the rule it breaks.
    ///
    /// ```
    /// use retry_runtime::RetryPolicy;
    /// assert_eq!(RetryPolicy::fixed().try_max_retries(2).unwrap().get_max_attempts(), 3);
    /// assert!(RetryPolicy::fixed().try_max_retries(u32::MAX).is_err());
    /// ```
    try_max_retries(n: u32) = check_max_retries;

    /// [`initial_delay`](Self::initial_delay), or the rule it breaks.
    ///
    /// ```
    /// use std::time::Duration;
    /// use retry_runtime::RetryPolicy;
    /// let capped = RetryPolicy::fixed().max_delay(Duration::from_secs(1));
    /// assert!(capped.try_initial_delay(Duration::from_secs(2)).is_err());
    /// ```
    try_initial_delay(d: Duration) = check_initial_delay;

    /// [`max_delay`](Self::max_delay), or the rule it breaks.
    ///
    /// ```
    /// use std::time::Duration;
    /// use retry_runtime::RetryPolicy;
    /// assert!(RetryPolicy::fixed().try_max_delay(Duration::ZERO).is_err());
    /// ```
    try_max_delay(d: Duration) = check_max_delay;

    /// [`multiplier`](Self::multiplier), or the rule it breaks (below 1.0 or NaN, or not
    /// exponential backoff). An infinite multiplier is allowed: the second delay is then
    /// `max_delay`.
    ///
    /// ```
    /// use retry_runtime::RetryPolicy;
    /// assert!(RetryPolicy::exponential().try_multiplier(0.5).is_err());
    /// assert!(RetryPolicy::exponential().try_multiplier(1.5).is_ok());
    /// ```
    try_multiplier(m: f64) = check_multiplier;

    /// [`jitter`](Self::jitter), or the rule it breaks.
    ///
    /// ```
    /// use retry_runtime::{Jitter, RetryPolicy};
    /// assert!(RetryPolicy::exponential().try_jitter(Jitter::Fraction(1.5)).is_err());
    /// ```
    try_jitter(j: Jitter) = check_jitter;

    /// [`max_elapsed`](Self::max_elapsed), or the rule it breaks.
    ///
    /// ```
    /// use std::time::Duration;
    /// use retry_runtime::RetryPolicy;
    /// assert!(RetryPolicy::fixed().try_max_elapsed(Duration::ZERO).is_err());
    /// ```
    try_max_elapsed(d: Duration) = check_max_elapsed;

    /// [`max_retry_after`](Self::max_retry_after), or the rule it breaks.
    ///
    /// ```
    /// use std::time::Duration;
    /// use retry_runtime::RetryPolicy;
    /// assert!(RetryPolicy::fixed().try_max_retry_after(Duration::ZERO).is_err());
    /// assert!(RetryPolicy::fixed().try_max_retry_after(Duration::from_secs(90)).is_ok());
    /// ```
    try_max_retry_after(d: Duration) = check_max_retry_after;

    /// [`timeout`](Self::timeout), or the rule it breaks.
    ///
    /// ```
    /// use std::time::Duration;
    /// use retry_runtime::RetryPolicy;
    /// assert!(RetryPolicy::fixed().try_timeout(Duration::ZERO).is_err());
    /// ```
    try_timeout(d: Duration) = check_timeout;
}
