//! The sync task: one per fleet, on the tokio runtime that started it. It connects, joins
//! every breaker, budget and limiter of the process, then serves three sources until told to
//! stop: what this process's objects tell the link, what other processes publish, and a tick
//! (budget exchanges, limiter shares, rate windows), joining new breakers every second and
//! re-reading every breaker's state every ten. When Redis goes away,
//! answers too slowly or refuses a request, every object is handed back its local behaviour,
//! one warning is logged, and the task reconnects with backoff (capped at 250 ms, so the fleet
//! is rejoined within a second of Redis coming back).

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use redis::aio::MultiplexedConnection;
use redis::AsyncConnectionConfig;
use tokio::sync::mpsc::UnboundedReceiver;
use tokio::sync::watch;

use crate::breakers::Breakers;
use crate::budgets::Budgets;
use crate::conn::{Ctx, Lost};
use crate::keys::Keys;
use crate::limiters::Limiters;
use crate::link::Told;
use crate::scripts::Scripts;

const BACKOFF_MIN: Duration = Duration::from_millis(25);
const BACKOFF_MAX: Duration = Duration::from_millis(250);
/// New breakers are joined, and this process's beat sent, this often.
const RESYNC_EVERY: Duration = Duration::from_secs(1);
/// Every this many beats, every breaker's state is read again: the net under a message lost
/// while connected (pub/sub delivers at most once).
const REREAD_EVERY: u32 = 10;

/// What the task and the `Fleet` handle share.
#[derive(Debug)]
pub(crate) struct Shared {
    pub(crate) connected: AtomicBool,
    pub(crate) last_sync: Mutex<Option<Instant>>,
}

impl Shared {
    pub(crate) fn new() -> Self {
        Shared {
            connected: AtomicBool::new(false),
            last_sync: Mutex::new(None),
        }
    }

    fn synced(&self) {
        *self
            .last_sync
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = Some(Instant::now());
    }
}

/// The task's fixed settings.
pub(crate) struct Settings {
    pub(crate) client: redis::Client,
    pub(crate) url: String,
    pub(crate) keys: Keys,
    pub(crate) pid: String,
    pub(crate) tick: Duration,
    pub(crate) timeout: Duration,
}

/// The state the task keeps across sessions.
#[derive(Default)]
struct Synced {
    breakers: Breakers,
    budgets: Budgets,
    limiters: Limiters,
}

impl Synced {
    fn release(&mut self) {
        self.breakers.release();
        self.budgets.release();
        self.limiters.release();
    }
}

/// However the task ends (stopped, its runtime shut down under it, a panic), every breaker,
/// budget and limiter goes back to its own behaviour: none is left waiting for a probe slot,
/// a lease or a share that no task will bring.
impl Drop for Synced {
    fn drop(&mut self) {
        self.release();
    }
}

/// Runs until `stop` turns true (or the `Fleet` is gone), then leaves the fleet.
pub(crate) async fn run(
    settings: Settings,
    shared: Arc<Shared>,
    mut told: UnboundedReceiver<Told>,
    mut stop: watch::Receiver<bool>,
) {
    let mut synced = Synced::default();
    let mut backoff = BACKOFF_MIN;
    let mut down_since: Option<Instant> = None;
    loop {
        if *stop.borrow() {
            break;
        }
        match connect(&settings).await {
            Ok((conn, pubsub)) => {
                let mut ctx = Ctx {
                    conn,
                    keys: settings.keys.clone(),
                    scripts: Arc::new(Scripts::new()),
                    pid: settings.pid.clone(),
                    timeout: settings.timeout,
                };
                let outcome = session(
                    &settings,
                    &mut ctx,
                    pubsub,
                    &mut told,
                    &mut stop,
                    &shared,
                    &mut synced,
                    &mut down_since,
                )
                .await;
                match outcome {
                    Ok(()) => {
                        leave(&mut ctx, &mut synced).await;
                        shared.connected.store(false, Ordering::Release);
                        synced.release();
                        return;
                    }
                    Err(lost) => {
                        shared.connected.store(false, Ordering::Release);
                        synced.release();
                        went_down(&settings, &mut down_since, &lost);
                    }
                }
                backoff = BACKOFF_MIN;
            }
            Err(lost) => went_down(&settings, &mut down_since, &lost),
        }
        // Down: wait out the backoff, keeping the link's queue drained.
        let until = tokio::time::Instant::now() + backoff;
        loop {
            tokio::select! {
                _ = tokio::time::sleep_until(until) => break,
                changed = stop.changed() => {
                    if changed.is_err() || *stop.borrow() {
                        synced.release();
                        return;
                    }
                }
                msg = told.recv() => {
                    if msg.is_none() {
                        synced.release();
                        return;
                    }
                }
            }
        }
        backoff = (backoff * 2).min(BACKOFF_MAX);
    }
    synced.release();
}

/// The one warning of an outage (and nothing more until it ends).
fn went_down(settings: &Settings, down_since: &mut Option<Instant>, lost: &Lost) {
    if down_since.is_none() {
        *down_since = Some(Instant::now());
        tracing::warn!(
            target: "retry_redis",
            redis = %settings.url,
            error = %lost.0,
            "fleet: Redis is unreachable; breakers, budgets and limiters go on with local state \
             and rejoin the fleet when it is back"
        );
    }
}

type PubSubStream = std::pin::Pin<Box<dyn futures_util::Stream<Item = redis::Msg> + Send>>;

async fn connect(settings: &Settings) -> Result<(MultiplexedConnection, PubSubStream), Lost> {
    let config = AsyncConnectionConfig::new()
        .set_connection_timeout(Some(settings.timeout))
        .set_response_timeout(Some(settings.timeout));
    let conn = settings
        .client
        .get_multiplexed_async_connection_with_config(&config)
        .await?;
    let mut pubsub = tokio::time::timeout(settings.timeout, settings.client.get_async_pubsub())
        .await
        .map_err(|_| Lost("Redis did not accept a subscription in time".into()))??;
    tokio::time::timeout(settings.timeout, pubsub.subscribe(settings.keys.events()))
        .await
        .map_err(|_| Lost("Redis did not accept a subscription in time".into()))??;
    Ok((conn, Box::pin(pubsub.into_on_message())))
}

#[allow(clippy::too_many_arguments)]
async fn session(
    settings: &Settings,
    ctx: &mut Ctx,
    mut events: PubSubStream,
    told: &mut UnboundedReceiver<Told>,
    stop: &mut watch::Receiver<bool>,
    shared: &Shared,
    synced: &mut Synced,
    down_since: &mut Option<Instant>,
) -> Result<(), Lost> {
    synced.breakers.join_all(ctx).await?;
    synced.budgets.exchange_all(ctx, None).await?;
    synced.limiters.share_all(ctx).await?;
    beat(ctx).await?;
    shared.connected.store(true, Ordering::Release);
    shared.synced();
    if let Some(since) = down_since.take() {
        tracing::info!(
            target: "retry_redis",
            redis = %settings.url,
            down_ms = since.elapsed().as_millis() as u64,
            "fleet: Redis is back; rejoined the fleet"
        );
    }
    let mut tick = tokio::time::interval(settings.tick);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut resync = tokio::time::interval(RESYNC_EVERY);
    resync.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut beats = 0u32;
    let mut batch = Vec::new();
    loop {
        tokio::select! {
            biased;
            changed = stop.changed() => {
                if changed.is_err() || *stop.borrow() {
                    return Ok(());
                }
            }
            msg = events.next() => {
                let Some(msg) = msg else {
                    return Err(Lost("the subscription to the fleet's events closed".into()));
                };
                if let Ok(payload) = msg.get_payload::<String>() {
                    synced.breakers.on_event(&payload);
                }
            }
            n = told.recv_many(&mut batch, 512) => {
                if n == 0 {
                    return Ok(());
                }
                serve(ctx, synced, &mut batch).await?;
            }
            _ = tick.tick() => {
                synced.breakers.windows(ctx).await?;
                synced.budgets.exchange_all(ctx, None).await?;
                synced.limiters.share_all(ctx).await?;
                shared.synced();
            }
            _ = resync.tick() => {
                beats = beats.wrapping_add(1);
                if beats.is_multiple_of(REREAD_EVERY) {
                    synced.breakers.join_all(ctx).await?;
                } else {
                    synced.breakers.join_new(ctx).await?;
                }
                beat(ctx).await?;
                shared.synced();
            }
        }
    }
}

/// Serves what the link was told, in order, skipping what a later message makes moot: a run
/// of failures followed by another of the same breaker, a second want of the same slot or
/// budget.
async fn serve(ctx: &mut Ctx, synced: &mut Synced, batch: &mut Vec<Told>) -> Result<(), Lost> {
    let mut seen_failures: HashSet<String> = HashSet::new();
    let mut seen_wants: HashSet<String> = HashSet::new();
    let mut keep = vec![true; batch.len()];
    for (i, told) in batch.iter().enumerate().rev() {
        keep[i] = match told {
            Told::Failures { name, .. } => seen_failures.insert(name.clone()),
            Told::Changed { name, .. } => {
                seen_failures.insert(name.clone());
                true
            }
            Told::ProbeWanted { name } => seen_wants.insert(format!("p{name}")),
            Told::BudgetWanted { name } => seen_wants.insert(format!("b{name}")),
        };
    }
    for (told, keep) in batch.drain(..).zip(keep) {
        if !keep {
            continue;
        }
        match told {
            Told::Changed {
                name,
                from,
                to,
                open_for,
            } => {
                synced
                    .breakers
                    .changed(ctx, &name, from, to, open_for)
                    .await?
            }
            Told::Failures { name, streak } => synced.breakers.failures(ctx, &name, streak).await?,
            Told::ProbeWanted { name } => synced.breakers.claim(ctx, &name).await?,
            Told::BudgetWanted { name } => synced.budgets.wanted(ctx, &name).await?,
        }
    }
    Ok(())
}

/// This process is alive (for `retry-fleet` and the shares' notion of who is live).
async fn beat(ctx: &mut Ctx) -> Result<(), Lost> {
    let time: (u64, u64) = ctx.query(&redis::cmd("TIME")).await?;
    let ms = time.0 * 1000 + time.1 / 1000;
    let cmd = redis::cmd("HSET")
        .arg(ctx.keys.members())
        .arg(&ctx.pid)
        .arg(ms)
        .clone();
    ctx.query::<()>(&cmd).await
}

/// Leaving cleanly: this process's runs of failures, demand, unspent tokens and membership
/// taken out, each bounded by the timeout.
async fn leave(ctx: &mut Ctx, synced: &mut Synced) {
    let _ = synced.breakers.leave(ctx).await;
    let _ = synced.budgets.leave(ctx).await;
    let _ = synced.limiters.leave(ctx).await;
    let cmd = redis::cmd("HDEL")
        .arg(ctx.keys.members())
        .arg(&ctx.pid)
        .clone();
    let _ = ctx.query::<()>(&cmd).await;
}
