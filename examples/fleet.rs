//! Four processes share one circuit breaker through Redis.
//!
//! The example starts four worker processes of itself (`support/fleet.rs`), each calling one
//! loopback backend every 20 ms (each 5 ms after the one before) through a breaker named
//! `backend` (`failure_threshold` 5, `reset_timeout` 300 ms, one probe at a time, and the
//! default `success_threshold` of 2 probes to close). The backend goes down 300 ms in and comes
//! back 1.3 s in. With the fleet (`retry_redis::Fleet` on the Redis at `REDIS_URL`, default
//! `redis://127.0.0.1:6379`, in a namespace of its own) it prints the fleet's timeline: which
//! process opened the circuit, when each of the others saw it, the probes (one for the whole
//! fleet per reset period), the close. Then it runs the same story with each process on its
//! own, and compares the calls the backend took while it was down.
//!
//! ```sh
//! cargo run --example fleet
//! ```
//!
//! Without a Redis it says how to start one and exits with status 1.

#[path = "support/fleet.rs"]
mod fleet;

use std::process::ExitCode;
use std::time::Duration;

use fleet::{
    announce_state, breaker_worker, ping, redis_missing, redis_url, run_worker, spawn, unix_us,
    Backend, Line, Namespace, WorkerSpec,
};
use retry_runtime::BreakerConfig;

const WORKERS: usize = 4;
const CALL_EVERY: Duration = Duration::from_millis(20);
const DOWN_AT: Duration = Duration::from_millis(300);
const UP_AT: Duration = Duration::from_millis(1300);
const RUN: Duration = Duration::from_millis(2000);

fn main() -> ExitCode {
    if run_worker(|spec| async move {
        let config = BreakerConfig::new()
            .failure_threshold(5)
            .reset_timeout(Duration::from_millis(300))
            .half_open_max_calls(1)
            .on_state_change(announce_state);
        breaker_worker(&spec, "backend", config, 1, CALL_EVERY, false).await;
    }) {
        return ExitCode::SUCCESS;
    }
    let url = redis_url();
    if let Err(why) = ping(&url) {
        eprintln!("{}", redis_missing(&url, &why));
        return ExitCode::FAILURE;
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio runtime");
    runtime.block_on(async {
        println!(
            "{WORKERS} processes call one backend every {} ms, each 5 ms after the one before, \
             through breaker `backend` (failure_threshold 5, reset_timeout 300 ms, \
             half_open_max_calls 1, success_threshold 2); the backend goes down at {} ms and \
             comes back at {} ms.\n",
            CALL_EVERY.as_millis(),
            DOWN_AT.as_millis(),
            UP_AT.as_millis()
        );
        let with = story(&url, true).await;
        println!("With the fleet (Redis at {url}), times from the start:");
        print_timeline(&with);
        let alone = story(&url, false).await;
        println!("\nThe same story, each process on its own:");
        print_opens(&alone);
        println!(
            "\nCalls the backend took while down: {} with the fleet, {} without it \
             (all calls: {} and {}).",
            with.while_down, alone.while_down, with.hits, alone.hits
        );
    });
    ExitCode::SUCCESS
}

/// What one run of the story left.
struct Story {
    lines: Vec<Line>,
    start_us: u64,
    hits: usize,
    while_down: usize,
}

/// Four workers, the backend down from `DOWN_AT` to `UP_AT`.
async fn story(url: &str, with_fleet: bool) -> Story {
    let ns = Namespace::new(
        url,
        if with_fleet {
            "example"
        } else {
            "example-alone"
        },
    );
    let backend = Backend::start(true, Duration::ZERO).await;
    // Process i calls i × 5 ms after process 0: the calls of a fleet do not come in step.
    let spec = WorkerSpec::new("story", backend.addr(), &ns, with_fleet, RUN).with("stagger_ms", 5);
    let workers = spawn(WORKERS, &spec, &[]);
    let start_us = workers.start_us;
    let at = |offset: Duration| start_us + offset.as_micros() as u64;
    sleep_until_us(at(DOWN_AT)).await;
    backend.set_up(false);
    sleep_until_us(at(UP_AT)).await;
    backend.set_up(true);
    let lines = workers.finish(RUN + Duration::from_secs(15)).await;
    let hits = backend.hits();
    let while_down = hits
        .iter()
        .filter(|&&t| t >= at(DOWN_AT) && t < at(UP_AT))
        .count();
    Story {
        lines,
        start_us,
        hits: hits.len(),
        while_down,
    }
}

async fn sleep_until_us(at_us: u64) {
    tokio::time::sleep(Duration::from_micros(at_us.saturating_sub(unix_us()))).await;
}

/// Milliseconds from the start, to a tenth.
fn since(story: &Story, at_us: u64) -> String {
    let us = at_us.saturating_sub(story.start_us);
    format!("{:>7.1} ms", us as f64 / 1000.0)
}

/// The backend's changes, every transition (made here or seen from the fleet) and every
/// probe, in order.
fn print_timeline(story: &Story) {
    let mut events: Vec<(u64, String)> = vec![
        (
            story.start_us + DOWN_AT.as_micros() as u64,
            "backend goes down".into(),
        ),
        (
            story.start_us + UP_AT.as_micros() as u64,
            "backend is back".into(),
        ),
    ];
    for line in &story.lines {
        let who = format!("process {}", line.worker);
        let what = match (line.event.as_str(), line.get("to"), line.get("by")) {
            ("state", Some("OPEN"), Some("self")) if line.get("from") == Some("HALF_OPEN") => {
                format!("{who}: its probe failed, the circuit opens again for the fleet")
            }
            ("state", Some("OPEN"), Some("self")) => {
                format!("{who}: its failure completes the fleet's count: it opens the circuit")
            }
            ("state", Some("HALF_OPEN"), _) => {
                format!("{who}: holds the fleet's one probe slot: half-open here only")
            }
            ("state", Some("CLOSED"), Some("self")) => {
                format!("{who}: its probe succeeded: it closes the circuit")
            }
            ("state", Some(to), Some("fleet")) => {
                format!("{who}: sees it {}", to.to_lowercase().replace('_', "-"))
            }
            ("probe", _, _) => {
                let answer = if line.get("ok") == Some("1") {
                    "ok"
                } else {
                    "failed"
                };
                format!("{who}: probe answered, {answer}")
            }
            _ => continue,
        };
        events.push((line.at_us, what));
    }
    events.sort_by_key(|(at, _)| *at);
    for (at, what) in events {
        println!("  {}  {what}", since(story, at));
    }
}

/// When each process opened its own circuit.
fn print_opens(story: &Story) {
    let mut opens: Vec<&Line> = story.lines.iter().collect();
    opens.sort_by_key(|l| l.at_us);
    for line in opens {
        if line.event == "state" && line.get("to") == Some("OPEN") {
            let after = if line.get("from") == Some("HALF_OPEN") {
                "its own probe failed"
            } else {
                "5 failures of its own"
            };
            println!(
                "  {}  process {}: opens, after {after}",
                since(story, line.at_us),
                line.worker
            );
        }
    }
}
