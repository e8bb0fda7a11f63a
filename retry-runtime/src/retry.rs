//! The retry loops: one decision core ([`Retry::decide`]) and two thin drivers, sync and async.

use std::time::Duration;

use crate::budget::{BudgetOption, BudgetSite, SharedBudget};
use crate::events::{GiveUp, ShowError};
use crate::policy::{RetryPolicy, Schedule};
use crate::rng::ThreadRng;
use crate::site::{FnName, Site};

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
    #[cfg_attr(not(feature = "tokio"), allow(dead_code))]
    pub(crate) fn attempts_so_far(&self) -> u32 {
        self.attempt
    }

    #[inline]
    fn elapsed<C: Clock<Instant = I>>(&self) -> Duration {
        self.known_elapsed::<C>().unwrap_or(Duration::ZERO)
    }

    /// The time since the first attempt began, if the clock was read then.
    #[inline]
    fn known_elapsed<C: Clock<Instant = I>>(&self) -> Option<Duration> {
        self.start.map(C::since)
    }
}

/// A configured retry: a policy plus the options of the attribute (`when`, `unless`,
/// `retry_after`, `on_retry`, `on_give_up`, `budget`), then [`run`](Self::run) or
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
pub struct Retry<'p, W = Unset, U = Unset, H = Unset, R = Unset, G = Unset, B = Unset, S = Unset> {
    policy: &'p RetryPolicy,
    function: FnName,
    when: W,
    unless: U,
    retry_after: H,
    on_retry: R,
    on_give_up: G,
    budget: B,
    show: S,
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
            budget: Unset,
            show: Unset,
        }
    }
}

impl<'p, W, U, H, R, G, B, S> Retry<'p, W, U, H, R, G, B, S> {
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

    /// Names the call in [`RetryEvent::function`] and in events (the attributes pass the
    /// function's name). A name alone adds no entry to [`stats`](crate::stats).
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

    /// The annotated function's site: its name (`Type::name` when `self_type`, the
    /// expansion's `core::any::type_name::<Self>`, is given) and its counters for
    /// [`stats`](crate::stats), which count only on failure paths.
    ///
    /// ```
    /// use retry_runtime::{Retry, RetryPolicy, __private::Site};
    /// static SITE: Site = Site::new("retry_site_doc");
    /// const P: RetryPolicy = RetryPolicy::fixed().max_attempts(2).initial_delay(std::time::Duration::ZERO);
    /// let r: Result<(), ()> = Retry::new(&P).site(&SITE, None).run(|| Err(()));
    /// assert!(r.is_err());
    /// assert_eq!((SITE.snapshot().retries, SITE.snapshot().give_ups), (1, 1));
    /// ```
    #[doc(hidden)]
    #[inline]
    pub const fn site(
        mut self,
        site: &'static Site,
        self_type: Option<fn() -> &'static str>,
    ) -> Self {
        self.function = FnName::Site { site, self_type };
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
    pub fn when<W2>(self, f: W2) -> Retry<'p, W2, U, H, R, G, B, S> {
        Retry {
            policy: self.policy,
            function: self.function,
            when: f,
            unless: self.unless,
            retry_after: self.retry_after,
            on_retry: self.on_retry,
            on_give_up: self.on_give_up,
            budget: self.budget,
            show: self.show,
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
    pub fn unless<U2>(self, f: U2) -> Retry<'p, W, U2, H, R, G, B, S> {
        Retry {
            policy: self.policy,
            function: self.function,
            when: self.when,
            unless: f,
            retry_after: self.retry_after,
            on_retry: self.on_retry,
            on_give_up: self.on_give_up,
            budget: self.budget,
            show: self.show,
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
    pub fn retry_after<H2>(self, f: H2) -> Retry<'p, W, U, H2, R, G, B, S> {
        Retry {
            policy: self.policy,
            function: self.function,
            when: self.when,
            unless: self.unless,
            retry_after: f,
            on_retry: self.on_retry,
            on_give_up: self.on_give_up,
            budget: self.budget,
            show: self.show,
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
    pub fn on_retry<R2>(self, f: R2) -> Retry<'p, W, U, H, R2, G, B, S> {
        Retry {
            policy: self.policy,
            function: self.function,
            when: self.when,
            unless: self.unless,
            retry_after: self.retry_after,
            on_retry: f,
            on_give_up: self.on_give_up,
            budget: self.budget,
            show: self.show,
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
    pub fn on_give_up<G2>(self, f: G2) -> Retry<'p, W, U, H, R, G2, B, S> {
        Retry {
            policy: self.policy,
            function: self.function,
            when: self.when,
            unless: self.unless,
            retry_after: self.retry_after,
            on_retry: self.on_retry,
            on_give_up: f,
            budget: self.budget,
            show: self.show,
        }
    }

    /// Draws retries from the shared retry budget `name` (created with
    /// [`RetryBudget::default()`](crate::RetryBudget) on first use, or set up with
    /// [`configure_budget`](crate::configure_budget)). Each run deposits for its first attempt;
    /// each retry withdraws a token, and a refused retry gives up at once (`on_give_up` runs
    /// and the last error is returned).
    ///
    /// The name is looked up here, in the process-wide registry (a short lock): build the
    /// `Retry` once and [`run`](Self::run) it many times where that matters. The attribute's
    /// `budget = "name"` resolves its budget once per site instead.
    ///
    /// ```
    /// use std::time::Duration;
    /// use retry_runtime::{configure_budget, Retry, RetryBudget, RetryPolicy};
    ///
    /// // No reserve and no deposits yet: the first retry is refused.
    /// configure_budget("retry-budget-doc", RetryBudget::new().min_per_sec(0));
    /// const P: RetryPolicy = RetryPolicy::fixed().max_attempts(5).initial_delay(Duration::ZERO);
    /// let mut attempts = 0;
    /// let r: Result<(), &str> = Retry::new(&P)
    ///     .budget("retry-budget-doc")
    ///     .run(|| { attempts += 1; Err("503") });
    /// assert_eq!((r, attempts), (Err("503"), 1));
    /// ```
    #[inline]
    pub fn budget(self, name: &'static str) -> Retry<'p, W, U, H, R, G, &'static SharedBudget, S> {
        self.with_budget(crate::budget::get_or_create(name))
    }

    /// Draws retries from an attribute site's budget, resolved on the site's first call.
    #[doc(hidden)]
    #[inline]
    pub fn budget_site(
        self,
        site: &'static BudgetSite,
    ) -> Retry<'p, W, U, H, R, G, &'static BudgetSite, S> {
        self.with_budget(site)
    }

    #[inline]
    fn with_budget<B2>(self, budget: B2) -> Retry<'p, W, U, H, R, G, B2, S> {
        Retry {
            policy: self.policy,
            function: self.function,
            when: self.when,
            unless: self.unless,
            retry_after: self.retry_after,
            on_retry: self.on_retry,
            on_give_up: self.on_give_up,
            budget,
            show: self.show,
        }
    }

    /// How events (with the `tracing` feature) show the error: [`ShowDisplay`](crate::ShowDisplay)
    /// or [`ShowDebug`](crate::ShowDebug). By default events carry no error, so no trait of
    /// `E` is needed; the attributes pick the best one `E` has.
    ///
    /// ```
    /// use retry_runtime::{Retry, RetryPolicy, ShowDisplay};
    /// let r: Result<(), std::io::Error> = Retry::new(&RetryPolicy::fixed().max_attempts(1))
    ///     .show_error(ShowDisplay)
    ///     .run(|| Err(std::io::Error::other("refused")));
    /// assert!(r.is_err());
    /// ```
    #[inline]
    pub fn show_error<S2>(self, show: S2) -> Retry<'p, W, U, H, R, G, B, S2> {
        Retry {
            policy: self.policy,
            function: self.function,
            when: self.when,
            unless: self.unless,
            retry_after: self.retry_after,
            on_retry: self.on_retry,
            on_give_up: self.on_give_up,
            budget: self.budget,
            show,
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

    /// The start of a call: deposits in the budget, if any (once per call, for its first
    /// attempt), and reads the clock if a hook or `max_elapsed` needs it.
    #[inline]
    pub(crate) fn start<E, C: Clock>(&self) -> CallState<C::Instant>
    where
        R: EventHook<E>,
        G: EventHook<E>,
        B: BudgetOption,
    {
        if B::ACTIVE {
            self.budget.deposit();
        }
        CallState::new::<C>(self.needs_clock::<E>())
    }

    /// The decision core, shared by every driver: after an attempt failed with `error`,
    /// returns the sleep before the next attempt, or `None` to give up (after `on_give_up`).
    /// Follows the five steps of the contract in order. Always inlined, so a constant policy
    /// folds into it; the backoff math, the budget, the counters and the events stay out of
    /// line.
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
        B: BudgetOption,
        S: ShowError<E>,
    {
        state.attempt = state.attempt.saturating_add(1);
        let attempt = state.attempt;
        let policy = self.policy;
        // 1. A permanent error.
        if self.unless.test(error) == Some(true) || self.when.test(error) == Some(false) {
            return self.give_up::<E, C>(state, error, GiveUp::Permanent);
        }
        // 2. Attempts used up.
        if attempt >= policy.get_max_attempts() {
            return self.give_up::<E, C>(state, error, GiveUp::Exhausted);
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
                return self.give_up::<E, C>(state, error, GiveUp::HintTooLong)
            }
            Some(hint) => hint.max(computed),
            None => computed,
        };
        // 4. The sleep would end past max_elapsed, or the budget refuses the retry.
        let elapsed = state.known_elapsed::<C>();
        if let Some(limit) = policy.get_max_elapsed() {
            if elapsed.unwrap_or(Duration::ZERO).saturating_add(delay) > limit {
                return self.give_up::<E, C>(state, error, GiveUp::MaxElapsed);
            }
        }
        if B::ACTIVE && !self.budget.try_withdraw() {
            self.function.count_budget_refusal();
            return self.give_up::<E, C>(state, error, GiveUp::Budget);
        }
        // 5. on_retry; the driver sleeps.
        self.function.count_retry();
        #[cfg(feature = "tracing")]
        crate::events::retrying(
            &self.show,
            self.function.get(),
            error,
            attempt,
            delay,
            elapsed,
        );
        if R::ACTIVE {
            self.on_retry.call(&RetryEvent {
                error,
                attempt,
                delay,
                elapsed: elapsed.unwrap_or(Duration::ZERO),
                function: self.function.get(),
            });
        }
        Some(delay)
    }

    #[inline]
    fn give_up<E, C: Clock>(
        &self,
        state: &CallState<C::Instant>,
        error: &E,
        reason: GiveUp,
    ) -> Option<Duration>
    where
        G: EventHook<E>,
        S: ShowError<E>,
    {
        self.function.count_give_up();
        #[cfg(feature = "tracing")]
        crate::events::giving_up(
            &self.show,
            self.function.get(),
            error,
            state.attempt,
            state.known_elapsed::<C>(),
            reason,
        );
        #[cfg(not(feature = "tracing"))]
        let _ = reason;
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
        B: BudgetOption,
        S: ShowError<E>,
    {
        // The first attempt runs before any per-call state exists: on success nothing else
        // happens (the clock is read first only when a hook or `max_elapsed` needs it; a
        // budget takes its deposit, one atomic add).
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
        B: BudgetOption,
        S: ShowError<E>,
    {
        if self.needs_clock::<E>() {
            return self.run(op);
        }
        if B::ACTIVE {
            self.budget.deposit();
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
        B: BudgetOption,
        S: ShowError<E>,
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
        B: BudgetOption,
        S: ShowError<E>,
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
        B: BudgetOption,
        S: ShowError<E>,
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
