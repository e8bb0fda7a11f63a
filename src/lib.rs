//! The workspace's test and example package: integration tests live in `tests/`, the examples
//! in `examples/`. It has no library code of its own.
