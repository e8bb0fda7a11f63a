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

mod calendar;
mod http_date;
mod message;
mod retry_after;
mod transient;

pub use message::message_contains;
pub use retry_after::parse_retry_after;
pub use transient::{is_transient_io, is_transient_status};
