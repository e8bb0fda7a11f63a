//! One process in a fleet, against the real Redis at `REDIS_URL` (default
//! `redis://127.0.0.1:6379`): what it sends, what it applies, and what the other processes'
//! state (written into Redis by the test, as another process's sync task would) does to it.
//! One fleet per process, so the tests take turns (`TURN`); each has its own namespace.
//! The multi-process figures are in the workspace's `tests/fleet.rs`.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use redis::aio::MultiplexedConnection;
use retry_redis::{Admin, Fleet, FleetError};
use retry_runtime::{
    configure_budget, register_breaker, register_limiter, BreakerConfig, LimiterConfig,
    RetryBudget, State,
};

static TURN: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

fn url() -> String {
    std::env::var("REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".into())
}

/// A connection to the test's Redis, or a panic that says how to start one.
async fn redis() -> MultiplexedConnection {
    let url = url();
    let client = redis::Client::open(url.as_str()).expect("REDIS_URL is a Redis URL");
    let conn = tokio::time::timeout(
        Duration::from_secs(2),
        client.get_multiplexed_async_connection(),
    )
    .await;
    if let Ok(Ok(mut c)) = conn {
        let pong: Result<String, _> = redis::cmd("PING").query_async(&mut c).await;
        if pong.is_ok() {
            return c;
        }
    }
    panic!(
        "Redis is not reachable at {url}: the fleet tests need one \
         (start it with `redis-server --port 6379 --save \"\" --appendonly no`)"
    );
}

fn namespace(test: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    format!("fp-{test}-{}-{nanos}", std::process::id())
}

async fn server_ms(c: &mut MultiplexedConnection) -> u64 {
    let (s, us): (u64, u64) = redis::cmd("TIME").query_async(c).await.unwrap();
    s * 1000 + us / 1000
}

async fn clean(c: &mut MultiplexedConnection, ns: &str) {
    let keys: Vec<String> = redis::cmd("KEYS")
        .arg(format!("retry:{ns}:*"))
        .query_async(c)
        .await
        .unwrap();
    if !keys.is_empty() {
        let _: () = redis::cmd("DEL").arg(keys).query_async(c).await.unwrap();
    }
}

/// A fleet on `ns`, connected (bounded wait).
async fn join(ns: &str) -> Fleet {
    let fleet = Fleet::builder(url()).namespace(ns).start().await.unwrap();
    let t = Instant::now();
    while !fleet.status().connected {
        assert!(t.elapsed() < Duration::from_secs(3), "{:?}", fleet.status());
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    fleet
}

/// Polls `f` every ms until it holds (bounded): how long it took.
async fn within(limit: Duration, what: &str, mut f: impl FnMut() -> bool) -> Duration {
    let t = Instant::now();
    while !f() {
        assert!(t.elapsed() < limit, "{what}: not within {limit:?}");
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    t.elapsed()
}

async fn fleet_state(admin: &Admin, name: &str) -> Option<String> {
    admin
        .breakers()
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.name == name)
        .map(|r| r.state)
}

/// Waits up to 1 s for the fleet's record of breaker `name` to read `state`.
async fn until_fleet_state(admin: &Admin, name: &str, state: &str) {
    let t = Instant::now();
    while fleet_state(admin, name).await.as_deref() != Some(state) {
        assert!(
            t.elapsed() < Duration::from_secs(1),
            "the fleet's {name} never read {state}"
        );
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_local_open_reaches_the_fleet_and_the_fleets_orders_come_back() {
    let _turn = TURN.lock().await;
    let mut c = redis().await;
    let ns = namespace("orders");
    let b = register_breaker("fp-orders", BreakerConfig::new().failure_threshold(3));
    let fleet = join(&ns).await;
    let admin = Admin::connect(&url(), &ns).await.unwrap();

    for _ in 0..3 {
        b.try_acquire().unwrap().failure();
    }
    assert_eq!(b.state(), State::Open);
    until_fleet_state(&admin, "fp-orders", "open").await;

    admin.open("fp-orders").await.unwrap();
    within(Duration::from_millis(100), "forced open", || {
        b.state() == State::ForcedOpen
    })
    .await;
    admin.reset("fp-orders").await.unwrap();
    within(Duration::from_millis(100), "reset", || {
        b.state() == State::Closed
    })
    .await;
    assert!(b.try_acquire().is_ok());
    admin.close("fp-orders").await.unwrap();
    within(Duration::from_millis(100), "forced closed", || {
        b.state() == State::ForcedClosed
    })
    .await;

    fleet.shutdown().await;
    b.reset();
    clean(&mut c, &ns).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failures_are_pooled_with_the_other_processes_runs() {
    let _turn = TURN.lock().await;
    let mut c = redis().await;
    let ns = namespace("pool");
    let b = register_breaker("fp-pool", BreakerConfig::new().failure_threshold(5));
    let fleet = join(&ns).await;
    let admin = Admin::connect(&url(), &ns).await.unwrap();
    // Joined: the fleet knows the breaker.
    let t = Instant::now();
    while fleet_state(&admin, "fp-pool").await.is_none() {
        assert!(t.elapsed() < Duration::from_secs(2));
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    // Another process has a run of 3 failures.
    let now = server_ms(&mut c).await;
    let _: () = redis::cmd("HSET")
        .arg(format!("retry:{ns}:breaker:fp-pool:failures"))
        .arg("other-process")
        .arg(format!("3:{now}"))
        .query_async(&mut c)
        .await
        .unwrap();

    // This process's first failure is reported and learns the pool (3 + 1).
    b.try_acquire().unwrap().failure();
    assert_eq!(b.state(), State::Closed);
    tokio::time::sleep(Duration::from_millis(50)).await;
    // Its second makes 5 in all: the fleet's breaker opens, here at once.
    b.try_acquire().unwrap().failure();
    assert_eq!(
        b.state(),
        State::Open,
        "3 + 2 failures reach the threshold of 5"
    );
    until_fleet_state(&admin, "fp-pool", "open").await;

    fleet.shutdown().await;
    b.reset();
    clean(&mut c, &ns).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_probe_needs_a_fleet_wide_slot() {
    let _turn = TURN.lock().await;
    let mut c = redis().await;
    let ns = namespace("probe");
    let b = register_breaker(
        "fp-probe",
        BreakerConfig::new()
            .failure_threshold(1)
            .reset_timeout(Duration::from_millis(200))
            .half_open_max_calls(1)
            .success_threshold(1),
    );
    let fleet = join(&ns).await;
    let admin = Admin::connect(&url(), &ns).await.unwrap();
    b.try_acquire().unwrap().failure();
    until_fleet_state(&admin, "fp-probe", "open").await;
    // Another process holds the one slot for the next 5 s.
    let now = server_ms(&mut c).await;
    let probes = format!("retry:{ns}:breaker:fp-probe:probes");
    let _: () = redis::cmd("ZADD")
        .arg(&probes)
        .arg(now + 5_000)
        .arg("other-process#1#1#0")
        .query_async(&mut c)
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await; // past the deadline
    for _ in 0..20 {
        assert!(
            b.try_acquire().is_err(),
            "no probe while another process holds the slot"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let rows = admin.breakers().await.unwrap();
    let row = rows.iter().find(|r| r.name == "fp-probe").unwrap();
    assert_eq!(row.probes, 1);
    // The slot is given back: this process claims it and probes; the probe closes the fleet.
    let _: () = redis::cmd("DEL")
        .arg(&probes)
        .query_async(&mut c)
        .await
        .unwrap();
    let t = Instant::now();
    let permit = loop {
        if let Ok(p) = b.try_acquire() {
            break p;
        }
        assert!(
            t.elapsed() < Duration::from_secs(1),
            "never got the free slot"
        );
        tokio::time::sleep(Duration::from_millis(2)).await;
    };
    assert_eq!(b.state(), State::HalfOpen);
    assert!(b.try_acquire().is_err(), "one slot: one probe");
    permit.success();
    assert_eq!(b.state(), State::Closed);
    until_fleet_state(&admin, "fp-probe", "closed").await;

    fleet.shutdown().await;
    clean(&mut c, &ns).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn retries_draw_on_the_fleets_budget() {
    let _turn = TURN.lock().await;
    let mut c = redis().await;
    let ns = namespace("budget");
    // The whole fleet: no ratio, 1 retry a second over 10 s, so 10 tokens in all.
    let budget = configure_budget(
        "fp-budget",
        RetryBudget::new()
            .ratio(0.0)
            .min_per_sec(1)
            .ttl(Duration::from_secs(10)),
    );
    // Other processes spent 7 of them in the last second.
    let now = server_ms(&mut c).await;
    let key = format!("retry:{ns}:budget:fp-budget");
    let _: () = redis::cmd("HSET")
        .arg(&key)
        .arg("ratio")
        .arg(0)
        .arg("min_per_sec")
        .arg(1)
        .arg("ttl_ms")
        .arg(10_000)
        .arg(format!("w{}", now / 1000))
        .arg(7)
        .query_async(&mut c)
        .await
        .unwrap();
    let fleet = join(&ns).await;
    let mut admitted = 0;
    let t = Instant::now();
    while t.elapsed() < Duration::from_millis(1500) {
        admitted += u32::from(budget.try_withdraw());
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    assert_eq!(admitted, 3, "10 for the fleet, 7 spent elsewhere");
    let rows = Admin::connect(&url(), &ns)
        .await
        .unwrap()
        .budgets()
        .await
        .unwrap();
    assert_eq!(rows[0].withdrawals, 10);

    fleet.shutdown().await;
    clean(&mut c, &ns).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_limiter_gets_its_share_of_the_fleets_rate() {
    let _turn = TURN.lock().await;
    let mut c = redis().await;
    let ns = namespace("share");
    let limiter = register_limiter("fp-share", LimiterConfig::new(100, Duration::from_secs(1)));
    let fleet = join(&ns).await;
    // Alone, it keeps the whole rate.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let s = limiter.snapshot();
    let per_sec = |s: &retry_runtime::LimiterSnapshot| f64::from(s.rate) / s.per.as_secs_f64();
    assert!((per_sec(&s) - 100.0).abs() < 1.0, "{s:?}");
    // Another process asks for 99 a second: this idle one is left about 1 a second.
    let demand = format!("retry:{ns}:limiter:fp-share:demand");
    let t = Instant::now();
    let mut last = f64::MAX;
    while t.elapsed() < Duration::from_millis(600) {
        let now = server_ms(&mut c).await;
        let _: () = redis::cmd("HSET")
            .arg(&demand)
            .arg("other-process")
            .arg(format!("99:{now}"))
            .query_async(&mut c)
            .await
            .unwrap();
        last = per_sec(&limiter.snapshot());
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(last < 2.0, "share {last}/s, expected about 1/s");
    // Leaving the fleet gives the limiter its own rate back.
    fleet.shutdown().await;
    assert!((per_sec(&limiter.snapshot()) - 100.0).abs() < 1.0);
    clean(&mut c, &ns).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_redis_everything_goes_on_alone() {
    let _turn = TURN.lock().await;
    // Nothing listens on port 1.
    let fleet = Fleet::builder("redis://127.0.0.1:1")
        .namespace("fp-down")
        .start()
        .await
        .expect("an unreachable Redis is not an error");
    let b = register_breaker("fp-down", BreakerConfig::new().failure_threshold(2));
    tokio::time::sleep(Duration::from_millis(200)).await;
    let status = fleet.status();
    assert!(!status.connected);
    assert_eq!(status.last_sync, None);
    assert_eq!(status.namespace, "fp-down");
    let t = Instant::now();
    b.try_acquire().unwrap().failure();
    b.try_acquire().unwrap().failure();
    assert_eq!(b.state(), State::Open, "opens on its own count");
    assert!(
        t.elapsed() < Duration::from_millis(5),
        "no call waits on Redis"
    );
    fleet.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_settings_are_errors() {
    let _turn = TURN.lock().await;
    let bad = Fleet::builder("http://nowhere").start().await.unwrap_err();
    assert!(matches!(bad, FleetError::BadUrl { .. }), "{bad}");
    let bad = Fleet::builder(url())
        .namespace("a b")
        .start()
        .await
        .unwrap_err();
    assert!(matches!(bad, FleetError::BadNamespace(_)), "{bad}");
    let fleet = Fleet::builder(url())
        .namespace("fp-twice")
        .start()
        .await
        .unwrap();
    let twice = Fleet::builder(url())
        .namespace("fp-twice")
        .start()
        .await
        .unwrap_err();
    assert!(matches!(twice, FleetError::AlreadyRunning));
    fleet.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn leaving_takes_this_process_out() {
    let _turn = TURN.lock().await;
    let mut c = redis().await;
    let ns = namespace("leave");
    let fleet = join(&ns).await;
    let admin = Admin::connect(&url(), &ns).await.unwrap();
    assert_eq!(admin.members().await.unwrap().len(), 1);
    fleet.shutdown().await;
    assert!(admin.members().await.unwrap().is_empty());
    let members: HashMap<String, String> = redis::cmd("HGETALL")
        .arg(format!("retry:{ns}:members"))
        .query_async(&mut c)
        .await
        .unwrap();
    assert!(members.is_empty());
    clean(&mut c, &ns).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rate_mode_pools_the_windows() {
    let _turn = TURN.lock().await;
    let mut c = redis().await;
    let ns = namespace("window");
    let b = register_breaker(
        "fp-window",
        BreakerConfig::new()
            .failure_rate(0.5)
            .min_calls(10)
            .window(Duration::from_secs(60)),
    );
    let fleet = join(&ns).await;
    // Another process's window: 8 calls, 4 failed.
    let now = server_ms(&mut c).await;
    let _: () = redis::cmd("HSET")
        .arg(format!("retry:{ns}:breaker:fp-window:windows"))
        .arg("other-process")
        .arg(format!("8:4:{now}"))
        .query_async(&mut c)
        .await
        .unwrap();
    b.try_acquire().unwrap().success();
    tokio::time::sleep(Duration::from_millis(300)).await; // a tick or two: windows exchanged
    assert_eq!(b.state(), State::Closed);
    b.try_acquire().unwrap().failure();
    assert_eq!(
        b.state(),
        State::Open,
        "2 calls, 1 failed here + 8 calls, 4 failed elsewhere: 10 calls at 50%"
    );
    fleet.shutdown().await;
    b.reset();
    clean(&mut c, &ns).await;
}

#[derive(Debug)]
enum HostError {
    Down,
    Open,
}

impl From<retry_runtime::CircuitOpen> for HostError {
    fn from(_: retry_runtime::CircuitOpen) -> Self {
        HostError::Open
    }
}

struct Host {
    url: &'static str,
}

impl Host {
    #[retry_runtime::circuit_breaker(fp_keyed, key = self.url, failure_threshold = 2)]
    fn get(&self, up: bool) -> Result<u32, HostError> {
        if up {
            Ok(200)
        } else {
            Err(HostError::Down)
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keyed_breakers_are_shared_by_their_full_name() {
    let _turn = TURN.lock().await;
    let mut c = redis().await;
    let ns = namespace("keyed");
    let fleet = join(&ns).await;
    let admin = Admin::connect(&url(), &ns).await.unwrap();
    let a = Host {
        url: "https://a.example",
    };
    let b = Host {
        url: "https://b.example",
    };
    assert!(a.get(true).is_ok() && b.get(true).is_ok());
    // A host's breaker opened here is that host's breaker in the fleet.
    assert!(matches!(a.get(false), Err(HostError::Down)));
    assert!(matches!(a.get(false), Err(HostError::Down)));
    assert!(matches!(a.get(true), Err(HostError::Open)));
    until_fleet_state(&admin, "fp_keyed[https://a.example]", "open").await;
    // An order for the other host's full name reaches that breaker only.
    admin.open("fp_keyed[https://b.example]").await.unwrap();
    let keyed = retry_runtime::keyed_breaker("fp_keyed", "https://b.example").unwrap();
    within(Duration::from_millis(100), "keyed forced open", || {
        keyed.state() == State::ForcedOpen
    })
    .await;
    assert!(matches!(b.get(true), Err(HostError::Open)));
    admin.reset("fp_keyed[https://a.example]").await.unwrap();
    let a_breaker = retry_runtime::keyed_breaker("fp_keyed", "https://a.example").unwrap();
    within(Duration::from_millis(100), "keyed reset", || {
        a_breaker.state() == State::Closed
    })
    .await;
    assert_eq!(a.get(true).unwrap(), 200);
    fleet.shutdown().await;
    keyed.reset();
    clean(&mut c, &ns).await;
}

#[test]
fn a_fleet_whose_runtime_is_gone_leaves_everything_local() {
    let _turn = TURN.blocking_lock();
    let ns = namespace("gone");
    let b = register_breaker(
        "fp-gone",
        BreakerConfig::new()
            .failure_threshold(1)
            .reset_timeout(Duration::from_millis(100))
            .half_open_max_calls(1),
    );
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let fleet = runtime.block_on(async {
        let mut c = redis().await;
        let fleet = join(&ns).await;
        let admin = Admin::connect(&url(), &ns).await.unwrap();
        b.try_acquire().unwrap().failure();
        until_fleet_state(&admin, "fp-gone", "open").await;
        // Another process holds the one probe slot: here the breaker stays shut.
        let now = server_ms(&mut c).await;
        let _: () = redis::cmd("ZADD")
            .arg(format!("retry:{ns}:breaker:fp-gone:probes"))
            .arg(now + 60_000)
            .arg("other-process#1#1#0")
            .query_async(&mut c)
            .await
            .unwrap();
        tokio::time::sleep(Duration::from_millis(150)).await;
        assert!(b.try_acquire().is_err(), "gated by the fleet");
        fleet
    });
    // The runtime goes away under the fleet: its task is gone, and with it the gate.
    drop(runtime);
    let probe = b
        .try_acquire()
        .expect("alone again: a probe after the reset timeout");
    probe.success();
    drop(fleet);
    b.reset();
    let cleanup = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    cleanup.block_on(async {
        let mut c = redis().await;
        clean(&mut c, &ns).await;
    });
}

/// The URL of the outage below: nothing listens on port 2.
const NOWHERE: &str = "redis://127.0.0.1:2";
/// `WARN` events of target `retry_redis` whose `redis` field is `NOWHERE`.
static WARNINGS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// Counts into `WARNINGS`.
struct WarnCounter;

impl tracing::Subscriber for WarnCounter {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, _: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        tracing::span::Id::from_u64(1)
    }
    fn record(&self, _: &tracing::span::Id, _: &tracing::span::Record<'_>) {}
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        struct Redis(String);
        impl tracing::field::Visit for Redis {
            fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
                if field.name() == "redis" {
                    self.0 = format!("{value:?}");
                }
            }
        }
        let meta = event.metadata();
        if *meta.level() == tracing::Level::WARN && meta.target() == "retry_redis" {
            let mut redis = Redis(String::new());
            event.record(&mut redis);
            if redis.0 == NOWHERE {
                WARNINGS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            }
        }
    }
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_outage_is_one_warning_however_many_reconnections() {
    let _turn = TURN.lock().await;
    tracing::subscriber::set_global_default(WarnCounter).expect("the only subscriber here");
    let fleet = Fleet::builder(NOWHERE)
        .namespace("fp-warn")
        .start()
        .await
        .unwrap();
    // Backoff 25, 50, 100, 250, 250... ms: at least five attempts in 1.2 s.
    tokio::time::sleep(Duration::from_millis(1200)).await;
    assert!(!fleet.status().connected);
    assert_eq!(
        WARNINGS.load(std::sync::atomic::Ordering::Relaxed),
        1,
        "one warning for the outage"
    );
    fleet.shutdown().await;
}
