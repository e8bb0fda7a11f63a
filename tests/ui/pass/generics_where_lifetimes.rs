use std::collections::HashMap;
use std::fmt::Debug;
use std::hash::Hash;

use retry_runtime::retry_on_failure;

#[derive(Debug, PartialEq)]
struct Missing<K>(K);

#[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
fn lookup<'a, 'b: 'a, K, V>(map: &'a HashMap<K, V>, key: &'b K) -> Result<&'a V, Missing<K>>
where
    K: Hash + Eq + Clone + Debug,
    V: PartialEq + 'a,
{
    map.get(key).ok_or_else(|| Missing(key.clone()))
}

struct Cache<'s, T: Clone> {
    items: &'s [T],
}

impl<'s, T: Clone + Debug> Cache<'s, T> {
    #[retry_on_failure(max_attempts = 2, initial_delay = "0s", when = |e| e.0 < 10)]
    fn nth<const N: usize>(&self) -> Result<T, Missing<usize>> {
        self.items.get(N).cloned().ok_or(Missing(N))
    }

    #[retry_on_failure(max_attempts = 2, initial_delay = "0s")]
    async fn first<'x>(&'x self, (skip, _): (usize, &'x str)) -> Result<&'s T, Missing<usize>>
    where
        T: Send,
    {
        self.items.get(skip).ok_or(Missing(skip))
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let mut map = HashMap::new();
    map.insert("a", 1);
    assert_eq!(lookup(&map, &"a"), Ok(&1));
    assert_eq!(lookup(&map, &"b"), Err(Missing("b")));
    let cache = Cache { items: &[1, 2, 3] };
    assert_eq!(cache.nth::<1>(), Ok(2));
    assert_eq!(cache.nth::<7>(), Err(Missing(7)));
    assert_eq!(cache.first((2, "x")).await, Ok(&3));
}
