//! Deciding which failures are worth retrying.
