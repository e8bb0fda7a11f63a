//! `env(...)`: environment variables named one by one, with or without a prefix, read once on a
//! site's first call, through the attributes. Each test sets its own variables (names no other
//! test uses) before its site's first call; delays are read on tokio's paused clock.

use std::sync::Mutex;
use std::time::Duration;

use retry_runtime::{breaker, circuit_breaker, retry_on_failure, CircuitOpen, State};
use tokio::time::Instant;

#[derive(Debug, Clone, PartialEq, Eq)]
enum ApiError {
    Busy(Option<Duration>),
    Open,
}

impl From<CircuitOpen> for ApiError {
    fn from(_: CircuitOpen) -> Self {
        ApiError::Open
    }
}

/// Records the sleeps of one site's retries.
struct Sleeps(Mutex<Vec<Duration>>);

impl Sleeps {
    const fn new() -> Self {
        Sleeps(Mutex::new(Vec::new()))
    }

    fn push(&self, delay: Duration) {
        self.0.lock().unwrap().push(delay);
    }

    fn take(&self) -> Vec<Duration> {
        std::mem::take(&mut *self.0.lock().unwrap())
    }
}

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

// ---- retries ----

static REPLACED: Sleeps = Sleeps::new();

/// The attribute's own values are overridden by the variables the replaced systems read.
#[retry_on_failure(
    max_attempts = 2,
    initial_delay = "1ms",
    jitter = full,
    on_retry = |e| REPLACED.push(e.delay),
    env(
        initial_delay = "ENV_NAMES_1_LLM_RETRY_INITIAL_DELAY",
        max_retries = "ENV_NAMES_1_LLM_MAX_RETRIES",
        multiplier = "ENV_NAMES_1_LLM_RETRY_BACKOFF_FACTOR",
        jitter = "ENV_NAMES_1_LLM_RETRY_JITTER",
    )
)]
async fn replaced(calls: &Mutex<u32>) -> Result<(), ApiError> {
    *calls.lock().unwrap() += 1;
    Err(ApiError::Busy(None))
}

#[tokio::test(start_paused = true)]
async fn variables_named_per_key_override_the_attribute() {
    std::env::set_var("ENV_NAMES_1_LLM_RETRY_INITIAL_DELAY", "0.25"); // bare seconds
    std::env::set_var("ENV_NAMES_1_LLM_MAX_RETRIES", "3");
    std::env::set_var("ENV_NAMES_1_LLM_RETRY_BACKOFF_FACTOR", "3");
    std::env::set_var("ENV_NAMES_1_LLM_RETRY_JITTER", "none");
    // A prefix's variable for the same key is not read: there is no prefix.
    std::env::set_var("ENV_NAMES_1_LLM_MAX_ATTEMPTS", "9");
    let calls = Mutex::new(0);
    let start = Instant::now();
    assert_eq!(replaced(&calls).await, Err(ApiError::Busy(None)));
    assert_eq!(*calls.lock().unwrap(), 4, "max_retries = 3: four attempts");
    assert_eq!(REPLACED.take(), [ms(250), ms(750), ms(2250)]);
    assert_eq!(start.elapsed(), ms(3250));

    // Read once, on the first call: later changes are not seen.
    std::env::set_var("ENV_NAMES_1_LLM_MAX_RETRIES", "0");
    *calls.lock().unwrap() = 0;
    let _ = replaced(&calls).await;
    assert_eq!(*calls.lock().unwrap(), 4);
    assert_eq!(REPLACED.take().len(), 3);
}

static COMBINED: Sleeps = Sleeps::new();

#[retry_on_failure(
    on_retry = |e| COMBINED.push(e.delay),
    env(prefix = "ENV_NAMES_2", initial_delay = "ENV_NAMES_2_RETRY_BASE_DELAY")
)]
async fn combined(calls: &Mutex<u32>) -> Result<(), ApiError> {
    *calls.lock().unwrap() += 1;
    Err(ApiError::Busy(None))
}

#[tokio::test(start_paused = true)]
async fn a_prefix_and_a_named_variable_combine_and_the_named_one_wins() {
    std::env::set_var("ENV_NAMES_2_RETRY_BASE_DELAY", "40ms");
    std::env::set_var("ENV_NAMES_2_INITIAL_DELAY", "1s"); // the prefix's: the named one wins
    std::env::set_var("ENV_NAMES_2_MAX_ATTEMPTS", "3");
    std::env::set_var("ENV_NAMES_2_JITTER", "none");
    let calls = Mutex::new(0);
    let _ = combined(&calls).await;
    assert_eq!(*calls.lock().unwrap(), 3);
    assert_eq!(COMBINED.take(), [ms(40), ms(80)]);
}

static UNUSABLE: Sleeps = Sleeps::new();

#[retry_on_failure(
    max_attempts = 3,
    backoff = fixed,
    initial_delay = "10ms",
    jitter = none,
    on_retry = |e| UNUSABLE.push(e.delay),
    env(
        max_retries = "ENV_NAMES_3_RETRIES",
        jitter = "ENV_NAMES_3_JITTER",
        initial_delay = "ENV_NAMES_3_DELAY",
        max_retry_after = "ENV_NAMES_3_MAX_RETRY_AFTER",
    )
)]
async fn unusable(calls: &Mutex<u32>) -> Result<(), ApiError> {
    *calls.lock().unwrap() += 1;
    Err(ApiError::Busy(None))
}

#[tokio::test(start_paused = true)]
async fn unusable_values_are_ignored_and_the_others_apply() {
    std::env::set_var("ENV_NAMES_3_RETRIES", "-1");
    std::env::set_var("ENV_NAMES_3_JITTER", "sometimes");
    std::env::set_var("ENV_NAMES_3_MAX_RETRY_AFTER", "0s");
    std::env::set_var("ENV_NAMES_3_DELAY", "4ms"); // usable

    let calls = Mutex::new(0);
    let _ = unusable(&calls).await;
    assert_eq!(
        *calls.lock().unwrap(),
        3,
        "the attribute's max_attempts stays"
    );
    assert_eq!(UNUSABLE.take(), [ms(4), ms(4)], "jitter stays none");
}

static HINTED: Sleeps = Sleeps::new();

#[retry_on_failure(
    max_attempts = 2,
    retry_after = |e| match e { ApiError::Busy(hint) => *hint, ApiError::Open => None },
    on_retry = |e| HINTED.push(e.delay),
    env(max_retry_after = "ENV_NAMES_4_MAX_RETRY_AFTER")
)]
async fn hinted(hint: Duration, calls: &Mutex<u32>) -> Result<(), ApiError> {
    *calls.lock().unwrap() += 1;
    Err(ApiError::Busy(Some(hint)))
}

#[tokio::test(start_paused = true)]
async fn max_retry_after_from_the_environment_lets_a_longer_hint_be_slept() {
    // Without it the longest hint honoured is `max_delay`, 10 s: a 90 s hint gives up at once.
    std::env::set_var("ENV_NAMES_4_MAX_RETRY_AFTER", "2m");
    let calls = Mutex::new(0);
    let start = Instant::now();
    let _ = hinted(Duration::from_secs(90), &calls).await;
    assert_eq!(*calls.lock().unwrap(), 2);
    assert_eq!(HINTED.take(), [Duration::from_secs(90)]);
    assert_eq!(start.elapsed(), Duration::from_secs(90));
    // A hint beyond it still gives up without sleeping.
    *calls.lock().unwrap() = 0;
    let _ = hinted(Duration::from_secs(121), &calls).await;
    assert_eq!(*calls.lock().unwrap(), 1);
}

static JITTERED: Sleeps = Sleeps::new();

#[retry_on_failure(
    max_attempts = 40,
    backoff = fixed,
    initial_delay = "1s",
    jitter = none,
    on_retry = |e| JITTERED.push(e.delay),
    env(jitter = "ENV_NAMES_5_JITTER")
)]
async fn jittered() -> Result<(), ApiError> {
    Err(ApiError::Busy(None))
}

#[tokio::test(start_paused = true)]
async fn a_jitter_fraction_from_the_environment_applies() {
    std::env::set_var("ENV_NAMES_5_JITTER", "0.1");
    let _ = jittered().await;
    let sleeps = JITTERED.take();
    assert_eq!(sleeps.len(), 39);
    for sleep in &sleeps {
        assert!((ms(900)..=ms(1100)).contains(sleep), "{sleep:?}");
    }
    // The attribute's `jitter = none` would sleep exactly 1 s every time.
    assert!(sleeps.iter().any(|s| *s != ms(1000)), "{sleeps:?}");
}

// ---- breakers ----

#[circuit_breaker(
    env_names_replaced,
    env(
        failure_threshold = "ENV_NAMES_6_CIRCUIT_BREAKER_THRESHOLD",
        reset_timeout = "ENV_NAMES_6_CIRCUIT_BREAKER_TIMEOUT",
    )
)]
fn breaker_replaced() -> Result<(), ApiError> {
    Err(ApiError::Busy(None))
}

#[test]
fn a_breakers_variables_named_per_key_apply() {
    std::env::set_var("ENV_NAMES_6_CIRCUIT_BREAKER_THRESHOLD", "2");
    std::env::set_var("ENV_NAMES_6_CIRCUIT_BREAKER_TIMEOUT", "90");
    assert_eq!(breaker_replaced(), Err(ApiError::Busy(None)));
    assert_eq!(breaker_replaced(), Err(ApiError::Busy(None)));
    assert_eq!(breaker_replaced(), Err(ApiError::Open), "open after two");
    let cb = breaker("env_names_replaced").unwrap();
    assert_eq!(cb.state(), State::Open);
    assert_eq!(cb.config().get_reset_timeout(), Duration::from_secs(90));
}

#[circuit_breaker(env_names_rate, env = "ENV_NAMES_7")]
fn breaker_rate(fail: bool) -> Result<(), ApiError> {
    if fail {
        Err(ApiError::Busy(None))
    } else {
        Ok(())
    }
}

#[test]
fn rate_mode_from_a_prefix() {
    std::env::set_var("ENV_NAMES_7_FAILURE_RATE", "0.5");
    std::env::set_var("ENV_NAMES_7_WINDOW", "1m");
    std::env::set_var("ENV_NAMES_7_MIN_CALLS", "4");
    std::env::set_var("ENV_NAMES_7_HALF_OPEN_MAX_CALLS", "2");
    assert!(breaker_rate(true).is_err());
    assert!(breaker_rate(false).is_ok());
    assert!(breaker_rate(false).is_ok());
    // Two failures of four calls: the rate reaches 0.5 once `min_calls` are in the window
    // (the default consecutive mode would need five failures in a row).
    assert_eq!(breaker_rate(true), Err(ApiError::Busy(None)));
    assert_eq!(breaker_rate(false), Err(ApiError::Open));
    let config = *breaker("env_names_rate").unwrap().config();
    assert_eq!(config.get_failure_rate(), Some(0.5));
    assert_eq!(config.get_window(), Duration::from_secs(60));
    assert_eq!(config.get_min_calls(), 4);
    assert_eq!(config.get_half_open_max_calls(), 2);
}

#[circuit_breaker(
    env_names_combined,
    failure_threshold = 3,
    env(prefix = "ENV_NAMES_8", failure_threshold = "ENV_NAMES_8_CB_THRESHOLD")
)]
fn breaker_combined() -> Result<(), ApiError> {
    Err(ApiError::Busy(None))
}

#[test]
fn a_breakers_prefix_and_named_variable_combine_and_unusable_values_are_ignored() {
    std::env::set_var("ENV_NAMES_8_CB_THRESHOLD", "1");
    std::env::set_var("ENV_NAMES_8_FAILURE_THRESHOLD", "4"); // the prefix's: the named one wins
    std::env::set_var("ENV_NAMES_8_SUCCESS_THRESHOLD", "zero"); // unusable
    std::env::set_var("ENV_NAMES_8_WINDOW", "5s"); // consecutive mode: no window
    std::env::set_var("ENV_NAMES_8_RESET_TIMEOUT", "45s");
    assert_eq!(breaker_combined(), Err(ApiError::Busy(None)));
    assert_eq!(breaker_combined(), Err(ApiError::Open), "open after one");
    let config = *breaker("env_names_combined").unwrap().config();
    assert_eq!(config.get_failure_threshold(), 1);
    assert_eq!(config.get_success_threshold(), 2);
    assert_eq!(config.get_window(), Duration::from_secs(60));
    assert_eq!(config.get_reset_timeout(), Duration::from_secs(45));
}
