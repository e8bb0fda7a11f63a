//! The process-wide registries of rate limiters and of concurrency limits by name, and the
//! per-site handles the attributes use (`RateLimitSite`, `ConcurrencyLimitSite`): resolved
//! once, then one load per call.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::{Mutex, OnceLock, PoisonError};
use std::time::Duration;

use super::concurrency::{ConcurrencyLimit, ConcurrencyPermit};
use super::config::LimiterConfig;
use super::rate::RateLimiter;
use super::refused::RateLimited;
use super::snapshot::{ConcurrencySnapshot, LimiterSnapshot};

/// Things registered by name (sorted, for listing), each made once and kept for the life of
/// the process. Looked up only when one is registered or listed, never on a call.
struct Registry<T: 'static> {
    entries: Mutex<BTreeMap<&'static str, Entry<T>>>,
}

struct Entry<T: 'static> {
    item: &'static T,
    /// A different configuration was reported for this name already.
    warned: bool,
}

impl<T> Registry<T> {
    const fn new() -> Self {
        Registry {
            entries: Mutex::new(BTreeMap::new()),
        }
    }

    /// The item named `name`, made by `make` on the first registration. A later one whose
    /// configuration `differs` (the message saying how) is reported once per name.
    fn register(
        &self,
        name: &str,
        static_name: Option<&'static str>,
        make: impl FnOnce(&'static str) -> T,
        differs: impl FnOnce(&T) -> Option<String>,
    ) -> &'static T {
        let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(entry) = entries.get_mut(name) {
            let item = entry.item;
            let report = if entry.warned { None } else { differs(item) };
            entry.warned |= report.is_some();
            drop(entries);
            if let Some(message) = report {
                warn(message);
            }
            return item;
        }
        // Once per name for the life of the process: a bounded, deliberate leak.
        let name: &'static str = static_name.unwrap_or_else(|| Box::leak(name.into()));
        let item: &'static T = Box::leak(Box::new(make(name)));
        entries.insert(
            name,
            Entry {
                item,
                warned: false,
            },
        );
        item
    }

    fn get(&self, name: &str) -> Option<&'static T> {
        let entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        entries.get(name).map(|entry| entry.item)
    }

    fn all(&self) -> Vec<&'static T> {
        let entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        entries.values().map(|entry| entry.item).collect()
    }
}

static LIMITERS: Registry<RateLimiter> = Registry::new();
static CONCURRENCY_LIMITS: Registry<ConcurrencyLimit> = Registry::new();

fn warn(message: String) {
    #[cfg(feature = "tracing")]
    tracing::warn!(target: "retry_runtime", "{message}");
    #[cfg(not(feature = "tracing"))]
    eprintln!("warning: retry_runtime: {message}");
}

/// Creates the rate limiter named `name`, or returns the one registered under it.
///
/// The first registration of a name sets its configuration. A later one with a different
/// configuration gets the registered limiter as it is, and the difference is reported once per
/// name (a `tracing` warning with the `tracing` feature, a line on stderr without).
///
/// Register before first use to configure the limiter of a `#[rate_limit]` site: a site
/// registers its limiter on its first call, so an earlier `register_limiter` wins. The name is
/// copied once per limiter and kept for the life of the process.
///
/// ```
/// use std::time::Duration;
/// use retry_runtime::{register_limiter, LimiterConfig};
/// let rpm = LimiterConfig::new(500, Duration::from_secs(60));
/// let a = register_limiter("docs_register", rpm);
/// let b = register_limiter("docs_register", rpm.burst(1)); // warned once, ignored
/// assert!(std::ptr::eq(a, b));
/// assert_eq!(b.config(), rpm);
/// ```
pub fn register_limiter(name: &str, config: LimiterConfig) -> &'static RateLimiter {
    register_rate(name, None, config)
}

/// [`register_limiter`] for a name that is already `'static` (an attribute site's): nothing
/// is copied.
fn register_rate(
    name: &str,
    static_name: Option<&'static str>,
    config: LimiterConfig,
) -> &'static RateLimiter {
    LIMITERS.register(
        name,
        static_name,
        |name| RateLimiter::new(name, config),
        |limiter| {
            let registered = limiter.created_with();
            (registered != &config).then(|| {
                format!(
                    "rate limiter '{name}' is already registered with {registered:?}; keeping \
                     it and ignoring {config:?}"
                )
            })
        },
    )
}

/// The rate limiter registered under `name`, if any.
///
/// ```
/// use std::time::Duration;
/// use retry_runtime::{limiter, register_limiter, LimiterConfig};
/// assert!(limiter("docs_lookup").is_none());
/// register_limiter("docs_lookup", LimiterConfig::new(1, Duration::from_secs(1)));
/// assert_eq!(limiter("docs_lookup").unwrap().name(), "docs_lookup");
/// ```
pub fn limiter(name: &str) -> Option<&'static RateLimiter> {
    LIMITERS.get(name)
}

/// A snapshot of every registered rate limiter, sorted by name: for a status page or a log
/// line.
///
/// ```
/// use std::time::Duration;
/// use retry_runtime::{limiters, register_limiter, LimiterConfig};
/// let per_second = LimiterConfig::new(10, Duration::from_secs(1));
/// register_limiter("docs_list_b", per_second);
/// register_limiter("docs_list_a", per_second);
/// let names: Vec<_> = limiters().iter().map(|s| s.name).filter(|n| n.starts_with("docs_list")).collect();
/// assert_eq!(names, ["docs_list_a", "docs_list_b"]);
/// for s in limiters() {
///     println!("{s}"); // docs_list_a  10 per 1s, burst 10: 10 available, 0 waiting, 0 refused
/// }
/// ```
pub fn limiters() -> Vec<LimiterSnapshot> {
    LIMITERS
        .all()
        .into_iter()
        .map(RateLimiter::snapshot)
        .collect()
}

/// Creates the concurrency limit named `name` with `max` calls in flight at once, or returns
/// the one registered under it.
///
/// The first registration of a name sets its `max`; a later one with a different `max` gets
/// the registered limit as it is, and the difference is reported once per name, as
/// [`register_limiter`] does. A `max` of 0 makes a limit that refuses every call.
///
/// ```
/// use retry_runtime::register_concurrency_limit;
/// let a = register_concurrency_limit("docs_conc", 8);
/// let b = register_concurrency_limit("docs_conc", 8);
/// assert!(std::ptr::eq(a, b));
/// assert_eq!(a.max(), 8);
/// ```
pub fn register_concurrency_limit(name: &str, max: u32) -> &'static ConcurrencyLimit {
    register_concurrency(name, None, max)
}

fn register_concurrency(
    name: &str,
    static_name: Option<&'static str>,
    max: u32,
) -> &'static ConcurrencyLimit {
    CONCURRENCY_LIMITS.register(
        name,
        static_name,
        |name| ConcurrencyLimit::new(name, max),
        |limit| {
            (limit.max() != max).then(|| {
                format!(
                    "concurrency limit '{name}' is already registered with max {}; keeping it \
                     and ignoring max {max}",
                    limit.max()
                )
            })
        },
    )
}

/// The concurrency limit registered under `name`, if any.
///
/// ```
/// use retry_runtime::{concurrency_limit, register_concurrency_limit};
/// assert!(concurrency_limit("docs_conc_lookup").is_none());
/// register_concurrency_limit("docs_conc_lookup", 2);
/// assert_eq!(concurrency_limit("docs_conc_lookup").unwrap().max(), 2);
/// ```
pub fn concurrency_limit(name: &str) -> Option<&'static ConcurrencyLimit> {
    CONCURRENCY_LIMITS.get(name)
}

/// A snapshot of every registered concurrency limit, sorted by name.
///
/// ```
/// use retry_runtime::{concurrency_limits, register_concurrency_limit};
/// register_concurrency_limit("docs_conc_list", 4);
/// let s = concurrency_limits().into_iter().find(|s| s.name == "docs_conc_list").unwrap();
/// assert_eq!((s.max, s.in_flight), (4, 0));
/// ```
pub fn concurrency_limits() -> Vec<ConcurrencySnapshot> {
    CONCURRENCY_LIMITS
        .all()
        .into_iter()
        .map(ConcurrencyLimit::snapshot)
        .collect()
}

/// A `#[rate_limit]` site's limiter: registered on first use with the site's configuration
/// (a configuration registered earlier under the name wins), then one load per call.
#[doc(hidden)]
pub struct RateLimitSite {
    name: &'static str,
    config: LimiterConfig,
    resolved: OnceLock<&'static RateLimiter>,
}

impl RateLimitSite {
    /// A site of the limiter `name`, with the attribute's configuration.
    pub const fn new(name: &'static str, config: LimiterConfig) -> Self {
        RateLimitSite {
            name,
            config,
            resolved: OnceLock::new(),
        }
    }

    /// The site's limiter.
    #[inline]
    pub fn get(&'static self) -> &'static RateLimiter {
        match self.resolved.get() {
            Some(limiter) => limiter,
            None => self.resolve(),
        }
    }

    #[cold]
    #[inline(never)]
    fn resolve(&'static self) -> &'static RateLimiter {
        self.resolved
            .get_or_init(|| register_rate(self.name, Some(self.name), self.config))
    }
}

impl fmt::Debug for RateLimitSite {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RateLimitSite")
            .field("name", &self.name)
            .field("config", &self.config)
            .finish()
    }
}

/// A `#[concurrency_limit]` site's limit and its own `max_wait`: the limit is registered on
/// first use with the site's `max` (a limit registered earlier under the name wins), then one
/// load per call.
#[doc(hidden)]
pub struct ConcurrencyLimitSite {
    name: &'static str,
    max: u32,
    max_wait: Duration,
    resolved: OnceLock<&'static ConcurrencyLimit>,
}

impl ConcurrencyLimitSite {
    /// A site of the limit `name`, with the attribute's `max` and `max_wait`.
    pub const fn new(name: &'static str, max: u32, max_wait: Duration) -> Self {
        ConcurrencyLimitSite {
            name,
            max,
            max_wait,
            resolved: OnceLock::new(),
        }
    }

    /// The site's limit.
    #[inline]
    pub fn get(&'static self) -> &'static ConcurrencyLimit {
        match self.resolved.get() {
            Some(limit) => limit,
            None => self.resolve(),
        }
    }

    #[cold]
    #[inline(never)]
    fn resolve(&'static self) -> &'static ConcurrencyLimit {
        self.resolved
            .get_or_init(|| register_concurrency(self.name, Some(self.name), self.max))
    }

    /// A slot for a sync call, waiting up to the site's `max_wait`.
    #[inline]
    pub fn acquire(&'static self) -> Result<ConcurrencyPermit<'static>, RateLimited> {
        self.get().acquire_within(self.max_wait)
    }

    /// A slot for an async call, waiting up to the site's `max_wait` on tokio's clock.
    #[cfg(feature = "tokio")]
    pub async fn acquire_async(&'static self) -> Result<ConcurrencyPermit<'static>, RateLimited> {
        self.get().acquire_async_within(self.max_wait).await
    }
}

impl fmt::Debug for ConcurrencyLimitSite {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConcurrencyLimitSite")
            .field("name", &self.name)
            .field("max", &self.max)
            .field("max_wait", &self.max_wait)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_site_registers_once_and_an_earlier_registration_wins() {
        let registered = LimiterConfig::new(5, Duration::from_secs(1));
        register_limiter("registry_unit_rate", registered);
        static SITE: RateLimitSite = RateLimitSite::new(
            "registry_unit_rate",
            LimiterConfig::new(9, Duration::from_secs(1)),
        );
        let l = SITE.get();
        assert!(std::ptr::eq(l, SITE.get()));
        assert!(std::ptr::eq(l, limiter("registry_unit_rate").unwrap()));
        assert_eq!(l.config(), registered);
    }

    #[test]
    fn a_concurrency_site_registers_once_with_its_max() {
        static SITE: ConcurrencyLimitSite =
            ConcurrencyLimitSite::new("registry_unit_conc", 2, Duration::ZERO);
        let a = SITE.acquire().unwrap();
        let b = SITE.acquire().unwrap();
        // A wait of zero: refused at once.
        assert!(SITE.acquire().is_err());
        assert!(std::ptr::eq(
            SITE.get(),
            concurrency_limit("registry_unit_conc").unwrap()
        ));
        assert_eq!(register_concurrency_limit("registry_unit_conc", 7).max(), 2);
        drop((a, b));
        assert_eq!(SITE.get().snapshot().in_flight, 0);
    }
}
