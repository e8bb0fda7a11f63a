//! A concurrency limit's line of waiting calls: first come, first served. Each waiter has a
//! number, given in arrival order, and what wakes it (a task's `Waker` or a blocked thread). A
//! permit that frees goes to the front of the line; a waiter that gives up (its `max_wait`
//! passed, its future dropped) leaves from wherever it stands. The line lives behind the
//! limit's mutex, which only calls that wait, and releases that find someone waiting, take.

use std::collections::VecDeque;
use std::task::Waker;
use std::thread::Thread;

/// How to wake a waiter whose permit came.
#[derive(Debug)]
pub(super) enum Wake {
    /// An async call: its task's waker, set when its future is polled.
    Task(Waker),
    /// A sync call: the thread parked on it.
    Thread(Thread),
}

impl Wake {
    /// Wakes the waiter. Call it after the lock is released: a task's waker may run code.
    pub(super) fn wake(self) {
        match self {
            Wake::Task(waker) => waker.wake(),
            Wake::Thread(thread) => thread.unpark(),
        }
    }
}

#[derive(Debug)]
struct Waiter {
    number: u64,
    wake: Option<Wake>,
}

/// The waiters, in arrival order (their numbers increase from front to back).
#[derive(Debug)]
pub(super) struct Queue {
    next_number: u64,
    waiters: VecDeque<Waiter>,
}

impl Queue {
    /// No waiter. Numbers start at 1, so "granted through 0" grants nobody.
    pub(super) const fn new() -> Self {
        Queue {
            next_number: 1,
            waiters: VecDeque::new(),
        }
    }

    /// A new waiter at the back; its number.
    pub(super) fn push(&mut self, wake: Option<Wake>) -> u64 {
        let number = self.next_number;
        self.next_number += 1;
        self.waiters.push_back(Waiter { number, wake });
        number
    }

    /// The waiter at the front leaves with a permit: its number and its waking.
    pub(super) fn pop_front(&mut self) -> Option<(u64, Option<Wake>)> {
        self.waiters.pop_front().map(|w| (w.number, w.wake))
    }

    /// Waiter `number` leaves the line, wherever it stands.
    pub(super) fn remove(&mut self, number: u64) {
        if let Ok(i) = self.waiters.binary_search_by_key(&number, |w| w.number) {
            self.waiters.remove(i);
        }
    }

    /// Sets how waiter `number` is woken (a future polled again may have a new waker).
    pub(super) fn set_waker(&mut self, number: u64, waker: &Waker) {
        if let Ok(i) = self.waiters.binary_search_by_key(&number, |w| w.number) {
            let wake = &mut self.waiters[i].wake;
            match wake {
                Some(Wake::Task(old)) if old.will_wake(waker) => {}
                _ => *wake = Some(Wake::Task(waker.clone())),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_come_first_served_and_leaving_from_the_middle() {
        let mut q = Queue::new();
        let a = q.push(None);
        let b = q.push(None);
        let c = q.push(None);
        assert!(a < b && b < c);
        q.remove(b);
        assert_eq!(q.pop_front().map(|w| w.0), Some(a));
        assert_eq!(q.pop_front().map(|w| w.0), Some(c));
        assert!(q.pop_front().is_none());
        q.remove(b); // gone already: nothing happens
    }
}
