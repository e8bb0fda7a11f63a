//! What the attributes' expansions call, beyond the retry loops: typing helpers on the
//! return-type marker, the breaker verdict, the fallback switch. Hidden; may change with any
//! release of the macros (which are pinned to this crate's exact version).

use core::cell::Cell;

use crate::__private::Marker;
use crate::breaker::{CircuitOpen, Permit};
use crate::events::ShowError;
use crate::fallback::{FallbackEvent, FallbackHook};
use crate::retry::ErrorPredicate;
use crate::site::Site;

impl<R> Marker<R> {
    /// Runs a sync body once, its closure typed by the function's return type.
    #[inline(always)]
    pub fn call<F: FnOnce() -> R>(&self, f: F) -> R {
        f()
    }

    /// Types an awaited body by the function's return type.
    #[inline(always)]
    pub fn tie(&self, result: R) -> R {
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
    /// The error of a call an open circuit rejected.
    #[cold]
    pub fn circuit_open(&self, open: CircuitOpen) -> Result<T, E>
    where
        E: BreakerError,
    {
        Err(E::from(open))
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

#[diagnostic::on_unimplemented(
    message = "`#[fallback]` hands this argument to more than one target, so `{Self}` must implement `Clone`",
    label = "cloned for every target but the last",
    note = "pass it by reference, or implement `Clone` for it"
)]
/// An owned argument handed to several fallback targets.
pub trait FallbackArg: Clone {}
impl<T: Clone> FallbackArg for T {}

/// An owned argument for a fallback target that is not the last to run.
#[inline]
pub fn clone_arg<T: FallbackArg>(arg: &T) -> T {
    arg.clone()
}

#[diagnostic::on_unimplemented(
    message = "`#[circuit_breaker]` needs `{Self}: From<retry_runtime::CircuitOpen>`: a call rejected by an open circuit must become an error of this type",
    label = "needs `From<CircuitOpen>`",
    note = "add a variant, e.g. with thiserror: `#[error(transparent)] CircuitOpen(#[from] retry_runtime::CircuitOpen)`"
)]
/// An error type a rejected call can be turned into.
pub trait BreakerError: From<CircuitOpen> {}
impl<E: From<CircuitOpen>> BreakerError for E {}

/// The breaker's verdict on a call: success, failure, or (`when` false) neither.
#[inline(always)]
pub fn settle<T, E, W: ErrorPredicate<E>>(permit: Permit<'_>, result: &Result<T, E>, when: &W) {
    match result {
        Ok(_) => permit.success(),
        Err(e) => {
            if when.test(e) != Some(false) {
                permit.failure()
            }
        }
    }
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
    crate::events::fallback(site.name(self_type), from, to, error, show);
}

/// A retry's `unless` with a breaker below it: a call the open circuit rejected is a
/// permanent error, whatever the user's predicate says.
pub struct StopIf<S, P>(pub S, pub P);

/// The flag a breaker raises for the retry above it.
pub trait Raised {
    /// Whether a breaker below rejected the call.
    fn raised(&self) -> bool;
}
impl Raised for bool {
    #[inline(always)]
    fn raised(&self) -> bool {
        *self
    }
}
impl Raised for &Cell<bool> {
    #[inline(always)]
    fn raised(&self) -> bool {
        self.get()
    }
}

impl<E, S: Raised, P: ErrorPredicate<E>> ErrorPredicate<E> for StopIf<S, P> {
    #[inline(always)]
    fn test(&self, error: &E) -> Option<bool> {
        if self.0.raised() {
            Some(true)
        } else {
            self.1.test(error)
        }
    }
}
