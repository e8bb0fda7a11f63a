//! Which of the annotated function's variables an expression uses: the rule that
//! `on_state_change` captures nothing.
//!
//! The hook belongs to the breaker every site naming it shares, so it is a `fn`, and the
//! expansion evaluates it in a `const` block; a closure that uses `self` or an argument would
//! otherwise meet rustc's "attempt to use a non-constant value in a constant". A macro cannot
//! see captures in general, but here it can: the expression sits at the top of the function's
//! body, where the only variables in scope are the function's own arguments (and `self`);
//! every name the expansion adds is hygienic. So a use is exactly a path of one segment that
//! names an argument binding, unless a pattern inside the expression binds that name too (a
//! closure parameter, a `let`, a match arm: then it may shadow the argument, and it is not
//! reported, whichever it refers to). Inside a macro call (`println!("{}", name)`) the tokens
//! are read the same way, skipping `.field`, `path::` and `name = value`. What this misses
//! (an argument named only inside a format string, `"{name}"`) still fails the build, with
//! rustc's own message.

use std::collections::HashSet;

use proc_macro2::{Spacing, TokenStream, TokenTree};
use syn::visit::{self, Visit};
use syn::{Expr, ExprPath, FnArg, Item, Macro, Pat, PatIdent, Signature};

/// The variables of the function with signature `sig`: `self`, and every name its argument
/// patterns bind.
pub(super) fn function_variables(sig: &Signature) -> HashSet<String> {
    let mut names = Bindings::default();
    for input in &sig.inputs {
        match input {
            FnArg::Receiver(_) => {
                names.0.insert("self".to_owned());
            }
            FnArg::Typed(arg) => names.visit_pat(&arg.pat),
        }
    }
    names.0
}

/// The first of `variables` that `expr` uses, if any.
pub(super) fn first_capture(expr: &Expr, variables: &HashSet<String>) -> Option<String> {
    let mut bound = Bindings::default();
    bound.visit_expr(expr);
    let mut uses = Uses {
        variables,
        shadowed: &bound.0,
        found: None,
    };
    uses.visit_expr(expr);
    uses.found
}

/// Every name a pattern binds.
#[derive(Default)]
struct Bindings(HashSet<String>);

impl Visit<'_> for Bindings {
    fn visit_pat_ident(&mut self, pat: &PatIdent) {
        self.0.insert(pat.ident.to_string());
        visit::visit_pat_ident(self, pat);
    }

    fn visit_item(&mut self, _: &Item) {
        // A nested item's names are its own.
    }
}

/// The first use of a variable.
struct Uses<'a> {
    variables: &'a HashSet<String>,
    shadowed: &'a HashSet<String>,
    found: Option<String>,
}

impl Uses<'_> {
    fn check(&mut self, name: String) {
        let variable = name == "self" || !self.shadowed.contains(&name);
        if self.found.is_none() && variable && self.variables.contains(&name) {
            self.found = Some(name);
        }
    }

    /// The variables named in a macro's tokens: an identifier not after `.` (a field or a
    /// method), not before `::` (a path) and not before a lone `=` (a named argument).
    fn scan(&mut self, tokens: TokenStream) {
        let tokens: Vec<TokenTree> = tokens.into_iter().collect();
        for (i, token) in tokens.iter().enumerate() {
            match token {
                TokenTree::Ident(ident) => {
                    let after_dot = i > 0
                        && matches!(&tokens[i - 1], TokenTree::Punct(p) if p.as_char() == '.');
                    let next = tokens.get(i + 1);
                    let before_path_or_eq = match next {
                        Some(TokenTree::Punct(p)) if p.as_char() == ':' => {
                            p.spacing() == Spacing::Joint
                        }
                        Some(TokenTree::Punct(p)) if p.as_char() == '=' => {
                            !matches!(tokens.get(i + 2), Some(TokenTree::Punct(q)) if q.as_char() == '=')
                                && p.spacing() == Spacing::Alone
                        }
                        _ => false,
                    };
                    if !after_dot && !before_path_or_eq {
                        self.check(ident.to_string());
                    }
                }
                TokenTree::Group(group) => self.scan(group.stream()),
                _ => {}
            }
        }
    }
}

impl Visit<'_> for Uses<'_> {
    fn visit_expr_path(&mut self, expr: &ExprPath) {
        let path = &expr.path;
        if expr.qself.is_none() && path.leading_colon.is_none() && path.segments.len() == 1 {
            let segment = &path.segments[0];
            if segment.arguments.is_none() {
                self.check(segment.ident.to_string());
            }
        }
        visit::visit_expr_path(self, expr);
    }

    fn visit_macro(&mut self, mac: &Macro) {
        self.scan(mac.tokens.clone());
    }

    fn visit_pat(&mut self, _: &Pat) {
        // Patterns bind names; they use none (a constant in a pattern is no variable).
    }

    fn visit_item(&mut self, _: &Item) {
        // A nested item cannot use the function's variables.
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn capture(sig: &str, expr: &str) -> Option<String> {
        let sig: Signature = syn::parse_str(sig).unwrap();
        let expr: Expr = syn::parse_str(expr).unwrap();
        first_capture(&expr, &function_variables(&sig))
    }

    #[test]
    fn uses_of_self_and_arguments_are_captures() {
        let sig = "fn f(&self, name: &str, (a, b): (u8, u8))";
        let some = |s: &str| Some(s.to_owned());
        assert_eq!(capture(sig, "|c| self.log(c)"), some("self"));
        assert_eq!(capture(sig, "|c| record(c, name)"), some("name"));
        assert_eq!(capture(sig, "|c| { let x = b; drop(x) }"), some("b"));
        assert_eq!(
            capture(sig, "|c| println!(\"{} {}\", c.name, a)"),
            some("a")
        );
        assert_eq!(capture(sig, "|c| Event { name }.send()"), some("name"));
        assert_eq!(capture(sig, "self.hook"), some("self"));
    }

    #[test]
    fn no_false_captures() {
        let sig = "fn f(&self, name: &str, count: u32)";
        // Paths, statics, fields, closure parameters, shadowing bindings, named arguments.
        for expr in [
            "log_change",
            "Self::log",
            "|c| log(c)",
            "|c| COUNT.fetch_add(1, Relaxed)",
            "|c| eprintln!(\"{}\", c.name)",
            "|name| drop(name)",
            "|c| { let count = 1; drop((c, count)) }",
            "|c| match c.to { State::Open => {}, _ => {} }",
            "|c| tracing::info!(name = c.name, \"changed\")",
            "|c| name::helper(c)",
            "|c| { fn inner(count: u32) -> u32 { count } inner(1); }",
        ] {
            assert_eq!(capture(sig, expr), None, "{expr}");
        }
        // Without a receiver, `self` is no variable (rustc reports it).
        assert_eq!(capture("fn f()", "|c| self.log(c)"), None);
    }
}
