//! Probes cancelled at random points (futures dropped mid-await, seeded randomness) never
//! wedge a breaker: it still admits probes afterwards and closes when the backend recovers.

use std::future::Future;
use std::pin::pin;
use std::sync::atomic::{AtomicBool, Ordering::SeqCst};
use std::sync::Arc;
use std::task::Poll;
use std::time::Duration;

use retry_runtime::{BreakerConfig, CircuitBreaker, CircuitOpen, State};

#[derive(Debug)]
enum Error {
    Down,
    Open(CircuitOpen),
}

impl From<CircuitOpen> for Error {
    fn from(e: CircuitOpen) -> Self {
        Error::Open(e)
    }
}

/// wyrand: enough randomness for choosing cancellation points, the same on every run.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_add(0xa076_1d64_78bd_642f);
        let t = u128::from(self.0) * u128::from(self.0 ^ 0xe703_7ed1_a0b4_28db);
        ((t >> 64) as u64 ^ t as u64) % n
    }
}

/// A backend call taking `steps` awaits, then answering by `up`.
async fn backend(steps: u64, up: bool) -> Result<u32, Error> {
    for _ in 0..steps {
        tokio::task::yield_now().await;
    }
    if up {
        Ok(1)
    } else {
        Err(Error::Down)
    }
}

/// Polls `fut` at most `polls` times, then drops it: `None` if it was cancelled.
async fn poll_at_most<F: Future>(fut: F, polls: u64) -> Option<F::Output> {
    let mut fut = pin!(fut);
    for _ in 0..polls {
        let step = std::future::poll_fn(|cx| Poll::Ready(fut.as_mut().poll(cx))).await;
        if let Poll::Ready(out) = step {
            return Some(out);
        }
        tokio::task::yield_now().await;
    }
    None
}

const PROBES: u64 = 10_000;
const TASKS: u64 = 8;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_thousand_cancelled_probes_leave_no_slot_taken() {
    let cb: &'static CircuitBreaker = Box::leak(Box::new(CircuitBreaker::new(
        "t_cancel",
        BreakerConfig::new()
            .failure_threshold(1)
            .reset_timeout(Duration::from_millis(20))
            .half_open_max_calls(3)
            .success_threshold(2),
    )));
    cb.try_acquire().unwrap().failure();
    tokio::time::sleep(Duration::from_millis(25)).await;
    assert_eq!(cb.state(), State::HalfOpen);

    // Every probe is cancelled: before its first poll, after acquiring its slot, or at any
    // await of the (never finishing) backend call.
    let tasks: Vec<_> = (0..TASKS)
        .map(|t| {
            tokio::spawn(async move {
                let mut rng = Rng(0x5eed + t);
                let mut cancelled = 0;
                for _ in 0..100 * PROBES {
                    if cancelled == PROBES / TASKS {
                        break;
                    }
                    let polls = rng.below(6);
                    let call = cb.call_async(|| backend(u64::MAX, false));
                    match poll_at_most(call, polls).await {
                        // Its first poll took a slot: a probe, cancelled.
                        None if polls > 0 => cancelled += 1,
                        // Dropped before it was ever polled.
                        None => {}
                        Some(Err(Error::Open(open))) => {
                            assert_eq!(open.state(), State::HalfOpen);
                            // Let the probes holding the slots run.
                            tokio::task::yield_now().await;
                        }
                        Some(other) => panic!("the backend never answers: {other:?}"),
                    }
                }
                cancelled
            })
        })
        .collect();
    let mut cancelled = 0;
    for task in tasks {
        cancelled += task.await.unwrap();
    }
    assert_eq!(cancelled, PROBES);

    // No slot is left taken: exactly three probes are admitted now.
    assert_eq!(cb.state(), State::HalfOpen);
    let slots: Vec<_> = (0..3).map(|_| cb.try_acquire().unwrap()).collect();
    assert_eq!(cb.try_acquire().unwrap_err().state(), State::HalfOpen);
    drop(slots);

    // The backend recovers: two probes in a row succeed and the circuit closes.
    for _ in 0..2 {
        assert_eq!(cb.call_async(|| backend(3, true)).await.unwrap(), 1);
    }
    assert_eq!(cb.state(), State::Closed);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn probes_cancelled_failing_and_succeeding_at_random_never_wedge_it() {
    let cb: &'static CircuitBreaker = Box::leak(Box::new(CircuitBreaker::new(
        "t_chaos",
        BreakerConfig::new()
            .failure_threshold(2)
            .reset_timeout(Duration::from_millis(1))
            .half_open_max_calls(2)
            .success_threshold(2),
    )));
    let up = Arc::new(AtomicBool::new(false));
    let tasks: Vec<_> = (0..TASKS)
        .map(|t| {
            let up = up.clone();
            tokio::spawn(async move {
                let mut rng = Rng(0xc4a05 + t);
                for _ in 0..PROBES / TASKS {
                    let steps = rng.below(4);
                    let polls = rng.below(7);
                    // Mostly down, sometimes up: every state is visited many times.
                    let answer = up.load(SeqCst) || rng.below(4) == 0;
                    let call = cb.call_async(|| backend(steps, answer));
                    let _ = poll_at_most(call, polls).await;
                    if rng.below(50) == 0 {
                        tokio::time::sleep(Duration::from_millis(1)).await;
                    }
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }

    // The backend is up now: the breaker closes within a few reset timeouts.
    up.store(true, SeqCst);
    let mut closed = false;
    for _ in 0..200 {
        let _ = cb.call_async(|| backend(1, true)).await;
        if cb.state() == State::Closed {
            closed = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    assert!(closed, "{}", cb.snapshot());
}
