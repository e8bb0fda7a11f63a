//! The one grammar of durations and numbers, shared by the attribute macros and the runtime.
//!
//! This file depends on nothing but `std`: the runtime compiles it as its `duration` module
//! (for `RETRY_*` environment variables) and the macro crate compiles the very same file
//! through a symlink (`retry-macros/src/parse/duration_grammar.rs`) for the attributes'
//! literals, so `"1m30s"` means the same in both places and is rejected with the same words.
//!
//! A duration is one or more `<number><unit>` parts, largest unit first, each unit once, with
//! no spaces inside. A number is an integer or a decimal (`1.5`); units are `h`, `m`, `s`,
//! `ms`, `us` (or `µs`) and `ns`. The value is exact to the nanosecond (decimals are not
//! rounded through a float; digits below a nanosecond are dropped).
//!
//! A plain number (a multiplier, a jitter fraction, a failure rate) is a decimal with an
//! optional sign and exponent that an `f64` holds as a finite value: `1e400`, which a bare
//! `str::parse::<f64>` turns into infinity, and the words `inf` and `NaN` are rejected.

use std::fmt;
use std::time::Duration;

/// What a duration looks like, for messages.
const SHAPE: &str = "expected a duration such as \"500ms\", \"2s\" or \"1m30s\"";

/// The units, largest first, with their length in nanoseconds.
const UNITS: &[(&str, u128)] = &[
    ("h", 3_600_000_000_000),
    ("m", 60_000_000_000),
    ("s", 1_000_000_000),
    ("ms", 1_000_000),
    ("us", 1_000),
    ("ns", 1),
];

/// Why a duration literal does not parse. `Display` gives the compile error message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum DurationError {
    /// `""` or only spaces.
    Empty,
    /// A number with no unit: `"100"`, or the `30` at the end of `"1m30"`.
    NoUnit {
        /// The number as written.
        number: String,
        /// The literal up to the number (`"1m"`), empty when the number comes first.
        before: String,
        /// The unit that usually follows the previous one (`s` after `m`), if any.
        next_unit: Option<&'static str>,
    },
    /// A unit that is not one of `ns`, `us`, `ms`, `s`, `m`, `h`.
    UnknownUnit {
        /// The unit as written.
        unit: String,
        /// The unit probably meant (`s` for `sec`).
        hint: Option<&'static str>,
    },
    /// Something that is no duration at all: `"soon"`.
    NotADuration,
    /// A unit with no number before it: `"ms"`.
    MissingNumber {
        /// The unit as written.
        unit: String,
    },
    /// A number that is not an integer or a simple decimal: `"1.2.3s"`, `".5s"`, `"1.s"`.
    BadNumber {
        /// The number as written.
        number: String,
    },
    /// A character that belongs to no number or unit, e.g. `,` or `+`.
    BadChar {
        /// The character.
        found: char,
    },
    /// `"-1s"`.
    Negative,
    /// A space inside the literal: `"1m 30s"`, `"100 ms"`.
    Space,
    /// Units out of order or repeated: `"30s1m"`, `"1s1s"`.
    Order {
        /// The unit that came too late.
        unit: String,
    },
    /// More than `Duration` holds.
    TooLarge,
}

impl fmt::Display for DurationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => write!(f, "empty duration; expected a number and a unit, e.g. \"100ms\""),
            Self::NoUnit {
                number,
                before,
                next_unit,
            } => {
                if before.is_empty() {
                    write!(
                        f,
                        "duration needs a unit: \"{number}ms\" or \"{number}s\" (units: ns, us, ms, s, m, h)"
                    )
                } else if let Some(unit) = next_unit {
                    write!(
                        f,
                        "duration needs a unit after `{number}`, e.g. \"{before}{number}{unit}\""
                    )
                } else {
                    write!(f, "duration needs a unit after `{number}`")
                }
            }
            Self::UnknownUnit { unit, hint } => {
                write!(f, "unknown duration unit `{unit}`; ")?;
                match hint {
                    Some(hint) => write!(f, "did you mean `{hint}`?"),
                    None => write!(f, "expected one of ns, us, ms, s, m, h"),
                }
            }
            Self::NotADuration => write!(f, "{SHAPE}"),
            Self::MissingNumber { unit } => {
                write!(f, "expected a number before `{unit}`, e.g. \"100{unit}\"")
            }
            Self::BadNumber { number } => write!(
                f,
                "malformed number `{number}` in duration; expected an integer or a decimal such as `1.5`"
            ),
            Self::BadChar { found } => write!(
                f,
                "unexpected `{found}` in duration; expected numbers with units, e.g. \"1m30s\""
            ),
            Self::Negative => write!(f, "a duration cannot be negative"),
            Self::Space => write!(f, "no spaces inside a duration: write \"1m30s\" or \"100ms\""),
            Self::Order { unit } => write!(
                f,
                "unexpected `{unit}` here: duration units go from largest to smallest, each once, e.g. \"1m30s\""
            ),
            Self::TooLarge => write!(f, "duration is too large"),
        }
    }
}

/// Parses a duration literal's text. Surrounding spaces are ignored.
pub(crate) fn parse_duration(text: &str) -> Result<Duration, DurationError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(DurationError::Empty);
    }
    if text.starts_with('-') {
        return Err(DurationError::Negative);
    }
    if text.chars().any(char::is_whitespace) {
        return Err(DurationError::Space);
    }

    let mut total: u128 = 0;
    // Index into `UNITS` of the previous part's unit.
    let mut previous: Option<usize> = None;
    let mut rest = text;
    while !rest.is_empty() {
        let number_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let (number, after) = rest.split_at(number_len);
        let unit_len = after
            .find(|c: char| !c.is_alphabetic())
            .unwrap_or(after.len());
        let (unit, after) = after.split_at(unit_len);

        if number.is_empty() {
            if unit.is_empty() {
                let found = rest.chars().next().unwrap_or(' ');
                return Err(DurationError::BadChar { found });
            }
            if unit_index(unit).is_none() {
                return Err(DurationError::NotADuration);
            }
            return Err(DurationError::MissingNumber { unit: unit.into() });
        }
        if unit.is_empty() {
            if let Some(found) = after.chars().next() {
                return Err(DurationError::BadChar { found });
            }
            return Err(DurationError::NoUnit {
                number: number.into(),
                before: text[..text.len() - rest.len()].into(),
                next_unit: match previous {
                    Some(index) => UNITS.get(index + 1).map(|&(name, _)| name),
                    None => None,
                },
            });
        }
        let (int, frac) = split_number(number)?;
        let index = unit_index(unit).ok_or_else(|| DurationError::UnknownUnit {
            unit: unit.into(),
            hint: unit_hint(unit),
        })?;
        if previous.is_some_and(|p| p >= index) {
            return Err(DurationError::Order { unit: unit.into() });
        }
        previous = Some(index);

        let scale = UNITS[index].1;
        let part = part_nanos(int, frac, scale).ok_or(DurationError::TooLarge)?;
        total = total.checked_add(part).ok_or(DurationError::TooLarge)?;
        rest = after;
    }

    let secs = u64::try_from(total / 1_000_000_000).map_err(|_| DurationError::TooLarge)?;
    // The remainder is below one billion, so it fits in a u32.
    let nanos = (total % 1_000_000_000) as u32;
    Ok(Duration::new(secs, nanos))
}

/// Writes a duration the way a user would: `"1m30s"`, `"250ms"`, `"1s500ms"`, `"0s"`.
// Used by the macro crate's messages (`initial_delay` above `max_delay`); the runtime writes
// its durations rounded (`DurationText::Rounded`).
#[allow(dead_code)]
pub(crate) fn format_duration(duration: Duration) -> String {
    DurationText::Exact(duration).to_string()
}

/// A duration written in the grammar above, so every duration the library prints reads back.
/// `Exact` keeps every unit (`"1m30s"`, `"1s500ms"`, `"0s"`). `Rounded` is for messages people
/// read: tenths of a second under a minute (`"12.3s"`, to the nearest, so a wait computed a few
/// microseconds after `12.3s` was set still reads `12.3s`), whole seconds from a minute up
/// (`"2m5s"`), and the largest whole unit under a second (`"250ms"`, `"7us"`).
#[derive(Clone, Copy, Debug)]
// The macro crate writes exact durations only.
#[allow(dead_code)]
pub(crate) enum DurationText {
    /// Every unit, to the nanosecond.
    Exact(Duration),
    /// Rounded for a message.
    Rounded(Duration),
}

impl fmt::Display for DurationText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Self::Exact(d) if d.is_zero() => write!(f, "0s"),
            Self::Exact(d) => {
                let mut left = d.as_nanos();
                for &(name, size) in UNITS {
                    let count = left / size;
                    if count > 0 {
                        write!(f, "{count}{name}")?;
                        left %= size;
                    }
                }
                Ok(())
            }
            Self::Rounded(d) if d >= Duration::from_secs(60) => {
                Self::Exact(Duration::from_secs(d.as_secs())).fmt(f)
            }
            Self::Rounded(d) if d >= Duration::from_millis(999_950) / 1000 => {
                let tenths = (d.as_nanos() + 50_000_000) / 100_000_000;
                match (tenths / 10, tenths % 10) {
                    (secs, 0) => write!(f, "{secs}s"),
                    (secs, tenths) => write!(f, "{secs}.{tenths}s"),
                }
            }
            Self::Rounded(d) if d.as_millis() >= 1 => write!(f, "{}ms", d.as_millis()),
            Self::Rounded(d) if d.as_micros() >= 1 => write!(f, "{}us", d.as_micros()),
            Self::Rounded(d) => write!(f, "{}ns", d.as_nanos()),
        }
    }
}

/// Splits `"1.5"` into `("1", "5")` and `"3"` into `("3", "")`, rejecting anything else.
fn split_number(number: &str) -> Result<(&str, &str), DurationError> {
    let bad = || DurationError::BadNumber {
        number: number.into(),
    };
    match number.split_once('.') {
        None => Ok((number, "")),
        Some((int, frac)) if !int.is_empty() && !frac.is_empty() && !frac.contains('.') => {
            Ok((int, frac))
        }
        Some(_) => Err(bad()),
    }
}

/// `int.frac` units of `scale` nanoseconds, exactly; `None` on overflow.
fn part_nanos(int: &str, frac: &str, scale: u128) -> Option<u128> {
    let whole = int.parse::<u128>().ok()?.checked_mul(scale)?;
    // Twenty digits are finer than a nanosecond for every unit and keep the product in range.
    let frac = &frac[..frac.len().min(20)];
    if frac.is_empty() {
        return Some(whole);
    }
    let digits = frac.parse::<u128>().ok()?;
    let fraction = digits * scale / 10u128.pow(frac.len() as u32);
    whole.checked_add(fraction)
}

fn unit_index(unit: &str) -> Option<usize> {
    let unit = if unit == "µs" || unit == "μs" {
        "us"
    } else {
        unit
    };
    UNITS.iter().position(|&(name, _)| name == unit)
}

/// The unit meant by a common spelling that is not a unit here.
fn unit_hint(unit: &str) -> Option<&'static str> {
    let lower = unit.to_lowercase();
    if let Some(index) = unit_index(&lower) {
        return Some(UNITS[index].0);
    }
    let hint = match lower.as_str() {
        "sec" | "secs" | "second" | "seconds" => "s",
        "min" | "mins" | "minute" | "minutes" => "m",
        "hr" | "hrs" | "hour" | "hours" | "d" | "day" | "days" => "h",
        "msec" | "msecs" | "milli" | "millis" | "millisecond" | "milliseconds" => "ms",
        "usec" | "usecs" | "micro" | "micros" | "microsecond" | "microseconds" => "us",
        "nsec" | "nsecs" | "nano" | "nanos" | "nanosecond" | "nanoseconds" => "ns",
        _ => return None,
    };
    Some(hint)
}

/// Why a plain number does not parse. `Display` gives the message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum NumberError {
    /// Not a decimal number: `"fast"`, `"1,5"`, `"inf"`.
    Malformed,
    /// A decimal no `f64` holds as a finite value: `1e400`.
    NotFinite,
}

impl fmt::Display for NumberError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Malformed => write!(f, "expected a number such as `2`, `1.5` or `0.25`"),
            Self::NotFinite => write!(
                f,
                "number out of range: it must be finite (an `f64` holds up to about 1.8e308)"
            ),
        }
    }
}

/// Parses a plain decimal number (`2`, `-0.5`, `1.5e3`) into a finite `f64`. Surrounding
/// spaces are ignored; range rules (at least 1, a fraction...) are the caller's.
pub(crate) fn parse_number(text: &str) -> Result<f64, NumberError> {
    let text = text.trim();
    let decimal = text
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-'));
    if !decimal || !text.chars().any(|c| c.is_ascii_digit()) {
        return Err(NumberError::Malformed);
    }
    match text.parse::<f64>() {
        Ok(value) if value.is_finite() => Ok(value),
        Ok(_) => Err(NumberError::NotFinite),
        Err(_) => Err(NumberError::Malformed),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounded_durations_read_back() {
        let cases = [
            (Duration::from_millis(12_345), "12.3s"),
            (Duration::from_micros(12_299_950), "12.3s"),
            (Duration::from_millis(12_250), "12.3s"),
            (Duration::from_millis(59_990), "60s"),
            (Duration::from_millis(999), "999ms"),
            (Duration::from_micros(999_960), "1s"),
            (Duration::from_secs(2), "2s"),
            (Duration::from_millis(250), "250ms"),
            (Duration::from_secs(125), "2m5s"),
            (Duration::from_secs(120), "2m"),
            (Duration::from_secs(3725), "1h2m5s"),
            (Duration::from_micros(7), "7us"),
            (Duration::ZERO, "0ns"),
        ];
        for (d, want) in cases {
            let text = DurationText::Rounded(d).to_string();
            assert_eq!(text, want);
            assert!(parse_duration(&text).is_ok(), "{text} reads back");
        }
    }

    fn ok(text: &str) -> Duration {
        parse_duration(text).unwrap_or_else(|e| panic!("{text:?}: {e}"))
    }

    fn err(text: &str) -> String {
        match parse_duration(text) {
            Ok(d) => panic!("{text:?} parsed as {d:?}"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn parses_every_unit_and_chains() {
        assert_eq!(ok("250ms"), Duration::from_millis(250));
        assert_eq!(ok("1m30s"), Duration::from_secs(90));
        assert_eq!(ok("1.5s"), Duration::from_millis(1500));
        assert_eq!(ok("2h"), Duration::from_secs(7200));
        assert_eq!(ok("10us"), Duration::from_micros(10));
        assert_eq!(ok("10µs"), Duration::from_micros(10));
        assert_eq!(ok("7ns"), Duration::from_nanos(7));
        assert_eq!(ok("1h2m3s4ms5us6ns"), Duration::new(3723, 4_005_006));
        assert_eq!(ok("0s"), Duration::ZERO);
        assert_eq!(ok(" 100ms "), Duration::from_millis(100));
        assert_eq!(ok("007s"), Duration::from_secs(7));
    }

    #[test]
    fn decimals_are_exact() {
        assert_eq!(ok("0.1s"), Duration::from_millis(100));
        assert_eq!(ok("1.25m"), Duration::from_secs(75));
        assert_eq!(ok("0.000000001s"), Duration::from_nanos(1));
        // Below a nanosecond is dropped.
        assert_eq!(ok("1.9ns"), Duration::from_nanos(1));
        assert_eq!(
            ok("0.123456789012345678901234567s"),
            Duration::from_nanos(123_456_789)
        );
    }

    #[test]
    fn empty() {
        assert_eq!(
            err(""),
            "empty duration; expected a number and a unit, e.g. \"100ms\""
        );
        assert_eq!(parse_duration("   "), Err(DurationError::Empty));
    }

    #[test]
    fn bare_numbers_need_a_unit() {
        assert_eq!(
            err("100"),
            "duration needs a unit: \"100ms\" or \"100s\" (units: ns, us, ms, s, m, h)"
        );
        assert_eq!(
            err("1.5"),
            "duration needs a unit: \"1.5ms\" or \"1.5s\" (units: ns, us, ms, s, m, h)"
        );
        assert_eq!(
            err("1m30"),
            "duration needs a unit after `30`, e.g. \"1m30s\""
        );
        assert_eq!(err("1h5"), "duration needs a unit after `5`, e.g. \"1h5m\"");
        assert_eq!(err("1ns5"), "duration needs a unit after `5`");
    }

    #[test]
    fn unknown_units() {
        assert_eq!(
            err("5sec"),
            "unknown duration unit `sec`; did you mean `s`?"
        );
        assert_eq!(err("2MS"), "unknown duration unit `MS`; did you mean `ms`?");
        assert_eq!(
            err("1day"),
            "unknown duration unit `day`; did you mean `h`?"
        );
        assert_eq!(
            err("5parsecs"),
            "unknown duration unit `parsecs`; expected one of ns, us, ms, s, m, h"
        );
        assert_eq!(
            err("1m30x"),
            "unknown duration unit `x`; expected one of ns, us, ms, s, m, h"
        );
    }

    #[test]
    fn garbage_says_what_a_duration_looks_like() {
        let shape = "expected a duration such as \"500ms\", \"2s\" or \"1m30s\"";
        assert_eq!(err("soon"), shape);
        assert_eq!(err("later5s"), shape);
        assert_eq!(parse_duration("sec"), Err(DurationError::NotADuration));
        // A real unit with no number says so.
        assert_eq!(err("s"), "expected a number before `s`, e.g. \"100s\"");
    }

    #[test]
    fn malformed() {
        assert_eq!(err("ms"), "expected a number before `ms`, e.g. \"100ms\"");
        assert_eq!(
            err("1.2.3s"),
            "malformed number `1.2.3` in duration; expected an integer or a decimal such as `1.5`"
        );
        assert!(err(".5s").starts_with("malformed number `.5`"));
        assert!(err("1.s").starts_with("malformed number `1.`"));
        assert_eq!(
            err("1s,2ms"),
            "unexpected `,` in duration; expected numbers with units, e.g. \"1m30s\""
        );
        assert!(err("+1s").starts_with("unexpected `+`"));
        assert!(err("10_000ms").starts_with("unexpected `_`"));
        assert_eq!(err("-1s"), "a duration cannot be negative");
        assert_eq!(
            err("1m 30s"),
            "no spaces inside a duration: write \"1m30s\" or \"100ms\""
        );
        assert_eq!(parse_duration("100 ms"), Err(DurationError::Space));
    }

    #[test]
    fn units_go_down_once() {
        assert_eq!(
            err("30s1m"),
            "unexpected `m` here: duration units go from largest to smallest, each once, e.g. \"1m30s\""
        );
        assert_eq!(
            parse_duration("1s1s"),
            Err(DurationError::Order { unit: "s".into() })
        );
        assert_eq!(
            parse_duration("1us1µs"),
            Err(DurationError::Order { unit: "µs".into() })
        );
    }

    #[test]
    fn too_large() {
        assert_eq!(
            err("99999999999999999999999999999999999999999h"),
            "duration is too large"
        );
        assert_eq!(err("9999999999999999h"), "duration is too large");
        assert_eq!(ok("18446744073709551615s"), Duration::from_secs(u64::MAX));
        assert_eq!(
            parse_duration("18446744073709551616s"),
            Err(DurationError::TooLarge)
        );
    }

    #[test]
    fn formats_back() {
        assert_eq!(format_duration(Duration::ZERO), "0s");
        assert_eq!(format_duration(Duration::from_secs(90)), "1m30s");
        assert_eq!(format_duration(Duration::from_millis(1500)), "1s500ms");
        assert_eq!(format_duration(Duration::from_millis(250)), "250ms");
        assert_eq!(
            format_duration(Duration::new(3723, 4_005_006)),
            "1h2m3s4ms5us6ns"
        );
        for text in ["1h2m3s4ms5us6ns", "10s", "7ns", "2h"] {
            assert_eq!(format_duration(ok(text)), text);
        }
    }

    #[test]
    fn numbers() {
        assert_eq!(parse_number("2"), Ok(2.0));
        assert_eq!(parse_number("1.5"), Ok(1.5));
        assert_eq!(parse_number(" 0.25 "), Ok(0.25));
        assert_eq!(parse_number("-0.5"), Ok(-0.5));
        assert_eq!(parse_number("1.5e3"), Ok(1500.0));
        assert_eq!(parse_number("1e-400"), Ok(0.0));
    }

    #[test]
    fn numbers_must_be_finite_decimals() {
        for text in ["1e400", "-1e400", "1e999"] {
            assert_eq!(parse_number(text), Err(NumberError::NotFinite), "{text}");
        }
        assert_eq!(
            NumberError::NotFinite.to_string(),
            "number out of range: it must be finite (an `f64` holds up to about 1.8e308)"
        );
        for text in [
            "", " ", "inf", "-inf", "NaN", "infinity", "fast", "1,5", "1.2.3", "e5", ".",
        ] {
            assert_eq!(parse_number(text), Err(NumberError::Malformed), "{text:?}");
        }
        assert_eq!(
            NumberError::Malformed.to_string(),
            "expected a number such as `2`, `1.5` or `0.25`"
        );
    }
}
