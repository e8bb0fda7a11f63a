//! `Permit`, a call's leave to run through a breaker, which carries the call's verdict back
//! (success, failure, or neither when dropped), and `Kind`, how it was granted.

use std::fmt;
use std::mem::ManuallyDrop;

use super::CircuitBreaker;

/// How a permit was granted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    /// A call through a closed breaker.
    Closed,
    /// A call through a forced-closed breaker: nothing is counted.
    Free,
    /// A half-open probe of the period with this generation.
    Probe(u32),
}

/// Leave to make one call through a [`CircuitBreaker`], from
/// [`try_acquire`](CircuitBreaker::try_acquire). Report the outcome with
/// [`success`](Self::success) or [`failure`](Self::failure).
///
/// Dropped without a verdict it counts as neither (and frees a probe slot), except while its
/// thread is panicking: a call that panics counts as a failure.
///
/// ```
/// use retry_runtime::{BreakerConfig, CircuitBreaker, State};
/// let cb = CircuitBreaker::new("db", BreakerConfig::new().failure_threshold(1));
/// let permit = cb.try_acquire().unwrap();
/// let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || {
///     let _held = permit;
///     panic!("the backend's client panicked");
/// }));
/// assert!(r.is_err());
/// assert_eq!(cb.state(), State::Open);
/// ```
#[must_use = "a permit is meant to report its call's outcome with `success()` or `failure()`"]
pub struct Permit<'a> {
    breaker: &'a CircuitBreaker,
    kind: Kind,
}

impl<'a> Permit<'a> {
    /// A permit of `kind` for a call through `breaker`.
    #[inline(always)]
    pub(super) const fn new(breaker: &'a CircuitBreaker, kind: Kind) -> Self {
        Permit { breaker, kind }
    }

    /// The call succeeded.
    ///
    /// ```
    /// use retry_runtime::{BreakerConfig, CircuitBreaker};
    /// let cb = CircuitBreaker::new("db", BreakerConfig::new());
    /// cb.try_acquire().unwrap().failure();
    /// cb.try_acquire().unwrap().success();
    /// assert_eq!(cb.snapshot().consecutive_failures, 0);
    /// ```
    #[inline(always)]
    pub fn success(self) {
        let this = ManuallyDrop::new(self);
        this.breaker.succeeded(this.kind);
    }

    /// The call failed.
    ///
    /// ```
    /// use retry_runtime::{BreakerConfig, CircuitBreaker};
    /// let cb = CircuitBreaker::new("db", BreakerConfig::new());
    /// cb.try_acquire().unwrap().failure();
    /// assert_eq!(cb.snapshot().consecutive_failures, 1);
    /// ```
    #[inline]
    pub fn failure(self) {
        let this = ManuallyDrop::new(self);
        this.breaker.failed(this.kind);
    }

    /// Success for `Ok`, failure for an `Err` that `counts`, neither otherwise. Shared by
    /// [`CircuitBreaker::call_when`] and its async twin, and meant for the attributes' verdict
    /// (`__private::settle`) too.
    #[inline]
    pub(crate) fn settle<T, E>(self, result: &Result<T, E>, counts: impl FnOnce(&E) -> bool) {
        match result {
            Ok(_) => self.success(),
            Err(e) => {
                if counts(e) {
                    self.failure();
                }
            }
        }
    }
}

impl Drop for Permit<'_> {
    #[inline]
    fn drop(&mut self) {
        self.breaker.released(self.kind);
    }
}

impl fmt::Debug for Permit<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Permit")
            .field("breaker", &self.breaker.hot.name)
            .field("kind", &self.kind)
            .finish()
    }
}
