//! The async driver: the same decision core as the sync one, sleeping through tokio, and the
//! one async retry loop ([`retry_async_loop!`](crate::__private::retry_async_loop)) that
//! [`retry_async`], [`Retry::run_async`] and the attribute's expansion all run.

use std::future::Future;
use std::mem::ManuallyDrop;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use super::decide::{CallState, Clock};
use super::setup::Retry;
use crate::error::{AttemptTimedOut, TimeoutError};
use crate::options::{Pass, RetryOptions};
use crate::policy::RetryPolicy;

/// tokio's clock: follows a paused test clock.
pub(crate) struct TokioClock;

impl Clock for TokioClock {
    type Instant = tokio::time::Instant;
    /// `tokio::time::sleep` clamps its duration to about 30 years (tokio 1.x's `safe_delay`:
    /// `86400 * 365 * 30` seconds, so the deadline cannot overflow an `Instant`).
    const MAX_SLEEP: Duration = Duration::from_secs(86400 * 365 * 30);
    #[inline]
    fn now() -> Self::Instant {
        tokio::time::Instant::now()
    }
    #[inline]
    fn since(start: Self::Instant) -> Duration {
        start.elapsed()
    }
}

/// The one async retry loop. `$attempt` is an expression awaiting one attempt; after a
/// failure, `$decide` sees the error as `$error` and gives the sleep before the next attempt,
/// or `None` to give up; after a success, the optional `ok => $ok` runs first (a budget's
/// deposit for a first attempt that succeeded). The loop is an expression: it `break`s with
/// the result.
///
/// A macro, not a shared `async fn`, for two reasons: the attribute's expansion must write a
/// fresh `async { <body> }` per attempt inside the user's function (a closure returning a
/// future could not reborrow `&mut self`), and each caller stays one state machine (a nested
/// future costs a few ns on the success path). The error is dropped before the sleep, so it
/// is never held across an `.await` (the future's `Send` never depends on `E`).
#[doc(hidden)]
#[macro_export]
macro_rules! __retry_async_loop {
    ($attempt:expr, |$error:ident| $decide:expr $(, ok => $ok:expr)? $(,)?) => {
        loop {
            // The error lives in this block only: it is dropped before the sleep.
            let delay = {
                let $error = match $attempt {
                    $crate::__private::Result::Ok(value) => {
                        $($ok;)?
                        break $crate::__private::Result::Ok(value)
                    }
                    $crate::__private::Result::Err(error) => error,
                };
                match $decide {
                    $crate::__private::Option::Some(delay) => delay,
                    $crate::__private::Option::None => {
                        break $crate::__private::Result::Err($error)
                    }
                }
            };
            $crate::__private::pause(delay).await;
        }
    };
}

/// The per-call state of an async call: nothing until the first failure (one store on the
/// success path), unless the clock must be read when the call starts (a hook or `max_elapsed`).
#[derive(Debug)]
pub struct AsyncState(Option<CallState<tokio::time::Instant>>);

impl AsyncState {
    /// The state before the first attempt: reads tokio's clock only when `needs_clock`.
    #[inline(always)]
    pub fn start(needs_clock: bool) -> Self {
        AsyncState(if needs_clock {
            Some(CallState::new::<TokioClock>(true))
        } else {
            None
        })
    }

    /// Whether no attempt has failed yet: the one running or just done is the call's first.
    #[inline(always)]
    pub fn first_attempt(&self) -> bool {
        self.0
            .as_ref()
            .is_none_or(|state| state.attempts_so_far() == 0)
    }

    /// The call state, created on the first failure.
    #[inline(always)]
    pub(crate) fn get(&mut self) -> &mut CallState<tokio::time::Instant> {
        self.0
            .get_or_insert_with(|| CallState::new::<TokioClock>(false))
    }

    /// After an attempt failed (`rejected`: by the retry's [`breaker`](Retry::breaker)): the
    /// sleep before the next attempt, or `None` to give up (after `on_give_up`).
    #[inline(always)]
    pub(crate) fn decide<E, O: RetryOptions<E>>(
        &mut self,
        retry: &Retry<'_, O>,
        error: &E,
        rejected: bool,
    ) -> Option<Duration> {
        retry.decide::<E, TokioClock>(self.get(), error, rejected)
    }

    /// Runs one attempt under the per-attempt timeout `limit`, if any; a timed-out attempt
    /// fails with `E::from(AttemptTimedOut)`. (A method, so the expansion can place a
    /// missing `From<AttemptTimedOut>` at the `timeout` key.)
    #[inline]
    pub async fn with_timeout<T, E, F>(&self, limit: Option<Duration>, attempt: F) -> Result<T, E>
    where
        F: Future<Output = Result<T, E>>,
        E: TimeoutError,
    {
        self.with_timeout_via(limit, &<E as From<AttemptTimedOut>>::from, attempt)
            .await
    }

    /// [`with_timeout`](Self::with_timeout) with the error of a timed-out attempt built by
    /// `make` (the attribute's `timeout_error`).
    #[inline]
    pub async fn with_timeout_via<T, E, F, M>(
        &self,
        limit: Option<Duration>,
        make: &M,
        attempt: F,
    ) -> Result<T, E>
    where
        F: Future<Output = Result<T, E>>,
        M: Fn(AttemptTimedOut) -> E,
    {
        match self.with_timeout_outcome(limit, make, attempt).await {
            Ok(result) => result,
            Err(timed_out) => Err(timed_out),
        }
    }

    /// Runs one attempt under the per-attempt timeout `limit`, if any: `Ok` with what the
    /// attempt resolved to (the function's return type as written, for the expansion to turn
    /// into its result at the return type), `Err` with `make`'s error when it timed out.
    #[inline]
    pub async fn with_timeout_outcome<R, E, F, M>(
        &self,
        limit: Option<Duration>,
        make: &M,
        attempt: F,
    ) -> Result<R, E>
    where
        F: Future<Output = R>,
        M: Fn(AttemptTimedOut) -> E,
    {
        match limit {
            None => Ok(attempt.await),
            Some(limit) => match tokio::time::timeout(limit, attempt).await {
                Ok(result) => Ok(result),
                Err(_) => {
                    let failed = self.0.as_ref().map_or(0, CallState::attempts_so_far);
                    Err(make(AttemptTimedOut::new(failed + 1, limit)))
                }
            },
        }
    }
}

/// Sleeps `delay` on tokio's timer; a zero delay touches no timer and does not yield.
/// The timer is boxed only when there is one, so a retrying future stays small.
#[inline]
pub fn pause(delay: Duration) -> Pause {
    Pause(ManuallyDrop::new(if delay.is_zero() {
        None
    } else {
        Some(Box::pin(tokio::time::sleep(delay)))
    }))
}

/// The future of [`pause`]: ready at once for a zero delay.
///
/// Its timer is dropped by its own `Drop`, out of line: so the drop code of a future that
/// awaits a `Pause` stays a tag test and a call, small enough for the compiler to inline where
/// the future is dropped after completing, which is every call's success path.
#[derive(Debug)]
pub struct Pause(ManuallyDrop<Option<Pin<Box<tokio::time::Sleep>>>>);

impl Drop for Pause {
    #[inline(always)]
    fn drop(&mut self) {
        if self.0.is_some() {
            drop_timer(&mut self.0);
        }
    }
}

/// Drops a pause's timer (a sleep cancelled while pending).
#[cold]
#[inline(never)]
fn drop_timer(timer: &mut Option<Pin<Box<tokio::time::Sleep>>>) {
    drop(timer.take());
}

impl Future for Pause {
    type Output = ();

    #[inline]
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        match self.0.as_mut() {
            None => Poll::Ready(()),
            Some(sleep) => sleep.as_mut().poll(cx),
        }
    }
}

impl<O> Retry<'_, O> {
    /// The start of an async call: the clock read only if needed.
    #[inline(always)]
    fn start_async<E>(&self) -> AsyncState
    where
        O: RetryOptions<E>,
    {
        AsyncState::start(self.needs_clock::<E>())
    }

    /// After a success: a budget's deposit if it was the call's first attempt (a failed first
    /// attempt deposits in the decision).
    #[inline(always)]
    fn succeeded<E>(&self, state: &AsyncState)
    where
        O: RetryOptions<E>,
    {
        if O::BUDGET && state.first_attempt() {
            self.options.deposit();
        }
    }

    /// Runs the future `op()` returns until one succeeds or the policy gives up, sleeping with
    /// `tokio::time::sleep` between attempts. Applies no per-attempt timeout (see
    /// [`run_async_with_timeout`](Self::run_async_with_timeout)). Dropping the returned future
    /// at any point leaves nothing behind.
    ///
    /// ```
    /// use std::time::Duration;
    /// use retry_runtime::{Retry, RetryPolicy};
    /// # #[tokio::main(flavor = "current_thread")] async fn main() {
    /// const P: RetryPolicy = RetryPolicy::fixed().initial_delay(Duration::from_millis(1));
    /// let mut n = 0;
    /// let r: Result<u32, &str> = Retry::new(&P)
    ///     .when(|e: &&str| *e == "busy")
    ///     .run_async(|| { n += 1; let k = n; async move { if k < 3 { Err("busy") } else { Ok(k) } } })
    ///     .await;
    /// assert_eq!(r, Ok(3));
    /// # }
    /// ```
    pub async fn run_async<T, E, F, Fut>(&self, mut op: F) -> Result<T, E>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, E>>,
        O: RetryOptions<E>,
    {
        // The same shape as the attribute's expansion: while an attempt runs, the future
        // holds only `self`, `op`, the small call state and the attempt.
        let mut state = self.start_async::<E>();
        let mut rejected = false;
        __retry_async_loop!(
            match self.options.admit() {
                Ok(pass) => pass.settle(op().await),
                Err(open) => Err(rejected_by(&mut rejected, open)),
            },
            |error| state.decide(self, &error, rejected),
            ok => self.succeeded::<E>(&state),
        )
    }

    /// [`run_async`](Self::run_async) with the policy's per-attempt `timeout` applied: an
    /// attempt running longer is dropped and fails with
    /// [`AttemptTimedOut`](crate::AttemptTimedOut) converted into `E`.
    ///
    /// ```
    /// use std::time::Duration;
    /// use retry_runtime::{AttemptTimedOut, Retry, RetryPolicy};
    ///
    /// #[derive(Debug, PartialEq)]
    /// enum Error { Slow(u32) }
    /// impl From<AttemptTimedOut> for Error {
    ///     fn from(t: AttemptTimedOut) -> Self { Error::Slow(t.attempt()) }
    /// }
    ///
    /// # #[tokio::main(flavor = "current_thread", start_paused = true)] async fn main() {
    /// const P: RetryPolicy = RetryPolicy::fixed()
    ///     .max_attempts(2)
    ///     .timeout(Duration::from_secs(1));
    /// let r: Result<(), Error> = Retry::new(&P)
    ///     .run_async_with_timeout(|| async {
    ///         tokio::time::sleep(Duration::from_secs(60)).await;
    ///         Ok(())
    ///     })
    ///     .await;
    /// assert_eq!(r, Err(Error::Slow(2)));
    /// # }
    /// ```
    pub async fn run_async_with_timeout<T, E, F, Fut>(&self, mut op: F) -> Result<T, E>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, E>>,
        E: From<AttemptTimedOut>,
        O: RetryOptions<E>,
    {
        let mut state = self.start_async::<E>();
        let mut rejected = false;
        __retry_async_loop!(
            match self.options.admit() {
                Ok(pass) => pass.settle(state.with_timeout(self.policy().get_timeout(), op()).await),
                Err(open) => Err(rejected_by(&mut rejected, open)),
            },
            |error| state.decide(self, &error, rejected),
            ok => self.succeeded::<E>(&state),
        )
    }
}

/// Retries the future `op()` returns with `policy`, sleeping with `tokio::time::sleep`;
/// returns the first `Ok` or the last error unchanged. For the options, see [`Retry`].
///
/// ```
/// use std::time::Duration;
/// use retry_runtime::{retry_async, RetryPolicy};
///
/// const POLICY: RetryPolicy = RetryPolicy::exponential().initial_delay(Duration::from_millis(1));
///
/// # #[tokio::main(flavor = "current_thread")] async fn main() {
/// let mut attempts = 0;
/// let r: Result<u32, String> = retry_async(&POLICY, || {
///     attempts += 1;
///     let n = attempts;
///     async move { if n < 2 { Err(format!("attempt {n} failed")) } else { Ok(n) } }
/// })
/// .await;
/// assert_eq!(r, Ok(2));
/// # }
/// ```
pub async fn retry_async<T, E, F, Fut>(policy: &RetryPolicy, mut op: F) -> Result<T, E>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, E>>,
{
    // Not a call to `run_async`: the loop itself, so the future holds only the policy, `op`,
    // the small call state and the attempt while an attempt runs.
    let mut state = AsyncState::start(policy.get_max_elapsed().is_some());
    __retry_async_loop!(op().await, |error| state.decide(
        &Retry::new(policy),
        &error,
        false
    ))
}

/// An attempt the retry's breaker rejected: raises `flag` and gives the error back.
#[cold]
fn rejected_by<E>(flag: &mut bool, error: E) -> E {
    *flag = true;
    error
}
