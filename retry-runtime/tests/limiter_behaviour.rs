//! What a rate limiter promises one call at a time, on tokio's paused clock: `pause` holds
//! every caller (those already waiting too) and calls resume at the rate; `set_rate` keeps the
//! burst and never refills it; a call whose turn is beyond `max_wait` is refused at once with
//! the exact time to its slot; a cost above the burst is refused at once; a waiting future
//! dropped gives its slot back (rolled back when it was the last, handed to the next caller
//! otherwise); the sync `acquire` blocks its thread until its turn; the registry.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use retry_runtime::{limiter, limiters, register_limiter, LimiterConfig, RateLimiter};
use tokio::time::{advance, sleep, Instant};

const MS: Duration = Duration::from_millis(1);
const SEC: Duration = Duration::from_secs(1);

fn leak(name: &'static str, config: LimiterConfig) -> &'static RateLimiter {
    Box::leak(Box::new(RateLimiter::new(name, config)))
}

/// Who got through and when (time since the start), `None` for a refusal.
type Log = Arc<Mutex<Vec<(&'static str, Option<Duration>)>>>;

/// Spawns a task that acquires `cost` and reports when it got through (time since `start`),
/// or `None` if refused.
fn waiter(
    limiter: &'static RateLimiter,
    cost: u32,
    start: Instant,
    log: &Log,
    label: &'static str,
) -> tokio::task::JoinHandle<()> {
    let log = Arc::clone(log);
    tokio::spawn(async move {
        let admitted = limiter
            .acquire_async(cost)
            .await
            .ok()
            .map(|()| start.elapsed());
        log.lock().unwrap().push((label, admitted));
    })
}

/// Lets every spawned task run until it waits on the clock.
async fn settle() {
    for _ in 0..10 {
        tokio::task::yield_now().await;
    }
}

#[tokio::test(start_paused = true)]
async fn pause_admits_nobody_for_its_length_then_resumes_at_the_rate() {
    let l = leak("b_pause", LimiterConfig::new(10, SEC).burst(5));
    let start = Instant::now();
    l.pause(2 * SEC);
    let refused = l.try_acquire(1).unwrap_err();
    assert_eq!(refused.retry_in(), 2 * SEC);
    assert_eq!(l.snapshot().paused_for, Some(2 * SEC));
    assert_eq!(l.snapshot().available, 0);

    let log = Arc::new(Mutex::new(Vec::new()));
    let tasks: Vec<_> = ["a", "b", "c"]
        .into_iter()
        .map(|label| waiter(l, 1, start, &log, label))
        .collect();
    for t in tasks {
        t.await.unwrap();
    }
    // Every caller held; then one at the end of the pause and one per interval: no burst.
    let log = log.lock().unwrap().clone();
    assert_eq!(
        log,
        [
            ("a", Some(2 * SEC)),
            ("b", Some(2 * SEC + 100 * MS)),
            ("c", Some(2 * SEC + 200 * MS)),
        ]
    );
    assert_eq!(l.snapshot().paused_for, None);
    // A shorter pause does not shorten a running one; a zero one changes nothing.
    l.pause(10 * SEC);
    l.pause(SEC);
    l.pause(Duration::ZERO);
    let paused_for = l.snapshot().paused_for.unwrap();
    assert!(paused_for > 9 * SEC, "{paused_for:?}");
}

#[tokio::test(start_paused = true)]
async fn a_pause_sends_calls_already_waiting_past_its_end() {
    let l = leak("b_pause_waiting", LimiterConfig::new(1, SEC).burst(1));
    let start = Instant::now();
    l.acquire_async(1).await.unwrap();
    let log = Arc::new(Mutex::new(Vec::new()));
    let task = waiter(l, 1, start, &log, "waiting");
    settle().await;
    assert_eq!(l.snapshot().waiting, 1);
    // Its turn was at 1 s; a pause of 3 s from 0.5 s covers it.
    advance(500 * MS).await;
    l.pause(3 * SEC);
    task.await.unwrap();
    assert_eq!(log.lock().unwrap()[0], ("waiting", Some(3_500 * MS)));
    assert_eq!(l.snapshot().waiting, 0);
}

#[tokio::test(start_paused = true)]
async fn a_pause_beyond_max_wait_refuses_the_waiting_call() {
    let l = leak(
        "b_pause_refuses",
        LimiterConfig::new(1, SEC).burst(1).max_wait(2 * SEC),
    );
    let start = Instant::now();
    l.acquire_async(1).await.unwrap();
    let log = Arc::new(Mutex::new(Vec::new()));
    let task = waiter(l, 1, start, &log, "waiting");
    settle().await;
    l.pause(10 * SEC);
    task.await.unwrap();
    // Woken at its old turn, it finds its next one too far away and gives up there.
    assert_eq!(log.lock().unwrap()[0], ("waiting", None));
    assert_eq!(start.elapsed(), SEC);
    assert_eq!(l.snapshot().refused, 1);
}

#[tokio::test(start_paused = true)]
async fn set_rate_keeps_the_burst_and_never_refills_it() {
    let l = leak("b_set_rate", LimiterConfig::new(10, SEC).burst(2));
    l.try_acquire(1).unwrap();
    l.try_acquire(1).unwrap();
    // Two units owed at 10 a second; at 1 a second they are owed for 2 s.
    l.set_rate(1, SEC).unwrap();
    assert_eq!(l.try_acquire(1).unwrap_err().retry_in(), SEC);
    let s = l.snapshot();
    assert_eq!((s.rate, s.per, s.burst), (1, SEC, 2));
    advance(2 * SEC).await;
    assert_eq!(l.snapshot().available, 2);
    l.try_acquire(2).unwrap();
    // Faster again: the 2 units owed take 200 ms, the next is due in 100 ms.
    l.set_rate(10, SEC).unwrap();
    assert_eq!(l.try_acquire(1).unwrap_err().retry_in(), 100 * MS);
    // A bad rate changes nothing.
    assert_eq!(
        l.set_rate(0, SEC).unwrap_err().to_string(),
        "rate must be at least 1"
    );
    assert!(l.set_rate(5, Duration::ZERO).is_err());
    assert_eq!(l.config().get_rate(), 10);
}

#[tokio::test(start_paused = true)]
async fn set_rate_keeps_a_pause_as_it_is() {
    let l = leak("b_set_rate_pause", LimiterConfig::new(1, SEC).burst(1));
    l.pause(30 * SEC);
    l.set_rate(1_000, SEC).unwrap();
    assert_eq!(l.try_acquire(1).unwrap_err().retry_in(), 30 * SEC);
}

#[tokio::test(start_paused = true)]
async fn a_turn_beyond_max_wait_is_refused_at_once_with_the_time_to_the_slot() {
    let l = leak(
        "b_max_wait",
        LimiterConfig::new(1, SEC).burst(1).max_wait(2 * SEC),
    );
    let start = Instant::now();
    let log = Arc::new(Mutex::new(Vec::new()));
    let tasks: Vec<_> = ["now", "1s", "2s"]
        .into_iter()
        .map(|label| waiter(l, 1, start, &log, label))
        .collect();
    settle().await;
    // The fourth call's turn is 3 s away: refused now, told 3 s.
    let refused = l.acquire_async(1).await.unwrap_err();
    assert_eq!(start.elapsed(), Duration::ZERO);
    assert_eq!(refused.retry_in(), 3 * SEC);
    assert_eq!(
        refused.to_string(),
        "rate limit 'b_max_wait' reached; next slot in 3s"
    );
    // The sync twin refuses the same way, without sleeping.
    assert_eq!(l.acquire(1).unwrap_err().retry_in(), 3 * SEC);
    for t in tasks {
        t.await.unwrap();
    }
    let log = log.lock().unwrap().clone();
    assert_eq!(
        log,
        [
            ("now", Some(Duration::ZERO)),
            ("1s", Some(SEC)),
            ("2s", Some(2 * SEC))
        ]
    );
    assert_eq!(l.snapshot().refused, 2);
}

#[tokio::test(start_paused = true)]
async fn a_cost_above_the_burst_is_refused_at_once_and_takes_nothing() {
    let l = leak("b_cost", LimiterConfig::new(100, SEC).burst(10));
    for refused in [
        l.try_acquire(11).unwrap_err(),
        l.acquire(11).unwrap_err(),
        l.acquire_async(u32::MAX).await.unwrap_err(),
    ] {
        assert_eq!(refused.retry_in(), Duration::MAX);
        assert!(
            refused
                .to_string()
                .starts_with("rate limit 'b_cost' can never admit a cost of "),
            "{refused}"
        );
    }
    let s = l.snapshot();
    assert_eq!((s.available, s.refused), (10, 3));
    l.try_acquire(10).unwrap();
}

#[tokio::test(start_paused = true)]
async fn a_dropped_last_reservation_is_rolled_back() {
    let l = leak("b_rollback", LimiterConfig::new(1, SEC).burst(1));
    let start = Instant::now();
    l.acquire_async(1).await.unwrap();
    let log = Arc::new(Mutex::new(Vec::new()));
    let dropped = waiter(l, 1, start, &log, "dropped");
    settle().await;
    advance(500 * MS).await;
    dropped.abort();
    assert!(dropped.await.unwrap_err().is_cancelled());
    assert_eq!(l.snapshot().waiting, 0);
    // As if it had never reserved: at 1 s the limiter has its unit, for any caller, and a
    // slot left to waiting callers only would not show in `available`.
    advance(500 * MS).await;
    assert_eq!(l.snapshot().available, 1);
    l.try_acquire(1).unwrap();
    assert_eq!(start.elapsed(), SEC);
    assert!(log.lock().unwrap().is_empty());
}

#[tokio::test(start_paused = true)]
async fn a_dropped_reservation_with_others_behind_it_goes_to_the_next_caller() {
    let l = leak("b_hole", LimiterConfig::new(1, SEC).burst(1));
    let start = Instant::now();
    l.acquire_async(1).await.unwrap();
    let log = Arc::new(Mutex::new(Vec::new()));
    let a = waiter(l, 1, start, &log, "a"); // turn 1 s
    settle().await;
    let b = waiter(l, 1, start, &log, "b"); // turn 2 s
    settle().await;
    advance(500 * MS).await;
    a.abort();
    assert!(a.await.unwrap_err().is_cancelled());
    // C would have waited until 3 s; it takes A's slot at 1 s. D then gets 3 s, not 4 s.
    let c = waiter(l, 1, start, &log, "c");
    settle().await;
    let d = waiter(l, 1, start, &log, "d");
    for t in [b, c, d] {
        t.await.unwrap();
    }
    let log = log.lock().unwrap().clone();
    assert_eq!(
        log,
        [("c", Some(SEC)), ("b", Some(2 * SEC)), ("d", Some(3 * SEC))]
    );
}

#[tokio::test(start_paused = true)]
async fn a_timeout_around_a_waiting_call_gives_its_slot_back() {
    let l = leak("b_timeout", LimiterConfig::new(1, SEC).burst(1));
    let start = Instant::now();
    l.acquire_async(1).await.unwrap();
    let waited = tokio::time::timeout(300 * MS, l.acquire_async(1)).await;
    assert!(waited.is_err());
    assert_eq!(l.snapshot().waiting, 0);
    l.acquire_async(1).await.unwrap();
    assert_eq!(start.elapsed(), SEC);
}

#[tokio::test(start_paused = true)]
async fn waiting_calls_are_counted_while_they_wait() {
    let l = leak("b_waiting", LimiterConfig::new(1, SEC).burst(1));
    let start = Instant::now();
    l.acquire_async(1).await.unwrap();
    let log = Arc::new(Mutex::new(Vec::new()));
    let tasks: Vec<_> = ["a", "b"]
        .into_iter()
        .map(|label| waiter(l, 1, start, &log, label))
        .collect();
    settle().await;
    assert_eq!(l.snapshot().waiting, 2);
    sleep(1_500 * MS).await;
    assert_eq!(l.snapshot().waiting, 1);
    for t in tasks {
        t.await.unwrap();
    }
    assert_eq!(l.snapshot().waiting, 0);
}

/// The sync `acquire` on a plain thread and the real clock: it returns at its turn, never
/// before (the only time asserted is a lower bound the sleep guarantees).
#[test]
fn acquire_blocks_the_thread_until_its_turn() {
    let l = leak(
        "b_sync",
        LimiterConfig::new(100, SEC).burst(1).max_wait(SEC),
    );
    let start = std::time::Instant::now();
    for _ in 0..4 {
        l.acquire(1).unwrap();
    }
    assert!(start.elapsed() >= 30 * MS, "{:?}", start.elapsed());
    assert_eq!(l.snapshot().waiting, 0);
}

#[test]
fn the_registry_shares_one_limiter_per_name_and_lists_them_sorted() {
    let config = LimiterConfig::new(500, Duration::from_secs(60)).burst(20);
    let a = register_limiter("b_reg_b", config);
    let name = String::from("b_reg_b");
    assert!(std::ptr::eq(a, register_limiter(&name, config.burst(1))));
    assert!(std::ptr::eq(a, limiter("b_reg_b").unwrap()));
    assert_eq!(a.config(), config);
    register_limiter("b_reg_a", LimiterConfig::new(1, SEC));
    a.try_acquire(5).unwrap();
    let listed: Vec<_> = limiters()
        .into_iter()
        .filter(|s| s.name.starts_with("b_reg_"))
        .collect();
    assert_eq!(listed.len(), 2);
    assert_eq!(listed[0].name, "b_reg_a");
    assert_eq!(
        listed[1].to_string(),
        "b_reg_b  500 per 1m, burst 20: 15 available, 0 waiting, 0 refused"
    );
    assert!(limiter("b_reg_never").is_none());
}

#[cfg(feature = "tracing")]
#[path = "common/capture.rs"]
mod capture;

#[cfg(feature = "tracing")]
#[test]
fn a_different_configuration_is_reported_once() {
    let lines: Vec<String> = capture::capture(|| {
        let c = LimiterConfig::new(5, SEC);
        register_limiter("b_warn", c);
        register_limiter("b_warn", c);
        register_limiter("b_warn", c.burst(1));
        register_limiter("b_warn", c.burst(2));
    })
    .iter()
    .map(capture::Captured::line)
    .collect();
    let warnings: Vec<_> = lines.iter().filter(|l| l.contains("b_warn")).collect();
    assert_eq!(warnings.len(), 1, "{lines:?}");
    assert!(
        warnings[0].starts_with("WARN retry_runtime") && warnings[0].contains("already registered"),
        "{}",
        warnings[0]
    );
}
