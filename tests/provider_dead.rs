//! A dead backend on real HTTP: the server answers 503 to everything. Retries alone multiply
//! the load on it; a circuit breaker under the retry bounds it to `failure_threshold` plus
//! `half_open_max_calls` requests per `reset_timeout`.

#[path = "../examples/support/client.rs"]
mod client;
#[path = "../examples/support/server.rs"]
mod server;

use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::Arc;
use std::time::Duration;

use client::{ChatProvider, ProviderError, Reply};
use retry_runtime::{circuit_breaker, retry_on_failure, State};
use server::{Fault, FaultServer};

/// Mirrors the attributes below.
const MAX_ATTEMPTS: u64 = 3;
const FAILURE_THRESHOLD: u64 = 3;
const HALF_OPEN_MAX_CALLS: u64 = 1;
const RESET_TIMEOUT: Duration = Duration::from_millis(200);
/// How long the callers keep calling: several `reset_timeout`s, so the breaker goes through
/// open, half-open and open again.
const RUN_FOR: Duration = Duration::from_millis(900);
const CALLERS: usize = 4;

impl ChatProvider {
    #[retry_on_failure(
        max_attempts = 3,
        initial_delay = "1ms",
        max_delay = "5ms",
        timeout = "250ms",
        timeout_error = ProviderError::Timeout,
        when = ProviderError::is_transient,
    )]
    #[circuit_breaker(
        dead_backend,
        failure_threshold = 3,
        half_open_max_calls = 1,
        reset_timeout = "200ms",
        when = ProviderError::is_transient,
        open_error = |open| ProviderError::Unavailable(open.to_string()),
    )]
    async fn chat_dead(&self, prompt: &str) -> Result<Reply, ProviderError> {
        self.complete(&self.primary, prompt).await
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dead_backend_sees_bounded_traffic() {
    let server = FaultServer::start().await;
    server.default_fault(Fault::Unavailable);
    let provider = Arc::new(ChatProvider::without_token_limit(
        server.url(),
        server.url(),
    ));
    let calls = Arc::new(AtomicU64::new(0));
    let unavailable = Arc::new(AtomicU64::new(0));
    let rejected = Arc::new(AtomicU64::new(0));

    let started = tokio::time::Instant::now();
    let mut callers = tokio::task::JoinSet::new();
    for caller in 0..CALLERS {
        let (provider, calls, unavailable, rejected) = (
            Arc::clone(&provider),
            Arc::clone(&calls),
            Arc::clone(&unavailable),
            Arc::clone(&rejected),
        );
        callers.spawn(async move {
            while started.elapsed() < RUN_FOR {
                let n = calls.fetch_add(1, Relaxed);
                match provider
                    .chat_dead(&format!("caller {caller}, call {n}"))
                    .await
                {
                    Ok(reply) => panic!("a dead backend answered: {reply:?}"),
                    Err(ProviderError::Status { code: 503, .. }) => {
                        unavailable.fetch_add(1, Relaxed);
                    }
                    Err(ProviderError::Unavailable(_)) => {
                        rejected.fetch_add(1, Relaxed);
                    }
                    Err(other) => panic!("unexpected error: {other}"),
                }
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
        });
    }
    while let Some(caller) = callers.join_next().await {
        caller.expect("caller panicked");
    }
    let elapsed = started.elapsed();
    let calls = calls.load(Relaxed);
    let (unavailable, rejected) = (unavailable.load(Relaxed), rejected.load(Relaxed));
    let hits = server.requests();
    assert_eq!(
        hits,
        provider.meter.attempts.load(Relaxed),
        "hits vs attempts"
    );

    // What a breaker must keep it to: the failures that open it, then at most
    // `half_open_max_calls` probes per `reset_timeout` (counted generously: every window
    // started, each allowed a full threshold).
    let windows = (elapsed.as_millis() / RESET_TIMEOUT.as_millis()) as u64 + 1;
    let breaker_bound = (FAILURE_THRESHOLD + HALF_OPEN_MAX_CALLS) * windows;
    eprintln!(
        "{calls} calls in {elapsed:?}: {hits} backend hits, {unavailable} calls saw the 503, \
         {rejected} were rejected by the breaker (retries alone: {} hits; the breaker keeps it \
         within {breaker_bound})",
        calls * MAX_ATTEMPTS
    );

    assert!(
        hits <= breaker_bound,
        "{hits} backend hits, at most {breaker_bound}"
    );
    assert_eq!(unavailable + rejected, calls, "every call got one answer");
    assert!(rejected > 0, "the breaker rejected calls");
    let state = retry_runtime::breaker("dead_backend").unwrap().state();
    assert!(
        matches!(state, State::Open | State::HalfOpen), // half-open if a window just ended
        "the breaker is {state}"
    );
}
