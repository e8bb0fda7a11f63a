//! `parse_retry_after`: a `Retry-After` header value (delay-seconds or an HTTP-date) as the
//! time to wait, with the arithmetic on Unix nanoseconds it needs (shared with `llm`'s
//! RFC 3339 reset instants).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::calendar::year_from_days;
use super::http_date::{asctime_date, imf_fixdate, rfc850_date};

#[cfg(test)]
mod tests;

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

pub(super) const NANOS_PER_SEC: i128 = 1_000_000_000;
const NANOS_PER_DAY: i128 = 86_400 * NANOS_PER_SEC;

/// `1*DIGIT` (already checked) as seconds, saturating at `u64::MAX`.
fn saturating_seconds(digits: &[u8]) -> u64 {
    digits.iter().fold(0u64, |acc, d| {
        acc.saturating_mul(10).saturating_add(u64::from(d - b'0'))
    })
}

/// Nanoseconds since the Unix epoch, negative before it. Every `SystemTime` fits.
pub(super) fn unix_nanos(t: SystemTime) -> i128 {
    match t.duration_since(UNIX_EPOCH) {
        // A u128 of nanoseconds from a `Duration` is below 2^94: the conversions cannot fail.
        Ok(after) => i128::try_from(after.as_nanos()).unwrap_or(i128::MAX),
        Err(before) => -i128::try_from(before.duration().as_nanos()).unwrap_or(i128::MAX),
    }
}

/// The wait from `now` until `target` (both in Unix nanoseconds); zero when `target` is not
/// after `now`.
pub(super) fn delay_between(now: i128, target: i128) -> Duration {
    let diff = target.saturating_sub(now);
    if diff <= 0 {
        return Duration::ZERO;
    }
    let secs = u64::try_from(diff / NANOS_PER_SEC).unwrap_or(u64::MAX);
    // The remainder is in 0..1e9, so it fits in a u32.
    let nanos = u32::try_from(diff % NANOS_PER_SEC).unwrap_or(0);
    Duration::new(secs, nanos)
}
