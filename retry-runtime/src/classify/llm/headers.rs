//! The headers side of `classify::llm`: the [`Headers`] bound (anything iterable as name and
//! value strings, and `http::HeaderMap` with the `http` feature), and the one pass over them
//! that reads every wait a provider may name.

use std::borrow::Cow;
use std::rc::Rc;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use super::super::retry_after::{delay_between, unix_nanos};
use super::super::{parse_retry_after, rfc3339};

/// What [`classify`](super::classify) and [`wait`](super::wait) accept as a response's headers:
/// anything iterable as `(name, value)` pairs of strings. Names are compared ignoring ASCII
/// case; values are trimmed of surrounding whitespace.
///
/// Implemented for every `IntoIterator` whose items are pairs (or references to pairs) of
/// [`HeaderText`] types: `&[(&str, &str)]`, arrays, `Vec<(String, String)>` (by value or by
/// reference), `&HashMap<String, String>`, `&BTreeMap<..>`, and, with the feature `http`,
/// `&http::HeaderMap` (what `reqwest` and `hyper` hand out). No headers at all:
/// `std::iter::empty::<(&str, &str)>()`.
///
/// ```
/// use std::collections::HashMap;
/// use std::time::Duration;
/// use retry_runtime::classify::llm::wait;
///
/// let five = Some(Duration::from_secs(5));
/// assert_eq!(wait([("Retry-After", "5")]), five);
/// assert_eq!(wait(vec![("retry-after".to_string(), "5".to_string())]), five);
/// let map = HashMap::from([("RETRY-AFTER".to_string(), " 5 ".to_string())]);
/// assert_eq!(wait(&map), five);
/// assert_eq!(wait(std::iter::empty::<(&str, &str)>()), None);
/// ```
pub trait Headers {
    /// Calls `visit` with each header's name and value, in order; a pair whose name or value
    /// is not text ([`HeaderText::header_text`] gives `None`) is skipped.
    fn each_header(self, visit: &mut dyn FnMut(&str, &str));
}

impl<I> Headers for I
where
    I: IntoIterator,
    I::Item: HeaderPair,
{
    fn each_header(self, visit: &mut dyn FnMut(&str, &str)) {
        for pair in self {
            if let (Some(name), Some(value)) = (pair.header_name(), pair.header_value()) {
                visit(name, value);
            }
        }
    }
}

/// One header as a name and a value: `(N, V)` and `&(N, V)` for [`HeaderText`] types `N`, `V`.
pub trait HeaderPair {
    /// The header's name, if it is text.
    fn header_name(&self) -> Option<&str>;
    /// The header's value, if it is text.
    fn header_value(&self) -> Option<&str>;
}

impl<N: HeaderText, V: HeaderText> HeaderPair for (N, V) {
    fn header_name(&self) -> Option<&str> {
        self.0.header_text()
    }
    fn header_value(&self) -> Option<&str> {
        self.1.header_text()
    }
}

impl<N: HeaderText, V: HeaderText> HeaderPair for &(N, V) {
    fn header_name(&self) -> Option<&str> {
        self.0.header_text()
    }
    fn header_value(&self) -> Option<&str> {
        self.1.header_text()
    }
}

/// A header name or value that may be read as text: `str`, `String`, `Cow<str>`, `Box<str>`,
/// `Rc<str>`, `Arc<str>`, references to them, and with the feature `http`, `http::HeaderName`
/// and `http::HeaderValue` (a value that is not visible ASCII is skipped).
pub trait HeaderText {
    /// The text, or `None` when this one has none.
    fn header_text(&self) -> Option<&str>;
}

impl HeaderText for str {
    fn header_text(&self) -> Option<&str> {
        Some(self)
    }
}

impl<T: HeaderText + ?Sized> HeaderText for &T {
    fn header_text(&self) -> Option<&str> {
        (**self).header_text()
    }
}

macro_rules! header_text_as_str {
    ($($ty:ty),*) => {$(
        impl HeaderText for $ty {
            fn header_text(&self) -> Option<&str> {
                Some(self)
            }
        }
    )*};
}
header_text_as_str!(String, Cow<'_, str>, Box<str>, Rc<str>, Arc<str>);

#[cfg(feature = "http")]
impl HeaderText for http::HeaderName {
    fn header_text(&self) -> Option<&str> {
        Some(self.as_str())
    }
}

#[cfg(feature = "http")]
impl HeaderText for http::HeaderValue {
    fn header_text(&self) -> Option<&str> {
        self.to_str().ok()
    }
}

/// Which of a provider's two per-minute limits a wait belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Limit {
    Requests,
    Tokens,
}

/// A pair of reset waits for the requests and the tokens limits, with whether each limit is
/// used up (its `remaining` header is `0`).
#[derive(Clone, Copy, Debug, Default)]
struct Resets {
    requests: Option<Duration>,
    tokens: Option<Duration>,
    requests_spent: bool,
    tokens_spent: bool,
}

impl Resets {
    /// The wait of the limit that applies, when both are known: the one `limit` names (read
    /// from the body, only when needed); else the one whose `remaining` is 0 when only one is;
    /// else the longer, after which both have room again.
    fn pick(&self, limit: &dyn Fn() -> Option<Limit>) -> Option<Duration> {
        let (requests, tokens) = match (self.requests, self.tokens) {
            (Some(r), Some(t)) => (r, t),
            (r, t) => return r.or(t),
        };
        match limit() {
            Some(Limit::Requests) => return Some(requests),
            Some(Limit::Tokens) => return Some(tokens),
            None => {}
        }
        Some(match (self.requests_spent, self.tokens_spent) {
            (true, false) => requests,
            (false, true) => tokens,
            _ => requests.max(tokens),
        })
    }
}

/// Every wait the headers name, each read once (the first usable value of a name wins).
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct HeaderWaits {
    retry_after_ms: Option<Duration>,
    retry_after: Option<Duration>,
    openai: Resets,
    anthropic: Resets,
}

impl HeaderWaits {
    /// One pass over `headers`, reading dates against `now`.
    pub(super) fn read<H: Headers>(headers: H, now: SystemTime) -> Self {
        let mut waits = HeaderWaits::default();
        headers.each_header(&mut |name, value| waits.take(name.trim_ascii(), value, now));
        waits
    }

    fn take(&mut self, name: &str, value: &str, now: SystemTime) {
        let value = value.trim_ascii();
        let is = |known: &str| name.eq_ignore_ascii_case(known);
        let fill = |slot: &mut Option<Duration>, parse: &dyn Fn() -> Option<Duration>| {
            if slot.is_none() {
                *slot = parse();
            }
        };
        if is("retry-after-ms") {
            fill(&mut self.retry_after_ms, &|| milliseconds(value));
        } else if is("retry-after") {
            fill(&mut self.retry_after, &|| parse_retry_after(value, now));
        } else if is("x-ratelimit-reset-requests") {
            fill(&mut self.openai.requests, &|| go_duration(value));
        } else if is("x-ratelimit-reset-tokens") {
            fill(&mut self.openai.tokens, &|| go_duration(value));
        } else if is("x-ratelimit-remaining-requests") {
            self.openai.requests_spent |= is_zero(value);
        } else if is("x-ratelimit-remaining-tokens") {
            self.openai.tokens_spent |= is_zero(value);
        } else if is("anthropic-ratelimit-requests-reset") {
            fill(&mut self.anthropic.requests, &|| instant(value, now));
        } else if is("anthropic-ratelimit-tokens-reset") {
            fill(&mut self.anthropic.tokens, &|| instant(value, now));
        } else if is("anthropic-ratelimit-requests-remaining") {
            self.anthropic.requests_spent |= is_zero(value);
        } else if is("anthropic-ratelimit-tokens-remaining") {
            self.anthropic.tokens_spent |= is_zero(value);
        }
    }

    /// Whether the server said in so many words when to come back (`retry-after-ms` or
    /// `Retry-After`). The reset headers do not count: OpenAI and Anthropic send them on every
    /// response, describing the rate-limit window, not this error.
    pub(super) fn told_when(&self) -> bool {
        self.retry_after_ms.is_some() || self.retry_after.is_some()
    }

    /// The wait, in the documented order: `retry-after-ms`, `Retry-After`, OpenAI's resets,
    /// Anthropic's resets (each pair resolved by `limit`, see [`Resets::pick`]).
    pub(super) fn wait(&self, limit: impl Fn() -> Option<Limit>) -> Option<Duration> {
        self.retry_after_ms
            .or(self.retry_after)
            .or_else(|| self.openai.pick(&limit))
            .or_else(|| self.anthropic.pick(&limit))
    }
}

/// `retry-after-ms`: milliseconds as ASCII digits with an optional fraction (`"1500"`,
/// `"1500.5"`). A sign, an exponent or anything else gives `None`; a value beyond `u64`
/// milliseconds saturates.
pub(super) fn milliseconds(value: &str) -> Option<Duration> {
    let (int, frac) = match value.split_once('.') {
        Some((int, frac)) => (int, Some(frac)),
        None => (value, None),
    };
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !all_digits(int) || frac.is_some_and(|f| !all_digits(f)) {
        return None;
    }
    let millis = int.bytes().fold(0u64, |acc, d| {
        acc.saturating_mul(10).saturating_add(u64::from(d - b'0'))
    });
    // Six digits of a millisecond are a nanosecond; the rest are dropped.
    let nanos = (0..6).fold(0u32, |acc, i| {
        let digit = frac
            .and_then(|f| f.as_bytes().get(i))
            .map_or(0, |&b| u32::from(b - b'0'));
        acc * 10 + digit
    });
    Some(Duration::from_millis(millis).saturating_add(Duration::from_nanos(u64::from(nanos))))
}

/// OpenAI's `x-ratelimit-reset-*`: a Go `time.Duration` as Go writes it (`"6m0s"`, `"1.5s"`,
/// `"250ms"`, `"1h2m3.5s"`), which is the library's own duration grammar (`duration.rs`).
/// Anything else, a negative or an overflowing value included, gives `None`.
pub(super) fn go_duration(value: &str) -> Option<Duration> {
    // The grammar allocates only to describe a mistake; keep absurd values off it.
    if value.len() > 64 {
        return None;
    }
    crate::duration::parse_duration(value).ok()
}

/// Anthropic's `anthropic-ratelimit-*-reset`: an RFC 3339 instant, as the wait from `now`
/// (zero when it is past).
fn instant(value: &str, now: SystemTime) -> Option<Duration> {
    Some(delay_between(unix_nanos(now), rfc3339::unix_nanos(value)?))
}

/// A `remaining` count of zero (`"0"`, `"00"`).
fn is_zero(value: &str) -> bool {
    !value.is_empty() && value.bytes().all(|b| b == b'0')
}
