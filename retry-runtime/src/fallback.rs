//! `#[fallback]`: what a switch to the next target reports.

use crate::retry::Unset;

/// What `on_fallback` receives when a call switches to its next target.
///
/// `from` is the function (or target) that just failed with `error`, `to` the target about to
/// be called. Names end with the function's name, with `Type::` for methods
/// (`Provider::chat`).
///
/// ```
/// use retry_runtime::FallbackEvent;
///
/// let error = "503";
/// let event = FallbackEvent { error: &error, from: "Provider::chat", to: "Provider::backup" };
/// assert_eq!(format!("{} -> {}: {}", event.from, event.to, event.error), "Provider::chat -> Provider::backup: 503");
/// ```
#[derive(Debug)]
pub struct FallbackEvent<'a, E> {
    /// The error that made the call switch.
    pub error: &'a E,
    /// The function or target that failed.
    pub from: &'static str,
    /// The target called next.
    pub to: &'static str,
}

impl<E> Clone for FallbackEvent<'_, E> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<E> Copy for FallbackEvent<'_, E> {}

/// A hook called with a [`FallbackEvent`] (`on_fallback`): implemented for every
/// `Fn(&FallbackEvent<'_, E>)` and for [`Unset`].
pub trait FallbackHook<E> {
    /// Calls the hook.
    fn call(&self, event: &FallbackEvent<'_, E>);
}

impl<E> FallbackHook<E> for Unset {
    #[inline(always)]
    fn call(&self, _: &FallbackEvent<'_, E>) {}
}

impl<E, F: Fn(&FallbackEvent<'_, E>)> FallbackHook<E> for F {
    #[inline]
    fn call(&self, event: &FallbackEvent<'_, E>) {
        self(event)
    }
}
