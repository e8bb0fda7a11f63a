//! Stacking the three attributes: every order compiles and behaves as written, outermost
//! first. With a breaker below a retry, an open circuit ends the retry at once.

use std::sync::atomic::{AtomicU32, Ordering};

use retry_runtime::{breaker, circuit_breaker, fallback, retry_on_failure, CircuitOpen, State};

#[derive(Debug, Clone, PartialEq, Eq)]
enum ApiError {
    Down,
    Open(String),
}

impl From<CircuitOpen> for ApiError {
    fn from(open: CircuitOpen) -> Self {
        ApiError::Open(open.name().to_string())
    }
}

fn fail(counter: &AtomicU32) -> Result<u32, ApiError> {
    counter.fetch_add(1, Ordering::SeqCst);
    Err(ApiError::Down)
}

fn runs(counter: &AtomicU32) -> u32 {
    counter.load(Ordering::SeqCst)
}

fn backup() -> Result<u32, ApiError> {
    Ok(99)
}

// ---- retry over breaker: each attempt is one breaker call; an open circuit ends the retry ----

static RB_RUNS: AtomicU32 = AtomicU32::new(0);
static RB_GIVE_UPS: AtomicU32 = AtomicU32::new(0);

#[retry_on_failure(max_attempts = 5, initial_delay = "0ms", on_give_up = |_| { RB_GIVE_UPS.fetch_add(1, Ordering::SeqCst); })]
#[circuit_breaker(stack_rb, failure_threshold = 3, reset_timeout = "60s")]
fn retry_over_breaker() -> Result<u32, ApiError> {
    fail(&RB_RUNS)
}

#[test]
fn retry_over_breaker_stops_at_the_open_circuit() {
    // Attempts 1-3 fail, and the third opens the circuit for longer than the next sleep: the
    // retry ends there with the third failure's own error (no attempt 4 to be rejected).
    assert_eq!(retry_over_breaker(), Err(ApiError::Down));
    assert_eq!(runs(&RB_RUNS), 3);
    assert_eq!(
        RB_GIVE_UPS.load(Ordering::SeqCst),
        1,
        "on_give_up runs once"
    );
    // Open: the next call runs no body at all and makes one attempt.
    assert_eq!(retry_over_breaker(), Err(ApiError::Open("stack_rb".into())));
    assert_eq!(runs(&RB_RUNS), 3);
    assert_eq!(RB_GIVE_UPS.load(Ordering::SeqCst), 2);
    assert_eq!(breaker("stack_rb").unwrap().state(), State::Open);
}

// ---- breaker over retry: the breaker sees one call per retried call ----

static BR_RUNS: AtomicU32 = AtomicU32::new(0);

#[circuit_breaker(stack_br, failure_threshold = 2, reset_timeout = "60s")]
#[retry_on_failure(max_attempts = 3, initial_delay = "0ms")]
fn breaker_over_retry() -> Result<u32, ApiError> {
    fail(&BR_RUNS)
}

#[test]
fn breaker_over_retry_counts_whole_retried_calls() {
    assert_eq!(breaker_over_retry(), Err(ApiError::Down));
    assert_eq!(runs(&BR_RUNS), 3);
    assert_eq!(
        breaker("stack_br").unwrap().snapshot().consecutive_failures,
        1
    );
    assert_eq!(breaker_over_retry(), Err(ApiError::Down));
    assert_eq!(runs(&BR_RUNS), 6);
    assert_eq!(breaker_over_retry(), Err(ApiError::Open("stack_br".into())));
    assert_eq!(runs(&BR_RUNS), 6);
}

// ---- fallback over retry: the fallback runs after the retry gave up ----

static FR_RUNS: AtomicU32 = AtomicU32::new(0);

#[fallback(to = backup)]
#[retry_on_failure(max_attempts = 3, initial_delay = "0ms")]
fn fallback_over_retry() -> Result<u32, ApiError> {
    fail(&FR_RUNS)
}

#[test]
fn fallback_over_retry_falls_back_after_every_attempt() {
    assert_eq!(fallback_over_retry(), Ok(99));
    assert_eq!(runs(&FR_RUNS), 3);
}

// ---- retry over fallback: each attempt is the primary plus its fallbacks ----

static RF_RUNS: AtomicU32 = AtomicU32::new(0);
static RF_BACKUP_RUNS: AtomicU32 = AtomicU32::new(0);

fn failing_backup() -> Result<u32, ApiError> {
    fail(&RF_BACKUP_RUNS)
}

#[retry_on_failure(max_attempts = 3, initial_delay = "0ms")]
#[fallback(to = failing_backup)]
fn retry_over_fallback() -> Result<u32, ApiError> {
    fail(&RF_RUNS)
}

#[test]
fn retry_over_fallback_retries_the_whole_chain() {
    assert_eq!(retry_over_fallback(), Err(ApiError::Down));
    assert_eq!(runs(&RF_RUNS), 3);
    assert_eq!(runs(&RF_BACKUP_RUNS), 3);
}

// ---- fallback over breaker: an open circuit switches at once ----

static FB_RUNS: AtomicU32 = AtomicU32::new(0);

#[fallback(to = backup)]
#[circuit_breaker(stack_fb, failure_threshold = 1, reset_timeout = "60s")]
fn fallback_over_breaker() -> Result<u32, ApiError> {
    fail(&FB_RUNS)
}

#[test]
fn fallback_over_breaker_takes_over_from_an_open_circuit() {
    assert_eq!(fallback_over_breaker(), Ok(99));
    assert_eq!(fallback_over_breaker(), Ok(99));
    assert_eq!(
        runs(&FB_RUNS),
        1,
        "the open circuit kept the body from running"
    );
}

// ---- breaker over fallback: the breaker judges the chain's result ----

static BF_RUNS: AtomicU32 = AtomicU32::new(0);

#[circuit_breaker(stack_bf, failure_threshold = 1, reset_timeout = "60s")]
#[fallback(to = backup)]
fn breaker_over_fallback() -> Result<u32, ApiError> {
    fail(&BF_RUNS)
}

#[test]
fn breaker_over_fallback_sees_the_rescued_result() {
    for _ in 0..3 {
        assert_eq!(breaker_over_fallback(), Ok(99));
    }
    assert_eq!(runs(&BF_RUNS), 3);
    assert_eq!(breaker("stack_bf").unwrap().state(), State::Closed);
}

// ---- the documented order, async, under a paused clock ----

static DOC_RUNS: AtomicU32 = AtomicU32::new(0);
static DOC_BACKUP: AtomicU32 = AtomicU32::new(0);

async fn doc_backup(id: u32) -> Result<u32, ApiError> {
    DOC_BACKUP.fetch_add(1, Ordering::SeqCst);
    Ok(1000 + id)
}

#[fallback(to = doc_backup)]
#[retry_on_failure(max_attempts = 5, backoff = fixed, initial_delay = "1s", jitter = none)]
#[circuit_breaker(stack_doc, failure_threshold = 2, reset_timeout = "60s")]
async fn documented(id: u32) -> Result<u32, ApiError> {
    tokio::task::yield_now().await;
    let _ = id;
    fail(&DOC_RUNS)
}

#[tokio::test(start_paused = true)]
async fn documented_order_open_circuit_costs_no_time() {
    let start = tokio::time::Instant::now();
    // Attempt 1 fails, 1s sleep, attempt 2 fails and opens the circuit for 60 s: the retry
    // ends there (no sleep into a certain rejection), the fallback answers.
    assert_eq!(documented(1).await, Ok(1001));
    assert_eq!(runs(&DOC_RUNS), 2);
    assert_eq!(start.elapsed(), std::time::Duration::from_secs(1));
    assert_eq!(DOC_BACKUP.load(Ordering::SeqCst), 1);

    // Open: no body run, no sleep, the fallback at once.
    let start = tokio::time::Instant::now();
    assert_eq!(documented(2).await, Ok(1002));
    assert_eq!(runs(&DOC_RUNS), 2);
    assert_eq!(start.elapsed(), std::time::Duration::ZERO);
    assert_eq!(DOC_BACKUP.load(Ordering::SeqCst), 2);
}

// ---- async pairs, and a method with `&mut self` through all three ----

struct Service {
    runs: u32,
}

impl Service {
    async fn spare(&mut self, x: u32) -> Result<u32, ApiError> {
        Ok(x + self.runs)
    }

    #[fallback(to = Self::spare)]
    #[retry_on_failure(max_attempts = 3, initial_delay = "10ms")]
    #[circuit_breaker(stack_service, failure_threshold = 10)]
    async fn call(&mut self, x: u32) -> Result<u32, ApiError> {
        self.runs += 1;
        if x == 0 {
            Err(ApiError::Down)
        } else {
            Ok(x)
        }
    }

    #[circuit_breaker(stack_service_rev, failure_threshold = 10)]
    #[retry_on_failure(max_attempts = 3, initial_delay = "10ms")]
    #[fallback(to = Self::spare)]
    async fn call_reversed(&mut self, x: u32) -> Result<u32, ApiError> {
        self.runs += 1;
        if x == 0 {
            Err(ApiError::Down)
        } else {
            Ok(x)
        }
    }
}

#[tokio::test(start_paused = true)]
async fn methods_stack_in_both_orders_and_stay_send() {
    let task = tokio::spawn(async {
        let mut s = Service { runs: 0 };
        let a = s.call(5).await;
        let b = s.call(0).await; // three attempts, then the spare
        let c = s.call_reversed(0).await; // the spare answers the first attempt
        (a, b, c, s.runs)
    });
    let (a, b, c, runs) = task.await.unwrap();
    assert_eq!(a, Ok(5));
    assert_eq!(b, Ok(4));
    assert_eq!(c, Ok(5));
    assert_eq!(runs, 5);
}

// ---- the documented order inside an `#[async_trait]` impl ----

#[async_trait::async_trait]
trait Provider {
    async fn complete(&self, prompt: &str) -> Result<String, ApiError>;
}

struct Flaky {
    runs: AtomicU32,
}

impl Flaky {
    async fn spare(&self, prompt: &str) -> Result<String, ApiError> {
        Ok(format!("spare: {prompt}"))
    }
}

#[async_trait::async_trait]
impl Provider for Flaky {
    #[fallback(to = Self::spare)]
    #[retry_on_failure(max_attempts = 3, initial_delay = "1s", jitter = none)]
    #[circuit_breaker(stack_async_trait, failure_threshold = 2, reset_timeout = "60s")]
    async fn complete(&self, prompt: &str) -> Result<String, ApiError> {
        let _ = prompt;
        fail(&self.runs).map(|n| n.to_string())
    }
}

#[tokio::test(start_paused = true)]
async fn the_documented_order_works_in_async_trait_impls() {
    let provider: std::sync::Arc<dyn Provider + Send + Sync> = std::sync::Arc::new(Flaky {
        runs: AtomicU32::new(0),
    });
    let start = tokio::time::Instant::now();
    let answer = tokio::spawn({
        let provider = provider.clone();
        async move { provider.complete("q").await }
    });
    assert_eq!(answer.await.unwrap().unwrap(), "spare: q");
    // Two attempts fail (one 1 s sleep between them) and the second opens the circuit for
    // 60 s: the retry ends at once, the spare answers.
    assert_eq!(start.elapsed(), std::time::Duration::from_secs(1));
    // Open: no attempt runs, no time passes, the spare answers at once.
    assert_eq!(provider.complete("r").await.unwrap(), "spare: r");
    assert_eq!(start.elapsed(), std::time::Duration::from_secs(1));
}
