//! Chaos on real HTTP: 10,000 logical calls against a server that faults 30% of the requests it
//! receives (seeded), `max_attempts = 5`, 64 calls in flight. Loopback only.

#[path = "../examples/support/client.rs"]
mod client;
#[path = "../examples/support/server.rs"]
mod server;

use std::future::Future;
use std::sync::atomic::{AtomicU32, AtomicU64, AtomicUsize, Ordering::Relaxed};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use client::{ChatProvider, ProviderError, Reply};
use retry_runtime::{retry_on_failure, RetryEvent, RetryPolicy};
use server::{Fault, FaultServer};

const CALLS: usize = 10_000;
const IN_FLIGHT: usize = 64;
const FAULT_RATE: f64 = 0.30;

/// The schedule of both chaos methods; each sets its own number of attempts.
const CHAOS: RetryPolicy = RetryPolicy::exponential()
    .initial_delay(Duration::from_millis(1))
    .max_delay(Duration::from_millis(4));

/// Attempts cut off by the per-attempt timeout: a request cut off before the server read it
/// (a loaded machine) is an attempt the server never saw.
static TIMED_OUT: AtomicU64 = AtomicU64::new(0);

fn timed_out(t: retry_runtime::AttemptTimedOut) -> ProviderError {
    TIMED_OUT.fetch_add(1, Relaxed);
    ProviderError::Timeout(t)
}

/// Give-ups, by function and the attempt they happened at.
static GAVE_UP: Mutex<Vec<(&'static str, u32)>> = Mutex::new(Vec::new());

impl ChatProvider {
    /// The primary, with the chaos policy of the issue. Attempts are counted in the body
    /// (`send`), independently of the hooks.
    #[retry_on_failure(
        policy = CHAOS,
        max_attempts = 5,
        timeout = "250ms",
        timeout_error = timed_out,
        when = ProviderError::is_transient,
        retry_after = ProviderError::retry_after,
        on_give_up = give_up,
    )]
    async fn chat_five(&self, prompt: &str) -> Result<Reply, ProviderError> {
        self.complete(&self.primary, prompt).await
    }

    /// The same with seven attempts: what "at least 99.9% succeed" needs at 30% faults.
    #[retry_on_failure(
        policy = CHAOS,
        max_attempts = 7,
        timeout = "250ms",
        timeout_error = timed_out,
        when = ProviderError::is_transient,
        retry_after = ProviderError::retry_after,
        on_give_up = give_up,
    )]
    async fn chat_seven(&self, prompt: &str) -> Result<Reply, ProviderError> {
        self.complete(&self.primary, prompt).await
    }
}

fn give_up(event: &RetryEvent<'_, ProviderError>) {
    assert!(
        event.error.is_transient(),
        "only transient faults here: {}",
        event.error
    );
    GAVE_UP
        .lock()
        .unwrap()
        .push((event.function, event.attempt));
}

/// With independent faults on 30% of requests, a call fails only when all its attempts meet a
/// fault: 0.3^5 = 0.243% of calls with five attempts (24.3 of 10,000 expected, standard
/// deviation 4.9). So the "at least 99.9% succeed with `max_attempts = 5`" cannot hold
/// at this fault rate: this test checks the binomial expectation instead (at most six standard
/// deviations above it), and the next one reaches 99.9% with the seven attempts it takes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_thousand_calls_five_attempts() {
    let run = chaos(0x5EED_CAFE, "chat_five", 5, |provider, prompt| async move {
        provider.chat_five(&prompt).await
    })
    .await;
    let expected = CALLS as f64 * FAULT_RATE.powi(5);
    assert!(
        run.failed as f64 <= expected + 6.0 * expected.sqrt(),
        "{} calls failed, expected about {expected:.1}",
        run.failed
    );
    // About (1 - 0.3^5) / (1 - 0.3) = 1.425 attempts per call.
    let per_call = run.attempts as f64 / CALLS as f64;
    assert!(
        (1.38..1.47).contains(&per_call),
        "{per_call} attempts per call"
    );
}

/// 0.3^7 = 0.022% of calls fail: about 2 of 10,000, so at least 99.9% (at most 10) succeed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_thousand_calls_seven_attempts_reach_99_9_percent() {
    let run = chaos(
        0xC4A0_5EED,
        "chat_seven",
        7,
        |provider, prompt| async move { provider.chat_seven(&prompt).await },
    )
    .await;
    assert!(
        run.failed * 1000 <= CALLS as u64,
        "{} of {CALLS} calls failed: under 99.9% success",
        run.failed
    );
}

struct Run {
    attempts: u64,
    failed: u64,
}

/// Runs the 10,000 calls through `call` (which calls `function`, with `max_attempts`),
/// `IN_FLIGHT` at a time, against a fresh server faulting 30% of its requests (seeded by
/// `seed`), and checks what holds whatever the luck of the draw.
async fn chaos<F, Fut>(seed: u64, function: &str, max_attempts: u32, call: F) -> Run
where
    F: Fn(Arc<ChatProvider>, String) -> Fut + Clone + Send + 'static,
    Fut: Future<Output = Result<Reply, ProviderError>> + Send,
{
    let started = Instant::now();
    let server = FaultServer::start().await;
    server.random_faults(
        seed,
        FAULT_RATE,
        &[
            Fault::RateLimited { retry_after: 0 },
            Fault::Unavailable,
            Fault::Reset,
            Fault::Slow(Duration::from_millis(400)), // past the 250 ms attempt timeout
        ],
    );
    let provider = Arc::new(ChatProvider::without_token_limit(
        server.url(),
        server.url(),
    ));
    // One slot per logical call: how many answers it got.
    let answers: Arc<Vec<AtomicU32>> = Arc::new((0..CALLS).map(|_| AtomicU32::new(0)).collect());
    let failures = Arc::new(AtomicU64::new(0));
    let next = Arc::new(AtomicUsize::new(0));

    let mut workers = tokio::task::JoinSet::new();
    for _ in 0..IN_FLIGHT {
        let (provider, answers, failures, next, call) = (
            Arc::clone(&provider),
            Arc::clone(&answers),
            Arc::clone(&failures),
            Arc::clone(&next),
            call.clone(),
        );
        workers.spawn(async move {
            loop {
                let n = next.fetch_add(1, Relaxed);
                if n >= CALLS {
                    return;
                }
                let prompt = format!("logical call number {n}");
                match call(Arc::clone(&provider), prompt.clone()).await {
                    // The answer to this call, not to another one in flight.
                    Ok(reply) => assert_eq!(reply.text, format!("echo: {prompt}")),
                    Err(_) => {
                        failures.fetch_add(1, Relaxed);
                    }
                }
                answers[n].fetch_add(1, Relaxed);
            }
        });
    }
    while let Some(worker) = workers.join_next().await {
        worker.expect("worker panicked");
    }

    // Every logical call got exactly one answer.
    let unanswered = answers.iter().filter(|n| n.load(Relaxed) == 0).count();
    let doubled = answers.iter().filter(|n| n.load(Relaxed) > 1).count();
    assert_eq!(
        (unanswered, doubled),
        (0, 0),
        "calls without an answer, calls with more than one"
    );

    // The server saw exactly the attempts the client made: no request lost, none repeated
    // below us (a connection pool retrying on its own), none sent after a give-up.
    // An attempt the timeout cut off before the server read its request is the only one the
    // server may not have seen.
    let attempts = provider.meter.attempts.load(Relaxed);
    let unseen = attempts.checked_sub(server.requests());
    assert!(
        unseen.is_some_and(|n| n <= TIMED_OUT.load(Relaxed)),
        "server requests {} vs client attempts {attempts}, {} timed out",
        server.requests(),
        TIMED_OUT.load(Relaxed)
    );

    // Every failure used all its attempts: nothing gave up early.
    let failed = failures.load(Relaxed);
    let gave_up: Vec<u32> = GAVE_UP
        .lock()
        .unwrap()
        .iter()
        .filter(|(f, _)| f.ends_with(function))
        .map(|&(_, attempt)| attempt)
        .collect();
    assert_eq!(gave_up.len() as u64, failed, "one give-up per failed call");
    assert!(gave_up.iter().all(|&n| n == max_attempts), "{gave_up:?}");

    eprintln!(
        "{CALLS} calls with max_attempts = {max_attempts}: {attempts} attempts, {failed} failed, \
         success {:.3}%, in {:.1?}",
        100.0 - failed as f64 * 100.0 / CALLS as f64,
        started.elapsed()
    );
    Run { attempts, failed }
}
