//! `#[migration]`: expand → try_expand (parse → validate → chain check → codegen) → fallback.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned as _;

use crate::ast::Migration;
use crate::item::FnItem;
use crate::source::Source;
use crate::{chain, fallback, names, valid};

/// The attribute's whole output. `here` is where the attribute is written; without it (tokens
/// not from a file) the graph check is skipped and the runtime check still applies.
pub(crate) fn migration(
    args: TokenStream,
    item: TokenStream,
    here: Option<&Source>,
) -> TokenStream {
    match try_expand(args.clone(), item.clone(), here) {
        Ok(expanded) => expanded,
        Err(error) => fallback::migration(item, error),
    }
}

/// The unit-test twin: expansion without a source file, so without the graph check.
#[cfg(test)]
pub(crate) fn migration_inner(args: TokenStream, item: TokenStream) -> TokenStream {
    migration(args, item, None)
}

fn try_expand(
    args: TokenStream,
    item: TokenStream,
    here: Option<&Source>,
) -> syn::Result<TokenStream> {
    let original = match parse_fn(item) {
        Ok(original) => original,
        Err(mut error) => {
            // Report the argument errors too, not just "not a fn".
            if let Err(args_error) = migrate_source::parse_args(args) {
                error.combine(args_error);
            }
            return Err(error);
        }
    };
    let attr = valid::validate(args, &original)?;
    let migration = Migration::new(attr, &original);
    let code = codegen(&migration);
    // A broken chain leaves the fn behind: emit it with the errors, so nothing else (such as
    // `migrations!()` naming the fn) fails in cascade.
    let chain_errors = here
        .map(|here| chain::check(&migration, here))
        .unwrap_or_default();
    let errors = chain_errors.into_iter().map(|e| e.to_compile_error());
    Ok(quote! { #code #(#errors)* })
}

fn parse_fn(item: TokenStream) -> syn::Result<FnItem> {
    FnItem::parse(item.clone()).ok_or_else(|| {
        syn::Error::new_spanned(
            item,
            "#[migration] must be placed on a fn, e.g. `pub fn upgrade(op: &mut Op) -> Result<()>`",
        )
    })
}

/// The fn as written (made `pub(crate)` if private, see `item.rs`), with a `signature(name)`
/// check first in its body when its signature is spelled unusually, spanned on its name, so
/// a fn of the wrong signature fails on the user's own tokens; and, with `downgrade = path`,
/// a `pub(crate)` wrapper of that fn for the table to name (the fn itself may be private, and
/// return either `Result`). The metadata is not here: `migrations!()` lists every migration
/// of the crate in one table, read from the files (see `migrations.rs`).
fn codegen(m: &Migration<'_>) -> TokenStream {
    let krate = m.krate();
    let ident = &m.original.sig.ident;
    let mut checks = TokenStream::new();
    if !is_canonical(&m.original.sig) {
        checks.extend(quote_spanned! {ident.span()=> #krate::__private::signature(#ident); });
    }
    let mut out = m.original.emit(checks);
    if let Some(path) = &m.attr.downgrade {
        let name = names::downgrade_fn(&ident.to_string());
        let call = quote_spanned! {path.span()=> #krate::__private::call(#path, op) };
        out.extend(quote! {
            #[doc(hidden)]
            pub(crate) fn #name(op: &mut #krate::Op) -> #krate::Result<()> {
                #call
            }
        });
    }
    out
}

/// `(name: &mut Op) -> Result<()>` (or `migrate_core::Result<()>`), as `migrate revision`
/// writes it. `migrations!()` lists such a fn as a fn pointer, which checks its types
/// anyway; a `signature(..)` check in its body would cost `cargo check` a generic call per
/// migration for an error that can't happen. Any other spelling gets the check, so a type
/// error lands on the user's fn with the signature expected.
fn is_canonical(sig: &syn::Signature) -> bool {
    let compact = |tokens: TokenStream| tokens.to_string().replace(' ', "");
    let input = match sig.inputs.first() {
        Some(syn::FnArg::Typed(arg)) if sig.inputs.len() == 1 => {
            let ty = &arg.ty;
            compact(quote!(#ty))
        }
        _ => return false,
    };
    let output = match &sig.output {
        syn::ReturnType::Type(_, ty) => compact(quote!(#ty)),
        syn::ReturnType::Default => return false,
    };
    input == "&mutOp" && migrate_source::Returns::is_usual_spelling(&output)
}
