//! Properties of `retry_runtime::classify`.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use proptest::prelude::*;
use retry_runtime::classify::{message_contains, parse_retry_after};

/// 0000-01-01T00:00:00Z.
const YEAR_0: i64 = -62_167_219_200;
/// 9999-12-31T23:59:59Z.
const YEAR_9999_END: i64 = 253_402_300_799;

const DAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

fn is_leap(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

/// A broken-down UTC time, computed by walking the calendar (deliberately not the
/// days-from-civil arithmetic the crate uses).
struct Civil {
    year: i64,
    month: usize, // 0-based
    day: i64,
    hour: i64,
    minute: i64,
    second: i64,
    weekday: usize, // 0 = Monday
}

fn civil(unix: i64) -> Civil {
    let mut days = unix.div_euclid(86_400);
    let secs = unix.rem_euclid(86_400);
    let weekday = usize::try_from((days + 3).rem_euclid(7)).unwrap(); // 1970-01-01 was a Thursday
    let mut year = 1970;
    while days < 0 {
        year -= 1;
        days += if is_leap(year) { 366 } else { 365 };
    }
    loop {
        let len = if is_leap(year) { 366 } else { 365 };
        if days < len {
            break;
        }
        days -= len;
        year += 1;
    }
    let lengths = [
        31,
        if is_leap(year) { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    let mut month = 0;
    while days >= lengths[month] {
        days -= lengths[month];
        month += 1;
    }
    Civil {
        year,
        month,
        day: days + 1,
        hour: secs / 3600,
        minute: secs / 60 % 60,
        second: secs % 60,
        weekday,
    }
}

fn imf_fixdate(unix: i64) -> String {
    let c = civil(unix);
    format!(
        "{}, {:02} {} {:04} {:02}:{:02}:{:02} GMT",
        &DAYS[c.weekday][..3],
        c.day,
        MONTHS[c.month],
        c.year,
        c.hour,
        c.minute,
        c.second
    )
}

fn rfc850_date(unix: i64) -> String {
    let c = civil(unix);
    format!(
        "{}, {:02}-{}-{:02} {:02}:{:02}:{:02} GMT",
        DAYS[c.weekday],
        c.day,
        MONTHS[c.month],
        c.year % 100,
        c.hour,
        c.minute,
        c.second
    )
}

fn asctime_date(unix: i64) -> String {
    let c = civil(unix);
    format!(
        "{} {} {:>2} {:02}:{:02}:{:02} {:04}",
        &DAYS[c.weekday][..3],
        MONTHS[c.month],
        c.day,
        c.hour,
        c.minute,
        c.second,
        c.year
    )
}

/// `UNIX_EPOCH + secs + nanos`, for any sign of `secs`.
fn system_time(secs: i64, nanos: u32) -> SystemTime {
    let base = if secs >= 0 {
        UNIX_EPOCH + Duration::from_secs(secs.unsigned_abs())
    } else {
        UNIX_EPOCH - Duration::from_secs(secs.unsigned_abs())
    };
    base + Duration::from_nanos(u64::from(nanos))
}

/// What `parse_retry_after` must answer for a date at `target` seen at `now`.
fn expected_wait(target: i64, now: SystemTime) -> Duration {
    let target = system_time(target, 0);
    target.duration_since(now).unwrap_or(Duration::ZERO)
}

fn any_now() -> impl Strategy<Value = SystemTime> {
    (YEAR_0..=YEAR_9999_END, 0u32..1_000_000_000).prop_map(|(s, n)| system_time(s, n))
}

/// A string with one char replaced, inserted or removed at a random char position.
fn mutate(s: &str, at: usize, c: char, op: u8) -> String {
    let mut chars: Vec<char> = s.chars().collect();
    let at = at % (chars.len() + 1);
    match op % 3 {
        0 if at < chars.len() => chars[at] = c,
        1 => chars.insert(at, c),
        _ if at < chars.len() => {
            chars.remove(at);
        }
        _ => chars.push(c),
    }
    chars.into_iter().collect()
}

struct Chunked<'a>(&'a [String]);

impl fmt::Display for Chunked<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.iter().try_for_each(|part| f.write_str(part))
    }
}

fn naive(text: &str, needles: &[String]) -> bool {
    let text = text.to_lowercase();
    needles.iter().any(|n| text.contains(&n.to_lowercase()))
}

/// In a module named after the file, so `cargo test classify` selects these too.
mod classify {
    use super::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn parse_never_panics_on_any_string(s in any::<String>(), now in any_now()) {
            let _ = parse_retry_after(&s, now);
        }

        #[test]
        fn parse_never_panics_on_date_like_strings(
            s in "[A-Za-z]{3,9},? ?[0-9 ]{1,2}[- ][A-Za-z]{3}[- ][0-9]{2,4} [0-9]{1,2}:[0-9]{2}:[0-9]{2}( GMT| [0-9]{4})?",
            now in any_now(),
        ) {
            let _ = parse_retry_after(&s, now);
        }

        #[test]
        fn parse_never_panics_on_mutated_dates(
            target in YEAR_0..=YEAR_9999_END,
            form in 0u8..3,
            at in any::<usize>(),
            c in any::<char>(),
            op in any::<u8>(),
            now in any_now(),
        ) {
            let date = match form {
                0 => imf_fixdate(target),
                1 => rfc850_date(target),
                _ => asctime_date(target),
            };
            let _ = parse_retry_after(&mutate(&date, at, c, op), now);
        }

        #[test]
        fn parse_never_panics_at_extreme_nows(s in any::<String>(), secs in any::<i64>(), nanos in 0u32..1_000_000_000) {
            // Not every i64 of seconds is a SystemTime on every platform: skip the ones that are not.
            let base = if secs >= 0 {
                UNIX_EPOCH.checked_add(Duration::from_secs(secs.unsigned_abs()))
            } else {
                UNIX_EPOCH.checked_sub(Duration::from_secs(secs.unsigned_abs()))
            };
            if let Some(now) = base.and_then(|t| t.checked_add(Duration::from_nanos(u64::from(nanos)))) {
                let _ = parse_retry_after(&s, now);
                let _ = parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", now);
                let _ = parse_retry_after("Sunday, 06-Nov-94 08:49:37 GMT", now);
            }
        }

        #[test]
        fn delay_seconds_round_trip(n in any::<u32>(), lead in "[ \t]{0,3}", trail in "[ \t]{0,3}", now in any_now()) {
            let want = Some(Duration::from_secs(u64::from(n)));
            prop_assert_eq!(parse_retry_after(&n.to_string(), now), want);
            prop_assert_eq!(parse_retry_after(&format!("{lead}{n}{trail}"), now), want);
            prop_assert_eq!(parse_retry_after(&format!("{n:0>12}"), now), want);
        }

        #[test]
        fn signed_or_decimal_seconds_are_rejected(n in any::<u32>(), frac in 0u32..1000, now in any_now()) {
            prop_assert_eq!(parse_retry_after(&format!("-{n}"), now), None);
            prop_assert_eq!(parse_retry_after(&format!("+{n}"), now), None);
            prop_assert_eq!(parse_retry_after(&format!("{n}.{frac}"), now), None);
        }

        #[test]
        fn huge_delay_seconds_saturate(digits in "[1-9][0-9]{20,60}", now in any_now()) {
            prop_assert_eq!(parse_retry_after(&digits, now), Some(Duration::from_secs(u64::MAX)));
        }

        #[test]
        fn imf_fixdate_round_trips(target in YEAR_0..=YEAR_9999_END, now in any_now()) {
            let date = imf_fixdate(target);
            prop_assert_eq!(parse_retry_after(&date, now), Some(expected_wait(target, now)), "{}", date);
        }

        #[test]
        fn imf_fixdate_near_now(now_secs in 0i64..4_102_444_800, nanos in 0u32..1_000_000_000, ahead in -100_000i64..100_000) {
            let now = system_time(now_secs, nanos);
            let target = now_secs + ahead;
            let date = imf_fixdate(target);
            let want = expected_wait(target, now);
            prop_assert_eq!(parse_retry_after(&date, now), Some(want), "{}", date);
            if ahead <= 0 {
                prop_assert_eq!(want, Duration::ZERO);
            }
        }

        #[test]
        fn asctime_round_trips(target in YEAR_0..=YEAR_9999_END, now in any_now()) {
            let date = asctime_date(target);
            prop_assert_eq!(parse_retry_after(&date, now), Some(expected_wait(target, now)), "{}", date);
        }

        #[test]
        fn rfc850_round_trips_within_its_window(
            now_secs in 0i64..4_102_444_800,
            nanos in 0u32..1_000_000_000,
            // Up to 49 years before or after now: always inside the two-digit-year window.
            offset in -(49 * 365 * 86_400i64)..(49 * 365 * 86_400i64),
        ) {
            let now = system_time(now_secs, nanos);
            let target = now_secs + offset;
            let date = rfc850_date(target);
            prop_assert_eq!(parse_retry_after(&date, now), Some(expected_wait(target, now)), "{}", date);
        }

        #[test]
        fn wrong_weekday_is_rejected(target in YEAR_0..=YEAR_9999_END, shift in 1usize..7, now in any_now()) {
            let c = civil(target);
            let date = imf_fixdate(target);
            let wrong = &DAYS[(c.weekday + shift) % 7][..3];
            let date = format!("{wrong}{}", &date[3..]);
            prop_assert_eq!(parse_retry_after(&date, now), None, "{}", date);
        }

        #[test]
        fn message_contains_agrees_with_naive_on_ascii(
            text in "[abAB ]{0,24}",
            needles in prop::collection::vec("[abAB ]{0,4}", 0..12),
        ) {
            let refs: Vec<&str> = needles.iter().map(String::as_str).collect();
            prop_assert_eq!(message_contains::<str>(&refs)(&text), naive(&text, &needles));
        }

        #[test]
        fn message_contains_agrees_with_naive_on_printable_ascii(
            text in "[ -~]{0,40}",
            needles in prop::collection::vec("[ -~]{0,3}", 0..4),
        ) {
            let refs: Vec<&str> = needles.iter().map(String::as_str).collect();
            prop_assert_eq!(message_contains::<str>(&refs)(&text), naive(&text, &needles));
        }

        #[test]
        fn message_contains_finds_embedded_needles(
            prefix in "[ -~]{0,20}",
            needle in "[ -~]{1,10}",
            suffix in "[ -~]{0,20}",
            upper in any::<bool>(),
        ) {
            let shown = if upper { needle.to_ascii_uppercase() } else { needle.to_ascii_lowercase() };
            let text = format!("{prefix}{shown}{suffix}");
            prop_assert!(message_contains::<str>(&[needle.as_str()])(&text));
        }

        #[test]
        fn message_contains_agrees_with_naive_on_unicode(
            // Everything but Σ, whose lowercase depends on its neighbours in `str::to_lowercase`.
            text in "[aAäÄßİi\u{307}σςΣéÉ日 ]{0,20}",
            needles in prop::collection::vec("[aAäÄßİi\u{307}σéÉ日 ]{0,3}", 0..5),
        ) {
            prop_assume!(!text.contains('Σ'));
            let refs: Vec<&str> = needles.iter().map(String::as_str).collect();
            prop_assert_eq!(message_contains::<str>(&refs)(&text), naive(&text, &needles));
        }

        #[test]
        fn message_contains_ignores_write_boundaries(
            parts in prop::collection::vec("[abAB]{0,5}", 0..8),
            needles in prop::collection::vec("[abAB]{1,4}", 0..10),
        ) {
            let refs: Vec<&str> = needles.iter().map(String::as_str).collect();
            let whole: String = parts.concat();
            prop_assert_eq!(
                message_contains::<Chunked<'_>>(&refs)(&Chunked(&parts)),
                naive(&whole, &needles)
            );
        }
    }
}
