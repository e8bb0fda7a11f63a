//! Shared by the integration tests.

pub mod counting_alloc;
