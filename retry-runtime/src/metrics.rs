//! Metrics through the `metrics` crate's facade: what each annotated function, breaker and
//! budget records, and the counter handles cached where a count is frequent.
//!
//! With the `metrics` feature, a retry site records `retry_attempts_total{function}` (every
//! attempt, a first one that succeeds included), `retry_retries_total{function}`,
//! `retry_give_ups_total{function, reason}` and `retry_fallbacks_total{function, from, to}`; a
//! breaker records `circuit_breaker_state{breaker}` (a gauge), `circuit_breaker_rejections_total`
//! and `circuit_breaker_transitions_total{breaker, to}`; a budget records
//! `retry_budget_refusals_total{budget}`; a rate limiter or concurrency limit records
//! `rate_limiter_refusals_total{limiter}` and `rate_limiter_wait_seconds{limiter}` (a
//! histogram). The handles of the counts a call pays for every time
//! (attempts, retries, rejections) are resolved once and kept in the site's or breaker's
//! `static`, so their labels are not hashed again per call. This file depends on nothing above
//! it: sites and breakers call it with their names and states. Compiled only with the feature.

use std::sync::OnceLock;
use std::time::Duration;

use ::metrics::{counter, gauge, histogram, Counter, Histogram};

use ::metrics::SharedString;

use crate::events::GiveUp;

/// The counter handles a site uses on every call or retry, resolved on first use. Install the
/// recorder (the exporter) before the first call: a handle resolved without one records nothing.
#[derive(Debug)]
pub(crate) struct SiteMetrics {
    attempts: OnceLock<Counter>,
    retries: OnceLock<Counter>,
}

impl SiteMetrics {
    /// No handle yet.
    pub(crate) const fn new() -> Self {
        SiteMetrics {
            attempts: OnceLock::new(),
            retries: OnceLock::new(),
        }
    }

    /// One more attempt of the function named `function()` (asked only on the first count).
    #[inline]
    pub(crate) fn attempt(&self, function: impl FnOnce() -> &'static str) {
        self.attempts
            .get_or_init(|| attempts_counter(function()))
            .increment(1);
    }

    /// A retry: one more retry, and one more attempt (the one about to run).
    #[cold]
    #[inline(never)]
    pub(crate) fn retry(&self, function: &dyn Fn() -> &'static str) {
        self.retries
            .get_or_init(|| counter!("retry_retries_total", "function" => function()))
            .increment(1);
        self.attempt(function);
    }
}

/// `retry_attempts_total{function}`, resolved once per site.
#[cold]
#[inline(never)]
fn attempts_counter(function: &'static str) -> Counter {
    counter!("retry_attempts_total", "function" => function)
}

/// A hedge of `function`: one more target started beside the running one.
#[cold]
#[inline(never)]
pub(crate) fn hedge(function: &'static str) {
    counter!("retry_hedges_total", "function" => function).increment(1);
}

/// A give-up of `function`, by `reason`.
#[cold]
#[inline(never)]
pub(crate) fn give_up(function: &'static str, reason: GiveUp) {
    let reason = match reason {
        GiveUp::Permanent => "permanent",
        GiveUp::CircuitOpen => "circuit_open",
        GiveUp::Exhausted => "attempts",
        GiveUp::HintTooLong => "hint",
        GiveUp::MaxElapsed => "elapsed",
        GiveUp::Budget => "budget",
        GiveUp::Limited => "limited",
    };
    counter!("retry_give_ups_total", "function" => function, "reason" => reason).increment(1);
}

/// A switch from `from` to the fallback target `to` in `function`.
#[cold]
#[inline(never)]
pub(crate) fn fallback(function: &'static str, from: &'static str, to: &'static str) {
    counter!("retry_fallbacks_total", "function" => function, "from" => from, "to" => to)
        .increment(1);
}

/// A retry the budget `budget` refused.
#[cold]
#[inline(never)]
pub(crate) fn budget_refused(budget: &'static str) {
    counter!("retry_budget_refusals_total", "budget" => budget).increment(1);
}

/// A registered breaker's first gauge value (closed), so it is listed before it changes state.
/// A keyed breaker's label is its full name, `openai[<key>]`.
#[cold]
pub(crate) fn breaker_registered(breaker: SharedString, state: BreakerState) {
    gauge!("circuit_breaker_state", "breaker" => breaker).set(state.gauge);
}

/// A transition of `breaker` to `to`: the gauge and the transitions counter.
#[cold]
#[inline(never)]
pub(crate) fn transition(breaker: SharedString, to: BreakerState) {
    gauge!("circuit_breaker_state", "breaker" => breaker.clone()).set(to.gauge);
    counter!("circuit_breaker_transitions_total", "breaker" => breaker, "to" => to.label)
        .increment(1);
}

/// A breaker's state as metrics show it: the gauge's value (0 closed, 1 open, 2 half-open,
/// 3 forced open, 4 forced closed) and the transitions counter's `to` label. The breaker's
/// `State` maps itself onto it (`breaker/state.rs`).
#[derive(Clone, Copy, Debug)]
pub(crate) struct BreakerState {
    pub(crate) gauge: f64,
    pub(crate) label: &'static str,
}

/// A call the breaker labelled `breaker()` rejected; `handle` is the breaker's cached counter.
#[inline]
pub(crate) fn rejected(handle: &OnceLock<Counter>, breaker: impl FnOnce() -> SharedString) {
    handle
        .get_or_init(|| counter!("circuit_breaker_rejections_total", "breaker" => breaker()))
        .increment(1);
}

/// A limiter's handles (a rate limiter's or a concurrency limit's), resolved on first use:
/// `rate_limiter_refusals_total{limiter}` and `rate_limiter_wait_seconds{limiter}`.
#[derive(Debug)]
pub(crate) struct LimiterMetrics {
    refusals: OnceLock<Counter>,
    waits: OnceLock<Histogram>,
}

impl LimiterMetrics {
    /// No handle yet.
    pub(crate) const fn new() -> Self {
        LimiterMetrics {
            refusals: OnceLock::new(),
            waits: OnceLock::new(),
        }
    }

    /// A call `limiter` refused.
    #[cold]
    pub(crate) fn refused(&self, limiter: &'static str) {
        self.refusals
            .get_or_init(|| counter!("rate_limiter_refusals_total", "limiter" => limiter))
            .increment(1);
    }

    /// A call `limiter` admitted after waiting `waited` (zero for one admitted at once).
    #[inline]
    pub(crate) fn waited(&self, limiter: &'static str, waited: Duration) {
        self.waits
            .get_or_init(|| waits_histogram(limiter))
            .record(waited.as_secs_f64());
    }
}

// A handle only counts and records: nothing a panic could leave half done. Without these, the
// `metrics` feature would take `RefUnwindSafe` away from limiters (feature flags must only add).
impl std::panic::UnwindSafe for LimiterMetrics {}
impl std::panic::RefUnwindSafe for LimiterMetrics {}

/// `rate_limiter_wait_seconds{limiter}`, resolved once per limiter.
#[cold]
#[inline(never)]
fn waits_histogram(limiter: &'static str) -> Histogram {
    histogram!("rate_limiter_wait_seconds", "limiter" => limiter)
}
