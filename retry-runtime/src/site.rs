//! Annotated functions: their names, resolved off the hot path, and their statistics (and,
//! with the `metrics` feature, their cached counter handles, see `metrics.rs`).

use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, OnceLock, PoisonError};

use crate::counters::Counters;

/// The name a retry reports in [`RetryEvent::function`](crate::RetryEvent::function).
///
/// A method's name needs its type, which an attribute on the method cannot see: the expansion
/// passes `core::any::type_name::<Self>` and the name `Type::method` is built on the first
/// failure and cached in the site's static, so the success path never touches it.
#[derive(Clone, Copy, Debug)]
pub(crate) enum FnName {
    /// A name only: no statistics (`retry(&P, ..)`, [`Retry::function`](crate::Retry::function)).
    Plain(&'static str),
    /// An annotated function's site: its name and its counters.
    Site {
        site: &'static Site,
        self_type: Option<fn() -> &'static str>,
    },
}

/// `core::any::type_name::<Self>`, for a method's `Type::name`.
pub(crate) type SelfType = fn() -> &'static str;

impl FnName {
    #[inline]
    pub(crate) fn get(self) -> &'static str {
        match self {
            FnName::Plain(name) => name,
            FnName::Site { site, self_type } => site.name(self_type),
        }
    }

    #[inline]
    fn site(self) -> Option<(&'static Site, Option<SelfType>)> {
        match self {
            FnName::Plain(_) => None,
            FnName::Site { site, self_type } => Some((site, self_type)),
        }
    }

    /// Counts a retry (a sleep and a next attempt) at the site, if there is one.
    #[inline]
    pub(crate) fn count_retry(self) {
        if let Some((site, self_type)) = self.site() {
            site.count(RETRY, self_type);
            #[cfg(feature = "metrics")]
            site.metrics.retry(&|| site.name(self_type));
        }
    }

    /// Records a give-up in `retry_give_ups_total`, if there is a site.
    #[cfg(feature = "metrics")]
    #[inline]
    pub(crate) fn record_give_up(self, reason: crate::events::GiveUp) {
        if let Some((site, self_type)) = self.site() {
            crate::metrics::give_up(site.name(self_type), reason);
        }
    }

    /// Counts a call that returns its last error, if there is a site.
    #[inline]
    pub(crate) fn count_give_up(self) {
        if let Some((site, self_type)) = self.site() {
            site.count(GIVE_UP, self_type);
        }
    }

    /// Counts a retry the budget refused, if there is a site.
    #[inline]
    pub(crate) fn count_budget_refusal(self) {
        if let Some((site, self_type)) = self.site() {
            site.count(BUDGET_REFUSAL, self_type);
        }
    }
}

/// The statistics of one annotated function, as [`stats`] returns them.
///
/// Counting happens only on failure paths: a call that succeeds at once touches none of it.
///
/// ```
/// use retry_runtime::SiteStats;
/// let s = SiteStats { function: "Client::chat", retries: 4, give_ups: 1, ..Default::default() };
/// assert_eq!(
///     s.to_string(),
///     "Client::chat: 4 retries, 1 give-ups, 0 fallbacks, 0 rejections, 0 budget refusals",
/// );
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct SiteStats {
    /// The function's name, `Type::name` for methods (as in
    /// [`RetryEvent::function`](crate::RetryEvent::function)).
    pub function: &'static str,
    /// Retries: each sleep followed by a next attempt.
    pub retries: u64,
    /// Calls that returned an error after retrying (or after deciding not to retry).
    pub give_ups: u64,
    /// Switches from a failed function or target to the next fallback target.
    pub fallbacks: u64,
    /// Calls rejected by an open circuit breaker.
    pub rejections: u64,
    /// Retries the function's retry budget refused.
    pub budget_refusals: u64,
    /// Calls (or attempts, under a retry) refused by a `#[rate_limit]` or
    /// `#[concurrency_limit]` of the function.
    pub limited: u64,
    /// Hedges: fallback targets started beside a running one by `hedge_after`.
    pub hedges: u64,
}

impl fmt::Display for SiteStats {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {} retries, {} give-ups, {} fallbacks, {} rejections, {} budget refusals",
            self.function,
            self.retries,
            self.give_ups,
            self.fallbacks,
            self.rejections,
            self.budget_refusals
        )?;
        // Only when they happened, so a function without limiters or hedging reads as before.
        if self.limited > 0 {
            write!(f, ", {} limited", self.limited)?;
        }
        if self.hedges > 0 {
            write!(f, ", {} hedges", self.hedges)?;
        }
        Ok(())
    }
}

/// Every site that has counted something, in registration order.
static SITES: Mutex<Vec<&'static Site>> = Mutex::new(Vec::new());

/// The statistics of every annotated function that has counted at least one event (a retry,
/// a give-up, a fallback, a circuit rejection or a budget refusal), sorted by function name.
///
/// Functions that never failed are not listed, nor are closures run through
/// [`retry`](crate::retry) or [`Retry`](crate::Retry) without a site. Two functions with the
/// same name (in different modules) are listed separately.
///
/// ```
/// use retry_runtime::stats;
/// for s in stats() {
///     println!("{s}");
/// }
/// ```
pub fn stats() -> Vec<SiteStats> {
    let sites: Vec<&'static Site> = SITES.lock().unwrap_or_else(PoisonError::into_inner).clone();
    let mut out: Vec<SiteStats> = sites.iter().map(|s| s.snapshot()).collect();
    out.sort_by(|a, b| a.function.cmp(b.function));
    out
}

/// One annotated function: its name (with a lazily built `Type::name` for methods) and its
/// counters. The attributes declare one `static` per function and hand it to every layer.
/// It joins the list [`stats`] reads on its first counted event.
#[doc(hidden)]
#[derive(Debug)]
pub struct Site {
    name: &'static str,
    full: OnceLock<&'static str>,
    registered: AtomicBool,
    counts: Counters<EVENTS>,
    #[cfg(feature = "metrics")]
    metrics: crate::metrics::SiteMetrics,
}

/// The events a site counts: indices into its counters.
const RETRY: usize = 0;
const GIVE_UP: usize = 1;
const FALLBACK: usize = 2;
const REJECTION: usize = 3;
const BUDGET_REFUSAL: usize = 4;
const LIMITED: usize = 5;
const HEDGE: usize = 6;
const EVENTS: usize = 7;

impl Site {
    /// The site of the function (or method) named `name`.
    ///
    /// ```
    /// static SITE: retry_runtime::__private::Site = retry_runtime::__private::Site::new("fetch");
    /// assert_eq!(SITE.name(None), "fetch");
    /// ```
    pub const fn new(name: &'static str) -> Self {
        Site {
            name,
            full: OnceLock::new(),
            registered: AtomicBool::new(false),
            counts: Counters::new(),
            #[cfg(feature = "metrics")]
            metrics: crate::metrics::SiteMetrics::new(),
        }
    }

    /// The site's cached counter handles.
    #[cfg(feature = "metrics")]
    #[inline(always)]
    pub(crate) fn metrics(&self) -> &crate::metrics::SiteMetrics {
        &self.metrics
    }

    /// The reported name: `name`, or `Type::name` when `self_type` (the expansion's
    /// `core::any::type_name::<Self>`) is given. Built once, then cached.
    ///
    /// ```
    /// struct Client;
    /// static SITE: retry_runtime::__private::Site = retry_runtime::__private::Site::new("chat");
    /// assert_eq!(SITE.name(Some(core::any::type_name::<Client>)), "Client::chat");
    /// assert_eq!(SITE.name(None), "Client::chat"); // cached
    /// ```
    #[inline]
    pub fn name(&self, self_type: Option<fn() -> &'static str>) -> &'static str {
        if let Some(full) = self.full.get() {
            return full;
        }
        match self_type {
            None => self.name,
            Some(self_type) => self.resolve(self_type),
        }
    }

    #[cold]
    #[inline(never)]
    fn resolve(&self, self_type: fn() -> &'static str) -> &'static str {
        self.full.get_or_init(|| {
            let name = format!("{}::{}", short_type_name(self_type()), self.name);
            // Once per annotated method for the life of the process: a bounded, deliberate leak.
            Box::leak(name.into_boxed_str())
        })
    }

    /// Counts a switch to a fallback target (the fallback attribute calls it).
    ///
    /// ```
    /// static SITE: retry_runtime::__private::Site = retry_runtime::__private::Site::new("site_doc_fallback");
    /// SITE.fallback(None);
    /// let s = retry_runtime::stats().into_iter().find(|s| s.function == "site_doc_fallback").unwrap();
    /// assert_eq!(s.fallbacks, 1);
    /// ```
    #[cold]
    #[inline(never)]
    pub fn fallback(&'static self, self_type: Option<fn() -> &'static str>) {
        self.count(FALLBACK, self_type);
    }

    /// Counts a call rejected by an open circuit breaker (the breaker attribute calls it).
    ///
    /// ```
    /// static SITE: retry_runtime::__private::Site = retry_runtime::__private::Site::new("site_doc_rejection");
    /// SITE.rejection(None);
    /// let s = retry_runtime::stats().into_iter().find(|s| s.function == "site_doc_rejection").unwrap();
    /// assert_eq!(s.rejections, 1);
    /// ```
    #[cold]
    #[inline(never)]
    pub fn rejection(&'static self, self_type: Option<fn() -> &'static str>) {
        self.count(REJECTION, self_type);
    }

    /// Counts a call refused by a limiter of the function (the limiter attributes call it).
    ///
    /// ```
    /// static SITE: retry_runtime::__private::Site = retry_runtime::__private::Site::new("site_doc_limited");
    /// SITE.limited(None);
    /// let s = retry_runtime::stats().into_iter().find(|s| s.function == "site_doc_limited").unwrap();
    /// assert_eq!(s.limited, 1);
    /// ```
    #[cold]
    #[inline(never)]
    pub fn limited(&'static self, self_type: Option<fn() -> &'static str>) {
        self.count(LIMITED, self_type);
    }

    /// Counts a hedge: a fallback target started beside a running one (`hedge_after`).
    ///
    /// ```
    /// static SITE: retry_runtime::__private::Site = retry_runtime::__private::Site::new("site_doc_hedge");
    /// SITE.hedge(None);
    /// let s = retry_runtime::stats().into_iter().find(|s| s.function == "site_doc_hedge").unwrap();
    /// assert_eq!(s.hedges, 1);
    /// ```
    #[cold]
    #[inline(never)]
    pub fn hedge(&'static self, self_type: Option<fn() -> &'static str>) {
        self.count(HEDGE, self_type);
    }

    /// The current counts.
    ///
    /// ```
    /// static SITE: retry_runtime::__private::Site = retry_runtime::__private::Site::new("quiet");
    /// assert_eq!(SITE.snapshot().retries, 0);
    /// ```
    pub fn snapshot(&self) -> SiteStats {
        SiteStats {
            function: self.full.get().copied().unwrap_or(self.name),
            retries: self.counts.sum(RETRY),
            give_ups: self.counts.sum(GIVE_UP),
            fallbacks: self.counts.sum(FALLBACK),
            rejections: self.counts.sum(REJECTION),
            budget_refusals: self.counts.sum(BUDGET_REFUSAL),
            limited: self.counts.sum(LIMITED),
            hedges: self.counts.sum(HEDGE),
        }
    }

    #[inline]
    fn count(&'static self, event: usize, self_type: Option<SelfType>) {
        self.counts.add(event);
        if !self.registered.load(Ordering::Relaxed) {
            self.register(self_type);
        }
    }

    #[cold]
    #[inline(never)]
    fn register(&'static self, self_type: Option<SelfType>) {
        // The name first, so the listing shows `Type::name` for methods.
        let _ = self.name(self_type);
        if !self.registered.swap(true, Ordering::AcqRel) {
            SITES
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(self);
        }
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
        static CACHE: Site = Site::new("chat");
        let name = FnName::Site {
            site: &CACHE,
            self_type: Some(core::any::type_name::<Provider>),
        };
        assert_eq!(name.get(), "Provider::chat");
        assert!(std::ptr::eq(name.get(), name.get()));
    }

    #[test]
    fn a_site_registers_once_on_its_first_count() {
        static SITE: Site = Site::new("site_unit_registers_once");
        let listed = || {
            stats()
                .into_iter()
                .filter(|s| s.function == "site_unit_registers_once")
                .count()
        };
        assert_eq!(listed(), 0);
        let name = FnName::Site {
            site: &SITE,
            self_type: None,
        };
        name.count_retry();
        name.count_retry();
        name.count_give_up();
        name.count_budget_refusal();
        assert_eq!(listed(), 1);
        let s = SITE.snapshot();
        assert_eq!(
            (s.retries, s.give_ups, s.budget_refusals, s.fallbacks),
            (2, 1, 1, 0)
        );
    }
}
