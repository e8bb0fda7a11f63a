//! Each thread's small caches of the keyed breakers it used last, so that a keyed call finds
//! its breaker without the registry's lock and holds it without an atomic instruction
//! ([`KeyedHandle`]).
//!
//! First, each keyed site's last breaker on the thread ([`LastKey`], a `thread_local!` the
//! expansion puts beside the site's `static`): a call whose key is the one its site's last call
//! had takes it back after one comparison, without hashing its key, and gives it back there.
//!
//! Else, the thread's cache: 128 sets of four lines, by a hash of the registry and the key,
//! made on the thread's first keyed call (one allocation per thread, nothing in threads that
//! make none); a line whose breaker was evicted is a miss. A line holds one reference to its
//! breaker; each set holds one spare reference. A call takes the spare if it is its breaker's
//! (else it clones the line's, an atomic increment), and gives its reference back on the
//! thread where it ends: to its site's last breaker if it came from there or found it empty,
//! else as the spare of its set (replacing the spare there: an atomic decrement when that was
//! another reference). So a thread calling one key, or a few dozen in turn, pays no atomic
//! read-modify-write in the steady state; calls of one key in flight together on one thread,
//! or keys sharing a set, pay one increment and one decrement each.
//!
//! A site's last breaker, a line or a spare keeps its breaker alive until replaced (an evicted
//! one is dropped when next seen), so an evicted breaker's memory may outlive its eviction for
//! as long as a thread keeps it: at most 640 breakers per thread, and one per keyed site.

use std::cell::{Cell, RefCell};
use std::fmt;
use std::ops::Deref;
use std::sync::Arc;
use std::thread::LocalKey;

use super::circuit::CircuitBreaker;

/// Sets in a thread's cache (a power of two), and lines in a set: 512 lines, so that a few
/// dozen keys in turn (64 hosts or models) rarely find a set full.
const SETS: usize = 128;
const WAYS: usize = 4;

/// A set, on one cache line: its breakers, a tag of each one's key hash (compared first; the
/// breaker's registry and key are compared next), when each was last used (by the set's own
/// count of uses, so that nothing moves on a hit), and the spare reference.
#[repr(C, align(64))]
struct Set {
    tags: [u32; WAYS],
    breakers: [Option<Arc<CircuitBreaker>>; WAYS],
    spare: Option<Arc<CircuitBreaker>>,
    used: [u8; WAYS],
    uses: u8,
}

impl Set {
    const EMPTY: Set = Set {
        tags: [0; WAYS],
        breakers: [const { None }; WAYS],
        spare: None,
        used: [0; WAYS],
        uses: 0,
    };

    /// The way holding a breaker of registry `group` with this key hash, if any.
    #[inline(always)]
    fn find(&self, group: usize, hash: u64) -> Option<usize> {
        let tag = tag_of(hash);
        (0..WAYS).find(|&way| {
            self.tags[way] == tag
                && self.breakers[way]
                    .as_ref()
                    .is_some_and(|b| b.owner() == group)
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
            .max_by_key(|&way| match self.breakers[way] {
                None => u8::MAX,
                Some(_) => self.uses.wrapping_sub(self.used[way]),
            })
            .unwrap_or(0)
    }
}

/// A thread's cache, made on its first keyed call: one allocation per thread (8 KiB), and
/// nothing in the threads that never make one.
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

/// The set of a hash: its top bits.
#[inline(always)]
fn set_of(hash: u64) -> usize {
    (hash >> (64 - SETS.trailing_zeros())) as usize
}

/// The tag of a hash in its set: its low bits.
#[inline(always)]
fn tag_of(hash: u64) -> u32 {
    hash as u32
}

/// A keyed site's last breaker on this thread, with the hash of its key: the reference its
/// last call gave back, which the site's next call takes without hashing its key when the key
/// is the same. Each keyed site has one, in a `thread_local!` of its own.
pub struct LastKey(Cell<Option<(Arc<CircuitBreaker>, u64)>>);

impl LastKey {
    /// Empty.
    #[allow(clippy::new_without_default)]
    pub const fn new() -> Self {
        LastKey(Cell::new(None))
    }
}

impl fmt::Debug for LastKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("LastKey")
    }
}

/// What a call found in its site's [`LastKey`].
pub(super) enum Last {
    /// Its breaker, with its key's hash, taken.
    Hit(Arc<CircuitBreaker>, u64),
    /// Nothing: the call's reference goes there when it ends.
    Empty,
    /// Another key's breaker, left there (or the thread is being torn down).
    Other,
}

/// The breaker in `last` if `is_it` accepts it (the same registry, the same key); else whether
/// `last` is empty, and it keeps what it had. An evicted breaker found there is dropped, and
/// `last` is then empty.
#[inline(always)]
pub(super) fn take_last(
    last: &'static LocalKey<LastKey>,
    is_it: impl Fn(&CircuitBreaker) -> bool,
) -> Last {
    last.try_with(|last| match last.0.take() {
        None => Last::Empty,
        Some((breaker, _)) if breaker.is_retired() => {
            drop(breaker);
            Last::Empty
        }
        Some((breaker, hash)) if is_it(&breaker) => Last::Hit(breaker, hash),
        other => {
            last.0.set(other);
            Last::Other
        }
    })
    .unwrap_or(Last::Other)
}

/// A keyed call's hold on its breaker. Dereferences to the breaker; dropped, it gives its
/// reference back on the current thread: to its site's [`LastKey`] when the call found its
/// breaker there or found it empty (and the reference there, if any meanwhile, goes on to the
/// spare), else as the spare of its set in the thread's cache, so keys in turn leave the last
/// one alone (no atomic instruction, unless the spare replaced is another reference, which is
/// then dropped).
pub struct KeyedHandle {
    /// `Some` until dropped.
    breaker: Option<Arc<CircuitBreaker>>,
    /// Its key's hash, which finds its set when it is given back.
    hash: u64,
    /// The site's last breaker, where it goes back, if it does.
    last: Option<&'static LocalKey<LastKey>>,
}

impl KeyedHandle {
    /// A handle on `breaker`, whose key hashes to `hash`, given back to `last` if any.
    pub(super) fn new(
        breaker: Arc<CircuitBreaker>,
        hash: u64,
        last: Option<&'static LocalKey<LastKey>>,
    ) -> Self {
        KeyedHandle {
            breaker: Some(breaker),
            hash,
            last,
        }
    }

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
    #[inline(always)]
    fn drop(&mut self) {
        if let Some(breaker) = self.breaker.take() {
            let hash = self.hash;
            match self.last {
                Some(last) => {
                    let displaced = last.try_with(|last| last.0.replace(Some((breaker, hash))));
                    if let Ok(Some((other, other_hash))) = displaced {
                        give_back(other_hash, other);
                    }
                }
                None => give_back(hash, breaker),
            }
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
            let cached = set.breakers[way].as_ref()?;
            if cached.is_retired() || !is_key(cached) {
                return None;
            }
            let breaker = match set.spare.take() {
                Some(spare) if Arc::ptr_eq(&spare, cached) => spare,
                other => {
                    set.spare = other;
                    Arc::clone(cached)
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
#[inline(never)]
pub(super) fn give_back(hash: u64, breaker: Arc<CircuitBreaker>) {
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
    let breaker = Arc::clone(breaker);
    let replaced = CACHE.try_with(|cache| {
        let Ok(mut cache) = cache.try_borrow_mut() else {
            return (None, None);
        };
        let sets = cache.get_or_insert_with(|| Box::new([const { Set::EMPTY }; SETS]));
        let set = &mut sets[set_of(hash)];
        let way = set.find(group, hash).unwrap_or_else(|| set.victim());
        set.touch(way);
        set.tags[way] = tag_of(hash);
        // An evicted breaker's spare goes too (a fill follows a miss, as when a key's breaker
        // was evicted).
        let spare = match set.spare.take() {
            Some(spare) if spare.is_retired() => Some(spare),
            kept => {
                set.spare = kept;
                None
            }
        };
        (set.breakers[way].replace(breaker), spare)
    });
    // The replaced references are dropped outside the cache.
    drop(replaced);
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;
    use crate::BreakerConfig;

    fn breaker(name: &str, group: usize) -> Arc<CircuitBreaker> {
        Arc::new(CircuitBreaker::keyed(
            name.into(),
            BreakerConfig::new(),
            group,
        ))
    }

    #[test]
    fn a_filled_breaker_is_found_until_retired() {
        let b = breaker("cache_unit[a]", 1);
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

    thread_local! {
        static LAST: LastKey = const { LastKey::new() };
    }

    #[test]
    fn references_go_back_to_the_last_key_then_to_the_spare() {
        let b = breaker("cache_spares[a]", 3);
        let h = hash(3, "a");
        fill(3, h, &b);
        // The test's and the line's references.
        assert_eq!(Arc::strong_count(&b), 2);
        let handle = |h| KeyedHandle::new(take(3, h, |_| true).unwrap(), h, Some(&LAST));
        let first = handle(h);
        assert_eq!(Arc::strong_count(&b), 3);
        drop(first);
        // Given back: kept as the site's last, and taken again without a new reference.
        assert_eq!(Arc::strong_count(&b), 3);
        let Last::Hit(again, again_hash) = take_last(&LAST, |x| x.owner() == 3) else {
            panic!("the last breaker is taken back");
        };
        assert_eq!(again_hash, h);
        let again = KeyedHandle::new(again, h, Some(&LAST));
        assert_eq!(Arc::strong_count(&b), 3);
        // Calls in flight together: each clones the line's reference; given back, each in
        // turn becomes the last, the one it replaces the set's spare, and the spare replaced
        // drops: the last and the spare remain.
        let more: Vec<_> = (0..5).map(|_| handle(h)).collect();
        assert_eq!(Arc::strong_count(&b), 8);
        drop(more);
        assert_eq!(Arc::strong_count(&b), 5);
        drop(again);
        assert_eq!(Arc::strong_count(&b), 4);
        // The set's spare is taken first.
        let from_spare = handle(h);
        assert_eq!(Arc::strong_count(&b), 4);
        drop(from_spare);
        // A breaker the test refuses stays the last.
        assert!(matches!(take_last(&LAST, |_| false), Last::Other));
        assert!(matches!(
            take_last(&LAST, |x| x.owner() == 3),
            Last::Hit(..)
        ));
        assert!(matches!(take_last(&LAST, |_| true), Last::Empty));
        // A handle that did not come through the last breaker goes to the set's spare.
        drop(KeyedHandle::new(take(3, h, |_| true).unwrap(), h, None));
        assert!(matches!(take_last(&LAST, |_| true), Last::Empty));
    }

    #[test]
    fn a_set_keeps_its_most_recent_lines() {
        // Hashes of one set, one more than it holds.
        let hashes: Vec<u64> = (1u64..)
            .map(|i| i << 40 | i)
            .filter(|h| set_of(*h) == 0)
            .take(WAYS + 1)
            .collect();
        let bs: Vec<_> = (0..=WAYS)
            .map(|i| breaker(&format!("cache_lru[{i}]"), 7))
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
            .map(|i| breaker(&format!("cache_64[https://api-{i}.example.com/v1]"), 9))
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
