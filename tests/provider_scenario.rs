//! The setting this library is for, as a test: a primary LLM provider with its own retry
//! policy and breaker, two backups with their own, and a fallback chain across them. Scripted
//! failures (primary down, then rate-limited, then recovered, then everything down) and
//! assertions on who answered, how many attempts each provider got, and what the caller sees.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::Duration;

use retry_runtime::{breaker, circuit_breaker, fallback, retry_on_failure, CircuitOpen, State};
use tokio::time::Instant;

#[derive(Debug, Clone, PartialEq)]
enum LlmError {
    Unavailable(&'static str),
    RateLimited(&'static str, Duration),
    Open(String),
}

impl LlmError {
    fn retry_after(&self) -> Option<Duration> {
        match self {
            LlmError::RateLimited(_, after) => Some(*after),
            _ => None,
        }
    }

    fn is_rate_limit(&self) -> bool {
        matches!(self, LlmError::RateLimited(..))
    }
}

impl From<CircuitOpen> for LlmError {
    fn from(open: CircuitOpen) -> Self {
        LlmError::Open(open.name().to_string())
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Reply {
    Ok,
    Down,
    RateLimited(u64),
}

#[derive(Default)]
struct Router {
    script: Mutex<HashMap<&'static str, VecDeque<Reply>>>,
    default: Mutex<HashMap<&'static str, Reply>>,
    attempts: Mutex<HashMap<&'static str, u32>>,
    switches: Mutex<Vec<String>>,
}

impl Router {
    fn serve(&self, provider: &'static str, prompt: &str) -> Result<String, LlmError> {
        *self.attempts.lock().unwrap().entry(provider).or_default() += 1;
        let scripted = self
            .script
            .lock()
            .unwrap()
            .get_mut(provider)
            .and_then(VecDeque::pop_front);
        let reply = scripted.unwrap_or_else(|| self.default.lock().unwrap()[provider]);
        match reply {
            Reply::Ok => Ok(format!("{provider}: {prompt}")),
            Reply::Down => Err(LlmError::Unavailable(provider)),
            Reply::RateLimited(secs) => {
                Err(LlmError::RateLimited(provider, Duration::from_secs(secs)))
            }
        }
    }

    fn set(&self, provider: &'static str, reply: Reply) {
        self.default.lock().unwrap().insert(provider, reply);
    }

    fn attempts(&self) -> (u32, u32, u32) {
        let a = self.attempts.lock().unwrap();
        let get = |p| a.get(p).copied().unwrap_or(0);
        (get("openai"), get("anthropic"), get("deepseek"))
    }

    /// The primary: three attempts honouring `Retry-After`, a breaker that ignores rate limits.
    #[fallback(to = [Self::anthropic, Self::deepseek],
        on_fallback = |e| self.switches.lock().unwrap().push(format!("{} -> {}: {:?}", e.from, e.to, e.error)))]
    #[retry_on_failure(max_attempts = 3, backoff = fixed, initial_delay = "100ms", jitter = none,
        retry_after = |e| e.retry_after())]
    #[circuit_breaker(scenario_openai, failure_threshold = 3, reset_timeout = "50ms",
        success_threshold = 1, when = |e| !e.is_rate_limit())]
    async fn openai(&self, prompt: &str) -> Result<String, LlmError> {
        tokio::task::yield_now().await;
        self.serve("openai", prompt)
    }

    #[retry_on_failure(max_attempts = 2, backoff = fixed, initial_delay = "50ms", jitter = none)]
    #[circuit_breaker(scenario_anthropic, failure_threshold = 10)]
    async fn anthropic(&self, prompt: &str) -> Result<String, LlmError> {
        self.serve("anthropic", prompt)
    }

    #[retry_on_failure(max_attempts = 2, backoff = fixed, initial_delay = "50ms", jitter = none)]
    #[circuit_breaker(scenario_deepseek, failure_threshold = 10)]
    async fn deepseek(&self, prompt: &str) -> Result<String, LlmError> {
        self.serve("deepseek", prompt)
    }
}

#[tokio::test(start_paused = true)]
async fn primary_down_then_rate_limited_then_recovered_then_all_down() {
    let router = Router::default();
    router.set("openai", Reply::Down);
    router.set("anthropic", Reply::Ok);
    router.set("deepseek", Reply::Ok);
    let openai = breaker_state("scenario_openai");

    // 1. The primary is down: three attempts (two sleeps), its breaker opens, the first backup answers.
    let start = Instant::now();
    assert_eq!(router.openai("a").await.unwrap(), "anthropic: a");
    assert_eq!(router.attempts(), (3, 1, 0));
    assert_eq!(start.elapsed(), Duration::from_millis(200));
    assert_eq!(openai(), State::Open);

    // 2. Still open: the primary is not called, no time passes, the backup answers at once.
    let start = Instant::now();
    assert_eq!(router.openai("b").await.unwrap(), "anthropic: b");
    assert_eq!(router.attempts(), (3, 2, 0));
    assert_eq!(start.elapsed(), Duration::ZERO);
    assert_eq!(
        router.switches.lock().unwrap().last().unwrap(),
        "Router::openai -> Router::anthropic: Open(\"scenario_openai\")"
    );

    // 3. After the reset timeout the primary is rate-limited once (Retry-After: 2s), then
    //    recovered: the probe's 429 counts as nothing for the breaker, the retry waits the
    //    server's 2 s, and the second attempt closes the circuit. The breaker reads the paused
    //    clock too: open 1 ns before its deadline (reset_timeout, rounded up to ms), then not.
    let wait = breaker("scenario_openai")
        .unwrap()
        .snapshot()
        .retry_in
        .expect("open");
    assert!(
        wait >= Duration::from_millis(50) && wait < Duration::from_millis(51),
        "{wait:?}"
    );
    tokio::time::advance(wait - Duration::from_nanos(1)).await;
    assert_eq!(openai(), State::Open);
    tokio::time::advance(Duration::from_nanos(1)).await;
    assert_eq!(openai(), State::HalfOpen);
    router.set("openai", Reply::Ok);
    router
        .script
        .lock()
        .unwrap()
        .insert("openai", VecDeque::from([Reply::RateLimited(2)]));
    let start = Instant::now();
    assert_eq!(router.openai("c").await.unwrap(), "openai: c");
    assert_eq!(router.attempts(), (5, 2, 0));
    assert_eq!(start.elapsed(), Duration::from_secs(2));
    assert_eq!(openai(), State::Closed);

    // 4. Recovered: one attempt, no switch.
    let switches = router.switches.lock().unwrap().len();
    assert_eq!(router.openai("d").await.unwrap(), "openai: d");
    assert_eq!(router.attempts(), (6, 2, 0));
    assert_eq!(router.switches.lock().unwrap().len(), switches);

    // 5. Everything down: each provider gets its attempts, the caller gets the last error and
    //    saw every earlier provider's error through `on_fallback`.
    router.set("openai", Reply::Down);
    router.set("anthropic", Reply::Down);
    router.set("deepseek", Reply::Down);
    router.switches.lock().unwrap().clear();
    assert_eq!(
        router.openai("e").await,
        Err(LlmError::Unavailable("deepseek"))
    );
    assert_eq!(router.attempts(), (9, 4, 2));
    assert_eq!(
        *router.switches.lock().unwrap(),
        [
            "Router::openai -> Router::anthropic: Unavailable(\"openai\")",
            "Router::anthropic -> Router::deepseek: Unavailable(\"anthropic\")",
        ]
    );
}

fn breaker_state(name: &'static str) -> impl Fn() -> State {
    move || {
        breaker(name)
            .map(|b| b.state())
            .expect("registered on first call")
    }
}
