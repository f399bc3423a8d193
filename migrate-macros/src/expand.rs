//! `#[migration]`: expand → try_expand (parse → validate → chain check → codegen) → fallback.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned as _;
use syn::ItemFn;

use migrate_source::Key;

use crate::ast::Migration;
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
        Err(error) => fallback::migration(args, item, error),
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
    let original = match parse_fn(item.clone()) {
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
    // The file's text, for the checksum of a `downgrade = name` fn written beside this one
    // (only read when there is one). Editing that fn edits this file, which rebuilds it.
    let file_text = match (&attr.downgrade, here) {
        (Some(_), Some(here)) => std::fs::read_to_string(&here.file).ok(),
        _ => None,
    };
    let migration = Migration::new(attr, &original, item, file_text.as_deref());
    let code = codegen(&migration);
    // A broken chain leaves valid code behind: emit it with the errors, so nothing else (such
    // as `migrations!()` naming the const) fails in cascade.
    let chain_errors = here
        .map(|here| chain::check(&migration, here))
        .unwrap_or_default();
    let errors = chain_errors.into_iter().map(|e| e.to_compile_error());
    Ok(quote! { #code #(#errors)* })
}

fn parse_fn(item: TokenStream) -> syn::Result<ItemFn> {
    syn::parse2::<ItemFn>(item.clone()).map_err(|_| {
        syn::Error::new_spanned(
            item,
            "#[migration] must be placed on a fn, e.g. `pub fn upgrade(op: &mut Op) -> Result<()>`",
        )
    })
}

fn codegen(m: &Migration<'_>) -> TokenStream {
    let krate = m.krate();
    let original = m.original;
    let ident = &original.sig.ident;
    let const_ident = names::migration_const(&ident.to_string(), ident.span());
    let (checksum, legacy_checksum) = (&m.checksum, &m.legacy_checksum);

    // The user's fn may return the prelude's `Result` (any error through `?`) or
    // `migrate_core::Result`: a shim of the runtime's one signature calls it and converts.
    // The calls carry the user's spans: a fn with the wrong argument or return type fails
    // here, with the error on its name (or on the `downgrade` path), and nowhere else.
    let shim = |name: TokenStream, call: TokenStream| {
        quote! {
            fn #name(__op: &mut #krate::Op) -> #krate::Result<()> {
                #krate::__private::call(#call, __op)
            }
        }
    };
    let upgrade = shim(quote!(__upgrade), quote_spanned! {ident.span()=> #ident });
    let downgrade_let = m
        .attr
        .downgrade
        .as_ref()
        .map(|path| shim(quote!(__downgrade), quote_spanned! {path.span()=> #path }));
    let fields = migrate_source::SCHEMA
        .iter()
        .filter_map(|spec| field(spec.key, m));
    quote! {
        #original

        #[doc(hidden)]
        #[allow(dead_code, non_upper_case_globals, clippy::needless_update)]
        pub(crate) const #const_ident: #krate::Migration = {
            #upgrade
            #downgrade_let
            #krate::__private::Migration::__from_fields(#krate::__private::MigrationFields {
                #(#fields,)*
                checksum: #checksum,
                legacy_checksum: #legacy_checksum,
                source_file: ::core::file!(),
                line: ::core::line!(),
                upgrade: __upgrade,
                ..#krate::__private::MigrationFields::DEFAULT
            })
        };
    }
}

/// Milliseconds of a duration key (checked in `valid.rs`); 0 when absent.
fn duration(value: &Option<migrate_source::Spanned<String>>) -> u64 {
    value
        .as_ref()
        .and_then(|v| migrate_source::duration_ms(&v.value))
        .unwrap_or(0)
}

/// The field of `MigrationFields` that `key` fills, as `name: value`. Every key is written
/// out, its default included, so the value in the binary never depends on the defaults of
/// `MigrationFields::DEFAULT` agreeing with the scanner's.
fn field(key: Key, m: &Migration<'_>) -> Option<TokenStream> {
    let attr = &m.attr;
    let values = |v: &[migrate_source::Spanned<String>]| -> Vec<String> {
        v.iter().map(|s| s.value.clone()).collect()
    };
    Some(match key {
        Key::Rev => {
            let rev = &attr.rev.value;
            quote!(rev: #rev)
        }
        Key::DownRev => {
            let down = values(&attr.down_revs);
            quote!(down_revs: &[#(#down),*])
        }
        Key::BranchLabels => {
            let labels = values(&attr.branch_labels);
            quote!(branch_labels: &[#(#labels),*])
        }
        Key::DependsOn => {
            let deps = values(&attr.depends_on);
            quote!(depends_on: &[#(#deps),*])
        }
        Key::Downgrade => match &attr.downgrade {
            Some(_) => quote!(downgrade: ::core::option::Option::Some(__downgrade)),
            None => quote!(downgrade: ::core::option::Option::None),
        },
        Key::Transactional => {
            let transactional = attr.is_transactional();
            quote!(transactional: #transactional)
        }
        // The doc comment when the key is absent.
        Key::Message => {
            let message = &m.message;
            quote!(message: #message)
        }
        // Not a field: the path every item of the expansion is written with.
        Key::Crate => return None,
        Key::AllowLint => {
            let rules = values(&attr.allow_lint);
            quote!(allow_lint: &[#(#rules),*])
        }
        Key::TableLockTimeout => {
            let ms = duration(&attr.table_lock_timeout);
            quote!(table_lock_timeout_ms: #ms)
        }
        Key::StatementTimeout => {
            let ms = duration(&attr.statement_timeout);
            quote!(statement_timeout_ms: #ms)
        }
        Key::AllowLintReason => {
            let reason = attr
                .allow_lint_reason
                .as_ref()
                .map_or(String::new(), |r| r.value.clone());
            quote!(allow_lint_reason: #reason)
        }
    })
}
