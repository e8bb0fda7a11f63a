//! 64 threads against one half-open breaker, round after round: exactly `half_open_max_calls`
//! probes run, every other call is rejected.
//!
//! The only test of this binary, so that nothing else competes for the cores while a round
//! runs (a round must end within `reset_timeout`, after which a breaker whose probes never
//! finish admits new ones).

use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::sync::Barrier;
use std::thread::sleep;
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
    let start = Barrier::new(THREADS + 1);
    let end = Barrier::new(THREADS + 1);
    let attempted = AtomicUsize::new(0);
    let probes = AtomicUsize::new(0);
    let rejected = AtomicUsize::new(0);

    std::thread::scope(|s| {
        for _ in 0..THREADS {
            s.spawn(|| {
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
            cb.try_acquire().expect("closed").failure();
            assert_eq!(cb.state(), State::Open);
            sleep(RESET + Duration::from_millis(3));
            assert_eq!(cb.state(), State::HalfOpen);
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
