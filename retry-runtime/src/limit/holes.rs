//! Slots given back: a waiting call dropped before its turn whose reservation cannot be rolled
//! back (others reserved after it) leaves its slot here, and a later caller that would wait
//! longer takes it instead of reserving a new one. A slot is a turn (an instant on the
//! limiter's timeline) and the units reserved for it; one that nobody took by its turn is gone.
//!
//! A slot is taken only by a call that waits for it, and only up to its units, so the limiter
//! admits what the dropped call would have, at the same instant: the schedule, and with it the
//! limiter's bound (`gcra.rs`), stays as it was.

use std::sync::atomic::{AtomicBool, Ordering::*};
use std::sync::{Mutex, PoisonError};

/// The most slots kept; a slot given back beyond them is lost (the limiter then admits less
/// than it could, never more).
const MAX_SLOTS: usize = 64;

#[derive(Debug)]
struct Slot {
    turn: u64,
    units: u32,
}

/// A limiter's slots given back. Touched only by calls about to wait and by dropped waiting
/// calls; `any` spares the others the lock.
#[derive(Debug)]
pub(crate) struct Holes {
    any: AtomicBool,
    slots: Mutex<Vec<Slot>>,
}

impl Holes {
    /// No slot.
    pub(crate) const fn new() -> Self {
        Holes {
            any: AtomicBool::new(false),
            slots: Mutex::new(Vec::new()),
        }
    }

    /// Takes `units` from the earliest slot whose turn lies in `now..=latest` and holds that
    /// many units, and returns its turn.
    pub(crate) fn take(&self, units: u32, now: u64, latest: u64) -> Option<u64> {
        if !self.any.load(Acquire) {
            return None;
        }
        let mut slots = self.slots.lock().unwrap_or_else(PoisonError::into_inner);
        slots.retain(|s| s.turn >= now);
        let best = slots
            .iter_mut()
            .filter(|s| s.turn <= latest && s.units >= units)
            .min_by_key(|s| s.turn)?;
        best.units -= units;
        let turn = best.turn;
        slots.retain(|s| s.units > 0);
        self.any.store(!slots.is_empty(), Release);
        Some(turn)
    }

    /// Gives back `units` at `turn`, if that is still ahead of `now`.
    pub(crate) fn put(&self, turn: u64, units: u32, now: u64) {
        if turn <= now || units == 0 {
            return;
        }
        let mut slots = self.slots.lock().unwrap_or_else(PoisonError::into_inner);
        slots.retain(|s| s.turn > now);
        if let Some(same) = slots.iter_mut().find(|s| s.turn == turn) {
            same.units = same.units.saturating_add(units);
        } else if slots.len() < MAX_SLOTS {
            slots.push(Slot { turn, units });
        }
        self.any.store(!slots.is_empty(), Release);
    }

    /// Forgets every slot before `until` (a pause admits nobody before then).
    pub(crate) fn clear_before(&self, until: u64) {
        if !self.any.load(Acquire) {
            return;
        }
        let mut slots = self.slots.lock().unwrap_or_else(PoisonError::into_inner);
        slots.retain(|s| s.turn >= until);
        self.any.store(!slots.is_empty(), Release);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_slot_is_taken_once_by_units_and_only_before_its_turn() {
        let holes = Holes::new();
        assert_eq!(holes.take(1, 0, u64::MAX), None);
        holes.put(100, 2, 10);
        holes.put(50, 1, 10);
        holes.put(5, 1, 10); // already past: nothing kept
                             // The earliest slot that fits.
        assert_eq!(holes.take(1, 10, u64::MAX), Some(50));
        assert_eq!(holes.take(3, 10, u64::MAX), None);
        assert_eq!(holes.take(2, 10, 99), None, "too far for this caller");
        assert_eq!(holes.take(1, 10, 100), Some(100));
        assert_eq!(holes.take(1, 101, u64::MAX), None, "its turn passed");
        holes.put(200, 1, 10);
        holes.clear_before(300);
        assert_eq!(holes.take(1, 10, u64::MAX), None);
    }

    #[test]
    fn at_most_a_bounded_number_is_kept() {
        let holes = Holes::new();
        for turn in 0..1_000 {
            holes.put(10 + turn, 1, 0);
        }
        let taken = std::iter::from_fn(|| holes.take(1, 0, u64::MAX)).count();
        assert_eq!(taken, MAX_SLOTS);
    }
}
