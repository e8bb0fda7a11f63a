//! `env = "PREFIX"`: overrides read from the environment once per site, never panicking.

use std::sync::OnceLock;
use std::time::Duration;

use crate::duration;
use crate::policy::RetryPolicy;

/// A site's `env = "PREFIX"`: the overrides applied, on the first call, to the policy the
/// expansion passes (an inline constant, which may name `Self`; a `static` cannot).
///
/// Reads `{P}_MAX_ATTEMPTS`, `{P}_MAX_RETRIES`, `{P}_INITIAL_DELAY`, `{P}_MAX_DELAY`,
/// `{P}_MULTIPLIER` and `{P}_MAX_ELAPSED` once; an unusable value is ignored with one warning.
///
/// ```
/// use retry_runtime::RetryPolicy;
/// use retry_runtime::__private::EnvSite;
/// static SITE: EnvSite = EnvSite::new("ENV_SITE_DOC");
/// const BASE: RetryPolicy = RetryPolicy::fixed().max_attempts(2);
/// assert_eq!(SITE.get(&BASE).get_max_attempts(), 2);
/// ```
#[doc(hidden)]
#[derive(Debug)]
pub struct EnvSite {
    prefix: &'static str,
    resolved: OnceLock<RetryPolicy>,
}

impl EnvSite {
    /// A site reading overrides from variables starting with `prefix`.
    pub const fn new(prefix: &'static str) -> Self {
        EnvSite {
            prefix,
            resolved: OnceLock::new(),
        }
    }

    /// `base` with the overrides applied (read on the first call only; `base` is the site's
    /// constant, the same on every call).
    #[inline]
    pub fn get(&self, base: &RetryPolicy) -> &RetryPolicy {
        self.resolved.get_or_init(|| {
            apply_overrides(*base, self.prefix, |name| std::env::var(name).ok(), warn)
        })
    }
}

fn warn(message: String) {
    #[cfg(feature = "tracing")]
    tracing::warn!(target: "retry_runtime", "{message}");
    #[cfg(not(feature = "tracing"))]
    eprintln!("warning: retry_runtime: {message}");
}

/// Applies the overrides found by `lookup` to `base`; each unusable one is reported to `warn`
/// and ignored.
pub(crate) fn apply_overrides(
    base: RetryPolicy,
    prefix: &str,
    lookup: impl Fn(&str) -> Option<String>,
    mut warn: impl FnMut(String),
) -> RetryPolicy {
    let mut policy = base;
    let read = |key: &str| {
        let name = format!("{prefix}_{key}");
        lookup(&name).map(|value| (name, value))
    };
    let mut reject = |name: &str, value: &str, why: &str| {
        warn(format!("ignoring {name}={value:?}: {why}"));
    };

    let attempts = read("MAX_ATTEMPTS");
    let retries = read("MAX_RETRIES");
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

    if let Some((name, value)) = read("MULTIPLIER") {
        match duration::parse_number(&value) {
            Ok(m) => match policy.check_multiplier(m) {
                Ok(p) => policy = p,
                Err(why) => reject(&name, &value, why),
            },
            Err(why) => reject(&name, &value, &why.to_string()),
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
    let initial = duration(read("INITIAL_DELAY"), &mut reject);
    let max = duration(read("MAX_DELAY"), &mut reject);
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
    if let Some((name, value, d)) = duration(read("MAX_ELAPSED"), &mut reject) {
        match policy.check_max_elapsed(d) {
            Ok(p) => policy = p,
            Err(why) => reject(&name, &value, why),
        }
    }
    policy
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
        let p = apply_overrides(base, "LLM", |k| map.get(k).cloned(), |w| warnings.push(w));
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
        static SITE: EnvSite = EnvSite::new("RETRY_RUNTIME_UNIT_TEST");
        const BASE: RetryPolicy = RetryPolicy::fixed();
        // A variable name no other test uses, set before the site's first read.
        std::env::set_var("RETRY_RUNTIME_UNIT_TEST_MAX_ATTEMPTS", "9");
        assert_eq!(SITE.get(&BASE).get_max_attempts(), 9);
        std::env::set_var("RETRY_RUNTIME_UNIT_TEST_MAX_ATTEMPTS", "2");
        assert_eq!(SITE.get(&BASE).get_max_attempts(), 9);
    }
}
