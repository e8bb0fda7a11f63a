//! Deciding which failures are worth retrying.
//!
//! Small, allocation-free helpers for the `when`, `unless` and `retry_after` options:
//!
//! - [`is_transient_status`]: the HTTP status codes that usually mean "try again later".
//! - [`is_transient_io`]: the [`std::io::ErrorKind`]s that usually mean the same.
//! - [`parse_retry_after`]: a server's `Retry-After` header as a [`Duration`](std::time::Duration), in both of the
//!   forms RFC 9110 allows (seconds and HTTP-date).
//! - [`message_contains`]: a predicate over any `E: Display`, for code that only has error
//!   messages to go on.
//! - [`llm`]: what an LLM provider's error response (status, headers, body) means: retry it
//!   after the wait the provider named, hand it to another provider, or fail.
//!
//! ```
//! use std::time::{Duration, SystemTime};
//! use retry_runtime::classify::{is_transient_status, parse_retry_after};
//! use retry_runtime::{Jitter, Retry, RetryPolicy};
//!
//! #[derive(Debug)]
//! struct HttpError {
//!     status: u16,
//!     retry_after: Option<String>,
//! }
//!
//! const POLICY: RetryPolicy = RetryPolicy::fixed()
//!     .initial_delay(Duration::ZERO)
//!     .jitter(Jitter::None);
//!
//! let mut calls = 0;
//! let result: Result<&str, HttpError> = Retry::new(&POLICY)
//!     .when(|e: &HttpError| is_transient_status(e.status))
//!     .retry_after(|e: &HttpError| {
//!         parse_retry_after(e.retry_after.as_deref()?, SystemTime::now())
//!     })
//!     .run(|| {
//!         calls += 1;
//!         match calls {
//!             1 => Err(HttpError { status: 503, retry_after: Some("0".into()) }),
//!             _ => Ok("done"),
//!         }
//!     });
//! assert_eq!(result.unwrap(), "done");
//! assert_eq!(calls, 2);
//! ```
//!
//! # LLM providers
//!
//! An error type that keeps the provider's response classifies it with [`llm::classify`],
//! and each layer of the call reads the [`llm::Verdict`] in one line: the retry takes the
//! `Retry` verdicts and the provider's wait, the breaker counts only the provider's own
//! failures, the fallback takes `Fallback`. The same with async functions (the [`llm`]
//! docs walk through it step by step):
//!
//! ```
//! use retry_runtime::classify::llm::{classify, Action, Reason, Verdict};
//! use retry_runtime::{circuit_breaker, fallback, retry_on_failure, CircuitOpen};
//!
//! #[derive(Debug)]
//! enum ApiError {
//!     Http { status: u16, headers: Vec<(String, String)>, body: String },
//!     Open(CircuitOpen),
//! }
//!
//! impl From<CircuitOpen> for ApiError {
//!     fn from(open: CircuitOpen) -> Self {
//!         ApiError::Open(open)
//!     }
//! }
//!
//! impl ApiError {
//!     fn verdict(&self) -> Verdict {
//!         match self {
//!             ApiError::Http { status, headers, body } => classify(*status, headers, body),
//!             ApiError::Open(_) => Verdict { action: Action::Fallback, wait: None, reason: Reason::Overloaded },
//!         }
//!     }
//! }
//!
//! #[fallback(to = local_model, when = |e| e.verdict().action == Action::Fallback)]
//! #[retry_on_failure(
//!     max_attempts = 3,
//!     initial_delay = "1ms",
//!     when = |e| e.verdict().action == Action::Retry,
//!     retry_after = |e| e.verdict().wait,
//! )]
//! #[circuit_breaker(
//!     classify_docs_gemini,
//!     when = |e| matches!(e.verdict().reason, Reason::Overloaded | Reason::ServerError | Reason::RateLimited),
//! )]
//! async fn gemini(prompt: &str) -> Result<String, ApiError> {
//!     // The prompt is too long for this model: no retry, the local model gets it at once.
//!     Err(ApiError::Http {
//!         status: 400,
//!         headers: vec![("content-type".into(), "application/json".into())],
//!         body: r#"{"error":{"code":400,"message":"The input token count (1196265) exceeds the maximum number of tokens allowed (1048575).","status":"INVALID_ARGUMENT"}}"#.into(),
//!     })
//! }
//!
//! async fn local_model(prompt: &str) -> Result<String, ApiError> {
//!     Ok(format!("local: {} chars", prompt.len()))
//! }
//!
//! let runtime = tokio::runtime::Builder::new_current_thread().enable_time().build().unwrap();
//! assert_eq!(runtime.block_on(gemini("hello")).unwrap(), "local: 5 chars");
//! let retries: u64 = retry_runtime::stats().iter().filter(|s| s.function.ends_with("gemini")).map(|s| s.retries).sum();
//! assert_eq!(retries, 0);
//! ```

mod calendar;
mod http_date;
pub mod llm;
mod message;
mod retry_after;
mod rfc3339;
mod transient;

pub use message::message_contains;
pub use retry_after::parse_retry_after;
pub use transient::{is_transient_io, is_transient_status};
