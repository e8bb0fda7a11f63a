//! The fleet's breakers as this process syncs them: joining each (the fleet's state, or this
//! process's as the first), reporting transitions and runs of failures, claiming probe slots,
//! and applying what other processes published.
//!
//! A local transition is reported with the fleet generation it was made from; the script
//! applies it only to that generation, so two processes that open a breaker at once end with
//! one state (the first's), which the second then applies.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use retry_runtime::fleet;
use retry_runtime::State;

use std::sync::Arc;

use crate::conn::{Ctx, Lost};
use crate::scripts::{state_mode, FleetState};

/// A claim is asked for at most this often per breaker while callers keep asking.
const CLAIM_EVERY: Duration = Duration::from_millis(10);
/// A run of failures not refreshed for this long is a gone process's, and no longer pooled.
const STALE_RUN_MS: u64 = 30_000;
/// A rate-mode window is sent again at least this often, so the fleet does not count it stale.
const WINDOW_REFRESH: Duration = Duration::from_secs(1);
/// A window not refreshed for this long is a gone process's.
const STALE_WINDOW_MS: u64 = 3_000;

#[derive(Default)]
struct Known {
    /// The fleet generation last applied here (`None`: not joined in this session).
    gen: Option<u64>,
    /// The run of failures last reported (part of the fleet's pooled sum).
    reported: u32,
    /// Probe slots held in the current generation.
    slots: u32,
    last_claim: Option<Instant>,
    /// Rate mode: the window last sent (calls, failures), and when.
    window: (u64, u64),
    window_at: Option<Instant>,
}

/// Every breaker this process syncs, by full name.
#[derive(Default)]
pub(crate) struct Breakers {
    known: HashMap<String, Known>,
}

/// `(mode, gen, ms left)`: the state a script returns.
type Reply3 = (String, u64, u64);

impl Breakers {
    /// Joins every breaker of the process, or re-reads the fleet's state of those joined
    /// already (the net under a lost message).
    pub(crate) async fn join_all(&mut self, ctx: &mut Ctx) -> Result<(), Lost> {
        for name in fleet::breaker_names() {
            self.join(ctx, &name, true).await?;
        }
        Ok(())
    }

    /// Joins the breakers made since the last join (a quiet one is joined by no transition).
    pub(crate) async fn join_new(&mut self, ctx: &mut Ctx) -> Result<(), Lost> {
        for name in fleet::breaker_names() {
            if !self.joined(&name) {
                self.join(ctx, &name, true).await?;
            }
        }
        Ok(())
    }

    /// Joins `name`: reads the fleet's state (made from this process's if the fleet has
    /// none). `apply`: put it in force here; else only note its generation (a transition
    /// made here is about to be reported from it).
    async fn join(&mut self, ctx: &mut Ctx, name: &str, apply: bool) -> Result<(), Lost> {
        let Some(snap) = fleet::with_breaker(name, |b| b.snapshot()) else {
            return Ok(());
        };
        let left = snap.retry_in.unwrap_or_default().as_millis() as u64;
        let scripts = Arc::clone(&ctx.scripts);
        let mut inv = scripts.join.prepare_invoke();
        inv.key(ctx.keys.breaker(name))
            .key(ctx.keys.breakers())
            .arg(name)
            .arg(state_mode(snap.state))
            .arg(left)
            .arg(&ctx.pid);
        let (mode, gen, left): Reply3 = ctx.eval(&inv).await?;
        let joined = self.joined(name);
        if !apply {
            fleet::with_breaker(name, |b| b.fleet_probe_slots(0));
            let known = self.known.entry(name.to_owned()).or_default();
            known.gen = Some(gen);
            known.slots = 0;
            return Ok(());
        }
        if let Some(fs) = FleetState::from_reply(&mode, gen, left) {
            self.apply(name, &fs);
        }
        if !joined && snap.state == State::Closed && snap.consecutive_failures > 0 {
            self.report(ctx, name, snap.consecutive_failures).await?;
        }
        Ok(())
    }

    fn joined(&self, name: &str) -> bool {
        self.known.get(name).is_some_and(|k| k.gen.is_some())
    }

    /// Applies a state published on the events channel: only a newer generation than the one
    /// applied last (a message published before a script whose reply was applied may arrive
    /// after it).
    fn apply_event(&mut self, name: &str, fs: &FleetState) {
        if self
            .known
            .get(name)
            .and_then(|k| k.gen)
            .is_some_and(|g| fs.gen <= g)
        {
            return;
        }
        self.apply(name, fs);
    }

    /// Applies the fleet's state of `name` read by a script (the state at that moment), if
    /// it is of another generation than the one applied last.
    pub(crate) fn apply(&mut self, name: &str, fs: &FleetState) {
        let known = self.known.entry(name.to_owned()).or_default();
        if known.gen == Some(fs.gen) {
            return;
        }
        let found = fleet::with_breaker(name, |b| {
            b.fleet_apply(fs.state, fs.left);
            b.fleet_pool(0);
            b.fleet_pool_window(0, 0);
            b.fleet_probe_slots(0);
        });
        if found.is_some() {
            known.gen = Some(fs.gen);
            known.reported = 0;
            known.slots = 0;
        }
    }

    /// A message of the events channel.
    pub(crate) fn on_event(&mut self, payload: &str) {
        let mut parts = payload.splitn(5, '\n');
        match parts.next() {
            Some("b") => {
                let (Some(mode), Some(gen), Some(left), Some(name)) =
                    (parts.next(), parts.next(), parts.next(), parts.next())
                else {
                    return;
                };
                let (Ok(gen), Ok(left)) = (gen.parse(), left.parse()) else {
                    return;
                };
                if !self.known.contains_key(name) && fleet::with_breaker(name, |_| ()).is_none() {
                    return; // not a breaker of this process
                }
                if let Some(fs) = FleetState::from_reply(mode, gen, left) {
                    self.apply_event(name, &fs);
                }
            }
            Some("p") => {
                let mut parts = payload[2..].splitn(3, '\n');
                let (Some(gen), Some(sum), Some(name)) = (parts.next(), parts.next(), parts.next())
                else {
                    return;
                };
                let (Ok(gen), Ok(sum)) = (gen.parse::<u64>(), sum.parse::<u32>()) else {
                    return;
                };
                if let Some(known) = self.known.get(name) {
                    if known.gen == Some(gen) {
                        let others = sum.saturating_sub(known.reported);
                        fleet::with_breaker(name, |b| b.fleet_pool(others));
                    }
                }
            }
            _ => {}
        }
    }

    /// A transition here: reported, and the fleet's state applied back.
    pub(crate) async fn changed(
        &mut self,
        ctx: &mut Ctx,
        name: &str,
        from: State,
        to: State,
        open_for: Option<Duration>,
    ) -> Result<(), Lost> {
        if !self.joined(name) {
            // A breaker made since the last join.
            self.join(ctx, name, false).await?;
        }
        let (to_mode, forced) = match (from, to) {
            (_, State::HalfOpen) => return Ok(()), // the fleet's half-open is its claims
            (State::HalfOpen, State::Closed) => ("closed", false),
            (_, State::Open) => ("open", false),
            (_, State::Closed) => ("closed", true), // a reset by hand
            (_, State::ForcedOpen) => ("forced_open", true),
            (_, State::ForcedClosed) => ("forced_closed", true),
        };
        let open_ms = open_for.map_or(0, |d| d.as_millis() as u64);
        let seen = self.known[name].gen.unwrap_or(0);
        let scripts = Arc::clone(&ctx.scripts);
        let mut inv = scripts.transition.prepare_invoke();
        inv.key(&ctx.keys.breaker_script_keys(name))
            .arg(ctx.keys.events())
            .arg(name)
            .arg(seen)
            .arg(to_mode)
            .arg(open_ms)
            .arg(&ctx.pid)
            .arg(if forced { "1" } else { "0" });
        let (mode, gen, left): Reply3 = ctx.eval(&inv).await?;
        if let Some(fs) = FleetState::from_reply(&mode, gen, left) {
            self.apply(name, &fs);
        }
        Ok(())
    }

    /// A closed breaker's run of failures here: pooled with the fleet's.
    pub(crate) async fn failures(
        &mut self,
        ctx: &mut Ctx,
        name: &str,
        streak: u32,
    ) -> Result<(), Lost> {
        let Some(config) = fleet::with_breaker(name, |b| *b.config()) else {
            return Ok(());
        };
        if config.get_failure_rate().is_some() {
            return Ok(()); // rate mode shares its transitions only
        }
        if !self.joined(name) {
            self.join(ctx, name, false).await?;
        }
        self.report(ctx, name, streak).await
    }

    /// Reports a joined breaker's run of failures.
    async fn report(&mut self, ctx: &mut Ctx, name: &str, streak: u32) -> Result<(), Lost> {
        let Some(config) = fleet::with_breaker(name, |b| *b.config()) else {
            return Ok(());
        };
        let scripts = Arc::clone(&ctx.scripts);
        let mut inv = scripts.failures.prepare_invoke();
        inv.key(&ctx.keys.breaker_script_keys(name))
            .arg(ctx.keys.events())
            .arg(name)
            .arg(&ctx.pid)
            .arg(streak)
            .arg(config.get_failure_threshold())
            .arg(config.get_reset_timeout().as_millis() as u64)
            .arg(&ctx.pid)
            .arg(STALE_RUN_MS);
        let (mode, gen, left, sum): (String, u64, u64, u32) = ctx.eval(&inv).await?;
        let Some(fs) = FleetState::from_reply(&mode, gen, left) else {
            return Ok(());
        };
        let known = self.known.entry(name.to_owned()).or_default();
        if known.gen == Some(fs.gen) && fs.state == State::Closed {
            known.reported = streak;
            let others = sum.saturating_sub(streak);
            fleet::with_breaker(name, |b| b.fleet_pool(others));
        } else {
            self.apply(name, &fs);
        }
        Ok(())
    }

    /// Rate mode: each joined, closed breaker's window (calls and failures) sent when it
    /// changed, and the other processes' windows pooled into it.
    pub(crate) async fn windows(&mut self, ctx: &mut Ctx) -> Result<(), Lost> {
        let names: Vec<String> = self
            .known
            .iter()
            .filter(|(_, k)| k.gen.is_some())
            .map(|(n, _)| n.clone())
            .collect();
        for name in names {
            let Some((config, snap)) = fleet::with_breaker(&name, |b| (*b.config(), b.snapshot()))
            else {
                continue;
            };
            let Some(rate) = config.get_failure_rate() else {
                continue;
            };
            if snap.state != State::Closed {
                continue;
            }
            let mine = (snap.window_calls, snap.window_failures);
            let known = self.known.entry(name.clone()).or_default();
            let fresh = known
                .window_at
                .is_some_and(|t| t.elapsed() < WINDOW_REFRESH);
            if known.window == mine && fresh {
                continue;
            }
            known.window = mine;
            known.window_at = Some(Instant::now());
            let scripts = Arc::clone(&ctx.scripts);
            let mut inv = scripts.window.prepare_invoke();
            inv.key(ctx.keys.breaker(&name))
                .key(ctx.keys.windows(&name))
                .key(ctx.keys.probes(&name))
                .key(ctx.keys.breakers())
                .key(ctx.keys.failures(&name))
                .arg(ctx.keys.events())
                .arg(&name)
                .arg(&ctx.pid)
                .arg(mine.0)
                .arg(mine.1)
                .arg(rate)
                .arg(config.get_min_calls())
                .arg(config.get_reset_timeout().as_millis() as u64)
                .arg(&ctx.pid)
                .arg(STALE_WINDOW_MS);
            let (mode, gen, left, calls, failures): (String, u64, u64, u64, u64) =
                ctx.eval(&inv).await?;
            let Some(fs) = FleetState::from_reply(&mode, gen, left) else {
                continue;
            };
            let known = self.known.entry(name.clone()).or_default();
            if known.gen == Some(fs.gen) && fs.state == State::Closed {
                fleet::with_breaker(&name, |b| {
                    b.fleet_pool_window(
                        calls.saturating_sub(mine.0),
                        failures.saturating_sub(mine.1),
                    )
                });
            } else {
                self.apply(&name, &fs);
            }
        }
        Ok(())
    }

    /// An open breaker past its deadline wants a probe slot: claimed fleet-wide.
    pub(crate) async fn claim(&mut self, ctx: &mut Ctx, name: &str) -> Result<(), Lost> {
        let Some(config) = fleet::with_breaker(name, |b| *b.config()) else {
            return Ok(());
        };
        if !self.joined(name) {
            self.join(ctx, name, true).await?;
        }
        let Some(known) = self.known.get_mut(name) else {
            return Ok(());
        };
        if known.slots > 0 || known.last_claim.is_some_and(|t| t.elapsed() < CLAIM_EVERY) {
            return Ok(());
        }
        known.last_claim = Some(Instant::now());
        let ttl = config.get_reset_timeout().max(Duration::from_secs(1));
        let scripts = Arc::clone(&ctx.scripts);
        let mut inv = scripts.claim.prepare_invoke();
        inv.key(ctx.keys.breaker(name))
            .key(ctx.keys.probes(name))
            .arg(&ctx.pid)
            .arg(config.get_half_open_max_calls())
            .arg(ttl.as_millis() as u64);
        let (mode, gen, left, mine): (String, u64, u64, u32) = ctx.eval(&inv).await?;
        let Some(fs) = FleetState::from_reply(&mode, gen, left) else {
            return Ok(());
        };
        let known = self.known.entry(name.to_owned()).or_default();
        if known.gen != Some(fs.gen) {
            self.apply(name, &fs);
        }
        let known = self.known.entry(name.to_owned()).or_default();
        if fs.state == State::HalfOpen && mine > 0 && known.gen == Some(fs.gen) {
            known.slots = mine;
            fleet::with_breaker(name, |b| b.fleet_probe_slots(mine));
        }
        Ok(())
    }

    /// The session ended: every breaker goes on alone, and joins afresh in the next one.
    pub(crate) fn release(&mut self) {
        for (name, known) in &mut self.known {
            fleet::with_breaker(name, |b| b.fleet_release());
            known.gen = None;
            known.slots = 0;
        }
    }

    /// Leaving the fleet: this process's runs of failures are taken out of the pools.
    pub(crate) async fn leave(&mut self, ctx: &mut Ctx) -> Result<(), Lost> {
        let reported: Vec<String> = self
            .known
            .iter()
            .filter(|(_, k)| k.reported > 0 && k.gen.is_some())
            .map(|(n, _)| n.clone())
            .collect();
        for name in reported {
            self.failures(ctx, &name, 0).await?;
        }
        Ok(())
    }
}
