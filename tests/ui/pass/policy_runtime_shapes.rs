//! `policy = <expr>` in every shape a client configured at run time needs: a field by value or
//! by reference, an index into a table, a call, a qualified constant; `timeout` as a
//! `Duration` or `Option<Duration>` expression; `timeout_error` and `validate` with untyped
//! closures, on an error type without `From` impls.

use std::time::Duration;

use retry_runtime::{retry_on_failure, RetryPolicy};

#[derive(Debug)]
enum ApiError {
    Timeout(u32),
    Empty,
}

trait Presets {
    const FAST: RetryPolicy;
}

struct Client {
    policy: RetryPolicy,
    timeout: Option<Duration>,
    table: Vec<RetryPolicy>,
}

impl Presets for Client {
    const FAST: RetryPolicy = RetryPolicy::fixed().max_attempts(2);
}

impl Client {
    fn policy(&self) -> RetryPolicy {
        self.policy
    }

    #[retry_on_failure(policy = self.policy, when = |e| matches!(e, ApiError::Empty))]
    fn by_value(&self) -> Result<u32, ApiError> {
        Ok(1)
    }

    #[retry_on_failure(policy = &self.table[model], budget = "api")]
    fn by_index(&self, model: usize) -> Result<u32, ApiError> {
        Ok(model as u32)
    }

    #[retry_on_failure(policy = self.policy(), timeout = self.timeout, timeout_error = |t| ApiError::Timeout(t.attempt()))]
    async fn by_call(&mut self) -> Result<String, ApiError> {
        Ok(String::from("ok"))
    }

    #[retry_on_failure(timeout = Duration::from_secs(2), timeout_error = |_| ApiError::Timeout(0), validate = |s| if s.is_empty() { Err(ApiError::Empty) } else { Ok(()) })]
    async fn fixed_expression(&self) -> Result<String, ApiError> {
        Ok(String::from("ok"))
    }
}

#[retry_on_failure(policy = <Client as Presets>::FAST)]
fn qualified() -> Result<u32, ApiError> {
    Ok(1)
}

fn main() {
    let mut c = Client {
        policy: RetryPolicy::default(),
        timeout: None,
        table: vec![RetryPolicy::default()],
    };
    let _ = c.by_value();
    let _ = c.by_index(0);
    let _ = c.by_call();
    let _ = c.fixed_expression();
    let _ = qualified();
}
