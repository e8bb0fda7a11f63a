//! Feature `serde`: `LimiterConfig` in configuration files, with the keys of `#[rate_limit]`.
//! Written and read back equal in TOML and JSON; `rate` alone takes every other default
//! (`per` 1 s, `burst` = `rate`, `max_wait` 30 s); every rule is checked while reading, with an
//! error naming the field; a missing `rate`, unknown and repeated fields are errors.
#![cfg(feature = "serde")]

use std::collections::BTreeMap;
use std::time::Duration;

use retry_runtime::LimiterConfig;

const SEC: Duration = Duration::from_secs(1);

fn toml_error(text: &str) -> String {
    match toml::from_str::<LimiterConfig>(text) {
        Ok(c) => panic!("{text:?} was accepted as {c:?}"),
        Err(e) => e.message().to_string(),
    }
}

fn json_error(text: &str) -> String {
    match serde_json::from_str::<LimiterConfig>(text) {
        Ok(c) => panic!("{text:?} was accepted as {c:?}"),
        Err(e) => {
            let message = e.to_string();
            match message.rfind(" at line ") {
                Some(at) => message[..at].to_string(),
                None => message,
            }
        }
    }
}

#[test]
fn a_per_provider_file_reads_each_limiter() {
    let text = r#"
        [openai]
        rate = 500
        per = "1m"
        burst = 20
        max_wait = "5s"

        [anthropic_tokens]
        rate = 80000
        per = "1m"
    "#;
    let limits: BTreeMap<String, LimiterConfig> = toml::from_str(text).unwrap();
    assert_eq!(
        limits["openai"],
        LimiterConfig::new(500, 60 * SEC)
            .burst(20)
            .max_wait(5 * SEC)
    );
    assert_eq!(
        limits["anthropic_tokens"],
        LimiterConfig::new(80_000, 60 * SEC)
    );
}

#[test]
fn rate_alone_takes_every_other_default() {
    let c: LimiterConfig = toml::from_str("rate = 7").unwrap();
    assert_eq!(c, LimiterConfig::new(7, SEC));
    assert_eq!(
        (c.get_per(), c.get_burst(), c.get_max_wait()),
        (SEC, 7, 30 * SEC)
    );
}

#[test]
fn configurations_read_back_equal_from_toml_and_json() {
    let configs = [
        LimiterConfig::new(1, SEC),
        LimiterConfig::new(500, 60 * SEC).burst(20),
        LimiterConfig::new(3, Duration::from_millis(1_500)).max_wait(Duration::ZERO),
        LimiterConfig::new(u32::MAX, Duration::from_nanos(1)).burst(1),
        LimiterConfig::new(100, SEC).max_wait(Duration::from_nanos(1_000_000_007)),
        LimiterConfig::new(100, SEC).max_wait(Duration::MAX),
    ];
    for c in configs {
        let toml_text = toml::to_string(&c).unwrap();
        assert_eq!(
            toml::from_str::<LimiterConfig>(&toml_text).unwrap(),
            c,
            "{toml_text}"
        );
        let json_text = serde_json::to_string(&c).unwrap();
        assert_eq!(
            serde_json::from_str::<LimiterConfig>(&json_text).unwrap(),
            c,
            "{json_text}"
        );
    }
    assert_eq!(
        serde_json::to_value(LimiterConfig::new(500, 60 * SEC).burst(20)).unwrap(),
        serde_json::json!({ "rate": 500, "per": "1m", "burst": 20, "max_wait": "30s" })
    );
}

#[test]
fn every_rule_is_an_error_naming_its_field() {
    assert_eq!(json_error(r#"{"rate": 0}"#), "rate: must be at least 1");
    assert_eq!(
        json_error(r#"{"rate": -3}"#).split(':').next(),
        Some("rate")
    );
    assert_eq!(
        json_error(r#"{"rate": 5, "per": "0s"}"#),
        "per: must be greater than zero"
    );
    assert_eq!(
        json_error(r#"{"rate": 5, "burst": 0}"#),
        "burst: must be at least 1"
    );
    assert!(
        json_error(r#"{"rate": 1, "per": "100h", "burst": 4000000000}"#).starts_with("burst: "),
        "refilling such a burst takes centuries"
    );
    assert!(json_error(r#"{"rate": 5, "max_wait": "soon"}"#).starts_with("max_wait: "));
    assert!(
        toml_error("rate = 5\nper = 2").starts_with("per: "),
        "a bare number has no unit"
    );
    assert_eq!(json_error(r#"{"per": "1s"}"#), "missing field `rate`");
    assert!(json_error(r#"{"rate": 5, "rpm": 5}"#).starts_with("unknown field `rpm`"));
    assert!(json_error(r#"{"rate": 5, "rate": 6}"#).starts_with("duplicate field `rate`"));
}
