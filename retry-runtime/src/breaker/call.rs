//! The closure-running wrappers of `CircuitBreaker`: `call`, `call_when` and their async twins
//! acquire a permit, run the call, and settle the permit with its outcome. A further
//! `impl CircuitBreaker` block on the core in `circuit.rs`, which knows nothing of it.

use std::future::Future;

use super::circuit::CircuitBreaker;
use super::rejection::CircuitOpen;

impl CircuitBreaker {
    /// Runs `f` through the breaker: while open, returns `Err(E::from(CircuitOpen))` without
    /// running it; otherwise runs it and counts every `Err` as a failure. A panic in `f` counts
    /// as a failure too.
    ///
    /// ```
    /// use retry_runtime::{BreakerConfig, CircuitBreaker, CircuitOpen};
    /// let cb = CircuitBreaker::new("db", BreakerConfig::new());
    /// let r: Result<u32, CircuitOpen> = cb.call(|| Ok(7));
    /// assert_eq!(r, Ok(7));
    /// ```
    #[inline]
    pub fn call<T, E, F>(&self, f: F) -> Result<T, E>
    where
        E: From<CircuitOpen>,
        F: FnOnce() -> Result<T, E>,
    {
        self.call_when(|_: &E| true, f)
    }

    /// [`call`](Self::call), counting as failures only the errors for which `when` is true.
    /// Any other error counts as neither success nor failure: it does not reset the
    /// consecutive count, and a probe's slot is freed.
    ///
    /// ```
    /// use retry_runtime::{BreakerConfig, CircuitBreaker, CircuitOpen, State};
    ///
    /// #[derive(Debug)]
    /// enum HttpError { Status(u16), Open(CircuitOpen) }
    /// impl From<CircuitOpen> for HttpError {
    ///     fn from(e: CircuitOpen) -> Self { HttpError::Open(e) }
    /// }
    ///
    /// let cb = CircuitBreaker::new("api", BreakerConfig::new().failure_threshold(1));
    /// let server_error = |e: &HttpError| matches!(e, HttpError::Status(500..=599));
    /// let _ = cb.call_when(server_error, || Err::<(), _>(HttpError::Status(400)));
    /// assert_eq!(cb.state(), State::Closed); // a 400 is the caller's fault
    /// let _ = cb.call_when(server_error, || Err::<(), _>(HttpError::Status(503)));
    /// assert_eq!(cb.state(), State::Open);
    /// ```
    #[inline]
    pub fn call_when<T, E, P, F>(&self, when: P, f: F) -> Result<T, E>
    where
        E: From<CircuitOpen>,
        P: Fn(&E) -> bool,
        F: FnOnce() -> Result<T, E>,
    {
        let permit = match self.try_acquire() {
            Ok(permit) => permit,
            Err(open) => return Err(rejected(open)),
        };
        let result = f();
        permit.settle(&result, when);
        result
    }

    /// The async twin of [`call`](Self::call): `f` makes the future, which runs only if the
    /// breaker lets the call through. A future dropped before it finishes counts as neither
    /// success nor failure and frees its probe slot.
    ///
    /// ```
    /// use retry_runtime::{BreakerConfig, CircuitBreaker, CircuitOpen};
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let cb = CircuitBreaker::new("db", BreakerConfig::new());
    /// let r: Result<u32, CircuitOpen> = cb.call_async(|| async { Ok(7) }).await;
    /// assert_eq!(r, Ok(7));
    /// # }
    /// ```
    pub async fn call_async<T, E, F, Fut>(&self, f: F) -> Result<T, E>
    where
        E: From<CircuitOpen>,
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<T, E>>,
    {
        self.call_async_when(|_: &E| true, f).await
    }

    /// The async twin of [`call_when`](Self::call_when).
    ///
    /// ```
    /// use retry_runtime::{BreakerConfig, CircuitBreaker, CircuitOpen, State};
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let cb = CircuitBreaker::new("db", BreakerConfig::new().failure_threshold(1));
    /// let never = |_: &CircuitOpen| false;
    /// let _ = cb.call_async_when(never, || async { Err::<(), _>(CircuitOpen::new("x", Default::default())) }).await;
    /// assert_eq!(cb.state(), State::Closed);
    /// # }
    /// ```
    pub async fn call_async_when<T, E, P, F, Fut>(&self, when: P, f: F) -> Result<T, E>
    where
        E: From<CircuitOpen>,
        P: Fn(&E) -> bool,
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<T, E>>,
    {
        let permit = match self.try_acquire() {
            Ok(permit) => permit,
            Err(open) => return Err(rejected(open)),
        };
        let result = f().await;
        permit.settle(&result, when);
        result
    }
}

/// The error of a rejected call, out of the caller's way.
#[cold]
#[inline(never)]
fn rejected<E: From<CircuitOpen>>(open: CircuitOpen) -> E {
    E::from(open)
}
