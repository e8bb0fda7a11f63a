//! The breaker's state in one atomic `u64`, so every transition is a single compare-exchange.
//!
//! ```text
//!  63          44 43          24 23                 3 2    0
//! +--------------+--------------+--------------------+------+
//! |      B       |      A       |     generation     | mode |
//! +--------------+--------------+--------------------+------+
//! ```
//!
//! - `Closed`: A and B together (40 bits) hold the consecutive failures; a closed breaker with
//!   none is `generation << 3`, which the success path tests with one mask.
//! - `Open`: A and B hold the deadline of the first probe, in milliseconds of the breaker clock.
//! - `HalfOpen`: A is the probes in flight, B the successful probes so far.
//! - `ForcedOpen`, `ForcedClosed`: nothing.
//!
//! The generation changes on every transition. A probe's permit remembers it, so a permit from
//! an earlier half-open period can never free a slot or count a success in a later one.

use super::state::State;

pub(crate) const CLOSED: u64 = 0;
pub(crate) const OPEN: u64 = 1;
pub(crate) const HALF_OPEN: u64 = 2;
pub(crate) const FORCED_OPEN: u64 = 3;
pub(crate) const FORCED_CLOSED: u64 = 4;

const MODE: u64 = 0b111;
const GEN_SHIFT: u32 = 3;
const GEN_BITS: u64 = (1 << 21) - 1;
pub(crate) const GEN: u64 = GEN_BITS << GEN_SHIFT;
const A_SHIFT: u32 = 24;
const B_SHIFT: u32 = 44;
const FIELD: u64 = (1 << 20) - 1;
/// The largest payload (consecutive failures, a deadline): 40 bits.
pub(crate) const PAYLOAD_MAX: u64 = (1 << 40) - 1;
/// One more probe in flight.
pub(crate) const ONE_PROBE: u64 = 1 << A_SHIFT;

#[inline]
pub(crate) const fn mode(w: u64) -> u64 {
    w & MODE
}

#[inline]
pub(crate) const fn gen(w: u64) -> u32 {
    ((w >> GEN_SHIFT) & GEN_BITS) as u32
}

/// The generation after `w`'s.
#[inline]
pub(crate) const fn next_gen(w: u64) -> u32 {
    ((gen(w) as u64 + 1) & GEN_BITS) as u32
}

/// Closed: consecutive failures; open: the probe deadline in ms.
#[inline]
pub(crate) const fn payload(w: u64) -> u64 {
    w >> A_SHIFT
}

/// Half-open: probes in flight.
#[inline]
pub(crate) const fn in_flight(w: u64) -> u32 {
    ((w >> A_SHIFT) & FIELD) as u32
}

/// Half-open: successful probes so far.
#[inline]
pub(crate) const fn probe_successes(w: u64) -> u32 {
    ((w >> B_SHIFT) & FIELD) as u32
}

#[inline]
pub(crate) const fn make(mode: u64, gen: u32, payload: u64) -> u64 {
    let payload = if payload > PAYLOAD_MAX {
        PAYLOAD_MAX
    } else {
        payload
    };
    mode | ((gen as u64 & GEN_BITS) << GEN_SHIFT) | payload << A_SHIFT
}

#[inline]
pub(crate) const fn half_open(gen: u32, in_flight: u32, successes: u32) -> u64 {
    make(
        HALF_OPEN,
        gen,
        (in_flight as u64 & FIELD) | (successes as u64 & FIELD) << (B_SHIFT - A_SHIFT),
    )
}

/// The state a word shows, not counting an open deadline that has passed.
pub(crate) const fn state(w: u64) -> State {
    match mode(w) {
        CLOSED => State::Closed,
        OPEN => State::Open,
        HALF_OPEN => State::HalfOpen,
        FORCED_OPEN => State::ForcedOpen,
        _ => State::ForcedClosed,
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;

    #[test]
    fn fields_round_trip() {
        let w = half_open(77, 3, 9);
        assert_eq!(
            (mode(w), gen(w), in_flight(w), probe_successes(w)),
            (HALF_OPEN, 77, 3, 9)
        );
        assert_eq!(in_flight(w + ONE_PROBE), 4);
        let w = make(OPEN, GEN_BITS as u32, 123_456_789);
        assert_eq!((mode(w), payload(w), next_gen(w)), (OPEN, 123_456_789, 0));
        assert_eq!(make(CLOSED, 5, 0) & !GEN, 0);
        assert_eq!(payload(make(CLOSED, 1, u64::MAX)), PAYLOAD_MAX);
    }
}
