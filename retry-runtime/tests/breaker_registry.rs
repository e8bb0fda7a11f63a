//! The process-wide registry: one breaker per name, the first configuration wins, a
//! different one is reported once, snapshots sorted by name; and, with `tracing`, the events.

use std::time::Duration;

use retry_runtime::{breaker, breakers, register_breaker, BreakerConfig, CircuitOpen, State};

#[test]
fn the_same_name_is_the_same_breaker() {
    let a = register_breaker("r_same", BreakerConfig::new());
    let name = String::from("r_same");
    let b = register_breaker(&name, BreakerConfig::new());
    assert!(std::ptr::eq(a, b));
    assert!(std::ptr::eq(breaker("r_same").unwrap(), a));
    assert!(breaker("r_never_registered").is_none());
    // State is shared through the registry.
    a.force_open();
    assert_eq!(breaker("r_same").unwrap().state(), State::ForcedOpen);
}

#[test]
fn a_different_config_keeps_the_first() {
    let first = BreakerConfig::new().failure_threshold(2);
    let a = register_breaker("r_first", first);
    let b = register_breaker("r_first", BreakerConfig::new().failure_threshold(9));
    let c = register_breaker("r_first", BreakerConfig::new().failure_rate(0.5));
    assert!(std::ptr::eq(a, b) && std::ptr::eq(a, c));
    assert_eq!(*b.config(), first);
}

#[test]
fn breakers_are_listed_sorted_by_name() {
    for name in ["r_sort_c", "r_sort_a", "r_sort_b"] {
        register_breaker(name, BreakerConfig::new().failure_threshold(1));
    }
    let ours: Vec<_> = breakers()
        .into_iter()
        .filter(|s| s.name.starts_with("r_sort_"))
        .collect();
    let names: Vec<_> = ours.iter().map(|s| &*s.name).collect();
    assert_eq!(names, ["r_sort_a", "r_sort_b", "r_sort_c"]);
    let all = breakers();
    assert!(all.windows(2).all(|w| w[0].name < w[1].name));

    breaker("r_sort_b")
        .unwrap()
        .call(|| Err::<(), _>(CircuitOpen::new("x", Duration::ZERO)))
        .unwrap_err();
    let _ = breaker("r_sort_b")
        .unwrap()
        .call(|| Ok::<(), CircuitOpen>(()));
    let b = breakers()
        .into_iter()
        .find(|s| s.name == "r_sort_b")
        .unwrap();
    let line = b.to_string();
    assert!(
        line.starts_with(
            "r_sort_b  OPEN  failures 1 in a row, 0/0 in window, 1 rejected, next probe in "
        ),
        "{line}"
    );
    // The deadline is kept in whole ms, rounded up.
    assert!(b.retry_in.unwrap() < Duration::from_secs(30) + Duration::from_millis(1));
}

#[cfg(feature = "tracing")]
#[path = "common/capture.rs"]
mod capture;

#[cfg(feature = "tracing")]
mod events {
    use super::*;
    use retry_runtime::StateChange;

    /// The events `f` emits on this thread, one line each: `LEVEL target name=value ...`.
    fn captured(f: impl FnOnce()) -> Vec<String> {
        super::capture::capture(f)
            .iter()
            .map(super::capture::Captured::line)
            .collect()
    }

    #[test]
    fn a_different_config_is_reported_once() {
        let lines = captured(|| {
            register_breaker("r_warn", BreakerConfig::new());
            register_breaker("r_warn", BreakerConfig::new());
            register_breaker("r_warn", BreakerConfig::new().failure_threshold(3));
            register_breaker("r_warn", BreakerConfig::new().failure_threshold(4));
        });
        let warnings: Vec<_> = lines.iter().filter(|l| l.contains("r_warn")).collect();
        assert_eq!(warnings.len(), 1, "{lines:?}");
        assert!(
            warnings[0].starts_with("WARN retry_runtime")
                && warnings[0].contains("already registered"),
            "{}",
            warnings[0]
        );
    }

    fn hook(_: &StateChange) {}

    #[test]
    fn state_changes_are_info_events() {
        let lines = captured(|| {
            let cb = register_breaker(
                "r_events",
                BreakerConfig::new()
                    .failure_threshold(1)
                    .on_state_change(hook),
            );
            let _ = cb.call(|| Err::<(), _>(CircuitOpen::new("x", Duration::ZERO)));
            cb.reset();
        });
        let events: Vec<_> = lines
            .iter()
            .filter(|l| l.contains("breaker=r_events"))
            .collect();
        assert_eq!(events.len(), 2, "{lines:?}");
        assert!(
            events[0].starts_with("INFO retry_runtime")
                && events[0].contains("from=CLOSED")
                && events[0].contains("to=OPEN"),
            "{}",
            events[0]
        );
        assert!(events[1].contains("from=OPEN") && events[1].contains("to=CLOSED"));
    }
}
