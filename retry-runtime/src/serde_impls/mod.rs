//! Feature `serde`: configuration files. [`RetryPolicy`](crate::RetryPolicy),
//! [`BreakerConfig`](crate::BreakerConfig), [`RetryBudget`](crate::RetryBudget) and
//! [`LimiterConfig`](crate::LimiterConfig) are written and read with the attributes' key
//! names, durations as duration literals of the one grammar (`duration.rs`), and every rule of
//! their setters checked while reading; an error names its field (`max_attempts: must be at
//! least 1`). One file per type (`policy.rs`, `breaker.rs`, `budget.rs`, `limiter.rs`); here
//! is what they share: reading a table's keys (unknown and repeated keys are errors), reading
//! one value with its field's name in every message, and writing durations.
//!
//! The impls are written by hand over small pieces rather than derived, so the feature adds
//! `serde`'s traits only (no proc macro), and values go through the checked `try_` setters.

mod breaker;
mod budget;
mod limiter;
mod policy;

use std::fmt;
use std::marker::PhantomData;
use std::time::Duration;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Unexpected, Visitor};
use serde::{Serialize, Serializer};

use crate::duration::{parse_duration, DurationText, NumberError};

/// A duration written as a literal of the one grammar: `"1m30s"`, `"250ms"`, `"0s"`, exact to
/// the nanosecond, so it reads back as the same `Duration`.
pub(crate) struct Literal(pub(crate) Duration);

impl Serialize for Literal {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&DurationText::Exact(self.0))
    }
}

/// `field: rule`, the rule without the field's name when it starts with it (`max_attempts must
/// be at least 1` becomes `max_attempts: must be at least 1`).
pub(crate) fn field_error<E: de::Error>(field: &str, rule: impl fmt::Display) -> E {
    let rule = rule.to_string();
    let rest = rule
        .strip_prefix(field)
        .and_then(|rest| rest.strip_prefix(' '))
        .unwrap_or(&rule);
    E::custom(format_args!("{field}: {rest}"))
}

/// A setter's result, its error named after `field`.
pub(crate) fn checked<T, R: fmt::Display, E: de::Error>(
    field: &str,
    result: Result<T, R>,
) -> Result<T, E> {
    result.map_err(|rule| field_error(field, rule))
}

/// The key of a table, as its index in `fields`; any other key is an error that lists them.
pub(crate) struct Key(pub(crate) &'static [&'static str]);

impl<'de> DeserializeSeed<'de> for Key {
    type Value = usize;
    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<usize, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl Visitor<'_> for Key {
    type Value = usize;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }
    fn visit_str<E: de::Error>(self, key: &str) -> Result<usize, E> {
        self.0
            .iter()
            .position(|field| *field == key)
            .ok_or_else(|| E::unknown_field(key, self.0))
    }
}

/// Reads the value of `field` into `slot`: a repeated key is an error.
pub(crate) fn read<'de, A: MapAccess<'de>, T: FieldValue>(
    map: &mut A,
    field: &'static str,
    slot: &mut Option<T>,
) -> Result<(), A::Error> {
    read_checked(map, field, slot, |_| Ok(()))
}

/// [`read`], checking the rules of the value alone (`max_attempts = 0`) as it is read, so a
/// format that knows where the value is (TOML) points at it. The rules between fields are
/// checked once all are read.
pub(crate) fn read_checked<'de, A: MapAccess<'de>, T: FieldValue>(
    map: &mut A,
    field: &'static str,
    slot: &mut Option<T>,
    check: fn(&T) -> Result<(), String>,
) -> Result<(), A::Error> {
    if slot.is_some() {
        return Err(de::Error::duplicate_field(field));
    }
    *slot = Some(map.next_value_seed(Value {
        field,
        check,
        kind: PhantomData,
    })?);
    Ok(())
}

/// A check for [`read_checked`]: the setter's result, its rule as text.
pub(crate) fn rule<T, R: fmt::Display>(result: Result<T, R>) -> Result<(), String> {
    result.map(drop).map_err(|rule| rule.to_string())
}

/// A number as a configuration file writes it.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Number {
    /// `3`, `-1`.
    Integer(i128),
    /// `0.25`, `2.0`.
    Float(f64),
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Number::Integer(n) => write!(f, "{n}"),
            Number::Float(x) => write!(f, "{x}"),
        }
    }
}

/// Why a value was refused.
pub(crate) enum Refusal {
    /// A value of the wrong type (a string where a number goes): the message says what goes
    /// there.
    WrongType,
    /// The right type, but it breaks a rule; the rule's words.
    Rule(String),
}

/// A kind of value a field holds: what it looks like, and how it is made from a string or a
/// number (each refuses the other by default).
pub(crate) trait FieldValue: Sized {
    /// What a value looks like, for messages: `a duration such as "500ms"`.
    const EXPECTING: &'static str;

    /// The value written as a string.
    fn from_text(text: &str) -> Result<Self, Refusal> {
        let _ = text;
        Err(Refusal::WrongType)
    }

    /// The value written as a number.
    fn from_number(number: Number) -> Result<Self, Refusal> {
        let _ = number;
        Err(Refusal::WrongType)
    }
}

/// A duration: a literal of the one grammar. A bare number gets the grammar's own words (add a
/// unit), as an attribute's literal does.
impl FieldValue for Duration {
    const EXPECTING: &'static str = "a duration such as \"500ms\", \"2s\" or \"1m30s\"";

    fn from_text(text: &str) -> Result<Self, Refusal> {
        parse_duration(text).map_err(|e| Refusal::Rule(e.to_string()))
    }

    fn from_number(number: Number) -> Result<Self, Refusal> {
        match parse_duration(&number.to_string()) {
            Err(e) => Err(Refusal::Rule(e.to_string())),
            // A number alone has no unit, so this does not happen; refuse it all the same.
            Ok(_) => Err(Refusal::WrongType),
        }
    }
}

/// A count: a whole number that fits in a `u32`.
impl FieldValue for u32 {
    const EXPECTING: &'static str = "a whole number";

    fn from_number(number: Number) -> Result<Self, Refusal> {
        match number {
            Number::Integer(n) => u32::try_from(n).map_err(|_| {
                Refusal::Rule(format!(
                    "{n} is out of range: expected a whole number from 0 to {}",
                    u32::MAX
                ))
            }),
            Number::Float(_) => Err(Refusal::WrongType),
        }
    }
}

/// A plain number, finite as the grammar's numbers are (`inf` and `nan` are refused).
impl FieldValue for f64 {
    const EXPECTING: &'static str = "a number such as `2`, `1.5` or `0.25`";

    fn from_number(number: Number) -> Result<Self, Refusal> {
        match number {
            Number::Integer(n) => Ok(n as f64),
            Number::Float(x) if x.is_finite() => Ok(x),
            Number::Float(_) => Err(Refusal::Rule(NumberError::NotFinite.to_string())),
        }
    }
}

/// The value of one field, read with the field's name in every message.
struct Value<T> {
    field: &'static str,
    check: fn(&T) -> Result<(), String>,
    kind: PhantomData<T>,
}

impl<T: FieldValue> Value<T> {
    fn done<E: de::Error>(&self, made: Result<T, Refusal>, found: Unexpected<'_>) -> Result<T, E> {
        match made {
            Ok(value) => match (self.check)(&value) {
                Ok(()) => Ok(value),
                Err(rule) => Err(field_error(self.field, rule)),
            },
            Err(Refusal::Rule(rule)) => Err(field_error(self.field, rule)),
            Err(Refusal::WrongType) => Err(self.wrong_type(found)),
        }
    }

    fn wrong_type<E: de::Error>(&self, found: Unexpected<'_>) -> E {
        E::custom(format_args!(
            "{}: expected {}, found {found}",
            self.field,
            T::EXPECTING
        ))
    }
}

impl<'de, T: FieldValue> DeserializeSeed<'de> for Value<T> {
    type Value = T;
    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<T, D::Error> {
        // Configuration formats describe themselves: the value's own type picks the message.
        deserializer.deserialize_any(self)
    }
}

impl<'de, T: FieldValue> Visitor<'de> for Value<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} for `{}`", T::EXPECTING, self.field)
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<T, E> {
        self.done(T::from_text(text), Unexpected::Str(text))
    }

    fn visit_i64<E: de::Error>(self, n: i64) -> Result<T, E> {
        self.done(
            T::from_number(Number::Integer(n.into())),
            Unexpected::Signed(n),
        )
    }

    fn visit_u64<E: de::Error>(self, n: u64) -> Result<T, E> {
        self.done(
            T::from_number(Number::Integer(n.into())),
            Unexpected::Unsigned(n),
        )
    }

    fn visit_f64<E: de::Error>(self, x: f64) -> Result<T, E> {
        self.done(T::from_number(Number::Float(x)), Unexpected::Float(x))
    }

    fn visit_bool<E: de::Error>(self, b: bool) -> Result<T, E> {
        Err(self.wrong_type(Unexpected::Bool(b)))
    }

    fn visit_unit<E: de::Error>(self) -> Result<T, E> {
        Err(self.wrong_type(Unexpected::Unit))
    }

    fn visit_none<E: de::Error>(self) -> Result<T, E> {
        Err(self.wrong_type(Unexpected::Option))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<T, A::Error> {
        Err(self.wrong_type(Unexpected::Seq))
    }

    fn visit_map<A: MapAccess<'de>>(self, _: A) -> Result<T, A::Error> {
        Err(self.wrong_type(Unexpected::Map))
    }
}
