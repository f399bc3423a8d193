//! What `#[migration]` emits when it can't expand: the user's fn unchanged and the errors.

use proc_macro2::TokenStream;
use quote::quote;

/// Keeps the fn (so its body still type-checks, the IDE keeps working, and `migrations!()`,
/// which names the fn, adds no cascade of "cannot find value" errors to the real one).
pub(crate) fn migration(item: TokenStream, error: syn::Error) -> TokenStream {
    let errors = error.to_compile_error();
    quote! { #item #errors }
}
