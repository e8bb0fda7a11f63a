//! Deciding which failures are worth retrying.
//!
//! Small, allocation-free helpers for the `when`, `unless` and `retry_after` options:
//!
//! - [`is_transient_status`]: the HTTP status codes that usually mean "try again later".
//! - [`is_transient_io`]: the [`std::io::ErrorKind`]s that usually mean the same.
//! - [`parse_retry_after`]: a server's `Retry-After` header as a [`Duration`], in both of the
//!   forms RFC 9110 allows (seconds and HTTP-date).
//! - [`message_contains`]: a predicate over any `E: Display`, for code that only has error
//!   messages to go on.
//!
//! ```
//! use std::time::{Duration, SystemTime};
//! use retry_runtime::classify::{is_transient_status, parse_retry_after};
//! use retry_runtime::{Jitter, Retry, RetryPolicy};
//!
//! #[derive(Debug)]
//! struct HttpError {
//!     status: u16,
//!     retry_after: Option<String>,
//! }
//!
//! const POLICY: RetryPolicy = RetryPolicy::fixed()
//!     .initial_delay(Duration::ZERO)
//!     .jitter(Jitter::None);
//!
//! let mut calls = 0;
//! let result: Result<&str, HttpError> = Retry::new(&POLICY)
//!     .when(|e: &HttpError| is_transient_status(e.status))
//!     .retry_after(|e: &HttpError| {
//!         parse_retry_after(e.retry_after.as_deref()?, SystemTime::now())
//!     })
//!     .run(|| {
//!         calls += 1;
//!         match calls {
//!             1 => Err(HttpError { status: 503, retry_after: Some("0".into()) }),
//!             _ => Ok("done"),
//!         }
//!     });
//! assert_eq!(result.unwrap(), "done");
//! assert_eq!(calls, 2);
//! ```

use std::char::ToLowercase;
use std::fmt::{self, Write as _};
use std::io;
use std::iter::FlatMap;
use std::str::Chars;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// True for the HTTP status codes that usually mean "try again later": `408 Request Timeout`,
/// `429 Too Many Requests`, `500 Internal Server Error`, `502 Bad Gateway`,
/// `503 Service Unavailable` and `504 Gateway Timeout`. False for every other code, including
/// the other 5xx codes (`501 Not Implemented` or `505 HTTP Version Not Supported` will not get
/// better by asking again).
///
/// ```
/// use retry_runtime::classify::is_transient_status;
///
/// assert!(is_transient_status(429));
/// assert!(is_transient_status(503));
/// assert!(!is_transient_status(404));
/// assert!(!is_transient_status(501));
/// ```
#[inline]
#[must_use]
pub const fn is_transient_status(status: u16) -> bool {
    matches!(status, 408 | 429 | 500 | 502 | 503 | 504)
}

/// True for the I/O error kinds that usually pass: [`TimedOut`], [`ConnectionReset`],
/// [`ConnectionAborted`], [`ConnectionRefused`], [`BrokenPipe`], [`Interrupted`],
/// [`UnexpectedEof`] and [`WouldBlock`]. False for every other kind (`NotFound`,
/// `PermissionDenied`, `InvalidData`, `Other`, ...).
///
/// Only [`io::Error::kind`] is looked at, never the message or the wrapped error.
///
/// [`TimedOut`]: io::ErrorKind::TimedOut
/// [`ConnectionReset`]: io::ErrorKind::ConnectionReset
/// [`ConnectionAborted`]: io::ErrorKind::ConnectionAborted
/// [`ConnectionRefused`]: io::ErrorKind::ConnectionRefused
/// [`BrokenPipe`]: io::ErrorKind::BrokenPipe
/// [`Interrupted`]: io::ErrorKind::Interrupted
/// [`UnexpectedEof`]: io::ErrorKind::UnexpectedEof
/// [`WouldBlock`]: io::ErrorKind::WouldBlock
///
/// ```
/// use std::io::{Error, ErrorKind};
/// use retry_runtime::classify::is_transient_io;
///
/// assert!(is_transient_io(&Error::from(ErrorKind::ConnectionReset)));
/// assert!(is_transient_io(&Error::new(ErrorKind::TimedOut, "read timed out")));
/// assert!(!is_transient_io(&Error::from(ErrorKind::NotFound)));
/// ```
#[inline]
#[must_use]
pub fn is_transient_io(error: &io::Error) -> bool {
    use io::ErrorKind::{
        BrokenPipe, ConnectionAborted, ConnectionRefused, ConnectionReset, Interrupted, TimedOut,
        UnexpectedEof, WouldBlock,
    };
    matches!(
        error.kind(),
        TimedOut
            | ConnectionReset
            | ConnectionAborted
            | ConnectionRefused
            | BrokenPipe
            | Interrupted
            | UnexpectedEof
            | WouldBlock
    )
}

/// Reads an HTTP `Retry-After` header value as the time to wait from `now`.
///
/// Both forms of RFC 9110 §10.2.3 are understood:
///
/// - **delay-seconds**: one or more ASCII digits (`"120"`). No sign, no decimal point, no
///   exponent. A value too large for a `u64` saturates to `u64::MAX` seconds rather than
///   failing.
/// - **HTTP-date** (RFC 9110 §5.6.7), in its preferred form and in the two obsolete forms a
///   recipient must still accept:
///   - IMF-fixdate: `Sun, 06 Nov 1994 08:49:37 GMT`
///   - rfc850-date: `Sunday, 06-Nov-94 08:49:37 GMT`. Its two-digit year is read, as the RFC
///     requires, as the year with those last two digits that is at most 50 years after `now`'s
///     year (with `now` in 2025, `94` is 1994 and `75` is 2075).
///   - asctime-date: `Sun Nov  6 08:49:37 1994`
///
///   The result is the time from `now` until that date; a date at or before `now` gives
///   `Some(Duration::ZERO)` ("retry now").
///
/// Surrounding ASCII whitespace is ignored. Everything else follows the grammar exactly, as the
/// RFC asks (HTTP-date is case-sensitive): anything that is not one of these forms gives `None`,
/// and so does a date that does not exist (`30 Feb`, hour `25`, minute `60`, an unknown month
/// or day name, a day name in the wrong form for its format, or a day name that is not the
/// weekday of the date). A second of `60` is accepted only as a leap second, at `23:59:60`.
///
/// Never panics, whatever the input, and never allocates.
///
/// ```
/// use std::time::{Duration, SystemTime, UNIX_EPOCH};
/// use retry_runtime::classify::parse_retry_after;
///
/// let now = UNIX_EPOCH + Duration::from_secs(784_111_717); // Sun, 06 Nov 1994 08:48:37 GMT
///
/// assert_eq!(parse_retry_after("120", now), Some(Duration::from_secs(120)));
/// assert_eq!(parse_retry_after(" 7 ", now), Some(Duration::from_secs(7)));
/// assert_eq!(
///     parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", now),
///     Some(Duration::from_secs(60)),
/// );
/// assert_eq!(
///     parse_retry_after("Sunday, 06-Nov-94 08:49:37 GMT", now),
///     Some(Duration::from_secs(60)),
/// );
/// assert_eq!(
///     parse_retry_after("Sun Nov  6 08:49:37 1994", now),
///     Some(Duration::from_secs(60)),
/// );
/// // A date in the past means "now".
/// assert_eq!(parse_retry_after("Sat, 05 Nov 1994 00:00:00 GMT", now), Some(Duration::ZERO));
///
/// assert_eq!(parse_retry_after("-5", now), None);
/// assert_eq!(parse_retry_after("1.5", now), None);
/// assert_eq!(parse_retry_after("", now), None);
/// assert_eq!(parse_retry_after("Wed, 30 Feb 2000 00:00:00 GMT", now), None);
/// ```
#[must_use]
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let bytes = value.trim_ascii().as_bytes();
    if bytes.is_empty() {
        return None;
    }
    if bytes.iter().all(u8::is_ascii_digit) {
        return Some(Duration::from_secs(saturating_seconds(bytes)));
    }
    let now_nanos = unix_nanos(now);
    let now_year = year_from_days(i64::try_from(now_nanos.div_euclid(NANOS_PER_DAY)).ok()?);
    let date = imf_fixdate(bytes)
        .or_else(|| rfc850_date(bytes, now_year))
        .or_else(|| asctime_date(bytes))?;
    let target = date.unix_seconds()?;
    Some(delay_between(now_nanos, i128::from(target) * NANOS_PER_SEC))
}

/// A `when` / `unless` predicate for any `E: Display`: true when any of `needles` occurs in the
/// error's message (its [`Display`](fmt::Display) output), ignoring case.
///
/// "Ignoring case" means both the message and the needles are compared after mapping each
/// character through [`char::to_lowercase`]; for ASCII that is plain ASCII case-folding, and
/// for other text it agrees with `message.to_lowercase().contains(&needle.to_lowercase())`
/// (except for the context-dependent final sigma, which is compared as `σ`). No locale-specific
/// rules and no full Unicode case folding (`ß` does not match `ss`).
///
/// An empty list matches nothing. An empty needle (`""`) matches every error, as
/// `str::contains("")` does.
///
/// The message is streamed through the matcher as `Display` writes it: nothing is allocated,
/// and formatting stops as soon as a needle is found. The returned predicate is `Copy`, so one
/// can serve several options.
///
/// ```
/// use retry_runtime::classify::message_contains;
///
/// let overloaded = message_contains(&["rate limit", "overloaded"]);
/// let e = std::io::Error::other("upstream: Rate Limit exceeded, retry later");
/// assert!(overloaded(&e));
/// assert!(!overloaded(&std::io::Error::other("invalid API key")));
///
/// // Any `Display` works, including unsized ones.
/// assert!(message_contains::<str>(&["OVERLOADED"])("model is overloaded"));
/// ```
///
/// As the predicate of a retry (with the attribute: `when = classify::message_contains(&[...])`):
///
/// ```
/// use std::time::Duration;
/// use retry_runtime::{classify, Jitter, Retry, RetryPolicy};
///
/// const P: RetryPolicy = RetryPolicy::fixed().initial_delay(Duration::ZERO).jitter(Jitter::None);
/// let mut calls = 0;
/// let r: Result<(), String> = Retry::new(&P)
///     .when(classify::message_contains(&["try again"]))
///     .run(|| {
///         calls += 1;
///         Err(if calls == 1 { "Busy, try again".into() } else { "bad request".into() })
///     });
/// assert_eq!(r.unwrap_err(), "bad request");
/// assert_eq!(calls, 2);
/// ```
pub fn message_contains<'a, E>(needles: &'a [&'a str]) -> impl Fn(&E) -> bool + Copy + 'a
where
    E: fmt::Display + ?Sized,
{
    move |error: &E| display_contains_any(error, needles)
}

// ---------------------------------------------------------------------------------------------
// message_contains: a streaming, allocation-free, case-insensitive multi-needle matcher.

/// How many needles one pass over the `Display` output follows (more needles: more passes).
const LANES: usize = 8;

/// A string as a stream of lowercased chars.
type Folded<'n> = FlatMap<Chars<'n>, ToLowercase, fn(char) -> ToLowercase>;

fn fold(s: &str) -> Folded<'_> {
    s.chars()
        .flat_map(char::to_lowercase as fn(char) -> ToLowercase)
}

fn display_contains_any<E: fmt::Display + ?Sized>(error: &E, needles: &[&str]) -> bool {
    if needles.iter().any(|n| n.is_empty()) {
        return true;
    }
    needles.chunks(LANES).any(|chunk| {
        let mut matcher = Matcher {
            lanes: std::array::from_fn(|i| chunk.get(i).map(|n| Lane::new(n))),
            found: false,
        };
        // An `Err` here is either our own early stop or a broken `Display`: either way the
        // verdict is whatever was seen.
        let _ = write!(matcher, "{error}");
        matcher.found
    })
}

/// Follows one non-empty needle through the text, KMP-style, with the failure function
/// recomputed from the needle on a mismatch instead of stored in a table (needles are short;
/// this keeps the matcher allocation-free).
struct Lane<'n> {
    needle: &'n str,
    /// How many folded chars of the needle the end of the text currently matches.
    matched: usize,
    /// The folded needle char at `matched` (`None` once the whole needle matched).
    next: Option<char>,
    /// The folded needle after `next`.
    rest: Folded<'n>,
}

impl<'n> Lane<'n> {
    fn new(needle: &'n str) -> Self {
        let mut lane = Lane {
            needle,
            matched: 0,
            next: None,
            rest: fold(needle),
        };
        lane.seek(0);
        lane
    }

    /// Puts the lane in the state "the first `k` folded needle chars matched".
    fn seek(&mut self, k: usize) {
        self.matched = k;
        self.rest = fold(self.needle);
        self.next = self.rest.nth(k);
    }

    /// Feeds one folded text char; true when the needle has now been seen in full.
    fn feed(&mut self, c: char) -> bool {
        if self.next == Some(c) {
            self.matched += 1;
            self.next = self.rest.next();
            return self.next.is_none();
        }
        if self.matched == 0 {
            return false;
        }
        // The text ends with needle[..j] followed by `c`, which broke the match. The new state
        // is the longest k <= j with needle[..k] a suffix of that: needle[k-1] == c and
        // needle[..k-1] == needle[j+1-k..j].
        let j = self.matched;
        let mut k = j;
        while k > 0 {
            let n = self.needle;
            if fold(n).nth(k - 1) == Some(c)
                && fold(n).take(k - 1).eq(fold(n).skip(j + 1 - k).take(k - 1))
            {
                break;
            }
            k -= 1;
        }
        // k <= j < the needle's length, so this is never a full match.
        self.seek(k);
        false
    }
}

/// The `fmt::Write` end of the stream: feeds every folded char to every lane, and stops the
/// formatting (with `fmt::Error`) at the first full match.
struct Matcher<'n> {
    lanes: [Option<Lane<'n>>; LANES],
    found: bool,
}

impl fmt::Write for Matcher<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        if self.found {
            return Err(fmt::Error);
        }
        for c in fold(s) {
            for lane in self.lanes.iter_mut().flatten() {
                if lane.feed(c) {
                    self.found = true;
                    return Err(fmt::Error);
                }
            }
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------------
// parse_retry_after: delay-seconds and the three HTTP-date forms.

const NANOS_PER_SEC: i128 = 1_000_000_000;
const NANOS_PER_DAY: i128 = 86_400 * NANOS_PER_SEC;

/// `1*DIGIT` (already checked) as seconds, saturating at `u64::MAX`.
fn saturating_seconds(digits: &[u8]) -> u64 {
    digits.iter().fold(0u64, |acc, d| {
        acc.saturating_mul(10).saturating_add(u64::from(d - b'0'))
    })
}

/// Nanoseconds since the Unix epoch, negative before it. Every `SystemTime` fits.
fn unix_nanos(t: SystemTime) -> i128 {
    match t.duration_since(UNIX_EPOCH) {
        // A u128 of nanoseconds from a `Duration` is below 2^94: the conversions cannot fail.
        Ok(after) => i128::try_from(after.as_nanos()).unwrap_or(i128::MAX),
        Err(before) => -i128::try_from(before.duration().as_nanos()).unwrap_or(i128::MAX),
    }
}

/// The wait from `now` until `target` (both in Unix nanoseconds); zero when `target` is not
/// after `now`.
fn delay_between(now: i128, target: i128) -> Duration {
    let diff = target.saturating_sub(now);
    if diff <= 0 {
        return Duration::ZERO;
    }
    let secs = u64::try_from(diff / NANOS_PER_SEC).unwrap_or(u64::MAX);
    // The remainder is in 0..1e9, so it fits in a u32.
    let nanos = u32::try_from(diff % NANOS_PER_SEC).unwrap_or(0);
    Duration::new(secs, nanos)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
/// `month` is 1..=12, `day` 1..=31.
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400; // 0..=399
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1; // 0..=365
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy; // 0..=146096
    era * 146_097 + doe - 719_468
}

/// The proleptic Gregorian year of a day counted from 1970-01-01 (the year part of Howard
/// Hinnant's `civil_from_days`).
fn year_from_days(days: i64) -> i64 {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097; // 0..=146096
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365; // 0..=399
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100); // 0..=365
    let mp = (5 * doy + 2) / 153; // 0..=11, March first
    let year = yoe + era * 400;
    if mp >= 10 {
        year + 1 // January or February
    } else {
        year
    }
}

fn is_leap_year(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if is_leap_year(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

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
struct HttpDate {
    /// 0 = Monday .. 6 = Sunday.
    weekday: usize,
    year: i64,
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
    fn unix_seconds(&self) -> Option<i64> {
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
fn imf_fixdate(input: &[u8]) -> Option<HttpDate> {
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
fn rfc850_date(input: &[u8], now_year: i64) -> Option<HttpDate> {
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
fn asctime_date(input: &[u8]) -> Option<HttpDate> {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Sun, 06 Nov 1994 08:49:37 GMT.
    const RFC_EXAMPLE: u64 = 784_111_777;

    fn at(secs: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(secs)
    }

    fn before(secs: u64) -> SystemTime {
        at(RFC_EXAMPLE - secs)
    }

    #[test]
    fn transient_statuses_are_exactly_the_six() {
        let yes: Vec<u16> = (0..=u16::MAX).filter(|&s| is_transient_status(s)).collect();
        assert_eq!(yes, [408, 429, 500, 502, 503, 504]);
    }

    #[test]
    fn transient_io_kinds() {
        use io::ErrorKind::*;
        for kind in [
            TimedOut,
            ConnectionReset,
            ConnectionAborted,
            ConnectionRefused,
            BrokenPipe,
            Interrupted,
            UnexpectedEof,
            WouldBlock,
        ] {
            assert!(is_transient_io(&io::Error::from(kind)), "{kind:?}");
            assert!(
                is_transient_io(&io::Error::new(kind, "with a message")),
                "{kind:?}"
            );
        }
        for kind in [
            NotFound,
            PermissionDenied,
            AddrInUse,
            AddrNotAvailable,
            NotConnected,
            AlreadyExists,
            InvalidInput,
            InvalidData,
            WriteZero,
            Unsupported,
            OutOfMemory,
            Other,
        ] {
            assert!(!is_transient_io(&io::Error::from(kind)), "{kind:?}");
        }
        // The message does not matter, only the kind.
        assert!(!is_transient_io(&io::Error::other(
            "connection reset by peer"
        )));
    }

    #[test]
    fn delay_seconds() {
        let now = at(RFC_EXAMPLE);
        assert_eq!(parse_retry_after("0", now), Some(Duration::ZERO));
        assert_eq!(
            parse_retry_after("120", now),
            Some(Duration::from_secs(120))
        );
        assert_eq!(parse_retry_after("007", now), Some(Duration::from_secs(7)));
        assert_eq!(
            parse_retry_after(" \t 5\r\n", now),
            Some(Duration::from_secs(5))
        );
        assert_eq!(
            parse_retry_after("18446744073709551615", now),
            Some(Duration::from_secs(u64::MAX))
        );
        assert_eq!(
            parse_retry_after("18446744073709551616", now),
            Some(Duration::from_secs(u64::MAX))
        );
        assert_eq!(
            parse_retry_after(&"9".repeat(10_000), now),
            Some(Duration::from_secs(u64::MAX))
        );
        for bad in [
            "", " ", "\t\r\n", "-1", "+1", "1.5", "1.", ".5", "1e3", "0x10", "1 2", "1_000", "12s",
            "١٢",      // Arabic-Indic digits are not DIGIT
            "１２",    // nor are full-width ones
            "\u{a0}5", // a non-breaking space is not whitespace here
        ] {
            assert_eq!(parse_retry_after(bad, now), None, "{bad:?}");
        }
    }

    #[test]
    fn the_three_date_forms() {
        let want = Some(Duration::from_secs(90));
        let now = before(90);
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", now),
            want
        );
        assert_eq!(
            parse_retry_after("Sunday, 06-Nov-94 08:49:37 GMT", now),
            want
        );
        assert_eq!(parse_retry_after("Sun Nov  6 08:49:37 1994", now), want);
        assert_eq!(parse_retry_after("Sun Nov 06 08:49:37 1994", now), want);
        assert_eq!(
            parse_retry_after("  Sun, 06 Nov 1994 08:49:37 GMT\t", now),
            want
        );
    }

    #[test]
    fn sub_second_now_is_kept() {
        let now = before(10) + Duration::from_millis(250);
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", now),
            Some(Duration::from_millis(9_750))
        );
    }

    #[test]
    fn past_and_present_dates_are_zero() {
        for now in [
            at(RFC_EXAMPLE),
            at(RFC_EXAMPLE + 1),
            at(RFC_EXAMPLE) + Duration::from_nanos(1),
        ] {
            assert_eq!(
                parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", now),
                Some(Duration::ZERO)
            );
        }
        // Far in the past, and before the Unix epoch on either side.
        assert_eq!(
            parse_retry_after("Sat, 01 Jan 0000 00:00:00 GMT", at(RFC_EXAMPLE)),
            Some(Duration::ZERO)
        );
        let in_1900 = UNIX_EPOCH - Duration::from_secs(2_208_988_800); // 1900-01-01
        assert_eq!(
            parse_retry_after("Mon, 01 Jan 1900 00:00:10 GMT", in_1900),
            Some(Duration::from_secs(10))
        );
    }

    #[test]
    fn calendar_edges() {
        let epoch = UNIX_EPOCH;
        assert_eq!(
            parse_retry_after("Thu, 01 Jan 1970 00:00:00 GMT", epoch),
            Some(Duration::ZERO)
        );
        assert_eq!(
            parse_retry_after("Thu, 01 Jan 1970 00:00:01 GMT", epoch),
            Some(Duration::from_secs(1))
        );
        // Leap days: 2000 was a leap year, 1900 and 2100 are not.
        assert_eq!(
            parse_retry_after("Tue, 29 Feb 2000 00:00:00 GMT", epoch),
            Some(Duration::from_secs(951_782_400))
        );
        assert_eq!(
            parse_retry_after("Thu, 29 Feb 1900 00:00:00 GMT", epoch),
            None
        );
        assert_eq!(
            parse_retry_after("Mon, 29 Feb 2100 00:00:00 GMT", epoch),
            None
        );
        assert_eq!(
            parse_retry_after("Wed, 29 Feb 1900 00:00:00 GMT", epoch),
            None
        );
        assert_eq!(
            parse_retry_after("Fri, 31 Dec 9999 23:59:59 GMT", epoch),
            Some(Duration::from_secs(253_402_300_799))
        );
        // A leap second is one second past 23:59:59.
        assert_eq!(
            parse_retry_after("Sat, 31 Dec 2016 23:59:60 GMT", epoch),
            parse_retry_after("Sun, 01 Jan 2017 00:00:00 GMT", epoch)
        );
    }

    #[test]
    fn invalid_dates() {
        let now = at(0);
        for bad in [
            "Wed, 30 Feb 2000 00:00:00 GMT",    // no such day
            "Sun, 31 Apr 1994 08:49:37 GMT",    // no such day
            "Sun, 00 Nov 1994 08:49:37 GMT",    // day zero
            "Sun, 06 Nov 1994 25:49:37 GMT",    // hour 25
            "Sun, 06 Nov 1994 24:00:00 GMT",    // hour 24
            "Sun, 06 Nov 1994 08:60:37 GMT",    // minute 60
            "Sun, 06 Nov 1994 08:49:60 GMT",    // not a leap second
            "Sun, 06 Nov 1994 08:49:61 GMT",    // second 61
            "Sun, 06 Foo 1994 08:49:37 GMT",    // month name
            "Sun, 06 nov 1994 08:49:37 GMT",    // case-sensitive
            "sun, 06 Nov 1994 08:49:37 GMT",    // case-sensitive
            "Sun, 06 Nov 1994 08:49:37 gmt",    // case-sensitive
            "Sun, 06 Nov 1994 08:49:37 UTC",    // GMT only
            "Sun, 06 Nov 1994 08:49:37 +0000",  // GMT only
            "Sun, 06 Nov 1994 08:49:37",        // no zone
            "Sun, 6 Nov 1994 08:49:37 GMT",     // day is 2DIGIT
            "Sun, 06 Nov 94 08:49:37 GMT",      // year is 4DIGIT
            "Sun, 06 Nov 1994 8:49:37 GMT",     // hour is 2DIGIT
            "Sun 06 Nov 1994 08:49:37 GMT",     // no comma
            "Sun,  06 Nov 1994 08:49:37 GMT",   // two spaces
            "Sunday, 06 Nov 1994 08:49:37 GMT", // long name in IMF-fixdate
            "Mon, 06 Nov 1994 08:49:37 GMT",    // not that date's weekday
            "Sun, 06 Nov 1994 08:49:37 GMT x",  // trailing junk
            "Sun, 06-Nov-94 08:49:37 GMT",      // short name in rfc850
            "Sunday, 06-Nov-1994 08:49:37 GMT", // rfc850 year is 2DIGIT
            "Sunday, 06-Nov-94 08:49:37",       // no zone
            "Monday, 06-Nov-94 08:49:37 GMT",   // wrong weekday
            "Sunday, 31-Nov-94 08:49:37 GMT",   // no such day
            "Sun Nov 6 08:49:37 1994",          // asctime day needs SP DIGIT
            "Sun Nov   6 08:49:37 1994",        // one space too many
            "Sunday Nov  6 08:49:37 1994",      // long name in asctime
            "Sun Nov  6 08:49:37 94",           // asctime year is 4DIGIT
            "Sun Nov  6 08:49:37 1994 GMT",     // no zone in asctime
            "Sun Feb 30 08:49:37 1994",         // no such day
            "Sun Nov  6 25:49:37 1994",         // hour 25
            "Sun, 06 Nov 1994 08:49:37 GMT\u{0}",
            "Sun, 06 Nov 1994 08:49:3",
            "Sun,",
            "S",
            "GMT",
        ] {
            assert_eq!(parse_retry_after(bad, now), None, "{bad:?}");
        }
    }

    #[test]
    fn non_ascii_never_panics() {
        let now = at(RFC_EXAMPLE);
        for s in [
            "é",
            "Sün, 06 Nov 1994 08:49:37 GMT",
            "Sun, 06 Növ 1994 08:49:37 GMT",
            "Sun,\u{a0}06 Nov 1994 08:49:37 GMT",
            "Sun, 06 Nov 1994 08:49:37 GMT\u{1F600}",
            "\u{1F600}Sun, 06 Nov 1994 08:49:37 GMT",
            "Sunday\u{301}, 06-Nov-94 08:49:37 GMT",
            "Sun Nov \u{2003}6 08:49:37 1994",
            "Mon\u{10FFFF}",
            "€€€€€€€€€€€€€€€€€€€€€€€€€€€€€",
            "日, 06 Nov 1994 08:49:37 GMT",
        ] {
            assert_eq!(parse_retry_after(s, now), None, "{s:?}");
        }
    }

    #[test]
    fn rfc850_two_digit_years() {
        // With now in 2025 (2025-06-01), the window is 1976..=2075.
        let now = at(1_748_736_000);
        let year_of = |s: &str| {
            let bytes = s.as_bytes();
            rfc850_date(bytes, year_from_days(1_748_736_000 / 86_400)).map(|d| d.year)
        };
        assert_eq!(year_of("Sunday, 06-Nov-94 08:49:37 GMT"), Some(1994));
        assert_eq!(year_of("Sunday, 06-Nov-75 08:49:37 GMT"), Some(2075));
        assert_eq!(year_of("Sunday, 06-Nov-76 08:49:37 GMT"), Some(1976));
        assert_eq!(year_of("Sunday, 06-Nov-00 08:49:37 GMT"), Some(2000));
        assert_eq!(year_of("Sunday, 06-Nov-25 08:49:37 GMT"), Some(2025));
        // 2075-11-06 is a Wednesday: 50 years ahead is still the future.
        let in_2075 = parse_retry_after("Wednesday, 06-Nov-75 00:00:00 GMT", now).unwrap();
        assert!(in_2075 > Duration::from_secs(50 * 365 * 86_400));
        // 1976-11-06 was a Saturday: 51 years ahead would be too far, so it is the past.
        assert_eq!(
            parse_retry_after("Saturday, 06-Nov-76 00:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        // A weekday check runs after the century is chosen.
        assert_eq!(
            parse_retry_after("Saturday, 06-Nov-75 00:00:00 GMT", now),
            None
        );
    }

    #[test]
    fn extreme_now_values_do_not_panic() {
        let far_future = UNIX_EPOCH + Duration::from_secs(i64::MAX as u64 / 2);
        let far_past = UNIX_EPOCH - Duration::from_secs(i64::MAX as u64 / 2);
        for now in [far_future, far_past, UNIX_EPOCH] {
            for s in [
                "Sun, 06 Nov 1994 08:49:37 GMT",
                "Sunday, 06-Nov-94 08:49:37 GMT",
                "Sun Nov  6 08:49:37 1994",
                "99",
            ] {
                let _ = parse_retry_after(s, now);
            }
        }
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", far_future),
            Some(Duration::ZERO)
        );
        let wait = parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", far_past).unwrap();
        assert!(wait > Duration::from_secs(i64::MAX as u64 / 2));
    }

    #[test]
    fn civil_round_trip() {
        for days in (-1_000_000i64..1_000_000)
            .step_by(97)
            .chain([-719_468, -1, 0, 1, 10_957])
        {
            let year = year_from_days(days);
            let start = days_from_civil(year, 1, 1);
            let next = days_from_civil(year + 1, 1, 1);
            assert!(start <= days && days < next, "{days} in {year}");
            assert_eq!(next - start, if is_leap_year(year) { 366 } else { 365 });
        }
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(days_from_civil(1969, 12, 31), -1);
    }

    struct Chunked<'a>(&'a [&'a str]);

    impl fmt::Display for Chunked<'_> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            self.0.iter().try_for_each(|part| f.write_str(part))
        }
    }

    #[test]
    fn message_contains_basics() {
        let p = message_contains::<str>(&["rate limit", "overloaded"]);
        assert!(p("Rate Limit exceeded"));
        assert!(p("the model is OVERLOADED"));
        assert!(p("rate limit"));
        assert!(!p("rate-limit"));
        assert!(!p("rate limi"));
        assert!(!p(""));
    }

    #[test]
    fn message_contains_empty_cases() {
        assert!(!message_contains::<str>(&[])("anything"));
        assert!(!message_contains::<str>(&[])(""));
        assert!(message_contains::<str>(&[""])("anything"));
        assert!(message_contains::<str>(&[""])(""));
        assert!(message_contains::<str>(&["zzz", ""])("abc"));
    }

    #[test]
    fn message_contains_across_write_calls() {
        let p = message_contains::<Chunked<'_>>(&["connection reset"]);
        assert!(p(&Chunked(&[
            "io: Conn",
            "ection ",
            "",
            "RES",
            "et by peer"
        ])));
        assert!(!p(&Chunked(&["io: Conn", "ection ", "refused"])));
        let chars: Vec<String> = "xxconnection resetxx".chars().map(String::from).collect();
        let parts: Vec<&str> = chars.iter().map(String::as_str).collect();
        assert!(p(&Chunked(&parts)));
    }

    #[test]
    fn message_contains_restarts_partial_matches() {
        // Overlapping prefixes: the KMP fallback must not skip a real match.
        let cases = [
            ("aab", "aaab", true),
            ("abab", "ababab", true),
            ("abac", "ababac", true),
            ("aabaab", "aabaabaab", true),
            ("aabaac", "aabaabaac", true),
            ("abcabd", "abcabcabd", true),
            ("abcabd", "abcabcab", false),
            ("aaaa", "aaa", false),
            ("aaaa", "aaabaaa", false),
            ("aaaa", "aaabaaaa", true),
            ("ab", "b", false),
        ];
        for (needle, text, want) in cases {
            assert_eq!(
                message_contains::<str>(&[needle])(text),
                want,
                "{needle:?} in {text:?}"
            );
        }
    }

    #[test]
    fn message_contains_exhaustive_over_two_letters() {
        // Every text up to 10 letters and every needle up to 5 over {a, B}: the streaming
        // matcher agrees with the allocating one.
        fn words(max: usize) -> Vec<String> {
            let mut all = vec![String::new()];
            let mut last = vec![String::new()];
            for _ in 0..max {
                last = last
                    .iter()
                    .flat_map(|w| [format!("{w}a"), format!("{w}B")])
                    .collect();
                all.extend(last.iter().cloned());
            }
            all
        }
        let needles = words(5);
        for text in words(10) {
            let lower = text.to_lowercase();
            for needle in &needles {
                let want = lower.contains(&needle.to_lowercase());
                assert_eq!(
                    message_contains::<str>(&[needle.as_str()])(&text),
                    want,
                    "{needle:?} in {text:?}"
                );
            }
        }
    }

    #[test]
    fn message_contains_unicode_case() {
        let p = message_contains::<str>(&["überlastet", "ΣΦΑΛΜΑ"]);
        assert!(p("Dienst ÜBERLASTET"));
        assert!(p("σφάλμα? no: σφαλμα"));
        assert!(!p("uberlastet"));
        // 'İ' lowercases to "i\u{307}" on both sides.
        assert!(message_contains::<str>(&["İ"])("xi\u{307}x"));
        assert!(message_contains::<str>(&["i\u{307}"])("xİx"));
        // No full case folding.
        assert!(!message_contains::<str>(&["strasse"])("STRAßE"));
    }

    #[test]
    fn message_contains_many_needles() {
        let needles: Vec<String> = (0..20).map(|i| format!("needle{i}")).collect();
        let refs: Vec<&str> = needles.iter().map(String::as_str).collect();
        let p = message_contains::<str>(&refs);
        for i in 0..20 {
            assert!(p(&format!("... NEEDLE{i} ...")), "{i}");
        }
        assert!(!p("needle"));
    }

    #[test]
    fn message_contains_stops_formatting_early() {
        use std::cell::Cell;
        struct Counting<'a>(&'a Cell<u32>);
        impl fmt::Display for Counting<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                for part in ["one ", "two ", "three "] {
                    self.0.set(self.0.get() + 1);
                    f.write_str(part)?;
                }
                Ok(())
            }
        }
        let writes = Cell::new(0);
        assert!(message_contains(&["two"])(&Counting(&writes)));
        assert_eq!(writes.get(), 2);
    }

    #[test]
    fn message_contains_tolerates_failing_display() {
        struct Broken;
        impl fmt::Display for Broken {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("timeout")?;
                Err(fmt::Error)
            }
        }
        assert!(message_contains(&["timeout"])(&Broken));
        assert!(!message_contains(&["other"])(&Broken));
    }

    #[test]
    fn message_contains_is_copy_and_infers_e() {
        fn takes<E, F: Fn(&E) -> bool>(_: F, _: F) {}
        let p = message_contains(&["x"]);
        takes::<io::Error, _>(p, p);
    }
}
