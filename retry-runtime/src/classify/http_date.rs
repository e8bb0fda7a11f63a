//! The three HTTP-date forms of RFC 9110 §5.6.7 (IMF-fixdate, rfc850-date, asctime-date),
//! parsed exactly and checked against the calendar.

use super::calendar::{days_from_civil, days_in_month};

const SHORT_DAYS: [&[u8]; 7] = [b"Mon", b"Tue", b"Wed", b"Thu", b"Fri", b"Sat", b"Sun"];
const LONG_DAYS: [&[u8]; 7] = [
    b"Monday",
    b"Tuesday",
    b"Wednesday",
    b"Thursday",
    b"Friday",
    b"Saturday",
    b"Sunday",
];
const MONTHS: [&[u8]; 12] = [
    b"Jan", b"Feb", b"Mar", b"Apr", b"May", b"Jun", b"Jul", b"Aug", b"Sep", b"Oct", b"Nov", b"Dec",
];

/// A parsed, not yet validated HTTP-date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct HttpDate {
    /// 0 = Monday .. 6 = Sunday.
    weekday: usize,
    pub(super) year: i64,
    /// 1..=12.
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
}

impl HttpDate {
    /// Seconds since the Unix epoch, or `None` when the date does not exist or its day name is
    /// not its weekday.
    pub(super) fn unix_seconds(&self) -> Option<i64> {
        let leap_second = self.hour == 23 && self.minute == 59 && self.second == 60;
        if !(1..=12).contains(&self.month)
            || self.day == 0
            || self.day > days_in_month(self.year, self.month)
            || self.hour > 23
            || self.minute > 59
            || (self.second > 59 && !leap_second)
        {
            return None;
        }
        let days = days_from_civil(self.year, self.month, self.day);
        // 1970-01-01 was a Thursday (index 3).
        if usize::try_from((days + 3).rem_euclid(7)).ok()? != self.weekday {
            return None;
        }
        let time = i64::from(self.hour * 3600 + self.minute * 60 + self.second);
        days.checked_mul(86_400)?.checked_add(time)
    }
}

/// A forward-only reader over ASCII bytes; every step is checked, nothing can panic.
struct Cursor<'a>(&'a [u8]);

impl Cursor<'_> {
    fn tag(&mut self, tag: &[u8]) -> Option<()> {
        self.0 = self.0.strip_prefix(tag)?;
        Some(())
    }

    /// Exactly `n` ASCII digits.
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

    /// The index of the first of `names` the input starts with.
    fn one_of(&mut self, names: &[&[u8]]) -> Option<usize> {
        let (i, rest) = names
            .iter()
            .enumerate()
            .find_map(|(i, name)| Some((i, self.0.strip_prefix(*name)?)))?;
        self.0 = rest;
        Some(i)
    }

    /// A month name, as 1..=12.
    fn month(&mut self) -> Option<u32> {
        let (number, rest) = (1..)
            .zip(MONTHS)
            .find_map(|(n, name)| Some((n, self.0.strip_prefix(name)?)))?;
        self.0 = rest;
        Some(number)
    }

    /// `time-of-day = hour ":" minute ":" second`, each two digits.
    fn time_of_day(&mut self) -> Option<(u32, u32, u32)> {
        let hour = self.digits(2)?;
        self.tag(b":")?;
        let minute = self.digits(2)?;
        self.tag(b":")?;
        let second = self.digits(2)?;
        Some((hour, minute, second))
    }

    fn end(&self) -> Option<()> {
        self.0.is_empty().then_some(())
    }
}

/// `IMF-fixdate = day-name "," SP date1 SP time-of-day SP GMT`, e.g.
/// `Sun, 06 Nov 1994 08:49:37 GMT`.
pub(super) fn imf_fixdate(input: &[u8]) -> Option<HttpDate> {
    let mut c = Cursor(input);
    let weekday = c.one_of(&SHORT_DAYS)?;
    c.tag(b", ")?;
    let day = c.digits(2)?;
    c.tag(b" ")?;
    let month = c.month()?;
    c.tag(b" ")?;
    let year = c.digits(4)?;
    c.tag(b" ")?;
    let (hour, minute, second) = c.time_of_day()?;
    c.tag(b" GMT")?;
    c.end()?;
    Some(HttpDate {
        weekday,
        year: i64::from(year),
        month,
        day,
        hour,
        minute,
        second,
    })
}

/// `rfc850-date = day-name-l "," SP date2 SP time-of-day SP GMT`, e.g.
/// `Sunday, 06-Nov-94 08:49:37 GMT`; the two-digit year is placed in the century that puts it
/// at most 50 years after `now_year`.
pub(super) fn rfc850_date(input: &[u8], now_year: i64) -> Option<HttpDate> {
    let mut c = Cursor(input);
    let weekday = c.one_of(&LONG_DAYS)?;
    c.tag(b", ")?;
    let day = c.digits(2)?;
    c.tag(b"-")?;
    let month = c.month()?;
    c.tag(b"-")?;
    let yy = i64::from(c.digits(2)?);
    c.tag(b" ")?;
    let (hour, minute, second) = c.time_of_day()?;
    c.tag(b" GMT")?;
    c.end()?;
    let latest = now_year.checked_add(50)?;
    let year = latest - (latest - yy).rem_euclid(100);
    Some(HttpDate {
        weekday,
        year,
        month,
        day,
        hour,
        minute,
        second,
    })
}

/// `asctime-date = day-name SP date3 SP time-of-day SP year` with
/// `date3 = month SP ( 2DIGIT / ( SP DIGIT ) )`, e.g. `Sun Nov  6 08:49:37 1994`.
pub(super) fn asctime_date(input: &[u8]) -> Option<HttpDate> {
    let mut c = Cursor(input);
    let weekday = c.one_of(&SHORT_DAYS)?;
    c.tag(b" ")?;
    let month = c.month()?;
    c.tag(b" ")?;
    let day = if c.tag(b" ").is_some() {
        c.digits(1)?
    } else {
        c.digits(2)?
    };
    c.tag(b" ")?;
    let (hour, minute, second) = c.time_of_day()?;
    c.tag(b" ")?;
    let year = c.digits(4)?;
    c.end()?;
    Some(HttpDate {
        weekday,
        year: i64::from(year),
        month,
        day,
        hour,
        minute,
        second,
    })
}
