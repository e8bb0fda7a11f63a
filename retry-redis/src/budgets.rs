//! The fleet's retry budgets as this process syncs them.
//!
//! # Design and error bound
//!
//! A deposit stays what it is alone, one relaxed add; the sync task sends the growth of each
//! budget's count of first attempts to Redis every tick (100 ms by default), into the bucket
//! (a tenth of `ttl`) of the moment it arrives. Retries draw on tokens leased from the fleet:
//! a lease is counted as withdrawn in Redis when granted, and only granted while the fleet's
//! balance, `ratio × deposits + min_per_sec × ttl − withdrawals` over the last `ttl`, covers
//! it. A retry that finds no leased token is refused at once (no call waits on Redis) and the
//! process asks for a new lease.
//!
//! So over any `ttl`, the fleet's retries never exceed what the budget allows the whole fleet,
//! except for tokens leased in an earlier window and spent in this one: a lease is given back
//! (into the bucket it was counted in) once it is older than half of `ttl`, so at most
//! `processes × LEASE_MAX` (8) such tokens. Deposits reach the fleet one tick late, which
//! errs on the side of refusing.

use std::collections::HashMap;
use std::time::Instant;

use retry_runtime::{fleet, SharedBudget};

use std::sync::Arc;

use crate::conn::{Ctx, Lost};

/// The most tokens one process holds at once.
pub(crate) const LEASE_MAX: u32 = 8;

struct Synced {
    /// First attempts already sent.
    reported: u64,
    /// When the tokens held were leased, and the bucket they were counted in.
    leased_at: Option<(Instant, u64)>,
    /// The fleet's balance at the last exchange.
    balance: f64,
    wanted: bool,
}

/// Every budget this process syncs, by name.
#[derive(Default)]
pub(crate) struct Budgets {
    synced: HashMap<&'static str, Synced>,
}

impl Budgets {
    /// A budget refused a retry for want of tokens: exchanged now.
    pub(crate) async fn wanted(&mut self, ctx: &mut Ctx, name: &str) -> Result<(), Lost> {
        if let Some(s) = self.synced.iter_mut().find(|(n, _)| **n == name) {
            s.1.wanted = true;
        }
        self.exchange_all(ctx, Some(name)).await
    }

    /// One exchange with the fleet per budget that has news or needs tokens (or only `only`).
    pub(crate) async fn exchange_all(
        &mut self,
        ctx: &mut Ctx,
        only: Option<&str>,
    ) -> Result<(), Lost> {
        for budget in fleet::budgets() {
            if only.is_some_and(|n| n != budget.name()) {
                continue;
            }
            self.exchange(ctx, budget).await?;
        }
        Ok(())
    }

    async fn exchange(&mut self, ctx: &mut Ctx, budget: &'static SharedBudget) -> Result<(), Lost> {
        let config = budget.config();
        let ttl = config.get_ttl();
        let first = !self.synced.contains_key(budget.name());
        let s = self.synced.entry(budget.name()).or_insert(Synced {
            reported: 0,
            leased_at: None,
            balance: 0.0,
            wanted: true,
        });
        let deposits = budget.fleet_deposits();
        let delta = deposits.saturating_sub(s.reported);
        // Tokens leased more than half a ttl ago go back into the bucket they came from.
        let (mut back, mut back_bucket) = (0, 0);
        if let Some((at, bucket)) = s.leased_at {
            if at.elapsed() > ttl / 2 {
                back = budget.fleet_take_unused();
                back_bucket = bucket;
                s.leased_at = None;
            }
        }
        let unused = budget.fleet_unused();
        let lease = ((s.balance / 16.0).floor() as u32).clamp(1, LEASE_MAX);
        let want = if unused == 0 || (s.wanted && unused < lease) {
            lease - unused.min(lease)
        } else {
            0
        };
        if !first && delta == 0 && want == 0 && back == 0 {
            return Ok(());
        }
        let scripts = Arc::clone(&ctx.scripts);
        let mut inv = scripts.budget.prepare_invoke();
        inv.key(ctx.keys.budget(budget.name()))
            .key(ctx.keys.budgets())
            .arg(budget.name())
            .arg(delta)
            .arg(back)
            .arg(back_bucket)
            .arg(want)
            .arg(config.get_ratio())
            .arg(config.get_min_per_sec())
            .arg(ttl.as_millis() as u64);
        let (granted, balance, bucket): (u32, String, u64) = ctx.eval(&inv).await?;
        s.reported = deposits;
        s.balance = balance.parse().unwrap_or(0.0);
        s.wanted = false;
        if granted > 0 && s.leased_at.is_none() {
            s.leased_at = Some((Instant::now(), bucket));
        }
        budget.fleet_grant(granted);
        Ok(())
    }

    /// The session ended: every budget goes back to its own window (the tokens it held were
    /// counted as withdrawn by the fleet: dropping them errs on the side of refusing).
    pub(crate) fn release(&mut self) {
        for budget in fleet::budgets() {
            budget.fleet_release();
        }
        for s in self.synced.values_mut() {
            s.leased_at = None;
            s.wanted = true;
        }
    }

    /// Leaving the fleet: unspent tokens are given back.
    pub(crate) async fn leave(&mut self, ctx: &mut Ctx) -> Result<(), Lost> {
        for budget in fleet::budgets() {
            let Some(s) = self.synced.get_mut(budget.name()) else {
                continue;
            };
            let Some((_, bucket)) = s.leased_at.take() else {
                continue;
            };
            let back = budget.fleet_release();
            if back == 0 {
                continue;
            }
            let config = budget.config();
            let scripts = Arc::clone(&ctx.scripts);
            let mut inv = scripts.budget.prepare_invoke();
            inv.key(ctx.keys.budget(budget.name()))
                .key(ctx.keys.budgets())
                .arg(budget.name())
                .arg(0)
                .arg(back)
                .arg(bucket)
                .arg(0)
                .arg(config.get_ratio())
                .arg(config.get_min_per_sec())
                .arg(config.get_ttl().as_millis() as u64);
            let _: (u32, String, u64) = ctx.eval(&inv).await?;
        }
        Ok(())
    }
}
