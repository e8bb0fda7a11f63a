//! Unit tests of the rules between values.

use crate::parse::tests::{breaker_found as breaker, retry_found as retry};

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
                "`window` applies only with `failure_rate`, e.g. `failure_rate = 0.5`".to_owned(),
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
fn max_keys_needs_a_key() {
    assert_eq!(
        breaker("x, max_keys = 10"),
        pair(
            "`max_keys` applies only to a keyed breaker, e.g. `key = self.base_url()`",
            "max_keys"
        )
    );
    assert!(breaker("x, max_keys = 10, key = host").is_empty());
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
            "unknown key `bogus`; expected one of `max_attempts`, `max_retries`, `backoff`, `initial_delay`, `max_delay`, `multiplier`, `jitter`, `max_elapsed`, `timeout`, `timeout_error`, `when`, `unless`, `retry_after`, `max_retry_after`, `validate`, `on_retry`, `on_give_up`, `budget`, `env`, `policy`, `crate`",
            "give either `max_attempts` or `max_retries`, not both",
            "`initial_delay` (5s) is larger than `max_delay` (1s)",
            "`decorrelated` backoff takes no `jitter`: it is random by itself",
        ]
    );
}
