use retry_runtime::circuit_breaker;

#[derive(Debug)]
struct ApiError;

impl From<retry_runtime::CircuitOpen> for ApiError {
    fn from(_: retry_runtime::CircuitOpen) -> Self {
        ApiError
    }
}

struct Client {
    log: std::sync::Mutex<Vec<String>>,
}

impl Client {
    #[circuit_breaker(openai, on_state_change = |c| self.log.lock().unwrap().push(c.to.to_string()))]
    fn fetch(&self) -> Result<u32, ApiError> {
        Ok(1)
    }
}

fn main() {
    let c = Client { log: Default::default() };
    let _ = c.fetch();
}
