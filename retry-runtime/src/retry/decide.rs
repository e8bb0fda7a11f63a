//! The one decision core of every retry loop: after an attempt failed, sleep how long, or give
//! up. Sync and async drivers differ only in how they sleep and which clock they read; the
//! clock is read at two places only, counted in debug builds (`crate::probe`).

#[cfg(feature = "tracing")]
use std::fmt;
use std::marker::PhantomData;
use std::time::Duration;

use super::setup::Retry;
use crate::events::GiveUp;
#[cfg(feature = "tracing")]
use crate::options::ShowError;
use crate::options::{RetryEvent, RetryOptions};
use crate::policy::{RetryPolicy, Schedule};
use crate::rng::ThreadRng;

/// A clock for the loops: `std::time::Instant` for sync, tokio's for async (so a paused tokio
/// clock drives `max_elapsed` and `RetryEvent::elapsed` in tests).
pub(crate) trait Clock {
    type Instant: Copy;
    /// The longest sleep the driver of this clock really takes: a longer delay is clamped to
    /// it, and events report the clamped one.
    const MAX_SLEEP: Duration;
    fn now() -> Self::Instant;
    fn since(start: Self::Instant) -> Duration;
}

/// The standard library's monotonic clock.
pub(crate) struct StdClock;

impl Clock for StdClock {
    type Instant = std::time::Instant;
    /// `std::thread::sleep` sleeps any duration in full.
    const MAX_SLEEP: Duration = Duration::MAX;
    #[inline]
    fn now() -> Self::Instant {
        std::time::Instant::now()
    }
    #[inline]
    fn since(start: Self::Instant) -> Duration {
        start.elapsed()
    }
}

/// The per-call state of a retry loop: attempts so far, the schedule, the start time if needed.
#[derive(Debug)]
pub struct CallState<I> {
    attempt: u32,
    schedule: Schedule,
    start: Option<I>,
}

impl<I: Copy> CallState<I> {
    #[inline]
    pub(crate) fn new<C: Clock<Instant = I>>(needs_clock: bool) -> Self {
        CallState {
            attempt: 0,
            schedule: Schedule::new(),
            start: if needs_clock {
                crate::probe::clock_read();
                Some(C::now())
            } else {
                None
            },
        }
    }

    /// The number of attempts that have failed so far.
    #[inline]
    #[cfg_attr(not(feature = "tokio"), allow(dead_code))]
    pub(crate) fn attempts_so_far(&self) -> u32 {
        self.attempt
    }

    #[inline]
    fn elapsed<C: Clock<Instant = I>>(&self) -> Duration {
        self.known_elapsed::<C>().unwrap_or(Duration::ZERO)
    }

    /// The time since the first attempt began, if the clock was read then.
    #[inline]
    fn known_elapsed<C: Clock<Instant = I>>(&self) -> Option<Duration> {
        self.start.map(|start| {
            crate::probe::clock_read();
            C::since(start)
        })
    }
}

/// The options' way of showing an error, for the events.
#[cfg(feature = "tracing")]
struct ShowVia<'a, O>(&'a O);

#[cfg(feature = "tracing")]
impl<E, O: RetryOptions<E>> ShowError<E> for ShowVia<'_, O> {
    const ACTIVE: bool = O::SHOWS_ERROR;
    #[inline]
    fn show(&self, error: &E, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.show_error(error, f)
    }
}

impl<O> Retry<'_, O> {
    /// Whether the loop must read the clock when the call starts.
    #[inline]
    pub(crate) fn needs_clock<E>(&self) -> bool
    where
        O: RetryOptions<E>,
    {
        O::ON_RETRY || O::ON_GIVE_UP || self.policy.get_max_elapsed().is_some()
    }

    /// The start of a call: reads the clock if a hook or `max_elapsed` needs it. The budget's
    /// deposit for the first attempt comes once the layers below admitted it: after its
    /// success in the driver, or in [`decide`](Self::decide) after its failure.
    #[inline]
    pub(crate) fn start<E, C: Clock>(&self) -> CallState<C::Instant>
    where
        O: RetryOptions<E>,
    {
        CallState::new::<C>(self.needs_clock::<E>())
    }

    /// The decision core, shared by every driver: after an attempt failed with `error`,
    /// returns the sleep before the next attempt, or `None` to give up (after `on_give_up`).
    /// `rejected`: the driver's breaker ([`Retry::breaker`](Self::breaker)) rejected the
    /// attempt, which then never ran (a breaker in an attribute stack raises its flag through
    /// the options instead).
    /// Follows the five steps of the contract in order. Always inlined, so a constant policy
    /// folds into it; the backoff math, the budget, the counters and the events stay out of
    /// line.
    #[inline(always)]
    pub(crate) fn decide<E, C: Clock>(
        &self,
        state: &mut CallState<C::Instant>,
        error: &E,
        rejected: bool,
    ) -> Option<Duration>
    where
        O: RetryOptions<E>,
    {
        state.attempt = state.attempt.saturating_add(1);
        let attempt = state.attempt;
        let policy = self.policy;
        let options = &self.options;
        // An attempt the layers below rejected never ran: it deposits nothing and ends the
        // retry. A first attempt they admitted deposits now (one that succeeded, in the driver).
        let rejected = (O::GATED && rejected) || options.rejected_below();
        if O::BUDGET && attempt == 1 && !rejected {
            options.deposit();
        }
        // 1. A rejected attempt, or a permanent error.
        if rejected {
            return self.give_up::<E, C>(state, error, GiveUp::CircuitOpen);
        }
        if options.unless(error) == Some(true) || options.when(error) == Some(false) {
            return self.give_up::<E, C>(state, error, GiveUp::Permanent);
        }
        // 2. Attempts used up.
        if attempt >= policy.get_max_attempts() {
            return self.give_up::<E, C>(state, error, GiveUp::Exhausted);
        }
        // 3. The delay: the server's hint, else the backoff with jitter (capped inside).
        let computed = if policy.get_initial_delay().is_zero() {
            // Every backoff of a zero initial delay is zero, jitter included.
            Duration::ZERO
        } else {
            next_delay(&mut state.schedule, policy, attempt)
        };
        let delay = match options.retry_after(error) {
            Some(hint) if hint > policy.get_max_retry_after() => {
                return self.give_up::<E, C>(state, error, GiveUp::HintTooLong)
            }
            Some(hint) => hint.max(computed),
            None => computed,
        }
        .min(C::MAX_SLEEP);
        // A breaker below that this failure left open past the sleep would reject the next
        // attempt: give up now, with this attempt's own error, rather than sleep into it.
        if options.open_below().is_some_and(|open| open > delay) {
            return self.give_up::<E, C>(state, error, GiveUp::CircuitOpen);
        }
        // 4. The sleep would end past max_elapsed, or the budget refuses the retry.
        let elapsed = state.known_elapsed::<C>();
        if let Some(limit) = policy.get_max_elapsed() {
            if elapsed.unwrap_or(Duration::ZERO).saturating_add(delay) > limit {
                return self.give_up::<E, C>(state, error, GiveUp::MaxElapsed);
            }
        }
        if O::BUDGET && !options.try_withdraw() {
            self.function.count_budget_refusal();
            return self.give_up::<E, C>(state, error, GiveUp::Budget);
        }
        // 5. on_retry; the driver sleeps. The retry is counted once the hook returned: a hook
        // that panics leaves no retry counted and gives the budget's token back.
        if O::ON_RETRY {
            let unspent = Unspent::<E, O>(options, O::BUDGET, PhantomData);
            options.on_retry(&RetryEvent {
                error,
                attempt,
                delay,
                elapsed: elapsed.unwrap_or(Duration::ZERO),
                function: self.function.get(),
            });
            core::mem::forget(unspent);
        }
        self.function.count_retry();
        #[cfg(feature = "tracing")]
        crate::events::retrying(
            &ShowVia(options),
            self.function.get(),
            error,
            attempt,
            delay,
            elapsed,
        );
        Some(delay)
    }

    #[inline]
    fn give_up<E, C: Clock>(
        &self,
        state: &CallState<C::Instant>,
        error: &E,
        reason: GiveUp,
    ) -> Option<Duration>
    where
        O: RetryOptions<E>,
    {
        self.function.count_give_up();
        #[cfg(feature = "metrics")]
        self.function.record_give_up(reason);
        #[cfg(feature = "tracing")]
        crate::events::giving_up(
            &ShowVia(&self.options),
            self.function.get(),
            error,
            state.attempt,
            state.known_elapsed::<C>(),
            reason,
        );
        #[cfg(not(feature = "tracing"))]
        let _ = reason;
        if O::ON_GIVE_UP {
            self.options.on_give_up(&RetryEvent {
                error,
                attempt: state.attempt,
                delay: Duration::ZERO,
                elapsed: state.elapsed::<C>(),
                function: self.function.get(),
            });
        }
        None
    }
}

/// A budget token taken for a retry whose `on_retry` hook is running: given back if the hook
/// panics (dropped while unwinding), forgotten once it returned.
struct Unspent<'a, E, O: RetryOptions<E>>(&'a O, bool, PhantomData<fn(&E)>);

impl<E, O: RetryOptions<E>> Drop for Unspent<'_, E, O> {
    fn drop(&mut self) {
        if self.1 {
            self.0.refund();
        }
    }
}

/// The backoff math, out of line: the decision around it stays small enough to inline.
#[inline(never)]
fn next_delay(schedule: &mut Schedule, policy: &RetryPolicy, attempt: u32) -> Duration {
    Duration::from_nanos(schedule.next(policy, attempt, &mut ThreadRng))
}
