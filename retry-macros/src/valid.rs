//! Rules between keys, checked after parsing (thiserror-impl's `valid.rs`).
//!
//! An error about two keys points at the one written later. A key whose value was wrong
//! is absent from the arguments, so it causes no second error here.

use crate::attr::{Backoff, BreakerArgs, RetryArgs};
use crate::ctxt::Errors;
use crate::duration::format_duration;

/// The rules between the keys of `#[retry_on_failure]`.
pub(crate) fn check_retry(args: &RetryArgs, errors: &mut Errors) {
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

/// The rules between the keys of `#[circuit_breaker]`.
pub(crate) fn check_breaker(args: &BreakerArgs, errors: &mut Errors) {
    if let (Some(threshold), Some(rate)) = (&args.failure_threshold, &args.failure_rate) {
        errors.error(
            threshold.later_key(rate),
            "give either `failure_threshold` or `failure_rate`, not both",
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

#[cfg(test)]
mod tests {
    use proc_macro2::{Span, TokenStream};

    use crate::attr::{BreakerArgs, RetryArgs};
    use crate::ctxt::Errors;

    /// Each error as (message, the source text it points at).
    fn found(errors: Errors) -> Vec<(String, String)> {
        errors
            .into_iter()
            .map(|e| (e.to_string(), e.span().source_text().unwrap_or_default()))
            .collect()
    }

    fn retry(src: &str) -> Vec<(String, String)> {
        let tokens: TokenStream = src.parse().unwrap();
        found(RetryArgs::parse(tokens, Span::call_site()).1)
    }

    fn breaker(src: &str) -> Vec<(String, String)> {
        let tokens: TokenStream = src.parse().unwrap();
        found(BreakerArgs::parse(tokens, Span::call_site()).1)
    }

    fn pair(message: &str, at: &str) -> Vec<(String, String)> {
        vec![(message.to_owned(), at.to_owned())]
    }

    #[test]
    fn attempts_and_retries() {
        let message = "give either `max_attempts` or `max_retries`, not both";
        assert_eq!(
            retry("max_attempts = 3, max_retries = 2"),
            pair(message, "max_retries")
        );
        assert_eq!(
            retry("max_retries = 2, max_attempts = 3"),
            pair(message, "max_attempts")
        );
    }

    #[test]
    fn delays() {
        let message = "`initial_delay` (2s) is larger than `max_delay` (1s500ms)";
        assert_eq!(
            retry(r#"initial_delay = "2s", max_delay = "1.5s""#),
            pair(message, "max_delay")
        );
        assert_eq!(
            retry(r#"max_delay = "1.5s", initial_delay = "2s""#),
            pair(message, "initial_delay")
        );
        assert!(retry(r#"initial_delay = "1s", max_delay = "1s""#).is_empty());
        // Only explicit values are compared: the runtime lifts the default `max_delay`.
        assert!(retry(r#"initial_delay = "1m""#).is_empty());
        // A wrong value causes no second error.
        assert_eq!(
            retry(r#"initial_delay = "2s", max_delay = "0s""#),
            pair("`max_delay` must be greater than zero", "\"0s\"")
        );
    }

    #[test]
    fn decorrelated_takes_no_jitter() {
        let message = "`decorrelated` backoff takes no `jitter`: it is random by itself";
        assert_eq!(
            retry("backoff = decorrelated, jitter = full"),
            pair(message, "jitter")
        );
        assert_eq!(
            retry("jitter = 0.5, backoff = decorrelated"),
            pair(message, "backoff")
        );
        assert_eq!(
            retry("backoff = decorrelated, jitter = none"),
            pair(message, "jitter")
        );
        assert!(retry("backoff = linear, jitter = equal").is_empty());
        assert!(retry("backoff = decorrelated").is_empty());
    }

    #[test]
    fn multiplier_needs_exponential() {
        assert_eq!(
            retry("backoff = linear, multiplier = 3"),
            pair(
                "`multiplier` applies only to `exponential` backoff, not `linear`",
                "multiplier"
            )
        );
        assert_eq!(
            retry("multiplier = 3, backoff = fixed"),
            pair(
                "`multiplier` applies only to `exponential` backoff, not `fixed`",
                "backoff"
            )
        );
        assert!(retry("backoff = exponential, multiplier = 3").is_empty());
        assert!(retry("multiplier = 3").is_empty());
    }

    #[test]
    fn breaker_threshold_or_rate() {
        let message = "give either `failure_threshold` or `failure_rate`, not both";
        assert_eq!(
            breaker("x, failure_threshold = 3, failure_rate = 0.5"),
            pair(message, "failure_rate")
        );
        assert_eq!(
            breaker("x, failure_rate = 0.5, failure_threshold = 3"),
            pair(message, "failure_threshold")
        );
    }

    #[test]
    fn breaker_rate_mode_keys() {
        assert_eq!(
            breaker(r#"x, window = "10s", min_calls = 5"#),
            [
                (
                    "`window` applies only with `failure_rate`, e.g. `failure_rate = 0.5`"
                        .to_owned(),
                    "window".to_owned()
                ),
                (
                    "`min_calls` applies only with `failure_rate`, e.g. `failure_rate = 0.5`"
                        .to_owned(),
                    "min_calls".to_owned()
                ),
            ]
        );
        assert!(breaker(r#"x, window = "10s", min_calls = 5, failure_rate = 0.2"#).is_empty());
    }

    #[test]
    fn cross_key_errors_join_the_others() {
        let found = retry(
            r#"max_attempts = 3, backoff = decorrelated, jitter = full, max_retries = 1,
               initial_delay = "5s", max_delay = "1s", bogus = 1"#,
        );
        let messages: Vec<&str> = found.iter().map(|(m, _)| m.as_str()).collect();
        assert_eq!(
            messages,
            [
                "unknown key `bogus`; expected one of `max_attempts`, `max_retries`, `backoff`, `initial_delay`, `max_delay`, `multiplier`, `jitter`, `max_elapsed`, `timeout`, `when`, `unless`, `retry_after`, `on_retry`, `on_give_up`, `budget`, `env`, `policy`, `crate`",
                "give either `max_attempts` or `max_retries`, not both",
                "`initial_delay` (5s) is larger than `max_delay` (1s)",
                "`decorrelated` backoff takes no `jitter`: it is random by itself",
            ]
        );
    }
}
