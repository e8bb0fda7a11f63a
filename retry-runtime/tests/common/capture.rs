//! A capturing `tracing` subscriber for the event tests: every event with its level, target
//! and fields as text, captured on the thread that installed it.
//!
//! Installed through one global subscriber for the whole test binary ([`Router`]) that finds
//! every callsite always interesting and hands each event to its thread's capture, not as a
//! thread's scoped default: tracing caches each callsite's interest, and a callsite first hit
//! on another test's thread (with no subscriber) while a scoped default was being set up could
//! be cached as "never", and the event lost (a flaky failure seen once under load).
#![allow(dead_code)] // each test binary uses part of it

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fmt;
use std::sync::{Arc, Mutex, Once};

use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::subscriber::Interest;
use tracing::{Event, Level, Metadata, Subscriber};

#[derive(Clone, Debug)]
pub struct Captured {
    pub level: Level,
    pub target: String,
    pub fields: BTreeMap<String, String>,
}

impl Captured {
    /// `LEVEL target name=value ...`, fields in name order.
    pub fn line(&self) -> String {
        let mut line = format!("{} {}", self.level, self.target);
        for (name, value) in &self.fields {
            line.push_str(&format!(" {name}={value}"));
        }
        line
    }

    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields.get(name).map(String::as_str)
    }
}

#[derive(Clone, Default)]
pub struct Capture(pub Arc<Mutex<Vec<Captured>>>);

struct Fields<'a>(&'a mut BTreeMap<String, String>);

impl Visit for Fields<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.0
            .insert(field.name().to_string(), format!("{value:?}"));
    }
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().to_string(), value.to_string());
    }
}

impl Capture {
    /// Keeps `event` as text.
    fn keep(&self, event: &Event<'_>) {
        let mut fields = BTreeMap::new();
        event.record(&mut Fields(&mut fields));
        self.0.lock().unwrap().push(Captured {
            level: *event.metadata().level(),
            target: event.metadata().target().to_string(),
            fields,
        });
    }
}

thread_local! {
    /// The capture installed on this thread, if any.
    static SINK: RefCell<Option<Capture>> = const { RefCell::new(None) };
}

/// The test binary's one global subscriber: every callsite always interesting, each event
/// handed to the capture installed on its thread (dropped when there is none).
struct Router;

impl Subscriber for Router {
    fn register_callsite(&self, _: &'static Metadata<'static>) -> Interest {
        Interest::always()
    }
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, _: &Attributes<'_>) -> Id {
        Id::from_u64(1)
    }
    fn record(&self, _: &Id, _: &Record<'_>) {}
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, event: &Event<'_>) {
        SINK.with(|sink| {
            if let Some(capture) = sink.borrow().as_ref() {
                capture.keep(event);
            }
        });
    }
    fn enter(&self, _: &Id) {}
    fn exit(&self, _: &Id) {}
}

/// While alive, this thread's events go to a capture; dropping it puts back what was there.
pub struct Installed(Option<Capture>);

impl Drop for Installed {
    fn drop(&mut self) {
        let previous = self.0.take();
        SINK.with(|sink| *sink.borrow_mut() = previous);
    }
}

impl Capture {
    /// Captures this thread's events until the guard is dropped.
    pub fn install(&self) -> Installed {
        static ROUTER: Once = Once::new();
        ROUTER.call_once(|| {
            tracing::subscriber::set_global_default(Router)
                .expect("no other global subscriber in an event test binary");
        });
        Installed(SINK.with(|sink| sink.borrow_mut().replace(self.clone())))
    }
}

/// Runs `f` with this thread's events captured; returns them.
pub fn capture(f: impl FnOnce()) -> Vec<Captured> {
    let sink = Capture::default();
    {
        let _installed = sink.install();
        f();
    }
    let events = sink.0.lock().unwrap().clone();
    events
}
