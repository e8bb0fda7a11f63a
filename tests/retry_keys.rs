//! `#[retry_on_failure]`: every key does what API.md says.

use std::cell::{Cell, RefCell};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use retry_runtime::{retry_on_failure, AttemptTimedOut, Jitter, RetryEvent, RetryPolicy};
use tokio::time::Instant;

#[derive(Debug, Clone, PartialEq)]
enum Error {
    Busy(Option<u64>),
    Fatal,
    TimedOut(u32),
}

impl From<AttemptTimedOut> for Error {
    fn from(t: AttemptTimedOut) -> Self {
        Error::TimedOut(t.attempt())
    }
}

fn hint(e: &Error) -> Option<Duration> {
    match e {
        Error::Busy(Some(secs)) => Some(Duration::from_secs(*secs)),
        _ => None,
    }
}

#[tokio::test(start_paused = true)]
async fn exact_schedule_without_jitter() {
    #[retry_on_failure(max_attempts = 4, initial_delay = "1s", multiplier = 3.0, jitter = none)]
    async fn call(at: &Mutex<Vec<Instant>>) -> Result<(), Error> {
        at.lock().unwrap().push(Instant::now());
        Err(Error::Busy(None))
    }
    let at = Mutex::new(Vec::new());
    assert_eq!(call(&at).await, Err(Error::Busy(None)));
    let at = at.into_inner().unwrap();
    let gaps: Vec<Duration> = at.windows(2).map(|w| w[1] - w[0]).collect();
    assert_eq!(
        gaps,
        [1, 3, 9].map(Duration::from_secs),
        "1 s, then x3 each time"
    );
}

#[tokio::test(start_paused = true)]
async fn linear_and_fixed_and_cap() {
    #[retry_on_failure(max_attempts = 4, backoff = linear, initial_delay = "2s", max_delay = "5s", jitter = none)]
    async fn linear(at: &Mutex<Vec<Instant>>) -> Result<(), Error> {
        at.lock().unwrap().push(Instant::now());
        Err(Error::Fatal)
    }
    let at = Mutex::new(Vec::new());
    let _ = linear(&at).await;
    let at = at.into_inner().unwrap();
    let gaps: Vec<u64> = at.windows(2).map(|w| (w[1] - w[0]).as_secs()).collect();
    assert_eq!(gaps, [2, 4, 5], "2 s * n, capped at 5 s");
}

#[tokio::test(start_paused = true)]
async fn retry_after_hint_wins_when_longer_and_gives_up_beyond_max_delay() {
    #[retry_on_failure(max_attempts = 3, initial_delay = "1s", jitter = none, max_delay = "30s", retry_after = hint)]
    async fn call(script: &Mutex<Vec<Error>>) -> Result<u32, Error> {
        match script.lock().unwrap().pop() {
            Some(e) => Err(e),
            None => Ok(7),
        }
    }
    let start = Instant::now();
    let script = Mutex::new(vec![Error::Busy(None), Error::Busy(Some(12))]);
    assert_eq!(call(&script).await, Ok(7));
    // max(12 s hint, 1 s) then max(no hint -> 2 s).
    assert_eq!(start.elapsed(), Duration::from_secs(14));

    let start = Instant::now();
    let script = Mutex::new(vec![Error::Busy(Some(3600))]);
    assert_eq!(call(&script).await, Err(Error::Busy(Some(3600))));
    assert_eq!(
        start.elapsed(),
        Duration::ZERO,
        "a hint beyond max_delay gives up at once"
    );
}

#[tokio::test(start_paused = true)]
async fn timeout_turns_slow_attempts_into_errors() {
    #[retry_on_failure(max_attempts = 3, initial_delay = "0ms", timeout = "2s")]
    async fn slow(calls: &AtomicU32) -> Result<u32, Error> {
        let n = calls.fetch_add(1, Ordering::SeqCst) + 1;
        if n < 3 {
            tokio::time::sleep(Duration::from_secs(60)).await;
        }
        Ok(n)
    }
    let calls = AtomicU32::new(0);
    let start = Instant::now();
    assert_eq!(slow(&calls).await, Ok(3));
    assert_eq!(
        start.elapsed(),
        Duration::from_secs(4),
        "two attempts cut at 2 s"
    );

    #[retry_on_failure(max_attempts = 2, initial_delay = "0ms", timeout = "1s")]
    async fn never(_: ()) -> Result<u32, Error> {
        tokio::time::sleep(Duration::from_secs(5)).await;
        Ok(0)
    }
    assert_eq!(never(()).await, Err(Error::TimedOut(2)));
}

#[tokio::test(start_paused = true)]
async fn max_elapsed_gives_up_before_a_sleep_that_would_cross_it() {
    #[retry_on_failure(max_attempts = 10, initial_delay = "1s", jitter = none, max_elapsed = "5s")]
    async fn call(calls: &AtomicU32) -> Result<(), Error> {
        calls.fetch_add(1, Ordering::SeqCst);
        Err(Error::Busy(None))
    }
    let calls = AtomicU32::new(0);
    let start = Instant::now();
    let _ = call(&calls).await;
    // Sleeps 1 s, 2 s (t = 3 s); the next 4 s sleep would end at 7 s > 5 s.
    assert_eq!(calls.load(Ordering::SeqCst), 3);
    assert_eq!(start.elapsed(), Duration::from_secs(3));
}

#[test]
fn unless_is_checked_first_and_on_give_up_runs_once() {
    let give_ups = RefCell::new(Vec::new());
    let retries = Cell::new(0);
    let calls = Cell::new(0);
    let run = |fatal_on: u32| {
        #[retry_on_failure(
            max_attempts = 5,
            initial_delay = "0ms",
            when = |_| true,
            unless = |e| *e == Error::Fatal,
            on_retry = |_| retries.set(retries.get() + 1),
            on_give_up = |ev| give_ups.borrow_mut().push((ev.attempt, ev.error.clone(), ev.delay))
        )]
        fn call(
            calls: &Cell<u32>,
            fatal_on: u32,
            retries: &Cell<u32>,
            give_ups: &RefCell<Vec<(u32, Error, Duration)>>,
        ) -> Result<(), Error> {
            calls.set(calls.get() + 1);
            if calls.get() == fatal_on {
                Err(Error::Fatal)
            } else {
                Err(Error::Busy(None))
            }
        }
        calls.set(0);
        call(&calls, fatal_on, &retries, &give_ups)
    };
    assert_eq!(run(2), Err(Error::Fatal));
    assert_eq!((calls.get(), retries.get()), (2, 1));
    assert_eq!(run(99), Err(Error::Busy(None)));
    assert_eq!((calls.get(), retries.get()), (5, 5));
    assert_eq!(
        *give_ups.borrow(),
        [
            (2, Error::Fatal, Duration::ZERO),
            (5, Error::Busy(None), Duration::ZERO)
        ]
    );
}

#[test]
fn hooks_see_every_retry_in_order() {
    static EVENTS: Mutex<Vec<(u32, Duration, &str)>> = Mutex::new(Vec::new());
    fn record(ev: &RetryEvent<'_, Error>) {
        EVENTS
            .lock()
            .unwrap()
            .push((ev.attempt, ev.delay, ev.function));
    }
    #[retry_on_failure(max_attempts = 3, backoff = fixed, initial_delay = "1ms", jitter = none, on_retry = record)]
    fn call() -> Result<(), Error> {
        Err(Error::Busy(None))
    }
    let _ = call();
    let ms = Duration::from_millis(1);
    assert_eq!(*EVENTS.lock().unwrap(), [(1, ms, "call"), (2, ms, "call")]);
}

const PRESET: RetryPolicy = RetryPolicy::fixed()
    .max_attempts(6)
    .initial_delay(Duration::ZERO)
    .jitter(Jitter::None);
static PRESET_STATIC: RetryPolicy = RetryPolicy::fixed()
    .max_attempts(2)
    .initial_delay(Duration::ZERO);

#[test]
fn policy_presets_and_overrides() {
    #[retry_on_failure(policy = PRESET)]
    fn from_const(calls: &Cell<u32>) -> Result<(), Error> {
        calls.set(calls.get() + 1);
        Err(Error::Busy(None))
    }
    #[retry_on_failure(policy = PRESET, max_retries = 1)]
    fn overridden(calls: &Cell<u32>) -> Result<(), Error> {
        calls.set(calls.get() + 1);
        Err(Error::Busy(None))
    }
    #[retry_on_failure(policy = PRESET_STATIC)]
    fn from_static(calls: &Cell<u32>) -> Result<(), Error> {
        calls.set(calls.get() + 1);
        Err(Error::Busy(None))
    }
    let calls = Cell::new(0);
    let _ = from_const(&calls);
    assert_eq!(calls.get(), 6);
    calls.set(0);
    let _ = overridden(&calls);
    assert_eq!(calls.get(), 2);
    calls.set(0);
    let _ = from_static(&calls);
    assert_eq!(calls.get(), 2);
}

#[test]
fn env_overrides_are_read_once_on_the_first_call() {
    // Names no other test uses; set before the site's first call.
    std::env::set_var("RETRY_KEYS_TEST_MAX_ATTEMPTS", "4");
    std::env::set_var("RETRY_KEYS_TEST_INITIAL_DELAY", "abc"); // unusable: ignored
    #[retry_on_failure(max_attempts = 2, initial_delay = "0ms", env = "RETRY_KEYS_TEST")]
    fn call(calls: &Cell<u32>) -> Result<(), Error> {
        calls.set(calls.get() + 1);
        Err(Error::Busy(None))
    }
    let calls = Cell::new(0);
    let _ = call(&calls);
    assert_eq!(calls.get(), 4, "env wins over the attribute");
    std::env::set_var("RETRY_KEYS_TEST_MAX_ATTEMPTS", "9");
    calls.set(0);
    let _ = call(&calls);
    assert_eq!(calls.get(), 4, "read once: later changes are not seen");
}

mod reexport {
    pub mod rt {
        pub use retry_runtime::*;
    }

    #[rt::retry_on_failure(max_attempts = 2, initial_delay = "0ms", crate = "crate::reexport::rt")]
    pub fn via_reexport(calls: &std::cell::Cell<u32>) -> Result<(), ()> {
        calls.set(calls.get() + 1);
        Err(())
    }
}

#[test]
fn crate_key_points_at_a_reexport() {
    let calls = Cell::new(0);
    assert_eq!(reexport::via_reexport(&calls), Err(()));
    assert_eq!(calls.get(), 2);
}

/// The sleeps each jitter draws, read from `on_retry` (the sleep actually taken), over many
/// retries on tokio's paused clock: every one within its bounds, and the draws spread over them.
#[tokio::test(start_paused = true)]
async fn decorrelated_and_equal_jitter_stay_within_their_bounds() {
    static DECORRELATED: Mutex<Vec<Duration>> = Mutex::new(Vec::new());
    static EQUAL: Mutex<Vec<Duration>> = Mutex::new(Vec::new());

    // Decorrelated: each sleep in [initial, min(max, 3 x the previous sleep)].
    #[retry_on_failure(max_attempts = 200, backoff = decorrelated, initial_delay = "10ms",
                       max_delay = "1s",
                       on_retry = |e| DECORRELATED.lock().unwrap().push(e.delay))]
    async fn decorrelated() -> Result<(), Error> {
        Err(Error::Busy(None))
    }
    // Equal jitter: each sleep in [base / 2, base], base = 10ms x 2^(n-1) capped at 80ms.
    #[retry_on_failure(max_attempts = 200, jitter = equal, initial_delay = "10ms",
                       max_delay = "80ms",
                       on_retry = |e| EQUAL.lock().unwrap().push(e.delay))]
    async fn equal() -> Result<(), Error> {
        Err(Error::Busy(None))
    }

    let _ = decorrelated().await;
    let _ = equal().await;

    let ms = Duration::from_millis;
    let sleeps = DECORRELATED.lock().unwrap();
    assert_eq!(sleeps.len(), 199);
    let mut prev = ms(10);
    for &d in sleeps.iter() {
        let hi = (prev * 3).min(ms(1000));
        assert!(d >= ms(10) && d <= hi, "{d:?} outside [10ms, {hi:?}]");
        prev = d;
    }
    assert!(
        sleeps.iter().any(|&d| d > ms(500)),
        "decorrelated never grew: {sleeps:?}"
    );

    let sleeps = EQUAL.lock().unwrap();
    assert_eq!(sleeps.len(), 199);
    for (n, &d) in sleeps.iter().enumerate() {
        let base = (ms(10) * 2u32.pow(n.min(3) as u32)).min(ms(80));
        assert!(
            d >= base / 2 && d <= base,
            "retry {}: {d:?} outside [{:?}, {base:?}]",
            n + 1,
            base / 2
        );
    }
    let capped = &sleeps[3..];
    assert!(
        capped.iter().any(|&d| d < ms(50)) && capped.iter().any(|&d| d > ms(70)),
        "equal jitter did not spread over [40ms, 80ms]: {capped:?}"
    );
}
