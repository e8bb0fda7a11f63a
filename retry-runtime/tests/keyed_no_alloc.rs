//! A keyed breaker's call allocates nothing once its breaker exists, and its memory does not
//! grow with the number of keys: measured with a counting global allocator (this binary's
//! own, per thread and switched on only around what is measured).
//!
//! With a string key (`&str`, `String`, `Cow<str>`...) the key is read as it is; with any
//! other `Display` key (a number, a model enum) it is written into a buffer on the stack.

use std::borrow::Cow;
use std::fmt;
use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use retry_runtime::{breakers, circuit_breaker, CircuitOpen};

mod common;
use common::counting_alloc::{count, count_bytes};

#[derive(Debug, PartialEq)]
enum Error {
    Down,
    Open,
}

impl From<CircuitOpen> for Error {
    fn from(_: CircuitOpen) -> Self {
        Error::Open
    }
}

#[circuit_breaker(alloc_by_str, key = host)]
fn by_str(host: &str) -> Result<u32, Error> {
    Ok(host.len() as u32)
}

#[circuit_breaker(alloc_by_string, key = host)]
fn by_string(host: &String) -> Result<u32, Error> {
    Ok(host.len() as u32)
}

#[circuit_breaker(alloc_by_cow, key = host)]
fn by_cow(host: Cow<'static, str>) -> Result<u32, Error> {
    Ok(host.len() as u32)
}

#[circuit_breaker(alloc_by_number, key = tenant)]
fn by_number(tenant: u64) -> Result<u64, Error> {
    Ok(tenant)
}

/// A key type of the user's, shown by `Display`.
#[derive(Clone, Copy)]
enum Model {
    Small,
    Large,
}

impl fmt::Display for Model {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Model::Small => "small-2025",
            Model::Large => "large-2025",
        })
    }
}

struct Client {
    model: Model,
}

impl Client {
    #[circuit_breaker(alloc_by_model, key = self.model)]
    fn complete(&self) -> Result<u32, Error> {
        Ok(1)
    }
}

#[circuit_breaker(alloc_async, key = host, failure_threshold = 1)]
async fn fetch(host: &str, fail: bool) -> Result<u32, Error> {
    if fail {
        Err(Error::Down)
    } else {
        Ok(1)
    }
}

#[circuit_breaker(alloc_long, key = key)]
fn by_long(key: &dyn fmt::Display) -> Result<u32, Error> {
    Ok(0)
}

#[test]
fn the_counter_sees_allocations() {
    // Without this, a broken counter would pass every test below.
    let (b, n) = count(|| Box::new(std::hint::black_box(7u64)));
    assert_eq!(*b, 7);
    assert!(n >= 1, "the counting allocator missed a Box");
    let (_, n, net) = count_bytes(|| drop(std::hint::black_box(vec![0u8; 1000])));
    assert!(n >= 1);
    assert_eq!(net, 0, "a freed vector leaves nothing");
}

#[test]
fn a_string_key_allocates_nothing_once_its_breaker_exists() {
    let host = String::from("https://api.openai.example/v1");
    // The first call creates the breaker (and this thread's cache).
    assert_eq!(by_str(&host), Ok(29));
    let (r, n) = count(|| by_str(&host));
    assert_eq!((r, n), (Ok(29), 0), "a &str key allocated");
    let (r, n) = count(|| by_str("https://api.openai.example/v1"));
    assert_eq!((r, n), (Ok(29), 0), "a &'static str key allocated");

    assert_eq!(by_string(&host), Ok(29));
    let (r, n) = count(|| by_string(&host));
    assert_eq!((r, n), (Ok(29), 0), "a &String key allocated");

    let cow: Cow<'static, str> = Cow::Borrowed("anthropic");
    assert_eq!(by_cow(cow.clone()), Ok(9));
    let (r, n) = count(|| by_cow(cow.clone()));
    assert_eq!((r, n), (Ok(9), 0), "a Cow key allocated");
}

#[test]
fn a_display_key_that_writes_a_short_string_allocates_nothing() {
    assert_eq!(by_number(42), Ok(42));
    let (r, n) = count(|| by_number(42));
    assert_eq!((r, n), (Ok(42), 0), "a number key allocated");

    let client = Client {
        model: Model::Small,
    };
    assert_eq!(client.complete(), Ok(1));
    let (r, n) = count(|| client.complete());
    assert_eq!((r, n), (Ok(1), 0), "a Display key allocated");
    let large = Client {
        model: Model::Large,
    };
    assert_eq!(large.complete(), Ok(1));
    let (_, n) = count(|| (client.complete(), large.complete()));
    assert_eq!(n, 0);
}

#[test]
fn sixty_four_keys_in_turn_allocate_nothing() {
    let hosts: Vec<String> = (0..64)
        .map(|i| format!("https://api-{i}.example.com/v1"))
        .collect();
    for host in &hosts {
        assert!(by_str(host).is_ok());
    }
    let (_, n) = count(|| {
        for _ in 0..10 {
            for host in &hosts {
                assert!(by_str(host).is_ok());
            }
        }
    });
    assert_eq!(n, 0, "64 keys in turn allocated");
}

#[test]
fn an_async_keyed_call_allocates_nothing_polled_by_hand() {
    let poll = |host: &'static str, fail: bool| {
        let mut cx = Context::from_waker(Waker::noop());
        let mut fut = pin!(fetch(host, fail));
        count(|| fut.as_mut().poll(&mut cx))
    };
    assert_eq!(poll("a", false).0, Poll::Ready(Ok(1)));
    assert_eq!(poll("a", false), (Poll::Ready(Ok(1)), 0));
    // A failure, and a rejection by the open breaker, allocate nothing either (after the
    // first rejection, which lists the function in `stats()`).
    assert_eq!(poll("b", false).0, Poll::Ready(Ok(1)));
    // (With the `metrics` feature, a breaker's first transition registers its counters: that
    // one allocates, once per breaker.)
    let (result, n) = poll("b", true);
    assert_eq!(result, Poll::Ready(Err(Error::Down)));
    #[cfg(not(feature = "metrics"))]
    assert_eq!(n, 0, "a failure allocated");
    #[cfg(feature = "metrics")]
    let _ = n;
    assert_eq!(poll("b", false).0, Poll::Ready(Err(Error::Open)));
    assert_eq!(poll("b", false), (Poll::Ready(Err(Error::Open)), 0));
}

#[test]
fn a_key_longer_than_the_stack_buffer_is_the_one_that_allocates() {
    let long = "k".repeat(200);
    assert_eq!(by_long(&long), Ok(0));
    // Written through `Display` (a `&dyn Display` is no string to the attribute): past 128
    // bytes the buffer spills to the heap, once per call.
    let (r, n) = count(|| by_long(&long));
    assert_eq!((r, n), (Ok(0), 1));
    let short = "k".repeat(100);
    assert_eq!(by_long(&short), Ok(0));
    assert_eq!(count(|| by_long(&short)), (Ok(0), 0));
}

#[circuit_breaker(alloc_flat, key = key, max_keys = 64)]
fn flat(key: u32) -> Result<u32, Error> {
    Ok(key)
}

#[test]
fn memory_stays_flat_however_many_keys_arrive() {
    // Fill the registry and this thread's cache.
    for key in 0..2_000 {
        assert_eq!(flat(key), Ok(key));
    }
    // Each new key now creates one breaker and evicts another: what it allocates, the eviction
    // frees (names included: nothing is leaked per key).
    let (_, allocations, net) = count_bytes(|| {
        for key in 2_000..22_000 {
            assert_eq!(flat(key), Ok(key));
        }
    });
    assert!(
        allocations >= 20_000,
        "{allocations}: every new key allocates"
    );
    assert!(
        net.unsigned_abs() < 64 * 1024,
        "{net} bytes left allocated by 20,000 keys"
    );
    let listed = breakers()
        .iter()
        .filter(|s| s.name.starts_with("alloc_flat["))
        .count();
    assert_eq!(listed, 64);
}
