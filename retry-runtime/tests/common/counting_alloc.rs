//! A counting global allocator for the no-allocation tests: the counter is per thread and
//! switched on only around the call being measured, so the test harness and other tests running
//! in parallel do not disturb it. It counts allocations, and the bytes allocated and freed (for
//! tests of memory that must not grow).

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

struct Counting;

thread_local! {
    static COUNTING: Cell<bool> = const { Cell::new(false) };
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
    static ALLOCATED: Cell<usize> = const { Cell::new(0) };
    static FREED: Cell<usize> = const { Cell::new(0) };
}

fn counting() -> bool {
    // `try_with`: never panic inside the allocator, even while thread-locals are torn down.
    COUNTING.try_with(Cell::get).unwrap_or(false)
}

fn add(counter: &'static std::thread::LocalKey<Cell<usize>>, n: usize) {
    let _ = counter.try_with(|c| c.set(c.get() + n));
}

fn note_allocation(bytes: usize) {
    if counting() {
        add(&ALLOCATIONS, 1);
        add(&ALLOCATED, bytes);
    }
}

fn note_free(bytes: usize) {
    if counting() {
        add(&FREED, bytes);
    }
}

// SAFETY: every call is forwarded unchanged to `System`; the bookkeeping touches only
// const-initialised thread-local `Cell`s, which never allocate.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        note_allocation(layout.size());
        unsafe { System.alloc(layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        note_allocation(layout.size());
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        note_allocation(new_size);
        note_free(layout.size());
        unsafe { System.realloc(ptr, layout, new_size) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        note_free(layout.size());
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Runs `f` and returns its result with the number of heap allocations it made on this thread.
pub fn count<R>(f: impl FnOnce() -> R) -> (R, usize) {
    let (r, allocations, _) = count_bytes(f);
    (r, allocations)
}

/// Runs `f` and returns its result with the number of heap allocations it made on this thread
/// and the bytes it left allocated (allocated minus freed, on this thread; negative when it
/// freed more than it allocated).
#[allow(dead_code)]
pub fn count_bytes<R>(f: impl FnOnce() -> R) -> (R, usize, isize) {
    ALLOCATIONS.with(|n| n.set(0));
    ALLOCATED.with(|n| n.set(0));
    FREED.with(|n| n.set(0));
    COUNTING.with(|on| on.set(true));
    let r = f();
    COUNTING.with(|on| on.set(false));
    let net = ALLOCATED.with(Cell::get) as isize - FREED.with(Cell::get) as isize;
    (r, ALLOCATIONS.with(Cell::get), net)
}
