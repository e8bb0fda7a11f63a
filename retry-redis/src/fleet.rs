//! `Fleet`, its builder and its status: the handle that starts the sync task, installs the
//! runtime's fleet link, and leaves the fleet when shut down or dropped.

use std::sync::atomic::Ordering;
use std::sync::{Arc, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use retry_runtime::fleet;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::keys::Keys;
use crate::link::Link;
use crate::sync::{self, Settings, Shared};

/// Why a fleet did not start. An unreachable Redis is not one of them: the fleet starts
/// disconnected and joins when Redis answers.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FleetError {
    /// The Redis URL is malformed.
    #[error("malformed Redis URL {url:?}: {reason}")]
    BadUrl {
        /// The URL given.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The namespace is empty or holds a character that would make keys ambiguous.
    #[error("bad fleet namespace {0:?}: use letters, digits, '-', '_' or '.'")]
    BadNamespace(String),
    /// A fleet is already running in this process (one per process: every breaker, budget and
    /// limiter of the process joins it).
    #[error("a fleet is already running in this process")]
    AlreadyRunning,
    /// `start` was called outside a tokio runtime.
    #[error("Fleet::start needs a tokio runtime to spawn its sync task on")]
    NoRuntime,
}

/// Builds a [`Fleet`]: `Fleet::builder(url).namespace(ns).start().await`.
#[derive(Debug, Clone)]
pub struct FleetBuilder {
    url: String,
    namespace: String,
    tick: Duration,
    timeout: Duration,
}

impl FleetBuilder {
    /// The namespace shared by the processes of one fleet (default `"default"`): processes on
    /// the same Redis with different namespaces share nothing.
    pub fn namespace(mut self, namespace: impl Into<String>) -> Self {
        self.namespace = namespace.into();
        self
    }

    /// How often budgets send their deposits and limiters their demand (default 100 ms).
    pub fn tick(mut self, tick: Duration) -> Self {
        self.tick = tick.max(Duration::from_millis(1));
        self
    }

    /// How long the sync task waits for any one Redis request before it counts Redis as gone
    /// (default 500 ms). Callers never wait on Redis whatever this is.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout.max(Duration::from_millis(1));
        self
    }

    /// Starts the fleet: spawns its sync task on the current tokio runtime and installs the
    /// runtime's fleet link. Returns at once; an unreachable Redis is not an error (the fleet
    /// joins when it answers, see [`Fleet::status`]).
    ///
    /// ```no_run
    /// # async fn demo() -> Result<(), retry_redis::FleetError> {
    /// let fleet = retry_redis::Fleet::builder("redis://127.0.0.1:6379")
    ///     .namespace("chat-service")
    ///     .start()
    ///     .await?;
    /// println!("{:?}", fleet.status());
    /// fleet.shutdown().await;
    /// # Ok(()) }
    /// ```
    pub async fn start(self) -> Result<Fleet, FleetError> {
        let client = redis::Client::open(self.url.as_str()).map_err(|e| FleetError::BadUrl {
            url: self.url.clone(),
            reason: e.to_string(),
        })?;
        let ns_ok = !self.namespace.is_empty()
            && self
                .namespace
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
        if !ns_ok {
            return Err(FleetError::BadNamespace(self.namespace));
        }
        let runtime = tokio::runtime::Handle::try_current().map_err(|_| FleetError::NoRuntime)?;
        let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
        fleet::install(Arc::new(Link { tx })).map_err(|_| FleetError::AlreadyRunning)?;
        let shared = Arc::new(Shared::new());
        let (stop, stopped) = watch::channel(false);
        let settings = Settings {
            client,
            url: self.url,
            keys: Keys::new(&self.namespace),
            pid: process_id(),
            tick: self.tick,
            timeout: self.timeout,
        };
        let task = runtime.spawn(sync::run(settings, Arc::clone(&shared), rx, stopped));
        Ok(Fleet {
            shared,
            namespace: self.namespace,
            stop,
            task: Some(task),
        })
    }
}

/// This process's name in the fleet: host, pid and a start stamp (so a restarted process
/// with a reused pid is another member).
fn process_id() -> String {
    let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "host".into());
    let stamp = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_micros() % 1_000_000_000);
    format!("{host}:{}:{stamp}", std::process::id())
}

/// A running fleet: every breaker, retry budget and rate limiter of the process shares its
/// state with the other processes on the same Redis and namespace. Dropping it (or
/// [`shutdown`](Self::shutdown)) leaves the fleet cleanly: the process's objects go on alone.
#[derive(Debug)]
pub struct Fleet {
    shared: Arc<Shared>,
    namespace: String,
    stop: watch::Sender<bool>,
    task: Option<JoinHandle<()>>,
}

/// A fleet's connection, as [`Fleet::status`] reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FleetStatus {
    /// Whether the sync task is connected to Redis and has joined the fleet's state.
    pub connected: bool,
    /// The fleet's namespace.
    pub namespace: String,
    /// How long ago the state was last exchanged with Redis (`None`: never).
    pub last_sync: Option<Duration>,
}

impl Fleet {
    /// A builder for a fleet on the Redis at `url` (`redis://host:port[/db]`).
    ///
    /// ```
    /// let builder = retry_redis::Fleet::builder("redis://127.0.0.1:6379").namespace("docs");
    /// # let _ = builder;
    /// ```
    pub fn builder(url: impl Into<String>) -> FleetBuilder {
        FleetBuilder {
            url: url.into(),
            namespace: "default".into(),
            tick: Duration::from_millis(100),
            timeout: Duration::from_millis(500),
        }
    }

    /// The fleet's connection now.
    pub fn status(&self) -> FleetStatus {
        let last = *self
            .shared
            .last_sync
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        FleetStatus {
            connected: self.shared.connected.load(Ordering::Acquire),
            namespace: self.namespace.clone(),
            last_sync: last.map(|t| t.elapsed()),
        }
    }

    /// Leaves the fleet and waits for the sync task to finish (its last requests are bounded
    /// by the timeout): this process's runs of failures, demand and unspent tokens are taken
    /// out of the fleet's, and its objects go on alone.
    pub async fn shutdown(mut self) {
        fleet::uninstall();
        let _ = self.stop.send(true);
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for Fleet {
    fn drop(&mut self) {
        if self.task.is_some() {
            fleet::uninstall();
            // The task leaves the fleet on its own, if its runtime still runs.
            let _ = self.stop.send(true);
        }
    }
}
