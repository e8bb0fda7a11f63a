//! Properties of `retry_runtime::classify::llm`: no input makes it panic (arbitrary bytes,
//! header names and values, JSON-ish bodies); a wait comes only with `Retry` and each reason
//! with its one action; waits from numbers and instants are exact and never below zero;
//! escaping a body's strings differently never changes the verdict; and a status outside
//! 4xx/5xx is retried only when the body names a retryable error code.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use proptest::prelude::*;
use retry_runtime::__private::classify_llm_at;
use retry_runtime::classify::llm::{classify, wait, Action, Reason, Verdict};

/// 2024-05-01T12:00:00Z.
const NOW: u64 = 1_714_564_800;

fn now() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(NOW)
}

/// The header names the classifier reads, in mixed case.
const NAMES: &[&str] = &[
    "retry-after-ms",
    "Retry-After",
    "x-ratelimit-reset-requests",
    "X-RateLimit-Reset-Tokens",
    "x-ratelimit-remaining-requests",
    "x-ratelimit-remaining-tokens",
    "anthropic-ratelimit-requests-reset",
    "anthropic-ratelimit-tokens-reset",
    "anthropic-ratelimit-requests-remaining",
    "anthropic-ratelimit-tokens-remaining",
    "content-type",
];

/// Codes and phrases the classifier knows, to make generated bodies hit its branches.
const WORDS: &[&str] = &[
    "rate_limit_exceeded",
    "insufficient_quota",
    "overloaded_error",
    "api_error",
    "context_length_exceeded",
    "content_filter",
    "invalid_api_key",
    "model_not_found",
    "RESOURCE_EXHAUSTED",
    "UNAVAILABLE",
    "tokens",
    "requests",
    "exceeded your current quota",
    "maximum context length",
    "prompt is too long",
    "overloaded",
    "type.googleapis.com/google.rpc.RetryInfo",
    "35s",
    "1.5s",
    "-1s",
];

const KEYS: &[&str] = &[
    "error",
    "type",
    "code",
    "status",
    "message",
    "detail",
    "reason",
    "error_code",
    "retryDelay",
    "@type",
    "details",
    "param",
    "innererror",
];

/// The action each reason always comes with.
fn action_of(reason: Reason) -> Action {
    match reason {
        Reason::RateLimited | Reason::Overloaded | Reason::ServerError => Action::Retry,
        Reason::QuotaExhausted
        | Reason::ContextTooLong
        | Reason::Auth
        | Reason::ModelUnavailable => Action::Fallback,
        Reason::ContentFiltered | Reason::BadRequest => Action::Fail,
        _ => unreachable!("a reason this test does not know: {reason:?}"),
    }
}

/// What every verdict must satisfy, whatever the input.
fn assert_coherent(v: &Verdict) {
    assert_eq!(v.action, action_of(v.reason), "{v:?}");
    if v.wait.is_some() {
        assert_eq!(v.action, Action::Retry, "{v:?}");
    }
}

/// A JSON-ish value: real JSON shapes over the classifier's keys and words, sometimes broken.
#[derive(Clone, Debug)]
enum Json {
    Str(String),
    Num(i64),
    Null,
    Arr(Vec<Json>),
    Obj(Vec<(String, Json)>),
}

fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => proptest::sample::select(WORDS).prop_map(str::to_string),
        1 => any::<String>(),
        1 => "[a-zA-Z_ \"\\\\/]{0,12}",
    ]
}

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => proptest::sample::select(KEYS).prop_map(str::to_string),
        1 => "[a-zA-Z@_]{0,8}",
    ]
}

fn json() -> impl Strategy<Value = Json> {
    let leaf = prop_oneof![
        4 => word().prop_map(Json::Str),
        1 => any::<i64>().prop_map(Json::Num),
        1 => Just(Json::Null),
    ];
    leaf.prop_recursive(6, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Json::Arr),
            prop::collection::vec((key(), inner), 0..6).prop_map(Json::Obj),
        ]
    })
}

/// How a string's characters are written: plainly, or each as `\uXXXX` (surrogate pairs
/// beyond the BMP) when its bit in `mask` is set.
fn write_string(out: &mut String, s: &str, mask: u64) {
    out.push('"');
    for (i, c) in s.chars().enumerate() {
        let escape_all = mask >> (i % 64) & 1 == 1;
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 || escape_all => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

fn write_json(out: &mut String, value: &Json, mask: u64) {
    match value {
        Json::Str(s) => write_string(out, s, mask),
        Json::Num(n) => out.push_str(&n.to_string()),
        Json::Null => out.push_str("null"),
        Json::Arr(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json(out, item, mask.rotate_left(7));
            }
            out.push(']');
        }
        Json::Obj(fields) => {
            out.push('{');
            for (i, (k, v)) in fields.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_string(out, k, mask.rotate_left(3));
                out.push_str(": ");
                write_json(out, v, mask.rotate_left(11));
            }
            out.push('}');
        }
    }
}

fn to_text(value: &Json, mask: u64) -> String {
    let mut out = String::new();
    write_json(&mut out, value, mask);
    out
}

fn header_value() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "-?[0-9]{0,30}(\\.[0-9]{0,12})?",
        "[0-9hms.µ]{0,16}",
        "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,12})?(Z|[+-][0-9]{2}:[0-9]{2})",
        Just("Wed, 01 May 2024 12:00:30 GMT".to_string()),
    ]
}

fn headers() -> impl Strategy<Value = Vec<(String, String)>> {
    prop::collection::vec(
        (
            prop_oneof![
                3 => proptest::sample::select(NAMES).prop_map(str::to_string),
                1 => any::<String>(),
            ],
            header_value(),
        ),
        0..8,
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn never_panics_on_arbitrary_bytes(
        status in any::<u16>(),
        bytes in prop::collection::vec(any::<u8>(), 0..512),
        headers in headers(),
    ) {
        let body = String::from_utf8_lossy(&bytes);
        let v = classify(status, &headers, &body);
        assert_coherent(&v);
        let _ = wait(&headers);
    }

    #[test]
    fn never_panics_on_arbitrary_headers(
        status in any::<u16>(),
        headers in prop::collection::vec((any::<String>(), any::<String>()), 0..8),
        body in any::<String>(),
    ) {
        assert_coherent(&classify(status, &headers, &body));
        let _ = wait(&headers);
    }

    #[test]
    fn json_ish_bodies_give_coherent_verdicts(
        status in prop_oneof![Just(429u16), Just(400), Just(200), Just(503), 100u16..600],
        value in json(),
        headers in headers(),
        cut in any::<prop::sample::Index>(),
    ) {
        let text = to_text(&value, 0);
        assert_coherent(&classify_llm_at(status, &headers, &text, now()));
        // Truncated anywhere (on a char boundary): still no panic.
        let mut at = cut.index(text.len() + 1);
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        assert_coherent(&classify_llm_at(status, &headers, &text[..at], now()));
    }

    #[test]
    fn escaping_never_changes_the_verdict(
        status in prop_oneof![Just(429u16), Just(400), Just(404), Just(200), Just(503)],
        value in json(),
        mask in any::<u64>(),
    ) {
        let plain = classify_llm_at(status, [("retry-after", "soon")], &to_text(&value, 0), now());
        let escaped = classify_llm_at(status, [("retry-after", "soon")], &to_text(&value, mask), now());
        prop_assert_eq!(plain, escaped);
    }

    #[test]
    fn other_statuses_retry_only_on_a_named_code(
        status in prop_oneof![100u16..400, 600u16..=u16::MAX],
        message in any::<String>(),
        code in "x_[a-z_]{0,12}",
    ) {
        // A body whose only code is unknown (whatever its message says) is not retried.
        let body = format!(
            r#"{{"error":{{"message":{},"type":"{code}"}}}}"#,
            to_text(&Json::Str(message), 0)
        );
        let v = classify_llm_at(status, [("retry-after", "5")], &body, now());
        prop_assert_eq!(v, Verdict { action: Action::Fail, wait: None, reason: Reason::BadRequest });
        // The same status with a retryable code is retried, with the wait.
        let overloaded = r#"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#;
        let v = classify_llm_at(status, [("retry-after", "5")], overloaded, now());
        prop_assert_eq!(
            v,
            Verdict { action: Action::Retry, wait: Some(Duration::from_secs(5)), reason: Reason::Overloaded }
        );
    }

    #[test]
    fn retry_after_ms_is_exact_and_never_negative(n in any::<i64>(), frac in proptest::option::of(0u32..1_000_000)) {
        let text = match frac {
            Some(f) => format!("{n}.{f:06}"),
            None => n.to_string(),
        };
        let got = wait([("retry-after-ms", text.as_str())]);
        if n < 0 {
            prop_assert_eq!(got, None);
        } else {
            let want = Duration::from_millis(n as u64)
                + Duration::from_nanos(u64::from(frac.unwrap_or(0)));
            prop_assert_eq!(got, Some(want));
        }
    }

    #[test]
    fn anthropic_instants_are_the_time_from_now_or_zero(delta in -100_000_000i64..100_000_000, nanos in 0u32..1_000_000_000) {
        let target = NOW as i64 + delta;
        let days = target.div_euclid(86_400);
        let (y, m, d) = civil_from_days(days);
        let secs = target.rem_euclid(86_400);
        let stamp = format!(
            "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{nanos:09}Z",
            secs / 3600, secs / 60 % 60, secs % 60
        );
        let v = classify_llm_at(429, [("anthropic-ratelimit-requests-reset", stamp.as_str())], "", now());
        // A negative delta plus a fraction of a second is still before now: zero.
        let want = if delta >= 0 {
            Duration::from_secs(delta as u64) + Duration::from_nanos(u64::from(nanos))
        } else {
            Duration::ZERO
        };
        prop_assert_eq!(v.wait, Some(want), "{}", stamp);
    }

    #[test]
    fn openai_resets_round_trip(h in 0u64..1000, m in 0u64..60, s in 0u64..60, ms in 0u64..1000) {
        // Go writes `1h2m3.5s`; units may be dropped from the front.
        let text = if h > 0 {
            format!("{h}h{m}m{s}.{ms:03}s")
        } else if m > 0 {
            format!("{m}m{s}.{ms:03}s")
        } else {
            format!("{s}.{ms:03}s")
        };
        let want = Duration::from_millis(((h * 60 + m) * 60 + s) * 1000 + ms);
        prop_assert_eq!(wait([("x-ratelimit-reset-tokens", text.as_str())]), Some(want));
    }
}

/// A civil date from days since 1970-01-01, by walking years and months (not the crate's
/// arithmetic).
fn civil_from_days(mut days: i64) -> (i64, u32, u32) {
    let leap = |y: i64| y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    let mut year = 1970;
    while days < 0 {
        year -= 1;
        days += if leap(year) { 366 } else { 365 };
    }
    loop {
        let len = if leap(year) { 366 } else { 365 };
        if days < len {
            break;
        }
        days -= len;
        year += 1;
    }
    let lengths = [
        31,
        if leap(year) { 29 } else { 28 },
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
    (year, month as u32 + 1, days as u32 + 1)
}
