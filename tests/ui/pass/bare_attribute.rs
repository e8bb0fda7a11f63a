use std::cell::Cell;

use retry_runtime::retry_on_failure;

#[derive(Debug, PartialEq)]
struct Unavailable;

// No arguments at all: 3 attempts, exponential from 100ms, full jitter.
#[retry_on_failure]
fn ping(calls: &Cell<u32>) -> Result<u32, Unavailable> {
    calls.set(calls.get() + 1);
    Ok(calls.get())
}

// Empty parentheses mean the same.
#[retry_on_failure()]
fn pong() -> Result<(), Unavailable> {
    Ok(())
}

fn main() {
    let calls = Cell::new(0);
    assert_eq!(ping(&calls), Ok(1));
    assert_eq!(pong(), Ok(()));
}
