//! The fleet link (`retry_runtime::fleet`): what breakers and budgets tell an installed link,
//! what they do not (a success, or a state the link itself applied), and the gates a fleet
//! backend sets (pooled failures, probe slots, leased tokens). One link per process: the
//! tests take turns.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use retry_runtime::fleet::{self, FleetLink};
use retry_runtime::{
    configure_budget, register_breaker, BreakerConfig, CircuitBreaker, RetryBudget, State,
};

static TURN: Mutex<()> = Mutex::new(());

#[derive(Debug, Clone, PartialEq)]
enum Heard {
    Changed(String, State, State, bool),
    Failures(String, u32),
    Probe(String),
    Budget(String),
}

#[derive(Default)]
struct Recorder(Mutex<Vec<Heard>>);

impl FleetLink for Recorder {
    fn breaker_changed(&self, name: &str, from: State, to: State, open_for: Option<Duration>) {
        self.0
            .lock()
            .unwrap()
            .push(Heard::Changed(name.into(), from, to, open_for.is_some()));
    }
    fn breaker_failures(&self, name: &str, streak: u32) {
        self.0
            .lock()
            .unwrap()
            .push(Heard::Failures(name.into(), streak));
    }
    fn probe_wanted(&self, name: &str) {
        self.0.lock().unwrap().push(Heard::Probe(name.into()));
    }
    fn budget_wanted(&self, name: &str) {
        self.0.lock().unwrap().push(Heard::Budget(name.into()));
    }
}

/// Every test takes its turn: while one has a link installed, another's breakers would tell it.
fn turn() -> std::sync::MutexGuard<'static, ()> {
    TURN.lock().unwrap_or_else(|e| e.into_inner())
}

/// Runs `f` with a recording link installed; returns what it heard.
fn heard(f: impl FnOnce()) -> Vec<Heard> {
    let _turn = turn();
    let rec = Arc::new(Recorder::default());
    fleet::install(rec.clone()).unwrap();
    f();
    fleet::uninstall();
    let v = rec.0.lock().unwrap().clone();
    v
}

#[test]
fn failures_transitions_and_successes_as_the_link_hears_them() {
    let b = register_breaker("link-a", BreakerConfig::new().failure_threshold(3));
    let got = heard(|| {
        b.try_acquire().unwrap().success(); // nothing to tell
        b.try_acquire().unwrap().failure();
        b.try_acquire().unwrap().failure();
        b.try_acquire().unwrap().success(); // ends the run
        for _ in 0..3 {
            b.try_acquire().unwrap().failure();
        }
        b.force_closed();
        b.reset();
    });
    use Heard::*;
    let a = || "link-a".to_string();
    assert_eq!(
        got,
        vec![
            Failures(a(), 1),
            Failures(a(), 2),
            Failures(a(), 0),
            Failures(a(), 1),
            Failures(a(), 2),
            Changed(a(), State::Closed, State::Open, true),
            Changed(a(), State::Open, State::ForcedClosed, false),
            Changed(a(), State::ForcedClosed, State::Closed, false),
        ]
    );
}

#[test]
fn what_the_fleet_applies_is_not_told_back() {
    let b = register_breaker("link-b", BreakerConfig::new());
    let got = heard(|| {
        b.fleet_apply(State::Open, Duration::from_secs(10));
        assert_eq!(b.state(), State::Open);
        b.fleet_apply(State::ForcedOpen, Duration::ZERO);
        assert_eq!(b.state(), State::ForcedOpen);
        b.fleet_apply(State::Closed, Duration::ZERO);
        assert_eq!(b.state(), State::Closed);
    });
    assert!(got.is_empty(), "{got:?}");
}

#[test]
fn pooled_failures_open_sooner() {
    let _turn = turn();
    let b = CircuitBreaker::new("link-pool", BreakerConfig::new().failure_threshold(5));
    b.fleet_pool(3);
    b.try_acquire().unwrap().failure();
    assert_eq!(b.state(), State::Closed);
    b.try_acquire().unwrap().failure();
    assert_eq!(b.state(), State::Open, "2 here + 3 elsewhere = 5");
    b.fleet_release();
    b.reset();
    for _ in 0..4 {
        b.try_acquire().unwrap().failure();
    }
    assert_eq!(b.state(), State::Closed, "released: its own count again");
}

#[test]
fn without_a_slot_an_open_breaker_past_its_deadline_asks_for_one() {
    let b = register_breaker(
        "link-slot",
        BreakerConfig::new()
            .failure_threshold(1)
            .half_open_max_calls(3),
    );
    let got = heard(|| {
        b.fleet_apply(State::Open, Duration::ZERO);
        b.fleet_probe_slots(0);
        // The deadline is kept in whole ms, rounded up: let it pass.
        std::thread::sleep(Duration::from_millis(2));
        let refused = b.try_acquire().unwrap_err();
        assert!(refused.retry_in() <= Duration::from_millis(50));
        assert_eq!(b.state(), State::Open, "stays open without a slot");
        b.fleet_probe_slots(1);
        let probe = b.try_acquire().unwrap();
        assert_eq!(b.state(), State::HalfOpen);
        assert!(b.try_acquire().is_err(), "one slot held: one probe, not 3");
        drop(probe);
        b.fleet_release();
    });
    assert_eq!(
        got,
        vec![
            Heard::Probe("link-slot".into()),
            Heard::Changed("link-slot".into(), State::Open, State::HalfOpen, false),
        ]
    );
    b.reset();
}

#[test]
fn a_budget_in_fleet_mode_spends_leased_tokens_only() {
    let budget = configure_budget(
        "link-budget",
        RetryBudget::new().ratio(0.5).min_per_sec(100),
    );
    let got = heard(|| {
        budget.fleet_grant(2);
        for _ in 0..10 {
            budget.deposit();
        }
        assert!(budget.try_withdraw());
        assert!(budget.try_withdraw());
        assert!(
            !budget.try_withdraw(),
            "the local window would allow it; the lease does not"
        );
        assert_eq!(budget.fleet_deposits(), 10);
        budget.fleet_grant(3);
        assert_eq!(budget.fleet_unused(), 3);
        assert_eq!(budget.fleet_take_unused(), 3);
        assert!(!budget.try_withdraw());
        assert_eq!(budget.fleet_release(), 0);
        assert!(budget.try_withdraw(), "released: its own window again");
    });
    assert_eq!(
        got,
        vec![
            Heard::Budget("link-budget".into()),
            Heard::Budget("link-budget".into())
        ]
    );
}

#[test]
fn breakers_are_found_by_full_name() {
    let _turn = turn();
    register_breaker("link-named", BreakerConfig::new());
    assert!(fleet::with_breaker("link-named", |b| b.name().to_owned()).is_some());
    assert!(fleet::breaker_names().iter().any(|n| n == "link-named"));
    assert!(fleet::with_breaker("link-named[nope]", |_| ()).is_none());
    assert!(fleet::with_breaker("link-absent", |_| ()).is_none());
}
