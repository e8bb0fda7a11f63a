use retry_runtime::fallback;

#[fallback(to = backup, hedge_after = "300ms")]
fn fetch() -> Result<u32, String> {
    Ok(1)
}

fn backup() -> Result<u32, String> {
    Ok(2)
}

fn main() {
    let _ = fetch();
}
