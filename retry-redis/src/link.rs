//! The link the runtime tells (`retry_runtime::fleet::FleetLink`): each call queues a message
//! for the sync task and returns; nothing here waits, locks or touches the network.

use std::time::Duration;

use retry_runtime::fleet::FleetLink;
use retry_runtime::State;
use tokio::sync::mpsc::UnboundedSender;

/// What this process's breakers and budgets told the link.
#[derive(Debug)]
pub(crate) enum Told {
    /// A breaker's transition here.
    Changed {
        name: String,
        from: State,
        to: State,
        open_for: Option<Duration>,
    },
    /// A closed breaker's run of failures here is now `streak`.
    Failures { name: String, streak: u32 },
    /// An open breaker past its deadline wants a probe slot.
    ProbeWanted { name: String },
    /// A budget ran out of leased tokens.
    BudgetWanted { name: String },
}

/// The installed link: a sender to the sync task.
pub(crate) struct Link {
    pub(crate) tx: UnboundedSender<Told>,
}

impl FleetLink for Link {
    fn breaker_changed(&self, name: &str, from: State, to: State, open_for: Option<Duration>) {
        let _ = self.tx.send(Told::Changed {
            name: name.to_owned(),
            from,
            to,
            open_for,
        });
    }

    fn breaker_failures(&self, name: &str, streak: u32) {
        let _ = self.tx.send(Told::Failures {
            name: name.to_owned(),
            streak,
        });
    }

    fn probe_wanted(&self, name: &str) {
        let _ = self.tx.send(Told::ProbeWanted {
            name: name.to_owned(),
        });
    }

    fn budget_wanted(&self, name: &str) {
        let _ = self.tx.send(Told::BudgetWanted {
            name: name.to_owned(),
        });
    }
}
