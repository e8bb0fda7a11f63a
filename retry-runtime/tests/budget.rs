//! Retry budgets in the loops: the proof that a budget caps the load a failing backend sees
//! (Google SRE's "retry budget" result: ~3x without, ~1.1x with), refusals, defaults, drops.
//!
//! Run with `--nocapture` to see the measured factors.

use std::cell::Cell;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use retry_runtime::__private::{async_decide, pause, AsyncState, BudgetSite, Site};
use retry_runtime::{
    budget, configure_budget, retry, Jitter, Retry, RetryBudget, RetryEvent, RetryPolicy,
};

/// Five attempts, no sleeping: the worst case for a backend that is down.
const FIVE: RetryPolicy = RetryPolicy::fixed()
    .max_attempts(5)
    .initial_delay(Duration::ZERO)
    .jitter(Jitter::None);

const THREADS: u64 = 8;
const CALLS_PER_THREAD: u64 = 5_000;

/// Runs `CALLS_PER_THREAD` logical calls on each of `THREADS` threads against a backend that
/// always fails; returns (attempts, calls, seconds).
fn storm(call: impl Fn(&AtomicU64) + Sync) -> (u64, u64, f64) {
    let attempts = AtomicU64::new(0);
    let started = Instant::now();
    std::thread::scope(|s| {
        for _ in 0..THREADS {
            s.spawn(|| {
                for _ in 0..CALLS_PER_THREAD {
                    call(&attempts);
                }
            });
        }
    });
    (
        attempts.load(Ordering::Relaxed),
        THREADS * CALLS_PER_THREAD,
        started.elapsed().as_secs_f64(),
    )
}

/// The most a budget may admit: `ratio` per first attempt plus `min_per_sec` per second of its
/// window (Finagle's reserve is `min_per_sec * ttl`, available at once).
fn bound(config: RetryBudget, calls: u64, seconds: f64) -> f64 {
    let window = seconds.max(config.get_ttl().as_secs_f64());
    1.0 + config.get_ratio() + f64::from(config.get_min_per_sec()) * window / calls as f64
}

/// `a <= b`, allowing for the rounding of the two divisions.
fn within(a: f64, b: f64) -> bool {
    a <= b + 1e-9
}

fn failing(attempts: &AtomicU64) -> Result<(), &'static str> {
    attempts.fetch_add(1, Ordering::Relaxed);
    Err("503")
}

#[test]
fn without_a_budget_every_call_makes_max_attempts() {
    let (attempts, calls, seconds) = storm(|n| {
        let _ = retry(&FIVE, || failing(n));
    });
    let factor = attempts as f64 / calls as f64;
    println!(
        "no budget: {calls} calls on {THREADS} threads, {attempts} attempts, factor {factor:.4} ({seconds:.3} s)"
    );
    assert_eq!(factor, 5.0);
}

#[test]
fn a_budget_caps_attempts_per_call_near_one_plus_ratio_sync() {
    let config = RetryBudget::new(); // 0.1, 10/s, 10 s
    configure_budget("proof-sync", config);
    let (attempts, calls, seconds) = storm(|n| {
        let _ = Retry::new(&FIVE).budget("proof-sync").run(|| failing(n));
    });
    let factor = attempts as f64 / calls as f64;
    let limit = bound(config, calls, seconds);
    println!(
        "budget (Retry::budget): {calls} calls on {THREADS} threads, {attempts} attempts, factor {factor:.4}, bound {limit:.4} ({seconds:.3} s)"
    );
    assert!(within(factor, limit), "{factor} > {limit}");
    // And the budget is actually used, not merely refusing everything.
    assert!(factor >= 1.0 + config.get_ratio() * 0.9, "{factor}");
}

#[test]
fn a_budget_caps_attempts_per_call_through_a_site() {
    static BUDGET: BudgetSite = BudgetSite::new("proof-site");
    let config = RetryBudget::new().ratio(0.2).min_per_sec(5);
    configure_budget("proof-site", config);
    let (attempts, calls, seconds) = storm(|n| {
        let _ = retry_runtime::__private::run_sync(
            retry_runtime::__private::with_budget_site(Retry::new(&FIVE), &BUDGET),
            || failing(n),
        );
    });
    let factor = attempts as f64 / calls as f64;
    let limit = bound(config, calls, seconds);
    println!(
        "budget (site, ratio 0.2): {calls} calls on {THREADS} threads, {attempts} attempts, factor {factor:.4}, bound {limit:.4} ({seconds:.3} s)"
    );
    assert!(within(factor, limit), "{factor} > {limit}");
    assert!(factor >= 1.0 + config.get_ratio() * 0.9, "{factor}");
}

#[test]
fn a_budget_caps_attempts_per_call_async_tasks() {
    static BUDGET: BudgetSite = BudgetSite::new("proof-async");
    let config = RetryBudget::new();
    configure_budget("proof-async", config);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(4)
        .build()
        .unwrap();
    let attempts = Arc::new(AtomicU64::new(0));
    let tasks = 4_000u64;
    let per_task = 10u64;
    let started = Instant::now();
    rt.block_on(async {
        let mut handles = Vec::new();
        for i in 0..tasks {
            let attempts = attempts.clone();
            handles.push(tokio::spawn(async move {
                for _ in 0..per_task {
                    let op = || {
                        let attempts = attempts.clone();
                        async move { failing(&attempts) }
                    };
                    if i % 2 == 0 {
                        // The function API.
                        let _ = Retry::new(&FIVE).budget("proof-async").run_async(op).await;
                    } else {
                        // The attribute's expansion: a first attempt deposits on success here,
                        // on failure in the decision; decide after each failure.
                        let mut state = AsyncState::start(false);
                        loop {
                            if op().await.is_ok() {
                                if state.first_attempt() {
                                    BUDGET.deposit();
                                }
                                break;
                            }
                            let retry = retry_runtime::__private::with_budget_site(
                                Retry::new(&FIVE),
                                &BUDGET,
                            );
                            match async_decide(&retry, &mut state, &"503") {
                                Some(delay) => pause(delay).await,
                                None => break,
                            }
                        }
                    }
                }
            }));
        }
        for h in handles {
            h.await.unwrap();
        }
    });
    let seconds = started.elapsed().as_secs_f64();
    let attempts = attempts.load(Ordering::Relaxed);
    let calls = tasks * per_task;
    let factor = attempts as f64 / calls as f64;
    let limit = bound(config, calls, seconds);
    println!(
        "budget (async, 4 workers): {calls} calls in {tasks} tasks, {attempts} attempts, factor {factor:.4}, bound {limit:.4} ({seconds:.3} s)"
    );
    assert!(within(factor, limit), "{factor} > {limit}");
    assert!(factor >= 1.0 + config.get_ratio() * 0.9, "{factor}");
}

#[test]
fn a_budget_keeps_the_cap_over_many_ttls() {
    // A short ttl and a run of many of them: deposits and withdrawals must expire, and the cap
    // hold window after window.
    let config = RetryBudget::new()
        .ratio(0.1)
        .min_per_sec(10)
        .ttl(Duration::from_millis(100));
    configure_budget("proof-sustained", config);
    let attempts = AtomicU64::new(0);
    let calls = AtomicU64::new(0);
    let run_for = Duration::from_millis(1_000);
    let started = Instant::now();
    std::thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| {
                while started.elapsed() < run_for {
                    for _ in 0..100 {
                        calls.fetch_add(1, Ordering::Relaxed);
                        let _ = Retry::new(&FIVE)
                            .budget("proof-sustained")
                            .run(|| failing(&attempts));
                    }
                }
            });
        }
    });
    let seconds = started.elapsed().as_secs_f64();
    let (attempts, calls) = (
        attempts.load(Ordering::Relaxed),
        calls.load(Ordering::Relaxed),
    );
    let factor = attempts as f64 / calls as f64;
    // Per window of ttl: ratio of its first attempts plus min_per_sec * ttl; over the run,
    // ratio of all first attempts plus min_per_sec * (run + ttl). The deposits of a window are
    // estimated within a tenth of a window's worth (see the budget's documentation).
    let ttl = config.get_ttl().as_secs_f64();
    let limit = 1.0
        + config.get_ratio() * 1.1
        + f64::from(config.get_min_per_sec()) * (seconds + ttl) / calls as f64;
    println!(
        "budget over {:.0} ttls (ttl 100 ms): {calls} calls on 4 threads, {attempts} attempts, factor {factor:.4}, bound {limit:.4} ({seconds:.3} s)",
        seconds / ttl
    );
    assert!(within(factor, limit), "{factor} > {limit}");
    assert!(factor >= 1.0 + config.get_ratio() * 0.5, "{factor}");
}

#[test]
fn a_refused_retry_gives_up_at_once_counts_and_calls_on_give_up() {
    static SITE: Site = Site::new("budget_refusal_site");
    // No ratio and no reserve: every retry is refused.
    configure_budget("refuse-all", RetryBudget::new().ratio(0.0).min_per_sec(0));
    let given_up = Cell::new(Vec::new());
    let mut attempts = 0;
    let r: Result<(), u32> = retry_runtime::__private::retry_at_site(&FIVE, &SITE, None)
        .budget("refuse-all")
        .on_give_up(|ev: &RetryEvent<'_, u32>| {
            let mut v = given_up.take();
            v.push((ev.attempt, *ev.error, ev.delay, ev.function));
            given_up.set(v);
        })
        .run(|| {
            attempts += 1;
            Err(attempts)
        });
    assert_eq!(r, Err(1), "the last error, unchanged");
    assert_eq!(attempts, 1);
    assert_eq!(
        given_up.take(),
        [(1, 1, Duration::ZERO, "budget_refusal_site")]
    );
    let s = SITE.snapshot();
    assert_eq!(
        (s.retries, s.give_ups, s.budget_refusals),
        (0, 1, 1),
        "{s:?}"
    );
    let listed = retry_runtime::stats()
        .into_iter()
        .find(|s| s.function == "budget_refusal_site")
        .expect("the site is listed after its first refusal");
    assert_eq!(listed.budget_refusals, 1);
}

#[test]
fn the_reserve_admits_min_per_sec_times_ttl_then_refuses() {
    static SITE: Site = Site::new("budget_reserve_site");
    let config = RetryBudget::new()
        .ratio(0.0)
        .min_per_sec(2)
        .ttl(Duration::from_secs(5));
    configure_budget("reserve-only", config);
    // Calls that fail twice then succeed: each needs two retries; 10 tokens in all.
    let mut admitted_calls = 0;
    for _ in 0..10 {
        let mut n = 0;
        let r: Result<u32, ()> = retry_runtime::__private::retry_at_site(&FIVE, &SITE, None)
            .budget("reserve-only")
            .run(|| {
                n += 1;
                if n < 3 {
                    Err(())
                } else {
                    Ok(n)
                }
            });
        if r.is_ok() {
            admitted_calls += 1;
        }
    }
    assert_eq!(admitted_calls, 5);
    let s = SITE.snapshot();
    assert_eq!((s.retries, s.budget_refusals, s.give_ups), (10, 5, 5));
}

#[test]
fn a_name_never_configured_uses_the_defaults() {
    assert!(budget("budget-never-configured").is_none());
    let r: Result<(), ()> = Retry::new(&FIVE)
        .budget("budget-never-configured")
        .run(|| Ok(()));
    assert!(r.is_ok());
    let b = budget("budget-never-configured").expect("created on first use");
    assert_eq!(b.config(), RetryBudget::default());
    // A fresh default budget has its reserve: 10/s over 10 s, plus 0.1 per call made.
    assert!((b.available() - 100.1).abs() < 1e-6, "{}", b.available());
}

#[test]
fn success_deposits_once_per_call_and_withdraws_nothing() {
    static BUDGET: BudgetSite = BudgetSite::new("deposit-only");
    configure_budget("deposit-only", RetryBudget::new().ratio(0.5).min_per_sec(0));
    for _ in 0..10 {
        let r: Result<u8, ()> = retry_runtime::__private::run_sync(
            retry_runtime::__private::with_budget_site(Retry::new(&FIVE), &BUDGET),
            || Ok(1),
        );
        assert_eq!(r, Ok(1));
        let r: Result<u8, ()> = Retry::new(&FIVE).budget("deposit-only").run(|| Ok(1));
        assert_eq!(r, Ok(1));
    }
    // 20 first attempts at 0.5: 10 tokens.
    assert!((BUDGET.get().available() - 10.0).abs() < 1e-6);
}

#[test]
fn invalid_values_are_rejected_not_defaulted() {
    for ratio in [-0.1, f64::NAN, f64::INFINITY, 1000.5] {
        assert!(RetryBudget::new().try_ratio(ratio).is_err(), "{ratio}");
    }
    for ttl in [
        Duration::ZERO,
        Duration::from_micros(999),
        Duration::from_secs(3601),
    ] {
        assert!(RetryBudget::new().try_ttl(ttl).is_err(), "{ttl:?}");
    }
    assert!(RetryBudget::new().try_ratio(1000.0).is_ok());
    assert!(RetryBudget::new().try_ttl(Duration::from_millis(1)).is_ok());
    let panicked = std::panic::catch_unwind(|| RetryBudget::new().ratio(-1.0));
    assert!(panicked.is_err());
}

#[tokio::test(start_paused = true)]
async fn dropping_an_async_call_leaves_nothing_held() {
    // Budgets read tokio's clock, paused here: created here, it counts from this test's start.
    // A reserve of 10 tokens; each first attempt deposits half a token.
    configure_budget("drop-async", RetryBudget::new().ratio(0.5).min_per_sec(1));
    const SLOW: RetryPolicy = RetryPolicy::fixed()
        .max_attempts(5)
        .initial_delay(Duration::from_secs(5))
        .jitter(Jitter::None);
    let b = budget("drop-async").unwrap();
    assert_eq!(b.available(), 10.0);
    let retry = Retry::new(&SLOW).budget("drop-async");
    let call = retry.run_async(|| async { Err::<(), _>("503") });
    // One attempt fails, one token pays for the retry, and the call sleeps: drop it there.
    let r = tokio::time::timeout(Duration::from_secs(1), call).await;
    assert!(r.is_err(), "still sleeping");
    // The deposit and the token spent on a retry that was decided; nothing else is reserved
    // or pending.
    assert_eq!(b.available(), 9.5);
    // Past the ttl (10 s) and its last bucket, both the deposit and the withdrawal have
    // expired: the reserve alone is left, and the dropped call took nothing more.
    tokio::time::advance(Duration::from_secs(30)).await;
    assert_eq!(b.available(), 10.0);
}
