//! `retry-fleet`: an operator's command line for a fleet's shared breakers, retry budgets and
//! rate limiters (a table, or one JSON document with `--json`), and the hand-ordered breaker
//! transitions every process applies. Arguments are read by hand (`parse`); the work is
//! [`retry_redis::Admin`]'s.

use std::process::ExitCode;
use std::time::Duration;

use retry_redis::{Admin, AdminError, BreakerRow, BudgetRow, LimiterRow};
use serde_json::{json, Value};

const USAGE: &str = "\
retry-fleet: the breakers, retry budgets and rate limiters a fleet of processes shares through Redis

Usage: retry-fleet [OPTIONS] <COMMAND>

Commands:
  list         every breaker: state, time left open, pooled failures, probes, last change
  reset NAME   close breaker NAME in every process (out of any state, forced ones included)
  open NAME    force breaker NAME open in every process, until a reset or a close
  close NAME   force breaker NAME closed in every process, until a reset or an open
  budgets      every retry budget: ratio, floor, ttl, deposits, withdrawals, balance
  limiters     every rate limiter: rate, burst, live processes, their demand

Options (before or after the command):
  --redis URL       the Redis (default: $REDIS_URL, else redis://127.0.0.1:6379)
  --namespace NS    the fleet's namespace (default: $RETRY_FLEET_NAMESPACE, else \"default\")
  --json            one JSON document on stdout, durations in ms
  -h, --help        this help

Exit status: 0 done, 1 a Redis error, 2 bad usage.
";

const DEFAULT_REDIS: &str = "redis://127.0.0.1:6379";
const DEFAULT_NAMESPACE: &str = "default";
const OPTIONS: [&str; 4] = ["--redis", "--namespace", "--json", "--help"];
const COMMANDS: [&str; 6] = ["list", "reset", "open", "close", "budgets", "limiters"];

/// What to do with the fleet's state.
#[derive(Debug, PartialEq)]
enum Command {
    List,
    Budgets,
    Limiters,
    /// A hand-ordered transition of the named breaker.
    Order(Order, String),
}

/// The transitions an operator orders.
#[derive(Debug, PartialEq)]
enum Order {
    Reset,
    Open,
    Close,
}

/// A command line read in full.
#[derive(Debug, PartialEq)]
struct Invocation {
    redis: String,
    namespace: String,
    json: bool,
    command: Command,
}

/// What the command line asks for.
#[derive(Debug, PartialEq)]
enum Parsed {
    Run(Invocation),
    Help,
}

fn main() -> ExitCode {
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let invocation = match parse(std::env::args().skip(1), env) {
        Ok(Parsed::Run(invocation)) => invocation,
        Ok(Parsed::Help) => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("retry-fleet: {message}\nRun `retry-fleet --help` for usage.");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("retry-fleet: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(&invocation)) {
        Ok(output) => {
            print!("{output}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("retry-fleet: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Reads the arguments (after the program's name); `env` answers for the environment.
fn parse(
    args: impl IntoIterator<Item = String>,
    env: impl Fn(&str) -> Option<String>,
) -> Result<Parsed, String> {
    let (mut redis, mut namespace, mut json) = (None, None, false);
    let mut words = Vec::new();
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        if arg == "--" {
            words.extend(args.by_ref());
            break;
        }
        if !arg.starts_with('-') || arg == "-" {
            words.push(arg);
            continue;
        }
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) => (flag, Some(value.to_owned())),
            None => (arg.as_str(), None),
        };
        match flag {
            "-h" | "--help" => return Ok(Parsed::Help),
            "--json" if inline.is_none() => json = true,
            "--json" => return Err("--json takes no value".into()),
            "--redis" | "--namespace" => {
                let value = inline
                    .or_else(|| args.next())
                    .filter(|v| !v.is_empty() && !v.starts_with("--"))
                    .ok_or_else(|| {
                        let what = if flag == "--redis" {
                            "a URL"
                        } else {
                            "a namespace"
                        };
                        format!("{flag} needs {what}")
                    })?;
                if flag == "--redis" {
                    redis = Some(value);
                } else {
                    namespace = Some(value);
                }
            }
            _ => return Err(unknown("option", flag, &OPTIONS)),
        }
    }
    let mut words = words.into_iter();
    let Some(word) = words.next() else {
        return Err(format!("missing command: one of {}", COMMANDS.join(", ")));
    };
    let mut name = || {
        words
            .next()
            .ok_or_else(|| format!("{word}: missing the breaker's NAME (retry-fleet {word} NAME)"))
    };
    let command = match word.as_str() {
        "list" => Command::List,
        "reset" => Command::Order(Order::Reset, name()?),
        "open" => Command::Order(Order::Open, name()?),
        "close" => Command::Order(Order::Close, name()?),
        "budgets" => Command::Budgets,
        "limiters" => Command::Limiters,
        _ => return Err(unknown("command", &word, &COMMANDS)),
    };
    if let Some(extra) = words.next() {
        return Err(format!("unexpected argument `{extra}` after `{word}`"));
    }
    Ok(Parsed::Run(Invocation {
        redis: redis
            .or_else(|| env("REDIS_URL"))
            .unwrap_or_else(|| DEFAULT_REDIS.into()),
        namespace: namespace
            .or_else(|| env("RETRY_FLEET_NAMESPACE"))
            .unwrap_or_else(|| DEFAULT_NAMESPACE.into()),
        json,
        command,
    }))
}

/// "unknown option `--jsn`; did you mean `--json`?": the known word `given` begins (an
/// abbreviation), else the one within two edits.
fn unknown(what: &str, given: &str, known: &[&str]) -> String {
    let abbreviated = known
        .iter()
        .find(|k| given.trim_start_matches('-').len() >= 2 && k.starts_with(given));
    let closest = abbreviated.or_else(|| {
        known
            .iter()
            .min_by_key(|k| edit_distance(given, k))
            .filter(|k| edit_distance(given, k) <= 2)
    });
    match closest {
        Some(k) => format!("unknown {what} `{given}`; did you mean `{k}`?"),
        None => format!("unknown {what} `{given}` (known: {})", known.join(", ")),
    }
}

/// Levenshtein distance, by chars.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1)
                .min(row[j] + 1)
                .min(diagonal + usize::from(ca != cb));
            diagonal = above;
        }
    }
    row[b.len()]
}

/// Runs the command; returns what goes to stdout.
async fn run(invocation: &Invocation) -> Result<String, AdminError> {
    let admin = Admin::connect(&invocation.redis, &invocation.namespace).await?;
    let ns = &invocation.namespace;
    let json = invocation.json;
    Ok(match &invocation.command {
        Command::List => render(ns, json, &admin.breakers().await?),
        Command::Budgets => render(ns, json, &admin.budgets().await?),
        Command::Limiters => render(ns, json, &admin.limiters().await?),
        Command::Order(order, name) => {
            if !admin.has_breaker(name).await? {
                eprintln!(
                    "retry-fleet: warning: no process has reported breaker {name} yet \
                     (namespace {ns})"
                );
            }
            let row = match order {
                Order::Reset => admin.reset(name).await?,
                Order::Open => admin.open(name).await?,
                Order::Close => admin.close(name).await?,
            };
            if json {
                format!("{}\n", json!({ "namespace": ns, "breaker": row.json() }))
            } else {
                format!(
                    "breaker {}: {} (generation {}) in namespace {ns}, by {}\n",
                    row.name, row.state, row.generation, row.changed_by
                )
            }
        }
    })
}

/// How a kind of row is shown: its table's header and cells, its JSON object.
trait Show {
    /// What a list of them is called ("breakers").
    const KIND: &'static str;
    const HEADER: &'static [&'static str];
    fn cells(&self) -> Vec<String>;
    fn json(&self) -> Value;
}

impl Show for BreakerRow {
    const KIND: &'static str = "breakers";
    const HEADER: &'static [&'static str] = &[
        "NAME", "STATE", "OPEN FOR", "FAILURES", "PROBES", "CHANGED", "BY",
    ];

    fn cells(&self) -> Vec<String> {
        vec![
            self.name.clone(),
            self.state.clone(),
            self.open_for.map_or_else(|| "-".into(), duration),
            self.pooled_failures.to_string(),
            self.probes.to_string(),
            self.changed_ago
                .map_or_else(|| "-".into(), |ago| format!("{} ago", duration(ago))),
            if self.changed_by.is_empty() {
                "-".into()
            } else {
                self.changed_by.clone()
            },
        ]
    }

    fn json(&self) -> Value {
        json!({
            "name": self.name,
            "state": self.state,
            "generation": self.generation,
            "open_for_ms": self.open_for.map(millis),
            "pooled_failures": self.pooled_failures,
            "probes": self.probes,
            "changed_by": self.changed_by,
            "changed_ago_ms": self.changed_ago.map(millis),
        })
    }
}

impl Show for BudgetRow {
    const KIND: &'static str = "budgets";
    const HEADER: &'static [&'static str] = &[
        "NAME",
        "RATIO",
        "MIN/S",
        "TTL",
        "DEPOSITS",
        "WITHDRAWN",
        "BALANCE",
    ];

    fn cells(&self) -> Vec<String> {
        vec![
            self.name.clone(),
            self.ratio.to_string(),
            self.min_per_sec.to_string(),
            duration(self.ttl),
            self.deposits.to_string(),
            self.withdrawals.to_string(),
            format!("{:.1}", self.balance),
        ]
    }

    fn json(&self) -> Value {
        json!({
            "name": self.name,
            "ratio": self.ratio,
            "min_per_sec": self.min_per_sec,
            "ttl_ms": millis(self.ttl),
            "deposits": self.deposits,
            "withdrawals": self.withdrawals,
            "balance": self.balance,
        })
    }
}

impl Show for LimiterRow {
    const KIND: &'static str = "limiters";
    const HEADER: &'static [&'static str] = &["NAME", "RATE", "BURST", "PROCESSES", "DEMAND"];

    fn cells(&self) -> Vec<String> {
        vec![
            self.name.clone(),
            format!("{}/{}", self.rate, duration(self.per)),
            self.burst.to_string(),
            self.processes.to_string(),
            format!("{:.1}", self.demand),
        ]
    }

    fn json(&self) -> Value {
        json!({
            "name": self.name,
            "rate": self.rate,
            "per_ms": millis(self.per),
            "burst": self.burst,
            "processes": self.processes,
            "demand": self.demand,
        })
    }
}

/// The rows as one JSON document (`{"namespace": ns, "breakers": [rows]}`), or as a table (a
/// line saying there are none when there are none).
fn render<R: Show>(namespace: &str, json: bool, rows: &[R]) -> String {
    let kind = R::KIND;
    if json {
        let rows: Vec<Value> = rows.iter().map(R::json).collect();
        format!("{}\n", json!({ "namespace": namespace, kind: rows }))
    } else if rows.is_empty() {
        format!("no {kind} in namespace {namespace}\n")
    } else {
        table(R::HEADER, &rows.iter().map(R::cells).collect::<Vec<_>>())
    }
}

/// Columns left-aligned, each as wide as its widest cell, two spaces apart; one line per row.
fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    let header = header.iter().map(|h| h.to_string()).collect::<Vec<_>>();
    for row in std::iter::once(&header).chain(rows) {
        let mut line = String::new();
        for (cell, width) in row.iter().zip(&widths) {
            line.push_str(&format!("{cell:<width$}  "));
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// A duration to read at a glance: "350ms", "4.2s", "30s", "2m5s", "1h30m".
fn duration(d: Duration) -> String {
    let ms = d.as_millis();
    let secs = d.as_secs();
    match secs {
        0 => format!("{ms}ms"),
        1..60 if ms.is_multiple_of(1000) => format!("{secs}s"),
        1..60 => format!("{:.1}s", d.as_secs_f64()),
        60..3600 if secs.is_multiple_of(60) => format!("{}m", secs / 60),
        60..3600 => format!("{}m{}s", secs / 60, secs % 60),
        _ if secs % 3600 < 60 => format!("{}h", secs / 3600),
        _ => format!("{}h{}m", secs / 3600, secs % 3600 / 60),
    }
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_with(args: &[&str], env: &[(&str, &str)]) -> Result<Parsed, String> {
        let env: Vec<(String, String)> = env
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        parse(args.iter().map(|a| a.to_string()), move |name| {
            env.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
        })
    }

    fn run_of(args: &[&str]) -> Invocation {
        match parse_with(args, &[]) {
            Ok(Parsed::Run(invocation)) => invocation,
            other => panic!("{args:?}: {other:?}"),
        }
    }

    #[test]
    fn defaults_then_environment_then_options() {
        let inv = run_of(&["list"]);
        assert_eq!(
            inv,
            Invocation {
                redis: DEFAULT_REDIS.into(),
                namespace: "default".into(),
                json: false,
                command: Command::List,
            }
        );
        let env = [
            ("REDIS_URL", "redis://r:1"),
            ("RETRY_FLEET_NAMESPACE", "chat"),
        ];
        let Ok(Parsed::Run(inv)) = parse_with(&["budgets"], &env) else {
            panic!()
        };
        assert_eq!(
            (inv.redis.as_str(), inv.namespace.as_str()),
            ("redis://r:1", "chat")
        );
        let Ok(Parsed::Run(inv)) = parse_with(
            &["--redis", "redis://o:2", "limiters", "--namespace=x"],
            &env,
        ) else {
            panic!()
        };
        assert_eq!(
            (inv.redis.as_str(), inv.namespace.as_str()),
            ("redis://o:2", "x")
        );
        assert_eq!(inv.command, Command::Limiters);
    }

    #[test]
    fn options_before_or_after_the_command() {
        let inv = run_of(&["reset", "payments", "--json", "--namespace", "n"]);
        assert_eq!(inv.command, Command::Order(Order::Reset, "payments".into()));
        assert!(inv.json);
        assert_eq!(inv.namespace, "n");
        let inv = run_of(&["--json", "open", "a[https://x]"]);
        assert_eq!(
            inv.command,
            Command::Order(Order::Open, "a[https://x]".into())
        );
        let inv = run_of(&["close", "--", "-odd-name"]);
        assert_eq!(
            inv.command,
            Command::Order(Order::Close, "-odd-name".into())
        );
    }

    #[test]
    fn help_wins() {
        assert_eq!(parse_with(&["list", "--help"], &[]), Ok(Parsed::Help));
        assert_eq!(parse_with(&["-h"], &[]), Ok(Parsed::Help));
        assert_eq!(parse_with(&["bogus", "-h"], &[]), Ok(Parsed::Help));
    }

    #[test]
    fn bad_usage_is_explained() {
        let err = |args: &[&str]| parse_with(args, &[]).unwrap_err();
        assert_eq!(
            err(&["--jsn", "list"]),
            "unknown option `--jsn`; did you mean `--json`?"
        );
        assert_eq!(
            err(&["list", "--name", "x"]),
            "unknown option `--name`; did you mean `--namespace`?"
        );
        assert!(err(&["--zzzzzz"]).starts_with("unknown option `--zzzzzz` (known: --redis"));
        assert_eq!(err(&["lst"]), "unknown command `lst`; did you mean `list`?");
        assert_eq!(
            err(&["rest", "x"]),
            "unknown command `rest`; did you mean `reset`?"
        );
        assert!(err(&[]).starts_with("missing command"));
        assert!(err(&["reset"]).contains("missing the breaker's NAME"));
        assert!(err(&["open", "--json"]).contains("missing the breaker's NAME"));
        assert_eq!(
            err(&["list", "extra"]),
            "unexpected argument `extra` after `list`"
        );
        assert_eq!(err(&["--redis"]), "--redis needs a URL");
        assert_eq!(
            err(&["--namespace", "--json", "list"]),
            "--namespace needs a namespace"
        );
        assert_eq!(err(&["--json=1", "list"]), "--json takes no value");
    }

    #[test]
    fn distances() {
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("list", "list"), 0);
    }

    #[test]
    fn durations_read_at_a_glance() {
        let ms = Duration::from_millis;
        assert_eq!(duration(ms(0)), "0ms");
        assert_eq!(duration(ms(350)), "350ms");
        assert_eq!(duration(ms(4200)), "4.2s");
        assert_eq!(duration(ms(30_000)), "30s");
        assert_eq!(duration(ms(60_000)), "1m");
        assert_eq!(duration(ms(125_000)), "2m5s");
        assert_eq!(duration(ms(3_600_000)), "1h");
        assert_eq!(duration(ms(5_400_000)), "1h30m");
    }

    #[test]
    fn tables_align_their_columns() {
        let rows = vec![
            vec!["a".to_string(), "open".to_string(), "-".to_string()],
            vec![
                "longer-name".to_string(),
                "closed".to_string(),
                "4.2s".to_string(),
            ],
        ];
        assert_eq!(
            table(&["NAME", "STATE", "OPEN FOR"], &rows),
            "NAME         STATE   OPEN FOR\n\
             a            open    -\n\
             longer-name  closed  4.2s\n"
        );
        let none: &[BreakerRow] = &[];
        assert_eq!(render("ns", false, none), "no breakers in namespace ns\n");
        assert_eq!(
            render("ns", true, none),
            "{\"breakers\":[],\"namespace\":\"ns\"}\n"
        );
    }
}
