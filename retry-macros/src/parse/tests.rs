//! Unit tests of the parsing of all three attributes.

use std::time::Duration;

use proc_macro2::{Span, TokenStream};
use syn::Expr;

use super::convert::path_text;
use super::values::{Backoff, Jitter, PolicyValue, TimeoutValue};
use super::*;
use crate::keys::{Attribute, Key, BREAKER, FALLBACK, RETRY};
use crate::suggest;
use crate::valid;

/// Each error as (message, the source text it points at).
pub(crate) type Found = Vec<(String, String)>;

fn found(errors: Errors) -> Found {
    errors
        .into_iter()
        .map(|e| {
            let text = e.span().source_text().unwrap_or_default();
            (e.to_string(), text)
        })
        .collect()
}

fn tokens(src: &str) -> TokenStream {
    src.parse().unwrap_or_else(|e| panic!("{src}: {e}"))
}

/// Parses and validates one attribute as the driver does.
fn read(kind: Kind, src: &str) -> (Layer, Found) {
    let (layer, mut errors) = Layer::parse(kind, tokens(src), Span::call_site());
    valid::check_layer(&layer, &mut errors);
    (layer, found(errors))
}

fn retry(src: &str) -> (RetryArgs, Found) {
    let (layer, found) = read(Kind::Retry, src);
    let Layer::Retry(args) = layer else {
        unreachable!()
    };
    (*args, found)
}

fn breaker(src: &str) -> (BreakerArgs, Found) {
    let (layer, found) = read(Kind::Breaker, src);
    let Layer::Breaker(args) = layer else {
        unreachable!()
    };
    (*args, found)
}

fn fallback(src: &str) -> (FallbackArgs, Found) {
    let (layer, found) = read(Kind::Fallback, src);
    let Layer::Fallback(args) = layer else {
        unreachable!()
    };
    (*args, found)
}

/// The errors of `#[retry_on_failure(src)]`, for the tests of [`crate::valid`].
pub(crate) fn retry_found(src: &str) -> Found {
    read(Kind::Retry, src).1
}

/// The errors of `#[circuit_breaker(src)]`, for the tests of [`crate::valid`].
pub(crate) fn breaker_found(src: &str) -> Found {
    read(Kind::Breaker, src).1
}

/// The messages only.
fn messages(found: &Found) -> Vec<&str> {
    found.iter().map(|(m, _)| m.as_str()).collect()
}

/// The one error of `found`, as (message, span text).
fn only(found: Found) -> (String, String) {
    assert_eq!(found.len(), 1, "{found:#?}");
    found.into_iter().next().unwrap()
}

fn retry_error(src: &str) -> (String, String) {
    only(retry(src).1)
}

fn expr_text(expr: &Expr) -> String {
    quote::quote!(#expr).to_string()
}

// ---- retry: values ----

#[test]
fn retry_empty_is_valid() {
    let (args, found) = retry("");
    assert!(found.is_empty());
    assert!(args.max_attempts.is_none() && args.backoff.is_none() && args.krate.is_none());
}

#[test]
fn retry_every_key() {
    let (args, found) = retry(
        r#"max_attempts = 5, backoff = linear, initial_delay = "250ms", max_delay = "1m30s",
           jitter = 0.25, max_elapsed = "2m", timeout = "1.5s",
           when = |e| e.is_transient(), unless = is_fatal, retry_after = Error::hint,
           on_retry = |ev| log(ev), on_give_up = |ev| { alert(ev) },
           budget = "api", env = "LLM_2", policy = crate::POLICY, crate = "::my::rt""#,
    );
    assert!(found.is_empty(), "{found:#?}");
    assert_eq!(args.max_attempts.as_ref().unwrap().value, 5);
    assert_eq!(args.backoff.as_ref().unwrap().value, Backoff::Linear);
    assert_eq!(
        args.initial_delay.unwrap().value,
        Duration::from_millis(250)
    );
    assert_eq!(args.max_delay.unwrap().value, Duration::from_secs(90));
    assert_eq!(args.jitter.unwrap().value, Jitter::Fraction(0.25));
    assert_eq!(args.max_elapsed.unwrap().value, Duration::from_secs(120));
    assert!(matches!(
        args.timeout.unwrap().value,
        TimeoutValue::Fixed(d) if d == Duration::from_millis(1500)
    ));
    assert_eq!(
        expr_text(&args.when.unwrap().value),
        "| e | e . is_transient ()"
    );
    assert_eq!(expr_text(&args.unless.unwrap().value), "is_fatal");
    assert_eq!(expr_text(&args.retry_after.unwrap().value), "Error :: hint");
    assert!(args.on_retry.is_some() && args.on_give_up.is_some());
    assert_eq!(args.budget.unwrap().value.value(), "api");
    assert_eq!(args.env.unwrap().value.prefix.unwrap().value(), "LLM_2");
    let PolicyValue::Path(policy) = args.policy.unwrap().value else {
        panic!("a plain path is a constant policy")
    };
    assert_eq!(path_text(&policy), "crate::POLICY");
    assert_eq!(path_text(&args.krate.unwrap().value), "::my::rt");
}

#[test]
fn runtime_policy_and_timeout_expressions() {
    let (args, found) = retry("policy = &self.policies[model], timeout = self.timeout, validate = |v| check(v), timeout_error = |t| E::Timeout(t)");
    assert!(found.is_empty(), "{found:#?}");
    let PolicyValue::Runtime(policy) = args.policy.unwrap().value else {
        panic!("an expression is a runtime policy")
    };
    assert_eq!(expr_text(&policy), "& self . policies [model]");
    let TimeoutValue::Runtime(timeout) = args.timeout.unwrap().value else {
        panic!("an expression is a runtime timeout")
    };
    assert_eq!(expr_text(&timeout), "self . timeout");
    assert!(args.validate.is_some() && args.timeout_error.is_some());
    let (args, found) = retry("max_retry_after = \"1m\"");
    assert!(found.is_empty(), "{found:#?}");
    assert_eq!(args.max_retry_after.unwrap().value, Duration::from_secs(60));
    // A literal that is no policy, and a number that is no duration, are still errors.
    let (_, found) = retry("policy = 3, timeout = 5");
    assert_eq!(found.len(), 2, "{found:#?}");
}

#[test]
fn retry_numbers() {
    let (args, found) = retry("max_retries = 0, multiplier = 3");
    assert!(found.is_empty(), "{found:#?}");
    assert_eq!(args.max_retries.unwrap().value, 0);
    assert_eq!(args.multiplier.unwrap().value, 3.0);
    let (args, found) = retry("multiplier = 1.5, jitter = 1, max_attempts = 7u32");
    assert!(found.is_empty(), "{found:#?}");
    assert_eq!(args.multiplier.unwrap().value, 1.5);
    assert_eq!(args.jitter.unwrap().value, Jitter::Fraction(1.0));
    assert_eq!(args.max_attempts.unwrap().value, 7);
}

#[test]
fn retry_words() {
    for (src, backoff) in [
        ("exponential", Backoff::Exponential),
        ("linear", Backoff::Linear),
        ("fixed", Backoff::Fixed),
        ("decorrelated", Backoff::Decorrelated),
    ] {
        let (args, found) = retry(&format!("backoff = {src}"));
        assert!(found.is_empty());
        assert_eq!(args.backoff.unwrap().value, backoff);
        assert_eq!(backoff.name(), src);
    }
    for (src, jitter) in [
        ("none", Jitter::None),
        ("full", Jitter::Full),
        ("equal", Jitter::Equal),
    ] {
        let (args, found) = retry(&format!("jitter = {src}"));
        assert!(found.is_empty());
        assert_eq!(args.jitter.unwrap().value, jitter);
    }
}

#[test]
fn spans_are_kept() {
    let (args, found) = retry(r#"max_delay = "5s", max_attempts = 4"#);
    assert!(found.is_empty());
    let max_attempts = args.max_attempts.unwrap();
    assert_eq!(max_attempts.key_span.source_text().unwrap(), "max_attempts");
    assert_eq!(max_attempts.value_span.source_text().unwrap(), "4");
    assert_eq!(max_attempts.index, 1);
    let max_delay = args.max_delay.unwrap();
    assert_eq!(max_delay.value_span.source_text().unwrap(), "\"5s\"");
    assert_eq!(max_delay.index, 0);
    assert_eq!(
        max_delay.later_key(&max_attempts).source_text().unwrap(),
        "max_attempts"
    );
    assert_eq!(
        max_attempts.later_key(&max_delay).source_text().unwrap(),
        "max_attempts"
    );
}

#[test]
fn every_listed_key_is_handled() {
    type Parse = fn(&str) -> Found;
    let attributes: [(&Attribute, Parse); 3] = [
        // `timeout_error` needs a `timeout`.
        (&RETRY, |s| {
            let timeout = if s.starts_with("timeout_error") {
                ", timeout = \"1s\""
            } else {
                ""
            };
            retry(&format!("{s}{timeout}")).1
        }),
        // `window` and `min_calls` need `failure_rate`, `max_keys` needs `key`.
        (&BREAKER, |s| {
            let needs = if s.starts_with("window") || s.starts_with("min_calls") {
                ", failure_rate = 0.5"
            } else if s.starts_with("max_keys") {
                ", key = host"
            } else {
                ""
            };
            breaker(&format!("x, {s}{needs}")).1
        }),
        (&FALLBACK, |s| fallback(&format!("to = a, {s}")).1),
    ];
    for (attribute, parse) in attributes {
        for &(key, _) in attribute.keys {
            if matches!(key, Key::Name | Key::To) {
                continue;
            }
            let src = format!("{} = {}", key.name(), key.example());
            assert_eq!(parse(&src), Found::new(), "{src}");
        }
    }
}

// ---- retry: errors ----

#[test]
fn unknown_keys_suggest() {
    assert_eq!(
        retry_error("base_delay = \"1s\""),
        (
            "unknown key `base_delay`; did you mean `initial_delay`?".into(),
            "base_delay".into()
        )
    );
    assert_eq!(
        retry_error("max_atempts = 3").0,
        "unknown key `max_atempts`; did you mean `max_attempts`?"
    );
    assert_eq!(
        retry_error("r#retry_on = f").0,
        "unknown key `retry_on`; did you mean `when`?"
    );
    assert!(retry_error("colour = 3")
        .0
        .starts_with("unknown key `colour`; expected one of `max_attempts`"));
}

#[test]
fn duplicate_key_points_at_the_second() {
    let found = retry("max_attempts = 3, when = f, max_attempts = 4").1;
    assert_eq!(
        found,
        [(
            "duplicate key `max_attempts`".to_owned(),
            "max_attempts".to_owned()
        )]
    );
    // The first value is kept; the repeat's value is not even looked at.
    let (args, found) = retry(r#"max_attempts = 3, max_attempts = "x""#);
    assert_eq!(messages(&found), ["duplicate key `max_attempts`"]);
    assert_eq!(args.max_attempts.unwrap().value, 3);
    // A wrong first value still counts as given.
    let found = retry("max_attempts = 0, max_attempts = 2").1;
    assert_eq!(
        messages(&found),
        [
            "`max_attempts` must be at least 1",
            "duplicate key `max_attempts`"
        ]
    );
}

#[test]
fn integers() {
    assert_eq!(
        retry_error("max_attempts = \"3\""),
        (
            "expected an integer, not a string: `max_attempts = 3`".into(),
            "\"3\"".into()
        )
    );
    assert_eq!(
        retry_error("max_attempts = 2.5").0,
        "expected an integer, e.g. `max_attempts = 3`"
    );
    assert_eq!(
        retry_error("max_attempts = N").0,
        "expected an integer, e.g. `max_attempts = 3`"
    );
    assert_eq!(
        retry_error("max_attempts = 0"),
        ("`max_attempts` must be at least 1".into(), "0".into())
    );
    assert_eq!(
        retry_error("max_attempts = -2"),
        ("`max_attempts` must be at least 1".into(), "-2".into())
    );
    assert_eq!(
        retry_error("max_retries = -1").0,
        "`max_retries` cannot be negative"
    );
    assert_eq!(
        retry_error("max_attempts = 4294967296").0,
        "`max_attempts` is too large; at most 4294967295"
    );
    assert_eq!(
        retry_error("max_retries = 4294967295").0,
        "`max_retries` is too large; at most 4294967294"
    );
    assert_eq!(
        retry_error("max_attempts = 999999999999999999999999999999999999999999").0,
        "`max_attempts` is too large; at most 4294967295"
    );
    assert_eq!(
        retry_error("max_attempts = 3ms").0,
        "expected an integer, e.g. `max_attempts = 3`"
    );
}

#[test]
fn missing_values() {
    assert_eq!(
        retry_error("max_attempts"),
        (
            "missing value for `max_attempts`, e.g. `max_attempts = 3`".into(),
            "max_attempts".into()
        )
    );
    assert_eq!(
        retry_error("max_attempts =, backoff = fixed"),
        (
            "missing value for `max_attempts`, e.g. `max_attempts = 3`".into(),
            "=".into()
        )
    );
    assert_eq!(
        retry_error("initial_delay ="),
        (
            "missing value for `initial_delay`, e.g. `initial_delay = \"100ms\"`".into(),
            "=".into()
        )
    );
}

#[test]
fn durations() {
    assert_eq!(
        retry_error("initial_delay = \"100\""),
        (
            "duration needs a unit: \"100ms\" or \"100s\" (units: ns, us, ms, s, m, h)".into(),
            "\"100\"".into()
        )
    );
    assert_eq!(
        retry_error("max_delay = \"5 minutes\"").0,
        "no spaces inside a duration: write \"1m30s\" or \"100ms\""
    );
    assert_eq!(
        retry_error("max_delay = \"5mins\"").0,
        "unknown duration unit `mins`; did you mean `m`?"
    );
    assert_eq!(
        retry_error("max_delay = \"soon\""),
        (
            "expected a duration such as \"500ms\", \"2s\" or \"1m30s\"".into(),
            "\"soon\"".into()
        )
    );
    assert_eq!(
        retry_error("max_delay = \"30s1m\"").0,
        "unexpected `m` here: duration units go from largest to smallest, each once, e.g. \"1m30s\""
    );
    assert_eq!(
        retry_error("max_delay = \"\"").0,
        "empty duration; expected a number and a unit, e.g. \"100ms\""
    );
    assert_eq!(
        retry_error("initial_delay = 100ms"),
        (
            "write the duration as a string: `initial_delay = \"100ms\"`".into(),
            "100ms".into()
        )
    );
    assert_eq!(
        retry_error("timeout = 1.5s").0,
        "write the duration as a string: `timeout = \"1.5s\"`"
    );
    assert_eq!(
        retry_error("max_delay = 1m30s").0,
        "write the duration as a string: `max_delay = \"1m30s\"`"
    );
    assert_eq!(
        retry_error("timeout = 5").0,
        "a duration needs a unit and quotes: `timeout = \"5s\"` or `timeout = \"5ms\"`"
    );
    assert_eq!(
        retry_error("max_delay = Duration::from_secs(5)").0,
        "expected a duration string, e.g. `max_delay = \"10s\"`"
    );
}

#[test]
fn zero_durations() {
    for key in ["max_delay", "timeout", "max_elapsed"] {
        assert_eq!(
            retry_error(&format!("{key} = \"0s\"")),
            (
                format!("`{key}` must be greater than zero"),
                "\"0s\"".into()
            )
        );
    }
    let (args, found) = retry("initial_delay = \"0ms\"");
    assert!(found.is_empty());
    assert_eq!(args.initial_delay.unwrap().value, Duration::ZERO);
}

#[test]
fn multiplier_and_jitter_ranges() {
    assert_eq!(
        retry_error("multiplier = 0.5"),
        ("`multiplier` must be at least 1.0".into(), "0.5".into())
    );
    assert_eq!(
        retry_error("multiplier = -2.0").0,
        "`multiplier` must be at least 1.0"
    );
    assert_eq!(
        retry_error("multiplier = \"2\"").0,
        "expected a number, not a string: `multiplier = 2`"
    );
    assert_eq!(
        retry_error("multiplier = 1e999"),
        (
            "number out of range: it must be finite (an `f64` holds up to about 1.8e308)".into(),
            "1e999".into()
        )
    );
    assert_eq!(
        retry_error("multiplier = 1e400").0,
        "number out of range: it must be finite (an `f64` holds up to about 1.8e308)"
    );
    assert_eq!(
        only(breaker("x, failure_rate = 1e400").1).0,
        "number out of range: it must be finite (an `f64` holds up to about 1.8e308)"
    );
    assert_eq!(
        retry_error("jitter = 1.5"),
        (
            "`jitter` fraction must be in 0.0..=1.0".into(),
            "1.5".into()
        )
    );
    assert_eq!(
        retry_error("jitter = -0.1").0,
        "`jitter` fraction must be in 0.0..=1.0"
    );
}

#[test]
fn word_values() {
    assert_eq!(
        retry_error("backoff = exponentail"),
        (
            "unknown backoff `exponentail`; did you mean `exponential`?".into(),
            "exponentail".into()
        )
    );
    assert_eq!(
        retry_error("backoff = constant").0,
        "unknown backoff `constant`; did you mean `fixed`?"
    );
    assert_eq!(
        retry_error("backoff = Backoff::Linear").0,
        "unknown backoff `Backoff::Linear`; did you mean `linear`?"
    );
    assert_eq!(
        retry_error("backoff = \"linear\"").0,
        "write `backoff = linear` without quotes"
    );
    assert_eq!(
        retry_error("backoff = quadratic").0,
        "unknown backoff `quadratic`; expected one of `exponential`, `linear`, `fixed`, `decorrelated`"
    );
    assert_eq!(
        retry_error("backoff = 2").0,
        "expected one of `exponential`, `linear`, `fixed`, `decorrelated`"
    );
    assert_eq!(
        retry_error("jitter = None").0,
        "unknown jitter `None`; did you mean `none`?"
    );
    assert_eq!(
        retry_error("jitter = true").0,
        "unknown jitter `true`; did you mean `full`?"
    );
    assert_eq!(
        retry_error("jitter = gaussian").0,
        "unknown jitter `gaussian`; expected one of `none`, `full`, `equal`, or a fraction in 0.0..=1.0"
    );
}

#[test]
fn callables_strings_paths() {
    assert_eq!(
        retry_error("when = true"),
        (
            "`when` expects a closure or a function, e.g. `when = |e| e.is_transient()`".into(),
            "true".into()
        )
    );
    assert_eq!(
        retry_error("on_give_up = \"log\"").0,
        "`on_give_up` expects a closure or a function, e.g. `on_give_up = |event| log(event)`"
    );
    assert_eq!(
        retry_error("budget = api").0,
        "write it as a string: `budget = \"api\"`"
    );
    assert_eq!(
        retry_error("budget = \" \"").0,
        "`budget` needs a name, e.g. `budget = \"api\"`"
    );
    assert_eq!(
        retry_error("budget = 3").0,
        "expected a string, e.g. `budget = \"api\"`"
    );
    assert_eq!(
        retry_error("policy = \"FAST\"").0,
        "write the path without quotes: `policy = FAST`"
    );
    assert_eq!(
        retry_error("policy = 3").0,
        "`policy` expects a `RetryPolicy`: a path to a const or static such as `policy = MY_POLICY`, or an expression such as `policy = self.retry_policy`"
    );
    // A qualified path and a call are policies read at run time.
    assert!(retry("policy = <S as Presets>::FAST, timeout = make()")
        .1
        .is_empty());
    assert_eq!(
        retry_error("crate = ::rt").0,
        "write the path as a string: `crate = \"::rt\"`"
    );
    assert_eq!(
        retry_error("crate = \"not a path\""),
        (
            "`crate` must be a path such as \"::retry_runtime\"".into(),
            "\"not a path\"".into()
        )
    );
}

#[test]
fn env_prefixes() {
    for ok in ["LLM", "_X", "A1_B"] {
        assert!(retry(&format!("env = \"{ok}\"")).1.is_empty(), "{ok}");
    }
    let cases = [
        ("", "`env` needs a prefix, e.g. `env = \"LLM\"`"),
        (
            "LL M",
            "`env` prefix must be uppercase letters, digits and `_`, e.g. \"LLM\"",
        ),
        (
            "LLM-1",
            "`env` prefix must be uppercase letters, digits and `_`, e.g. \"LLM\"",
        ),
        ("1LLM", "`env` prefix must start with a letter or `_`"),
        ("llm", "`env` prefix must be uppercase: \"LLM\""),
        (
            "LLM_",
            "`env` prefix must not end with `_`: \"LLM\" already reads `LLM_MAX_ATTEMPTS`",
        ),
    ];
    for (prefix, message) in cases {
        assert_eq!(
            retry_error(&format!("env = \"{prefix}\"")).0,
            message,
            "{prefix:?}"
        );
    }
    assert_eq!(
        retry_error("env = LLM").0,
        "write it as a string: `env = \"LLM\"`"
    );
}

#[test]
fn syntax_errors_are_recovered() {
    let found = retry("max_attempts: 3, backoff(fixed), 5, max_delay = \"0s\"").1;
    assert_eq!(
        found,
        [
            (
                "expected `=` after `max_attempts`, e.g. `max_attempts = 3`".into(),
                "max_attempts".into()
            ),
            (
                "expected `=` after `backoff`, e.g. `backoff = exponential`".into(),
                "backoff".into()
            ),
            (
                "expected `key = value`, e.g. `max_attempts = 5`".into(),
                "5".into()
            ),
            (
                "`max_delay` must be greater than zero".into(),
                "\"0s\"".into()
            ),
        ]
    );
    let found = retry("max_attempts = 3 4, jitter = full").1;
    assert_eq!(found, [("expected `,`".into(), "4".into())]);
    let found = retry("when = |e| , max_attempts = 0").1;
    assert_eq!(messages(&found).len(), 2, "{found:#?}");
    assert_eq!(messages(&found)[1], "`max_attempts` must be at least 1");
    // Closures with several parameters and generic paths keep their commas.
    let (args, found) = retry("when = |a, b| a == b, unless = f::<A, B>, max_attempts = 2");
    assert!(found.is_empty(), "{found:#?}");
    assert_eq!(args.max_attempts.unwrap().value, 2);
}

#[test]
fn all_errors_of_one_attribute_together() {
    let found = retry(
        r#"max_attempts = 0, base_delay = "1s", max_delay = "100", multiplier = 0.5,
           jitter = 2.0, timeout = "0s", max_delay = "1s", when = 3, colour = red"#,
    )
    .1;
    let unknown = format!(
        "unknown key `colour`; expected one of {}",
        suggest::one_of(&RETRY.key_names())
    );
    assert_eq!(
        messages(&found),
        [
            "`max_attempts` must be at least 1",
            "unknown key `base_delay`; did you mean `initial_delay`?",
            "duration needs a unit: \"100ms\" or \"100s\" (units: ns, us, ms, s, m, h)",
            "`multiplier` must be at least 1.0",
            "`jitter` fraction must be in 0.0..=1.0",
            "`timeout` must be greater than zero",
            "duplicate key `max_delay`",
            "`when` expects a closure or a function, e.g. `when = |e| e.is_transient()`",
            unknown.as_str(),
        ]
    );
}

// ---- breaker ----

#[test]
fn breaker_names() {
    for src in [
        "openai",
        "\"openai\"",
        "name = \"openai\"",
        "name = openai",
        "r#openai",
    ] {
        let (args, found) = breaker(src);
        assert!(found.is_empty(), "{src}: {found:#?}");
        let name = args.name.unwrap();
        assert_eq!(name.value.value(), "openai", "{src}");
        assert_eq!(name.index, 0);
    }
    let (args, found) = breaker("failure_threshold = 3, name = \"db\"");
    assert!(found.is_empty());
    let name = args.name.unwrap();
    assert_eq!(name.key_span.source_text().unwrap(), "name");
    assert_eq!(name.value_span.source_text().unwrap(), "\"db\"");
}

#[test]
fn breaker_name_errors() {
    assert_eq!(
        only(breaker("failure_threshold = 3").1).0,
        "missing the breaker name, e.g. `#[circuit_breaker(openai)]` or `#[circuit_breaker(\"openai\")]`"
    );
    assert_eq!(
        only(breaker("").1).0,
        only(breaker("failure_threshold = 3").1).0
    );
    assert_eq!(
        only(breaker("\"\"").1),
        ("the breaker name must not be empty".into(), "\"\"".into())
    );
    assert_eq!(
        only(breaker("3").1).0,
        "the breaker name must be an identifier or a string, e.g. `openai` or \"openai\""
    );
    assert_eq!(
        only(breaker("openai, name = \"x\"").1),
        ("the breaker name is given twice".into(), "name".into())
    );
    assert_eq!(
        only(breaker("reset_timeout = \"1s\", \"openai\"").1),
        (
            "the breaker name comes first: `#[circuit_breaker(\"openai\", ...)]`".into(),
            "\"openai\"".into()
        )
    );
    // An invalid name still counts as given: no "missing" on top.
    assert_eq!(messages(&breaker("name = 3").1).len(), 1);
}

#[test]
fn breaker_every_key() {
    let (args, found) = breaker(
        r#"openai, failure_rate = 0.5, window = "30s", min_calls = 20, reset_timeout = "1m",
           success_threshold = 3, half_open_max_calls = 2, when = |e| !e.is_client(),
           on_state_change = report, env = "OPENAI", crate = "::rt""#,
    );
    assert!(found.is_empty(), "{found:#?}");
    assert_eq!(args.failure_rate.unwrap().value, 0.5);
    assert_eq!(args.window.unwrap().value, Duration::from_secs(30));
    assert_eq!(args.min_calls.unwrap().value, 20);
    assert_eq!(args.reset_timeout.unwrap().value, Duration::from_secs(60));
    assert_eq!(args.success_threshold.unwrap().value, 3);
    assert_eq!(args.half_open_max_calls.unwrap().value, 2);
    assert!(args.when.is_some() && args.on_state_change.is_some());
    assert_eq!(args.env.unwrap().value.prefix.unwrap().value(), "OPENAI");
    assert!(args.krate.is_some());
    let (args, found) = breaker("x, failure_threshold = 7, failure_rate_ok = 1");
    assert_eq!(
        messages(&found),
        ["unknown key `failure_rate_ok`; did you mean `failure_rate`?"]
    );
    assert_eq!(args.failure_threshold.unwrap().value, 7);
    assert_eq!(
        breaker("x, failure_rate = 1").0.failure_rate.unwrap().value,
        1.0
    );
}

#[test]
fn breaker_keyed_keys() {
    let (args, found) = breaker(
        "openai, key = self.base_url(), max_keys = 64, open_error = |open| E::Down(open.to_string())",
    );
    assert!(found.is_empty(), "{found:#?}");
    assert!(args.key.is_some() && args.open_error.is_some());
    assert_eq!(args.max_keys.unwrap().value, 64);
    // Any expression is a key, a literal included.
    assert!(breaker("x, key = \"fixed\"").1.is_empty());
    assert_eq!(
        messages(&breaker("x, key, max_keys = 0, open_error = 3").1),
        [
            "missing value for `key`, e.g. `key = self.base_url()`",
            "`max_keys` must be at least 1",
            "`open_error` expects a closure or a function, e.g. `open_error = |open| MyError::Unavailable(open.to_string())`",
        ]
    );
    assert_eq!(
        messages(&breaker("x, keyed_by = host, on_rejected = f").1),
        [
            "unknown key `keyed_by`; did you mean `key`?",
            "unknown key `on_rejected`; did you mean `open_error`?",
        ]
    );
}

#[test]
fn breaker_value_errors() {
    let found = breaker(
        r#"x, failure_threshold = 0, success_threshold = 0, half_open_max_calls = 0,
           min_calls = 0, reset_timeout = "0s", window = "0s", timeout = "1s""#,
    )
    .1;
    assert_eq!(
        messages(&found),
        [
            "`failure_threshold` must be at least 1",
            "`success_threshold` must be at least 1",
            "`half_open_max_calls` must be at least 1",
            "`min_calls` must be at least 1",
            "`reset_timeout` must be greater than zero",
            "`window` must be greater than zero",
            "unknown key `timeout`; did you mean `reset_timeout`?",
        ]
    );
    for (rate, message) in [
        ("0", "`failure_rate` must be in (0, 1]"),
        ("0.0", "`failure_rate` must be in (0, 1]"),
        ("-0.5", "`failure_rate` must be in (0, 1]"),
        ("1.01", "`failure_rate` must be in (0, 1]"),
        (
            "50",
            "`failure_rate` must be in (0, 1]; for 50% write `0.5`",
        ),
        ("500", "`failure_rate` must be in (0, 1]"),
    ] {
        let found = breaker(&format!("x, failure_rate = {rate}")).1;
        assert_eq!(only(found), (message.to_owned(), rate.to_owned()), "{rate}");
    }
    assert_eq!(
        only(breaker("x, max_attempts = 3").1).0,
        "unknown key `max_attempts` for `#[circuit_breaker]`; it belongs to `#[retry_on_failure]`"
    );
}

// ---- fallback ----

#[test]
fn fallback_targets_parse() {
    let (args, found) = fallback("to = backup");
    assert!(found.is_empty());
    let to = args.to.unwrap();
    assert_eq!(to.value.len(), 1);
    assert_eq!(to.key_span.source_text().unwrap(), "to");
    let (args, found) = fallback(
        "to = [Self::cache, remote::<T>, <T as Source>::fetch], when = |e| e.is_down(), on_fallback = log, crate = \"::rt\"",
    );
    assert!(found.is_empty(), "{found:#?}");
    let targets: Vec<String> = args
        .to
        .unwrap()
        .value
        .iter()
        .map(|p| quote::quote!(#p).to_string().replace(' ', ""))
        .collect();
    assert_eq!(
        targets,
        ["Self::cache", "remote::<T>", "<TasSource>::fetch"]
    );
    assert!(args.when.is_some() && args.on_fallback.is_some() && args.krate.is_some());
}

#[test]
fn fallback_errors() {
    assert_eq!(
        only(fallback("when = f").1).0,
        "missing `to`: the function(s) to fall back to, e.g. `#[fallback(to = backup)]`"
    );
    assert_eq!(only(fallback("").1).0, only(fallback("when = f").1).0);
    assert_eq!(
        only(fallback("to = []").1),
        (
            "`to` needs at least one target, e.g. `to = [backup]`".into(),
            "[]".into()
        )
    );
    let (args, found) = fallback("to = [a, self.b, \"c\", d]");
    assert_eq!(
        found,
        [
            (
                "a fallback target must be a path to a function, e.g. `backup` or `Self::backup`"
                    .into(),
                "self.b".into()
            ),
            (
                "write the target without quotes: `c`".into(),
                "\"c\"".into()
            ),
        ]
    );
    assert_eq!(args.to.unwrap().value.len(), 2);
    assert_eq!(only(fallback("backup").1).0, "expected `to = backup`");
    assert_eq!(
        only(fallback("Self::backup").1).0,
        "expected `to = Self::backup`"
    );
    assert_eq!(
        only(fallback("to = a, fallbacks = [b]").1).0,
        "unknown key `fallbacks`; did you mean `to`?"
    );
    assert_eq!(
        only(fallback("to = a, fallback_condition = f").1).0,
        "unknown key `fallback_condition`; did you mean `when`?"
    );
    assert_eq!(
        messages(&fallback("to = a, to = b, when = 1").1),
        [
            "duplicate key `to`",
            "`when` expects a closure or a function, e.g. `when = |e| e.is_transient()`"
        ]
    );
}
