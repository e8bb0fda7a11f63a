//! A fault-injecting, OpenAI-style chat-completions server on loopback, for the provider example
//! and the chaos tests.
//!
//! `POST /v1/chat/completions` takes `{"messages": [{"role": "user", "content": "..."}]}` and
//! answers `{"choices": [{"message": {"content": "echo: ..."}}], "usage": {"total_tokens": n}}`;
//! with `"stream": true` it answers `text/event-stream`: one `data: {...}` event per word and
//! `data: [DONE]`. Each request first takes a [`Fault`]: the next one of a script, else a random
//! one (seeded) at a given rate, else the default (none: a normal answer).

#![allow(dead_code)] // each test uses a part of it

use std::collections::VecDeque;
use std::convert::Infallible;
use std::io;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::{Arc, Mutex};
use std::time::Duration;

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

    match state.next_fault() {
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
