//! Streamed answers on real HTTP: the retry covers establishing the stream (connection and
//! status) only; once chunks flow, a failure reaches the reader and is never replayed.

#[path = "../examples/support/client.rs"]
mod client;
#[path = "../examples/support/server.rs"]
mod server;

use std::sync::atomic::Ordering::Relaxed;
use std::time::Duration;

use client::{ChatProvider, ProviderError};
use server::{Fault, FaultServer};

async fn setup(faults: impl IntoIterator<Item = Fault>) -> (FaultServer, ChatProvider) {
    let server = FaultServer::start().await;
    server.script(faults);
    let provider = ChatProvider::new(server.url(), server.url());
    (server, provider)
}

#[tokio::test]
async fn failures_before_the_first_byte_are_retried() {
    let (server, provider) = setup([
        Fault::Unavailable,
        Fault::RateLimited { retry_after: 0 },
        Fault::Reset,
    ])
    .await;
    let stream = provider
        .chat_stream("stream me a short answer")
        .await
        .expect("the fourth attempt opens the stream");
    assert_eq!(
        stream.collect().await.unwrap(),
        "echo: stream me a short answer "
    );
    assert_eq!(server.stream_requests(), 4);
    assert_eq!(provider.meter.attempts.load(Relaxed), 4);
    assert_eq!(provider.meter.retries.load(Relaxed), 3);
}

#[tokio::test]
async fn a_slow_start_times_out_and_is_retried() {
    let (server, provider) = setup([Fault::Slow(Duration::from_secs(2))]).await;
    let stream = provider.chat_stream("are you there").await.unwrap();
    assert_eq!(stream.collect().await.unwrap(), "echo: are you there ");
    assert_eq!(server.stream_requests(), 2, "one timed out, one answered");
}

#[tokio::test]
async fn the_attempt_timeout_does_not_cut_a_long_stream() {
    // 150 words, 2 ms apart: the stream lasts longer than the 250 ms attempt timeout, which
    // covers establishing the stream only.
    let (server, provider) = setup([]).await;
    let prompt = vec!["word"; 150].join(" ");
    let started = tokio::time::Instant::now();
    let text = provider
        .chat_stream(&prompt)
        .await
        .unwrap()
        .collect()
        .await
        .unwrap();
    assert!(started.elapsed() > Duration::from_millis(250));
    assert_eq!(text.split_whitespace().count(), 151);
    assert_eq!(server.stream_requests(), 1);
}

#[tokio::test]
async fn a_cut_mid_stream_reaches_the_reader_and_is_not_retried() {
    let (server, provider) = setup([Fault::CutStream { after: 2 }]).await;
    let mut stream = provider
        .chat_stream("one two three four five")
        .await
        .expect("the stream opens");
    assert_eq!(stream.next_chunk().await.unwrap().unwrap(), "echo: ");
    assert_eq!(stream.next_chunk().await.unwrap().unwrap(), "one ");
    let error = stream.next_chunk().await.unwrap().unwrap_err();
    assert!(
        matches!(error, ProviderError::Transport(_)),
        "the cut itself: {error}"
    );
    assert!(stream.next_chunk().await.is_none(), "the stream has ended");

    // Nothing asks again behind the reader's back.
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(server.stream_requests(), 1);
    assert_eq!(server.requests(), 1);
    assert_eq!(provider.meter.retries.load(Relaxed), 0);
}

#[tokio::test]
async fn a_permanent_error_is_not_retried() {
    let (server, provider) = setup([Fault::Unauthorized]).await;
    match provider.chat_stream("let me in").await {
        Err(ProviderError::Status { code: 401, .. }) => {}
        Err(other) => panic!("expected 401, got {other}"),
        Ok(_) => panic!("expected 401, got a stream"),
    }
    assert_eq!(server.stream_requests(), 1);
}
