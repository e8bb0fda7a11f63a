//! Unit tests of the suggestions.

use super::*;
use crate::keys::{BREAKER, FALLBACK, RETRY};

#[test]
fn distance() {
    assert_eq!(edit_distance("", ""), 0);
    assert_eq!(edit_distance("abc", ""), 3);
    assert_eq!(edit_distance("", "abc"), 3);
    assert_eq!(edit_distance("kitten", "sitting"), 3);
    assert_eq!(edit_distance("jitter", "jiter"), 1);
    // A transposition is one edit.
    assert_eq!(edit_distance("backoff", "bakcoff"), 1);
    assert_eq!(edit_distance("ab", "ba"), 1);
    assert_eq!(edit_distance("ca", "abc"), 3);
    assert_eq!(edit_distance("µs", "us"), 1);
}

#[test]
fn api_aliases() {
    let cases = [
        (&RETRY, "base_delay", "initial_delay"),
        (&RETRY, "backoff_factor", "multiplier"),
        (&RETRY, "backoff_multiplier", "multiplier"),
        (&RETRY, "exponential_base", "multiplier"),
        (&RETRY, "retry_on", "when"),
        (&RETRY, "retry_if", "when"),
        (&RETRY, "retry_condition", "when"),
        (&RETRY, "stop_on", "unless"),
        (&RETRY, "give_up_on", "unless"),
        (&RETRY, "on_failure", "on_give_up"),
        (&RETRY, "attempts", "max_attempts"),
        (&RETRY, "retries", "max_retries"),
        (&RETRY, "tries", "max_attempts"),
        (&RETRY, "max_backoff", "max_delay"),
        (&RETRY, "max_interval", "max_delay"),
        (&RETRY, "min_delay", "initial_delay"),
        (&RETRY, "initial_interval", "initial_delay"),
        (&RETRY, "base", "initial_delay"),
        (&BREAKER, "recovery_timeout", "reset_timeout"),
        (&BREAKER, "timeout", "reset_timeout"),
        (&BREAKER, "failure_threshold_ratio", "failure_rate"),
        (&BREAKER, "error_rate", "failure_rate"),
        (&BREAKER, "half_open_calls", "half_open_max_calls"),
        (&BREAKER, "reset_after", "reset_timeout"),
        (&BREAKER, "keyed_by", "key"),
        (&BREAKER, "partition_key", "key"),
        (&BREAKER, "max_partitions", "max_keys"),
        (&BREAKER, "rejected_error", "open_error"),
        (&FALLBACK, "fallbacks", "to"),
        (&FALLBACK, "fallback_condition", "when"),
    ];
    for (attribute, word, key) in cases {
        assert_eq!(
            unknown_key(word, attribute),
            format!("unknown key `{word}`; did you mean `{key}`?"),
            "in #[{}]",
            attribute.name
        );
    }
}

#[test]
fn aliases_are_not_keys_and_name_one_key_each() {
    for attribute in ATTRIBUTES {
        let mut seen = Vec::new();
        for (alias, _) in attribute.aliases() {
            assert!(
                attribute.key(alias).is_none(),
                "`{alias}` is a key of #[{}]",
                attribute.name
            );
            let word = normalize(alias);
            assert!(
                !seen.contains(&word),
                "#[{}]: `{alias}` twice",
                attribute.name
            );
            seen.push(word);
        }
    }
}

#[test]
fn typos() {
    let cases = [
        ("max_attempt", "max_attempts"),
        ("max_attemps", "max_attempts"),
        ("maxAttempts", "max_attempts"),
        ("MAX_ATTEMPTS", "max_attempts"),
        ("max-attempts", "max_attempts"),
        ("intial_delay", "initial_delay"),
        ("max_delays", "max_delay"),
        ("backof", "backoff"),
        ("bakcoff", "backoff"),
        ("jiter", "jitter"),
        ("multipler", "multiplier"),
        ("on_retyr", "on_retry"),
        ("on_giveup_", "on_give_up"),
        ("retry_afer", "retry_after"),
        ("whn", "when"),
        ("elapsed", "max_elapsed"),
        ("Crate", "crate"),
    ];
    for (word, key) in cases {
        assert_eq!(
            unknown_key(word, &RETRY),
            format!("unknown key `{word}`; did you mean `{key}`?")
        );
    }
    assert_eq!(
        closest("half_open_max_call", &BREAKER.key_names()),
        Some("half_open_max_calls")
    );
    assert_eq!(
        closest("sucess_threshold", &BREAKER.key_names()),
        Some("success_threshold")
    );
    assert_eq!(closest("ot", &FALLBACK.key_names()), Some("to"));
}

#[test]
fn other_attributes_keys() {
    assert_eq!(
        unknown_key("failure_threshold", &RETRY),
        "unknown key `failure_threshold` for `#[retry_on_failure]`; it belongs to `#[circuit_breaker]`"
    );
    assert_eq!(
        unknown_key("to", &RETRY),
        "unknown key `to` for `#[retry_on_failure]`; it belongs to `#[fallback]`"
    );
    assert_eq!(
        unknown_key("max_attempts", &BREAKER),
        "unknown key `max_attempts` for `#[circuit_breaker]`; it belongs to `#[retry_on_failure]`"
    );
    assert_eq!(
        unknown_key("reset_timeout", &FALLBACK),
        "unknown key `reset_timeout` for `#[fallback]`; it belongs to `#[circuit_breaker]`"
    );
}

#[test]
fn other_attributes_aliases() {
    assert_eq!(
        unknown_key("recovery_timeout", &RETRY),
        "unknown key `recovery_timeout` for `#[retry_on_failure]`; did you mean `reset_timeout` of `#[circuit_breaker]`?"
    );
    assert_eq!(
        unknown_key("fallbacks", &RETRY),
        "unknown key `fallbacks` for `#[retry_on_failure]`; did you mean `to` of `#[fallback]`?"
    );
    assert_eq!(
        unknown_key("base_delay", &BREAKER),
        "unknown key `base_delay` for `#[circuit_breaker]`; did you mean `initial_delay` of `#[retry_on_failure]`?"
    );
    // When this attribute has the key too, it is the suggestion.
    assert_eq!(
        unknown_key("is_failure", &RETRY),
        "unknown key `is_failure`; did you mean `when`?"
    );
}

#[test]
fn nothing_close_lists_the_keys() {
    assert_eq!(
        unknown_key("colour", &FALLBACK),
        "unknown key `colour`; expected one of `to`, `when`, `on_fallback`, `hedge_after`, `crate`"
    );
    let message = unknown_key("banana", &RETRY);
    assert!(message.starts_with("unknown key `banana`; expected one of `max_attempts`, "));
    assert!(message.ends_with("`policy`, `crate`"));
    // Ambiguous prefixes and very short words suggest nothing.
    assert_eq!(closest("delay", &["initial_delay", "max_delay"]), None);
    assert_eq!(closest("x", &RETRY.key_names()), None);
    assert_eq!(closest("", &RETRY.key_names()), None);
}
