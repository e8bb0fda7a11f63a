//! The `retry-fleet` binary (and `Admin` under it) against a real Redis at `REDIS_URL`
//! (default `redis://127.0.0.1:6379`): state seeded with plain commands in the key schema of
//! `src/keys.rs`, one namespace per test, its keys deleted when the test ends (pass or fail).
//! A Redis that does not answer fails every test: none passes without one.

use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use retry_redis::{Admin, AdminError, BreakerRow};
use serde_json::Value;

fn redis_url() -> String {
    std::env::var("REDIS_URL")
        .ok()
        .filter(|u| !u.is_empty())
        .unwrap_or_else(|| "redis://127.0.0.1:6379".into())
}

/// A namespace of its own for one test, and a connection to seed it; its keys are deleted on
/// drop.
struct Fleet {
    ns: String,
    con: redis::Connection,
}

impl Fleet {
    /// PINGs Redis first: no Redis is a failure, not a skip.
    fn new() -> Fleet {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let url = redis_url();
        let unreachable = |e: redis::RedisError| -> ! {
            panic!(
                "Redis is not reachable at {url}: start one with \
                 `redis-server --save \"\" --appendonly no` ({e})"
            )
        };
        let mut con = redis::Client::open(url.as_str())
            .and_then(|c| c.get_connection_with_timeout(Duration::from_secs(2)))
            .unwrap_or_else(|e| unreachable(e));
        redis::cmd("PING")
            .query::<String>(&mut con)
            .unwrap_or_else(|e| unreachable(e));
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        Fleet {
            ns: format!("cli-test-{}-{n}", std::process::id()),
            con,
        }
    }

    fn key(&self, rest: &str) -> String {
        format!("retry:{}:{rest}", self.ns)
    }

    fn cmd(&mut self, args: &[&str]) {
        let mut cmd = redis::cmd(args[0]);
        for arg in &args[1..] {
            cmd.arg(*arg);
        }
        cmd.query::<redis::Value>(&mut self.con)
            .unwrap_or_else(|e| panic!("{args:?}: {e}"));
    }

    /// The server's clock, in ms.
    fn now(&mut self) -> u64 {
        let (secs, micros): (u64, u64) = redis::cmd("TIME").query(&mut self.con).unwrap();
        secs * 1000 + micros / 1000
    }

    /// Runs `retry-fleet --redis URL --namespace NS <args>`.
    fn run(&self, args: &[&str]) -> Output {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_retry-fleet"));
        cmd.env_remove("REDIS_URL")
            .env_remove("RETRY_FLEET_NAMESPACE")
            .args(["--redis", &redis_url(), "--namespace", &self.ns])
            .args(args);
        cmd.output().expect("retry-fleet runs")
    }

    /// Runs it, expects success, and returns stdout.
    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "retry-fleet {args:?}: {:?}\nstderr: {}",
            out.status,
            text(&out.stderr)
        );
        text(&out.stdout)
    }

    fn json(&self, args: &[&str]) -> Value {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        let out = self.ok(&all);
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("not one JSON document ({e}): {out}"))
    }

    /// The breaker `name` in `list --json`.
    fn listed(&self, name: &str) -> Value {
        let doc = self.json(&["list"]);
        assert_eq!(doc["namespace"], self.ns.as_str());
        doc["breakers"]
            .as_array()
            .unwrap()
            .iter()
            .find(|b| b["name"] == name)
            .unwrap_or_else(|| panic!("{name} not listed: {doc}"))
            .clone()
    }

    /// A breaker as a process leaves it when it opens: state hash, in the set of names.
    fn seed_breaker(&mut self, name: &str, mode: &str, gen: u64, deadline: u64, by: &str, at: u64) {
        let (state, names) = (self.key(&format!("breaker:{name}")), self.key("breakers"));
        let (gen, deadline, at) = (gen.to_string(), deadline.to_string(), at.to_string());
        self.cmd(&["SADD", &names, name]);
        self.cmd(&[
            "HSET", &state, "mode", mode, "gen", &gen, "deadline", &deadline, "by", by, "at", &at,
        ]);
    }
}

impl Drop for Fleet {
    fn drop(&mut self) {
        let pattern = format!("retry:{}:*", self.ns);
        let keys: Vec<String> = redis::cmd("SCAN")
            .cursor_arg(0)
            .arg("MATCH")
            .arg(&pattern)
            .clone()
            .iter(&mut self.con)
            .map(|iter| iter.filter_map(Result::ok).collect())
            .unwrap_or_default();
        if !keys.is_empty() {
            let _ = redis::cmd("DEL").arg(&keys).query::<()>(&mut self.con);
        }
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The table's lines: header first.
fn lines(table: &str) -> Vec<&str> {
    table.lines().collect()
}

#[test]
fn list_shows_an_opened_breaker_with_its_state() {
    let mut fleet = Fleet::new();
    let now = fleet.now();
    fleet.seed_breaker(
        "payments",
        "open",
        3,
        now + 30_000,
        "pid-7@web-1",
        now - 2_000,
    );
    let (failures, probes) = (
        fleet.key("breaker:payments:failures"),
        fleet.key("breaker:payments:probes"),
    );
    fleet.cmd(&[
        "HSET",
        &failures,
        "p1",
        &format!("2:{now}"),
        "p2",
        &format!("3:{now}"),
    ]);
    let (live, expired) = ((now + 5_000).to_string(), (now - 1_000).to_string());
    fleet.cmd(&["ZADD", &probes, &live, "p1#3#1", &expired, "p2#3#1"]);
    // A breaker a process only named (its failures pooled, never opened): closed, no state.
    let names = fleet.key("breakers");
    fleet.cmd(&["SADD", &names, "search"]);

    let table = fleet.ok(&["list"]);
    let lines = lines(&table);
    assert_eq!(lines.len(), 3, "{table}");
    let header = lines[0];
    for column in [
        "NAME", "STATE", "OPEN FOR", "FAILURES", "PROBES", "CHANGED", "BY",
    ] {
        assert!(header.contains(column), "{column} missing: {table}");
    }
    // Sorted by name; every cell under its column's title.
    let (payments, search) = (lines[1], lines[2]);
    assert!(payments.starts_with("payments "), "{table}");
    assert!(search.starts_with("search "), "{table}");
    assert_eq!(
        payments.find(" open "),
        Some(header.find("STATE").unwrap() - 1),
        "{table}"
    );
    assert_eq!(
        search.find(" closed "),
        Some(header.find("STATE").unwrap() - 1),
        "{table}"
    );
    let column = |line: &str, title: &str| {
        let at = header.find(title).unwrap();
        line[at..].split_whitespace().next().unwrap().to_owned()
    };
    let open_for = column(payments, "OPEN FOR");
    assert!(
        open_for.ends_with('s') && open_for.contains('.'),
        "{open_for} in {table}"
    );
    assert_eq!(column(payments, "FAILURES"), "5");
    assert_eq!(column(payments, "PROBES"), "1");
    assert!(payments.ends_with("ago  pid-7@web-1"), "{table}");
    assert_eq!(column(search, "OPEN FOR"), "-");
    assert_eq!(column(search, "CHANGED"), "-");
    assert_eq!(column(search, "BY"), "-");

    let row = fleet.listed("payments");
    assert_eq!(row["state"], "open");
    assert_eq!(row["generation"], 3);
    let open_for_ms = row["open_for_ms"].as_u64().unwrap();
    assert!((20_000..=30_000).contains(&open_for_ms), "{row}");
    assert_eq!(row["pooled_failures"], 5);
    assert_eq!(row["probes"], 1);
    assert_eq!(row["changed_by"], "pid-7@web-1");
    assert!(row["changed_ago_ms"].as_u64().unwrap() >= 2_000, "{row}");
    let row = fleet.listed("search");
    assert_eq!(row["state"], "closed");
    assert_eq!(row["generation"], 0);
    assert_eq!(
        (&row["open_for_ms"], &row["changed_ago_ms"]),
        (&Value::Null, &Value::Null)
    );
}

#[test]
fn open_forces_the_breaker_open_for_every_process() {
    let mut fleet = Fleet::new();
    let now = fleet.now();
    fleet.seed_breaker("payments", "closed", 1, 0, "pid-7@web-1", now);
    // A process of the fleet, listening where every process listens.
    let url = redis_url();
    let mut listener = redis::Client::open(url.as_str())
        .unwrap()
        .get_connection()
        .unwrap();
    let mut events = listener.as_pubsub();
    events.subscribe(fleet.key("events")).unwrap();
    events
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();

    let out = fleet.run(&["open", "payments"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stderr), "", "a reported breaker: no warning");
    let said = text(&out.stdout);
    assert!(
        said.contains("payments: forced_open (generation 2)"),
        "{said}"
    );

    let message: String = events.get_message().unwrap().get_payload().unwrap();
    assert_eq!(message, "b\nforced_open\n2\n0\npayments");

    let row = fleet.listed("payments");
    assert_eq!(row["state"], "forced_open");
    assert_eq!(row["generation"], 2);
    assert_eq!(row["open_for_ms"], Value::Null);
    assert!(
        row["changed_by"]
            .as_str()
            .unwrap()
            .starts_with("retry-fleet@"),
        "{row}"
    );

    // `close` forces the other way, and `--json` after the name is the same option.
    let doc = fleet.json(&["close", "payments"]);
    assert_eq!(doc["breaker"]["state"], "forced_closed");
    assert_eq!(doc["breaker"]["generation"], 3);
    assert_eq!(fleet.listed("payments")["state"], "forced_closed");
}

#[test]
fn reset_closes_the_breaker_and_bumps_the_generation() {
    let mut fleet = Fleet::new();
    let now = fleet.now();
    fleet.seed_breaker("payments", "open", 4, now + 60_000, "pid-7@web-1", now);
    let (failures, probes) = (
        fleet.key("breaker:payments:failures"),
        fleet.key("breaker:payments:probes"),
    );
    fleet.cmd(&["HSET", &failures, "p1", &format!("2:{now}")]);
    fleet.cmd(&["ZADD", &probes, &(now + 5_000).to_string(), "p1#4#1"]);

    let said = fleet.ok(&["reset", "payments"]);
    assert!(said.contains("payments: closed (generation 5)"), "{said}");
    let row = fleet.listed("payments");
    assert_eq!(row["state"], "closed");
    assert_eq!(row["generation"], 5);
    assert_eq!(row["open_for_ms"], Value::Null);
    assert_eq!(
        (&row["pooled_failures"], &row["probes"]),
        (&0.into(), &0.into())
    );

    // A forced state too.
    fleet.ok(&["open", "payments"]);
    fleet.ok(&["reset", "payments"]);
    let row = fleet.listed("payments");
    assert_eq!(
        (&row["state"], &row["generation"]),
        (&"closed".into(), &7.into())
    );
}

#[test]
fn reset_of_a_name_no_process_reported_warns_and_works() {
    let fleet = Fleet::new();
    let out = fleet.run(&["reset", "ghost"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("no process has reported breaker ghost yet"),
        "{}",
        text(&out.stderr)
    );
    let row = fleet.listed("ghost");
    assert_eq!(
        (&row["state"], &row["generation"]),
        (&"closed".into(), &1.into())
    );
}

#[test]
fn bad_usage_exits_2_with_the_reason() {
    let fleet = Fleet::new();
    for (args, message) in [
        (&["lst"][..], "unknown command `lst`; did you mean `list`?"),
        (&["reset"][..], "reset: missing the breaker's NAME"),
        (&["open", "--json"][..], "open: missing the breaker's NAME"),
        (
            &["--jsno", "list"][..],
            "unknown option `--jsno`; did you mean `--json`?",
        ),
        (
            &["list", "--nmespace", "x"][..],
            "did you mean `--namespace`?",
        ),
        (
            &["list", "extra"][..],
            "unexpected argument `extra` after `list`",
        ),
        (&[][..], "missing command"),
    ] {
        let out = fleet.run(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = text(&out.stderr);
        assert!(err.contains(message), "{args:?}: {err}");
        assert!(err.contains("retry-fleet --help"), "{args:?}: {err}");
        assert_eq!(text(&out.stdout), "", "{args:?}");
    }
    let help = fleet.ok(&["--help"]);
    assert!(help.contains("Usage: retry-fleet"), "{help}");
    for command in [
        "list",
        "reset NAME",
        "open NAME",
        "close NAME",
        "budgets",
        "limiters",
    ] {
        assert!(help.contains(command), "{command}: {help}");
    }
}

#[test]
fn budgets_table_shows_seeded_values() {
    let mut fleet = Fleet::new();
    let now = fleet.now();
    // ttl 10 s, so tenths of 1 s: the last ten count, older ones are left out.
    let n = now / 1_000;
    let budget = fleet.key("budget:llm");
    let (d_now, d_old, d_gone, w_now) = (
        format!("d{n}"),
        format!("d{}", n - 3),
        format!("d{}", n - 20),
        format!("w{n}"),
    );
    let names = fleet.key("budgets");
    fleet.cmd(&["SADD", &names, "llm"]);
    fleet.cmd(&[
        "HSET",
        &budget,
        "ratio",
        "0.2",
        "min_per_sec",
        "5",
        "ttl_ms",
        "10000",
        &d_now,
        "40",
        &d_old,
        "10",
        &d_gone,
        "1000",
        &w_now,
        "6",
    ]);

    let table = fleet.ok(&["budgets"]);
    let lines = lines(&table);
    assert_eq!(
        lines[0].split_whitespace().collect::<Vec<_>>(),
        [
            "NAME",
            "RATIO",
            "MIN/S",
            "TTL",
            "DEPOSITS",
            "WITHDRAWN",
            "BALANCE"
        ],
        "{table}"
    );
    // 0.2 × 50 + 5 × 10 − 6 = 54
    assert_eq!(
        lines[1].split_whitespace().collect::<Vec<_>>(),
        ["llm", "0.2", "5", "10s", "50", "6", "54.0"],
        "{table}"
    );
    assert_eq!(lines[0].find("RATIO"), lines[1].find("0.2"), "{table}");

    let doc = fleet.json(&["budgets"]);
    let row = &doc["budgets"][0];
    assert_eq!(row["name"], "llm");
    assert_eq!(row["ttl_ms"], 10_000);
    assert_eq!(
        (&row["deposits"], &row["withdrawals"]),
        (&50.into(), &6.into())
    );
    assert_eq!(row["balance"].as_f64(), Some(54.0));
}

#[test]
fn limiters_table_shows_seeded_values() {
    let mut fleet = Fleet::new();
    let now = fleet.now();
    let (limiter, demand, names) = (
        fleet.key("limiter:chat"),
        fleet.key("limiter:chat:demand"),
        fleet.key("limiters"),
    );
    fleet.cmd(&["SADD", &names, "chat"]);
    fleet.cmd(&[
        "HSET", &limiter, "rate", "500", "per_ms", "60000", "burst", "20",
    ]);
    fleet.cmd(&[
        "HSET",
        &demand,
        "p1",
        &format!("2.5:{now}"),
        "p2",
        &format!("1.5:{}", now - 1_000),
        "gone",
        &format!("9:{}", now - 10_000),
    ]);

    let table = fleet.ok(&["limiters"]);
    let lines = lines(&table);
    assert_eq!(
        lines[0].split_whitespace().collect::<Vec<_>>(),
        ["NAME", "RATE", "BURST", "PROCESSES", "DEMAND"],
        "{table}"
    );
    assert_eq!(
        lines[1].split_whitespace().collect::<Vec<_>>(),
        ["chat", "500/1m", "20", "2", "4.0"],
        "{table}"
    );

    let doc = fleet.json(&["limiters"]);
    let row = &doc["limiters"][0];
    assert_eq!(
        (&row["rate"], &row["per_ms"], &row["burst"]),
        (&500.into(), &60_000.into(), &20.into())
    );
    assert_eq!(row["processes"], 2);
    assert_eq!(row["demand"].as_f64(), Some(4.0));
}

#[test]
fn an_empty_namespace_says_so() {
    let fleet = Fleet::new();
    let ns = &fleet.ns;
    assert_eq!(
        fleet.ok(&["list"]),
        format!("no breakers in namespace {ns}\n")
    );
    assert_eq!(
        fleet.ok(&["budgets"]),
        format!("no budgets in namespace {ns}\n")
    );
    assert_eq!(
        fleet.ok(&["limiters"]),
        format!("no limiters in namespace {ns}\n")
    );
    assert_eq!(fleet.json(&["list"])["breakers"], Value::Array(vec![]));
}

#[test]
fn the_environment_gives_the_defaults() {
    let mut fleet = Fleet::new();
    let now = fleet.now();
    fleet.seed_breaker("payments", "forced_open", 2, 0, "ops", now);
    let out = Command::new(env!("CARGO_BIN_EXE_retry-fleet"))
        .env("REDIS_URL", redis_url())
        .env("RETRY_FLEET_NAMESPACE", &fleet.ns)
        .arg("list")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("payments  forced_open"),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn an_unreachable_redis_exits_1_with_a_clear_message() {
    let fleet = Fleet::new();
    // A port nothing listens on: bound, then let go.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("redis://127.0.0.1:{port}");
    let out = fleet.run(&["--redis", &url, "list"]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.contains(&format!("cannot reach Redis at {url}")),
        "{err}"
    );
    assert!(err.contains("redis-server --port 6379"), "{err}");
    assert_eq!(text(&out.stdout), "");

    let out = fleet.run(&["--redis", "http://127.0.0.1", "list"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("bad Redis URL http://127.0.0.1"),
        "{}",
        text(&out.stderr)
    );
}

#[tokio::test]
async fn admin_reads_members_and_returns_the_state_it_wrote() {
    let mut fleet = Fleet::new();
    let now = fleet.now();
    let members = fleet.key("members");
    let (fresh, recent, stale) = (
        now.to_string(),
        (now - 1_000).to_string(),
        (now - 10_000).to_string(),
    );
    fleet.cmd(&[
        "HSET", &members, "web-2:9", &fresh, "web-1:7", &recent, "web-3:1", &stale,
    ]);

    let admin = Admin::connect(&redis_url(), &fleet.ns).await.unwrap();
    assert_eq!(admin.namespace(), fleet.ns);
    assert_eq!(admin.members().await.unwrap(), ["web-1:7", "web-2:9"]);

    assert!(!admin.has_breaker("payments").await.unwrap());
    let opened = admin.open("payments").await.unwrap();
    assert!(admin.has_breaker("payments").await.unwrap());
    assert_eq!(opened.state, "forced_open");
    assert_eq!(opened.generation, 1);
    let listed: Vec<BreakerRow> = admin.breakers().await.unwrap();
    assert_eq!(listed.len(), 1);
    let BreakerRow { changed_ago, .. } = &listed[0];
    assert!(changed_ago.unwrap() < Duration::from_secs(2));
    assert_eq!(
        BreakerRow {
            changed_ago: opened.changed_ago,
            ..listed[0].clone()
        },
        opened,
        "the row a transition returns is the row read back"
    );

    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let err = Admin::connect(&format!("redis://127.0.0.1:{port}"), "x")
        .await
        .unwrap_err();
    assert!(matches!(err, AdminError::Unreachable { .. }), "{err:?}");
}
