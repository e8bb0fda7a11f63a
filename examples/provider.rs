//! A flaky provider retried with the function API (the HTTP version comes with the attributes).

use std::cell::Cell;
use std::time::Duration;

use retry_runtime::{Jitter, Retry, RetryEvent, RetryPolicy};

const PROVIDER: RetryPolicy = RetryPolicy::exponential()
    .max_attempts(5)
    .initial_delay(Duration::from_millis(20))
    .max_delay(Duration::from_millis(200))
    .jitter(Jitter::Equal);

#[derive(Debug)]
enum ProviderError {
    RateLimited { retry_after: Duration },
    Unavailable,
}

fn main() {
    let script = [
        Err(ProviderError::RateLimited {
            retry_after: Duration::from_millis(50),
        }),
        Err(ProviderError::Unavailable),
        Ok("Hello from the provider"),
    ];
    let next = Cell::new(0);
    let answer = Retry::new(&PROVIDER)
        .function("chat_completion")
        .retry_after(|e: &ProviderError| match e {
            ProviderError::RateLimited { retry_after } => Some(*retry_after),
            ProviderError::Unavailable => None,
        })
        .on_retry(|ev: &RetryEvent<'_, ProviderError>| {
            println!(
                "{}: attempt {} failed ({:?}); sleeping {:?}",
                ev.function, ev.attempt, ev.error, ev.delay
            )
        })
        .run(|| {
            let i = next.get();
            next.set(i + 1);
            match &script[i] {
                Ok(s) => Ok(*s),
                Err(ProviderError::RateLimited { retry_after }) => {
                    Err(ProviderError::RateLimited {
                        retry_after: *retry_after,
                    })
                }
                Err(ProviderError::Unavailable) => Err(ProviderError::Unavailable),
            }
        });
    println!("answer: {answer:?}");
    assert!(answer.is_ok());
}
