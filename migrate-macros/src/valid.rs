//! Checks on one `#[migration]` that need no other file: its arguments, the fn's shape, the ids.

use migrate_source::{Key, MigrationAttr};
use proc_macro2::TokenStream;
use syn::spanned::Spanned as _;
use syn::{FnArg, ReturnType, Signature};

use crate::item::FnItem;

const SIGNATURE: &str = "fn name(op: &mut Op) -> Result<()>";

/// Every problem at once, each on its token: the arguments (parsed here), the signature and
/// the id formats. Returns the parsed arguments when all is well.
pub(crate) fn validate(args: TokenStream, original: &FnItem) -> syn::Result<MigrationAttr> {
    let mut errors = Errors::default();
    let attr = migrate_source::parse_args(args)
        .map_err(|e| errors.push(e))
        .ok();
    signature(&original.sig, &mut errors);
    for extra in original
        .attrs
        .iter()
        .filter(|a| migrate_source::is_migration_attr(a))
    {
        errors.push(syn::Error::new_spanned(
            extra,
            "duplicate #[migration] attribute; a fn is one migration, write one attribute",
        ));
    }
    if let Some(attr) = &attr {
        ids(attr, &mut errors);
        allowance(attr, &mut errors);
        for (value, key) in [
            (&attr.table_lock_timeout, Key::TableLockTimeout.name()),
            (&attr.statement_timeout, Key::StatementTimeout.name()),
        ] {
            if let Some(v) = value
                .as_ref()
                .filter(|v| migrate_source::duration_ms(&v.value).is_none())
            {
                errors.push(syn::Error::new(
                    v.span,
                    format!("`{key}` must be a whole number and a unit, ms, s or m, above zero: {key} = \"2s\""),
                ));
            }
        }
    }
    errors.finish()?;
    // `attr` is `Some` here (a parse failure was pushed to `errors`); no panic either way.
    attr.ok_or_else(|| {
        syn::Error::new(
            proc_macro2::Span::call_site(),
            "#[migration] could not read its arguments",
        )
    })
}

/// `allow_lint` and `allow_lint_reason` come together: an allowance says why.
fn allowance(attr: &MigrationAttr, errors: &mut Errors) {
    let reason = attr
        .allow_lint_reason
        .as_ref()
        .filter(|r| !r.value.trim().is_empty());
    match (attr.allow_lint.first(), reason) {
        (Some(first), None) => errors.push(syn::Error::new(
            first.span,
            "`allow_lint` needs a reason: add `allow_lint_reason = \"why this is safe here\"`",
        )),
        (None, Some(r)) => errors.push(syn::Error::new(
            r.span,
            "`allow_lint_reason` without `allow_lint`: name the rules it allows, `allow_lint = [\"drop-column\"]`",
        )),
        _ => {}
    }
    if let Some(r) = attr
        .allow_lint_reason
        .as_ref()
        .filter(|r| r.value.trim().is_empty())
    {
        errors.push(syn::Error::new(
            r.span,
            "`allow_lint_reason` is empty; say why the allowed rules are safe for this migration",
        ));
    }
}

#[derive(Default)]
struct Errors(Option<syn::Error>);

impl Errors {
    fn push(&mut self, error: syn::Error) {
        match &mut self.0 {
            Some(all) => all.combine(error),
            None => self.0 = Some(error),
        }
    }

    fn finish(self) -> syn::Result<()> {
        self.0.map_or(Ok(()), Err)
    }
}

/// What can be seen without type checking; the types themselves are checked by the coercion
/// the expansion emits (see `expand.rs`), so a type error lands on the user's fn too.
fn signature(sig: &Signature, errors: &mut Errors) {
    let mut bad = |span: proc_macro2::Span, what: &str| {
        errors.push(syn::Error::new(
            span,
            format!("#[migration] fn cannot be {what}; the signature is `{SIGNATURE}`"),
        ));
    };
    if let Some(t) = &sig.constness {
        bad(t.span, "`const`");
    }
    if let Some(t) = &sig.asyncness {
        bad(
            t.span,
            "`async` (migrations run synchronously inside the migration transaction)",
        );
    }
    if let Some(t) = &sig.unsafety {
        bad(t.span, "`unsafe`");
    }
    if let Some(abi) = &sig.abi {
        bad(abi.span(), "`extern`");
    }
    if !sig.generics.params.is_empty() || sig.generics.where_clause.is_some() {
        bad(sig.generics.span(), "generic");
    }
    if let Some(v) = &sig.variadic {
        bad(v.span(), "variadic");
    }
    let receiver = sig.inputs.iter().find(|a| matches!(a, FnArg::Receiver(_)));
    if let Some(receiver) = receiver {
        errors.push(syn::Error::new(
            receiver.span(),
            format!(
                "#[migration] must be on a free fn, not a method; the signature is `{SIGNATURE}`"
            ),
        ));
    } else if sig.inputs.len() != 1 {
        let span = if sig.inputs.is_empty() {
            sig.paren_token.span.join()
        } else {
            sig.inputs.span()
        };
        errors.push(syn::Error::new(
            span,
            format!(
                "#[migration] fn takes exactly one argument, `op: &mut Op`, found {}; the signature is `{SIGNATURE}`",
                sig.inputs.len()
            ),
        ));
    }
    if let ReturnType::Default = sig.output {
        errors.push(syn::Error::new(
            sig.ident.span(),
            format!("#[migration] fn must return `Result<()>`; the signature is `{SIGNATURE}`"),
        ));
    }
}

/// Id and label formats, through the functions the runtime uses when it builds the graph.
fn ids(attr: &MigrationAttr, errors: &mut Errors) {
    for id in std::iter::once(&attr.rev).chain(&attr.down_revs) {
        match migrate_graph::validate_id(&id.value) {
            Ok(()) => {}
            // The graph's message names the migration's position, which the span shows better.
            Err(migrate_graph::GraphError::EmptyId { .. }) => errors.push(syn::Error::new(
                id.span,
                "empty revision id; give it a value, e.g. \"1f3a9c0de2b4\"",
            )),
            Err(e) => errors.push(syn::Error::new(id.span, e)),
        }
    }
    for label in &attr.branch_labels {
        if let Err(e) = migrate_graph::validate_label(&attr.rev.value, &label.value) {
            errors.push(syn::Error::new(label.span, e));
        }
    }
}
