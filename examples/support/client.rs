//! `ChatProvider`: an ordinary chat-completions client (reqwest) made resilient by putting
//! attributes on its methods, as you would on existing code.
//!
//! The body of each method is one plain attempt; the attributes decide what happens around it,
//! the way a real client is configured:
//! - the retry policy comes from the provider's configuration (`providers.toml`, read at run
//!   time into a `RetryPolicy` field: `policy = &self.retry_policy`);
//! - the breaker is keyed by the client's base URL, so a second client on a healthy host is
//!   not rejected because another host's breaker is open;
//! - `classify::llm` decides: the retry retries what the provider says is worth it, after the
//!   wait it names; the breaker counts only the provider's own failures; the fallback takes
//!   what another provider can answer (an exhausted quota, a context too long, an outage) and
//!   never a content-filter refusal;
//! - the error type has no `From` impl for the library's errors: `open_error` and
//!   `timeout_error` build its variants;
//! - a tokens-per-minute `RateLimiter` (configured from the same file) is taken before each
//!   request with the request's estimated tokens, and fed what the provider's rate-limit
//!   headers say.
//!
//! The books are kept across attempts: the body counts every request and the tokens billed, the
//! `on_retry` hook every retry and the prompt tokens it sends again, and `on_give_up` says why
//! a call ended in an error.

#![allow(dead_code)] // each test uses a part of it

use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use reqwest::header::{HeaderMap, CONTENT_TYPE};
use retry_runtime::classify::llm::{self, Action, Reason, Verdict};
use retry_runtime::{
    circuit_breaker, fallback, register_limiter, retry_on_failure, AttemptTimedOut, LimiterConfig,
    RateLimiter, RetryEvent, RetryPolicy, State, StateChange,
};
use serde::Deserialize;
use serde_json::{json, Value};

/// The most tokens a request lets the model answer with (`max_tokens`): what a
/// tokens-per-minute limit counts for a request before it is answered, beside the prompt.
pub const MAX_TOKENS: u64 = 40;

/// The client's configuration file: one table per provider.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    pub openai: ProviderSettings,
    pub backup: ProviderSettings,
}

/// One provider's table: its retry policy (its `timeout` is the per-attempt timeout) and, if
/// it has one, its tokens-per-minute limit.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProviderSettings {
    pub retry: RetryPolicy,
    pub tokens: Option<LimiterConfig>,
}

impl Settings {
    /// The committed `providers.toml`.
    pub fn builtin() -> Settings {
        Settings::parse(include_str!("providers.toml"))
            .unwrap_or_else(|e| panic!("examples/support/providers.toml: {e}"))
    }

    /// The same settings without the tokens-per-minute limits.
    pub fn without_token_limits(&self) -> Settings {
        let unlimited = |p: &ProviderSettings| ProviderSettings {
            tokens: None,
            ..p.clone()
        };
        Settings {
            openai: unlimited(&self.openai),
            backup: unlimited(&self.backup),
        }
    }

    /// Settings from TOML text; a broken rule is an error naming the key.
    pub fn parse(text: &str) -> Result<Settings, toml::de::Error> {
        toml::from_str(text)
    }
}

/// One provider's base URL and what the client applies to it.
pub struct Endpoint {
    pub name: &'static str,
    pub url: String,
    /// The provider's tokens-per-minute limiter, one per base URL, if it has one.
    pub tokens: Option<&'static RateLimiter>,
}

/// A chat client with a primary and a backup provider.
pub struct ChatProvider {
    http: reqwest::Client,
    pub primary: Endpoint,
    pub backup: Endpoint,
    /// The primary's retry policy, from the configuration.
    pub retry_policy: RetryPolicy,
    /// The backup's.
    pub backup_policy: RetryPolicy,
    /// What the calls cost, across all attempts.
    pub meter: Meter,
    /// When set, every retry prints a timeline line with the time since this instant.
    timeline: Option<Instant>,
}

/// Counters kept by the methods (attempts, tokens) and by the `on_retry` hook (retries).
#[derive(Default, Debug)]
pub struct Meter {
    /// Requests sent: one per attempt, counted in the method body, so it includes attempts
    /// that failed or timed out.
    pub attempts: AtomicU64,
    /// Retries taken (the `on_retry` hook, before each sleep).
    pub retries: AtomicU64,
    /// Tokens billed for answers (`usage.total_tokens`).
    pub tokens: AtomicU64,
    /// Prompt tokens sent again because an attempt failed: the price of retrying.
    pub resent_tokens: AtomicU64,
}

/// A complete answer.
#[derive(Debug, Clone)]
pub struct Reply {
    pub text: String,
    pub tokens: u64,
    pub provider: &'static str,
}

/// What a call can fail with. The library's errors are not wrapped by `From` impls: the
/// attributes build `Timeout` and `Unavailable` through `timeout_error` and `open_error`.
#[derive(Debug, thiserror::Error)]
pub enum ProviderError {
    /// The provider answered with an error status; the response is kept for `verdict`.
    #[error("HTTP {code} from {provider}: {message}")]
    Status {
        provider: &'static str,
        code: u16,
        headers: HeaderMap,
        body: String,
        /// The body's `error.message`, for people.
        message: String,
    },
    /// No answer: connection refused or reset, or the body cut short.
    #[error("transport: {}", root_cause(.0))]
    Transport(#[from] reqwest::Error),
    /// The attempt ran past the per-attempt timeout.
    #[error(transparent)]
    Timeout(AttemptTimedOut),
    /// An answer we cannot read.
    #[error("malformed response: {0}")]
    Malformed(String),
    /// Not sent: the provider's breaker is open, or its token budget has no room in time.
    #[error("{0}")]
    Unavailable(String),
}

impl ProviderError {
    /// What to do about it: the provider's own words for an error response
    /// (`classify::llm`), and the same vocabulary for the failures that have no response.
    pub fn verdict(&self) -> Verdict {
        let (action, reason) = match self {
            ProviderError::Status {
                code,
                headers,
                body,
                ..
            } => return llm::classify(*code, headers, body),
            ProviderError::Transport(e)
                if e.is_connect() || e.is_request() || e.is_body() || e.is_timeout() =>
            {
                (Action::Retry, Reason::ServerError)
            }
            ProviderError::Timeout(_) => (Action::Retry, Reason::ServerError),
            ProviderError::Transport(_) | ProviderError::Malformed(_) => {
                (Action::Fail, Reason::BadRequest)
            }
            // This provider cannot take the call now: the next one should.
            ProviderError::Unavailable(_) => (Action::Fallback, Reason::Overloaded),
        };
        Verdict {
            action,
            wait: None,
            reason,
        }
    }

    /// Worth another attempt, as the provider says (`verdict().action == Retry`).
    pub fn is_transient(&self) -> bool {
        self.verdict().action == Action::Retry
    }

    /// The wait the provider named, if any (`verdict().wait`).
    pub fn retry_after(&self) -> Option<Duration> {
        self.verdict().wait
    }

    /// A failure of the provider itself, which its breaker counts: not a bad request, a
    /// content filter or an exhausted quota, which say nothing about its health.
    pub fn is_provider_failure(&self) -> bool {
        matches!(
            self.verdict().reason,
            Reason::Overloaded | Reason::ServerError | Reason::RateLimited
        )
    }
}

impl ChatProvider {
    /// A client with the committed configuration (`providers.toml`).
    pub fn new(primary_url: String, backup_url: String) -> ChatProvider {
        ChatProvider::with_settings(&Settings::builtin(), primary_url, backup_url)
    }

    /// A client with the committed configuration but no tokens-per-minute limit: for load
    /// tests of the retries and breakers, which a token budget would pace.
    pub fn without_token_limit(primary_url: String, backup_url: String) -> ChatProvider {
        let settings = Settings::builtin().without_token_limits();
        ChatProvider::with_settings(&settings, primary_url, backup_url)
    }

    /// A client configured by `settings`.
    pub fn with_settings(
        settings: &Settings,
        primary_url: String,
        backup_url: String,
    ) -> ChatProvider {
        ChatProvider {
            http: reqwest::Client::builder()
                .no_proxy() // loopback only, whatever the environment says
                .build()
                .expect("HTTP client"),
            primary: Endpoint::new("primary", primary_url, &settings.openai),
            backup: Endpoint::new("backup", backup_url, &settings.backup),
            retry_policy: settings.openai.retry,
            backup_policy: settings.backup.retry,
            meter: Meter::default(),
            timeline: None,
        }
    }

    /// Print a line for every retry, fallback and breaker transition, timed from `start`.
    pub fn with_timeline(mut self, start: Instant) -> ChatProvider {
        self.timeline = Some(start);
        // Breakers are process-wide, so their hook is a plain function: it reads the start here.
        let _ = BREAKER_TIMELINE.set(start);
        self
    }

    /// The primary's base URL: the key of its breaker.
    pub fn base_url(&self) -> &str {
        &self.primary.url
    }

    /// Asks the primary provider, with its own retry policy and a breaker for its host
    /// (`openai[<base URL>]`); when the provider says another one can take the call (a quota,
    /// a context too long, a bad key) or it is out of order (retries ran out, breaker open),
    /// asks the backup. A content-filter refusal or a bad request fails: no provider can help.
    #[fallback(
        to = Self::backup,
        when = |e| e.verdict().action != Action::Fail,
        on_fallback = |ev| self.timeline_line(format_args!(
            "fallback {} -> {}: {}",
            self.primary.name, self.backup.name, ev.error
        )),
    )]
    #[retry_on_failure(
        policy = &self.retry_policy,
        timeout = self.retry_policy.get_timeout(),
        timeout_error = ProviderError::Timeout,
        when = |e| e.verdict().action == Action::Retry,
        retry_after = |e| e.verdict().wait,
        on_retry = |ev| self.record_retry(ev, prompt),
        on_give_up = |ev| self.record_give_up(ev, Some(("openai", self.base_url()))),
    )]
    #[circuit_breaker(
        openai,
        key = self.base_url(),
        failure_threshold = 3,
        reset_timeout = "300ms",
        when = ProviderError::is_provider_failure,
        open_error = |open| ProviderError::Unavailable(open.to_string()),
        on_state_change = breaker_changed,
    )]
    pub async fn chat(&self, prompt: &str) -> Result<Reply, ProviderError> {
        self.complete(&self.primary, prompt).await
    }

    /// Asks the backup provider: the primary's fallback.
    #[retry_on_failure(
        policy = &self.backup_policy,
        timeout = self.backup_policy.get_timeout(),
        timeout_error = ProviderError::Timeout,
        when = |e| e.verdict().action == Action::Retry,
        retry_after = |e| e.verdict().wait,
        on_retry = |ev| self.record_retry(ev, prompt),
        on_give_up = |ev| self.record_give_up(ev, Some(("backup", &self.backup.url))),
    )]
    #[circuit_breaker(
        backup,
        key = self.backup.url,
        failure_threshold = 3,
        reset_timeout = "300ms",
        when = ProviderError::is_provider_failure,
        open_error = |open| ProviderError::Unavailable(open.to_string()),
        on_state_change = breaker_changed,
    )]
    pub async fn backup(&self, prompt: &str) -> Result<Reply, ProviderError> {
        self.complete(&self.backup, prompt).await
    }

    /// Asks the primary provider for a streamed answer. The retry covers establishing the
    /// stream (connection and status) only: once chunks flow, a failure reaches the reader
    /// through [`ChatStream::next_chunk`] and is never replayed, since the caller has already
    /// consumed part of the answer.
    #[retry_on_failure(
        policy = &self.retry_policy,
        timeout = self.retry_policy.get_timeout(),
        timeout_error = ProviderError::Timeout,
        when = |e| e.verdict().action == Action::Retry,
        retry_after = |e| e.verdict().wait,
        on_retry = |ev| self.record_retry(ev, prompt),
        on_give_up = |ev| self.record_give_up(ev, None),
    )]
    // No breaker here. `openai` could be shared with `chat` (same name and key, one breaker; a
    // cut later in the stream would not be seen by it, as it is not by the retry), but with
    // `failure_threshold = 3` three failures before the first byte would open it and reject the
    // fourth attempt that the streaming tests expect to succeed.
    pub async fn chat_stream(&self, prompt: &str) -> Result<ChatStream, ProviderError> {
        let response = self.send(&self.primary, prompt, true).await?;
        Ok(ChatStream {
            response,
            buffer: Vec::new(),
            done: false,
        })
    }

    /// One plain attempt, as the code looked before any attribute: send, check, parse.
    pub async fn complete(
        &self,
        endpoint: &Endpoint,
        prompt: &str,
    ) -> Result<Reply, ProviderError> {
        let response = self.send(endpoint, prompt, false).await?;
        let body: Value = serde_json::from_slice(&response.bytes().await?)
            .map_err(|e| ProviderError::Malformed(e.to_string()))?;
        let text = body["choices"][0]["message"]["content"]
            .as_str()
            .ok_or_else(|| ProviderError::Malformed("no choices[0].message.content".into()))?;
        let tokens = body["usage"]["total_tokens"].as_u64().unwrap_or(0);
        self.meter.tokens.fetch_add(tokens, Relaxed);
        Ok(Reply {
            text: text.to_owned(),
            tokens,
            provider: endpoint.name,
        })
    }

    /// Waits for room in the provider's token budget, sends the request, feeds the limiter what
    /// the rate-limit headers say, and turns an error status into [`ProviderError::Status`].
    async fn send(
        &self,
        endpoint: &Endpoint,
        prompt: &str,
        stream: bool,
    ) -> Result<reqwest::Response, ProviderError> {
        if let Some(tokens) = endpoint.tokens {
            let cost = u32::try_from(estimated_tokens(prompt)).unwrap_or(u32::MAX);
            let asked = Instant::now();
            tokens
                .acquire_async(cost)
                .await
                .map_err(|refused| ProviderError::Unavailable(refused.to_string()))?;
            let waited = asked.elapsed();
            if waited >= Duration::from_millis(10) {
                self.timeline_line(format_args!(
                    "{}: waited {} ms for {cost} tokens",
                    tokens.name(),
                    waited.as_millis()
                ));
            }
        }
        self.meter.attempts.fetch_add(1, Relaxed);
        let request = json!({
            "model": "gpt-test",
            "messages": [{"role": "user", "content": prompt}],
            "max_tokens": MAX_TOKENS,
            "stream": stream,
        });
        let response = self
            .http
            .post(format!("{}/v1/chat/completions", endpoint.url))
            .header(CONTENT_TYPE, "application/json")
            .body(request.to_string())
            .send()
            .await?;
        let status = response.status();
        if status.is_success() {
            self.observe_limits(endpoint, response.headers(), None);
            return Ok(response);
        }
        let headers = response.headers().clone();
        let body = String::from_utf8_lossy(&response.bytes().await?).into_owned();
        let message = serde_json::from_str::<Value>(&body).unwrap_or_default()["error"]["message"]
            .as_str()
            .unwrap_or("")
            .to_owned();
        let error = ProviderError::Status {
            provider: endpoint.name,
            code: status.as_u16(),
            headers,
            body,
            message,
        };
        if let ProviderError::Status { headers, .. } = &error {
            self.observe_limits(endpoint, headers, Some(error.verdict()));
        }
        Err(error)
    }

    /// Feeds the endpoint's token limiter what the provider said: its limit
    /// (`x-ratelimit-limit-tokens`, per the configured period) becomes the limiter's rate, and a
    /// budget spent (`x-ratelimit-remaining-tokens: 0`, or a 429 for tokens) pauses every
    /// caller until the reset the provider names.
    fn observe_limits(&self, endpoint: &Endpoint, headers: &HeaderMap, verdict: Option<Verdict>) {
        let Some(tokens) = endpoint.tokens else {
            return;
        };
        let number = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse::<u32>().ok())
        };
        let config = tokens.config();
        if let Some(limit) = number("x-ratelimit-limit-tokens") {
            if limit != config.get_rate() && tokens.set_rate(limit, config.get_per()).is_ok() {
                self.timeline_line(format_args!(
                    "{}: the provider's limit is {limit} tokens per {:?}",
                    tokens.name(),
                    config.get_per()
                ));
            }
        }
        // A 429 for rate that carries the tokens headers is the token limit's (one for the
        // requests per minute is not this limiter's business).
        let spent = number("x-ratelimit-remaining-tokens") == Some(0)
            || (verdict.is_some_and(|v| v.reason == Reason::RateLimited)
                && headers.contains_key("x-ratelimit-reset-tokens"));
        if spent {
            if let Some(wait) = llm::wait(headers) {
                tokens.pause(wait);
                self.timeline_line(format_args!(
                    "{}: budget spent, paused for {} ms",
                    tokens.name(),
                    wait.as_millis()
                ));
            }
        }
    }

    /// The `on_retry` hook: count the retry and the prompt tokens it sends again, and print a
    /// timeline line.
    pub fn record_retry(&self, event: &RetryEvent<'_, ProviderError>, prompt: &str) {
        self.meter.retries.fetch_add(1, Relaxed);
        self.meter
            .resent_tokens
            .fetch_add(prompt_tokens(prompt), Relaxed);
        self.timeline_line(format_args!(
            "{} attempt {} failed: {}; retrying in {} ms",
            event.function,
            event.attempt,
            event.error,
            event.delay.as_millis()
        ));
    }

    /// The `on_give_up` hook: the error about to be returned. `breaker` names the breaker
    /// under the retry and its key, if any: a failure that opens it ends the retry early.
    pub fn record_give_up(
        &self,
        event: &RetryEvent<'_, ProviderError>,
        breaker: Option<(&str, &str)>,
    ) {
        let opened = breaker
            .and_then(|(name, key)| retry_runtime::keyed_breaker(name, key))
            .is_some_and(|b| b.state() == State::Open);
        let verdict = event.error.verdict();
        let why = match (&event.error, verdict.action) {
            (ProviderError::Unavailable(_), _) => "not sent",
            (_, Action::Fail) => "refused, not retried",
            (_, Action::Fallback) => "not retried here, another provider may take it",
            _ if opened => "this failure opened the breaker",
            _ => "out of attempts",
        };
        self.timeline_line(format_args!(
            "{} gave up at attempt {} ({why}, {:?}): {}",
            event.function, event.attempt, verdict.reason, event.error
        ));
    }

    /// Prints `[ elapsed ] message` when the timeline is on.
    pub fn timeline_line(&self, message: std::fmt::Arguments<'_>) {
        if let Some(start) = self.timeline {
            println!("[{:>5} ms]   {message}", start.elapsed().as_millis());
        }
    }
}

impl Endpoint {
    fn new(name: &'static str, url: String, settings: &ProviderSettings) -> Endpoint {
        // One limiter per provider and base URL: every client of that account shares it.
        let tokens = settings
            .tokens
            .map(|config| register_limiter(&format!("{name}_tpm[{url}]"), config));
        Endpoint { name, url, tokens }
    }
}

/// Where [`breaker_changed`] measures time from: set by [`ChatProvider::with_timeline`].
static BREAKER_TIMELINE: OnceLock<Instant> = OnceLock::new();

/// The breakers' `on_state_change` hook. A breaker belongs to the process, not to one client,
/// and its hook is a `fn` (a path, or a closure that captures nothing), so it prints on the
/// timeline of the first client that turned one on, if any.
pub fn breaker_changed(change: &StateChange) {
    if let Some(start) = BREAKER_TIMELINE.get() {
        println!(
            "[{:>5} ms]   breaker {}: {} -> {}",
            start.elapsed().as_millis(),
            change.name,
            change.from,
            change.to
        );
    }
}

/// Tokens a prompt costs each time it is sent (a rough count: one per word, plus overhead).
pub fn prompt_tokens(prompt: &str) -> u64 {
    3 + prompt.split_whitespace().count() as u64
}

/// What a request counts against a tokens-per-minute limit before it is answered: its prompt
/// and the most it lets the model answer (as the providers count it).
pub fn estimated_tokens(prompt: &str) -> u64 {
    prompt_tokens(prompt) + MAX_TOKENS
}

/// A streamed answer, read chunk by chunk (server-sent events).
pub struct ChatStream {
    response: reqwest::Response,
    buffer: Vec<u8>,
    done: bool,
}

impl ChatStream {
    /// The next piece of the answer, or `None` after the server's `[DONE]`. An error means the
    /// stream broke; it ends the stream and is never retried.
    pub async fn next_chunk(&mut self) -> Option<Result<String, ProviderError>> {
        while !self.done {
            // A complete event is a block of lines ended by a blank line.
            if let Some(end) = self.buffer.windows(2).position(|w| w == b"\n\n") {
                let event: Vec<u8> = self.buffer.drain(..end + 2).collect();
                let event = String::from_utf8_lossy(&event);
                let Some(data) = event.trim().strip_prefix("data:").map(str::trim) else {
                    continue; // comments and other fields
                };
                if data == "[DONE]" {
                    self.done = true;
                    return None;
                }
                return Some(
                    serde_json::from_str::<Value>(data)
                        .ok()
                        .and_then(|v| {
                            v["choices"][0]["delta"]["content"]
                                .as_str()
                                .map(String::from)
                        })
                        .ok_or_else(|| ProviderError::Malformed(format!("bad event {data:?}"))),
                );
            }
            match self.response.chunk().await {
                Ok(Some(bytes)) => self.buffer.extend_from_slice(&bytes),
                Ok(None) => {
                    self.done = true;
                    let cut = ProviderError::Malformed("stream ended before [DONE]".into());
                    return Some(Err(cut));
                }
                Err(e) => {
                    self.done = true;
                    return Some(Err(ProviderError::Transport(e)));
                }
            }
        }
        None
    }

    /// Reads the rest of the stream into one string.
    pub async fn collect(mut self) -> Result<String, ProviderError> {
        let mut text = String::new();
        while let Some(chunk) = self.next_chunk().await {
            text.push_str(&chunk?);
        }
        Ok(text)
    }
}

/// The innermost error of a chain: "connection closed before message completed" rather than
/// "error sending request for url (...)".
fn root_cause(error: &(dyn std::error::Error + 'static)) -> String {
    let mut error = error;
    while let Some(source) = error.source() {
        error = source;
    }
    error.to_string()
}
