//! The `breaker` option of [`Retry`](super::Retry) ([`Retry::breaker`](super::Retry::breaker)):
//! each attempt of the function API runs through a circuit breaker, as a breaker below a retry
//! in an attribute stack does, and a rejection ends the retry at once.

use std::time::Duration;

use crate::breaker::{CircuitBreaker, CircuitOpen, Permit};
use crate::options::{Pass, RetryOptions};

/// The `breaker` option: each attempt asks `try_acquire` of the breaker and reports its result
/// to the permit; a rejection is the caller's error built with `From<CircuitOpen>`.
#[derive(Clone, Copy, Debug)]
pub struct ThroughBreaker<'b>(pub &'b CircuitBreaker);

impl<'b, E: From<CircuitOpen>> RetryOptions<E> for ThroughBreaker<'b> {
    const GATED: bool = true;
    type Pass = Permit<'b>;
    #[inline]
    fn admit(&self) -> Result<Permit<'b>, E> {
        self.0.try_acquire().map_err(E::from)
    }
    #[inline]
    fn open_below(&self) -> Option<Duration> {
        self.0.open_for()
    }
}

impl<E> Pass<E> for Permit<'_> {
    /// Success for `Ok`, failure for any error.
    #[inline]
    fn settle<T>(self, result: Result<T, E>) -> Result<T, E> {
        Permit::settle(self, &result, |_| true);
        result
    }
}
