//! `migrations!()`: one module per versions file, the crate's `MIGRATIONS`, the head check.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};
use syn::parse::{Parse, ParseStream, Parser};
use syn::LitStr;

use crate::source::Source;
use migrate_source::{Key, Returns};

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
    let rows: Vec<String> = scan
        .migrations
        .iter()
        .filter_map(|m| Some(entry(m, module_of.get(&m.file)?)))
        .collect();
    let table = parse(&table(&rows)).map_err(|e| {
        syn::Error::new(
            span,
            format!("migrations!() wrote a table it can't read back (a bug): {e}"),
        )
    })?;
    let heads_error = if input.allow_multiple_heads || !scan.problems.is_empty() {
        None
    } else {
        let external = here.map_or_else(crate::external::from_env, |h| h.external.clone());
        check_single_head(scan, &external)
    };
    Ok(quote! {
        #(#modules)*

        /// Every migration of this crate, in file order (generated by `migrations!()` from
        /// the files: one table, the cheapest form for `cargo check`).
        pub static MIGRATIONS: ::migrate_core::MigrationSet = {
            #table
            ::migrate_core::__private::MigrationSet::__new(::core::env!("CARGO_PKG_NAME"), &ALL)
        };

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

/// Rows per chunk of the table: each chunk is a const of its own, which `cargo check`
/// re-checks alone when one of its rows changes (a table of one body re-checks every row).
const CHUNK: usize = 64;

/// The table's items, `rows` in chunks joined into `static ALL`, as text.
fn table(rows: &[String]) -> String {
    let migration = "::migrate_core::Migration";
    let mut out = String::new();
    let mut names = Vec::new();
    for (i, chunk) in rows.chunks(CHUNK).enumerate() {
        let name = format!("CHUNK_{i}");
        out.push_str(&format!(
            "const {name}: [{migration}; {}] = [{}];\n",
            chunk.len(),
            chunk.join(",\n")
        ));
        names.push(format!("&{name}"));
    }
    out.push_str(&format!(
        "static ALL: [{migration}; {n}] = ::migrate_core::__private::join_migrations::<{n}>(&[{}]);",
        names.join(", "),
        n = rows.len(),
    ));
    out
}

/// One migration's row of the table, read from the file by the scanner the CLI uses (so the
/// checksum is the one `migrate history` computes), with the fn itself as a fn pointer where
/// the text says which `Result` it returns.
///
/// Written as text, and the whole table parsed once. A field whose value is the default is
/// left to the `..MigrationFields::DEFAULT` tail: each slice or value written costs `cargo
/// check` work per migration (a third of the table's cost at 1,000 migrations). The defaults
/// are `migrate_source`'s (the `checksum-agrees` UI case holds `MigrationFields::DEFAULT` to
/// them). The keys are matched exhaustively, in `SCHEMA`'s order, so a new key can't be left
/// out of the row unnoticed.
fn entry(m: &migrate_source::SourceMigration, module: &Ident) -> String {
    let private = "::migrate_core::__private";
    let list = |values: &[String]| {
        let quoted: Vec<String> = values.iter().map(|v| format!("{v:?}")).collect();
        (!values.is_empty()).then(|| format!("&[{}]", quoted.join(", ")))
    };
    let text = |value: &str| (!value.is_empty()).then(|| format!("{value:?}"));
    let millis = |ms: u64| (ms != 0).then(|| format!("{ms}u64"));
    let mut fields: Vec<(&str, String)> = Vec::new();
    for spec in migrate_source::SCHEMA {
        let (name, value) = match spec.key {
            Key::Rev => ("rev", Some(format!("{:?}", m.rev))),
            Key::DownRev => ("down_revs", list(&m.down_revs)),
            Key::BranchLabels => ("branch_labels", list(&m.branch_labels)),
            Key::DependsOn => ("depends_on", list(&m.depends_on)),
            Key::Downgrade => (
                "downgrade",
                m.downgrade.as_ref().map(|_| {
                    let wrapper = names::downgrade_fn(&m.fn_name);
                    format!("::core::option::Option::Some({module}::{wrapper})")
                }),
            ),
            Key::Transactional => ("transactional", (!m.transactional).then(|| "false".into())),
            Key::Message => ("message", text(&m.message)),
            // Not a field: the path the attribute's own output is written with.
            Key::Crate => continue,
            Key::AllowLint => ("allow_lint", list(&m.allow_lint)),
            Key::AllowLintReason => ("allow_lint_reason", text(&m.allow_lint_reason)),
            Key::TableLockTimeout => ("table_lock_timeout_ms", millis(m.table_lock_timeout_ms)),
            Key::StatementTimeout => ("statement_timeout_ms", millis(m.statement_timeout_ms)),
        };
        fields.extend(value.map(|value| (name, value)));
    }
    fields.extend(text(&m.checksum).map(|v| ("checksum", v)));
    fields.extend(text(&m.legacy_checksum).map(|v| ("legacy_checksum", v)));
    // The path `#[path]` names, which is what `file!()` in the file reports.
    fields.push(("source_file", format!("{:?}", m.file.to_string_lossy())));
    fields.push(("line", format!("{}u32", m.line)));
    // The name as written (`r#type` stays raw): the row is text.
    let upgrade_fn = format!("{module}::{}", m.fn_name);
    fields.push(match m.returns {
        Returns::Prelude => (
            "upgrade_prelude",
            format!("::core::option::Option::Some({upgrade_fn})"),
        ),
        Returns::Core => ("upgrade", upgrade_fn),
        Returns::Other => ("upgrade", format!("|op| {private}::call({upgrade_fn}, op)")),
    });
    let fields: Vec<String> = fields
        .into_iter()
        .map(|(name, value)| format!("{name}: {value}, "))
        .collect();
    format!(
        "{private}::Migration::__from_fields({private}::MigrationFields {{ {}..{private}::MigrationFields::DEFAULT }})",
        fields.concat()
    )
}

/// Generated text as tokens: by the compiler's own lexer inside a macro expansion
/// (`proc_macro2`'s `parse` first re-lexes the text itself, which costs more than the rest of
/// `migrations!()`), by `proc_macro2`'s elsewhere (unit tests).
fn parse(text: &str) -> Result<TokenStream, String> {
    if proc_macro::is_available() {
        let tokens: proc_macro::TokenStream = text.parse().map_err(|e| format!("{e}"))?;
        Ok(tokens.into())
    } else {
        text.parse().map_err(|e| format!("{e}"))
    }
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
