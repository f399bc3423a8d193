//! The typed model of one `#[migration]`: its parsed arguments plus the fn they sit on.

use proc_macro2::TokenStream;
use quote::quote;
use syn::Path;

use migrate_source::MigrationAttr;

use crate::item::FnItem;

/// A parsed `#[migration(...)] fn ...`.
///
/// Borrows the user's fn so every later stage can put an error on the user's own tokens.
pub(crate) struct Migration<'a> {
    /// The arguments.
    pub(crate) attr: MigrationAttr,
    /// The fn as written.
    pub(crate) original: &'a FnItem,
}

impl<'a> Migration<'a> {
    /// The model of parsed arguments `attr` on `original`.
    pub(crate) fn new(attr: MigrationAttr, original: &'a FnItem) -> Self {
        Migration { attr, original }
    }

    /// The path generated code uses for `migrate_core` (`crate = path`).
    pub(crate) fn krate(&self) -> TokenStream {
        krate(self.attr.krate.as_ref())
    }
}

/// `crate = path` or the default `::migrate_core`.
pub(crate) fn krate(path: Option<&Path>) -> TokenStream {
    match path {
        Some(path) => quote!(#path),
        None => quote!(::migrate_core),
    }
}
