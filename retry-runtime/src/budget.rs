//! Retry budgets (Finagle's `RetryBudget`, gRPC's retry throttling): a token bucket shared by
//! every call naming it, which keeps retries a small fraction of the traffic.
//!
//! Every first attempt deposits `ratio` of a token, every retry withdraws one, `min_per_sec`
//! retries per second are always allowed, and deposits and withdrawals expire after `ttl`. Over
//! any window of `ttl`, a budget admits at most `ratio * first attempts + min_per_sec * ttl`
//! retries. Under a full outage a fleet therefore sends about `1 + ratio` times its normal load,
//! instead of `max_attempts` times (the retry storm that turns a brief outage into a long one).
//!
//! # Cost and accuracy
//!
//! A deposit is one relaxed `fetch_add` on a counter of first attempts: no clock read, no lock.
//! Everything else happens when a retry asks for a token, on the failure path, under a short
//! lock: the clock is read, the counter is sampled into a small ring of time-stamped snapshots
//! (the first sample in each tenth of `ttl`), withdrawals are counted per tenth of `ttl`, and
//! the deposits of the last `ttl` are estimated from the snapshots by linear interpolation
//! (deposits between two snapshots are taken to have arrived at an even rate).
//!
//! So the count of deposits is exact, and only their placement in time is estimated. In
//! particular, after a long spell with no failure, the deposits of that whole spell are spread
//! over it: after an hour of successes, the first failure sees `ttl / 1 h` of the hour's
//! deposits, not all of them, and an hour of deposits never buys an hour's worth of retries.
//! Withdrawals are counted over `ttl` plus at most one tenth of it, which errs on the side of
//! refusing. While failures keep coming, snapshots are at most a tenth of `ttl` apart, and the
//! estimate is within a tenth of `ttl`'s deposits of the truth.
//!
//! # Clock
//!
//! Times are read off the crate's one clock (`clock.rs`): with the `tokio` feature, tokio's
//! `Instant`, so a test on tokio's paused clock expires deposits and withdrawals with
//! `tokio::time::advance`; it is std's clock in production builds. A budget counts from its
//! creation, so a test on the paused clock creates (or first configures) it there.

use std::collections::{BTreeMap, VecDeque};
use std::fmt;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock, PoisonError};
use std::time::Duration;

use crate::clock::Instant;
use crate::error::or_fail;
use crate::options::BudgetOption;
use crate::padded::CachePadded;

/// Buckets per `ttl`: withdrawals are counted, and snapshots kept, per tenth of `ttl`.
const BUCKETS: u64 = 10;

/// Rounding slack when comparing the balance with one token.
const EPSILON: f64 = 1e-9;

/// The configuration of a retry budget: `ratio`, `min_per_sec` and `ttl`.
///
/// Built by `const fn`s like [`RetryPolicy`](crate::RetryPolicy): a setter rejects its own bad
/// value, which fails the build in a `const` and panics otherwise; the `try_` setters return
/// the error instead.
///
/// ```
/// use std::time::Duration;
/// use retry_runtime::{configure_budget, RetryBudget};
///
/// const LLM: RetryBudget = RetryBudget::new()
///     .ratio(0.2)                      // retries may add 20% to the first attempts
///     .min_per_sec(5)                  // and 5 per second, whatever the traffic
///     .ttl(Duration::from_secs(30));   // over any 30 s
///
/// let budget = configure_budget("llm-doc", LLM);
/// assert_eq!(budget.config(), LLM);
/// assert_eq!(RetryBudget::default().get_ratio(), 0.1);
/// ```
///
/// ```compile_fail,E0080
/// use retry_runtime::RetryBudget;
/// const BAD: RetryBudget = RetryBudget::new().ratio(-0.5);
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RetryBudget {
    ratio: f64,
    min_per_sec: u32,
    ttl: Duration,
}

impl Default for RetryBudget {
    /// `ratio = 0.1`, `min_per_sec = 10`, `ttl = 10s`.
    fn default() -> Self {
        Self::new()
    }
}

/// Unwraps a checked setter in a `const` context: an error becomes a build failure there,
/// and a panic with the same message at run time.
impl RetryBudget {
    /// The smallest `ttl` accepted.
    pub const MIN_TTL: Duration = Duration::from_millis(1);
    /// The largest `ttl` accepted: a longer memory no longer reacts to an outage.
    pub const MAX_TTL: Duration = Duration::from_secs(3600);
    /// The largest `ratio` accepted (Finagle's bound: a thousand retries per first attempt).
    pub const MAX_RATIO: f64 = 1000.0;

    /// The defaults: `ratio = 0.1`, `min_per_sec = 10`, `ttl = 10s`.
    ///
    /// ```
    /// use std::time::Duration;
    /// use retry_runtime::RetryBudget;
    /// const B: RetryBudget = RetryBudget::new();
    /// assert_eq!((B.get_ratio(), B.get_min_per_sec(), B.get_ttl()), (0.1, 10, Duration::from_secs(10)));
    /// ```
    pub const fn new() -> Self {
        RetryBudget {
            ratio: 0.1,
            min_per_sec: 10,
            ttl: Duration::from_secs(10),
        }
    }

    /// The share of a token each first attempt deposits: `0.1` lets retries add 10% to the
    /// traffic. Must be finite and in `0.0..=1000.0`; `0.0` leaves only `min_per_sec`.
    ///
    /// ```
    /// use retry_runtime::RetryBudget;
    /// assert_eq!(RetryBudget::new().ratio(0.25).get_ratio(), 0.25);
    /// ```
    ///
    /// # Panics
    ///
    /// On a value out of range (a build failure in a `const`); see [`try_ratio`](Self::try_ratio).
    pub const fn ratio(self, ratio: f64) -> Self {
        or_fail!(self.try_ratio(ratio))
    }

    /// [`ratio`](Self::ratio), returning the error instead of panicking.
    ///
    /// ```
    /// use retry_runtime::RetryBudget;
    /// assert!(RetryBudget::new().try_ratio(f64::NAN).is_err());
    /// assert!(RetryBudget::new().try_ratio(-0.1).is_err());
    /// assert!(RetryBudget::new().try_ratio(0.0).is_ok());
    /// ```
    pub const fn try_ratio(mut self, ratio: f64) -> Result<Self, &'static str> {
        // Written so that NaN fails too.
        if !(ratio >= 0.0 && ratio <= Self::MAX_RATIO) {
            return Err("a retry budget's `ratio` must be a number in 0.0..=1000.0");
        }
        self.ratio = ratio;
        Ok(self)
    }

    /// Retries per second always allowed, whatever the traffic (so a process that has just
    /// started, or sees little traffic, can still retry). Any value is valid; with
    /// `ratio(0.0)`, `min_per_sec(0)` allows no retry at all.
    ///
    /// ```
    /// use retry_runtime::RetryBudget;
    /// assert_eq!(RetryBudget::new().min_per_sec(0).get_min_per_sec(), 0);
    /// ```
    pub const fn min_per_sec(mut self, n: u32) -> Self {
        self.min_per_sec = n;
        self
    }

    /// How long deposits and withdrawals count. Must be in `1ms..=1h`.
    ///
    /// ```
    /// use std::time::Duration;
    /// use retry_runtime::RetryBudget;
    /// assert_eq!(RetryBudget::new().ttl(Duration::from_secs(60)).get_ttl(), Duration::from_secs(60));
    /// ```
    ///
    /// # Panics
    ///
    /// On a value out of range (a build failure in a `const`); see [`try_ttl`](Self::try_ttl).
    pub const fn ttl(self, ttl: Duration) -> Self {
        or_fail!(self.try_ttl(ttl))
    }

    /// [`ttl`](Self::ttl), returning the error instead of panicking.
    ///
    /// ```
    /// use std::time::Duration;
    /// use retry_runtime::RetryBudget;
    /// assert!(RetryBudget::new().try_ttl(Duration::ZERO).is_err());
    /// assert!(RetryBudget::new().try_ttl(Duration::from_secs(7200)).is_err());
    /// ```
    pub const fn try_ttl(mut self, ttl: Duration) -> Result<Self, &'static str> {
        if ttl.as_nanos() < Self::MIN_TTL.as_nanos() {
            return Err("a retry budget's `ttl` must be at least 1ms");
        }
        if ttl.as_nanos() > Self::MAX_TTL.as_nanos() {
            return Err("a retry budget's `ttl` must be at most 1h");
        }
        self.ttl = ttl;
        Ok(self)
    }

    /// The share of a token each first attempt deposits.
    ///
    /// ```
    /// assert_eq!(retry_runtime::RetryBudget::new().get_ratio(), 0.1);
    /// ```
    pub const fn get_ratio(&self) -> f64 {
        self.ratio
    }

    /// Retries per second always allowed.
    ///
    /// ```
    /// assert_eq!(retry_runtime::RetryBudget::new().get_min_per_sec(), 10);
    /// ```
    pub const fn get_min_per_sec(&self) -> u32 {
        self.min_per_sec
    }

    /// How long deposits and withdrawals count.
    ///
    /// ```
    /// use std::time::Duration;
    /// assert_eq!(retry_runtime::RetryBudget::new().get_ttl(), Duration::from_secs(10));
    /// ```
    pub const fn get_ttl(&self) -> Duration {
        self.ttl
    }
}

/// A live retry budget, shared by every call naming it: one per name, for the life of the
/// process. Get one with [`configure_budget`] or [`budget`]; the loops use it through
/// [`Retry::budget`](crate::Retry::budget) and the attribute's `budget = "name"` key.
///
/// [`deposit`](Self::deposit) and [`try_withdraw`](Self::try_withdraw) let other code (a
/// hand-written loop, a hedging layer) draw from the same budget.
///
/// ```
/// use retry_runtime::{configure_budget, RetryBudget};
///
/// // No reserve: only deposits pay for retries.
/// let b = configure_budget("shared-budget-doc", RetryBudget::new().ratio(0.5).min_per_sec(0));
/// assert!(!b.try_withdraw());      // nothing deposited yet
/// b.deposit();
/// b.deposit();                     // two first attempts: one token
/// assert!(b.try_withdraw());
/// assert!(!b.try_withdraw());
/// ```
pub struct SharedBudget {
    /// The counter of first attempts, alone on its cache line: the failure path's lock next to
    /// it would slow every deposit down.
    deposits: CachePadded<AtomicU64>,
    name: &'static str,
    epoch: Instant,
    window: Mutex<DepositWindow>,
    /// Fleet only (`crate::fleet`): whether retries draw on `leased`, the tokens leased from
    /// the fleet, instead of the window.
    fleet: AtomicBool,
    leased: AtomicI64,
}

impl fmt::Debug for SharedBudget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SharedBudget")
            .field("name", &self.name)
            .field("deposits", &self.deposits.load(Ordering::Relaxed))
            .finish_non_exhaustive()
    }
}

impl SharedBudget {
    fn new(name: &'static str, config: RetryBudget) -> Self {
        SharedBudget {
            deposits: CachePadded::new(AtomicU64::new(0)),
            name,
            epoch: Instant::now(),
            window: Mutex::new(DepositWindow::new(config, 0, 0)),
            fleet: AtomicBool::new(false),
            leased: AtomicI64::new(0),
        }
    }

    /// The budget's name.
    ///
    /// ```
    /// let b = retry_runtime::configure_budget("named", retry_runtime::RetryBudget::new());
    /// assert_eq!(b.name(), "named");
    /// ```
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// The budget's configuration.
    ///
    /// ```
    /// use retry_runtime::{configure_budget, RetryBudget};
    /// let b = configure_budget("configured", RetryBudget::new().min_per_sec(3));
    /// assert_eq!(b.config().get_min_per_sec(), 3);
    /// ```
    pub fn config(&self) -> RetryBudget {
        self.lock().config
    }

    /// Records a first attempt: one relaxed atomic add, nothing else.
    ///
    /// ```
    /// let b = retry_runtime::configure_budget("deposit-doc", retry_runtime::RetryBudget::new());
    /// b.deposit();
    /// ```
    #[inline]
    pub fn deposit(&self) {
        self.deposits.fetch_add(1, Ordering::Relaxed);
    }

    /// Takes one token for a retry if the budget has one; `false` means the retry should not
    /// happen. Reads the clock and takes a short lock.
    ///
    /// ```
    /// use retry_runtime::{configure_budget, RetryBudget};
    /// let b = configure_budget("withdraw-doc", RetryBudget::new().ratio(0.0).min_per_sec(1));
    /// // The reserve: 1 per second over the 10 s ttl.
    /// assert_eq!((0..20).filter(|_| b.try_withdraw()).count(), 10);
    /// ```
    pub fn try_withdraw(&self) -> bool {
        if self.fleet.load(Ordering::Acquire) {
            return self.withdraw_leased();
        }
        let mut window = self.lock();
        let (now, total) = self.now_and_total();
        window.try_withdraw(now, total)
    }

    /// The tokens available now (how many retries would be admitted), never below zero.
    ///
    /// ```
    /// use retry_runtime::{configure_budget, RetryBudget};
    /// let b = configure_budget("available-doc", RetryBudget::new().ratio(0.1).min_per_sec(0));
    /// for _ in 0..30 { b.deposit(); }
    /// assert!((b.available() - 3.0).abs() < 1e-6);
    /// ```
    pub fn available(&self) -> f64 {
        let mut window = self.lock();
        let (now, total) = self.now_and_total();
        window.observe(now, total);
        window.balance(now, total).max(0.0)
    }

    /// Gives back the token of the newest withdrawal: its retry did not run after all (the
    /// `on_retry` hook announcing it panicked).
    pub(crate) fn refund(&self) {
        if self.fleet.load(Ordering::Acquire) {
            self.leased.fetch_add(1, Ordering::AcqRel);
            return;
        }
        self.lock().refund();
    }

    fn withdraw_leased(&self) -> bool {
        let mut n = self.leased.load(Ordering::Acquire);
        while n > 0 {
            match self
                .leased
                .compare_exchange_weak(n, n - 1, Ordering::AcqRel, Ordering::Acquire)
            {
                Ok(_) => return true,
                Err(cur) => n = cur,
            }
        }
        crate::fleet::link::tell(|l| l.budget_wanted(self.name));
        false
    }

    /// Fleet backends only: the first attempts recorded since the budget was made (the
    /// backend sends the growth to the fleet).
    ///
    /// ```
    /// let b = retry_runtime::configure_budget("fleet-deposits", retry_runtime::RetryBudget::new());
    /// b.deposit();
    /// assert_eq!(b.fleet_deposits(), 1);
    /// ```
    pub fn fleet_deposits(&self) -> u64 {
        self.deposits.load(Ordering::Relaxed)
    }

    /// Fleet backends only: from now on retries draw on tokens leased from the fleet; adds
    /// `tokens` to them.
    ///
    /// ```
    /// use retry_runtime::{configure_budget, RetryBudget};
    /// let b = configure_budget("fleet-grant", RetryBudget::new().min_per_sec(100));
    /// b.fleet_grant(1);
    /// assert!(b.try_withdraw());
    /// assert!(!b.try_withdraw());
    /// assert_eq!(b.fleet_release(), 0);
    /// assert!(b.try_withdraw());
    /// ```
    pub fn fleet_grant(&self, tokens: u32) {
        self.leased.fetch_add(i64::from(tokens), Ordering::AcqRel);
        self.fleet.store(true, Ordering::Release);
    }

    /// Fleet backends only: the leased tokens not spent (taken back, so the caller can return
    /// them to the fleet), the budget staying in fleet mode.
    pub fn fleet_take_unused(&self) -> u32 {
        u32::try_from(self.leased.swap(0, Ordering::AcqRel).max(0)).unwrap_or(u32::MAX)
    }

    /// Fleet backends only: the leased tokens not spent yet.
    pub fn fleet_unused(&self) -> u32 {
        u32::try_from(self.leased.load(Ordering::Acquire).max(0)).unwrap_or(u32::MAX)
    }

    /// Fleet backends only: back to the budget's own window; returns the leased tokens not
    /// spent.
    pub fn fleet_release(&self) -> u32 {
        self.fleet.store(false, Ordering::Release);
        self.fleet_take_unused()
    }

    fn reconfigure(&self, config: RetryBudget) {
        let mut window = self.lock();
        let (now, total) = self.now_and_total();
        window.reconfigure(config, now, total);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, DepositWindow> {
        // The window is consistent after every statement that changes it: a panic elsewhere
        // while the lock was held leaves nothing half-done.
        self.window.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Read under the lock, so successive holders see both never going backwards.
    fn now_and_total(&self) -> (u64, u64) {
        let now = u64::try_from(self.epoch.elapsed().as_nanos()).unwrap_or(u64::MAX);
        (now, self.deposits.load(Ordering::Relaxed))
    }
}

/// One tenth of `ttl`: its withdrawals, and the counter of first attempts as first sampled in
/// it (at `at` nanoseconds after the budget's epoch).
#[derive(Clone, Copy, Debug)]
struct Slot {
    bucket: u64,
    at: u64,
    deposits: u64,
    withdrawals: u64,
}

/// The failure path's view of a budget: the deposits and withdrawals of the last `ttl`. Times are
/// nanoseconds since the budget's epoch.
#[derive(Debug)]
struct DepositWindow {
    config: RetryBudget,
    /// Nanoseconds per bucket; `span = bucket * BUCKETS` is the ttl as counted.
    bucket: u64,
    span: u64,
    /// `min_per_sec * ttl` tokens.
    reserve: f64,
    /// Ascending in time. The front is the newest snapshot at or before `now - ttl` (or the
    /// budget's first, while it is younger); every other is within the last `ttl`, one per
    /// bucket. So there are at most `BUCKETS + 2`, and the ring never grows past its capacity.
    slots: VecDeque<Slot>,
}

impl DepositWindow {
    fn new(config: RetryBudget, now: u64, total: u64) -> Self {
        let ttl = u64::try_from(config.ttl.as_nanos()).unwrap_or(u64::MAX);
        let bucket = (ttl / BUCKETS).max(1);
        let mut slots = VecDeque::with_capacity(BUCKETS as usize + 3);
        slots.push_back(Slot {
            bucket: now / bucket,
            at: now,
            deposits: total,
            withdrawals: 0,
        });
        DepositWindow {
            config,
            bucket,
            span: bucket * BUCKETS,
            reserve: f64::from(config.min_per_sec) * config.ttl.as_secs_f64(),
            slots,
        }
    }

    /// A new ttl restarts the window (deposits and withdrawals before it are forgotten); a new
    /// ratio or reserve applies to the current one.
    fn reconfigure(&mut self, config: RetryBudget, now: u64, total: u64) {
        if config.ttl != self.config.ttl {
            *self = DepositWindow::new(config, now, total);
        } else {
            self.config = config;
            self.reserve = f64::from(config.min_per_sec) * config.ttl.as_secs_f64();
        }
    }

    /// Samples the counter into the current bucket (if it has no sample yet) and drops what
    /// no longer counts.
    fn observe(&mut self, now: u64, total: u64) {
        let bucket = now / self.bucket;
        let newest = self.slots.back().map(|s| s.bucket);
        if newest != Some(bucket) {
            self.slots.push_back(Slot {
                bucket,
                at: now,
                deposits: total,
                withdrawals: 0,
            });
        }
        let cutoff = now.saturating_sub(self.span);
        while self.slots.len() >= 2 && self.slots[1].at <= cutoff {
            self.slots.pop_front();
        }
    }

    /// First attempts in the last `ttl`: exact count, estimated placement (see the module's
    /// documentation).
    fn deposits(&self, now: u64, total: u64) -> f64 {
        let cutoff = now.saturating_sub(self.span);
        let Some(front) = self.slots.front() else {
            return 0.0;
        };
        if front.at > cutoff {
            // The window reaches back past the first sample: everything since it counts.
            return total.saturating_sub(front.deposits) as f64;
        }
        // `front` is the newest sample at or before the cutoff; the next point after it is the
        // next sample, or now.
        let (next_at, next_deposits) = match self.slots.get(1) {
            Some(s) => (s.at, s.deposits),
            None => (now, total),
        };
        let gap = next_at.saturating_sub(front.at);
        let grown = next_deposits.saturating_sub(front.deposits);
        let at_cutoff = if gap == 0 {
            front.deposits
        } else {
            let part = u128::from(grown) * u128::from(cutoff - front.at) / u128::from(gap);
            front.deposits + u64::try_from(part).unwrap_or(grown)
        };
        total.saturating_sub(at_cutoff) as f64
    }

    /// Withdrawals in the buckets overlapping the last `ttl` (up to a tenth more: it errs on
    /// the side of refusing).
    fn withdrawals(&self, now: u64) -> u64 {
        let oldest = (now / self.bucket).saturating_sub(BUCKETS);
        self.slots
            .iter()
            .filter(|s| s.bucket >= oldest)
            .map(|s| s.withdrawals)
            .sum()
    }

    fn balance(&self, now: u64, total: u64) -> f64 {
        self.config.ratio * self.deposits(now, total) + self.reserve - self.withdrawals(now) as f64
    }

    /// Undoes the newest withdrawal still in the window.
    fn refund(&mut self) {
        if let Some(slot) = self.slots.iter_mut().rev().find(|s| s.withdrawals > 0) {
            slot.withdrawals -= 1;
        }
    }

    fn try_withdraw(&mut self, now: u64, total: u64) -> bool {
        self.observe(now, total);
        if self.balance(now, total) + EPSILON < 1.0 {
            return false;
        }
        if let Some(current) = self.slots.back_mut() {
            current.withdrawals += 1;
        }
        true
    }
}

/// Every budget, by name.
static BUDGETS: Mutex<BTreeMap<&'static str, &'static SharedBudget>> = Mutex::new(BTreeMap::new());

fn registry() -> std::sync::MutexGuard<'static, BTreeMap<&'static str, &'static SharedBudget>> {
    BUDGETS.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Sets up the budget `name` with `config`, creating it if needed, and returns it.
///
/// Every site and every [`Retry::budget`](crate::Retry::budget) naming it shares it. A name
/// never configured gets [`RetryBudget::default()`] on first use; configuring it later changes
/// it in place (a new `ttl` restarts its window; a new `ratio` or `min_per_sec` applies at
/// once). Call it at start-up, before the traffic.
///
/// ```
/// use std::time::Duration;
/// use retry_runtime::{budget, configure_budget, RetryBudget};
///
/// configure_budget("openai", RetryBudget::new().ratio(0.2).ttl(Duration::from_secs(30)));
/// assert_eq!(budget("openai").unwrap().config().get_ratio(), 0.2);
/// ```
pub fn configure_budget(name: &str, config: RetryBudget) -> &'static SharedBudget {
    let mut budgets = registry();
    if let Some(existing) = budgets.get(name).copied() {
        drop(budgets);
        existing.reconfigure(config);
        return existing;
    }
    let name: &'static str = Box::leak(name.to_owned().into_boxed_str());
    // One per name for the life of the process: a bounded, deliberate leak.
    let created: &'static SharedBudget = Box::leak(Box::new(SharedBudget::new(name, config)));
    budgets.insert(name, created);
    created
}

/// The budget `name`, if it was configured or used.
///
/// ```
/// assert!(retry_runtime::budget("never-named-anywhere").is_none());
/// ```
pub fn budget(name: &str) -> Option<&'static SharedBudget> {
    registry().get(name).copied()
}

/// The budget `name`, created with the defaults on first use.
/// Every budget of the registry, in order of name.
pub(crate) fn all() -> Vec<&'static SharedBudget> {
    registry().values().copied().collect()
}

pub(crate) fn get_or_create(name: &str) -> &'static SharedBudget {
    if let Some(existing) = budget(name) {
        return existing;
    }
    let mut budgets = registry();
    // Created by another thread in between? Then that one.
    if let Some(existing) = budgets.get(name).copied() {
        return existing;
    }
    let name: &'static str = Box::leak(name.to_owned().into_boxed_str());
    let created: &'static SharedBudget =
        Box::leak(Box::new(SharedBudget::new(name, RetryBudget::new())));
    budgets.insert(name, created);
    created
}

/// A site's budget, resolved by name on its first call and cached: the attribute's
/// `budget = "name"` declares one `static` per site, so the hot path never looks the name up.
#[doc(hidden)]
#[derive(Debug)]
pub struct BudgetSite {
    name: &'static str,
    budget: OnceLock<&'static SharedBudget>,
}

impl BudgetSite {
    /// The cache for the budget named `name`.
    ///
    /// ```
    /// use retry_runtime::__private::BudgetSite;
    /// static SITE: BudgetSite = BudgetSite::new("budget-site-doc");
    /// assert_eq!(SITE.get().name(), "budget-site-doc");
    /// assert!(std::ptr::eq(SITE.get(), retry_runtime::budget("budget-site-doc").unwrap()));
    /// ```
    pub const fn new(name: &'static str) -> Self {
        BudgetSite {
            name,
            budget: OnceLock::new(),
        }
    }

    /// The budget (looked up, or created with the defaults, on the first call only).
    #[inline]
    pub fn get(&'static self) -> &'static SharedBudget {
        match self.budget.get() {
            Some(budget) => budget,
            None => self.resolve(),
        }
    }

    #[cold]
    #[inline(never)]
    fn resolve(&'static self) -> &'static SharedBudget {
        self.budget.get_or_init(|| get_or_create(self.name))
    }

    /// Records a first attempt: the async expansion calls it when a call's first attempt
    /// succeeded (a failed one deposits in the decision, unless a breaker below rejected it).
    ///
    /// ```
    /// use retry_runtime::__private::BudgetSite;
    /// static SITE: BudgetSite = BudgetSite::new("budget-site-deposit-doc");
    /// SITE.deposit();
    /// ```
    #[inline]
    pub fn deposit(&'static self) {
        self.get().deposit();
    }
}

impl BudgetOption for &SharedBudget {
    const ACTIVE: bool = true;
    #[inline]
    fn deposit(&self) {
        SharedBudget::deposit(self);
    }
    #[inline]
    fn try_withdraw(&self) -> bool {
        withdraw_for_retry(self)
    }
    fn refund(&self) {
        SharedBudget::refund(self);
    }
}

impl BudgetOption for &'static BudgetSite {
    const ACTIVE: bool = true;
    #[inline]
    fn deposit(&self) {
        BudgetSite::deposit(self);
    }
    #[inline]
    fn try_withdraw(&self) -> bool {
        withdraw_for_retry(self.get())
    }
    fn refund(&self) {
        self.get().refund();
    }
}

/// A retry's withdrawal from `budget`; with the `metrics` feature a refusal is counted in
/// `retry_budget_refusals_total{budget}`.
#[inline]
fn withdraw_for_retry(budget: &SharedBudget) -> bool {
    let admitted = budget.try_withdraw();
    #[cfg(feature = "metrics")]
    if !admitted {
        crate::metrics::budget_refused(budget.name);
    }
    admitted
}

#[cfg(test)]
mod tests {
    use super::*;

    const MS: u64 = 1_000_000;
    const SEC: u64 = 1_000 * MS;

    fn window(config: RetryBudget) -> DepositWindow {
        DepositWindow::new(config, 0, 0)
    }

    #[test]
    fn deposits_pay_for_retries_and_the_reserve_is_always_there() {
        let mut w = window(RetryBudget::new().ratio(0.1).min_per_sec(0));
        assert!(!w.try_withdraw(SEC, 9), "0.9 token");
        assert!(w.try_withdraw(SEC, 10), "1 token");
        assert!(!w.try_withdraw(SEC, 19));
        assert!(w.try_withdraw(SEC, 20));

        let mut w = window(RetryBudget::new().ratio(0.0).min_per_sec(2));
        // 2 per second over 10 s: a reserve of 20.
        assert_eq!((0..50).filter(|_| w.try_withdraw(SEC, 0)).count(), 20);
    }

    #[test]
    fn withdrawals_expire_after_ttl() {
        let mut w = window(RetryBudget::new().ratio(0.0).min_per_sec(1));
        assert_eq!((0..20).filter(|_| w.try_withdraw(SEC, 0)).count(), 10);
        assert!(!w.try_withdraw(5 * SEC, 0));
        // A tenth of ttl past the ttl, the first withdrawals no longer count.
        assert_eq!((0..20).filter(|_| w.try_withdraw(12 * SEC, 0)).count(), 10);
    }

    #[test]
    fn deposits_expire_after_ttl() {
        let mut w = window(RetryBudget::new().ratio(0.5).min_per_sec(0));
        // 100 first attempts in the first second, observed by a failure then.
        w.observe(SEC, 100);
        assert!((w.balance(SEC, 100) - 50.0).abs() < 1e-9);
        // 20 s later, with one more sample in between, they have all expired.
        w.observe(15 * SEC, 100);
        assert!(w.balance(25 * SEC, 100).abs() < 1e-9);
        assert!(!w.try_withdraw(25 * SEC, 100));
    }

    #[test]
    fn an_hour_of_deposits_buys_only_a_ttl_of_retries() {
        // 3600 first attempts per second for an hour, no failure (so no sample) until then.
        let mut w = window(RetryBudget::new().ratio(0.1).min_per_sec(0));
        let hour = 3600 * SEC;
        let total = 3600 * 3600;
        w.observe(hour, total);
        // The last 10 s hold 36_000 of them: 3600 tokens, not 1_296_000 * 0.1.
        let tokens = w.balance(hour, total);
        assert!((tokens - 3600.0).abs() < 1.0, "{tokens}");
        let admitted = (0..10_000).filter(|_| w.try_withdraw(hour, total)).count();
        assert_eq!(admitted, 3600);
    }

    #[test]
    fn interpolation_between_samples() {
        let mut w = window(RetryBudget::new().ratio(1.0).min_per_sec(0));
        // Samples at 1 s (100) and 4 s (400); the cutoff of 12 s is 2 s, between them.
        w.observe(SEC, 100);
        w.observe(4 * SEC, 400);
        // At 12 s with 400: the deposits after 2 s are 400 - 200 = 200.
        w.observe(12 * SEC, 400);
        assert!((w.deposits(12 * SEC, 400) - 200.0).abs() < 1e-9);
    }

    #[test]
    fn the_ring_stays_bounded() {
        let mut w = window(RetryBudget::new().ttl(Duration::from_millis(100)));
        for i in 0..10_000u64 {
            w.try_withdraw(i * 3 * MS, i);
            assert!(w.slots.len() <= BUCKETS as usize + 2, "{}", w.slots.len());
        }
        assert!(w.slots.capacity() <= BUCKETS as usize + 3);
    }

    #[test]
    fn reconfiguring_keeps_or_restarts_the_window() {
        let mut w = window(RetryBudget::new().ratio(0.0).min_per_sec(1));
        assert_eq!((0..20).filter(|_| w.try_withdraw(SEC, 0)).count(), 10);
        // A larger reserve applies at once; the withdrawals made still count.
        w.reconfigure(RetryBudget::new().ratio(0.0).min_per_sec(2), SEC, 0);
        assert_eq!((0..20).filter(|_| w.try_withdraw(SEC, 0)).count(), 10);
        // A new ttl starts over.
        w.reconfigure(
            RetryBudget::new()
                .ratio(0.0)
                .min_per_sec(2)
                .ttl(Duration::from_secs(1)),
            SEC,
            0,
        );
        assert_eq!((0..20).filter(|_| w.try_withdraw(SEC, 0)).count(), 2);
    }

    #[test]
    fn names_are_shared_and_defaults_apply_on_first_use() {
        let a = get_or_create("budget-unit-shared");
        let b = get_or_create("budget-unit-shared");
        assert!(std::ptr::eq(a, b));
        assert_eq!(a.config(), RetryBudget::default());
        let c = configure_budget("budget-unit-shared", RetryBudget::new().ratio(0.3));
        assert!(std::ptr::eq(a, c));
        assert_eq!(a.config().get_ratio(), 0.3);
    }
}
