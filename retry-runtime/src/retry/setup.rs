//! [`Retry`]: a policy plus the options of a call, built by setters that layer each option
//! over the ones set before (see `options.rs`). The loops that run it are `blocking.rs` and
//! `tokio.rs`, over the decision core in `decide.rs`.

use super::gate::ThroughBreaker;
use crate::breaker::CircuitBreaker;
use crate::budget::SharedBudget;
use crate::options::{Budget, Hint, OnGiveUp, OnRetry, Show, Unless, Unset, When, With};
use crate::policy::RetryPolicy;
use crate::site::{FnName, SelfType, Site};

/// A configured retry: a policy plus the options of the attribute (`when`, `unless`,
/// `retry_after`, `on_retry`, `on_give_up`, `budget`) and a [`breaker`](Self::breaker) for each
/// attempt, then [`run`](Self::run) or
/// [`run_async`](Self::run_async).
///
/// Options not given cost nothing: `O` is the zero-sized [`Unset`] until a setter layers an
/// option over it (see [`RetryOptions`](crate::options::RetryOptions)), and the loop makes no
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
pub struct Retry<'p, O = Unset> {
    pub(super) policy: &'p RetryPolicy,
    pub(super) function: FnName,
    pub(super) options: O,
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
            options: Unset,
        }
    }

    /// A retry counted at an annotated function's site: its name (`Type::name` when
    /// `self_type`, the expansion's `core::any::type_name::<Self>`, is given) and its counters
    /// for [`stats`](crate::stats), which count only on failure paths.
    #[inline]
    pub(crate) const fn at_site(
        policy: &'p RetryPolicy,
        site: &'static Site,
        self_type: Option<SelfType>,
    ) -> Self {
        Retry {
            policy,
            function: FnName::Site { site, self_type },
            options: Unset,
        }
    }
}

impl<'p, O> Retry<'p, O> {
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

    /// The options set so far, as one value (see
    /// [`RetryOptions`](crate::options::RetryOptions)).
    ///
    /// ```
    /// use retry_runtime::options::RetryOptions;
    /// use retry_runtime::{Retry, RetryPolicy};
    /// const P: RetryPolicy = RetryPolicy::fixed();
    /// let retry = Retry::new(&P).unless(|e: &u16| *e == 401);
    /// assert_eq!(retry.options().unless(&401), Some(true));
    /// ```
    #[inline]
    pub const fn options(&self) -> &O {
        &self.options
    }

    /// Names the call in [`RetryEvent::function`](crate::RetryEvent::function) and in events
    /// (the attributes pass the function's name). A name alone adds no entry to
    /// [`stats`](crate::stats).
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

    /// `option` layered over the options set so far.
    #[inline(always)]
    pub(crate) fn with<K>(self, option: K) -> Retry<'p, With<O, K>> {
        Retry {
            policy: self.policy,
            function: self.function,
            options: With::new(self.options, option),
        }
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
    pub fn when<F>(self, f: F) -> Retry<'p, With<O, When<F>>> {
        self.with(When(f))
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
    pub fn unless<F>(self, f: F) -> Retry<'p, With<O, Unless<F>>> {
        self.with(Unless(f))
    }

    /// A server's hint: the sleep becomes `max(hint, computed)`; a hint beyond `max_retry_after`
    /// (default `max_delay`) or past `max_elapsed` gives up at once.
    ///
    /// ```
    /// use std::time::Duration;
    /// use retry_runtime::{Retry, RetryPolicy};
    /// let mut n = 0;
    /// let r: Result<(), u64> = Retry::new(&RetryPolicy::default())
    ///     .retry_after(|secs: &u64| Some(Duration::from_secs(*secs)))
    ///     .run(|| { n += 1; Err(3600) }); // an hour: beyond max_retry_after (max_delay, 10 s), give up now
    /// assert_eq!((r, n), (Err(3600), 1));
    /// ```
    #[inline]
    pub fn retry_after<F>(self, f: F) -> Retry<'p, With<O, Hint<F>>> {
        self.with(Hint(f))
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
    pub fn on_retry<F>(self, f: F) -> Retry<'p, With<O, OnRetry<F>>> {
        self.with(OnRetry(f))
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
    pub fn on_give_up<F>(self, f: F) -> Retry<'p, With<O, OnGiveUp<F>>> {
        self.with(OnGiveUp(f))
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
    pub fn budget(self, name: &'static str) -> Retry<'p, With<O, Budget<&'static SharedBudget>>> {
        self.with(Budget(crate::budget::get_or_create(name)))
    }

    /// Runs each attempt through the circuit breaker `cb`, as a `#[circuit_breaker]` below a
    /// `#[retry_on_failure]` does: `try_acquire` before the attempt, then the permit's verdict
    /// on its result (success for `Ok`, failure for any error). A rejection by the open circuit
    /// ends the retry at once: no sleep, no further attempt, nothing deposited in or drawn from
    /// a budget; `on_give_up` runs and the error returned is `E::from(CircuitOpen)`. A failure
    /// that leaves the circuit open past the next sleep ends it too, with that failure's own
    /// error: the retry never sleeps into a certain rejection.
    ///
    /// ```
    /// use std::time::Duration;
    /// use retry_runtime::{BreakerConfig, CircuitBreaker, CircuitOpen, Retry, RetryPolicy};
    ///
    /// #[derive(Debug, PartialEq)]
    /// enum Error { Down, Open }
    /// impl From<CircuitOpen> for Error {
    ///     fn from(_: CircuitOpen) -> Self { Error::Open }
    /// }
    ///
    /// const P: RetryPolicy = RetryPolicy::fixed().max_attempts(5).initial_delay(Duration::ZERO);
    /// let cb = CircuitBreaker::new("retry-breaker-doc", BreakerConfig::new().failure_threshold(2));
    /// let mut runs = 0;
    /// let r: Result<(), Error> = Retry::new(&P).breaker(&cb).run(|| { runs += 1; Err(Error::Down) });
    /// // Two failures open the circuit for 30 s: the retry ends with the second failure.
    /// assert_eq!((r, runs), (Err(Error::Down), 2));
    /// // While it is open, a call is rejected without running.
    /// let r: Result<(), Error> = Retry::new(&P).breaker(&cb).run(|| { runs += 1; Err(Error::Down) });
    /// assert_eq!((r, runs), (Err(Error::Open), 2));
    /// ```
    #[inline]
    pub fn breaker<'b>(self, cb: &'b CircuitBreaker) -> Retry<'p, With<O, ThroughBreaker<'b>>> {
        self.with(ThroughBreaker(cb))
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
    pub fn show_error<S>(self, show: S) -> Retry<'p, With<O, Show<S>>> {
        self.with(Show(show))
    }
}
