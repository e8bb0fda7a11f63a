//! Breakers, retry budgets and rate limiters of `retry-runtime` shared by a fleet of
//! processes through Redis.
//!
//! ```no_run
//! # async fn demo() -> Result<(), retry_redis::FleetError> {
//! let fleet = retry_redis::Fleet::builder("redis://127.0.0.1:6379")
//!     .namespace("chat-service")
//!     .start()          // spawns the sync task on the current tokio runtime
//!     .await?;          // Err only for a malformed URL (or namespace): an unreachable Redis is not an error
//! // ... every breaker, budget and rate limiter of the process is now the fleet's ...
//! assert_eq!(fleet.status().namespace, "chat-service");
//! fleet.shutdown().await;   // or drop it: the process leaves the fleet cleanly
//! # Ok(()) }
//! ```
//!
//! # What never changes: the success path
//!
//! A started fleet installs a link in the runtime (`retry_runtime::fleet`) that breakers and
//! budgets tell of failures, transitions and wants; each message is queued for the fleet's
//! sync task and the caller goes on. A success tells nothing and reads nothing new: the
//! success path does no Redis I/O and costs what it cost without a fleet (criterion group
//! `fleet_success`, `cargo bench -p retry-bench --bench fleet`). No call ever waits on Redis.
//!
//! # Breakers
//!
//! Redis keeps each breaker's state under its full name (a keyed breaker's
//! `openai[https://api.openai.com]` too): mode, a generation, and an open deadline in the
//! server's clock. Every change is published and applied by every process (its
//! `on_state_change` runs there too); a process that joins late, or reconnects, reads the
//! state first.
//!
//! - **A transition** made here (a failure opened it, a probe closed or reopened it, a hand
//!   `reset`/`force_open`/`force_closed`) is reported with the generation it was made from.
//!   A Lua script applies it only to that generation, so when two processes open a breaker at
//!   once the first wins and the second applies the first's state (and deadline). Orders by
//!   hand, and those of `retry-fleet`, always apply.
//! - **Failures are pooled.** Each process reports its run of consecutive failures as it
//!   grows or ends; the script sums the runs of the live processes and opens the fleet's
//!   breaker when they reach `failure_threshold`; every process learns the pooled sum and opens
//!   locally when its own run plus the others' reaches the threshold. So N processes against
//!   a dead backend open after at most `failure_threshold + N` failed calls in all, as long as
//!   each process's calls are further apart than the round trip of a report (about a
//!   millisecond on loopback); a process that fails faster than that may add the calls it made
//!   within one round trip. Rate mode pools its window the same way: each process sends its
//!   window's calls and failures every tick, and a breaker trips on the fleet's totals.
//! - **Half-open is fleet-wide.** An open breaker whose deadline passed goes half-open here
//!   only with a probe slot claimed in Redis (a sorted set of claims, at most
//!   `half_open_max_calls` unexpired at once, each expiring after `reset_timeout` (at least
//!   1 s) so a crashed process cannot wedge the breaker). A caller that finds no slot is
//!   refused at once with a short `retry_in`, and the process asks for one.
//!
//! # Retry budgets
//!
//! Deposits stay one relaxed add; the sync task sends each budget's new first attempts every
//! tick (100 ms). Retries draw on tokens leased from the fleet (at most 8 per process), granted
//! only while the fleet's balance over the last `ttl` covers them and counted as withdrawn when
//! granted. The fleet's retries over any `ttl` stay within `ratio × deposits + min_per_sec ×
//! ttl` of the whole fleet, give or take the tokens leased in one window and spent in the next
//! (given back after half a `ttl`, so at most 8 per process); deposits arrive one tick late,
//! which errs on the side of refusing. See `budgets.rs`.
//!
//! # Rate limiters
//!
//! Each process keeps its own GCRA limiter (an admission never waits on a round trip); the
//! fleet shares the rate: every tick each process reports its demand and gets its share,
//! `rate × (demand + 1) / Σ(demand + 1)` over the live processes, put in force with
//! `set_rate`. The fleet admits at most the rate plus each process's `burst` (after an idle
//! spell) plus one tick's drift of the shares. Redis holds the shares, not a GCRA state: a
//! central GCRA would put a round trip in every admission. See `limiters.rs`.
//!
//! # When Redis goes away
//!
//! Down, slow (a request unanswered within the builder's `timeout`, 500 ms by default) or
//! killed: the sync task hands every breaker, budget and limiter back its local behaviour, logs
//! one warning (`tracing`, target `retry_redis`), and reconnects with backoff capped at
//! 250 ms; once back it rejoins every state (and the fleet's state wins over what happened
//! alone) within a second of Redis answering. Callers never notice beyond that.
//!
//! # Operations
//!
//! The `retry-fleet` binary (`retry-fleet [--redis URL] [--namespace NS] [--json] list |
//! reset NAME | open NAME | close NAME | budgets | limiters`) and [`Admin`], which it is built
//! on, read and change the fleet's state; a change reaches every process within milliseconds.
//!
//! # The keys
//!
//! Everything of a fleet lives under `retry:{namespace}:` (the table is in `keys.rs`), changed
//! only by the Lua scripts in `scripts/`, each run atomically by Redis: no read-then-write
//! race between processes.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod admin;
mod breakers;
mod budgets;
mod conn;
mod fleet;
mod keys;
mod limiters;
mod link;
mod scripts;
mod sync;

pub use admin::{Admin, AdminError, BreakerRow, BudgetRow, LimiterRow};
pub use fleet::{Fleet, FleetBuilder, FleetError, FleetStatus};
