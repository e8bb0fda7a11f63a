//! Instructions per awaited call on the async success and fail-once paths, counted with callgrind, which
//! counts the same on a loaded machine as on a quiet one (the criterion benches measure time).
//!
//! ```sh
//! cargo build --release -p retry-bench --example async_cost
//! for v in bare floor_loop ours ours_attr ours_attr_const_method ours_attr_runtime_policy tower hand_loop ours_fail_once ours_attr_fail_once tower_fail_once; do
//!   for n in 0 100000; do
//!     valgrind --tool=callgrind --callgrind-out-file=/dev/null target/release/examples/async_cost $v $n 2>&1 | grep -o 'refs: *[0-9,]*'
//!   done
//! done
//! ```
//! The difference between the two counts, divided by 100,000, is one call's instructions.

use std::hint::black_box;

use tower::{Service, ServiceExt};

#[allow(dead_code)]
#[path = "../benches/common/mod.rs"]
mod common;
use common::*;

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

/// A client holding its policy: a constant policy and one read at run time on the same method.
struct Client {
    policy: retry_runtime::RetryPolicy,
}

impl Client {
    #[inline(never)]
    #[retry_runtime::retry_on_failure(policy = POLICY)]
    async fn call_const(&self) -> Result<u32, Transient> {
        op_async(INPUT).await
    }

    #[inline(never)]
    #[retry_runtime::retry_on_failure(policy = &self.policy)]
    async fn call_runtime(&self) -> Result<u32, Transient> {
        op_async(INPUT).await
    }
}

static CLIENT: Client = Client { policy: POLICY };

#[inline(never)]
async fn bare() -> Result<u32, Transient> {
    op_async(INPUT).await
}

#[inline(never)]
async fn floor_loop() -> Result<u32, Transient> {
    loop {
        match op_async(INPUT).await {
            Ok(v) => return Ok(v),
            Err(_) => tokio::task::yield_now().await,
        }
    }
}

#[inline(never)]
async fn ours() -> Result<u32, Transient> {
    retry_runtime::retry_async(&POLICY, || op_async(INPUT)).await
}

#[inline(never)]
#[retry_runtime::retry_on_failure(policy = POLICY)]
async fn ours_attr() -> Result<u32, Transient> {
    op_async(INPUT).await
}

#[inline(never)]
async fn tower<S: Service<u32, Response = u32, Error = Transient>>(
    svc: &mut S,
) -> Result<u32, Transient> {
    svc.ready().await?.call(INPUT).await
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
        "ours_attr_const_method" => calls!(black_box(&CLIENT).call_const()),
        "ours_attr_runtime_policy" => calls!(black_box(&CLIENT).call_runtime()),
        "tower" => calls!(tower(&mut svc)),
        "hand_loop" => calls!(hand_loop()),
        "ours_fail_once" => calls!(ours_fail_once()),
        "ours_attr_fail_once" => calls!(ours_attr_fail_once()),
        "tower_fail_once" => calls!(tower(&mut flaky_svc)),
        other => panic!("unknown variant {other}"),
    }
}
