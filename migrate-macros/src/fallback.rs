//! What `#[migration]` emits when it can't expand: the user's fn unchanged, the errors, and a
//! stand-in for the hidden const.

use proc_macro2::TokenStream;
use quote::quote;
use syn::ItemFn;

use crate::{ast, names};

/// Keeps the fn (so its body still type-checks and the IDE keeps working) and defines
/// `__MIGRATION_<FN>` with a placeholder value, so `migrations!()`, which names that const,
/// does not add a cascade of "cannot find value" errors to the real one. The placeholder can
/// never run: the crate does not compile.
pub(crate) fn migration(args: TokenStream, item: TokenStream, error: syn::Error) -> TokenStream {
    let errors = error.to_compile_error();
    let krate = ast::krate(migrate_source::crate_override(args).as_ref());
    let Ok(original) = syn::parse2::<ItemFn>(item.clone()) else {
        return quote! { #item #errors };
    };
    // Another `#[migration]` still on the fn expands next and defines the const itself.
    if original.attrs.iter().any(migrate_source::is_migration_attr) {
        return quote! { #item #errors };
    }
    let ident = &original.sig.ident;
    let const_ident = names::migration_const(&ident.to_string(), ident.span());
    quote! {
        #item

        #[doc(hidden)]
        #[allow(dead_code, non_upper_case_globals)]
        pub(crate) const #const_ident: #krate::Migration = {
            fn __placeholder(_: &mut #krate::Op) -> #krate::Result<()> {
                ::core::result::Result::Ok(())
            }
            #krate::__private::Migration::__from_fields(#krate::__private::MigrationFields {
                source_file: ::core::file!(),
                line: ::core::line!(),
                upgrade: __placeholder,
                ..#krate::__private::MigrationFields::DEFAULT
            })
        };

        #errors
    }
}
