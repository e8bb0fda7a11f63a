//! The fleet link itself: the `FleetLink` trait, the process's one installed link, and `tell`,
//! how breakers and budgets reach it (one relaxed load when none is installed). Below the
//! breakers and budgets, which call it.

use std::cell::Cell;
use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering::*};
use std::sync::{Arc, PoisonError, RwLock};
use std::time::Duration;

use crate::breaker::state::State;

/// What a fleet backend is told by this process's breakers and budgets. Every method is
/// called on a failure or transition path, possibly while a lock of the caller's is held: it
/// must return at once, never block, and never call back into the object it was told about.
pub trait FleetLink: Send + Sync + 'static {
    /// A breaker changed state here (a failure opened it, a probe closed it, a hand
    /// `reset`/`force_open`/`force_closed`). `open_for` is the time left to an `Open`
    /// breaker's deadline.
    fn breaker_changed(&self, name: &str, from: State, to: State, open_for: Option<Duration>);
    /// A closed breaker's run of consecutive failures in this process is now `streak` (0: a
    /// success ended it).
    fn breaker_failures(&self, name: &str, streak: u32);
    /// An open breaker's deadline passed but this process holds no fleet-wide probe slot for
    /// it: its callers are refused until it gets one ([`CircuitBreaker::fleet_probe_slots`](crate::CircuitBreaker::fleet_probe_slots)).
    fn probe_wanted(&self, name: &str);
    /// A budget in fleet mode ran out of leased tokens and refused a retry.
    fn budget_wanted(&self, name: &str);
}

/// The error of [`install`] when a link is already installed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AlreadyLinked;

impl fmt::Display for AlreadyLinked {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a fleet link is already installed in this process")
    }
}

impl std::error::Error for AlreadyLinked {}

static LINK: RwLock<Option<Arc<dyn FleetLink>>> = RwLock::new(None);
static ON: AtomicBool = AtomicBool::new(false);

thread_local! {
    /// Set while this thread applies the fleet's state: what it changes is not told back.
    static APPLYING: Cell<bool> = const { Cell::new(false) };
}

/// Installs the process's one fleet link. `Err` if one is installed already.
///
/// ```
/// # use std::sync::Arc;
/// # use std::time::Duration;
/// # use retry_runtime::{fleet::{self, FleetLink}, State};
/// # struct Quiet;
/// # impl FleetLink for Quiet {
/// #     fn breaker_changed(&self, _: &str, _: State, _: State, _: Option<Duration>) {}
/// #     fn breaker_failures(&self, _: &str, _: u32) {}
/// #     fn probe_wanted(&self, _: &str) {}
/// #     fn budget_wanted(&self, _: &str) {}
/// # }
/// fleet::install(Arc::new(Quiet)).unwrap();
/// assert!(fleet::installed());
/// fleet::uninstall();
/// assert!(!fleet::installed());
/// ```
pub fn install(link: Arc<dyn FleetLink>) -> Result<(), AlreadyLinked> {
    let mut slot = LINK.write().unwrap_or_else(PoisonError::into_inner);
    if slot.is_some() {
        return Err(AlreadyLinked);
    }
    *slot = Some(link);
    ON.store(true, Release);
    Ok(())
}

/// Removes the installed link, if any: nothing is told to a fleet any more.
pub fn uninstall() {
    let mut slot = LINK.write().unwrap_or_else(PoisonError::into_inner);
    ON.store(false, Release);
    *slot = None;
}

/// Whether a link is installed.
pub fn installed() -> bool {
    ON.load(Acquire)
}

/// Calls `f` with the link, if one is installed and this thread is not applying the fleet's
/// state. One relaxed load when no link is installed.
#[inline]
pub(crate) fn tell(f: impl FnOnce(&dyn FleetLink)) {
    if ON.load(Relaxed) {
        tell_slow(f);
    }
}

#[cold]
#[inline(never)]
fn tell_slow(f: impl FnOnce(&dyn FleetLink)) {
    if APPLYING.with(Cell::get) {
        return;
    }
    let link = LINK.read().unwrap_or_else(PoisonError::into_inner).clone();
    if let Some(link) = link {
        f(&*link);
    }
}

/// Runs `f` with this thread marked as applying the fleet's state.
pub(crate) fn applying<R>(f: impl FnOnce() -> R) -> R {
    struct Reset(bool);
    impl Drop for Reset {
        fn drop(&mut self) {
            APPLYING.with(|a| a.set(self.0));
        }
    }
    let _reset = Reset(APPLYING.with(|a| a.replace(true)));
    f()
}
