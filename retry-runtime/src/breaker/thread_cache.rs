//! Each thread's small cache of the keyed breakers it used last, so that a keyed call finds
//! its breaker without the registry's lock and holds it without an atomic instruction: a hash
//! of the key, a comparison or two, and a reference taken from a spare and given back when the
//! call ends ([`KeyedHandle`]).
//!
//! 128 sets of four lines, by a hash of the registry and the key, made on a thread's first
//! keyed call (one allocation per thread, nothing in threads that make none); a line whose
//! breaker was evicted is a miss. A line holds one reference to its breaker; each set holds
//! one spare reference, the one its last call gave back. A call takes the spare if it is its
//! breaker's (else it clones the line's, an atomic increment), and gives its reference back
//! to the set of its key on the thread where it ends (replacing the spare there: an atomic
//! decrement when that was another reference). So a thread calling one key, or a few dozen in
//! turn, pays no atomic read-modify-write in the steady state; calls of one key in flight
//! together on one thread, or keys sharing a set, pay one increment and one decrement each.
//!
//! A line or a spare keeps its breaker alive until replaced, so an evicted breaker's memory
//! may outlive its eviction for as long as a thread keeps it: at most 640 breakers per thread.

use std::cell::RefCell;
use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

use super::circuit::CircuitBreaker;

/// Sets in a thread's cache (a power of two), and lines in a set: 512 lines, so that a few
/// dozen keys in turn (64 hosts or models) rarely find a set full.
const SETS: usize = 128;
const WAYS: usize = 4;

/// One cached breaker, and which registry it belongs to (its address).
struct Line {
    group: usize,
    breaker: Arc<CircuitBreaker>,
}

/// A set: its lines, their keys' hashes (compared first), when each was last used (by the
/// set's own count of uses, so that nothing moves on a hit), and the spare reference.
struct Set {
    hashes: [u64; WAYS],
    lines: [Option<Line>; WAYS],
    used: [u32; WAYS],
    uses: u32,
    spare: Option<Arc<CircuitBreaker>>,
}

impl Set {
    /// The way holding the line of `group` and `hash`, if any.
    #[inline(always)]
    fn find(&self, group: usize, hash: u64) -> Option<usize> {
        (0..WAYS).find(|&way| {
            self.hashes[way] == hash && self.lines[way].as_ref().is_some_and(|l| l.group == group)
        })
    }

    /// Marks `way` used now.
    #[inline(always)]
    fn touch(&mut self, way: usize) {
        self.uses = self.uses.wrapping_add(1);
        self.used[way] = self.uses;
    }

    /// The way to fill: an empty one, else the least recently used (by the distance of its
    /// last use from now, so the count may wrap).
    fn victim(&self) -> usize {
        (0..WAYS)
            .max_by_key(|&way| match self.lines[way] {
                None => u32::MAX,
                Some(_) => self.uses.wrapping_sub(self.used[way]),
            })
            .unwrap_or(0)
    }
}

/// A thread's cache, made on its first keyed call: one allocation per thread, and nothing in
/// the threads that never make one.
type Cache = Option<Box<[Set; SETS]>>;

thread_local! {
    static CACHE: RefCell<Cache> = const { RefCell::new(None) };
}

/// A hash of `key` in the registry at address `group`: folded 64x64-bit multiplies over
/// 16-byte blocks (as foldhash and wyhash do), fast for short keys. Collisions cost only a
/// miss, since a line's key is compared too.
#[inline]
pub(super) fn hash(group: usize, key: &str) -> u64 {
    const K: [u64; 4] = [
        0x243f_6a88_85a3_08d3,
        0x1319_8a2e_0370_7344,
        0xa409_3822_299f_31d0,
        0x082e_fa98_ec4e_6c89,
    ];
    #[inline(always)]
    fn fold(x: u64, y: u64) -> u64 {
        let full = u128::from(x) * u128::from(y);
        (full as u64) ^ ((full >> 64) as u64)
    }
    #[inline(always)]
    fn word(bytes: &[u8], at: usize) -> u64 {
        let mut w = [0u8; 8];
        w.copy_from_slice(&bytes[at..at + 8]);
        u64::from_le_bytes(w)
    }
    let bytes = key.as_bytes();
    let len = bytes.len();
    let mut h = fold(group as u64 ^ K[0], len as u64 ^ K[1]);
    let mut at = 0;
    while len - at > 16 {
        h = fold(word(bytes, at) ^ K[2] ^ h, word(bytes, at + 8) ^ K[3]);
        at += 16;
    }
    // The last 1 to 16 bytes, read as two words that may overlap (or as smaller pieces).
    let rest = &bytes[at..];
    let (a, b) = match rest.len() {
        8..=16 => (word(rest, 0), word(rest, rest.len() - 8)),
        4..=7 => {
            let half = |at: usize| {
                let mut w = [0u8; 4];
                w.copy_from_slice(&rest[at..at + 4]);
                u64::from(u32::from_le_bytes(w))
            };
            (half(0), half(rest.len() - 4))
        }
        1..=3 => {
            let (first, mid, last) = (rest[0], rest[rest.len() / 2], rest[rest.len() - 1]);
            (
                u64::from(first) << 16 | u64::from(mid) << 8 | u64::from(last),
                0,
            )
        }
        _ => (0, 0),
    };
    fold(a ^ K[2] ^ h, b ^ K[3])
}

/// Whether two keys are equal, compared 8 bytes at a time (the last word overlapping): for
/// the short keys of a keyed call, cheaper than a call to `memcmp`.
#[inline]
pub(super) fn same_key(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    if a.len() < 8 {
        return a == b;
    }
    let word = |bytes: &[u8], at: usize| {
        let mut w = [0u8; 8];
        w.copy_from_slice(&bytes[at..at + 8]);
        u64::from_le_bytes(w)
    };
    let last = a.len() - 8;
    let mut at = 0;
    while at < last {
        if word(a, at) != word(b, at) {
            return false;
        }
        at += 8;
    }
    word(a, last) == word(b, last)
}

/// The set of a hash: its top bits.
#[inline(always)]
fn set_of(hash: u64) -> usize {
    (hash >> (64 - SETS.trailing_zeros())) as usize
}

/// A keyed call's hold on its breaker. Dereferences to the breaker; dropped, it gives its
/// reference back to the current thread's cache (no atomic instruction) or, when the cache has
/// no room for it, drops it.
pub struct KeyedHandle {
    /// `Some` until dropped.
    breaker: Option<Arc<CircuitBreaker>>,
    /// Its key's hash, which finds its line when it is given back.
    hash: u64,
}

impl KeyedHandle {
    /// A handle on `breaker`, whose key hashes to `hash`.
    pub(super) fn new(breaker: Arc<CircuitBreaker>, hash: u64) -> Self {
        KeyedHandle {
            breaker: Some(breaker),
            hash,
        }
    }
}

impl KeyedHandle {
    /// Another reference to the breaker, for tests.
    #[cfg(test)]
    pub(crate) fn shared(&self) -> Arc<CircuitBreaker> {
        Arc::clone(self.breaker.as_ref().expect("held until dropped"))
    }
}

impl Deref for KeyedHandle {
    type Target = CircuitBreaker;

    #[inline(always)]
    fn deref(&self) -> &CircuitBreaker {
        match &self.breaker {
            Some(breaker) => breaker,
            None => unreachable!("a keyed handle holds its breaker until it is dropped"),
        }
    }
}

impl Drop for KeyedHandle {
    #[inline]
    fn drop(&mut self) {
        if let Some(breaker) = self.breaker.take() {
            give_back(self.hash, breaker);
        }
    }
}

impl fmt::Debug for KeyedHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("KeyedHandle").field(&self.breaker).finish()
    }
}

/// A reference to the cached breaker of registry `group` with this `hash` whose key `is_key`
/// accepts, if it was not evicted: the set's spare if it is this breaker's, else a clone.
/// `None` also while the thread is being torn down.
#[inline]
pub(super) fn take(
    group: usize,
    hash: u64,
    is_key: impl Fn(&CircuitBreaker) -> bool,
) -> Option<Arc<CircuitBreaker>> {
    CACHE
        .try_with(|cache| {
            let mut cache = cache.try_borrow_mut().ok()?;
            let set = &mut cache.as_mut()?[set_of(hash)];
            let way = set.find(group, hash)?;
            let line = set.lines[way].as_ref()?;
            if line.breaker.is_retired() || !is_key(&line.breaker) {
                return None;
            }
            let breaker = match set.spare.take() {
                Some(spare) if Arc::ptr_eq(&spare, &line.breaker) => spare,
                other => {
                    set.spare = other;
                    Arc::clone(&line.breaker)
                }
            };
            set.touch(way);
            Some(breaker)
        })
        .ok()
        .flatten()
}

/// Gives a reference back: it becomes the spare of its key's set on this thread, and the
/// spare it replaces (or itself, while the thread is being torn down) is dropped.
#[inline]
fn give_back(hash: u64, breaker: Arc<CircuitBreaker>) {
    let replaced = CACHE.try_with(|cache| {
        let Ok(mut cache) = cache.try_borrow_mut() else {
            return Some(breaker);
        };
        match cache.as_mut() {
            Some(sets) => sets[set_of(hash)].spare.replace(breaker),
            None => Some(breaker),
        }
    });
    // Dropped outside the cache (dropping a breaker runs no user code, but keep it simple).
    drop(replaced);
}

/// Caches `breaker` for registry `group` under `hash`: in place of a line of the same key (an
/// evicted breaker's), else of the set's least recently used line.
pub(super) fn fill(group: usize, hash: u64, breaker: &Arc<CircuitBreaker>) {
    let line = Line {
        group,
        breaker: Arc::clone(breaker),
    };
    let replaced = CACHE.try_with(|cache| {
        let Ok(mut cache) = cache.try_borrow_mut() else {
            return None;
        };
        let sets = cache.get_or_insert_with(|| {
            Box::new(std::array::from_fn(|_| Set {
                hashes: [0; WAYS],
                lines: [const { None }; WAYS],
                used: [0; WAYS],
                uses: 0,
                spare: None,
            }))
        });
        let set = &mut sets[set_of(hash)];
        let way = set.find(group, hash).unwrap_or_else(|| set.victim());
        set.touch(way);
        set.hashes[way] = hash;
        set.lines[way].replace(line)
    });
    // The replaced line's reference is dropped outside the cache.
    drop(replaced);
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
        assert!(take(1, h, |_| true).is_none());
        fill(1, h, &b);
        let found = take(1, h, |x| x.name() == "cache_unit[a]").unwrap();
        assert!(Arc::ptr_eq(&found, &b));
        // Another registry, or a key the comparison refuses, is a miss.
        assert!(take(2, h, |_| true).is_none());
        assert!(take(1, h, |_| false).is_none());
        b.retire();
        assert!(take(1, h, |_| true).is_none());
    }

    #[test]
    fn references_go_back_as_the_spare() {
        let b = breaker("cache_spares[a]");
        let h = hash(3, "a");
        fill(3, h, &b);
        // The test's and the line's references.
        assert_eq!(Arc::strong_count(&b), 2);
        let first = KeyedHandle::new(take(3, h, |_| true).unwrap(), h);
        assert_eq!(Arc::strong_count(&b), 3);
        drop(first);
        // Given back: kept as the spare, and taken again without a new reference.
        assert_eq!(Arc::strong_count(&b), 3);
        let again = KeyedHandle::new(take(3, h, |_| true).unwrap(), h);
        assert_eq!(Arc::strong_count(&b), 3);
        // Calls in flight together: each but the first clones; given back, one stays spare.
        let more: Vec<_> = (0..5)
            .map(|_| KeyedHandle::new(take(3, h, |_| true).unwrap(), h))
            .collect();
        assert_eq!(Arc::strong_count(&b), 8);
        drop(more);
        drop(again);
        assert_eq!(Arc::strong_count(&b), 3);
        // A key of the same set gives its reference back in place of the spare, which drops.
        let other = breaker("cache_spares[b]");
        let h2 = (1u64..)
            .map(|i| h ^ i)
            .find(|x| set_of(*x) == set_of(h))
            .unwrap();
        fill(3, h2, &other);
        drop(KeyedHandle::new(take(3, h2, |_| true).unwrap(), h2));
        assert_eq!(Arc::strong_count(&b), 2);
        assert_eq!(Arc::strong_count(&other), 3);
    }

    #[test]
    fn a_set_keeps_its_most_recent_lines() {
        // Hashes of one set, one more than it holds.
        let hashes: Vec<u64> = (1u64..)
            .map(|i| i << 40)
            .filter(|h| set_of(*h) == 0)
            .take(WAYS + 1)
            .collect();
        let bs: Vec<_> = (0..=WAYS)
            .map(|i| breaker(&format!("cache_lru[{i}]")))
            .collect();
        for (h, b) in hashes.iter().zip(&bs).take(WAYS) {
            fill(7, *h, b);
        }
        // A hit on the oldest line makes it the most recent: the next fill replaces the second
        // oldest.
        drop(take(7, hashes[0], |_| true));
        fill(7, hashes[WAYS], &bs[WAYS]);
        assert!(take(7, hashes[1], |_| true).is_none());
        for i in [0, 2, 3, WAYS] {
            assert!(take(7, hashes[i], |_| true).is_some(), "{i}");
        }
        // The replaced breaker is no longer held by the cache.
        assert_eq!(Arc::strong_count(&bs[1]), 1);
    }

    #[test]
    fn sixty_four_keys_fit() {
        let bs: Vec<_> = (0..64)
            .map(|i| breaker(&format!("cache_64[https://api-{i}.example.com/v1]")))
            .collect();
        let hashes: Vec<u64> = (0..64)
            .map(|i| hash(9, &format!("https://api-{i}.example.com/v1")))
            .collect();
        for (h, b) in hashes.iter().zip(&bs) {
            fill(9, *h, b);
        }
        let found = hashes
            .iter()
            .filter(|h| take(9, **h, |_| true).is_some())
            .count();
        assert!(found >= 60, "{found} of 64 keys still cached");
    }

    #[test]
    fn keys_compare_by_every_byte() {
        let base = "0123456789abcdefghijklmnopqrstuvwxyz";
        for len in 0..base.len() {
            let key = &base[..len];
            assert!(same_key(key, &String::from(key)));
            assert!(!same_key(key, &base[..len + 1]));
            for at in 0..len {
                let mut other = key.as_bytes().to_vec();
                other[at] = b'_';
                assert!(
                    !same_key(key, std::str::from_utf8(&other).unwrap()),
                    "{key} {at}"
                );
            }
        }
    }

    #[test]
    fn hashes_differ_by_key_and_registry() {
        assert_ne!(hash(1, "https://a.example"), hash(1, "https://b.example"));
        assert_ne!(
            hash(1, "api-1.example.com/v1"),
            hash(1, "api-2.example.com/v1")
        );
        // Every length up to two blocks reads every byte.
        let base = "0123456789abcdefghijklmnopqrstuvwxyz";
        for len in 1..base.len() {
            let key = &base[..len];
            for at in 0..len {
                let mut other = key.as_bytes().to_vec();
                other[at] = b'_';
                let other = String::from_utf8(other).unwrap();
                assert_ne!(hash(1, key), hash(1, &other), "{key} / {other}");
            }
        }
        assert_ne!(hash(1, "k"), hash(2, "k"));
        assert_ne!(hash(1, ""), hash(1, "\0"));
        assert_eq!(hash(3, "same key"), hash(3, "same key"));
    }
}
