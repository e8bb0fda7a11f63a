use retry_runtime::fallback;

#[fallback(to = backup, hedging_delay = "300ms")]
async fn fetch() -> Result<u32, String> {
    Ok(1)
}

async fn backup() -> Result<u32, String> {
    Ok(2)
}

fn main() {
    let _ = fetch();
}
