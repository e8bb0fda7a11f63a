//! The table of `classify::llm`: from a status and what the body says to an action and a
//! reason, with the providers' words for each case.
//!
//! Codes are compared whole, ignoring ASCII case; phrases (lowercase ASCII, checked when the
//! crate builds) are searched in the body's messages, ignoring ASCII case. Each list names the
//! providers that use its words.

use super::body::Body;
use super::headers::Limit;
use super::phrases::Phrase;
use super::verdict::{Action, Reason};

/// Quota, billing or spend limits: waiting does not help on this account.
const QUOTA_CODES: &[&str] = &[
    "insufficient_quota",           // OpenAI, Azure OpenAI
    "billing_hard_limit_reached",   // OpenAI
    "billing_error",                // Anthropic (402)
    "enforced_spend_limit_reached", // Anthropic (429, `error.details.error_code`)
];
const QUOTA_WORDS: &[Phrase] = &[
    Phrase::new("exceeded your current quota"), // OpenAI, Gemini (also per-minute ones, which name a wait)
    Phrase::new("billing hard limit"),          // OpenAI
    Phrase::new("insufficient balance"),        // DeepSeek (402)
    Phrase::new("credit balance is too low"),   // Anthropic (400)
    Phrase::new("usage limit"), // Anthropic (400: "reached your specified API usage limits")
    Phrase::new("spend limit"), // Anthropic
    Phrase::new("request too large"), // OpenAI 429: one request above the per-minute token limit
];

/// The prompt does not fit the model's context window.
const CONTEXT_CODES: &[&str] = &["context_length_exceeded"]; // OpenAI, Azure OpenAI
const CONTEXT_WORDS: &[Phrase] = &[
    Phrase::new("maximum context length"), // OpenAI, Azure OpenAI, DeepSeek, Mistral, vLLM
    Phrase::new("context_length_exceeded"),
    Phrase::new("prompt is too long"),   // Anthropic
    Phrase::new("exceed context limit"), // Anthropic ("input length and max_tokens exceed context limit")
    Phrase::new("context window"),       // OpenAI-compatible servers
    Phrase::new("exceeds the maximum number of tokens"), // Gemini
];

/// Refused by a content or safety policy.
const FILTER_CODES: &[&str] = &[
    "content_filter",               // Azure OpenAI
    "responsibleaipolicyviolation", // Azure OpenAI (`innererror.code`)
    "content_policy_violation",     // OpenAI
    "safety",                       // Gemini's block reason, when an error names it (`reason`)
    "prohibited_content",           // Gemini
];
const FILTER_WORDS: &[Phrase] = &[
    Phrase::new("content management policy"), // Azure OpenAI
    Phrase::new("content filtering policy"), // Anthropic ("Output blocked by content filtering policy")
    Phrase::new("safety system"),            // OpenAI
    Phrase::new("content policy"),           // OpenAI
    Phrase::new("content exists risk"),      // DeepSeek
];

/// The key is wrong, expired or not allowed to do this.
const AUTH_CODES: &[&str] = &[
    "invalid_api_key",        // OpenAI
    "authentication_error",   // Anthropic, DeepSeek
    "permission_error",       // Anthropic
    "api_key_invalid",        // Gemini (400, `details[].reason`)
    "unauthenticated",        // Gemini
    "permission_denied",      // Gemini
    "invalid_authentication", // OpenAI-compatible servers
];
const AUTH_WORDS: &[Phrase] = &[
    Phrase::new("invalid api key"),   // many
    Phrase::new("incorrect api key"), // OpenAI
    Phrase::new("api key not valid"), // Gemini
    Phrase::new("api key expired"),   // Gemini
    Phrase::new("invalid x-api-key"), // Anthropic
];

/// The model (or deployment) does not exist here, or no longer does.
const MODEL_CODES: &[&str] = &[
    "model_not_found",      // OpenAI
    "deploymentnotfound",   // Azure OpenAI
    "not_found_error",      // Anthropic
    "not_found",            // Gemini
    "invalid_model",        // Mistral (400)
    "model_decommissioned", // Groq and other OpenAI-compatible servers (400)
    "notfounderror",        // vLLM
];
const MODEL_WORDS: &[Phrase] = &[
    Phrase::new("model_not_found"),
    Phrase::new("model not found"),
    Phrase::new("invalid model"),           // Mistral
    Phrase::new("has been decommissioned"), // OpenAI-compatible servers
    Phrase::new("has been deprecated"),     // OpenAI
];

/// The provider is overloaded.
const OVERLOADED_CODES: &[&str] = &["overloaded_error", "unavailable"]; // Anthropic, Gemini
const OVERLOADED_WORDS: &[Phrase] = &[Phrase::new("overloaded")];

/// Rate limited, named in a body (for statuses that do not say it).
const RATE_CODES: &[&str] = &[
    "rate_limit_exceeded", // OpenAI, Azure OpenAI
    "rate_limit_error",    // Anthropic
    "rate_limited",        // Mistral
    "resource_exhausted",  // Gemini
];

/// A server-side failure, named in a body (for statuses that do not say it).
const SERVER_CODES: &[&str] = &[
    "server_error",        // OpenAI
    "api_error",           // Anthropic
    "internal",            // Gemini
    "deadline_exceeded",   // Gemini
    "internalservererror", // Azure OpenAI
];

/// The words naming a tokens limit or a requests limit (OpenAI's "on tokens per min (TPM)",
/// Anthropic's "input tokens per minute").
const TOKEN_WORDS: &[Phrase] = &[
    Phrase::new("tokens per min"),
    Phrase::new("tokens per day"),
    Phrase::new("(tpm)"),
    Phrase::new("input tokens per"),
    Phrase::new("output tokens per"),
    Phrase::new("token rate limit"),
];
const REQUEST_WORDS: &[Phrase] = &[
    Phrase::new("requests per min"),
    Phrase::new("requests per day"),
    Phrase::new("(rpm)"),
    Phrase::new("request rate limit"),
];

/// Which per-minute limit a rate-limit body names: OpenAI's error `type` (`"tokens"`,
/// `"requests"`), else the words of its message. `None` when it names neither or both.
pub(super) fn limit_named(body: &Body<'_>) -> Option<Limit> {
    match (body.has_code(&["tokens"]), body.has_code(&["requests"])) {
        (true, false) => return Some(Limit::Tokens),
        (false, true) => return Some(Limit::Requests),
        _ => {}
    }
    match (body.says(TOKEN_WORDS), body.says(REQUEST_WORDS)) {
        (true, false) => Some(Limit::Tokens),
        (false, true) => Some(Limit::Requests),
        _ => None,
    }
}

/// What the body names, checked in the order given.
fn names(body: &Body<'_>, codes: &[&str], words: &[Phrase]) -> bool {
    body.has_code(codes) || body.says(words)
}

/// The table. `told_when` is whether the server named a wait for this error (`retry-after-ms`,
/// `Retry-After` or a `retryDelay`): a 429 that does is a rate limit, whatever else it says.
pub(super) fn decide(status: u16, body: &Body<'_>, told_when: bool) -> (Action, Reason) {
    use Action::{Fail, Fallback, Retry};
    match status {
        429 => {
            if names(body, QUOTA_CODES, QUOTA_WORDS) && !told_when {
                (Fallback, Reason::QuotaExhausted)
            } else if body.has_code(OVERLOADED_CODES) {
                (Retry, Reason::Overloaded)
            } else {
                (Retry, Reason::RateLimited)
            }
        }
        402 => (Fallback, Reason::QuotaExhausted),
        503 | 529 => (Retry, Reason::Overloaded),
        500..=599 if names(body, OVERLOADED_CODES, OVERLOADED_WORDS) => (Retry, Reason::Overloaded),
        408 | 500..=599 => (Retry, Reason::ServerError),
        401 | 403 => (Fallback, Reason::Auth),
        404 => (Fallback, Reason::ModelUnavailable),
        400..=499 => client_error(body, true).unwrap_or((Fail, Reason::BadRequest)),
        _ => not_an_error_status(body),
    }
}

/// A 4xx other than the ones with a meaning of their own: what the body names, by its codes
/// and, when `read_words`, by the words of its messages.
fn client_error(body: &Body<'_>, read_words: bool) -> Option<(Action, Reason)> {
    use Action::{Fail, Fallback};
    let names =
        |codes: &[&str], words: &[Phrase]| body.has_code(codes) || (read_words && body.says(words));
    if names(FILTER_CODES, FILTER_WORDS) {
        Some((Fail, Reason::ContentFiltered))
    } else if names(CONTEXT_CODES, CONTEXT_WORDS) {
        Some((Fallback, Reason::ContextTooLong))
    } else if names(QUOTA_CODES, QUOTA_WORDS) {
        Some((Fallback, Reason::QuotaExhausted))
    } else if names(AUTH_CODES, AUTH_WORDS) {
        Some((Fallback, Reason::Auth))
    } else if names(MODEL_CODES, MODEL_WORDS) {
        Some((Fallback, Reason::ModelUnavailable))
    } else {
        None
    }
}

/// A status outside 400..=599 (a 200 carrying an error event in a stream, a 3xx, a status
/// made up by a proxy): the body's codes alone decide (not its words: a successful answer's
/// text may say anything), and a body naming no known code is `Fail` / `BadRequest`, so
/// nothing is retried blindly.
fn not_an_error_status(body: &Body<'_>) -> (Action, Reason) {
    use Action::{Fail, Retry};
    if let Some(verdict) = client_error(body, false) {
        verdict
    } else if body.has_code(RATE_CODES) {
        (Retry, Reason::RateLimited)
    } else if body.has_code(OVERLOADED_CODES) {
        (Retry, Reason::Overloaded)
    } else if body.has_code(SERVER_CODES) {
        (Retry, Reason::ServerError)
    } else {
        (Fail, Reason::BadRequest)
    }
}
