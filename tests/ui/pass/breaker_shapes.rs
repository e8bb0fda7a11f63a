// The breaker's name in its three forms, on the function shapes of real code.
use std::fmt::Debug;

use retry_runtime::{circuit_breaker, CircuitOpen, StateChange};

#[derive(Debug)]
enum ApiError {
    Open(CircuitOpen),
    BadRequest,
}

impl From<CircuitOpen> for ApiError {
    fn from(open: CircuitOpen) -> Self {
        ApiError::Open(open)
    }
}

fn log_change(change: &StateChange) {
    println!("{} {} -> {}", change.name, change.from, change.to);
}

#[circuit_breaker(ui_ident)]
fn ident_name() -> Result<(), ApiError> {
    Ok(())
}

#[circuit_breaker("ui-string", failure_threshold = 3, reset_timeout = "1m30s", success_threshold = 1)]
fn string_name() -> Result<(), ApiError> {
    Ok(())
}

#[circuit_breaker(name = "ui_key", failure_rate = 0.5, window = "10s", min_calls = 20, half_open_max_calls = 2,
    when = |e| !matches!(e, ApiError::BadRequest), on_state_change = log_change, env = "UI_BREAKER")]
fn key_name() -> Result<(), ApiError> {
    Ok(())
}

#[circuit_breaker(ui_closure_hook, on_state_change = |change| println!("{change:?}"))]
fn closure_hook() -> Result<(), ApiError> {
    Ok(())
}

struct Client<T> {
    value: T,
}

impl<T: Clone + Debug + Send + Sync> Client<T> {
    #[circuit_breaker(ui_generic)]
    fn get(&self) -> Result<T, ApiError> {
        Ok(self.value.clone())
    }

    #[circuit_breaker(ui_generic)]
    fn set<U: Into<T>>(&mut self, value: U) -> Result<(), ApiError>
    where
        U: Debug,
    {
        self.value = value.into();
        Ok(())
    }

    #[circuit_breaker(ui_generic_async)]
    async fn fetch<'a>(&'a self, key: &'a str) -> Result<(&'a str, T), ApiError> {
        Ok((key, self.value.clone()))
    }

    #[circuit_breaker(ui_generic_owned)]
    fn into_value(self) -> Result<T, ApiError> {
        Ok(self.value)
    }
}

#[async_trait::async_trait]
trait Chat {
    async fn ask(&self, q: &str) -> Result<String, ApiError>;
}

#[async_trait::async_trait]
impl Chat for Client<String> {
    #[circuit_breaker(ui_async_trait)]
    async fn ask(&self, q: &str) -> Result<String, ApiError> {
        Ok(format!("{q}{}", self.value))
    }
}

trait Native {
    async fn native(&self) -> Result<u8, ApiError>;
}

impl Native for Client<u8> {
    #[circuit_breaker(ui_native)]
    async fn native(&self) -> Result<u8, ApiError> {
        Ok(self.value)
    }
}

fn main() {
    ident_name().unwrap();
    string_name().unwrap();
    key_name().unwrap();
    closure_hook().unwrap();
    let mut c = Client { value: 1u32 };
    c.set(2u8).unwrap();
    assert_eq!(c.get().unwrap(), 2);
    fn is_send<T: Send>(_: T) {}
    is_send(c.fetch("k"));
    let s = Client { value: String::new() };
    is_send(s.ask("q"));
    assert_eq!(c.into_value().unwrap(), 2);
}
