//! A chat client against real HTTP servers that fail on cue.
//!
//! Two fault-injecting, OpenAI-style servers run on loopback (primary and backup, see
//! `support/server.rs`); `ChatProvider` (`support/client.rs`) is a plain reqwest client whose
//! methods carry the attributes: on the primary, `#[fallback(to = Self::backup)]`, then
//! `#[retry_on_failure]`, then `#[circuit_breaker(openai)]`; on the backup its own retry and
//! breaker (`backup`). Each step below scripts the primary's next faults and asks a question;
//! the timeline shows every retry, give-up, breaker transition and fallback as it happens, and
//! the end prints the breakers and the per-function statistics.
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

use client::{ChatProvider, ProviderError, Reply};
use server::{Fault, FaultServer};

#[tokio::main]
async fn main() {
    let start = Instant::now();
    let primary = FaultServer::start().await;
    let backup = FaultServer::start().await;
    let provider = ChatProvider::new(primary.url(), backup.url()).with_timeline(start);
    println!("primary at {}, backup at {}", primary.url(), backup.url());

    step("1. a 503, then a 429 with `Retry-After: 1`: the hint beats the 20 ms backoff");
    primary.script([Fault::Unavailable, Fault::RateLimited { retry_after: 1 }]);
    ask(&provider, "What is a circuit breaker?").await;

    step("2. an answer slower than the 250 ms attempt timeout, then a reset connection");
    primary.script([Fault::Slow(Duration::from_secs(1)), Fault::Reset]);
    ask(&provider, "Why add jitter to backoff?").await;

    step("3. 401: permanent, so not retried; the backup answers");
    primary.script([Fault::Unauthorized]);
    ask(&provider, "Which errors are worth retrying?").await;

    step(
        "4. the primary goes down (503 to everything): after 3 failures in a row its breaker \
         opens, the next attempt is rejected, which ends the retry, and the call falls back; \
         later calls skip the primary",
    );
    primary.default_fault(Fault::Unavailable);
    for prompt in ["Is the primary up?", "Still down?", "And now?"] {
        ask(&provider, prompt).await;
    }

    step(
        "5. the primary recovers: after reset_timeout (300 ms) the breaker lets a probe through \
         (HALF_OPEN); two good answers in a row close it again",
    );
    primary.default_fault(Fault::None);
    tokio::time::sleep(Duration::from_millis(350)).await; // > the breaker's reset_timeout
    for prompt in ["Back up?", "Good."] {
        ask(&provider, prompt).await;
    }

    step("6. streaming: a 503 before the first byte is retried");
    primary.script([Fault::Unavailable]);
    stream(&provider, "Tell me a very short story about retries").await;

    step("7. streaming: a cut after three chunks reaches the reader and is not retried");
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
    let served = primary.requests() + backup.requests();
    assert_eq!(attempts, served, "every attempt reached a server once");
    println!("\nsummary after {} ms", start.elapsed().as_millis());
    println!("  calls     {}", CALLS.load(Relaxed));
    println!(
        "  attempts  {attempts} (primary served {}, backup {}), {} of them retries",
        primary.requests(),
        backup.requests(),
        meter.retries.load(Relaxed)
    );
    println!(
        "  tokens    {} billed for answers, {} prompt tokens sent again by retries",
        meter.tokens.load(Relaxed),
        meter.resent_tokens.load(Relaxed)
    );
    println!("\nbreakers");
    for breaker in retry_runtime::breakers() {
        println!("  {breaker}");
    }
    println!("\nstats");
    for site in retry_runtime::stats() {
        println!("  {site}");
    }
}

fn step(title: &str) {
    println!("\n{title}");
}

/// Logical calls made, for the summary.
static CALLS: AtomicU32 = AtomicU32::new(0);

/// One logical call: the primary with its retries and breaker, then the backup if it fails
/// (`#[fallback]` on `chat`; its `on_fallback` hook prints the switch).
async fn ask(provider: &ChatProvider, prompt: &str) {
    CALLS.fetch_add(1, Relaxed);
    provider.timeline_line(format_args!("ask {prompt:?}"));
    show(provider, provider.chat(prompt).await);
}

fn show(provider: &ChatProvider, result: Result<Reply, ProviderError>) {
    match result {
        Ok(reply) => provider.timeline_line(format_args!(
            "answer from {}: {:?} ({} tokens)",
            reply.provider, reply.text, reply.tokens
        )),
        Err(error) => provider.timeline_line(format_args!("failed: {error}")),
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
