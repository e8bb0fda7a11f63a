//! Unit tests of `classify::llm`: every wait form and its edges (malformed, negative, huge,
//! past), the order between them, which of a pair of resets applies, the header bound's
//! shapes, and the table's rules that fixtures alone do not pin down.

use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::*;

/// 2024-05-01T12:00:00Z.
const NOW_SECS: u64 = 1_714_564_800;

fn now() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(NOW_SECS)
}

fn secs(s: u64) -> Option<Duration> {
    Some(Duration::from_secs(s))
}

fn ms(m: u64) -> Option<Duration> {
    Some(Duration::from_millis(m))
}

fn wait_of(headers: &[(&str, &str)]) -> Option<Duration> {
    wait_at(headers, now())
}

fn verdict(status: u16, headers: &[(&str, &str)], body: &str) -> Verdict {
    classify_at(status, headers, body, now())
}

const RATE_LIMITED: &str = r#"{"error":{"message":"Rate limit reached","type":"requests","param":null,"code":"rate_limit_exceeded"}}"#;

#[test]
fn retry_after_ms() {
    assert_eq!(wait_of(&[("retry-after-ms", "1500")]), ms(1500));
    assert_eq!(wait_of(&[("retry-after-ms", "0")]), Some(Duration::ZERO));
    assert_eq!(wait_of(&[("retry-after-ms", " 250 ")]), ms(250));
    assert_eq!(
        wait_of(&[("retry-after-ms", "1500.25")]),
        Some(Duration::from_micros(1_500_250))
    );
    // Digits below a nanosecond are dropped.
    assert_eq!(
        wait_of(&[("retry-after-ms", "0.0000019")]),
        Some(Duration::from_nanos(1))
    );
    // Too large for u64 milliseconds: saturates, never overflows.
    assert_eq!(
        wait_of(&[("retry-after-ms", "99999999999999999999999999")]),
        ms(u64::MAX)
    );
    assert_eq!(
        wait_of(&[("retry-after-ms", &"9".repeat(10_000))]),
        ms(u64::MAX)
    );
    for bad in [
        "-5", "+5", "1e3", ".5", "5.", "1.2.3", "", " ", "5ms", "0x10", "١", "NaN", "inf",
    ] {
        assert_eq!(wait_of(&[("retry-after-ms", bad)]), None, "{bad:?}");
    }
}

#[test]
fn an_unusable_value_falls_through_to_the_next_source() {
    assert_eq!(
        wait_of(&[("retry-after-ms", "-5"), ("retry-after", "7")]),
        secs(7)
    );
    assert_eq!(
        wait_of(&[
            ("retry-after", "1e400"),
            ("x-ratelimit-reset-requests", "2s")
        ]),
        secs(2)
    );
    // A repeated header: the first usable value wins.
    assert_eq!(
        wait_of(&[
            ("retry-after", "soon"),
            ("Retry-After", "3"),
            ("retry-after", "9")
        ]),
        secs(3)
    );
}

#[test]
fn retry_after_seconds_and_dates() {
    assert_eq!(wait_of(&[("Retry-After", "120")]), secs(120));
    assert_eq!(
        wait_of(&[("Retry-After", "Wed, 01 May 2024 12:00:30 GMT")]),
        secs(30)
    );
    // A date in the past: retry now.
    assert_eq!(
        wait_of(&[("Retry-After", "Tue, 30 Apr 2024 12:00:00 GMT")]),
        Some(Duration::ZERO)
    );
    // Huge seconds saturate (parse_retry_after's rule).
    assert_eq!(
        wait_of(&[("Retry-After", "99999999999999999999999")]),
        secs(u64::MAX)
    );
    for bad in ["1e400", "-1", "1.5", "Wed, 31 Apr 2024 12:00:30 GMT"] {
        assert_eq!(wait_of(&[("Retry-After", bad)]), None, "{bad:?}");
    }
}

#[test]
fn openai_resets_in_go_form() {
    for (value, want) in [
        ("6m0s", secs(360)),
        ("1.5s", ms(1500)),
        ("250ms", ms(250)),
        ("1h2m3.5s", ms(3_723_500)),
        ("0s", Some(Duration::ZERO)),
        ("20ms", ms(20)),
        ("1.5µs", Some(Duration::from_nanos(1500))),
    ] {
        assert_eq!(
            wait_of(&[("x-ratelimit-reset-requests", value)]),
            want,
            "{value:?}"
        );
        assert_eq!(
            wait_of(&[("x-ratelimit-reset-tokens", value)]),
            want,
            "{value:?}"
        );
    }
    let huge = format!("{}h", "9".repeat(40));
    for bad in ["-1s", "6m0", "60", "soon", "1e400s", "0s6m", huge.as_str()] {
        assert_eq!(
            wait_of(&[("x-ratelimit-reset-requests", bad)]),
            None,
            "{bad:?}"
        );
    }
    // Beyond what a Duration holds: ignored, not wrapped.
    assert_eq!(
        wait_of(&[("x-ratelimit-reset-tokens", "9999999999999999999h")]),
        None
    );
}

#[test]
fn anthropic_resets_are_instants_from_now() {
    assert_eq!(
        wait_of(&[("anthropic-ratelimit-requests-reset", "2024-05-01T12:00:42Z")]),
        secs(42)
    );
    assert_eq!(
        wait_of(&[(
            "anthropic-ratelimit-tokens-reset",
            "2024-05-01T14:01:00.5+02:00"
        )]),
        ms(60_500)
    );
    // Past: zero.
    assert_eq!(
        wait_of(&[("anthropic-ratelimit-tokens-reset", "2024-05-01T11:59:59Z")]),
        Some(Duration::ZERO)
    );
    assert_eq!(
        wait_of(&[("anthropic-ratelimit-tokens-reset", "1970-01-01T00:00:00Z")]),
        Some(Duration::ZERO)
    );
    for bad in [
        "42",
        "2024-05-01T12:00:42",
        "2024-02-30T00:00:00Z",
        "tomorrow",
    ] {
        assert_eq!(
            wait_of(&[("anthropic-ratelimit-requests-reset", bad)]),
            None,
            "{bad:?}"
        );
    }
}

#[test]
fn the_order_of_the_sources() {
    // In the order of precedence.
    let all: [(&str, &str); 4] = [
        ("retry-after-ms", "1000"),
        ("retry-after", "2"),
        ("x-ratelimit-reset-requests", "3s"),
        ("anthropic-ratelimit-requests-reset", "2024-05-01T12:00:04Z"),
    ];
    let gemini = r#"{"error":{"code":429,"status":"RESOURCE_EXHAUSTED","details":[{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"5s"}]}}"#;
    // Dropping the winner each time reveals the next in line, whatever the header order.
    for (skip, want) in [
        (0, secs(1)),
        (1, secs(2)),
        (2, secs(3)),
        (3, secs(4)),
        (4, secs(5)),
    ] {
        // Sent in the reverse order, with an unrelated header among them.
        let mut headers: Vec<_> = all.iter().skip(skip).rev().collect();
        headers.insert(headers.len() / 2, &("content-type", "application/json"));
        let v = classify_at(429, headers.iter().copied(), gemini, now());
        assert_eq!(v.wait, want, "without the first {skip}");
        assert_eq!(v.action, Action::Retry);
    }
    // `wait` alone never reads a body.
    assert_eq!(wait_at(std::iter::empty::<(&str, &str)>(), now()), None);
}

#[test]
fn which_reset_of_a_pair_applies() {
    let pair = [
        ("x-ratelimit-reset-requests", "1s"),
        ("x-ratelimit-reset-tokens", "6m0s"),
    ];
    // Named by OpenAI's error type.
    let body = |kind: &str| {
        format!(
            r#"{{"error":{{"message":"Rate limit reached","type":"{kind}","param":null,"code":"rate_limit_exceeded"}}}}"#
        )
    };
    assert_eq!(verdict(429, &pair, &body("requests")).wait, secs(1));
    assert_eq!(verdict(429, &pair, &body("tokens")).wait, secs(360));
    // Named by the message's words.
    let words =
        |text: &str| format!(r#"{{"error":{{"message":"{text}","code":"rate_limit_exceeded"}}}}"#);
    assert_eq!(
        verdict(
            429,
            &pair,
            &words("Rate limit reached for gpt-4o on requests per min (RPM): Limit 3")
        )
        .wait,
        secs(1)
    );
    assert_eq!(
        verdict(
            429,
            &pair,
            &words("Rate limit reached for gpt-4o on tokens per min (TPM): Limit 30000")
        )
        .wait,
        secs(360)
    );
    // Not named: the spent one.
    let spent_requests = [
        pair[0],
        pair[1],
        ("x-ratelimit-remaining-requests", "0"),
        ("x-ratelimit-remaining-tokens", "2500"),
    ];
    assert_eq!(verdict(429, &spent_requests, "").wait, secs(1));
    assert_eq!(wait_of(&spent_requests), secs(1));
    // Neither named nor singled out: the longer.
    assert_eq!(wait_of(&pair), secs(360));
    let both_spent = [
        pair[0],
        pair[1],
        ("x-ratelimit-remaining-requests", "0"),
        ("x-ratelimit-remaining-tokens", "0"),
    ];
    assert_eq!(wait_of(&both_spent), secs(360));
    // The named limit has no reset header: the rule goes on to the next test.
    assert_eq!(verdict(429, &[pair[1]], &body("requests")).wait, secs(360));

    // Anthropic's pair, named by the message.
    let anthropic = [
        ("anthropic-ratelimit-requests-reset", "2024-05-01T12:00:10Z"),
        ("anthropic-ratelimit-tokens-reset", "2024-05-01T12:00:50Z"),
    ];
    let message = |text: &str| {
        format!(r#"{{"type":"error","error":{{"type":"rate_limit_error","message":"{text}"}}}}"#)
    };
    assert_eq!(
        verdict(429, &anthropic, &message("This request would exceed the rate limit for your organization of 50 requests per minute.")).wait,
        secs(10)
    );
    assert_eq!(
        verdict(429, &anthropic, &message("This request would exceed the rate limit for your organization of 20,000 input tokens per minute.")).wait,
        secs(50)
    );
    let spent = [
        anthropic[0],
        anthropic[1],
        ("anthropic-ratelimit-requests-remaining", "0"),
    ];
    assert_eq!(wait_of(&spent), secs(10));
    assert_eq!(wait_of(&anthropic), secs(50));
}

#[test]
fn header_names_ignore_case_and_values_are_trimmed() {
    assert_eq!(wait_of(&[("RETRY-AFTER-MS", "\t10 ")]), ms(10));
    assert_eq!(wait_of(&[(" X-RateLimit-Reset-Tokens ", "2s")]), secs(2));
    assert_eq!(wait_of(&[("retry_after", "2")]), None);
    assert_eq!(wait_of(&[("retry-afterr", "2")]), None);
}

#[test]
fn every_header_shape_is_accepted() {
    let want = secs(5);
    let slice: &[(&str, &str)] = &[("retry-after", "5")];
    assert_eq!(wait_at(slice, now()), want);
    assert_eq!(wait_at([("retry-after", "5")], now()), want);
    let owned = vec![("retry-after".to_string(), "5".to_string())];
    assert_eq!(wait_at(&owned, now()), want);
    assert_eq!(wait_at(owned, now()), want);
    let map = HashMap::from([("Retry-After".to_string(), "5".to_string())]);
    assert_eq!(wait_at(&map, now()), want);
    let tree = BTreeMap::from([("retry-after", "5")]);
    assert_eq!(wait_at(&tree, now()), want);
    let cows = [(
        std::borrow::Cow::Borrowed("retry-after"),
        std::borrow::Cow::<str>::Owned("5".into()),
    )];
    assert_eq!(wait_at(&cows, now()), want);
    let shared: Vec<(std::sync::Arc<str>, Box<str>)> = vec![("retry-after".into(), "5".into())];
    assert_eq!(wait_at(&shared, now()), want);
    assert_eq!(
        classify_at(503, &map, "", now()),
        Verdict {
            action: Action::Retry,
            wait: want,
            reason: Reason::Overloaded
        }
    );
}

#[cfg(feature = "http")]
#[test]
fn an_http_header_map() {
    use http::header::{HeaderMap, HeaderName, HeaderValue, RETRY_AFTER};
    let mut map = HeaderMap::new();
    map.insert(RETRY_AFTER, HeaderValue::from_static("9"));
    map.insert(
        HeaderName::from_static("x-ratelimit-reset-tokens"),
        HeaderValue::from_static("1s"),
    );
    assert_eq!(wait_at(&map, now()), secs(9));
    // A value that is not visible ASCII is skipped.
    let mut odd = HeaderMap::new();
    odd.insert(RETRY_AFTER, HeaderValue::from_bytes(b"\xff9").unwrap());
    odd.append(RETRY_AFTER, HeaderValue::from_static("4"));
    assert_eq!(wait_at(&odd, now()), secs(4));
    let v = classify_at(429, &map, RATE_LIMITED, now());
    assert_eq!((v.action, v.wait), (Action::Retry, secs(9)));
}

#[test]
fn wait_is_given_with_retry_only() {
    let h = [("retry-after", "5")];
    assert_eq!(verdict(429, &h, RATE_LIMITED).wait, secs(5));
    assert_eq!(verdict(500, &h, "").wait, secs(5));
    for status in [400, 401, 403, 404, 402] {
        let v = verdict(status, &h, "");
        assert_ne!(v.action, Action::Retry, "{status}");
        assert_eq!(v.wait, None, "{status}");
    }
    // A retried error with no wait named leaves it to the backoff.
    assert_eq!(verdict(503, &[], "").wait, None);
}

const QUOTA: &str = r#"{"error":{"message":"You exceeded your current quota, please check your plan and billing details.","type":"insufficient_quota","param":null,"code":"insufficient_quota"}}"#;

#[test]
fn quota_exhausted_unless_a_wait_is_named() {
    let v = verdict(429, &[], QUOTA);
    assert_eq!(
        (v.action, v.reason, v.wait),
        (Action::Fallback, Reason::QuotaExhausted, None)
    );
    // Reset headers describe the window, not this error: still exhausted.
    let resets = [
        ("x-ratelimit-reset-requests", "1s"),
        ("anthropic-ratelimit-tokens-reset", "2024-05-01T12:00:05Z"),
    ];
    assert_eq!(verdict(429, &resets, QUOTA).reason, Reason::QuotaExhausted);
    // A named wait makes it a rate limit, retried after that wait.
    for named in [("retry-after", "20"), ("retry-after-ms", "20000")] {
        let v = verdict(429, &[named], QUOTA);
        assert_eq!(
            (v.action, v.reason, v.wait),
            (Action::Retry, Reason::RateLimited, secs(20)),
            "{named:?}"
        );
    }
    // An unusable named wait names nothing.
    assert_eq!(
        verdict(429, &[("retry-after", "later")], QUOTA).reason,
        Reason::QuotaExhausted
    );
}

#[test]
fn statuses_decide_before_bodies() {
    // A 401 stays Auth and a 5xx a server error, whatever the body says.
    assert_eq!(verdict(401, &[], QUOTA).reason, Reason::Auth);
    assert_eq!(verdict(500, &[], QUOTA).reason, Reason::ServerError);
    assert_eq!(
        verdict(404, &[], RATE_LIMITED).reason,
        Reason::ModelUnavailable
    );
    assert_eq!(verdict(408, &[], "").reason, Reason::ServerError);
    assert_eq!(verdict(408, &[], "").action, Action::Retry);
    // Other 5xx are server errors too, and "overloaded" ones are overloaded.
    assert_eq!(verdict(520, &[], "").reason, Reason::ServerError);
    assert_eq!(
        verdict(
            500,
            &[],
            r#"{"error":{"message":"The server is overloaded","type":"server_error"}}"#
        )
        .reason,
        Reason::Overloaded
    );
    // Other 4xx without a known word are bad requests.
    for status in [400, 409, 413, 422, 499] {
        let v = verdict(
            status,
            &[],
            r#"{"error":{"message":"Invalid value for 'temperature'"}}"#,
        );
        assert_eq!(
            (v.action, v.reason),
            (Action::Fail, Reason::BadRequest),
            "{status}"
        );
    }
}

#[test]
fn statuses_outside_4xx_and_5xx_are_read_by_their_codes() {
    // An error event inside a 200 stream.
    let overloaded =
        r#"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#;
    for status in [0, 100, 200, 204, 302, 600, u16::MAX] {
        let v = verdict(status, &[("retry-after", "1")], overloaded);
        assert_eq!(
            (v.action, v.reason, v.wait),
            (Action::Retry, Reason::Overloaded, secs(1)),
            "{status}"
        );
        assert_eq!(
            verdict(status, &[], RATE_LIMITED).reason,
            Reason::RateLimited
        );
        assert_eq!(
            verdict(status, &[], r#"{"error":{"type":"server_error"}}"#).reason,
            Reason::ServerError
        );
        assert_eq!(
            verdict(
                status,
                &[],
                r#"{"error":{"code":"context_length_exceeded"}}"#
            )
            .reason,
            Reason::ContextTooLong
        );
        // A successful answer, whatever its text says, is not retried.
        let answer = r#"{"object":"chat.completion","choices":[{"message":{"role":"assistant","content":"The server is overloaded with requests; quota exceeded your current quota"},"finish_reason":"content_filter"}]}"#;
        let v = verdict(status, &[("retry-after", "1")], answer);
        assert_eq!(
            (v.action, v.reason, v.wait),
            (Action::Fail, Reason::BadRequest, None),
            "{status}"
        );
        assert_eq!(verdict(status, &[], "").action, Action::Fail);
    }
}

#[test]
fn overloaded_429_is_overloaded() {
    let v = verdict(
        429,
        &[],
        r#"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#,
    );
    assert_eq!((v.action, v.reason), (Action::Retry, Reason::Overloaded));
}

#[test]
fn display() {
    assert_eq!(Reason::RateLimited.to_string(), "rate limited");
    assert_eq!(Reason::Auth.to_string(), "not authorized");
    assert_eq!(Action::Fallback.to_string(), "fall back");
    assert_eq!(Action::Retry.to_string(), "retry");
}

#[test]
fn a_safety_block_reason_is_a_content_filter_and_safety_settings_are_not() {
    let blocked = r#"{"error":{"code":400,"message":"The prompt was blocked.","status":"INVALID_ARGUMENT","details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"SAFETY"}]}}"#;
    let v = verdict(400, &[], blocked);
    assert_eq!(
        (v.action, v.reason),
        (Action::Fail, Reason::ContentFiltered)
    );
    // A bad safety setting is the caller's mistake, not a refusal.
    let setting = r#"{"error":{"code":400,"message":"Invalid value at 'safety_settings[0].category' (type.googleapis.com/google.ai.generativelanguage.v1beta.HarmCategory), \"SAFETY\"","status":"INVALID_ARGUMENT"}}"#;
    let v = verdict(400, &[], setting);
    assert_eq!((v.action, v.reason), (Action::Fail, Reason::BadRequest));
}
