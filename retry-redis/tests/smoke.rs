use std::time::Duration;

use retry_runtime::{register_breaker, BreakerConfig, State};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn smoke() {
    let url = "redis://127.0.0.1:6379";
    let ns = format!("smoke-{}", std::process::id());
    let fleet = retry_redis::Fleet::builder(url)
        .namespace(&ns)
        .start()
        .await
        .unwrap();
    let b = register_breaker("smoke-b", BreakerConfig::new().failure_threshold(3));
    for _ in 0..50 {
        if fleet.status().connected {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(fleet.status().connected, "{:?}", fleet.status());
    let client = redis::Client::open(url).unwrap();
    let mut c = client.get_multiplexed_async_connection().await.unwrap();
    tokio::time::sleep(Duration::from_millis(1200)).await;
    let h: std::collections::HashMap<String, String> = redis::cmd("HGETALL")
        .arg(format!("retry:{ns}:breaker:smoke-b"))
        .query_async(&mut c)
        .await
        .unwrap();
    println!("{h:?}");
    for _ in 0..3 {
        b.try_acquire().unwrap().failure();
    }
    assert_eq!(b.state(), State::Open);
    tokio::time::sleep(Duration::from_millis(100)).await;
    let h: std::collections::HashMap<String, String> = redis::cmd("HGETALL")
        .arg(format!("retry:{ns}:breaker:smoke-b"))
        .query_async(&mut c)
        .await
        .unwrap();
    println!("{h:?}");
    assert_eq!(h["mode"], "open");
    let _: () = redis::cmd("PUBLISH")
        .arg(format!("retry:{ns}:events"))
        .arg("b\nforced_open\n99\n0\nsmoke-b")
        .query_async(&mut c)
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(b.state(), State::ForcedOpen);
    fleet.shutdown().await;
}
