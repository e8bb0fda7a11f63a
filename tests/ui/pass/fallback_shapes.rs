// `#[fallback]` on the function shapes of real code: paths with generics, `Self::`, lists,
// `&mut self`, references, `impl Trait` arguments with a single target.
use retry_runtime::{fallback, FallbackEvent};

#[derive(Debug, Clone)]
struct ApiError;

mod backups {
    pub fn module_target(x: &str) -> Result<usize, super::ApiError> {
        Ok(x.len())
    }
}

#[fallback(to = backups::module_target)]
fn module_path(x: &str) -> Result<usize, ApiError> {
    let _ = x;
    Err(ApiError)
}

fn takes_iter(items: impl Iterator<Item = u32>) -> Result<u32, ApiError> {
    Ok(items.sum())
}

#[fallback(to = takes_iter)]
fn impl_trait_arg(items: impl Iterator<Item = u32>) -> Result<u32, ApiError> {
    let _ = items.size_hint();
    Err(ApiError)
}

struct Store {
    data: Vec<u32>,
}

impl Store {
    #[fallback(to = [Self::second, Self::third], when = |_| true, on_fallback = Self::log)]
    fn push(&mut self, mut x: u32, tag: &str) -> Result<usize, ApiError> {
        x += 1;
        let _ = (x, tag);
        Err(ApiError)
    }

    fn second(&mut self, x: u32, tag: &str) -> Result<usize, ApiError> {
        let _ = (x, tag);
        Err(ApiError)
    }

    fn third(&mut self, x: u32, _tag: &str) -> Result<usize, ApiError> {
        self.data.push(x);
        Ok(self.data.len())
    }

    fn log(event: &FallbackEvent<'_, ApiError>) {
        println!("{} -> {}", event.from, event.to);
    }

    #[fallback(to = Self::by_value_backup)]
    fn by_value(self) -> Result<Vec<u32>, ApiError> {
        Err(ApiError)
    }

    fn by_value_backup(self) -> Result<Vec<u32>, ApiError> {
        Ok(self.data)
    }
}

fn main() {
    assert_eq!(module_path("abc").unwrap(), 3);
    assert_eq!(impl_trait_arg([1, 2].into_iter()).unwrap(), 3);
    let mut s = Store { data: Vec::new() };
    assert_eq!(s.push(1, "t").unwrap(), 1);
    // The primary's `x += 1` is seen by the targets: the same argument variables.
    assert_eq!(s.by_value().unwrap(), vec![2]);
}
