//! Resilient calls as a one-line change: retries with backoff, circuit breakers and fallbacks
//! for ordinary sync and async functions.
//!
//! Five attributes (feature `macros`, on by default) go on functions that return a `Result`,
//! without changing their signatures:
//!
//! - [`retry_on_failure`]: retries with backoff and jitter, server hints (`retry_after`),
//!   per-attempt timeouts, a time limit and a shared retry budget;
//! - [`circuit_breaker`]: fails fast with [`CircuitOpen`] while a backend is down; every site
//!   naming a breaker shares it through one process-wide registry ([`breakers`]), and
//!   `key = self.base_url()` gives each host, model or tenant a breaker of its own
//!   ([`keyed_breaker`]);
//! - [`fallback`]: calls other functions when this one fails (or, async, also when it is slow:
//!   `hedge_after`);
//! - [`rate_limit`](macro@rate_limit) and [`concurrency_limit`](macro@concurrency_limit): pace
//!   calls through a named rate limiter, bound the calls in flight under a name.
//!
//! They stack, outermost first; the recommended order is
//! `#[fallback] #[retry_on_failure] #[circuit_breaker] #[concurrency_limit] #[rate_limit]`:
//!
//! ```
//! use retry_runtime::{circuit_breaker, fallback, retry_on_failure, CircuitOpen};
//!
//! #[derive(Debug)]
//! enum LlmError { Unavailable, Open(CircuitOpen) }
//! impl From<CircuitOpen> for LlmError {
//!     fn from(open: CircuitOpen) -> Self { LlmError::Open(open) }
//! }
//!
//! struct Router { primary_up: bool }
//!
//! impl Router {
//!     #[fallback(to = Self::backup)]
//!     #[retry_on_failure(max_attempts = 3, initial_delay = "1ms")]
//!     #[circuit_breaker(crate_docs_primary, failure_threshold = 5)]
//!     fn complete(&self, prompt: &str) -> Result<String, LlmError> {
//!         if self.primary_up { Ok(format!("primary: {prompt}")) } else { Err(LlmError::Unavailable) }
//!     }
//!
//!     fn backup(&self, prompt: &str) -> Result<String, LlmError> {
//!         Ok(format!("backup: {prompt}"))
//!     }
//! }
//!
//! assert_eq!(Router { primary_up: true }.complete("hi").unwrap(), "primary: hi");
//! assert_eq!(Router { primary_up: false }.complete("hi").unwrap(), "backup: hi");
//! let stats = retry_runtime::stats();
//! let site = stats.iter().find(|s| s.function == "Router::complete").unwrap();
//! assert_eq!((site.retries, site.give_ups, site.fallbacks), (2, 1, 1));
//! ```
//!
//! The expansions are small calls into this crate, which holds the backoff math and
//! [`RetryPolicy`], the retry loops, the breakers ([`CircuitBreaker`], [`register_breaker`],
//! [`breaker`], [`keyed_breaker`], [`breakers`]), the limiters ([`RateLimiter`],
//! [`ConcurrencyLimit`], [`register_limiter`], [`register_concurrency_limit`]), retry budgets
//! ([`configure_budget`]), statistics ([`stats`]), events, and [`classify`]. The same loops
//! are available as functions, and fallback chains built at run time from a list as
//! [`Fallback`]:
//!
//! ```
//! use std::time::Duration;
//! use retry_runtime::{retry, Jitter, RetryPolicy};
//!
//! const PROVIDER: RetryPolicy = RetryPolicy::exponential()
//!     .max_attempts(4)
//!     .initial_delay(Duration::from_millis(1))
//!     .max_delay(Duration::from_millis(5))
//!     .jitter(Jitter::Full);
//!
//! let mut calls = 0;
//! let r: Result<u32, &str> = retry(&PROVIDER, || {
//!     calls += 1;
//!     if calls < 3 { Err("503") } else { Ok(calls) }
//! });
//! assert_eq!(r, Ok(3));
//! ```
//!
//! # How the crate is laid out
//!
//! For contributors (the public API is the re-exports below). Each concept has one file or
//! folder, and dependencies point one way, from the top down:
//!
//! 1. `lib.rs` (these docs and the re-exports) and `private.rs` (`__private`: everything the
//!    attributes' expansions name, and nothing else).
//! 2. `retry/`: [`Retry`] and its setters (`setup.rs`), the breaker option of the function API
//!    (`gate.rs`), the one decision core (`decide.rs`), the sync driver (`blocking.rs`) and the
//!    tokio driver with the one async loop that the expansion runs too (`tokio.rs`);
//!    `fallback.rs`: [`Fallback`], a chain of targets built at run time, and [`AllFailed`];
//!    `serde_impls/` (feature `serde`): policies, breaker configurations, budgets and
//!    limiter configurations read from and written to configuration files.
//! 3. `breaker/` (the lock-free state machine, its registry and configuration), `limit/` (the
//!    rate limiter and the concurrency limit, their registries), `budget.rs`, `env.rs`
//!    (environment overrides).
//! 4. `policy/` ([`RetryPolicy`], the backoff math, the presets), `site.rs` (function names and
//!    [`stats`]), `events.rs` (`tracing` events), `metrics.rs` (what the `metrics` feature
//!    records), `error.rs` ([`AttemptTimedOut`]).
//! 5. Ground floor, depending on nothing else here: `options.rs` (the option and hook types,
//!    [`Unset`], and [`options::RetryOptions`], a `Retry`'s options behind one bound),
//!    `duration.rs` (the one grammar of durations and numbers, shared with the macro crate),
//!    `clock.rs` (the clock breakers and budgets read: tokio's with the `tokio` feature, so a
//!    test can pause it), `counters.rs`, `thread_index.rs`, `padded.rs`, `rng.rs`, `probe.rs`
//!    (debug builds' counts of the loops' clock reads and draws), and [`classify`].
//!
//! # Features
//!
//! - `macros` (default): re-exports the attributes from `retry-macros`.
//! - `tokio` (default): async retries ([`retry_async`], [`Retry::run_async`]) sleeping with
//!   `tokio::time::sleep`, and per-attempt timeouts.
//! - `tracing`: events (target `retry_runtime`) for retries (`WARN`), give-ups (`ERROR`),
//!   fallbacks and breaker state changes (`INFO`).
//! - `serde`: [`RetryPolicy`], [`BreakerConfig`], [`RetryBudget`] and [`LimiterConfig`]
//!   implement `Serialize` and `Deserialize`, so per-provider settings live in a configuration
//!   file (TOML, JSON, any self-describing format). Field names are the attributes' keys
//!   (`max_attempts`, `initial_delay`, `failure_rate`, `rate`, `per`, ...; a budget's are
//!   `ratio`, `min_per_sec`, `ttl`);
//!   durations are duration literals of the attributes' grammar (`"200ms"`, `"1m30s"`), and
//!   every duration written reads back; `backoff` and `jitter` take the attributes' words
//!   (`jitter = 0.25` for a fraction). A missing field takes its default, an unknown one is an
//!   error, and every rule of the setters (and the attribute's rules between keys) is checked
//!   while reading: a broken one is an error naming the field (`max_attempts: must be at least
//!   1`). A breaker's `on_state_change` is code and is not written.
//!
//!   ```
//!   # #[cfg(feature = "serde")] {
//!   use std::time::Duration;
//!   use retry_runtime::{BreakerConfig, RetryPolicy};
//!
//!   let file: toml::Table = toml::from_str(r#"
//!       [openai.retry]
//!       max_attempts = 4
//!       initial_delay = "200ms"
//!       max_retry_after = "60s"
//!       [openai.breaker]
//!       failure_rate = 0.5
//!       window = "30s"
//!   "#).unwrap();
//!   let policy: RetryPolicy = file["openai"]["retry"].clone().try_into().unwrap();
//!   let breaker: BreakerConfig = file["openai"]["breaker"].clone().try_into().unwrap();
//!   assert_eq!(policy.get_initial_delay(), Duration::from_millis(200));
//!   assert_eq!(breaker.get_failure_rate(), Some(0.5));
//!   # }
//!   ```
//! - `metrics`: every annotated function, breaker and retry budget records through the
//!   [`metrics`](https://docs.rs/metrics) crate's facade, so any exporter (Prometheus,
//!   OpenTelemetry) picks the numbers up:
//!   - `retry_attempts_total{function}`: every attempt of a retrying function, a first one that
//!     succeeds included (a success pays one counter increment, its handle cached in the
//!     function's `static`);
//!   - `retry_retries_total{function}`;
//!   - `retry_give_ups_total{function, reason}`, `reason` one of `attempts`, `permanent`,
//!     `elapsed` (`max_elapsed`), `hint` (a `retry_after` beyond `max_delay`), `budget`,
//!     `circuit_open` (a breaker below rejected the call), and `limited` (a `#[rate_limit]` or
//!     `#[concurrency_limit]` below refused it);
//!   - `retry_fallbacks_total{function, from, to}`;
//!   - `circuit_breaker_state{breaker}`, a gauge: 0 closed, 1 open, 2 half-open, 3 forced open,
//!     4 forced closed (set when a breaker is registered and on each transition);
//!   - `circuit_breaker_rejections_total{breaker}`;
//!   - `circuit_breaker_transitions_total{breaker, to}`, `to` one of `closed`, `open`,
//!     `half_open`, `forced_open`, `forced_closed`;
//!   - `retry_budget_refusals_total{budget}`;
//!   - `rate_limiter_wait_seconds{limiter}`, a histogram of how long each call admitted by
//!     `acquire` or `acquire_async` waited (zero included), and
//!     `rate_limiter_refusals_total{limiter}`, for rate limiters and concurrency limits alike
//!     (the label is the limiter's name);
//!   - `retry_hedges_total{function}`: fallback targets started by `hedge_after`.
//!
//!   Functions are the annotated ones (`Type::name` for methods); the function API
//!   ([`retry`], [`Retry`]) records nothing of its own, its breakers and budgets do. Install the
//!   recorder before the first call: a function resolves its handles on first use, and a handle
//!   resolved without a recorder records nothing. Without the feature nothing is recorded and
//!   nothing is paid.
//!
//!   ```no_run
//!   # #[cfg(all(feature = "metrics", feature = "macros"))] fn main() {
//!   use retry_runtime::retry_on_failure;
//!
//!   #[retry_on_failure(max_attempts = 3, initial_delay = "100ms")]
//!   fn fetch() -> Result<String, std::io::Error> {
//!       Ok("pong".into())
//!   }
//!
//!   // First install a recorder (here metrics-exporter-prometheus, serving /metrics):
//!   // PrometheusBuilder::new().with_http_listener(([127, 0, 0, 1], 9000)).install()?;
//!   let _ = fetch(); // retry_attempts_total{function="fetch"} 1
//!   # }
//!   # #[cfg(not(all(feature = "metrics", feature = "macros")))] fn main() {}
//!   ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod breaker;
mod budget;
pub mod classify;
mod clock;
mod counters;
mod duration;
mod env;
mod error;
mod events;
mod fallback;
pub mod fleet;
#[cfg(feature = "tokio")]
mod hedge;
mod limit;
#[cfg(feature = "metrics")]
mod metrics;
pub mod options;
mod padded;
mod policy;
mod probe;
mod retry;
mod rng;
#[cfg(feature = "serde")]
mod serde_impls;
mod site;
mod thread_index;

#[doc(hidden)]
#[path = "private.rs"]
pub mod __private;

// The traits whose unmet bound a user's build reports with this library's message
// (`#[diagnostic::on_unimplemented]`), and the items whose bounds such a report names, also
// here, hidden: rustc then names them by their bare name ("the trait `FromCircuitOpen` is not
// implemented for `ApiError`", "required by a bound in `Marker::<R>::fallback_result`") rather
// than by a path into `__private`. The expansions reach them through `__private`.
#[doc(hidden)]
pub use __private::{
    attempt_result, call_target, check_result, clone_arg, fell_back, from_result, into_result,
    run_sync, timeout_of, BreakerKey, FallbackArg, FallbackTarget, FromCircuitOpen, IntoTimeout,
    IsResult, Marker, SameResult,
};

pub use breaker::{
    breaker, breakers, keyed_breaker, register_breaker, BreakerConfig, BreakerSnapshot,
    CircuitBreaker, CircuitOpen, Permit, State, StateChange,
};
pub use budget::{budget, configure_budget, RetryBudget, SharedBudget};
pub use error::{AttemptTimedOut, TimeoutError};
pub use fallback::{AllFailed, Fallback};
pub use limit::{
    concurrency_limit, concurrency_limits, limiter, limiters, register_concurrency_limit,
    register_limiter, ConcurrencyLimit, ConcurrencyPermit, ConcurrencySnapshot, LimitedError,
    LimiterConfig, LimiterSnapshot, RateLimited, RateLimiter,
};
pub use options::{
    BudgetOption, ErrorPredicate, EventHook, FallbackEvent, FallbackHook, RetryAfter, RetryEvent,
    ShowDebug, ShowDisplay, ShowError, Unset,
};
pub use policy::{Backoff, Delays, Jitter, PolicyError, RetryPolicy};
#[cfg(feature = "tokio")]
pub use retry::retry_async;
pub use retry::{retry, Retry, ThroughBreaker};
pub use site::{stats, SiteStats};

#[cfg(feature = "macros")]
#[doc = include_str!("../docs/retry_on_failure.md")]
pub use retry_macros::retry_on_failure;

#[cfg(feature = "macros")]
#[doc = include_str!("../docs/circuit_breaker.md")]
pub use retry_macros::circuit_breaker;

#[cfg(feature = "macros")]
#[doc = include_str!("../docs/fallback.md")]
pub use retry_macros::fallback;

#[cfg(feature = "macros")]
#[doc = include_str!("../docs/rate_limit.md")]
pub use retry_macros::rate_limit;

#[cfg(feature = "macros")]
#[doc = include_str!("../docs/concurrency_limit.md")]
pub use retry_macros::concurrency_limit;
