//! RFC 3339 timestamps (`2024-05-01T12:00:30Z`, `2024-05-01T14:00:30.5+02:00`) as Unix
//! nanoseconds, parsed exactly and checked against the calendar: the instants Anthropic's
//! `anthropic-ratelimit-*-reset` headers carry.

use super::calendar::{days_from_civil, days_in_month};
use super::retry_after::NANOS_PER_SEC;

/// Nanoseconds since the Unix epoch of an RFC 3339 `date-time`, or `None` when `input` is not
/// one or names a date or time that does not exist.
///
/// The grammar is RFC 3339 §5.6: `YYYY-MM-DD`, then `T` (or `t`, or the space §5.6 allows
/// "for the sake of readability"), `HH:MM:SS`, an optional fraction of a second (any number
/// of digits; those below a nanosecond are dropped), then `Z` (or `z`) or a `+HH:MM` / `-HH:MM`
/// offset. A second of `60` is accepted as a leap second only where one can be (the end of a
/// UTC day: `23:59:60Z`, `18:59:60-05:00`), and read as the second after `59`. Surrounding ASCII whitespace is ignored; nothing else is.
///
/// Linear in the input, never panics, never allocates.
pub(super) fn unix_nanos(input: &str) -> Option<i128> {
    let mut c = Cursor(input.trim_ascii().as_bytes());
    let year = c.digits(4)?;
    c.tag(b'-')?;
    let month = c.digits(2)?;
    c.tag(b'-')?;
    let day = c.digits(2)?;
    c.one_of(b"Tt ")?;
    let hour = c.digits(2)?;
    c.tag(b':')?;
    let minute = c.digits(2)?;
    c.tag(b':')?;
    let second = c.digits(2)?;
    let fraction = if c.tag(b'.').is_some() {
        c.fraction()?
    } else {
        0
    };
    let offset_minutes = match c.one_of(b"Zz+-")? {
        b'Z' | b'z' => 0,
        sign => {
            let hours = c.digits(2)?;
            c.tag(b':')?;
            let minutes = c.digits(2)?;
            if hours > 23 || minutes > 59 {
                return None;
            }
            let total = i64::from(hours * 60 + minutes);
            if sign == b'-' {
                -total
            } else {
                total
            }
        }
    };
    c.end()?;

    let year = i64::from(year);
    if !(1..=12).contains(&month)
        || day == 0
        || day > days_in_month(year, month)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    let days = days_from_civil(year, month, day);
    let local = days * 86_400 + i64::from(hour * 3600 + minute * 60 + second);
    let utc = local - offset_minutes * 60;
    // A leap second ends a UTC day: 23:59:60Z, or 18:59:60-05:00.
    if second == 60 && utc.rem_euclid(86_400) != 0 {
        return None;
    }
    Some(i128::from(utc) * NANOS_PER_SEC + i128::from(fraction))
}

/// A forward-only reader over ASCII bytes; every step is checked, nothing can panic.
struct Cursor<'a>(&'a [u8]);

impl Cursor<'_> {
    fn tag(&mut self, byte: u8) -> Option<()> {
        self.one_of(&[byte]).map(drop)
    }

    /// The next byte, when it is one of `bytes`.
    fn one_of(&mut self, bytes: &[u8]) -> Option<u8> {
        let (&first, rest) = self.0.split_first()?;
        if !bytes.contains(&first) {
            return None;
        }
        self.0 = rest;
        Some(first)
    }

    /// Exactly `n` ASCII digits (`n` <= 4, so the value fits).
    fn digits(&mut self, n: usize) -> Option<u32> {
        let (head, rest) = self.0.split_at_checked(n)?;
        let mut value = 0u32;
        for &b in head {
            if !b.is_ascii_digit() {
                return None;
            }
            value = value * 10 + u32::from(b - b'0');
        }
        self.0 = rest;
        Some(value)
    }

    /// `1*DIGIT` after the decimal point, as nanoseconds (digits past the ninth dropped).
    fn fraction(&mut self) -> Option<u32> {
        let len = self.0.iter().take_while(|b| b.is_ascii_digit()).count();
        if len == 0 {
            return None;
        }
        let (digits, rest) = self.0.split_at(len);
        let mut nanos = 0u32;
        for i in 0..9 {
            let digit = digits.get(i).map_or(0, |&b| u32::from(b - b'0'));
            nanos = nanos * 10 + digit;
        }
        self.0 = rest;
        Some(nanos)
    }

    fn end(&self) -> Option<()> {
        self.0.is_empty().then_some(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEC: i128 = NANOS_PER_SEC;

    #[test]
    fn utc_forms() {
        // 2024-05-01T12:00:30Z: 19844 days after the epoch, plus 12:00:30.
        let want = (19_844 * 86_400 + 12 * 3600 + 30) * SEC;
        assert_eq!(unix_nanos("2024-05-01T12:00:30Z"), Some(want));
        assert_eq!(unix_nanos("2024-05-01t12:00:30z"), Some(want));
        assert_eq!(unix_nanos("2024-05-01 12:00:30Z"), Some(want));
        assert_eq!(unix_nanos(" 2024-05-01T12:00:30Z\t"), Some(want));
        assert_eq!(unix_nanos("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(unix_nanos("1969-12-31T23:59:59Z"), Some(-SEC));
    }

    #[test]
    fn fractions_and_offsets() {
        let base = unix_nanos("2024-05-01T12:00:30Z").unwrap();
        assert_eq!(unix_nanos("2024-05-01T12:00:30.5Z"), Some(base + SEC / 2));
        assert_eq!(
            unix_nanos("2024-05-01T12:00:30.123456789Z"),
            Some(base + 123_456_789)
        );
        // Digits below a nanosecond are dropped, however many there are.
        let long = format!("2024-05-01T12:00:30.000000001{}Z", "9".repeat(1000));
        assert_eq!(unix_nanos(&long), Some(base + 1));
        assert_eq!(unix_nanos("2024-05-01T14:00:30+02:00"), Some(base));
        assert_eq!(unix_nanos("2024-05-01T07:30:30-04:30"), Some(base));
        assert_eq!(unix_nanos("2024-05-01T12:00:30-00:00"), Some(base));
        // An offset across midnight.
        assert_eq!(unix_nanos("2024-05-02T00:30:30+12:30"), Some(base));
    }

    #[test]
    fn leap_seconds_end_a_utc_day_only() {
        let next = unix_nanos("2017-01-01T00:00:00Z").unwrap();
        assert_eq!(unix_nanos("2016-12-31T23:59:60Z"), Some(next));
        assert_eq!(unix_nanos("2016-12-31T18:59:60-05:00"), Some(next));
        assert_eq!(unix_nanos("2016-12-31T23:58:60Z"), None);
        assert_eq!(unix_nanos("2016-12-31T23:59:60+00:30"), None);
    }

    #[test]
    fn calendar_is_checked() {
        assert!(unix_nanos("2024-02-29T00:00:00Z").is_some());
        for bad in [
            "2023-02-29T00:00:00Z",
            "2024-04-31T00:00:00Z",
            "2024-13-01T00:00:00Z",
            "2024-00-01T00:00:00Z",
            "2024-01-00T00:00:00Z",
            "2024-01-01T24:00:00Z",
            "2024-01-01T00:60:00Z",
            "2024-01-01T00:00:61Z",
            "2024-01-01T00:00:00+24:00",
            "2024-01-01T00:00:00+01:60",
        ] {
            assert_eq!(unix_nanos(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn malformed_input_is_none() {
        for bad in [
            "",
            " ",
            "2024-05-01",
            "2024-05-01T12:00Z",
            "2024-05-01T12:00:30",
            "2024-05-01T12:00:30.Z",
            "2024-05-01T12:00:30ZZ",
            "2024-05-01T12:00:30+0200",
            "2024-05-01T12:00:30+02",
            "2024-5-01T12:00:30Z",
            "24-05-01T12:00:30Z",
            "2024/05/01T12:00:30Z",
            "2024-05-01X12:00:30Z",
            "+2024-05-01T12:00:30Z",
            "2024-05-01T12:00:30 Z",
            "２０２４-05-01T12:00:30Z",
            "1714564830",
            "6m0s",
        ] {
            assert_eq!(unix_nanos(bad), None, "{bad:?}");
        }
    }
}
