//! Resilient calls as a one-line change: retries with backoff, circuit breakers and fallbacks
//! for ordinary sync and async functions.
//!
//! Three attributes (feature `macros`, on by default) go on functions that return a `Result`,
//! without changing their signatures:
//!
//! - [`retry_on_failure`]: retries with backoff and jitter, server hints (`retry_after`),
//!   per-attempt timeouts, a time limit and a shared retry budget;
//! - [`circuit_breaker`]: fails fast with [`CircuitOpen`] while a backend is down; every site
//!   naming a breaker shares it through one process-wide registry ([`breakers`]);
//! - [`fallback`]: calls other functions when this one fails.
//!
//! They stack, outermost first; the recommended order is
//! `#[fallback] #[retry_on_failure] #[circuit_breaker]`:
//!
//! ```
//! use retry_runtime::{circuit_breaker, fallback, retry_on_failure, CircuitOpen};
//!
//! #[derive(Debug)]
//! enum LlmError { Unavailable, Open(CircuitOpen) }
//! impl From<CircuitOpen> for LlmError {
//!     fn from(open: CircuitOpen) -> Self { LlmError::Open(open) }
//! }
//!
//! struct Router { primary_up: bool }
//!
//! impl Router {
//!     #[fallback(to = Self::backup)]
//!     #[retry_on_failure(max_attempts = 3, initial_delay = "1ms")]
//!     #[circuit_breaker(crate_docs_primary, failure_threshold = 5)]
//!     fn complete(&self, prompt: &str) -> Result<String, LlmError> {
//!         if self.primary_up { Ok(format!("primary: {prompt}")) } else { Err(LlmError::Unavailable) }
//!     }
//!
//!     fn backup(&self, prompt: &str) -> Result<String, LlmError> {
//!         Ok(format!("backup: {prompt}"))
//!     }
//! }
//!
//! assert_eq!(Router { primary_up: true }.complete("hi").unwrap(), "primary: hi");
//! assert_eq!(Router { primary_up: false }.complete("hi").unwrap(), "backup: hi");
//! let stats = retry_runtime::stats();
//! let site = stats.iter().find(|s| s.function == "Router::complete").unwrap();
//! assert_eq!((site.retries, site.give_ups, site.fallbacks), (2, 1, 1));
//! ```
//!
//! The expansions are small calls into this crate, which holds the backoff math and
//! [`RetryPolicy`], the retry loops, the breakers ([`CircuitBreaker`], [`register_breaker`],
//! [`breaker`], [`breakers`]), retry budgets ([`configure_budget`]), statistics ([`stats`]),
//! events, and [`classify`]. The same loops are available as functions:
//!
//! ```
//! use std::time::Duration;
//! use retry_runtime::{retry, Jitter, RetryPolicy};
//!
//! const PROVIDER: RetryPolicy = RetryPolicy::exponential()
//!     .max_attempts(4)
//!     .initial_delay(Duration::from_millis(1))
//!     .max_delay(Duration::from_millis(5))
//!     .jitter(Jitter::Full);
//!
//! let mut calls = 0;
//! let r: Result<u32, &str> = retry(&PROVIDER, || {
//!     calls += 1;
//!     if calls < 3 { Err("503") } else { Ok(calls) }
//! });
//! assert_eq!(r, Ok(3));
//! ```
//!
//! # Features
//!
//! - `macros` (default): re-exports the attributes from `retry-macros`.
//! - `tokio` (default): async retries ([`retry_async`], [`Retry::run_async`]) sleeping with
//!   `tokio::time::sleep`, and per-attempt timeouts.
//! - `tracing`: events (target `retry_runtime`) for retries (`WARN`), give-ups (`ERROR`),
//!   fallbacks and breaker state changes (`INFO`).
#![forbid(unsafe_code)]
#![warn(missing_docs)]

#[cfg(feature = "tokio")]
mod asynk;
mod breaker;
mod budget;
pub mod classify;
mod env;
mod error;
mod events;
mod fallback;
#[cfg(feature = "macros")]
mod macro_support;
mod padded;
mod policy;
mod retry;
mod rng;
mod site;

#[cfg(feature = "tokio")]
pub use asynk::retry_async;
pub use breaker::{
    breaker, breakers, register_breaker, BreakerConfig, BreakerSnapshot, CircuitBreaker,
    CircuitOpen, Permit, State, StateChange,
};
pub use budget::{budget, configure_budget, BudgetOption, RetryBudget, SharedBudget};
pub use error::AttemptTimedOut;
pub use events::{ShowDebug, ShowDisplay, ShowError};
pub use fallback::{FallbackEvent, FallbackHook};
pub use policy::{Backoff, Delays, Jitter, RetryPolicy};
pub use retry::{retry, ErrorPredicate, EventHook, Retry, RetryAfter, RetryEvent, Unset};
pub use site::{stats, SiteStats};

#[cfg(feature = "macros")]
#[doc = include_str!("../docs/retry_on_failure.md")]
pub use retry_macros::retry_on_failure;

#[cfg(feature = "macros")]
#[doc = include_str!("../docs/circuit_breaker.md")]
pub use retry_macros::circuit_breaker;

#[cfg(feature = "macros")]
#[doc = include_str!("../docs/fallback.md")]
pub use retry_macros::fallback;

/// The surface the attribute macros expand to. Not a public API: it changes without notice.
#[doc(hidden)]
pub mod __private {
    #[cfg(feature = "tokio")]
    pub use crate::asynk::{async_decide, async_state, pause, Pause};
    pub use crate::breaker::BreakerSite;
    pub use crate::budget::BudgetSite;
    pub use crate::env::EnvSite;
    pub use crate::events::autoref;
    #[cfg(feature = "macros")]
    pub use crate::macro_support::*;
    pub use crate::retry::CallState;
    pub use crate::site::Site;
    pub use core::result::Result;
    pub use core::time::Duration;

    /// The events the attributes emit themselves (with the `tracing` feature).
    pub mod events {
        pub use crate::events::fallback;
    }

    /// Ties closures given to the attributes to the annotated function's return type, so their
    /// arguments need no annotation (`when = |e| e.is_transient()`). The expansion unifies `R`
    /// with the return type through an unreachable `return marker.value()`.
    pub struct Marker<R>(core::marker::PhantomData<fn() -> R>);

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
    /// function returns a `Result` (or an alias of one). The expansion places the call at the
    /// function's return type.
    #[inline(always)]
    pub fn check_result<R: IsResult>(_: &Marker<R>) {}

    /// Implemented by `Result<T, E>` only: the attributes need a function returning a result.
    #[diagnostic::on_unimplemented(
        message = "the retry attributes need a function that returns `Result<T, E>`, and `{Self}` is not a `Result`",
        label = "not a `Result`",
        note = "an alias of `Result` (`io::Result<T>`, `anyhow::Result<T>`) works too"
    )]
    pub trait IsResult {}
    impl<T, E> IsResult for Result<T, E> {}

    /// Implemented by every error type that can hold an [`AttemptTimedOut`](crate::AttemptTimedOut).
    #[diagnostic::on_unimplemented(
        message = "`timeout` needs `{Self}: From<retry_runtime::AttemptTimedOut>`: a timed-out attempt must become an error of this type",
        label = "needs `From<AttemptTimedOut>`",
        note = "add a variant, e.g. with thiserror: `#[error(transparent)] Timeout(#[from] retry_runtime::AttemptTimedOut)`"
    )]
    pub trait TimeoutError: From<crate::AttemptTimedOut> {}
    impl<E: From<crate::AttemptTimedOut>> TimeoutError for E {}

    impl<T, E> Marker<Result<T, E>> {
        /// Types an error predicate (`when`, `unless`).
        #[inline(always)]
        pub fn predicate<F: Fn(&E) -> bool>(&self, f: F) -> F {
            f
        }

        /// Types a `retry_after` hint.
        #[inline(always)]
        pub fn hint<F: Fn(&E) -> Option<Duration>>(&self, f: F) -> F {
            f
        }

        /// Types an `on_retry` / `on_give_up` hook.
        #[inline(always)]
        pub fn event_hook<F: Fn(&crate::RetryEvent<'_, E>)>(&self, f: F) -> F {
            f
        }
    }
}
