//! The fleet's multi-process harness, shared by `tests/fleet.rs` and `examples/fleet.rs`: a
//! loopback "provider" that counts what reaches it ([`Backend`]), worker processes that are
//! fleet members ([`spawn`], [`WorkerSpec`], [`run_worker`]), and the Redis chores (a ping
//! that says how to start one, a namespace per run whose keys are deleted at the end).
//!
//! A worker is the running executable started again with [`WORKER_ENV`] set to its
//! [`WorkerSpec`]: the example as it is, a test binary as `<exe> --exact worker --nocapture
//! --test-threads=1` (its `worker` test returns at once when the variable is absent). Every
//! worker of one [`spawn`] gets the same start time (unix ms), joins the fleet, waits for that
//! time, runs its scenario until its run time is over or the parent closes its stdin, and
//! leaves. It reports on stdout in lines `FLEET <unix µs> <event> <key=value>...`, which the
//! parent reads as [`Line`]s. A child is killed when its handle is dropped; every wait here is
//! bounded in time.

#![allow(dead_code)] // the tests and the example each use a part of it

use std::cell::Cell;
use std::collections::BTreeMap;
use std::fmt::{self, Display};
use std::future::Future;
use std::io::Read;
use std::net::SocketAddr;
use std::process::Stdio;
use std::str::FromStr;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering::*};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use retry_runtime::{
    register_breaker, BreakerConfig, CircuitBreaker, CircuitOpen, State, StateChange,
};
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::process::{Child, ChildStdin, Command};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

/// The variable that makes a process a worker: its [`WorkerSpec`].
pub const WORKER_ENV: &str = "RETRY_FLEET_WORKER";

/// How a test binary runs its worker test alone, output not captured.
pub const TEST_WORKER_ARGS: [&str; 4] = ["--exact", "worker", "--nocapture", "--test-threads=1"];

/// From spawning to the common start: time for every worker to start and join the fleet.
const STARTUP: Duration = Duration::from_millis(1500);

/// How long a worker waits for its fleet to connect to Redis.
const JOIN_WITHIN: Duration = Duration::from_secs(3);

/// A call to the backend that takes longer than this fails.
const CALL_TIMEOUT: Duration = Duration::from_secs(2);

/// The wall clock in µs since the epoch (the one clock every process of a run shares).
pub fn unix_us() -> u64 {
    let since = SystemTime::now().duration_since(UNIX_EPOCH);
    since.map_or(0, |d| u64::try_from(d.as_micros()).unwrap_or(u64::MAX))
}

/// The wall clock in ms since the epoch.
pub fn unix_ms() -> u64 {
    unix_us() / 1000
}

// ---- Redis ----

/// `REDIS_URL`, or the local Redis the project's machines run.
pub fn redis_url() -> String {
    std::env::var("REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".into())
}

/// A sync connection with every step bounded by `limit`.
fn connect_sync(url: &str, limit: Duration) -> Result<redis::Connection, String> {
    let client = redis::Client::open(url).map_err(|e| e.to_string())?;
    let conn = client
        .get_connection_with_timeout(limit)
        .map_err(|e| e.to_string())?;
    conn.set_read_timeout(Some(limit))
        .and_then(|()| conn.set_write_timeout(Some(limit)))
        .map_err(|e| e.to_string())?;
    Ok(conn)
}

/// Whether the Redis at `url` answers `PING` within a second.
pub fn ping(url: &str) -> Result<(), String> {
    let mut conn = connect_sync(url, Duration::from_secs(1))?;
    let pong: String = redis::cmd("PING")
        .query(&mut conn)
        .map_err(|e| e.to_string())?;
    if pong == "PONG" {
        Ok(())
    } else {
        Err(format!("PING answered {pong:?}"))
    }
}

/// What to say when Redis does not answer.
pub fn redis_missing(url: &str, why: &str) -> String {
    format!(
        "the fleet's tests and example need a Redis 7 at {url} (set REDIS_URL to use another), \
         and it does not answer: {why}. Start one that keeps nothing on disk with \
         `redis-server --port 6379 --save \"\" --appendonly no`"
    )
}

/// Panics, saying how to start one, unless the Redis at `url` answers: a fleet test never
/// passes without Redis.
pub fn require_redis(url: &str) {
    if let Err(why) = ping(url) {
        panic!("{}", redis_missing(url, &why));
    }
}

/// A namespace of its own for one test or run (`fleet-<name>-<pid>-<nanos>`); its keys,
/// `retry:<ns>:*`, are deleted when it is dropped.
pub struct Namespace {
    url: String,
    name: String,
}

impl Namespace {
    /// A fresh namespace on the Redis at `url`, named after `what`.
    pub fn new(url: &str, what: &str) -> Namespace {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        Namespace {
            url: url.to_owned(),
            name: format!("fleet-{what}-{}-{nanos}", std::process::id()),
        }
    }

    /// The namespace, as given to `Fleet::builder(..).namespace(..)`.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The Redis URL it lives on.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The full Redis key of `rest` in this namespace (`retry:<ns>:<rest>`).
    pub fn key(&self, rest: &str) -> String {
        format!("retry:{}:{rest}", self.name)
    }

    /// Deletes every key of the namespace (`SCAN MATCH retry:<ns>:*`, then `DEL`); returns how
    /// many. Bounded: at most 1000 rounds of `SCAN`, each within a second.
    pub fn delete_keys(&self) -> Result<usize, String> {
        let mut conn = connect_sync(&self.url, Duration::from_secs(1))?;
        let pattern = self.key("*");
        let mut cursor = 0u64;
        let mut deleted = 0;
        for _ in 0..1000 {
            let (next, keys): (u64, Vec<String>) = redis::cmd("SCAN")
                .arg(cursor)
                .arg("MATCH")
                .arg(&pattern)
                .arg("COUNT")
                .arg(500)
                .query(&mut conn)
                .map_err(|e| e.to_string())?;
            if !keys.is_empty() {
                let n: usize = redis::cmd("DEL")
                    .arg(&keys)
                    .query(&mut conn)
                    .map_err(|e| e.to_string())?;
                deleted += n;
            }
            if next == 0 {
                return Ok(deleted);
            }
            cursor = next;
        }
        Err(format!("{pattern}: SCAN did not finish in 1000 rounds"))
    }
}

impl Drop for Namespace {
    fn drop(&mut self) {
        // A signal (a child killed while a test fails, say) may interrupt a try.
        let mut result = self.delete_keys();
        for _ in 0..3 {
            if result.is_ok() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
            result = self.delete_keys();
        }
        if let Err(e) = result {
            eprintln!(
                "fleet: the keys of namespace {} were not deleted: {e}",
                self.name
            );
        }
    }
}

// ---- the backend ----

/// A loopback "provider": each connection is one call. It reads one request byte, holds the
/// call for the time set, then answers `O` (up) or `F` (down). It records when each call
/// arrived, the calls held now and the most held at once.
pub struct Backend {
    addr: SocketAddr,
    state: Arc<BackendState>,
    task: JoinHandle<()>,
}

struct BackendState {
    up: AtomicBool,
    hold_us: AtomicU64,
    in_flight: AtomicU32,
    max_in_flight: AtomicU32,
    /// When each call arrived, unix µs, in order of arrival.
    hits: Mutex<Vec<u64>>,
}

impl BackendState {
    fn new(up: bool, hold: Duration) -> Arc<BackendState> {
        Arc::new(BackendState {
            up: AtomicBool::new(up),
            hold_us: AtomicU64::new(micros(hold)),
            in_flight: AtomicU32::new(0),
            max_in_flight: AtomicU32::new(0),
            hits: Mutex::new(Vec::new()),
        })
    }
}

impl Backend {
    /// A backend on a free loopback port, up or down, holding each call for `hold`.
    pub async fn start(up: bool, hold: Duration) -> Backend {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind a loopback port for the backend");
        let addr = listener.local_addr().expect("the backend's address");
        let state = BackendState::new(up, hold);
        let task = tokio::spawn(serve(listener, Arc::clone(&state)));
        Backend { addr, state, task }
    }

    /// Where it listens.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Up (answers `O`) or down (answers `F`), from the next answer on.
    pub fn set_up(&self, up: bool) {
        self.state.up.store(up, SeqCst);
    }

    /// Every call's arrival, unix µs.
    pub fn hits(&self) -> Vec<u64> {
        lock(&self.state.hits).clone()
    }

    /// The calls that reached it.
    pub fn hit_count(&self) -> usize {
        lock(&self.state.hits).len()
    }

    /// The most calls held at once since it started.
    pub fn max_in_flight(&self) -> u32 {
        self.state.max_in_flight.load(SeqCst)
    }

    /// The calls that arrived in each whole second from `from_us` on, for `seconds` seconds.
    pub fn per_second(&self, from_us: u64, seconds: usize) -> Vec<u64> {
        let mut counts = vec![0; seconds];
        for &at in lock(&self.state.hits).iter() {
            let Some(since) = at.checked_sub(from_us) else {
                continue;
            };
            if let Some(count) =
                counts.get_mut(usize::try_from(since / 1_000_000).unwrap_or(usize::MAX))
            {
                *count += 1;
            }
        }
        counts
    }
}

impl Drop for Backend {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn serve(listener: TcpListener, state: Arc<BackendState>) {
    loop {
        match listener.accept().await {
            Ok((stream, _)) => {
                tokio::spawn(answer(stream, Arc::clone(&state)));
            }
            // Out of descriptors, say: try again shortly rather than spin.
            Err(_) => tokio::time::sleep(Duration::from_millis(1)).await,
        }
    }
}

/// One call: the request byte, the hold, the answer. The call counts as in flight while held,
/// which lies inside the caller's wait for the answer.
async fn answer(mut stream: TcpStream, state: Arc<BackendState>) {
    let mut request = [0u8; 1];
    let read = tokio::time::timeout(CALL_TIMEOUT, stream.read_exact(&mut request)).await;
    if !matches!(read, Ok(Ok(_))) {
        return;
    }
    let arrived = unix_us();
    let now = state.in_flight.fetch_add(1, SeqCst) + 1;
    state.max_in_flight.fetch_max(now, SeqCst);
    lock(&state.hits).push(arrived);
    let hold = state.hold_us.load(SeqCst);
    if hold > 0 {
        tokio::time::sleep(Duration::from_micros(hold)).await;
    }
    let reply = if state.up.load(SeqCst) { b'O' } else { b'F' };
    state.in_flight.fetch_sub(1, SeqCst);
    let _ = stream.set_nodelay(true);
    let _ = stream.write_all(&[reply]).await;
}

/// Why a call did not succeed.
#[derive(Debug)]
pub enum CallError {
    /// The backend answered `F`: it is down.
    Failed,
    /// No answer: connecting, writing or reading failed.
    Io(std::io::Error),
    /// No answer within two seconds.
    TimedOut,
    /// Not made: the circuit is open.
    Open(CircuitOpen),
}

impl Display for CallError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CallError::Failed => f.write_str("the backend answered F"),
            CallError::Io(e) => write!(f, "no answer: {e}"),
            CallError::TimedOut => f.write_str("no answer within 2 s"),
            CallError::Open(open) => write!(f, "not made: {open}"),
        }
    }
}

impl From<CircuitOpen> for CallError {
    fn from(open: CircuitOpen) -> Self {
        CallError::Open(open)
    }
}

/// One real call to the backend at `addr`: connect, write a byte, read the answer.
pub async fn call(addr: SocketAddr) -> Result<(), CallError> {
    let exchange = async {
        let mut stream = TcpStream::connect(addr).await?;
        stream.set_nodelay(true)?;
        stream.write_all(b"?").await?;
        let mut reply = [0u8; 1];
        stream.read_exact(&mut reply).await?;
        Ok::<u8, std::io::Error>(reply[0])
    };
    match tokio::time::timeout(CALL_TIMEOUT, exchange).await {
        Ok(Ok(b'O')) => Ok(()),
        Ok(Ok(_)) => Err(CallError::Failed),
        Ok(Err(e)) => Err(CallError::Io(e)),
        Err(_) => Err(CallError::TimedOut),
    }
}

// ---- a worker's side ----

/// What a worker is to do: its scenario and the run's settings, passed in [`WORKER_ENV`] as
/// `key=value` words.
#[derive(Clone, Debug)]
pub struct WorkerSpec {
    /// The scenario's name, which the worker's entry point dispatches on.
    pub scenario: String,
    /// This worker's number in its run, from 0.
    pub index: usize,
    /// The backend to call.
    pub backend: SocketAddr,
    /// The Redis of the fleet.
    pub redis: String,
    /// The fleet's namespace.
    pub namespace: String,
    /// Whether the worker joins the fleet (else its objects are on their own).
    pub fleet: bool,
    /// The common start, unix ms.
    pub start_ms: u64,
    /// How long the scenario runs from the start, at most.
    pub run: Duration,
    params: BTreeMap<String, String>,
}

impl WorkerSpec {
    /// A run of `scenario` against `backend`, in `namespace` of the Redis at `redis`, for at
    /// most `run`, with the fleet or without it.
    pub fn new(
        scenario: &str,
        backend: SocketAddr,
        namespace: &Namespace,
        fleet: bool,
        run: Duration,
    ) -> WorkerSpec {
        WorkerSpec {
            scenario: scenario.to_owned(),
            index: 0,
            backend,
            redis: namespace.url().to_owned(),
            namespace: namespace.name().to_owned(),
            fleet,
            start_ms: 0,
            run,
            params: BTreeMap::new(),
        }
    }

    /// A parameter of the scenario (a value without white space).
    pub fn with(mut self, key: &str, value: impl Display) -> WorkerSpec {
        let value = value.to_string();
        assert!(
            !value.is_empty() && !value.contains(char::is_whitespace),
            "a worker's parameter {key} = {value:?} must be one word"
        );
        self.params.insert(key.to_owned(), value);
        self
    }

    /// The parameter `key`, parsed, or `default` when the run does not set it.
    pub fn get_or<T: FromStr>(&self, key: &str, default: T) -> T {
        if self.params.contains_key(key) {
            self.get(key)
        } else {
            default
        }
    }

    /// The parameter `key`, parsed; a worker that lacks it fails.
    pub fn get<T: FromStr>(&self, key: &str) -> T {
        match self.params.get(key).map(|v| v.parse()) {
            Some(Ok(v)) => v,
            _ => fail(&format!(
                "parameter {key} missing or malformed in {:?}",
                self.params
            )),
        }
    }

    fn to_env(&self) -> String {
        let mut words = vec![
            format!("scenario={}", self.scenario),
            format!("index={}", self.index),
            format!("backend={}", self.backend),
            format!("redis={}", self.redis),
            format!("ns={}", self.namespace),
            format!("fleet={}", u8::from(self.fleet)),
            format!("start_ms={}", self.start_ms),
            format!("run_ms={}", self.run.as_millis()),
        ];
        words.extend(self.params.iter().map(|(k, v)| format!("{k}={v}")));
        words.join(" ")
    }

    /// The spec of this process, if it is a worker.
    pub fn from_env() -> Option<WorkerSpec> {
        let text = std::env::var(WORKER_ENV).ok()?;
        let mut words: BTreeMap<String, String> = text
            .split_whitespace()
            .filter_map(|w| w.split_once('='))
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect();
        let mut take = |key: &str| {
            words
                .remove(key)
                .unwrap_or_else(|| fail(&format!("{WORKER_ENV} lacks {key}: {text}")))
        };
        let number = |key: &str, v: String| -> u64 {
            v.parse()
                .unwrap_or_else(|_| fail(&format!("{WORKER_ENV}: {key}={v} is not a number")))
        };
        let scenario = take("scenario");
        let index = number("index", take("index"));
        let backend = take("backend");
        let backend = backend
            .parse()
            .unwrap_or_else(|_| fail(&format!("{WORKER_ENV}: backend={backend}")));
        let redis = take("redis");
        let namespace = take("ns");
        let fleet = take("fleet") == "1";
        let start_ms = number("start_ms", take("start_ms"));
        let run = Duration::from_millis(number("run_ms", take("run_ms")));
        Some(WorkerSpec {
            scenario,
            index: usize::try_from(index).unwrap_or(usize::MAX),
            backend,
            redis,
            namespace,
            fleet,
            start_ms,
            run,
            params: words,
        })
    }

    /// Joins the fleet (when this run has one): starts it and waits, at most 3 s, until it is
    /// connected; a worker whose fleet does not connect reports it and exits non-zero.
    /// Register the breakers, budgets and limiters first, so they join with it.
    pub async fn join(&self) -> Option<retry_redis::Fleet> {
        if !self.fleet {
            return None;
        }
        let fleet = retry_redis::Fleet::builder(self.redis.as_str())
            .namespace(self.namespace.as_str())
            .start()
            .await
            .unwrap_or_else(|e| fail(&format!("the fleet did not start: {e}")));
        let until = tokio::time::Instant::now() + JOIN_WITHIN;
        while !fleet.status().connected {
            if tokio::time::Instant::now() >= until {
                fail(&format!(
                    "the fleet did not connect to {} within {JOIN_WITHIN:?}",
                    self.redis
                ));
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        emit("joined", format_args!("ns={}", self.namespace));
        Some(fleet)
    }

    /// Says `ready`, then sleeps until the common start; a worker ready only after it fails
    /// (the run would not start together).
    pub async fn wait_start(&self) {
        warm_up().await;
        watch_stdin();
        let now = unix_ms();
        emit("ready", format_args!("start_ms={}", self.start_ms));
        if now > self.start_ms {
            fail(&format!(
                "ready {} ms after the common start: the machine is too slow for the start-up \
                 margin",
                now - self.start_ms
            ));
        }
        tokio::time::sleep(Duration::from_millis(self.start_ms - now)).await;
    }

    /// When the run ends at the latest: the start plus the run time.
    pub fn deadline(&self) -> tokio::time::Instant {
        let left = self.end_us().saturating_sub(unix_us());
        tokio::time::Instant::now() + Duration::from_micros(left)
    }

    /// The end of the run, unix µs.
    fn end_us(&self) -> u64 {
        let run = u64::try_from(self.run.as_micros()).unwrap_or(u64::MAX);
        (self.start_ms * 1000).saturating_add(run)
    }

    /// Whether the scenario goes on: the run time is not over and the parent has not closed
    /// this worker's stdin.
    pub fn running(&self) -> bool {
        !STOPPED.load(SeqCst) && unix_us() < self.end_us()
    }

    /// Waits while [`running`](Self::running).
    pub async fn until_stopped(&self) {
        while self.running() {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }

    /// Leaves the fleet (bounded by 2 s) and says `left`.
    pub async fn leave(&self, fleet: Option<retry_redis::Fleet>) {
        if let Some(fleet) = fleet {
            if tokio::time::timeout(Duration::from_secs(2), fleet.shutdown())
                .await
                .is_err()
            {
                fail("the fleet did not shut down within 2 s");
            }
        }
        emit("left", "");
    }
}

/// A few calls to a listener of the worker's own before the start, so that the run's first
/// calls do not pay for the process's first use of the code and the sockets (a debug build on
/// a small machine takes milliseconds for it, all workers at the same moment).
async fn warm_up() {
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap_or_else(|e| fail(&format!("no loopback port to warm up on: {e}")));
    let addr = listener.local_addr().expect("a bound listener's address");
    let server = tokio::spawn(serve(listener, BackendState::new(true, Duration::ZERO)));
    for _ in 0..3 {
        let _ = call(addr).await;
    }
    server.abort();
}

/// Set once the parent closed this worker's stdin: the scenario is to end.
static STOPPED: AtomicBool = AtomicBool::new(false);

/// Watches stdin (once per process) for the parent closing it.
fn watch_stdin() {
    static WATCHING: AtomicBool = AtomicBool::new(false);
    if WATCHING.swap(true, SeqCst) {
        return;
    }
    std::thread::spawn(|| {
        let mut sink = [0u8; 64];
        let mut stdin = std::io::stdin();
        while matches!(stdin.read(&mut sink), Ok(n) if n > 0) {}
        STOPPED.store(true, SeqCst);
    });
}

/// Runs `scenario` on a multi-thread tokio runtime if this process is a worker; returns
/// whether it was.
pub fn run_worker<F, Fut>(scenario: F) -> bool
where
    F: FnOnce(WorkerSpec) -> Fut,
    Fut: Future<Output = ()>,
{
    let Some(spec) = WorkerSpec::from_env() else {
        return false;
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap_or_else(|e| fail(&format!("no tokio runtime: {e}")));
    runtime.block_on(scenario(spec));
    runtime.shutdown_timeout(Duration::from_millis(500));
    true
}

/// Writes one line for the parent: `FLEET <unix µs> <event> <fields>`.
pub fn emit(event: &str, fields: impl Display) {
    println!("FLEET {} {event} {fields}", unix_us());
}

/// Reports `why` as an `error` line and exits with status 3.
pub fn fail(why: &str) -> ! {
    emit("error", why);
    std::process::exit(3);
}

thread_local! {
    /// Set while this thread asks a breaker for a call or settles one: a transition then is
    /// this process's own, not one applied from the fleet.
    static CALLING: Cell<bool> = const { Cell::new(false) };
}

/// Runs `f` as this process's own use of a breaker (see [`announce_state`]).
fn calling<R>(f: impl FnOnce() -> R) -> R {
    CALLING.with(|c| c.set(true));
    let r = f();
    CALLING.with(|c| c.set(false));
    r
}

/// An `on_state_change` hook: writes `state name=.. from=.. to=.. by=self|fleet`, `by=self`
/// when a call of this process made the transition, `by=fleet` when it came from the fleet.
pub fn announce_state(change: &StateChange<'_>) {
    let by = if CALLING.with(Cell::get) {
        "self"
    } else {
        "fleet"
    };
    emit(
        "state",
        format_args!(
            "name={} from={} to={} by={by}",
            change.name, change.from, change.to
        ),
    );
}

/// A worker's whole run through one breaker: registers breaker `name` (before the fleet
/// starts, so that it joins with it), joins, and from the common start calls through it with
/// `callers` callers as [`call_through`] does; then leaves.
pub async fn breaker_worker(
    spec: &WorkerSpec,
    name: &str,
    config: BreakerConfig,
    callers: usize,
    every: Duration,
    until_rejected: bool,
) {
    let cb = register_breaker(name, config);
    let fleet = spec.join().await;
    spec.wait_start().await;
    let tasks: Vec<_> = (0..callers)
        .map(|_| {
            let spec = spec.clone();
            tokio::spawn(async move { call_through(&spec, cb, every, until_rejected).await })
        })
        .collect();
    for task in tasks {
        if let Err(e) = task.await {
            fail(&format!("a caller failed: {e}"));
        }
    }
    spec.leave(fleet).await;
}

/// What [`call_through`] did.
#[derive(Clone, Copy, Debug, Default)]
pub struct BreakerCalls {
    /// Calls made (each reached the backend or failed to).
    pub made: u64,
    /// Calls the breaker rejected.
    pub rejected: u64,
    /// Calls that succeeded.
    pub ok: u64,
}

/// Calls the backend through `cb` every `every` while the run goes on, or only until the
/// breaker's first rejection with `until_rejected`. With the run's parameter `stagger_ms`,
/// worker `i` makes its first call `i × stagger_ms` after the start. A call made while the
/// breaker is half-open is reported as `probe ok=0|1`; at the end, `calls made=..
/// rejected=.. ok=..`.
pub async fn call_through(
    spec: &WorkerSpec,
    cb: &CircuitBreaker,
    every: Duration,
    until_rejected: bool,
) -> BreakerCalls {
    let mut done = BreakerCalls::default();
    let stagger = Duration::from_millis(spec.get_or("stagger_ms", 0u64));
    let first = tokio::time::Instant::now() + stagger * u32::try_from(spec.index).unwrap_or(0);
    let mut tick = tokio::time::interval_at(first, every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    while spec.running() {
        tick.tick().await;
        let permit = match calling(|| cb.try_acquire()) {
            Ok(permit) => permit,
            Err(_) => {
                done.rejected += 1;
                if until_rejected {
                    emit("rejected", format_args!("after={}", done.made));
                    break;
                }
                continue;
            }
        };
        let probe = cb.state() == State::HalfOpen;
        let result = call(spec.backend).await;
        done.made += 1;
        let ok = result.is_ok();
        done.ok += u64::from(ok);
        if probe {
            emit("probe", format_args!("ok={}", u8::from(ok)));
        }
        calling(|| {
            if ok {
                permit.success()
            } else {
                permit.failure()
            }
        });
    }
    emit(
        "calls",
        format_args!(
            "made={} rejected={} ok={}",
            done.made, done.rejected, done.ok
        ),
    );
    done
}

// ---- the parent's side ----

/// One `FLEET` line of a worker.
#[derive(Clone, Debug)]
pub struct Line {
    /// The worker's index.
    pub worker: usize,
    /// When the worker wrote it, unix µs.
    pub at_us: u64,
    /// What happened.
    pub event: String,
    /// The rest of the line: `key=value` words, or an error's message.
    pub rest: String,
}

impl Line {
    /// Reads `FLEET <µs> <event> <rest>` anywhere in `text` (the test harness may print its
    /// own words before it on the same line).
    fn parse(worker: usize, text: &str) -> Option<Line> {
        let start = text.find("FLEET ")?;
        let mut parts = text[start + 6..].splitn(3, ' ');
        let at_us = parts.next()?.parse().ok()?;
        let event = parts.next()?.to_owned();
        let rest = parts.next().unwrap_or("").trim().to_owned();
        Some(Line {
            worker,
            at_us,
            event,
            rest,
        })
    }

    /// The value of `key=` in the line.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.rest
            .split_whitespace()
            .filter_map(|w| w.split_once('='))
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v)
    }

    /// The number at `key=`; panics, naming the line, when it is missing.
    pub fn num(&self, key: &str) -> u64 {
        self.get(key)
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("worker {}: no number {key}= in {self:?}", self.worker))
    }
}

/// The running workers of one run: their lines as they come, their exits. Each child is
/// killed when this is dropped.
pub struct Workers {
    children: Vec<Child>,
    stdins: Vec<Option<ChildStdin>>,
    stderr: Vec<Arc<Mutex<String>>>,
    readers: Vec<JoinHandle<()>>,
    rx: mpsc::UnboundedReceiver<Line>,
    seen: Vec<Line>,
    /// The common start, unix µs.
    pub start_us: u64,
}

/// Starts `n` workers of `spec` (indices 0 to n − 1, one common start time): the running
/// executable again with `args` and [`WORKER_ENV`].
pub fn spawn(n: usize, spec: &WorkerSpec, args: &[&str]) -> Workers {
    let exe = std::env::current_exe().expect("the running executable's path");
    let start_ms = unix_ms() + u64::try_from(STARTUP.as_millis()).unwrap_or(u64::MAX);
    let (tx, rx) = mpsc::unbounded_channel();
    let mut workers = Workers {
        children: Vec::new(),
        stdins: Vec::new(),
        stderr: Vec::new(),
        readers: Vec::new(),
        rx,
        seen: Vec::new(),
        start_us: start_ms * 1000,
    };
    for index in 0..n {
        let mut spec = spec.clone();
        spec.index = index;
        spec.start_ms = start_ms;
        let mut child = Command::new(&exe)
            .args(args)
            .env(WORKER_ENV, spec.to_env())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .unwrap_or_else(|e| panic!("spawn worker {index} ({}): {e}", exe.display()));
        let stdout = child.stdout.take().expect("a piped stdout");
        let stderr = child.stderr.take().expect("a piped stderr");
        workers.stdins.push(child.stdin.take());
        let tx = tx.clone();
        workers.readers.push(tokio::spawn(async move {
            let mut lines = BufReader::new(stdout).lines();
            while let Ok(Some(text)) = lines.next_line().await {
                if let Some(line) = Line::parse(index, &text) {
                    let _ = tx.send(line);
                }
            }
        }));
        let kept = Arc::new(Mutex::new(String::new()));
        workers
            .readers
            .push(tokio::spawn(keep_text(stderr, Arc::clone(&kept))));
        workers.stderr.push(kept);
        workers.children.push(child);
    }
    workers
}

/// Keeps what a child writes on stderr (the first 64 KiB), for the message of a failure.
async fn keep_text(mut from: impl AsyncRead + Unpin, into: Arc<Mutex<String>>) {
    let mut buf = [0u8; 4096];
    while let Ok(n) = from.read(&mut buf).await {
        if n == 0 {
            break;
        }
        let mut text = lock(&into);
        if text.len() < 64 * 1024 {
            text.push_str(&String::from_utf8_lossy(&buf[..n]));
        }
    }
}

impl Workers {
    /// The next line of any worker, waiting at most `limit`.
    pub async fn next(&mut self, limit: Duration) -> Option<Line> {
        let line = tokio::time::timeout(limit, self.rx.recv()).await.ok()??;
        self.check(&line);
        self.seen.push(line.clone());
        Some(line)
    }

    /// Waits until every worker has said `event` (at most `limit`); panics, naming the
    /// workers that did not, otherwise.
    pub async fn wait_all(&mut self, event: &str, limit: Duration) {
        let until = tokio::time::Instant::now() + limit;
        loop {
            let missing: Vec<usize> = (0..self.children.len())
                .filter(|&w| !self.seen.iter().any(|l| l.worker == w && l.event == event))
                .collect();
            if missing.is_empty() {
                return;
            }
            let left = until.saturating_duration_since(tokio::time::Instant::now());
            if left.is_zero() || self.next(left).await.is_none() {
                panic!(
                    "workers {missing:?} did not say {event:?} within {limit:?}{}",
                    self.diagnostics()
                );
            }
        }
    }

    /// Tells every worker to end its scenario (closes their stdin).
    pub fn stop(&mut self) {
        for stdin in &mut self.stdins {
            stdin.take();
        }
    }

    /// Waits (at most `limit`) for every worker to exit, and returns every line they wrote.
    /// Panics, with the workers' errors and stderr, if one exits with a failure or is still
    /// running at the end (all are killed then).
    pub async fn finish(mut self, limit: Duration) -> Vec<Line> {
        let until = tokio::time::Instant::now() + limit;
        for index in 0..self.children.len() {
            let status = tokio::time::timeout_at(until, self.children[index].wait()).await;
            let failure = match status {
                Ok(Ok(status)) if status.success() => continue,
                Ok(Ok(status)) => format!("worker {index} ended with {status}"),
                Ok(Err(e)) => format!("worker {index}: {e}"),
                Err(_) => format!("worker {index} did not finish within {limit:?}"),
            };
            self.kill_all().await;
            self.drain(tokio::time::Instant::now() + Duration::from_secs(1))
                .await;
            panic!("{failure}{}", self.diagnostics());
        }
        self.drain(until + Duration::from_secs(1)).await;
        self.seen
    }

    /// Kills every worker still running and reaps it (each within a second), so that none
    /// writes to Redis once its namespace is deleted.
    async fn kill_all(&mut self) {
        for child in &mut self.children {
            let _ = child.start_kill();
            let _ = tokio::time::timeout(Duration::from_secs(1), child.wait()).await;
        }
    }

    /// Reads what the workers wrote until their pipes close (or `until`).
    async fn drain(&mut self, until: tokio::time::Instant) {
        for reader in &mut self.readers {
            let _ = tokio::time::timeout_at(until, reader).await;
        }
        while let Ok(line) = self.rx.try_recv() {
            self.check(&line);
            self.seen.push(line);
        }
    }

    /// A worker's `error` line, said at once.
    fn check(&self, line: &Line) {
        if line.event == "error" {
            eprintln!("worker {}: {}", line.worker, line.rest);
        }
    }

    /// The workers' errors and the end of their stderr, for a failure's message.
    fn diagnostics(&self) -> String {
        let mut text = String::new();
        for line in self.seen.iter().filter(|l| l.event == "error") {
            text += &format!("\n  worker {} error: {}", line.worker, line.rest);
        }
        for index in 0..self.children.len() {
            let last = self.seen.iter().rev().find(|l| l.worker == index);
            if let Some(line) = last {
                text += &format!("\n  worker {index} last said: {} {}", line.event, line.rest);
            } else {
                text += &format!("\n  worker {index} said nothing");
            }
        }
        for (index, stderr) in self.stderr.iter().enumerate() {
            let stderr = lock(stderr);
            let tail: String = stderr
                .lines()
                .rev()
                .take(15)
                .collect::<Vec<_>>()
                .join("\n    ");
            if !tail.trim().is_empty() {
                text +=
                    &format!("\n  worker {index} stderr (last lines, newest first):\n    {tail}");
            }
        }
        text
    }
}

fn micros(d: Duration) -> u64 {
    u64::try_from(d.as_micros()).unwrap_or(u64::MAX)
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}
