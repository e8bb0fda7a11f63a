//! Each thread's small cache of the keyed breakers it used last, so that a keyed call finds
//! its breaker without the registry's lock: a hash of the key, one or two comparisons, and a
//! reference count. 128 sets of two lines, by a hash of the registry and the key; a line whose
//! breaker was evicted is a miss. A line keeps its breaker alive until it is replaced, so an
//! evicted breaker's memory may outlive its eviction by as long as a thread keeps its line:
//! at most 256 breakers per thread.

use std::cell::RefCell;
use std::sync::Arc;

use super::circuit::CircuitBreaker;

/// Sets in a thread's cache (a power of two).
const SETS: usize = 128;

/// One cached breaker: which registry it belongs to (its address), the hash of its key.
struct Line {
    group: usize,
    hash: u64,
    breaker: Arc<CircuitBreaker>,
}

/// Two lines a set, the most recently used first.
struct Cache {
    sets: [[Option<Line>; 2]; SETS],
}

thread_local! {
    static CACHE: RefCell<Cache> = const {
        RefCell::new(Cache {
            sets: [const { [None, None] }; SETS],
        })
    };
}

/// A hash of `key` in the registry at address `group`: a multiply-rotate over 8-byte words,
/// fast for short keys. Collisions cost only a miss, since a line's key is compared too.
#[inline]
pub(super) fn hash(group: usize, key: &str) -> u64 {
    const K: u64 = 0x517c_c1b7_2722_0a95;
    let mix = |h: u64, word: u64| (h.rotate_left(5) ^ word).wrapping_mul(K);
    let bytes = key.as_bytes();
    let mut h = mix(group as u64, bytes.len() as u64);
    let mut words = bytes.chunks_exact(8);
    for word in &mut words {
        let mut w = [0u8; 8];
        w.copy_from_slice(word);
        h = mix(h, u64::from_le_bytes(w));
    }
    let rest = words.remainder();
    if !rest.is_empty() {
        let mut w = [0u8; 8];
        w[..rest.len()].copy_from_slice(rest);
        h = mix(h, u64::from_le_bytes(w));
    }
    h
}

/// The set of a hash: its top bits, which the multiply mixes best.
#[inline(always)]
fn set_of(hash: u64) -> usize {
    (hash >> (64 - SETS.trailing_zeros())) as usize
}

/// The cached breaker of registry `group` with this `hash` whose key `is_key` accepts, if it
/// was not evicted. `None` also when the thread is being torn down, or when called from
/// within the cache (never: nothing here runs user code).
#[inline]
pub(super) fn lookup(
    group: usize,
    hash: u64,
    is_key: impl Fn(&CircuitBreaker) -> bool,
) -> Option<Arc<CircuitBreaker>> {
    CACHE
        .try_with(|cache| {
            let mut cache = cache.try_borrow_mut().ok()?;
            let set = &mut cache.sets[set_of(hash)];
            let hit = |line: &Option<Line>| {
                line.as_ref().is_some_and(|l| {
                    l.group == group && l.hash == hash && !l.breaker.is_retired() && is_key(&l.breaker)
                })
            };
            if hit(&set[0]) {
                return set[0].as_ref().map(|l| Arc::clone(&l.breaker));
            }
            if hit(&set[1]) {
                set.swap(0, 1);
                return set[0].as_ref().map(|l| Arc::clone(&l.breaker));
            }
            None
        })
        .ok()
        .flatten()
}

/// Caches `breaker` for registry `group` under `hash`, first in its set: a line of the same
/// key (an evicted breaker's) is replaced, else the set's least recently used line.
pub(super) fn fill(group: usize, hash: u64, breaker: &Arc<CircuitBreaker>) {
    let line = Line {
        group,
        hash,
        breaker: Arc::clone(breaker),
    };
    let _ = CACHE.try_with(|cache| {
        let Ok(mut cache) = cache.try_borrow_mut() else {
            return;
        };
        let set = &mut cache.sets[set_of(hash)];
        let same = |l: &Option<Line>| l.as_ref().is_some_and(|l| l.group == group && l.hash == hash);
        if !same(&set[0]) {
            set.swap(0, 1);
        }
        // The replaced line's breaker is dropped here; dropping a breaker runs no user code.
        set[0] = Some(line);
    });
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;
    use crate::BreakerConfig;

    fn breaker(name: &str) -> Arc<CircuitBreaker> {
        Arc::new(CircuitBreaker::keyed(name.into(), BreakerConfig::new()))
    }

    #[test]
    fn a_filled_breaker_is_found_until_retired() {
        let b = breaker("cache_unit[a]");
        let h = hash(1, "a");
        assert!(lookup(1, h, |_| true).is_none());
        fill(1, h, &b);
        let found = lookup(1, h, |x| x.name() == "cache_unit[a]").unwrap();
        assert!(Arc::ptr_eq(&found, &b));
        // Another registry, or a key the comparison refuses, is a miss.
        assert!(lookup(2, h, |_| true).is_none());
        assert!(lookup(1, h, |_| false).is_none());
        b.retire();
        assert!(lookup(1, h, |_| true).is_none());
    }

    #[test]
    fn a_set_keeps_its_two_most_recent_lines() {
        // Three hashes of one set.
        let hashes: Vec<u64> = (0u64..).map(|i| i << 40).filter(|h| set_of(*h) == 0).take(3).collect();
        let bs: Vec<_> = (0..3).map(|i| breaker(&format!("cache_lru[{i}]"))).collect();
        fill(7, hashes[0], &bs[0]);
        fill(7, hashes[1], &bs[1]);
        // A hit on the older line makes it the most recent: the third fill replaces the other.
        assert!(lookup(7, hashes[0], |_| true).is_some());
        fill(7, hashes[2], &bs[2]);
        assert!(lookup(7, hashes[0], |_| true).is_some());
        assert!(lookup(7, hashes[1], |_| true).is_none());
        assert!(lookup(7, hashes[2], |_| true).is_some());
        // The replaced breaker is no longer held by the cache.
        assert_eq!(Arc::strong_count(&bs[1]), 1);
    }

    #[test]
    fn hashes_differ_by_key_and_registry() {
        assert_ne!(hash(1, "https://a.example"), hash(1, "https://b.example"));
        assert_ne!(hash(1, "k"), hash(2, "k"));
        assert_ne!(hash(1, ""), hash(1, "\0"));
        assert_eq!(hash(3, "same key"), hash(3, "same key"));
    }
}
