//! A small, fast, seedable generator for jitter (wyrand). Not for cryptography.

use std::cell::Cell;
use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};

/// A source of uniformly distributed `u64`s.
pub(crate) trait Rng {
    fn next_u64(&mut self) -> u64;
}

/// wyrand: one multiply-xor per draw, passes BigCrush, 8 bytes of state.
#[derive(Clone, Copy, Debug)]
pub(crate) struct WyRand {
    state: u64,
}

impl WyRand {
    pub(crate) const fn new(seed: u64) -> Self {
        WyRand { state: seed }
    }
}

impl Rng for WyRand {
    #[inline]
    fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0xa076_1d64_78bd_642f);
        let t = u128::from(self.state) * u128::from(self.state ^ 0xe703_7ed1_a0b4_28db);
        (t >> 64) as u64 ^ t as u64
    }
}

/// A random seed from the standard library's per-process random keys.
pub(crate) fn random_seed() -> u64 {
    let mut h = RandomState::new().build_hasher();
    h.write_u64(0x5eed);
    h.finish()
}

thread_local! {
    // Zero means "not seeded yet": seeding happens on the first draw, i.e. after a failure.
    static THREAD_RNG: Cell<u64> = const { Cell::new(0) };
}

/// The per-thread generator the retry loops draw from. Touched only when a jittered, non-zero
/// delay is computed, so the success path never draws (debug builds count each draw:
/// `crate::probe`).
pub(crate) struct ThreadRng;

impl Rng for ThreadRng {
    #[inline]
    fn next_u64(&mut self) -> u64 {
        crate::probe::draw();
        THREAD_RNG.with(|cell| {
            let mut state = cell.get();
            if state == 0 {
                state = random_seed();
            }
            let mut g = WyRand::new(state);
            let out = g.next_u64();
            // A state of exactly zero (chance 2^-64) only means a harmless reseed.
            cell.set(g.state);
            out
        })
    }
}
