//! `revision -m MSG [--rev-id ID] [--head H] [--splice] [--branch-label L] [--depends-on R]...`
//! and the parts `merge` shares: resolving the parents and writing the file.

use std::io::Write;
use std::process::ExitCode;

use migrate_graph::Graph;

use super::{build_graph, Ctx};
use crate::cli::RevisionArgs;
use crate::error::CliError;
use crate::newrev::{self, NewMigration, Stamp};
use crate::sources::Known;

pub(crate) fn run(
    ctx: &Ctx<'_>,
    args: &RevisionArgs,
    out: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    if args.autogenerate {
        return super::autogenerate::run(ctx, args, out);
    }
    let rev = pick_rev_id(args.rev_id.as_deref())?;
    let mut known = ctx.known_from_sources()?;
    let graph = build_graph(&mut known)?;
    let down_revs = resolve_parents(&graph, std::slice::from_ref(&args.head), args.splice)?;
    let depends_on = resolve_depends_on(&graph, &args.depends_on)?;
    let new = NewMigration {
        rev,
        message: args.message.clone(),
        down_revs,
        branch_labels: args.branch_label.clone(),
        depends_on,
        body: None,
        no_downgrade: None,
    };
    create(ctx, &known, &graph, &new, out)?;
    Ok(ExitCode::SUCCESS)
}

/// `--rev-id` checked with Alembic's rules, or a fresh random id.
pub(super) fn pick_rev_id(given: Option<&str>) -> Result<String, CliError> {
    match given {
        Some(id) => {
            newrev::check_rev_id(id)?;
            Ok(id.to_owned())
        }
        None => Ok(newrev::random_rev_id()),
    }
}

/// The new revision's `down_rev`: each identifier resolved in order (`base` adds nothing,
/// `heads` every real head); every parent must be a head unless `splice`.
pub(super) fn resolve_parents(
    graph: &Graph,
    idents: &[String],
    splice: bool,
) -> Result<Vec<String>, CliError> {
    let heads = graph.heads();
    let mut parents: Vec<String> = Vec::new();
    for ident in idents {
        if ident == "base" {
            continue;
        }
        if ident == "head" && heads.len() > 1 {
            return Err(CliError::MultipleHeads);
        }
        // The common cases need no resolver: `head`, `heads`, an exact id.
        if ident == "head" {
            parents.extend(heads.iter().map(|h| (*h).to_owned()));
            continue;
        }
        if ident == "heads" {
            parents.extend(graph.real_heads().into_iter().map(str::to_owned));
            continue;
        }
        if graph.get(ident).is_some() {
            parents.push(ident.clone());
            continue;
        }
        let resolved = graph.resolve(ident, &[]).map_err(|e| match e {
            migrate_graph::GraphError::MultipleHeadsForArgument { .. } => CliError::MultipleHeads,
            other => CliError::Command(other.to_string()),
        })?;
        parents.extend(resolved);
    }
    let mut seen = std::collections::HashSet::new();
    if !parents.iter().all(|p| seen.insert(p.as_str())) {
        return Err(CliError::Command(
            "Duplicate head revisions specified".to_owned(),
        ));
    }
    if !splice {
        if let Some(p) = parents.iter().find(|p| !heads.contains(&p.as_str())) {
            return Err(CliError::Command(format!(
                "Revision {p} is not a head revision; please specify --splice to create a new \
                 branch from this revision"
            )));
        }
    }
    Ok(parents)
}

/// `--depends-on` values: partial ids expanded to full ids, branch labels kept as written.
pub(super) fn resolve_depends_on(graph: &Graph, deps: &[String]) -> Result<Vec<String>, CliError> {
    deps.iter()
        .map(|dep| {
            let cant_locate =
                || CliError::Command(format!("Can't locate revision identified by '{dep}'"));
            let resolved = graph.resolve(dep, &[]).map_err(|_| cant_locate())?;
            let [id] = resolved.as_slice() else {
                return Err(cant_locate());
            };
            let is_label = graph
                .revisions()
                .any(|r| r.branch_labels.iter().any(|l| l == dep));
            Ok(if is_label { dep.clone() } else { id.clone() })
        })
        .collect()
}

/// Refuse what would break the graph, then write the file and say so; returns its path.
pub(super) fn create(
    ctx: &Ctx<'_>,
    known: &Known,
    graph: &Graph,
    new: &NewMigration,
    out: &mut dyn Write,
) -> anyhow::Result<std::path::PathBuf> {
    if let Some((file, _)) = known.locations.get(&new.rev) {
        return Err(CliError::Command(format!(
            "Revision {} is already present in {}; pick another --rev-id",
            new.rev,
            file.display()
        ))
        .into());
    }
    newrev::check_labels(&new.rev, &new.branch_labels)?;
    for label in &new.branch_labels {
        if let Some(other) = graph.revisions().find(|r| r.branch_labels.contains(label)) {
            return Err(CliError::Command(format!(
                "Branch name '{label}' in revision {} already used by revision {}",
                new.rev, other.id
            ))
            .into());
        }
    }
    let config = &ctx.config;
    let slug = newrev::slug(&new.message, config.truncate_slug_length);
    let name = newrev::file_name(&config.file_template, &new.rev, &slug, Stamp::now())?;
    let path = newrev::write_file(
        &config.versions_dir(),
        &name,
        &new.render(),
        &config.post_write_hook,
    )?;
    if !ctx.quiet() {
        writeln!(out, "Generating {} ...  done", path.display())?;
    }
    Ok(path)
}
