//! One session's connection to Redis: a multiplexed connection for the scripts and commands,
//! every request bounded by a timeout so a Redis that stops answering ends the session instead
//! of stalling the sync task.

use std::sync::Arc;
use std::time::Duration;

use redis::aio::MultiplexedConnection;
use redis::{FromRedisValue, ScriptInvocation};

use crate::keys::Keys;
use crate::scripts::Scripts;

/// Why a session ended: Redis went away, answered too slowly, or refused a request.
#[derive(Debug)]
pub(crate) struct Lost(pub(crate) String);

impl From<redis::RedisError> for Lost {
    fn from(e: redis::RedisError) -> Self {
        Lost(e.to_string())
    }
}

/// What a session's handlers share.
pub(crate) struct Ctx {
    pub(crate) conn: MultiplexedConnection,
    pub(crate) keys: Keys,
    pub(crate) scripts: Arc<Scripts>,
    /// This process in the fleet: host, pid and a start stamp.
    pub(crate) pid: String,
    pub(crate) timeout: Duration,
}

impl Ctx {
    /// Runs a script, bounded by the timeout.
    pub(crate) async fn eval<T: FromRedisValue>(
        &mut self,
        invocation: &ScriptInvocation<'_>,
    ) -> Result<T, Lost> {
        match tokio::time::timeout(self.timeout, invocation.invoke_async(&mut self.conn)).await {
            Ok(r) => Ok(r?),
            Err(_) => Err(Lost(format!(
                "Redis did not answer within {:?}",
                self.timeout
            ))),
        }
    }

    /// Runs a command, bounded by the timeout.
    pub(crate) async fn query<T: FromRedisValue>(&mut self, cmd: &redis::Cmd) -> Result<T, Lost> {
        match tokio::time::timeout(self.timeout, cmd.query_async(&mut self.conn)).await {
            Ok(r) => Ok(r?),
            Err(_) => Err(Lost(format!(
                "Redis did not answer within {:?}",
                self.timeout
            ))),
        }
    }
}
