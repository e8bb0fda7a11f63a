//! A retry above a fallback with an owned, non-`Copy` argument: every attempt of the retry runs
//! the function and its fallback target again, so the argument must be there for each of them.
//! It is cloned once per target call (the retry's next attempt still needs the original), never
//! on success, and every attempt sees the caller's value.

use std::sync::atomic::{AtomicU32, Ordering};

use retry_runtime::{fallback, retry_on_failure};

#[derive(Debug, Clone, PartialEq, Eq)]
enum ApiError {
    Down(u32),
}

static CLONES: AtomicU32 = AtomicU32::new(0);
static PRIMARY_RUNS: AtomicU32 = AtomicU32::new(0);
static BACKUP_RUNS: AtomicU32 = AtomicU32::new(0);

/// An owned request whose clones are counted.
#[derive(Debug, PartialEq, Eq)]
struct Request(String);

impl Clone for Request {
    fn clone(&self) -> Self {
        CLONES.fetch_add(1, Ordering::SeqCst);
        Request(self.0.clone())
    }
}

/// Fails its first two runs, then answers with the request's length.
fn backup(r: Request) -> Result<usize, ApiError> {
    let run = BACKUP_RUNS.fetch_add(1, Ordering::SeqCst) + 1;
    if run < 3 {
        Err(ApiError::Down(run))
    } else {
        Ok(r.0.len())
    }
}

#[retry_on_failure(max_attempts = 3, initial_delay = "0ms")]
#[fallback(to = backup)]
fn primary(r: Request) -> Result<usize, ApiError> {
    PRIMARY_RUNS.fetch_add(1, Ordering::SeqCst);
    if r.0 == "up" {
        Ok(100)
    } else {
        Err(ApiError::Down(0))
    }
}

#[test]
fn each_attempt_gets_the_argument_and_clones_only_for_the_fallback() {
    assert_eq!(primary(Request("up".into())), Ok(100));
    assert_eq!(
        CLONES.load(Ordering::SeqCst),
        0,
        "nothing cloned on success"
    );

    PRIMARY_RUNS.store(0, Ordering::SeqCst);
    // Attempt 1: primary fails, backup fails; attempt 2: the same; attempt 3: backup answers
    // with the caller's request, intact.
    assert_eq!(primary(Request("hello".into())), Ok(5));
    assert_eq!(PRIMARY_RUNS.load(Ordering::SeqCst), 3);
    assert_eq!(BACKUP_RUNS.load(Ordering::SeqCst), 3);
    assert_eq!(
        CLONES.load(Ordering::SeqCst),
        3,
        "one clone per backup call: the retry keeps the original for its next attempt"
    );
}
