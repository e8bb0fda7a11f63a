//! The retry loops: one decision core ([`Retry::decide`]) and two thin drivers, sync and async.

use std::time::Duration;

use crate::policy::{RetryPolicy, Schedule};
use crate::rng::ThreadRng;
use crate::site::{FnName, MethodName};

/// What a retry hook sees: the error, which attempt failed, the coming sleep and the time spent.
///
/// Handed to `on_retry` before each sleep and to `on_give_up` once, when the last error is about
/// to be returned.
///
/// ```
/// use std::cell::RefCell;
/// use std::time::Duration;
/// use retry_runtime::{Jitter, Retry, RetryEvent, RetryPolicy};
///
/// const P: RetryPolicy = RetryPolicy::fixed().initial_delay(Duration::ZERO).jitter(Jitter::None);
/// let seen = RefCell::new(Vec::new());
/// let r: Result<(), u16> = Retry::new(&P)
///     .on_retry(|ev: &RetryEvent<'_, u16>| seen.borrow_mut().push((ev.attempt, *ev.error)))
///     .run(|| Err(503));
/// assert_eq!(r, Err(503));
/// assert_eq!(*seen.borrow(), [(1, 503), (2, 503)]);
/// ```
#[derive(Debug)]
pub struct RetryEvent<'a, E> {
    /// The error of the attempt that failed.
    pub error: &'a E,
    /// The 1-based number of the attempt that failed.
    pub attempt: u32,
    /// The sleep before the next attempt; zero on give-up.
    pub delay: Duration,
    /// Time since the first attempt began (read on the clock only when a hook or `max_elapsed`
    /// needs it).
    pub elapsed: Duration,
    /// The annotated function's name (`Type::name` for methods), or the name given to
    /// [`Retry::function`].
    pub function: &'static str,
}

impl<E> Clone for RetryEvent<'_, E> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<E> Copy for RetryEvent<'_, E> {}

/// The placeholder for an option of [`Retry`] that was not given: it costs nothing.
#[derive(Clone, Copy, Debug, Default)]
pub struct Unset;

/// An error predicate (`when`, `unless`): implemented for every `Fn(&E) -> bool` and for
/// [`Unset`]. `None` means "not given".
pub trait ErrorPredicate<E> {
    /// The verdict for `error`, or `None` when the predicate was not given.
    fn test(&self, error: &E) -> Option<bool>;
}

impl<E> ErrorPredicate<E> for Unset {
    #[inline(always)]
    fn test(&self, _: &E) -> Option<bool> {
        None
    }
}

impl<E, F: Fn(&E) -> bool> ErrorPredicate<E> for F {
    #[inline]
    fn test(&self, error: &E) -> Option<bool> {
        Some(self(error))
    }
}

/// A server's hint of how long to wait (`retry_after`): implemented for every
/// `Fn(&E) -> Option<Duration>` and for [`Unset`].
pub trait RetryAfter<E> {
    /// The hinted wait for `error`, if any.
    fn hint(&self, error: &E) -> Option<Duration>;
}

impl<E> RetryAfter<E> for Unset {
    #[inline(always)]
    fn hint(&self, _: &E) -> Option<Duration> {
        None
    }
}

impl<E, F: Fn(&E) -> Option<Duration>> RetryAfter<E> for F {
    #[inline]
    fn hint(&self, error: &E) -> Option<Duration> {
        self(error)
    }
}

/// A hook called with a [`RetryEvent`] (`on_retry`, `on_give_up`): implemented for every
/// `Fn(&RetryEvent<'_, E>)` and for [`Unset`].
pub trait EventHook<E> {
    /// Whether calling the hook does anything (false for [`Unset`]): the loop reads the clock
    /// only for hooks that are active.
    const ACTIVE: bool;
    /// Calls the hook.
    fn call(&self, event: &RetryEvent<'_, E>);
}

impl<E> EventHook<E> for Unset {
    const ACTIVE: bool = false;
    #[inline(always)]
    fn call(&self, _: &RetryEvent<'_, E>) {}
}

impl<E, F: Fn(&RetryEvent<'_, E>)> EventHook<E> for F {
    const ACTIVE: bool = true;
    #[inline]
    fn call(&self, event: &RetryEvent<'_, E>) {
        self(event)
    }
}

/// A clock for the loops: `std::time::Instant` for sync, tokio's for async (so a paused tokio
/// clock drives `max_elapsed` and `RetryEvent::elapsed` in tests).
pub(crate) trait Clock {
    type Instant: Copy;
    fn now() -> Self::Instant;
    fn since(start: Self::Instant) -> Duration;
}

/// The standard library's monotonic clock.
pub(crate) struct StdClock;

impl Clock for StdClock {
    type Instant = std::time::Instant;
    #[inline]
    fn now() -> Self::Instant {
        std::time::Instant::now()
    }
    #[inline]
    fn since(start: Self::Instant) -> Duration {
        start.elapsed()
    }
}

/// The per-call state of a retry loop: attempts so far, the schedule, the start time if needed.
#[doc(hidden)]
pub struct CallState<I> {
    attempt: u32,
    schedule: Schedule,
    start: Option<I>,
}

impl<I: Copy> CallState<I> {
    #[inline]
    pub(crate) fn new<C: Clock<Instant = I>>(needs_clock: bool) -> Self {
        CallState {
            attempt: 0,
            schedule: Schedule::new(),
            start: if needs_clock { Some(C::now()) } else { None },
        }
    }

    /// The number of attempts that have failed so far.
    #[inline]
    pub(crate) fn attempts_so_far(&self) -> u32 {
        self.attempt
    }

    #[inline]
    fn elapsed<C: Clock<Instant = I>>(&self) -> Duration {
        match self.start {
            Some(start) => C::since(start),
            None => Duration::ZERO,
        }
    }
}

/// A configured retry: a policy plus the options of the attribute (`when`, `unless`,
/// `retry_after`, `on_retry`, `on_give_up`), then [`run`](Self::run) or
/// [`run_async`](Self::run_async).
///
/// Options not given cost nothing: they are the zero-sized [`Unset`], and the loop makes no
/// clock read, no random draw and no allocation before the first failure.
///
/// ```
/// use std::time::Duration;
/// use retry_runtime::{Jitter, Retry, RetryPolicy};
///
/// const P: RetryPolicy = RetryPolicy::fixed().max_attempts(5).initial_delay(Duration::ZERO);
/// let mut calls = 0;
/// let r: Result<u32, String> = Retry::new(&P)
///     .when(|e: &String| e.contains("503"))
///     .run(|| {
///         calls += 1;
///         if calls < 3 { Err("503 unavailable".to_string()) } else { Ok(calls) }
///     });
/// assert_eq!(r, Ok(3));
/// ```
#[derive(Clone, Copy, Debug)]
#[must_use = "a Retry does nothing until `run` or `run_async` is called"]
pub struct Retry<'p, W = Unset, U = Unset, H = Unset, R = Unset, G = Unset> {
    policy: &'p RetryPolicy,
    function: FnName,
    when: W,
    unless: U,
    retry_after: H,
    on_retry: R,
    on_give_up: G,
}

impl<'p> Retry<'p> {
    /// A retry with `policy` and no options.
    ///
    /// ```
    /// use retry_runtime::{Retry, RetryPolicy};
    /// let r: Result<u8, ()> = Retry::new(&RetryPolicy::default()).run(|| Ok(1));
    /// assert_eq!(r, Ok(1));
    /// ```
    #[inline]
    pub const fn new(policy: &'p RetryPolicy) -> Self {
        Retry {
            policy,
            function: FnName::Plain("retry"),
            when: Unset,
            unless: Unset,
            retry_after: Unset,
            on_retry: Unset,
            on_give_up: Unset,
        }
    }
}

impl<'p, W, U, H, R, G> Retry<'p, W, U, H, R, G> {
    /// The policy this retry follows.
    ///
    /// ```
    /// use retry_runtime::{Retry, RetryPolicy};
    /// const P: RetryPolicy = RetryPolicy::fixed().max_attempts(2);
    /// assert_eq!(Retry::new(&P).policy().get_max_attempts(), 2);
    /// ```
    #[inline]
    pub const fn policy(&self) -> &'p RetryPolicy {
        self.policy
    }

    /// Names the call in [`RetryEvent::function`] (the attributes pass the function's name).
    ///
    /// ```
    /// use retry_runtime::{Retry, RetryPolicy};
    /// const P: RetryPolicy = RetryPolicy::exponential();
    /// let r: Result<(), ()> = Retry::new(&P).function("fetch_models").run(|| Ok(()));
    /// assert!(r.is_ok());
    /// ```
    #[inline]
    pub const fn function(mut self, name: &'static str) -> Self {
        self.function = FnName::Plain(name);
        self
    }

    /// Names the call `Type::method`, built from `self_type` (`core::any::type_name::<Self>`)
    /// on the first failure and cached in `cache`. Used by the attributes on methods.
    #[doc(hidden)]
    #[inline]
    pub const fn method(
        mut self,
        cache: &'static MethodName,
        self_type: fn() -> &'static str,
    ) -> Self {
        self.function = FnName::Method { cache, self_type };
        self
    }

    /// Retries only errors for which `f` is true (default: every error).
    ///
    /// ```
    /// use retry_runtime::{Retry, RetryPolicy};
    /// let mut n = 0;
    /// let r: Result<(), i32> = Retry::new(&RetryPolicy::default())
    ///     .when(|e: &i32| *e >= 500)
    ///     .run(|| { n += 1; Err(404) });
    /// assert_eq!((r, n), (Err(404), 1));
    /// ```
    #[inline]
    pub fn when<W2>(self, f: W2) -> Retry<'p, W2, U, H, R, G> {
        Retry {
            policy: self.policy,
            function: self.function,
            when: f,
            unless: self.unless,
            retry_after: self.retry_after,
            on_retry: self.on_retry,
            on_give_up: self.on_give_up,
        }
    }

    /// Never retries errors for which `f` is true (checked before `when`).
    ///
    /// ```
    /// use retry_runtime::{Retry, RetryPolicy};
    /// let mut n = 0;
    /// let r: Result<(), i32> = Retry::new(&RetryPolicy::default())
    ///     .unless(|e: &i32| *e == 401)
    ///     .run(|| { n += 1; Err(401) });
    /// assert_eq!((r, n), (Err(401), 1));
    /// ```
    #[inline]
    pub fn unless<U2>(self, f: U2) -> Retry<'p, W, U2, H, R, G> {
        Retry {
            policy: self.policy,
            function: self.function,
            when: self.when,
            unless: f,
            retry_after: self.retry_after,
            on_retry: self.on_retry,
            on_give_up: self.on_give_up,
        }
    }

    /// A server's hint: the sleep becomes `max(hint, computed)`; a hint beyond `max_delay` or
    /// past `max_elapsed` gives up at once.
    ///
    /// ```
    /// use std::time::Duration;
    /// use retry_runtime::{Retry, RetryPolicy};
    /// let mut n = 0;
    /// let r: Result<(), u64> = Retry::new(&RetryPolicy::default())
    ///     .retry_after(|secs: &u64| Some(Duration::from_secs(*secs)))
    ///     .run(|| { n += 1; Err(3600) }); // an hour: beyond max_delay (10 s), give up now
    /// assert_eq!((r, n), (Err(3600), 1));
    /// ```
    #[inline]
    pub fn retry_after<H2>(self, f: H2) -> Retry<'p, W, U, H2, R, G> {
        Retry {
            policy: self.policy,
            function: self.function,
            when: self.when,
            unless: self.unless,
            retry_after: f,
            on_retry: self.on_retry,
            on_give_up: self.on_give_up,
        }
    }

    /// Called before each sleep.
    ///
    /// ```
    /// use std::cell::Cell;
    /// use std::time::Duration;
    /// use retry_runtime::{Retry, RetryEvent, RetryPolicy};
    /// const P: RetryPolicy = RetryPolicy::fixed().initial_delay(Duration::ZERO);
    /// let retries = Cell::new(0);
    /// let _ = Retry::new(&P)
    ///     .on_retry(|_: &RetryEvent<'_, ()>| retries.set(retries.get() + 1))
    ///     .run(|| Err::<(), ()>(()));
    /// assert_eq!(retries.get(), 2);
    /// ```
    #[inline]
    pub fn on_retry<R2>(self, f: R2) -> Retry<'p, W, U, H, R2, G> {
        Retry {
            policy: self.policy,
            function: self.function,
            when: self.when,
            unless: self.unless,
            retry_after: self.retry_after,
            on_retry: f,
            on_give_up: self.on_give_up,
        }
    }

    /// Called once when the call is about to return its last error, whatever the reason.
    ///
    /// ```
    /// use std::cell::Cell;
    /// use std::time::Duration;
    /// use retry_runtime::{Retry, RetryEvent, RetryPolicy};
    /// const P: RetryPolicy = RetryPolicy::fixed().initial_delay(Duration::ZERO);
    /// let last = Cell::new(0);
    /// let _ = Retry::new(&P)
    ///     .on_give_up(|ev: &RetryEvent<'_, ()>| last.set(ev.attempt))
    ///     .run(|| Err::<(), ()>(()));
    /// assert_eq!(last.get(), 3);
    /// ```
    #[inline]
    pub fn on_give_up<G2>(self, f: G2) -> Retry<'p, W, U, H, R, G2> {
        Retry {
            policy: self.policy,
            function: self.function,
            when: self.when,
            unless: self.unless,
            retry_after: self.retry_after,
            on_retry: self.on_retry,
            on_give_up: f,
        }
    }

    /// Whether the loop must read the clock when the call starts.
    #[inline]
    fn needs_clock<E>(&self) -> bool
    where
        R: EventHook<E>,
        G: EventHook<E>,
    {
        R::ACTIVE || G::ACTIVE || self.policy.get_max_elapsed().is_some()
    }

    #[inline]
    pub(crate) fn start<E, C: Clock>(&self) -> CallState<C::Instant>
    where
        R: EventHook<E>,
        G: EventHook<E>,
    {
        CallState::new::<C>(self.needs_clock::<E>())
    }

    /// The decision core, shared by every driver: after an attempt failed with `error`,
    /// returns the sleep before the next attempt, or `None` to give up (after `on_give_up`).
    /// Follows the five steps of the contract in order. Always inlined, so a constant policy
    /// folds into it; the backoff math stays out of line.
    #[inline(always)]
    pub(crate) fn decide<E, C: Clock>(
        &self,
        state: &mut CallState<C::Instant>,
        error: &E,
    ) -> Option<Duration>
    where
        W: ErrorPredicate<E>,
        U: ErrorPredicate<E>,
        H: RetryAfter<E>,
        R: EventHook<E>,
        G: EventHook<E>,
    {
        state.attempt = state.attempt.saturating_add(1);
        let attempt = state.attempt;
        let policy = self.policy;
        // 1. A permanent error.
        if self.unless.test(error) == Some(true) || self.when.test(error) == Some(false) {
            return self.give_up::<E, C>(state, error);
        }
        // 2. Attempts used up.
        if attempt >= policy.get_max_attempts() {
            return self.give_up::<E, C>(state, error);
        }
        // 3. The delay: the server's hint, else the backoff with jitter (capped inside).
        let computed = if policy.get_initial_delay().is_zero() {
            // Every backoff of a zero initial delay is zero, jitter included.
            Duration::ZERO
        } else {
            next_delay(&mut state.schedule, policy, attempt)
        };
        let delay = match self.retry_after.hint(error) {
            Some(hint) if hint > policy.get_max_delay() => {
                return self.give_up::<E, C>(state, error)
            }
            Some(hint) => hint.max(computed),
            None => computed,
        };
        // 4. The sleep would end past max_elapsed.
        let elapsed = state.elapsed::<C>();
        if let Some(limit) = policy.get_max_elapsed() {
            if elapsed.saturating_add(delay) > limit {
                return self.give_up::<E, C>(state, error);
            }
        }
        // 5. on_retry; the driver sleeps.
        if R::ACTIVE {
            self.on_retry.call(&RetryEvent {
                error,
                attempt,
                delay,
                elapsed,
                function: self.function.get(),
            });
        }
        Some(delay)
    }

    #[inline]
    fn give_up<E, C: Clock>(&self, state: &CallState<C::Instant>, error: &E) -> Option<Duration>
    where
        G: EventHook<E>,
    {
        if G::ACTIVE {
            self.on_give_up.call(&RetryEvent {
                error,
                attempt: state.attempt,
                delay: Duration::ZERO,
                elapsed: state.elapsed::<C>(),
                function: self.function.get(),
            });
        }
        None
    }

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
        W: ErrorPredicate<E>,
        U: ErrorPredicate<E>,
        H: RetryAfter<E>,
        R: EventHook<E>,
        G: EventHook<E>,
    {
        // The first attempt runs before any per-call state exists: on success nothing else
        // happens (the clock is read first only when a hook or `max_elapsed` needs it).
        let start = self.start::<E, StdClock>();
        match op() {
            Ok(v) => Ok(v),
            Err(e) => self.run_after_failure(op, start, e),
        }
    }

    /// [`run`](Self::run) consuming the retry: the drivers of the attribute and of [`retry`]
    /// build their `Retry` per call, and by value its fields are constants that only the
    /// failure path materialises.
    #[doc(hidden)]
    #[inline(always)]
    pub fn run_owned<T, E, F>(self, mut op: F) -> Result<T, E>
    where
        F: FnMut() -> Result<T, E>,
        W: ErrorPredicate<E>,
        U: ErrorPredicate<E>,
        H: RetryAfter<E>,
        R: EventHook<E>,
        G: EventHook<E>,
    {
        if self.needs_clock::<E>() {
            return self.run(op);
        }
        match op() {
            Ok(v) => Ok(v),
            Err(e) => self.run_owned_after_failure(op, e),
        }
    }

    #[inline(never)]
    fn run_owned_after_failure<T, E, F>(self, op: F, error: E) -> Result<T, E>
    where
        F: FnMut() -> Result<T, E>,
        W: ErrorPredicate<E>,
        U: ErrorPredicate<E>,
        H: RetryAfter<E>,
        R: EventHook<E>,
        G: EventHook<E>,
    {
        self.retry_loop(op, CallState::new::<StdClock>(false), error)
    }

    /// The rest of a sync call after its first failure, out of line so the success path
    /// stays a call and a branch.
    #[inline(never)]
    fn run_after_failure<T, E, F>(
        &self,
        op: F,
        state: CallState<std::time::Instant>,
        error: E,
    ) -> Result<T, E>
    where
        F: FnMut() -> Result<T, E>,
        W: ErrorPredicate<E>,
        U: ErrorPredicate<E>,
        H: RetryAfter<E>,
        R: EventHook<E>,
        G: EventHook<E>,
    {
        self.retry_loop(op, state, error)
    }

    /// Decide, sleep, try again: the sync driver's loop after a failure.
    #[inline(always)]
    fn retry_loop<T, E, F>(
        &self,
        mut op: F,
        mut state: CallState<std::time::Instant>,
        mut error: E,
    ) -> Result<T, E>
    where
        F: FnMut() -> Result<T, E>,
        W: ErrorPredicate<E>,
        U: ErrorPredicate<E>,
        H: RetryAfter<E>,
        R: EventHook<E>,
        G: EventHook<E>,
    {
        loop {
            match self.decide::<E, StdClock>(&mut state, &error) {
                None => return Err(error),
                Some(delay) => {
                    drop(error);
                    if !delay.is_zero() {
                        std::thread::sleep(delay);
                    }
                }
            }
            match op() {
                Ok(v) => return Ok(v),
                Err(e) => error = e,
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
    Retry::new(policy).run_owned(op)
}

/// The backoff math, out of line: the decision around it stays small enough to inline.
#[inline(never)]
fn next_delay(schedule: &mut Schedule, policy: &RetryPolicy, attempt: u32) -> Duration {
    Duration::from_nanos(schedule.next(policy, attempt, &mut ThreadRng))
}
