//! The async driver: the same decision core as the sync one, sleeping through tokio.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use crate::budget::BudgetOption;
use crate::error::AttemptTimedOut;
use crate::events::ShowError;
use crate::retry::{CallState, Clock, ErrorPredicate, EventHook, Retry, RetryAfter};
use crate::RetryPolicy;

/// tokio's clock: follows a paused test clock.
pub(crate) struct TokioClock;

impl Clock for TokioClock {
    type Instant = tokio::time::Instant;
    #[inline]
    fn now() -> Self::Instant {
        tokio::time::Instant::now()
    }
    #[inline]
    fn since(start: Self::Instant) -> Duration {
        start.elapsed()
    }
}

/// The async retry loop, written once for the three drivers below. It stays a macro, not a
/// shared `async fn`, so each driver is one state machine (a nested future costs a few ns on
/// the success path). `$attempt` runs one attempt; `$decide` is `Retry::decide`.
macro_rules! async_retry_loop {
    ($state:ident, $attempt:expr, $decide:expr) => {
        loop {
            let error = match $attempt {
                Ok(v) => return Ok(v),
                Err(e) => e,
            };
            let delay = match $decide(&mut $state, &error) {
                Some(delay) => delay,
                None => return Err(error),
            };
            drop(error);
            pause(delay).await;
        }
    };
}

/// The per-call state of an async call driven by the attribute's expansion. Reads tokio's
/// clock only when `needs_clock` (a hook or `max_elapsed` needs the start time).
#[doc(hidden)]
#[inline(always)]
pub fn async_state(needs_clock: bool) -> CallState<tokio::time::Instant> {
    CallState::new::<TokioClock>(needs_clock)
}

/// After an async attempt failed: the sleep before the next attempt, or `None` to give up
/// (after `on_give_up`). The attribute builds `retry` here, after the failure, so nothing of
/// it lives in the function's future while an attempt runs.
#[doc(hidden)]
#[inline(always)]
pub fn async_decide<E, W, U, H, R, G, B, S>(
    retry: &Retry<'_, W, U, H, R, G, B, S>,
    state: &mut CallState<tokio::time::Instant>,
    error: &E,
) -> Option<Duration>
where
    W: ErrorPredicate<E>,
    U: ErrorPredicate<E>,
    H: RetryAfter<E>,
    R: EventHook<E>,
    G: EventHook<E>,
    B: BudgetOption,
    S: ShowError<E>,
{
    retry.decide::<E, TokioClock>(state, error)
}

impl CallState<tokio::time::Instant> {
    /// Runs one attempt under `policy`'s per-attempt timeout, if it has one; a timed-out
    /// attempt fails with `E::from(AttemptTimedOut)`. (A method, so the expansion can place a
    /// missing `From<AttemptTimedOut>` at the `timeout` key.)
    #[doc(hidden)]
    #[inline]
    pub async fn with_timeout<T, E, F>(&self, policy: &RetryPolicy, attempt: F) -> Result<T, E>
    where
        F: Future<Output = Result<T, E>>,
        E: crate::__private::TimeoutError,
    {
        match policy.get_timeout() {
            None => attempt.await,
            Some(limit) => match tokio::time::timeout(limit, attempt).await {
                Ok(result) => result,
                Err(_) => Err(E::from(AttemptTimedOut::new(
                    self.attempts_so_far() + 1,
                    limit,
                ))),
            },
        }
    }
}

/// Sleeps `delay` on tokio's timer; a zero delay touches no timer and does not yield.
/// The timer is boxed only when there is one, so a retrying future stays small.
#[doc(hidden)]
#[inline]
pub fn pause(delay: Duration) -> Pause {
    Pause(if delay.is_zero() {
        None
    } else {
        Some(Box::pin(tokio::time::sleep(delay)))
    })
}

/// The future of [`pause`]: ready at once for a zero delay.
#[doc(hidden)]
#[derive(Debug)]
pub struct Pause(Option<Pin<Box<tokio::time::Sleep>>>);

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

impl<'p, W, U, H, R, G, B, S> Retry<'p, W, U, H, R, G, B, S> {
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
        W: ErrorPredicate<E>,
        U: ErrorPredicate<E>,
        H: RetryAfter<E>,
        R: EventHook<E>,
        G: EventHook<E>,
        B: BudgetOption,
        S: ShowError<E>,
    {
        // The same shape as the attribute's expansion: while an attempt runs, the future
        // holds only `self`, `op`, the small call state and the attempt.
        let mut state = self.start::<E, TokioClock>();
        async_retry_loop!(state, op().await, |state: &mut _, error: &E| self
            .decide::<E, TokioClock>(state, error))
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
        W: ErrorPredicate<E>,
        U: ErrorPredicate<E>,
        H: RetryAfter<E>,
        R: EventHook<E>,
        G: EventHook<E>,
        B: BudgetOption,
        S: ShowError<E>,
    {
        let mut state = self.start::<E, TokioClock>();
        async_retry_loop!(
            state,
            state.with_timeout(self.policy(), op()).await,
            |state: &mut _, error: &E| self.decide::<E, TokioClock>(state, error)
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
pub async fn retry_async<T, E, F, Fut>(policy: &RetryPolicy, op: F) -> Result<T, E>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, E>>,
{
    // The loop itself, not a call to `run_async`: one state machine, holding only the policy,
    // `op`, the small call state and the attempt while an attempt runs.
    let mut op = op;
    let mut state = async_state(policy.get_max_elapsed().is_some());
    async_retry_loop!(state, op().await, |state: &mut _, error: &E| {
        async_decide(&Retry::new(policy), state, error)
    })
}
