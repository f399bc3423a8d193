//! The typed model of one `#[migration]`: its parsed arguments plus the fn they sit on.

use proc_macro2::TokenStream;
use quote::quote;
use syn::{ItemFn, Path};

use migrate_source::MigrationAttr;

/// A parsed `#[migration(...)] fn ...`.
///
/// Borrows the user's fn so every later stage can put an error on the user's own tokens.
pub(crate) struct Migration<'a> {
    /// The arguments.
    pub(crate) attr: MigrationAttr,
    /// The fn as written.
    pub(crate) original: &'a ItemFn,
    /// `message = ".."`, else the doc comment.
    pub(crate) message: String,
    /// The checksum of the fn's tokens (and of the downgrade fn of the same file), the same
    /// value the CLI computes from the file.
    pub(crate) checksum: String,
    /// The pre-v2 checksum, which history rows written by earlier versions hold.
    pub(crate) legacy_checksum: String,
}

impl<'a> Migration<'a> {
    /// The model of parsed arguments `attr` on `original` (whose tokens are `item`), written
    /// in a file whose text is `file` (where a `downgrade = name` fn is read for the checksum).
    pub(crate) fn new(
        attr: MigrationAttr,
        original: &'a ItemFn,
        item: TokenStream,
        file: Option<&str>,
    ) -> Self {
        let message = attr.message_or_docs(&original.attrs);
        let downgrade = attr.downgrade.as_ref().map(migrate_source::path_text);
        let checksum = migrate_source::checksum(
            item.clone(),
            downgrade
                .as_deref()
                .map(|path| migrate_source::Downgrade { path, file }),
        );
        Migration {
            attr,
            original,
            message,
            checksum,
            legacy_checksum: migrate_source::legacy_checksum(item),
        }
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
