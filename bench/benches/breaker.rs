//! The cost of a circuit breaker on the path that matters, the closed-state success, measured
//! against a bare call and against the peer crates (recloser, failsafe) in the same run.
//!
//! Run with `cargo bench -p retry-bench --bench breaker`.
//!
//! - `breaker_closed`: one thread, one call per iteration. `bare` is the operation called
//!   directly; `ours_call` goes through `CircuitBreaker::call`, `ours_permit` through
//!   `try_acquire` + `Permit::success` (what `#[circuit_breaker]` expands to), `ours_site`
//!   adds the attribute's once-resolved site lookup, `ours_rate_call` is `call` in rate mode.
//! - `breaker_keyed_1_key` / `breaker_keyed_64_keys`: `#[circuit_breaker]` itself, unkeyed
//!   (`ours_unkeyed`) against keyed (`ours_keyed`, `key = <a &str argument>`: URLs of 29 or 30
//!   bytes), with the same key on every call and with 64 keys in turn. Every contender takes
//!   the same key argument (the unkeyed one and `bare` ignore it), so `ours_keyed` minus
//!   `ours_unkeyed` is the keyed lookup alone: a hash of the key, the thread's cache, a key
//!   comparison. Run only these with
//!   `cargo bench -p retry-bench --bench breaker -- breaker_keyed`.
//! - `breaker_2threads_consecutive` / `breaker_2threads_rate`: two threads hammering one shared
//!   breaker with successes; throughput is calls per second over both threads, `bare` the same
//!   two threads calling the operation directly (the machine's ceiling). recloser has
//!   only a rate mode (a ring buffer of the last calls), so it appears in both groups with the
//!   same configuration.
//!
//! Every operation is an `#[inline(never)]` function whose input goes through `black_box`
//! inside it, and whose output the loop `black_box`es.

use std::hint::black_box;
use std::sync::Barrier;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use failsafe::CircuitBreaker as _;
use retry_runtime::__private::BreakerSite;
use retry_runtime::{circuit_breaker, BreakerConfig, CircuitBreaker, CircuitOpen};

/// The operation's error: the same 8-byte result for every contender.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Failure {
    Transient(u16),
    Open,
}

impl From<CircuitOpen> for Failure {
    #[cold]
    fn from(_: CircuitOpen) -> Self {
        Failure::Open
    }
}

/// Never `u32::MAX`, but the compiler cannot know.
const INPUT: u32 = 41;

/// Succeeds unless its (opaque) input is `u32::MAX`.
#[inline(never)]
fn op(x: u32) -> Result<u32, Failure> {
    let x = black_box(x);
    if x == u32::MAX {
        Err(Failure::Transient(503))
    } else {
        Ok(x + 1)
    }
}

const CONSECUTIVE: BreakerConfig = BreakerConfig::new().failure_threshold(5);
const RATE: BreakerConfig = BreakerConfig::new()
    .failure_rate(0.5)
    .min_calls(10)
    .window(Duration::from_secs(60));

static OURS: CircuitBreaker = CircuitBreaker::new("bench_consecutive", CONSECUTIVE);
static OURS_RATE: CircuitBreaker = CircuitBreaker::new("bench_rate", RATE);
static SITE: BreakerSite = BreakerSite::new("bench_site", CONSECUTIVE, None);

fn recloser() -> recloser::Recloser {
    recloser::Recloser::custom()
        .error_rate(0.5)
        .closed_len(100)
        .open_wait(Duration::from_secs(30))
        .build()
}

fn failsafe_consecutive() -> impl failsafe::CircuitBreaker + Sync {
    let policy = failsafe::failure_policy::consecutive_failures(
        5,
        failsafe::backoff::constant(Duration::from_secs(30)),
    );
    failsafe::Config::new().failure_policy(policy).build()
}

fn failsafe_rate() -> impl failsafe::CircuitBreaker + Sync {
    let policy = failsafe::failure_policy::success_rate_over_time_window(
        0.5,
        10,
        Duration::from_secs(60),
        failsafe::backoff::constant(Duration::from_secs(30)),
    );
    failsafe::Config::new().failure_policy(policy).build()
}

/// What `#[circuit_breaker]` expands to, around the same operation.
#[inline(always)]
fn through_permit(cb: &CircuitBreaker, x: u32) -> Result<u32, Failure> {
    match cb.try_acquire() {
        Err(open) => Err(Failure::from(open)),
        Ok(permit) => {
            let r = op(x);
            match &r {
                Ok(_) => permit.success(),
                Err(_) => permit.failure(),
            }
            r
        }
    }
}

fn closed(c: &mut Criterion) {
    let rc = recloser();
    let fs = failsafe_consecutive();
    let mut g = c.benchmark_group("breaker_closed");
    g.bench_function("bare", |b| b.iter(|| black_box(op(INPUT))));
    g.bench_function("ours_call", |b| {
        b.iter(|| black_box(OURS.call(|| op(INPUT))))
    });
    g.bench_function("ours_permit", |b| {
        b.iter(|| black_box(through_permit(&OURS, INPUT)))
    });
    g.bench_function("ours_site", |b| {
        b.iter(|| black_box(through_permit(SITE.get(), INPUT)))
    });
    g.bench_function("ours_rate_call", |b| {
        b.iter(|| black_box(OURS_RATE.call(|| op(INPUT))))
    });
    g.bench_function("recloser", |b| b.iter(|| black_box(rc.call(|| op(INPUT)))));
    g.bench_function("failsafe", |b| b.iter(|| black_box(fs.call(|| op(INPUT)))));
    g.finish();
}

/// The operation with the keyed functions' signature, called directly: the baseline.
#[inline(never)]
fn bare_keyed(key: &str, x: u32) -> Result<u32, Failure> {
    let _ = black_box(key);
    op(x)
}

/// The unkeyed attribute around [`op`]; `key` is ignored, so it costs what the keyed one's
/// argument does.
#[circuit_breaker(bench_attr_unkeyed, failure_threshold = 5)]
#[inline(never)]
fn attr_unkeyed(key: &str, x: u32) -> Result<u32, Failure> {
    let _ = black_box(key);
    op(x)
}

/// The keyed attribute around [`op`]: one breaker per `key`.
#[circuit_breaker(bench_attr_keyed, key = key, failure_threshold = 5)]
#[inline(never)]
fn attr_keyed(key: &str, x: u32) -> Result<u32, Failure> {
    op(x)
}

fn keyed(c: &mut Criterion) {
    let hosts: Vec<String> = (0..64)
        .map(|i| format!("https://api-{i}.example.com/v1"))
        .collect();
    let one = hosts[0].as_str();
    let mut g = c.benchmark_group("breaker_keyed_1_key");
    g.bench_function("bare", |b| {
        b.iter(|| black_box(bare_keyed(black_box(one), INPUT)))
    });
    g.bench_function("ours_unkeyed", |b| {
        b.iter(|| black_box(attr_unkeyed(black_box(one), INPUT)))
    });
    g.bench_function("ours_keyed", |b| {
        b.iter(|| black_box(attr_keyed(black_box(one), INPUT)))
    });
    g.finish();
    let mut g = c.benchmark_group("breaker_keyed_64_keys");
    let mut i = 0usize;
    let mut next = move || {
        i = i.wrapping_add(1);
        i & 63
    };
    g.bench_function("bare", |b| {
        b.iter(|| black_box(bare_keyed(black_box(&hosts[next()]), INPUT)))
    });
    g.bench_function("ours_unkeyed", |b| {
        b.iter(|| black_box(attr_unkeyed(black_box(&hosts[next()]), INPUT)))
    });
    g.bench_function("ours_keyed", |b| {
        b.iter(|| black_box(attr_keyed(black_box(&hosts[next()]), INPUT)))
    });
    g.finish();
}

const THREADS: usize = 2;

/// Runs `call` `iters` times on each of two threads started together; the time from the
/// start to the last thread's end.
fn two_threads<F: Fn() + Sync>(iters: u64, call: &F) -> Duration {
    let start = Barrier::new(THREADS + 1);
    std::thread::scope(|s| {
        let workers: Vec<_> = (0..THREADS)
            .map(|_| {
                s.spawn(|| {
                    start.wait();
                    for _ in 0..iters {
                        call();
                    }
                })
            })
            .collect();
        start.wait();
        let t = Instant::now();
        for w in workers {
            w.join().unwrap();
        }
        t.elapsed()
    })
}

fn shared(c: &mut Criterion) {
    let rc = recloser();
    let fs = failsafe_consecutive();
    shared_group(c, "breaker_2threads_consecutive", &OURS, &rc, &|| {
        let _ = black_box(fs.call(|| op(INPUT)));
    });
    let fs = failsafe_rate();
    shared_group(c, "breaker_2threads_rate", &OURS_RATE, &rc, &|| {
        let _ = black_box(fs.call(|| op(INPUT)));
    });
}

/// One group of 2 threads calling one shared breaker: bare, ours, recloser, failsafe.
fn shared_group(
    c: &mut Criterion,
    name: &str,
    ours: &CircuitBreaker,
    rc: &recloser::Recloser,
    failsafe: &(dyn Fn() + Sync),
) {
    let mut g = c.benchmark_group(name);
    g.throughput(Throughput::Elements(THREADS as u64));
    g.sample_size(20).measurement_time(Duration::from_secs(4));
    g.bench_function("bare", |b| {
        b.iter_custom(|n| {
            two_threads(n, &|| {
                let _ = black_box(op(INPUT));
            })
        })
    });
    g.bench_function("ours", |b| {
        b.iter_custom(|n| {
            two_threads(n, &|| {
                let _ = black_box(ours.call(|| op(INPUT)));
            })
        })
    });
    g.bench_function("recloser", |b| {
        b.iter_custom(|n| {
            two_threads(n, &|| {
                let _ = black_box(rc.call(|| op(INPUT)));
            })
        })
    });
    g.bench_function("failsafe", |b| b.iter_custom(|n| two_threads(n, &failsafe)));
    g.finish();
}

criterion_group!(benches, closed, keyed, shared);
criterion_main!(benches);
