//! `BreakerName`: a breaker's name as the breaker and its rejections keep it. A named breaker's
//! is `'static` (an attribute's literal, or copied once by `register_breaker`); a keyed
//! breaker's (`openai[<key>]`) is shared, so that it is freed with the breaker when the
//! breaker is evicted, and a rejection carries it without allocating.

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

/// A breaker's name: `'static`, or shared with a keyed breaker.
#[derive(Clone)]
pub(crate) enum BreakerName {
    /// A named breaker's: kept for the life of the process.
    Static(&'static str),
    /// A keyed breaker's: freed with the last breaker, rejection or snapshot holding it.
    Shared(Arc<str>),
}

impl BreakerName {
    /// The name.
    #[inline]
    pub(crate) fn as_str(&self) -> &str {
        match self {
            BreakerName::Static(name) => name,
            BreakerName::Shared(name) => name,
        }
    }

    /// The name as a snapshot keeps it: borrowed when `'static`, copied otherwise.
    pub(crate) fn to_cow(&self) -> Cow<'static, str> {
        match self {
            BreakerName::Static(name) => Cow::Borrowed(name),
            BreakerName::Shared(name) => Cow::Owned(name.to_string()),
        }
    }

    /// The name as a metrics label, without copying it.
    #[cfg(feature = "metrics")]
    pub(crate) fn label(&self) -> ::metrics::SharedString {
        match self {
            BreakerName::Static(name) => ::metrics::SharedString::const_str(name),
            BreakerName::Shared(name) => ::metrics::SharedString::from_shared(Arc::clone(name)),
        }
    }
}

impl PartialEq for BreakerName {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for BreakerName {}

impl fmt::Debug for BreakerName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for BreakerName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
