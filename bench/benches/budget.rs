//! What a retry budget, a statistics site and an error shower cost on the success path, and the
//! budget's raw operations, single-threaded.
//!
//! Run with `cargo bench -p retry-bench --bench budget && python3 bench/report.py budget_success
//! budget_ops`.
//!
//! `budget_success` holds the plain call (`bare`), the retry without options (`ours`), and the
//! retry with each new option: a success with a budget costs its deposit, one uncontended
//! relaxed `fetch_add`; a site and an error shower cost nothing. `budget_ops` holds the raw
//! deposit beside a plain `fetch_add` (`bare`), and the failure path's withdrawal for scale.

use std::hint::black_box;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use retry_runtime::__private::{BudgetSite, Site};
use retry_runtime::options::{Budget, With};
use retry_runtime::{configure_budget, Retry, RetryBudget, SharedBudget, ShowDisplay, Unset};

#[allow(dead_code)]
mod common;
use common::{op, Transient, INPUT, POLICY};

static SITE: Site = Site::new("bench_budget");
static BUDGET: BudgetSite = BudgetSite::new("bench-site");

type WithBudget = Retry<'static, With<Unset, Budget<&'static SharedBudget>>>;

mod calls {
    use super::*;

    #[inline(never)]
    pub fn bare() -> Result<u32, Transient> {
        op(INPUT)
    }

    /// `retry(&P, ..)`: no budget.
    #[inline(never)]
    pub fn ours() -> Result<u32, Transient> {
        retry_runtime::retry(&POLICY, || op(INPUT))
    }

    /// What the attribute expands to with `budget = "..."`: the site's cached budget.
    #[inline(never)]
    pub fn ours_budget_site() -> Result<u32, Transient> {
        retry_runtime::__private::run_sync(
            retry_runtime::__private::with_budget_site(Retry::new(&POLICY), &BUDGET),
            || op(INPUT),
        )
    }

    /// What the attribute expands to with a statistics site and an error shower, no budget.
    #[inline(never)]
    pub fn ours_site_shower() -> Result<u32, Transient> {
        retry_runtime::__private::run_sync(
            retry_runtime::__private::retry_at_site(&POLICY, &SITE, None).show_error(ShowDisplay),
            || op(INPUT),
        )
    }

    /// All three, as the attribute with `budget` expands.
    #[inline(never)]
    pub fn ours_all() -> Result<u32, Transient> {
        retry_runtime::__private::run_sync(
            retry_runtime::__private::with_budget_site(
                retry_runtime::__private::retry_at_site(&POLICY, &SITE, None),
                &BUDGET,
            )
            .show_error(ShowDisplay),
            || op(INPUT),
        )
    }

    /// `Retry::budget(name)` built once and run many times.
    #[inline(never)]
    pub fn ours_budget_prebuilt(retry: &WithBudget) -> Result<u32, Transient> {
        retry.run(|| op(INPUT))
    }

    /// `Retry::budget(name)` built per call: the name is looked up each time.
    #[inline(never)]
    pub fn ours_budget_by_name() -> Result<u32, Transient> {
        Retry::new(&POLICY)
            .budget("bench-by-name")
            .run(|| op(INPUT))
    }
}

fn group<'c>(
    c: &'c mut Criterion,
    name: &str,
) -> criterion::BenchmarkGroup<'c, criterion::measurement::WallTime> {
    let mut g = c.benchmark_group(name);
    g.warm_up_time(Duration::from_secs(1));
    g.measurement_time(Duration::from_secs(3));
    g
}

fn budget_success(c: &mut Criterion) {
    configure_budget("bench-site", RetryBudget::new());
    let prebuilt: WithBudget = Retry::new(&POLICY).budget("bench-prebuilt");
    let expected = Ok(INPUT + 1);
    assert_eq!(calls::ours_all(), expected);
    assert_eq!(calls::ours_budget_by_name(), expected);
    assert_eq!(calls::ours_budget_prebuilt(&prebuilt), expected);

    let mut g = group(c, "budget_success");
    g.bench_function("bare", |b| b.iter(|| black_box(calls::bare())));
    g.bench_function("ours", |b| b.iter(|| black_box(calls::ours())));
    g.bench_function("ours_budget_site", |b| {
        b.iter(|| black_box(calls::ours_budget_site()))
    });
    g.bench_function("ours_site_shower", |b| {
        b.iter(|| black_box(calls::ours_site_shower()))
    });
    g.bench_function("ours_all", |b| b.iter(|| black_box(calls::ours_all())));
    g.bench_function("ours_budget_prebuilt", |b| {
        b.iter(|| black_box(calls::ours_budget_prebuilt(black_box(&prebuilt))))
    });
    g.bench_function("ours_budget_by_name", |b| {
        b.iter(|| black_box(calls::ours_budget_by_name()))
    });
    g.finish();
}

static PLAIN: AtomicU64 = AtomicU64::new(0);

fn budget_ops(c: &mut Criterion) {
    let shared = configure_budget("bench-ops", RetryBudget::new());
    // A reserve no bench can use up: every withdrawal succeeds and takes the full path.
    let roomy = configure_budget(
        "bench-roomy",
        RetryBudget::new()
            .min_per_sec(u32::MAX)
            .ttl(Duration::from_secs(3600)),
    );
    let mut g = group(c, "budget_ops");
    g.bench_function("bare", |b| {
        b.iter(|| black_box(&PLAIN).fetch_add(1, Ordering::Relaxed))
    });
    g.bench_function("deposit", |b| b.iter(|| black_box(shared).deposit()));
    g.bench_function("site_deposit", |b| b.iter(|| black_box(&BUDGET).deposit()));
    g.bench_function("try_withdraw", |b| {
        b.iter(|| black_box(black_box(roomy).try_withdraw()))
    });
    g.finish();
}

criterion_group!(benches, budget_success, budget_ops);
criterion_main!(benches);
