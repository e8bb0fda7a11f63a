//! The failures that usually pass: transient HTTP status codes and I/O error kinds.

use std::io;

/// True for the HTTP status codes that usually mean "try again later": `408 Request Timeout`,
/// `429 Too Many Requests`, `500 Internal Server Error`, `502 Bad Gateway`,
/// `503 Service Unavailable`, `504 Gateway Timeout` and `529`, which Anthropic answers when
/// overloaded. False for every other code, including the other 5xx codes (`501 Not
/// Implemented` or `505 HTTP Version Not Supported` will not get better by asking again).
///
/// For an LLM provider's errors, [`llm::classify`](super::llm::classify) reads the body and
/// headers too, and tells a passing rate limit from an exhausted quota.
///
/// ```
/// use retry_runtime::classify::is_transient_status;
///
/// assert!(is_transient_status(429));
/// assert!(is_transient_status(503));
/// assert!(is_transient_status(529));
/// assert!(!is_transient_status(404));
/// assert!(!is_transient_status(501));
/// ```
#[inline]
#[must_use]
pub const fn is_transient_status(status: u16) -> bool {
    matches!(status, 408 | 429 | 500 | 502 | 503 | 504 | 529)
}

/// True for the I/O error kinds that usually pass: [`TimedOut`], [`ConnectionReset`],
/// [`ConnectionAborted`], [`ConnectionRefused`], [`BrokenPipe`], [`Interrupted`],
/// [`UnexpectedEof`] and [`WouldBlock`]. False for every other kind (`NotFound`,
/// `PermissionDenied`, `InvalidData`, `Other`, ...).
///
/// Only [`io::Error::kind`] is looked at, never the message or the wrapped error.
///
/// [`TimedOut`]: io::ErrorKind::TimedOut
/// [`ConnectionReset`]: io::ErrorKind::ConnectionReset
/// [`ConnectionAborted`]: io::ErrorKind::ConnectionAborted
/// [`ConnectionRefused`]: io::ErrorKind::ConnectionRefused
/// [`BrokenPipe`]: io::ErrorKind::BrokenPipe
/// [`Interrupted`]: io::ErrorKind::Interrupted
/// [`UnexpectedEof`]: io::ErrorKind::UnexpectedEof
/// [`WouldBlock`]: io::ErrorKind::WouldBlock
///
/// ```
/// use std::io::{Error, ErrorKind};
/// use retry_runtime::classify::is_transient_io;
///
/// assert!(is_transient_io(&Error::from(ErrorKind::ConnectionReset)));
/// assert!(is_transient_io(&Error::new(ErrorKind::TimedOut, "read timed out")));
/// assert!(!is_transient_io(&Error::from(ErrorKind::NotFound)));
/// ```
#[inline]
#[must_use]
pub fn is_transient_io(error: &io::Error) -> bool {
    use io::ErrorKind::{
        BrokenPipe, ConnectionAborted, ConnectionRefused, ConnectionReset, Interrupted, TimedOut,
        UnexpectedEof, WouldBlock,
    };
    matches!(
        error.kind(),
        TimedOut
            | ConnectionReset
            | ConnectionAborted
            | ConnectionRefused
            | BrokenPipe
            | Interrupted
            | UnexpectedEof
            | WouldBlock
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transient_statuses_are_exactly_the_seven() {
        let yes: Vec<u16> = (0..=u16::MAX).filter(|&s| is_transient_status(s)).collect();
        assert_eq!(yes, [408, 429, 500, 502, 503, 504, 529]);
    }

    #[test]
    fn transient_io_kinds() {
        use io::ErrorKind::*;
        for kind in [
            TimedOut,
            ConnectionReset,
            ConnectionAborted,
            ConnectionRefused,
            BrokenPipe,
            Interrupted,
            UnexpectedEof,
            WouldBlock,
        ] {
            assert!(is_transient_io(&io::Error::from(kind)), "{kind:?}");
            assert!(
                is_transient_io(&io::Error::new(kind, "with a message")),
                "{kind:?}"
            );
        }
        for kind in [
            NotFound,
            PermissionDenied,
            AddrInUse,
            AddrNotAvailable,
            NotConnected,
            AlreadyExists,
            InvalidInput,
            InvalidData,
            WriteZero,
            Unsupported,
            OutOfMemory,
            Other,
        ] {
            assert!(!is_transient_io(&io::Error::from(kind)), "{kind:?}");
        }
        // The message does not matter, only the kind.
        assert!(!is_transient_io(&io::Error::other(
            "connection reset by peer"
        )));
    }
}
