//! The async driver (`retry_async`, `Retry::run_async`, `Retry::run_async_with_timeout`) under
//! tokio's paused clock: exact sleeps, `max_elapsed` and `RetryEvent::elapsed` on tokio's clock,
//! per-attempt timeouts, zero delays without a yield, cancellation and `Send`.

use std::cell::RefCell;
use std::future::{poll_fn, Future};
use std::pin::pin;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::task::Poll;
use std::time::Duration;

use retry_runtime::{retry_async, AttemptTimedOut, Jitter, Retry, RetryEvent, RetryPolicy};
use tokio::time::Instant;

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

#[derive(Debug, PartialEq, Eq)]
enum Error {
    Server(u32),
    TimedOut(AttemptTimedOut),
}

impl From<AttemptTimedOut> for Error {
    fn from(t: AttemptTimedOut) -> Self {
        Error::TimedOut(t)
    }
}

fn gaps(times: &[Instant]) -> Vec<Duration> {
    times.windows(2).map(|w| w[1] - w[0]).collect()
}

/// Runs `policy` against an always-failing op; returns the instants the attempts started.
async fn attempt_times(policy: &RetryPolicy) -> Vec<Instant> {
    let mut times = Vec::new();
    let r: Result<(), Error> = retry_async(policy, || {
        times.push(Instant::now());
        let n = times.len() as u32;
        async move { Err(Error::Server(n)) }
    })
    .await;
    assert_eq!(r, Err(Error::Server(policy.get_max_attempts())));
    times
}

// ---------------------------------------------------------------------------------------------
// Exact sleeps
// ---------------------------------------------------------------------------------------------

#[tokio::test(start_paused = true)]
async fn unjittered_sleeps_follow_the_schedule_exactly() {
    let cases: [(RetryPolicy, &[u64]); 4] = [
        (
            RetryPolicy::exponential()
                .max_attempts(6)
                .initial_delay(ms(10))
                .max_delay(ms(50))
                .jitter(Jitter::None),
            &[10, 20, 40, 50, 50],
        ),
        (
            RetryPolicy::exponential()
                .max_attempts(6)
                .initial_delay(ms(16))
                .multiplier(1.5)
                .jitter(Jitter::None),
            &[16, 24, 36, 54, 81],
        ),
        (
            RetryPolicy::linear()
                .max_attempts(4)
                .initial_delay(ms(10))
                .jitter(Jitter::None),
            &[10, 20, 30],
        ),
        (
            RetryPolicy::fixed()
                .max_attempts(4)
                .initial_delay(ms(7))
                .jitter(Jitter::None),
            &[7, 7, 7],
        ),
    ];
    for (policy, want) in cases {
        let start = Instant::now();
        let times = attempt_times(&policy).await;
        assert_eq!(times.len() as u32, policy.get_max_attempts());
        assert_eq!(times[0], start, "the first attempt starts at once");
        let want: Vec<Duration> = want.iter().map(|&m| ms(m)).collect();
        assert_eq!(gaps(&times), want, "{policy:?}");
        // The same math as delays_seeded.
        assert_eq!(gaps(&times), policy.delays_seeded(0).collect::<Vec<_>>());
        // No sleep after the last attempt.
        assert_eq!(Instant::now(), *times.last().unwrap());
    }
}

#[tokio::test(start_paused = true)]
async fn jittered_sleeps_match_what_on_retry_reports() {
    let p = RetryPolicy::exponential()
        .max_attempts(8)
        .initial_delay(ms(100))
        .max_delay(ms(1_000))
        .jitter(Jitter::Full);
    for _ in 0..10 {
        let times = Mutex::new(Vec::new());
        let delays = Mutex::new(Vec::new());
        let r: Result<(), Error> = Retry::new(&p)
            .on_retry(|ev: &RetryEvent<'_, Error>| delays.lock().unwrap().push(ev.delay))
            .run_async(|| {
                times.lock().unwrap().push(Instant::now());
                async { Err(Error::Server(0)) }
            })
            .await;
        assert!(r.is_err());
        let gaps = gaps(&times.into_inner().unwrap());
        let delays = delays.into_inner().unwrap();
        assert_eq!(gaps.len(), 7);
        assert_eq!(delays.len(), 7);
        let bases = [100, 200, 400, 800, 1000, 1000, 1000].map(ms);
        for ((gap, delay), base) in gaps.iter().zip(&delays).zip(bases) {
            assert!(*delay <= base, "{delay:?} above base {base:?}");
            // tokio's timer has millisecond ticks: a sleep ends on the next tick.
            assert!(
                *gap >= *delay && *gap - *delay < ms(1),
                "slept {gap:?} for {delay:?}"
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// max_elapsed and RetryEvent::elapsed on tokio's clock
// ---------------------------------------------------------------------------------------------

#[tokio::test(start_paused = true)]
async fn max_elapsed_follows_the_paused_clock() {
    // Sleeps of 100 ms; attempts at 0, 100, 200. At 200 a sleep would end at 300 > 250.
    let p = RetryPolicy::fixed()
        .max_attempts(10)
        .initial_delay(ms(100))
        .jitter(Jitter::None)
        .max_elapsed(ms(250));
    let start = Instant::now();
    let gave_up = Mutex::new(Vec::new());
    let mut calls = 0;
    let r: Result<(), Error> = Retry::new(&p)
        .on_give_up(|ev: &RetryEvent<'_, Error>| {
            gave_up
                .lock()
                .unwrap()
                .push((ev.attempt, ev.elapsed, ev.delay))
        })
        .run_async(|| {
            calls += 1;
            let n = calls;
            async move { Err(Error::Server(n)) }
        })
        .await;
    assert_eq!(r, Err(Error::Server(3)));
    assert_eq!(start.elapsed(), ms(200));
    assert_eq!(*gave_up.lock().unwrap(), [(3, ms(200), Duration::ZERO)]);

    // A sleep that ends exactly at max_elapsed is allowed: attempts at 0, 100, 200 and 300;
    // at 300 a sleep would end at 400 > 300: give up after attempt 4.
    let p = p.max_elapsed(ms(300));
    let start = Instant::now();
    let times = attempt_times(&p.max_attempts(4)).await;
    assert_eq!(gaps(&times), [ms(100); 3]);
    assert_eq!(start.elapsed(), ms(300));
    let start = Instant::now();
    let mut calls = 0;
    let r: Result<(), Error> = retry_async(&p, || {
        calls += 1;
        let n = calls;
        async move { Err(Error::Server(n)) }
    })
    .await;
    assert_eq!((r, calls), (Err(Error::Server(4)), 4));
    assert_eq!(start.elapsed(), ms(300));
}

#[tokio::test(start_paused = true)]
async fn elapsed_counts_the_attempts_and_the_sleeps() {
    // Each attempt takes 30 ms of tokio time, each sleep 100 ms; max_elapsed 400 ms.
    // Attempt 1: [0, 30], check 30 + 100 <= 400. Attempt 2: [130, 160], 260 <= 400.
    // Attempt 3: [260, 290], 390 <= 400. Attempt 4: [390, 420], 520 > 400: give up.
    let p = RetryPolicy::fixed()
        .max_attempts(10)
        .initial_delay(ms(100))
        .jitter(Jitter::None)
        .max_elapsed(ms(400));
    let log = Mutex::new(Vec::new());
    let r: Result<(), Error> = Retry::new(&p)
        .on_retry(|ev: &RetryEvent<'_, Error>| {
            log.lock()
                .unwrap()
                .push(("retry", ev.attempt, ev.delay, ev.elapsed))
        })
        .on_give_up(|ev: &RetryEvent<'_, Error>| {
            log.lock()
                .unwrap()
                .push(("give_up", ev.attempt, ev.delay, ev.elapsed))
        })
        .run_async(|| async {
            tokio::time::sleep(ms(30)).await;
            Err(Error::Server(0))
        })
        .await;
    assert!(r.is_err());
    assert_eq!(
        *log.lock().unwrap(),
        [
            ("retry", 1, ms(100), ms(30)),
            ("retry", 2, ms(100), ms(160)),
            ("retry", 3, ms(100), ms(290)),
            ("give_up", 4, Duration::ZERO, ms(420)),
        ]
    );
}

#[tokio::test(start_paused = true)]
async fn elapsed_follows_a_manually_advanced_clock() {
    let p = RetryPolicy::fixed()
        .max_attempts(3)
        .initial_delay(Duration::ZERO)
        .jitter(Jitter::None);
    let elapsed = RefCell::new(Vec::new());
    let _: Result<(), Error> = Retry::new(&p)
        .on_retry(|ev: &RetryEvent<'_, Error>| elapsed.borrow_mut().push(ev.elapsed))
        .on_give_up(|ev: &RetryEvent<'_, Error>| elapsed.borrow_mut().push(ev.elapsed))
        .run_async(|| async {
            tokio::time::advance(Duration::from_secs(5)).await;
            Err(Error::Server(0))
        })
        .await;
    assert_eq!(
        *elapsed.borrow(),
        [5, 10, 15].map(Duration::from_secs),
        "RetryEvent::elapsed reads tokio's clock"
    );
}

// ---------------------------------------------------------------------------------------------
// Attempt counts, predicates, hints
// ---------------------------------------------------------------------------------------------

#[tokio::test(start_paused = true)]
async fn attempts_predicates_and_give_up() {
    let p = RetryPolicy::fixed()
        .max_attempts(5)
        .initial_delay(ms(10))
        .jitter(Jitter::None);
    // Always failing: 5 attempts, on_give_up once with attempt 5, 4 on_retry.
    let retries = RefCell::new(Vec::new());
    let gave_up = RefCell::new(Vec::new());
    let mut calls = 0;
    let r: Result<(), Error> = Retry::new(&p)
        .function("chat")
        .on_retry(|ev: &RetryEvent<'_, Error>| retries.borrow_mut().push((ev.attempt, ev.function)))
        .on_give_up(|ev: &RetryEvent<'_, Error>| {
            gave_up
                .borrow_mut()
                .push((ev.attempt, ev.delay, ev.function))
        })
        .run_async(|| {
            calls += 1;
            let n = calls;
            async move { Err(Error::Server(n)) }
        })
        .await;
    assert_eq!((r, calls), (Err(Error::Server(5)), 5));
    assert_eq!(
        *retries.borrow(),
        [(1, "chat"), (2, "chat"), (3, "chat"), (4, "chat")]
    );
    assert_eq!(*gave_up.borrow(), [(5, Duration::ZERO, "chat")]);

    // unless first, then when: a permanent error returns at once, on_give_up once.
    let start = Instant::now();
    let gave_up = RefCell::new(Vec::new());
    let mut calls = 0;
    let r: Result<(), Error> = Retry::new(&p)
        .when(|e: &Error| matches!(e, Error::Server(500..)))
        .unless(|e: &Error| *e == Error::Server(501))
        .on_give_up(|ev: &RetryEvent<'_, Error>| gave_up.borrow_mut().push(ev.attempt))
        .run_async(|| {
            calls += 1;
            let code = [503, 503, 501][calls - 1];
            async move { Err(Error::Server(code)) }
        })
        .await;
    assert_eq!((r, calls), (Err(Error::Server(501)), 3));
    assert_eq!(*gave_up.borrow(), [3]);
    assert_eq!(
        start.elapsed(),
        ms(20),
        "no sleep after the permanent error"
    );

    // when false: returns at once without any sleep.
    let start = Instant::now();
    let mut calls = 0;
    let r: Result<(), Error> = Retry::new(&p)
        .when(|e: &Error| matches!(e, Error::Server(500..)))
        .run_async(|| {
            calls += 1;
            async { Err(Error::Server(404)) }
        })
        .await;
    assert_eq!((r, calls), (Err(Error::Server(404)), 1));
    assert_eq!(start.elapsed(), Duration::ZERO);

    // Success on attempt 3: two sleeps, then Ok.
    let start = Instant::now();
    let mut calls = 0;
    let r: Result<u32, Error> = retry_async(&p, || {
        calls += 1;
        let n = calls;
        async move {
            if n < 3 {
                Err(Error::Server(n))
            } else {
                Ok(n)
            }
        }
    })
    .await;
    assert_eq!(r, Ok(3));
    assert_eq!(start.elapsed(), ms(20));
}

#[tokio::test(start_paused = true)]
async fn retry_after_hints_on_tokio_time() {
    let p = RetryPolicy::fixed()
        .max_attempts(3)
        .initial_delay(ms(100))
        .max_delay(Duration::from_secs(10))
        .jitter(Jitter::None);
    // Hint 3 s > computed 100 ms: sleep 3 s. Hint 50 ms < 100 ms: sleep 100 ms.
    let mut times = Vec::new();
    let r: Result<(), Error> = Retry::new(&p)
        .retry_after(|e: &Error| match e {
            Error::Server(1) => Some(Duration::from_secs(3)),
            Error::Server(_) => Some(ms(50)),
            Error::TimedOut(_) => None,
        })
        .run_async(|| {
            times.push(Instant::now());
            let n = times.len() as u32;
            async move { Err(Error::Server(n)) }
        })
        .await;
    assert_eq!(r, Err(Error::Server(3)));
    assert_eq!(gaps(&times), [Duration::from_secs(3), ms(100)]);

    // A hint beyond max_delay gives up now: no time passes, one attempt, one give-up.
    let start = Instant::now();
    let gave_up = RefCell::new(Vec::new());
    let mut calls = 0;
    let r: Result<(), Error> = Retry::new(&p)
        .retry_after(|_: &Error| Some(Duration::from_secs(11)))
        .on_give_up(|ev: &RetryEvent<'_, Error>| gave_up.borrow_mut().push(ev.attempt))
        .run_async(|| {
            calls += 1;
            async { Err(Error::Server(429)) }
        })
        .await;
    assert_eq!((r, calls), (Err(Error::Server(429)), 1));
    assert_eq!(*gave_up.borrow(), [1]);
    assert_eq!(start.elapsed(), Duration::ZERO);

    // A hint that would cross max_elapsed gives up now too.
    let q = p.max_elapsed(Duration::from_secs(5));
    let start = Instant::now();
    let mut calls = 0;
    let r: Result<(), Error> = Retry::new(&q)
        .retry_after(|_: &Error| Some(Duration::from_secs(6)))
        .run_async(|| {
            calls += 1;
            async { Err(Error::Server(503)) }
        })
        .await;
    assert_eq!((r, calls), (Err(Error::Server(503)), 1));
    assert_eq!(start.elapsed(), Duration::ZERO);
}

// ---------------------------------------------------------------------------------------------
// Per-attempt timeout
// ---------------------------------------------------------------------------------------------

#[tokio::test(start_paused = true)]
async fn a_slow_attempt_times_out_and_counts_as_a_failure() {
    let p = RetryPolicy::fixed()
        .max_attempts(3)
        .initial_delay(ms(10))
        .jitter(Jitter::None)
        .timeout(Duration::from_secs(1));
    let start = Instant::now();
    let retried = RefCell::new(Vec::new());
    let mut calls = 0;
    let r: Result<&str, Error> = Retry::new(&p)
        .on_retry(|ev: &RetryEvent<'_, Error>| {
            retried
                .borrow_mut()
                .push((ev.attempt, format!("{:?}", ev.error), ev.elapsed))
        })
        .run_async_with_timeout(|| {
            calls += 1;
            let n = calls;
            async move {
                if n == 1 {
                    tokio::time::sleep(Duration::from_secs(60)).await;
                }
                Ok("done")
            }
        })
        .await;
    assert_eq!(r, Ok("done"));
    assert_eq!(calls, 2);
    let want = format!(
        "{:?}",
        Error::TimedOut(AttemptTimedOut::new(1, Duration::from_secs(1)))
    );
    assert_eq!(
        *retried.borrow(),
        [(1, want, Duration::from_secs(1))],
        "the timed-out attempt is attempt 1 and failed after the 1 s limit"
    );
    assert_eq!(start.elapsed(), Duration::from_secs(1) + ms(10));
}

#[tokio::test(start_paused = true)]
async fn every_attempt_timing_out_returns_the_last_timeout() {
    let p = RetryPolicy::fixed()
        .max_attempts(3)
        .initial_delay(ms(10))
        .jitter(Jitter::None)
        .timeout(ms(500));
    let start = Instant::now();
    let gave_up = RefCell::new(Vec::new());
    let mut calls = 0;
    let r: Result<(), Error> = Retry::new(&p)
        .on_give_up(|ev: &RetryEvent<'_, Error>| gave_up.borrow_mut().push(ev.attempt))
        .run_async_with_timeout(|| {
            calls += 1;
            async {
                std::future::pending::<()>().await;
                Ok(())
            }
        })
        .await;
    let e = r.unwrap_err();
    assert_eq!(e, Error::TimedOut(AttemptTimedOut::new(3, ms(500))));
    if let Error::TimedOut(t) = &e {
        assert_eq!((t.attempt(), t.timeout()), (3, ms(500)));
    }
    assert_eq!(calls, 3);
    assert_eq!(*gave_up.borrow(), [3]);
    assert_eq!(start.elapsed(), ms(3 * 500 + 2 * 10));
}

#[tokio::test(start_paused = true)]
async fn a_timeout_is_an_error_like_any_other_for_when() {
    let p = RetryPolicy::fixed()
        .max_attempts(5)
        .initial_delay(ms(10))
        .timeout(ms(100));
    let mut calls = 0;
    let r: Result<(), Error> = Retry::new(&p)
        .when(|e: &Error| !matches!(e, Error::TimedOut(_)))
        .run_async_with_timeout(|| {
            calls += 1;
            async {
                tokio::time::sleep(Duration::from_secs(1)).await;
                Ok(())
            }
        })
        .await;
    assert_eq!(r, Err(Error::TimedOut(AttemptTimedOut::new(1, ms(100)))));
    assert_eq!(calls, 1);
}

#[tokio::test(start_paused = true)]
async fn an_attempt_within_the_timeout_is_not_cut() {
    let p = RetryPolicy::fixed()
        .max_attempts(2)
        .initial_delay(ms(10))
        .timeout(Duration::from_secs(1));
    let start = Instant::now();
    let r: Result<u8, Error> = Retry::new(&p)
        .run_async_with_timeout(|| async {
            tokio::time::sleep(ms(999)).await;
            Ok(7)
        })
        .await;
    assert_eq!(r, Ok(7));
    assert_eq!(start.elapsed(), ms(999));
}

#[tokio::test(start_paused = true)]
async fn a_timed_out_attempt_is_dropped() {
    let p = RetryPolicy::fixed()
        .max_attempts(2)
        .initial_delay(ms(10))
        .jitter(Jitter::None)
        .timeout(ms(100));
    let guard = Arc::new(());
    let mut counts_at_start = Vec::new();
    let r: Result<(), Error> = Retry::new(&p)
        .run_async_with_timeout(|| {
            counts_at_start.push(Arc::strong_count(&guard));
            let held = Arc::clone(&guard);
            async move {
                let _held = held;
                tokio::time::sleep(Duration::from_secs(60)).await;
                Ok(())
            }
        })
        .await;
    assert!(r.is_err());
    // The first attempt's future (and its clone of the Arc) was gone before the second began.
    assert_eq!(counts_at_start, [1, 1]);
    assert_eq!(Arc::strong_count(&guard), 1);
}

// ---------------------------------------------------------------------------------------------
// Zero delay: no timer, no yield
// ---------------------------------------------------------------------------------------------

#[tokio::test(start_paused = true)]
async fn zero_delay_takes_no_time_and_never_yields() {
    let p = RetryPolicy::exponential()
        .max_attempts(500)
        .initial_delay(Duration::ZERO);
    let start = Instant::now();
    let mut calls = 0;
    let mut fut = pin!(retry_async(&p, || {
        calls += 1;
        let n = calls;
        async move {
            if n < 500 {
                Err(Error::Server(n))
            } else {
                Ok(n)
            }
        }
    }));
    // 499 failures and one success, all within a single poll: nothing in between yielded
    // (more than tokio's cooperative budget of 128 timer polls per task poll).
    let first = poll_fn(|cx| Poll::Ready(fut.as_mut().poll(cx))).await;
    assert_eq!(first, Poll::Ready(Ok(500)));
    assert_eq!(start.elapsed(), Duration::ZERO);

    // The same through Retry::run_async with hooks and max_elapsed set, and run_async_with_timeout.
    let q = p.max_elapsed(Duration::from_secs(1));
    let retries = RefCell::new(0);
    let retry = Retry::new(&q)
        .on_retry(|ev: &RetryEvent<'_, Error>| {
            assert_eq!(ev.delay, Duration::ZERO);
            *retries.borrow_mut() += 1
        })
        .on_give_up(|_: &RetryEvent<'_, Error>| {});
    let mut fut = pin!(retry.run_async(|| async { Err::<(), _>(Error::Server(1)) }));
    let first = poll_fn(|cx| Poll::Ready(fut.as_mut().poll(cx))).await;
    assert_eq!(first, Poll::Ready(Err(Error::Server(1))));
    assert_eq!(*retries.borrow(), 499);
    assert_eq!(start.elapsed(), Duration::ZERO);
}

#[tokio::test(start_paused = true)]
async fn zero_delay_with_timeout_never_yields() {
    let p = RetryPolicy::fixed()
        .max_attempts(300)
        .initial_delay(Duration::ZERO)
        .timeout(Duration::from_secs(1));
    let mut calls = 0;
    let retry = Retry::new(&p);
    let mut fut = pin!(retry.run_async_with_timeout(|| {
        calls += 1;
        let n = calls;
        async move {
            if n < 300 {
                Err(Error::Server(n))
            } else {
                Ok(n)
            }
        }
    }));
    let first = poll_fn(|cx| Poll::Ready(fut.as_mut().poll(cx))).await;
    assert_eq!(first, Poll::Ready(Ok(300)));
}

// ---------------------------------------------------------------------------------------------
// Cancellation
// ---------------------------------------------------------------------------------------------

#[tokio::test(start_paused = true)]
async fn dropping_the_future_mid_sleep_leaves_nothing_behind() {
    let p = RetryPolicy::fixed()
        .max_attempts(5)
        .initial_delay(Duration::from_secs(1))
        .jitter(Jitter::None);
    let token = Arc::new(());
    let calls = Arc::new(AtomicU32::new(0));
    let op = {
        let token = Arc::clone(&token);
        let calls = Arc::clone(&calls);
        move || {
            calls.fetch_add(1, Ordering::SeqCst);
            let token = Arc::clone(&token);
            async move {
                let _token = token;
                Err::<(), _>(Error::Server(503))
            }
        }
    };
    // 150 ms in, the loop sleeps its first second: the timeout drops it there.
    let out = tokio::time::timeout(ms(150), retry_async(&p, op)).await;
    assert!(out.is_err(), "the call was cut off mid-sleep");
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    assert_eq!(
        Arc::strong_count(&token),
        1,
        "the closure and attempt were dropped"
    );
    // Nothing keeps running afterwards.
    tokio::time::sleep(Duration::from_secs(30)).await;
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    assert_eq!(Arc::strong_count(&calls), 1);
}

#[tokio::test(start_paused = true)]
async fn dropping_a_polled_future_by_hand() {
    let p = RetryPolicy::fixed()
        .max_attempts(3)
        .initial_delay(Duration::from_secs(1))
        .jitter(Jitter::None);
    let token = Arc::new(());
    {
        let held = Arc::clone(&token);
        let fut = retry_async(&p, move || {
            let t = Arc::clone(&held);
            async move {
                let _t = t;
                Err::<(), _>(Error::Server(1))
            }
        });
        let mut fut = Box::pin(fut);
        let first = poll_fn(|cx| Poll::Ready(fut.as_mut().poll(cx))).await;
        assert!(first.is_pending(), "asleep after the first failure");
        assert_eq!(
            Arc::strong_count(&token),
            2,
            "only the op closure holds a clone"
        );
        drop(fut);
    }
    assert_eq!(Arc::strong_count(&token), 1);

    // Dropped in the middle of an attempt.
    {
        let held = Arc::clone(&token);
        let fut = retry_async(&p, move || {
            let t = Arc::clone(&held);
            async move {
                let _t = t;
                tokio::time::sleep(Duration::from_secs(10)).await;
                Ok::<(), Error>(())
            }
        });
        let out = tokio::time::timeout(ms(10), fut).await;
        assert!(out.is_err());
    }
    assert_eq!(Arc::strong_count(&token), 1);
}

// ---------------------------------------------------------------------------------------------
// Send and spawn
// ---------------------------------------------------------------------------------------------

fn assert_send<T: Send>(_: &T) {}

static SPAWNED: RetryPolicy = RetryPolicy::fixed()
    .max_attempts(4)
    .initial_delay(Duration::from_millis(100))
    .jitter(Jitter::None);

#[tokio::test(start_paused = true)]
async fn futures_over_send_ops_are_send_and_spawnable() {
    let fut = retry_async(&SPAWNED, || async { Ok::<u8, Error>(1) });
    assert_send(&fut);
    drop(fut);

    let retry = Retry::new(&SPAWNED)
        .when(|e: &Error| matches!(e, Error::Server(_)))
        .unless(|_: &Error| false)
        .retry_after(|_: &Error| None)
        .on_retry(|_: &RetryEvent<'_, Error>| {})
        .on_give_up(|_: &RetryEvent<'_, Error>| {});
    let fut = retry.run_async(|| async { Ok::<u8, Error>(1) });
    assert_send(&fut);
    drop(fut);
    let fut = retry.run_async_with_timeout(|| async { Ok::<u8, Error>(1) });
    assert_send(&fut);
    drop(fut);

    let calls = Arc::new(AtomicU32::new(0));
    let c = Arc::clone(&calls);
    let start = Instant::now();
    let handle = tokio::spawn(async move {
        retry_async(&SPAWNED, || {
            let n = c.fetch_add(1, Ordering::SeqCst) + 1;
            async move {
                tokio::task::yield_now().await;
                if n < 4 {
                    Err(Error::Server(n))
                } else {
                    Ok(n)
                }
            }
        })
        .await
    });
    assert_eq!(handle.await.unwrap(), Ok(4));
    assert_eq!(calls.load(Ordering::SeqCst), 4);
    assert_eq!(start.elapsed(), ms(300));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn spawned_on_a_multi_thread_runtime() {
    static P: RetryPolicy = RetryPolicy::exponential()
        .max_attempts(3)
        .initial_delay(Duration::from_millis(1))
        .max_delay(Duration::from_millis(2));
    let events = Arc::new(Mutex::new(Vec::new()));
    let handles: Vec<_> = (0..4)
        .map(|i| {
            let events = Arc::clone(&events);
            tokio::spawn(async move {
                let mut calls = 0;
                Retry::new(&P)
                    .on_retry(move |ev: &RetryEvent<'_, Error>| {
                        events.lock().unwrap().push((i, ev.attempt))
                    })
                    .run_async(|| {
                        calls += 1;
                        let n = calls;
                        async move {
                            if n < 2 {
                                Err(Error::Server(n))
                            } else {
                                Ok(i)
                            }
                        }
                    })
                    .await
            })
        })
        .collect();
    for (i, h) in handles.into_iter().enumerate() {
        assert_eq!(h.await.unwrap(), Ok(i));
    }
    let mut events = events.lock().unwrap().clone();
    events.sort();
    assert_eq!(events, [(0, 1), (1, 1), (2, 1), (3, 1)]);
}

#[tokio::test(start_paused = true)]
async fn a_panicking_attempt_is_not_retried() {
    let calls = Arc::new(AtomicU32::new(0));
    let c = Arc::clone(&calls);
    let handle = tokio::spawn(async move {
        retry_async(&SPAWNED, || {
            c.fetch_add(1, Ordering::SeqCst);
            async {
                if true {
                    panic!("attempt panicked");
                }
                Ok::<(), Error>(())
            }
        })
        .await
    });
    let err = handle.await.unwrap_err();
    assert!(err.is_panic());
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

#[tokio::test(start_paused = true)]
async fn a_huge_delay_is_reported_as_the_sleep_tokio_takes() {
    // tokio clamps a sleep to about 30 years; the event reports that sleep, not the delay
    // asked for.
    const TOKIO_MAX: Duration = Duration::from_secs(86400 * 365 * 30);
    const P: RetryPolicy = RetryPolicy::fixed()
        .max_attempts(2)
        .max_delay(Duration::MAX)
        .initial_delay(Duration::MAX)
        .jitter(Jitter::None);
    let reported = RefCell::new(Vec::new());
    let mut attempts = 0;
    let start = Instant::now();
    let r: Result<u32, &str> = Retry::new(&P)
        .on_retry(|ev: &RetryEvent<'_, &str>| reported.borrow_mut().push(ev.delay))
        .run_async(|| {
            attempts += 1;
            let n = attempts;
            async move {
                if n < 2 {
                    Err("busy")
                } else {
                    Ok(n)
                }
            }
        })
        .await;
    assert_eq!(r, Ok(2));
    assert_eq!(*reported.borrow(), [TOKIO_MAX]);
    assert_eq!(
        start.elapsed(),
        TOKIO_MAX,
        "the sleep taken is the one reported"
    );
}
