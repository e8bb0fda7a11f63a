//! `Serialize` and `Deserialize` for [`RetryPolicy`], with `#[retry_on_failure]`'s key names:
//! `backoff`, `max_attempts` (or `max_retries`), `initial_delay`, `max_delay`, `multiplier`,
//! `jitter`, `max_elapsed`, `max_retry_after` and `timeout`.

use std::fmt;
use std::time::Duration;

use serde::de::{self, MapAccess, Visitor};
use serde::ser::SerializeStruct;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::{
    checked, field_error, read, read_checked, rule, FieldValue, Key, Literal, Number, Refusal,
};
use crate::policy::{Backoff, Jitter, RetryPolicy};

/// The fields read, in the order they are applied (`max_retries` is `max_attempts` counted as
/// retries, and never written).
const FIELDS: &[&str] = &[
    "backoff",
    "max_attempts",
    "max_retries",
    "initial_delay",
    "max_delay",
    "multiplier",
    "jitter",
    "max_elapsed",
    "max_retry_after",
    "timeout",
];

impl FieldValue for Backoff {
    const EXPECTING: &'static str = "one of `exponential`, `linear`, `fixed`, `decorrelated`";

    fn from_text(text: &str) -> Result<Self, Refusal> {
        match text {
            "exponential" => Ok(Backoff::Exponential),
            "linear" => Ok(Backoff::Linear),
            "fixed" => Ok(Backoff::Fixed),
            "decorrelated" => Ok(Backoff::Decorrelated),
            _ => Err(Refusal::Rule(format!(
                "unknown backoff `{text}`; expected one of exponential, linear, fixed, decorrelated"
            ))),
        }
    }
}

impl FieldValue for Jitter {
    const EXPECTING: &'static str = "one of `none`, `full`, `equal`, or a fraction such as 0.25";

    fn from_text(text: &str) -> Result<Self, Refusal> {
        match text {
            "none" => Ok(Jitter::None),
            "full" => Ok(Jitter::Full),
            "equal" => Ok(Jitter::Equal),
            _ => Err(Refusal::Rule(format!(
                "unknown jitter `{text}`; expected one of none, full, equal, or a fraction such as 0.25"
            ))),
        }
    }

    fn from_number(number: Number) -> Result<Self, Refusal> {
        // The range (0.0..=1.0) is the setter's rule, checked when the policy is built.
        f64::from_number(number).map(Jitter::Fraction)
    }
}

fn backoff_word(backoff: Backoff) -> &'static str {
    match backoff {
        Backoff::Exponential => "exponential",
        Backoff::Linear => "linear",
        Backoff::Fixed => "fixed",
        Backoff::Decorrelated => "decorrelated",
    }
}

/// A jitter as the attribute writes it: a word, or the fraction as a number.
struct JitterValue(Jitter);

impl Serialize for JitterValue {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Jitter::None => serializer.serialize_str("none"),
            Jitter::Full => serializer.serialize_str("full"),
            Jitter::Equal => serializer.serialize_str("equal"),
            Jitter::Fraction(f) => serializer.serialize_f64(f),
        }
    }
}

/// Every value that changes how the policy retries, so it reads back equal: `backoff`,
/// `max_attempts`, `initial_delay` and `max_delay` always; `multiplier` for exponential backoff
/// and `jitter` for all but decorrelated (the others take none); `max_elapsed`,
/// `max_retry_after` and `timeout` when set. An infinite multiplier (which
/// [`try_multiplier`](RetryPolicy::try_multiplier) accepts) has no written form in the
/// grammar's numbers and is an error.
///
/// ```
/// use std::time::Duration;
/// use retry_runtime::{Jitter, RetryPolicy};
///
/// let p = RetryPolicy::exponential()
///     .max_attempts(4)
///     .initial_delay(Duration::from_millis(200))
///     .jitter(Jitter::Fraction(0.25))
///     .max_retry_after(Duration::from_secs(60));
/// assert_eq!(
///     toml::to_string(&p).unwrap(),
///     "backoff = \"exponential\"\nmax_attempts = 4\ninitial_delay = \"200ms\"\nmax_delay = \"10s\"\n\
///      multiplier = 2.0\njitter = 0.25\nmax_retry_after = \"1m\"\n",
/// );
/// ```
impl Serialize for RetryPolicy {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let backoff = self.get_backoff();
        let exponential = matches!(backoff, Backoff::Exponential);
        let jittered = !matches!(backoff, Backoff::Decorrelated);
        let optional = [
            self.get_max_elapsed(),
            self.explicit_max_retry_after(),
            self.get_timeout(),
        ];
        let len = 4
            + usize::from(exponential)
            + usize::from(jittered)
            + optional.iter().flatten().count();

        let mut s = serializer.serialize_struct("RetryPolicy", len)?;
        s.serialize_field("backoff", backoff_word(backoff))?;
        s.serialize_field("max_attempts", &self.get_max_attempts())?;
        s.serialize_field("initial_delay", &Literal(self.get_initial_delay()))?;
        s.serialize_field("max_delay", &Literal(self.get_max_delay()))?;
        if exponential {
            let multiplier = self.get_multiplier();
            if !multiplier.is_finite() {
                return Err(serde::ser::Error::custom(
                    "multiplier: an infinite multiplier has no written form; write a large finite one",
                ));
            }
            s.serialize_field("multiplier", &multiplier)?;
        }
        if jittered {
            s.serialize_field("jitter", &JitterValue(self.get_jitter()))?;
        }
        let names = ["max_elapsed", "max_retry_after", "timeout"];
        for (name, value) in names.into_iter().zip(optional) {
            match value {
                Some(d) => s.serialize_field(name, &Literal(d))?,
                None => s.skip_field(name)?,
            }
        }
        s.end()
    }
}

/// Reads a policy as the attribute's keys give it; a missing field keeps its default (the
/// attribute's). Every rule of the setters is checked, and a broken one is an error naming its
/// field: `max_attempts = 0`, `initial_delay` above `max_delay`, `multiplier` with a backoff
/// other than exponential, `jitter` with decorrelated backoff or a fraction outside
/// `0.0..=1.0`, a zero `max_delay`, `max_elapsed`, `max_retry_after` or `timeout`, and
/// `max_attempts` beside `max_retries`. Durations are duration literals (`"1m30s"`); an
/// unknown field is an error.
///
/// Fields are applied in a fixed order whatever the file's: `backoff` first, then the others
/// in the order of the table in `retry_on_failure`'s docs, so `initial_delay` above the
/// default `max_delay` lifts it, and `max_delay` below an `initial_delay` that was given is an
/// error at `max_delay`.
///
/// ```
/// use std::time::Duration;
/// use retry_runtime::{Jitter, RetryPolicy};
///
/// let p: RetryPolicy = toml::from_str(r#"
///     max_attempts = 4
///     initial_delay = "200ms"
///     jitter = "equal"
/// "#).unwrap();
/// assert_eq!(p, RetryPolicy::exponential().max_attempts(4).initial_delay(Duration::from_millis(200)).jitter(Jitter::Equal));
///
/// let err = toml::from_str::<RetryPolicy>("max_attempts = 0").unwrap_err();
/// assert!(err.to_string().contains("max_attempts: must be at least 1"));
/// ```
impl<'de> Deserialize<'de> for RetryPolicy {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_struct("RetryPolicy", FIELDS, PolicyVisitor)
    }
}

struct PolicyVisitor;

/// The policy a value is checked against alone, as it is read: with nothing set explicitly,
/// only the value's own rules can fail (the rules between fields are checked by `Raw::build`).
const ALONE: RetryPolicy = RetryPolicy::exponential();

/// The fields as read, before the rules between them are checked.
#[derive(Default)]
struct Raw {
    backoff: Option<Backoff>,
    max_attempts: Option<u32>,
    max_retries: Option<u32>,
    initial_delay: Option<Duration>,
    max_delay: Option<Duration>,
    multiplier: Option<f64>,
    jitter: Option<Jitter>,
    max_elapsed: Option<Duration>,
    max_retry_after: Option<Duration>,
    timeout: Option<Duration>,
}

impl<'de> Visitor<'de> for PolicyVisitor {
    type Value = RetryPolicy;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a retry policy: a table of `retry_on_failure` keys")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RetryPolicy, A::Error> {
        let mut raw = Raw::default();
        while let Some(key) = map.next_key_seed(Key(FIELDS))? {
            let field = FIELDS[key];
            match field {
                "backoff" => read(&mut map, field, &mut raw.backoff)?,
                "max_attempts" => read_checked(&mut map, field, &mut raw.max_attempts, |&n| {
                    rule(ALONE.try_max_attempts(n))
                })?,
                "max_retries" => read_checked(&mut map, field, &mut raw.max_retries, |&n| {
                    rule(ALONE.try_max_retries(n))
                })?,
                "initial_delay" => read(&mut map, field, &mut raw.initial_delay)?,
                "max_delay" => read_checked(&mut map, field, &mut raw.max_delay, |&d| {
                    rule(ALONE.try_max_delay(d))
                })?,
                "multiplier" => read_checked(&mut map, field, &mut raw.multiplier, |&m| {
                    rule(ALONE.try_multiplier(m))
                })?,
                "jitter" => read_checked(&mut map, field, &mut raw.jitter, |&j| {
                    rule(ALONE.try_jitter(j))
                })?,
                "max_elapsed" => read_checked(&mut map, field, &mut raw.max_elapsed, |&d| {
                    rule(ALONE.try_max_elapsed(d))
                })?,
                "max_retry_after" => {
                    read_checked(&mut map, field, &mut raw.max_retry_after, |&d| {
                        rule(ALONE.try_max_retry_after(d))
                    })?
                }
                _ => read_checked(&mut map, field, &mut raw.timeout, |&d| {
                    rule(ALONE.try_timeout(d))
                })?,
            }
        }
        raw.build()
    }
}

impl Raw {
    fn build<E: de::Error>(self) -> Result<RetryPolicy, E> {
        let mut p = match self.backoff.unwrap_or(Backoff::Exponential) {
            Backoff::Exponential => RetryPolicy::exponential(),
            Backoff::Linear => RetryPolicy::linear(),
            Backoff::Fixed => RetryPolicy::fixed(),
            Backoff::Decorrelated => RetryPolicy::decorrelated(),
        };
        if let Some(n) = self.max_attempts {
            p = checked("max_attempts", p.try_max_attempts(n))?;
        }
        if let Some(n) = self.max_retries {
            if self.max_attempts.is_some() {
                return Err(field_error(
                    "max_retries",
                    "give either `max_attempts` or `max_retries`, not both",
                ));
            }
            p = checked("max_retries", p.try_max_retries(n))?;
        }
        if let Some(d) = self.initial_delay {
            p = checked("initial_delay", p.try_initial_delay(d))?;
        }
        if let Some(d) = self.max_delay {
            p = checked("max_delay", p.try_max_delay(d))?;
        }
        if let Some(m) = self.multiplier {
            p = checked("multiplier", p.try_multiplier(m))?;
        }
        if let Some(j) = self.jitter {
            p = checked("jitter", p.try_jitter(j))?;
        }
        if let Some(d) = self.max_elapsed {
            p = checked("max_elapsed", p.try_max_elapsed(d))?;
        }
        if let Some(d) = self.max_retry_after {
            p = checked("max_retry_after", p.try_max_retry_after(d))?;
        }
        if let Some(d) = self.timeout {
            p = checked("timeout", p.try_timeout(d))?;
        }
        Ok(p)
    }
}
