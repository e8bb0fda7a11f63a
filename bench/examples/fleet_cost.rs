//! Instructions per success-path call with a fleet on and off, counted with callgrind inside
//! the calling loop only (the fleet's sync task runs on another thread, outside the count),
//! which counts the same on a loaded machine as on a quiet one.
//!
//! ```sh
//! cargo build --release -p retry-bench --example fleet_cost
//! for v in breaker retry_budget rate_limit stack; do for f in off on; do for n in 100000 200000; do
//!   valgrind --tool=callgrind --callgrind-out-file=/dev/null --toggle-collect='*run_calls*' \
//!     target/release/examples/fleet_cost $v $f $n 2>&1 | grep -o 'refs: *[0-9,]*'
//! done; done; done
//! ```
//! The difference between the two counts of a pair, divided by 100,000, is one call's
//! instructions. With `on`, the fleet joins Redis at `REDIS_URL` (default
//! `redis://127.0.0.1:6379`) before the loop.

use std::hint::black_box;

#[path = "../benches/common/fleet_ops.rs"]
mod fleet_ops;
use fleet_ops::{Op, CASES, INPUT};

#[inline(never)]
fn run_calls(f: Op, n: u64) -> u64 {
    let mut ok = 0;
    for _ in 0..n {
        ok += u64::from(black_box(f(black_box(INPUT))).is_ok());
    }
    ok
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let usage = "usage: fleet_cost breaker|retry_budget|rate_limit|stack off|on <calls>";
    let f = args
        .get(1)
        .and_then(|v| CASES.iter().find(|(name, _)| name == v))
        .map(|(_, f)| *f)
        .unwrap_or_else(|| panic!("{usage}"));
    let on = match args.get(2).map(String::as_str) {
        Some("on") => true,
        Some("off") => false,
        _ => panic!("{usage}"),
    };
    let n: u64 = args.get(3).and_then(|n| n.parse().ok()).expect(usage);
    // Made before the fleet starts, so that it joins them.
    assert!(f(INPUT).is_ok());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("a runtime");
    let fleet = on.then(|| {
        let fleet = runtime.block_on(fleet_ops::start_fleet("cost"));
        assert!(fleet.status().connected, "Redis does not answer");
        fleet
    });
    println!("{} ok", run_calls(f, n));
    if let Some(fleet) = fleet {
        runtime.block_on(fleet.shutdown());
    }
}
