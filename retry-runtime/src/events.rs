//! `tracing` events for retries, give-ups, fallbacks and user hooks that panicked while a panic
//! was unwinding, and how an error gets into them without the library asking `E` for `Display`
//! or `Debug`.
//!
//! With the `tracing` feature, every retry is a `WARN` event, every give-up an `ERROR`, every
//! fallback an `INFO` and every caught hook panic an `ERROR`, all with target `retry_runtime`.
//! Without the feature, none of the event code is compiled.

use std::any::Any;
#[cfg(feature = "tracing")]
use std::fmt;
#[cfg(feature = "tracing")]
use std::time::Duration;

use crate::options::ShowError;

/// An error with the way to show it: `Display`s through `S`.
#[cfg(feature = "tracing")]
struct Shown<'a, E, S>(&'a E, &'a S);

#[cfg(feature = "tracing")]
impl<E, S: ShowError<E>> fmt::Display for Shown<'_, E, S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.1.show(self.0, f)
    }
}

/// Why a call gives up, as its `ERROR` event says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum GiveUp {
    /// `unless` was true or `when` false.
    Permanent,
    /// A circuit breaker below the retry (or given to `Retry::breaker`) rejected the attempt.
    CircuitOpen,
    /// `max_attempts` reached.
    Exhausted,
    /// A `retry_after` hint beyond `max_retry_after`.
    HintTooLong,
    /// The sleep would end past `max_elapsed`.
    MaxElapsed,
    /// The retry budget refused the retry.
    Budget,
    /// A rate limit or concurrency limit below the retry refused the attempt.
    Limited,
}

impl GiveUp {
    #[cfg(feature = "tracing")]
    fn as_str(self) -> &'static str {
        match self {
            GiveUp::Permanent => "permanent error",
            GiveUp::CircuitOpen => "circuit open",
            GiveUp::Exhausted => "attempts used up",
            GiveUp::HintTooLong => "retry-after hint beyond max_retry_after",
            GiveUp::MaxElapsed => "max_elapsed reached",
            GiveUp::Budget => "retry budget refused",
            GiveUp::Limited => "limiter refused the call",
        }
    }
}

/// The `WARN` event of a retry: the attempt failed, the loop sleeps `delay` and tries again.
#[cfg(feature = "tracing")]
#[cold]
#[inline(never)]
pub(crate) fn retrying<E, S: ShowError<E>>(
    show: &S,
    function: &'static str,
    error: &E,
    attempt: u32,
    delay: Duration,
    elapsed: Option<Duration>,
) {
    tracing::warn!(
        target: "retry_runtime",
        function,
        attempt,
        delay = ?delay,
        elapsed = elapsed.map(tracing::field::debug),
        error = S::ACTIVE.then(|| tracing::field::display(Shown(error, show))),
        "attempt failed, retrying",
    );
}

/// The `ERROR` event of a give-up: the call returns its last error.
#[cfg(feature = "tracing")]
#[cold]
#[inline(never)]
pub(crate) fn giving_up<E, S: ShowError<E>>(
    show: &S,
    function: &'static str,
    error: &E,
    attempt: u32,
    elapsed: Option<Duration>,
    reason: GiveUp,
) {
    tracing::error!(
        target: "retry_runtime",
        function,
        attempt,
        delay = ?Duration::ZERO,
        elapsed = elapsed.map(tracing::field::debug),
        reason = reason.as_str(),
        error = S::ACTIVE.then(|| tracing::field::display(Shown(error, show))),
        "giving up",
    );
}

/// The `INFO` event of a fallback: `function`'s `from` failed with `error`, `to` runs next.
/// `show` is the site's error shower (see [`ShowError`]). Compiled to nothing without the
/// `tracing` feature. The fallback attribute and [`Fallback`](crate::Fallback) call it.
///
/// ```
/// use retry_runtime::{ShowDisplay, __private::events};
/// events::fallback("chat", "chat", "chat_backup", &"503", &ShowDisplay);
/// ```
#[inline]
#[allow(unused_variables)]
pub fn fallback<E, S: ShowError<E>>(
    function: &'static str,
    from: &str,
    to: &str,
    error: &E,
    show: &S,
) {
    #[cfg(feature = "tracing")]
    fallback_event(function, from, to, error, show);
}

#[cfg(feature = "tracing")]
#[cold]
#[inline(never)]
fn fallback_event<E, S: ShowError<E>>(
    function: &'static str,
    from: &str,
    to: &str,
    error: &E,
    show: &S,
) {
    tracing::info!(
        target: "retry_runtime",
        function,
        from,
        to,
        error = S::ACTIVE.then(|| tracing::field::display(Shown(error, show))),
        "falling back",
    );
}

/// The `INFO` event of a hedge: `function`'s `from` has run `hedge_after` without an answer,
/// so `to` starts beside it. Compiled to nothing without the `tracing` feature.
#[inline]
#[allow(unused_variables)]
pub(crate) fn hedge(function: &'static str, from: &str, to: &str) {
    #[cfg(feature = "tracing")]
    tracing::info!(target: "retry_runtime", function, from, to, "hedging: starting the next target");
}

/// The `ERROR` event of a user hook (`hook`, of the breaker or other item `owner`) whose panic
/// was caught because another panic was unwinding (a panic leaving a destructor then would abort
/// the process). `payload` is the caught panic's. Compiled to nothing without the `tracing`
/// feature.
#[cold]
#[inline(never)]
#[allow(unused_variables)]
pub(crate) fn hook_panicked(hook: &'static str, owner: &str, payload: &(dyn Any + Send)) {
    #[cfg(feature = "tracing")]
    {
        let message = payload
            .downcast_ref::<&'static str>()
            .copied()
            .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
            .unwrap_or("a panic payload that is not a string");
        tracing::error!(
            target: "retry_runtime",
            hook,
            owner,
            panic = message,
            "a hook panicked while another panic was unwinding; its panic was caught",
        );
    }
}
