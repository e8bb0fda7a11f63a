//! The success path with the fleet on and off, in the same group of the same run: a fleet
//! must cost the success path nothing (`retry-redis`: no Redis I/O, no extra instruction on
//! it; failures, transitions and deposits reach Redis from the sync task).
//!
//! Run with `cargo bench -p retry-bench --bench fleet` (Redis on `REDIS_URL`, default
//! `redis://127.0.0.1:6379`; without one the `_on` variants run with a fleet that is not
//! connected, and the bench says so).
//!
//! Group `fleet_success`, each case measured off, on (the fleet started just before the `_on`
//! variant and shut down after it), and off again (the spread between the two `_off` figures is
//! the machine's noise):
//! - `breaker`: `#[circuit_breaker]` around the operation;
//! - `retry_budget`: `#[retry_on_failure(budget = ...)]` (the first attempt's deposit);
//! - `rate_limit`: `#[rate_limit]` with a rate no call reaches (the fleet's share of it is
//!   still far above the calls);
//! - `stack`: all three on one function;
//! - `bare`: the operation called directly.

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};

#[path = "common/fleet_ops.rs"]
mod fleet_ops;
use fleet_ops::{op, CASES, INPUT};

/// A fleet on its own runtime thread, connected (or not, if Redis does not answer).
struct On {
    runtime: tokio::runtime::Runtime,
    fleet: Option<retry_redis::Fleet>,
}

impl On {
    fn start() -> On {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("a tokio runtime");
        let fleet = runtime.block_on(fleet_ops::start_fleet("bench"));
        if !fleet.status().connected {
            eprintln!(
                "fleet bench: Redis at {} does not answer; the _on variants run disconnected",
                fleet_ops::redis_url()
            );
        }
        On {
            runtime,
            fleet: Some(fleet),
        }
    }
}

impl Drop for On {
    fn drop(&mut self) {
        if let Some(fleet) = self.fleet.take() {
            self.runtime.block_on(fleet.shutdown());
        }
    }
}

fn fleet_success(c: &mut Criterion) {
    let mut group = c.benchmark_group("fleet_success");
    group.bench_function("bare", |b| b.iter(|| black_box(op(INPUT))));
    for (name, f) in CASES {
        // Made before the fleet starts, so the fleet joins them.
        assert_eq!(f(INPUT), Ok(INPUT + 1));
        group.bench_function(format!("{name}_off"), |b| b.iter(|| black_box(f(INPUT))));
        let on = On::start();
        assert!(on.fleet.is_some());
        group.bench_function(format!("{name}_on"), |b| b.iter(|| black_box(f(INPUT))));
        drop(on);
        // Off once more: the spread between the two `_off` runs is this machine's noise.
        group.bench_function(format!("{name}_off_again"), |b| {
            b.iter(|| black_box(f(INPUT)))
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().warm_up_time(Duration::from_secs(1));
    targets = fleet_success
}
criterion_main!(benches);
