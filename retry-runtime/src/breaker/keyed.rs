//! Keyed breakers: one breaker per key under a name (`#[circuit_breaker(openai, key = ...)]`),
//! each named `openai[<key>]`, at most `max_keys` of them per name, the least recently used
//! dropped past it. The registry of keyed breakers by name, [`keyed_breaker`], the per-site
//! handle [`KeyedSite`], and [`breakers`], which lists named and keyed breakers together.
//!
//! # Cost of a call
//!
//! A call finds its breaker in its thread's caches (`thread_cache.rs`): its site's last one
//! when the key is the same (one comparison), else by a hash of the key and one comparison;
//! it marks it used, and holds it by a reference taken from the cache: no lock, no atomic
//! instruction and no allocation. A key that is a string is used as it is; any other `Display`
//! key is written into a buffer on the stack (a key longer than 128 bytes is the only one that
//! allocates). A miss takes the registry's lock and, for a new key, allocates the breaker and
//! its name.
//!
//! # Least recently used
//!
//! The registry counts the breakers it creates; a call marks its breaker with that count (a
//! write only when the count moved since the breaker's last use). When a new key would
//! exceed `max_keys`, the breaker with the oldest mark goes: among breakers last used between
//! the same two creations, the one created first. Marks are kept in order in a `BTreeMap`,
//! updated lazily: the first breaker in order whose mark has moved is put back in its place,
//! and the first whose mark has not is the one to drop, so each eviction costs a few map
//! operations, not a scan.
//!
//! An evicted breaker is retired: calls that hold it (a permit in flight) finish and settle on
//! it, new calls of its key get a fresh, closed breaker. Its memory is freed when the last
//! holder lets go (a thread's cache keeps it until the line is reused: `thread_cache.rs`); its
//! name is freed with it, never leaked.

use std::collections::{BTreeMap, HashMap};
use std::fmt::{self, Write as _};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering::Relaxed};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError};
use std::thread::LocalKey;

use super::circuit::CircuitBreaker;
use super::config::BreakerConfig;
use super::registry::{self, apply_env, registered_config, warn};
use super::snapshot::BreakerSnapshot;
use super::thread_cache::{self, KeyedHandle, Last, LastKey};
use crate::env::EnvNames;
use crate::padded::CachePadded;

/// The keyed breakers of one name. What a call reads (`created`, the name's length) comes
/// first, on one cache line (`repr(C)`); the lock, which misses write, on lines of its own.
#[repr(C)]
pub(crate) struct KeyedBreakers {
    /// Twice the breakers created so far: the clock of least-recent use (a creation is marked
    /// with its even value, a use with the odd one after it, so a use counts as more recent
    /// than the creation before it). Read on every call, written on every creation.
    created: AtomicU64,
    /// The name, without a key.
    name: &'static str,
    max_keys: usize,
    /// A second site's different configuration was reported.
    warned_config: AtomicBool,
    config: BreakerConfig,
    keys: CachePadded<Mutex<Keys>>,
}

/// The breakers by key, and in order of last use.
#[derive(Default)]
struct Keys {
    by_key: HashMap<Box<str>, Arc<CircuitBreaker>>,
    /// `(mark when last placed, creation number)` → breaker: the eviction order, placed
    /// lazily (see the module docs).
    order: BTreeMap<(u64, u64), Arc<CircuitBreaker>>,
    /// An eviction was reported.
    warned_eviction: bool,
}

/// Every name's keyed breakers (each set made once per name, for the life of the process).
static GROUPS: Mutex<BTreeMap<&'static str, &'static KeyedBreakers>> = Mutex::new(BTreeMap::new());

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The keyed breakers of `name`, made with `config` and `max_keys` if there are none yet. A
/// different configuration or bound of a later site is reported once per name.
fn group(name: &'static str, config: BreakerConfig, max_keys: usize) -> &'static KeyedBreakers {
    let mut groups = lock(&GROUPS);
    if let Some(&group) = groups.get(name) {
        drop(groups);
        let differs = group.config != config || group.max_keys != max_keys;
        if differs && !group.warned_config.swap(true, Relaxed) {
            warn(format!(
                "keyed circuit breakers '{name}' already exist with {:?} and max_keys = {}; \
                 keeping them and ignoring {config:?} and max_keys = {max_keys}",
                group.config, group.max_keys
            ));
        }
        return group;
    }
    // Once per name for the life of the process, like a named breaker.
    let group: &'static KeyedBreakers = Box::leak(Box::new(KeyedBreakers {
        name,
        config,
        max_keys: max_keys.max(1),
        created: AtomicU64::new(0),
        keys: CachePadded::new(Mutex::new(Keys::default())),
        warned_config: AtomicBool::new(false),
    }));
    groups.insert(name, group);
    group
}

impl KeyedBreakers {
    /// The breaker of `key`, created if needed: the site's last one on this thread (`last`)
    /// when the key is the same, else the thread's cache by the key's hash, else the registry.
    #[inline(always)]
    pub(crate) fn get(&'static self, last: &'static LocalKey<LastKey>, key: &str) -> KeyedHandle {
        let id = self.id();
        let last_one = |b: &CircuitBreaker| b.owner() == id && self.has_key(b, key);
        match thread_cache::take_last(last, last_one) {
            Last::Hit(breaker, hash) => {
                breaker.touch(self.now());
                KeyedHandle::new(breaker, hash, Some(last))
            }
            Last::Empty => self.get_other(Some(last), key),
            Last::Other => self.get_other(None, key),
        }
    }

    /// The breaker of a key other than the site's last on this thread: from the thread's
    /// cache, else the registry; given back to `last` if any.
    #[inline(never)]
    fn get_other(
        &'static self,
        last: Option<&'static LocalKey<LastKey>>,
        key: &str,
    ) -> KeyedHandle {
        let id = self.id();
        let hash = thread_cache::hash(id, key);
        let is_key = |b: &CircuitBreaker| self.has_key(b, key);
        let breaker = match thread_cache::take(id, hash, is_key) {
            Some(breaker) => {
                breaker.touch(self.now());
                breaker
            }
            None => self.get_slow(key, hash),
        };
        KeyedHandle::new(breaker, hash, last)
    }

    /// The mark of a use now: after every creation so far.
    #[inline(always)]
    fn now(&self) -> u64 {
        self.created.load(Relaxed) | 1
    }

    /// This set's identity in the thread caches: its address (it lives as long as the process).
    fn id(&'static self) -> usize {
        std::ptr::from_ref(self) as usize
    }

    /// Whether one of its breakers is the breaker of `key`: its name is `name[<key>]`.
    #[inline(always)]
    fn has_key(&self, breaker: &CircuitBreaker, key: &str) -> bool {
        let (full, key) = (breaker.name().as_bytes(), key.as_bytes());
        let start = self.name.len() + 1;
        full.len() == start + key.len() + 1 && full.get(start..start + key.len()) == Some(key)
    }

    /// The key of one of its breakers: its name without `name[` and `]`.
    fn key_of<'b>(&self, breaker: &'b CircuitBreaker) -> &'b str {
        let full = breaker.name();
        full.get(self.name.len() + 1..full.len().saturating_sub(1))
            .unwrap_or_default()
    }

    #[cold]
    #[inline(never)]
    fn get_slow(&'static self, key: &str, hash: u64) -> Arc<CircuitBreaker> {
        let (breaker, created, evicted) = {
            let mut keys = lock(&self.keys);
            match keys.by_key.get(key) {
                Some(breaker) => {
                    let breaker = Arc::clone(breaker);
                    breaker.touch(self.now());
                    (breaker, false, None)
                }
                None => {
                    let (breaker, evicted) = self.insert(&mut keys, key);
                    (breaker, true, evicted)
                }
            }
        };
        if let Some((evicted, first)) = evicted {
            if first {
                warn(format!(
                    "keyed circuit breakers '{}': more than max_keys = {} keys; dropping the \
                     least recently used ('{}' first)",
                    self.name,
                    self.max_keys,
                    evicted.name()
                ));
            }
            // The registry's hold on it ends here, outside the lock.
            drop(evicted);
        }
        #[cfg(feature = "metrics")]
        if created {
            crate::metrics::breaker_registered(
                breaker.breaker_name().label(),
                breaker.state().metric(),
            );
        }
        #[cfg(not(feature = "metrics"))]
        let _ = created;
        thread_cache::fill(self.id(), hash, &breaker);
        breaker
    }

    /// Creates the breaker of `key`, first evicting the least recently used one when there
    /// are `max_keys` already; returns it, and the evicted one with whether it was the first
    /// eviction of this name.
    fn insert(
        &'static self,
        keys: &mut Keys,
        key: &str,
    ) -> (Arc<CircuitBreaker>, Option<(Arc<CircuitBreaker>, bool)>) {
        let evicted = if keys.by_key.len() >= self.max_keys {
            self.evict(keys).map(|breaker| {
                let first = !std::mem::replace(&mut keys.warned_eviction, true);
                (breaker, first)
            })
        } else {
            None
        };
        let created = self.created.fetch_add(2, Relaxed) + 2;
        let name: Arc<str> = format!("{}[{key}]", self.name).into();
        let breaker = Arc::new(CircuitBreaker::keyed(name, self.config, self.id()));
        breaker.touch(created);
        let place = (created, created);
        keys.order.insert(place, Arc::clone(&breaker));
        keys.by_key.insert(key.into(), Arc::clone(&breaker));
        (breaker, evicted)
    }

    /// Removes and retires the least recently used breaker.
    fn evict(&self, keys: &mut Keys) -> Option<Arc<CircuitBreaker>> {
        while let Some(((placed_at, number), breaker)) = keys.order.pop_first() {
            let used = breaker.last_used();
            if used > placed_at {
                // Used since it was placed: back in line at its last use.
                keys.order.insert((used, number), breaker);
                continue;
            }
            keys.by_key.remove(self.key_of(&breaker));
            breaker.retire();
            return Some(breaker);
        }
        None
    }

    /// Its breakers, in no order.
    fn all(&self) -> Vec<Arc<CircuitBreaker>> {
        let keys = lock(&self.keys);
        keys.order.values().cloned().collect()
    }

    /// How many breakers it holds (for the tests of its bound).
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        lock(&self.keys).by_key.len()
    }
}

/// The keyed breakers of `name`, if a site made them.
pub(crate) fn keyed_group(name: &str) -> Option<&'static KeyedBreakers> {
    lock(&GROUPS).get(name).copied()
}

/// The keyed breaker of `key` under `name`, if it exists (a `#[circuit_breaker(name, key =
/// ...)]` site made it, and it was not evicted since). Looking a breaker up does not count as
/// a use: it does not keep it from eviction.
///
/// ```
/// use retry_runtime::{circuit_breaker, keyed_breaker, CircuitOpen, State};
///
/// #[derive(Debug)]
/// enum ApiError { Down, Open(CircuitOpen) }
/// impl From<CircuitOpen> for ApiError {
///     fn from(e: CircuitOpen) -> Self { ApiError::Open(e) }
/// }
///
/// struct Client { base_url: String }
///
/// impl Client {
///     #[circuit_breaker(docs_keyed, key = self.base_url, failure_threshold = 1)]
///     fn get(&self, up: bool) -> Result<u32, ApiError> {
///         if up { Ok(200) } else { Err(ApiError::Down) }
///     }
/// }
///
/// let down = Client { base_url: "https://a.example".into() };
/// let up = Client { base_url: "https://b.example".into() };
/// assert!(matches!(down.get(false), Err(ApiError::Down)));
/// // Only the failing host's breaker opened.
/// assert!(matches!(down.get(true), Err(ApiError::Open(_))));
/// assert_eq!(up.get(true).unwrap(), 200);
///
/// let a = keyed_breaker("docs_keyed", "https://a.example").unwrap();
/// assert_eq!(a.name(), "docs_keyed[https://a.example]");
/// assert_eq!(a.state(), State::Open);
/// assert!(keyed_breaker("docs_keyed", "https://c.example").is_none());
/// ```
pub fn keyed_breaker(name: &str, key: impl fmt::Display) -> Option<Arc<CircuitBreaker>> {
    let group = keyed_group(name)?;
    let mut text = String::new();
    // A `Display` that fails leaves what it wrote: its key is that text.
    let _ = write!(text, "{key}");
    let keys = lock(&group.keys);
    keys.by_key.get(text.as_str()).map(Arc::clone)
}

/// Snapshots of every keyed breaker, in no order (taken outside every lock: one may run a
/// transition hook).
fn snapshots() -> Vec<BreakerSnapshot> {
    let groups: Vec<&'static KeyedBreakers> = lock(&GROUPS).values().copied().collect();
    let all: Vec<Arc<CircuitBreaker>> = groups.iter().flat_map(|g| g.all()).collect();
    all.iter().map(|b| b.snapshot()).collect()
}

/// A snapshot of every breaker, named and keyed (a keyed one's name is `openai[<key>]`),
/// sorted by name: for a status page or a log line.
///
/// ```
/// use retry_runtime::{breakers, register_breaker, BreakerConfig};
/// register_breaker("docs_b", BreakerConfig::new());
/// register_breaker("docs_a", BreakerConfig::new());
/// let names: Vec<_> = breakers().into_iter().map(|s| s.name).filter(|n| n.starts_with("docs_")).collect();
/// assert_eq!(names, ["docs_a", "docs_b"]);
/// for s in breakers() {
///     println!("{s}"); // docs_a  CLOSED  failures 0 in a row, 0/0 in window, 0 rejected
/// }
/// ```
pub fn breakers() -> Vec<BreakerSnapshot> {
    let mut all = registry::snapshots();
    all.extend(snapshots());
    all.sort_by(|a, b| a.name.cmp(&b.name));
    all
}

/// A keyed `#[circuit_breaker]` site: resolves its name's keyed breakers once (the
/// configuration registered for the name with `register_breaker` if any, else the site's with
/// its environment overrides), then finds each call's breaker by its key.
#[doc(hidden)]
#[derive(Debug)]
pub struct KeyedSite {
    name: &'static str,
    max_keys: u32,
    env: Option<EnvNames>,
    group: OnceLock<&'static KeyedBreakers>,
}

impl fmt::Debug for KeyedBreakers {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // No lock taken: a `Debug` may be formatted anywhere.
        f.debug_struct("KeyedBreakers")
            .field("name", &self.name)
            .field("max_keys", &self.max_keys)
            .finish_non_exhaustive()
    }
}

impl KeyedSite {
    /// A site of the keyed breakers `name`, at most `max_keys` of them, with the attribute's
    /// `env` variables.
    pub const fn new(name: &'static str, max_keys: u32, env: Option<EnvNames>) -> Self {
        KeyedSite {
            name,
            max_keys,
            env,
            group: OnceLock::new(),
        }
    }

    /// The breaker of `key`, the site's configuration `config` used on the first call; `last`
    /// is the site's own [`LastKey`] (a `thread_local!` beside the site's `static`).
    #[inline(always)]
    pub fn get(
        &'static self,
        last: &'static LocalKey<LastKey>,
        config: &BreakerConfig,
        key: &str,
    ) -> KeyedHandle {
        let group = match self.group.get() {
            Some(group) => group,
            None => self.resolve(config),
        };
        group.get(last, key)
    }

    /// The breaker of a key shown by `Display`: written into a buffer on the stack (a longer
    /// key than it holds spills to the heap).
    #[inline]
    pub fn get_display(
        &'static self,
        last: &'static LocalKey<LastKey>,
        config: &BreakerConfig,
        key: &dyn fmt::Display,
    ) -> KeyedHandle {
        let mut text = KeyText::new();
        // A `Display` that fails leaves what it wrote: its key is that text.
        let _ = write!(text, "{key}");
        self.get(last, config, text.as_str())
    }

    #[cold]
    #[inline(never)]
    fn resolve(&'static self, config: &BreakerConfig) -> &'static KeyedBreakers {
        self.group.get_or_init(|| {
            let config = registered_config(self.name).unwrap_or_else(|| match &self.env {
                Some(names) => apply_env(*config, names, |name| std::env::var(name).ok(), warn),
                None => *config,
            });
            group(self.name, config, self.max_keys as usize)
        })
    }
}

/// A key written by `Display`: on the stack up to 128 bytes, on the heap past them.
struct KeyText {
    bytes: [u8; 128],
    len: usize,
    spilled: String,
}

impl KeyText {
    fn new() -> Self {
        KeyText {
            bytes: [0; 128],
            len: 0,
            spilled: String::new(),
        }
    }

    fn as_str(&self) -> &str {
        if self.spilled.is_empty() {
            // Whole `str`s were copied in: always UTF-8.
            std::str::from_utf8(&self.bytes[..self.len]).unwrap_or_default()
        } else {
            &self.spilled
        }
    }
}

impl fmt::Write for KeyText {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        if self.spilled.is_empty() && self.len + s.len() <= self.bytes.len() {
            self.bytes[self.len..self.len + s.len()].copy_from_slice(s.as_bytes());
            self.len += s.len();
        } else {
            if self.spilled.is_empty() {
                let written = std::str::from_utf8(&self.bytes[..self.len]).unwrap_or_default();
                self.spilled.push_str(written);
            }
            self.spilled.push_str(s);
        }
        Ok(())
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;
    use crate::State;

    fn site(name: &'static str, max_keys: u32) -> &'static KeyedSite {
        Box::leak(Box::new(KeyedSite::new(name, max_keys, None)))
    }

    const ONE_FAILURE: BreakerConfig = BreakerConfig::new().failure_threshold(1);

    thread_local! {
        // One for every test site: a site's last breaker is checked against its registry.
        static LAST: LastKey = const { LastKey::new() };
    }

    fn sget(s: &'static KeyedSite, key: &str) -> Arc<CircuitBreaker> {
        s.get(&LAST, &ONE_FAILURE, key).shared()
    }

    fn sdisp(
        s: &'static KeyedSite,
        config: &BreakerConfig,
        key: &dyn fmt::Display,
    ) -> Arc<CircuitBreaker> {
        s.get_display(&LAST, config, key).shared()
    }

    #[test]
    fn each_key_has_its_own_breaker() {
        let s = site("keyed_unit_own", 8);
        let a = sget(s, "a");
        let b = sget(s, "b");
        assert_eq!(
            (a.name(), b.name()),
            ("keyed_unit_own[a]", "keyed_unit_own[b]")
        );
        a.try_acquire().unwrap().failure();
        assert_eq!(a.state(), State::Open);
        assert_eq!(b.state(), State::Closed);
        // The same key finds the same breaker, through the cache and through the registry.
        assert!(Arc::ptr_eq(&sget(s, "a"), &a));
        assert!(Arc::ptr_eq(
            &keyed_breaker("keyed_unit_own", "a").unwrap(),
            &a
        ));
        assert!(Arc::ptr_eq(&sdisp(s, &ONE_FAILURE, &'a'), &a));
    }

    #[test]
    fn the_least_recently_used_key_is_evicted() {
        let s = site("keyed_unit_lru", 3);
        let a = sget(s, "a");
        let _b = sget(s, "b");
        let _c = sget(s, "c");
        // `a` is used after `b` and `c` were created: `b` is now the least recently used.
        let _ = sget(s, "a");
        let _d = sget(s, "d");
        let group = keyed_group("keyed_unit_lru").unwrap();
        assert_eq!(group.len(), 3);
        assert!(keyed_breaker("keyed_unit_lru", "b").is_none());
        for kept in ["a", "c", "d"] {
            assert!(keyed_breaker("keyed_unit_lru", kept).is_some(), "{kept}");
        }
        // Then `c` (created before `d`, neither used since).
        let _e = sget(s, "e");
        assert!(keyed_breaker("keyed_unit_lru", "c").is_none());
        assert!(Arc::ptr_eq(
            &keyed_breaker("keyed_unit_lru", "a").unwrap(),
            &a
        ));
    }

    #[test]
    fn an_evicted_breaker_is_retired_and_its_key_starts_afresh() {
        let s = site("keyed_unit_retire", 1);
        let a = sget(s, "a");
        let permit = a.try_acquire().unwrap();
        let _b = sget(s, "b");
        assert!(a.is_retired());
        // A call holding the evicted breaker settles on it harmlessly.
        permit.failure();
        assert_eq!(a.state(), State::Open);
        // The key gets a new, closed breaker.
        let again = sget(s, "a");
        assert!(!Arc::ptr_eq(&again, &a));
        assert_eq!(again.state(), State::Closed);
        // The registry let the old one go: only this test holds it.
        assert_eq!(Arc::strong_count(&a), 1);
    }

    #[test]
    fn a_hundred_thousand_keys_keep_the_registry_bounded() {
        let s = site("keyed_unit_flat", 1024);
        let mut weak = Vec::new();
        for i in 0..100_000u32 {
            let b = sdisp(s, &BreakerConfig::new(), &i);
            if i < 10 {
                weak.push(Arc::downgrade(&b));
            }
        }
        let group = keyed_group("keyed_unit_flat").unwrap();
        assert_eq!(group.len(), 1024);
        assert_eq!(lock(&group.keys).order.len(), 1024);
        let listed = snapshots()
            .into_iter()
            .filter(|s| s.name.starts_with("keyed_unit_flat["))
            .count();
        assert_eq!(listed, 1024);
        // The first keys' breakers were evicted and freed: the registry let them go, and this
        // thread's cache lines for them were reused by later keys.
        assert!(weak.iter().all(|w| w.upgrade().is_none()));
    }

    #[test]
    fn a_registered_configuration_wins_over_the_site() {
        let registered = BreakerConfig::new().failure_threshold(9);
        crate::register_breaker("keyed_unit_registered", registered);
        let s = site("keyed_unit_registered", 4);
        assert_eq!(sget(s, "x").config(), &registered);
    }

    #[test]
    fn long_display_keys_spill_to_the_heap() {
        let s = site("keyed_unit_long", 4);
        let long = "k".repeat(300);
        let b = sdisp(s, &BreakerConfig::new(), &long);
        assert_eq!(b.name().len(), "keyed_unit_long[]".len() + 300);
        assert!(Arc::ptr_eq(
            &s.get(&LAST, &BreakerConfig::new(), &long).shared(),
            &b
        ));
    }
}
