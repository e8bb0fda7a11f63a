use std::cell::Cell;
use std::io;

use retry_runtime::retry_on_failure;

mod api {
    #[derive(Debug)]
    pub struct Error;
    pub type Result<T> = std::result::Result<T, Error>;
}

type Answer = Result<u32, String>;

#[retry_on_failure(max_attempts = 2, initial_delay = "0s", when = |e| e.kind() == io::ErrorKind::Interrupted)]
fn read(calls: &Cell<u32>) -> io::Result<u32> {
    calls.set(calls.get() + 1);
    if calls.get() == 1 {
        return Err(io::Error::from(io::ErrorKind::Interrupted));
    }
    Ok(calls.get())
}

#[retry_on_failure(max_attempts = 2, initial_delay = "0s", when = |e| e.to_string().contains("again"))]
async fn load(calls: &Cell<u32>) -> anyhow::Result<u32> {
    calls.set(calls.get() + 1);
    if calls.get() == 1 {
        anyhow::bail!("try again");
    }
    Ok(calls.get())
}

#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
fn own() -> api::Result<()> {
    Err(api::Error)
}

#[retry_on_failure(max_attempts = 2, initial_delay = "0s", when = |e| !e.is_empty())]
fn answer() -> Answer {
    Ok(42)
}

#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
fn fully_qualified() -> ::core::result::Result<(), ()> {
    Ok(())
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    assert_eq!(read(&Cell::new(0)).unwrap(), 2);
    assert_eq!(load(&Cell::new(0)).await.unwrap(), 2);
    assert!(own().is_err());
    assert_eq!(answer(), Ok(42));
    assert_eq!(fully_qualified(), Ok(()));
}
