//! [`Fallback`]: a chain of fallback targets built at run time (the model list a configuration
//! file gives), with the attribute's semantics, and [`AllFailed`], the error of a chain whose
//! every target failed. One decision (`Fallback::failed`) serves both drivers, `run` and
//! `run_async`.

use std::error::Error;
use std::fmt;
use std::future::Future;

use crate::options::{ErrorPredicate, FallbackEvent, FallbackHook, ShowError, Unset};

/// A fallback chain built at run time: the targets come as a list of `(name, call)` pairs, from
/// a configuration file's `fallback_models` for instance, and are tried in order until one
/// returns `Ok`.
///
/// The semantics are the `#[fallback]` attribute's: the first `Ok` wins and the targets after
/// it never run; each switch from a failed target to the next is handed to
/// [`on_fallback`](Self::on_fallback) (and, with the `tracing` feature, is an `INFO` event);
/// an error that [`when`](Self::when) refuses stops the chain. When the chain ends without an
/// `Ok`, every error is returned in order with its target's name, as an [`AllFailed`].
///
/// Options not given cost nothing ([`Unset`]), the list is read lazily (a target is taken from
/// the iterator only once the one before it has failed), and a chain whose first target
/// succeeds allocates nothing.
///
/// ```
/// use retry_runtime::Fallback;
///
/// // The order a configuration file lists.
/// let models = vec!["gpt-4o".to_string(), "claude-sonnet".to_string(), "local-llama".to_string()];
/// let complete = |model: &str| -> Result<String, String> {
///     if model == "local-llama" { Ok(format!("{model}: hello")) } else { Err(format!("{model} is down")) }
/// };
///
/// let answer = Fallback::new().run(models.iter().map(|m| (m, move || complete(m))));
/// assert_eq!(answer.unwrap(), "local-llama: hello");
/// ```
#[derive(Clone, Copy, Debug)]
#[must_use = "a Fallback does nothing until `run` or `run_async` is called"]
pub struct Fallback<W = Unset, H = Unset, S = Unset> {
    when: W,
    on_fallback: H,
    show_error: S,
    function: &'static str,
}

impl Fallback {
    /// A chain with no options: every error switches to the next target.
    ///
    /// ```
    /// use retry_runtime::Fallback;
    /// let call = |name: &str| if name == "b" { Ok(2) } else { Err("down") };
    /// let r = Fallback::new().run(["a", "b"].map(|n| (n, move || call(n))));
    /// assert_eq!(r, Ok(2));
    /// ```
    #[inline]
    pub const fn new() -> Self {
        Fallback {
            when: Unset,
            on_fallback: Unset,
            show_error: Unset,
            function: "fallback",
        }
    }
}

impl Default for Fallback {
    fn default() -> Self {
        Self::new()
    }
}

impl<W, H, S> Fallback<W, H, S> {
    /// Switches to the next target only on errors for which `f` is true (default: every
    /// error). Any other error stops the chain: it is returned, last, in the [`AllFailed`],
    /// and [`AllFailed::stopped_early`] says so.
    ///
    /// ```
    /// use std::cell::Cell;
    /// use retry_runtime::Fallback;
    ///
    /// let backup_ran = Cell::new(false);
    /// let call = |name: &str| match name {
    ///     "primary" => Err(400), // a bad request: another provider would refuse it too
    ///     _ => { backup_ran.set(true); Ok(()) }
    /// };
    /// let r = Fallback::new()
    ///     .when(|status: &u16| *status >= 500)
    ///     .run(["primary", "backup"].map(|n| (n, move || call(n))));
    /// let failed = r.unwrap_err();
    /// assert_eq!(failed.errors(), [("primary".to_string(), 400)]);
    /// assert!(failed.stopped_early() && !backup_ran.get());
    /// ```
    #[inline]
    pub fn when<F>(self, f: F) -> Fallback<F, H, S> {
        Fallback {
            when: f,
            on_fallback: self.on_fallback,
            show_error: self.show_error,
            function: self.function,
        }
    }

    /// Called at each switch, with the error and the names of the target that failed (`from`)
    /// and of the one called next (`to`).
    ///
    /// ```
    /// use std::cell::RefCell;
    /// use retry_runtime::{Fallback, FallbackEvent};
    ///
    /// let switches = RefCell::new(Vec::new());
    /// let call = |name: &str| if name == "openai" { Err("429") } else { Ok("hi") };
    /// let r = Fallback::new()
    ///     .on_fallback(|ev: &FallbackEvent<'_, &str>| {
    ///         switches.borrow_mut().push(format!("{} -> {}: {}", ev.from, ev.to, ev.error))
    ///     })
    ///     .run(["openai", "anthropic"].map(|n| (n, move || call(n))));
    /// assert_eq!(r, Ok("hi"));
    /// assert_eq!(*switches.borrow(), ["openai -> anthropic: 429"]);
    /// ```
    #[inline]
    pub fn on_fallback<F>(self, f: F) -> Fallback<W, F, S> {
        Fallback {
            when: self.when,
            on_fallback: f,
            show_error: self.show_error,
            function: self.function,
        }
    }

    /// How the `INFO` event of a switch (with the `tracing` feature) shows the error:
    /// [`ShowDisplay`](crate::ShowDisplay) or [`ShowDebug`](crate::ShowDebug). By default the
    /// event carries no error, so no trait of `E` is needed.
    ///
    /// ```
    /// use retry_runtime::{Fallback, ShowDisplay};
    /// let call = |name: &str| if name == "a" { Err("down") } else { Ok(1) };
    /// let r = Fallback::new()
    ///     .show_error(ShowDisplay)
    ///     .run(["a", "b"].map(|n| (n, move || call(n))));
    /// assert_eq!(r, Ok(1));
    /// ```
    #[inline]
    pub fn show_error<F>(self, show: F) -> Fallback<W, H, F> {
        Fallback {
            when: self.when,
            on_fallback: self.on_fallback,
            show_error: show,
            function: self.function,
        }
    }

    /// Names the chain in its events (the `function` field; `"fallback"` by default), as
    /// [`Retry::function`](crate::Retry::function) does for a retry. A name alone adds no
    /// entry to [`stats`](crate::stats): statistics and metrics are kept for annotated
    /// functions.
    ///
    /// ```
    /// use retry_runtime::{AllFailed, Fallback};
    /// let r: Result<u8, AllFailed<()>> = Fallback::new().function("complete").run([("local", || Ok(7))]);
    /// assert_eq!(r, Ok(7));
    /// ```
    #[inline]
    pub const fn function(mut self, name: &'static str) -> Self {
        self.function = name;
        self
    }

    /// Calls the targets in order until one returns `Ok`, and returns that value; the targets
    /// after it are never taken from the list. Otherwise returns every error, in order, with
    /// its target's name: all of them when the last target failed, or those up to the first
    /// error [`when`](Self::when) refused. An empty list is an [`AllFailed`] with no error.
    ///
    /// `targets` is any `IntoIterator` of `(name, call)`, `name` anything `AsRef<str>`
    /// (`&str`, `String`, `&String`) and `call` any `FnOnce() -> Result<T, E>`.
    ///
    /// ```
    /// use retry_runtime::Fallback;
    ///
    /// let call = |name: &str| -> Result<(), &str> { Err(if name == "openai" { "503" } else { "oom" }) };
    /// let r = Fallback::new().run(["openai", "local"].map(|n| (n, move || call(n))));
    /// let failed = r.unwrap_err();
    /// assert_eq!(failed.to_string(), "all 2 fallback targets failed: openai: 503; local: oom");
    /// assert_eq!(failed.into_last(), Some("oom"));
    /// ```
    pub fn run<T, E, I, N, F>(&self, targets: I) -> Result<T, AllFailed<E>>
    where
        I: IntoIterator<Item = (N, F)>,
        N: AsRef<str>,
        F: FnOnce() -> Result<T, E>,
        W: ErrorPredicate<E>,
        H: FallbackHook<E>,
        S: ShowError<E>,
    {
        let mut targets = targets.into_iter().peekable();
        let mut failed = AllFailed::none();
        while let Some((name, call)) = targets.next() {
            match call() {
                Ok(value) => return Ok(value),
                Err(error) => {
                    let next = targets.peek().map(|(next, _)| next.as_ref());
                    if !self.failed(&mut failed, name.as_ref(), error, next) {
                        break;
                    }
                }
            }
        }
        Err(failed)
    }

    /// [`run`](Self::run) for async targets: each `call` is an `FnOnce() -> impl Future<Output
    /// = Result<T, E>>`, awaited in turn. The future is `Send` when the list, its names and
    /// calls and this chain's options are. Dropping it at any point runs nothing further: a
    /// target is called only once the one before it has failed.
    ///
    /// It needs no particular runtime (it never sleeps).
    ///
    /// ```
    /// use retry_runtime::Fallback;
    ///
    /// async fn complete(model: &str) -> Result<String, String> {
    ///     if model == "claude" { Ok("hi".into()) } else { Err(format!("{model}: 529")) }
    /// }
    ///
    /// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
    /// let models = ["gpt-4o", "claude"];
    /// let r = Fallback::new().run_async(models.map(|m| (m, move || complete(m)))).await;
    /// assert_eq!(r.unwrap(), "hi");
    /// # });
    /// ```
    pub async fn run_async<T, E, I, N, F, Fut>(&self, targets: I) -> Result<T, AllFailed<E>>
    where
        I: IntoIterator<Item = (N, F)>,
        N: AsRef<str>,
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<T, E>>,
        W: ErrorPredicate<E>,
        H: FallbackHook<E>,
        S: ShowError<E>,
    {
        let mut targets = targets.into_iter().peekable();
        let mut failed = AllFailed::none();
        while let Some((name, call)) = targets.next() {
            match call().await {
                Ok(value) => return Ok(value),
                Err(error) => {
                    let next = targets.peek().map(|(next, _)| next.as_ref());
                    if !self.failed(&mut failed, name.as_ref(), error, next) {
                        break;
                    }
                }
            }
        }
        Err(failed)
    }

    /// The one decision of both drivers, after target `from` failed with `error`: whether the
    /// chain goes on to `next` (the name of the target after it, if any). A switch calls the
    /// hook and writes the event; the error is kept either way.
    #[cold]
    fn failed<E>(&self, failed: &mut AllFailed<E>, from: &str, error: E, next: Option<&str>) -> bool
    where
        W: ErrorPredicate<E>,
        H: FallbackHook<E>,
        S: ShowError<E>,
    {
        let goes_on = match next {
            None => false,
            Some(to) if self.when.test(&error) != Some(false) => {
                self.on_fallback.call(&FallbackEvent {
                    error: &error,
                    from,
                    to,
                });
                crate::events::fallback(self.function, from, to, &error, &self.show_error);
                true
            }
            Some(_) => {
                failed.stopped_early = true;
                false
            }
        };
        failed.errors.push((from.to_owned(), error));
        goes_on
    }
}

/// The error of a [`Fallback`] chain that ended without an `Ok`: every target's error, in the
/// order they ran, each with its target's name.
///
/// Either every target failed, or one failed with an error the chain's `when` refused, which
/// stopped it ([`stopped_early`](Self::stopped_early)); that error is then the last. An empty
/// chain gives an `AllFailed` with no error. `Display` (when `E: Display`) lists them all;
/// it is an [`Error`] when `E` is one, with the last error as its `source`.
///
/// ```
/// use retry_runtime::{AllFailed, Fallback};
///
/// fn complete(provider: &str) -> Result<(), &'static str> {
///     Err(match provider {
///         "openai" => "429 rate limited",
///         "anthropic" => "529 overloaded",
///         _ => "connection refused",
///     })
/// }
/// let providers = ["openai", "anthropic", "local"];
/// let r: Result<(), AllFailed<&str>> = Fallback::new().run(providers.map(|p| (p, move || complete(p))));
/// let failed = r.unwrap_err();
/// assert_eq!(
///     failed.to_string(),
///     "all 3 fallback targets failed: openai: 429 rate limited; anthropic: 529 overloaded; local: connection refused",
/// );
/// assert_eq!(failed.errors()[1], ("anthropic".to_string(), "529 overloaded"));
/// assert_eq!(failed.last(), Some(&"connection refused"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AllFailed<E> {
    errors: Vec<(String, E)>,
    stopped_early: bool,
}

impl<E> AllFailed<E> {
    /// Nothing failed yet.
    const fn none() -> Self {
        AllFailed {
            errors: Vec::new(),
            stopped_early: false,
        }
    }

    /// Every error, in the order the targets ran, with its target's name.
    ///
    /// ```
    /// use retry_runtime::Fallback;
    /// let call = |name: &str| Err::<(), _>(if name == "a" { 1 } else { 2 });
    /// let failed = Fallback::new().run(["a", "b"].map(|n| (n, move || call(n)))).unwrap_err();
    /// assert_eq!(failed.errors(), [("a".to_string(), 1), ("b".to_string(), 2)]);
    /// ```
    pub fn errors(&self) -> &[(String, E)] {
        &self.errors
    }

    /// The last error (the last target's, or the one that stopped the chain); `None` for an
    /// empty chain.
    ///
    /// ```
    /// use retry_runtime::Fallback;
    /// let call = |name: &str| Err::<(), _>(if name == "a" { 1 } else { 2 });
    /// let failed = Fallback::new().run(["a", "b"].map(|n| (n, move || call(n)))).unwrap_err();
    /// assert_eq!(failed.last(), Some(&2));
    /// ```
    pub fn last(&self) -> Option<&E> {
        self.errors.last().map(|(_, error)| error)
    }

    /// The last error, by value, as the attribute returns it; `None` for an empty chain.
    ///
    /// ```
    /// use retry_runtime::Fallback;
    /// let failed = Fallback::new().run([("a", || Err::<(), _>("down".to_string()))]).unwrap_err();
    /// assert_eq!(failed.into_last(), Some("down".to_string()));
    /// ```
    pub fn into_last(self) -> Option<E> {
        self.errors.into_iter().next_back().map(|(_, error)| error)
    }

    /// Every error with its target's name, by value.
    ///
    /// ```
    /// use retry_runtime::Fallback;
    /// let failed = Fallback::new().run([("a", || Err::<(), _>(1))]).unwrap_err();
    /// assert_eq!(failed.into_errors(), vec![("a".to_string(), 1)]);
    /// ```
    pub fn into_errors(self) -> Vec<(String, E)> {
        self.errors
    }

    /// Whether the chain stopped at an error its `when` refused, leaving later targets
    /// untried (`false` when every target ran, and for an empty chain).
    ///
    /// ```
    /// use retry_runtime::Fallback;
    /// let call = |name: &str| if name == "a" { Err(401) } else { Ok(()) };
    /// let failed = Fallback::new()
    ///     .when(|e: &u16| *e != 401)
    ///     .run(["a", "b"].map(|n| (n, move || call(n))))
    ///     .unwrap_err();
    /// assert!(failed.stopped_early());
    /// ```
    pub const fn stopped_early(&self) -> bool {
        self.stopped_early
    }
}

/// `all 3 fallback targets failed: openai: <e1>; anthropic: <e2>; local: <e3>`; with one
/// target, `the only fallback target failed: local: <e>`; for a chain stopped by `when`,
/// `fallback stopped at an error that does not fall back, after 2 targets: openai: <e1>;
/// anthropic: <e2>`; for an empty chain, `no fallback targets to try`.
///
/// ```
/// use retry_runtime::Fallback;
/// let empty: Vec<(&str, fn() -> Result<(), &'static str>)> = Vec::new();
/// assert_eq!(Fallback::new().run(empty).unwrap_err().to_string(), "no fallback targets to try");
/// let one = Fallback::new().run([("local", || Err::<(), _>("oom"))]).unwrap_err();
/// assert_eq!(one.to_string(), "the only fallback target failed: local: oom");
/// ```
impl<E: fmt::Display> fmt::Display for AllFailed<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.errors.len(), self.stopped_early) {
            (0, _) => return f.write_str("no fallback targets to try"),
            (1, false) => f.write_str("the only fallback target failed")?,
            (n, false) => write!(f, "all {n} fallback targets failed")?,
            (1, true) => {
                f.write_str("fallback stopped at an error that does not fall back, after 1 target")?
            }
            (n, true) => write!(
                f,
                "fallback stopped at an error that does not fall back, after {n} targets"
            )?,
        }
        for (k, (name, error)) in self.errors.iter().enumerate() {
            let separator = if k == 0 { ": " } else { "; " };
            write!(f, "{separator}{name}: {error}")?;
        }
        Ok(())
    }
}

/// An `AllFailed` of errors is an error; its `source` is the last error.
///
/// ```
/// use std::error::Error;
/// use retry_runtime::Fallback;
/// let failed = Fallback::new()
///     .run([("disk", || Err::<(), _>(std::io::Error::other("full")))])
///     .unwrap_err();
/// assert_eq!(failed.source().unwrap().to_string(), "full");
/// ```
impl<E: Error + 'static> Error for AllFailed<E> {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        self.last().map(|error| error as &(dyn Error + 'static))
    }
}
