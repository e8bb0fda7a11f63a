//! The overhead of a retry wrapper on the paths that matter, measured against a bare baseline and
//! against the peer crates in the same run.
//!
//! Run with `cargo bench -p retry-bench --bench retry && python3 bench/report.py`.
//!
//! Every group holds one baseline, named `bare` (the operation called directly) or `hand_loop`
//! (a hand-written retry loop doing the same attempts with no delay), then `ours` and the peers.
//! `bench/report.py` prints each bench's difference to its group's baseline.
//!
//! Every measured operation is an `#[inline(never)]` function whose input goes through
//! `black_box` inside the operation, and whose output is `black_box`ed by the bench loop: the
//! compiler can neither fold the operation's result nor drop the call.
//!
//! Async groups run one `block_on` per sample (`iter_custom`) on a current-thread runtime with
//! time enabled, awaiting the call `iters` times inside it: a `block_on` per iteration would cost
//! far more than the differences measured here.

use std::future::Future;
use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::measurement::WallTime;
use criterion::{criterion_group, criterion_main, BenchmarkGroup, Criterion};

// ---------------------------------------------------------------------------------------------
// The operations under test
// ---------------------------------------------------------------------------------------------

#[allow(dead_code)]
mod common;
use common::*;

/// Runs `call` `iters` times inside one `block_on` and returns the time taken.
macro_rules! async_iters {
    ($rt:expr, $iters:expr, $call:expr) => {
        $rt.block_on(async {
            let start = Instant::now();
            for _ in 0..$iters {
                let _ = black_box($call.await);
            }
            start.elapsed()
        })
    };
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("a current-thread runtime")
}

fn fast_group<'c>(c: &'c mut Criterion, name: &str) -> BenchmarkGroup<'c, WallTime> {
    let mut g = c.benchmark_group(name);
    g.warm_up_time(Duration::from_secs(1));
    g.measurement_time(Duration::from_secs(3));
    g
}

// ---------------------------------------------------------------------------------------------
// Sync
// ---------------------------------------------------------------------------------------------

mod sync {
    use super::*;
    use backon::BlockingRetryable;
    use retry_runtime::{Retry, RetryEvent};

    #[inline(never)]
    pub fn bare() -> Result<u32, Transient> {
        op(INPUT)
    }

    #[inline(never)]
    pub fn ours() -> Result<u32, Transient> {
        retry_runtime::retry(&POLICY, || op(INPUT))
    }

    /// Ours with a predicate and a hook set, as a user with logging writes it.
    #[inline(never)]
    pub fn ours_hooks() -> Result<u32, Transient> {
        Retry::new(&POLICY)
            .when(Transient::is_transient)
            .on_retry(|ev: &RetryEvent<'_, Transient>| {
                black_box(ev.attempt);
            })
            .run(|| op(INPUT))
    }

    #[inline(never)]
    pub fn backon() -> Result<u32, Transient> {
        (|| op(INPUT))
            .retry(
                backon::ExponentialBuilder::default()
                    .with_min_delay(Duration::from_millis(100))
                    .with_max_delay(Duration::from_secs(10))
                    .with_max_times(2)
                    .with_jitter(),
            )
            .when(Transient::is_transient)
            .call()
    }

    #[inline(never)]
    pub fn backoff() -> Result<u32, Transient> {
        backoff::retry(backoff::ExponentialBackoff::default(), || {
            op(INPUT).map_err(backoff::Error::transient)
        })
        .map_err(|e| match e {
            backoff::Error::Permanent(e) | backoff::Error::Transient { err: e, .. } => e,
        })
    }

    /// What every retry loop below does, written by hand: up to 3 attempts, no delay.
    #[inline(never)]
    pub fn hand_loop() -> Result<u32, Transient> {
        let mut attempt = 1;
        loop {
            match flaky() {
                Ok(v) => return Ok(v),
                Err(_) if attempt < 3 => attempt += 1,
                Err(e) => return Err(e),
            }
        }
    }

    #[inline(never)]
    pub fn ours_fail_once() -> Result<u32, Transient> {
        retry_runtime::retry(&ZERO_DELAY, flaky)
    }

    /// The attribute on a function, as a user writes it.
    #[inline(never)]
    #[retry_runtime::retry_on_failure(policy = POLICY)]
    pub fn ours_attr() -> Result<u32, Transient> {
        op(INPUT)
    }

    #[inline(never)]
    #[retry_runtime::retry_on_failure(policy = ZERO_DELAY)]
    pub fn ours_attr_fail_once() -> Result<u32, Transient> {
        flaky()
    }

    /// A client holding its policy, configured at run time (`policy = &self.policy`).
    pub struct Client {
        pub policy: retry_runtime::RetryPolicy,
    }

    impl Client {
        #[inline(never)]
        #[retry_runtime::retry_on_failure(policy = &self.policy)]
        pub fn call(&self) -> Result<u32, Transient> {
            op(INPUT)
        }

        #[inline(never)]
        #[retry_runtime::retry_on_failure(policy = POLICY)]
        pub fn call_const(&self) -> Result<u32, Transient> {
            op(INPUT)
        }
    }

    pub static CLIENT: Client = Client { policy: POLICY };

    /// The attribute with a policy read at run time, on a method.
    #[inline(never)]
    pub fn ours_attr_runtime_policy() -> Result<u32, Transient> {
        black_box(&CLIENT).call()
    }

    /// The same method with a constant policy: the pair measures the runtime policy alone.
    #[inline(never)]
    pub fn ours_attr_const_method() -> Result<u32, Transient> {
        black_box(&CLIENT).call_const()
    }

    #[inline(never)]
    pub fn backon_fail_once() -> Result<u32, Transient> {
        flaky
            .retry(
                backon::ConstantBuilder::default()
                    .with_delay(Duration::ZERO)
                    .with_max_times(2),
            )
            .call()
    }
}

/// Benches one sync function, called directly (no function pointer) in criterion's loop.
macro_rules! bench_sync {
    ($g:expr, $name:expr, $f:path, $check:path) => {
        $check($name, $f());
        $g.bench_function($name, |b| b.iter(|| black_box($f())));
    };
}

fn sync_success(c: &mut Criterion) {
    let mut g = fast_group(c, "sync_success");
    bench_sync!(g, "bare", sync::bare, assert_success);
    bench_sync!(g, "ours", sync::ours, assert_success);
    bench_sync!(g, "ours_attr", sync::ours_attr, assert_success);
    bench_sync!(
        g,
        "ours_attr_const_method",
        sync::ours_attr_const_method,
        assert_success
    );
    bench_sync!(
        g,
        "ours_attr_runtime_policy",
        sync::ours_attr_runtime_policy,
        assert_success
    );
    bench_sync!(g, "ours_hooks", sync::ours_hooks, assert_success);
    bench_sync!(g, "backon", sync::backon, assert_success);
    bench_sync!(g, "backoff", sync::backoff, assert_success);
    g.finish();
}

fn sync_fail_once(c: &mut Criterion) {
    let mut g = fast_group(c, "sync_fail_once");
    bench_sync!(g, "hand_loop", sync::hand_loop, assert_fail_once);
    bench_sync!(g, "ours", sync::ours_fail_once, assert_fail_once);
    bench_sync!(g, "ours_attr", sync::ours_attr_fail_once, assert_fail_once);
    bench_sync!(g, "backon", sync::backon_fail_once, assert_fail_once);
    g.finish();
}

// ---------------------------------------------------------------------------------------------
// Async
// ---------------------------------------------------------------------------------------------

mod asynk {
    use super::*;
    use backon::Retryable;
    use tower::{Service, ServiceExt};

    /// The service a tower user builds once and calls for every request.
    pub fn tower_service() -> impl Service<u32, Response = u32, Error = Transient> + Clone {
        tower::ServiceBuilder::new()
            .retry(RetryErrors(2))
            .service_fn(op_async)
    }

    pub fn tower_flaky_service() -> impl Service<u32, Response = u32, Error = Transient> + Clone {
        tower::ServiceBuilder::new()
            .retry(RetryErrors(2))
            .service_fn(|_: u32| flaky_async())
    }

    #[inline(never)]
    pub async fn bare() -> Result<u32, Transient> {
        op_async(INPUT).await
    }

    #[inline(never)]
    pub async fn ours() -> Result<u32, Transient> {
        retry_runtime::retry_async(&POLICY, || op_async(INPUT)).await
    }

    #[inline(never)]
    pub async fn tower<S>(svc: &mut S, req: u32) -> Result<u32, Transient>
    where
        S: Service<u32, Response = u32, Error = Transient>,
    {
        svc.ready().await?.call(req).await
    }

    #[inline(never)]
    pub async fn tokio_retry() -> Result<u32, Transient> {
        use tokio_retry::strategy::{jitter, ExponentialBackoff};
        let strategy = ExponentialBackoff::from_millis(10).map(jitter).take(2);
        // `Retry::spawn` is the same call, deprecated (renamed `start`) in tokio-retry 0.3.2.
        tokio_retry::Retry::start(strategy, || op_async(INPUT)).await
    }

    #[inline(never)]
    pub async fn backon() -> Result<u32, Transient> {
        (|| op_async(INPUT))
            .retry(
                backon::ExponentialBuilder::default()
                    .with_min_delay(Duration::from_millis(100))
                    .with_max_delay(Duration::from_secs(10))
                    .with_max_times(2)
                    .with_jitter(),
            )
            .sleep(backon::TokioSleeper)
            .await
    }

    #[inline(never)]
    pub async fn hand_loop() -> Result<u32, Transient> {
        let mut attempt = 1;
        loop {
            match flaky_async().await {
                Ok(v) => return Ok(v),
                Err(_) if attempt < 3 => attempt += 1,
                Err(e) => return Err(e),
            }
        }
    }

    #[inline(never)]
    pub async fn ours_fail_once() -> Result<u32, Transient> {
        retry_runtime::retry_async(&ZERO_DELAY, flaky_async).await
    }

    /// The floor of any async retry loop: one attempt and, on error, one suspension point, with
    /// no state and no policy at all. What a retrying async function can cost at best over a
    /// bare call, measured in the same group.
    #[inline(never)]
    pub async fn floor_loop() -> Result<u32, Transient> {
        loop {
            match op_async(INPUT).await {
                Ok(v) => return Ok(v),
                Err(_) => tokio::task::yield_now().await,
            }
        }
    }

    /// The attribute on an async function, as a user writes it.
    #[inline(never)]
    #[retry_runtime::retry_on_failure(policy = POLICY)]
    pub async fn ours_attr() -> Result<u32, Transient> {
        op_async(INPUT).await
    }

    #[inline(never)]
    #[retry_runtime::retry_on_failure(policy = ZERO_DELAY)]
    pub async fn ours_attr_fail_once() -> Result<u32, Transient> {
        flaky_async().await
    }

    /// A client holding its policy, configured at run time (`policy = &self.policy`).
    pub struct Client {
        pub policy: retry_runtime::RetryPolicy,
    }

    impl Client {
        #[inline(never)]
        #[retry_runtime::retry_on_failure(policy = &self.policy)]
        pub async fn call(&self) -> Result<u32, Transient> {
            op_async(INPUT).await
        }

        #[inline(never)]
        #[retry_runtime::retry_on_failure(policy = POLICY)]
        pub async fn call_const(&self) -> Result<u32, Transient> {
            op_async(INPUT).await
        }
    }

    pub static CLIENT: Client = Client { policy: POLICY };

    /// The attribute with a policy read at run time, on a method.
    pub async fn ours_attr_runtime_policy() -> Result<u32, Transient> {
        black_box(&CLIENT).call().await
    }

    /// The same method with a constant policy: the pair measures the runtime policy alone.
    pub async fn ours_attr_const_method() -> Result<u32, Transient> {
        black_box(&CLIENT).call_const().await
    }

    #[inline(never)]
    pub async fn tokio_retry_fail_once() -> Result<u32, Transient> {
        let strategy = tokio_retry::strategy::FixedInterval::from_millis(0).take(2);
        tokio_retry::Retry::start(strategy, flaky_async).await
    }

    #[inline(never)]
    pub async fn backon_fail_once() -> Result<u32, Transient> {
        flaky_async
            .retry(
                backon::ConstantBuilder::default()
                    .with_delay(Duration::ZERO)
                    .with_max_times(2),
            )
            .sleep(backon::TokioSleeper)
            .await
    }
}

/// Benches one async function returning a fresh future per call.
fn bench_async<F, Fut>(
    g: &mut BenchmarkGroup<'_, WallTime>,
    rt: &tokio::runtime::Runtime,
    name: &str,
    f: F,
) where
    F: Fn() -> Fut,
    Fut: Future<Output = Result<u32, Transient>>,
{
    g.bench_function(name, |b| {
        b.iter_custom(|iters| async_iters!(rt, iters, f()))
    });
}

fn async_success(c: &mut Criterion) {
    let rt = runtime();
    let mut tower_svc = asynk::tower_service();

    assert_success("bare", rt.block_on(asynk::bare()));
    assert_success("ours", rt.block_on(asynk::ours()));
    assert_success("ours_attr", rt.block_on(asynk::ours_attr()));
    assert_success(
        "ours_attr_runtime_policy",
        rt.block_on(asynk::ours_attr_runtime_policy()),
    );
    assert_success("tower", rt.block_on(asynk::tower(&mut tower_svc, INPUT)));
    assert_success("tokio_retry", rt.block_on(asynk::tokio_retry()));
    assert_success("backon", rt.block_on(asynk::backon()));

    let mut g = fast_group(c, "async_success");
    bench_async(&mut g, &rt, "bare", asynk::bare);
    bench_async(&mut g, &rt, "ours", asynk::ours);
    bench_async(&mut g, &rt, "ours_attr", asynk::ours_attr);
    bench_async(
        &mut g,
        &rt,
        "ours_attr_const_method",
        asynk::ours_attr_const_method,
    );
    bench_async(
        &mut g,
        &rt,
        "ours_attr_runtime_policy",
        asynk::ours_attr_runtime_policy,
    );
    bench_async(&mut g, &rt, "floor_loop", asynk::floor_loop);
    g.bench_function("tower", |b| {
        b.iter_custom(|iters| async_iters!(rt, iters, asynk::tower(&mut tower_svc, INPUT)))
    });
    bench_async(&mut g, &rt, "tokio_retry", asynk::tokio_retry);
    bench_async(&mut g, &rt, "backon", asynk::backon);
    g.finish();
}

fn async_fail_once(c: &mut Criterion) {
    let rt = runtime();
    let mut tower_svc = asynk::tower_flaky_service();

    assert_fail_once("hand_loop", rt.block_on(asynk::hand_loop()));
    assert_fail_once("ours", rt.block_on(asynk::ours_fail_once()));
    assert_fail_once("ours_attr", rt.block_on(asynk::ours_attr_fail_once()));
    assert_fail_once("tower", rt.block_on(asynk::tower(&mut tower_svc, INPUT)));
    assert_fail_once("tokio_retry", rt.block_on(asynk::tokio_retry_fail_once()));
    assert_fail_once("backon", rt.block_on(asynk::backon_fail_once()));

    // tokio-retry and backon sleep through tokio even for a zero delay, and tokio rounds that
    // up to its next 1 ms timer tick: few samples, or this group alone would take minutes.
    let mut g = c.benchmark_group("async_fail_once");
    g.sample_size(10);
    g.warm_up_time(Duration::from_millis(500));
    g.measurement_time(Duration::from_secs(2));
    bench_async(&mut g, &rt, "hand_loop", asynk::hand_loop);
    bench_async(&mut g, &rt, "ours", asynk::ours_fail_once);
    bench_async(&mut g, &rt, "ours_attr", asynk::ours_attr_fail_once);
    g.bench_function("tower", |b| {
        b.iter_custom(|iters| async_iters!(rt, iters, asynk::tower(&mut tower_svc, INPUT)))
    });
    bench_async(&mut g, &rt, "tokio_retry", asynk::tokio_retry_fail_once);
    bench_async(&mut g, &rt, "backon", asynk::backon_fail_once);
    g.finish();
}

criterion_group!(
    benches,
    sync_success,
    async_success,
    sync_fail_once,
    async_fail_once
);
criterion_main!(benches);
