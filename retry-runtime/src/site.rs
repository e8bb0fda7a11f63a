//! Names of annotated functions, resolved off the hot path.

use std::sync::OnceLock;

/// The name a retry reports in [`RetryEvent::function`](crate::RetryEvent::function).
///
/// A method's name needs its type, which an attribute on the method cannot see: the expansion
/// passes `core::any::type_name::<Self>` and the name `Type::method` is built on the first
/// failure and cached in the site's static, so the success path never touches it.
#[derive(Clone, Copy, Debug)]
pub(crate) enum FnName {
    Plain(&'static str),
    Method {
        cache: &'static MethodName,
        self_type: fn() -> &'static str,
    },
}

impl FnName {
    #[inline]
    pub(crate) fn get(self) -> &'static str {
        match self {
            FnName::Plain(name) => name,
            FnName::Method { cache, self_type } => cache.resolve(self_type),
        }
    }
}

/// The per-site cache of a method's `Type::name`.
#[doc(hidden)]
#[derive(Debug)]
pub struct MethodName {
    method: &'static str,
    full: OnceLock<&'static str>,
}

impl MethodName {
    /// A cache for the method named `method`.
    pub const fn new(method: &'static str) -> Self {
        MethodName {
            method,
            full: OnceLock::new(),
        }
    }

    fn resolve(&self, self_type: fn() -> &'static str) -> &'static str {
        self.full.get_or_init(|| {
            let name = format!("{}::{}", short_type_name(self_type()), self.method);
            // Once per annotated method for the life of the process: a bounded, deliberate leak.
            Box::leak(name.into_boxed_str())
        })
    }
}

/// `my_crate::client::Provider<alloc::string::String>` → `Provider`.
fn short_type_name(full: &str) -> &str {
    let base = full.split('<').next().unwrap_or(full);
    base.rsplit("::").next().unwrap_or(base)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_names() {
        assert_eq!(short_type_name("a::b::Provider<c::D>"), "Provider");
        assert_eq!(short_type_name("Provider"), "Provider");
        assert_eq!(short_type_name("&mut a::B"), "B");
    }

    #[test]
    fn method_names_are_cached() {
        struct Provider;
        static CACHE: MethodName = MethodName::new("chat");
        let name = FnName::Method {
            cache: &CACHE,
            self_type: core::any::type_name::<Provider>,
        };
        assert_eq!(name.get(), "Provider::chat");
        assert!(std::ptr::eq(name.get(), name.get()));
    }
}
