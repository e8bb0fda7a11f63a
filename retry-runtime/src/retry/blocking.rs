//! The sync driver: the decision core, sleeping on the calling thread.

use super::decide::{CallState, StdClock};
use super::setup::Retry;
use crate::options::{Pass, RetryOptions};
use crate::policy::RetryPolicy;

impl<O> Retry<'_, O> {
    /// Runs `op` until it succeeds or the policy gives up, sleeping on the calling thread
    /// between attempts; returns the first `Ok` or the last error unchanged.
    ///
    /// ```
    /// use std::time::Duration;
    /// use retry_runtime::{Retry, RetryPolicy};
    /// const P: RetryPolicy = RetryPolicy::fixed().initial_delay(Duration::from_millis(1));
    /// let mut n = 0;
    /// let r: Result<u32, &str> = Retry::new(&P).run(|| { n += 1; if n < 2 { Err("x") } else { Ok(n) } });
    /// assert_eq!(r, Ok(2));
    /// ```
    #[inline]
    pub fn run<T, E, F>(&self, mut op: F) -> Result<T, E>
    where
        F: FnMut() -> Result<T, E>,
        O: RetryOptions<E>,
    {
        // The first attempt runs before any per-call state exists: on success nothing else
        // happens (the clock is read first only when a hook or `max_elapsed` needs it; a
        // budget takes its deposit, one atomic add, after the success, or in the decision
        // after a failure the layers below did not reject).
        let start = self.start::<E, StdClock>();
        match self.attempt(&mut op) {
            Ok(v) => Ok(self.first_succeeded(v)),
            Err((e, rejected)) => self.run_after_failure(op, start, e, rejected),
        }
    }

    /// [`run`](Self::run) consuming the retry: the attribute's expansion and [`retry`] build
    /// their `Retry` per call, and by value its fields are constants that only the failure
    /// path materialises.
    #[inline(always)]
    pub(crate) fn run_by_value<T, E, F>(self, mut op: F) -> Result<T, E>
    where
        F: FnMut() -> Result<T, E>,
        O: RetryOptions<E>,
    {
        if self.needs_clock::<E>() {
            return self.run(op);
        }
        match self.attempt(&mut op) {
            Ok(v) => Ok(self.first_succeeded(v)),
            Err((e, rejected)) => self.run_by_value_after_failure(op, e, rejected),
        }
    }

    /// One attempt through the layers below the retry (the [`breaker`](Self::breaker), if
    /// any): its result, and with an error whether they rejected the attempt.
    #[inline(always)]
    fn attempt<T, E, F>(&self, op: &mut F) -> Result<T, (E, bool)>
    where
        F: FnMut() -> Result<T, E>,
        O: RetryOptions<E>,
    {
        match self.options.admit() {
            Ok(pass) => pass.settle(op()).map_err(|e| (e, false)),
            Err(e) => Err((e, true)),
        }
    }

    /// A first attempt succeeded: the budget's deposit for it, if there is a budget.
    #[inline(always)]
    fn first_succeeded<T, E>(&self, value: T) -> T
    where
        O: RetryOptions<E>,
    {
        if O::BUDGET {
            self.options.deposit();
        }
        value
    }

    #[inline(never)]
    fn run_by_value_after_failure<T, E, F>(self, op: F, error: E, rejected: bool) -> Result<T, E>
    where
        F: FnMut() -> Result<T, E>,
        O: RetryOptions<E>,
    {
        self.retry_loop(op, CallState::new::<StdClock>(false), error, rejected)
    }

    /// The rest of a sync call after its first failure, out of line so the success path
    /// stays a call and a branch.
    #[inline(never)]
    fn run_after_failure<T, E, F>(
        &self,
        op: F,
        state: CallState<std::time::Instant>,
        error: E,
        rejected: bool,
    ) -> Result<T, E>
    where
        F: FnMut() -> Result<T, E>,
        O: RetryOptions<E>,
    {
        self.retry_loop(op, state, error, rejected)
    }

    /// Decide, sleep, try again: the sync driver's loop after a failure.
    #[inline(always)]
    fn retry_loop<T, E, F>(
        &self,
        mut op: F,
        mut state: CallState<std::time::Instant>,
        mut error: E,
        mut rejected: bool,
    ) -> Result<T, E>
    where
        F: FnMut() -> Result<T, E>,
        O: RetryOptions<E>,
    {
        loop {
            match self.decide::<E, StdClock>(&mut state, &error, rejected) {
                None => return Err(error),
                Some(delay) => {
                    drop(error);
                    if !delay.is_zero() {
                        std::thread::sleep(delay);
                    }
                }
            }
            match self.attempt(&mut op) {
                Ok(v) => return Ok(v),
                Err((e, r)) => (error, rejected) = (e, r),
            }
        }
    }
}

/// Retries `op` with `policy`, sleeping on the calling thread; returns the first `Ok` or the
/// last error unchanged. For the options, see [`Retry`].
///
/// ```
/// use std::time::Duration;
/// use retry_runtime::{retry, RetryPolicy};
///
/// const POLICY: RetryPolicy = RetryPolicy::exponential()
///     .max_attempts(4)
///     .initial_delay(Duration::from_millis(1));
///
/// let mut attempts = 0;
/// let answer: Result<&str, std::io::Error> = retry(&POLICY, || {
///     attempts += 1;
///     if attempts < 3 {
///         Err(std::io::Error::from(std::io::ErrorKind::ConnectionReset))
///     } else {
///         Ok("pong")
///     }
/// });
/// assert_eq!(answer.unwrap(), "pong");
/// assert_eq!(attempts, 3);
/// ```
#[inline]
pub fn retry<T, E, F>(policy: &RetryPolicy, op: F) -> Result<T, E>
where
    F: FnMut() -> Result<T, E>,
{
    Retry::new(policy).run_by_value(op)
}
