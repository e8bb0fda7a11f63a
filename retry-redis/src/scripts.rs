//! The Lua scripts (`scripts/*.lua`, each run atomically by Redis, so no update is a
//! read-then-write race), with `common.lua` prepended to each, and the state they return.

use std::time::Duration;

use redis::Script;
use retry_runtime::State;

macro_rules! script {
    ($file:literal) => {
        concat!(include_str!("scripts/common.lua"), include_str!($file))
    };
}

/// The scripts, loaded once per fleet (`Script` sends `EVALSHA`, and the source on a miss).
pub(crate) struct Scripts {
    pub(crate) transition: Script,
    pub(crate) failures: Script,
    pub(crate) window: Script,
    pub(crate) claim: Script,
    pub(crate) join: Script,
    pub(crate) budget: Script,
    pub(crate) share: Script,
}

impl Scripts {
    pub(crate) fn new() -> Self {
        Scripts {
            transition: Script::new(script!("scripts/transition.lua")),
            failures: Script::new(script!("scripts/failures.lua")),
            window: Script::new(script!("scripts/window.lua")),
            claim: Script::new(script!("scripts/claim.lua")),
            join: Script::new(script!("scripts/join.lua")),
            budget: Script::new(script!("scripts/budget.lua")),
            share: Script::new(script!("scripts/share.lua")),
        }
    }
}

/// A breaker's state as the fleet keeps it: mode, generation, time left to an open deadline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct FleetState {
    pub(crate) state: State,
    pub(crate) gen: u64,
    pub(crate) left: Duration,
}

impl FleetState {
    /// From a script's first three values: mode, gen, ms left.
    pub(crate) fn from_reply(mode: &str, gen: u64, left_ms: u64) -> Option<Self> {
        Some(FleetState {
            state: mode_state(mode)?,
            gen,
            left: Duration::from_millis(left_ms),
        })
    }
}

/// The word a mode is stored as.
pub(crate) fn state_mode(state: State) -> &'static str {
    match state {
        State::Closed => "closed",
        State::Open => "open",
        State::HalfOpen => "half_open",
        State::ForcedOpen => "forced_open",
        State::ForcedClosed => "forced_closed",
    }
}

/// The state a stored mode names.
pub(crate) fn mode_state(mode: &str) -> Option<State> {
    Some(match mode {
        "closed" => State::Closed,
        "open" => State::Open,
        "half_open" => State::HalfOpen,
        "forced_open" => State::ForcedOpen,
        "forced_closed" => State::ForcedClosed,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modes_round_trip() {
        for s in [
            State::Closed,
            State::Open,
            State::HalfOpen,
            State::ForcedOpen,
            State::ForcedClosed,
        ] {
            assert_eq!(mode_state(state_mode(s)), Some(s));
        }
        assert_eq!(mode_state("ajar"), None);
    }
}
