//! `#[fallback(hedge_after = ..)]` on tokio's paused clock: a slow target is hedged once per
//! period in the order of `to`, the first `Ok` wins and the others are dropped, errors while
//! others run go to `on_fallback`, and when all fail the last error is returned. Then the
//! issue's scenario: 1,000 calls whose primary answers after 2 s in 5% of them (seeded) and
//! whose backup answers in 50 ms, with and without hedging.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use retry_runtime::{fallback, stats, FallbackEvent, SiteStats};
use tokio::time::{sleep, Instant};

fn site(function: &str) -> SiteStats {
    stats()
        .into_iter()
        .find(|s| s.function == function)
        .unwrap_or_default()
}

/// Drops count the futures cancelled.
struct CountDrop<'a>(&'a AtomicU32);
impl Drop for CountDrop<'_> {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

static DROPPED: AtomicU32 = AtomicU32::new(0);
static SWITCHES: Mutex<Vec<(String, String, String)>> = Mutex::new(Vec::new());

fn record(e: &FallbackEvent<'_, String>) {
    SWITCHES
        .lock()
        .unwrap()
        .push((e.from.to_string(), e.to.to_string(), e.error.clone()));
}

#[fallback(to = [second, third], hedge_after = "300ms", on_fallback = record)]
async fn first(ms: [u64; 3], ok: [bool; 3]) -> Result<&'static str, String> {
    answer("first", ms[0], ok[0]).await
}

async fn second(ms: [u64; 3], ok: [bool; 3]) -> Result<&'static str, String> {
    answer("second", ms[1], ok[1]).await
}

async fn third(ms: [u64; 3], ok: [bool; 3]) -> Result<&'static str, String> {
    answer("third", ms[2], ok[2]).await
}

async fn answer(name: &'static str, ms: u64, ok: bool) -> Result<&'static str, String> {
    let _guard = CountDrop(&DROPPED);
    sleep(Duration::from_millis(ms)).await;
    if ok {
        Ok(name)
    } else {
        Err(format!("{name} failed"))
    }
}

/// One test for the whole behaviour: the statics are shared.
#[tokio::test(start_paused = true)]
async fn hedging_starts_the_next_target_when_the_running_one_is_slow() {
    // A fast primary: nothing else starts.
    let start = Instant::now();
    assert_eq!(first([100, 0, 0], [true; 3]).await, Ok("first"));
    assert_eq!(start.elapsed(), Duration::from_millis(100));
    assert_eq!(site("first").hedges, 0);

    // A slow primary: `second` starts at 300 ms and answers at 350 ms; `first` is dropped.
    DROPPED.store(0, Ordering::SeqCst);
    let start = Instant::now();
    assert_eq!(first([2_000, 50, 50], [true; 3]).await, Ok("second"));
    assert_eq!(start.elapsed(), Duration::from_millis(350));
    assert_eq!(site("first").hedges, 1);
    assert_eq!(DROPPED.load(Ordering::SeqCst), 2, "both futures ended");
    assert!(SWITCHES.lock().unwrap().is_empty(), "a hedge is no switch");

    // Both slow: one hedge per period, in order; `third` wins at 600 + 50 ms.
    let start = Instant::now();
    assert_eq!(first([2_000, 2_000, 50], [true; 3]).await, Ok("third"));
    assert_eq!(start.elapsed(), Duration::from_millis(650));
    assert_eq!(site("first").hedges, 3);

    // An error starts the next at once and goes to on_fallback; so does an error while another
    // runs; when all have failed, the error of the last to fail is returned. `first` fails at
    // 100 ms (`second` starts), `third` is hedged at 400 ms, `second` fails at 600 ms while
    // `third` runs, `third` fails last at 650 ms.
    let start = Instant::now();
    assert_eq!(
        first([100, 500, 250], [false; 3]).await,
        Err("third failed".to_string())
    );
    assert_eq!(start.elapsed(), Duration::from_millis(650));
    assert_eq!(site("first").hedges, 4);
    let switches = SWITCHES.lock().unwrap().clone();
    let expected = [
        ("first", "second", "first failed"),
        ("second", "third", "second failed"),
    ];
    let expected: Vec<(String, String, String)> = expected
        .iter()
        .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
        .collect();
    assert_eq!(switches, expected);
}

// ---- the scenario ----

/// Whether call `i` finds the primary slow: 5% of calls, from a seeded generator.
fn slow(i: u32) -> bool {
    let mut x = u64::from(i).wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^= x >> 31;
    x % 100 < 5
}

static BACKUP_CALLS: AtomicU32 = AtomicU32::new(0);

async fn primary_service(i: u32) -> Result<u32, String> {
    sleep(Duration::from_millis(if slow(i) { 2_000 } else { 20 })).await;
    Ok(i)
}

async fn backup_service(i: u32) -> Result<u32, String> {
    BACKUP_CALLS.fetch_add(1, Ordering::SeqCst);
    sleep(Duration::from_millis(50)).await;
    Ok(i)
}

#[fallback(to = backup_service, hedge_after = "300ms")]
async fn hedged_call(i: u32) -> Result<u32, String> {
    primary_service(i).await
}

#[fallback(to = backup_service)]
async fn plain_call(i: u32) -> Result<u32, String> {
    primary_service(i).await
}

fn p99(mut latencies: Vec<Duration>) -> Duration {
    latencies.sort();
    latencies[latencies.len() * 99 / 100 - 1]
}

#[tokio::test(start_paused = true)]
async fn hedging_cuts_the_p99_for_about_five_percent_more_requests() {
    const CALLS: u32 = 1_000;
    let slow_calls = (0..CALLS).filter(|&i| slow(i)).count();

    let mut plain = Vec::new();
    for i in 0..CALLS {
        let start = Instant::now();
        assert_eq!(plain_call(i).await, Ok(i));
        plain.push(start.elapsed());
    }
    assert_eq!(BACKUP_CALLS.load(Ordering::SeqCst), 0);

    let mut hedged = Vec::new();
    for i in 0..CALLS {
        let start = Instant::now();
        assert_eq!(hedged_call(i).await, Ok(i));
        hedged.push(start.elapsed());
    }
    let extra = BACKUP_CALLS.load(Ordering::SeqCst);
    let (p99_plain, p99_hedged) = (p99(plain), p99(hedged));
    println!(
        "{CALLS} calls, {slow_calls} with a slow primary: p99 {p99_plain:?} without hedging, \
         {p99_hedged:?} with hedge_after = 300ms; {extra} extra requests ({:.1}%)",
        f64::from(extra) * 100.0 / f64::from(CALLS)
    );
    assert_eq!(p99_plain, Duration::from_secs(2));
    assert_eq!(p99_hedged, Duration::from_millis(350));
    assert_eq!(
        extra as usize, slow_calls,
        "one backup request per slow primary"
    );
    assert!(
        (30..=70).contains(&slow_calls),
        "{slow_calls} slow calls of 1,000"
    );
    assert_eq!(site("hedged_call").hedges, u64::from(extra));
}
