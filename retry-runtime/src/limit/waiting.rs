//! The rate limiter's calls that wait for their turn: `acquire` (the thread sleeps) and
//! `acquire_async` (the task sleeps on tokio's clock).
//!
//! A call that does not conform at once reserves its slot: one compare-exchange moves the
//! theoretical arrival time past it, and the call sleeps until its turn, so waiting costs
//! nothing and the waiters are served in the order they reserved. A waiting future dropped
//! before its turn gives its reservation back: it rolls the arrival time back when nothing was
//! reserved after it, and otherwise leaves its slot to the next caller that would wait longer
//! (`holes.rs`). A pause that begins while a call waits sends it back for a turn after the
//! pause.

use std::sync::atomic::Ordering::{Relaxed, SeqCst};
use std::time::Duration;

use super::gcra;
use super::rate::RateLimiter;
use super::refused::RateLimited;

/// What a waiting call should do.
pub(super) enum Plan {
    /// It was admitted now.
    Now,
    /// Sleep until its reserved turn.
    Wait(Reservation),
    /// Its turn is beyond its deadline, or it can never be admitted.
    Refused(RateLimited),
}

/// A slot reserved for a waiting call.
#[derive(Clone, Copy, Debug)]
pub(super) struct Reservation {
    /// When the call is admitted, on the limiter's timeline.
    pub(super) turn: u64,
    units: u32,
    source: Source,
}

#[derive(Clone, Copy, Debug)]
enum Source {
    /// The call moved the arrival time from `new_tat - added` to `new_tat`.
    Reserved { new_tat: u64, added: u64 },
    /// The call took a slot another call gave back.
    GivenBack,
}

impl RateLimiter {
    /// Blocks the thread until `cost` units are admitted, or refuses the call at once if its
    /// turn is further away than the configuration's `max_wait` (or if `cost` exceeds the
    /// burst).
    ///
    /// The thread sleeps (`std::thread::sleep`) until its reserved turn; calls are served in
    /// the order they reserved.
    ///
    /// ```
    /// use std::time::{Duration, Instant};
    /// use retry_runtime::{LimiterConfig, RateLimiter};
    /// let l = RateLimiter::new(
    ///     "docs_acquire",
    ///     LimiterConfig::new(1_000, Duration::from_secs(1)).burst(1).max_wait(Duration::from_secs(1)),
    /// );
    /// let start = Instant::now();
    /// for _ in 0..5 {
    ///     l.acquire(1).unwrap();
    /// }
    /// // One at once, then one every millisecond.
    /// assert!(start.elapsed() >= Duration::from_millis(4));
    /// ```
    pub fn acquire(&self, cost: u32) -> Result<(), RateLimited> {
        let start = self.hot.timeline.now();
        if self.admit_at(cost, start).is_ok() {
            self.waited(0);
            return Ok(());
        }
        let deadline = start.saturating_add(self.hot.max_wait);
        let mut now = start;
        loop {
            match self.plan(cost, now, deadline) {
                Plan::Now => {
                    self.waited(now - start);
                    return Ok(());
                }
                Plan::Refused(refused) => return Err(refused),
                Plan::Wait(reservation) => {
                    let _waiting = Waiting::new(self);
                    std::thread::sleep(Duration::from_nanos(reservation.turn - now));
                    now = self.hot.timeline.now().max(reservation.turn);
                    if self.paused_over(reservation.turn) {
                        self.give_back(&reservation, now);
                        continue;
                    }
                    self.waited(reservation.turn - start);
                    return Ok(());
                }
            }
        }
    }

    /// The future of [`acquire`](Self::acquire): sleeps on tokio's clock until `cost` units
    /// are admitted, or is refused at once if its turn is further away than `max_wait`.
    ///
    /// Dropped before its turn (a timeout, a `select!` that chose another branch), it gives
    /// its reservation back: the slot goes to the calls that come after. A waiting future
    /// costs nothing but its timer.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread", start_paused = true)]
    /// # async fn main() {
    /// use std::time::Duration;
    /// use retry_runtime::{LimiterConfig, RateLimiter};
    /// use tokio::time::Instant;
    ///
    /// let rpm = RateLimiter::new("docs_async", LimiterConfig::new(60, Duration::from_secs(60)).burst(1));
    /// let start = Instant::now();
    /// rpm.acquire_async(1).await.unwrap();
    /// rpm.acquire_async(1).await.unwrap();
    /// assert_eq!(start.elapsed(), Duration::from_secs(1));
    /// # }
    /// ```
    #[cfg(feature = "tokio")]
    pub async fn acquire_async(&self, cost: u32) -> Result<(), RateLimited> {
        let start = self.hot.timeline.now();
        if self.admit_at(cost, start).is_ok() {
            self.waited(0);
            return Ok(());
        }
        let deadline = start.saturating_add(self.hot.max_wait);
        let mut now = start;
        loop {
            match self.plan(cost, now, deadline) {
                Plan::Now => {
                    self.waited(now - start);
                    return Ok(());
                }
                Plan::Refused(refused) => return Err(refused),
                Plan::Wait(reservation) => {
                    let mut held = Held {
                        limiter: self,
                        reservation: Some(reservation),
                        _waiting: Waiting::new(self),
                    };
                    tokio::time::sleep(Duration::from_nanos(reservation.turn - now)).await;
                    now = self.hot.timeline.now().max(reservation.turn);
                    if self.paused_over(reservation.turn) {
                        drop(held);
                        continue;
                    }
                    held.reservation = None;
                    self.waited(reservation.turn - start);
                    return Ok(());
                }
            }
        }
    }

    /// Admits `cost` units at `now`, or reserves the earliest slot for them (a slot given
    /// back, or a new one) if it comes by `deadline`, or refuses the call.
    pub(super) fn plan(&self, cost: u32, now: u64, deadline: u64) -> Plan {
        let hot = &*self.hot;
        if cost > hot.burst {
            return Plan::Refused(self.refuse(cost, u64::MAX));
        }
        let interval = hot.interval.load(Relaxed);
        let tolerance = interval.saturating_mul(u64::from(hot.burst));
        let mut tat = hot.tat.load(Relaxed);
        loop {
            let (new_tat, wait) = gcra::schedule(tat, now, cost, interval, tolerance);
            let turn = now.saturating_add(wait);
            if wait > 0 {
                let latest = deadline.min(turn - 1);
                if let Some(turn) = self.cold.holes.take(cost, now, latest) {
                    return Plan::Wait(Reservation {
                        turn,
                        units: cost,
                        source: Source::GivenBack,
                    });
                }
                if turn > deadline {
                    return Plan::Refused(self.refuse(cost, wait));
                }
            }
            match hot
                .tat
                .compare_exchange_weak(tat, new_tat, Relaxed, Relaxed)
            {
                Ok(_) if wait == 0 => return Plan::Now,
                Ok(_) => {
                    let start = if tat > now { tat } else { now };
                    return Plan::Wait(Reservation {
                        turn,
                        units: cost,
                        source: Source::Reserved {
                            new_tat,
                            added: new_tat - start,
                        },
                    });
                }
                Err(current) => tat = current,
            }
        }
    }

    /// Gives back a reservation whose call will not go at its turn: rolls the arrival time
    /// back if nothing was reserved after it, or else leaves the slot for a later caller.
    pub(super) fn give_back(&self, reservation: &Reservation, now: u64) {
        if let Source::Reserved { new_tat, added } = reservation.source {
            let rolled_back =
                self.hot
                    .tat
                    .compare_exchange(new_tat, new_tat - added, Relaxed, Relaxed);
            if rolled_back.is_ok() {
                return;
            }
        }
        let paused_until = self.cold.paused_until.load(SeqCst);
        if reservation.turn >= paused_until {
            self.cold
                .holes
                .put(reservation.turn, reservation.units, now);
        }
    }

    /// Records how long an admitted call waited (nanoseconds), with the `metrics` feature.
    #[inline]
    fn waited(&self, _ns: u64) {
        #[cfg(feature = "metrics")]
        self.cold
            .metrics
            .waited(self.hot.name, Duration::from_nanos(_ns));
    }
}

/// Counts a call among the limiter's waiting ones while it lives.
struct Waiting<'a>(&'a RateLimiter);

impl<'a> Waiting<'a> {
    fn new(limiter: &'a RateLimiter) -> Self {
        limiter.cold.waiting.fetch_add(1, Relaxed);
        Waiting(limiter)
    }
}

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.cold.waiting.fetch_sub(1, Relaxed);
    }
}

/// A waiting future's reservation: given back if the future is dropped before its turn.
#[cfg(feature = "tokio")]
struct Held<'a> {
    limiter: &'a RateLimiter,
    reservation: Option<Reservation>,
    _waiting: Waiting<'a>,
}

#[cfg(feature = "tokio")]
impl Drop for Held<'_> {
    fn drop(&mut self) {
        if let Some(reservation) = self.reservation.take() {
            let now = self.limiter.hot.timeline.now();
            self.limiter.give_back(&reservation, now);
        }
    }
}
