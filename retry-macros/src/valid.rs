//! Every rule between values, checked after parsing (thiserror-impl's `valid.rs`): between
//! the keys of one attribute, on the names an `env` reads (their form, no variable read for
//! two keys), and between an attribute and the function it sits on. Single-value rules
//! (bounds, "greater than zero") are declared with the keys in [`crate::keys`]; whether a
//! function can be wrapped at all is read by [`crate::shape`].
//!
//! An error about two keys points at the one written later. A key whose value was wrong
//! is absent from the arguments, so it causes no second error here. `valid/captures.rs` reads
//! which of the function's variables an expression uses (`on_state_change` may use none).

use crate::errors::Errors;
use crate::keys::{self, Attribute};
use crate::parse::duration::format_duration;
use crate::parse::values::{Backoff, Env, PolicyValue, Setting};
use crate::parse::{BreakerArgs, Layer, RetryArgs};
use crate::shape::Function;
use proc_macro2::Span;

/// The rules between the values of one parsed attribute.
pub(crate) fn check_layer(layer: &Layer, errors: &mut Errors) {
    match layer {
        Layer::Retry(args) => check_retry(args, errors),
        Layer::Breaker(args) => check_breaker(args, errors),
        Layer::Fallback(args) => check_fallback(args, errors),
        Layer::RateLimit(_) | Layer::ConcurrencyLimit(_) => {}
    }
}

/// The rules between the keys of `#[fallback]`.
fn check_fallback(args: &crate::parse::FallbackArgs, errors: &mut Errors) {
    if let (Some(hedge), Some(to)) = (&args.hedge_after, &args.to) {
        if to.value.len() > 11 {
            errors.error(
                hedge.key_span,
                format_args!(
                    "`hedge_after` races at most 11 targets besides the function, and `to` lists {}",
                    to.value.len()
                ),
            );
        }
    }
}

/// The rules between an attribute and the function it sits on.
pub(crate) fn check_on_function(layer: &Layer, function: &Function, errors: &mut Errors) {
    match layer {
        Layer::Retry(args) => {
            if let Some(timeout) = &args.timeout {
                if !function.flavor.is_async() {
                    errors.error(
                        timeout.key_span,
                        "`timeout` applies only to async functions: a running sync attempt cannot be interrupted",
                    );
                }
            }
        }
        Layer::Breaker(args) => {
            if let Some(hook) = &args.on_state_change {
                let variables = captures::function_variables(function.sig());
                if let Some(name) = captures::first_capture(&hook.value, &variables) {
                    errors.error_spanned_by(
                        &hook.value,
                        format_args!(
                            "`on_state_change` must not capture variables (this one uses `{name}`): it belongs to the breaker shared by every site; use a fn or a non-capturing closure"
                        ),
                    );
                }
            }
        }
        Layer::RateLimit(_) | Layer::ConcurrencyLimit(_) => {}
        // Every argument needs a name to be passed on.
        Layer::Fallback(args) => {
            if let Some(hedge) = &args.hedge_after {
                if !function.flavor.is_async() {
                    errors.error(
                        hedge.key_span,
                        "`hedge_after` applies only to async functions: it runs targets side by side, which a sync function cannot",
                    );
                }
            }
            for pat in function.unnamed_args() {
                errors.error_spanned_by(
                    pat,
                    "`#[fallback]` passes every argument on to its targets, so each needs a plain name: bind it to a name here and destructure it in the body",
                );
            }
        }
    }
}

/// The rules between the keys of `#[retry_on_failure]`.
fn check_retry(args: &RetryArgs, errors: &mut Errors) {
    check_env(&args.env, &keys::RETRY, errors);
    if let Some(policy) = &args.policy {
        if let PolicyValue::Runtime(_) = policy.value {
            check_beside_runtime_policy(args, policy, errors);
        }
    }
    if let (Some(timeout_error), None) = (&args.timeout_error, &args.timeout) {
        errors.error(
            timeout_error.key_span,
            "`timeout_error` builds the error of a timed-out attempt: it needs a `timeout`, e.g. `timeout = \"5s\"`",
        );
    }
    if let (Some(attempts), Some(retries)) = (&args.max_attempts, &args.max_retries) {
        errors.error(
            attempts.later_key(retries),
            "give either `max_attempts` or `max_retries`, not both",
        );
    }
    if let (Some(initial), Some(max)) = (&args.initial_delay, &args.max_delay) {
        if initial.value > max.value {
            errors.error(
                initial.later_key(max),
                format_args!(
                    "`initial_delay` ({}) is larger than `max_delay` ({})",
                    format_duration(initial.value),
                    format_duration(max.value)
                ),
            );
        }
    }
    if let Some(backoff) = &args.backoff {
        if let (Backoff::Decorrelated, Some(jitter)) = (backoff.value, &args.jitter) {
            errors.error(
                backoff.later_key(jitter),
                "`decorrelated` backoff takes no `jitter`: it is random by itself",
            );
        }
        if let (false, Some(multiplier)) = (backoff.value == Backoff::Exponential, &args.multiplier)
        {
            errors.error(
                backoff.later_key(multiplier),
                format_args!(
                    "`multiplier` applies only to `exponential` backoff, not `{}`",
                    backoff.value.name()
                ),
            );
        }
    }
}

/// A policy read at run time carries the whole schedule: a schedule key beside it is an error
/// at the later of the two.
fn check_beside_runtime_policy<T>(args: &RetryArgs, policy: &Setting<T>, errors: &mut Errors) {
    let mut report = |key: &str, at: Option<(Span, usize)>, fix: &str| {
        if let Some((span, index)) = at {
            let span = if index > policy.index {
                span
            } else {
                policy.key_span
            };
            errors.error(
                span,
                format_args!("`{key}` and a `policy` read at run time cannot be combined: {fix}"),
            );
        }
    };
    fn at<T>(s: &Option<Setting<T>>) -> Option<(Span, usize)> {
        s.as_ref().map(|s| (s.key_span, s.index))
    }
    for (key, setting) in [
        ("max_attempts", at(&args.max_attempts)),
        ("max_retries", at(&args.max_retries)),
        ("backoff", at(&args.backoff)),
        ("initial_delay", at(&args.initial_delay)),
        ("max_delay", at(&args.max_delay)),
        ("multiplier", at(&args.multiplier)),
        ("jitter", at(&args.jitter)),
        ("max_elapsed", at(&args.max_elapsed)),
        ("max_retry_after", at(&args.max_retry_after)),
    ] {
        let fix = format!("set `{key}` on the policy (`RetryPolicy::{key}`, or `try_{key}` for a value from configuration)");
        report(key, setting, &fix);
    }
    report(
        "env",
        at(&args.env),
        "read the environment into the policy where it is built",
    );
}

/// The rules between the keys of `#[circuit_breaker]`.
fn check_breaker(args: &BreakerArgs, errors: &mut Errors) {
    check_env(&args.env, &keys::BREAKER, errors);
    if let (Some(threshold), Some(rate)) = (&args.failure_threshold, &args.failure_rate) {
        errors.error(
            threshold.later_key(rate),
            "give either `failure_threshold` or `failure_rate`, not both",
        );
    }
    if let (None, Some(max_keys)) = (&args.key, &args.max_keys) {
        errors.error(
            max_keys.key_span,
            "`max_keys` applies only to a keyed breaker, e.g. `key = self.base_url()`",
        );
    }
    if args.failure_rate.is_none() {
        if let Some(window) = &args.window {
            errors.error(
                window.key_span,
                "`window` applies only with `failure_rate`, e.g. `failure_rate = 0.5`",
            );
        }
        if let Some(min_calls) = &args.min_calls {
            errors.error(
                min_calls.key_span,
                "`min_calls` applies only with `failure_rate`, e.g. `failure_rate = 0.5`",
            );
        }
    }
}

/// The names of `env`: a prefix and each variable an environment variable's name (uppercase
/// letters, digits and `_`, not starting with a digit; a prefix also not ending with `_`: the
/// runtime adds `_MAX_ATTEMPTS`...), and no variable read for two keys of `attribute`.
fn check_env(env: &Option<Setting<Env>>, attribute: &Attribute, errors: &mut Errors) {
    let Some(env) = env else { return };
    let prefix = env.value.prefix.as_ref().filter(|prefix| {
        let message = check_prefix(&prefix.value());
        if let Some(message) = &message {
            errors.error_spanned_by(prefix, message);
        }
        message.is_none()
    });
    for (i, named) in env.value.named.iter().enumerate() {
        let (key, variable) = (named.key.name(), named.variable.value());
        let example = format!("\"LLM_{}\"", key.to_ascii_uppercase());
        let message = if variable.is_empty() {
            format!("the variable of `{key}` needs a name, e.g. {example}")
        } else if let Some(rule) = name_rule(&variable, &example) {
            format!("the variable of `{key}` {rule}")
        } else if let Some(earlier) = env.value.named[..i]
            .iter()
            .find(|earlier| earlier.variable.value() == variable)
        {
            format!(
                "`{key}` reads `{variable}`, which `{}` reads too: name another variable",
                earlier.key.name()
            )
        } else if let Some((prefix, other)) = prefix.and_then(|prefix| {
            let prefix = prefix.value();
            let other = attribute.env.iter().find(|other| {
                **other != named.key
                    && variable == format!("{prefix}_{}", other.name().to_ascii_uppercase())
            })?;
            Some((prefix, other))
        }) {
            format!(
                "`{key}` reads `{variable}`, which the prefix \"{prefix}\" reads for `{}`: name another variable",
                other.name()
            )
        } else {
            continue;
        };
        errors.error_spanned_by(&named.variable, message);
    }
}

/// What is wrong with `prefix`, if anything.
fn check_prefix(prefix: &str) -> Option<String> {
    if prefix.is_empty() {
        return Some("`env` needs a prefix, e.g. `env = \"LLM\"`".to_owned());
    }
    if let Some(rule) = name_rule(prefix, "\"LLM\"") {
        return Some(format!("`env` prefix {rule}"));
    }
    if prefix.ends_with('_') {
        let bare = prefix.trim_end_matches('_');
        return Some(format!(
            "`env` prefix must not end with `_`: \"{bare}\" already reads `{bare}_MAX_ATTEMPTS`"
        ));
    }
    None
}

/// The rule a non-empty environment variable name (or prefix) breaks, after its subject:
/// "must be uppercase: \"LLM\"". `example` is a right one, quoted.
fn name_rule(name: &str, example: &str) -> Option<String> {
    if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        Some(format!(
            "must be uppercase letters, digits and `_`, e.g. {example}"
        ))
    } else if name.starts_with(|c: char| c.is_ascii_digit()) {
        Some("must start with a letter or `_`".to_owned())
    } else if name.chars().any(|c| c.is_ascii_lowercase()) {
        Some(format!(
            "must be uppercase: \"{}\"",
            name.to_ascii_uppercase()
        ))
    } else {
        None
    }
}

mod captures;
#[cfg(test)]
mod tests;
