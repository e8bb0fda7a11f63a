//! `#[rate_limit]` and `#[concurrency_limit]` on functions: waiting for a turn on tokio's
//! paused clock, refusal past `max_wait` without running the body, `cost`, `pause_on` pausing
//! every caller of the limiter, `limited_error`, permits released on return, panic and drop,
//! and the refusals counted in `SiteStats::limited`.

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use retry_runtime::{concurrency_limit, limiter, rate_limit, stats, RateLimited};
use tokio::time::Instant;

#[derive(Debug, Clone, PartialEq, Eq)]
enum ApiError {
    Limited {
        name: &'static str,
        retry_in: Duration,
    },
    SlowDown(Duration),
}

impl From<RateLimited> for ApiError {
    fn from(l: RateLimited) -> Self {
        ApiError::Limited {
            name: l.name(),
            retry_in: l.retry_in(),
        }
    }
}

fn limited_count(function: &str) -> u64 {
    stats()
        .into_iter()
        .find(|s| s.function == function)
        .map_or(0, |s| s.limited)
}

// ---- waiting for a turn ----

#[rate_limit(attr_wait, rate = 1, per = "1s")]
async fn paced() -> Result<(), ApiError> {
    Ok(())
}

#[tokio::test(start_paused = true)]
async fn an_async_call_waits_for_its_turn_on_tokios_clock() {
    let start = Instant::now();
    for _ in 0..4 {
        paced().await.unwrap();
    }
    // The first at once (the burst of 1), then one a second.
    assert_eq!(start.elapsed(), Duration::from_secs(3));
}

// ---- refusal past max_wait: the body does not run ----

static REFUSED_RUNS: AtomicU32 = AtomicU32::new(0);

#[rate_limit("attr_refuse", rate = 1, per = "10s", max_wait = "1s")]
async fn refused_after_one() -> Result<u32, ApiError> {
    Ok(REFUSED_RUNS.fetch_add(1, Ordering::SeqCst) + 1)
}

#[tokio::test(start_paused = true)]
async fn a_call_whose_turn_is_past_max_wait_is_refused_at_once() {
    assert_eq!(refused_after_one().await, Ok(1));
    let start = Instant::now();
    let refused = refused_after_one().await;
    assert_eq!(start.elapsed(), Duration::ZERO, "refused without waiting");
    assert_eq!(
        refused,
        Err(ApiError::Limited {
            name: "attr_refuse",
            retry_in: Duration::from_secs(10)
        })
    );
    assert_eq!(
        REFUSED_RUNS.load(Ordering::SeqCst),
        1,
        "the body did not run"
    );
    assert_eq!(limited_count("refused_after_one"), 1);
    // Once the turn is within max_wait, the call waits for it instead.
    tokio::time::advance(Duration::from_secs(9)).await;
    let start = Instant::now();
    assert_eq!(refused_after_one().await, Ok(2));
    assert_eq!(start.elapsed(), Duration::from_secs(1));
}

static SYNC_RUNS: AtomicU32 = AtomicU32::new(0);

#[rate_limit(attr_sync, rate = 1, per = "1h", max_wait = "0s")]
fn sync_once_an_hour() -> Result<(), ApiError> {
    SYNC_RUNS.fetch_add(1, Ordering::SeqCst);
    Ok(())
}

#[test]
fn a_sync_call_is_refused_the_same_way() {
    assert_eq!(sync_once_an_hour(), Ok(()));
    assert!(matches!(
        sync_once_an_hour(),
        Err(ApiError::Limited {
            name: "attr_sync",
            ..
        })
    ));
    assert_eq!(SYNC_RUNS.load(Ordering::SeqCst), 1);
    assert_eq!(limited_count("sync_once_an_hour"), 1);
}

// ---- cost ----

#[rate_limit(attr_cost, rate = 10, per = "1h", max_wait = "0s", cost = units)]
fn costly(units: u32) -> Result<u32, ApiError> {
    Ok(units)
}

#[test]
fn cost_is_evaluated_per_call() {
    assert_eq!(costly(7), Ok(7));
    assert!(costly(4).is_err(), "7 + 4 > 10");
    assert_eq!(costly(3), Ok(3));
    assert!(costly(1).is_err(), "all 10 used");
    // Above the burst: never admitted, refused at once.
    assert!(matches!(
        costly(11),
        Err(ApiError::Limited {
            retry_in: Duration::MAX,
            ..
        })
    ));
}

// ---- pause_on: a server's "slow down" pauses every caller ----

#[rate_limit(attr_pause, rate = 100, per = "1s",
             pause_on = |e| match e { ApiError::SlowDown(d) => Some(*d), _ => None })]
async fn told_to_slow_down(slow: bool) -> Result<(), ApiError> {
    if slow {
        Err(ApiError::SlowDown(Duration::from_secs(20)))
    } else {
        Ok(())
    }
}

#[rate_limit(attr_pause, rate = 100, per = "1s")]
async fn another_caller() -> Result<(), ApiError> {
    Ok(())
}

#[tokio::test(start_paused = true)]
async fn pause_on_pauses_the_limiter_for_every_caller() {
    told_to_slow_down(false).await.unwrap();
    assert_eq!(
        told_to_slow_down(true).await,
        Err(ApiError::SlowDown(Duration::from_secs(20)))
    );
    assert!(limiter("attr_pause")
        .unwrap()
        .snapshot()
        .paused_for
        .is_some());
    let start = Instant::now();
    another_caller().await.unwrap();
    assert_eq!(start.elapsed(), Duration::from_secs(20));
}

// ---- limited_error builds the error ----

#[derive(Debug, PartialEq)]
enum NoFrom {
    Busy(String),
}

#[rate_limit(attr_limited_error, rate = 1, per = "1h", max_wait = "0s",
             limited_error = |l| NoFrom::Busy(l.to_string()))]
fn with_limited_error() -> Result<(), NoFrom> {
    Ok(())
}

#[concurrency_limit(attr_conc_limited_error, max = 1, max_wait = "0s",
                    limited_error = |l| NoFrom::Busy(l.to_string()))]
fn nested_with_limited_error(depth: u32) -> Result<(), NoFrom> {
    if depth > 0 {
        nested_with_limited_error(depth - 1)
    } else {
        Ok(())
    }
}

#[test]
fn limited_error_builds_the_error_of_a_refusal() {
    assert_eq!(with_limited_error(), Ok(()));
    let Err(NoFrom::Busy(text)) = with_limited_error() else {
        panic!("refused")
    };
    assert!(
        text.starts_with("rate limit 'attr_limited_error' reached; next slot in"),
        "{text}"
    );
    assert_eq!(
        nested_with_limited_error(1),
        Err(NoFrom::Busy(
            "concurrency limit 'attr_conc_limited_error' reached (1 in flight)".into()
        ))
    );
}

// ---- concurrency: permits held across the call, released on return, panic and drop ----

#[concurrency_limit(attr_conc, max = 2, max_wait = "0s")]
async fn in_flight(hold: Duration) -> Result<(), ApiError> {
    tokio::time::sleep(hold).await;
    Ok(())
}

fn in_flight_now(name: &str) -> u32 {
    retry_runtime::concurrency_limit(name)
        .unwrap()
        .snapshot()
        .in_flight
}

#[tokio::test(start_paused = true)]
async fn a_concurrency_limit_holds_a_slot_per_call_in_flight() {
    let a = tokio::spawn(in_flight(Duration::from_secs(5)));
    let b = tokio::spawn(in_flight(Duration::from_secs(5)));
    tokio::task::yield_now().await;
    tokio::task::yield_now().await;
    assert_eq!(in_flight_now("attr_conc"), 2);
    assert!(matches!(
        in_flight(Duration::ZERO).await,
        Err(ApiError::Limited {
            name: "attr_conc",
            ..
        })
    ));
    a.await.unwrap().unwrap();
    b.await.unwrap().unwrap();
    assert_eq!(in_flight_now("attr_conc"), 0, "released on return");
    // A dropped future releases its slot.
    {
        let mut held = Box::pin(in_flight(Duration::from_secs(60)));
        let _ = tokio::time::timeout(Duration::from_millis(1), &mut held).await;
        assert_eq!(in_flight_now("attr_conc"), 1);
    }
    assert_eq!(in_flight_now("attr_conc"), 0, "released on drop");
    assert_eq!(in_flight(Duration::ZERO).await, Ok(()));
}

#[concurrency_limit(attr_conc_wait, max = 1, max_wait = "5s")]
async fn waits_for_a_slot(hold: Duration) -> Result<(), ApiError> {
    tokio::time::sleep(hold).await;
    Ok(())
}

#[tokio::test(start_paused = true)]
async fn a_call_waits_for_a_slot_up_to_max_wait() {
    let start = Instant::now();
    let first = tokio::spawn(waits_for_a_slot(Duration::from_secs(3)));
    tokio::task::yield_now().await;
    waits_for_a_slot(Duration::ZERO).await.unwrap();
    assert_eq!(start.elapsed(), Duration::from_secs(3));
    first.await.unwrap().unwrap();
    let _long = tokio::spawn(waits_for_a_slot(Duration::from_secs(60)));
    tokio::task::yield_now().await;
    let start = Instant::now();
    assert!(waits_for_a_slot(Duration::ZERO).await.is_err());
    assert_eq!(start.elapsed(), Duration::from_secs(5));
}

#[concurrency_limit(attr_conc_panic, max = 1, max_wait = "0s")]
fn panics(yes: bool) -> Result<(), ApiError> {
    assert!(!yes, "boom");
    Ok(())
}

#[test]
fn a_panicking_call_releases_its_slot() {
    assert!(std::panic::catch_unwind(|| panics(true)).is_err());
    assert_eq!(in_flight_now("attr_conc_panic"), 0);
    assert_eq!(panics(false), Ok(()));
}

// ---- methods and async-trait ----

struct Client {
    answer: u32,
}

impl Client {
    #[rate_limit(attr_method, rate = 1, per = "1h", max_wait = "0s")]
    fn get(&self) -> Result<u32, ApiError> {
        Ok(self.answer)
    }
}

#[test]
fn a_method_is_counted_by_its_type() {
    let c = Client { answer: 42 };
    assert_eq!(c.get(), Ok(42));
    assert!(c.get().is_err());
    assert_eq!(limited_count("Client::get"), 1);
}
