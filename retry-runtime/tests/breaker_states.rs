//! The breaker's state machine, one thread at a time: consecutive and rate modes, probes,
//! forced states, `when`, panics and the transition hook. Every wait is on tokio's paused clock
//! (which breakers read): `advance` moves them exactly, no real time passes.

use std::sync::Mutex;
use std::time::Duration;
use tokio::time::advance;

use retry_runtime::{BreakerConfig, CircuitBreaker, CircuitOpen, State, StateChange};

#[derive(Debug, Clone, PartialEq)]
enum Error {
    Down,
    BadRequest,
    Open(CircuitOpen),
}

impl From<CircuitOpen> for Error {
    fn from(e: CircuitOpen) -> Self {
        Error::Open(e)
    }
}

fn ok(cb: &CircuitBreaker) -> Result<u32, Error> {
    cb.call(|| Ok(1))
}

fn down(cb: &CircuitBreaker) -> Result<u32, Error> {
    cb.call(|| Err(Error::Down))
}

fn is_open(r: Result<u32, Error>) -> bool {
    matches!(r, Err(Error::Open(_)))
}

const MS: Duration = Duration::from_millis(1);

/// A `reset_timeout`, and a step just past it (deadlines are kept in whole ms, rounded up).
const SHORT: Duration = Duration::from_millis(40);
async fn past_short() {
    advance(SHORT + MS).await;
}

#[test]
fn opens_after_threshold_consecutive_failures() {
    let cb = CircuitBreaker::new("t_threshold", BreakerConfig::new().failure_threshold(3));
    assert_eq!(down(&cb), Err(Error::Down));
    assert_eq!(down(&cb), Err(Error::Down));
    assert_eq!(cb.state(), State::Closed);
    assert_eq!(cb.snapshot().consecutive_failures, 2);
    assert_eq!(down(&cb), Err(Error::Down));
    assert_eq!(cb.state(), State::Open);
    // The body no longer runs.
    let mut ran = false;
    let r: Result<u32, Error> = cb.call(|| {
        ran = true;
        Ok(1)
    });
    assert!(is_open(r) && !ran);
    let s = cb.snapshot();
    assert_eq!((s.consecutive_failures, s.rejected), (3, 1));
}

#[test]
fn a_success_resets_the_count() {
    let cb = CircuitBreaker::new("t_reset_count", BreakerConfig::new().failure_threshold(3));
    for _ in 0..10 {
        let _ = down(&cb);
        let _ = down(&cb);
        assert_eq!(ok(&cb), Ok(1));
        assert_eq!(cb.snapshot().consecutive_failures, 0);
    }
    assert_eq!(cb.state(), State::Closed);
}

#[tokio::test(start_paused = true)]
async fn open_rejects_with_name_and_a_decreasing_retry_in() {
    let timeout = Duration::from_millis(300);
    let cb = CircuitBreaker::new(
        "openai",
        BreakerConfig::new()
            .failure_threshold(1)
            .reset_timeout(timeout),
    );
    let _ = down(&cb);
    let first = cb.try_acquire().unwrap_err();
    assert_eq!(first.name(), "openai");
    assert_eq!(first.state(), State::Open);
    // The deadline is kept in whole ms, rounded up: up to 1 ms more than the timeout.
    assert!(first.retry_in() < timeout + MS && first.retry_in() >= timeout);
    advance(5 * MS).await;
    let second = cb.try_acquire().unwrap_err();
    assert_eq!(second.retry_in(), first.retry_in() - 5 * MS);
    let text = second.to_string();
    assert!(
        text.starts_with("circuit breaker 'openai' is open; next probe in ")
            && text.ends_with("ms"),
        "{text}"
    );
    let s = cb.snapshot();
    assert_eq!(s.state, State::Open);
    assert!(s.retry_in.unwrap() <= second.retry_in());
    assert_eq!(s.rejected, 2);
}

#[tokio::test(start_paused = true)]
async fn retry_in_never_promises_a_probe_earlier_than_one_is_let_through() {
    // The deadline is kept in whole ms: for these timeouts nearly all of the wait is rounding.
    for timeout in [
        Duration::from_nanos(1),
        Duration::from_micros(10),
        MS + MS / 2,
    ] {
        let cb = CircuitBreaker::new(
            "t_retry_in_rounding",
            BreakerConfig::new()
                .failure_threshold(1)
                .reset_timeout(timeout),
        );
        for _ in 0..20 {
            cb.reset();
            let _ = down(&cb);
            let Err(open) = cb.try_acquire() else {
                continue; // the deadline passed already
            };
            advance(open.retry_in()).await;
            let probe = cb.try_acquire();
            assert!(
                probe.is_ok(),
                "{timeout:?}: retry_in {:?} too early",
                open.retry_in()
            );
            assert_eq!(cb.snapshot().retry_in, None);
        }
    }
}

#[tokio::test(start_paused = true)]
async fn half_open_after_reset_timeout_and_success_threshold_closes() {
    let cb = CircuitBreaker::new(
        "t_half_open",
        BreakerConfig::new()
            .failure_threshold(2)
            .reset_timeout(SHORT)
            .success_threshold(3),
    );
    let _ = down(&cb);
    let _ = down(&cb);
    assert!(is_open(ok(&cb)));
    past_short().await;
    assert_eq!(cb.state(), State::HalfOpen);
    assert_eq!(cb.snapshot().retry_in, None);
    // One probe at a time (half_open_max_calls = 1).
    let probe = cb.try_acquire().unwrap();
    let busy = cb.try_acquire().unwrap_err();
    assert_eq!(busy.state(), State::HalfOpen);
    assert_eq!(busy.retry_in(), Duration::ZERO);
    assert_eq!(
        busy.to_string(),
        "circuit breaker 't_half_open' is open (half-open: its probes are in flight)"
    );
    probe.success();
    assert_eq!(cb.state(), State::HalfOpen);
    assert_eq!(ok(&cb), Ok(1));
    assert_eq!(cb.state(), State::HalfOpen);
    assert_eq!(ok(&cb), Ok(1));
    assert_eq!(cb.state(), State::Closed);
    // Closed again with a fresh count.
    let _ = down(&cb);
    assert_eq!(cb.state(), State::Closed);
}

#[tokio::test(start_paused = true)]
async fn a_probe_failure_reopens() {
    let cb = CircuitBreaker::new(
        "t_probe_fails",
        BreakerConfig::new()
            .failure_threshold(1)
            .reset_timeout(SHORT),
    );
    let _ = down(&cb);
    past_short().await;
    assert_eq!(down(&cb), Err(Error::Down)); // the probe ran, and failed
    assert_eq!(cb.state(), State::Open);
    let open = cb.try_acquire().unwrap_err();
    assert!(open.retry_in() > Duration::ZERO && open.retry_in() < SHORT + MS);
    assert_eq!(cb.snapshot().consecutive_failures, 2);
    past_short().await;
    assert_eq!(ok(&cb), Ok(1));
    assert_eq!(ok(&cb), Ok(1));
    assert_eq!(cb.state(), State::Closed);
}

#[tokio::test(start_paused = true)]
async fn several_probes_at_once() {
    let cb = CircuitBreaker::new(
        "t_probes",
        BreakerConfig::new()
            .failure_threshold(1)
            .reset_timeout(SHORT)
            .half_open_max_calls(3)
            .success_threshold(1),
    );
    let _ = down(&cb);
    past_short().await;
    let probes: Vec<_> = (0..3).map(|_| cb.try_acquire().unwrap()).collect();
    assert!(cb.try_acquire().is_err());
    // A probe dropped without a verdict frees its slot.
    let mut probes = probes.into_iter();
    drop(probes.next());
    let again = cb.try_acquire().unwrap();
    assert!(cb.try_acquire().is_err());
    // The first success closes it; later verdicts of that period are ignored.
    again.success();
    assert_eq!(cb.state(), State::Closed);
    for p in probes {
        p.failure();
    }
    assert_eq!(cb.state(), State::Closed);
    assert_eq!(cb.snapshot().consecutive_failures, 0);
}

#[test]
fn forced_states_and_reset() {
    let cb = CircuitBreaker::new("t_forced", BreakerConfig::new().failure_threshold(1));
    cb.force_open();
    assert_eq!(cb.state(), State::ForcedOpen);
    let e = cb.try_acquire().unwrap_err();
    assert_eq!(
        e.to_string(),
        "circuit breaker 't_forced' is open (forced open until reset)"
    );
    assert_eq!(e.retry_in(), Duration::MAX);
    assert!(is_open(ok(&cb)));
    assert_eq!(cb.snapshot().retry_in, None);

    cb.force_closed();
    assert_eq!(cb.state(), State::ForcedClosed);
    for _ in 0..10 {
        assert_eq!(down(&cb), Err(Error::Down));
    }
    assert_eq!(cb.state(), State::ForcedClosed);

    cb.reset();
    assert_eq!(cb.state(), State::Closed);
    assert_eq!(down(&cb), Err(Error::Down));
    assert_eq!(cb.state(), State::Open);
    cb.reset();
    assert_eq!(cb.state(), State::Closed);
    assert_eq!(ok(&cb), Ok(1));
    let s = cb.snapshot();
    assert_eq!((s.consecutive_failures, s.rejected), (0, 2));
}

#[tokio::test(start_paused = true)]
async fn errors_when_ignores_count_as_nothing() {
    let cb = CircuitBreaker::new(
        "t_when",
        BreakerConfig::new()
            .failure_threshold(2)
            .reset_timeout(SHORT),
    );
    let server = |e: &Error| matches!(e, Error::Down);
    let bad = || -> Result<u32, Error> { Err(Error::BadRequest) };
    let _ = cb.call_when(server, || Err::<u32, _>(Error::Down));
    // Not a failure, and not a success either: the run of one failure stands.
    assert_eq!(cb.call_when(server, bad), Err(Error::BadRequest));
    assert_eq!(cb.snapshot().consecutive_failures, 1);
    let _ = cb.call_when(server, || Err::<u32, _>(Error::Down));
    assert_eq!(cb.state(), State::Open);

    // A probe whose error does not count frees its slot and leaves the breaker half-open.
    past_short().await;
    assert_eq!(cb.call_when(server, bad), Err(Error::BadRequest));
    assert_eq!(cb.state(), State::HalfOpen);
    assert_eq!(cb.call_when(server, || Ok(1)), Ok(1));
    assert_eq!(cb.call_when(server, || Ok(1)), Ok(1));
    assert_eq!(cb.state(), State::Closed);
}

#[tokio::test(start_paused = true)]
async fn a_panicking_call_counts_as_a_failure() {
    let cb = CircuitBreaker::new(
        "t_panic",
        BreakerConfig::new()
            .failure_threshold(2)
            .reset_timeout(SHORT),
    );
    let boom = || {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let _: Result<u32, Error> = cb.call(|| panic!("client bug"));
        }))
    };
    assert!(boom().is_err());
    assert_eq!(cb.snapshot().consecutive_failures, 1);
    assert!(boom().is_err());
    assert_eq!(cb.state(), State::Open);
    // A panicking probe reopens the circuit.
    past_short().await;
    assert_eq!(cb.state(), State::HalfOpen);
    assert!(boom().is_err());
    assert_eq!(cb.state(), State::Open);
    assert!(cb.try_acquire().is_err());
}

#[test]
fn a_permit_dropped_in_the_closed_state_counts_as_nothing() {
    let cb = CircuitBreaker::new("t_drop", BreakerConfig::new().failure_threshold(2));
    cb.try_acquire().unwrap().failure();
    drop(cb.try_acquire().unwrap());
    assert_eq!(cb.snapshot().consecutive_failures, 1);
}

#[tokio::test(start_paused = true)]
async fn a_hung_or_leaked_probe_cannot_wedge_the_breaker() {
    let cb = CircuitBreaker::new(
        "t_leak",
        BreakerConfig::new()
            .failure_threshold(1)
            .reset_timeout(SHORT)
            .success_threshold(1),
    );
    let _ = down(&cb);
    past_short().await;
    std::mem::forget(cb.try_acquire().unwrap());
    assert!(cb.try_acquire().is_err());
    // No probe admitted for a whole reset_timeout (to the ns): the next caller probes.
    advance(SHORT - Duration::from_nanos(1)).await;
    assert!(cb.try_acquire().is_err(), "1 ns early");
    advance(Duration::from_nanos(1)).await;
    cb.try_acquire().unwrap().success();
    assert_eq!(cb.state(), State::Closed);
}

// ---- rate mode ----

fn rate(name: &'static str, rate: f64, min_calls: u32, window: Duration) -> CircuitBreaker {
    CircuitBreaker::new(
        name,
        BreakerConfig::new()
            .failure_rate(rate)
            .min_calls(min_calls)
            .window(window)
            .reset_timeout(SHORT),
    )
}

#[test]
fn rate_mode_opens_when_the_rate_is_reached_once_min_calls_are_in() {
    let cb = rate("t_rate", 0.5, 4, Duration::from_secs(60));
    for _ in 0..4 {
        assert_eq!(ok(&cb), Ok(1));
    }
    for failures in 1..=3 {
        let _ = down(&cb);
        assert_eq!(cb.state(), State::Closed, "{failures} failures");
    }
    let s = cb.snapshot();
    assert_eq!((s.window_calls, s.window_failures), (7, 3));
    // 4 failures in 8 calls: 0.5 reaches 0.5.
    let _ = down(&cb);
    assert_eq!(cb.state(), State::Open);
    let s = cb.snapshot();
    assert_eq!((s.window_calls, s.window_failures), (8, 4));
    assert_eq!(s.consecutive_failures, 0);
}

#[test]
fn rate_mode_needs_min_calls_and_judges_on_failures() {
    let cb = rate("t_rate_min", 0.5, 4, Duration::from_secs(60));
    for _ in 0..3 {
        let _ = down(&cb);
    }
    // 3/3, but fewer than min_calls.
    assert_eq!(cb.state(), State::Closed);
    // A success is not judged: 3/4 stays closed until the next failure.
    assert_eq!(ok(&cb), Ok(1));
    assert_eq!(cb.state(), State::Closed);
    let _ = down(&cb);
    assert_eq!(cb.state(), State::Open);
}

#[test]
fn rate_mode_exact_fraction_reaches() {
    // 3 failures in 10 calls against 0.3: "reach" is >=.
    let cb = rate("t_rate_exact", 0.3, 10, Duration::from_secs(60));
    for _ in 0..7 {
        let _ = ok(&cb);
    }
    let _ = down(&cb);
    let _ = down(&cb);
    assert_eq!(cb.state(), State::Closed);
    let _ = down(&cb);
    assert_eq!(cb.state(), State::Open);
}

#[tokio::test(start_paused = true)]
async fn rate_mode_forgets_calls_older_than_the_window() {
    let window = Duration::from_millis(64);
    let cb = rate("t_rate_window", 0.5, 2, window);
    for _ in 0..20 {
        let _ = ok(&cb);
    }
    let _ = down(&cb);
    assert_eq!(cb.snapshot().window_calls, 21);
    assert_eq!(cb.state(), State::Closed);
    advance(window + 10 * MS).await;
    let s = cb.snapshot();
    assert_eq!((s.window_calls, s.window_failures), (0, 0));
    // With the old successes gone, two failures are 2/2.
    let _ = down(&cb);
    assert_eq!(cb.state(), State::Closed);
    let _ = down(&cb);
    assert_eq!(cb.state(), State::Open);
}

#[tokio::test(start_paused = true)]
async fn rate_mode_closes_with_a_fresh_window() {
    let cb = CircuitBreaker::new(
        "t_rate_fresh",
        BreakerConfig::new()
            .failure_rate(0.5)
            .min_calls(2)
            .reset_timeout(SHORT)
            .success_threshold(1),
    );
    let _ = down(&cb);
    let _ = down(&cb);
    assert_eq!(cb.state(), State::Open);
    past_short().await;
    assert_eq!(ok(&cb), Ok(1));
    assert_eq!(cb.state(), State::Closed);
    let s = cb.snapshot();
    assert_eq!((s.window_calls, s.window_failures), (0, 0));
    let _ = down(&cb);
    assert_eq!(cb.state(), State::Closed);
}

#[test]
fn rate_mode_counts_every_thread() {
    let cb = rate("t_rate_threads", 0.5, 10, Duration::from_secs(60));
    std::thread::scope(|s| {
        for _ in 0..8 {
            s.spawn(|| {
                for _ in 0..10_000 {
                    let _ = ok(&cb);
                }
            });
        }
    });
    // Every stripe's count is exact for a window that never moved.
    assert_eq!(cb.snapshot().window_calls, 80_000);
    // Threads that come and go hand their stripes on; nothing is lost.
    for _ in 0..50 {
        std::thread::scope(|s| {
            s.spawn(|| {
                for _ in 0..100 {
                    let _ = ok(&cb);
                }
            });
        });
    }
    assert_eq!(cb.snapshot().window_calls, 85_000);
}

// ---- transitions ----

/// `(name, from, to)`: a hook keeps a copy of the name, which it only borrows.
static CHANGES: Mutex<Vec<(String, State, State)>> = Mutex::new(Vec::new());

fn record(change: &StateChange) {
    CHANGES
        .lock()
        .unwrap()
        .push((change.name.to_owned(), change.from, change.to));
}

#[tokio::test(start_paused = true)]
async fn on_state_change_sees_every_transition() {
    use State::*;
    let cb = CircuitBreaker::new(
        "t_hook",
        BreakerConfig::new()
            .failure_threshold(2)
            .reset_timeout(SHORT)
            .success_threshold(2)
            .on_state_change(record),
    );
    let _ = down(&cb);
    let _ = down(&cb); // Closed -> Open
    past_short().await;
    let _ = down(&cb); // Open -> HalfOpen, HalfOpen -> Open
    past_short().await;
    let _ = ok(&cb); // Open -> HalfOpen
    let _ = ok(&cb); // HalfOpen -> Closed
    cb.force_open(); // Closed -> ForcedOpen
    cb.force_open(); // no change
    cb.force_closed(); // ForcedOpen -> ForcedClosed
    cb.reset(); // ForcedClosed -> Closed
    cb.reset(); // no change

    let seen: Vec<(State, State)> = CHANGES
        .lock()
        .unwrap()
        .iter()
        .filter(|(name, _, _)| name == "t_hook")
        .map(|&(_, from, to)| (from, to))
        .collect();
    assert_eq!(
        seen,
        [
            (Closed, Open),
            (Open, HalfOpen),
            (HalfOpen, Open),
            (Open, HalfOpen),
            (HalfOpen, Closed),
            (Closed, ForcedOpen),
            (ForcedOpen, ForcedClosed),
            (ForcedClosed, Closed),
        ]
    );
}

#[test]
fn config_validation_and_debug() {
    assert_eq!(BreakerConfig::default(), BreakerConfig::new());
    assert_eq!(
        BreakerConfig::new().try_failure_rate(1.01),
        Err("failure_rate must lie in (0, 1]")
    );
    assert!(BreakerConfig::new().try_failure_rate(-0.1).is_err());
    assert!(BreakerConfig::new().try_window(Duration::ZERO).is_err());
    assert!(BreakerConfig::new().try_half_open_max_calls(0).is_err());
    let r = std::panic::catch_unwind(|| BreakerConfig::new().min_calls(0));
    let msg = *r.unwrap_err().downcast::<String>().unwrap();
    assert_eq!(msg, "min_calls must be at least 1");
    // The hook is not compared.
    assert_eq!(
        BreakerConfig::new().on_state_change(record),
        BreakerConfig::new()
    );
    let debug = format!("{:?}", BreakerConfig::new().failure_rate(0.5));
    assert!(
        debug.contains("failure_rate: 0.5") && debug.contains("min_calls: 10"),
        "{debug}"
    );
}

#[test]
fn snapshot_display() {
    let cb = CircuitBreaker::new("t_display", BreakerConfig::new().failure_threshold(5));
    let _ = down(&cb);
    let _ = down(&cb);
    assert_eq!(
        cb.snapshot().to_string(),
        "t_display  CLOSED  failures 2 in a row, 0/0 in window, 0 rejected"
    );
    cb.force_open();
    let _ = ok(&cb);
    assert_eq!(
        cb.snapshot().to_string(),
        "t_display  FORCED_OPEN  failures 2 in a row, 0/0 in window, 1 rejected"
    );
}
