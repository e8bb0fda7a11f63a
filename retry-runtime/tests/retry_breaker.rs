//! The function API with a breaker: `Retry::new(&P).breaker(&cb)` runs each attempt through the
//! breaker, and a rejection ends the retry at once (no sleep, no further attempt, no budget
//! spent, `on_give_up` runs, the error is `E::from(CircuitOpen)`), sync and async; a failure
//! that leaves the circuit open past the next sleep ends it too, with that failure's error.

use std::cell::Cell;
use std::time::Duration;

use retry_runtime::{
    configure_budget, BreakerConfig, CircuitBreaker, CircuitOpen, Jitter, Retry, RetryBudget,
    RetryEvent, RetryPolicy, State,
};

#[derive(Debug, Clone, PartialEq, Eq)]
enum Error {
    Down,
    Open,
}

impl From<CircuitOpen> for Error {
    fn from(_: CircuitOpen) -> Self {
        Error::Open
    }
}

const FIVE: RetryPolicy = RetryPolicy::fixed()
    .max_attempts(5)
    .initial_delay(Duration::from_secs(1))
    .jitter(Jitter::None);

fn breaker(name: &'static str) -> CircuitBreaker {
    CircuitBreaker::new(
        name,
        BreakerConfig::new()
            .failure_threshold(2)
            .reset_timeout(Duration::from_secs(3600)),
    )
}

/// A budget of exactly 10 tokens that first attempts do not add to.
fn reserve_only(name: &'static str) -> f64 {
    let b = configure_budget(name, RetryBudget::new().ratio(0.0).min_per_sec(1));
    b.available()
}

#[test]
fn a_rejection_ends_the_sync_retry_at_once() {
    let cb = breaker("retry-breaker-sync");
    let before = reserve_only("retry-breaker-sync");
    let (runs, give_ups) = (Cell::new(0), Cell::new(0));
    let policy = FIVE.initial_delay(Duration::ZERO);
    let retry = Retry::new(&policy)
        .budget("retry-breaker-sync")
        .on_give_up(|_: &RetryEvent<'_, Error>| give_ups.set(give_ups.get() + 1))
        .breaker(&cb);
    // Two failures open the circuit for an hour: the retry does not make a third attempt the
    // circuit would reject, and returns the second failure's own error.
    let r: Result<(), Error> = retry.run(|| {
        runs.set(runs.get() + 1);
        Err(Error::Down)
    });
    assert_eq!((r, runs.get(), give_ups.get()), (Err(Error::Down), 2, 1));
    assert_eq!(cb.state(), State::Open);
    // A token for the one retry (after failure 1), none after the failure that opened it.
    let after = retry_runtime::budget("retry-breaker-sync")
        .unwrap()
        .available();
    assert!((before - after - 1.0).abs() < 1e-9, "{before} -> {after}");
    // While open: no body runs, one give-up, no token.
    let r: Result<(), Error> = retry.run(|| {
        runs.set(runs.get() + 1);
        Err(Error::Down)
    });
    assert_eq!((r, runs.get(), give_ups.get()), (Err(Error::Open), 2, 2));
    let again = retry_runtime::budget("retry-breaker-sync")
        .unwrap()
        .available();
    assert!((after - again).abs() < 1e-9, "{after} -> {again}");
    // A success closes nothing here but is reported to the permit.
    cb.reset();
    let r: Result<u8, Error> = retry.run(|| Ok(7));
    assert_eq!(r, Ok(7));
    assert_eq!(cb.snapshot().consecutive_failures, 0);
}

#[tokio::test(start_paused = true)]
async fn a_rejection_ends_the_async_retry_at_once() {
    let cb = breaker("retry-breaker-async");
    let before = reserve_only("retry-breaker-async");
    let (runs, give_ups) = (Cell::new(0), Cell::new(0));
    let retry = Retry::new(&FIVE)
        .budget("retry-breaker-async")
        .on_give_up(|_: &RetryEvent<'_, Error>| give_ups.set(give_ups.get() + 1))
        .breaker(&cb);
    let start = tokio::time::Instant::now();
    let r: Result<(), Error> = retry
        .run_async(|| {
            runs.set(runs.get() + 1);
            async { Err(Error::Down) }
        })
        .await;
    assert_eq!((r, runs.get(), give_ups.get()), (Err(Error::Down), 2, 1));
    // One sleep, after the first failure: none after the failure that opened the circuit.
    assert_eq!(start.elapsed(), Duration::from_secs(1));
    let after = retry_runtime::budget("retry-breaker-async")
        .unwrap()
        .available();
    assert!((before - after - 1.0).abs() < 1e-9, "{before} -> {after}");
    let start = tokio::time::Instant::now();
    let r: Result<(), Error> = retry
        .run_async_with_timeout(|| async { Err(Error::Down) })
        .await;
    assert_eq!((r, give_ups.get()), (Err(Error::Open), 2));
    assert_eq!(start.elapsed(), Duration::ZERO, "no sleep");
}

impl From<retry_runtime::AttemptTimedOut> for Error {
    fn from(_: retry_runtime::AttemptTimedOut) -> Self {
        Error::Down
    }
}
