//! A fault-injecting, OpenAI-style chat-completions server on loopback, for the provider example
//! and the chaos tests.
//!
//! `POST /v1/chat/completions` takes `{"messages": [{"role": "user", "content": "..."}]}` and
//! answers `{"choices": [{"message": {"content": "echo: ..."}}], "usage": {"total_tokens": n}}`;
//! with `"stream": true` it answers `text/event-stream`: one `data: {...}` event per word and
//! `data: [DONE]`. Each request first takes a [`Fault`]: the next one of a script, else a random
//! one (seeded) at a given rate, else the default (none: a normal answer). The providers'
//! errors are sent in their real shapes: the fixtures of `tests/fixtures/llm/` (status,
//! headers and body), compiled in.
//!
//! With [`FaultServer::token_budget`], the server also enforces a tokens-per-minute limit as
//! OpenAI does: each request counts its prompt and its `max_tokens` against a budget that
//! refills continuously, a request that does not fit is answered `429` (type `tokens`), and
//! every answer carries `x-ratelimit-limit-tokens`, `x-ratelimit-remaining-tokens` and
//! `x-ratelimit-reset-tokens`.

#![allow(dead_code)] // each test uses a part of it

use std::collections::VecDeque;
use std::convert::Infallible;
use std::io;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::time::Instant;

use http_body_util::{channel::Channel, combinators::BoxBody, BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper::{server::conn::http1, service::service_fn, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use serde_json::{json, Value};
use tokio::net::TcpListener;

/// What the server does with one request.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Fault {
    /// No fault: a normal answer.
    None,
    /// `429 Too Many Requests` with `Retry-After: <seconds>`.
    RateLimited { retry_after: u64 },
    /// `503 Service Unavailable`.
    Unavailable,
    /// The connection is dropped without a response.
    Reset,
    /// Sleeps this long (longer than the client's attempt timeout), then answers normally.
    Slow(Duration),
    /// `401 Unauthorized`: permanent, retrying cannot help.
    Unauthorized,
    /// Streams only: sends this many chunks, then cuts the connection (non-streaming requests
    /// are answered normally).
    CutStream { after: usize },
    /// OpenAI's `429 insufficient_quota`: the account is out of credit.
    QuotaExhausted,
    /// Anthropic's `529 overloaded_error`.
    Overloaded,
    /// OpenAI's `400 context_length_exceeded`.
    ContextTooLong,
    /// Azure OpenAI's `400 content_filter`: the prompt was refused by the content policy.
    ContentFiltered,
}

impl Fault {
    /// The provider's error response for the faults that are one (a fixture file).
    fn fixture(self) -> Option<&'static str> {
        Some(match self {
            Fault::QuotaExhausted => {
                include_str!("../../tests/fixtures/llm/openai_429_insufficient_quota.http")
            }
            Fault::Overloaded => {
                include_str!("../../tests/fixtures/llm/anthropic_529_overloaded.http")
            }
            Fault::ContextTooLong => {
                include_str!("../../tests/fixtures/llm/openai_400_context_length_exceeded.http")
            }
            Fault::ContentFiltered => {
                include_str!("../../tests/fixtures/llm/azure_400_content_filter.http")
            }
            _ => return None,
        })
    }
}

/// A running server. It stops with the Tokio runtime that started it.
pub struct FaultServer {
    addr: SocketAddr,
    state: Arc<State>,
}

#[derive(Default)]
struct State {
    script: Mutex<VecDeque<Fault>>,
    random: Mutex<Option<RandomFaults>>,
    default: Mutex<Option<Fault>>,
    requests: AtomicU64,
    stream_requests: AtomicU64,
    too_many: AtomicU64,
    budget: Mutex<Option<TokenBudget>>,
}

/// A tokens-per-minute limit: `limit` tokens per `per`, refilled continuously.
struct TokenBudget {
    limit: u64,
    per: Duration,
    /// Tokens left at `at`.
    left: f64,
    at: Instant,
}

impl TokenBudget {
    /// Refills to now; then takes `cost` if it fits. Returns whether it did.
    fn take(&mut self, cost: u64) -> bool {
        let now = Instant::now();
        let refill = now.duration_since(self.at).as_secs_f64() / self.per.as_secs_f64();
        self.left = (self.left + refill * self.limit as f64).min(self.limit as f64);
        self.at = now;
        let fits = self.left >= cost as f64;
        if fits {
            self.left -= cost as f64;
        }
        fits
    }

    /// Until the budget is full again.
    fn reset(&self) -> Duration {
        self.per
            .mul_f64((self.limit as f64 - self.left).max(0.0) / self.limit as f64)
    }

    /// The rate-limit headers of an answer.
    fn headers(&self) -> [(&'static str, String); 3] {
        [
            ("x-ratelimit-limit-tokens", self.limit.to_string()),
            (
                "x-ratelimit-remaining-tokens",
                (self.left as u64).to_string(),
            ),
            (
                "x-ratelimit-reset-tokens",
                format!("{}ms", self.reset().as_millis()),
            ),
        ]
    }
}

struct RandomFaults {
    rng: u64,
    /// Out of 1,000,000.
    rate: u64,
    kinds: Vec<Fault>,
}

impl FaultServer {
    /// Binds `127.0.0.1:0` and serves in the background.
    pub async fn start() -> FaultServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("local addr");
        let state = Arc::new(State::default());
        let shared = Arc::clone(&state);
        tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    continue;
                };
                let state = Arc::clone(&shared);
                let service = service_fn(move |request| handle(Arc::clone(&state), request));
                tokio::spawn(async move {
                    // A `Reset` ends the connection with an error: nothing to report.
                    let _ = http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        FaultServer { addr, state }
    }

    /// The base URL, `http://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Queues faults for the next requests, one each, in order of arrival.
    pub fn script(&self, faults: impl IntoIterator<Item = Fault>) {
        self.state.script.lock().unwrap().extend(faults);
    }

    /// After the script: a fault on `rate` (0.0..=1.0) of the requests, picked from `kinds` at
    /// random by a generator seeded with `seed` (the same faults in the same order of arrival).
    pub fn random_faults(&self, seed: u64, rate: f64, kinds: &[Fault]) {
        *self.state.random.lock().unwrap() = Some(RandomFaults {
            rng: seed | 1,
            rate: (rate.clamp(0.0, 1.0) * 1e6) as u64,
            kinds: kinds.to_vec(),
        });
    }

    /// After the script and the random faults: what every other request gets.
    pub fn default_fault(&self, fault: Fault) {
        *self.state.default.lock().unwrap() = Some(fault);
    }

    /// Requests received (each counted once its head is read, before any fault).
    pub fn requests(&self) -> u64 {
        self.state.requests.load(Relaxed)
    }

    /// Enforces a tokens-per-minute limit from now on: `limit` tokens per `per` (a "minute"
    /// may be scaled down), the budget full at the start.
    pub fn token_budget(&self, limit: u64, per: Duration) {
        *self.state.budget.lock().unwrap() = Some(TokenBudget {
            limit,
            per,
            left: limit as f64,
            at: Instant::now(),
        });
    }

    /// Answers `429 Too Many Requests`, for any reason (a fault, the token budget).
    pub fn too_many_requests(&self) -> u64 {
        self.state.too_many.load(Relaxed)
    }

    /// Of those, the ones that asked for a stream.
    pub fn stream_requests(&self) -> u64 {
        self.state.stream_requests.load(Relaxed)
    }
}

impl State {
    fn next_fault(&self) -> Fault {
        if let Some(fault) = self.script.lock().unwrap().pop_front() {
            return fault;
        }
        if let Some(random) = self.random.lock().unwrap().as_mut() {
            let draw = xorshift(&mut random.rng);
            if draw % 1_000_000 < random.rate && !random.kinds.is_empty() {
                let kind = (draw >> 32) as usize % random.kinds.len();
                return random.kinds[kind];
            }
            return Fault::None;
        }
        self.default.lock().unwrap().unwrap_or(Fault::None)
    }
}

/// xorshift64*: a small seeded generator, good enough for picking faults.
fn xorshift(state: &mut u64) -> u64 {
    *state ^= *state >> 12;
    *state ^= *state << 25;
    *state ^= *state >> 27;
    state.wrapping_mul(0x2545_F491_4F6C_DD1D)
}

type Body = BoxBody<Bytes, io::Error>;

async fn handle(
    state: Arc<State>,
    request: Request<Incoming>,
) -> Result<Response<Body>, io::Error> {
    state.requests.fetch_add(1, Relaxed);
    if request.uri().path() != "/v1/chat/completions" {
        return Ok(status(StatusCode::NOT_FOUND, "no such endpoint"));
    }
    let body = request
        .into_body()
        .collect()
        .await
        .map_err(io::Error::other)?;
    let Ok(body) = serde_json::from_slice::<Value>(&body.to_bytes()) else {
        return Ok(status(StatusCode::BAD_REQUEST, "body is not JSON"));
    };
    let prompt = body["messages"][0]["content"].as_str().unwrap_or_default();
    let stream = body["stream"].as_bool().unwrap_or(false);
    if stream {
        state.stream_requests.fetch_add(1, Relaxed);
    }
    let response = respond(&state, prompt, stream, &body).await?;
    if response.status() == StatusCode::TOO_MANY_REQUESTS {
        state.too_many.fetch_add(1, Relaxed);
    }
    Ok(response)
}

async fn respond(
    state: &State,
    prompt: &str,
    stream: bool,
    body: &Value,
) -> Result<Response<Body>, io::Error> {
    // The token budget first, as a provider checks its limits before the model runs.
    let mut limits = None;
    if let Some(budget) = state.budget.lock().unwrap().as_mut() {
        let cost = tokens(prompt) + body["max_tokens"].as_u64().unwrap_or(0);
        let fits = budget.take(cost);
        let headers = budget.headers();
        if !fits {
            let error = json!({"error": {
                "message": format!(
                    "Rate limit reached for gpt-test on tokens per min (TPM): Limit {}, Used {}, \
                     Requested {cost}. Please try again in {}ms.",
                    budget.limit,
                    budget.limit - budget.left as u64,
                    budget.reset().as_millis(),
                ),
                "type": "tokens",
                "param": null,
                "code": "rate_limit_exceeded",
            }});
            let mut response = full(
                StatusCode::TOO_MANY_REQUESTS,
                "application/json",
                error.to_string(),
            );
            add_headers(&mut response, headers);
            return Ok(response);
        }
        limits = Some(headers);
    }
    let mut response = answer(state, prompt, stream).await?;
    if let Some(headers) = limits {
        add_headers(&mut response, headers);
    }
    Ok(response)
}

fn add_headers(response: &mut Response<Body>, headers: [(&'static str, String); 3]) {
    for (name, value) in headers {
        let value = value.parse().expect("a header value");
        response.headers_mut().insert(name, value);
    }
}

async fn answer(state: &State, prompt: &str, stream: bool) -> Result<Response<Body>, io::Error> {
    let fault = state.next_fault();
    if let Some(fixture) = fault.fixture() {
        return Ok(from_fixture(fixture));
    }
    match fault {
        Fault::None => {}
        Fault::CutStream { after } if stream => return Ok(event_stream(prompt, Some(after))),
        Fault::CutStream { .. } => {} // only a stream can be cut
        Fault::RateLimited { retry_after } => {
            let mut response = status(StatusCode::TOO_MANY_REQUESTS, "rate limited");
            let value = retry_after.to_string().parse().expect("digits");
            response.headers_mut().insert("retry-after", value);
            return Ok(response);
        }
        Fault::Unavailable => return Ok(status(StatusCode::SERVICE_UNAVAILABLE, "overloaded")),
        Fault::Unauthorized => return Ok(status(StatusCode::UNAUTHORIZED, "bad API key")),
        // An error from the service makes hyper drop the connection without answering.
        Fault::Reset => return Err(io::ErrorKind::ConnectionReset.into()),
        Fault::Slow(delay) => tokio::time::sleep(delay).await,
        Fault::QuotaExhausted
        | Fault::Overloaded
        | Fault::ContextTooLong
        | Fault::ContentFiltered => unreachable!("answered from its fixture"),
    }

    if stream {
        return Ok(event_stream(prompt, None));
    }
    let reply = format!("echo: {prompt}");
    let answer = json!({
        "object": "chat.completion",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": reply}}],
        "usage": {"total_tokens": tokens(prompt) + tokens(&reply)},
    });
    Ok(full(StatusCode::OK, "application/json", answer.to_string()))
}

/// A fixture's response: `# comment` lines, the status line, headers, a blank line, the body.
fn from_fixture(fixture: &str) -> Response<Body> {
    let mut lines = fixture.lines().skip_while(|line| line.starts_with('#'));
    let status_line = lines.next().expect("a status line");
    let code: u16 = status_line
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .expect("HTTP/1.1 <code>");
    let mut response = Response::builder().status(code);
    for line in lines.by_ref().take_while(|line| !line.is_empty()) {
        let (name, value) = line.split_once(':').expect("name: value");
        response = response.header(name.trim(), value.trim());
    }
    let body: Vec<&str> = lines.collect();
    let body = Full::new(Bytes::from(body.join("\n"))).map_err(|never: Infallible| match never {});
    response.body(body.boxed()).expect("a valid fixture")
}

/// A rough token count: one per word, plus the message overhead.
fn tokens(text: &str) -> u64 {
    3 + text.split_whitespace().count() as u64
}

fn status(code: StatusCode, message: &str) -> Response<Body> {
    let error = json!({"error": {"message": message, "code": code.as_u16()}});
    full(code, "application/json", error.to_string())
}

fn full(code: StatusCode, content_type: &str, body: String) -> Response<Body> {
    let body = Full::new(Bytes::from(body)).map_err(|never: Infallible| match never {});
    Response::builder()
        .status(code)
        .header("content-type", content_type)
        .body(body.boxed())
        .expect("valid response")
}

/// `text/event-stream`: one chunk per word of the reply, a few milliseconds apart, then
/// `[DONE]`; or, with `cut_after`, that many chunks and then a dropped connection.
fn event_stream(prompt: &str, cut_after: Option<usize>) -> Response<Body> {
    let (mut sender, body) = Channel::<Bytes, io::Error>::new(4);
    let words: Vec<String> = format!("echo: {prompt}")
        .split_whitespace()
        .map(|w| format!("{w} "))
        .collect();
    tokio::spawn(async move {
        for (i, word) in words.iter().enumerate() {
            if cut_after == Some(i) {
                // Aborting the body makes hyper close the connection mid-message.
                sender.abort(io::ErrorKind::ConnectionReset.into());
                return;
            }
            let chunk = json!({"choices": [{"index": 0, "delta": {"content": word}}]});
            if sender
                .send_data(format!("data: {chunk}\n\n").into())
                .await
                .is_err()
            {
                return; // the client went away
            }
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        let _ = sender
            .send_data(Bytes::from_static(b"data: [DONE]\n\n"))
            .await;
    });
    Response::builder()
        .header("content-type", "text/event-stream")
        .header("cache-control", "no-cache")
        .body(body.boxed())
        .expect("valid response")
}
