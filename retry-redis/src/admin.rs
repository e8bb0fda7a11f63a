//! [`Admin`]: an operator's view of a fleet's shared state in Redis (breakers, retry budgets,
//! rate limiters, live processes) and the hand-ordered breaker transitions (`reset`, `open`,
//! `close`) that every process of the fleet applies. The `retry-fleet` binary is built on it.

use std::collections::HashMap;
use std::fmt;
use std::time::Duration;

use redis::aio::MultiplexedConnection;
use redis::{AsyncConnectionConfig, Client, FromRedisValue, RedisError, Value};
use retry_runtime::State;

use crate::keys::Keys;
use crate::scripts::{state_mode, Scripts};

/// How long [`Admin::connect`] waits for a connection, and every command for its reply.
const TIMEOUT: Duration = Duration::from_secs(2);

/// A process, a limiter's demand or a member's beat older than this (by the server's clock) is
/// a process that has left.
const LIVE: Duration = Duration::from_secs(3);

/// Why an [`Admin`] could not connect or read.
#[derive(Debug, thiserror::Error)]
pub enum AdminError {
    /// The URL is not one the `redis` crate accepts.
    #[error("bad Redis URL {url}: {source}")]
    BadUrl {
        /// The URL as given (its password, if any, replaced by `***`).
        url: String,
        /// What the `redis` crate found wrong with it.
        source: RedisError,
    },
    /// No connection to Redis within the timeout (refused, unknown host, no answer, or an
    /// answer not in Redis's protocol).
    #[error(
        "cannot reach Redis at {url}: {source} (start one with \
         `redis-server --port 6379 --save \"\" --appendonly no`)"
    )]
    Unreachable {
        /// The URL as given (its password, if any, replaced by `***`).
        url: String,
        /// The connection's error.
        source: RedisError,
    },
    /// Redis answered with an error, did not answer in time, or sent a reply that is not of
    /// the fleet's schema.
    #[error("Redis error: {0}")]
    Redis(#[from] RedisError),
}

/// A breaker as the fleet keeps it, one row of [`Admin::breakers`].
#[derive(Debug, Clone, PartialEq)]
pub struct BreakerRow {
    /// The breaker's name (a keyed breaker's full name, `openai[https://…]`, included).
    pub name: String,
    /// Its mode: `closed`, `open`, `half_open`, `forced_open` or `forced_closed`.
    pub state: String,
    /// The fleet generation, one more at every transition (0: no transition yet).
    pub generation: u64,
    /// Time left to the open deadline, for `open` and `half_open` (zero once passed).
    pub open_for: Option<Duration>,
    /// The processes' runs of consecutive failures, pooled (the breaker opens for the whole
    /// fleet when they add up to its threshold).
    pub pooled_failures: u32,
    /// Probe claims not yet expired (half-open calls in flight across the fleet).
    pub probes: u32,
    /// Who made the last transition (a process id, or `retry-fleet@host`); empty if none.
    pub changed_by: String,
    /// How long ago the last transition was made, if there was one.
    pub changed_ago: Option<Duration>,
}

/// A fleet-wide retry budget, one row of [`Admin::budgets`].
#[derive(Debug, Clone, PartialEq)]
pub struct BudgetRow {
    /// The budget's name.
    pub name: String,
    /// Retries allowed per first attempt.
    pub ratio: f64,
    /// Retries allowed per second whatever the traffic.
    pub min_per_sec: u32,
    /// How long deposits and withdrawals count.
    pub ttl: Duration,
    /// First attempts deposited over the last `ttl`.
    pub deposits: u64,
    /// Tokens withdrawn over the last `ttl`, less those given back (so it may be negative).
    pub withdrawals: i64,
    /// Retries the fleet may still make: `ratio × deposits + min_per_sec × ttl − withdrawals`.
    pub balance: f64,
}

/// A fleet-wide rate limiter, one row of [`Admin::limiters`].
#[derive(Debug, Clone, PartialEq)]
pub struct LimiterRow {
    /// The limiter's name.
    pub name: String,
    /// Units admitted per `per`, to the whole fleet.
    pub rate: u32,
    /// The period of `rate`.
    pub per: Duration,
    /// Units that may go at once after a quiet spell.
    pub burst: u32,
    /// Processes that told their demand within the last 3 s.
    pub processes: u32,
    /// Their demand added up (units asked for lately, smoothed); the rate is shared by it.
    pub demand: f64,
}

/// A connection to one namespace of a fleet, for operators: reads every breaker, budget and
/// limiter the processes keep there, and orders breaker transitions that every process
/// applies within milliseconds.
///
/// ```no_run
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), retry_redis::AdminError> {
/// let admin = retry_redis::Admin::connect("redis://127.0.0.1:6379", "chat-service").await?;
/// for row in admin.breakers().await? {
///     println!("{} is {}", row.name, row.state);
/// }
/// # Ok(())
/// # }
/// ```
pub struct Admin {
    con: MultiplexedConnection,
    keys: Keys,
    scripts: Scripts,
    namespace: String,
    by: String,
}

impl fmt::Debug for Admin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Admin")
            .field("namespace", &self.namespace)
            .field("by", &self.by)
            .finish_non_exhaustive()
    }
}

impl Admin {
    /// Connects to the Redis at `url` (waiting at most 2 s, and 2 s for each reply later) for
    /// the fleet `namespace`.
    ///
    /// ```no_run
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// match retry_redis::Admin::connect("redis://127.0.0.1:6379", "default").await {
    ///     Ok(admin) => println!("connected to {}", admin.namespace()),
    ///     Err(e) => eprintln!("{e}"),
    /// }
    /// # }
    /// ```
    pub async fn connect(url: &str, namespace: &str) -> Result<Admin, AdminError> {
        let client = Client::open(url).map_err(|source| AdminError::BadUrl {
            url: redact(url),
            source,
        })?;
        let config = AsyncConnectionConfig::new()
            .set_connection_timeout(Some(TIMEOUT))
            .set_response_timeout(Some(TIMEOUT));
        let con = client
            .get_multiplexed_async_connection_with_config(&config)
            .await
            .map_err(|source| {
                // Refused, unknown host, no answer, or an answer not in Redis's protocol:
                // unreachable; an error Redis answered (a wrong password...): Redis's.
                let unreachable = source.is_io_error()
                    || source.is_timeout()
                    || source.is_connection_dropped()
                    || source.kind() == redis::ErrorKind::Parse;
                if unreachable {
                    AdminError::Unreachable {
                        url: redact(url),
                        source,
                    }
                } else {
                    AdminError::Redis(source)
                }
            })?;
        Ok(Admin {
            con,
            keys: Keys::new(namespace),
            scripts: Scripts::new(),
            namespace: namespace.to_owned(),
            by: format!("retry-fleet@{}", host_or_pid()),
        })
    }

    /// The namespace this admin reads and steers.
    ///
    /// ```no_run
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), retry_redis::AdminError> {
    /// let admin = retry_redis::Admin::connect("redis://127.0.0.1:6379", "chat-service").await?;
    /// assert_eq!(admin.namespace(), "chat-service");
    /// # Ok(())
    /// # }
    /// ```
    pub fn namespace(&self) -> &str {
        &self.namespace
    }

    /// Every breaker a process (or an operator) reported in the namespace, sorted by name.
    ///
    /// ```no_run
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), retry_redis::AdminError> {
    /// let admin = retry_redis::Admin::connect("redis://127.0.0.1:6379", "chat-service").await?;
    /// for row in admin.breakers().await? {
    ///     let left = row.open_for.map(|d| format!(", {d:?} left")).unwrap_or_default();
    ///     println!("{}: {} (generation {}){left}", row.name, row.state, row.generation);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub async fn breakers(&self) -> Result<Vec<BreakerRow>, AdminError> {
        let (names, now) = self.names_and_now(&self.keys.breakers()).await?;
        let mut pipe = redis::pipe();
        for name in &names {
            pipe.hgetall(self.keys.breaker(name))
                .hvals(self.keys.failures(name))
                .zcount(self.keys.probes(name), format!("({now}"), "+inf");
        }
        let mut replies = self.query::<Vec<Value>>(&pipe).await?.into_iter();
        let mut rows = Vec::with_capacity(names.len());
        for name in names {
            let (Some(state), Some(failures), Some(probes)) =
                (replies.next(), replies.next(), replies.next())
            else {
                break;
            };
            let state =
                HashMap::<String, String>::from_redis_value(state).map_err(RedisError::from)?;
            let failures = Vec::<String>::from_redis_value(failures).map_err(RedisError::from)?;
            let probes = u32::from_redis_value(probes).map_err(RedisError::from)?;
            rows.push(breaker_row(name, &state, &failures, probes, now));
        }
        Ok(rows)
    }

    /// Whether breaker `name` is in the namespace's set of breakers: a process reported it
    /// (or an operator already steered it).
    ///
    /// ```no_run
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), retry_redis::AdminError> {
    /// let admin = retry_redis::Admin::connect("redis://127.0.0.1:6379", "chat-service").await?;
    /// if !admin.has_breaker("payments").await? {
    ///     eprintln!("no process has reported breaker payments yet");
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub async fn has_breaker(&self, name: &str) -> Result<bool, AdminError> {
        Ok(redis::cmd("SISMEMBER")
            .arg(self.keys.breakers())
            .arg(name)
            .query_async(&mut self.con.clone())
            .await?)
    }

    /// Closes breaker `name` for the whole fleet, out of any state (forced ones included): its
    /// automatic life starts over, with a new generation, no pooled failures and no probes.
    /// A name no process has reported yet is created closed. Returns the new state.
    ///
    /// ```no_run
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), retry_redis::AdminError> {
    /// let admin = retry_redis::Admin::connect("redis://127.0.0.1:6379", "chat-service").await?;
    /// let row = admin.reset("payments").await?;
    /// assert_eq!(row.state, "closed");
    /// # Ok(())
    /// # }
    /// ```
    pub async fn reset(&self, name: &str) -> Result<BreakerRow, AdminError> {
        self.transition(name, State::Closed).await
    }

    /// Forces breaker `name` open in every process (`forced_open`: every call rejected) until a
    /// [`reset`](Admin::reset) or a [`close`](Admin::close). Returns the new state.
    ///
    /// ```no_run
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), retry_redis::AdminError> {
    /// let admin = retry_redis::Admin::connect("redis://127.0.0.1:6379", "chat-service").await?;
    /// let row = admin.open("payments").await?;
    /// assert_eq!(row.state, "forced_open");
    /// # Ok(())
    /// # }
    /// ```
    pub async fn open(&self, name: &str) -> Result<BreakerRow, AdminError> {
        self.transition(name, State::ForcedOpen).await
    }

    /// Forces breaker `name` closed in every process (`forced_closed`: every call admitted,
    /// failures not counted) until a [`reset`](Admin::reset) or an [`open`](Admin::open).
    /// Returns the new state.
    ///
    /// ```no_run
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), retry_redis::AdminError> {
    /// let admin = retry_redis::Admin::connect("redis://127.0.0.1:6379", "chat-service").await?;
    /// let row = admin.close("payments").await?;
    /// assert_eq!(row.state, "forced_closed");
    /// # Ok(())
    /// # }
    /// ```
    pub async fn close(&self, name: &str) -> Result<BreakerRow, AdminError> {
        self.transition(name, State::ForcedClosed).await
    }

    /// Every retry budget of the namespace, sorted by name. A budget no process used for
    /// twice its ttl and a minute has expired and is left out.
    ///
    /// ```no_run
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), retry_redis::AdminError> {
    /// let admin = retry_redis::Admin::connect("redis://127.0.0.1:6379", "chat-service").await?;
    /// for row in admin.budgets().await? {
    ///     println!("{}: {:.1} retries left", row.name, row.balance);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub async fn budgets(&self) -> Result<Vec<BudgetRow>, AdminError> {
        let (names, now) = self.names_and_now(&self.keys.budgets()).await?;
        let mut pipe = redis::pipe();
        for name in &names {
            pipe.hgetall(self.keys.budget(name));
        }
        let hashes = self.query::<Vec<HashMap<String, String>>>(&pipe).await?;
        Ok(names
            .into_iter()
            .zip(hashes)
            .filter_map(|(name, hash)| budget_row(name, &hash, now))
            .collect())
    }

    /// Every rate limiter of the namespace, sorted by name, with the processes that told
    /// their demand within the last 3 s.
    ///
    /// ```no_run
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), retry_redis::AdminError> {
    /// let admin = retry_redis::Admin::connect("redis://127.0.0.1:6379", "chat-service").await?;
    /// for row in admin.limiters().await? {
    ///     let (rate, per, n) = (row.rate, row.per, row.processes);
    ///     println!("{}: {rate} per {per:?}, shared by {n} processes", row.name);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub async fn limiters(&self) -> Result<Vec<LimiterRow>, AdminError> {
        let (names, now) = self.names_and_now(&self.keys.limiters()).await?;
        let mut pipe = redis::pipe();
        for name in &names {
            pipe.hgetall(self.keys.limiter(name))
                .hgetall(self.keys.demand(name));
        }
        let hashes = self.query::<Vec<HashMap<String, String>>>(&pipe).await?;
        let mut hashes = hashes.into_iter();
        let mut rows = Vec::with_capacity(names.len());
        for name in names {
            let (Some(config), Some(demand)) = (hashes.next(), hashes.next()) else {
                break;
            };
            rows.extend(limiter_row(name, &config, &demand, now));
        }
        Ok(rows)
    }

    /// The processes of the fleet alive now (a beat within the last 3 s), sorted.
    ///
    /// ```no_run
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), retry_redis::AdminError> {
    /// let admin = retry_redis::Admin::connect("redis://127.0.0.1:6379", "chat-service").await?;
    /// let members = admin.members().await?;
    /// println!("{} processes: {}", members.len(), members.join(", "));
    /// # Ok(())
    /// # }
    /// ```
    pub async fn members(&self) -> Result<Vec<String>, AdminError> {
        let mut pipe = redis::pipe();
        pipe.hgetall(self.keys.members()).cmd("TIME");
        let (beats, time): (HashMap<String, String>, (u64, u64)) = self.query(&pipe).await?;
        let now = server_ms(time);
        let mut live: Vec<String> = beats
            .into_iter()
            .filter(|(_, at)| at.trim().parse().is_ok_and(|at| is_live(at, now)))
            .map(|(pid, _)| pid)
            .collect();
        live.sort();
        Ok(live)
    }

    /// Runs `transition.lua` by hand (forced: it applies whatever the state and generation)
    /// and returns the state it wrote.
    async fn transition(&self, name: &str, to: State) -> Result<BreakerRow, AdminError> {
        let (state, generation, left_ms): (String, u64, u64) = self
            .scripts
            .transition
            .key(&self.keys.breaker_script_keys(name))
            .arg(self.keys.events())
            .arg(name)
            .arg(0) // the generation seen: any, a forced transition applies to every one
            .arg(state_mode(to))
            .arg(0) // open ms: none of the three opens with a deadline
            .arg(&self.by)
            .arg("1")
            .invoke_async(&mut self.con.clone())
            .await?;
        let open = state == "open" || state == "half_open";
        Ok(BreakerRow {
            name: name.to_owned(),
            state,
            generation,
            open_for: open.then(|| Duration::from_millis(left_ms)),
            pooled_failures: 0,
            probes: 0,
            changed_by: self.by.clone(),
            changed_ago: Some(Duration::ZERO),
        })
    }

    /// The members of the set `names`, sorted, and the server's clock (ms).
    async fn names_and_now(&self, names: &str) -> Result<(Vec<String>, u64), AdminError> {
        let mut pipe = redis::pipe();
        pipe.smembers(names).cmd("TIME");
        let (mut names, time): (Vec<String>, (u64, u64)) = self.query(&pipe).await?;
        names.sort();
        Ok((names, server_ms(time)))
    }

    /// Sends `pipe`; an empty one (a namespace with no names of a kind) is no replies, not
    /// the error Redis gives an empty command.
    async fn query<T: FromRedisValue>(&self, pipe: &redis::Pipeline) -> Result<T, AdminError> {
        if pipe.is_empty() {
            return Ok(T::from_redis_value(Value::Array(Vec::new())).map_err(RedisError::from)?);
        }
        Ok(pipe.query_async(&mut self.con.clone()).await?)
    }
}

/// A breaker's row from its state hash, its failures hash's values and its live probes.
fn breaker_row(
    name: String,
    state: &HashMap<String, String>,
    failures: &[String],
    probes: u32,
    now: u64,
) -> BreakerRow {
    let field = |f: &str| state.get(f).and_then(|v| v.parse::<u64>().ok());
    let mode = state
        .get("mode")
        .map_or("closed", String::as_str)
        .to_owned();
    let open = mode == "open" || mode == "half_open";
    BreakerRow {
        name,
        open_for: open
            .then(|| Duration::from_millis(field("deadline").unwrap_or(0).saturating_sub(now))),
        state: mode,
        generation: field("gen").unwrap_or(0),
        pooled_failures: failures
            .iter()
            .filter_map(|v| v.split_once(':')?.0.parse::<u32>().ok())
            .sum(),
        probes,
        changed_by: state.get("by").cloned().unwrap_or_default(),
        changed_ago: field("at").map(|at| Duration::from_millis(now.saturating_sub(at))),
    }
}

/// A budget's row from its hash; `None` for a hash that expired (or was never written).
fn budget_row(name: String, hash: &HashMap<String, String>, now: u64) -> Option<BudgetRow> {
    let ratio: f64 = hash.get("ratio")?.parse().ok()?;
    let min_per_sec: u32 = hash.get("min_per_sec")?.parse().ok()?;
    let ttl_ms: u64 = hash.get("ttl_ms")?.parse().ok()?;
    // As budget.lua counts: per tenth of ttl, the last ten tenths.
    let now_n = now / (ttl_ms / 10).max(1);
    let (mut deposits, mut withdrawals) = (0u64, 0i64);
    let counts = |tenth: &str| tenth.parse::<u64>().is_ok_and(|n| n + 10 > now_n);
    for (field, value) in hash {
        if field.strip_prefix('d').is_some_and(counts) {
            deposits += value.parse::<u64>().unwrap_or(0);
        } else if field.strip_prefix('w').is_some_and(counts) {
            withdrawals += value.parse::<i64>().unwrap_or(0);
        }
    }
    let ttl = Duration::from_millis(ttl_ms);
    Some(BudgetRow {
        name,
        ratio,
        min_per_sec,
        ttl,
        deposits,
        withdrawals,
        balance: ratio * deposits as f64 + f64::from(min_per_sec) * ttl.as_secs_f64()
            - withdrawals as f64,
    })
}

/// A limiter's row from its hash and its demand hash; `None` for a hash never written.
fn limiter_row(
    name: String,
    config: &HashMap<String, String>,
    demand: &HashMap<String, String>,
    now: u64,
) -> Option<LimiterRow> {
    let field = |f: &str| config.get(f)?.parse::<u64>().ok();
    let (mut processes, mut total) = (0u32, 0f64);
    for value in demand.values() {
        let Some((d, at)) = value.rsplit_once(':') else {
            continue;
        };
        let (Ok(d), Ok(at)) = (d.parse::<f64>(), at.parse::<u64>()) else {
            continue;
        };
        if is_live(at, now) {
            processes += 1;
            total += d;
        }
    }
    Some(LimiterRow {
        name,
        rate: u32::try_from(field("rate")?).ok()?,
        per: Duration::from_millis(field("per_ms")?),
        burst: u32::try_from(field("burst")?).ok()?,
        processes,
        demand: total,
    })
}

/// Whether something heard of at server ms `at` is still alive at `now`.
fn is_live(at: u64, now: u64) -> bool {
    now.saturating_sub(at) <= LIVE.as_millis() as u64
}

/// `TIME`'s reply (seconds, microseconds) as ms.
fn server_ms((secs, micros): (u64, u64)) -> u64 {
    secs * 1000 + micros / 1000
}

/// This machine's host name, else this process's id: who an operator's transitions are by.
fn host_or_pid() -> String {
    std::env::var("HOSTNAME")
        .ok()
        .or_else(|| std::fs::read_to_string("/proc/sys/kernel/hostname").ok())
        .or_else(|| std::fs::read_to_string("/etc/hostname").ok())
        .map(|h| h.trim().to_owned())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| format!("pid{}", std::process::id()))
}

/// `url` with the password of its user part, if any, replaced by `***`, fit for a message.
fn redact(url: &str) -> String {
    let start = url.find("://").map_or(0, |i| i + 3);
    let authority_end = url[start..].find('/').map_or(url.len(), |i| start + i);
    let Some(at) = url[start..authority_end].rfind('@').map(|i| start + i) else {
        return url.to_owned();
    };
    match url[start..at].find(':') {
        Some(colon) => format!("{}:***{}", &url[..start + colon], &url[at..]),
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hash(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn a_password_is_kept_out_of_messages() {
        assert_eq!(redact("redis://:s3cret@h:6379/0"), "redis://:***@h:6379/0");
        assert_eq!(redact("redis://me:s3cret@h"), "redis://me:***@h");
        assert_eq!(redact("redis://me@h:6379"), "redis://me@h:6379");
        assert_eq!(redact("redis://127.0.0.1:6379"), "redis://127.0.0.1:6379");
        assert_eq!(redact("unix:///tmp/r.sock"), "unix:///tmp/r.sock");
    }

    #[test]
    fn an_open_breaker_row() {
        let state = hash(&[
            ("mode", "open"),
            ("gen", "3"),
            ("deadline", "10500"),
            ("by", "host:7"),
            ("at", "9000"),
        ]);
        let failures = ["2:9990".to_owned(), "3:9995".to_owned(), "junk".to_owned()];
        let row = breaker_row("b".into(), &state, &failures, 1, 10_000);
        assert_eq!(row.state, "open");
        assert_eq!(row.generation, 3);
        assert_eq!(row.open_for, Some(Duration::from_millis(500)));
        assert_eq!(row.pooled_failures, 5);
        assert_eq!(row.probes, 1);
        assert_eq!(row.changed_by, "host:7");
        assert_eq!(row.changed_ago, Some(Duration::from_secs(1)));
        // A deadline passed: zero left, never negative.
        let row = breaker_row("b".into(), &state, &[], 0, 20_000);
        assert_eq!(row.open_for, Some(Duration::ZERO));
    }

    #[test]
    fn a_breaker_only_named_is_closed_at_generation_zero() {
        let row = breaker_row("b".into(), &HashMap::new(), &[], 0, 10_000);
        assert_eq!(row.state, "closed");
        assert_eq!(row.generation, 0);
        assert_eq!((row.open_for, row.changed_ago), (None, None));
        assert_eq!(row.changed_by, "");
    }

    #[test]
    fn a_budget_counts_the_last_ten_tenths_of_its_ttl() {
        // ttl 10 s: tenths of 1 s; now = 100.5 s, so tenth 100; tenths 91..=100 count.
        let h = hash(&[
            ("ratio", "0.5"),
            ("min_per_sec", "2"),
            ("ttl_ms", "10000"),
            ("at", "100500"),
            ("d100", "10"),
            ("d91", "4"),
            ("d90", "1000"),
            ("w100", "3"),
            ("w95", "-1"),
            ("w90", "1000"),
        ]);
        let row = budget_row("x".into(), &h, 100_500).unwrap();
        assert_eq!((row.deposits, row.withdrawals), (14, 2));
        assert_eq!(row.ttl, Duration::from_secs(10));
        assert_eq!(row.balance, 0.5 * 14.0 + 2.0 * 10.0 - 2.0);
        assert_eq!(budget_row("x".into(), &HashMap::new(), 0), None);
    }

    #[test]
    fn a_limiter_counts_live_processes_only() {
        let config = hash(&[("rate", "500"), ("per_ms", "60000"), ("burst", "20")]);
        let demand = hash(&[
            ("a", "2.5:9000"),
            ("b", "1e-05:7000"),
            ("c", "4:6999"),
            ("d", "bad"),
        ]);
        let row = limiter_row("l".into(), &config, &demand, 10_000).unwrap();
        assert_eq!((row.rate, row.burst), (500, 20));
        assert_eq!(row.per, Duration::from_secs(60));
        assert_eq!(row.processes, 2);
        assert!((row.demand - 2.50001).abs() < 1e-9);
    }
}
