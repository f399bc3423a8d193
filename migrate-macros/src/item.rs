//! The fn under `#[migration]`, read as far as the attribute needs: its attributes and
//! signature through syn, its body left as the compiler's tokens.
//!
//! The body is never parsed or printed again: every migration's attribute runs once per
//! `cargo check`, and a full parse and re-print of each body would cost more than all the
//! attribute's checks.

use proc_macro2::{Delimiter, Group, TokenStream, TokenTree};
use quote::ToTokens as _;
use syn::parse::{ParseStream, Parser};
use syn::{Attribute, Signature, Visibility};

/// `#[..] pub fn name(..) -> .. { .. }`, split at its body.
pub(crate) struct FnItem {
    /// The outer attributes (doc comments included).
    pub(crate) attrs: Vec<Attribute>,
    pub(crate) sig: Signature,
    /// Everything before the body, as written.
    head: TokenStream,
    /// Whether the fn has no visibility of its own (then `vis_at` is where it would go).
    private: bool,
    /// How many tokens of `head` the outer attributes take.
    vis_at: usize,
    /// The `{ .. }` body, as written.
    body: Group,
}

impl FnItem {
    /// The fn that `item` is; `None` when it is no fn (a struct, a `fn` without a body ..).
    pub(crate) fn parse(item: TokenStream) -> Option<FnItem> {
        let mut head = Vec::new();
        let mut saw_fn = false;
        let mut tokens = item.into_iter();
        let body = loop {
            let token = tokens.next()?;
            match &token {
                TokenTree::Ident(i) if i == "fn" => saw_fn = true,
                TokenTree::Group(g) if g.delimiter() == Delimiter::Brace => {
                    if !saw_fn {
                        return None;
                    }
                    break g.clone();
                }
                TokenTree::Punct(p) if p.as_char() == ';' => return None,
                _ => {}
            }
            head.push(token);
        };
        if tokens.next().is_some() {
            return None;
        }
        let head: TokenStream = head.into_iter().collect();
        let (attrs, vis, sig) = (|input: ParseStream<'_>| {
            let attrs = input.call(Attribute::parse_outer)?;
            let vis: Visibility = input.parse()?;
            let sig: Signature = input.parse()?;
            Ok((attrs, vis, sig))
        })
        .parse2(head.clone())
        .ok()?;
        Some(FnItem {
            // Each outer attribute is two tokens, `#` and its `[..]` (a doc comment too).
            vis_at: attrs.len() * 2,
            private: matches!(vis, Visibility::Inherited),
            attrs,
            sig,
            head,
            body,
        })
    }

    /// The fn as written, with `first` at the start of its body (after its inner attributes),
    /// and `pub(crate)` when it has no visibility of its own: `migrations!()` names it from
    /// the module that declares the file's module.
    pub(crate) fn emit(&self, first: TokenStream) -> TokenStream {
        let mut out = if self.private {
            let mut head: Vec<TokenTree> = self.head.clone().into_iter().collect();
            let vis_at = self.vis_at.min(head.len());
            head.splice(vis_at..vis_at, quote::quote!(pub(crate)));
            head.into_iter().collect()
        } else {
            self.head.clone()
        };
        if first.is_empty() {
            self.body.to_tokens(&mut out);
            return out;
        }
        let mut inner: Vec<TokenTree> = self.body.stream().into_iter().collect();
        let after_inner_attrs = inner_attrs_len(&inner);
        inner.splice(after_inner_attrs..after_inner_attrs, first);
        let mut body = Group::new(Delimiter::Brace, inner.into_iter().collect());
        body.set_span(self.body.span());
        body.to_tokens(&mut out);
        out
    }
}

/// How many tokens the body's leading `#![..]` attributes take.
fn inner_attrs_len(body: &[TokenTree]) -> usize {
    let mut at = 0;
    while let [TokenTree::Punct(hash), TokenTree::Punct(bang), TokenTree::Group(g), ..] =
        &body[at..]
    {
        if hash.as_char() != '#' || bang.as_char() != '!' || g.delimiter() != Delimiter::Bracket {
            break;
        }
        at += 3;
    }
    at
}
