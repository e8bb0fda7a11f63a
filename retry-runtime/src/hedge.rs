//! Hedged fallback (`#[fallback(to = [..], hedge_after = "300ms")]`): a fixed set of target
//! futures raced under one timer. The first starts at once; the next starts when the running
//! one has taken `hedge_after` (a hedge) or failed with an error that switches; the first `Ok`
//! wins and the other futures are dropped with the call.
//!
//! The futures are a tuple ([`Racers`], implemented for tuples of up to 12 pinned futures),
//! so nothing is boxed and the call's future is `Send` exactly when the targets' are.

use core::future::{poll_fn, Future};
use core::pin::{pin, Pin};
use core::task::{Context, Poll};
use std::time::Duration;

/// A fixed set of futures with one output type, polled by index: the primary, then each
/// fallback target in the order of `to`.
pub trait Racers {
    /// What every future gives.
    type Output;
    /// How many futures there are.
    const LEN: usize;
    /// Polls the future at `index` (`< LEN`).
    fn poll_at(&mut self, index: usize, cx: &mut Context<'_>) -> Poll<Self::Output>;
}

macro_rules! racers {
    ($($f:ident $i:tt),*) => {
        impl<O, $($f: Future<Output = O> + Unpin),*> Racers for ($($f,)*) {
            type Output = O;
            const LEN: usize = [$(stringify!($i)),*].len();
            #[inline]
            fn poll_at(&mut self, index: usize, cx: &mut Context<'_>) -> Poll<O> {
                match index {
                    $($i => Pin::new(&mut self.$i).poll(cx),)*
                    _ => Poll::Pending,
                }
            }
        }
    };
}
racers!(F0 0, F1 1);
racers!(F0 0, F1 1, F2 2);
racers!(F0 0, F1 1, F2 2, F3 3);
racers!(F0 0, F1 1, F2 2, F3 3, F4 4);
racers!(F0 0, F1 1, F2 2, F3 3, F4 4, F5 5);
racers!(F0 0, F1 1, F2 2, F3 3, F4 4, F5 5, F6 6);
racers!(F0 0, F1 1, F2 2, F3 3, F4 4, F5 5, F6 6, F7 7);
racers!(F0 0, F1 1, F2 2, F3 3, F4 4, F5 5, F6 6, F7 7, F8 8);
racers!(F0 0, F1 1, F2 2, F3 3, F4 4, F5 5, F6 6, F7 7, F8 8, F9 9);
racers!(F0 0, F1 1, F2 2, F3 3, F4 4, F5 5, F6 6, F7 7, F8 8, F9 9, F10 10);
racers!(F0 0, F1 1, F2 2, F3 3, F4 4, F5 5, F6 6, F7 7, F8 8, F9 9, F10 10, F11 11);

/// What woke the race.
enum Event<O> {
    /// The future at this index finished.
    Done(usize, O),
    /// The running target has taken `after`: start the next.
    Timer,
}

/// Races `racers` (the primary first) with hedging every `after`, on tokio's clock.
///
/// - The first starts at once. The next starts when the last started has run `after` without
///   finishing (`hedged(from, to)` is called), or when one fails with an error `switches`
///   accepts (`fell_back(error, from, to)`); at most one start per event, in order, never
///   more than there are futures. The timer restarts at each start.
/// - The first `Ok` is returned; the other futures are dropped with `racers` by the caller.
/// - An error `switches` refuses is returned at once. An accepted error while others still
///   run is handed to `fell_back` (to the latest started) and the race goes on; when none is
///   left to run or start, the error of the last to fail is returned.
///
/// ```
/// use std::pin::pin;
/// use std::time::Duration;
/// use retry_runtime::__private::hedge;
/// # #[tokio::main(flavor = "current_thread", start_paused = true)]
/// # async fn main() {
/// let slow = pin!(async { tokio::time::sleep(Duration::from_secs(2)).await; Ok::<_, ()>("primary") });
/// let fast = pin!(async { tokio::time::sleep(Duration::from_millis(50)).await; Ok("backup") });
/// let r = hedge(Duration::from_millis(300), (slow, fast), |_| true, |_, _, _| {}, |_, _| {}).await;
/// assert_eq!(r, Ok("backup"));
/// # }
/// ```
pub async fn hedge<R, T, E>(
    after: Duration,
    mut racers: R,
    switches: impl Fn(&E) -> bool,
    fell_back: impl Fn(&E, usize, usize),
    hedged: impl Fn(usize, usize),
) -> Result<T, E>
where
    R: Racers<Output = Result<T, E>>,
{
    let len = R::LEN.min(64);
    let mut running: u64 = 1;
    let mut started = 1usize;
    let mut timer = pin!(tokio::time::sleep(after));
    loop {
        let event = poll_fn(|cx| {
            for index in 0..started {
                if running & (1 << index) != 0 {
                    if let Poll::Ready(out) = racers.poll_at(index, cx) {
                        return Poll::Ready(Event::Done(index, out));
                    }
                }
            }
            if started < len && timer.as_mut().poll(cx).is_ready() {
                return Poll::Ready(Event::Timer);
            }
            Poll::Pending
        })
        .await;
        let from = match event {
            Event::Done(_, Ok(value)) => return Ok(value),
            Event::Done(index, Err(error)) => {
                running &= !(1 << index);
                if !switches(&error) {
                    return Err(error);
                }
                if started < len {
                    fell_back(&error, index, started);
                } else if running != 0 {
                    // Nothing left to start: the latest started still running goes on.
                    let latest = 63 - running.leading_zeros() as usize;
                    fell_back(&error, index, latest);
                    continue;
                } else {
                    return Err(error);
                }
                None
            }
            Event::Timer => Some(started - 1),
        };
        if let Some(from) = from {
            hedged(from, started);
        }
        running |= 1 << started;
        started += 1;
        timer.as_mut().reset(tokio::time::Instant::now() + after);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::RefCell;
    use tokio::time::{sleep, Instant};

    async fn answer(
        after_ms: u64,
        out: Result<&'static str, &'static str>,
    ) -> Result<&'static str, &'static str> {
        sleep(Duration::from_millis(after_ms)).await;
        out
    }

    #[tokio::test(start_paused = true)]
    async fn a_slow_primary_is_hedged_once_per_period_and_the_first_ok_wins() {
        let hedges = RefCell::new(Vec::new());
        let start = Instant::now();
        let r = hedge(
            Duration::from_millis(300),
            (
                pin!(answer(2_000, Ok("a"))),
                pin!(answer(1_000, Ok("b"))),
                pin!(answer(50, Ok("c"))),
            ),
            |_| true,
            |_, _, _| panic!("no error"),
            |from, to| hedges.borrow_mut().push((from, to)),
        )
        .await;
        assert_eq!(r, Ok("c"));
        assert_eq!(*hedges.borrow(), [(0, 1), (1, 2)]);
        assert_eq!(start.elapsed(), Duration::from_millis(650));
    }

    #[tokio::test(start_paused = true)]
    async fn a_fast_primary_starts_nothing_else() {
        let r = hedge(
            Duration::from_millis(300),
            (pin!(answer(10, Ok("a"))), pin!(answer(0, Ok("b")))),
            |_| true,
            |_, _, _| panic!("no error"),
            |_, _| panic!("no hedge"),
        )
        .await;
        assert_eq!(r, Ok("a"));
    }

    #[tokio::test(start_paused = true)]
    async fn an_error_while_another_runs_is_handed_on_and_the_last_error_returned() {
        let switched = RefCell::new(Vec::new());
        let start = Instant::now();
        let r = hedge(
            Duration::from_millis(100),
            (pin!(answer(150, Err("a"))), pin!(answer(200, Err("b")))),
            |_| true,
            |e: &&str, from, to| switched.borrow_mut().push((*e, from, to)),
            |_, _| {},
        )
        .await;
        assert_eq!(r, Err("b"));
        assert_eq!(*switched.borrow(), [("a", 0, 1)]);
        assert_eq!(start.elapsed(), Duration::from_millis(300));
    }

    #[tokio::test(start_paused = true)]
    async fn a_failure_starts_the_next_at_once_and_a_refused_error_ends_the_race() {
        let start = Instant::now();
        let r = hedge(
            Duration::from_secs(10),
            (pin!(answer(5, Err("a"))), pin!(answer(5, Ok("b")))),
            |_| true,
            |_, _, _| {},
            |_, _| panic!("no hedge"),
        )
        .await;
        assert_eq!((r, start.elapsed()), (Ok("b"), Duration::from_millis(10)));
        let r = hedge(
            Duration::from_millis(1),
            (pin!(answer(5, Err("fatal"))), pin!(answer(50, Ok("b")))),
            |e: &&str| *e != "fatal",
            |_, _, _| {},
            |_, _| {},
        )
        .await;
        assert_eq!(r, Err("fatal"));
    }
}
