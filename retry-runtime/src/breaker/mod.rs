//! Circuit breakers: a lock-free state machine in one atomic word, a process-wide registry by
//! name, and the permits that carry a call's verdict back.
//!
//! # The state machine
//!
//! ```text
//!            failures reach the threshold                 reset_timeout passed
//!  CLOSED ------------------------------------> OPEN -------------------------> HALF_OPEN
//!    ^                                           ^                                 |  |
//!    |              a probe fails                |                                 |  |
//!    |                                           +---------------------------------+  |
//!    |              success_threshold probes succeed                                  |
//!    +--------------------------------------------------------------------------------+
//!
//!  force_open() -> FORCED_OPEN     force_closed() -> FORCED_CLOSED     reset() -> CLOSED
//! ```
//!
//! The whole state (mode, a generation, and the consecutive failures, the open deadline or the
//! half-open probe counts) lives in one `AtomicU64`, so every transition is one
//! compare-exchange and no lock is ever taken. A closed breaker with no failure to forget is
//! one exact value per generation: the success path loads it, compares, and writes nothing, so
//! any number of threads can call through one breaker without sharing a written cache line.
//!
//! # Time
//!
//! Breakers read the crate's one clock (`clock.rs`), as nanoseconds since a process-wide base:
//! std's `Instant` in production builds; with the `tokio` feature it is tokio's `Instant`, so a
//! test on tokio's paused clock (`start_paused = true`, or a plain thread that entered such a
//! runtime) moves breakers with `tokio::time::advance`, while outside any runtime the real
//! clock is read. An open
//! breaker's deadline is kept in milliseconds (rounded up: the wait is never shorter than
//! `reset_timeout`), and [`CircuitOpen::retry_in`] counts to that deadline, so it never promises
//! a probe earlier than one is let through (it may exceed `reset_timeout` by under 1 ms). The
//! closed success path never reads the clock. In rate mode, successes
//! count into per-thread stripes of a bucketed window and read the clock only now and then;
//! the bounded approximation this makes is described in `rate_window.rs` and on
//! [`BreakerConfig::failure_rate`]: successes may be counted in a slightly older bucket than
//! their own (at most one in 17 of a busy bucket), never in a later one.
//!
//! # Probes that vanish
//!
//! A half-open breaker admits `half_open_max_calls` probes. A probe's [`Permit`] frees its slot
//! when dropped without a verdict (a cancelled future), and counts as a failure when dropped
//! while its thread panics. A permit that never drops (leaked with `mem::forget`) or a probe
//! that hangs cannot wedge the breaker either: once no probe has been admitted for
//! `reset_timeout`, the next caller starts a fresh half-open period (as Polly does), and the
//! old probes' verdicts are ignored.
//!
//! # Hooks that panic
//!
//! `on_state_change` runs after its transition took effect, so a hook that panics leaves the
//! breaker in the state it was told of. While a panic unwinds (a permit dropped by a panicking
//! body records its failure from `Drop`), a hook's panic is caught and reported instead of
//! aborting the process, and the first panic goes on.
//!
//! # Files
//!
//! From the top of the module down; each file uses only files below it.
//!
//! - `keyed.rs`: keyed breakers, one per key under a name (`openai[<key>]`), at most
//!   `max_keys` per name with the least recently used evicted ([`keyed_breaker`], the per-site
//!   handle [`KeyedSite`]), and [`breakers`], the listing of named and keyed breakers.
//! - `thread_cache.rs`: each thread's small cache of the keyed breakers it used last, so a
//!   keyed call takes no lock.
//! - `registry.rs`: the process-wide registry of breakers by name ([`register_breaker`],
//!   [`breaker`]) and the per-site handle [`BreakerSite`].
//! - `call.rs`: the closure-running wrappers [`CircuitBreaker::call`], `call_when`,
//!   `call_async` and `call_async_when`, a further `impl` block on the core.
//! - `circuit.rs`: [`CircuitBreaker`] and its transitions, with [`Permit`], which carries a
//!   call's verdict back to them.
//! - `rate_window.rs`: rate mode's bucketed, striped window of calls and failures.
//! - `config.rs`: [`BreakerConfig`].
//! - `rejection.rs`: [`CircuitOpen`], the error of a rejected call, and the reason it gives.
//! - `snapshot.rs`: [`BreakerSnapshot`], a breaker's state and counters at one moment.
//! - `state_word.rs`: the layout of the one atomic word that holds a breaker's state.
//! - `name.rs`: a breaker's name as it keeps it, `'static` or shared with a keyed breaker.
//! - `state.rs`: [`State`] and [`StateChange`].
//! - `loom_shim.rs`: std's atomics and clock, or loom's under `--cfg loom`.
//!
//! This file holds only these docs, the `mod` lines and the re-exports.

mod call;
mod circuit;
mod config;
mod keyed;
mod loom_shim;
mod name;
mod rate_window;
mod registry;
mod rejection;
mod snapshot;
pub(crate) mod state;
mod state_word;
mod thread_cache;

pub use circuit::{CircuitBreaker, Permit};
pub use config::BreakerConfig;
pub use keyed::{breakers, keyed_breaker, KeyedSite};
pub use registry::{breaker, register_breaker, BreakerSite};
pub use rejection::CircuitOpen;
pub use snapshot::BreakerSnapshot;
pub use state::{State, StateChange};
pub use thread_cache::{KeyedHandle, LastKey};
