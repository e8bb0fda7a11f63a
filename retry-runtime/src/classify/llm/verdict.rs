//! The answer of `classify::llm`: [`Verdict`], with the [`Action`] for the layers of a call
//! and the [`Reason`] in one word.

use std::fmt;
use std::time::Duration;

/// What to do with a failed call, and why: the answer of [`classify`](super::classify).
///
/// ```
/// use std::time::Duration;
/// use retry_runtime::classify::llm::{classify, Action, Reason, Verdict};
///
/// let verdict = classify(
///     429,
///     &[("retry-after", "6")],
///     r#"{"error":{"message":"Rate limit reached for gpt-4o on requests per min (RPM)","type":"requests","param":null,"code":"rate_limit_exceeded"}}"#,
/// );
/// assert_eq!(
///     verdict,
///     Verdict { action: Action::Retry, wait: Some(Duration::from_secs(6)), reason: Reason::RateLimited },
/// );
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Verdict {
    /// What the layers of the call should do.
    pub action: Action,
    /// How long the provider asked to wait before the next attempt (see the [module
    /// docs](super#waits) for where it is read). `Some` only when `action` is
    /// [`Action::Retry`]; `None` there too when the provider named no wait (the backoff
    /// decides).
    pub wait: Option<Duration>,
    /// What the provider said, in one word.
    pub reason: Reason,
}

/// What to do with a failed call.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// Try the same provider again (after [`Verdict::wait`], if given): the failure passes.
    Retry,
    /// Do not try this provider again for this request; another provider, model or key may
    /// well succeed.
    Fallback,
    /// Give up: the request itself is refused, and would be anywhere.
    Fail,
}

/// Why a call failed, as far as routing it goes.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reason {
    /// Too many requests or tokens per minute; passes with time.
    RateLimited,
    /// The account's quota, balance or spend limit is used up (or one request alone exceeds a
    /// limit of the account); waiting does not help.
    QuotaExhausted,
    /// The provider is overloaded (529, 503); passes with time.
    Overloaded,
    /// The provider failed (500, 502, 504, a timeout); usually passes.
    ServerError,
    /// The prompt does not fit the model's context window; a larger model may take it.
    ContextTooLong,
    /// Refused by a content or safety policy.
    ContentFiltered,
    /// The key is missing, wrong, expired, or not allowed to do this (401, 403).
    Auth,
    /// The model or deployment does not exist here, or was retired (404).
    ModelUnavailable,
    /// Anything else the client got wrong (400, 422...).
    BadRequest,
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Action::Retry => "retry",
            Action::Fallback => "fall back",
            Action::Fail => "fail",
        })
    }
}

/// Lowercase words, for logs: `rate limited`, `quota exhausted`, `overloaded`, `server
/// error`, `context too long`, `content filtered`, `not authorized`, `model unavailable`,
/// `bad request`.
///
/// ```
/// use retry_runtime::classify::llm::Reason;
/// assert_eq!(Reason::QuotaExhausted.to_string(), "quota exhausted");
/// ```
impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Reason::RateLimited => "rate limited",
            Reason::QuotaExhausted => "quota exhausted",
            Reason::Overloaded => "overloaded",
            Reason::ServerError => "server error",
            Reason::ContextTooLong => "context too long",
            Reason::ContentFiltered => "content filtered",
            Reason::Auth => "not authorized",
            Reason::ModelUnavailable => "model unavailable",
            Reason::BadRequest => "bad request",
        })
    }
}
