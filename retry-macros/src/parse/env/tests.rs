//! Unit tests of `env`: the list's entries, their errors and where each points.

use proc_macro2::Span;

use crate::keys::Key;
use crate::parse::tests::{breaker_found, retry_found};
use crate::parse::values::Env;
use crate::parse::{BreakerArgs, FallbackArgs, RetryArgs};

/// The `env` of `#[retry_on_failure(src)]`, which must have no error.
fn retry_env(src: &str) -> Env {
    assert_eq!(retry_found(src), Vec::new(), "{src}");
    let (args, _) = RetryArgs::parse(src.parse().unwrap(), Span::call_site());
    args.env.expect("an env").value
}

/// The `env` of `#[circuit_breaker(src)]`, which must have no error.
fn breaker_env(src: &str) -> Env {
    assert_eq!(breaker_found(src), Vec::new(), "{src}");
    let (args, _) = BreakerArgs::parse(src.parse().unwrap(), Span::call_site());
    args.env.expect("an env").value
}

/// `(key, variable)` for each named variable.
fn named(env: &Env) -> Vec<(Key, String)> {
    env.named
        .iter()
        .map(|n| (n.key, n.variable.value()))
        .collect()
}

/// The one error of `src` on a retry, as (message, the text it points at).
fn retry_error(src: &str) -> (String, String) {
    let found = retry_found(src);
    assert_eq!(found.len(), 1, "{src}: {found:#?}");
    found.into_iter().next().unwrap()
}

fn pair(message: &str, at: &str) -> (String, String) {
    (message.to_owned(), at.to_owned())
}

#[test]
fn a_prefix_alone_is_as_before() {
    let env = retry_env(r#"env = "LLM""#);
    assert_eq!(env.prefix.as_ref().unwrap().value(), "LLM");
    assert!(env.named.is_empty());
}

#[test]
fn variables_named_one_by_one() {
    let env = retry_env(
        r#"env(initial_delay = "LLM_RETRY_INITIAL_DELAY", max_retries = "LLM_MAX_RETRIES",
               multiplier = "LLM_RETRY_BACKOFF_FACTOR")"#,
    );
    assert!(env.prefix.is_none());
    assert_eq!(
        named(&env),
        [
            (Key::InitialDelay, "LLM_RETRY_INITIAL_DELAY".to_owned()),
            (Key::MaxRetries, "LLM_MAX_RETRIES".to_owned()),
            (Key::Multiplier, "LLM_RETRY_BACKOFF_FACTOR".to_owned()),
        ]
    );
    let env = breaker_env(
        r#"openai, env(failure_threshold = "CIRCUIT_BREAKER_THRESHOLD",
                       reset_timeout = "CIRCUIT_BREAKER_TIMEOUT")"#,
    );
    assert_eq!(
        named(&env),
        [
            (
                Key::FailureThreshold,
                "CIRCUIT_BREAKER_THRESHOLD".to_owned()
            ),
            (Key::ResetTimeout, "CIRCUIT_BREAKER_TIMEOUT".to_owned()),
        ]
    );
}

#[test]
fn a_prefix_and_named_variables_together() {
    let env = retry_env(r#"env(prefix = "LLM", initial_delay = "RETRY_BASE_DELAY",)"#);
    assert_eq!(env.prefix.as_ref().unwrap().value(), "LLM");
    assert_eq!(
        named(&env),
        [(Key::InitialDelay, "RETRY_BASE_DELAY".to_owned())]
    );
    // The prefix may come anywhere, and a key may name the prefix's own variable.
    let env = retry_env(r#"env(max_retries = "LLM_MAX_RETRIES", prefix = "LLM")"#);
    assert_eq!(env.prefix.as_ref().unwrap().value(), "LLM");
    // Every key each attribute reads from the environment can be named.
    let env = retry_env(
        r#"env(max_attempts = "A", max_retries = "B", initial_delay = "C", max_delay = "D",
               multiplier = "E", jitter = "F", max_elapsed = "G", max_retry_after = "H")"#,
    );
    assert_eq!(env.named.len(), 8);
    let env = breaker_env(
        r#"openai, env(failure_threshold = "A", failure_rate = "B", window = "C",
               min_calls = "D", reset_timeout = "E", success_threshold = "F",
               half_open_max_calls = "G")"#,
    );
    assert_eq!(env.named.len(), 7);
}

#[test]
fn unknown_keys_get_a_suggestion() {
    let cases = [
        (
            r#"env(initial_dealy = "A")"#,
            "unknown key `initial_dealy` in `env(...)`; did you mean `initial_delay`?",
            "initial_dealy",
        ),
        // Other libraries' names, as in the attribute.
        (
            r#"env(base_delay = "RETRY_BASE_DELAY")"#,
            "unknown key `base_delay` in `env(...)`; did you mean `initial_delay`?",
            "base_delay",
        ),
        (
            r#"env(backoff_factor = "A")"#,
            "unknown key `backoff_factor` in `env(...)`; did you mean `multiplier`?",
            "backoff_factor",
        ),
        (
            r#"env(env_prefix = "LLM")"#,
            "unknown key `env_prefix` in `env(...)`; did you mean `prefix`?",
            "env_prefix",
        ),
        (
            r#"env(failure_threshold = "A")"#,
            "unknown key `failure_threshold` in `env(...)` of `#[retry_on_failure]`; it belongs to `#[circuit_breaker]`",
            "failure_threshold",
        ),
        (
            r#"env(bogus = "A")"#,
            "unknown key `bogus` in `env(...)`; expected `prefix` or one of `max_attempts`, `max_retries`, `initial_delay`, `max_delay`, `multiplier`, `jitter`, `max_elapsed`, `max_retry_after`",
            "bogus",
        ),
    ];
    for (src, message, at) in cases {
        assert_eq!(retry_error(src), pair(message, at), "{src}");
    }
    for (word, key) in [
        ("failure_treshold", "failure_threshold"),
        ("threshold", "failure_threshold"),
        ("recovery_timeout", "reset_timeout"),
    ] {
        assert_eq!(
            breaker_found(&format!(r#"openai, env({word} = "A")"#)),
            [pair(
                &format!("unknown key `{word}` in `env(...)`; did you mean `{key}`?"),
                word
            )]
        );
    }
}

#[test]
fn keys_with_no_environment_form() {
    assert_eq!(
        retry_error(r#"env(when = "X")"#),
        pair(
            "`when` has no environment form: `env(...)` names variables for `max_attempts`, `max_retries`, `initial_delay`, `max_delay`, `multiplier`, `jitter`, `max_elapsed`, `max_retry_after`, and takes a `prefix`",
            "when"
        )
    );
    assert_eq!(
        breaker_found(r#"openai, env(on_state_change = "X")"#),
        [pair(
            "`on_state_change` has no environment form: `env(...)` names variables for `failure_threshold`, `failure_rate`, `window`, `min_calls`, `reset_timeout`, `success_threshold`, `half_open_max_calls`, and takes a `prefix`",
            "on_state_change"
        )]
    );
}

#[test]
fn duplicates_empty_lists_and_values_that_are_no_string() {
    let cases = [
        (
            r#"env(max_retries = "A", max_retries = "B")"#,
            "duplicate key `max_retries`",
            "max_retries",
        ),
        (
            r#"env(prefix = "A", max_retries = "B", prefix = "C")"#,
            "duplicate key `prefix`",
            "prefix",
        ),
        (
            "env()",
            "`env()` names no variable: name one per key, e.g. `env(max_attempts = \"LLM_MAX_ATTEMPTS\")`, or give a prefix, `env = \"LLM\"`",
            "env()",
        ),
        (
            "env(max_retries)",
            "missing value for `max_retries`, e.g. `max_retries = \"LLM_MAX_RETRIES\"`",
            "max_retries",
        ),
        (
            "env(prefix = )",
            "missing value for `prefix`, e.g. `prefix = \"LLM\"`",
            "=",
        ),
        (
            "env(max_retries = LLM_MAX_RETRIES)",
            "write it as a string: `max_retries = \"LLM_MAX_RETRIES\"`",
            "LLM_MAX_RETRIES",
        ),
        (
            "env(max_retries = 3)",
            "expected a variable name as a string, e.g. `max_retries = \"LLM_MAX_RETRIES\"`",
            "3",
        ),
        (
            r#"env(max_retries("A"))"#,
            "expected `=` after `max_retries`, e.g. `max_retries = \"LLM_MAX_RETRIES\"`",
            "max_retries",
        ),
        (
            r#"env("LLM")"#,
            "write a prefix as `env = \"LLM\"`, or as `prefix = \"LLM\"` in the list",
            "\"LLM\"",
        ),
        (
            r#"env = "LLM", env(max_retries = "A")"#,
            "duplicate key `env`",
            "env",
        ),
    ];
    for (src, message, at) in cases {
        assert_eq!(retry_error(src), pair(message, at), "{src}");
    }
}

#[test]
fn a_wrong_entry_leaves_the_others() {
    let src = r#"env(bogus = "A", max_retries = "B", when = "C", max_delay = "D")"#;
    assert_eq!(retry_found(src).len(), 2);
    let (args, _) = RetryArgs::parse(src.parse().unwrap(), Span::call_site());
    let env = args.env.unwrap().value;
    assert_eq!(
        named(&env),
        [
            (Key::MaxRetries, "B".to_owned()),
            (Key::MaxDelay, "D".to_owned())
        ]
    );
    // A list with nothing right stores no `env`, so nothing else reports it.
    let (args, _) = RetryArgs::parse(r#"env(bogus = "A")"#.parse().unwrap(), Span::call_site());
    assert!(args.env.is_none());
}

#[test]
fn variable_names_have_the_form_of_an_environment_variable() {
    let cases = [
        (
            "llm_max_retries",
            "the variable of `max_retries` must be uppercase: \"LLM_MAX_RETRIES\"",
        ),
        (
            "LLM-MAX-RETRIES",
            "the variable of `max_retries` must be uppercase letters, digits and `_`, e.g. \"LLM_MAX_RETRIES\"",
        ),
        (
            "LLM MAX",
            "the variable of `max_retries` must be uppercase letters, digits and `_`, e.g. \"LLM_MAX_RETRIES\"",
        ),
        (
            "9_RETRIES",
            "the variable of `max_retries` must start with a letter or `_`",
        ),
        (
            "",
            "the variable of `max_retries` needs a name, e.g. \"LLM_MAX_RETRIES\"",
        ),
    ];
    for (variable, message) in cases {
        let src = format!(r#"env(max_retries = "{variable}")"#);
        assert_eq!(
            retry_error(&src),
            pair(message, &format!("\"{variable}\"")),
            "{src}"
        );
    }
    // Unlike a prefix, a variable may end with `_`; digits after the first character are fine.
    retry_env(r#"env(max_retries = "_RETRIES_2_")"#);
    // A prefix in the list follows the prefix's rules.
    assert_eq!(
        retry_error(r#"env(prefix = "llm", max_retries = "A")"#),
        pair("`env` prefix must be uppercase: \"LLM\"", "\"llm\"")
    );
    assert_eq!(
        retry_error(r#"env(prefix = "LLM_", max_retries = "A")"#),
        pair(
            "`env` prefix must not end with `_`: \"LLM\" already reads `LLM_MAX_ATTEMPTS`",
            "\"LLM_\""
        )
    );
}

#[test]
fn two_keys_never_read_the_same_variable() {
    assert_eq!(
        retry_error(r#"env(max_attempts = "LLM_TRIES", max_retries = "LLM_TRIES")"#),
        pair(
            "`max_retries` reads `LLM_TRIES`, which `max_attempts` reads too: name another variable",
            "\"LLM_TRIES\""
        )
    );
    // ... nor the variable a prefix reads for another key.
    assert_eq!(
        retry_error(r#"env(prefix = "LLM", max_retries = "LLM_MAX_ATTEMPTS")"#),
        pair(
            "`max_retries` reads `LLM_MAX_ATTEMPTS`, which the prefix \"LLM\" reads for `max_attempts`: name another variable",
            "\"LLM_MAX_ATTEMPTS\""
        )
    );
    assert_eq!(
        breaker_found(
            r#"openai, env(reset_timeout = "CB_FAILURE_THRESHOLD", prefix = "CB")"#
        ),
        [pair(
            "`reset_timeout` reads `CB_FAILURE_THRESHOLD`, which the prefix \"CB\" reads for `failure_threshold`: name another variable",
            "\"CB_FAILURE_THRESHOLD\""
        )]
    );
}

#[test]
fn a_list_beside_a_runtime_policy_is_refused_as_a_prefix_is() {
    assert_eq!(
        retry_error(r#"policy = self.policy, env(max_retries = "LLM_MAX_RETRIES")"#),
        pair(
            "`env` and a `policy` read at run time cannot be combined: read the environment into the policy where it is built",
            "env"
        )
    );
    // Beside a constant policy it is fine.
    retry_env(r#"policy = POLICY, env(max_retries = "LLM_MAX_RETRIES")"#);
}

#[test]
fn other_keys_written_as_lists_are_still_refused() {
    assert_eq!(
        retry_error("max_attempts(3)"),
        pair(
            "expected `=` after `max_attempts`, e.g. `max_attempts = 3`",
            "max_attempts"
        )
    );
    assert_eq!(
        breaker_found("openai, failure_threshold(3)"),
        [pair(
            "expected `=` after `failure_threshold`, e.g. `failure_threshold = 5`",
            "failure_threshold"
        )]
    );
    // As before lists existed: an unknown key, a breaker's name, a fallback target.
    assert_eq!(
        retry_error("bogus(3)"),
        pair("expected `=` after `bogus`, e.g. `bogus = ...`", "bogus")
    );
    assert_eq!(
        breaker_found("openai(3)"),
        [
            pair("expected `=` after `openai`, e.g. `openai = ...`", "openai"),
            pair(
                "missing the breaker name, e.g. `#[circuit_breaker(openai)]` or `#[circuit_breaker(\"openai\")]`",
                ""
            ),
        ]
    );
    let (_, errors) = FallbackArgs::parse("secondary(3)".parse().unwrap(), Span::call_site());
    let messages: Vec<String> = errors.into_iter().map(|e| e.to_string()).collect();
    assert_eq!(
        messages,
        [
            "expected `=` after `secondary`, e.g. `secondary = ...`",
            "missing `to`: the function(s) to fall back to, e.g. `#[fallback(to = backup)]`"
        ]
    );
}
