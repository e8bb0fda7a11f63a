//! The fleet link: how a backend that shares state between processes (the `retry-redis`
//! crate's `Fleet`) hears of this process's breakers, budgets and limiters, and feeds the
//! fleet's state back into them.
//!
//! Nothing here is on a success path. A link is told of a breaker's transitions, of a closed
//! breaker's run of failures as it grows or ends, of a breaker whose open deadline passed and
//! that needs a fleet-wide probe slot, and of a budget whose leased tokens ran out; each call
//! must return at once (the `retry-redis` link queues a message for its sync task). The link
//! feeds back through the `fleet_*` methods of [`CircuitBreaker`], [`SharedBudget`] and
//! [`RateLimiter`](crate::RateLimiter), which never tell the link of what they apply (no echo).
//!
//! With no link installed (the default) every object behaves as it does alone; a link that is
//! uninstalled, or a backend that loses its connection, hands each object back its local
//! behaviour with [`CircuitBreaker::fleet_release`], [`SharedBudget::fleet_release`] and
//! [`RateLimiter::set_rate`](crate::RateLimiter::set_rate).
//!
//! ```
//! use std::sync::Arc;
//! use std::time::Duration;
//! use retry_runtime::fleet::{self, FleetLink};
//! use retry_runtime::State;
//!
//! struct Print;
//! impl FleetLink for Print {
//!     fn breaker_changed(&self, name: &str, from: State, to: State, _open_for: Option<Duration>) {
//!         println!("{name}: {from} -> {to}");
//!     }
//!     fn breaker_failures(&self, _name: &str, _streak: u32) {}
//!     fn probe_wanted(&self, _name: &str) {}
//!     fn budget_wanted(&self, _name: &str) {}
//! }
//!
//! fleet::install(Arc::new(Print)).unwrap();
//! assert!(fleet::install(Arc::new(Print)).is_err());
//! fleet::uninstall();
//! ```

pub(crate) mod link;

pub use link::{install, installed, uninstall, AlreadyLinked, FleetLink};

use crate::breaker::{breaker, breakers, keyed_breaker, CircuitBreaker};
use crate::budget::SharedBudget;

/// Runs `f` on the breaker of `name`: a named breaker of the registry, or a keyed breaker by
/// its full name (`openai[https://api.openai.com]`). `None` if there is no such breaker.
///
/// ```
/// use retry_runtime::{fleet, register_breaker, BreakerConfig, State};
/// register_breaker("fleet-doc", BreakerConfig::new());
/// assert_eq!(fleet::with_breaker("fleet-doc", |b| b.state()), Some(State::Closed));
/// assert_eq!(fleet::with_breaker("fleet-nothing", |b| b.state()), None);
/// ```
pub fn with_breaker<R>(name: &str, f: impl FnOnce(&CircuitBreaker) -> R) -> Option<R> {
    if let Some(b) = breaker(name) {
        return Some(f(b));
    }
    let (base, rest) = name.split_once('[')?;
    let key = rest.strip_suffix(']')?;
    keyed_breaker(base, key).map(|b| f(&b))
}

/// The full names of every breaker of the process: the registry's and the keyed ones.
pub fn breaker_names() -> Vec<String> {
    breakers()
        .into_iter()
        .map(|s| s.name.into_owned())
        .collect()
}

/// Every budget of the process (the registry's, by name).
pub fn budgets() -> Vec<&'static SharedBudget> {
    crate::budget::all()
}
