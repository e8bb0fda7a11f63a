//! The cost of the limiters on the path that matters, an admitted call, measured against a bare
//! call and against the peer crates (governor, tower's `limit`, tokio's `Semaphore`) in the same
//! run.
//!
//! Run with `cargo bench -p retry-bench --bench limit`.
//!
//! - `limit_rate_uncontended`: one thread, one admitted call per iteration (the limiter is
//!   configured so that every call conforms). `bare` is the operation alone; `clock_read` one
//!   `std::time::Instant::now()`, the floor of a limiter that reads the clock; `ours` is
//!   `RateLimiter::try_acquire(1)` then the operation, `ours_site` the same through the
//!   attribute's once-resolved site; `governor` is its direct limiter's `check()`;
//!   `tower_rate_limit` drives tower's `RateLimit` service (`poll_ready` + `call`);
//!   `ours_attr` is a function under `#[rate_limit]` (its site, `acquire(1)`, which admits at
//!   once here, then the operation).
//! - `limit_rate_2threads`: two threads hammering one shared limiter; throughput is admissions
//!   per second over both threads, `bare` the same two threads calling the operation directly,
//!   `clock_read` the two threads reading the clock before each call (the most admissions a
//!   limiter that reads the clock per admission can reach).
//!   (tower's `RateLimit` is one service per caller, not a limiter two threads can share.)
//! - `limit_concurrency_uncontended`: a slot taken and given back around the operation, one
//!   thread: `two_atomic_rmw` is the floor of any counting semaphore (a count taken and given
//!   back, two locked read-modify-writes of one word); `ours` is `ConcurrencyLimit::try_acquire`, `ours_acquire` the waiting `acquire`
//!   (which finds a slot free), `tokio_semaphore` is `Semaphore::try_acquire`,
//!   `tower_concurrency_limit` drives tower's `ConcurrencyLimit` service; `ours_attr` is a
//!   function under `#[concurrency_limit]` (its site's waiting `acquire`, which finds a slot
//!   free, the permit held across the operation).
//!
//! Every operation is an `#[inline(never)]` function whose input goes through `black_box`
//! inside it, and whose output the loop `black_box`es.

use std::future::Future;
use std::hint::black_box;
use std::num::NonZeroU32;
use std::pin::pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Barrier;
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use retry_runtime::__private::RateLimitSite;
use retry_runtime::{
    concurrency_limit, rate_limit, ConcurrencyLimit, LimiterConfig, RateLimited, RateLimiter,
};
use tower::Service;

/// The operation's error: the same 8-byte result for every contender.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Failure {
    Transient(u16),
    Limited,
}

impl From<RateLimited> for Failure {
    #[cold]
    fn from(_: RateLimited) -> Self {
        Failure::Limited
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

/// Every call conforms: an interval of 1 ns (the finest) and a burst of 4 billion units,
/// so the limiter does all its work (clock, arithmetic, compare-exchange) and always admits.
const WIDE_OPEN: LimiterConfig =
    LimiterConfig::new(u32::MAX, Duration::from_secs(1)).burst(u32::MAX);

static OURS: RateLimiter = RateLimiter::new("bench_rate", WIDE_OPEN);
static SITE: RateLimitSite = RateLimitSite::new("bench_rate_site", WIDE_OPEN);
static OURS_2THREADS: RateLimiter = RateLimiter::new("bench_rate_2threads", WIDE_OPEN);
static SLOTS: ConcurrencyLimit = ConcurrencyLimit::new("bench_concurrency", 64);

fn governor_wide_open() -> governor::DefaultDirectRateLimiter {
    let max = NonZeroU32::new(u32::MAX).unwrap();
    governor::RateLimiter::direct(governor::Quota::per_second(max).allow_burst(max))
}

/// The operation under the attribute, configured as `WIDE_OPEN`.
#[rate_limit(bench_rate_attr, rate = 4_294_967_295, burst = 4_294_967_295)]
fn op_rate_limited(x: u32) -> Result<u32, Failure> {
    op(x)
}

/// The operation under the attribute, as `SLOTS`.
#[concurrency_limit(bench_concurrency_attr, max = 64)]
fn op_concurrency_limited(x: u32) -> Result<u32, Failure> {
    op(x)
}

/// What `#[rate_limit]` expands to, around the same operation.
#[inline(always)]
fn through_limiter(limiter: &RateLimiter, x: u32) -> Result<u32, Failure> {
    limiter.try_acquire(1)?;
    op(x)
}

#[inline(always)]
fn through_governor(limiter: &governor::DefaultDirectRateLimiter, x: u32) -> Result<u32, Failure> {
    limiter.check().map_err(|_| Failure::Limited)?;
    op(x)
}

/// Drives a tower service once with a no-op waker: `poll_ready`, `call`, the response.
#[inline(always)]
fn drive<S>(service: &mut S, x: u32) -> Result<u32, Failure>
where
    S: Service<u32, Response = u32, Error = Failure>,
{
    let mut cx = Context::from_waker(Waker::noop());
    match service.poll_ready(&mut cx) {
        Poll::Ready(Ok(())) => {}
        _ => return Err(Failure::Limited),
    }
    let response = pin!(service.call(x));
    match response.poll(&mut cx) {
        Poll::Ready(r) => r,
        Poll::Pending => Err(Failure::Limited),
    }
}

fn the_operation_as_a_service(
) -> impl Service<u32, Response = u32, Error = Failure, Future = std::future::Ready<Result<u32, Failure>>>
{
    tower::service_fn(|x: u32| std::future::ready(op(x)))
}

fn rate_uncontended(c: &mut Criterion) {
    let governor = governor_wide_open();
    // tower's RateLimit arms a tokio timer when it is built.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .unwrap();
    let _in_runtime = runtime.enter();
    let mut tower_rate = tower::limit::RateLimit::new(
        the_operation_as_a_service(),
        tower::limit::rate::Rate::new(u64::MAX, Duration::from_secs(1)),
    );
    let mut g = c.benchmark_group("limit_rate_uncontended");
    g.bench_function("bare", |b| b.iter(|| black_box(op(INPUT))));
    // The floor under any limiter that reads the clock per call: one reading, nothing else.
    g.bench_function("clock_read", |b| b.iter(|| black_box(Instant::now())));
    g.bench_function("ours", |b| {
        b.iter(|| black_box(through_limiter(&OURS, INPUT)))
    });
    g.bench_function("ours_site", |b| {
        b.iter(|| black_box(through_limiter(SITE.get(), INPUT)))
    });
    g.bench_function("ours_attr", |b| {
        b.iter(|| black_box(op_rate_limited(INPUT)))
    });
    g.bench_function("governor", |b| {
        b.iter(|| black_box(through_governor(&governor, INPUT)))
    });
    g.bench_function("tower_rate_limit", |b| {
        b.iter(|| black_box(drive(&mut tower_rate, INPUT)))
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

fn rate_2threads(c: &mut Criterion) {
    let governor = governor_wide_open();
    let mut g = c.benchmark_group("limit_rate_2threads");
    g.throughput(Throughput::Elements(THREADS as u64));
    g.sample_size(20);
    g.bench_function("bare", |b| {
        b.iter_custom(|n| {
            two_threads(n, &|| {
                let _ = black_box(op(INPUT));
            })
        })
    });
    g.bench_function("clock_read", |b| {
        b.iter_custom(|n| {
            two_threads(n, &|| {
                let _ = black_box(Instant::now());
                let _ = black_box(op(INPUT));
            })
        })
    });
    g.bench_function("ours", |b| {
        b.iter_custom(|n| {
            two_threads(n, &|| {
                let _ = black_box(through_limiter(&OURS_2THREADS, INPUT));
            })
        })
    });
    g.bench_function("governor", |b| {
        b.iter_custom(|n| {
            two_threads(n, &|| {
                let _ = black_box(through_governor(&governor, INPUT));
            })
        })
    });
    g.finish();
}

fn concurrency_uncontended(c: &mut Criterion) {
    let semaphore = tokio::sync::Semaphore::new(64);
    let mut tower_concurrency =
        tower::limit::ConcurrencyLimit::new(the_operation_as_a_service(), 64);
    let mut g = c.benchmark_group("limit_concurrency_uncontended");
    g.bench_function("bare", |b| b.iter(|| black_box(op(INPUT))));
    // The floor of any counting semaphore: the count taken and given back, two locked
    // read-modify-writes of one word.
    let count = AtomicUsize::new(0);
    g.bench_function("two_atomic_rmw", |b| {
        b.iter(|| {
            black_box(&count).fetch_add(1, Ordering::Acquire);
            let r = op(INPUT);
            black_box(&count).fetch_sub(1, Ordering::Release);
            black_box(r)
        })
    });
    g.bench_function("ours", |b| {
        b.iter(|| {
            let r = match SLOTS.try_acquire() {
                Ok(_permit) => op(INPUT),
                Err(e) => Err(Failure::from(e)),
            };
            black_box(r)
        })
    });
    g.bench_function("ours_acquire", |b| {
        b.iter(|| {
            let r = match SLOTS.acquire() {
                Ok(_permit) => op(INPUT),
                Err(e) => Err(Failure::from(e)),
            };
            black_box(r)
        })
    });
    g.bench_function("ours_attr", |b| {
        b.iter(|| black_box(op_concurrency_limited(INPUT)))
    });
    g.bench_function("tokio_semaphore", |b| {
        b.iter(|| {
            let r = match semaphore.try_acquire() {
                Ok(_permit) => op(INPUT),
                Err(_) => Err(Failure::Limited),
            };
            black_box(r)
        })
    });
    g.bench_function("tower_concurrency_limit", |b| {
        b.iter(|| black_box(drive(&mut tower_concurrency, INPUT)))
    });
    g.finish();
}

criterion_group!(
    benches,
    rate_uncontended,
    rate_2threads,
    concurrency_uncontended
);
criterion_main!(benches);
