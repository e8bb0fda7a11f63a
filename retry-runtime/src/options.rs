//! The ground floor: the option and hook types every other module builds on.
//!
//! [`Unset`] stands for an option not given and costs nothing; the traits here
//! ([`ErrorPredicate`], [`RetryAfter`], [`EventHook`], [`FallbackHook`], [`ShowError`],
//! [`BudgetOption`], [`Pass`]) are implemented by closures of the right shape and by [`Unset`]. The
//! events hooks receive ([`RetryEvent`], [`FallbackEvent`]) live here too. The breaker option
//! ([`Retry::breaker`](crate::Retry::breaker)) names the breaker, so its type lives above, in
//! the retry module; here is only what the loops ask of it.
//!
//! A [`Retry`](crate::Retry) carries its options as one type bound by [`RetryOptions`]: [`Unset`]
//! (none), or options layered one over another with [`With`] by its setters, the last set
//! winning. Adding an option is a default method on [`RetryOptions`], one line in [`With`]'s
//! impl, a small type implementing the method, and a setter.

use std::fmt;
use std::time::Duration;

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
    /// [`Retry::function`](crate::Retry::function).
    pub function: &'static str,
}

impl<E> Clone for RetryEvent<'_, E> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<E> Copy for RetryEvent<'_, E> {}

/// The placeholder for an option of [`Retry`](crate::Retry) that was not given: it costs nothing.
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

/// How a retry shows its error in events: [`ShowDisplay`], [`ShowDebug`], or [`Unset`] (the
/// default: events carry no error field). The attributes pick the best one `E` allows, so they
/// ask no trait of `E` themselves; with [`Retry`](crate::Retry), pass one to
/// [`Retry::show_error`](crate::Retry::show_error).
///
/// ```
/// use std::fmt;
/// use retry_runtime::{ShowDebug, ShowDisplay, ShowError};
///
/// struct Shown<'a, S>(&'a S, &'a std::io::Error);
/// impl<S: ShowError<std::io::Error>> fmt::Display for Shown<'_, S> {
///     fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result { self.0.show(self.1, f) }
/// }
/// let e = std::io::Error::other("boom");
/// assert_eq!(Shown(&ShowDisplay, &e).to_string(), "boom");
/// assert!(Shown(&ShowDebug, &e).to_string().contains("Other"));
/// ```
pub trait ShowError<E> {
    /// Whether events show the error at all (false for [`Unset`]).
    const ACTIVE: bool;
    /// Writes `error`.
    fn show(&self, error: &E, f: &mut fmt::Formatter<'_>) -> fmt::Result;
}

impl<E> ShowError<E> for Unset {
    const ACTIVE: bool = false;
    #[inline(always)]
    fn show(&self, _: &E, _: &mut fmt::Formatter<'_>) -> fmt::Result {
        Ok(())
    }
}

/// Shows an error with its `Display`.
///
/// ```
/// use retry_runtime::{Retry, RetryPolicy, ShowDisplay};
/// let r: Result<(), String> = Retry::new(&RetryPolicy::fixed().max_attempts(1))
///     .show_error(ShowDisplay)
///     .run(|| Err("boom".to_string()));
/// assert!(r.is_err());
/// ```
#[derive(Clone, Copy, Debug, Default)]
pub struct ShowDisplay;

impl<E: fmt::Display> ShowError<E> for ShowDisplay {
    const ACTIVE: bool = true;
    #[inline]
    fn show(&self, error: &E, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(error, f)
    }
}

/// Shows an error with its `Debug`.
///
/// ```
/// use retry_runtime::{Retry, RetryPolicy, ShowDebug};
/// #[derive(Debug)]
/// struct Busy;
/// let r: Result<(), Busy> = Retry::new(&RetryPolicy::fixed().max_attempts(1))
///     .show_error(ShowDebug)
///     .run(|| Err(Busy));
/// assert!(r.is_err());
/// ```
#[derive(Clone, Copy, Debug, Default)]
pub struct ShowDebug;

impl<E: fmt::Debug> ShowError<E> for ShowDebug {
    const ACTIVE: bool = true;
    #[inline]
    fn show(&self, error: &E, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(error, f)
    }
}

/// What `on_fallback` receives when a call switches to its next target.
///
/// `from` is the function (or target) that just failed with `error`, `to` the target about to
/// be called. For an attribute, names end with the function's name, with `Type::` for methods
/// (`Provider::chat`); for a [`Fallback`](crate::Fallback) chain, they are the names its list
/// gives, so they borrow from the event (copy them with `to_owned` to keep them).
///
/// ```
/// use retry_runtime::FallbackEvent;
///
/// let error = "503";
/// let event = FallbackEvent { error: &error, from: "Provider::chat", to: "Provider::backup" };
/// assert_eq!(format!("{} -> {}: {}", event.from, event.to, event.error), "Provider::chat -> Provider::backup: 503");
/// ```
#[derive(Debug)]
pub struct FallbackEvent<'a, E> {
    /// The error that made the call switch.
    pub error: &'a E,
    /// The function or target that failed.
    pub from: &'a str,
    /// The target called next.
    pub to: &'a str,
}

impl<E> Clone for FallbackEvent<'_, E> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<E> Copy for FallbackEvent<'_, E> {}

/// A hook called with a [`FallbackEvent`] (`on_fallback`): implemented for every
/// `Fn(&FallbackEvent<'_, E>)` and for [`Unset`].
pub trait FallbackHook<E> {
    /// Calls the hook.
    fn call(&self, event: &FallbackEvent<'_, E>);
}

impl<E> FallbackHook<E> for Unset {
    #[inline(always)]
    fn call(&self, _: &FallbackEvent<'_, E>) {}
}

impl<E, F: Fn(&FallbackEvent<'_, E>)> FallbackHook<E> for F {
    #[inline]
    fn call(&self, event: &FallbackEvent<'_, E>) {
        self(event)
    }
}
/// An attempt the layers below a retry admitted ([`Retry::breaker`](crate::Retry::breaker)):
/// it takes the attempt's result for its verdict. [`Unset`] when there are none.
pub trait Pass<E> {
    /// Gives the verdict on `result` (success, failure) and returns it unchanged.
    fn settle<T>(self, result: Result<T, E>) -> Result<T, E>;
}

impl<E> Pass<E> for Unset {
    #[inline(always)]
    fn settle<T>(self, result: Result<T, E>) -> Result<T, E> {
        result
    }
}

/// The pass of one option of a [`With`] pair: the option's own, or the one of the options
/// below it.
#[derive(Debug)]
pub enum EitherPass<A, B> {
    /// The pass of the option set last.
    Own(A),
    /// The pass of the options below it.
    Below(B),
}

impl<E, A: Pass<E>, B: Pass<E>> Pass<E> for EitherPass<A, B> {
    #[inline(always)]
    fn settle<T>(self, result: Result<T, E>) -> Result<T, E> {
        match self {
            EitherPass::Own(pass) => pass.settle(result),
            EitherPass::Below(pass) => pass.settle(result),
        }
    }
}

/// The retry budget option of [`Retry`](crate::Retry): [`Unset`] (no budget, no cost), a
/// [`SharedBudget`](crate::SharedBudget) from [`Retry::budget`](crate::Retry::budget), or an attribute site's cache.
pub trait BudgetOption {
    /// Whether there is a budget at all (false for [`Unset`]).
    const ACTIVE: bool;
    /// Records a first attempt.
    fn deposit(&self);
    /// Takes a token for a retry; `false` refuses the retry.
    fn try_withdraw(&self) -> bool;
    /// Gives back the token of the last withdrawal, whose retry did not run (its `on_retry`
    /// hook panicked).
    fn refund(&self) {}
}

impl BudgetOption for Unset {
    const ACTIVE: bool = false;
    #[inline(always)]
    fn deposit(&self) {}
    #[inline(always)]
    fn try_withdraw(&self) -> bool {
        true
    }
}

/// The [`RetryOptions::Pass`] and [`RetryOptions::admit`] of every option but the breaker:
/// each attempt is admitted, and nothing is held while it runs. (Associated types have no
/// defaults on stable Rust, so each option says it in this one line.)
macro_rules! admits_every_attempt {
    () => {
        type Pass = $crate::options::Unset;
        #[inline(always)]
        fn admit(&self) -> Result<$crate::options::Unset, E> {
            Ok($crate::options::Unset)
        }
    };
}
pub(crate) use admits_every_attempt;

/// All the options of a [`Retry`](crate::Retry), as one bound: each method answers for one
/// option, and its default is "not given". Implemented by [`Unset`] (no options), by each
/// option type ([`When`], [`Unless`], [`Hint`], [`OnRetry`], [`OnGiveUp`], [`Budget`],
/// [`Show`], and the breaker's [`ThroughBreaker`](crate::ThroughBreaker)), which answers for
/// its own option only, and by [`With`], which stacks one option over the others.
///
/// ```
/// use retry_runtime::options::RetryOptions;
/// use retry_runtime::{Retry, RetryPolicy};
///
/// fn counts_429<O: RetryOptions<u16>>(retry: &Retry<'_, O>) -> bool {
///     retry.options().when(&429) != Some(false)
/// }
/// const P: RetryPolicy = RetryPolicy::fixed();
/// assert!(counts_429(&Retry::new(&P)));
/// assert!(!counts_429(&Retry::new(&P).when(|e: &u16| *e >= 500)));
/// ```
pub trait RetryOptions<E> {
    /// Whether `on_retry` is set: the loop reads the clock only for hooks that are.
    const ON_RETRY: bool = false;
    /// Whether `on_give_up` is set.
    const ON_GIVE_UP: bool = false;
    /// Whether a retry budget is set.
    const BUDGET: bool = false;
    /// Whether events show the error.
    const SHOWS_ERROR: bool = false;
    /// Whether each attempt runs through a breaker ([`Retry::breaker`](crate::Retry::breaker)).
    const GATED: bool = false;
    /// What an attempt the breaker admitted holds while it runs: [`Unset`] for every option but
    /// the breaker. (A named type, not an `impl Trait`, so an async call's future is `Send`
    /// whenever it holds only `Send` things.)
    type Pass: Pass<E>;

    /// `when`: `Some(false)` makes `error` permanent; `None` when not given.
    #[inline(always)]
    fn when(&self, error: &E) -> Option<bool> {
        let _ = error;
        None
    }
    /// `unless`: `Some(true)` makes `error` permanent; `None` when not given.
    #[inline(always)]
    fn unless(&self, error: &E) -> Option<bool> {
        let _ = error;
        None
    }
    /// `retry_after`: the server's hinted wait for `error`.
    #[inline(always)]
    fn retry_after(&self, error: &E) -> Option<Duration> {
        let _ = error;
        None
    }
    /// `on_retry`, before each sleep.
    #[inline(always)]
    fn on_retry(&self, event: &RetryEvent<'_, E>) {
        let _ = event;
    }
    /// `on_give_up`, once, when the last error is about to be returned.
    #[inline(always)]
    fn on_give_up(&self, event: &RetryEvent<'_, E>) {
        let _ = event;
    }
    /// `breaker`: admits one attempt, with a [`Pass`] that takes its result, or rejects it with
    /// the error to return (then the retry ends at once).
    fn admit(&self) -> Result<Self::Pass, E>;
    /// Whether the layers below the retry (a breaker in the same stack) rejected the attempt
    /// that just failed: then it never ran, deposits nothing and ends the retry at once.
    #[inline(always)]
    fn rejected_below(&self) -> bool {
        false
    }
    /// How much longer a breaker below the retry stays open after the attempt that just
    /// failed (`None`: not open, or no breaker). A next attempt within that time would be
    /// rejected, so the retry gives up instead of sleeping into it.
    #[inline(always)]
    fn open_below(&self) -> Option<Duration> {
        None
    }
    /// Records a call's first attempt in the budget, once the layers below admitted it.
    #[inline(always)]
    fn deposit(&self) {}
    /// Takes a token for a retry from the budget; `false` refuses the retry.
    #[inline(always)]
    fn try_withdraw(&self) -> bool {
        true
    }
    /// Gives back the token of the last withdrawal (its retry did not run).
    #[inline(always)]
    fn refund(&self) {}
    /// Writes `error` for events.
    #[inline(always)]
    fn show_error(&self, error: &E, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let _ = (error, f);
        Ok(())
    }
}

impl<E> RetryOptions<E> for Unset {
    admits_every_attempt!();
}

/// One option (`K`) set over the options set before it (`O`): `K` answers for its own
/// option, `O` for the rest. A second `when` over a first one replaces it; a predicate or hint
/// that answers `None` (not given) leaves the answer to the options below.
#[derive(Clone, Copy, Debug)]
pub struct With<O, K> {
    below: O,
    option: K,
}

impl<O, K> With<O, K> {
    /// `option` over `below`.
    #[inline(always)]
    pub const fn new(below: O, option: K) -> Self {
        With { below, option }
    }
}

impl<E, O: RetryOptions<E>, K: RetryOptions<E>> RetryOptions<E> for With<O, K> {
    const ON_RETRY: bool = K::ON_RETRY || O::ON_RETRY;
    const ON_GIVE_UP: bool = K::ON_GIVE_UP || O::ON_GIVE_UP;
    const BUDGET: bool = K::BUDGET || O::BUDGET;
    const SHOWS_ERROR: bool = K::SHOWS_ERROR || O::SHOWS_ERROR;
    const GATED: bool = K::GATED || O::GATED;
    type Pass = EitherPass<K::Pass, O::Pass>;

    #[inline(always)]
    fn when(&self, error: &E) -> Option<bool> {
        self.option.when(error).or_else(|| self.below.when(error))
    }
    #[inline(always)]
    fn unless(&self, error: &E) -> Option<bool> {
        self.option
            .unless(error)
            .or_else(|| self.below.unless(error))
    }
    #[inline(always)]
    fn retry_after(&self, error: &E) -> Option<Duration> {
        self.option
            .retry_after(error)
            .or_else(|| self.below.retry_after(error))
    }
    #[inline(always)]
    fn on_retry(&self, event: &RetryEvent<'_, E>) {
        if K::ON_RETRY {
            self.option.on_retry(event)
        } else {
            self.below.on_retry(event)
        }
    }
    #[inline(always)]
    fn on_give_up(&self, event: &RetryEvent<'_, E>) {
        if K::ON_GIVE_UP {
            self.option.on_give_up(event)
        } else {
            self.below.on_give_up(event)
        }
    }
    #[inline(always)]
    fn admit(&self) -> Result<Self::Pass, E> {
        if K::GATED {
            self.option.admit().map(EitherPass::Own)
        } else {
            self.below.admit().map(EitherPass::Below)
        }
    }
    #[inline(always)]
    fn rejected_below(&self) -> bool {
        self.option.rejected_below() || self.below.rejected_below()
    }
    #[inline(always)]
    fn open_below(&self) -> Option<Duration> {
        self.option.open_below().or_else(|| self.below.open_below())
    }
    #[inline(always)]
    fn deposit(&self) {
        if K::BUDGET {
            self.option.deposit()
        } else {
            self.below.deposit()
        }
    }
    #[inline(always)]
    fn try_withdraw(&self) -> bool {
        if K::BUDGET {
            self.option.try_withdraw()
        } else {
            self.below.try_withdraw()
        }
    }
    #[inline(always)]
    fn refund(&self) {
        if K::BUDGET {
            self.option.refund()
        } else {
            self.below.refund()
        }
    }
    #[inline(always)]
    fn show_error(&self, error: &E, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if K::SHOWS_ERROR {
            self.option.show_error(error, f)
        } else {
            self.below.show_error(error, f)
        }
    }
}

/// The `when` option: retries only errors for which the predicate is true.
#[derive(Clone, Copy, Debug)]
pub struct When<P>(pub P);

impl<E, P: ErrorPredicate<E>> RetryOptions<E> for When<P> {
    admits_every_attempt!();
    #[inline(always)]
    fn when(&self, error: &E) -> Option<bool> {
        self.0.test(error)
    }
}

/// The `unless` option: never retries errors for which the predicate is true.
#[derive(Clone, Copy, Debug)]
pub struct Unless<P>(pub P);

impl<E, P: ErrorPredicate<E>> RetryOptions<E> for Unless<P> {
    admits_every_attempt!();
    #[inline(always)]
    fn unless(&self, error: &E) -> Option<bool> {
        self.0.test(error)
    }
}

/// The `retry_after` option: a server's hinted wait.
#[derive(Clone, Copy, Debug)]
pub struct Hint<H>(pub H);

impl<E, H: RetryAfter<E>> RetryOptions<E> for Hint<H> {
    admits_every_attempt!();
    #[inline(always)]
    fn retry_after(&self, error: &E) -> Option<Duration> {
        self.0.hint(error)
    }
}

/// The `on_retry` option.
#[derive(Clone, Copy, Debug)]
pub struct OnRetry<F>(pub F);

impl<E, F: EventHook<E>> RetryOptions<E> for OnRetry<F> {
    admits_every_attempt!();
    const ON_RETRY: bool = F::ACTIVE;
    #[inline(always)]
    fn on_retry(&self, event: &RetryEvent<'_, E>) {
        self.0.call(event)
    }
}

/// The `on_give_up` option.
#[derive(Clone, Copy, Debug)]
pub struct OnGiveUp<F>(pub F);

impl<E, F: EventHook<E>> RetryOptions<E> for OnGiveUp<F> {
    admits_every_attempt!();
    const ON_GIVE_UP: bool = F::ACTIVE;
    #[inline(always)]
    fn on_give_up(&self, event: &RetryEvent<'_, E>) {
        self.0.call(event)
    }
}

/// The `budget` option: a [`BudgetOption`].
#[derive(Clone, Copy, Debug)]
pub struct Budget<B>(pub B);

impl<E, B: BudgetOption> RetryOptions<E> for Budget<B> {
    admits_every_attempt!();
    const BUDGET: bool = B::ACTIVE;
    #[inline(always)]
    fn deposit(&self) {
        self.0.deposit()
    }
    #[inline(always)]
    fn try_withdraw(&self) -> bool {
        self.0.try_withdraw()
    }
    #[inline(always)]
    fn refund(&self) {
        self.0.refund()
    }
}

/// How events show the error: a [`ShowError`].
#[derive(Clone, Copy, Debug)]
pub struct Show<S>(pub S);

impl<E, S: ShowError<E>> RetryOptions<E> for Show<S> {
    admits_every_attempt!();
    const SHOWS_ERROR: bool = S::ACTIVE;
    #[inline(always)]
    fn show_error(&self, error: &E, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.show(error, f)
    }
}
