//! Unit tests of `parse_retry_after`: delay-seconds, the three HTTP-date forms, their calendar
//! edges and invalid dates, and inputs that must not panic.

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
