//! The compile-time graph check of one `#[migration]`: build the folder's graph with
//! `migrate-graph` and report, on this attribute's tokens, every error that blames it.

use std::collections::HashSet;

use std::path::Path;

use migrate_graph::{Blame, Field, Graph, GraphError, Revision};
use migrate_source::{order_key, Spanned};
use proc_macro2::Span;

use crate::ast::Migration;
use crate::cache;
use crate::source::Source;

/// The errors blaming `migration`, which is written at `here`. Each error about another
/// migration is left to that migration's own attribute, so each is reported exactly once.
pub(crate) fn check(migration: &Migration<'_>, here: &Source) -> Vec<syn::Error> {
    let folder = match cache::folder(here.dir()) {
        Ok(folder) => folder,
        Err(e) => {
            return vec![syn::Error::new(
                Span::call_site(),
                format!("#[migration] cannot check the migration chain: {e}"),
            )]
        }
    };
    let scan = &folder.scan;
    let own_name = here.file_name();
    let own_key = order_key(&own_name, here.line);
    let is_own = |file: &Path, line: u32| {
        line == here.line && file.file_name().is_some_and(|n| *n == *own_name)
    };
    // What only the scanner sees (the fn sits inside a `mod`): reported here, on this fn,
    // since `migrations!()` would otherwise fail with an opaque "cannot find value".
    let own_problem = scan.problems.iter().find_map(|p| match p {
        migrate_source::SourceError::Invalid {
            file,
            line,
            message,
        } if is_own(file, *line) => Some(message),
        _ => None,
    });
    if let Some(message) = own_problem {
        return vec![syn::Error::new(
            migration.original.sig.ident.span(),
            message,
        )];
    }
    // A malformed migration elsewhere is missing from the graph, and everything pointing at
    // it would look broken: leave the chain check until that file's own error is fixed.
    let broken_elsewhere = scan.problems.iter().any(|p| match p {
        migrate_source::SourceError::Invalid { file, line, .. } => !is_own(file, *line),
        _ => true,
    });
    if broken_elsewhere {
        return Vec::new();
    }
    let own = own_revision(migration, own_key.clone());
    let scanned = folder.migration_at(&own_name, here.line);
    let errors = match scanned {
        // The usual case: the file on disk says what the compiler read, so the folder's
        // graph, built once for every attribute of the crate, is this attribute's graph.
        Some(m) if same_edges(&m.to_revision(), &own) => folder.graph_errors(&here.external),
        // The scanner read something else (or did not recognise this attribute): build the
        // graph with this attribute's own view of itself.
        _ => {
            let mut revisions: Vec<Revision> = scan
                .migrations
                .iter()
                .filter(|m| !is_own(&m.file, m.line))
                .map(|m| m.to_revision())
                .collect();
            revisions.push(own);
            crate::external::strip(&mut revisions, &here.external);
            Graph::new(revisions).err().unwrap_or_default()
        }
    };
    let others = || scan.migrations.iter().filter(|m| !is_own(&m.file, m.line));
    let attr = &migration.attr;
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for error in errors {
        for blame in error.blame() {
            if !blames_this(&blame, &attr.rev.value, &own_key) {
                continue;
            }
            let message = match &error {
                // The graph names positions by order key; the macro can say file and line.
                GraphError::DuplicateRevision { rev, .. } => {
                    let elsewhere: Vec<String> = others()
                        .filter(|m| m.rev == *rev)
                        .map(|m| format!("{}:{}", file_name(&m.file), m.line))
                        .collect();
                    format!(
                        "Revision {rev} is present more than once (also at {}); give one of them a new id",
                        elsewhere.join(", ")
                    )
                }
                _ => error.to_string(),
            };
            if seen.insert((message.clone(), blame.field.clone())) {
                out.push(syn::Error::new(span_of(migration, &blame.field), message));
            }
        }
    }
    out
}

fn same_edges(a: &Revision, b: &Revision) -> bool {
    a.id == b.id
        && a.down_revs == b.down_revs
        && a.depends_on == b.depends_on
        && a.branch_labels == b.branch_labels
        && a.order_key == b.order_key
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn blames_this(blame: &Blame, rev: &str, own_key: &str) -> bool {
    blame.rev == rev && blame.order_key.as_deref().is_none_or(|k| k == own_key)
}

fn own_revision(m: &Migration<'_>, order_key: String) -> Revision {
    let values = |v: &[Spanned<String>]| v.iter().map(|s| s.value.clone()).collect();
    Revision {
        id: m.attr.rev.value.clone(),
        down_revs: values(&m.attr.down_revs),
        depends_on: values(&m.attr.depends_on),
        branch_labels: values(&m.attr.branch_labels),
        // Neither takes part in the graph's rules.
        message: String::new(),
        checksum: String::new(),
        order_key,
    }
}

/// The literal the blamed field was written as; the `rev` literal when it can't be found.
fn span_of(m: &Migration<'_>, field: &Field) -> Span {
    let attr = &m.attr;
    // The last occurrence: for an entry listed twice, the second one is the mistake.
    let find = |list: &[Spanned<String>], value: &str| {
        list.iter().rev().find(|s| s.value == value).map(|s| s.span)
    };
    let found = match field {
        Field::Rev => None,
        Field::DownRev(v) => find(&attr.down_revs, v),
        Field::DependsOn(v) => find(&attr.depends_on, v),
        Field::BranchLabel(v) => find(&attr.branch_labels, v),
    };
    found.unwrap_or(attr.rev.span)
}
