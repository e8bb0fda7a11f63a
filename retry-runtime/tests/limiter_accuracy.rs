//! The rate limiter's bound, `burst + rate * t / per` units over any interval `t`, under
//! load: 8 tasks hammering one limiter for 60 s of tokio's paused clock (every admission
//! checked against the bound from the start and over every window between two admissions,
//! and the long-run rate within 1 % of the configured one), with a cost of 1, with costs drawn
//! per call from a seeded generator, and with `try_acquire` callers that sleep until the
//! `retry_in` they were told; then 8 plain threads on the real clock, where each admission is
//! known only to lie between the readings taken around its call, so the bound is checked on
//! the admissions known to lie inside each window.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use retry_runtime::{LimiterConfig, RateLimiter};
use tokio::time::Instant;

const RATE: u32 = 100;
const BURST: u32 = 10;
const RUN: Duration = Duration::from_secs(60);
const TASKS: usize = 8;

fn config() -> LimiterConfig {
    LimiterConfig::new(RATE, Duration::from_secs(1)).burst(BURST)
}

/// The most units the bound allows over `t` (whole units: the bound rounded down, exactly).
fn allowed(t: Duration) -> u64 {
    let units = u128::from(BURST) + u128::from(RATE) * t.as_nanos() / 1_000_000_000;
    units as u64
}

/// splitmix64: a seeded sequence, so a failure replays.
struct Seeded(u64);

impl Seeded {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// Admissions as (time since the start, units), checked against the bound: from the start at
/// every admission, and over every window from one admission's instant to a later one's (all
/// the admissions at both ends included). Returns the units admitted in all, and when the last
/// of them was.
fn check(mut admitted: Vec<(Duration, u32)>) -> (u64, Duration) {
    admitted.sort();
    // The distinct instants, with the units admitted up to and including each.
    let mut instants: Vec<(Duration, u64)> = Vec::new();
    for &(at, units) in &admitted {
        match instants.last_mut() {
            Some((last, total)) if *last == at => *total += u64::from(units),
            _ => {
                let total = instants.last().map_or(0, |&(_, t)| t);
                instants.push((at, total + u64::from(units)));
            }
        }
    }
    for &(at, total) in &instants {
        assert!(
            total <= allowed(at),
            "{total} units by {at:?}, more than the bound {}",
            allowed(at)
        );
    }
    for i in 0..instants.len() {
        let before = if i == 0 { 0 } else { instants[i - 1].1 };
        let from = instants[i].0;
        for &(to, total) in &instants[i..] {
            let units = total - before;
            assert!(
                units <= allowed(to - from),
                "{units} units in [{from:?}, {to:?}], more than {}",
                allowed(to - from)
            );
        }
    }
    instants
        .last()
        .map_or((0, Duration::ZERO), |&(at, t)| (t, at))
}

/// Runs `TASKS` tasks, each admitting calls through `admit` (which returns the units of the
/// call it got through) until `RUN` has passed, and returns every admission.
async fn hammer<F, Fut>(limiter: &'static RateLimiter, admit: F) -> Vec<(Duration, u32)>
where
    F: Fn(&'static RateLimiter, u64) -> Fut + Copy + Send + 'static,
    Fut: std::future::Future<Output = u32> + Send,
{
    let start = Instant::now();
    let admitted = Arc::new(Mutex::new(Vec::new()));
    let tasks: Vec<_> = (0..TASKS as u64)
        .map(|task| {
            let admitted = Arc::clone(&admitted);
            tokio::spawn(async move {
                let mut call = 0u64;
                while start.elapsed() < RUN {
                    let units = admit(limiter, task * 1_000_000 + call).await;
                    call += 1;
                    if units > 0 {
                        admitted.lock().unwrap().push((start.elapsed(), units));
                    }
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
    let admitted = admitted.lock().unwrap().clone();
    admitted
}

fn leak(name: &'static str) -> &'static RateLimiter {
    Box::leak(Box::new(RateLimiter::new(name, config())))
}

/// The long-run rate, in units a second, from the start to the last admission (the initial
/// burst left out). Calls still waiting when the run ends go through a little after it.
fn long_run_rate((total, last): (u64, Duration)) -> f64 {
    assert!(
        last >= RUN - Duration::from_secs(1),
        "the run ended early, at {last:?}"
    );
    (total - u64::from(BURST)) as f64 / last.as_secs_f64()
}

#[tokio::test(start_paused = true)]
async fn eight_tasks_stay_within_the_bound_and_hold_the_rate() {
    let limiter = leak("accuracy_unit");
    let admitted = hammer(limiter, |limiter, _| async move {
        limiter.acquire_async(1).await.unwrap();
        1
    })
    .await;
    let rate = long_run_rate(check(admitted));
    assert!(
        (rate - f64::from(RATE)).abs() <= f64::from(RATE) * 0.01,
        "{rate} a second"
    );
}

#[tokio::test(start_paused = true)]
async fn costs_drawn_per_call_stay_within_the_bound_in_units() {
    let limiter = leak("accuracy_cost");
    let admitted = hammer(limiter, |limiter, call| async move {
        let cost = 1 + Seeded(0xC057 ^ call).below(u64::from(BURST)) as u32;
        limiter.acquire_async(cost).await.unwrap();
        cost
    })
    .await;
    let rate = long_run_rate(check(admitted));
    assert!(
        (rate - f64::from(RATE)).abs() <= f64::from(RATE) * 0.01,
        "{rate} units a second"
    );
}

#[tokio::test(start_paused = true)]
async fn try_acquire_callers_told_when_to_come_back_stay_within_the_bound() {
    let limiter = leak("accuracy_try");
    let admitted = hammer(limiter, |limiter, call| async move {
        let cost = 1 + Seeded(0x7A1 ^ call).below(3) as u32;
        match limiter.try_acquire(cost) {
            Ok(()) => cost,
            Err(refused) => {
                tokio::time::sleep(refused.retry_in()).await;
                0
            }
        }
    })
    .await;
    let rate = long_run_rate(check(admitted));
    assert!(
        (rate - f64::from(RATE)).abs() <= f64::from(RATE) * 0.01,
        "{rate} units a second"
    );
}

/// Plain threads, the real clock: an admission happened somewhere between the readings taken
/// just before and just after its call (the limiter judged it at its own reading, which lies
/// between). Over a window `[s, e]`, the admissions known to lie inside (read before at or
/// after `s`, read after at or before `e`) must stay within the bound. Nothing about speed is
/// asserted.
#[test]
fn eight_threads_on_the_real_clock_stay_within_the_bound() {
    const UNITS: u64 = 300;
    let limiter: &'static RateLimiter = Box::leak(Box::new(RateLimiter::new(
        "accuracy_threads",
        LimiterConfig::new(1_000, Duration::from_secs(1)).burst(BURST),
    )));
    let start = std::time::Instant::now();
    let admitted = Arc::new(Mutex::new(Vec::new()));
    let threads: Vec<_> = (0..TASKS)
        .map(|_| {
            let admitted = Arc::clone(&admitted);
            std::thread::spawn(move || loop {
                if admitted.lock().unwrap().len() as u64 >= UNITS {
                    return;
                }
                let before = start.elapsed();
                let ok = limiter.try_acquire(1).is_ok();
                let after = start.elapsed();
                if ok {
                    admitted.lock().unwrap().push((before, after));
                } else {
                    std::thread::yield_now();
                }
            })
        })
        .collect();
    for thread in threads {
        thread.join().unwrap();
    }
    let mut admitted = admitted.lock().unwrap().clone();
    admitted.sort_by_key(|&(_, after)| after);
    let bound = |t: Duration| u128::from(BURST) + 1_000 * t.as_nanos() / 1_000_000_000;
    // From the start, at every admission.
    for (n, &(_, after)) in admitted.iter().enumerate() {
        assert!(
            (n + 1) as u128 <= bound(after),
            "{} admitted by {after:?}",
            n + 1
        );
    }
    // Every window from one call's start to another call's end.
    for &(s, _) in &admitted {
        for &(_, e) in admitted.iter().filter(|&&(_, e)| e >= s) {
            let inside = admitted
                .iter()
                .filter(|&&(before, after)| before >= s && after <= e)
                .count();
            assert!(inside as u128 <= bound(e - s), "{inside} in [{s:?}, {e:?}]");
        }
    }
}

/// A fast limiter (a million units a second, burst 1,000) hammered by 8 threads, where calls
/// contend for the limiter's word and threads take leases of several units: the bound holds
/// from the start at every admission and over windows starting at every 500th call (the
/// admissions known to lie inside, as above).
#[test]
fn eight_threads_taking_leases_stay_within_the_bound() {
    const RATE: u128 = 1_000_000;
    const BURST: u32 = 1_000;
    const CALLS_PER_THREAD: usize = 25_000;
    let limiter: &'static RateLimiter = Box::leak(Box::new(RateLimiter::new(
        "accuracy_leases",
        LimiterConfig::new(RATE as u32, Duration::from_secs(1)).burst(BURST),
    )));
    let start = std::time::Instant::now();
    let threads: Vec<_> = (0..TASKS)
        .map(|_| {
            std::thread::spawn(move || {
                let mut admitted = Vec::new();
                for _ in 0..CALLS_PER_THREAD {
                    let before = start.elapsed();
                    let ok = limiter.try_acquire(1).is_ok();
                    if ok {
                        admitted.push((before, start.elapsed()));
                    }
                }
                admitted
            })
        })
        .collect();
    let mut admitted: Vec<(Duration, Duration)> = threads
        .into_iter()
        .flat_map(|t| t.join().unwrap())
        .collect();
    assert!(!admitted.is_empty());
    admitted.sort_by_key(|&(_, after)| after);
    let bound = |t: Duration| u128::from(BURST) + RATE * t.as_nanos() / 1_000_000_000;
    for (n, &(_, after)) in admitted.iter().enumerate() {
        assert!(
            (n + 1) as u128 <= bound(after),
            "{} admitted by {after:?}",
            n + 1
        );
    }
    let mut starts: Vec<Duration> = admitted.iter().map(|&(before, _)| before).collect();
    starts.sort();
    for &s in starts.iter().step_by(500) {
        let mut inside = 0u128;
        for &(before, after) in admitted.iter().filter(|&&(_, after)| after >= s) {
            if before >= s {
                inside += 1;
            }
            assert!(inside <= bound(after - s), "{inside} in [{s:?}, {after:?}]");
        }
    }
}
