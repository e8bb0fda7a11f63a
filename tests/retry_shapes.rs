//! `#[retry_on_failure]` on every function shape: each fails k times, then succeeds, and the
//! number of attempts is checked.

use std::cell::Cell;
use std::fmt::Debug;
use std::io;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

use retry_runtime::retry_on_failure;

#[derive(Debug, PartialEq, Eq, Clone)]
enum ApiError {
    Unavailable,
    Unauthorized,
}

impl ApiError {
    fn is_transient(&self) -> bool {
        matches!(self, ApiError::Unavailable)
    }
}

/// Fails with `Unavailable` until `counter` reaches `k + 1`.
fn flaky(counter: &AtomicU32, k: u32) -> Result<u32, ApiError> {
    let n = counter.fetch_add(1, Ordering::SeqCst) + 1;
    if n <= k {
        Err(ApiError::Unavailable)
    } else {
        Ok(n)
    }
}

// ---- free functions ----

static FREE: AtomicU32 = AtomicU32::new(0);

#[retry_on_failure(max_attempts = 4, initial_delay = "0ms")]
fn free_fn(k: u32) -> Result<u32, ApiError> {
    flaky(&FREE, k)
}

#[test]
fn free_function_retries_until_success() {
    FREE.store(0, Ordering::SeqCst);
    assert_eq!(free_fn(2), Ok(3));
    assert_eq!(FREE.load(Ordering::SeqCst), 3);
}

#[test]
fn free_function_gives_up_after_max_attempts() {
    static C: AtomicU32 = AtomicU32::new(0);
    #[retry_on_failure(max_attempts = 3, initial_delay = "0ms")]
    fn always_down() -> Result<u32, ApiError> {
        flaky(&C, u32::MAX)
    }
    assert_eq!(always_down(), Err(ApiError::Unavailable));
    assert_eq!(C.load(Ordering::SeqCst), 3);
}

#[tokio::test(start_paused = true)]
async fn async_free_function() {
    static C: AtomicU32 = AtomicU32::new(0);
    #[retry_on_failure(max_retries = 3, initial_delay = "1s")]
    async fn fetch(k: u32) -> Result<u32, ApiError> {
        tokio::task::yield_now().await;
        flaky(&C, k)
    }
    let start = tokio::time::Instant::now();
    assert_eq!(fetch(3).await, Ok(4));
    assert_eq!(C.load(Ordering::SeqCst), 4);
    // Three sleeps of full jitter over 1 s, 2 s, 4 s bases: at most 7 s of paused time.
    assert!(start.elapsed() <= std::time::Duration::from_secs(7));
}

// ---- `?` and `return` end one attempt only ----

#[retry_on_failure(max_attempts = 5, initial_delay = "0ms")]
fn question_mark_and_return(calls: &Cell<u32>) -> Result<u32, ApiError> {
    calls.set(calls.get() + 1);
    if calls.get() == 1 {
        return Err(ApiError::Unavailable);
    }
    let parsed: u32 = if calls.get() == 2 {
        "not a number".parse().map_err(|_| ApiError::Unavailable)?
    } else {
        7
    };
    Ok(parsed + calls.get())
}

#[test]
fn question_mark_and_return_end_the_attempt_only() {
    let calls = Cell::new(0);
    assert_eq!(question_mark_and_return(&calls), Ok(10));
    assert_eq!(calls.get(), 3);
}

// ---- methods ----

struct Client {
    calls: u32,
    fail_first: u32,
    log: Vec<u32>,
}

impl Client {
    fn new(fail_first: u32) -> Self {
        Client {
            calls: 0,
            fail_first,
            log: Vec::new(),
        }
    }

    #[retry_on_failure(max_attempts = 5, initial_delay = "0ms", when = |e| e.is_transient())]
    fn by_ref(&self, counter: &AtomicU32) -> Result<u32, ApiError> {
        flaky(counter, self.fail_first)
    }

    #[retry_on_failure(max_attempts = 5, initial_delay = "0ms")]
    fn by_mut(&mut self) -> Result<u32, ApiError> {
        // A mutation made by a failed attempt is visible to the next one.
        self.calls += 1;
        self.log.push(self.calls);
        if self.calls <= self.fail_first {
            Err(ApiError::Unavailable)
        } else {
            Ok(self.calls)
        }
    }

    #[retry_on_failure(max_attempts = 5, initial_delay = "0ms")]
    fn by_value(self, counter: &AtomicU32) -> Result<u32, ApiError> {
        flaky(counter, self.fail_first)
    }

    #[retry_on_failure(max_attempts = 5, initial_delay = "0ms")]
    async fn async_by_mut(&mut self) -> Result<u32, ApiError> {
        self.calls += 1;
        tokio::task::yield_now().await;
        if self.calls <= self.fail_first {
            Err(ApiError::Unavailable)
        } else {
            Ok(self.calls)
        }
    }

    #[retry_on_failure(max_attempts = 5, initial_delay = "0ms")]
    async fn async_by_ref(&self, counter: &AtomicU32) -> Result<u32, ApiError> {
        tokio::task::yield_now().await;
        flaky(counter, self.fail_first)
    }
}

#[test]
fn method_shapes() {
    let c = AtomicU32::new(0);
    assert_eq!(Client::new(2).by_ref(&c), Ok(3));
    assert_eq!(c.load(Ordering::SeqCst), 3);

    let mut client = Client::new(3);
    assert_eq!(client.by_mut(), Ok(4));
    assert_eq!(client.log, [1, 2, 3, 4]);

    let c = AtomicU32::new(0);
    assert_eq!(Client::new(1).by_value(&c), Ok(2));
    assert_eq!(c.load(Ordering::SeqCst), 2);
}

#[test]
fn permanent_errors_are_not_retried() {
    struct Auth;
    impl Auth {
        #[retry_on_failure(max_attempts = 5, initial_delay = "0ms", when = |e| e.is_transient())]
        fn call(&self, calls: &Cell<u32>) -> Result<(), ApiError> {
            calls.set(calls.get() + 1);
            Err(ApiError::Unauthorized)
        }
    }
    let calls = Cell::new(0);
    assert_eq!(Auth.call(&calls), Err(ApiError::Unauthorized));
    assert_eq!(calls.get(), 1);
}

#[tokio::test]
async fn async_methods_are_send_and_spawnable() {
    let handle = tokio::spawn(async {
        let mut client = Client::new(2);
        let r = client.async_by_mut().await;
        (r, client.calls)
    });
    assert_eq!(handle.await.unwrap(), (Ok(3), 3));

    let counter = Arc::new(AtomicU32::new(0));
    let c2 = counter.clone();
    let handle = tokio::spawn(async move { Client::new(1).async_by_ref(&c2).await });
    assert_eq!(handle.await.unwrap(), Ok(2));
    assert_eq!(counter.load(Ordering::SeqCst), 2);
}

// ---- generics, lifetimes, impl Trait, patterns ----

#[retry_on_failure(max_attempts = 4, initial_delay = "0ms")]
fn generic<'a, T, S: AsRef<str> + ?Sized>(
    items: &'a [T],
    label: &S,
    counter: &AtomicU32,
) -> Result<&'a T, String>
where
    T: Debug + PartialEq,
{
    flaky(counter, 2).map_err(|e| format!("{}: {e:?}", label.as_ref()))?;
    items.first().ok_or_else(|| "empty".to_string())
}

#[retry_on_failure(max_attempts = 4, initial_delay = "0ms")]
fn impl_trait_arg(
    mut numbers: impl Iterator<Item = u32> + Clone,
    counter: &AtomicU32,
) -> Result<u32, ApiError> {
    flaky(counter, 1)?;
    Ok(numbers.next().unwrap_or(0) + numbers.clone().sum::<u32>())
}

#[retry_on_failure(max_attempts = 4, initial_delay = "0ms")]
fn patterns((a, b): (u32, u32), mut scratch: u32, counter: &AtomicU32) -> Result<u32, ApiError> {
    scratch += 1;
    flaky(counter, 2)?;
    Ok(a + b + scratch)
}

#[retry_on_failure(max_attempts = 4, initial_delay = "0ms")]
fn returns_impl_iterator(counter: &AtomicU32) -> Result<impl Iterator<Item = u32>, ApiError> {
    let n = flaky(counter, 2)?;
    Ok((0..n).map(|x| x * 2))
}

#[test]
fn generic_lifetime_impl_trait_and_pattern_shapes() {
    let c = AtomicU32::new(0);
    let items = [5, 6];
    assert_eq!(generic(&items, "models", &c), Ok(&5));
    assert_eq!(c.load(Ordering::SeqCst), 3);

    let c = AtomicU32::new(0);
    assert_eq!(impl_trait_arg([1u32, 2, 3].into_iter(), &c), Ok(1 + 5));
    assert_eq!(c.load(Ordering::SeqCst), 2);

    // `mut scratch` is one variable across attempts: three attempts, three increments.
    let c = AtomicU32::new(0);
    assert_eq!(patterns((1, 2), 10, &c), Ok(3 + 13));

    let c = AtomicU32::new(0);
    let v: Vec<u32> = returns_impl_iterator(&c).unwrap().collect();
    assert_eq!(v, [0, 2, 4]);
}

// ---- result aliases ----

static IO: AtomicU32 = AtomicU32::new(0);

#[retry_on_failure(max_attempts = 3, initial_delay = "0ms", when = |e| e.kind() == io::ErrorKind::ConnectionReset)]
fn io_alias() -> io::Result<u32> {
    let n = IO.fetch_add(1, Ordering::SeqCst) + 1;
    if n < 3 {
        Err(io::Error::from(io::ErrorKind::ConnectionReset))
    } else {
        Ok(n)
    }
}

#[retry_on_failure(max_attempts = 3, initial_delay = "0ms")]
fn anyhow_alias(counter: &AtomicU32) -> anyhow::Result<u32> {
    let n = flaky(counter, 1).map_err(|e| anyhow::anyhow!("{e:?}"))?;
    Ok(n)
}

#[test]
fn result_aliases() {
    assert_eq!(io_alias().unwrap(), 3);
    let c = AtomicU32::new(0);
    assert_eq!(anyhow_alias(&c).unwrap(), 2);
}

// ---- traits: native async fn, #[async_trait] (Send and ?Send) ----

trait Provider {
    fn complete(&self, counter: &AtomicU32) -> Result<u32, ApiError>;
    async fn complete_async(&self, counter: &AtomicU32) -> Result<u32, ApiError>;
}

struct Primary;

impl Provider for Primary {
    #[retry_on_failure(max_attempts = 4, initial_delay = "0ms")]
    fn complete(&self, counter: &AtomicU32) -> Result<u32, ApiError> {
        flaky(counter, 2)
    }

    #[retry_on_failure(max_attempts = 4, initial_delay = "0ms")]
    async fn complete_async(&self, counter: &AtomicU32) -> Result<u32, ApiError> {
        tokio::task::yield_now().await;
        flaky(counter, 3)
    }
}

#[async_trait::async_trait]
trait SendProvider: Send + Sync {
    async fn chat(&mut self, prompt: &str) -> Result<String, ApiError>;
}

struct Counting {
    calls: u32,
}

#[async_trait::async_trait]
impl SendProvider for Counting {
    #[retry_on_failure(max_attempts = 4, initial_delay = "0ms")]
    async fn chat(&mut self, prompt: &str) -> Result<String, ApiError> {
        self.calls += 1;
        tokio::task::yield_now().await;
        if self.calls < 3 {
            return Err(ApiError::Unavailable);
        }
        Ok(format!("{prompt}:{}", self.calls))
    }
}

#[async_trait::async_trait(?Send)]
trait LocalProvider {
    async fn chat(&self, prompt: String) -> Result<String, ApiError>;
}

struct Local {
    calls: Cell<u32>,
}

#[async_trait::async_trait(?Send)]
impl LocalProvider for Local {
    #[retry_on_failure(max_attempts = 4, initial_delay = "0ms")]
    async fn chat(&self, prompt: String) -> Result<String, ApiError> {
        self.calls.set(self.calls.get() + 1);
        if self.calls.get() < 2 {
            return Err(ApiError::Unavailable);
        }
        Ok(format!("{prompt}:{}", self.calls.get()))
    }
}

#[tokio::test]
async fn trait_impls() {
    let c = AtomicU32::new(0);
    assert_eq!(Primary.complete(&c), Ok(3));
    let c = AtomicU32::new(0);
    assert_eq!(Primary.complete_async(&c).await, Ok(4));

    let mut counting = Counting { calls: 0 };
    let handle = tokio::spawn(async move {
        let r = counting.chat("hi").await;
        (r, counting.calls)
    });
    assert_eq!(handle.await.unwrap(), (Ok("hi:3".to_string()), 3));

    let local = Local {
        calls: Cell::new(0),
    };
    assert_eq!(local.chat("yo".to_string()).await, Ok("yo:2".to_string()));
    assert_eq!(local.calls.get(), 2);
}

// ---- the function's name in events ----

#[test]
fn events_name_the_function_and_the_type() {
    use std::sync::Mutex;
    static NAMES: Mutex<Vec<&'static str>> = Mutex::new(Vec::new());

    struct Svc;
    impl Svc {
        #[retry_on_failure(max_attempts = 2, initial_delay = "0ms", on_retry = |ev| NAMES.lock().unwrap().push(ev.function))]
        fn method(&self) -> Result<(), ApiError> {
            Err(ApiError::Unavailable)
        }
    }
    #[retry_on_failure(max_attempts = 2, initial_delay = "0ms", on_give_up = |ev| NAMES.lock().unwrap().push(ev.function))]
    fn plain() -> Result<(), ApiError> {
        Err(ApiError::Unavailable)
    }
    let _ = Svc.method();
    let _ = plain();
    assert_eq!(*NAMES.lock().unwrap(), ["Svc::method", "plain"]);
}
