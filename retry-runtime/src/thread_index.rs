//! A small index per live thread, unique among live threads and handed back when the thread
//! exits: the thread holding index `i` is the only writer of stripe `i` of a striped counter
//! (the breaker's rate window, a site's statistics), so it counts with a plain load and store
//! instead of an atomic read-modify-write. Indices are reused, so they stay below the number of
//! threads alive at once; a stripe's next owner starts after its previous owner's hand-back,
//! ordered by the index list's lock.

use std::cell::Cell;
use std::sync::{Mutex, PoisonError};

const UNSET: usize = usize::MAX;
const EXITED: usize = usize::MAX - 1;

thread_local! {
    /// This thread's index, `UNSET` before its first count, `EXITED` once handed back.
    static INDEX: Cell<usize> = const { Cell::new(UNSET) };
    /// Hands the index back when the thread exits.
    static HAND_BACK: HandBack = const { HandBack };
}

/// Free indices, and the next never-used one.
static INDICES: Mutex<(usize, Vec<usize>)> = Mutex::new((0, Vec::new()));

struct HandBack;

impl Drop for HandBack {
    fn drop(&mut self) {
        let index = INDEX.try_with(|i| i.replace(EXITED));
        if let Ok(index) = index {
            if index < EXITED {
                let mut free = INDICES.lock().unwrap_or_else(PoisonError::into_inner);
                free.1.push(index);
            }
        }
    }
}

/// The calling thread's index: small, and unique among live threads.
#[inline]
pub(crate) fn thread_index() -> usize {
    let i = INDEX.with(Cell::get);
    if i != UNSET {
        i
    } else {
        assign_index()
    }
}

#[cold]
#[inline(never)]
fn assign_index() -> usize {
    let index = {
        let mut free = INDICES.lock().unwrap_or_else(PoisonError::into_inner);
        match free.1.pop() {
            Some(i) => i,
            None => {
                free.0 += 1;
                free.0 - 1
            }
        }
    };
    // Touching HAND_BACK registers its destructor; a thread already exiting cannot, and counts
    // in the shared stripe for the rest of its life.
    if HAND_BACK.try_with(|_| ()).is_ok() {
        INDEX.with(|i| i.set(index));
        index
    } else {
        let mut free = INDICES.lock().unwrap_or_else(PoisonError::into_inner);
        free.1.push(index);
        drop(free);
        let _ = INDEX.try_with(|i| i.set(EXITED));
        EXITED
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;

    #[test]
    fn thread_indices_are_unique_among_live_threads_and_reused() {
        let here = thread_index();
        assert_eq!(thread_index(), here);
        let others: Vec<usize> = (0..4)
            .map(|_| std::thread::spawn(thread_index).join().unwrap())
            .collect();
        assert!(!others.contains(&here));
        // Each thread ended before the next began and handed its index back: indices stay
        // small however many threads come and go.
        assert!(others.iter().all(|&i| i < 64), "{others:?}");
    }
}
