//! Attribute macros of `retry-runtime`. Use them through `retry_runtime`, which re-exports them.
#![forbid(unsafe_code)]
