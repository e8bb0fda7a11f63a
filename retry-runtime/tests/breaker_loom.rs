//! Model checking of the breaker's state machine with loom: every interleaving of a few
//! threads' atomic operations, under the C11 memory model.
//!
//! Run with (its own target dir: `--cfg loom` rebuilds everything):
//!
//! ```text
//! RUSTFLAGS="--cfg loom" CARGO_TARGET_DIR=target/loom \
//!     cargo test -p retry-runtime --test breaker_loom --release
//! ```
//!
//! Under `--cfg loom` the breaker's atomics are loom's and its clock stands still unless the
//! model moves it (`CircuitBreaker::loom_set_clock`), so every execution is deterministic.
#![cfg(loom)]

use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use loom::sync::Arc;
use loom::thread;
use retry_runtime::{BreakerConfig, CircuitBreaker, State, StateChange};

const MS: u64 = 1_000_000;
const RESET: Duration = Duration::from_millis(10);

/// The clock and the transition counts are process-wide: one model at a time.
static SERIAL: Mutex<()> = Mutex::new(());

fn serial() -> MutexGuard<'static, ()> {
    SERIAL.lock().unwrap_or_else(|e| e.into_inner())
}

/// Transitions seen by the hook in the current execution, by target state.
static TO_OPEN: AtomicUsize = AtomicUsize::new(0);
static TO_HALF_OPEN: AtomicUsize = AtomicUsize::new(0);
static TO_CLOSED: AtomicUsize = AtomicUsize::new(0);

fn hook(change: &StateChange) {
    match change.to {
        State::Open => &TO_OPEN,
        State::HalfOpen => &TO_HALF_OPEN,
        State::Closed => &TO_CLOSED,
        _ => return,
    }
    .fetch_add(1, SeqCst);
}

fn start(config: BreakerConfig) -> Arc<CircuitBreaker> {
    CircuitBreaker::loom_set_clock(0);
    for n in [&TO_OPEN, &TO_HALF_OPEN, &TO_CLOSED] {
        n.store(0, SeqCst);
    }
    Arc::new(CircuitBreaker::new(
        "loom",
        config.reset_timeout(RESET).on_state_change(hook),
    ))
}

/// A breaker opened by one failure whose reset timeout has passed.
fn due_for_probes(max_probes: u32, success_threshold: u32) -> Arc<CircuitBreaker> {
    let cb = start(
        BreakerConfig::new()
            .failure_threshold(1)
            .half_open_max_calls(max_probes)
            .success_threshold(success_threshold),
    );
    cb.try_acquire().unwrap().failure();
    assert_eq!(cb.state(), State::Open);
    CircuitBreaker::loom_set_clock(11 * MS);
    cb
}

#[test]
fn concurrent_failures_open_it_once() {
    let _serial = serial();
    loom::model(|| {
        let cb = start(BreakerConfig::new().failure_threshold(2));
        let threads: Vec<_> = (0..2)
            .map(|_| {
                let cb = cb.clone();
                thread::spawn(move || {
                    if let Ok(permit) = cb.try_acquire() {
                        permit.failure();
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        assert_eq!(cb.state(), State::Open);
        assert_eq!(TO_OPEN.load(SeqCst), 1);
        assert_eq!(cb.snapshot().consecutive_failures, 2);
    });
}

#[test]
fn a_success_racing_a_failure_loses_no_count() {
    let _serial = serial();
    loom::model(|| {
        let cb = start(BreakerConfig::new().failure_threshold(2));
        cb.try_acquire().unwrap().failure();
        let ok = {
            let cb = cb.clone();
            thread::spawn(move || {
                if let Ok(permit) = cb.try_acquire() {
                    permit.success();
                }
            })
        };
        let failed = {
            let cb = cb.clone();
            thread::spawn(move || {
                if let Ok(permit) = cb.try_acquire() {
                    permit.failure();
                }
            })
        };
        ok.join().unwrap();
        failed.join().unwrap();
        // Failure first: 2 in a row, open (the success came too late to count).
        // Success first: the run restarts, and the failure makes it 1.
        let s = cb.snapshot();
        match s.state {
            State::Open => assert_eq!(TO_OPEN.load(SeqCst), 1),
            State::Closed => assert_eq!(s.consecutive_failures, 1),
            other => panic!("unexpected {other}"),
        }
    });
}

#[test]
fn one_probe_at_a_time_and_no_slot_leaks() {
    let _serial = serial();
    loom::model(|| {
        let cb = due_for_probes(1, 1);
        let inside = Arc::new(loom::sync::atomic::AtomicUsize::new(0));
        let threads: Vec<_> = (0..2)
            .map(|_| {
                let (cb, inside) = (cb.clone(), inside.clone());
                thread::spawn(move || {
                    if let Ok(permit) = cb.try_acquire() {
                        let n = inside.fetch_add(1, SeqCst) + 1;
                        assert_eq!(n, 1, "two probes at once");
                        inside.fetch_sub(1, SeqCst);
                        drop(permit); // cancelled: neither success nor failure
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        assert_eq!(TO_HALF_OPEN.load(SeqCst), 1);
        assert_eq!(cb.state(), State::HalfOpen);
        // Every slot is free again.
        let probe = cb.try_acquire().expect("a slot is free");
        assert!(cb.try_acquire().is_err());
        probe.success();
        assert_eq!(cb.state(), State::Closed);
    });
}

#[test]
fn probe_verdicts_racing_settle_consistently() {
    let _serial = serial();
    loom::model(|| {
        let cb = due_for_probes(2, 1);
        let good = {
            let cb = cb.clone();
            thread::spawn(move || {
                if let Ok(permit) = cb.try_acquire() {
                    permit.success();
                }
            })
        };
        let bad = {
            let cb = cb.clone();
            thread::spawn(move || {
                if let Ok(permit) = cb.try_acquire() {
                    permit.failure();
                }
            })
        };
        good.join().unwrap();
        bad.join().unwrap();
        let (opened, closed) = (TO_OPEN.load(SeqCst), TO_CLOSED.load(SeqCst));
        match cb.state() {
            // Reopened by the failed probe, or closed by the good one and then opened by
            // the failure counted closed (threshold 1).
            State::Open => assert!(opened == 2 && closed <= 1, "{opened} {closed}"),
            // Closed by the good probe; the failed probe's verdict was of an older period.
            State::Closed => assert_eq!((opened, closed), (1, 1)),
            // Neither verdict applied (the good probe was rejected, the bad one lost its
            // period to nothing): impossible, one of them always counts.
            other => panic!("unexpected {other}"),
        }
    });
}

#[test]
fn a_leaked_probe_is_replaced_by_exactly_one() {
    let _serial = serial();
    loom::model(|| {
        let cb = due_for_probes(1, 1);
        std::mem::forget(cb.try_acquire().unwrap());
        // No probe admitted for a whole reset timeout: the slot is given again, once.
        CircuitBreaker::loom_set_clock(25 * MS);
        let admitted = Arc::new(loom::sync::atomic::AtomicUsize::new(0));
        let threads: Vec<_> = (0..2)
            .map(|_| {
                let (cb, admitted) = (cb.clone(), admitted.clone());
                thread::spawn(move || {
                    if let Ok(permit) = cb.try_acquire() {
                        admitted.fetch_add(1, SeqCst);
                        std::mem::forget(permit);
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        assert_eq!(admitted.load(SeqCst), 1);
    });
}
