//! Breakers, retry budgets and rate limiters of `retry-runtime` shared by a fleet of
//! processes through Redis.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod keys;
mod scripts;
