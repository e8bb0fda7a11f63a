//! Configuration at run time on `#[retry_on_failure]`: `policy = <expr>` read per call,
//! `timeout = <expr>`, `timeout_error` for error types without `From` impls,
//! `max_retry_after` honouring a server hint beyond `max_delay`, and `validate` judging `Ok`
//! values (retried, counted by a breaker below, handed to a fallback above).

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use retry_runtime::{
    breaker, circuit_breaker, fallback, retry_on_failure, CircuitOpen, Jitter, RetryPolicy, State,
};
use tokio::time::Instant;

/// A client's own error type: no `From` impls for the library's errors.
#[derive(Debug, Clone, PartialEq, Eq)]
enum ClientError {
    Busy(Option<u64>),
    TimedOut(u32),
    Empty,
    Unavailable(String),
}

struct Client {
    retry_policy: RetryPolicy,
    attempt_timeout: Option<Duration>,
    calls: AtomicU32,
}

impl Client {
    fn new(attempts: u32) -> Self {
        Client {
            retry_policy: RetryPolicy::fixed()
                .try_max_attempts(attempts)
                .unwrap()
                .initial_delay(Duration::from_secs(1))
                .jitter(Jitter::None),
            attempt_timeout: None,
            calls: AtomicU32::new(0),
        }
    }

    fn calls(&self) -> u32 {
        self.calls.load(Ordering::SeqCst)
    }

    #[retry_on_failure(policy = self.retry_policy)]
    fn sync_call(&self) -> Result<u32, ClientError> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        Err(ClientError::Busy(None))
    }

    #[retry_on_failure(policy = &self.retry_policy, timeout = self.attempt_timeout, timeout_error = |t| ClientError::TimedOut(t.attempt()))]
    async fn async_call(&self, work: Duration) -> Result<u32, ClientError> {
        let n = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
        tokio::time::sleep(work).await;
        Err(ClientError::Busy(Some(u64::from(n))))
    }
}

#[test]
fn a_policy_field_is_read_per_call() {
    // Two instances of one type, configured differently (sync sleeps are real: 1 ms).
    let short = |attempts| {
        let mut c = Client::new(attempts);
        c.retry_policy = c.retry_policy.initial_delay(Duration::from_millis(1));
        c
    };
    let (three, five) = (short(3), short(5));
    assert_eq!(three.sync_call(), Err(ClientError::Busy(None)));
    assert_eq!(five.sync_call(), Err(ClientError::Busy(None)));
    assert_eq!((three.calls(), five.calls()), (3, 5));
}

#[tokio::test(start_paused = true)]
async fn an_async_policy_and_timeout_come_from_the_instance() {
    let client = Client::new(2);
    let start = Instant::now();
    // No timeout configured: each attempt runs its 3 s in full.
    let r = client.async_call(Duration::from_secs(3)).await;
    assert_eq!(r, Err(ClientError::Busy(Some(2))));
    assert_eq!(start.elapsed(), Duration::from_secs(3 + 1 + 3));

    let mut client = Client::new(3);
    client.attempt_timeout = Some(Duration::from_millis(500));
    let start = Instant::now();
    // Each attempt is cut at 500 ms; the error is built by `timeout_error`, numbered.
    let r = client.async_call(Duration::from_secs(3)).await;
    assert_eq!(r, Err(ClientError::TimedOut(3)));
    assert_eq!(client.calls(), 3);
    assert_eq!(start.elapsed(), Duration::from_millis(500 * 3 + 1000 * 2));
}

static POLICIES: [RetryPolicy; 2] = [
    RetryPolicy::fixed()
        .max_attempts(2)
        .initial_delay(Duration::ZERO),
    RetryPolicy::fixed()
        .max_attempts(4)
        .initial_delay(Duration::ZERO),
];

static BY_MODEL: AtomicU32 = AtomicU32::new(0);

#[retry_on_failure(policy = &POLICIES[model], timeout = Duration::from_secs(1), timeout_error = |_| ClientError::TimedOut(0))]
async fn by_model(model: usize) -> Result<(), ClientError> {
    BY_MODEL.fetch_add(1, Ordering::SeqCst);
    Err(ClientError::Busy(None))
}

fn config_policy() -> RetryPolicy {
    RetryPolicy::linear()
        .max_attempts(3)
        .initial_delay(Duration::ZERO)
}

static FROM_FN: AtomicU32 = AtomicU32::new(0);

#[retry_on_failure(policy = config_policy())]
fn from_a_function() -> Result<(), ClientError> {
    FROM_FN.fetch_add(1, Ordering::SeqCst);
    Err(ClientError::Busy(None))
}

#[tokio::test(start_paused = true)]
async fn a_policy_indexed_by_an_argument_or_returned_by_a_call() {
    assert!(by_model(0).await.is_err());
    assert_eq!(BY_MODEL.swap(0, Ordering::SeqCst), 2);
    assert!(by_model(1).await.is_err());
    assert_eq!(BY_MODEL.swap(0, Ordering::SeqCst), 4);
    assert!(from_a_function().is_err());
    assert_eq!(FROM_FN.load(Ordering::SeqCst), 3);
}

// ---- max_retry_after: a hint beyond max_delay is still honoured, up to max_retry_after ----

static HINTED: AtomicU32 = AtomicU32::new(0);

#[retry_on_failure(max_attempts = 3, initial_delay = "1s", max_delay = "10s", jitter = none, max_retry_after = "60s", retry_after = |e| match e { ClientError::Busy(s) => s.map(Duration::from_secs), _ => None })]
async fn hinted(hint: u64) -> Result<u32, ClientError> {
    let n = HINTED.fetch_add(1, Ordering::SeqCst) + 1;
    if n == 1 {
        Err(ClientError::Busy(Some(hint)))
    } else {
        Ok(n)
    }
}

#[tokio::test(start_paused = true)]
async fn a_hint_up_to_max_retry_after_is_slept_in_full() {
    let start = Instant::now();
    assert_eq!(hinted(20).await, Ok(2));
    assert_eq!(
        start.elapsed(),
        Duration::from_secs(20),
        "20 s > max_delay, honoured"
    );
    HINTED.store(0, Ordering::SeqCst);
    let start = Instant::now();
    assert_eq!(hinted(61).await, Err(ClientError::Busy(Some(61))));
    assert_eq!(
        start.elapsed(),
        Duration::ZERO,
        "beyond max_retry_after: give up now"
    );
}

// ---- validate: an empty completion is an error like any other ----

static COMPLETIONS: AtomicU32 = AtomicU32::new(0);

#[retry_on_failure(max_attempts = 3, initial_delay = "0ms", validate = |text| if text.is_empty() { Err(ClientError::Empty) } else { Ok(()) })]
fn complete(empty_until: u32) -> Result<String, ClientError> {
    let n = COMPLETIONS.fetch_add(1, Ordering::SeqCst) + 1;
    Ok(if n <= empty_until {
        String::new()
    } else {
        format!("answer {n}")
    })
}

#[test]
fn an_empty_completion_is_retried() {
    assert_eq!(complete(2), Ok("answer 3".to_owned()));
    COMPLETIONS.store(0, Ordering::SeqCst);
    assert_eq!(complete(5), Err(ClientError::Empty));
    assert_eq!(COMPLETIONS.load(Ordering::SeqCst), 3);
}

static PRIMARY: AtomicU32 = AtomicU32::new(0);

async fn spare(_: &str) -> Result<String, ClientError> {
    Ok("spare".to_owned())
}

#[fallback(to = spare)]
#[retry_on_failure(max_attempts = 2, initial_delay = "1s", validate = |text: &String| if text.is_empty() { Err(ClientError::Empty) } else { Ok(()) })]
#[circuit_breaker(validate_breaker, failure_threshold = 4, reset_timeout = "60s")]
async fn judged(prompt: &str) -> Result<String, ClientError> {
    let _ = prompt;
    PRIMARY.fetch_add(1, Ordering::SeqCst);
    Ok(String::new())
}

#[tokio::test(start_paused = true)]
async fn a_refused_value_counts_in_the_breaker_below_and_reaches_the_fallback() {
    assert_eq!(judged("q").await, Ok("spare".to_owned()));
    assert_eq!(PRIMARY.load(Ordering::SeqCst), 2);
    let cb = breaker("validate_breaker").unwrap();
    assert_eq!(cb.snapshot().consecutive_failures, 2);
    assert_eq!(judged("q").await, Ok("spare".to_owned()));
    assert_eq!(cb.state(), State::Open, "four refused values open it");
}

impl From<CircuitOpen> for ClientError {
    fn from(open: CircuitOpen) -> Self {
        ClientError::Unavailable(open.to_string())
    }
}
