// Keyed breakers on the shapes of real client code, with no warnings: `key` borrowing `self`
// (sync, async, `#[async_trait]`) and the arguments, in a stack; `open_error` building the
// error of a rejected call for an error type that has no `From` impls at all.
#![deny(warnings)]
#![deny(unused, unreachable_code, unused_qualifications)]
#![deny(clippy::all)]

use retry_runtime::{circuit_breaker, fallback, retry_on_failure, CircuitOpen};

/// A library's public error: users match on it, so it gains no variant and no `From` impl.
#[derive(Debug)]
pub enum ClientError {
    Status(u16),
    Unavailable(String),
}

pub struct Client {
    base_url: String,
    model: &'static str,
}

impl Client {
    fn base_url(&self) -> &str {
        &self.base_url
    }

    fn unavailable(&self, open: CircuitOpen) -> ClientError {
        ClientError::Unavailable(format!("{}: {open}", self.base_url))
    }

    #[circuit_breaker(ui_keyed_sync, key = self.base_url(), failure_threshold = 3,
        open_error = |open| ClientError::Unavailable(open.to_string()))]
    pub fn get(&self, path: &str) -> Result<String, ClientError> {
        if path.is_empty() {
            Err(ClientError::Status(404))
        } else {
            Ok(format!("{}/{path}", self.base_url))
        }
    }

    #[retry_on_failure(max_attempts = 3, initial_delay = "1ms")]
    #[circuit_breaker(ui_keyed_async, key = self.model, max_keys = 16,
        open_error = |open| self.unavailable(open))]
    pub async fn complete(&mut self, prompt: &str) -> Result<String, ClientError> {
        Ok(format!("{}: {prompt}", self.model))
    }
}

fn backup(tenant: u64, prompt: &str) -> Result<String, ClientError> {
    Ok(format!("{tenant}: {prompt} (backup)"))
}

/// Keyed by a number argument, in the documented stack.
#[fallback(to = backup)]
#[retry_on_failure(max_attempts = 2, initial_delay = "1ms")]
#[circuit_breaker(ui_keyed_tenant, key = tenant, max_keys = 1000,
    open_error = |open| ClientError::Unavailable(open.name().to_owned()))]
pub fn ask(tenant: u64, prompt: &str) -> Result<String, ClientError> {
    Ok(format!("{tenant}: {prompt}"))
}

#[async_trait::async_trait]
pub trait Chat {
    async fn chat(&self, prompt: String) -> Result<String, ClientError>;
}

#[async_trait::async_trait]
impl Chat for Client {
    #[circuit_breaker(ui_keyed_async_trait, key = self.base_url(),
        open_error = |open| ClientError::Unavailable(open.to_string()))]
    async fn chat(&self, prompt: String) -> Result<String, ClientError> {
        Ok(format!("{}: {prompt}", self.model))
    }
}

fn main() {
    let mut client = Client {
        base_url: "https://api.example".into(),
        model: "small",
    };
    let _ = client.get("v1");
    let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
    let _ = rt.block_on(client.complete("hi"));
    let _ = rt.block_on(client.chat("hi".into()));
    let _ = ask(7, "hi");
}
