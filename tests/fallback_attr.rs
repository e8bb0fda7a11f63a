//! `#[fallback]`: targets in order, the first `Ok` wins, every earlier error reaches
//! `on_fallback`, arguments are passed on (cloned only where needed), on every function shape.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Mutex;

use retry_runtime::{fallback, FallbackEvent};

#[derive(Debug, Clone, PartialEq, Eq)]
enum ApiError {
    Down(&'static str),
    BadRequest,
}

// ---- free functions, a list of targets ----

static EVENTS: Mutex<Vec<String>> = Mutex::new(Vec::new());

fn record(e: &FallbackEvent<'_, ApiError>) {
    EVENTS
        .lock()
        .unwrap()
        .push(format!("{} -> {}: {:?}", e.from, e.to, e.error));
}

fn second(up: [bool; 3]) -> Result<&'static str, ApiError> {
    if up[1] {
        Ok("second")
    } else {
        Err(ApiError::Down("second"))
    }
}

fn third(up: [bool; 3]) -> Result<&'static str, ApiError> {
    if up[2] {
        Ok("third")
    } else {
        Err(ApiError::Down("third"))
    }
}

#[fallback(to = [second, third], on_fallback = record)]
fn first(up: [bool; 3]) -> Result<&'static str, ApiError> {
    if up[0] {
        Ok("first")
    } else {
        Err(ApiError::Down("first"))
    }
}

#[test]
fn first_ok_wins_and_every_earlier_error_is_reported() {
    EVENTS.lock().unwrap().clear();
    assert_eq!(first([true, true, true]), Ok("first"));
    assert!(EVENTS.lock().unwrap().is_empty(), "no switch on success");

    assert_eq!(first([false, true, true]), Ok("second"));
    assert_eq!(first([false, false, true]), Ok("third"));
    assert_eq!(
        first([false, false, false]),
        Err(ApiError::Down("third")),
        "the last error is returned"
    );
    assert_eq!(
        *EVENTS.lock().unwrap(),
        [
            "first -> second: Down(\"first\")",
            "first -> second: Down(\"first\")",
            "second -> third: Down(\"second\")",
            "first -> second: Down(\"first\")",
            "second -> third: Down(\"second\")",
        ]
    );
}

// ---- `when`: only some errors switch ----

static BACKUP_CALLS: AtomicU32 = AtomicU32::new(0);

fn backup_counted(_: u8) -> Result<u8, ApiError> {
    BACKUP_CALLS.fetch_add(1, Ordering::SeqCst);
    Ok(2)
}

#[fallback(to = backup_counted, when = |e| matches!(e, ApiError::Down(_)))]
fn picky(fail_with: u8) -> Result<u8, ApiError> {
    match fail_with {
        0 => Ok(1),
        1 => Err(ApiError::Down("picky")),
        _ => Err(ApiError::BadRequest),
    }
}

#[test]
fn when_decides_which_errors_switch() {
    BACKUP_CALLS.store(0, Ordering::SeqCst);
    assert_eq!(picky(0), Ok(1));
    assert_eq!(picky(1), Ok(2));
    assert_eq!(picky(2), Err(ApiError::BadRequest));
    assert_eq!(BACKUP_CALLS.load(Ordering::SeqCst), 1);
}

// ---- methods: `&self`, `&mut self`, names with the type ----

struct Provider {
    up: bool,
    calls: u32,
    seen: Mutex<Vec<(String, String)>>,
}

impl Provider {
    #[fallback(to = Self::backup, on_fallback = |e| self.seen.lock().unwrap().push((e.from.to_owned(), e.to.to_owned())))]
    fn chat(&self, prompt: &str) -> Result<String, ApiError> {
        if self.up {
            Ok(format!("primary: {prompt}"))
        } else {
            Err(ApiError::Down("primary"))
        }
    }

    fn backup(&self, prompt: &str) -> Result<String, ApiError> {
        Ok(format!("backup: {prompt}"))
    }

    #[fallback(to = Self::count_backup)]
    fn count(&mut self, by: u32) -> Result<u32, ApiError> {
        self.calls += by;
        if self.up {
            Ok(self.calls)
        } else {
            Err(ApiError::Down("count"))
        }
    }

    fn count_backup(&mut self, by: u32) -> Result<u32, ApiError> {
        self.calls += 100 * by;
        Ok(self.calls)
    }
}

#[test]
fn methods_pass_the_receiver_first_and_report_type_names() {
    let p = Provider {
        up: false,
        calls: 0,
        seen: Mutex::new(Vec::new()),
    };
    assert_eq!(p.chat("hi").unwrap(), "backup: hi");
    assert_eq!(
        *p.seen.lock().unwrap(),
        [("Provider::chat".to_owned(), "Provider::backup".to_owned())]
    );
    let mut p = p;
    // The primary's mutation is visible to the target: both see the same `self`.
    assert_eq!(p.count(1), Ok(101));
    p.up = true;
    assert_eq!(p.count(1), Ok(102));
}

// ---- owned arguments: cloned only for targets that are not the last ----

static CLONES: AtomicU32 = AtomicU32::new(0);

#[derive(Debug)]
struct Request(u32);

impl Clone for Request {
    fn clone(&self) -> Self {
        CLONES.fetch_add(1, Ordering::SeqCst);
        Request(self.0)
    }
}

fn owned_b(r: Request) -> Result<u32, ApiError> {
    if r.0 > 1 {
        Ok(r.0 * 10)
    } else {
        Err(ApiError::Down("b"))
    }
}

fn owned_c(r: Request) -> Result<u32, ApiError> {
    Ok(r.0 * 100)
}

#[fallback(to = [owned_b, owned_c])]
fn owned_a(r: Request) -> Result<u32, ApiError> {
    if r.0 > 0 {
        Ok(r.0)
    } else {
        Err(ApiError::Down("a"))
    }
}

#[test]
fn owned_arguments_are_cloned_only_for_earlier_targets() {
    CLONES.store(0, Ordering::SeqCst);
    assert_eq!(owned_a(Request(5)), Ok(5));
    assert_eq!(
        CLONES.load(Ordering::SeqCst),
        0,
        "nothing cloned on success"
    );
    assert_eq!(
        owned_a(Request(0)),
        Ok(0),
        "falls through to the last target"
    );
    assert_eq!(
        CLONES.load(Ordering::SeqCst),
        1,
        "one clone for `owned_b`; `owned_c` takes the argument itself"
    );
}

// ---- async: targets are awaited; `&mut self`; generic functions ----

struct Client {
    primary: Result<u32, ApiError>,
    attempts: u32,
}

impl Client {
    #[fallback(to = [Self::secondary, Self::tertiary])]
    async fn fetch(&mut self, id: u32) -> Result<u32, ApiError> {
        self.attempts += 1;
        tokio::task::yield_now().await;
        self.primary.clone().map(|v| v + id)
    }

    async fn secondary(&mut self, id: u32) -> Result<u32, ApiError> {
        self.attempts += 1;
        tokio::task::yield_now().await;
        Err(ApiError::Down(if id == 0 { "secondary" } else { "x" }))
    }

    async fn tertiary(&mut self, id: u32) -> Result<u32, ApiError> {
        self.attempts += 1;
        Ok(1000 + id)
    }
}

#[tokio::test]
async fn async_targets_are_awaited_in_order() {
    let mut c = Client {
        primary: Err(ApiError::Down("primary")),
        attempts: 0,
    };
    assert_eq!(c.fetch(7).await, Ok(1007));
    assert_eq!(c.attempts, 3);
    c.primary = Ok(1);
    assert_eq!(c.fetch(7).await, Ok(8));
    assert_eq!(c.attempts, 4);
}

#[tokio::test]
async fn async_fallback_future_is_send() {
    let handle = tokio::spawn(async {
        let mut c = Client {
            primary: Err(ApiError::Down("primary")),
            attempts: 0,
        };
        c.fetch(1).await
    });
    assert_eq!(handle.await.unwrap(), Ok(1001));
}

fn generic_backup<T: Default>(_: T) -> Result<T, ApiError> {
    Ok(T::default())
}

#[fallback(to = generic_backup::<T>)]
fn generic<T>(value: T) -> Result<T, ApiError>
where
    T: Default + Clone + PartialEq,
{
    if value == T::default() {
        Err(ApiError::Down("generic"))
    } else {
        // The body borrows its arguments: the target may need them after it.
        Ok(value.clone())
    }
}

#[test]
fn generic_functions_fall_back() {
    assert_eq!(generic(3u8), Ok(3));
    assert_eq!(generic(0u8), Ok(0));
    assert_eq!(generic(String::new()), Ok(String::new()));
}

// ---- `#[async_trait]` ----

#[async_trait::async_trait]
trait Chat {
    async fn ask(&self, q: &str) -> Result<String, ApiError>;
}

struct Primary;

impl Primary {
    async fn spare(&self, q: &str) -> Result<String, ApiError> {
        Ok(format!("spare: {q}"))
    }
}

#[async_trait::async_trait]
impl Chat for Primary {
    #[fallback(to = Self::spare)]
    async fn ask(&self, q: &str) -> Result<String, ApiError> {
        let _ = q;
        Err(ApiError::Down("primary"))
    }
}

#[tokio::test]
async fn async_trait_methods_fall_back() {
    let p: Box<dyn Chat + Send + Sync> = Box::new(Primary);
    assert_eq!(p.ask("q").await.unwrap(), "spare: q");
}
