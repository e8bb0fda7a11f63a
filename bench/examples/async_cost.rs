//! Instructions per awaited call on the async success and fail-once paths, counted with callgrind, which
//! counts the same on a loaded machine as on a quiet one (the criterion benches measure time).
//!
//! ```sh
//! cargo build --release -p retry-bench --example async_cost
//! for v in bare floor_loop ours ours_attr tower hand_loop ours_fail_once ours_attr_fail_once tower_fail_once; do
//!   for n in 0 100000; do
//!     valgrind --tool=callgrind --callgrind-out-file=/dev/null target/release/examples/async_cost $v $n 2>&1 | grep -o 'refs: *[0-9,]*'
//!   done
//! done
//! ```
//! The difference between the two counts, divided by 100,000, is one call's instructions.

use std::hint::black_box;
use std::time::Duration;

use retry_runtime::{Jitter, RetryPolicy};
use tower::{Service, ServiceExt};

#[derive(Clone, Copy, Debug)]
struct Transient(#[allow(dead_code)] u16);

const POLICY: RetryPolicy = RetryPolicy::exponential()
    .max_attempts(3)
    .initial_delay(Duration::from_millis(100))
    .max_delay(Duration::from_secs(10))
    .jitter(Jitter::Full);

#[inline(never)]
fn op(x: u32) -> Result<u32, Transient> {
    let x = black_box(x);
    if x == u32::MAX {
        Err(Transient(503))
    } else {
        Ok(x + 1)
    }
}

#[inline(never)]
async fn op_async(x: u32) -> Result<u32, Transient> {
    op(x)
}

const ZERO_DELAY: RetryPolicy = RetryPolicy::exponential()
    .max_attempts(3)
    .initial_delay(Duration::ZERO);

static FAILED_LAST: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Fails every other call: each logical call fails once, then succeeds.
#[inline(never)]
fn flaky() -> Result<u32, Transient> {
    use std::sync::atomic::Ordering::Relaxed;
    let failed = FAILED_LAST.load(Relaxed);
    FAILED_LAST.store(!failed, Relaxed);
    if failed {
        Ok(black_box(7))
    } else {
        Err(Transient(503))
    }
}

#[inline(never)]
async fn flaky_async() -> Result<u32, Transient> {
    flaky()
}

#[inline(never)]
async fn hand_loop() -> Result<u32, Transient> {
    loop {
        if let Ok(v) = flaky_async().await {
            return Ok(v);
        }
    }
}

#[inline(never)]
async fn ours_fail_once() -> Result<u32, Transient> {
    retry_runtime::retry_async(&ZERO_DELAY, flaky_async).await
}

#[inline(never)]
#[retry_runtime::retry_on_failure(policy = ZERO_DELAY)]
async fn ours_attr_fail_once() -> Result<u32, Transient> {
    flaky_async().await
}

#[inline(never)]
async fn bare() -> Result<u32, Transient> {
    op_async(41).await
}

#[inline(never)]
async fn floor_loop() -> Result<u32, Transient> {
    loop {
        match op_async(41).await {
            Ok(v) => return Ok(v),
            Err(_) => tokio::task::yield_now().await,
        }
    }
}

#[inline(never)]
async fn ours() -> Result<u32, Transient> {
    retry_runtime::retry_async(&POLICY, || op_async(41)).await
}

#[inline(never)]
#[retry_runtime::retry_on_failure(policy = POLICY)]
async fn ours_attr() -> Result<u32, Transient> {
    op_async(41).await
}

#[derive(Clone, Copy)]
struct RetryErrors(usize);

impl<Req: Clone, Res, E> tower::retry::Policy<Req, Res, E> for RetryErrors {
    type Future = std::future::Ready<()>;
    fn retry(&mut self, _: &mut Req, result: &mut Result<Res, E>) -> Option<Self::Future> {
        match result {
            Err(_) if self.0 > 0 => {
                self.0 -= 1;
                Some(std::future::ready(()))
            }
            _ => None,
        }
    }
    fn clone_request(&mut self, req: &Req) -> Option<Req> {
        Some(req.clone())
    }
}

#[inline(never)]
async fn tower<S: Service<u32, Response = u32, Error = Transient>>(
    svc: &mut S,
) -> Result<u32, Transient> {
    svc.ready().await?.call(41).await
}

fn main() {
    let mut args = std::env::args().skip(1);
    let variant = args
        .next()
        .expect("a variant: bare, floor_loop, ours, ours_attr, tower");
    let n: u64 = args.next().and_then(|n| n.parse().ok()).expect("a count");
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("a runtime");
    let mut svc = tower::ServiceBuilder::new()
        .retry(RetryErrors(2))
        .service_fn(op_async);
    let mut flaky_svc = tower::ServiceBuilder::new()
        .retry(RetryErrors(2))
        .service_fn(|_: u32| flaky_async());
    macro_rules! calls {
        ($call:expr) => {
            rt.block_on(async {
                for _ in 0..n {
                    black_box($call.await).ok();
                }
            })
        };
    }
    match variant.as_str() {
        "bare" => calls!(bare()),
        "floor_loop" => calls!(floor_loop()),
        "ours" => calls!(ours()),
        "ours_attr" => calls!(ours_attr()),
        "tower" => calls!(tower(&mut svc)),
        "hand_loop" => calls!(hand_loop()),
        "ours_fail_once" => calls!(ours_fail_once()),
        "ours_attr_fail_once" => calls!(ours_attr_fail_once()),
        "tower_fail_once" => calls!(tower(&mut flaky_svc)),
        other => panic!("unknown variant {other}"),
    }
}
