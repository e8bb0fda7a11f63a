use std::cell::Cell;
use std::io;
use std::time::Duration;

use retry_runtime::classify::{is_transient_io, message_contains};
use retry_runtime::{retry_on_failure, RetryEvent};

#[derive(Debug)]
struct HttpError {
    status: u16,
}

impl std::fmt::Display for HttpError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "status {}", self.status)
    }
}

impl HttpError {
    fn is_transient(&self) -> bool {
        retry_runtime::classify::is_transient_status(self.status)
    }
}

fn is_client_error(e: &HttpError) -> bool {
    (400..500).contains(&e.status) && e.status != 429
}

fn no_hint(_: &HttpError) -> Option<Duration> {
    None
}

fn log_retry<E: std::fmt::Debug>(event: &RetryEvent<'_, E>) {
    assert!(event.function.ends_with("get"), "{:?}", event.error);
}

// Paths to functions, a method path, a generic function and a predicate factory.
#[retry_on_failure(
    max_attempts = 3,
    initial_delay = "0s",
    when = HttpError::is_transient,
    unless = is_client_error,
    retry_after = no_hint,
    on_retry = log_retry,
    on_give_up = log_retry::<HttpError>,
)]
fn get(calls: &Cell<u32>) -> Result<(), HttpError> {
    calls.set(calls.get() + 1);
    Err(HttpError { status: 503 })
}

#[retry_on_failure(max_attempts = 2, initial_delay = "0s", when = is_transient_io)]
fn read(calls: &Cell<u32>) -> io::Result<()> {
    calls.set(calls.get() + 1);
    Err(io::Error::from(io::ErrorKind::ConnectionReset))
}

#[retry_on_failure(max_attempts = 2, initial_delay = "0s", when = message_contains(&["overloaded"]))]
fn complete(calls: &Cell<u32>) -> Result<(), HttpError> {
    calls.set(calls.get() + 1);
    Err(HttpError { status: 529 })
}

fn main() {
    let calls = Cell::new(0);
    assert!(get(&calls).is_err());
    assert_eq!(calls.get(), 3);
    let calls = Cell::new(0);
    assert!(read(&calls).is_err());
    assert_eq!(calls.get(), 2);
    let calls = Cell::new(0);
    assert!(complete(&calls).is_err());
    assert_eq!(calls.get(), 1);
}
