//! Every Redis key and channel of a fleet, from its namespace. Kept in one place so the sync
//! task, the operations of [`Admin`](crate::Admin) and the `retry-fleet` binary agree.
//!
//! ```text
//! retry:{ns}:events                  channel: breaker states ("b") and pooled runs ("p")
//! retry:{ns}:breakers                set of breaker names
//! retry:{ns}:breaker:{name}          hash: mode, gen, deadline (server ms), by, at
//! retry:{ns}:breaker:{name}:failures hash: process id → "run:server ms"
//! retry:{ns}:breaker:{name}:probes   sorted set: probe claims, scored by their expiry
//! retry:{ns}:breaker:{name}:windows  hash: process id → "calls:failures:server ms" (rate mode)
//! retry:{ns}:budgets                 set of budget names
//! retry:{ns}:budget:{name}           hash: ratio, min_per_sec, ttl_ms, d<n>/w<n> per tenth of ttl
//! retry:{ns}:limiters                set of limiter names
//! retry:{ns}:limiter:{name}          hash: rate, per_ms, burst
//! retry:{ns}:limiter:{name}:demand   hash: process id → "demand:server ms"
//! retry:{ns}:members                 hash: process id → "server ms" of its last beat
//! ```
//!
//! Names are used as they are (a keyed breaker's full name, `openai[https://…]`, included):
//! Redis keys may hold any bytes.

/// The keys of one namespace.
#[derive(Clone, Debug)]
pub(crate) struct Keys {
    prefix: String,
}

impl Keys {
    pub(crate) fn new(namespace: &str) -> Self {
        Keys {
            prefix: format!("retry:{namespace}:"),
        }
    }

    pub(crate) fn events(&self) -> String {
        format!("{}events", self.prefix)
    }

    pub(crate) fn breakers(&self) -> String {
        format!("{}breakers", self.prefix)
    }

    pub(crate) fn breaker(&self, name: &str) -> String {
        format!("{}breaker:{name}", self.prefix)
    }

    pub(crate) fn failures(&self, name: &str) -> String {
        format!("{}breaker:{name}:failures", self.prefix)
    }

    pub(crate) fn windows(&self, name: &str) -> String {
        format!("{}breaker:{name}:windows", self.prefix)
    }

    pub(crate) fn probes(&self, name: &str) -> String {
        format!("{}breaker:{name}:probes", self.prefix)
    }

    /// The keys the transition and failure scripts take, in their order: the state hash, the
    /// failures hash, the probes set, the set of names.
    pub(crate) fn breaker_script_keys(&self, name: &str) -> [String; 4] {
        [
            self.breaker(name),
            self.failures(name),
            self.probes(name),
            self.breakers(),
        ]
    }

    pub(crate) fn budgets(&self) -> String {
        format!("{}budgets", self.prefix)
    }

    pub(crate) fn budget(&self, name: &str) -> String {
        format!("{}budget:{name}", self.prefix)
    }

    pub(crate) fn limiters(&self) -> String {
        format!("{}limiters", self.prefix)
    }

    pub(crate) fn limiter(&self, name: &str) -> String {
        format!("{}limiter:{name}", self.prefix)
    }

    pub(crate) fn demand(&self, name: &str) -> String {
        format!("{}limiter:{name}:demand", self.prefix)
    }

    pub(crate) fn members(&self) -> String {
        format!("{}members", self.prefix)
    }
}
