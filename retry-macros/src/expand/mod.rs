//! Code generation: the token helpers every layer shares, and one module per attribute.
//!
//! Every layer reaches the runtime through absolute paths into its `__private` module (or
//! the public API), spanned at the user's tokens where an error should point. A layer is an
//! expression producing the function's result; [`Wrapped`] is what it wraps (the user's body
//! or the layer below) and [`FnContext`] what all layers of one function share; [`fused`]
//! puts the layers of a stack together. This module imports none of its children.

use std::time::Duration;

use proc_macro2::{Literal, Span, TokenStream};
use quote::{format_ident, quote};
use syn::spanned::Spanned;
use syn::{Block, Expr, Ident};

use crate::parse::values::{Env, Setting};
use crate::shape::Flavor;

mod breaker;
mod fallback;
pub(crate) mod fused;
mod limit;
mod retry;

/// What every layer of one expansion shares.
pub(crate) struct FnContext {
    pub(crate) flavor: Flavor,
    /// The function's name as written (`chat`).
    pub(crate) name: String,
    pub(crate) has_receiver: bool,
    /// The hygienic type marker tied to the return type.
    pub(crate) marker: Ident,
    /// The function's `static` [`Site`]: its name and statistics, shared by every layer.
    pub(crate) site: Ident,
    /// The function's return type (or its name, without one).
    pub(crate) return_span: Span,
}

impl FnContext {
    /// The marker, placed at `span` (errors about it point there).
    pub(crate) fn marker_at(&self, span: Span) -> Ident {
        Ident::new("__retry_marker", Span::mixed_site().located_at(span))
    }

    /// The marker of the return type as written (`R`, maybe an alias); the layers'
    /// [`marker`](Self::marker) spells it `Result<T, E>`.
    pub(crate) fn returned(&self) -> Ident {
        Ident::new("__retry_returned", self.at_return())
    }

    /// [`returned`](Self::returned), placed at `span`.
    pub(crate) fn returned_at(&self, span: Span) -> Ident {
        Ident::new("__retry_returned", Span::mixed_site().located_at(span))
    }

    /// The user's body's result (`body`, of the return type as written) as the layers'
    /// `Result<T, E>`, converted at the return type: a return type that is not a result is
    /// reported there, once.
    pub(crate) fn body_result(&self, krate: &TokenStream, body: TokenStream) -> TokenStream {
        let at = self.at_return();
        let private = self.private_at_return(krate);
        let value = Ident::new("__retry_value", at);
        quote::quote_spanned!(at=> { let #value = #body; #private::into_result(#value) })
    }

    /// A sync attempt (`attempt`, a closure returning the return type as written) as a
    /// closure returning the layers' `Result<T, E>`, converted at the return type like
    /// [`body_result`](Self::body_result).
    pub(crate) fn attempt_result(&self, krate: &TokenStream, attempt: TokenStream) -> TokenStream {
        let at = self.at_return();
        let private = self.private_at_return(krate);
        let value = Ident::new("__retry_attempt", at);
        quote::quote_spanned!(at=> { let #value = #attempt; #private::attempt_result(#value) })
    }

    /// The one span of every token of the calls that convert between the return type as
    /// written and `Result<T, E>` (`check_result`, `into_result`, `attempt_result`,
    /// `from_result`): at the return type, all with one hygiene, so when the return type is not
    /// a result rustc finds the same unmet bound at the same span each time and reports it once.
    pub(crate) fn at_return(&self) -> Span {
        Span::mixed_site().located_at(self.return_span)
    }

    /// `<krate>::__private`, every token at [`at_return`](Self::at_return).
    pub(crate) fn private_at_return(&self, krate: &TokenStream) -> TokenStream {
        let at = self.at_return();
        quote!(#krate::__private)
            .into_iter()
            .map(|mut t| {
                t.set_span(at);
                t
            })
            .collect()
    }

    /// A user's option (`when`, `on_fallback`...) typed through the marker's `how` method,
    /// placed at the expression so a closure of the wrong type is reported there; `Unset` when
    /// not given.
    pub(crate) fn typed(
        &self,
        krate: &TokenStream,
        option: Option<&Expr>,
        how: &str,
    ) -> TokenStream {
        match option {
            Some(expr) => {
                let span = expr.span();
                let marker_here = self.marker_at(span);
                let how = Ident::new(how, span);
                quote::quote_spanned!(span=> #marker_here.#how(#expr))
            }
            None => quote!(#krate::Unset),
        }
    }

    /// A user's expression placed in the function's body (a breaker's `key`, `open_error`):
    /// as written, except that in an `#[async_trait]` body, where `self` was moved into
    /// `__self`, each `self` becomes `__self` (as `#[async_trait]` does to the body itself).
    pub(crate) fn in_body(&self, expr: &Expr) -> TokenStream {
        // `self`, but not `self::path`.
        fn replace_self(tokens: TokenStream) -> TokenStream {
            use proc_macro2::{Group, TokenTree};
            let tokens: Vec<TokenTree> = tokens.into_iter().collect();
            let path_follows = |i: usize| matches!(tokens.get(i + 1), Some(TokenTree::Punct(p)) if p.as_char() == ':');
            let mut out = Vec::with_capacity(tokens.len());
            for (i, token) in tokens.iter().enumerate() {
                out.push(match token {
                    TokenTree::Ident(ident) if ident == "self" && !path_follows(i) => {
                        TokenTree::Ident(Ident::new("__self", ident.span()))
                    }
                    TokenTree::Group(group) => {
                        let mut new = Group::new(group.delimiter(), replace_self(group.stream()));
                        new.set_span(group.span());
                        TokenTree::Group(new)
                    }
                    other => other.clone(),
                });
            }
            out.into_iter().collect()
        }
        if self.flavor == Flavor::AsyncTrait {
            replace_self(quote!(#expr))
        } else {
            quote!(#expr)
        }
    }

    /// `Some(type_name::<Self>)` for methods (named `Type::f`), else `None`.
    pub(crate) fn self_type(&self) -> TokenStream {
        self_type(self.has_receiver)
    }

    /// The name reported for this function: `"f"`, or `Type::f` for methods (built once, on
    /// first use, off the success path).
    pub(crate) fn name_expr(&self) -> TokenStream {
        let (site, self_type) = (&self.site, self.self_type());
        quote!(#site.name(#self_type))
    }

    /// Picks how events show the error: its `Display`, else its `Debug`, else nothing, by
    /// autoref on the marker (no bound on `E`).
    pub(crate) fn pick_show_error(&self, krate: &TokenStream) -> TokenStream {
        let marker = &self.marker;
        quote!({
            #[allow(unused_imports)]
            use #krate::__private::autoref::*;
            #[allow(clippy::needless_borrow)]
            let show_error = (&&&#marker).pick_show_error();
            show_error
        })
    }
}

fn self_type(method: bool) -> TokenStream {
    if method {
        quote!(::core::option::Option::Some(::core::any::type_name::<Self>))
    } else {
        quote!(::core::option::Option::None)
    }
}

/// `"f"`, or for a method (`Self::f`) a per-site cache of `Type::f`.
pub(crate) fn name_expr(krate: &TokenStream, name: &str, method: bool) -> TokenStream {
    if method {
        let cache = format_ident!("__RETRY_NAME", span = Span::mixed_site());
        let self_type = self_type(true);
        quote!({
            static #cache: #krate::__private::Site = #krate::__private::Site::new(#name);
            #cache.name(#self_type)
        })
    } else {
        quote!(#name)
    }
}

/// What a layer wraps: the user's body, or the expression of the layer below.
pub(crate) enum Wrapped {
    /// The user's body (for the innermost layer).
    Body(Block),
    /// The expression of the layer below.
    Layer(TokenStream),
}

impl Wrapped {
    /// An expression that runs what is wrapped one time and gives its result (a breaker's
    /// guarded call, a fallback's primary).
    pub(crate) fn run_once(self, ctx: &FnContext, krate: &TokenStream) -> TokenStream {
        match self {
            // Typed by the return type, so a layer below that is a loop (`break Ok(v)`) gets
            // its coercions too.
            Wrapped::Layer(e) => {
                let marker = &ctx.marker;
                quote!(#krate::__private::Marker::tie(#marker, #e))
            }
            Wrapped::Body(body) => {
                let span = body.brace_token.span.join();
                let krate = respan(krate, span);
                let returned = ctx.returned_at(span);
                let result = if ctx.flavor.is_async() {
                    // The body is the argument of `tie`, so it is checked against the return type
                    // (`Ok(&self.name)` coerces to `Result<&str, E>`).
                    quote::quote_spanned!(span=> async { #krate::__private::Marker::tie(#returned, #body) }.await)
                } else {
                    // A closure, so `?` and `return` end this run of the body only.
                    quote::quote_spanned!(span=> #krate::__private::Marker::call(&#returned, || #body))
                };
                ctx.body_result(&krate, result)
            }
        }
    }
}

/// The runtime crate's path: for `crate = "..."` the name its one `use` (see [`crate_import`])
/// gives it, or `::retry_runtime`.
pub(crate) fn runtime_path(krate: &Option<Setting<syn::Path>>) -> TokenStream {
    match krate {
        Some(k) => {
            let alias = crate_alias(&k.value);
            quote!(#alias)
        }
        None => quote!(::retry_runtime),
    }
}

/// The hygienic name of a `crate = "..."` path, one per distinct path.
fn crate_alias(path: &syn::Path) -> Ident {
    let text: String = quote!(#path)
        .to_string()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    format_ident!("__retry_crate_{}", text, span = Span::mixed_site())
}

/// `use <path> as <alias>;` for a `crate = "..."` path (the path keeps the literal's span):
/// a path that does not resolve is reported once, at the literal, and the failed import
/// silences every use of the alias.
pub(crate) fn crate_import(krate: &Option<Setting<syn::Path>>) -> Option<(Ident, TokenStream)> {
    let setting = krate.as_ref()?;
    let (path, span) = (&setting.value, setting.value_span);
    let alias = crate_alias(path);
    let alias_here = Ident::new(&alias.to_string(), Span::mixed_site().located_at(span));
    Some((
        alias,
        quote::quote_spanned!(span=> #[allow(unused_imports)] use #path as #alias_here;),
    ))
}

/// `Duration` as a `const` expression.
pub(crate) fn duration_tokens(d: Duration) -> TokenStream {
    let secs = Literal::u64_suffixed(d.as_secs());
    let nanos = Literal::u32_suffixed(d.subsec_nanos());
    quote!(::core::time::Duration::new(#secs, #nanos))
}

/// `EnvNames::new(prefix, &[(key, variable), ...])`: where a site's `env` reads overrides.
pub(crate) fn env_names(krate: &TokenStream, env: &Env) -> TokenStream {
    let prefix = match &env.prefix {
        Some(prefix) => quote!(::core::option::Option::Some(#prefix)),
        None => quote!(::core::option::Option::None),
    };
    let named = env.named.iter().map(|named| {
        let (key, variable) = (named.key.name(), &named.variable);
        quote!((#key, #variable))
    });
    quote!(#krate::__private::EnvNames::new(#prefix, &[#(#named),*]))
}

/// `<krate>::__private::<name>`, located at the user's predicate when there is one: a call
/// that takes a value typed by [`FnContext::typed`]'s `predicate` (an opaque type) then reports
/// a predicate of the wrong type where it was typed, once, not again at the attribute.
pub(crate) fn private_fn_at(
    krate: &TokenStream,
    name: &str,
    predicate: Option<&Expr>,
) -> TokenStream {
    let span = predicate.map_or_else(Span::call_site, |e| e.span());
    let private_here = at_user(&quote!(#krate::__private), span);
    let name = Ident::new(name, span);
    quote::quote_spanned!(span=> #private_here::#name)
}

/// The same tokens, wholly at the user's `span` (resolved there too: for the runtime's
/// absolute path or a `crate = "..."` alias this is where they resolve anyway), so an error at
/// them reads as one at the user's tokens.
pub(crate) fn at_user(tokens: &TokenStream, span: Span) -> TokenStream {
    tokens
        .clone()
        .into_iter()
        .map(|mut t| {
            t.set_span(span);
            t
        })
        .collect()
}

/// The same tokens, located at `span` (keeping their hygiene).
pub(crate) fn respan(tokens: &TokenStream, span: Span) -> TokenStream {
    tokens
        .clone()
        .into_iter()
        .map(|mut t| {
            t.set_span(t.span().located_at(span));
            t
        })
        .collect()
}
