//! `env`: overrides read from the environment once per site, never panicking. Where they are
//! read is an [`EnvNames`]: a prefix (`env = "LLM"` reads `LLM_MAX_ATTEMPTS`...), variables
//! named one by one (`env(max_retries = "LLM_MAX_RETRIES")`), or both. This file applies a
//! retry's overrides; a breaker's are applied by `breaker/registry.rs` through the same
//! [`EnvNames::read`].

use std::sync::OnceLock;
use std::time::Duration;

use crate::duration;
use crate::policy::{Jitter, RetryPolicy};

/// Where a site reads its overrides: the variables of a prefix, variables named per key, or
/// both. A key's variable is the one named for it, else `{prefix}_{KEY}` (the key's name in
/// capitals: `LLM_MAX_ATTEMPTS` for `max_attempts`); with both given and set, the named one
/// wins and the prefix's is ignored with a warning when it differs.
///
/// Keys are the attributes' key names (`"initial_delay"`); the macro checks the names and the
/// variables at compile time.
///
/// ```
/// use retry_runtime::RetryPolicy;
/// use retry_runtime::__private::{EnvNames, EnvSite};
/// // `env(prefix = "NAMES_DOC", max_retries = "NAMES_DOC_RETRIES")`
/// static SITE: EnvSite =
///     EnvSite::new(EnvNames::new(Some("NAMES_DOC"), &[("max_retries", "NAMES_DOC_RETRIES")]));
/// std::env::set_var("NAMES_DOC_RETRIES", "4");
/// std::env::set_var("NAMES_DOC_INITIAL_DELAY", "20ms");
/// let policy = SITE.get(&RetryPolicy::fixed());
/// assert_eq!(policy.get_max_attempts(), 5);
/// assert_eq!(policy.get_initial_delay(), std::time::Duration::from_millis(20));
/// ```
#[doc(hidden)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EnvNames {
    prefix: Option<&'static str>,
    named: &'static [(&'static str, &'static str)],
}

impl EnvNames {
    /// Variables read through `prefix`, if any, and the `(key, variable)` pairs of `named`.
    pub const fn new(
        prefix: Option<&'static str>,
        named: &'static [(&'static str, &'static str)],
    ) -> Self {
        EnvNames { prefix, named }
    }

    /// The variables `key` is read from: the one named for it, and the prefix's (left out
    /// when it is the named one).
    pub(crate) fn variables(&self, key: &str) -> (Option<&'static str>, Option<String>) {
        let named = self
            .named
            .iter()
            .find(|(k, _)| *k == key)
            .map(|&(_, variable)| variable);
        let prefixed = self
            .prefix
            .map(|prefix| format!("{prefix}_{}", key.to_ascii_uppercase()))
            .filter(|variable| Some(variable.as_str()) != named);
        (named, prefixed)
    }

    /// `key`'s variable and value, if one of its variables is set (see [`variables`](Self::variables));
    /// with both set to different values, the prefix's is reported to `warn` and ignored.
    pub(crate) fn read(
        &self,
        key: &str,
        lookup: &impl Fn(&str) -> Option<String>,
        warn: &mut impl FnMut(String),
    ) -> Option<(String, String)> {
        let (named, prefixed) = self.variables(key);
        let named = named.and_then(|name| lookup(name).map(|value| (name.to_owned(), value)));
        let prefixed = prefixed.and_then(|name| lookup(&name).map(|value| (name, value)));
        match (named, prefixed) {
            (Some(named), Some((name, value))) => {
                if value != named.1 {
                    warn(format!(
                        "ignoring {name}={value:?}: {} is set too, and it wins",
                        named.0
                    ));
                }
                Some(named)
            }
            (named, prefixed) => named.or(prefixed),
        }
    }
}

/// A site's `env`: the overrides applied, on the first call, to the policy the expansion
/// passes (an inline constant, which may name `Self`; a `static` cannot).
///
/// Reads the variables of `max_attempts`, `max_retries`, `initial_delay`, `max_delay`,
/// `multiplier`, `jitter`, `max_elapsed` and `max_retry_after` once (see [`EnvNames`]); an
/// unusable value is ignored with one warning.
///
/// ```
/// use retry_runtime::RetryPolicy;
/// use retry_runtime::__private::{EnvNames, EnvSite};
/// static SITE: EnvSite = EnvSite::new(EnvNames::new(Some("ENV_SITE_DOC"), &[]));
/// const BASE: RetryPolicy = RetryPolicy::fixed().max_attempts(2);
/// assert_eq!(SITE.get(&BASE).get_max_attempts(), 2);
/// ```
#[doc(hidden)]
#[derive(Debug)]
pub struct EnvSite {
    names: EnvNames,
    resolved: OnceLock<RetryPolicy>,
}

impl EnvSite {
    /// A site reading its overrides from the variables of `names`.
    pub const fn new(names: EnvNames) -> Self {
        EnvSite {
            names,
            resolved: OnceLock::new(),
        }
    }

    /// `base` with the overrides applied (read on the first call only; `base` is the site's
    /// constant, the same on every call).
    #[inline]
    pub fn get(&self, base: &RetryPolicy) -> &RetryPolicy {
        self.resolved.get_or_init(|| {
            apply_overrides(*base, &self.names, |name| std::env::var(name).ok(), warn)
        })
    }
}

fn warn(message: String) {
    #[cfg(feature = "tracing")]
    tracing::warn!(target: "retry_runtime", "{message}");
    #[cfg(not(feature = "tracing"))]
    eprintln!("warning: retry_runtime: {message}");
}

/// Applies the overrides found by `lookup` under `names` to `base`; each unusable one is
/// reported to `warn` and ignored. Every value is checked by the setters' own rules against
/// the rest of the policy.
pub(crate) fn apply_overrides(
    base: RetryPolicy,
    names: &EnvNames,
    lookup: impl Fn(&str) -> Option<String>,
    mut warn: impl FnMut(String),
) -> RetryPolicy {
    let mut read = |key: &str| names.read(key, &lookup, &mut warn);
    let attempts = read("max_attempts");
    let retries = read("max_retries");
    let multiplier = read("multiplier");
    let jitter = read("jitter");
    let initial = read("initial_delay");
    let max = read("max_delay");
    let elapsed = read("max_elapsed");
    let retry_after = read("max_retry_after");

    let mut policy = base;
    let mut reject = |name: &str, value: &str, why: &str| {
        warn(format!("ignoring {name}={value:?}: {why}"));
    };
    match (&attempts, &retries) {
        (Some((name, _)), Some((other, value))) => {
            reject(other, value, &format!("{name} is set too, and it wins"))
        }
        (None, Some((name, value))) => match value.trim().parse::<u32>() {
            Ok(n) => match policy.check_max_retries(n) {
                Ok(p) => policy = p,
                Err(why) => reject(name, value, why),
            },
            Err(_) => reject(name, value, "expected a whole number"),
        },
        _ => {}
    }
    if let Some((name, value)) = &attempts {
        match value.trim().parse::<u32>() {
            Ok(n) => match policy.check_max_attempts(n) {
                Ok(p) => policy = p,
                Err(why) => reject(name, value, why),
            },
            Err(_) => reject(name, value, "expected a whole number >= 1"),
        }
    }

    if let Some((name, value)) = &multiplier {
        match duration::parse_number(value) {
            Ok(m) => match policy.check_multiplier(m) {
                Ok(p) => policy = p,
                Err(why) => reject(name, value, why),
            },
            Err(why) => reject(name, value, &why.to_string()),
        }
    }
    if let Some((name, value)) = &jitter {
        match parse_jitter(value) {
            Ok(j) => match policy.check_jitter(j) {
                Ok(p) => policy = p,
                Err(why) => reject(name, value, why),
            },
            Err(why) => reject(name, value, &why),
        }
    }

    let duration = |entry: Option<(String, String)>, reject: &mut dyn FnMut(&str, &str, &str)| {
        let (name, value) = entry?;
        match parse_duration(&value) {
            Ok(d) => Some((name, value, d)),
            Err(why) => {
                reject(&name, &value, &why);
                None
            }
        }
    };
    let initial = duration(initial, &mut reject);
    let max = duration(max, &mut reject);
    match (initial, max) {
        (Some((_, _, i)), Some((name, value, m))) => match policy.check_delays(i, m) {
            Ok(p) => policy = p,
            Err(why) => reject(&name, &value, why),
        },
        (Some((name, value, i)), None) => match policy.check_initial_delay(i) {
            Ok(p) => policy = p,
            Err(why) => reject(&name, &value, why),
        },
        (None, Some((name, value, m))) => match policy.check_max_delay(m) {
            Ok(p) => policy = p,
            Err(why) => reject(&name, &value, why),
        },
        (None, None) => {}
    }
    if let Some((name, value, d)) = duration(elapsed, &mut reject) {
        match policy.check_max_elapsed(d) {
            Ok(p) => policy = p,
            Err(why) => reject(&name, &value, why),
        }
    }
    if let Some((name, value, d)) = duration(retry_after, &mut reject) {
        match policy.check_max_retry_after(d) {
            Ok(p) => policy = p,
            Err(why) => reject(&name, &value, why),
        }
    }
    policy
}

/// A jitter as the attribute writes it: `none`, `full`, `equal`, or a fraction (`0.25`; its
/// range is [`RetryPolicy::try_jitter`]'s rule).
fn parse_jitter(text: &str) -> Result<Jitter, String> {
    match text.trim() {
        "none" => Ok(Jitter::None),
        "full" => Ok(Jitter::Full),
        "equal" => Ok(Jitter::Equal),
        other => match duration::parse_number(other) {
            Ok(fraction) => Ok(Jitter::Fraction(fraction)),
            Err(duration::NumberError::Malformed) => Err(String::from(
                "expected none, full, equal, or a fraction such as 0.25",
            )),
            Err(why) => Err(why.to_string()),
        },
    }
}

/// Parses a duration in the one grammar of the library (`"250ms"`, `"1m30s"`, `"1.5s"`; see
/// `duration.rs`), or bare seconds (`"1.5"`), which environment variables also accept.
pub(crate) fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    if text.starts_with(|c: char| c.is_ascii_digit())
        && text.chars().all(|c| c.is_ascii_digit() || c == '.')
    {
        let secs = duration::parse_number(text).map_err(|e| e.to_string())?;
        return Duration::try_from_secs_f64(secs)
            .map_err(|_| duration::DurationError::TooLarge.to_string());
    }
    duration::parse_duration(text).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn run(base: RetryPolicy, vars: &[(&str, &str)]) -> (RetryPolicy, Vec<String>) {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (format!("LLM_{k}"), v.to_string()))
            .collect();
        let mut warnings = Vec::new();
        let names = EnvNames::new(Some("LLM"), &[]);
        let p = apply_overrides(base, &names, |k| map.get(k).cloned(), |w| warnings.push(w));
        (p, warnings)
    }

    /// `base` with the overrides `names` finds among `vars` (full variable names).
    fn run_named(
        base: RetryPolicy,
        names: EnvNames,
        vars: &[(&str, &str)],
    ) -> (RetryPolicy, Vec<String>) {
        let map: HashMap<&str, &str> = vars.iter().copied().collect();
        let mut warnings = Vec::new();
        let lookup = |k: &str| map.get(k).map(|v| v.to_string());
        let p = apply_overrides(base, &names, lookup, |w| warnings.push(w));
        (p, warnings)
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("250ms"), Ok(Duration::from_millis(250)));
        assert_eq!(parse_duration("1m30s"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_duration("1.5"), Ok(Duration::from_millis(1500)));
        assert_eq!(parse_duration(" 2h "), Ok(Duration::from_secs(7200)));
        assert_eq!(parse_duration("10us"), Ok(Duration::from_micros(10)));
        for bad in [
            "",
            "abc",
            "5 parsecs",
            "ms",
            "-1",
            "1.2.3s",
            "NaN",
            "inf",
            "1e400",
            "1e400s",
            "30s1m",
            "soon",
        ] {
            assert!(parse_duration(bad).is_err(), "{bad:?} should not parse");
        }
    }

    #[test]
    fn the_attributes_grammar_and_its_words() {
        // The same grammar and message as an attribute literal (`duration.rs`, shared).
        for bad in ["30s1m", "soon", "1m 30s", "5sec"] {
            let grammar = crate::duration::parse_duration(bad)
                .unwrap_err()
                .to_string();
            assert_eq!(parse_duration(bad).unwrap_err(), grammar, "{bad:?}");
        }
        assert!(parse_duration("soon")
            .unwrap_err()
            .contains(r#""500ms", "2s" or "1m30s""#));
        let (policy, warnings) = run(RetryPolicy::exponential(), &[("MULTIPLIER", "1e400")]);
        assert_eq!(policy, RetryPolicy::exponential());
        assert!(warnings[0].contains("must be finite"), "{warnings:?}");
    }

    #[test]
    fn overrides_apply_and_win() {
        let base = RetryPolicy::exponential().max_attempts(3);
        let (p, w) = run(
            base,
            &[
                ("MAX_ATTEMPTS", "7"),
                ("INITIAL_DELAY", "20ms"),
                ("MAX_DELAY", "2"),
                ("MULTIPLIER", "3"),
                ("MAX_ELAPSED", "1m"),
            ],
        );
        assert!(w.is_empty(), "{w:?}");
        assert_eq!(p.get_max_attempts(), 7);
        assert_eq!(p.get_initial_delay(), Duration::from_millis(20));
        assert_eq!(p.get_max_delay(), Duration::from_secs(2));
        assert_eq!(p.get_multiplier(), 3.0);
        assert_eq!(p.get_max_elapsed(), Some(Duration::from_secs(60)));
    }

    #[test]
    fn unusable_values_are_ignored_with_one_warning_each() {
        let base = RetryPolicy::exponential()
            .max_attempts(4)
            .initial_delay(Duration::from_millis(100))
            .max_delay(Duration::from_secs(1));
        let (p, w) = run(
            base,
            &[
                ("MAX_ATTEMPTS", "0"),
                ("MULTIPLIER", "abc"),
                ("INITIAL_DELAY", "5s"), // above the explicit max_delay
                ("MAX_ELAPSED", "soon"),
            ],
        );
        assert_eq!(p, base);
        assert_eq!(w.len(), 4, "{w:?}");
        assert!(w[0].contains("LLM_MAX_ATTEMPTS=\"0\""), "{}", w[0]);
    }

    #[test]
    fn max_retries_and_both_counts() {
        let (p, w) = run(RetryPolicy::fixed(), &[("MAX_RETRIES", "4")]);
        assert_eq!((p.get_max_attempts(), w.len()), (5, 0));
        let (p, w) = run(
            RetryPolicy::fixed(),
            &[("MAX_RETRIES", "4"), ("MAX_ATTEMPTS", "2")],
        );
        assert_eq!((p.get_max_attempts(), w.len()), (2, 1));
    }

    #[test]
    fn delays_given_together_are_checked_together() {
        let base = RetryPolicy::exponential()
            .initial_delay(Duration::from_millis(100))
            .max_delay(Duration::from_secs(1));
        // Lowering both below the old initial delay works when given together.
        let (p, w) = run(base, &[("INITIAL_DELAY", "1ms"), ("MAX_DELAY", "5ms")]);
        assert!(w.is_empty(), "{w:?}");
        assert_eq!(p.get_max_delay(), Duration::from_millis(5));
        let (p, w) = run(base, &[("INITIAL_DELAY", "9ms"), ("MAX_DELAY", "5ms")]);
        assert_eq!((p, w.len()), (base, 1));
    }

    #[test]
    fn env_policy_reads_once() {
        static SITE: EnvSite = EnvSite::new(EnvNames::new(Some("RETRY_RUNTIME_UNIT_TEST"), &[]));
        const BASE: RetryPolicy = RetryPolicy::fixed();
        // A variable name no other test uses, set before the site's first read.
        std::env::set_var("RETRY_RUNTIME_UNIT_TEST_MAX_ATTEMPTS", "9");
        assert_eq!(SITE.get(&BASE).get_max_attempts(), 9);
        std::env::set_var("RETRY_RUNTIME_UNIT_TEST_MAX_ATTEMPTS", "2");
        assert_eq!(SITE.get(&BASE).get_max_attempts(), 9);
    }

    #[test]
    fn jitter_words_and_fractions_apply() {
        for (text, jitter) in [
            ("none", Jitter::None),
            ("full", Jitter::Full),
            (" equal ", Jitter::Equal),
            ("0.25", Jitter::Fraction(0.25)),
            ("1", Jitter::Fraction(1.0)),
        ] {
            let (p, w) = run(RetryPolicy::exponential(), &[("JITTER", text)]);
            assert!(w.is_empty(), "{text:?}: {w:?}");
            assert_eq!(p.get_jitter(), jitter, "{text:?}");
        }
    }

    #[test]
    fn unusable_jitters_are_ignored_with_one_warning_each() {
        let base = RetryPolicy::exponential().jitter(Jitter::Equal);
        for (text, why) in [
            (
                "wild",
                "expected none, full, equal, or a fraction such as 0.25",
            ),
            (
                "Full",
                "expected none, full, equal, or a fraction such as 0.25",
            ),
            ("1.5", "a jitter fraction must lie in 0.0..=1.0"),
            ("-0.1", "a jitter fraction must lie in 0.0..=1.0"),
            ("1e400", "must be finite"),
        ] {
            let (p, w) = run(base, &[("JITTER", text)]);
            assert_eq!(p, base, "{text:?}");
            assert_eq!(w.len(), 1, "{text:?}: {w:?}");
            assert!(
                w[0].starts_with(&format!("ignoring LLM_JITTER={text:?}: ")),
                "{}",
                w[0]
            );
            assert!(w[0].contains(why), "{text:?}: {}", w[0]);
        }
        // Checked against the rest of the policy, as `try_jitter` is.
        let decorrelated = RetryPolicy::decorrelated();
        let (p, w) = run(decorrelated, &[("JITTER", "full")]);
        assert_eq!((p, w.len()), (decorrelated, 1));
        assert!(
            w[0].contains("decorrelated backoff takes no jitter"),
            "{}",
            w[0]
        );
    }

    #[test]
    fn max_retry_after_applies_and_zero_is_ignored() {
        let (p, w) = run(RetryPolicy::exponential(), &[("MAX_RETRY_AFTER", "1m30s")]);
        assert!(w.is_empty(), "{w:?}");
        assert_eq!(p.get_max_retry_after(), Duration::from_secs(90));
        let (p, w) = run(RetryPolicy::exponential(), &[("MAX_RETRY_AFTER", "45")]);
        assert_eq!(
            (p.get_max_retry_after(), w.len()),
            (Duration::from_secs(45), 0)
        );
        let base = RetryPolicy::exponential().max_retry_after(Duration::from_secs(5));
        for bad in ["0s", "0", "later"] {
            let (p, w) = run(base, &[("MAX_RETRY_AFTER", bad)]);
            assert_eq!((p, w.len()), (base, 1), "{bad:?}: {w:?}");
        }
    }

    #[test]
    fn named_variables_are_read_without_a_prefix() {
        const NAMES: EnvNames = EnvNames::new(
            None,
            &[
                ("initial_delay", "LLM_RETRY_INITIAL_DELAY"),
                ("max_retries", "LLM_MAX_RETRIES"),
                ("multiplier", "LLM_RETRY_BACKOFF_FACTOR"),
            ],
        );
        let (p, w) = run_named(
            RetryPolicy::exponential(),
            NAMES,
            &[
                ("LLM_RETRY_INITIAL_DELAY", "0.5"),
                ("LLM_MAX_RETRIES", "5"),
                ("LLM_RETRY_BACKOFF_FACTOR", "3"),
                // Not named, and there is no prefix: never read.
                ("LLM_MAX_ATTEMPTS", "2"),
                ("_MAX_ATTEMPTS", "2"),
            ],
        );
        assert!(w.is_empty(), "{w:?}");
        assert_eq!(p.get_initial_delay(), Duration::from_millis(500));
        assert_eq!(p.get_max_attempts(), 6);
        assert_eq!(p.get_multiplier(), 3.0);
    }

    #[test]
    fn a_named_variable_wins_over_the_prefix_for_its_key() {
        const NAMES: EnvNames =
            EnvNames::new(Some("LLM"), &[("initial_delay", "RETRY_BASE_DELAY")]);
        // Both set: the named one wins, the prefix's is reported once.
        let (p, w) = run_named(
            RetryPolicy::exponential(),
            NAMES,
            &[
                ("RETRY_BASE_DELAY", "2s"),
                ("LLM_INITIAL_DELAY", "1s"),
                ("LLM_MAX_ATTEMPTS", "6"),
            ],
        );
        assert_eq!(p.get_initial_delay(), Duration::from_secs(2));
        assert_eq!(
            p.get_max_attempts(),
            6,
            "the prefix still reads the other keys"
        );
        assert_eq!(
            w,
            ["ignoring LLM_INITIAL_DELAY=\"1s\": RETRY_BASE_DELAY is set too, and it wins"]
        );
        // The named one unset: the prefix's is read for the key.
        let (p, w) = run_named(
            RetryPolicy::exponential(),
            NAMES,
            &[("LLM_INITIAL_DELAY", "1s")],
        );
        assert_eq!(
            (p.get_initial_delay(), w.len()),
            (Duration::from_secs(1), 0)
        );
        // Both set to the same value: nothing to report.
        let (p, w) = run_named(
            RetryPolicy::exponential(),
            NAMES,
            &[("RETRY_BASE_DELAY", "3s"), ("LLM_INITIAL_DELAY", "3s")],
        );
        assert_eq!(
            (p.get_initial_delay(), w.len()),
            (Duration::from_secs(3), 0)
        );
        // An unusable named value is ignored; the prefix's is not used in its place.
        let (p, w) = run_named(
            RetryPolicy::exponential(),
            NAMES,
            &[("RETRY_BASE_DELAY", "soon"), ("LLM_INITIAL_DELAY", "1s")],
        );
        assert_eq!(
            p.get_initial_delay(),
            RetryPolicy::exponential().get_initial_delay()
        );
        assert_eq!(w.len(), 2, "{w:?}");
        assert!(
            w[1].starts_with("ignoring RETRY_BASE_DELAY=\"soon\": "),
            "{}",
            w[1]
        );
    }

    #[test]
    fn a_named_variable_that_is_the_prefixs_own_is_read_once() {
        const NAMES: EnvNames = EnvNames::new(Some("LLM"), &[("max_retries", "LLM_MAX_RETRIES")]);
        assert_eq!(
            NAMES.variables("max_retries"),
            (Some("LLM_MAX_RETRIES"), None)
        );
        assert_eq!(
            NAMES.variables("max_delay"),
            (None, Some("LLM_MAX_DELAY".to_owned()))
        );
        let (p, w) = run_named(RetryPolicy::fixed(), NAMES, &[("LLM_MAX_RETRIES", "1")]);
        assert_eq!((p.get_max_attempts(), w.len()), (2, 0));
    }

    #[test]
    fn every_key_reads_its_named_variable() {
        const NAMES: EnvNames = EnvNames::new(
            None,
            &[
                ("max_attempts", "A1"),
                ("initial_delay", "A2"),
                ("max_delay", "A3"),
                ("multiplier", "A4"),
                ("jitter", "A5"),
                ("max_elapsed", "A6"),
                ("max_retry_after", "A7"),
            ],
        );
        let (p, w) = run_named(
            RetryPolicy::exponential(),
            NAMES,
            &[
                ("A1", "7"),
                ("A2", "10ms"),
                ("A3", "1s"),
                ("A4", "1.5"),
                ("A5", "none"),
                ("A6", "1m"),
                ("A7", "2m"),
            ],
        );
        assert!(w.is_empty(), "{w:?}");
        assert_eq!(p.get_max_attempts(), 7);
        assert_eq!(p.get_initial_delay(), Duration::from_millis(10));
        assert_eq!(p.get_max_delay(), Duration::from_secs(1));
        assert_eq!(p.get_multiplier(), 1.5);
        assert_eq!(p.get_jitter(), Jitter::None);
        assert_eq!(p.get_max_elapsed(), Some(Duration::from_secs(60)));
        assert_eq!(p.get_max_retry_after(), Duration::from_secs(120));
    }
}
