//! Keyed breakers through `#[circuit_breaker(name, key = ...)]`: one breaker per key.

use retry_runtime::{circuit_breaker, keyed_breaker, CircuitOpen, State};

#[derive(Debug, Clone, PartialEq, Eq)]
enum ApiError {
    Down,
    Open(String),
}

impl From<CircuitOpen> for ApiError {
    fn from(open: CircuitOpen) -> Self {
        ApiError::Open(open.name().to_owned())
    }
}

struct Client {
    base_url: String,
}

impl Client {
    fn base_url(&self) -> &str {
        &self.base_url
    }

    #[circuit_breaker(kb_hosts, key = self.base_url(), failure_threshold = 2)]
    fn get(&self, up: bool) -> Result<u32, ApiError> {
        if up {
            Ok(200)
        } else {
            Err(ApiError::Down)
        }
    }
}

#[test]
fn smoke() {
    let a = Client {
        base_url: "https://a".into(),
    };
    let b = Client {
        base_url: "https://b".into(),
    };
    assert_eq!(a.get(false), Err(ApiError::Down));
    assert_eq!(a.get(false), Err(ApiError::Down));
    assert_eq!(
        a.get(true),
        Err(ApiError::Open("kb_hosts[https://a]".into()))
    );
    assert_eq!(b.get(true), Ok(200));
    assert_eq!(
        keyed_breaker("kb_hosts", "https://a").unwrap().state(),
        State::Open
    );
}
