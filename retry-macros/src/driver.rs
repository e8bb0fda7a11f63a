//! The driver: parse -> validate -> expand for a stack of attributes, in [`expand`].
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
//!
//! The stages: [`crate::parse`] reads each attribute's arguments, [`crate::shape`] the
//! function, [`crate::valid`] checks the rules between values and against the function, and
//! [`crate::expand`] builds one layer per attribute, innermost first. Errors of every stage
//! are collected ([`crate::errors`]); with any, the function is emitted unchanged beside them.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote};
use syn::spanned::Spanned;
use syn::{Attribute, Meta};

use crate::errors::Errors;
use crate::expand::{fused, FnContext};
use crate::keys::Kind;
use crate::parse::Layer;
use crate::shape::Function;
use crate::valid;

/// Expands the attribute `kind` with arguments `args` on `item`, together with the
/// attributes of ours below it (see the module docs).
pub(crate) fn expand(kind: Kind, args: TokenStream, item: TokenStream) -> TokenStream {
    // Parse and validate this attribute, then the function it sits on.
    let mut errors = Errors::new();
    let first = read_layer(kind, args, Span::call_site(), &mut errors);
    let mut function = match Function::parse(item.clone(), kind.name()) {
        Ok(f) => f,
        Err(e) => {
            errors.push(e);
            let errors = errors.to_compile_errors();
            return quote!(#errors #item);
        }
    };

    // Our attributes below this one become inner layers, parsed and validated the same way.
    let mut layers = vec![first];
    let taken = take_inner_attributes(&mut function, &mut layers, &mut errors);
    for layer in &layers {
        valid::check_on_function(layer, &function, &mut errors);
    }
    // Keeps the imports of the attributes taken over in use.
    let uses: Vec<syn::Stmt> = taken
        .iter()
        .map(|path| syn::parse_quote!(#[allow(unused_imports)] use #path as _;))
        .collect();

    // With any error, the function as written (minus the taken attributes) beside the errors.
    if !errors.is_empty() {
        let errors = errors.to_compile_errors();
        let mut item = function.item;
        item.block.stmts.splice(0..0, uses);
        return quote!(#errors #item);
    }

    // Expand: one fused body wrapping the user's.
    let return_span = function.return_span();
    let ctx = FnContext {
        flavor: function.flavor,
        name: syn::ext::IdentExt::unraw(&function.sig().ident).to_string(),
        has_receiver: function.has_receiver(),
        marker: format_ident!("__retry_marker", span = Span::mixed_site()),
        site: format_ident!("__RETRY_SITE", span = Span::mixed_site()),
        return_span,
    };
    let passed = function.passed_args();
    let mut item =
        function.wrap_body(|body| fused::fused_body(&ctx, &layers, &passed, body, return_span));
    item.block.stmts.splice(0..0, uses);
    quote!(#item)
}

/// One of ours, recognised by the last segment of its path (`retry_on_failure`,
/// `retry_runtime::circuit_breaker`, ...).
fn kind_of(attr: &Attribute) -> Option<Kind> {
    let last = attr.path().segments.last()?.ident.to_string();
    Kind::from_name(&last)
}

/// Parses one attribute's arguments and checks the rules between them.
fn read_layer(kind: Kind, tokens: TokenStream, attr_span: Span, errors: &mut Errors) -> Layer {
    let (layer, layer_errors) = Layer::parse(kind, tokens, attr_span);
    errors.append(layer_errors);
    valid::check_layer(&layer, errors);
    layer
}

/// Takes our attributes off the function, reading each into `layers` (outermost first);
/// returns their paths.
fn take_inner_attributes(
    function: &mut Function,
    layers: &mut Vec<Layer>,
    errors: &mut Errors,
) -> Vec<syn::Path> {
    let mut taken = Vec::new();
    let mut kept = Vec::new();
    for attr in std::mem::take(&mut function.item.attrs) {
        let Some(kind) = kind_of(&attr) else {
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
                        kind.name()
                    ),
                );
                TokenStream::new()
            }
        };
        layers.push(read_layer(kind, tokens, attr.path().span(), errors));
        taken.push(attr.path().clone());
    }
    function.item.attrs = kept;
    taken
}
