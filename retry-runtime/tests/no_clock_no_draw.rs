//! The promise that a call reads no clock and draws no random number before its first failure,
//! counted by `__private::probe` (debug builds only, so this file is too). For `retry`,
//! `Retry::run`, `retry_async`, `Retry::run_async` and `#[retry_on_failure]` on a sync and an
//! async fn: a call that succeeds at once reads no clock and draws nothing; a call that fails
//! once before a jittered, non-zero delay draws exactly once (and, without hooks or
//! `max_elapsed`, still reads no clock); with `on_retry`, or with `max_elapsed`, a call that
//! succeeds at once reads the clock exactly once (at its start). Async calls sleep on tokio's
//! paused clock; sync sleeps are of 1 ms at most.
#![cfg(debug_assertions)]

use std::cell::Cell;
use std::future::Future;
use std::time::Duration;

use retry_runtime::__private::{probe, Probe};
use retry_runtime::{retry, retry_async, retry_on_failure, Jitter, Retry, RetryEvent, RetryPolicy};

/// Full jitter over a 1 ms initial delay: every retry's delay is drawn.
const JITTERED: RetryPolicy = RetryPolicy::exponential()
    .max_attempts(3)
    .initial_delay(Duration::from_millis(1))
    .max_delay(Duration::from_millis(1))
    .jitter(Jitter::Full);

/// [`JITTERED`] with a limit on the whole call, which needs the clock from the start.
const LIMITED: RetryPolicy = JITTERED.max_elapsed(Duration::from_secs(60));

#[derive(Debug, PartialEq, Eq)]
struct Failure(u32);

/// One attempt: counts it in `calls`, fails the first `fails` attempts.
fn step(calls: &Cell<u32>, fails: u32) -> Result<u32, Failure> {
    let n = calls.get() + 1;
    calls.set(n);
    if n <= fails {
        Err(Failure(n))
    } else {
        Ok(n)
    }
}

fn ignore(_: &RetryEvent<'_, Failure>) {}

#[retry_on_failure(max_attempts = 3, initial_delay = "1ms", max_delay = "1ms", jitter = full)]
fn attr_sync(calls: &Cell<u32>, fails: u32) -> Result<u32, Failure> {
    step(calls, fails)
}

#[retry_on_failure(max_attempts = 3, initial_delay = "1ms", on_retry = ignore)]
fn attr_sync_hooked(calls: &Cell<u32>, fails: u32) -> Result<u32, Failure> {
    step(calls, fails)
}

#[retry_on_failure(max_attempts = 3, initial_delay = "1ms", max_elapsed = "60s")]
fn attr_sync_limited(calls: &Cell<u32>, fails: u32) -> Result<u32, Failure> {
    step(calls, fails)
}

#[retry_on_failure(max_attempts = 3, initial_delay = "1ms", max_delay = "1ms", jitter = full)]
async fn attr_async(calls: &Cell<u32>, fails: u32) -> Result<u32, Failure> {
    step(calls, fails)
}

#[retry_on_failure(max_attempts = 3, initial_delay = "1ms", on_retry = ignore)]
async fn attr_async_hooked(calls: &Cell<u32>, fails: u32) -> Result<u32, Failure> {
    step(calls, fails)
}

#[retry_on_failure(max_attempts = 3, initial_delay = "1ms", max_elapsed = "60s")]
async fn attr_async_limited(calls: &Cell<u32>, fails: u32) -> Result<u32, Failure> {
    step(calls, fails)
}

/// The clock reads and draws `call` made on this thread, given the attempts counter it
/// shares with its operation; checks that it failed `fails` times, then succeeded.
fn counted(fails: u32, call: impl FnOnce(&Cell<u32>) -> Result<u32, Failure>) -> Probe {
    let calls = Cell::new(0);
    let before = probe();
    assert_eq!(call(&calls), Ok(fails + 1));
    probe().since(before)
}

/// [`counted`] for an async call (a current-thread runtime keeps it on this thread).
async fn counted_async<'c, F: Future<Output = Result<u32, Failure>> + 'c>(
    calls: &'c Cell<u32>,
    fails: u32,
    call: impl FnOnce(&'c Cell<u32>) -> F,
) -> Probe {
    let before = probe();
    assert_eq!(call(calls).await, Ok(fails + 1));
    probe().since(before)
}

/// The counts each entry point must show.
fn expect(clock_reads: u64, draws: u64, got: &[(&str, Probe)]) {
    for (entry, probe) in got {
        assert_eq!(
            *probe,
            Probe { clock_reads, draws },
            "{entry}: clock reads and draws"
        );
    }
}

/// Each sync entry point (without hooks; the attribute `attr`, set as `policy` is) failing
/// `fails` times under `policy`.
fn sync_calls(
    policy: &RetryPolicy,
    attr: fn(&Cell<u32>, u32) -> Result<u32, Failure>,
    fails: u32,
) -> [(&'static str, Probe); 3] {
    [
        (
            "retry",
            counted(fails, |c| retry(policy, || step(c, fails))),
        ),
        (
            "Retry::run",
            counted(fails, |c| Retry::new(policy).run(|| step(c, fails))),
        ),
        ("attribute, sync", counted(fails, |c| attr(c, fails))),
    ]
}

/// Each async entry point (without hooks; the attribute `attr`, set as `policy` is) failing
/// `fails` times under `policy`, counting attempts in `calls`.
async fn async_calls<'c, F: Future<Output = Result<u32, Failure>> + 'c>(
    policy: &RetryPolicy,
    attr: impl FnOnce(&'c Cell<u32>, u32) -> F,
    calls: &'c [Cell<u32>; 3],
    fails: u32,
) -> [(&'static str, Probe); 3] {
    [
        (
            "retry_async",
            counted_async(&calls[0], fails, |c| {
                retry_async(policy, move || async move { step(c, fails) })
            })
            .await,
        ),
        (
            "Retry::run_async",
            counted_async(&calls[1], fails, |c| async move {
                Retry::new(policy)
                    .run_async(move || async move { step(c, fails) })
                    .await
            })
            .await,
        ),
        (
            "attribute, async",
            counted_async(&calls[2], fails, |c| attr(c, fails)).await,
        ),
    ]
}

// One test per promise, sync and async entry points alike; the sync ones sleep for real (1 ms).

#[tokio::test(start_paused = true)]
async fn success_reads_no_clock_and_draws_nothing() {
    expect(0, 0, &sync_calls(&JITTERED, attr_sync, 0));
    let calls = Default::default();
    expect(0, 0, &async_calls(&JITTERED, attr_async, &calls, 0).await);
}

#[tokio::test(start_paused = true)]
async fn failure_draws_once_for_its_jittered_delay() {
    expect(0, 1, &sync_calls(&JITTERED, attr_sync, 1));
    let calls = Default::default();
    expect(0, 1, &async_calls(&JITTERED, attr_async, &calls, 1).await);
}

#[tokio::test(start_paused = true)]
async fn max_elapsed_reads_the_clock_once_on_success() {
    expect(1, 0, &sync_calls(&LIMITED, attr_sync_limited, 0));
    let calls = Default::default();
    expect(
        1,
        0,
        &async_calls(&LIMITED, attr_async_limited, &calls, 0).await,
    );
}

#[tokio::test(start_paused = true)]
async fn on_retry_reads_the_clock_once_on_success() {
    let calls = [Cell::new(0), Cell::new(0)];
    expect(
        1,
        0,
        &[
            (
                "Retry::run",
                counted(0, |c| {
                    Retry::new(&JITTERED).on_retry(ignore).run(|| step(c, 0))
                }),
            ),
            ("attribute, sync", counted(0, |c| attr_sync_hooked(c, 0))),
            (
                "Retry::run_async",
                counted_async(&calls[0], 0, |c| async move {
                    Retry::new(&JITTERED)
                        .on_retry(ignore)
                        .run_async(move || async move { step(c, 0) })
                        .await
                })
                .await,
            ),
            (
                "attribute, async",
                counted_async(&calls[1], 0, |c| attr_async_hooked(c, 0)).await,
            ),
        ],
    );
}
