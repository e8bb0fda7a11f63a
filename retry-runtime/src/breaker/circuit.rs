//! `CircuitBreaker`, its state machine (every transition one compare-exchange on the state word),
//! and `Permit`, a call's leave to run through it, which carries the call's verdict back
//! (success, failure, or neither when dropped). The two live together because each needs the
//! other: the breaker hands out permits, and a permit reports to its breaker's private
//! transitions. The closure-running wrappers (`call` and its kin) are in `call.rs`.

use std::fmt;
use std::mem::ManuallyDrop;
use std::panic;
use std::sync::atomic::{AtomicBool, AtomicU32 as StdAtomicU32, AtomicU64 as StdAtomicU64};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use super::config::BreakerConfig;
use super::loom_shim::{now_ns, AtomicU32, AtomicU64, Ordering::*};
use super::name::BreakerName;
use super::rate_window::RateWindow;
use super::rejection::{CircuitOpen, Why};
use super::snapshot::BreakerSnapshot;
use super::state::{State, StateChange};
use super::state_word::{self, CLOSED, FORCED_CLOSED, FORCED_OPEN, HALF_OPEN, OPEN};
use crate::events;

/// How long a caller refused for want of a fleet-wide probe slot is told to wait.
const FLEET_PROBE_WAIT: Duration = Duration::from_millis(20);
use crate::padded::CachePadded;

/// A circuit breaker: counts failures of the calls it guards, and while the backend looks
/// down, rejects calls at once with [`CircuitOpen`] instead of running them.
///
/// Usually reached through `#[circuit_breaker(name, ...)]` or
/// [`register_breaker`](crate::register_breaker), which share one breaker per name across the
/// process; [`CircuitBreaker::new`] makes one of your own (a `static`, or any value you keep).
/// It is `Sync`: share it as `&'static` or in an `Arc`.
///
/// ```
/// use std::time::Duration;
/// use retry_runtime::{BreakerConfig, CircuitBreaker, CircuitOpen, State};
///
/// static DB: CircuitBreaker = CircuitBreaker::new(
///     "db",
///     BreakerConfig::new().failure_threshold(2).reset_timeout(Duration::from_secs(10)),
/// );
///
/// #[derive(Debug)]
/// enum DbError { Down, Open(CircuitOpen) }
/// impl From<CircuitOpen> for DbError {
///     fn from(e: CircuitOpen) -> Self { DbError::Open(e) }
/// }
///
/// let query = |up: bool| DB.call(|| if up { Ok(1) } else { Err(DbError::Down) });
/// assert_eq!(query(true).unwrap(), 1);
/// assert!(matches!(query(false), Err(DbError::Down)));
/// assert!(matches!(query(false), Err(DbError::Down)));
/// // Two failures in a row: open. The call does not run.
/// assert!(matches!(query(true), Err(DbError::Open(_))));
/// assert_eq!(DB.state(), State::Open);
/// ```
pub struct CircuitBreaker {
    hot: CachePadded<Hot>,
    cold: CachePadded<Cold>,
}

/// What every call reads: the state word and the configuration. Written only on transitions
/// and to forget consecutive failures. Padded, as `Cold` is, to cache lines of its own. In
/// this order (`repr(C)`), so that what a keyed call reads (the state word, the keyed fields,
/// the name) shares the first cache line.
#[repr(C)]
struct Hot {
    state: AtomicU64,
    /// Keyed breakers only (`keyed.rs`): the registry's use count at this breaker's last use,
    /// which orders eviction, and whether it was evicted. Read on each keyed call with the
    /// state word, written when they change; std's atomics, as they are no part of the
    /// state machine loom checks.
    last_used: StdAtomicU64,
    retired: AtomicBool,
    /// Keyed breakers only: the address of the keyed registry that made it (0 for others),
    /// which a thread's cache checks its lines against.
    owner: usize,
    name: BreakerName,
    config: BreakerConfig,
    window: OnceLock<RateWindow>,
}

/// What only rejections and transitions write, on its own cache lines.
struct Cold {
    rejected: AtomicU64,
    /// The run of failures that opened the breaker, plus failed probes since.
    streak: AtomicU32,
    /// When a probe was last admitted (ns): the half-open valve for probes that never end.
    probe_since: AtomicU64,
    /// Fleet only (`crate::fleet`): the other processes' runs of failures, pooled with this
    /// one's against `failure_threshold` (0 without a fleet).
    fleet_others: StdAtomicU32,
    /// Fleet only: the fleet-wide probe slots this process holds (`u32::MAX`: not gated, as
    /// without a fleet). An open breaker past its deadline goes half-open only with a slot.
    fleet_slots: StdAtomicU32,
    /// Fleet only, rate mode: the other processes' windows, calls and failures, pooled with
    /// this one's (0 without a fleet).
    fleet_window: (StdAtomicU64, StdAtomicU64),
    /// `circuit_breaker_rejections_total{breaker}`, resolved on the first rejection.
    #[cfg(feature = "metrics")]
    rejections: OnceLock<::metrics::Counter>,
}

macro_rules! new_breaker {
    ($name:expr, $config:expr) => {
        new_breaker!($name, $config, 0)
    };
    ($name:expr, $config:expr, $owner:expr) => {
        CircuitBreaker {
            hot: CachePadded::new(Hot {
                state: AtomicU64::new(0),
                last_used: StdAtomicU64::new(0),
                retired: AtomicBool::new(false),
                owner: $owner,
                name: $name,
                config: $config,
                window: OnceLock::new(),
            }),
            cold: CachePadded::new(Cold {
                rejected: AtomicU64::new(0),
                streak: AtomicU32::new(0),
                probe_since: AtomicU64::new(0),
                fleet_others: StdAtomicU32::new(0),
                fleet_slots: StdAtomicU32::new(u32::MAX),
                fleet_window: (StdAtomicU64::new(0), StdAtomicU64::new(0)),
                #[cfg(feature = "metrics")]
                rejections: OnceLock::new(),
            }),
        }
    };
}

/// A verdict on a probe.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Verdict {
    Success,
    Failure,
    Neither,
}

impl CircuitBreaker {
    /// A closed breaker of its own, outside the registry (the registry's are made by
    /// [`register_breaker`](crate::register_breaker)). `const`, so it can be a `static`.
    ///
    /// ```
    /// use retry_runtime::{BreakerConfig, CircuitBreaker, State};
    /// static SEARCH: CircuitBreaker = CircuitBreaker::new("search", BreakerConfig::new());
    /// assert_eq!(SEARCH.state(), State::Closed);
    /// assert!(retry_runtime::breaker("search").is_none());
    /// ```
    #[cfg(not(loom))]
    pub const fn new(name: &'static str, config: BreakerConfig) -> Self {
        new_breaker!(BreakerName::Static(name), config)
    }

    /// A closed breaker of its own (loom build: not `const`).
    #[cfg(loom)]
    pub fn new(name: &'static str, config: BreakerConfig) -> Self {
        new_breaker!(BreakerName::Static(name), config)
    }

    /// A keyed breaker (`openai[<key>]`) of the keyed registry at address `owner`, whose
    /// name is freed with it.
    pub(crate) fn keyed(name: Arc<str>, config: BreakerConfig, owner: usize) -> Self {
        new_breaker!(BreakerName::Shared(name), config, owner)
    }

    /// Loom builds only: sets the breaker clock (ns since its base), which stands still
    /// under loom so that every execution of a model is deterministic.
    #[cfg(loom)]
    #[doc(hidden)]
    pub fn loom_set_clock(ns: u64) {
        super::loom_shim::FAKE_NOW.store(ns, std::sync::atomic::Ordering::SeqCst);
    }

    /// The breaker's name: `db`, or `db[<key>]` for a keyed breaker (see
    /// [`keyed_breaker`](crate::keyed_breaker)).
    ///
    /// ```
    /// use retry_runtime::{BreakerConfig, CircuitBreaker};
    /// assert_eq!(CircuitBreaker::new("db", BreakerConfig::new()).name(), "db");
    /// ```
    pub fn name(&self) -> &str {
        self.hot.name.as_str()
    }

    /// The name as the breaker keeps it.
    #[cfg(feature = "metrics")]
    pub(crate) fn breaker_name(&self) -> &BreakerName {
        &self.hot.name
    }

    /// Its configuration.
    ///
    /// ```
    /// use retry_runtime::{BreakerConfig, CircuitBreaker};
    /// let cb = CircuitBreaker::new("db", BreakerConfig::new().failure_threshold(3));
    /// assert_eq!(cb.config().get_failure_threshold(), 3);
    /// ```
    pub fn config(&self) -> &BreakerConfig {
        &self.hot.config
    }

    /// The current state. An open breaker whose `reset_timeout` has passed is half-open: it
    /// becomes so now, if no call made it so already (and `on_state_change` hears of it).
    ///
    /// ```
    /// use retry_runtime::{BreakerConfig, CircuitBreaker, State};
    /// let cb = CircuitBreaker::new("db", BreakerConfig::new());
    /// cb.force_open();
    /// assert_eq!(cb.state(), State::ForcedOpen);
    /// ```
    pub fn state(&self) -> State {
        state_word::state(self.current())
    }

    /// The state and counters at this moment, as [`breakers`](crate::breakers) lists them.
    ///
    /// ```
    /// use retry_runtime::{BreakerConfig, CircuitBreaker, State};
    /// let cb = CircuitBreaker::new("db", BreakerConfig::new());
    /// cb.try_acquire().unwrap().failure();
    /// let s = cb.snapshot();
    /// assert_eq!((s.state, s.consecutive_failures, s.retry_in), (State::Closed, 1, None));
    /// ```
    pub fn snapshot(&self) -> BreakerSnapshot {
        let w = self.current();
        let rate = self.hot.config.get_failure_rate().is_some();
        let consecutive_failures = if rate {
            0
        } else if state_word::mode(w) == CLOSED {
            u32::try_from(state_word::payload(w)).unwrap_or(u32::MAX)
        } else {
            self.cold.streak.load(Relaxed)
        };
        let (window_calls, window_failures) = if rate { self.window().totals() } else { (0, 0) };
        let retry_in = (state_word::mode(w) == OPEN)
            .then(|| Self::until(state_word::payload(w).saturating_mul(1_000_000), now_ns()));
        BreakerSnapshot {
            name: self.hot.name.to_cow(),
            state: state_word::state(w),
            consecutive_failures,
            window_calls,
            window_failures,
            rejected: self.cold.rejected.load(Relaxed),
            retry_in,
        }
    }

    /// Closes the breaker and forgets every failure; also ends a forced state.
    ///
    /// ```
    /// use retry_runtime::{BreakerConfig, CircuitBreaker, State};
    /// let cb = CircuitBreaker::new("db", BreakerConfig::new());
    /// cb.force_open();
    /// cb.reset();
    /// assert_eq!(cb.state(), State::Closed);
    /// ```
    pub fn reset(&self) {
        if let Some(window) = self.hot.window.get() {
            window.clear();
        }
        let prev = self.set_word(|w| state_word::make(CLOSED, state_word::next_gen(w), 0));
        self.cold.streak.store(0, Relaxed);
        self.emit(state_word::state(prev), State::Closed);
    }

    /// Opens the breaker by hand: every call is rejected until [`reset`](Self::reset) or
    /// [`force_closed`](Self::force_closed).
    ///
    /// ```
    /// use retry_runtime::{BreakerConfig, CircuitBreaker, State};
    /// let cb = CircuitBreaker::new("db", BreakerConfig::new());
    /// cb.force_open();
    /// assert!(cb.try_acquire().is_err());
    /// ```
    pub fn force_open(&self) {
        let prev = self.set_word(|w| state_word::make(FORCED_OPEN, state_word::next_gen(w), 0));
        self.keep_streak(prev);
        self.emit(state_word::state(prev), State::ForcedOpen);
    }

    /// Closes the breaker by hand: every call runs and nothing is counted until
    /// [`reset`](Self::reset) or [`force_open`](Self::force_open).
    ///
    /// ```
    /// use retry_runtime::{BreakerConfig, CircuitBreaker, State};
    /// let cb = CircuitBreaker::new("db", BreakerConfig::new().failure_threshold(1));
    /// cb.force_closed();
    /// cb.try_acquire().unwrap().failure();
    /// assert_eq!(cb.state(), State::ForcedClosed);
    /// ```
    pub fn force_closed(&self) {
        let prev = self.set_word(|w| state_word::make(FORCED_CLOSED, state_word::next_gen(w), 0));
        self.keep_streak(prev);
        self.emit(state_word::state(prev), State::ForcedClosed);
    }

    /// Asks to make one call. `Ok` carries a [`Permit`] to report the outcome with
    /// ([`success`](Permit::success) or [`failure`](Permit::failure); dropped, it counts as
    /// neither). `Err` means the circuit is open and the call must not be made.
    ///
    /// On a closed breaker this is one atomic load.
    ///
    /// ```
    /// use retry_runtime::{BreakerConfig, CircuitBreaker};
    /// let cb = CircuitBreaker::new("db", BreakerConfig::new().failure_threshold(1));
    /// match cb.try_acquire() {
    ///     Ok(permit) => permit.failure(),
    ///     Err(open) => unreachable!("{open}"),
    /// }
    /// let open = cb.try_acquire().unwrap_err();
    /// assert!(open.to_string().starts_with("circuit breaker 'db' is open; next probe in"));
    /// ```
    #[inline(always)]
    pub fn try_acquire(&self) -> Result<Permit<'_>, CircuitOpen> {
        let w = self.hot.state.load(Relaxed);
        if state_word::mode(w) == CLOSED {
            Ok(Permit::new(self, Kind::Closed))
        } else {
            self.acquire_slow()
        }
    }

    // ---- keyed breakers (`keyed.rs`) ----

    /// Records a use at `tick`, the registry's count of insertions: a write only when the
    /// count moved since the last use (never backwards).
    #[inline(always)]
    pub(crate) fn touch(&self, tick: u64) {
        if self.hot.last_used.load(Relaxed) < tick {
            self.hot.last_used.fetch_max(tick, Relaxed);
        }
    }

    /// The registry's insertion count at the last use.
    pub(crate) fn last_used(&self) -> u64 {
        self.hot.last_used.load(Relaxed)
    }

    /// Evicted from its registry: calls that still hold it finish on it, new calls get a
    /// fresh breaker.
    pub(crate) fn retire(&self) {
        self.hot.retired.store(true, Relaxed);
    }

    /// Whether it was evicted.
    #[inline(always)]
    pub(crate) fn is_retired(&self) -> bool {
        self.hot.retired.load(Relaxed)
    }

    /// The address of the keyed registry that made it (0 for any other breaker).
    #[inline(always)]
    pub(crate) fn owner(&self) -> usize {
        self.hot.owner
    }

    /// How much longer every call will be rejected: the time to the next probe while open,
    /// [`Duration::MAX`] while forced open, `None` otherwise (a half-open breaker lets probes
    /// through). The retry loops ask it after a failed attempt, so they do not sleep into a
    /// certain rejection.
    pub(crate) fn open_for(&self) -> Option<Duration> {
        let w = self.current();
        match state_word::mode(w) {
            OPEN => Some(Self::until(
                state_word::payload(w).saturating_mul(1_000_000),
                now_ns(),
            )),
            FORCED_OPEN => Some(Duration::MAX),
            _ => None,
        }
    }

    // ---- the fleet (`crate::fleet`) ----

    /// Fleet backends only: puts the breaker in the fleet's `state` (for `Open`, with
    /// `open_for` left to its deadline; a fleet's `HalfOpen` is kept here as open with its
    /// deadline passed, so a probe still needs a slot). Runs `on_state_change` for a change,
    /// but does not tell the fleet link: the state came from it.
    ///
    /// ```
    /// use std::time::Duration;
    /// use retry_runtime::{BreakerConfig, CircuitBreaker, State};
    /// let cb = CircuitBreaker::new("fleet-apply", BreakerConfig::new());
    /// cb.fleet_apply(State::Open, Duration::from_secs(5));
    /// assert_eq!(cb.state(), State::Open);
    /// assert!(cb.try_acquire().is_err());
    /// cb.fleet_apply(State::Closed, Duration::ZERO);
    /// assert!(cb.try_acquire().is_ok());
    /// ```
    pub fn fleet_apply(&self, state: State, open_for: Duration) {
        crate::fleet::link::applying(|| match state {
            State::Closed => {
                let w = self.hot.state.load(Acquire);
                if state_word::mode(w) != CLOSED {
                    self.reset();
                }
            }
            State::Open | State::HalfOpen => {
                let wait = u64::try_from(open_for.as_nanos()).unwrap_or(u64::MAX);
                let due = now_ns().saturating_add(wait).div_ceil(1_000_000);
                let prev = self.set_word(|w| {
                    if state_word::mode(w) == OPEN && state_word::payload(w) == due {
                        w
                    } else {
                        state_word::make(OPEN, state_word::next_gen(w), due)
                    }
                });
                self.keep_streak(prev);
                self.emit(state_word::state(prev), State::Open);
            }
            State::ForcedOpen => {
                if state_word::mode(self.hot.state.load(Acquire)) != FORCED_OPEN {
                    self.force_open();
                }
            }
            State::ForcedClosed => {
                if state_word::mode(self.hot.state.load(Acquire)) != FORCED_CLOSED {
                    self.force_closed();
                }
            }
        });
    }

    /// Fleet backends only: the other processes' runs of consecutive failures, pooled with
    /// this process's own against `failure_threshold` (a closed breaker opens when the two
    /// add up to it).
    ///
    /// ```
    /// use retry_runtime::{BreakerConfig, CircuitBreaker, State};
    /// let cb = CircuitBreaker::new("fleet-pool", BreakerConfig::new().failure_threshold(5));
    /// cb.fleet_pool(4);
    /// cb.try_acquire().unwrap().failure();
    /// assert_eq!(cb.state(), State::Open);
    /// ```
    pub fn fleet_pool(&self, others: u32) {
        self.cold.fleet_others.store(others, Relaxed);
    }

    /// Fleet backends only, rate mode: the other processes' windows (calls and failures),
    /// pooled with this process's own against `failure_rate` and `min_calls`.
    ///
    /// ```
    /// use std::time::Duration;
    /// use retry_runtime::{BreakerConfig, CircuitBreaker, State};
    /// let cb = CircuitBreaker::new(
    ///     "fleet-window",
    ///     BreakerConfig::new().failure_rate(0.5).min_calls(10).window(Duration::from_secs(60)),
    /// );
    /// cb.fleet_pool_window(9, 4);
    /// cb.try_acquire().unwrap().failure();
    /// assert_eq!(cb.state(), State::Open, "5 failures in 10 calls, fleet-wide");
    /// ```
    pub fn fleet_pool_window(&self, calls: u64, failures: u64) {
        self.cold.fleet_window.0.store(calls, Relaxed);
        self.cold.fleet_window.1.store(failures, Relaxed);
    }

    /// Fleet backends only: the fleet-wide probe slots this process holds. While it is 0, an
    /// open breaker past its deadline refuses its callers (and tells the link it wants a slot)
    /// instead of going half-open; a half-open breaker admits at most this many probes at once.
    ///
    /// ```
    /// use std::time::Duration;
    /// use retry_runtime::{BreakerConfig, CircuitBreaker, State};
    /// let cb = CircuitBreaker::new("fleet-slots", BreakerConfig::new());
    /// cb.fleet_apply(State::Open, Duration::ZERO);
    /// cb.fleet_probe_slots(0);
    /// assert!(cb.try_acquire().is_err());
    /// cb.fleet_probe_slots(1);
    /// assert!(cb.try_acquire().is_ok());
    /// ```
    pub fn fleet_probe_slots(&self, slots: u32) {
        self.cold.fleet_slots.store(slots, Release);
    }

    /// Fleet backends only: back to the breaker's behaviour alone (no pooled failures, probes
    /// not gated), keeping its state.
    pub fn fleet_release(&self) {
        self.cold.fleet_others.store(0, Relaxed);
        self.fleet_pool_window(0, 0);
        self.cold.fleet_slots.store(u32::MAX, Release);
    }

    /// This process's run of consecutive failures, if the breaker is closed.
    pub fn failure_streak(&self) -> Option<u32> {
        let w = self.hot.state.load(Acquire);
        (state_word::mode(w) == CLOSED)
            .then(|| u32::try_from(state_word::payload(w)).unwrap_or(u32::MAX))
    }

    /// The time left to an open deadline, read off the word alone (no transition).
    pub(crate) fn deadline_left(&self) -> Option<Duration> {
        let w = self.hot.state.load(Acquire);
        (state_word::mode(w) == OPEN)
            .then(|| Self::until(state_word::payload(w).saturating_mul(1_000_000), now_ns()))
    }

    // ---- internals ----

    /// The window of rate mode, made on first use.
    #[inline]
    fn window(&self) -> &RateWindow {
        self.hot
            .window
            .get_or_init(|| RateWindow::new(self.hot.config.get_window()))
    }

    /// The reset timeout in nanoseconds.
    fn timeout_ns(&self) -> u64 {
        u64::try_from(self.hot.config.get_reset_timeout().as_nanos()).unwrap_or(u64::MAX)
    }

    /// The deadline of a circuit opening now, in ms, rounded up.
    fn deadline_ms(&self) -> u64 {
        now_ns()
            .saturating_add(self.timeout_ns())
            .div_ceil(1_000_000)
    }

    /// The time from `now` to the deadline `due` (ns): all of the wait, never less. The deadline
    /// is rounded up to whole milliseconds, so this may exceed `reset_timeout` by under 1 ms.
    fn until(due: u64, now: u64) -> Duration {
        Duration::from_nanos(due.saturating_sub(now))
    }

    /// Replaces the word by `f(word)`, returning the word replaced.
    fn set_word(&self, f: impl Fn(u64) -> u64) -> u64 {
        let mut w = self.hot.state.load(Acquire);
        loop {
            match self
                .hot
                .state
                .compare_exchange_weak(w, f(w), AcqRel, Acquire)
            {
                Ok(prev) => return prev,
                Err(cur) => w = cur,
            }
        }
    }

    /// Leaving a closed state by hand: the run of failures it had stays visible.
    fn keep_streak(&self, prev: u64) {
        if state_word::mode(prev) == CLOSED {
            let n = u32::try_from(state_word::payload(prev)).unwrap_or(u32::MAX);
            self.cold.streak.store(n, Relaxed);
        }
    }

    /// The state word, an open breaker whose deadline has passed turned half-open.
    fn current(&self) -> u64 {
        let w = self.hot.state.load(Acquire);
        if state_word::mode(w) == OPEN {
            let now = now_ns();
            if now >= state_word::payload(w).saturating_mul(1_000_000)
                && self.cold.fleet_slots.load(Acquire) != 0
            {
                return self.open_to_half_open(w, now);
            }
        }
        w
    }

    /// Open → half-open with no probe in flight; returns the word now in place.
    fn open_to_half_open(&self, w: u64, now_ns: u64) -> u64 {
        // Before the exchange, so that whoever sees the half-open word sees this time too.
        self.cold.probe_since.store(now_ns, Release);
        let new = state_word::half_open(state_word::next_gen(w), 0, 0);
        match self.hot.state.compare_exchange(w, new, AcqRel, Acquire) {
            Ok(_) => {
                self.emit(State::Open, State::HalfOpen);
                new
            }
            Err(cur) => cur,
        }
    }

    #[cold]
    #[inline(never)]
    fn acquire_slow(&self) -> Result<Permit<'_>, CircuitOpen> {
        let permit = |kind| Permit::new(self, kind);
        let state = &self.hot.state;
        let mut w = state.load(Acquire);
        loop {
            match state_word::mode(w) {
                CLOSED => return Ok(permit(Kind::Closed)),
                FORCED_CLOSED => return Ok(permit(Kind::Free)),
                FORCED_OPEN => return Err(self.reject(Duration::MAX, Why::Forced)),
                OPEN => {
                    let now = now_ns();
                    let due = state_word::payload(w).saturating_mul(1_000_000);
                    if now < due {
                        return Err(self.reject(Self::until(due, now), Why::Open));
                    }
                    if self.cold.fleet_slots.load(Acquire) == 0 {
                        // The fleet's probes are claimed elsewhere, or not yet here.
                        crate::fleet::link::tell(|l| l.probe_wanted(self.name()));
                        return Err(self.reject(FLEET_PROBE_WAIT, Why::Probing));
                    }
                    w = self.open_to_half_open(w, now);
                }
                HALF_OPEN => {
                    let slots = self.hot.config.get_half_open_max_calls();
                    let slots = slots.min(self.cold.fleet_slots.load(Acquire));
                    if state_word::in_flight(w) < slots {
                        self.cold.probe_since.store(now_ns(), Release);
                        match state.compare_exchange_weak(
                            w,
                            w + state_word::ONE_PROBE,
                            AcqRel,
                            Acquire,
                        ) {
                            Ok(_) => return Ok(permit(Kind::Probe(state_word::gen(w)))),
                            Err(cur) => w = cur,
                        }
                    } else {
                        // Every slot is taken. If no probe was admitted for a whole
                        // reset_timeout, the probes in flight are hung or leaked: start afresh.
                        let now = now_ns();
                        let since = self.cold.probe_since.load(Acquire);
                        let stale = now >= since.saturating_add(self.timeout_ns());
                        if !stale {
                            return Err(self.reject(Duration::ZERO, Why::Probing));
                        }
                        self.cold.probe_since.store(now, Release);
                        let gen = state_word::next_gen(w);
                        match state.compare_exchange(
                            w,
                            state_word::half_open(gen, 1, 0),
                            AcqRel,
                            Acquire,
                        ) {
                            Ok(_) => return Ok(permit(Kind::Probe(gen))),
                            Err(cur) => w = cur,
                        }
                    }
                }
                _ => unreachable!("a breaker's state word has a valid mode"),
            }
        }
    }

    /// Counts a rejection and builds its error.
    fn reject(&self, retry_in: Duration, why: Why) -> CircuitOpen {
        self.cold.rejected.fetch_add(1, Relaxed);
        #[cfg(feature = "metrics")]
        crate::metrics::rejected(&self.cold.rejections, || self.hot.name.label());
        CircuitOpen::with(self.hot.name.clone(), retry_in, why)
    }

    /// A call succeeded. Closed, consecutive mode: one load, and a write only when there are
    /// failures to forget. Everything else is out of line.
    #[inline(always)]
    fn succeeded(&self, kind: Kind) {
        if kind == Kind::Closed && self.hot.config.get_failure_rate().is_none() {
            let w = self.hot.state.load(Relaxed);
            // Closed with no failure is `generation << 3`: nothing to write.
            if w & !state_word::GEN != 0 {
                self.forget_failures(w);
            }
        } else {
            self.succeeded_other(kind);
        }
    }

    /// A success in rate mode, in forced-closed mode, or of a probe.
    #[inline(never)]
    fn succeeded_other(&self, kind: Kind) {
        match kind {
            Kind::Closed => self.window().success(),
            Kind::Free => {}
            Kind::Probe(gen) => self.probe_verdict(gen, Verdict::Success),
        }
    }

    #[cold]
    #[inline(never)]
    fn forget_failures(&self, mut w: u64) {
        while state_word::mode(w) == CLOSED && state_word::payload(w) != 0 {
            let new = state_word::make(CLOSED, state_word::gen(w), 0);
            match self
                .hot
                .state
                .compare_exchange_weak(w, new, AcqRel, Relaxed)
            {
                Ok(_) => {
                    crate::fleet::link::tell(|l| l.breaker_failures(self.name(), 0));
                    return;
                }
                Err(cur) => w = cur,
            }
        }
    }

    #[inline]
    fn failed(&self, kind: Kind) {
        match kind {
            Kind::Closed => self.closed_failure(),
            Kind::Free => {}
            Kind::Probe(gen) => self.probe_verdict(gen, Verdict::Failure),
        }
    }

    /// A permit dropped without a verdict.
    fn released(&self, kind: Kind) {
        if matches!(kind, Kind::Free) {
            return;
        }
        if std::thread::panicking() {
            self.failed(kind);
        } else if let Kind::Probe(gen) = kind {
            self.probe_verdict(gen, Verdict::Neither);
        }
    }

    #[inline(never)]
    fn closed_failure(&self) {
        let config = &self.hot.config;
        if let Some(rate) = config.get_failure_rate() {
            let (calls, failures) = self.window().failure();
            let calls = calls + self.cold.fleet_window.0.load(Relaxed);
            let failures = failures + self.cold.fleet_window.1.load(Relaxed);
            if calls >= u64::from(config.get_min_calls()) && failures as f64 / calls as f64 >= rate
            {
                self.trip();
            }
            return;
        }
        let threshold = u64::from(config.get_failure_threshold());
        let mut w = self.hot.state.load(Acquire);
        loop {
            if state_word::mode(w) != CLOSED {
                return; // opened, forced or half-open meanwhile: this call is history
            }
            let n = state_word::payload(w) + 1;
            let others = u64::from(self.cold.fleet_others.load(Relaxed));
            let opens = n + others >= threshold;
            let new = if opens {
                state_word::make(OPEN, state_word::next_gen(w), self.deadline_ms())
            } else {
                state_word::make(CLOSED, state_word::gen(w), n)
            };
            match self
                .hot
                .state
                .compare_exchange_weak(w, new, AcqRel, Acquire)
            {
                Ok(_) => {
                    if opens {
                        let n = u32::try_from(n).unwrap_or(u32::MAX);
                        self.cold.streak.store(n, Relaxed);
                        self.emit(State::Closed, State::Open);
                    } else {
                        let n = u32::try_from(n).unwrap_or(u32::MAX);
                        crate::fleet::link::tell(|l| l.breaker_failures(self.name(), n));
                    }
                    return;
                }
                Err(cur) => w = cur,
            }
        }
    }

    /// Closed → open in rate mode.
    fn trip(&self) {
        let deadline = self.deadline_ms();
        let mut w = self.hot.state.load(Acquire);
        while state_word::mode(w) == CLOSED {
            let new = state_word::make(OPEN, state_word::next_gen(w), deadline);
            match self
                .hot
                .state
                .compare_exchange_weak(w, new, AcqRel, Acquire)
            {
                Ok(_) => {
                    self.emit(State::Closed, State::Open);
                    return;
                }
                Err(cur) => w = cur,
            }
        }
    }

    /// A probe of half-open period `gen` ended.
    fn probe_verdict(&self, gen: u32, verdict: Verdict) {
        let config = &self.hot.config;
        let mut w = self.hot.state.load(Acquire);
        loop {
            if state_word::mode(w) != HALF_OPEN || state_word::gen(w) != gen {
                return; // a probe of an earlier period: its verdict no longer matters
            }
            let left = state_word::in_flight(w).saturating_sub(1);
            let ok = state_word::probe_successes(w);
            let (new, to) = match verdict {
                Verdict::Success if ok + 1 >= config.get_success_threshold() => {
                    if let Some(window) = self.hot.window.get() {
                        window.clear();
                    }
                    (
                        state_word::make(CLOSED, state_word::next_gen(w), 0),
                        Some(State::Closed),
                    )
                }
                Verdict::Success => (state_word::half_open(gen, left, ok + 1), None),
                Verdict::Failure => (
                    state_word::make(OPEN, state_word::next_gen(w), self.deadline_ms()),
                    Some(State::Open),
                ),
                Verdict::Neither => (state_word::half_open(gen, left, ok), None),
            };
            match self
                .hot
                .state
                .compare_exchange_weak(w, new, AcqRel, Acquire)
            {
                Ok(_) => {
                    match to {
                        Some(State::Closed) => self.cold.streak.store(0, Relaxed),
                        Some(_) => {
                            self.cold.streak.fetch_add(1, Relaxed);
                        }
                        None => {}
                    }
                    if let Some(to) = to {
                        self.emit(State::HalfOpen, to);
                    }
                    return;
                }
                Err(cur) => w = cur,
            }
        }
    }

    /// Reports a transition to the hook and, with `tracing`, as an event. Called once the
    /// transition took effect; a hook's panic while the thread unwinds is caught.
    fn emit(&self, from: State, to: State) {
        if from == to {
            return;
        }
        let change = StateChange {
            name: self.hot.name.as_str(),
            from,
            to,
        };
        #[cfg(feature = "tracing")]
        tracing::info!(
            target: "retry_runtime",
            breaker = change.name,
            from = %from,
            to = %to,
            "circuit breaker state change"
        );
        #[cfg(feature = "metrics")]
        crate::metrics::transition(self.hot.name.label(), to.metric());
        crate::fleet::link::tell(|l| {
            l.breaker_changed(self.name(), from, to, self.deadline_left())
        });
        if let Some(hook) = self.hot.config.get_on_state_change() {
            if std::thread::panicking() {
                hook_while_unwinding(hook, &change);
            } else {
                // The word is already in place: a hook that panics here leaves the breaker
                // in the state it reports, and its panic goes on like any panic of user code.
                hook(&change);
            }
        }
    }
}

/// Runs `on_state_change` while the thread unwinds from another panic (a permit dropped by a
/// panicking body records its failure from `Drop`). A panic leaving a destructor then would
/// abort the process, so the hook's panic is caught and reported (an `ERROR` event with
/// `tracing`), and the first panic goes on.
#[cold]
#[inline(never)]
fn hook_while_unwinding(hook: fn(&StateChange<'_>), change: &StateChange<'_>) {
    if let Err(payload) = panic::catch_unwind(|| hook(change)) {
        events::hook_panicked("on_state_change", change.name, &*payload);
        // A payload whose own `Drop` panics would unwind from here too: leak that one.
        if let Err(again) = panic::catch_unwind(panic::AssertUnwindSafe(|| drop(payload))) {
            std::mem::forget(again);
        }
    }
}

impl fmt::Debug for CircuitBreaker {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CircuitBreaker")
            .field("name", &self.hot.name)
            .field("state", &state_word::state(self.hot.state.load(Relaxed)))
            .field("config", &self.hot.config)
            .finish()
    }
}

/// How a permit was granted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// A call through a closed breaker.
    Closed,
    /// A call through a forced-closed breaker: nothing is counted.
    Free,
    /// A half-open probe of the period with this generation.
    Probe(u32),
}

/// Leave to make one call through a [`CircuitBreaker`], from
/// [`try_acquire`](CircuitBreaker::try_acquire). Report the outcome with
/// [`success`](Self::success) or [`failure`](Self::failure).
///
/// Dropped without a verdict it counts as neither (and frees a probe slot), except while its
/// thread is panicking: a call that panics counts as a failure.
///
/// ```
/// use retry_runtime::{BreakerConfig, CircuitBreaker, State};
/// let cb = CircuitBreaker::new("db", BreakerConfig::new().failure_threshold(1));
/// let permit = cb.try_acquire().unwrap();
/// let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || {
///     let _held = permit;
///     panic!("the backend's client panicked");
/// }));
/// assert!(r.is_err());
/// assert_eq!(cb.state(), State::Open);
/// ```
#[must_use = "a permit is meant to report its call's outcome with `success()` or `failure()`"]
pub struct Permit<'a> {
    breaker: &'a CircuitBreaker,
    kind: Kind,
}

impl<'a> Permit<'a> {
    /// A permit of `kind` for a call through `breaker`.
    #[inline(always)]
    const fn new(breaker: &'a CircuitBreaker, kind: Kind) -> Self {
        Permit { breaker, kind }
    }

    /// The call succeeded.
    ///
    /// ```
    /// use retry_runtime::{BreakerConfig, CircuitBreaker};
    /// let cb = CircuitBreaker::new("db", BreakerConfig::new());
    /// cb.try_acquire().unwrap().failure();
    /// cb.try_acquire().unwrap().success();
    /// assert_eq!(cb.snapshot().consecutive_failures, 0);
    /// ```
    #[inline(always)]
    pub fn success(self) {
        let this = ManuallyDrop::new(self);
        this.breaker.succeeded(this.kind);
    }

    /// The call failed.
    ///
    /// ```
    /// use retry_runtime::{BreakerConfig, CircuitBreaker};
    /// let cb = CircuitBreaker::new("db", BreakerConfig::new());
    /// cb.try_acquire().unwrap().failure();
    /// assert_eq!(cb.snapshot().consecutive_failures, 1);
    /// ```
    #[inline]
    pub fn failure(self) {
        let this = ManuallyDrop::new(self);
        this.breaker.failed(this.kind);
    }

    /// Success for `Ok`, failure for an `Err` that `counts`, neither otherwise. Shared by
    /// [`CircuitBreaker::call_when`] and its async twin, and meant for the attributes' verdict
    /// (`__private::settle`) too.
    #[inline]
    pub(crate) fn settle<T, E>(self, result: &Result<T, E>, counts: impl FnOnce(&E) -> bool) {
        match result {
            Ok(_) => self.success(),
            Err(e) => {
                if counts(e) {
                    self.failure();
                }
            }
        }
    }
}

impl Drop for Permit<'_> {
    #[inline]
    fn drop(&mut self) {
        self.breaker.released(self.kind);
    }
}

impl fmt::Debug for Permit<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Permit")
            .field("breaker", &self.breaker.hot.name)
            .field("kind", &self.kind)
            .finish()
    }
}
