//! `on_state_change` hooks that panic. While a body's panic unwinds, the permit's `Drop` records
//! the failure and the hook's panic is caught and reported (the first panic goes on, the process
//! never aborts): checked in a child process, which an abort would kill. Outside of unwinding a
//! hook's panic propagates like any panic of user code. Either way the breaker is left in the
//! state the hook was told of.

use std::any::Any;
use std::panic::{self, AssertUnwindSafe};
use std::process::Command;
use std::time::Duration;

use retry_runtime::{breaker, circuit_breaker, BreakerConfig, CircuitBreaker, CircuitOpen};
use retry_runtime::{State, StateChange};

#[cfg(feature = "tracing")]
#[path = "common/capture.rs"]
mod capture;

/// Set in the child process that runs [`child_process`].
const CHILD: &str = "RETRY_BREAKER_HOOK_PANICS_CHILD";
/// The line the child prints once every caught panic is behind it.
const MARKER: &str = "hook panics survived";

#[derive(Debug, PartialEq, Eq)]
enum Error {
    Down,
    Open(String),
}

impl From<CircuitOpen> for Error {
    fn from(open: CircuitOpen) -> Self {
        Error::Open(open.name().to_owned())
    }
}

/// Panics on every transition.
fn panicking_hook(change: &StateChange) {
    panic!("hook panicked on {} -> {}", change.from, change.to);
}

fn message(payload: &(dyn Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_default()
}

/// A breaker that opens on one failure, admits a probe 5 ms later, and closes on its success.
fn quick_breaker(name: &'static str, hook: fn(&StateChange)) -> CircuitBreaker {
    CircuitBreaker::new(
        name,
        BreakerConfig::new()
            .failure_threshold(1)
            .success_threshold(1)
            .reset_timeout(Duration::from_millis(5))
            .on_state_change(hook),
    )
}

/// Runs `f` on tokio's paused clock, which the breakers read (a slow panic report, say with
/// `RUST_BACKTRACE` set, cannot let a reset timeout pass under a test).
fn on_paused_clock(f: impl FnOnce(&tokio::runtime::Runtime)) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .unwrap();
    let _clock = rt.enter();
    f(&rt);
}

/// Opens `cb` with one failure and moves the paused clock past its reset timeout.
fn open_and_wait(cb: &CircuitBreaker, rt: &tokio::runtime::Runtime) {
    cb.try_acquire().unwrap().failure();
    rt.block_on(tokio::time::advance(Duration::from_millis(20)));
}

/// Open, its failure counted, its snapshot saying so, and a later call rejected.
fn assert_opened_by_one_failure(name: &str, later: Result<u32, Error>) {
    let cb = breaker(name).expect("registered on the first call");
    let snapshot = cb.snapshot();
    assert_eq!(snapshot.state, State::Open, "{name}");
    assert_eq!(snapshot.consecutive_failures, 1, "{name}");
    assert!(snapshot.retry_in.is_some_and(|d| d > Duration::ZERO));
    assert_eq!(later, Err(Error::Open(cb.name().to_owned())));
    assert_eq!(cb.snapshot().rejected, 1, "{name}");
}

// ---- the calls the child makes ----

#[circuit_breaker(hook_panics_sync, failure_threshold = 1, reset_timeout = "60s",
    on_state_change = panicking_hook)]
fn sync_call(panics: bool) -> Result<u32, Error> {
    if panics {
        panic!("the body panicked");
    }
    Ok(1)
}

#[circuit_breaker(hook_panics_async, failure_threshold = 1, reset_timeout = "60s",
    on_state_change = panicking_hook)]
async fn async_call(panics: bool) -> Result<u32, Error> {
    tokio::task::yield_now().await;
    if panics {
        panic!("the async body panicked");
    }
    Ok(1)
}

/// The breaker's `when` (the attribute's verdict) panics, and so does the hook.
#[circuit_breaker(hook_panics_verdict, failure_threshold = 1, reset_timeout = "60s",
    on_state_change = panicking_hook, when = |_e| panic!("the verdict panicked"))]
fn verdict_call(fails: bool) -> Result<u32, Error> {
    if fails {
        Err(Error::Down)
    } else {
        Ok(1)
    }
}

/// Runs `f`, which must panic with `expected` (the first panic, not the hook's).
fn first_panic_goes_on(expected: &str, f: impl FnOnce()) {
    let payload = panic::catch_unwind(AssertUnwindSafe(f)).expect_err("the body's panic goes on");
    assert_eq!(message(&*payload), expected);
}

#[test]
fn child_process() {
    if std::env::var_os(CHILD).is_none() {
        return; // only the child of `a_hook_panic_during_unwinding_never_aborts` runs this
    }

    // (a) A sync body panics; its permit's Drop opens the breaker; the hook panics.
    #[cfg(feature = "tracing")]
    let events = capture::capture(|| {
        first_panic_goes_on("the body panicked", || drop(sync_call(true)));
    });
    #[cfg(not(feature = "tracing"))]
    first_panic_goes_on("the body panicked", || drop(sync_call(true)));
    #[cfg(feature = "tracing")]
    assert!(
        events.iter().any(|e| e.level == tracing::Level::ERROR
            && e.target == "retry_runtime"
            && e.field("hook") == Some("on_state_change")
            && e.field("owner") == Some("hook_panics_sync")
            && e.field("panic") == Some("hook panicked on CLOSED -> OPEN")),
        "{events:?}"
    );
    assert_opened_by_one_failure("hook_panics_sync", sync_call(false));
    println!("sync call: caught");

    // (b) The same in a spawned task: the JoinHandle reports the body's panic.
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let joined = tokio::spawn(async_call(true)).await;
        let error = joined.expect_err("the task panicked");
        assert!(error.is_panic());
        assert_eq!(message(&*error.into_panic()), "the async body panicked");
        let later = tokio::spawn(async_call(false)).await.unwrap();
        assert_opened_by_one_failure("hook_panics_async", later);
    });
    println!("spawned async call: caught");

    // (c) The attribute's verdict panics; the failure is counted and the hook panics.
    first_panic_goes_on("the verdict panicked", || drop(verdict_call(true)));
    assert_opened_by_one_failure("hook_panics_verdict", verdict_call(false));
    println!("panicking verdict: caught");

    // (d) A half-open probe panics; the hook panics on half-open -> open.
    on_paused_clock(|rt| {
        let cb = quick_breaker("hook_panics_probe", |c| {
            if c.to == State::Open && c.from == State::HalfOpen {
                panic!("hook panicked on a probe's failure");
            }
        });
        open_and_wait(&cb, rt);
        let probe = cb.try_acquire().expect("half-open: one probe");
        first_panic_goes_on("the probe panicked", move || {
            let _held = probe;
            panic!("the probe panicked");
        });
        assert_eq!(cb.state(), State::Open);
        assert_eq!(cb.snapshot().consecutive_failures, 2);
        assert!(cb.try_acquire().is_err());
    });
    println!("panicking probe: caught");

    println!("{MARKER}");
}

#[test]
fn a_hook_panic_during_unwinding_never_aborts() {
    let output = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "child_process",
            "--nocapture",
            "--test-threads",
            "1",
        ])
        .env(CHILD, "1")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        assert_eq!(
            output.status.signal(),
            None,
            "the child was killed by a signal (an abort is SIGABRT)\n{stdout}\n{stderr}"
        );
    }
    assert!(output.status.success(), "{stdout}\n{stderr}");
    assert!(
        stdout.lines().any(|l| l == MARKER),
        "the child went on after the panics\n{stdout}\n{stderr}"
    );
}

// ---- outside of unwinding the hook's panic propagates, and the state is already in place ----

#[test]
fn a_hook_panic_on_a_failure_verdict_propagates_after_the_transition() {
    let cb = CircuitBreaker::new(
        "hook_panics_failure",
        BreakerConfig::new()
            .failure_threshold(2)
            .on_state_change(panicking_hook),
    );
    cb.try_acquire().unwrap().failure();
    let permit = cb.try_acquire().unwrap();
    let payload = panic::catch_unwind(AssertUnwindSafe(|| permit.failure())).unwrap_err();
    assert_eq!(message(&*payload), "hook panicked on CLOSED -> OPEN");
    let s = cb.snapshot();
    assert_eq!((s.state, s.consecutive_failures), (State::Open, 2));
    assert!(cb.try_acquire().is_err());
    assert_eq!(cb.snapshot().rejected, 1);
}

#[test]
fn a_hook_panic_on_a_success_verdict_propagates_after_the_transition() {
    on_paused_clock(a_hook_panic_on_a_success_verdict);
}

fn a_hook_panic_on_a_success_verdict(rt: &tokio::runtime::Runtime) {
    let cb = quick_breaker("hook_panics_success", |c| {
        if c.to == State::Closed {
            panic!("hook panicked on closing");
        }
    });
    open_and_wait(&cb, rt);
    let probe = cb.try_acquire().unwrap();
    let payload = panic::catch_unwind(AssertUnwindSafe(|| probe.success())).unwrap_err();
    assert_eq!(message(&*payload), "hook panicked on closing");
    let s = cb.snapshot();
    assert_eq!((s.state, s.consecutive_failures), (State::Closed, 0));
    // Closed for good: calls run and a failure counts afresh.
    cb.try_acquire().unwrap().success();
    cb.try_acquire().unwrap().failure();
    assert_eq!(cb.state(), State::Open);
}

#[test]
fn a_hook_panic_on_turning_half_open_leaves_it_half_open_with_its_slots_free() {
    on_paused_clock(a_hook_panic_on_turning_half_open);
}

fn a_hook_panic_on_turning_half_open(rt: &tokio::runtime::Runtime) {
    let cb = quick_breaker("hook_panics_half_open", |c| {
        if c.to == State::HalfOpen {
            panic!("hook panicked on half-open");
        }
    });
    open_and_wait(&cb, rt);
    let payload = panic::catch_unwind(AssertUnwindSafe(|| cb.try_acquire().map(drop))).unwrap_err();
    assert_eq!(message(&*payload), "hook panicked on half-open");
    assert_eq!(cb.state(), State::HalfOpen);
    // The panic took no probe slot: the one probe is admitted, and closes it.
    cb.try_acquire().expect("a probe slot is free").success();
    assert_eq!(cb.state(), State::Closed);
}

#[test]
fn a_hook_panic_in_an_attribute_call_propagates_and_the_breaker_is_open() {
    #[circuit_breaker(hook_panics_attr, failure_threshold = 1, reset_timeout = "60s",
        on_state_change = panicking_hook)]
    fn call(fails: bool) -> Result<u32, Error> {
        if fails {
            Err(Error::Down)
        } else {
            Ok(1)
        }
    }
    let payload = panic::catch_unwind(|| call(true)).unwrap_err();
    assert_eq!(message(&*payload), "hook panicked on CLOSED -> OPEN");
    assert_opened_by_one_failure("hook_panics_attr", call(false));
}
