//! `Serialize` and `Deserialize` for [`RetryBudget`], with its setters' names: `ratio`,
//! `min_per_sec`, `ttl`.

use std::fmt;
use std::time::Duration;

use serde::de::{self, MapAccess, Visitor};
use serde::ser::SerializeStruct;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::{checked, read, read_checked, rule, Key, Literal};
use crate::budget::RetryBudget;

const FIELDS: &[&str] = &["ratio", "min_per_sec", "ttl"];

/// All three fields, `ttl` as a duration literal.
///
/// ```
/// use std::time::Duration;
/// use retry_runtime::RetryBudget;
///
/// let b = RetryBudget::new().ratio(0.2).ttl(Duration::from_secs(30));
/// assert_eq!(toml::to_string(&b).unwrap(), "ratio = 0.2\nmin_per_sec = 10\nttl = \"30s\"\n");
/// ```
impl Serialize for RetryBudget {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("RetryBudget", 3)?;
        s.serialize_field("ratio", &self.get_ratio())?;
        s.serialize_field("min_per_sec", &self.get_min_per_sec())?;
        s.serialize_field("ttl", &Literal(self.get_ttl()))?;
        s.end()
    }
}

/// Reads a budget; a missing field keeps its default ([`RetryBudget::new`]). The setters'
/// rules are checked (`ratio` in `0.0..=1000.0`, `ttl` in `1ms..=1h`), and a broken one is an
/// error naming its field; an unknown field is an error.
///
/// ```
/// use std::time::Duration;
/// use retry_runtime::RetryBudget;
///
/// let b: RetryBudget = serde_json::from_str(r#"{"ratio": 0.2, "ttl": "30s"}"#).unwrap();
/// assert_eq!(b, RetryBudget::new().ratio(0.2).ttl(Duration::from_secs(30)));
///
/// let err = serde_json::from_str::<RetryBudget>(r#"{"ttl": "2h"}"#).unwrap_err();
/// assert!(err.to_string().starts_with("ttl: "));
/// ```
impl<'de> Deserialize<'de> for RetryBudget {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_struct("RetryBudget", FIELDS, BudgetVisitor)
    }
}

struct BudgetVisitor;

impl<'de> Visitor<'de> for BudgetVisitor {
    type Value = RetryBudget;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a retry budget: a table of `ratio`, `min_per_sec` and `ttl`")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RetryBudget, A::Error> {
        let mut ratio: Option<f64> = None;
        let mut min_per_sec: Option<u32> = None;
        let mut ttl: Option<Duration> = None;
        while let Some(key) = map.next_key_seed(Key(FIELDS))? {
            let field = FIELDS[key];
            match field {
                "ratio" => read_checked(&mut map, field, &mut ratio, |&r| {
                    rule(RetryBudget::new().try_ratio(r))
                })?,
                "min_per_sec" => read(&mut map, field, &mut min_per_sec)?,
                _ => read_checked(&mut map, field, &mut ttl, |&d| {
                    rule(RetryBudget::new().try_ttl(d))
                })?,
            }
        }
        build(ratio, min_per_sec, ttl)
    }
}

fn build<E: de::Error>(
    ratio: Option<f64>,
    min_per_sec: Option<u32>,
    ttl: Option<Duration>,
) -> Result<RetryBudget, E> {
    let mut b = RetryBudget::new();
    if let Some(ratio) = ratio {
        b = checked("ratio", b.try_ratio(ratio))?;
    }
    if let Some(n) = min_per_sec {
        // Any count is valid.
        b = b.min_per_sec(n);
    }
    if let Some(ttl) = ttl {
        b = checked("ttl", b.try_ttl(ttl))?;
    }
    Ok(b)
}
