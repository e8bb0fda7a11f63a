//! The preset policies, [`RetryPolicy::STANDARD`] and [`RetryPolicy::STREAMING`], with the
//! reasoning behind their numbers.

use std::time::Duration;

use super::{Jitter, RetryPolicy};

/// Presets: starting points with the reasoning behind their numbers. Use them as they are
/// (`policy = RetryPolicy::STANDARD` on the attribute) or adjust them: keys given beside
/// `policy` override its fields, and so do setters.
impl RetryPolicy {
    /// For request/response calls to a rate-limited HTTP API, an LLM provider's above all:
    /// 3 attempts, exponential from 500 ms (doubling), full jitter, capped at 8 s.
    ///
    /// - **3 attempts** (two retries), as the official OpenAI and Anthropic SDKs make. During
    ///   an outage every retry multiplies the load on the provider; two retries ride out a
    ///   blip without turning an outage into a retry storm (pair it with a retry budget for
    ///   that).
    /// - **500 ms first**: rate limits are counted per second or per minute, so a retry a few
    ///   milliseconds later meets the same limit; half a second lets a token bucket refill and
    ///   a restarting instance come back. Doubling gives 500 ms then 1 s of base delay: at most
    ///   1.5 s of sleep in all, 750 ms on average.
    /// - **Full jitter**: the clients of one provider key hit its limit together; drawing each
    ///   sleep from `[0, base]` spreads their retries over the whole interval, which does the
    ///   least total work of the jitter schemes (AWS, "Exponential Backoff and Jitter").
    /// - **8 s cap**: with the default schedule the cap matters for `Retry-After` hints, which
    ///   raise a sleep up to it: a hint of a few seconds is honoured, while a longer one (a
    ///   per-minute window) gives up at once and hands the error to the caller, who can queue
    ///   the work, rather than holding the call for a minute. Raising `max_attempts` keeps every
    ///   sleep within 8 s.
    /// - **No `max_elapsed`**: an LLM response can take a minute, and the elapsed time counts
    ///   the attempts too; it would also read the clock on every call. Bound slow attempts with
    ///   `timeout` (async) instead.
    ///
    /// ```
    /// use std::time::Duration;
    /// use retry_runtime::{Jitter, RetryPolicy};
    ///
    /// let bases: Vec<Duration> = RetryPolicy::STANDARD.jitter(Jitter::None).delays_seeded(0).collect();
    /// assert_eq!(bases, [Duration::from_millis(500), Duration::from_secs(1)]);
    /// // With its full jitter, each sleep is drawn from [0, base].
    /// assert!(RetryPolicy::STANDARD.delays_seeded(7).zip(bases).all(|(d, b)| d <= b));
    /// ```
    pub const STANDARD: RetryPolicy = RetryPolicy::exponential()
        .max_attempts(3)
        .initial_delay(Duration::from_millis(500))
        .multiplier(2.0)
        .max_delay(Duration::from_secs(8))
        .jitter(Jitter::Full);

    /// For setting up a streaming response (server-sent events, a WebSocket, a gRPC stream)
    /// while a user waits for the first token: shorter and gentler than
    /// [`STANDARD`](Self::STANDARD). 3 attempts, exponential from 100 ms (doubling), full
    /// jitter, capped at 1 s.
    ///
    /// - **Short delays**: what fails while a stream is set up is mostly a connection reset by
    ///   a load balancer rotating a backend, or a 5xx from one busy replica; the next attempt
    ///   usually lands elsewhere and succeeds at once. 100 ms then 200 ms of base delay add at
    ///   most 300 ms (150 ms on average) before the first token, below what a user notices
    ///   next to a model's own time to first token.
    /// - **3 attempts**: enough for a reset or two, and still few: a stream is expensive to
    ///   start, and a backend that failed three set-ups in a row is down, which the user should
    ///   hear at once, not after a long spinner (a fallback to another provider does better).
    /// - **Full jitter**: when a stream server dies, all of its clients reconnect in the same
    ///   instant; jitter keeps that herd from stampeding the next server.
    /// - **1 s cap**: a `Retry-After` hint longer than a second gives up at once, since a user
    ///   watching an empty reply should not wait out a rate limit.
    /// - **No `max_elapsed`** (the sleeps are already bounded, and it would read the clock on
    ///   every call); bound the set-up with `timeout` (async).
    ///
    /// Retry only the set-up (the call that returns the stream), never the consumption: once
    /// tokens have reached the user, a retry would repeat them.
    ///
    /// ```
    /// use std::time::Duration;
    /// use retry_runtime::{Jitter, RetryPolicy};
    ///
    /// let bases: Vec<Duration> = RetryPolicy::STREAMING.jitter(Jitter::None).delays_seeded(0).collect();
    /// assert_eq!(bases, [Duration::from_millis(100), Duration::from_millis(200)]);
    /// let total: Duration = RetryPolicy::STREAMING.delays_seeded(3).sum();
    /// assert!(total <= Duration::from_millis(300));
    /// ```
    pub const STREAMING: RetryPolicy = RetryPolicy::exponential()
        .max_attempts(3)
        .initial_delay(Duration::from_millis(100))
        .multiplier(2.0)
        .max_delay(Duration::from_secs(1))
        .jitter(Jitter::Full);
}
