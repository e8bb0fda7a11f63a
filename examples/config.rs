//! Providers built from a configuration file: per-provider retry policies, breakers, retry
//! budgets and fallback model lists read from TOML (feature `serde`), then used at run time.
//!
//! `examples/config/providers.toml` (or the file given as the first argument) has one section
//! per provider. Each provider gets a `Retry::new(&policy)` whose attempts go through the
//! provider's registered breaker and draw from its budget, and a `Fallback` chain over its
//! `fallback_models`; a second chain tries the providers in the file's priority order. The
//! backend is a fake in-process model server that fails on cue (no network), so each step
//! below shows one behaviour of the configuration.
//!
//! ```sh
//! cargo run --example config --features serde
//! ```

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::fmt;
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use retry_runtime::{
    breakers, budget, configure_budget, register_breaker, AllFailed, BreakerConfig, CircuitBreaker,
    CircuitOpen, Fallback, FallbackEvent, Retry, RetryBudget, RetryEvent, RetryPolicy, StateChange,
};
use serde::Deserialize;

/// One provider's section of the file. The library's types read their own tables.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProviderSettings {
    priority: u32,
    #[serde(default)]
    retry: RetryPolicy,
    #[serde(default)]
    breaker: BreakerConfig,
    #[serde(default)]
    budget: RetryBudget,
    fallback_models: Vec<String>,
}

// ---- the fake backend: a model server in this process that fails on cue ----

#[derive(Clone, Copy, Debug)]
enum Fault {
    /// 529.
    Overloaded,
    /// 429 with a `Retry-After`.
    RateLimited(Duration),
    /// 400 `context_length_exceeded`: another model may take the prompt.
    ContextTooLong,
    /// 400: the request itself is wrong, for every model.
    BadRequest,
}

#[derive(Debug)]
enum ApiError {
    Status { model: String, fault: Fault },
    Open(CircuitOpen),
}

impl From<CircuitOpen> for ApiError {
    fn from(open: CircuitOpen) -> Self {
        ApiError::Open(open)
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ApiError::Status { model, fault } => match fault {
                Fault::Overloaded => write!(f, "{model}: 529 overloaded"),
                Fault::RateLimited(wait) => {
                    write!(f, "{model}: 429 rate limited, retry after {wait:?}")
                }
                Fault::ContextTooLong => write!(f, "{model}: 400 context_length_exceeded"),
                Fault::BadRequest => write!(f, "{model}: 400 bad request"),
            },
            ApiError::Open(open) => open.fmt(f),
        }
    }
}

impl ApiError {
    /// Worth another attempt at the same model.
    fn is_transient(&self) -> bool {
        matches!(
            self,
            ApiError::Status {
                fault: Fault::Overloaded | Fault::RateLimited(_),
                ..
            }
        )
    }

    /// Worth trying the next model or provider (a bad request would fail everywhere).
    fn falls_back(&self) -> bool {
        !matches!(
            self,
            ApiError::Status {
                fault: Fault::BadRequest,
                ..
            }
        )
    }

    /// The server's `Retry-After`.
    fn retry_after(&self) -> Option<Duration> {
        match self {
            ApiError::Status {
                fault: Fault::RateLimited(wait),
                ..
            } => Some(*wait),
            _ => None,
        }
    }
}

#[derive(Default)]
struct FakeBackend {
    /// The next faults of each model, in order.
    script: Mutex<HashMap<String, VecDeque<Fault>>>,
    /// Models answering 529 to everything.
    down: Mutex<HashSet<String>>,
    requests: Mutex<u32>,
}

impl FakeBackend {
    fn script(&self, model: &str, faults: &[Fault]) {
        let mut script = self.script.lock().unwrap();
        script.entry(model.to_owned()).or_default().extend(faults);
    }

    fn take_down(&self, model: &str) {
        self.down.lock().unwrap().insert(model.to_owned());
    }

    async fn complete(&self, model: &str, prompt: &str) -> Result<String, ApiError> {
        *self.requests.lock().unwrap() += 1;
        tokio::task::yield_now().await; // a pretend round trip
        let scripted = self
            .script
            .lock()
            .unwrap()
            .get_mut(model)
            .and_then(VecDeque::pop_front);
        let down = self.down.lock().unwrap().contains(model);
        match scripted.or(down.then_some(Fault::Overloaded)) {
            None => Ok(format!("[{model}] an answer to {prompt:?}")),
            Some(fault) => {
                let error = ApiError::status(model, fault);
                say(format!("    {error}"));
                Err(error)
            }
        }
    }
}

impl ApiError {
    fn status(model: &str, fault: Fault) -> Self {
        ApiError::Status {
            model: model.to_owned(),
            fault,
        }
    }
}

// ---- a provider built from its section ----

struct Provider {
    name: &'static str,
    policy: RetryPolicy,
    breaker: &'static CircuitBreaker,
    models: Vec<String>,
}

impl Provider {
    fn build(name: &str, settings: ProviderSettings) -> Provider {
        // Registries are keyed by `&'static str`: a provider's name lives for the process,
        // leaked once here at start-up.
        let name: &'static str = Box::leak(name.to_owned().into_boxed_str());
        configure_budget(name, settings.budget);
        let breaker = register_breaker(name, settings.breaker.on_state_change(transition));
        Provider {
            name,
            policy: settings.retry,
            breaker,
            models: settings.fallback_models,
        }
    }

    /// One model, retried with the provider's policy; each attempt goes through the provider's
    /// breaker and each retry draws from its budget.
    async fn ask_model(
        &self,
        backend: &FakeBackend,
        model: &str,
        prompt: &str,
    ) -> Result<String, ApiError> {
        Retry::new(&self.policy)
            .function(self.name)
            .breaker(self.breaker)
            .budget(self.name)
            .when(ApiError::is_transient)
            .retry_after(ApiError::retry_after)
            .on_retry(|ev: &RetryEvent<'_, ApiError>| {
                say(format!(
                    "    retry {} of {model} in {:.1?}",
                    ev.attempt, ev.delay
                ))
            })
            .on_give_up(|ev: &RetryEvent<'_, ApiError>| {
                say(format!(
                    "    {model}: gave up after attempt {}: {}",
                    ev.attempt, ev.error
                ))
            })
            .run_async(|| backend.complete(model, prompt))
            .await
    }

    /// The provider's models, in the configured order.
    async fn ask(
        &self,
        backend: &FakeBackend,
        prompt: &str,
    ) -> Result<String, AllFailed<ApiError>> {
        Fallback::new()
            .function(self.name)
            .when(ApiError::falls_back)
            .on_fallback(|ev: &FallbackEvent<'_, ApiError>| {
                say(format!("  {}: {} -> {}", self.name, ev.from, ev.to))
            })
            .run_async(
                self.models
                    .iter()
                    .map(|model| (model, move || self.ask_model(backend, model, prompt))),
            )
            .await
    }
}

/// Every provider in priority order, each with its own model chain.
async fn ask(
    providers: &[Provider],
    backend: &FakeBackend,
    prompt: &str,
) -> Result<String, AllFailed<AllFailed<ApiError>>> {
    say(format!("ask {prompt:?}"));
    let answer = Fallback::new()
        // A provider whose chain stopped at a bad request: no other provider would take it.
        .when(|failed: &AllFailed<ApiError>| !failed.stopped_early())
        .on_fallback(|ev: &FallbackEvent<'_, AllFailed<ApiError>>| {
            say(format!("  provider {} failed, trying {}", ev.from, ev.to))
        })
        .run_async(
            providers
                .iter()
                .map(|p| (p.name, move || p.ask(backend, prompt))),
        )
        .await;
    match &answer {
        Ok(text) => say(format!("  => {text}")),
        Err(failed) if failed.stopped_early() => {
            say("  => no answer: a provider's chain stopped at an error no fallback fixes".into());
            for (provider, models) in failed.errors() {
                for (model, error) in models.errors() {
                    say(format!("       {provider}/{model}: {error}"));
                }
            }
        }
        Err(failed) => {
            say(format!(
                "  => every provider failed ({} tried):",
                failed.errors().len()
            ));
            for (provider, models) in failed.errors() {
                for (model, error) in models.errors() {
                    say(format!("       {provider}/{model}: {error}"));
                }
            }
        }
    }
    answer
}

// ---- output ----

fn start() -> Instant {
    static START: OnceLock<Instant> = OnceLock::new();
    *START.get_or_init(Instant::now)
}

fn say(line: String) {
    println!("{:>5} ms  {line}", start().elapsed().as_millis());
}

fn transition(change: &StateChange) {
    say(format!("  ** {change}"));
}

fn step(title: &str) {
    println!("\n{title}");
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    start();
    let path = std::env::args().nth(1).unwrap_or_else(|| {
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/examples/config/providers.toml"
        )
        .to_owned()
    });
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let sections: BTreeMap<String, ProviderSettings> = match toml::from_str(&text) {
        Ok(sections) => sections,
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(1);
        }
    };

    let mut sections: Vec<_> = sections.into_iter().collect();
    sections.sort_by_key(|(_, s)| s.priority);
    println!("read {path}: built {} providers", sections.len());
    let providers: Vec<Provider> = sections
        .into_iter()
        .map(|(name, settings)| {
            // What the file says, written back in the same keys.
            println!("\n[{name}] models {:?}", settings.fallback_models);
            for (table, text) in [
                ("retry", toml::to_string(&settings.retry)),
                ("breaker", toml::to_string(&settings.breaker)),
                ("budget", toml::to_string(&settings.budget)),
            ] {
                let text = text.expect("a configuration read from a file writes back");
                println!("  {table}: {}", text.trim_end().replace('\n', ", "));
            }
            Provider::build(&name, settings)
        })
        .collect();

    let backend = FakeBackend::default();

    step("1. gpt-4o is overloaded twice: retried with openai's policy, then it answers");
    backend.script("gpt-4o", &[Fault::Overloaded, Fault::Overloaded]);
    ask(&providers, &backend, "What is a circuit breaker?")
        .await
        .unwrap();

    step(
        "2. gpt-4o answers 429 with Retry-After 90s, beyond openai's max_retry_after (60s): \
         no retry, the next model in openai's list answers",
    );
    backend.script("gpt-4o", &[Fault::RateLimited(Duration::from_secs(90))]);
    ask(&providers, &backend, "Why add jitter?").await.unwrap();

    step("3. the prompt is too long for gpt-4o: not retried, gpt-4o-mini takes it");
    backend.script("gpt-4o", &[Fault::ContextTooLong]);
    ask(&providers, &backend, "Summarise this long document")
        .await
        .unwrap();

    step(
        "4. openai goes down: its breaker (failure_threshold = 3) opens, its next model is \
         rejected without a request, and anthropic answers",
    );
    backend.take_down("gpt-4o");
    backend.take_down("gpt-4o-mini");
    ask(&providers, &backend, "Is openai up?").await.unwrap();

    step("5. anthropic is overloaded too (one retry each, max_retries = 1): local answers");
    backend.take_down("claude-sonnet");
    backend.take_down("claude-haiku");
    ask(&providers, &backend, "Anyone there?").await.unwrap();

    step(
        "6. a bad request stops both chains: no other model or provider would take it, so \
         claude-haiku and local are never asked",
    );
    backend.script("claude-sonnet", &[Fault::BadRequest]);
    let failed = ask(&providers, &backend, "").await.unwrap_err();
    assert!(failed.stopped_early());

    step("7. a broken file is refused, with the key and the rule it breaks");
    let broken = "[openai]\npriority = 1\nfallback_models = [\"gpt-4o\"]\n\
                  [openai.retry]\ninitial_delay = \"2s\"\nmax_delay = \"1m30\"\n";
    match toml::from_str::<BTreeMap<String, ProviderSettings>>(broken) {
        Ok(_) => panic!("a duration without a unit was accepted"),
        Err(e) => println!("{}", e.to_string().trim_end()),
    }

    println!("\nbreakers:");
    for b in breakers() {
        println!(
            "  {:<10} {:<9} rejected {}",
            b.name,
            b.state.to_string(),
            b.rejected
        );
    }
    println!("retry budgets (tokens available now):");
    for p in &providers {
        let available = budget(p.name).map_or(0.0, |b| b.available());
        println!("  {:<10} {available:.1}", p.name);
    }
    println!(
        "{} requests to the fake backend in {} ms",
        *backend.requests.lock().unwrap(),
        start().elapsed().as_millis()
    );
}
