//! Budgets, sites and error showers add no heap allocation to the loops: none on the success
//! path, and none on a fail-once path with zero delay once the site and budget exist (a site's
//! first counted event registers it, and a budget is created on first use: both once).

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use retry_runtime::__private::{async_decide, pause, AsyncState, BudgetSite, Site};
use retry_runtime::{configure_budget, Jitter, Retry, RetryBudget, RetryPolicy, ShowDisplay};

mod common;
use common::counting_alloc::count;

const ZERO: RetryPolicy = RetryPolicy::fixed()
    .max_attempts(4)
    .initial_delay(Duration::ZERO)
    .jitter(Jitter::None);

fn fail_once() -> impl FnMut() -> Result<u32, String> {
    let mut n = 0;
    move || {
        n += 1;
        if n == 1 {
            Err(String::new()) // an empty String does not allocate
        } else {
            Ok(n)
        }
    }
}

#[test]
fn the_counter_sees_allocations() {
    let (b, n) = count(|| Box::new(std::hint::black_box(7u64)));
    assert_eq!(*b, 7);
    assert!(n >= 1);
}

#[test]
fn sync_paths_with_a_budget_and_a_site_allocate_nothing() {
    static SITE: Site = Site::new("no_alloc_budget_sync");
    static BUDGET: BudgetSite = BudgetSite::new("no-alloc-sync");
    configure_budget("no-alloc-sync", RetryBudget::new());
    let by_name = Retry::new(&ZERO).budget("no-alloc-sync");
    // Warm up: resolve the site's budget and register the site (each once per process).
    let _ = retry_runtime::__private::run_sync(
        retry_runtime::__private::with_budget_site(
            retry_runtime::__private::retry_at_site(&ZERO, &SITE, None),
            &BUDGET,
        ),
        fail_once(),
    );

    let (r, n) = count(|| {
        retry_runtime::__private::run_sync(
            retry_runtime::__private::with_budget_site(
                retry_runtime::__private::retry_at_site(&ZERO, &SITE, None),
                &BUDGET,
            )
            .show_error(ShowDisplay),
            || Ok::<u32, String>(1),
        )
    });
    assert_eq!((r, n), (Ok(1), 0), "success with a budget site allocated");

    let (r, n) = count(|| by_name.run(|| Ok::<u32, String>(2)));
    assert_eq!((r, n), (Ok(2), 0), "success with Retry::budget allocated");

    let (r, n) = count(|| {
        retry_runtime::__private::run_sync(
            retry_runtime::__private::with_budget_site(
                retry_runtime::__private::retry_at_site(&ZERO, &SITE, None),
                &BUDGET,
            )
            .show_error(ShowDisplay),
            fail_once(),
        )
    });
    assert_eq!(
        (r, n),
        (Ok(2), 0),
        "fail-once with a budget and a site allocated"
    );

    let (r, n) = count(|| by_name.run(fail_once()));
    assert_eq!((r, n), (Ok(2), 0), "fail-once with Retry::budget allocated");
}

#[test]
fn async_expansion_path_with_a_budget_and_a_site_allocates_nothing() {
    static SITE: Site = Site::new("no_alloc_budget_async");
    static BUDGET: BudgetSite = BudgetSite::new("no-alloc-async");
    let _ = BUDGET.get();
    SITE.rejection(None); // registers the site

    // The attribute's async expansion, by hand.
    async fn call(mut op: impl FnMut() -> Result<u32, String>) -> Result<u32, String> {
        let mut state = AsyncState::start(false);
        loop {
            let error = match async { op() }.await {
                Ok(v) => {
                    if state.first_attempt() {
                        BUDGET.deposit();
                    }
                    return Ok(v);
                }
                Err(e) => e,
            };
            let retry = retry_runtime::__private::with_budget_site(
                retry_runtime::__private::retry_at_site(&ZERO, &SITE, None),
                &BUDGET,
            )
            .show_error(ShowDisplay);
            match async_decide(&retry, &mut state, &error) {
                Some(delay) => pause(delay).await,
                None => return Err(error),
            }
        }
    }
    let poll = |fut: &mut dyn FnMut() -> Poll<Result<u32, String>>| count(fut);
    let mut cx = Context::from_waker(Waker::noop());
    let mut ok = pin!(call(|| Ok(1)));
    let (r, n) = poll(&mut || ok.as_mut().poll(&mut cx));
    assert_eq!((r, n), (Poll::Ready(Ok(1)), 0));
    // With the `metrics` feature, a site's first retry resolves its counter handles (their
    // labels are allocated once per site, like the site's registration): warm that up first.
    let mut warm = pin!(call(fail_once()));
    let _ = warm.as_mut().poll(&mut cx);
    let mut once = pin!(call(fail_once()));
    let (r, n) = poll(&mut || once.as_mut().poll(&mut cx));
    assert_eq!((r, n), (Poll::Ready(Ok(2)), 0));
}
