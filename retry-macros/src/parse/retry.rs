//! The arguments of `#[retry_on_failure(...)]`: every key optional, each stored by its [`Key`].

use std::time::Duration;

use proc_macro2::{Span, TokenStream};
use syn::{Expr, LitStr};

use super::convert::{numeric, Numeric};
use super::items::{accept, parse_items, Item, KeyValue};
use super::values::{Backoff, Env, Jitter, PolicyValue, Setting, TimeoutValue};
use crate::errors::{Errors, Seen};
use crate::keys::{self, Key};

/// The arguments of `#[retry_on_failure(...)]`. A key not given is `None` (the runtime's
/// default or the `policy` applies). When [`RetryArgs::parse`] reports errors, a value that
/// was wrong is left out; the others are still there.
#[derive(Default)]
pub(crate) struct RetryArgs {
    /// `max_attempts = 3`: calls in all, `>= 1`.
    pub(crate) max_attempts: Option<Setting<u32>>,
    /// `max_retries = 2`: `max_attempts - 1`, below `u32::MAX`. Never given together with
    /// `max_attempts` when there are no errors.
    pub(crate) max_retries: Option<Setting<u32>>,
    /// `backoff = exponential | linear | fixed | decorrelated`.
    pub(crate) backoff: Option<Setting<Backoff>>,
    /// `initial_delay = "100ms"` (may be zero).
    pub(crate) initial_delay: Option<Setting<Duration>>,
    /// `max_delay = "10s"`: greater than zero and not below `initial_delay`.
    pub(crate) max_delay: Option<Setting<Duration>>,
    /// `multiplier = 2.0` (an integer literal too): finite, `>= 1.0`; only with exponential
    /// backoff.
    pub(crate) multiplier: Option<Setting<f64>>,
    /// `jitter = none | full | equal | 0.2`; never with decorrelated backoff.
    pub(crate) jitter: Option<Setting<Jitter>>,
    /// `max_elapsed = "30s"`: greater than zero.
    pub(crate) max_elapsed: Option<Setting<Duration>>,
    /// `timeout = "5s"` (greater than zero) or an expression: per-attempt timeout. Whether the
    /// function is async is checked against the function (`valid.rs`).
    pub(crate) timeout: Option<Setting<TimeoutValue>>,
    /// `timeout_error = <expr>`: builds the error of a timed-out attempt.
    pub(crate) timeout_error: Option<Setting<Expr>>,
    /// `max_retry_after = "60s"`: greater than zero.
    pub(crate) max_retry_after: Option<Setting<Duration>>,
    /// `validate = <expr>`: judges each attempt's `Ok` value.
    pub(crate) validate: Option<Setting<Expr>>,
    /// `when = <expr>`: any expression but a literal (a closure, a path...).
    pub(crate) when: Option<Setting<Expr>>,
    /// `unless = <expr>`, as `when`.
    pub(crate) unless: Option<Setting<Expr>>,
    /// `retry_after = <expr>`, as `when`.
    pub(crate) retry_after: Option<Setting<Expr>>,
    /// `on_retry = <expr>`, as `when`.
    pub(crate) on_retry: Option<Setting<Expr>>,
    /// `on_give_up = <expr>`, as `when`.
    pub(crate) on_give_up: Option<Setting<Expr>>,
    /// `budget = "name"`: a non-empty string.
    pub(crate) budget: Option<Setting<LitStr>>,
    /// `env = "LLM"` (a prefix: uppercase letters, digits and `_`, starting with a letter or
    /// `_`, not ending with `_`), or `env(...)` naming variables per key (see [`Env`]).
    pub(crate) env: Option<Setting<Env>>,
    /// `policy = PATH` (a constant) or `policy = <expr>` (read at run time).
    pub(crate) policy: Option<Setting<PolicyValue>>,
    /// `crate = "::retry_runtime"`: the string parsed as a path; its tokens carry the
    /// string's span.
    pub(crate) krate: Option<Setting<syn::Path>>,
}

impl RetryArgs {
    /// Parses the tokens inside `#[retry_on_failure(...)]` (empty for a bare
    /// `#[retry_on_failure]`). Every problem is in the returned errors; the arguments hold
    /// every value that was right, so validation and expansion can go on. `_attr_span` (the attribute,
    /// e.g. `Span::call_site()`) is taken for symmetry with the other two: every key is
    /// optional here.
    pub(crate) fn parse(tokens: TokenStream, _attr_span: Span) -> (Self, Errors) {
        let mut errors = Errors::new();
        let mut seen = Seen::default();
        let mut args = Self::default();
        for item in parse_items(tokens, &mut errors) {
            match item {
                Item::Arg(arg) => {
                    if let Some(given) = accept(&arg, &keys::RETRY, &mut errors, &mut seen) {
                        args.store(&given, &mut errors);
                    }
                }
                Item::Positional { expr, .. } => {
                    let example = match numeric(&expr) {
                        Some(Numeric::Int {
                            lit,
                            negative: false,
                        }) => {
                            format!("`max_attempts = {}`", lit.base10_digits())
                        }
                        _ => "`max_attempts = 3`".to_owned(),
                    };
                    errors.error_spanned_by(
                        &expr,
                        format_args!("expected `key = value`, e.g. {example}"),
                    );
                }
            }
        }
        (args, errors)
    }

    /// Converts `given` by its key's kind and keeps it in its field.
    fn store(&mut self, given: &KeyValue<'_>, errors: &mut Errors) {
        match given.key {
            Key::MaxAttempts => self.max_attempts = given.count(errors),
            Key::MaxRetries => self.max_retries = given.count(errors),
            Key::Backoff => self.backoff = given.backoff(errors),
            Key::InitialDelay => self.initial_delay = given.duration(errors),
            Key::MaxDelay => self.max_delay = given.duration(errors),
            Key::Multiplier => self.multiplier = given.number(errors),
            Key::Jitter => self.jitter = given.jitter(errors),
            Key::MaxElapsed => self.max_elapsed = given.duration(errors),
            Key::Timeout => self.timeout = given.timeout(errors),
            Key::TimeoutError => self.timeout_error = given.callable(errors),
            Key::MaxRetryAfter => self.max_retry_after = given.duration(errors),
            Key::Validate => self.validate = given.callable(errors),
            Key::When => self.when = given.callable(errors),
            Key::Unless => self.unless = given.callable(errors),
            Key::RetryAfter => self.retry_after = given.callable(errors),
            Key::OnRetry => self.on_retry = given.callable(errors),
            Key::OnGiveUp => self.on_give_up = given.callable(errors),
            Key::Budget => self.budget = given.label(errors),
            Key::Env => self.env = given.env(errors),
            Key::Policy => self.policy = given.policy(errors),
            Key::Crate => self.krate = given.krate(errors),
            other => unreachable!("`{}` is not a key of #[retry_on_failure]", other.name()),
        }
    }
}
