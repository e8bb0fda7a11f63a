//! One entry for the three attributes, and how they stack.
//!
//! Attributes apply outermost first. Whichever of ours the compiler expands first (the
//! outermost) also takes the ones below it off the function, so a stack becomes one fused
//! expansion: the user's body is wrapped by the innermost layer, that by the next, and so on,
//! each layer an expression producing the function's result. This is what makes the documented
//! order `#[fallback] #[retry_on_failure] #[circuit_breaker]` mean exactly what it says (a
//! breaker call per attempt, a fallback after the retry gave up), and lets layers cooperate:
//! a breaker below a retry tells it when a call was rejected by an open circuit, and the retry
//! then gives up at once instead of sleeping.
//!
//! The function's name is one `use <attribute path> as _;` away from being an unused import
//! when its attribute was expanded by another: the expansion emits that `use` for every
//! attribute it took over.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote};
use syn::spanned::Spanned;
use syn::{Attribute, Block, Expr, Ident, Meta};

use crate::attr::{BreakerArgs, FallbackArgs, RetryArgs, Setting};
use crate::ctxt::Errors;
use crate::retry::runtime_path;
use crate::shape::{Flavor, Function};
use crate::{expand_breaker, expand_fallback, expand_retry};

/// Which attribute.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Retry,
    Breaker,
    Fallback,
}

impl Kind {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Kind::Retry => "retry_on_failure",
            Kind::Breaker => "circuit_breaker",
            Kind::Fallback => "fallback",
        }
    }

    /// One of ours, recognised by the last segment of its path (`retry_on_failure`,
    /// `retry_runtime::circuit_breaker`, ...).
    fn of(attr: &Attribute) -> Option<Kind> {
        let last = attr.path().segments.last()?.ident.to_string();
        [Kind::Retry, Kind::Breaker, Kind::Fallback]
            .into_iter()
            .find(|k| k.name() == last)
    }
}

/// One parsed attribute of a stack.
pub(crate) enum Layer {
    Retry(Box<RetryArgs>),
    Breaker(Box<BreakerArgs>),
    Fallback(Box<FallbackArgs>),
}

impl Layer {
    fn parse(kind: Kind, tokens: TokenStream, attr_span: Span) -> (Layer, Errors) {
        match kind {
            Kind::Retry => {
                let (args, errors) = RetryArgs::parse(tokens, attr_span);
                (Layer::Retry(Box::new(args)), errors)
            }
            Kind::Breaker => {
                let (args, errors) = BreakerArgs::parse(tokens, attr_span);
                (Layer::Breaker(Box::new(args)), errors)
            }
            Kind::Fallback => {
                let (args, errors) = FallbackArgs::parse(tokens, attr_span);
                (Layer::Fallback(Box::new(args)), errors)
            }
        }
    }

    fn krate(&self) -> TokenStream {
        runtime_path(match self {
            Layer::Retry(a) => &a.krate,
            Layer::Breaker(a) => &a.krate,
            Layer::Fallback(a) => &a.krate,
        })
    }
}

/// What every layer of one expansion shares.
pub(crate) struct Cx {
    pub(crate) flavor: Flavor,
    /// The function's name as written (`chat`).
    pub(crate) name: String,
    pub(crate) has_receiver: bool,
    /// The hygienic type marker tied to the return type.
    pub(crate) marker: Ident,
    /// The function's `static` [`Site`]: its name and statistics, shared by every layer.
    pub(crate) site: Ident,
}

impl Cx {
    /// The marker, placed at `span` (errors about it point there).
    pub(crate) fn marker_at(&self, span: Span) -> Ident {
        Ident::new("__retry_marker", Span::mixed_site().located_at(span))
    }

    /// A user's option (`when`, `on_fallback`...) typed through the marker's `how` method,
    /// placed at the expression so a closure of the wrong type is reported there; `Unset` when
    /// not given.
    pub(crate) fn typed(
        &self,
        krate: &TokenStream,
        option: &Option<Setting<Expr>>,
        how: &str,
    ) -> TokenStream {
        match option {
            Some(s) => {
                let expr = &s.value;
                let span = expr.span();
                let marker_here = self.marker_at(span);
                let how = Ident::new(how, span);
                quote::quote_spanned!(span=> #marker_here.#how(#expr))
            }
            None => quote!(#krate::Unset),
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

    /// The error shower for events: the error's `Display`, else its `Debug`, else nothing,
    /// picked by autoref on the marker (no bound on `E`).
    pub(crate) fn shower(&self, krate: &TokenStream) -> TokenStream {
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
pub(crate) enum Inner {
    Body(Block),
    Expr(TokenStream),
}

impl Inner {
    /// An expression that runs the inner part once and gives its result.
    pub(crate) fn once(self, cx: &Cx, krate: &TokenStream) -> TokenStream {
        match self {
            // Typed by the return type, so a layer below that is a loop (`break Ok(v)`) gets
            // its coercions too.
            Inner::Expr(e) => {
                let marker = &cx.marker;
                quote!(#krate::__private::Marker::tie(&#marker, #e))
            }
            Inner::Body(body) => {
                let span = body.brace_token.span.join();
                let marker = cx.marker_at(span);
                let krate = crate::expand_retry::respan(krate, span);
                if cx.flavor.is_async() {
                    // The body is the argument of `tie`, so it is checked against the return type
                    // (`Ok(&self.name)` coerces to `Result<&str, E>`).
                    quote::quote_spanned!(span=> async { #krate::__private::Marker::tie(&#marker, #body) }.await)
                } else {
                    // A closure, so `?` and `return` end this run of the body only.
                    quote::quote_spanned!(span=> #krate::__private::Marker::call(&#marker, || #body))
                }
            }
        }
    }
}

pub(crate) fn expand(kind: Kind, args: TokenStream, item: TokenStream) -> TokenStream {
    let (first, mut errors) = Layer::parse(kind, args, Span::call_site());
    let mut function = match Function::parse(item.clone(), kind.name()) {
        Ok(f) => f,
        Err(e) => {
            errors.push(e);
            let errors = errors.to_compile_errors();
            return quote!(#errors #item);
        }
    };

    // Take our attributes below this one off the function: they become inner layers.
    let mut layers = vec![first];
    let mut taken = Vec::new();
    let mut kept = Vec::new();
    for attr in std::mem::take(&mut function.item.attrs) {
        let Some(inner_kind) = Kind::of(&attr) else {
            kept.push(attr);
            continue;
        };
        let tokens = match &attr.meta {
            Meta::Path(_) => TokenStream::new(),
            Meta::List(list) => list.tokens.clone(),
            Meta::NameValue(nv) => {
                errors.error_spanned_by(
                    nv,
                    format_args!(
                        "write the arguments in parentheses: `#[{}(...)]`",
                        inner_kind.name()
                    ),
                );
                TokenStream::new()
            }
        };
        let (layer, layer_errors) = Layer::parse(inner_kind, tokens, attr.path().span());
        errors.append(layer_errors);
        layers.push(layer);
        taken.push(attr.path().clone());
    }
    function.item.attrs = kept;

    for layer in &layers {
        match layer {
            Layer::Retry(args) => crate::retry::check(args, &function, &mut errors),
            Layer::Breaker(_) => {}
            Layer::Fallback(args) => expand_fallback::check(args, &function, &mut errors),
        }
    }

    // Keeps the imports of the attributes taken over in use.
    let uses: Vec<syn::Stmt> = taken
        .iter()
        .map(|path| syn::parse_quote!(#[allow(unused_imports)] use #path as _;))
        .collect();

    if !errors.is_empty() {
        let errors = errors.to_compile_errors();
        let mut item = function.item;
        item.block.stmts.splice(0..0, uses);
        return quote!(#errors #item);
    }

    let krate = layers[0].krate();
    let cx = Cx {
        flavor: function.flavor,
        name: syn::ext::IdentExt::unraw(&function.sig().ident).to_string(),
        has_receiver: function.has_receiver(),
        marker: format_ident!("__retry_marker", span = Span::mixed_site()),
        site: format_ident!("__RETRY_SITE", span = Span::mixed_site()),
    };
    let return_span = function.return_span();
    let args = expand_fallback::Args::of(&function);

    let mut item = function.wrap_body(|body| {
        // The flag a rejecting breaker raises for the nearest retry above it (a fallback in
        // between takes the rejection over instead).
        let mut flags: Vec<Option<Ident>> = Vec::with_capacity(layers.len());
        let mut current: Option<Ident> = None;
        for (i, layer) in layers.iter().enumerate() {
            match layer {
                Layer::Retry(_) => {
                    current = Some(format_ident!(
                        "__retry_open_{}",
                        i,
                        span = Span::mixed_site()
                    ))
                }
                Layer::Fallback(_) => current = None,
                Layer::Breaker(_) => {}
            }
            flags.push(current.clone());
        }
        let breaker_below = |i: usize| {
            layers[i + 1..]
                .iter()
                .take_while(|l| !matches!(l, Layer::Retry(_) | Layer::Fallback(_)))
                .any(|l| matches!(l, Layer::Breaker(_)))
        };
        let retry_above = |i: usize| layers[..i].iter().any(|l| matches!(l, Layer::Retry(_)));

        let mut inner = Inner::Body(body);
        for (i, layer) in layers.iter().enumerate().rev() {
            let krate = layer.krate();
            let expr = match layer {
                Layer::Retry(args) => {
                    let flag = if breaker_below(i) {
                        flags[i].as_ref()
                    } else {
                        None
                    };
                    expand_retry::layer(&cx, &krate, crate::retry::plan(args), inner, flag)
                }
                Layer::Breaker(b) => {
                    expand_breaker::layer(&cx, &krate, b, inner, flags[i].as_ref())
                }
                Layer::Fallback(f) => {
                    expand_fallback::layer(&cx, &krate, f, &args, inner, retry_above(i))
                }
            };
            inner = Inner::Expr(expr);
        }
        let Inner::Expr(expr) = inner else {
            unreachable!("at least one layer")
        };

        let marker = &cx.marker;
        let site = &cx.site;
        let name = &cx.name;
        let private = quote!(#krate::__private);
        let marker_here = cx.marker_at(return_span);
        let private_here = expand_retry::respan(&private, return_span);
        // `check_result` at the return type: "not a `Result`" is reported there.
        let check =
            quote::quote_spanned!(return_span=> #private_here::check_result(&#marker_here););
        syn::parse2(quote! {{
            static #site: #private::Site = #private::Site::new(#name);
            let #marker = #private::Marker::new();
            #[allow(unreachable_code, clippy::diverging_sub_expression)]
            if false {
                return #marker.value();
            }
            #check
            #expr
        }})
        .expect("generated block parses")
    });
    item.block.stmts.splice(0..0, uses);
    quote!(#item)
}
