//! A chat client against real HTTP servers that fail on cue.
//!
//! Fault-injecting, OpenAI-style servers run on loopback (see `support/server.rs`);
//! `ChatProvider` (`support/client.rs`) is a plain reqwest client whose methods carry the
//! attributes, configured as a real client is: on the primary, `#[fallback(to = Self::backup)]`,
//! then `#[retry_on_failure(policy = &self.retry_policy)]` with the policy read from
//! `support/providers.toml`, then `#[circuit_breaker(openai, key = self.base_url())]`, one
//! breaker per host; `classify::llm` decides what is retried, what the breaker counts and
//! what falls back; the error type has no `From` impl for the library's errors (`open_error`,
//! `timeout_error`); a tokens-per-minute `RateLimiter` fed by the rate-limit headers paces
//! the requests. Each step below scripts the primary's next faults and asks a question; the
//! timeline shows every retry, give-up, breaker transition and fallback as it happens, and the
//! end prints the breakers, the limiters and the per-function statistics.
//!
//! ```sh
//! cargo run --example provider
//! ```

#[path = "support/client.rs"]
mod client;
#[path = "support/server.rs"]
mod server;

use std::io::Write;
use std::sync::atomic::{AtomicU32, Ordering::Relaxed};
use std::time::{Duration, Instant};

use client::{ChatProvider, ProviderError, Reply, Settings};
use retry_runtime::State;
use server::{Fault, FaultServer};

#[tokio::main]
async fn main() {
    let start = Instant::now();
    let primary = FaultServer::start().await;
    let backup = FaultServer::start().await;
    let provider = ChatProvider::new(primary.url(), backup.url()).with_timeline(start);
    println!("primary at {}, backup at {}", primary.url(), backup.url());
    let served = |server: &FaultServer| server.requests();

    step("1. a 503, then a 429 with `Retry-After: 1`: the hint beats the 20 ms backoff");
    primary.script([Fault::Unavailable, Fault::RateLimited { retry_after: 1 }]);
    ask(&provider, "What is a circuit breaker?").await;

    step("2. an answer slower than the 250 ms attempt timeout, then a reset connection");
    primary.script([Fault::Slow(Duration::from_secs(1)), Fault::Reset]);
    ask(&provider, "Why add jitter to backoff?").await;

    step("3. 401: a bad key for this provider, so not retried; the backup answers");
    primary.script([Fault::Unauthorized]);
    ask(&provider, "Which errors are worth retrying?").await;

    step(
        "4. the primary goes down (503 to everything): after 3 failures in a row the breaker of \
         its host opens, which ends the retry, and the call falls back; later calls skip the \
         primary",
    );
    primary.default_fault(Fault::Unavailable);
    for prompt in ["Is the primary up?", "Still down?", "And now?"] {
        ask(&provider, prompt).await;
    }
    let key = provider.base_url();
    let open = retry_runtime::keyed_breaker("openai", key).expect("the primary's breaker");
    assert_eq!(open.state(), State::Open, "openai[{key}]");

    step(
        "5. a second client of the same provider on another host: its own breaker, closed, so \
         it is served while the first host's breaker is open",
    );
    let other = FaultServer::start().await;
    let second = ChatProvider::new(other.url(), backup.url()).with_timeline(start);
    let reply = ask(&second, "Is the other host up?").await;
    assert_eq!(reply.map(|r| r.provider), Some("primary"));
    let second_breaker = retry_runtime::keyed_breaker("openai", second.base_url()).unwrap();
    assert_eq!(second_breaker.state(), State::Closed);
    assert_eq!(
        open.state(),
        State::Open,
        "the first host's breaker is untouched"
    );

    step(
        "6. the primary recovers: after reset_timeout (300 ms) the breaker lets a probe through \
         (HALF_OPEN); two good answers in a row close it again",
    );
    primary.default_fault(Fault::None);
    tokio::time::sleep(Duration::from_millis(350)).await; // > the breaker's reset_timeout
    for prompt in ["Back up?", "Good."] {
        ask(&provider, prompt).await;
    }
    assert_eq!(open.state(), State::Closed);

    step(
        "7. 429 `insufficient_quota`: no wait helps that account, so no retry: the backup at once",
    );
    primary.script([Fault::QuotaExhausted]);
    let (p, b) = (served(&primary), served(&backup));
    let reply = ask(&provider, "Are we out of credit?").await;
    assert_eq!(reply.map(|r| r.provider), Some("backup"));
    assert_eq!((served(&primary) - p, served(&backup) - b), (1, 1));

    step("8. Anthropic's 529 `overloaded_error`: retried, and the primary answers");
    primary.script([Fault::Overloaded]);
    let p = served(&primary);
    let reply = ask(&provider, "Is it busy?").await;
    assert_eq!(reply.map(|r| r.provider), Some("primary"));
    assert_eq!(served(&primary) - p, 2);

    step(
        "9. 400 `context_length_exceeded`: never retried, but another model may take the \
         prompt: the backup",
    );
    primary.script([Fault::ContextTooLong]);
    let (p, b) = (served(&primary), served(&backup));
    let reply = ask(&provider, "A very long conversation ...").await;
    assert_eq!(reply.map(|r| r.provider), Some("backup"));
    assert_eq!((served(&primary) - p, served(&backup) - b), (1, 1));

    step("10. a content-filter refusal: not retried and not sent elsewhere: the call fails");
    primary.script([Fault::ContentFiltered]);
    let (p, b) = (served(&primary), served(&backup));
    let reply = ask(&provider, "Something the filter refuses").await;
    assert!(reply.is_none(), "a refusal fails the call");
    assert_eq!((served(&primary) - p, served(&backup) - b), (1, 0));

    step("11. streaming: a 503 before the first byte is retried");
    primary.script([Fault::Unavailable]);
    stream(&provider, "Tell me a very short story about retries").await;

    step("12. streaming: a cut after three chunks reaches the reader and is not retried");
    primary.script([Fault::CutStream { after: 3 }]);
    let before = primary.stream_requests();
    stream(&provider, "Tell me a story that breaks off").await;
    assert_eq!(
        primary.stream_requests() - before,
        1,
        "a cut stream is not replayed"
    );

    let meter = &provider.meter;
    let attempts = meter.attempts.load(Relaxed);
    let (primary_served, backup_served) = (served(&primary), served(&backup));
    let second_attempts = second.meter.attempts.load(Relaxed);
    assert_eq!(
        attempts + second_attempts,
        primary_served + backup_served + other.requests(),
        "every attempt reached a server once"
    );

    step(
        "13. a tokens-per-minute limit of 300 tokens (the example's minute is 1 s): 12 requests \
         of 50 tokens each (prompt + max_tokens) sent back to back, by a client without its \
         token limiter, then by one with it",
    );
    let burst = |i: usize| format!("burst request {i} of twelve, please");
    let settings = Settings::builtin();
    let without = settings.without_token_limits();
    let mut limited = [0; 2];
    for (run, settings) in [&without, &settings].into_iter().enumerate() {
        let server = FaultServer::start().await;
        server.token_budget(300, Duration::from_secs(1));
        let client =
            ChatProvider::with_settings(settings, server.url(), server.url()).with_timeline(start);
        let began = Instant::now();
        let mut answered = 0;
        for i in 1..=12 {
            if client.complete(&client.primary, &burst(i)).await.is_ok() {
                answered += 1;
            }
        }
        limited[run] = server.too_many_requests();
        client.timeline_line(format_args!(
            "{}: {answered} answered, {} answered 429, in {} ms",
            ["without the limiter", "with the limiter"][run],
            limited[run],
            began.elapsed().as_millis()
        ));
    }
    assert!(limited[0] > 0, "the burst exceeds the budget");
    assert_eq!(limited[1], 0, "the limiter keeps under it");

    println!("\nsummary after {} ms", start.elapsed().as_millis());
    println!("  calls     {}", CALLS.load(Relaxed));
    println!(
        "  attempts  {attempts} (primary served {primary_served}, backup {backup_served}), {} of \
         them retries",
        meter.retries.load(Relaxed)
    );
    println!(
        "  tokens    {} billed for answers, {} prompt tokens sent again by retries",
        meter.tokens.load(Relaxed),
        meter.resent_tokens.load(Relaxed)
    );
    println!(
        "  burst     {} 429s without the token limiter, {} with it",
        limited[0], limited[1]
    );
    println!("\nbreakers");
    for breaker in retry_runtime::breakers() {
        println!("  {breaker}");
    }
    println!("\nlimiters");
    for limiter in retry_runtime::limiters() {
        println!("  {limiter}");
    }
    println!("\nstats");
    for site in retry_runtime::stats() {
        println!("  {site}");
    }
    assert!(
        start.elapsed() < Duration::from_secs(10),
        "the example stays short"
    );
}

fn step(title: &str) {
    println!("\n{title}");
}

/// Logical calls made, for the summary.
static CALLS: AtomicU32 = AtomicU32::new(0);

/// One logical call: the primary with its retries and breaker, then the backup if it fails
/// (`#[fallback]` on `chat`; its `on_fallback` hook prints the switch). The answer, if any.
async fn ask(provider: &ChatProvider, prompt: &str) -> Option<Reply> {
    CALLS.fetch_add(1, Relaxed);
    provider.timeline_line(format_args!("ask {prompt:?}"));
    show(provider, provider.chat(prompt).await)
}

fn show(provider: &ChatProvider, result: Result<Reply, ProviderError>) -> Option<Reply> {
    match result {
        Ok(reply) => {
            provider.timeline_line(format_args!(
                "answer from {}: {:?} ({} tokens)",
                reply.provider, reply.text, reply.tokens
            ));
            Some(reply)
        }
        Err(error) => {
            provider.timeline_line(format_args!("failed: {error}"));
            None
        }
    }
}

/// A streamed call: chunks are printed as they arrive.
async fn stream(provider: &ChatProvider, prompt: &str) {
    CALLS.fetch_add(1, Relaxed);
    provider.timeline_line(format_args!("stream {prompt:?}"));
    let mut stream = match provider.chat_stream(prompt).await {
        Ok(stream) => stream,
        Err(error) => {
            provider.timeline_line(format_args!("failed to open the stream: {error}"));
            return;
        }
    };
    print!("             chunks:");
    while let Some(chunk) = stream.next_chunk().await {
        match chunk {
            Ok(text) => print!(" {}", text.trim_end()),
            Err(error) => print!(" <stream broke: {error}>"),
        }
        std::io::stdout().flush().ok();
    }
    println!();
}
