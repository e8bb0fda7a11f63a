//! `Serialize` and `Deserialize` for [`LimiterConfig`], with the keys of `#[rate_limit]`:
//! `rate`, `per`, `burst`, `max_wait`.

use std::fmt;
use std::time::Duration;

use serde::de::{self, MapAccess, Visitor};
use serde::ser::SerializeStruct;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::{checked, read, read_checked, rule, Key, Literal};
use crate::limit::LimiterConfig;

const FIELDS: &[&str] = &["rate", "per", "burst", "max_wait"];

/// The period of `rate` when a file leaves it out, as the attribute's `per` defaults.
const DEFAULT_PER: Duration = Duration::from_secs(1);

/// All four fields, durations as duration literals.
///
/// ```
/// use std::time::Duration;
/// use retry_runtime::LimiterConfig;
///
/// let c = LimiterConfig::new(500, Duration::from_secs(60)).burst(20);
/// assert_eq!(
///     toml::to_string(&c).unwrap(),
///     "rate = 500\nper = \"1m\"\nburst = 20\nmax_wait = \"30s\"\n"
/// );
/// ```
impl Serialize for LimiterConfig {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("LimiterConfig", 4)?;
        s.serialize_field("rate", &self.get_rate())?;
        s.serialize_field("per", &Literal(self.get_per()))?;
        s.serialize_field("burst", &self.get_burst())?;
        s.serialize_field("max_wait", &Literal(self.get_max_wait()))?;
        s.end()
    }
}

/// Reads a limiter's configuration. `rate` is required, as it is on the attribute; a missing
/// `per` is 1 s, a missing `burst` is `rate`, a missing `max_wait` is 30 s. Every rule of
/// [`LimiterConfig::try_new`] and [`LimiterConfig::try_burst`] is checked, and a broken one is
/// an error naming its field; an unknown field is an error.
///
/// ```
/// use std::time::Duration;
/// use retry_runtime::LimiterConfig;
///
/// let c: LimiterConfig = toml::from_str("rate = 500\nper = \"1m\"\nmax_wait = \"5s\"").unwrap();
/// assert_eq!(
///     c,
///     LimiterConfig::new(500, Duration::from_secs(60)).max_wait(Duration::from_secs(5))
/// );
///
/// let err = serde_json::from_str::<LimiterConfig>(r#"{"rate": 0}"#).unwrap_err();
/// assert!(err.to_string().starts_with("rate: must be at least 1"), "{err}");
/// let err = serde_json::from_str::<LimiterConfig>(r#"{"per": "1s"}"#).unwrap_err();
/// assert!(err.to_string().starts_with("missing field `rate`"), "{err}");
/// ```
impl<'de> Deserialize<'de> for LimiterConfig {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_struct("LimiterConfig", FIELDS, LimiterVisitor)
    }
}

struct LimiterVisitor;

impl<'de> Visitor<'de> for LimiterVisitor {
    type Value = LimiterConfig;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a rate limiter: a table of `rate`, `per`, `burst` and `max_wait`")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<LimiterConfig, A::Error> {
        let mut rate: Option<u32> = None;
        let mut per: Option<Duration> = None;
        let mut burst: Option<u32> = None;
        let mut max_wait: Option<Duration> = None;
        while let Some(key) = map.next_key_seed(Key(FIELDS))? {
            let field = FIELDS[key];
            match field {
                "rate" => read_checked(&mut map, field, &mut rate, |&r| {
                    rule(LimiterConfig::try_new(r, DEFAULT_PER))
                })?,
                "per" => read_checked(&mut map, field, &mut per, |&p| {
                    rule(LimiterConfig::try_new(1, p))
                })?,
                "burst" => read_checked(&mut map, field, &mut burst, |&b| {
                    rule(LimiterConfig::new(1, DEFAULT_PER).try_burst(b))
                })?,
                _ => read(&mut map, field, &mut max_wait)?,
            }
        }
        let rate = rate.ok_or_else(|| de::Error::missing_field("rate"))?;
        let mut c = checked(
            "per",
            LimiterConfig::try_new(rate, per.unwrap_or(DEFAULT_PER)),
        )?;
        if let Some(burst) = burst {
            c = checked("burst", c.try_burst(burst))?;
        }
        if let Some(max_wait) = max_wait {
            // Any wait is valid.
            c = c.max_wait(max_wait);
        }
        Ok(c)
    }
}
