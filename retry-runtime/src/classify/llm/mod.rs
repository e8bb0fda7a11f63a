//! What an LLM provider's error response means, and what to do about it.
//!
//! [`classify`] reads the status, headers and body of an error response from OpenAI, Azure
//! OpenAI, Anthropic, Google Gemini, Mistral, DeepSeek or any OpenAI-compatible server (vLLM,
//! Ollama, LiteLLM, Groq...) and returns a [`Verdict`]: an [`Action`] for the layers of a call
//! (retry it, hand it to a fallback, or fail), the [`Reason`], and how long the provider asked
//! to wait. A 429 is not one thing: "rate limited, try again in 6 s" is retried after exactly
//! that wait, while "you exceeded your current quota" never succeeds on that account and goes
//! straight to another provider.
//!
//! | what the provider said | [`Action`] | [`Reason`] |
//! |---|---|---|
//! | 429 rate limited (requests or tokens per minute); any 429 that names a wait (Gemini's per-minute `RESOURCE_EXHAUSTED` with a `retryDelay`) | `Retry`, with the wait | `RateLimited` |
//! | 429 with quota or billing exhausted (`insufficient_quota`, "exceeded your current quota", a spend limit) and no wait named; 402 (DeepSeek's "Insufficient Balance", Anthropic's `billing_error`); a 4xx saying so (Anthropic's "credit balance is too low") | `Fallback` | `QuotaExhausted` |
//! | 529, 503, `overloaded_error`, Gemini's `UNAVAILABLE`, a 5xx saying "overloaded" | `Retry` | `Overloaded` |
//! | 500, 502, 504, 408 and every other 5xx (`api_error`, `server_error`, `INTERNAL`, `DEADLINE_EXCEEDED`, HTML gateway pages) | `Retry` | `ServerError` |
//! | context length exceeded (`context_length_exceeded`, "maximum context length", "prompt is too long", Gemini's "exceeds the maximum number of tokens") | `Fallback` | `ContextTooLong` |
//! | refused by a content or safety policy (`content_filter`, `ResponsibleAIPolicyViolation`, `content_policy_violation`, `SAFETY`) | `Fail` | `ContentFiltered` |
//! | 401, 403, and a 4xx naming a bad key (Gemini's 400 `API_KEY_INVALID`) | `Fallback` | `Auth` |
//! | 404, and a 4xx naming an unknown or retired model (Mistral's `invalid_model`, `model_decommissioned`) | `Fallback` | `ModelUnavailable` |
//! | 400 and every other client error | `Fail` | `BadRequest` |
//!
//! The status decides first (401, 402, 403, 404, 408, 429 and every 5xx mean what the table
//! says whatever the body adds); the other 4xx are read by their body, in the order of the
//! table's last five rows. Bodies are read in the providers' real shapes (OpenAI's
//! `{"error":{"message","type","code","param"}}`, Anthropic's
//! `{"type":"error","error":{"type","message"}}`, Gemini's `{"error":{"code","message",
//! "status","details":[..]}}`, Azure's content filter with its `innererror`, Ollama's
//! `{"error":"..."}`): the codes in `type`, `code`, `status`, `reason` and `error_code` fields
//! are compared whole, and the texts of `message`, `error` and `detail` fields are searched
//! for the providers' phrases, ignoring case. A body that is not JSON (a proxy's HTML 502
//! page, plain text, nothing) is searched whole.
//!
//! A status outside 400..=599 (an error event inside a `200` stream, a `3xx` nobody
//! followed) is read by the body's codes alone: an Anthropic `overloaded_error` event is
//! `Retry` / `Overloaded` whatever the status, and a body naming no known code (a successful
//! answer) is `Fail` / `BadRequest`, so nothing is ever retried blindly. A `200` answer's
//! `finish_reason` is not an error and is not looked at.
//!
//! # Waits
//!
//! The wait is read from, in this order, the first usable one winning:
//!
//! 1. `retry-after-ms`: milliseconds (Azure OpenAI, OpenAI), `"1500"` or `"1500.5"`;
//! 2. `Retry-After`: seconds or an HTTP date ([`parse_retry_after`](super::parse_retry_after));
//! 3. `x-ratelimit-reset-requests` / `x-ratelimit-reset-tokens`: OpenAI's Go-style durations
//!    (`"6m0s"`, `"1.5s"`, `"250ms"`, `"1h2m3.5s"`);
//! 4. `anthropic-ratelimit-requests-reset` / `anthropic-ratelimit-tokens-reset`: RFC 3339
//!    instants (`"2024-05-01T12:00:30Z"`), as the time from now;
//! 5. a `retryDelay` in a Gemini body (`"35s"`, in the `google.rpc.RetryInfo` entry of
//!    `error.details`).
//!
//! When both resets of a pair are present, the one that applies to the error is taken: the
//! limit the body names (OpenAI's error `type` `"tokens"` or `"requests"`, or the words
//! "tokens per min" / "requests per min" and their kin in the message); else the limit whose
//! `remaining` header (`x-ratelimit-remaining-*`, `anthropic-ratelimit-*-remaining`) is `0`,
//! if only one is; else the longer of the two, after which both have room again.
//!
//! A value that does not parse is skipped (the next source is asked): a negative or signed
//! number (`retry-after-ms: -5`), an exponent (`Retry-After: 1e400`), a date that does not
//! exist. A number too large for a [`Duration`] of `u64` seconds or milliseconds saturates
//! rather than overflowing. A date in the past is `Some(Duration::ZERO)`: retry now.
//! [`Verdict::wait`] is `Some` only with [`Action::Retry`]; [`wait`] gives the headers' wait
//! alone, for any response.
//!
//! Only `retry-after-ms`, `Retry-After` and `retryDelay` count as the server naming a wait
//! for the quota rule above: OpenAI and Anthropic send their reset headers on every response,
//! and they describe the rate-limit window, not this error.
//!
//! Nothing here panics, whatever the input; time is linear in the input and memory is a
//! fixed few hundred bytes (the body's fields are borrowed, not copied).
//!
//! # The pattern
//!
//! Keep the response in the error, give it a `verdict()` method, and each layer takes one
//! line: the retry retries `Retry` after the provider's wait, the breaker counts only the
//! provider's own failures (not a bad request, a content filter or an exhausted quota, which
//! say nothing about its health), and the fallback switches on `Fallback`.
//!
//! ```
//! use std::cell::Cell;
//! use retry_runtime::classify::llm::{self, Action, Reason, Verdict};
//! use retry_runtime::{circuit_breaker, fallback, retry_on_failure, CircuitOpen};
//!
//! #[derive(Debug)]
//! enum ProviderError {
//!     /// The provider answered with an error.
//!     Http { status: u16, headers: Vec<(String, String)>, body: String },
//!     /// The breaker rejected the call.
//!     Open(CircuitOpen),
//! }
//!
//! impl From<CircuitOpen> for ProviderError {
//!     fn from(open: CircuitOpen) -> Self {
//!         ProviderError::Open(open)
//!     }
//! }
//!
//! impl ProviderError {
//!     fn verdict(&self) -> Verdict {
//!         match self {
//!             ProviderError::Http { status, headers, body } => llm::classify(*status, headers, body),
//!             // This provider is down for now: the next one should take the call.
//!             ProviderError::Open(_) => Verdict {
//!                 action: Action::Fallback,
//!                 wait: None,
//!                 reason: Reason::Overloaded,
//!             },
//!         }
//!     }
//! }
//!
//! fn http(status: u16, headers: &[(&str, &str)], body: &str) -> ProviderError {
//!     let headers = headers.iter().map(|(n, v)| (n.to_string(), v.to_string())).collect();
//!     ProviderError::Http { status, headers, body: body.into() }
//! }
//!
//! struct Chat {
//!     calls: Cell<u32>,
//! }
//!
//! impl Chat {
//!     #[fallback(to = Self::backup, when = |e| e.verdict().action == Action::Fallback)]
//!     #[retry_on_failure(
//!         max_attempts = 4,
//!         initial_delay = "1ms",
//!         when = |e| e.verdict().action == Action::Retry,
//!         retry_after = |e| e.verdict().wait,
//!     )]
//!     #[circuit_breaker(
//!         llm_docs_primary,
//!         when = |e| matches!(
//!             e.verdict().reason,
//!             Reason::Overloaded | Reason::ServerError | Reason::RateLimited
//!         ),
//!     )]
//!     fn complete(&self, prompt: &str) -> Result<String, ProviderError> {
//!         self.calls.set(self.calls.get() + 1);
//!         match self.calls.get() {
//!             // Anthropic is overloaded: retried after the 5 ms it asks for.
//!             1 => Err(http(
//!                 529,
//!                 &[("retry-after-ms", "5")],
//!                 r#"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#,
//!             )),
//!             // Out of quota: no wait helps, the backup takes the call.
//!             _ => Err(http(
//!                 429,
//!                 &[("x-ratelimit-reset-requests", "1s")],
//!                 r#"{"error":{"message":"You exceeded your current quota, please check your plan and billing details.","type":"insufficient_quota","param":null,"code":"insufficient_quota"}}"#,
//!             )),
//!         }
//!     }
//!
//!     fn backup(&self, prompt: &str) -> Result<String, ProviderError> {
//!         Ok(format!("backup: {prompt}"))
//!     }
//! }
//!
//! let chat = Chat { calls: Cell::new(0) };
//! assert_eq!(chat.complete("hi").unwrap(), "backup: hi");
//! assert_eq!(chat.calls.get(), 2); // the 529 was retried once, the quota error was not
//! // The breaker counted the 529 and not the quota error.
//! let breaker = retry_runtime::breaker("llm_docs_primary").unwrap();
//! assert_eq!(breaker.snapshot().consecutive_failures, 1);
//! ```
//!
//! A fallback with `when = |e| e.verdict().action != Action::Fail` also takes the calls
//! whose retries ran out (an outage that outlasted them) and those an open breaker rejected.
//! `classify` is cheap (one pass over the body, no allocation), so calling it from each
//! closure is fine; an error type may also classify once when it is built and keep the
//! [`Verdict`].

mod body;
mod decide;
mod headers;
mod phrases;
#[cfg(test)]
mod tests;
mod verdict;

use std::time::{Duration, SystemTime};

pub use headers::{HeaderPair, HeaderText, Headers};
pub use verdict::{Action, Reason, Verdict};

use body::Body;
use headers::HeaderWaits;

/// Reads an LLM provider's error response: what to do, why, and how long to wait. See the
/// [module docs](self) for the table, the shapes read and the order of the waits.
///
/// `headers` is anything iterable as `(name, value)` string pairs ([`Headers`]): a slice of
/// `(&str, &str)`, a `Vec<(String, String)>`, a `&HashMap<String, String>`, and with the
/// feature `http`, a `&http::HeaderMap`. Dates in headers are read against
/// [`SystemTime::now`].
///
/// ```
/// use std::time::Duration;
/// use retry_runtime::classify::llm::{classify, Action, Reason};
///
/// // Anthropic, overloaded.
/// let v = classify(529, [("retry-after", "2")], r#"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#);
/// assert_eq!((v.action, v.reason, v.wait), (Action::Retry, Reason::Overloaded, Some(Duration::from_secs(2))));
///
/// // Gemini, per-minute quota: the wait is in the body.
/// let body = r#"{"error":{"code":429,"message":"You exceeded your current quota, please check your plan and billing details.","status":"RESOURCE_EXHAUSTED","details":[{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"35s"}]}}"#;
/// let v = classify(429, std::iter::empty::<(&str, &str)>(), body);
/// assert_eq!((v.action, v.reason, v.wait), (Action::Retry, Reason::RateLimited, Some(Duration::from_secs(35))));
///
/// // OpenAI, out of quota: another provider should take it.
/// let body = r#"{"error":{"message":"You exceeded your current quota, please check your plan and billing details.","type":"insufficient_quota","param":null,"code":"insufficient_quota"}}"#;
/// let v = classify(429, [("x-ratelimit-reset-requests", "1s")], body);
/// assert_eq!((v.action, v.reason, v.wait), (Action::Fallback, Reason::QuotaExhausted, None));
///
/// // A proxy's HTML page.
/// let v = classify(502, [("content-type", "text/html")], "<html><body><h1>502 Bad Gateway</h1></body></html>");
/// assert_eq!((v.action, v.reason), (Action::Retry, Reason::ServerError));
/// ```
#[must_use]
pub fn classify<H: Headers>(status: u16, headers: H, body: &str) -> Verdict {
    classify_at(status, headers, body, SystemTime::now())
}

/// The wait the headers name alone, in the order of the [module docs](self#waits) (without
/// a body to name the limit, a pair of resets gives the one whose `remaining` is `0`, else
/// the longer). Dates are read against [`SystemTime::now`]; a date in the past gives
/// `Some(Duration::ZERO)`.
///
/// ```
/// use std::time::Duration;
/// use retry_runtime::classify::llm::wait;
///
/// assert_eq!(wait([("retry-after-ms", "1500")]), Some(Duration::from_millis(1500)));
/// assert_eq!(
///     wait([("x-ratelimit-reset-requests", "1s"), ("x-ratelimit-reset-tokens", "6m0s")]),
///     Some(Duration::from_secs(360)),
/// );
/// assert_eq!(
///     wait([("anthropic-ratelimit-tokens-reset", "2000-01-01T00:00:00Z")]),
///     Some(Duration::ZERO),
/// );
/// assert_eq!(wait([("retry-after-ms", "-5")]), None);
/// ```
#[must_use]
pub fn wait<H: Headers>(headers: H) -> Option<Duration> {
    wait_at(headers, SystemTime::now())
}

/// [`classify`] with dates read against `now`.
pub(crate) fn classify_at<H: Headers>(
    status: u16,
    headers: H,
    body: &str,
    now: SystemTime,
) -> Verdict {
    let waits = HeaderWaits::read(headers, now);
    let body = Body::scan(body);
    let retry_delay = body.retry_delay();
    let (action, reason) =
        decide::decide(status, &body, waits.told_when() || retry_delay.is_some());
    let wait = match action {
        Action::Retry => waits.wait(|| decide::limit_named(&body)).or(retry_delay),
        Action::Fallback | Action::Fail => None,
    };
    Verdict {
        action,
        wait,
        reason,
    }
}

/// [`wait`] with dates read against `now`.
pub(crate) fn wait_at<H: Headers>(headers: H, now: SystemTime) -> Option<Duration> {
    HeaderWaits::read(headers, now).wait(|| None)
}
