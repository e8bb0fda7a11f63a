//! The process-wide registry of breakers by name, and the per-site handle the attribute uses.

use std::collections::BTreeMap;
use std::sync::{Mutex, OnceLock, PoisonError};

use super::circuit::CircuitBreaker;
use super::config::BreakerConfig;
use super::snapshot::BreakerSnapshot;
use crate::duration;
use crate::env::{parse_duration, EnvNames};

struct Entry {
    breaker: &'static CircuitBreaker,
    /// A different configuration was reported for this name already.
    warned: bool,
}

/// Every registered breaker, by name (sorted, for [`breakers`]). Looked up only when a breaker
/// is registered or listed, never on a call.
static REGISTRY: Mutex<BTreeMap<&'static str, Entry>> = Mutex::new(BTreeMap::new());

/// Creates the breaker named `name`, or returns the one registered under it.
///
/// The first registration of a name sets its configuration. A later one with a different
/// configuration gets the registered breaker as it is, and the difference is reported once per
/// name (a `tracing` warning with the `tracing` feature, a line on stderr without).
/// Configurations are compared without their `on_state_change` hook, and the first one's hook
/// is the one called.
///
/// Register before first use to configure the breaker of a `#[circuit_breaker]` site: a site
/// registers its breaker on its first call, so an earlier `register_breaker` wins. The name is
/// copied once per breaker and kept for the life of the process.
///
/// ```
/// use retry_runtime::{register_breaker, BreakerConfig};
/// let a = register_breaker("docs_registry", BreakerConfig::new().failure_threshold(3));
/// let b = register_breaker("docs_registry", BreakerConfig::new().failure_threshold(3));
/// assert!(std::ptr::eq(a, b));
/// assert_eq!(a.name(), "docs_registry");
/// ```
pub fn register_breaker(name: &str, config: BreakerConfig) -> &'static CircuitBreaker {
    register(name, None, config)
}

/// [`register_breaker`] for a name that is already `'static` (an attribute site's): nothing
/// is copied.
pub(crate) fn register(
    name: &str,
    static_name: Option<&'static str>,
    config: BreakerConfig,
) -> &'static CircuitBreaker {
    let mut registry = REGISTRY.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(entry) = registry.get_mut(name) {
        let breaker = entry.breaker;
        let report = breaker.config() != &config && !entry.warned;
        entry.warned |= report;
        drop(registry);
        if report {
            warn(format!(
                "circuit breaker '{name}' is already registered with {:?}; keeping it and \
                 ignoring {config:?}",
                breaker.config()
            ));
        }
        return breaker;
    }
    // Once per breaker for the life of the process: a bounded, deliberate leak.
    let name: &'static str = static_name.unwrap_or_else(|| Box::leak(name.into()));
    let breaker: &'static CircuitBreaker = Box::leak(Box::new(CircuitBreaker::new(name, config)));
    #[cfg(feature = "metrics")]
    crate::metrics::breaker_registered(
        ::metrics::SharedString::const_str(name),
        breaker.state().metric(),
    );
    registry.insert(
        name,
        Entry {
            breaker,
            warned: false,
        },
    );
    breaker
}

/// The breaker registered under `name`, if any.
///
/// ```
/// use retry_runtime::{breaker, register_breaker, BreakerConfig};
/// assert!(breaker("docs_lookup").is_none());
/// register_breaker("docs_lookup", BreakerConfig::new());
/// assert_eq!(breaker("docs_lookup").unwrap().name(), "docs_lookup");
/// ```
pub fn breaker(name: &str) -> Option<&'static CircuitBreaker> {
    let registry = REGISTRY.lock().unwrap_or_else(PoisonError::into_inner);
    registry.get(name).map(|entry| entry.breaker)
}

/// The configuration registered under `name`, if any (for keyed breakers of that name).
pub(super) fn registered_config(name: &str) -> Option<BreakerConfig> {
    breaker(name).map(|b| *b.config())
}

/// Snapshots of every named breaker, in order of name (taken outside the lock: one may run a
/// transition hook). [`breakers`](crate::breakers) adds the keyed ones.
pub(super) fn snapshots() -> Vec<BreakerSnapshot> {
    let all: Vec<&'static CircuitBreaker> = {
        let registry = REGISTRY.lock().unwrap_or_else(PoisonError::into_inner);
        registry.values().map(|entry| entry.breaker).collect()
    };
    all.into_iter().map(CircuitBreaker::snapshot).collect()
}

/// Reports a registry's warning: a `tracing` warning with the `tracing` feature, a line on
/// stderr without.
pub(super) fn warn(message: String) {
    #[cfg(feature = "tracing")]
    tracing::warn!(target: "retry_runtime", "{message}");
    #[cfg(not(feature = "tracing"))]
    eprintln!("warning: retry_runtime: {message}");
}

/// An attribute site's breaker: resolved once (environment overrides applied, then
/// registered), then one load per call.
#[doc(hidden)]
#[derive(Debug)]
pub struct BreakerSite {
    name: &'static str,
    config: BreakerConfig,
    env: Option<EnvNames>,
    resolved: OnceLock<&'static CircuitBreaker>,
}

impl BreakerSite {
    /// A site of the breaker `name`, with the attribute's configuration and `env` variables.
    pub const fn new(name: &'static str, config: BreakerConfig, env: Option<EnvNames>) -> Self {
        BreakerSite {
            name,
            config,
            env,
            resolved: OnceLock::new(),
        }
    }

    /// The site's breaker.
    #[inline]
    pub fn get(&'static self) -> &'static CircuitBreaker {
        match self.resolved.get() {
            Some(breaker) => breaker,
            None => self.resolve(&self.config),
        }
    }

    /// The site's breaker, registered on first use with `config` (a constant of the site's,
    /// given here rather than to [`new`](Self::new) because a `static` cannot name `Self`,
    /// and a hook such as `on_state_change = Self::log` may).
    #[inline]
    pub fn get_with(&'static self, config: &BreakerConfig) -> &'static CircuitBreaker {
        match self.resolved.get() {
            Some(breaker) => breaker,
            None => self.resolve(config),
        }
    }

    #[cold]
    #[inline(never)]
    fn resolve(&'static self, config: &BreakerConfig) -> &'static CircuitBreaker {
        self.resolved.get_or_init(|| {
            let config = match &self.env {
                Some(names) => apply_env(*config, names, |name| std::env::var(name).ok(), warn),
                None => *config,
            };
            register(self.name, Some(self.name), config)
        })
    }
}

/// Applies the overrides found by `lookup` under `names` (see [`EnvNames`]): the variables of
/// `failure_threshold`, `failure_rate`, `window`, `min_calls`, `reset_timeout`,
/// `success_threshold` and `half_open_max_calls`. Each unusable value is reported to `warn`
/// and ignored; every value is checked by the fallible setters against the rest. A failure
/// threshold puts a rate-mode breaker in consecutive mode and a failure rate a consecutive one
/// in rate mode, as the setters do; with both set, the threshold wins. `window` and
/// `min_calls` apply only to a breaker in rate mode.
pub(crate) fn apply_env(
    base: BreakerConfig,
    names: &EnvNames,
    lookup: impl Fn(&str) -> Option<String>,
    mut warn: impl FnMut(String),
) -> BreakerConfig {
    let mut config = base;
    let mut each =
        |key: &str,
         rule: &dyn Fn(&BreakerConfig) -> Result<(), String>,
         set: &dyn Fn(BreakerConfig, &str) -> Result<BreakerConfig, String>| {
            let (name, value) = names.read(key, &lookup, &mut warn)?;
            match rule(&config).and_then(|()| set(config, &value)) {
                Ok(c) => config = c,
                Err(why) => warn(format!("ignoring {name}={value:?}: {why}")),
            }
            Some(name)
        };
    let count = |value: &str| {
        value
            .trim()
            .parse::<u32>()
            .map_err(|_| String::from("expected a whole number >= 1"))
    };
    let any = |_: &BreakerConfig| Ok(());
    let threshold = each("failure_threshold", &any, &|c, v| {
        Ok(c.try_failure_threshold(count(v)?)?)
    });
    let not_with_threshold = |_: &BreakerConfig| match &threshold {
        Some(name) => Err(format!("{name} is set too, and it wins")),
        None => Ok(()),
    };
    each("failure_rate", &not_with_threshold, &|c, v| {
        let rate = duration::parse_number(v).map_err(|e| e.to_string())?;
        Ok(c.try_failure_rate(rate)?)
    });
    let rate_mode = |c: &BreakerConfig| match c.get_failure_rate() {
        Some(_) => Ok(()),
        None => Err(String::from(
            "it applies only in rate mode, with a failure_rate",
        )),
    };
    each("window", &rate_mode, &|c, v| {
        Ok(c.try_window(parse_duration(v)?)?)
    });
    each("min_calls", &rate_mode, &|c, v| {
        Ok(c.try_min_calls(count(v)?)?)
    });
    each("reset_timeout", &any, &|c, v| {
        Ok(c.try_reset_timeout(parse_duration(v)?)?)
    });
    each("success_threshold", &any, &|c, v| {
        Ok(c.try_success_threshold(count(v)?)?)
    });
    each("half_open_max_calls", &any, &|c, v| {
        Ok(c.try_half_open_max_calls(count(v)?)?)
    });
    config
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;
    use std::collections::HashMap;
    use std::time::Duration;

    fn run(base: BreakerConfig, vars: &[(&str, &str)]) -> (BreakerConfig, Vec<String>) {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (format!("LLM_{k}"), v.to_string()))
            .collect();
        let mut warnings = Vec::new();
        let names = EnvNames::new(Some("LLM"), &[]);
        let c = apply_env(base, &names, |k| map.get(k).cloned(), |w| warnings.push(w));
        (c, warnings)
    }

    #[test]
    fn env_overrides_apply() {
        let (c, w) = run(
            BreakerConfig::new(),
            &[
                ("FAILURE_THRESHOLD", "9"),
                ("RESET_TIMEOUT", "250ms"),
                ("SUCCESS_THRESHOLD", " 4 "),
            ],
        );
        assert!(w.is_empty(), "{w:?}");
        assert_eq!(c.get_failure_threshold(), 9);
        assert_eq!(c.get_reset_timeout(), Duration::from_millis(250));
        assert_eq!(c.get_success_threshold(), 4);
        let (c, _) = run(BreakerConfig::new(), &[("RESET_TIMEOUT", "1.5")]);
        assert_eq!(c.get_reset_timeout(), Duration::from_millis(1500));
    }

    #[test]
    fn unusable_values_are_ignored_with_one_warning_each() {
        let base = BreakerConfig::new().failure_threshold(3);
        let (c, w) = run(
            base,
            &[
                ("FAILURE_THRESHOLD", "0"),
                ("RESET_TIMEOUT", "soon"),
                ("SUCCESS_THRESHOLD", "-2"),
            ],
        );
        assert_eq!(c, base);
        assert_eq!(w.len(), 3, "{w:?}");
        assert!(w[0].contains("LLM_FAILURE_THRESHOLD=\"0\""), "{}", w[0]);
        let (c, w) = run(base, &[("RESET_TIMEOUT", "0s")]);
        assert_eq!((c, w.len()), (base, 1));
    }

    #[test]
    fn rate_mode_keys_apply() {
        let (c, w) = run(
            BreakerConfig::new(),
            &[
                ("FAILURE_RATE", "0.25"),
                ("WINDOW", "10s"),
                ("MIN_CALLS", "20"),
                ("HALF_OPEN_MAX_CALLS", "3"),
            ],
        );
        assert!(w.is_empty(), "{w:?}");
        assert_eq!(c.get_failure_rate(), Some(0.25));
        assert_eq!(c.get_window(), Duration::from_secs(10));
        assert_eq!(c.get_min_calls(), 20);
        assert_eq!(c.get_half_open_max_calls(), 3);
        // A breaker already in rate mode takes a window alone.
        let rate = BreakerConfig::new().failure_rate(0.5);
        let (c, w) = run(rate, &[("WINDOW", "1.5")]);
        assert_eq!((c.get_window(), w.len()), (Duration::from_millis(1500), 0));
    }

    #[test]
    fn unusable_rate_mode_values_are_ignored_with_one_warning_each() {
        let rate = BreakerConfig::new().failure_rate(0.5);
        let (c, w) = run(
            rate,
            &[
                ("FAILURE_RATE", "50"),
                ("WINDOW", "0s"),
                ("MIN_CALLS", "0"),
                ("HALF_OPEN_MAX_CALLS", "2000000"),
            ],
        );
        assert_eq!(c, rate);
        assert_eq!(w.len(), 4, "{w:?}");
        assert!(w[0].contains("failure_rate must lie in (0, 1]"), "{}", w[0]);
        assert!(w[3].contains("at most 1048575"), "{}", w[3]);
        // `window` and `min_calls` mean nothing in consecutive mode.
        let consecutive = BreakerConfig::new();
        let (c, w) = run(consecutive, &[("WINDOW", "10s"), ("MIN_CALLS", "5")]);
        assert_eq!((c, w.len()), (consecutive, 2));
        assert_eq!(
            w[0],
            "ignoring LLM_WINDOW=\"10s\": it applies only in rate mode, with a failure_rate"
        );
    }

    #[test]
    fn a_threshold_and_a_rate_together_keep_the_threshold() {
        let (c, w) = run(
            BreakerConfig::new().failure_rate(0.5),
            &[
                ("FAILURE_THRESHOLD", "4"),
                ("FAILURE_RATE", "0.1"),
                ("WINDOW", "5s"),
            ],
        );
        assert_eq!((c.get_failure_threshold(), c.get_failure_rate()), (4, None));
        assert_eq!(c.get_window(), Duration::from_secs(60));
        assert_eq!(
            w,
            [
                "ignoring LLM_FAILURE_RATE=\"0.1\": LLM_FAILURE_THRESHOLD is set too, and it wins",
                "ignoring LLM_WINDOW=\"5s\": it applies only in rate mode, with a failure_rate",
            ]
        );
    }

    #[test]
    fn named_variables_apply_and_win_over_the_prefix() {
        const NAMES: EnvNames = EnvNames::new(
            Some("SVC"),
            &[
                ("failure_threshold", "CIRCUIT_BREAKER_THRESHOLD"),
                ("reset_timeout", "CIRCUIT_BREAKER_TIMEOUT"),
            ],
        );
        let vars: HashMap<&str, &str> = [
            ("CIRCUIT_BREAKER_THRESHOLD", "8"),
            ("CIRCUIT_BREAKER_TIMEOUT", "45"),
            ("SVC_RESET_TIMEOUT", "1s"),
            ("SVC_SUCCESS_THRESHOLD", "3"),
        ]
        .into_iter()
        .collect();
        let mut warnings = Vec::new();
        let c = apply_env(
            BreakerConfig::new(),
            &NAMES,
            |k| vars.get(k).map(|v| v.to_string()),
            |w| warnings.push(w),
        );
        assert_eq!(c.get_failure_threshold(), 8);
        assert_eq!(c.get_reset_timeout(), Duration::from_secs(45));
        assert_eq!(c.get_success_threshold(), 3);
        assert_eq!(
            warnings,
            ["ignoring SVC_RESET_TIMEOUT=\"1s\": CIRCUIT_BREAKER_TIMEOUT is set too, and it wins"]
        );
    }

    #[test]
    fn a_site_resolves_once_with_its_environment() {
        static SITE: BreakerSite = BreakerSite::new(
            "registry_unit_site",
            BreakerConfig::new(),
            Some(EnvNames::new(Some("RETRY_RUNTIME_BREAKER_UNIT"), &[])),
        );
        std::env::set_var("RETRY_RUNTIME_BREAKER_UNIT_FAILURE_THRESHOLD", "7");
        let cb = SITE.get();
        assert_eq!(cb.config().get_failure_threshold(), 7);
        std::env::set_var("RETRY_RUNTIME_BREAKER_UNIT_FAILURE_THRESHOLD", "2");
        assert!(std::ptr::eq(SITE.get(), cb));
        assert!(std::ptr::eq(
            super::super::breaker("registry_unit_site").unwrap(),
            cb
        ));
        assert_eq!(cb.config().get_failure_threshold(), 7);
    }
}
