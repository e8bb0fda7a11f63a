//! A panicking `on_retry` hook: the retry it announced never runs, so it spends no budget
//! token and counts no retry in `stats()`.

use std::panic::catch_unwind;

use retry_runtime::{budget, configure_budget, retry_on_failure, stats, RetryBudget};

#[retry_on_failure(
    max_attempts = 3,
    initial_delay = "0ms",
    budget = "hook_panic",
    on_retry = |_| panic!("the hook failed")
)]
fn panicking_hook() -> Result<(), String> {
    Err("503".to_string())
}

#[test]
fn a_panicking_on_retry_spends_no_token_and_counts_no_retry() {
    // No deposits count: only the reserve of 10 tokens.
    configure_budget("hook_panic", RetryBudget::new().ratio(0.0).min_per_sec(1));
    let before = budget("hook_panic").unwrap().available();
    assert!(catch_unwind(panicking_hook).is_err());
    let after = budget("hook_panic").unwrap().available();
    assert!(
        (before - after).abs() < 1e-9,
        "{before} tokens before, {after} after"
    );
    let retries: u64 = stats()
        .iter()
        .filter(|s| s.function.ends_with("panicking_hook"))
        .map(|s| s.retries)
        .sum();
    assert_eq!(retries, 0);
}
