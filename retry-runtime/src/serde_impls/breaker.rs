//! `Serialize` and `Deserialize` for [`BreakerConfig`], with `#[circuit_breaker]`'s key names:
//! `failure_threshold`, or `failure_rate` with `window` and `min_calls`; `reset_timeout`,
//! `success_threshold`, `half_open_max_calls`. The `on_state_change` hook is code, not
//! configuration: it is never written, and a configuration read has none.

use std::fmt;
use std::time::Duration;

use serde::de::{self, MapAccess, Visitor};
use serde::ser::SerializeStruct;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::{checked, field_error, read_checked, rule, Key, Literal};
use crate::breaker::BreakerConfig;

const FIELDS: &[&str] = &[
    "failure_threshold",
    "failure_rate",
    "window",
    "min_calls",
    "reset_timeout",
    "success_threshold",
    "half_open_max_calls",
];

/// The fields of the breaker's mode (`failure_threshold`, or `failure_rate`, `window` and
/// `min_calls`), then `reset_timeout`, `success_threshold` and `half_open_max_calls`. A value
/// of the other mode, set but unused (a `window` in consecutive mode), is not written, as the
/// attribute refuses it; `on_state_change` is not written.
///
/// ```
/// use std::time::Duration;
/// use retry_runtime::BreakerConfig;
///
/// let c = BreakerConfig::new().failure_rate(0.5).window(Duration::from_secs(30));
/// assert_eq!(
///     toml::to_string(&c).unwrap(),
///     "failure_rate = 0.5\nwindow = \"30s\"\nmin_calls = 10\nreset_timeout = \"30s\"\n\
///      success_threshold = 2\nhalf_open_max_calls = 1\n",
/// );
/// ```
impl Serialize for BreakerConfig {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let rate = self.get_failure_rate();
        let mut s = serializer.serialize_struct("BreakerConfig", 4 + 2 * rate.iter().count())?;
        match rate {
            None => {
                s.serialize_field("failure_threshold", &self.get_failure_threshold())?;
                s.skip_field("failure_rate")?;
                s.skip_field("window")?;
                s.skip_field("min_calls")?;
            }
            Some(rate) => {
                s.skip_field("failure_threshold")?;
                s.serialize_field("failure_rate", &rate)?;
                s.serialize_field("window", &Literal(self.get_window()))?;
                s.serialize_field("min_calls", &self.get_min_calls())?;
            }
        }
        s.serialize_field("reset_timeout", &Literal(self.get_reset_timeout()))?;
        s.serialize_field("success_threshold", &self.get_success_threshold())?;
        s.serialize_field("half_open_max_calls", &self.get_half_open_max_calls())?;
        s.end()
    }
}

/// Reads a breaker's configuration as the attribute's keys give it; a missing field keeps its
/// default ([`BreakerConfig::new`]). Every rule is checked, and a broken one is an error
/// naming its field: the setters' ranges (`failure_threshold = 0`, a `failure_rate` outside
/// `(0, 1]`, a zero `window` or `reset_timeout`...), and the attribute's rules between keys:
/// `failure_threshold` beside `failure_rate`, `window` or `min_calls` without `failure_rate`.
/// Durations are duration literals; an unknown field is an error. The configuration read has
/// no `on_state_change`: set one on it in code.
///
/// ```
/// use std::time::Duration;
/// use retry_runtime::BreakerConfig;
///
/// let c: BreakerConfig = toml::from_str("failure_rate = 0.5\nwindow = \"30s\"").unwrap();
/// assert_eq!(c, BreakerConfig::new().failure_rate(0.5).window(Duration::from_secs(30)));
///
/// let err = toml::from_str::<BreakerConfig>("window = \"30s\"").unwrap_err();
/// assert!(err.to_string().contains("window: applies only with `failure_rate`"));
/// ```
impl<'de> Deserialize<'de> for BreakerConfig {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_struct("BreakerConfig", FIELDS, BreakerVisitor)
    }
}

struct BreakerVisitor;

/// The configuration a value is checked against alone, as it is read (the rules between
/// fields are checked by `Raw::build`).
const ALONE: BreakerConfig = BreakerConfig::new();

#[derive(Default)]
struct Raw {
    failure_threshold: Option<u32>,
    failure_rate: Option<f64>,
    window: Option<Duration>,
    min_calls: Option<u32>,
    reset_timeout: Option<Duration>,
    success_threshold: Option<u32>,
    half_open_max_calls: Option<u32>,
}

impl<'de> Visitor<'de> for BreakerVisitor {
    type Value = BreakerConfig;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a breaker configuration: a table of `circuit_breaker` keys")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<BreakerConfig, A::Error> {
        let mut raw = Raw::default();
        while let Some(key) = map.next_key_seed(Key(FIELDS))? {
            let field = FIELDS[key];
            match field {
                "failure_threshold" => {
                    read_checked(&mut map, field, &mut raw.failure_threshold, |&n| {
                        rule(ALONE.try_failure_threshold(n))
                    })?
                }
                "failure_rate" => read_checked(&mut map, field, &mut raw.failure_rate, |&r| {
                    rule(ALONE.try_failure_rate(r))
                })?,
                "window" => read_checked(&mut map, field, &mut raw.window, |&d| {
                    rule(ALONE.try_window(d))
                })?,
                "min_calls" => read_checked(&mut map, field, &mut raw.min_calls, |&n| {
                    rule(ALONE.try_min_calls(n))
                })?,
                "reset_timeout" => read_checked(&mut map, field, &mut raw.reset_timeout, |&d| {
                    rule(ALONE.try_reset_timeout(d))
                })?,
                "success_threshold" => {
                    read_checked(&mut map, field, &mut raw.success_threshold, |&n| {
                        rule(ALONE.try_success_threshold(n))
                    })?
                }
                _ => read_checked(&mut map, field, &mut raw.half_open_max_calls, |&n| {
                    rule(ALONE.try_half_open_max_calls(n))
                })?,
            }
        }
        raw.build()
    }
}

impl Raw {
    fn build<E: de::Error>(self) -> Result<BreakerConfig, E> {
        let mut c = BreakerConfig::new();
        if let Some(n) = self.failure_threshold {
            c = checked("failure_threshold", c.try_failure_threshold(n))?;
        }
        match self.failure_rate {
            Some(_) if self.failure_threshold.is_some() => {
                return Err(field_error(
                    "failure_rate",
                    "give either `failure_threshold` or `failure_rate`, not both",
                ));
            }
            Some(rate) => c = checked("failure_rate", c.try_failure_rate(rate))?,
            None => {
                let rate_only = [
                    ("window", self.window.is_some()),
                    ("min_calls", self.min_calls.is_some()),
                ];
                if let Some((field, _)) = rate_only.into_iter().find(|(_, given)| *given) {
                    return Err(field_error(
                        field,
                        "applies only with `failure_rate`, e.g. `failure_rate = 0.5`",
                    ));
                }
            }
        }
        if let Some(d) = self.window {
            c = checked("window", c.try_window(d))?;
        }
        if let Some(n) = self.min_calls {
            c = checked("min_calls", c.try_min_calls(n))?;
        }
        if let Some(d) = self.reset_timeout {
            c = checked("reset_timeout", c.try_reset_timeout(d))?;
        }
        if let Some(n) = self.success_threshold {
            c = checked("success_threshold", c.try_success_threshold(n))?;
        }
        if let Some(n) = self.half_open_max_calls {
            c = checked("half_open_max_calls", c.try_half_open_max_calls(n))?;
        }
        Ok(c)
    }
}
