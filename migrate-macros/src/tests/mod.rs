//! Expansion tests through the `_inner` twins: the output is parsed back with syn and
//! inspected item by item, never compared as a string.

use proc_macro2::{TokenStream, TokenTree};

mod chain;
mod expand;
mod migrations;
mod schema;

/// The messages of every `compile_error!{..}` / `compile_error!(..)` in `tokens`.
fn compile_errors(tokens: &TokenStream) -> Vec<String> {
    let mut out = Vec::new();
    let mut iter = tokens.clone().into_iter().peekable();
    while let Some(token) = iter.next() {
        match token {
            TokenTree::Ident(i) if i == "compile_error" => {
                let _bang = iter.next();
                if let Some(TokenTree::Group(g)) = iter.next() {
                    if let Some(TokenTree::Literal(lit)) = g.stream().into_iter().next() {
                        if let syn::Lit::Str(s) = syn::Lit::new(lit) {
                            out.push(s.value());
                        }
                    }
                }
            }
            TokenTree::Group(g) => out.extend(compile_errors(&g.stream())),
            _ => {}
        }
    }
    out
}

/// The items of the output, which must be valid Rust.
fn items(tokens: &TokenStream) -> Vec<syn::Item> {
    syn::parse2::<syn::File>(tokens.clone())
        .expect("expansion is valid Rust")
        .items
}

fn item_names(tokens: &TokenStream) -> Vec<String> {
    items(tokens)
        .iter()
        .map(|item| match item {
            syn::Item::Fn(f) => format!("fn {}", f.sig.ident),
            syn::Item::Const(c) => format!("const {}", c.ident),
            syn::Item::Static(s) => format!("static {}", s.ident),
            syn::Item::Mod(m) => format!("mod {}", m.ident),
            syn::Item::Macro(m) => format!("macro {}", m.mac.path.segments[0].ident),
            _ => "other".to_owned(),
        })
        .collect()
}
