//! Everything the attributes' expansions name, and two test hooks: `retry_runtime::__private`.
//! Not a public API; it changes with any release of the macros, which are pinned to this
//! crate's exact version. The expansions reach public types only through their public API,
//! and everything else through the functions and helper traits here: the return-type marker
//! that types the user's closures, the checks whose messages name the fix (`IsResult`,
//! `FromCircuitOpen`, `BreakerKey`, `SameResult`, `FallbackArg`), the retry's construction at
//! a site, the one async retry loop, the breaker's verdict, a keyed breaker's lookup by its key
//! and the fallback's switch. Besides them, for tests only, the two hidden items no expansion
//! names: `probe` (debug builds only), the current thread's counts of the retry loops' clock
//! reads and random draws, and `classify_llm_at`, `classify::llm::classify` against a fixed
//! "now" (for the fixtures).

use core::cell::Cell;

#[cfg(feature = "tokio")]
pub use crate::__retry_async_loop as retry_async_loop;
pub use crate::breaker::{BreakerSite, KeyedHandle, KeyedSite, LastKey};
pub use crate::budget::BudgetSite;
pub use crate::env::{EnvNames, EnvSite};
#[cfg(feature = "tokio")]
pub use crate::hedge::{hedge, Racers};
pub use crate::limit::{ConcurrencyLimitSite, RateLimitSite};
#[cfg(debug_assertions)]
pub use crate::probe::{probe, Probe};
#[cfg(feature = "tokio")]
pub use crate::retry::{pause, AsyncState, Pause};
pub use crate::site::Site;
pub use core::option::Option;
pub use core::result::Result;
pub use core::time::Duration;
pub use std::thread_local;

use crate::breaker::{CircuitOpen, Permit};
use crate::options::{
    admits_every_attempt, Budget, ErrorPredicate, FallbackEvent, FallbackHook, RetryOptions,
    ShowError, With,
};
use crate::policy::RetryPolicy;
use crate::retry::Retry;
use crate::site::SelfType;

/// For tests only: [`classify::llm::classify`](crate::classify::llm::classify) with the dates
/// of headers read against `now` instead of the clock, so a fixture's
/// `anthropic-ratelimit-*-reset` instant or `Retry-After` date gives the same wait every run.
///
/// ```
/// use std::time::{Duration, UNIX_EPOCH};
/// use retry_runtime::__private::classify_llm_at;
/// let now = UNIX_EPOCH + Duration::from_secs(1_714_564_800); // 2024-05-01T12:00:00Z
/// let v = classify_llm_at(429, [("anthropic-ratelimit-requests-reset", "2024-05-01T12:00:07Z")], "", now);
/// assert_eq!(v.wait, Some(Duration::from_secs(7)));
/// ```
pub fn classify_llm_at<H: crate::classify::llm::Headers>(
    status: u16,
    headers: H,
    body: &str,
    now: std::time::SystemTime,
) -> crate::classify::llm::Verdict {
    crate::classify::llm::classify_at(status, headers, body, now)
}

/// The events the attributes emit themselves (with the `tracing` feature).
pub mod events {
    pub use crate::events::fallback;
}

/// Ties closures given to the attributes to the annotated function's return type, so their
/// arguments need no annotation (`when = |e| e.is_transient()`). The expansion unifies `R`
/// with the return type through an unreachable `return marker.value()`.
pub struct Marker<R>(core::marker::PhantomData<fn() -> R>);

// Copied by value (`tie`), so a future never holds a reference to it across an `.await`.
impl<R> Clone for Marker<R> {
    #[inline(always)]
    fn clone(&self) -> Self {
        *self
    }
}
impl<R> Copy for Marker<R> {}

impl<R> Marker<R> {
    /// A new marker; its `R` is inferred from the fake return edge.
    #[inline(always)]
    #[allow(clippy::new_without_default)]
    pub const fn new() -> Self {
        Marker(core::marker::PhantomData)
    }

    /// Never called: only its type matters (`if false { return marker.value(); }`).
    #[allow(clippy::missing_panics_doc)]
    pub fn value(&self) -> R {
        unreachable!("the retry attribute's type marker is never evaluated")
    }
}

/// Fails to compile, with a message written for this library, unless the annotated
/// function returns a `Result` (or an alias of one); the expansion places the call at the
/// function's return type. Gives the marker every layer types its code with, spelled
/// `Result<T, E>`: the same type as the return type's (an alias normalizes to it), and, when
/// the return type is not a result, one whose parts are unknown, so the layers' code reports
/// nothing more than this one error.
#[inline(always)]
pub fn check_result<R: IsResult>(_: &Marker<R>) -> Marker<Result<R::Ok, R::Err>> {
    Marker::new()
}

/// Implemented by `Result<T, E>` only: the attributes need a function returning a result.
#[diagnostic::on_unimplemented(
    message = "the retry attributes need a function that returns `Result<T, E>`, and `{Self}` is not a `Result`",
    label = "not a `Result`",
    note = "an alias of `Result` (`io::Result<T>`, `anyhow::Result<T>`) works too"
)]
pub trait IsResult {
    /// The success type, `T`.
    type Ok;
    /// The error type, `E`.
    type Err;
    /// Itself, spelled `Result<T, E>`.
    fn into_result(self) -> Result<Self::Ok, Self::Err>;
    /// Back from `Result<T, E>`.
    fn from_result(result: Result<Self::Ok, Self::Err>) -> Self;
}
impl<T, E> IsResult for Result<T, E> {
    type Ok = T;
    type Err = E;
    #[inline(always)]
    fn into_result(self) -> Self {
        self
    }
    #[inline(always)]
    fn from_result(result: Self) -> Self {
        result
    }
}

/// The user's body's result (the function's return type `R`), as the layers' `Result<T, E>`:
/// the same value. Placed at the return type, so a return type that is not a result is
/// reported there once, with [`check_result`]'s error.
#[inline(always)]
pub fn into_result<R: IsResult>(result: R) -> Result<R::Ok, R::Err> {
    result.into_result()
}

/// A sync attempt returning the function's return type `R`, as one returning the layers'
/// `Result<T, E>` (the user's body stays the closure's own body, so `?`, `return` and moves
/// out of arguments read as without the attribute).
#[inline(always)]
pub fn attempt_result<R: IsResult, F: FnMut() -> R>(
    mut attempt: F,
) -> impl FnMut() -> Result<R::Ok, R::Err> {
    move || attempt().into_result()
}

/// The layers' result back as the function's return type: the same value.
#[inline(always)]
pub fn from_result<R: IsResult>(_: &Marker<R>, result: Result<R::Ok, R::Err>) -> R {
    R::from_result(result)
}

impl<T, E> Marker<Result<T, E>> {
    /// Types an error predicate (`when`, `unless`). The result is opaque, typed by the
    /// function's error alone: a closure of the wrong type is reported here and does not drive
    /// the error type of the rest of the expansion.
    #[inline(always)]
    pub fn predicate<F: Fn(&E) -> bool>(&self, f: F) -> impl Fn(&E) -> bool {
        f
    }

    /// Types a `retry_after` hint.
    #[inline(always)]
    pub fn hint<F: Fn(&E) -> Option<Duration>>(&self, f: F) -> F {
        f
    }

    /// Types a `timeout_error`: builds the error of a timed-out attempt.
    #[inline(always)]
    pub fn timeout_error<F: Fn(crate::AttemptTimedOut) -> E>(&self, f: F) -> F {
        f
    }

    /// Types a `validate`: judges an attempt's `Ok` value.
    #[inline(always)]
    pub fn validator<F: Fn(&T) -> Result<(), E>>(&self, f: F) -> F {
        f
    }

    /// Types an `on_retry` / `on_give_up` hook.
    #[inline(always)]
    pub fn event_hook<F: Fn(&crate::options::RetryEvent<'_, E>)>(&self, f: F) -> F {
        f
    }
}

impl<R> Marker<R> {
    /// Runs a sync body once, its closure typed by the function's return type.
    #[inline(always)]
    pub fn call<F: FnOnce() -> R>(&self, f: F) -> R {
        f()
    }

    /// Types a result (an awaited body, a layer's expression) by the function's return type.
    /// The marker is taken by value: a reference evaluated before an expression that awaits
    /// would be held across the `.await`, in the future.
    #[inline(always)]
    pub fn tie(self, result: R) -> R {
        result
    }

    /// Types a sync attempt by the function's return type before its body is checked, so the
    /// body's `Ok(&self.name)` coerces to `Result<&str, E>` as it would without the attribute.
    #[inline(always)]
    pub fn attempt<F: FnMut() -> R>(&self, f: F) -> F {
        f
    }

    /// A fallback target's result, which must have the function's return type.
    #[inline(always)]
    pub fn fallback_result<X: SameResult<R>>(&self, result: X) -> R {
        result.same()
    }
}

impl<T, E> Marker<Result<T, E>> {
    /// Types an `open_error` closure: it builds the error of a call an open circuit rejected.
    /// The result is opaque, so a function of the wrong type is reported here, once, and not
    /// again where it is called.
    #[inline(always)]
    pub fn open_error<F: Fn(CircuitOpen) -> E>(&self, f: F) -> impl Fn(CircuitOpen) -> E {
        f
    }

    /// Types a `limited_error`: builds the error of a call a limiter refused. Opaque, so a
    /// closure of the wrong type is reported here only.
    #[inline(always)]
    pub fn limited_error<F: Fn(crate::RateLimited) -> E>(
        &self,
        f: F,
    ) -> impl Fn(crate::RateLimited) -> E {
        f
    }

    /// Types a `pause_on`: how long a rate limiter admits nothing after an error.
    #[inline(always)]
    pub fn pause_on<F: Fn(&E) -> Option<Duration>>(&self, f: F) -> F {
        f
    }

    /// Types an `on_fallback` hook.
    #[inline(always)]
    pub fn fallback_hook<F: Fn(&FallbackEvent<'_, E>)>(&self, f: F) -> F {
        f
    }
}

#[diagnostic::on_unimplemented(
    message = "a fallback target must return `{R}`, as the annotated function does, and this one returns `{Self}`",
    label = "returns `{Self}`, expected `{R}`",
    note = "each target is called with the annotated function's arguments and must return its type"
)]
/// A fallback target's result type, which must be the function's.
pub trait SameResult<R> {
    /// The result itself.
    fn same(self) -> R;
}
impl<R> SameResult<R> for R {
    #[inline(always)]
    fn same(self) -> R {
        self
    }
}

/// A fallback target called with the annotated function's arguments `Args` (a tuple of their
/// types as declared, receiver first), returning `O`. The expansion calls every target through
/// it, so a target whose parameters differ is one error at the target, with both signatures
/// written out.
#[diagnostic::on_unimplemented(
    message = "this fallback target must take the annotated function's arguments `{Args}`, but it is `{Self}`",
    label = "must take `{Args}`",
    note = "each target is called with exactly the annotated function's arguments, receiver first (`to = Self::backup` for a method), and must return its type"
)]
pub trait FallbackTarget<Args, O> {
    /// Calls the target with `args`.
    fn call_with(self, args: Args) -> O;
}

/// Calls a fallback target with the annotated function's arguments (one obligation, at the
/// target).
#[inline(always)]
pub fn call_target<A, O, F: FallbackTarget<A, O>>(target: F, args: A) -> O {
    target.call_with(args)
}

macro_rules! fallback_target {
    ($($arg:ident)*) => {
        impl<F, O, $($arg),*> FallbackTarget<($($arg,)*), O> for F
        where
            F: FnOnce($($arg),*) -> O,
        {
            #[inline(always)]
            #[allow(non_snake_case)]
            fn call_with(self, ($($arg,)*): ($($arg,)*)) -> O {
                self($($arg),*)
            }
        }
    };
}
fallback_target!();
fallback_target!(A1);
fallback_target!(A1 A2);
fallback_target!(A1 A2 A3);
fallback_target!(A1 A2 A3 A4);
fallback_target!(A1 A2 A3 A4 A5);
fallback_target!(A1 A2 A3 A4 A5 A6);
fallback_target!(A1 A2 A3 A4 A5 A6 A7);
fallback_target!(A1 A2 A3 A4 A5 A6 A7 A8);
fallback_target!(A1 A2 A3 A4 A5 A6 A7 A8 A9);
fallback_target!(A1 A2 A3 A4 A5 A6 A7 A8 A9 A10);
fallback_target!(A1 A2 A3 A4 A5 A6 A7 A8 A9 A10 A11);
fallback_target!(A1 A2 A3 A4 A5 A6 A7 A8 A9 A10 A11 A12);

#[diagnostic::on_unimplemented(
    message = "`#[fallback]` hands this argument to more than one target, so `{Self}` must implement `Clone`",
    label = "cloned for every target but the last",
    note = "pass it by reference, or implement `Clone` for it"
)]
/// An owned argument handed to several fallback targets.
pub trait FallbackArg: Clone {}
#[diagnostic::do_not_recommend]
impl<T: Clone> FallbackArg for T {}

/// An owned argument for a fallback target that is not the last to run.
#[inline]
pub fn clone_arg<T: FallbackArg>(arg: &T) -> T {
    arg.clone()
}

#[diagnostic::on_unimplemented(
    message = "`#[circuit_breaker]` needs `{Self}: From<retry_runtime::CircuitOpen>`: a call rejected by an open circuit must become an error of this type",
    label = "a rejected call cannot become `{Self}`",
    note = "add a variant, e.g. with thiserror: `#[error(transparent)] CircuitOpen(#[from] retry_runtime::CircuitOpen)`",
    note = "or build the error yourself: `open_error = |open| MyError::Unavailable(open.to_string())`"
)]
/// An error type a rejected call can be turned into: one with `From<CircuitOpen>`. The
/// expansion calls [`FromCircuitOpen::from_open`] by path, at the breaker's name, so a missing
/// `From` is reported there with this trait's message alone (the blanket impl is not
/// recommended, so no note names this trait's path or the bound's).
pub trait FromCircuitOpen: Sized {
    /// The error of a call an open circuit rejected.
    fn from_open(open: CircuitOpen) -> Self;
}
#[diagnostic::do_not_recommend]
impl<E: From<CircuitOpen>> FromCircuitOpen for E {
    #[cold]
    fn from_open(open: CircuitOpen) -> Self {
        E::from(open)
    }
}

#[diagnostic::on_unimplemented(
    message = "a breaker's `key` must implement `Display`, and `{Self}` does not: each key names its breaker `name[<key>]`",
    label = "not `Display`",
    note = "key by something that shows as text: a string, a number, or a type that implements `Display`"
)]
/// A value a keyed breaker can be keyed by: anything `Display`. The expansion borrows the key
/// through [`BreakerKey::as_key`], called by path at the key expression, so a key of another
/// type is reported there, once.
pub trait BreakerKey {
    /// The key itself.
    #[inline(always)]
    fn as_key(&self) -> &Self {
        self
    }
}
#[diagnostic::do_not_recommend]
impl<K: core::fmt::Display + ?Sized> BreakerKey for K {}

/// A keyed site's key, borrowed, for [`keyed`]'s choice of how to read it.
pub struct KeyArg<'a, K: ?Sized>(pub &'a K);

/// Finds a keyed breaker by its key, choosing by autoref specialization at the expansion site
/// (where the key's type is known) how to read the key: a string as it is, with no copy
/// ([`keyed::ViaStr`]); any other `Display` value written into a buffer on the stack
/// ([`keyed::ViaDisplay`]). A key that is not `Display` gets [`keyed::ViaNothing`], whose call
/// is never compiled into a program: [`BreakerKey::as_key`] fails the build first. Bring
/// the traits into scope with `use ...::keyed::*` and call
/// `(&&&KeyArg(&key)).keyed_breaker(&SITE, &LAST, &CONFIG)`, `LAST` the site's `LastKey`.
///
/// ```
/// use retry_runtime::__private::{keyed::*, KeyArg, KeyedSite, LastKey};
/// use retry_runtime::{BreakerConfig, CircuitBreaker};
///
/// static SITE: KeyedSite = KeyedSite::new("docs_private_keyed", 16, None);
/// thread_local! { static LAST: LastKey = const { LastKey::new() }; }
/// let config = BreakerConfig::new();
/// let by_str = (&&&KeyArg(&"a")).keyed_breaker(&SITE, &LAST, &config);
/// let by_string = (&&&KeyArg(&String::from("a"))).keyed_breaker(&SITE, &LAST, &config);
/// let by_char = (&&&KeyArg(&'a')).keyed_breaker(&SITE, &LAST, &config);
/// let (a, b, c): (&CircuitBreaker, &CircuitBreaker, &CircuitBreaker) = (&by_str, &by_string, &by_char);
/// assert!(std::ptr::eq(a, b) && std::ptr::eq(a, c));
/// assert_eq!(by_str.name(), "docs_private_keyed[a]");
/// ```
pub mod keyed {
    use std::borrow::Cow;
    use std::fmt::Display;
    use std::rc::Rc;
    use std::sync::Arc;

    use std::thread::LocalKey;

    use super::KeyArg;
    use crate::breaker::{BreakerConfig, KeyedHandle, KeyedSite, LastKey};

    /// A key whose `Display` is exactly a string it holds: used as it is.
    pub trait StrKey {
        /// The string.
        fn key_str(&self) -> &str;
    }
    impl StrKey for str {
        #[inline(always)]
        fn key_str(&self) -> &str {
            self
        }
    }
    impl StrKey for String {
        #[inline(always)]
        fn key_str(&self) -> &str {
            self
        }
    }
    impl StrKey for Box<str> {
        #[inline(always)]
        fn key_str(&self) -> &str {
            self
        }
    }
    impl StrKey for Arc<str> {
        #[inline(always)]
        fn key_str(&self) -> &str {
            self
        }
    }
    impl StrKey for Rc<str> {
        #[inline(always)]
        fn key_str(&self) -> &str {
            self
        }
    }
    impl StrKey for Cow<'_, str> {
        #[inline(always)]
        fn key_str(&self) -> &str {
            self
        }
    }
    impl<K: StrKey + ?Sized> StrKey for &K {
        #[inline(always)]
        fn key_str(&self) -> &str {
            (**self).key_str()
        }
    }
    impl<K: StrKey + ?Sized> StrKey for &mut K {
        #[inline(always)]
        fn key_str(&self) -> &str {
            (**self).key_str()
        }
    }

    /// Chosen first: a string key, used as it is.
    pub trait ViaStr {
        /// The breaker of this key at `site`.
        fn keyed_breaker(
            &self,
            site: &'static KeyedSite,
            last: &'static LocalKey<LastKey>,
            config: &BreakerConfig,
        ) -> KeyedHandle;
    }
    impl<K: StrKey + ?Sized> ViaStr for &&KeyArg<'_, K> {
        #[inline(always)]
        fn keyed_breaker(
            &self,
            site: &'static KeyedSite,
            last: &'static LocalKey<LastKey>,
            config: &BreakerConfig,
        ) -> KeyedHandle {
            site.get(last, config, self.0.key_str())
        }
    }

    /// Chosen second: any other `Display` key, written into a buffer on the stack.
    pub trait ViaDisplay {
        /// The breaker of this key at `site`.
        fn keyed_breaker(
            &self,
            site: &'static KeyedSite,
            last: &'static LocalKey<LastKey>,
            config: &BreakerConfig,
        ) -> KeyedHandle;
    }
    impl<K: Display + ?Sized> ViaDisplay for &KeyArg<'_, K> {
        #[inline(always)]
        fn keyed_breaker(
            &self,
            site: &'static KeyedSite,
            last: &'static LocalKey<LastKey>,
            config: &BreakerConfig,
        ) -> KeyedHandle {
            site.get_display(last, config, &self.0)
        }
    }

    /// Chosen last: a key that is not `Display`, which [`BreakerKey`](super::BreakerKey)
    /// reports; this method only keeps that error the only one.
    pub trait ViaNothing {
        /// The breaker of the empty key (never compiled into a program: the key's check fails
        /// the build first).
        fn keyed_breaker(
            &self,
            site: &'static KeyedSite,
            last: &'static LocalKey<LastKey>,
            config: &BreakerConfig,
        ) -> KeyedHandle;
    }
    impl<K: ?Sized> ViaNothing for KeyArg<'_, K> {
        fn keyed_breaker(
            &self,
            site: &'static KeyedSite,
            last: &'static LocalKey<LastKey>,
            config: &BreakerConfig,
        ) -> KeyedHandle {
            site.get(last, config, "")
        }
    }
}

/// The breaker's verdict on a call: success, failure, or (`when` false) neither.
#[inline(always)]
pub fn settle<T, E, W: ErrorPredicate<E>>(permit: Permit<'_>, result: &Result<T, E>, when: &W) {
    permit.settle(result, |e| when.test(e) != Some(false));
}

/// Whether `error` switches a fallback to its next target.
#[inline]
pub fn switches<E, W: ErrorPredicate<E>>(when: &W, error: &E) -> bool {
    when.test(error) != Some(false)
}

/// A switch from `from` to `to` after `error`: the hook, the statistics, the event.
#[cold]
pub fn fell_back<E, H: FallbackHook<E>, S: ShowError<E>>(
    hook: &H,
    error: &E,
    from: &'static str,
    to: &'static str,
    site: &'static Site,
    self_type: Option<fn() -> &'static str>,
    show: &S,
) {
    hook.call(&FallbackEvent { error, from, to });
    site.fallback(self_type);
    #[cfg(feature = "metrics")]
    crate::metrics::fallback(site.name(self_type), from, to);
    crate::events::fallback(site.name(self_type), from, to, error, show);
}

/// A retry's option with a breaker below it: a call the open circuit rejected is a
/// permanent error, whatever the user's predicates say, and deposits nothing in a budget; a
/// failure that leaves the circuit open past the next sleep ends the retry too.
pub struct StopIf<S>(pub S);

/// What the breaker below a retry says of the attempt that just ended.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Below {
    /// The attempt ran, and the breaker lets the next one through (as far as it knows).
    #[default]
    Admitted,
    /// The open circuit rejected the attempt: it never ran.
    Rejected,
    /// The attempt ran and failed, and the circuit stays open this much longer.
    OpenFor(Duration),
    /// A limiter (`#[rate_limit]`, `#[concurrency_limit]`) refused the attempt: it never ran.
    Limited,
}

/// After an attempt that failed through `breaker`: whether the circuit is now open, and for
/// how long (the expansion asks it only for an `Err`). `before` is the flag as the layers
/// below the breaker left it: a limiter's refusal stays what the retry above reads.
#[cold]
pub fn below_after(breaker: &crate::breaker::CircuitBreaker, before: Below) -> Below {
    if before == Below::Limited {
        return before;
    }
    match breaker.open_for() {
        Some(open) => Below::OpenFor(open),
        None => Below::Admitted,
    }
}

/// The flag a breaker sets for the retry above it.
pub trait Raised {
    /// What the breaker below said of the last attempt.
    fn below(&self) -> Below;
}
impl Raised for Below {
    #[inline(always)]
    fn below(&self) -> Below {
        *self
    }
}
impl Raised for &Cell<Below> {
    #[inline(always)]
    fn below(&self) -> Below {
        self.get()
    }
}

impl<E, S: Raised> RetryOptions<E> for StopIf<S> {
    admits_every_attempt!();
    #[inline(always)]
    fn rejected_below(&self) -> bool {
        matches!(self.0.below(), Below::Rejected | Below::Limited)
    }
    #[inline(always)]
    fn limited_below(&self) -> bool {
        self.0.below() == Below::Limited
    }
    #[inline(always)]
    fn open_below(&self) -> Option<Duration> {
        match self.0.below() {
            Below::OpenFor(open) => Some(open),
            _ => None,
        }
    }
}

/// `retry` stopped by the flag `raised` of the breaker below it.
#[inline(always)]
pub fn stop_if<'p, O, S: Raised>(retry: Retry<'p, O>, raised: S) -> Retry<'p, With<O, StopIf<S>>> {
    retry.with(StopIf(raised))
}

/// After a call admitted by a rate limiter: its `pause_on` asked about an error, and the
/// limiter paused for the answer.
#[inline(always)]
pub fn pause_after<T, E, F: Fn(&E) -> Option<Duration>>(
    limiter: &crate::RateLimiter,
    result: &Result<T, E>,
    pause_on: &F,
) {
    if let Err(error) = result {
        if let Some(pause) = pause_on(error) {
            limiter.pause(pause);
        }
    }
}

/// A hedge at `site`: `to` started beside `from`, which has run `hedge_after` (statistics,
/// metrics, the `INFO` event).
#[cold]
#[inline(never)]
pub fn hedged(site: &'static Site, self_type: Option<SelfType>, from: &str, to: &str) {
    site.hedge(self_type);
    #[cfg(feature = "metrics")]
    crate::metrics::hedge(site.name(self_type));
    crate::events::hedge(site.name(self_type), from, to);
}

/// A call refused by a limiter of the function at `site`: counted in its statistics.
#[cold]
#[inline(never)]
pub fn limited(site: &'static Site, self_type: Option<SelfType>) {
    site.limited(self_type);
}

/// `initial_delay` and `max_delay` set together over a `policy = P`, checked against each
/// other only (either alone might conflict with the other's old value).
#[inline(always)]
pub const fn policy_with_delays(
    policy: RetryPolicy,
    initial: core::time::Duration,
    max: core::time::Duration,
) -> RetryPolicy {
    policy.initial_and_max_delay(initial, max)
}

/// An attempt's result judged by `validate`: an `Ok` value it refuses becomes its error.
#[inline(always)]
pub fn validated<T, E, F: Fn(&T) -> Result<(), E>>(
    result: Result<T, E>,
    validate: &F,
) -> Result<T, E> {
    match result {
        Ok(value) => match validate(&value) {
            Ok(()) => Ok(value),
            Err(error) => Err(error),
        },
        Err(error) => Err(error),
    }
}

/// A per-attempt timeout given as an expression: a `Duration` or an `Option<Duration>`.
#[diagnostic::on_unimplemented(
    message = "`timeout` must be a `Duration` or an `Option<Duration>`, and this is `{Self}`",
    label = "expected a `Duration` or an `Option<Duration>`"
)]
pub trait IntoTimeout {
    /// The timeout, if any.
    fn into_timeout(self) -> Option<Duration>;
}
impl IntoTimeout for Duration {
    #[inline(always)]
    fn into_timeout(self) -> Option<Duration> {
        Some(self)
    }
}
impl IntoTimeout for Option<Duration> {
    #[inline(always)]
    fn into_timeout(self) -> Option<Duration> {
        self
    }
}

/// The timeout of `timeout = <expr>`, evaluated at the start of a call.
#[inline(always)]
pub fn timeout_of<T: IntoTimeout>(timeout: T) -> Option<Duration> {
    timeout.into_timeout()
}

/// Counts a call's first attempt at `site` in `retry_attempts_total` (the retry attribute calls
/// it before the first attempt). Without the `metrics` feature it does nothing and costs
/// nothing.
///
/// ```
/// use retry_runtime::__private::{count_attempt, Site};
/// static SITE: Site = Site::new("metrics_doc_attempt");
/// count_attempt(&SITE, None);
/// ```
#[inline(always)]
#[allow(unused_variables)]
pub fn count_attempt(site: &'static Site, self_type: Option<SelfType>) {
    #[cfg(feature = "metrics")]
    site.metrics().attempt(|| site.name(self_type));
}

/// The retry of an annotated function: `policy`, counted at `site` (its name is `Type::name`
/// when `self_type`, the expansion's `core::any::type_name::<Self>`, is given).
#[inline(always)]
pub const fn retry_at_site<'p>(
    policy: &'p RetryPolicy,
    site: &'static Site,
    self_type: Option<SelfType>,
) -> Retry<'p> {
    Retry::at_site(policy, site, self_type)
}

/// `retry` drawing from the site's budget (`budget = "name"`), resolved on its first call.
#[inline(always)]
pub fn with_budget_site<'p, O>(
    retry: Retry<'p, O>,
    budget: &'static BudgetSite,
) -> Retry<'p, With<O, Budget<&'static BudgetSite>>> {
    retry.with(Budget(budget))
}

/// Runs a sync attempt closure under `retry`, built per call (by value, its options are
/// constants only the failure path materialises).
#[inline(always)]
pub fn run_sync<T, E, O, F>(retry: Retry<'_, O>, op: F) -> Result<T, E>
where
    F: FnMut() -> Result<T, E>,
    O: RetryOptions<E>,
{
    retry.run_by_value(op)
}

/// After an async attempt failed: the sleep before the next attempt, or `None` to give up
/// (after `on_give_up`). The expansion builds `retry` here, after the failure, so nothing of
/// it lives in the function's future while an attempt runs.
#[cfg(feature = "tokio")]
#[inline(always)]
pub fn async_decide<E, O: RetryOptions<E>>(
    retry: &Retry<'_, O>,
    state: &mut AsyncState,
    error: &E,
) -> Option<core::time::Duration> {
    state.decide(retry, error, false)
}

/// Picks how events show the error of a function returning `Result<T, E>` by autoref specialization,
/// at the expansion site where `E` is known: `(&&&marker).pick_show_error()` is [`ShowDisplay`](crate::ShowDisplay)
/// if `E: Display`, else [`ShowDebug`](crate::ShowDebug) if `E: Debug`, else [`Unset`](crate::Unset). A generic `E` without
/// either bound gets [`Unset`](crate::Unset). Bring the traits into scope with `use ...::autoref::*`.
///
/// ```
/// use retry_runtime::__private::{autoref::*, Marker};
/// use retry_runtime::{ShowDebug, ShowDisplay, Unset};
///
/// #[derive(Debug)]
/// struct OnlyDebug;
/// struct Nothing;
///
/// let _: ShowDisplay = (&&&Marker::<Result<(), std::io::Error>>::new()).pick_show_error();
/// let _: ShowDebug = (&&&Marker::<Result<(), OnlyDebug>>::new()).pick_show_error();
/// let _: Unset = (&&&Marker::<Result<(), Nothing>>::new()).pick_show_error();
///
/// fn generic<E>() -> Unset {
///     (&&&Marker::<Result<(), E>>::new()).pick_show_error()
/// }
/// let _ = generic::<String>(); // inside `generic`, nothing is known of `E`
/// ```
pub mod autoref {
    use std::fmt::{Debug, Display};

    use super::Marker;
    use crate::options::{ShowDebug, ShowDisplay, Unset};

    /// Chosen first: `E: Display`.
    pub trait ViaDisplay {
        /// [`ShowDisplay`].
        #[inline(always)]
        fn pick_show_error(&self) -> ShowDisplay {
            ShowDisplay
        }
    }
    impl<T, E: Display> ViaDisplay for &&Marker<Result<T, E>> {}

    /// Chosen second: `E: Debug`.
    pub trait ViaDebug {
        /// [`ShowDebug`].
        #[inline(always)]
        fn pick_show_error(&self) -> ShowDebug {
            ShowDebug
        }
    }
    impl<T, E: Debug> ViaDebug for &Marker<Result<T, E>> {}

    /// Chosen last: no way to show `E` (also for a return type that is not a result, which
    /// the expansion reports on its own).
    pub trait ViaNothing {
        /// [`Unset`].
        #[inline(always)]
        fn pick_show_error(&self) -> Unset {
            Unset
        }
    }
    impl<R> ViaNothing for Marker<R> {}
}
