//! The body side of `classify::llm`: a small, lenient JSON scanner that picks out the string
//! values of the few fields providers put their verdicts in (`type`, `code`, `status`,
//! `reason`, `error_code`; `message`, `error`, `detail`; Gemini's `retryDelay` inside a
//! `google.rpc.RetryInfo`), with escapes decoded on the fly where there are any, and the
//! searches over them.
//!
//! The scanner never fails: malformed, truncated or non-JSON input yields whatever fields it
//! could see (usually none), and then the body's raw text is searched instead. One pass,
//! linear in the input; a fixed amount of memory whatever the input (deep nesting is walked
//! but not recorded past [`MAX_DEPTH`], and only the first few values of each kind are kept).

use std::str::CharIndices;
use std::time::Duration;

use super::headers::go_duration;
use super::phrases::{find_any, Phrase};

/// Objects nested deeper than this are walked but their fields not recorded.
const MAX_DEPTH: usize = 32;
/// Code-like values kept (`type`, `code`, `status`, `reason`, `error_code`).
const MAX_CODES: usize = 24;
/// Message-like values kept (`message`, `error`, `detail`).
const MAX_TEXTS: usize = 8;
/// `retryDelay` values and `google.rpc.RetryInfo` objects kept.
const MAX_DELAYS: usize = 4;

/// A JSON string's contents as written (between the quotes, escapes not yet decoded).
#[derive(Clone, Copy, Debug)]
pub(super) struct Raw<'a>(&'a str);

impl<'a> Raw<'a> {
    /// The decoded characters.
    fn chars(self) -> Unescape<'a> {
        Unescape {
            chars: self.0.char_indices(),
            text: self.0,
        }
    }

    /// The text itself, when it holds no escape (the usual case: no decoding needed).
    fn plain(self) -> Option<&'a str> {
        (!self.0.contains('\\')).then_some(self.0)
    }

    /// Equal to `word`, exactly.
    fn is_exactly(self, word: &str) -> bool {
        match self.plain() {
            Some(text) => text == word,
            None => self.chars().eq(word.chars()),
        }
    }

    /// Equal to `word`, ignoring ASCII case.
    fn is(self, word: &str) -> bool {
        if let Some(text) = self.plain() {
            return text.eq_ignore_ascii_case(word);
        }
        let mut want = word.chars();
        self.chars()
            .all(|c| want.next().is_some_and(|w| w.eq_ignore_ascii_case(&c)))
            && want.next().is_none()
    }

    /// Whether any of `phrases` occurs in the decoded text, ignoring ASCII case.
    fn contains_any(self, phrases: &[Phrase]) -> bool {
        match self.plain() {
            Some(text) => find_any(text.bytes(), phrases),
            // Anything not ASCII becomes one byte that no phrase holds.
            None => find_any(
                self.chars().map(|c| u8::try_from(c).unwrap_or(0x80)),
                phrases,
            ),
        }
    }

    /// Ends with `tail` (exactly).
    fn ends_with(self, tail: &str) -> bool {
        // Compare from the end over the decoded text, without allocating.
        let count = self.chars().count();
        let tail_count = tail.chars().count();
        count >= tail_count && self.chars().skip(count - tail_count).eq(tail.chars())
    }
}

/// Decodes JSON string escapes (`\"`, `\\`, `\/`, `\b`, `\f`, `\n`, `\r`, `\t`, `\uXXXX` with
/// surrogate pairs). A malformed escape yields U+FFFD and scanning goes on.
#[derive(Clone)]
struct Unescape<'a> {
    chars: CharIndices<'a>,
    text: &'a str,
}

impl Unescape<'_> {
    /// Four hex digits after `\u`, as a UTF-16 code unit.
    fn hex4(&mut self) -> Option<u16> {
        let (start, _) = self.chars.clone().next()?;
        let digits = self.text.get(start..start + 4)?;
        let unit = u16::from_str_radix(digits, 16).ok()?;
        if !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None; // from_str_radix takes a leading `+`
        }
        for _ in 0..4 {
            self.chars.next();
        }
        Some(unit)
    }

    fn unicode_escape(&mut self) -> char {
        let Some(unit) = self.hex4() else {
            return char::REPLACEMENT_CHARACTER;
        };
        if (0xD800..0xDC00).contains(&unit) {
            // A high surrogate: its low half must follow as `\uXXXX`.
            let mut ahead = self.clone();
            if let (Some((_, '\\')), Some((_, 'u'))) = (ahead.chars.next(), ahead.chars.next()) {
                if let Some(low) = ahead.hex4().filter(|l| (0xDC00..0xE000).contains(l)) {
                    *self = ahead;
                    let c =
                        0x10000 + ((u32::from(unit) - 0xD800) << 10) + (u32::from(low) - 0xDC00);
                    return char::from_u32(c).unwrap_or(char::REPLACEMENT_CHARACTER);
                }
            }
            return char::REPLACEMENT_CHARACTER;
        }
        char::from_u32(u32::from(unit)).unwrap_or(char::REPLACEMENT_CHARACTER)
    }
}

impl Iterator for Unescape<'_> {
    type Item = char;

    fn next(&mut self) -> Option<char> {
        let (_, c) = self.chars.next()?;
        if c != '\\' {
            return Some(c);
        }
        Some(match self.chars.next() {
            Some((_, 'n')) => '\n',
            Some((_, 't')) => '\t',
            Some((_, 'r')) => '\r',
            Some((_, 'b')) => '\u{8}',
            Some((_, 'f')) => '\u{c}',
            Some((_, 'u')) => self.unicode_escape(),
            Some((_, c @ ('"' | '\\' | '/'))) => c,
            Some(_) | None => char::REPLACEMENT_CHARACTER,
        })
    }
}

/// A fixed-capacity list: values past the capacity are dropped.
#[derive(Debug)]
struct Few<T, const N: usize> {
    items: [Option<T>; N],
    len: usize,
}

impl<T: Copy, const N: usize> Few<T, N> {
    fn new() -> Self {
        Few {
            items: [None; N],
            len: 0,
        }
    }

    fn push(&mut self, item: T) {
        if let Some(slot) = self.items.get_mut(self.len) {
            *slot = Some(item);
            self.len += 1;
        }
    }

    fn iter(&self) -> impl Iterator<Item = T> + '_ {
        self.items.iter().map_while(|item| *item)
    }
}

/// The keys whose string values are kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Key {
    Code,
    Text,
    RetryDelay,
    AtType,
}

impl Key {
    fn of(raw: Raw<'_>) -> Option<Key> {
        const CODES: [&str; 5] = ["type", "code", "status", "reason", "error_code"];
        const TEXTS: [&str; 3] = ["message", "error", "detail"];
        if CODES.iter().any(|k| raw.is_exactly(k)) {
            Some(Key::Code)
        } else if TEXTS.iter().any(|k| raw.is_exactly(k)) {
            Some(Key::Text)
        } else if raw.is_exactly("retryDelay") {
            Some(Key::RetryDelay)
        } else if raw.is_exactly("@type") {
            Some(Key::AtType)
        } else {
            None
        }
    }
}

/// An open `{` or `[` while scanning.
#[derive(Clone, Copy, Debug)]
struct Frame {
    /// An object (else an array).
    object: bool,
    /// The object's number, in the order objects open.
    id: u32,
    /// The next string in this object is a key.
    expect_key: bool,
}

/// What the body says, as far as classification cares.
#[derive(Debug)]
pub(super) struct Body<'a> {
    text: &'a str,
    /// Whether `text` looked like JSON (and was scanned as such).
    json: bool,
    codes: Few<Raw<'a>, MAX_CODES>,
    texts: Few<Raw<'a>, MAX_TEXTS>,
    /// `retryDelay` values with the object they sit in.
    delays: Few<(Raw<'a>, u32), MAX_DELAYS>,
    /// Objects whose `@type` is `google.rpc.RetryInfo`.
    retry_infos: Few<u32, MAX_DELAYS>,
}

impl<'a> Body<'a> {
    /// Scans `text`: as JSON when it starts (after whitespace) with `{`, `[` or `"`, else only
    /// kept for [`Body::says`].
    pub(super) fn scan(text: &'a str) -> Self {
        let mut body = Body {
            text,
            json: text.trim_ascii_start().starts_with(['{', '[', '"']),
            codes: Few::new(),
            texts: Few::new(),
            delays: Few::new(),
            retry_infos: Few::new(),
        };
        if body.json {
            body.scan_json();
        }
        body
    }

    fn scan_json(&mut self) {
        let text = self.text;
        let bytes = text.as_bytes();
        let mut stack = [Frame {
            object: false,
            id: 0,
            expect_key: false,
        }; MAX_DEPTH];
        let mut depth = 0usize; // may exceed MAX_DEPTH; frames past it are not kept
        let mut objects = 0u32;
        // The key whose value comes next, if it is one we keep.
        let mut pending: Option<Key> = None;
        let mut i = 0;
        while let Some(&b) = bytes.get(i) {
            i += 1;
            let top = depth.checked_sub(1).and_then(|d| stack.get_mut(d));
            match b {
                b'{' | b'[' => {
                    pending = None;
                    if let Some(frame) = stack.get_mut(depth) {
                        *frame = Frame {
                            object: b == b'{',
                            id: objects,
                            expect_key: b == b'{',
                        };
                    }
                    objects = objects.wrapping_add(u32::from(b == b'{'));
                    depth = depth.saturating_add(1);
                }
                b'}' | b']' => {
                    pending = None;
                    depth = depth.saturating_sub(1);
                }
                b',' => {
                    pending = None;
                    if let Some(frame) = top.filter(|f| f.object) {
                        frame.expect_key = true;
                    }
                }
                b'"' => {
                    let start = i;
                    let end = string_end(bytes, start);
                    // Quotes are ASCII, so both ends are char boundaries.
                    let raw = Raw(text.get(start..end).unwrap_or(""));
                    i = end.saturating_add(1);
                    let Some(frame) = top.filter(|f| f.object) else {
                        continue;
                    };
                    if frame.expect_key {
                        frame.expect_key = false;
                        pending = Key::of(raw);
                    } else if let Some(key) = pending.take() {
                        self.keep(key, raw, frame.id);
                    }
                }
                _ => {}
            }
        }
    }

    fn keep(&mut self, key: Key, raw: Raw<'a>, object: u32) {
        match key {
            Key::Code => self.codes.push(raw),
            Key::Text => self.texts.push(raw),
            Key::RetryDelay => self.delays.push((raw, object)),
            Key::AtType if raw.ends_with("google.rpc.RetryInfo") => self.retry_infos.push(object),
            Key::AtType => {}
        }
    }

    /// Whether a code-like field (`type`, `code`, `status`, `reason`, `error_code`) is one of
    /// `words`, ignoring ASCII case.
    pub(super) fn has_code(&self, words: &[&str]) -> bool {
        self.codes.iter().any(|raw| words.iter().any(|w| raw.is(w)))
    }

    /// Whether the body's messages (`message`, `error`, `detail`) contain one of `phrases`,
    /// ignoring ASCII case; a body with no such field (HTML, plain text, other JSON) is
    /// searched whole (JSON with its escapes decoded, as its fields are).
    pub(super) fn says(&self, phrases: &[Phrase]) -> bool {
        if self.texts.len == 0 {
            return if self.json {
                Raw(self.text).contains_any(phrases)
            } else {
                find_any(self.text.bytes(), phrases)
            };
        }
        self.texts.iter().any(|raw| raw.contains_any(phrases))
    }

    /// Gemini's `retryDelay` (`"35s"`), from a `google.rpc.RetryInfo` object.
    pub(super) fn retry_delay(&self) -> Option<Duration> {
        self.delays
            .iter()
            .filter(|(_, object)| self.retry_infos.iter().any(|o| o == *object))
            .find_map(|(raw, _)| {
                // A protobuf duration is short; decode it into a small buffer.
                let mut buf = [0u8; 32];
                let mut len = 0;
                for c in raw.chars() {
                    let slot = buf.get_mut(len..len + c.len_utf8())?;
                    c.encode_utf8(slot);
                    len += c.len_utf8();
                }
                go_duration(std::str::from_utf8(buf.get(..len)?).ok()?)
            })
    }
}

/// The index of the `"` closing a string whose contents start at `start` (skipping escaped
/// characters), or the input's length when it never closes.
fn string_end(bytes: &[u8], start: usize) -> usize {
    let mut i = start;
    while let Some(rest) = bytes.get(i..) {
        match rest.iter().position(|&b| b == b'"' || b == b'\\') {
            Some(at) if rest.get(at) == Some(&b'"') => return i + at,
            Some(at) => i += at + 2, // an escape: skip the escaped byte
            None => break,
        }
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(body: &Body<'_>) -> Vec<String> {
        body.codes.iter().map(|r| r.chars().collect()).collect()
    }

    fn texts(body: &Body<'_>) -> Vec<String> {
        body.texts.iter().map(|r| r.chars().collect()).collect()
    }

    #[test]
    fn picks_the_fields_of_each_shape() {
        let openai = r#"{"error": {"message": "Rate limit reached", "type": "tokens", "param": null, "code": "rate_limit_exceeded"}}"#;
        let b = Body::scan(openai);
        assert_eq!(codes(&b), ["tokens", "rate_limit_exceeded"]);
        assert_eq!(texts(&b), ["Rate limit reached"]);

        let anthropic = r#"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"},"request_id":"req_1"}"#;
        let b = Body::scan(anthropic);
        assert_eq!(codes(&b), ["error", "overloaded_error"]);
        assert_eq!(texts(&b), ["Overloaded"]);

        let ollama = r#"{"error":"model \"llama3\" not found, try pulling it first"}"#;
        assert_eq!(
            texts(&Body::scan(ollama)),
            ["model \"llama3\" not found, try pulling it first"]
        );
    }

    #[test]
    fn values_that_are_not_strings_and_keys_elsewhere_are_skipped() {
        // `code` is a number, `message` an object; `param`'s string is not a kept key; the
        // string "type" in an array is not a key.
        let b = Body::scan(
            r#"{"code": 400, "message": {"detail": [{"msg": "Field required", "type": "missing"}]}, "param": "code", "list": ["type", "x"]}"#,
        );
        assert_eq!(codes(&b), ["missing"]);
        assert!(texts(&b).is_empty());
    }

    #[test]
    fn escapes_are_decoded() {
        let b = Body::scan(
            r#"{"message": "a\"b\\c\/d\n\u00e9\ud83d\ude00\u0041", "code": "t\u0079pe"}"#,
        );
        assert_eq!(texts(&b), ["a\"b\\c/d\né😀A"]);
        assert!(b.has_code(&["TYPE"]));
        // Broken escapes decode to U+FFFD and scanning goes on.
        let b = Body::scan(r#"{"message": "x\ud83dy\u12\q", "code": "ok"}"#);
        assert_eq!(texts(&b), ["x\u{fffd}y\u{fffd}12\u{fffd}"]);
        assert_eq!(codes(&b), ["ok"]);
        let b = Body::scan(r#"{"message": "\u+123"}"#);
        assert_eq!(texts(&b), ["\u{fffd}+123"]);
    }

    #[test]
    fn escaped_keys_are_keys() {
        let b = Body::scan(r#"{"mess\u0061ge": "hello"}"#);
        assert_eq!(texts(&b), ["hello"]);
    }

    #[test]
    fn retry_delay_only_inside_retry_info() {
        let gemini = r#"{"error":{"code":429,"status":"RESOURCE_EXHAUSTED","details":[
            {"@type":"type.googleapis.com/google.rpc.QuotaFailure","violations":[{"quotaId":"x"}]},
            {"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"35s"}]}}"#;
        assert_eq!(
            Body::scan(gemini).retry_delay(),
            Some(Duration::from_secs(35))
        );
        // Either order of the two keys.
        let swapped = r#"{"details":[{"retryDelay":"1.5s","@type":"type.googleapis.com/google.rpc.RetryInfo"}]}"#;
        assert_eq!(
            Body::scan(swapped).retry_delay(),
            Some(Duration::from_millis(1500))
        );
        // In another object, or with no RetryInfo at all: not a retry delay.
        let elsewhere = r#"{"details":[{"@type":"type.googleapis.com/google.rpc.RetryInfo"},{"retryDelay":"9s"}]}"#;
        assert_eq!(Body::scan(elsewhere).retry_delay(), None);
        assert_eq!(Body::scan(r#"{"retryDelay":"9s"}"#).retry_delay(), None);
        // Unusable values.
        for bad in ["-1s", "soon", "", "1e400s", "99999999999999999999999h"] {
            let body = format!(
                r#"{{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"{bad}"}}"#
            );
            assert_eq!(Body::scan(&body).retry_delay(), None, "{bad:?}");
        }
    }

    #[test]
    fn not_json_is_searched_whole() {
        let html = "<html><head><title>502 Bad Gateway</title></head><body>upstream overloaded</body></html>";
        let b = Body::scan(html);
        assert!(codes(&b).is_empty());
        assert!(b.says(&[Phrase::new("overloaded")]));
        assert!(!b.says(&[Phrase::new("quota")]));
        // JSON without any message field is searched whole too, its escapes decoded.
        let key = [Phrase::new("invalid api key")];
        assert!(Body::scan(r#"{"errors":[{"description":"Invalid API key"}]}"#).says(&key));
        assert!(Body::scan(r#"{"errors":[{"description":"Invalid API \u006bey"}]}"#).says(&key));
        // Messages are searched with their escapes decoded; what is not ASCII never matches.
        assert!(Body::scan(r#"{"message":"Invalid\u0020API KEY"}"#).says(&key));
        assert!(!Body::scan(r#"{"message":"Invalid\u00a0API key"}"#).says(&key));
        let nnvalid = [Phrase::new("nnvalid")];
        assert!(!Body::scan(r#"{"message":"\nnvalid api key"}"#).says(&nnvalid));
        assert!(Body::scan(r#"{"message":"\nnnvalid api key"}"#).says(&nnvalid));
    }

    #[test]
    fn malformed_json_keeps_what_it_saw() {
        let b = Body::scan(r#"{"error": {"type": "overloaded_error", "message": "Overlo"#);
        assert_eq!(codes(&b), ["overloaded_error"]);
        assert_eq!(texts(&b), ["Overlo"]);
        for junk in [
            "{",
            "[",
            "}",
            "]",
            "{\"",
            "{\"\\",
            "{\"a\":\"\\u",
            "}}}}{{{",
            "{\"type\"::\"x\"",
            "[\"type\",\"x\"]",
            "{\"type\",\"x\"}",
        ] {
            let _ = Body::scan(junk);
        }
        // A key with no colon before its value still pairs up leniently, never panicking.
        let b = Body::scan("{\"type\" \"x\"}");
        assert_eq!(codes(&b), ["x"]);
    }

    #[test]
    fn deep_nesting_is_walked_not_recorded() {
        let deep = format!(
            "{}{}{}, \"code\": \"top\"}}",
            "{\"a\":".repeat(10_000),
            "{\"code\": \"deep\"}",
            "}".repeat(10_000)
        );
        let text = format!("{{\"x\": {deep}");
        let b = Body::scan(&text);
        assert_eq!(codes(&b), ["top"]);
    }

    #[test]
    fn only_the_first_values_are_kept() {
        let many: String = (0..1000)
            .map(|i| format!("{{\"code\":\"c{i}\"}},"))
            .collect();
        let text = format!("[{many}]");
        let b = Body::scan(&text);
        assert_eq!(b.codes.iter().count(), MAX_CODES);
        assert!(b.has_code(&["c0"]) && !b.has_code(&["c999"]));
    }
}
