//! `migrations!()`: one module per versions file, the crate's `MIGRATIONS`, the head check.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};
use syn::parse::{Parse, ParseStream, Parser};
use syn::LitStr;

use crate::source::Source;
use crate::{cache, names};

/// `migrations!()`, `migrations!("src/versions")`, `migrations!(allow_multiple_heads)`, or
/// both, comma-separated.
struct Input {
    path: Option<LitStr>,
    allow_multiple_heads: bool,
}

impl Parse for Input {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let mut out = Input {
            path: None,
            allow_multiple_heads: false,
        };
        while !input.is_empty() {
            if input.peek(LitStr) {
                let lit: LitStr = input.parse()?;
                if out.path.is_some() {
                    return Err(syn::Error::new(
                        lit.span(),
                        "duplicate folder path in migrations!()",
                    ));
                }
                out.path = Some(lit);
            } else {
                let ident: Ident = input.parse().map_err(|e| {
                    syn::Error::new(
                        e.span(),
                        "expected a folder path such as \"src/versions\" or `allow_multiple_heads`",
                    )
                })?;
                if ident != "allow_multiple_heads" || out.allow_multiple_heads {
                    return Err(syn::Error::new(
                        ident.span(),
                        format!("unexpected `{ident}` in migrations!(); expected a folder path such as \"src/versions\" or `allow_multiple_heads` (once)"),
                    ));
                }
                out.allow_multiple_heads = true;
            }
            if !input.is_empty() {
                input.parse::<syn::Token![,]>()?;
            }
        }
        Ok(out)
    }
}

/// The macro's output; errors become `compile_error!`s at the offending token.
pub(crate) fn expand(input: TokenStream, here: Option<&Source>) -> TokenStream {
    let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from);
    match try_expand(input, here, manifest_dir.as_deref()) {
        Ok(tokens) => tokens,
        Err(error) => error.to_compile_error(),
    }
}

/// The unit-test twin, with the invocation site and manifest folder given explicitly.
pub(crate) fn try_expand(
    input: TokenStream,
    here: Option<&Source>,
    manifest_dir: Option<&Path>,
) -> syn::Result<TokenStream> {
    let input = Input::parse.parse2(input)?;
    let dir = resolve_dir(input.path.as_ref(), here, manifest_dir)?;
    let span = input
        .path
        .as_ref()
        .map_or_else(Span::call_site, LitStr::span);
    if !dir.is_dir() {
        // Name the folder as the user wrote it: an absolute path would differ per machine.
        let shown = match &input.path {
            Some(lit) => format!("`{}` (relative to Cargo.toml)", lit.value()),
            None => "`versions` beside this file".to_owned(),
        };
        return Err(syn::Error::new(
            span,
            format!(
                "migrations folder {shown} does not exist; create it (`migrate init` does) or pass the folder relative to Cargo.toml, e.g. migrations!(\"src/versions\")"
            ),
        ));
    }
    migrate_source::refuse_nested_files(&dir).map_err(|e| syn::Error::new(span, e))?;
    let folder = cache::folder(&dir).map_err(|e| syn::Error::new(span, e))?;
    let scan = &folder.scan;
    let files = migrate_source::rust_files(&dir).map_err(|e| syn::Error::new(span, e))?;

    let mut modules = Vec::new();
    let mut module_of = BTreeMap::new();
    let mut taken = HashSet::new();
    for file in &files {
        let stem = file
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut name = names::module_name(&stem);
        while !taken.insert(name.clone()) {
            name.push('_');
        }
        let ident = format_ident!("{}", name);
        let Some(path) = file.to_str() else {
            return Err(syn::Error::new(
                span,
                format!(
                    "migration file {} has a path that is not UTF-8; rename it",
                    file.display()
                ),
            ));
        };
        // The modules are private (the crate's API is `MIGRATIONS`), so the `pub fn upgrade`
        // that `migrate revision` writes would trip `unreachable_pub` in every file.
        modules.push(quote! {
            #[path = #path]
            #[allow(unreachable_pub)]
            mod #ident;
        });
        module_of.insert(file.clone(), ident);
    }
    // Malformed migrations are left out: their own attribute reports them.
    let entries = scan.migrations.iter().filter_map(|m| {
        let module = module_of.get(&m.file)?;
        let konst = names::migration_const(&m.fn_name, Span::call_site());
        Some(quote!(#module::#konst))
    });
    let heads_error = if input.allow_multiple_heads || !scan.problems.is_empty() {
        None
    } else {
        let external = here.map_or_else(crate::external::from_env, |h| h.external.clone());
        check_single_head(scan, &external)
    };
    Ok(quote! {
        #(#modules)*

        /// Every migration of this crate, in file order (generated by `migrations!()`).
        pub static MIGRATIONS: ::migrate_core::MigrationSet =
            ::migrate_core::__private::MigrationSet::__new(
                ::core::env!("CARGO_PKG_NAME"),
                &[#(#entries),*],
            );

        // Linked into a program, the crate's migrations join `migrate_core::Linked`: one
        // registration for the crate, not one per migration.
        const _: () = {
            fn __migrations() -> &'static ::migrate_core::MigrationSet {
                &MIGRATIONS
            }
            ::migrate_core::__private::inventory::submit! {
                ::migrate_core::__private::LinkedSet(__migrations)
            }
        };

        #heads_error
    })
}

/// `None` when the graph is fine or broken in a way a `#[migration]` attribute reports.
fn check_single_head(scan: &migrate_source::Scan, external: &[String]) -> Option<TokenStream> {
    let mut revisions: Vec<_> = scan.migrations.iter().map(|m| m.to_revision()).collect();
    crate::external::strip(&mut revisions, external);
    let graph = migrate_graph::Graph::new(revisions).ok()?;
    let error = graph.check_single_head().err()?;
    let message = format!(
        "{error}; or, for deliberately parallel unlabelled branches, write `migrations!(allow_multiple_heads)`"
    );
    Some(syn::Error::new(Span::call_site(), message).to_compile_error())
}

fn resolve_dir(
    path: Option<&LitStr>,
    here: Option<&Source>,
    manifest_dir: Option<&Path>,
) -> syn::Result<PathBuf> {
    let Some(lit) = path else {
        // The `versions` folder beside the invoking file: `src/versions` for `src/lib.rs`.
        return match (here, manifest_dir) {
            (Some(here), _) => Ok(here.dir().join("versions")),
            (None, Some(manifest)) => Ok(manifest.join("src").join("versions")),
            (None, None) => Err(syn::Error::new(
                Span::call_site(),
                "migrations!() cannot locate the crate: pass the folder, e.g. migrations!(\"src/versions\")",
            )),
        };
    };
    let relative = PathBuf::from(lit.value());
    if relative.is_absolute() {
        return Err(syn::Error::new(
            lit.span(),
            "the migrations folder must be relative to the crate's Cargo.toml, e.g. \"src/versions\"",
        ));
    }
    match manifest_dir {
        Some(manifest) => Ok(manifest.join(relative)),
        None => Err(syn::Error::new(
            lit.span(),
            "CARGO_MANIFEST_DIR is not set; build with cargo",
        )),
    }
}
