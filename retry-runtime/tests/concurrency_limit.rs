//! The concurrency limit: never more than `max` bodies in flight with 64 threads and 1,000
//! tasks on one limit, bodies that panic and calls cancelled at random (seeded), and no slot
//! lost at the end; waiters served in arrival order, tasks and threads alike; a waiting future
//! dropped leaves the line without losing a wakeup, even when a slot was just handed to it;
//! refusals after `max_wait`; the registry.

use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::sync::{Arc, Mutex, Once};
use std::time::Duration;

use retry_runtime::{
    concurrency_limit, concurrency_limits, register_concurrency_limit, ConcurrencyLimit,
};
use tokio::time::{sleep, Instant};

const MS: Duration = Duration::from_millis(1);
const SEC: Duration = Duration::from_secs(1);

/// The payload of the panics the tests plan; the panic hook keeps them quiet.
const PLANNED: &str = "planned panic in a limited body";

fn quiet_planned_panics() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let default = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            let payload = info.payload();
            let planned = payload.downcast_ref::<&str>() == Some(&PLANNED)
                || payload.downcast_ref::<String>().map(String::as_str) == Some(PLANNED);
            if !planned {
                default(info);
            }
        }));
    });
}

/// splitmix64: a seeded sequence, so a failure replays.
struct Seeded(u64);

impl Seeded {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        (z ^ (z >> 31)) % n
    }
}

/// Bodies in flight, and the most ever seen at once.
#[derive(Default)]
struct InFlight {
    now: AtomicUsize,
    high: AtomicUsize,
}

impl InFlight {
    /// A body starts; it counts until the returned guard drops (returning or unwinding).
    fn enter(&self) -> Body<'_> {
        let now = self.now.fetch_add(1, SeqCst) + 1;
        self.high.fetch_max(now, SeqCst);
        Body(self)
    }
}

struct Body<'a>(&'a InFlight);

impl Drop for Body<'_> {
    fn drop(&mut self) {
        self.0.now.fetch_sub(1, SeqCst);
    }
}

/// Every slot is free again: `max` calls get one at once, and the next does not.
fn assert_full(limit: &ConcurrencyLimit) {
    let s = limit.snapshot();
    assert_eq!((s.in_flight, s.waiting), (0, 0), "{s}");
    let permits: Vec<_> = (0..limit.max())
        .map(|_| limit.try_acquire().expect("a slot was lost"))
        .collect();
    assert!(limit.try_acquire().is_err());
    drop(permits);
}

#[test]
fn threads_and_tasks_with_panics_and_cancellations_never_exceed_max_and_lose_no_slot() {
    const MAX: u32 = 8;
    const THREADS: u64 = 64;
    const CALLS_PER_THREAD: u64 = 20;
    const TASKS: u64 = 1_000;
    quiet_planned_panics();
    let limit: &'static ConcurrencyLimit =
        Box::leak(Box::new(ConcurrencyLimit::new("c_stress", MAX)));
    let flight: &'static InFlight = Box::leak(Box::default());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_time()
        .build()
        .unwrap();

    // 1,000 tasks: a third of the bodies panic or are cancelled while they run, and a fifth
    // of the calls are cancelled (a timeout) while they may still wait in line.
    let tasks: Vec<_> = (0..TASKS)
        .map(|task| {
            runtime.spawn(async move {
                let mut draw = Seeded(0x7A5C ^ task);
                let pause = Duration::from_micros(50 + draw.below(400));
                let fails = draw.below(6) == 0;
                let cancel_after =
                    (draw.below(5) == 0).then(|| Duration::from_micros(draw.below(300)));
                let call = async {
                    let _permit = limit.acquire_async_within(Duration::MAX).await.unwrap();
                    let _body = flight.enter();
                    sleep(pause).await;
                    if fails {
                        panic!("{}", PLANNED);
                    }
                };
                match cancel_after {
                    Some(after) => {
                        let _ = tokio::time::timeout(after, call).await;
                    }
                    None => call.await,
                }
            })
        })
        .collect();

    // 64 threads, 20 calls each, a tenth of the bodies panicking.
    let threads: Vec<_> = (0..THREADS)
        .map(|thread| {
            std::thread::spawn(move || {
                let mut draw = Seeded(0x7EAD ^ thread);
                for _ in 0..CALLS_PER_THREAD {
                    let fails = draw.below(10) == 0;
                    let spin = draw.below(3);
                    let _ = panic::catch_unwind(AssertUnwindSafe(|| {
                        let _permit = limit.acquire_within(Duration::MAX).unwrap();
                        let _body = flight.enter();
                        for _ in 0..spin {
                            std::thread::yield_now();
                        }
                        if fails {
                            panic!("{}", PLANNED);
                        }
                    }));
                }
            })
        })
        .collect();

    for thread in threads {
        thread.join().unwrap();
    }
    runtime.block_on(async {
        for task in tasks {
            let _ = task.await; // the planned panics
        }
    });
    drop(runtime);
    let high = flight.high.load(SeqCst);
    assert!(high <= MAX as usize, "{high} bodies in flight at once");
    assert!(high > 0);
    assert_eq!(flight.now.load(SeqCst), 0);
    assert_full(limit);
}

/// Lets every spawned task run until it waits.
async fn settle() {
    for _ in 0..10 {
        tokio::task::yield_now().await;
    }
}

#[tokio::test(start_paused = true)]
async fn waiting_tasks_are_served_in_arrival_order() {
    let limit: &'static ConcurrencyLimit = Box::leak(Box::new(ConcurrencyLimit::new("c_fifo", 2)));
    let held = [limit.try_acquire().unwrap(), limit.try_acquire().unwrap()];
    let start = Instant::now();
    let order = Arc::new(Mutex::new(Vec::new()));
    let mut tasks = Vec::new();
    for i in 0..10 {
        let order = Arc::clone(&order);
        tasks.push(tokio::spawn(async move {
            let _permit = limit.acquire_async().await.unwrap();
            order.lock().unwrap().push(i);
            sleep(SEC).await;
        }));
        settle().await;
        assert_eq!(limit.snapshot().waiting, i + 1);
    }
    drop(held);
    // A slot handed to the front of the line is not up for grabs.
    assert!(limit.try_acquire().is_err());
    for t in tasks {
        t.await.unwrap();
    }
    assert_eq!(*order.lock().unwrap(), (0..10).collect::<Vec<_>>());
    // Two at a time, a second each, each woken as a slot frees.
    assert_eq!(start.elapsed(), 5 * SEC);
    assert_full(limit);
}

/// Threads and tasks (on a runtime of their own) join one line alternately; each takes its
/// slot and gives it back at once. The order they get through is the order they arrived.
#[test]
fn threads_and_tasks_in_one_line_are_served_in_arrival_order() {
    let limit: &'static ConcurrencyLimit =
        Box::leak(Box::new(ConcurrencyLimit::new("c_fifo_mixed", 1)));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_time()
        .build()
        .unwrap();
    let held = limit.try_acquire().unwrap();
    let order = Arc::new(Mutex::new(Vec::new()));
    let mut threads = Vec::new();
    let mut tasks = Vec::new();
    for i in 0..12 {
        let order = Arc::clone(&order);
        if i % 2 == 0 {
            threads.push(std::thread::spawn(move || {
                let _permit = limit.acquire_within(Duration::MAX).unwrap();
                order.lock().unwrap().push(i);
            }));
        } else {
            tasks.push(runtime.spawn(async move {
                let _permit = limit.acquire_async_within(Duration::MAX).await.unwrap();
                order.lock().unwrap().push(i);
            }));
        }
        // Next one only once this one stands in line.
        while limit.snapshot().waiting < i + 1 {
            std::thread::yield_now();
        }
    }
    drop(held);
    for thread in threads {
        thread.join().unwrap();
    }
    runtime.block_on(async {
        for task in tasks {
            task.await.unwrap();
        }
    });
    assert_eq!(*order.lock().unwrap(), (0..12).collect::<Vec<_>>());
    assert_full(limit);
}

#[tokio::test(start_paused = true)]
async fn a_dropped_waiting_future_leaves_the_line_and_the_next_is_woken() {
    let limit: &'static ConcurrencyLimit = Box::leak(Box::new(ConcurrencyLimit::new("c_drop", 1)));
    let served = Arc::new(Mutex::new(Vec::new()));
    let spawn = |label: &'static str| {
        let served = Arc::clone(&served);
        tokio::spawn(async move {
            let _permit = limit.acquire_async().await.unwrap();
            served.lock().unwrap().push(label);
        })
    };
    // Dropped while it waits: it leaves, and the slot goes to the one behind it.
    let start = Instant::now();
    let held = limit.try_acquire().unwrap();
    let a = spawn("a");
    settle().await;
    let b = spawn("b");
    settle().await;
    a.abort();
    assert!(a.await.unwrap_err().is_cancelled());
    assert_eq!(limit.snapshot().waiting, 1);
    drop(held);
    b.await.unwrap();
    assert_eq!(*served.lock().unwrap(), ["b"]);

    // Dropped just after the slot was handed to it, before it could run: the slot goes on.
    let held = limit.try_acquire().unwrap();
    let c = spawn("c");
    settle().await;
    let d = spawn("d");
    settle().await;
    drop(held); // to c, which is woken but has not run yet
    c.abort();
    assert!(c.await.unwrap_err().is_cancelled());
    d.await.unwrap();
    assert_eq!(*served.lock().unwrap(), ["b", "d"]);
    // Woken by the slot itself, not by their `max_wait` running out.
    assert_eq!(start.elapsed(), Duration::ZERO);
    assert_full(limit);
}

#[tokio::test(start_paused = true)]
async fn a_call_is_refused_once_max_wait_passes() {
    let limit = ConcurrencyLimit::new("c_max_wait", 1);
    let held = limit.try_acquire().unwrap();
    let start = Instant::now();
    let refused = limit.acquire_async_within(5 * SEC).await.unwrap_err();
    assert_eq!(start.elapsed(), 5 * SEC);
    assert_eq!(
        refused.to_string(),
        "concurrency limit 'c_max_wait' reached (1 in flight)"
    );
    assert_eq!(refused.retry_in(), Duration::ZERO);
    let s = limit.snapshot();
    assert_eq!((s.in_flight, s.waiting, s.refused), (1, 0, 1));
    // A thread gives up the same way (the sleep is real, and short).
    assert!(limit.acquire_within(20 * MS).is_err());
    assert_eq!(limit.snapshot().refused, 2);
    drop(held);
    assert_full(&limit);
}

#[tokio::test(start_paused = true)]
async fn a_slot_is_given_back_when_the_body_panics() {
    quiet_planned_panics();
    let limit: &'static ConcurrencyLimit = Box::leak(Box::new(ConcurrencyLimit::new("c_panic", 2)));
    let sync = panic::catch_unwind(|| {
        let _permit = limit.acquire().unwrap();
        panic!("{}", PLANNED);
    });
    assert!(sync.is_err());
    let task = tokio::spawn(async move {
        let _permit = limit.acquire_async().await.unwrap();
        panic!("{}", PLANNED);
    });
    assert!(task.await.unwrap_err().is_panic());
    assert_full(limit);
}

#[tokio::test(start_paused = true)]
async fn a_limit_of_zero_refuses_every_call_at_once() {
    let limit = ConcurrencyLimit::new("c_zero", 0);
    let start = Instant::now();
    for refused in [
        limit.try_acquire().unwrap_err(),
        limit.acquire().unwrap_err(),
        limit.acquire_async().await.unwrap_err(),
    ] {
        assert_eq!(
            refused.to_string(),
            "concurrency limit 'c_zero' admits no call (its max is 0)"
        );
    }
    assert_eq!(start.elapsed(), Duration::ZERO);
    assert_eq!(limit.snapshot().refused, 3);
}

#[test]
fn the_registry_shares_one_limit_per_name_and_lists_them_sorted() {
    let a = register_concurrency_limit("c_reg_b", 4);
    let name = String::from("c_reg_b");
    assert!(std::ptr::eq(a, register_concurrency_limit(&name, 9)));
    assert_eq!(a.max(), 4);
    assert!(std::ptr::eq(a, concurrency_limit("c_reg_b").unwrap()));
    register_concurrency_limit("c_reg_a", 1);
    let _permit = a.try_acquire().unwrap();
    let listed: Vec<_> = concurrency_limits()
        .into_iter()
        .filter(|s| s.name.starts_with("c_reg_"))
        .collect();
    assert_eq!(listed.len(), 2);
    assert_eq!(listed[0].name, "c_reg_a");
    assert_eq!(
        listed[1].to_string(),
        "c_reg_b  1/4 in flight, 0 waiting, 0 refused"
    );
    assert!(concurrency_limit("c_reg_never").is_none());
}
