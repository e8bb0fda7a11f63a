//! The sync driver, `retry(&P, ..)` and `Retry::new(&P)...run(..)`, against the five steps of
//! API.md's `#[retry_on_failure]` semantics. Real sleeps stay at a few milliseconds in all.

use std::cell::{Cell, RefCell};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::{Duration, Instant};

use retry_runtime::{retry, Jitter, Retry, RetryEvent, RetryPolicy};

/// Every attempt is free: no sleep at all.
const NOW: RetryPolicy = RetryPolicy::fixed()
    .initial_delay(Duration::ZERO)
    .jitter(Jitter::None);

const fn now(attempts: u32) -> RetryPolicy {
    NOW.max_attempts(attempts)
}

/// The error of attempt `n`. No `Clone`: the loop can only hand back the value it got.
#[derive(Debug, PartialEq, Eq)]
struct Failure(u32);

/// What a hook saw, copied out of the event.
#[derive(Debug, Clone, PartialEq)]
struct Seen {
    hook: &'static str,
    error: u32,
    attempt: u32,
    delay: Duration,
    elapsed: Duration,
    function: &'static str,
}

fn seen(hook: &'static str, ev: &RetryEvent<'_, Failure>) -> Seen {
    Seen {
        hook,
        error: ev.error.0,
        attempt: ev.attempt,
        delay: ev.delay,
        elapsed: ev.elapsed,
        function: ev.function,
    }
}

// ---------------------------------------------------------------------------------------------
// Attempt counts and results
// ---------------------------------------------------------------------------------------------

#[test]
fn always_failing_runs_exactly_max_attempts() {
    for n in 1..=7 {
        let p = now(n);
        let mut calls = 0;
        let r: Result<(), Failure> = retry(&p, || {
            calls += 1;
            Err(Failure(calls))
        });
        assert_eq!(calls, n, "max_attempts({n})");
        assert_eq!(r, Err(Failure(n)), "the last error is returned");

        let mut calls = 0;
        let r: Result<(), Failure> = Retry::new(&p).run(|| {
            calls += 1;
            Err(Failure(calls))
        });
        assert_eq!((calls, r), (n, Err(Failure(n))));
    }
}

#[test]
fn max_retries_counts_retries() {
    let p = NOW.max_retries(4);
    let mut calls = 0;
    let _: Result<(), Failure> = retry(&p, || {
        calls += 1;
        Err(Failure(calls))
    });
    assert_eq!(calls, 5);
    let p = NOW.max_retries(0);
    let mut calls = 0;
    let _: Result<(), Failure> = retry(&p, || {
        calls += 1;
        Err(Failure(calls))
    });
    assert_eq!(calls, 1);
}

#[test]
fn default_policy_makes_three_attempts() {
    // The defaults (3 attempts) with the delays zeroed so nothing sleeps.
    let p = RetryPolicy::exponential().initial_delay(Duration::ZERO);
    assert_eq!(p.get_max_attempts(), 3);
    let mut calls = 0;
    let r: Result<(), Failure> = retry(&p, || {
        calls += 1;
        Err(Failure(calls))
    });
    assert_eq!((calls, r), (3, Err(Failure(3))));
}

#[test]
fn success_stops_the_loop_at_once() {
    for k in 1..=5 {
        let p = now(5);
        let mut calls = 0;
        let gave_up = Cell::new(0);
        let retries = Cell::new(0);
        let r: Result<u32, Failure> = Retry::new(&p)
            .on_retry(|_: &RetryEvent<'_, Failure>| retries.set(retries.get() + 1))
            .on_give_up(|_: &RetryEvent<'_, Failure>| gave_up.set(gave_up.get() + 1))
            .run(|| {
                calls += 1;
                if calls < k {
                    Err(Failure(calls))
                } else {
                    Ok(calls * 10)
                }
            });
        assert_eq!(r, Ok(k * 10));
        assert_eq!(calls, k);
        assert_eq!(retries.get(), k - 1);
        assert_eq!(gave_up.get(), 0, "no give-up on success");
    }
}

#[test]
fn the_last_error_is_returned_unchanged() {
    // A boxed error: the very allocation made by the last attempt comes back.
    let p = now(4);
    let mut last: *const u32 = std::ptr::null();
    let mut calls = 0;
    let r: Result<(), Box<u32>> = retry(&p, || {
        calls += 1;
        let e = Box::new(calls);
        last = &*e;
        Err(e)
    });
    let e = r.unwrap_err();
    assert_eq!(*e, 4);
    assert!(
        std::ptr::eq(&*e, last),
        "the error was not moved through unchanged"
    );
}

#[test]
fn errors_need_no_debug_or_clone() {
    struct Opaque(&'static str);
    let p = now(2);
    let r: Result<(), Opaque> = Retry::new(&p)
        .when(|_: &Opaque| true)
        .on_retry(|ev: &RetryEvent<'_, Opaque>| assert_eq!(ev.error.0, "first"))
        .run({
            let mut n = 0;
            move || {
                n += 1;
                Err(Opaque(if n == 1 { "first" } else { "second" }))
            }
        });
    match r {
        Err(Opaque(msg)) => assert_eq!(msg, "second"),
        Ok(()) => panic!("expected the last error"),
    }
}

#[test]
fn a_failed_attempts_mutation_is_visible_to_the_next() {
    let p = now(5);
    let mut log: Vec<u32> = Vec::new();
    let mut budget = 3;
    let r: Result<usize, Failure> = retry(&p, || {
        // Each attempt sees what the previous ones did.
        log.push(budget);
        if budget > 0 {
            budget -= 1;
            Err(Failure(budget))
        } else {
            Ok(log.len())
        }
    });
    assert_eq!(r, Ok(4));
    assert_eq!(log, [3, 2, 1, 0]);
    assert_eq!(budget, 0);
}

#[test]
fn a_retry_can_be_reused_and_each_call_starts_fresh() {
    let p = now(3);
    let give_ups = RefCell::new(Vec::new());
    let r = Retry::new(&p)
        .on_give_up(|ev: &RetryEvent<'_, Failure>| give_ups.borrow_mut().push(ev.attempt));
    for _ in 0..3 {
        let mut calls = 0;
        let out: Result<(), Failure> = r.run(|| {
            calls += 1;
            Err(Failure(calls))
        });
        assert_eq!((calls, out), (3, Err(Failure(3))));
    }
    assert_eq!(*give_ups.borrow(), [3, 3, 3]);
}

// ---------------------------------------------------------------------------------------------
// Hooks
// ---------------------------------------------------------------------------------------------

#[test]
fn on_retry_then_on_give_up_see_every_failure_in_order() {
    // Linear 500 us: sleeps of 0.5, 1 and 1.5 ms (3 ms in all) between four attempts.
    let p = RetryPolicy::linear()
        .max_attempts(4)
        .initial_delay(Duration::from_micros(500))
        .jitter(Jitter::None);
    let log = RefCell::new(Vec::new());
    let started = Instant::now();
    let mut calls = 0;
    let r: Result<(), Failure> = Retry::new(&p)
        .function("fetch_models")
        .on_retry(|ev: &RetryEvent<'_, Failure>| log.borrow_mut().push(seen("retry", ev)))
        .on_give_up(|ev: &RetryEvent<'_, Failure>| log.borrow_mut().push(seen("give_up", ev)))
        .run(|| {
            calls += 1;
            Err(Failure(calls * 100))
        });
    let total = started.elapsed();
    assert_eq!(r, Err(Failure(400)));
    let log = log.into_inner();
    let shape: Vec<(&str, u32, u32, Duration, &str)> = log
        .iter()
        .map(|s| (s.hook, s.attempt, s.error, s.delay, s.function))
        .collect();
    let us = Duration::from_micros;
    assert_eq!(
        shape,
        [
            ("retry", 1, 100, us(500), "fetch_models"),
            ("retry", 2, 200, us(1000), "fetch_models"),
            ("retry", 3, 300, us(1500), "fetch_models"),
            ("give_up", 4, 400, Duration::ZERO, "fetch_models"),
        ]
    );
    // elapsed: time since the first attempt began; each sleep has happened before the next event.
    assert!(log.windows(2).all(|w| w[0].elapsed <= w[1].elapsed));
    assert!(log[1].elapsed >= us(500));
    assert!(log[2].elapsed >= us(1500));
    assert!(
        log[3].elapsed >= us(3000),
        "give-up after all sleeps: {:?}",
        log[3].elapsed
    );
    assert!(log[3].elapsed <= total);
    assert!(total >= us(3000), "the loop slept on the calling thread");
}

#[test]
fn function_name_defaults_to_retry() {
    let p = now(2);
    let names = RefCell::new(Vec::new());
    let _: Result<(), Failure> = Retry::new(&p)
        .on_retry(|ev: &RetryEvent<'_, Failure>| names.borrow_mut().push(ev.function))
        .on_give_up(|ev: &RetryEvent<'_, Failure>| names.borrow_mut().push(ev.function))
        .run(|| Err(Failure(0)));
    let names = names.into_inner();
    assert_eq!(names.len(), 2);
    assert!(names.iter().all(|n| *n == "retry"), "{names:?}");
}

#[test]
fn on_give_up_runs_exactly_once_with_the_last_attempt() {
    for n in 1..=4 {
        let p = now(n);
        let log = RefCell::new(Vec::new());
        let mut calls = 0;
        let r: Result<(), Failure> = Retry::new(&p)
            .on_give_up(|ev: &RetryEvent<'_, Failure>| log.borrow_mut().push(seen("give_up", ev)))
            .run(|| {
                calls += 1;
                Err(Failure(calls))
            });
        assert_eq!(r, Err(Failure(n)));
        let log = log.into_inner();
        assert_eq!(log.len(), 1, "on_give_up once for max_attempts({n})");
        assert_eq!(
            (log[0].attempt, log[0].error, log[0].delay),
            (n, n, Duration::ZERO)
        );
    }
}

#[test]
fn only_on_give_up_or_only_on_retry_may_be_set() {
    let p = now(3);
    let retries = Cell::new(0);
    let _: Result<(), Failure> = Retry::new(&p)
        .on_retry(|_: &RetryEvent<'_, Failure>| retries.set(retries.get() + 1))
        .run(|| Err(Failure(1)));
    assert_eq!(retries.get(), 2);
}

// ---------------------------------------------------------------------------------------------
// Step 1: when / unless
// ---------------------------------------------------------------------------------------------

#[test]
fn when_false_is_a_permanent_error() {
    let p = now(5);
    let retried = Cell::new(0);
    let gave_up = RefCell::new(Vec::new());
    let mut calls = 0;
    let r: Result<(), Failure> = Retry::new(&p)
        .when(|e: &Failure| e.0 >= 500)
        .on_retry(|_: &RetryEvent<'_, Failure>| retried.set(retried.get() + 1))
        .on_give_up(|ev: &RetryEvent<'_, Failure>| gave_up.borrow_mut().push(seen("give_up", ev)))
        .run(|| {
            calls += 1;
            // 503, 503, then 404: the 404 is permanent.
            Err(Failure(if calls < 3 { 503 } else { 404 }))
        });
    assert_eq!(r, Err(Failure(404)));
    assert_eq!(calls, 3);
    assert_eq!(retried.get(), 2);
    let g = gave_up.into_inner();
    assert_eq!(g.len(), 1);
    assert_eq!(
        (g[0].attempt, g[0].error, g[0].delay),
        (3, 404, Duration::ZERO)
    );
}

#[test]
fn when_false_on_the_first_attempt_returns_at_once() {
    let p = now(5);
    let gave_up = Cell::new(0);
    let mut calls = 0;
    let r: Result<(), Failure> = Retry::new(&p)
        .when(|_: &Failure| false)
        .on_give_up(|ev: &RetryEvent<'_, Failure>| {
            assert_eq!(ev.attempt, 1);
            gave_up.set(gave_up.get() + 1)
        })
        .run(|| {
            calls += 1;
            Err(Failure(7))
        });
    assert_eq!((r, calls, gave_up.get()), (Err(Failure(7)), 1, 1));
}

#[test]
fn unless_true_is_a_permanent_error_and_is_checked_first() {
    let p = now(5);
    let when_calls = Cell::new(0);
    let gave_up = Cell::new(0);
    let mut calls = 0;
    let r: Result<(), Failure> = Retry::new(&p)
        .when(|_: &Failure| {
            when_calls.set(when_calls.get() + 1);
            true
        })
        .unless(|e: &Failure| e.0 == 401)
        .on_give_up(|ev: &RetryEvent<'_, Failure>| {
            assert_eq!((ev.attempt, ev.error.0), (2, 401));
            gave_up.set(gave_up.get() + 1)
        })
        .run(|| {
            calls += 1;
            Err(Failure(if calls == 1 { 503 } else { 401 }))
        });
    assert_eq!(r, Err(Failure(401)));
    assert_eq!(calls, 2);
    assert_eq!(gave_up.get(), 1);
    // `when` was asked about the 503 only: `unless` decided the 401 before it.
    assert_eq!(when_calls.get(), 1);
}

#[test]
fn unless_false_and_when_true_retry() {
    let p = now(4);
    let mut calls = 0;
    let r: Result<(), Failure> = Retry::new(&p)
        .unless(|e: &Failure| e.0 == 401)
        .when(|e: &Failure| e.0 == 503)
        .run(|| {
            calls += 1;
            Err(Failure(503))
        });
    assert_eq!((calls, r), (4, Err(Failure(503))));
}

#[test]
fn a_permanent_error_on_the_last_attempt_gives_up_once() {
    let p = now(2);
    let gave_up = Cell::new(0);
    let r: Result<(), Failure> = Retry::new(&p)
        .unless(|_: &Failure| true)
        .on_give_up(|_: &RetryEvent<'_, Failure>| gave_up.set(gave_up.get() + 1))
        .run(|| Err(Failure(1)));
    assert_eq!((r, gave_up.get()), (Err(Failure(1)), 1));
}

// ---------------------------------------------------------------------------------------------
// Step 3: retry_after
// ---------------------------------------------------------------------------------------------

#[test]
fn retry_after_sleep_is_the_larger_of_hint_and_computed() {
    let ms = Duration::from_millis;
    // Computed 0, hint 1 ms: sleep 1 ms. Computed 0, no hint: sleep 0.
    let p = now(3);
    let delays = RefCell::new(Vec::new());
    let mut calls = 0;
    let started = Instant::now();
    let _: Result<(), Failure> = Retry::new(&p)
        .retry_after(|e: &Failure| if e.0 == 1 { Some(ms(1)) } else { None })
        .on_retry(|ev: &RetryEvent<'_, Failure>| delays.borrow_mut().push(ev.delay))
        .run(|| {
            calls += 1;
            Err(Failure(calls))
        });
    assert_eq!(*delays.borrow(), [ms(1), Duration::ZERO]);
    assert!(started.elapsed() >= ms(1), "the hinted sleep happened");

    // Computed 1 ms, hint 0 or below: the computed delay wins.
    let p = RetryPolicy::fixed()
        .max_attempts(2)
        .initial_delay(ms(1))
        .jitter(Jitter::None);
    let delays = RefCell::new(Vec::new());
    let _: Result<(), Failure> = Retry::new(&p)
        .retry_after(|_: &Failure| Some(Duration::ZERO))
        .on_retry(|ev: &RetryEvent<'_, Failure>| delays.borrow_mut().push(ev.delay))
        .run(|| Err(Failure(0)));
    assert_eq!(*delays.borrow(), [ms(1)]);
}

#[test]
fn retry_after_beyond_max_delay_gives_up_now() {
    let p = RetryPolicy::fixed()
        .max_attempts(5)
        .initial_delay(Duration::ZERO)
        .max_delay(Duration::from_secs(10))
        .jitter(Jitter::None);
    let retried = Cell::new(0);
    let gave_up = RefCell::new(Vec::new());
    let mut calls = 0;
    let started = Instant::now();
    let r: Result<(), Failure> = Retry::new(&p)
        .retry_after(|_: &Failure| Some(Duration::from_secs(10) + Duration::from_nanos(1)))
        .on_retry(|_: &RetryEvent<'_, Failure>| retried.set(retried.get() + 1))
        .on_give_up(|ev: &RetryEvent<'_, Failure>| gave_up.borrow_mut().push(seen("give_up", ev)))
        .run(|| {
            calls += 1;
            Err(Failure(calls))
        });
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "no sleep was taken"
    );
    assert_eq!(r, Err(Failure(1)));
    assert_eq!((calls, retried.get()), (1, 0));
    let g = gave_up.into_inner();
    assert_eq!(g.len(), 1);
    assert_eq!((g[0].attempt, g[0].delay), (1, Duration::ZERO));
}

#[test]
fn retry_after_equal_to_max_delay_is_honoured() {
    let ms = Duration::from_millis;
    let p = RetryPolicy::fixed()
        .max_attempts(2)
        .initial_delay(Duration::ZERO)
        .max_delay(ms(1))
        .jitter(Jitter::None);
    let delays = RefCell::new(Vec::new());
    let mut calls = 0;
    let _: Result<(), Failure> = Retry::new(&p)
        .retry_after(|_: &Failure| Some(ms(1)))
        .on_retry(|ev: &RetryEvent<'_, Failure>| delays.borrow_mut().push(ev.delay))
        .run(|| {
            calls += 1;
            Err(Failure(calls))
        });
    assert_eq!(calls, 2);
    assert_eq!(*delays.borrow(), [ms(1)]);
}

#[test]
fn retry_after_past_max_elapsed_gives_up_now() {
    let ms = Duration::from_millis;
    let p = RetryPolicy::fixed()
        .max_attempts(5)
        .initial_delay(Duration::ZERO)
        .max_delay(ms(60_000))
        .max_elapsed(ms(5_000))
        .jitter(Jitter::None);
    let gave_up = Cell::new(0);
    let mut calls = 0;
    let r: Result<(), Failure> = Retry::new(&p)
        .retry_after(|_: &Failure| Some(ms(6_000)))
        .on_give_up(|_: &RetryEvent<'_, Failure>| gave_up.set(gave_up.get() + 1))
        .run(|| {
            calls += 1;
            Err(Failure(calls))
        });
    assert_eq!((r, calls, gave_up.get()), (Err(Failure(1)), 1, 1));
}

// ---------------------------------------------------------------------------------------------
// Step 4: max_elapsed
// ---------------------------------------------------------------------------------------------

#[test]
fn max_elapsed_refuses_a_sleep_that_would_end_past_it() {
    let ms = Duration::from_millis;
    // The first attempt takes at least 3 ms; a 2 ms sleep would end past 4 ms: give up.
    let p = RetryPolicy::fixed()
        .max_attempts(10)
        .initial_delay(ms(2))
        .jitter(Jitter::None)
        .max_elapsed(ms(4));
    let gave_up = RefCell::new(Vec::new());
    let mut calls = 0;
    let r: Result<(), Failure> = Retry::new(&p)
        .on_give_up(|ev: &RetryEvent<'_, Failure>| gave_up.borrow_mut().push(seen("give_up", ev)))
        .run(|| {
            calls += 1;
            std::thread::sleep(ms(3));
            Err(Failure(calls))
        });
    assert_eq!((r, calls), (Err(Failure(1)), 1));
    let g = gave_up.into_inner();
    assert_eq!(g.len(), 1);
    assert_eq!(g[0].attempt, 1);
    assert!(
        g[0].elapsed >= ms(3),
        "elapsed counts the attempt itself: {:?}",
        g[0].elapsed
    );
}

#[test]
fn max_elapsed_shorter_than_the_first_delay_gives_up_after_one_attempt() {
    let p = RetryPolicy::fixed()
        .max_attempts(10)
        .initial_delay(Duration::from_secs(2))
        .jitter(Jitter::None)
        .max_elapsed(Duration::from_secs(1));
    let started = Instant::now();
    let mut calls = 0;
    let r: Result<(), Failure> = retry(&p, || {
        calls += 1;
        Err(Failure(calls))
    });
    assert_eq!((r, calls), (Err(Failure(1)), 1));
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "no sleep was started"
    );
}

#[test]
fn max_elapsed_does_not_stop_zero_delay_retries() {
    let p = now(6).max_elapsed(Duration::from_secs(60));
    let mut calls = 0;
    let r: Result<(), Failure> = retry(&p, || {
        calls += 1;
        Err(Failure(calls))
    });
    assert_eq!((r, calls), (Err(Failure(6)), 6));
}

// ---------------------------------------------------------------------------------------------
// Panics
// ---------------------------------------------------------------------------------------------

#[test]
fn panics_propagate_and_are_not_retried() {
    let p = now(5);
    let calls = Cell::new(0);
    let retried = Cell::new(0);
    let gave_up = Cell::new(0);
    let out = catch_unwind(AssertUnwindSafe(|| {
        Retry::new(&p)
            .on_retry(|_: &RetryEvent<'_, Failure>| retried.set(retried.get() + 1))
            .on_give_up(|_: &RetryEvent<'_, Failure>| gave_up.set(gave_up.get() + 1))
            .run(|| -> Result<(), Failure> {
                calls.set(calls.get() + 1);
                if calls.get() == 2 {
                    panic!("boom on attempt 2");
                }
                Err(Failure(calls.get()))
            })
    }));
    let payload = out.expect_err("the panic propagates");
    assert_eq!(payload.downcast_ref::<&str>(), Some(&"boom on attempt 2"));
    assert_eq!(calls.get(), 2, "not retried after the panic");
    assert_eq!(retried.get(), 1);
    assert_eq!(gave_up.get(), 0, "a panic is not a give-up");

    let calls = Cell::new(0);
    let out = catch_unwind(AssertUnwindSafe(|| {
        retry(&p, || -> Result<(), Failure> {
            calls.set(calls.get() + 1);
            panic!("first");
        })
    }));
    assert!(out.is_err());
    assert_eq!(calls.get(), 1);
}

#[test]
fn jittered_sleeps_stay_within_the_policy() {
    // Full jitter over a 1 ms base: on_retry reports each sleep, all within [0, 1 ms].
    let p = RetryPolicy::exponential()
        .max_attempts(4)
        .initial_delay(Duration::from_micros(250))
        .max_delay(Duration::from_millis(1))
        .jitter(Jitter::Full);
    let delays = RefCell::new(Vec::new());
    let _: Result<(), Failure> = Retry::new(&p)
        .on_retry(|ev: &RetryEvent<'_, Failure>| delays.borrow_mut().push(ev.delay))
        .run(|| Err(Failure(0)));
    let delays = delays.into_inner();
    assert_eq!(delays.len(), 3);
    let bases = [250, 500, 1000].map(Duration::from_micros);
    for (d, b) in delays.iter().zip(bases) {
        assert!(*d <= b, "{d:?} above its base {b:?}");
    }
}
