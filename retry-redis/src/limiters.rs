//! The fleet's rate limiters as this process syncs them.
//!
//! # Design and bound
//!
//! Each process keeps its own GCRA limiter, so an admission never waits on Redis; what the
//! fleet shares is the rate. Every tick each process reports its demand (units admitted,
//! refused and waiting over the last tick, per second, smoothed) and Redis answers with its
//! share, `rate × (demand + 1) / Σ(demand + 1)` over the live processes, which the process puts
//! in force with `set_rate`. The shares of one moment add up to the fleet's rate, so a limiter
//! of 500 a minute admits about 500 a minute to the whole fleet, shared by demand.
//!
//! The bound: over any interval `t`, the fleet admits at most `rate × t / per` plus each
//! process's `burst` (which every process keeps, so `processes × burst` after an idle spell),
//! plus the drift of shares computed at slightly different moments (one tick's worth of the
//! change in each process's share). A share that grows is put in force a tick after Redis
//! first answered it, once the shares that shrank to make room are in force: without that,
//! a fleet whose demands all rise at once (a start, a burst of traffic) briefly holds shares
//! adding up to several times the rate. Redis holds the shares (and the first process's
//! configuration); it does not hold a GCRA state of its own: a central GCRA would make every
//! admission wait on a round trip, which the fleet's contract forbids.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use retry_runtime::{limiter, limiters};

use std::sync::Arc;

use crate::conn::{Ctx, Lost};

/// A process not heard of for this long has left the limiter's shares.
const STALE_MS: u64 = 3_000;

struct Synced {
    /// The rate and period the limiter had before the fleet shared it.
    own: (u32, Duration),
    burst: u32,
    /// The limiter's clock and schedule at the last tick, and when that was.
    last: (Duration, Duration, Instant),
    refused: u64,
    /// Units per second asked for lately (smoothed).
    demand: f64,
    /// The share in force, units per `own.1`.
    share: Option<f64>,
    /// The share Redis answered at the last tick.
    answered: Option<f64>,
}

/// Every limiter this process syncs, by name.
#[derive(Default)]
pub(crate) struct Limiters {
    synced: HashMap<&'static str, Synced>,
}

impl Limiters {
    /// One report and share per limiter.
    pub(crate) async fn share_all(&mut self, ctx: &mut Ctx) -> Result<(), Lost> {
        for snap in limiters() {
            let Some(l) = limiter(snap.name) else {
                continue;
            };
            let (now, tat) = l.fleet_clock();
            let s = self.synced.entry(snap.name).or_insert_with(|| Synced {
                own: (snap.rate, snap.per),
                burst: snap.burst,
                last: (now, tat, Instant::now()),
                refused: snap.refused,
                demand: 0.0,
                share: None,
                answered: None,
            });
            // Units admitted since the last tick, from how far the schedule moved.
            let interval = snap.per.as_secs_f64() / f64::from(snap.rate.max(1));
            let (now0, tat0, at0) = s.last;
            let moved = tat.saturating_sub(tat0.max(now0)).as_secs_f64();
            let admitted = moved / interval;
            let refused = snap.refused.saturating_sub(s.refused) as f64;
            let elapsed = at0.elapsed().as_secs_f64().max(1e-3);
            let asked = (admitted + refused + snap.waiting as f64) / elapsed;
            s.demand = if s.share.is_none() {
                asked
            } else {
                0.5 * s.demand + 0.5 * asked
            };
            s.last = (now, tat, Instant::now());
            s.refused = snap.refused;
            let (rate, per) = s.own;
            let scripts = Arc::clone(&ctx.scripts);
            let mut inv = scripts.share.prepare_invoke();
            inv.key(ctx.keys.limiter(snap.name))
                .key(ctx.keys.demand(snap.name))
                .key(ctx.keys.limiters())
                .arg(snap.name)
                .arg(&ctx.pid)
                .arg(format!("{:.3}", s.demand))
                .arg(rate)
                .arg(per.as_millis() as u64)
                .arg(s.burst)
                .arg(STALE_MS);
            let (share, _live, _per_ms): (String, u32, u64) = ctx.eval(&inv).await?;
            let Ok(share) = share.parse::<f64>() else {
                continue;
            };
            // A share that grows is put in force a tick late: the answer was computed from
            // the others' demands of up to a tick ago, and the others whose shares shrink
            // meanwhile must have put that in force first, or the shares add up to more than
            // the rate (all of a fleet's demands rising at once would admit several times it).
            let share = match s.answered.replace(share) {
                Some(before) => share.min(before),
                None => share,
            };
            let changed = s.share.is_none_or(|old| (old - share).abs() > old * 0.01);
            if changed {
                // `share` units per `per`, as whole units per 1000 × `per` (or per `per` when
                // that many units would not fit a `u32`).
                let (units, over) = if share * 1000.0 <= f64::from(u32::MAX) {
                    (share * 1000.0, per * 1000)
                } else {
                    (share, per)
                };
                let units = units.round().clamp(1.0, f64::from(u32::MAX)) as u32;
                if l.set_rate(units, over).is_ok() {
                    s.share = Some(share);
                }
            }
        }
        Ok(())
    }

    /// The session ended: every limiter goes back to its own rate.
    pub(crate) fn release(&mut self) {
        for (name, s) in &mut self.synced {
            if s.share.take().is_some() {
                if let Some(l) = limiter(name) {
                    let _ = l.set_rate(s.own.0, s.own.1);
                }
            }
        }
    }

    /// Leaving the fleet: this process's demand is taken out of the shares.
    pub(crate) async fn leave(&mut self, ctx: &mut Ctx) -> Result<(), Lost> {
        for name in self.synced.keys() {
            let cmd = redis::cmd("HDEL")
                .arg(ctx.keys.demand(name))
                .arg(&ctx.pid)
                .clone();
            ctx.query::<()>(&cmd).await?;
        }
        Ok(())
    }
}
