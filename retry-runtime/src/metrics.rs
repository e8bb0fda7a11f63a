//! Metrics through the `metrics` crate's facade: what each annotated function, breaker and
//! budget records, and the counter handles cached where a count is frequent.
//!
//! With the `metrics` feature, a retry site records `retry_attempts_total{function}` (every
//! attempt, a first one that succeeds included), `retry_retries_total{function}`,
//! `retry_give_ups_total{function, reason}` and `retry_fallbacks_total{function, from, to}`; a
//! breaker records `circuit_breaker_state{breaker}` (a gauge), `circuit_breaker_rejections_total`
//! and `circuit_breaker_transitions_total{breaker, to}`; a budget records
//! `retry_budget_refusals_total{budget}`. The handles of the counts a call pays for every time
//! (attempts, retries, rejections) are resolved once and kept in the site's or breaker's
//! `static`, so their labels are not hashed again per call. Without the feature, [`attempt`] is
//! an empty inline function and nothing else here is compiled.

#[cfg(feature = "metrics")]
use std::sync::OnceLock;

#[cfg(feature = "metrics")]
use ::metrics::{counter, gauge, Counter};

#[cfg(feature = "metrics")]
use crate::breaker::State;
#[cfg(feature = "metrics")]
use crate::events::GiveUp;
use crate::site::{SelfType, Site};

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
pub fn attempt(site: &'static Site, self_type: Option<SelfType>) {
    #[cfg(feature = "metrics")]
    site.metrics()
        .attempts
        .get_or_init(|| attempts_counter(site.name(self_type)))
        .increment(1);
}

/// The counter handles a site uses on every call or retry, resolved on first use. Install the
/// recorder (the exporter) before the first call: a handle resolved without one records nothing.
#[cfg(feature = "metrics")]
#[derive(Debug)]
pub(crate) struct SiteMetrics {
    attempts: OnceLock<Counter>,
    retries: OnceLock<Counter>,
}

#[cfg(feature = "metrics")]
impl SiteMetrics {
    /// No handle yet.
    pub(crate) const fn new() -> Self {
        SiteMetrics {
            attempts: OnceLock::new(),
            retries: OnceLock::new(),
        }
    }
}

/// `retry_attempts_total{function}`, resolved once per site.
#[cfg(feature = "metrics")]
#[cold]
#[inline(never)]
fn attempts_counter(function: &'static str) -> Counter {
    counter!("retry_attempts_total", "function" => function)
}

/// A retry at `site`: one more retry, and one more attempt (the one about to run).
#[cfg(feature = "metrics")]
#[cold]
#[inline(never)]
pub(crate) fn retry(site: &'static Site, self_type: Option<SelfType>) {
    let m = site.metrics();
    let function = || site.name(self_type);
    m.retries
        .get_or_init(|| counter!("retry_retries_total", "function" => function()))
        .increment(1);
    m.attempts
        .get_or_init(|| attempts_counter(function()))
        .increment(1);
}

/// A give-up at `site`, by `reason`; `circuit_open` when a breaker below rejected the call
/// (which the retry sees as a permanent error).
#[cfg(feature = "metrics")]
#[cold]
#[inline(never)]
pub(crate) fn give_up(function: &'static str, reason: GiveUp, circuit_open: bool) {
    let reason = match reason {
        GiveUp::Permanent if circuit_open => "circuit_open",
        GiveUp::Permanent => "permanent",
        GiveUp::Exhausted => "attempts",
        GiveUp::HintTooLong => "hint",
        GiveUp::MaxElapsed => "elapsed",
        GiveUp::Budget => "budget",
    };
    counter!("retry_give_ups_total", "function" => function, "reason" => reason).increment(1);
}

/// A switch from `from` to the fallback target `to` in `function`.
#[cfg(feature = "metrics")]
#[cold]
#[inline(never)]
pub(crate) fn fallback(function: &'static str, from: &'static str, to: &'static str) {
    counter!("retry_fallbacks_total", "function" => function, "from" => from, "to" => to)
        .increment(1);
}

/// A retry the budget `budget` refused.
#[cfg(feature = "metrics")]
#[cold]
#[inline(never)]
pub(crate) fn budget_refused(budget: &'static str) {
    counter!("retry_budget_refusals_total", "budget" => budget).increment(1);
}

/// A breaker's gauge value for `state`: 0 closed, 1 open, 2 half-open, 3 forced open,
/// 4 forced closed.
#[cfg(feature = "metrics")]
fn state_value(state: State) -> f64 {
    match state {
        State::Closed => 0.0,
        State::Open => 1.0,
        State::HalfOpen => 2.0,
        State::ForcedOpen => 3.0,
        State::ForcedClosed => 4.0,
    }
}

/// The `to` label of a transition.
#[cfg(feature = "metrics")]
fn state_label(state: State) -> &'static str {
    match state {
        State::Closed => "closed",
        State::Open => "open",
        State::HalfOpen => "half_open",
        State::ForcedOpen => "forced_open",
        State::ForcedClosed => "forced_closed",
    }
}

/// A registered breaker's first gauge value (closed), so it is listed before it changes state.
#[cfg(feature = "metrics")]
#[cold]
pub(crate) fn breaker_registered(breaker: &'static str, state: State) {
    gauge!("circuit_breaker_state", "breaker" => breaker).set(state_value(state));
}

/// A transition of `breaker` to `to`: the gauge and the transitions counter.
#[cfg(feature = "metrics")]
#[cold]
#[inline(never)]
pub(crate) fn transition(breaker: &'static str, to: State) {
    gauge!("circuit_breaker_state", "breaker" => breaker).set(state_value(to));
    counter!("circuit_breaker_transitions_total", "breaker" => breaker, "to" => state_label(to))
        .increment(1);
}

/// A call `breaker` rejected; `handle` is the breaker's cached counter.
#[cfg(feature = "metrics")]
#[inline]
pub(crate) fn rejected(handle: &OnceLock<Counter>, breaker: &'static str) {
    handle
        .get_or_init(|| counter!("circuit_breaker_rejections_total", "breaker" => breaker))
        .increment(1);
}
