//! Feature `serde`: `RetryPolicy`, `BreakerConfig` and `RetryBudget` in configuration files.
//! The contract's TOML snippet parsed exactly; serialize-then-deserialize gives the same value
//! in TOML and JSON (hand-picked cases and generated policies); a missing field takes the
//! default; every rule is checked while reading, with an error naming the field; unknown and
//! repeated fields are errors; durations are the one grammar's literals, and every duration
//! written reads back.
#![cfg(feature = "serde")]

use std::collections::BTreeMap;
use std::time::Duration;

use proptest::prelude::*;
use retry_runtime::{Backoff, BreakerConfig, Jitter, RetryBudget, RetryPolicy, StateChange};
use serde::de::DeserializeOwned;
use serde::Serialize;

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

fn secs(n: u64) -> Duration {
    Duration::from_secs(n)
}

/// The value written to TOML and read back.
fn via_toml<T: Serialize + DeserializeOwned>(value: &T) -> T {
    let text = toml::to_string(value).expect("serializes to TOML");
    toml::from_str(&text).unwrap_or_else(|e| panic!("{text}\nreads back: {e}"))
}

/// The value written to JSON and read back.
fn via_json<T: Serialize + DeserializeOwned>(value: &T) -> T {
    let text = serde_json::to_string(value).expect("serializes to JSON");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{text}\nreads back: {e}"))
}

/// The message of reading `text` as a `T` from TOML, which must fail.
fn toml_error<T: DeserializeOwned + std::fmt::Debug>(text: &str) -> String {
    match toml::from_str::<T>(text) {
        Ok(value) => panic!("{text:?} was accepted as {value:?}"),
        Err(e) => e.message().to_string(),
    }
}

/// The message of reading `text` as a `T` from JSON, which must fail (without the position).
fn json_error<T: DeserializeOwned + std::fmt::Debug>(text: &str) -> String {
    match serde_json::from_str::<T>(text) {
        Ok(value) => panic!("{text:?} was accepted as {value:?}"),
        Err(e) => {
            let message = e.to_string();
            match message.rfind(" at line ") {
                Some(at) => message[..at].to_string(),
                None => message,
            }
        }
    }
}

// ---- the contract's snippet ----

#[test]
fn the_contracts_toml_snippet_reads_as_written() {
    let text = r#"
[openai.retry]
max_attempts = 4
initial_delay = "200ms"
max_retry_after = "60s"
[openai.breaker]
failure_rate = 0.5
window = "30s"
"#;
    let table: toml::Table = toml::from_str(text).unwrap();
    let openai = table["openai"].as_table().unwrap();
    let retry: RetryPolicy = openai["retry"].clone().try_into().unwrap();
    let breaker: BreakerConfig = openai["breaker"].clone().try_into().unwrap();

    assert_eq!(
        retry,
        RetryPolicy::exponential()
            .max_attempts(4)
            .initial_delay(ms(200))
            .max_retry_after(secs(60))
    );
    // Everything not given is the attribute's default.
    assert_eq!(retry.get_backoff(), Backoff::Exponential);
    assert_eq!(retry.get_max_delay(), secs(10));
    assert_eq!(retry.get_multiplier(), 2.0);
    assert_eq!(retry.get_jitter(), Jitter::Full);
    assert_eq!(retry.get_max_retry_after(), secs(60));
    assert_eq!((retry.get_max_elapsed(), retry.get_timeout()), (None, None));

    assert_eq!(
        breaker,
        BreakerConfig::new().failure_rate(0.5).window(secs(30))
    );
    assert_eq!(breaker.get_min_calls(), 10);
    assert_eq!(breaker.get_reset_timeout(), secs(30));
}

#[test]
fn a_typed_per_provider_map_reads_each_section() {
    // As a user's own `BTreeMap<String, Section>` would: each value read by its type.
    let text = r#"
[openai]
max_attempts = 5
backoff = "decorrelated"
[local]
backoff = "fixed"
initial_delay = "50ms"
jitter = "none"
"#;
    let providers: BTreeMap<String, RetryPolicy> = toml::from_str(text).unwrap();
    assert_eq!(
        providers["openai"],
        RetryPolicy::decorrelated().max_attempts(5)
    );
    assert_eq!(
        providers["local"],
        RetryPolicy::fixed()
            .initial_delay(ms(50))
            .jitter(Jitter::None)
    );
}

// ---- defaults ----

#[test]
fn an_empty_table_is_the_default() {
    assert_eq!(
        toml::from_str::<RetryPolicy>("").unwrap(),
        RetryPolicy::default()
    );
    assert_eq!(
        toml::from_str::<BreakerConfig>("").unwrap(),
        BreakerConfig::new()
    );
    assert_eq!(
        toml::from_str::<RetryBudget>("").unwrap(),
        RetryBudget::new()
    );
    assert_eq!(
        serde_json::from_str::<RetryPolicy>("{}").unwrap(),
        RetryPolicy::default()
    );
}

#[test]
fn a_backoff_alone_keeps_the_other_defaults() {
    let p: RetryPolicy = toml::from_str("backoff = \"linear\"").unwrap();
    assert_eq!(p, RetryPolicy::linear());
    assert_eq!(p.get_max_attempts(), 3);
}

#[test]
fn an_initial_delay_above_the_default_max_delay_lifts_it_as_the_setter_does() {
    let p: RetryPolicy = toml::from_str("initial_delay = \"30s\"").unwrap();
    assert_eq!(p.get_max_delay(), secs(30));
    assert_eq!(p, RetryPolicy::exponential().initial_delay(secs(30)));
    // The order of the file does not matter.
    let a: RetryPolicy = toml::from_str("max_delay = \"1s\"\ninitial_delay = \"10ms\"").unwrap();
    let b: RetryPolicy = toml::from_str("initial_delay = \"10ms\"\nmax_delay = \"1s\"").unwrap();
    assert_eq!(a, b);
}

#[test]
fn max_retries_is_max_attempts_counted_as_retries() {
    let p: RetryPolicy = toml::from_str("max_retries = 0").unwrap();
    assert_eq!(p.get_max_attempts(), 1);
}

#[test]
fn jitter_takes_words_and_fractions() {
    for (text, jitter) in [
        ("jitter = \"none\"", Jitter::None),
        ("jitter = \"full\"", Jitter::Full),
        ("jitter = \"equal\"", Jitter::Equal),
        ("jitter = 0.25", Jitter::Fraction(0.25)),
        ("jitter = 1", Jitter::Fraction(1.0)),
        ("jitter = 0", Jitter::Fraction(0.0)),
    ] {
        let p: RetryPolicy = toml::from_str(text).unwrap();
        assert_eq!(p.get_jitter(), jitter, "{text}");
    }
}

// ---- round trips ----

fn policies() -> Vec<RetryPolicy> {
    vec![
        RetryPolicy::default(),
        RetryPolicy::exponential()
            .max_attempts(7)
            .initial_delay(ms(250))
            .max_delay(Duration::new(90, 1))
            .multiplier(1.5)
            .jitter(Jitter::Fraction(0.1))
            .max_elapsed(Duration::new(3723, 4_005_006))
            .max_retry_after(secs(120))
            .timeout(ms(2500)),
        RetryPolicy::linear().jitter(Jitter::Equal).max_attempts(1),
        RetryPolicy::fixed()
            .initial_delay(Duration::ZERO)
            .jitter(Jitter::None),
        RetryPolicy::decorrelated()
            .max_delay(secs(3))
            .max_retries(9),
        RetryPolicy::exponential().initial_delay(secs(30)),
        RetryPolicy::exponential().max_delay(ms(50)),
        RetryPolicy::exponential()
            .multiplier(1.0)
            .jitter(Jitter::Fraction(1.0)),
        RetryPolicy::STANDARD,
        RetryPolicy::exponential().max_attempts(u32::MAX),
        RetryPolicy::fixed().max_delay(Duration::new(u64::MAX, 999_999_999)),
    ]
}

#[test]
fn policies_read_back_equal_from_toml_and_json() {
    for p in policies() {
        assert_eq!(via_toml(&p), p, "{}", toml::to_string(&p).unwrap());
        assert_eq!(via_json(&p), p, "{}", serde_json::to_string(&p).unwrap());
    }
}

#[test]
fn breakers_read_back_equal_from_toml_and_json() {
    let configs = [
        BreakerConfig::new(),
        BreakerConfig::new()
            .failure_threshold(3)
            .reset_timeout(ms(1500))
            .success_threshold(1)
            .half_open_max_calls(4),
        BreakerConfig::new()
            .failure_rate(0.5)
            .window(secs(30))
            .min_calls(20)
            .reset_timeout(secs(10)),
        BreakerConfig::new()
            .failure_rate(1.0)
            .window(Duration::new(1, 7)),
        BreakerConfig::new().success_threshold(1_048_575),
    ];
    for c in configs {
        assert_eq!(via_toml(&c), c, "{}", toml::to_string(&c).unwrap());
        assert_eq!(via_json(&c), c, "{}", serde_json::to_string(&c).unwrap());
    }
}

#[test]
fn budgets_read_back_equal_from_toml_and_json() {
    let budgets = [
        RetryBudget::new(),
        RetryBudget::new().ratio(0.2).min_per_sec(5).ttl(secs(30)),
        RetryBudget::new().ratio(0.0).min_per_sec(0).ttl(ms(1)),
        RetryBudget::new().ratio(1000.0).ttl(secs(3600)),
        RetryBudget::new().ratio(0.1 + 0.2),
    ];
    for b in budgets {
        assert_eq!(via_toml(&b), b);
        assert_eq!(via_json(&b), b);
    }
}

#[test]
fn the_written_form_uses_the_attributes_words_and_literals() {
    let p = RetryPolicy::linear()
        .max_attempts(4)
        .initial_delay(ms(1500))
        .max_delay(secs(90))
        .jitter(Jitter::Equal)
        .timeout(secs(2));
    assert_eq!(
        serde_json::to_value(p).unwrap(),
        serde_json::json!({
            "backoff": "linear",
            "max_attempts": 4,
            "initial_delay": "1s500ms",
            "max_delay": "1m30s",
            "jitter": "equal",
            "timeout": "2s",
        })
    );
    // Decorrelated backoff takes no jitter, and only exponential a multiplier: neither is
    // written where reading it back would be an error.
    let d = serde_json::to_value(RetryPolicy::decorrelated()).unwrap();
    assert!(d.get("jitter").is_none() && d.get("multiplier").is_none());
}

#[test]
fn the_state_change_hook_is_not_written() {
    fn hook(_: &StateChange) {}
    let with_hook = BreakerConfig::new().on_state_change(hook);
    assert_eq!(
        toml::to_string(&with_hook).unwrap(),
        toml::to_string(&BreakerConfig::new()).unwrap()
    );
    assert!(via_toml(&with_hook).get_on_state_change().is_none());
    assert_eq!(
        toml_error::<BreakerConfig>("on_state_change = \"log\""),
        "unknown field `on_state_change`, expected one of `failure_threshold`, `failure_rate`, \
         `window`, `min_calls`, `reset_timeout`, `success_threshold`, `half_open_max_calls`"
    );
}

#[test]
fn an_infinite_multiplier_is_an_error_to_write() {
    let p = RetryPolicy::exponential()
        .try_multiplier(f64::INFINITY)
        .unwrap();
    let err = toml::to_string(&p).unwrap_err().to_string();
    assert!(
        err.contains("multiplier: an infinite multiplier has no written form"),
        "{err}"
    );
    assert!(serde_json::to_string(&p).is_err());
}

/// A policy from generated values, through the fallible setters (`None` when a rule refuses
/// the combination).
#[allow(clippy::too_many_arguments)]
fn generated(
    backoff: u8,
    attempts: u32,
    initial: u64,
    max: u64,
    multiplier: f64,
    jitter: (u8, f64),
    limits: (Option<u64>, Option<u64>, Option<u64>),
) -> Option<RetryPolicy> {
    let mut p = match backoff % 4 {
        0 => RetryPolicy::exponential(),
        1 => RetryPolicy::linear(),
        2 => RetryPolicy::fixed(),
        _ => RetryPolicy::decorrelated(),
    };
    p = p.try_max_attempts(attempts).ok()?;
    p = p.try_initial_delay(Duration::from_nanos(initial)).ok()?;
    p = p.try_max_delay(Duration::from_nanos(max)).ok()?;
    if p.get_backoff() == Backoff::Exponential {
        p = p.try_multiplier(multiplier).ok()?;
    }
    if p.get_backoff() != Backoff::Decorrelated {
        let j = match jitter.0 % 4 {
            0 => Jitter::None,
            1 => Jitter::Full,
            2 => Jitter::Equal,
            _ => Jitter::Fraction(jitter.1),
        };
        p = p.try_jitter(j).ok()?;
    }
    if let Some(d) = limits.0 {
        p = p.try_max_elapsed(Duration::from_nanos(d)).ok()?;
    }
    if let Some(d) = limits.1 {
        p = p.try_max_retry_after(Duration::from_nanos(d)).ok()?;
    }
    if let Some(d) = limits.2 {
        p = p.try_timeout(Duration::from_nanos(d)).ok()?;
    }
    Some(p)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn generated_policies_read_back_equal(
        backoff in 0u8..4,
        attempts in 1u32..=u32::MAX,
        initial in 0u64..=u64::MAX,
        max in 1u64..=u64::MAX,
        multiplier in 1.0f64..1e6,
        jitter in (0u8..4, 0.0f64..=1.0),
        limits in (
            proptest::option::of(1u64..=u64::MAX),
            proptest::option::of(1u64..=u64::MAX),
            proptest::option::of(1u64..=u64::MAX),
        ),
    ) {
        if let Some(p) = generated(backoff, attempts, initial, max, multiplier, jitter, limits) {
            prop_assert_eq!(via_toml(&p), p);
            prop_assert_eq!(via_json(&p), p);
        }
    }

    #[test]
    fn every_written_duration_reads_back(secs in 0u64..=u64::MAX, nanos in 0u32..1_000_000_000) {
        let d = Duration::new(secs, nanos);
        let b = BreakerConfig::new().try_reset_timeout(d.max(Duration::from_nanos(1))).unwrap();
        prop_assert_eq!(via_toml(&b), b);
    }
}

// ---- errors name their field ----

#[test]
fn a_broken_rule_names_its_field() {
    let cases = [
        ("max_attempts = 0", "max_attempts: must be at least 1"),
        (
            "max_retries = 4294967295",
            "max_retries: must be below u32::MAX",
        ),
        (
            "max_attempts = 3\nmax_retries = 2",
            "max_retries: give either `max_attempts` or `max_retries`, not both",
        ),
        (
            "initial_delay = \"2s\"\nmax_delay = \"1s\"",
            "max_delay: is smaller than initial_delay",
        ),
        ("max_delay = \"0s\"", "max_delay: must be greater than zero"),
        ("multiplier = 0.5", "multiplier: must be at least 1.0"),
        (
            "backoff = \"linear\"\nmultiplier = 3",
            "multiplier: applies only to exponential backoff",
        ),
        (
            "jitter = 1.5",
            "jitter: a jitter fraction must lie in 0.0..=1.0",
        ),
        (
            "jitter = -0.1",
            "jitter: a jitter fraction must lie in 0.0..=1.0",
        ),
        (
            "backoff = \"decorrelated\"\njitter = \"full\"",
            "jitter: decorrelated backoff takes no jitter: it is random by itself",
        ),
        ("max_elapsed = \"0s\"", "max_elapsed: must be greater than zero"),
        (
            "max_retry_after = \"0s\"",
            "max_retry_after: must be greater than zero",
        ),
        ("timeout = \"0ms\"", "timeout: must be greater than zero"),
        (
            "backoff = \"expo\"",
            "backoff: unknown backoff `expo`; expected one of exponential, linear, fixed, decorrelated",
        ),
        (
            "jitter = \"half\"",
            "jitter: unknown jitter `half`; expected one of none, full, equal, or a fraction such as 0.25",
        ),
    ];
    for (text, message) in cases {
        assert_eq!(toml_error::<RetryPolicy>(text), message, "{text}");
    }
}

#[test]
fn a_values_own_rule_points_at_the_value_and_a_rule_between_fields_at_the_table() {
    let text = "backoff = \"fixed\"\nmax_attempts = 0\n";
    let e = toml::from_str::<RetryPolicy>(text).unwrap_err();
    assert_eq!(&text[e.span().unwrap()], "0");
    let text = "failure_rate = 0.5\nwindow = \"1m30\"\n";
    let e = toml::from_str::<BreakerConfig>(text).unwrap_err();
    assert_eq!(&text[e.span().unwrap()], "\"1m30\"");
    assert_eq!(
        e.message(),
        "window: duration needs a unit after `30`, e.g. \"1m30s\""
    );
    // Two fields at odds: no one value is wrong, so no value is pointed at.
    let text = "initial_delay = \"2s\"\nmax_delay = \"1s\"\n";
    let e = toml::from_str::<RetryPolicy>(text).unwrap_err();
    assert_eq!(e.message(), "max_delay: is smaller than initial_delay");
    assert!(e.span().is_none_or(|span| span.start == 0));
}

#[test]
fn breaker_and_budget_rules_name_their_fields() {
    let breaker = [
        (
            "failure_threshold = 0",
            "failure_threshold: must be at least 1",
        ),
        ("failure_rate = 1.5", "failure_rate: must lie in (0, 1]"),
        ("failure_rate = 0", "failure_rate: must lie in (0, 1]"),
        (
            "failure_threshold = 3\nfailure_rate = 0.5",
            "failure_rate: give either `failure_threshold` or `failure_rate`, not both",
        ),
        (
            "window = \"30s\"",
            "window: applies only with `failure_rate`, e.g. `failure_rate = 0.5`",
        ),
        (
            "min_calls = 5",
            "min_calls: applies only with `failure_rate`, e.g. `failure_rate = 0.5`",
        ),
        (
            "failure_rate = 0.5\nwindow = \"0s\"",
            "window: must be greater than zero",
        ),
        (
            "failure_rate = 0.5\nmin_calls = 0",
            "min_calls: must be at least 1",
        ),
        (
            "reset_timeout = \"0s\"",
            "reset_timeout: must be greater than zero",
        ),
        (
            "success_threshold = 0",
            "success_threshold: must be at least 1",
        ),
        (
            "half_open_max_calls = 2000000",
            "half_open_max_calls: must be at most 1048575",
        ),
    ];
    for (text, message) in breaker {
        assert_eq!(toml_error::<BreakerConfig>(text), message, "{text}");
    }
    let budget = [
        (
            "ratio = -0.5",
            "ratio: a retry budget's `ratio` must be a number in 0.0..=1000.0",
        ),
        (
            "ttl = \"2h\"",
            "ttl: a retry budget's `ttl` must be at most 1h",
        ),
        (
            "ttl = \"0s\"",
            "ttl: a retry budget's `ttl` must be at least 1ms",
        ),
        (
            "min_per_sec = -1",
            "min_per_sec: -1 is out of range: expected a whole number from 0 to 4294967295",
        ),
    ];
    for (text, message) in budget {
        assert_eq!(toml_error::<RetryBudget>(text), message, "{text}");
    }
}

#[test]
fn a_value_of_the_wrong_type_names_its_field_and_what_goes_there() {
    let cases = [
        (
            "max_attempts = \"3\"",
            "max_attempts: expected a whole number, found string \"3\"",
        ),
        (
            "max_attempts = 3.5",
            "max_attempts: expected a whole number, found floating point `3.5`",
        ),
        (
            "max_attempts = 5000000000",
            "max_attempts: 5000000000 is out of range: expected a whole number from 0 to 4294967295",
        ),
        (
            "multiplier = \"2\"",
            "multiplier: expected a number such as `2`, `1.5` or `0.25`, found string \"2\"",
        ),
        (
            "multiplier = inf",
            "multiplier: number out of range: it must be finite (an `f64` holds up to about 1.8e308)",
        ),
        (
            "jitter = true",
            "jitter: expected one of `none`, `full`, `equal`, or a fraction such as 0.25, found boolean `true`",
        ),
        (
            "backoff = 1",
            "backoff: expected one of `exponential`, `linear`, `fixed`, `decorrelated`, found integer `1`",
        ),
        (
            "initial_delay = [1, 2]",
            "initial_delay: expected a duration such as \"500ms\", \"2s\" or \"1m30s\", found sequence",
        ),
    ];
    for (text, message) in cases {
        assert_eq!(toml_error::<RetryPolicy>(text), message, "{text}");
    }
}

#[test]
fn unknown_and_repeated_fields_are_errors() {
    assert_eq!(
        toml_error::<RetryPolicy>("max_attempt = 3"),
        "unknown field `max_attempt`, expected one of `backoff`, `max_attempts`, `max_retries`, \
         `initial_delay`, `max_delay`, `multiplier`, `jitter`, `max_elapsed`, `max_retry_after`, \
         `timeout`"
    );
    assert_eq!(
        json_error::<RetryBudget>(r#"{"ratio": 0.1, "burst": 3}"#),
        "unknown field `burst`, expected one of `ratio`, `min_per_sec`, `ttl`"
    );
    // TOML refuses a repeated key itself; JSON leaves it to the reader.
    assert_eq!(
        json_error::<RetryPolicy>(r#"{"max_attempts": 3, "max_attempts": 4}"#),
        "duplicate field `max_attempts`"
    );
    assert!(toml::from_str::<RetryPolicy>("max_attempts = 3\nmax_attempts = 4").is_err());
}

#[test]
fn json_errors_name_the_field_too() {
    assert_eq!(
        json_error::<RetryPolicy>(r#"{"max_attempts": 0}"#),
        "max_attempts: must be at least 1"
    );
    assert_eq!(
        json_error::<BreakerConfig>(r#"{"window": "30s1m", "failure_rate": 0.5}"#),
        "window: unexpected `m` here: duration units go from largest to smallest, each once, \
         e.g. \"1m30s\""
    );
    assert_eq!(
        json_error::<RetryPolicy>(r#"{"timeout": null}"#),
        "timeout: expected a duration such as \"500ms\", \"2s\" or \"1m30s\", found unit value"
    );
}

// ---- one duration language ----

#[test]
fn durations_are_the_one_grammars_literals() {
    let accepted = [
        ("1m30s", secs(90)),
        ("250ms", ms(250)),
        ("1.5s", ms(1500)),
        ("1h2m3s4ms5us6ns", Duration::new(3723, 4_005_006)),
        ("10µs", Duration::from_micros(10)),
        ("0.5m", secs(30)),
    ];
    for (text, d) in accepted {
        let p: RetryPolicy = toml::from_str(&format!("max_elapsed = \"{text}\"")).unwrap();
        assert_eq!(p.get_max_elapsed(), Some(d), "{text}");
    }
    // Rejected by the attributes and by environment variables too, with the same words.
    let rejected = [
        (
            "30s1m",
            "unexpected `m` here: duration units go from largest to smallest, each once, e.g. \"1m30s\"",
        ),
        ("1e400s", "unknown duration unit `e`; expected one of ns, us, ms, s, m, h"),
        ("soon", "expected a duration such as \"500ms\", \"2s\" or \"1m30s\""),
        ("5sec", "unknown duration unit `sec`; did you mean `s`?"),
        ("1m 30s", "no spaces inside a duration: write \"1m30s\" or \"100ms\""),
        ("-1s", "a duration cannot be negative"),
        ("", "empty duration; expected a number and a unit, e.g. \"100ms\""),
        ("99999999999999999999h", "duration is too large"),
        // Bare seconds are for environment variables only.
        (
            "1.5",
            "duration needs a unit: \"1.5ms\" or \"1.5s\" (units: ns, us, ms, s, m, h)",
        ),
    ];
    for (text, message) in rejected {
        assert_eq!(
            toml_error::<RetryPolicy>(&format!("max_elapsed = \"{text}\"")),
            format!("max_elapsed: {message}"),
            "{text:?}"
        );
    }
    // A number where a duration goes says to add a unit, as an attribute's literal does.
    assert_eq!(
        toml_error::<RetryPolicy>("initial_delay = 100"),
        "initial_delay: duration needs a unit: \"100ms\" or \"100s\" (units: ns, us, ms, s, m, h)"
    );
}
