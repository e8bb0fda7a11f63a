//! The fleet's promises (issue 14, `../shared/API.md` "The fleet"), measured with worker
//! processes and a real Redis: each test starts copies of this binary as fleet members
//! (`examples/support/fleet.rs`), drives a loopback backend, prints its figure in one line
//! `FIGURE <name>: ...` and asserts the bound the issue states.
//!
//! Redis: `REDIS_URL` (default `redis://127.0.0.1:6379`), a namespace per test; the test that
//! kills Redis starts its own `redis-server` on a free port. Without a Redis every test fails,
//! saying how to start one.
//!
//! ```sh
//! cargo test --test fleet -- --nocapture   # the FIGURE lines
//! ```

#[path = "../examples/support/fleet.rs"]
mod fleet;

use std::net::TcpListener as StdTcpListener;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering::*};
use std::time::{Duration, Instant};

use fleet::{
    announce_state, breaker_worker, call, emit, fail, redis_url, require_redis, run_worker, spawn,
    unix_us, Backend, Line, Namespace, WorkerSpec, TEST_WORKER_ARGS,
};
use retry_redis::Admin;
use retry_runtime::{
    configure_budget, register_breaker, register_limiter, BreakerConfig, Jitter, LimiterConfig,
    Retry, RetryBudget, RetryPolicy,
};

/// The tests run one at a time: each measures times of a few milliseconds (or loads the
/// machine), and eight processes of one starting with eight of another on a small machine
/// would measure the machine, not the fleet.
static TURN: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Every worker process of this binary starts here (see the harness); in the test run
/// itself it returns at once.
#[test]
fn worker() {
    run_worker(|spec| async move {
        match spec.scenario.as_str() {
            "dead" => dead_worker(spec).await,
            "watch" => watch_worker(spec).await,
            "probe" => probe_worker(spec).await,
            "budget" => budget_worker(spec).await,
            "rate" => rate_worker(spec).await,
            "steady" => steady_worker(spec).await,
            other => fail(&format!("no scenario {other:?}")),
        }
    });
}

/// The Redis of the tests, checked (a test without one fails, saying how to start one), and
/// this test's turn to run (see `TURN`).
async fn redis_and_turn() -> (String, tokio::sync::MutexGuard<'static, ()>) {
    let url = redis_url();
    require_redis(&url);
    (url, TURN.lock().await)
}

fn count(lines: &[Line], event: &str) -> usize {
    lines.iter().filter(|l| l.event == event).count()
}

fn sum(lines: &[Line], event: &str, key: &str) -> u64 {
    lines
        .iter()
        .filter(|l| l.event == event)
        .map(|l| l.num(key))
        .sum()
}

// ---- a. a dead backend ----

const DEAD_WORKERS: usize = 8;
const DEAD_THRESHOLD: u32 = 5;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dead_backend_hits_with_and_without_the_fleet() {
    let (url, _turn) = redis_and_turn().await;
    let with = dead_backend(&url, true).await;
    let alone = dead_backend(&url, false).await;
    let bound = DEAD_THRESHOLD as usize + DEAD_WORKERS;
    println!(
        "FIGURE dead-backend: fleet {with} hits (bound {bound}), alone {alone} hits \
         (about {} expected)",
        DEAD_WORKERS * DEAD_THRESHOLD as usize
    );
    assert!(
        with <= bound,
        "{with} hits with the fleet: more than failure_threshold + workers = {bound}"
    );
    assert!(
        alone > with,
        "{alone} hits alone: not more than the fleet's {with}"
    );
}

/// Backend hits until every worker's breaker rejects.
async fn dead_backend(url: &str, with_fleet: bool) -> usize {
    let ns = Namespace::new(url, if with_fleet { "dead" } else { "dead-alone" });
    let backend = Backend::start(false, Duration::ZERO).await;
    let spec = WorkerSpec::new(
        "dead",
        backend.addr(),
        &ns,
        with_fleet,
        Duration::from_secs(3),
    );
    let workers = spawn(DEAD_WORKERS, &spec, &TEST_WORKER_ARGS);
    let lines = workers.finish(Duration::from_secs(15)).await;
    assert_eq!(
        count(&lines, "rejected"),
        DEAD_WORKERS,
        "every worker's breaker rejects within the run"
    );
    backend.hit_count()
}

/// Calls every 10 ms through a breaker (`failure_threshold` 5) until it rejects.
async fn dead_worker(spec: WorkerSpec) {
    let config = BreakerConfig::new()
        .failure_threshold(DEAD_THRESHOLD)
        .reset_timeout(Duration::from_secs(60))
        .on_state_change(announce_state);
    breaker_worker(&spec, "dead", config, 1, Duration::from_millis(10), true).await;
}

// ---- b. propagation of transitions made elsewhere ----

const WATCHERS: usize = 8;
const TRANSITIONS: usize = 100;
const WATCHED: &str = "watched";
const WATCHED_THRESHOLD: u32 = 5;

/// What a failing process does to a breaker in Redis, with the fleet's own script
/// (`retry-redis/src/scripts/failures.lua`, `common.lua` prepended as `scripts.rs` does): its
/// run of failures, pooled with the others'.
struct PooledFailures<'a> {
    ns: &'a Namespace,
    conn: redis::aio::MultiplexedConnection,
    script: redis::Script,
}

impl<'a> PooledFailures<'a> {
    async fn new(ns: &'a Namespace) -> PooledFailures<'a> {
        let client = redis::Client::open(ns.url()).expect("a Redis URL");
        let conn = tokio::time::timeout(
            Duration::from_secs(2),
            client.get_multiplexed_async_connection(),
        )
        .await
        .expect("Redis answers within 2 s")
        .expect("a connection to Redis");
        let script = redis::Script::new(concat!(
            include_str!("../retry-redis/src/scripts/common.lua"),
            include_str!("../retry-redis/src/scripts/failures.lua")
        ));
        PooledFailures { ns, conn, script }
    }

    /// A process's run of `run` failures of breaker `name`: opens it for `reset` once the
    /// runs add up to `threshold`. Returns the mode after it.
    async fn report(&mut self, name: &str, run: u32, threshold: u32, reset: Duration) -> String {
        let mut inv = self.script.prepare_invoke();
        inv.key(self.ns.key(&format!("breaker:{name}")))
            .key(self.ns.key(&format!("breaker:{name}:failures")))
            .key(self.ns.key(&format!("breaker:{name}:probes")))
            .key(self.ns.key("breakers"))
            .arg(self.ns.key("events"))
            .arg(name)
            .arg("fleet-test")
            .arg(run)
            .arg(threshold)
            .arg(reset.as_millis() as u64)
            .arg("fleet-test")
            .arg(30_000);
        let (mode, _gen, _left, _sum): (String, u64, u64, u64) = inv
            .invoke_async(&mut self.conn)
            .await
            .expect("the failures script runs");
        mode
    }
}

/// Position `q` (0..=1) of sorted `v`.
fn percentile(v: &[u64], q: f64) -> u64 {
    let i = ((v.len() as f64 - 1.0) * q).round() as usize;
    v[i.min(v.len() - 1)]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn transitions_reach_every_process_within_100_ms() {
    let (url, _turn) = redis_and_turn().await;
    let ns = Namespace::new(&url, "propagation");
    let backend = Backend::start(true, Duration::ZERO).await;
    let spec = WorkerSpec::new("watch", backend.addr(), &ns, true, Duration::from_secs(40));
    let mut workers = spawn(WATCHERS, &spec, &TEST_WORKER_ARGS);
    workers.wait_all("ready", Duration::from_secs(10)).await;
    let start_in = workers.start_us.saturating_sub(unix_us()) + 20_000;
    tokio::time::sleep(Duration::from_micros(start_in)).await;
    let admin = Admin::connect(ns.url(), ns.name())
        .await
        .expect("an admin connection to Redis");
    let mut failing = PooledFailures::new(&ns).await;
    let mut delays = Vec::with_capacity(TRANSITIONS * WATCHERS);
    for i in 0..TRANSITIONS {
        // forced open → reset (closed) → opened by a process's pooled failures → ...
        let expect = match i % 3 {
            0 => "FORCED_OPEN",
            1 => "CLOSED",
            _ => "OPEN",
        };
        let sent = unix_us();
        // As `retry-fleet open`, `retry-fleet reset`, and a process whose failures open it.
        let mode = match i % 3 {
            0 => admin.open(WATCHED).await.expect("open by hand").state,
            1 => admin.reset(WATCHED).await.expect("reset by hand").state,
            _ => {
                let (run, reset) = (WATCHED_THRESHOLD, Duration::from_secs(60));
                failing.report(WATCHED, run, WATCHED_THRESHOLD, reset).await
            }
        };
        assert_eq!(mode.to_uppercase(), expect, "transition {i} made in Redis");
        let mut seen: Vec<Option<u64>> = vec![None; WATCHERS];
        let until = tokio::time::Instant::now() + Duration::from_secs(2);
        while seen.iter().any(Option::is_none) {
            let left = until.saturating_duration_since(tokio::time::Instant::now());
            let Some(line) = workers.next(left).await else {
                let late: Vec<usize> = (0..WATCHERS).filter(|&w| seen[w].is_none()).collect();
                panic!("transition {i} to {expect}: workers {late:?} did not see it in 2 s");
            };
            if line.event != "state" {
                continue;
            }
            assert_eq!(
                line.get("to"),
                Some(expect),
                "transition {i}: worker {} applied another state: {line:?}",
                line.worker
            );
            assert_eq!(line.get("by"), Some("fleet"), "{line:?}");
            seen[line.worker] = Some(line.at_us);
        }
        delays.extend(seen.into_iter().flatten().map(|at| at.saturating_sub(sent)));
    }
    workers.stop();
    workers.finish(Duration::from_secs(10)).await;
    delays.sort_unstable();
    let (p50, p99, max) = (
        percentile(&delays, 0.5),
        percentile(&delays, 0.99),
        delays[delays.len() - 1],
    );
    println!(
        "FIGURE propagation: p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms over {TRANSITIONS} \
         transitions x {WATCHERS} processes (forced open, reset, opened by pooled failures; \
         bound p99 100 ms)",
        p50 as f64 / 1000.0,
        p99 as f64 / 1000.0,
        max as f64 / 1000.0
    );
    assert!(p99 <= 100_000, "p99 {p99} µs: over 100 ms");
}

/// Registers the watched breaker and reports its every transition until told to stop.
async fn watch_worker(spec: WorkerSpec) {
    register_breaker(
        WATCHED,
        BreakerConfig::new()
            .failure_threshold(WATCHED_THRESHOLD)
            .reset_timeout(Duration::from_secs(60))
            .on_state_change(announce_state),
    );
    let fleet = spec.join().await;
    spec.wait_start().await;
    spec.until_stopped().await;
    spec.leave(fleet).await;
}

// ---- c. half-open across the fleet ----

const PROBERS: usize = 8;
const PROBED: &str = "probed";
const PROBE_RESET: Duration = Duration::from_millis(100);
const PROBE_HOLD: Duration = Duration::from_millis(20);
const PERIODS: usize = 20;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn half_open_probes_are_claimed_fleet_wide() {
    let (url, _turn) = redis_and_turn().await;
    for max_calls in [1, 2] {
        let (most, probes, periods) = half_open(&url, max_calls).await;
        println!(
            "FIGURE half-open (half_open_max_calls {max_calls}): at most {most} probes in \
             flight at once (bound {max_calls}), {probes} probes in {periods} reset periods, \
             {PROBERS} processes x 2 callers"
        );
        assert!(
            periods > PERIODS,
            "the fleet probed in {periods} reset periods of 10 s, fewer than {PERIODS}"
        );
        assert!(
            most <= max_calls,
            "{most} probes in flight at once across the fleet: more than {max_calls}"
        );
    }
}

/// Hits separated by more than half a reset period belong to different half-open periods.
fn periods(hits: &[u64]) -> usize {
    let gap = u64::try_from(PROBE_RESET.as_micros() / 2).unwrap_or(u64::MAX);
    let mut n = 0;
    let mut last = None;
    for &at in hits {
        if last.is_none_or(|l| at > l + gap) {
            n += 1;
        }
        last = Some(at);
    }
    n
}

/// The most calls in flight at the backend, the probes, the reset periods.
async fn half_open(url: &str, max_calls: u32) -> (u32, usize, usize) {
    let ns = Namespace::new(url, &format!("half-open-{max_calls}"));
    let backend = Backend::start(false, PROBE_HOLD).await;
    // The fleet's breaker is open before any worker joins: they join it open, and no call
    // reaches the backend but a probe.
    let mut failing = PooledFailures::new(&ns).await;
    let mode = failing.report(PROBED, 3, 3, PROBE_RESET).await;
    assert_eq!(mode, "open");
    let spec = WorkerSpec::new("probe", backend.addr(), &ns, true, Duration::from_secs(10))
        .with("max_calls", max_calls);
    let mut workers = spawn(PROBERS, &spec, &TEST_WORKER_ARGS);
    workers.wait_all("ready", Duration::from_secs(10)).await;
    // One more period than asked for: the first starts with the run.
    let until = tokio::time::Instant::now() + Duration::from_secs(10);
    while periods(&backend.hits()) <= PERIODS && tokio::time::Instant::now() < until {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    workers.stop();
    let lines = workers.finish(Duration::from_secs(10)).await;
    let hits = backend.hits();
    assert_eq!(
        hits.len() as u64,
        sum(&lines, "calls", "made"),
        "every call that reached the backend is a probe some worker made"
    );
    (backend.max_in_flight(), hits.len(), periods(&hits))
}

/// Two callers through a breaker (`reset_timeout` 100 ms) against the down backend.
async fn probe_worker(spec: WorkerSpec) {
    let config = BreakerConfig::new()
        .failure_threshold(3)
        .reset_timeout(PROBE_RESET)
        .half_open_max_calls(spec.get("max_calls"));
    breaker_worker(&spec, PROBED, config, 2, Duration::from_millis(2), false).await;
}

// ---- d. a retry budget at 100% failure ----

const SPENDERS: usize = 8;
const BUDGET: RetryBudget = RetryBudget::new()
    .ratio(0.1)
    .min_per_sec(2)
    .ttl(Duration::from_secs(10));
const BUDGET_RUN: Duration = Duration::from_secs(3);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_retry_budget_holds_its_ratio_fleet_wide() {
    let (url, _turn) = redis_and_turn().await;
    let ns = Namespace::new(&url, "budget");
    let backend = Backend::start(false, Duration::ZERO).await;
    let spec = WorkerSpec::new("budget", backend.addr(), &ns, true, BUDGET_RUN);
    let workers = spawn(SPENDERS, &spec, &TEST_WORKER_ARGS);
    let lines = workers.finish(Duration::from_secs(20)).await;
    let calls = sum(&lines, "budget", "calls");
    let attempts = sum(&lines, "budget", "attempts");
    let hits = backend.hit_count() as u64;
    assert!(calls > 0, "no call was made");
    let per_call = hits as f64 / calls as f64;
    let ratio = BUDGET.get_ratio();
    let min_per_sec = f64::from(BUDGET.get_min_per_sec());
    let run = BUDGET_RUN.as_secs_f64();
    // The bound: 1 + ratio + the min_per_sec allowance. The budget (runtime and fleet alike)
    // holds `min_per_sec × ttl` in reserve over any window of `ttl`, and the run lies within
    // one ttl, so the allowance is the whole reserve, shared by the fleet (alone, each of the
    // 8 processes would have its own).
    let ttl = BUDGET.get_ttl().as_secs_f64();
    assert!(run <= ttl);
    let bound = 1.0 + ratio + min_per_sec * ttl / calls as f64;
    let alone = 1.0 + ratio + SPENDERS as f64 * min_per_sec * ttl / calls as f64;
    println!(
        "FIGURE budget: {per_call:.4} attempts per call fleet-wide ({hits} backend hits / \
         {calls} calls, {SPENDERS} processes, max_attempts 4, 100% failure, {run:.1} s); bound \
         1 + ratio {ratio} + min_per_sec {min_per_sec} x ttl {ttl:.0} s / {calls} calls = \
         {bound:.4} (8 budgets alone would allow {alone:.4})"
    );
    assert_eq!(hits, attempts, "every attempt reached the backend");
    assert!(
        per_call <= bound,
        "{per_call:.4} attempts per call: over the bound {bound:.4}"
    );
}

/// A retry of 4 attempts, drawing on the shared budget, every 2 ms against the down backend.
async fn budget_worker(spec: WorkerSpec) {
    configure_budget("spent", BUDGET);
    let fleet = spec.join().await;
    spec.wait_start().await;
    const POLICY: RetryPolicy = RetryPolicy::fixed()
        .max_attempts(4)
        .initial_delay(Duration::from_millis(2))
        .jitter(Jitter::None);
    let retry = Retry::new(&POLICY).budget("spent");
    let (mut calls, mut attempts) = (0u64, 0u64);
    let mut tick = tokio::time::interval(Duration::from_millis(2));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    while spec.running() {
        tick.tick().await;
        let _ = retry
            .run_async(|| {
                attempts += 1;
                call(spec.backend)
            })
            .await;
        calls += 1;
    }
    emit("budget", format_args!("calls={calls} attempts={attempts}"));
    spec.leave(fleet).await;
}

// ---- e. a rate limit across the fleet ----

const LIMITED: usize = 8;
const RATE: u64 = 100;
const RATE_SECONDS: usize = 10;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rate_limit_holds_fleet_wide() {
    let (url, _turn) = redis_and_turn().await;
    let ns = Namespace::new(&url, "rate");
    let backend = Backend::start(true, Duration::ZERO).await;
    let run = Duration::from_secs(RATE_SECONDS as u64);
    let spec = WorkerSpec::new("rate", backend.addr(), &ns, true, run);
    let workers = spawn(LIMITED, &spec, &TEST_WORKER_ARGS);
    let start_us = workers.start_us;
    let lines = workers.finish(run + Duration::from_secs(15)).await;
    let series = backend.per_second(start_us, RATE_SECONDS);
    let total: u64 = series.iter().sum();
    let second_bound = RATE + LIMITED as u64;
    // Each process keeps its burst (1); a share is changed only when it moves by more than
    // 1% (`limiters.rs`), so the shares in force may add up to 1% over the rate.
    let drift = RATE * RATE_SECONDS as u64 / 100;
    let total_bound = RATE * RATE_SECONDS as u64 + LIMITED as u64 + drift;
    println!(
        "FIGURE rate-limit: {total} admitted in {RATE_SECONDS} s by {LIMITED} processes \
         (bound {total_bound} = {} + {LIMITED} bursts + {drift} drift), per second {series:?} \
         (bound {second_bound} each)",
        RATE * RATE_SECONDS as u64
    );
    assert_eq!(
        sum(&lines, "admitted", "n"),
        backend.hit_count() as u64,
        "every admitted call reached the backend, and nothing else did"
    );
    for (second, &n) in series.iter().enumerate() {
        assert!(
            n <= second_bound,
            "second {second}: {n} admitted, over {second_bound}"
        );
    }
    assert!(
        total <= total_bound,
        "{total} admitted in {RATE_SECONDS} s: over {total_bound}"
    );
    assert!(
        total >= RATE * RATE_SECONDS as u64 * 8 / 10,
        "{total} admitted in {RATE_SECONDS} s: the fleet does not use its rate"
    );
}

/// Two callers, each as fast as the limiter admits (`acquire_async`), calling the backend.
async fn rate_worker(spec: WorkerSpec) {
    let limiter = register_limiter(
        "shared-rate",
        LimiterConfig::new(RATE as u32, Duration::from_secs(1)).burst(1),
    );
    let fleet = spec.join().await;
    spec.wait_start().await;
    let caller = || async {
        let mut n = 0u64;
        while spec.running() {
            if limiter.acquire_async(1).await.is_ok() && spec.running() {
                let _ = call(spec.backend).await;
                n += 1;
            }
        }
        n
    };
    let (a, b) = tokio::join!(caller(), caller());
    emit("admitted", format_args!("n={}", a + b));
    spec.leave(fleet).await;
}

// ---- f. Redis killed mid-run ----

/// A `redis-server` of the test's own on a free loopback port, killed when dropped.
struct RedisServer {
    port: u16,
    child: Option<Child>,
}

impl RedisServer {
    fn start() -> RedisServer {
        let port = StdTcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free loopback port")
            .port();
        let mut server = RedisServer { port, child: None };
        server.restart();
        server
    }

    fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }

    /// Starts it (again) on its port, and waits until it answers (at most 5 s).
    fn restart(&mut self) {
        let child = Command::new("redis-server")
            .args(["--port", &self.port.to_string(), "--bind", "127.0.0.1"])
            .args(["--save", "", "--appendonly", "no"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("redis-server runs (is it installed?)");
        self.child = Some(child);
        let until = Instant::now() + Duration::from_secs(5);
        while fleet::ping(&self.url()).is_err() {
            assert!(
                Instant::now() < until,
                "redis-server on port {} did not answer within 5 s",
                self.port
            );
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    /// `kill -9`.
    fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        self.kill();
    }
}

const STEADY: usize = 4;
const KILL_AT: Duration = Duration::from_millis(1000);
const DOWN_FOR: Duration = Duration::from_secs(2);
const STEADY_RUN: Duration = Duration::from_millis(4500);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_killed_mid_run() {
    // This test's Redis is its own; the shared one must answer all the same (the machine
    // is set up as the others assume).
    let (_, _turn) = redis_and_turn().await;
    let mut server = RedisServer::start();
    let ns = Namespace::new(&server.url(), "redis-killed");
    let backend = Backend::start(true, Duration::from_millis(1)).await;
    let spec = WorkerSpec::new("steady", backend.addr(), &ns, true, STEADY_RUN);
    let mut workers = spawn(STEADY, &spec, &TEST_WORKER_ARGS);
    workers.wait_all("ready", Duration::from_secs(10)).await;
    let kill_in = (workers.start_us + KILL_AT.as_micros() as u64).saturating_sub(unix_us());
    tokio::time::sleep(Duration::from_micros(kill_in)).await;
    let killed_us = unix_us();
    server.kill();
    tokio::time::sleep(DOWN_FOR).await;
    let restarted_us = unix_us();
    server.restart();
    let lines = workers.finish(STEADY_RUN + Duration::from_secs(15)).await;
    let mut worst_resync = 0;
    let mut worst_call = 0;
    for w in 0..STEADY {
        let mine: Vec<&Line> = lines.iter().filter(|l| l.worker == w).collect();
        let report = mine
            .iter()
            .find(|l| l.event == "steady")
            .unwrap_or_else(|| panic!("worker {w} made no report"));
        assert_eq!(
            report.num("started"),
            report.num("returned"),
            "worker {w}: every call started returned"
        );
        assert!(report.num("started") > 0, "worker {w} made no call");
        worst_call = worst_call.max(report.num("worst_us"));
        let lost = mine
            .iter()
            .find(|l| l.event == "link" && l.get("connected") == Some("0") && l.at_us >= killed_us)
            .unwrap_or_else(|| panic!("worker {w} never saw Redis go"));
        let back = mine
            .iter()
            .find(|l| l.event == "link" && l.get("connected") == Some("1") && l.at_us >= lost.at_us)
            .unwrap_or_else(|| panic!("worker {w} never reconnected"));
        worst_resync = worst_resync.max(back.at_us.saturating_sub(restarted_us));
    }
    let started = sum(&lines, "steady", "started");
    let returned = sum(&lines, "steady", "returned");
    println!(
        "FIGURE redis-killed: {started} calls started, {returned} returned; worst call {:.1} ms \
         (backend holds 1 ms; bound 50 ms); resync after restart: worst {:.0} ms over \
         {STEADY} processes (bound 1000 ms); Redis down {} ms",
        worst_call as f64 / 1000.0,
        worst_resync as f64 / 1000.0,
        (restarted_us - killed_us) / 1000
    );
    assert!(worst_call < 50_000, "a call took {worst_call} µs");
    assert!(worst_resync <= 1_000_000, "resync took {worst_resync} µs");
}

/// Two callers through a limiter, a retry with a budget and a breaker, against the up
/// backend; a watcher that reports each change of the fleet's connection.
async fn steady_worker(spec: WorkerSpec) {
    let limiter = register_limiter(
        "steady",
        LimiterConfig::new(2000, Duration::from_secs(1)).burst(50),
    );
    configure_budget("steady", RetryBudget::new());
    let cb = register_breaker("steady", BreakerConfig::new().failure_threshold(5));
    let fleet = spec.join().await;
    let Some(fleet_ref) = fleet.as_ref() else {
        fail("the steady scenario runs with the fleet");
    };
    spec.wait_start().await;
    const POLICY: RetryPolicy = RetryPolicy::fixed()
        .max_attempts(3)
        .initial_delay(Duration::from_millis(1));
    let retry = Retry::new(&POLICY).budget("steady").breaker(cb);
    let (started, returned, worst) = (AtomicU64::new(0), AtomicU64::new(0), AtomicU64::new(0));
    let caller = || async {
        while spec.running() {
            let t0 = Instant::now();
            started.fetch_add(1, SeqCst);
            if limiter.acquire_async(1).await.is_ok() {
                let _ = retry.run_async(|| call(spec.backend)).await;
            }
            returned.fetch_add(1, SeqCst);
            worst.fetch_max(t0.elapsed().as_micros() as u64, SeqCst);
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    };
    let watcher = async {
        let mut was = true;
        while spec.running() {
            let now = fleet_ref.status().connected;
            if now != was {
                emit("link", format_args!("connected={}", u8::from(now)));
                was = now;
            }
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
    };
    // A call that never returns shows as started but not returned.
    let end = spec.deadline() + Duration::from_secs(3);
    let _ = tokio::time::timeout_at(end, async { tokio::join!(caller(), caller(), watcher) }).await;
    emit(
        "steady",
        format_args!(
            "started={} returned={} worst_us={}",
            started.load(SeqCst),
            returned.load(SeqCst),
            worst.load(SeqCst)
        ),
    );
    spec.leave(fleet).await;
}
