//! 64 threads against one half-open breaker, round after round: exactly `half_open_max_calls`
//! probes run, every other call is rejected.
//!
//! The threads read tokio's paused clock (each enters the runtime): time stands still while a
//! round runs, however long the scheduler takes, so `reset_timeout` (after which a breaker
//! whose probes never finish admits new ones) cannot elapse under them, and the main thread
//! opens the way to the probes by advancing the clock exactly to the promised deadline.

use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::sync::Barrier;
use std::time::Duration;

use retry_runtime::{BreakerConfig, CircuitBreaker, State};

const THREADS: usize = 64;
const ROUNDS: usize = 25;
const RESET: Duration = Duration::from_millis(60);

fn rounds(max_probes: u32) {
    let cb = CircuitBreaker::new(
        "t_64",
        BreakerConfig::new()
            .failure_threshold(1)
            .reset_timeout(RESET)
            .half_open_max_calls(max_probes)
            .success_threshold(1),
    );
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .unwrap();
    let clock = runtime.handle();
    let start = Barrier::new(THREADS + 1);
    let end = Barrier::new(THREADS + 1);
    let attempted = AtomicUsize::new(0);
    let probes = AtomicUsize::new(0);
    let rejected = AtomicUsize::new(0);

    std::thread::scope(|s| {
        for _ in 0..THREADS {
            s.spawn(|| {
                let _paused = clock.enter();
                for _ in 0..ROUNDS {
                    start.wait();
                    match cb.try_acquire() {
                        Ok(permit) => {
                            probes.fetch_add(1, SeqCst);
                            attempted.fetch_add(1, SeqCst);
                            // Hold the slot until every thread has tried.
                            while attempted.load(SeqCst) < THREADS {
                                std::thread::yield_now();
                            }
                            permit.success();
                        }
                        Err(open) => {
                            assert_eq!(open.state(), State::HalfOpen, "{open}");
                            rejected.fetch_add(1, SeqCst);
                            attempted.fetch_add(1, SeqCst);
                        }
                    }
                    end.wait();
                }
            });
        }

        for round in 0..ROUNDS {
            let _paused = clock.enter();
            cb.try_acquire().expect("closed").failure();
            let wait = cb.try_acquire().expect_err("open").retry_in();
            // The deadline is kept in whole ms, rounded up.
            assert!(
                wait >= RESET && wait < RESET + Duration::from_millis(1),
                "{wait:?}"
            );
            runtime.block_on(tokio::time::advance(wait - Duration::from_nanos(1)));
            assert_eq!(cb.state(), State::Open, "round {round}: 1 ns early");
            runtime.block_on(tokio::time::advance(Duration::from_nanos(1)));
            assert_eq!(cb.state(), State::HalfOpen, "round {round}");
            attempted.store(0, SeqCst);
            probes.store(0, SeqCst);
            rejected.store(0, SeqCst);
            start.wait();
            end.wait();
            let (p, r) = (probes.load(SeqCst), rejected.load(SeqCst));
            assert_eq!(
                (p, r),
                (max_probes as usize, THREADS - max_probes as usize),
                "round {round}: {p} probes ran, {r} calls rejected"
            );
            assert_eq!(cb.state(), State::Closed, "round {round}");
        }
    });
}

#[test]
fn exactly_half_open_max_calls_probes_run() {
    rounds(1);
    rounds(3);
}
