//! One handler per command; this module routes to them and holds what they share.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Context as _;
use migrate_core::MigrationSource;
use migrate_graph::Graph;

use crate::cli::{Cli, Command};
use crate::config::Config;
use crate::error::CliError;
use crate::sources::Known;

mod apply;
mod autogenerate;
mod branches;
mod check;
mod current;
mod fleet;
mod heads;
mod history;
mod init;
mod lint;
mod merge;
mod offline;
mod revision;
mod schema;
mod show;
mod stamp;
mod test;

/// What every handler gets: the parsed command line, the configuration and the migrations
/// this program has linked in (`None` in the standalone `migrate`).
pub(crate) struct Ctx<'a> {
    pub(crate) cli: &'a Cli,
    pub(crate) config: Config,
    pub(crate) source: Option<&'a dyn MigrationSource>,
    /// The revisions the migrations crate's binary links (the front end's graph commands,
    /// when it has that binary): exactly the graph the database commands apply.
    pub(crate) linked: std::cell::RefCell<Option<Known>>,
    /// The registry of the migrations linked into this program, built on first use:
    /// [`known`](Ctx::known) reads it and the first migrator takes it, so a command builds
    /// the registry and its graph once (10k migrations cost tens of milliseconds a build).
    pub(crate) registry: std::cell::RefCell<Option<migrate_core::Registry>>,
}

impl Ctx<'_> {
    pub(crate) fn verbose(&self) -> bool {
        self.cli.global.verbose
    }

    pub(crate) fn quiet(&self) -> bool {
        self.cli.global.quiet
    }

    /// The known revisions: the linked ones when this program has migrations linked, else
    /// the migrations crate's source files.
    pub(crate) fn known(&self) -> anyhow::Result<Known> {
        if let Some(known) = self.with_registry(Known::from_registry)? {
            return Ok(known);
        }
        if let Some(linked) = self.linked.borrow_mut().take() {
            // Each command asks once; a second ask reads the sources.
            return Ok(linked);
        }
        self.known_from_sources()
    }

    /// The known revisions (their locations) and their graph: the linked registry's graph
    /// (built once, shared with the migrator), else the graph of [`known`](Ctx::known).
    pub(crate) fn known_graph(&self) -> anyhow::Result<(Known, Shown)> {
        let linked = self.with_registry(|r| (Known::locations_of(r), Shown::Linked(r.clone())))?;
        if let Some(known_graph) = linked {
            return Ok(known_graph);
        }
        let mut known = self.known()?;
        let graph = build_graph(&mut known)?;
        Ok((known, Shown::Built(Box::new(graph))))
    }

    /// The registry of the linked migrations: the one [`known`](Ctx::known) built, or a new
    /// one when none was built or it was taken already.
    pub(crate) fn take_registry(&self) -> migrate_core::Result<migrate_core::Registry> {
        match self.registry.borrow_mut().take() {
            Some(registry) => Ok(registry),
            None => self.build_registry(),
        }
    }

    /// `f` of the linked migrations' registry, built now if it isn't yet (and kept for the
    /// migrator); `None` when this program has no migrations linked.
    fn with_registry<T>(
        &self,
        f: impl FnOnce(&migrate_core::Registry) -> T,
    ) -> migrate_core::Result<Option<T>> {
        if self.source.is_none() {
            return Ok(None);
        }
        let mut memo = self.registry.borrow_mut();
        let registry = match memo.take() {
            Some(registry) => registry,
            None => self.build_registry()?,
        };
        Ok(Some(f(memo.insert(registry))))
    }

    fn build_registry(&self) -> migrate_core::Result<migrate_core::Registry> {
        migrate_core::Registry::from_source(&(migrate_core::Linked, self.source))
    }

    /// The migrations crate's source files, whatever is linked (`revision` writes there).
    pub(crate) fn known_from_sources(&self) -> anyhow::Result<Known> {
        self.config.require_file()?;
        let cache = self
            .config
            .migrations
            .join("target")
            .join("migrate-index.tsv");
        Known::from_sources(&self.config.versions_dir(), &cache)
    }
}

/// The graph a command reads: built from the known revisions, or the linked registry's own
/// (shared, not copied: 10,000 revisions cost milliseconds to copy).
pub(crate) enum Shown {
    Built(Box<Graph>),
    Linked(migrate_core::Registry),
}

impl std::ops::Deref for Shown {
    type Target = Graph;

    fn deref(&self) -> &Graph {
        match self {
            Shown::Built(graph) => graph,
            Shown::Linked(registry) => registry.graph(),
        }
    }
}

/// Build the graph (moving the revisions into it), reporting every problem at once.
pub(crate) fn build_graph(known: &mut Known) -> Result<Graph, CliError> {
    Graph::new(std::mem::take(&mut known.revisions))
        .map_err(|errs| CliError::Graph(errs.iter().map(ToString::to_string).collect()))
}

/// Run the parsed command.
pub(crate) fn dispatch(
    cli: &Cli,
    source: Option<&dyn MigrationSource>,
    linked: Option<Known>,
    out: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    if let Command::Init(args) = &cli.command {
        return init::run(cli, args, out);
    }
    let config = Config::load(cli.global.config.as_deref()).context("loading the configuration")?;
    cli.command.check_arguments()?;
    cli.fleet.check_arguments()?;
    let ctx = Ctx {
        cli,
        config,
        source,
        linked: std::cell::RefCell::new(linked),
        registry: std::cell::RefCell::new(None),
    };
    if cli.fleet.is_set() {
        return fleet::run(&ctx, out);
    }
    match &cli.command {
        Command::Init(_) => Ok(ExitCode::SUCCESS),
        Command::Revision(args) => revision::run(&ctx, args, out),
        Command::Merge(args) => merge::run(&ctx, args, out),
        Command::Heads(args) => heads::run(&ctx, args, out),
        Command::Branches(args) => branches::run(&ctx, args, out),
        Command::History(args) => history::run(&ctx, args, out),
        Command::Show(args) => show::run(&ctx, args, out),
        Command::Upgrade(args) => apply::run(
            &ctx,
            migrate_graph::Direction::Up,
            &args.target,
            args.sql,
            args.json,
            out,
        ),
        Command::Downgrade(args) => apply::run(
            &ctx,
            migrate_graph::Direction::Down,
            &args.target,
            args.sql,
            args.json,
            out,
        ),
        Command::Current(args) => current::run(&ctx, args, out),
        Command::Stamp(args) => stamp::run(&ctx, args, out),
        Command::Check(args) => check::run(&ctx, args, out),
        Command::Test => test::run(&ctx, out),
        Command::Schema(args) => schema::run(&ctx, args, out),
        Command::Lint(args) => lint::run(&ctx, args, out),
    }
}

/// Print a JSON value on one line.
pub(crate) fn write_json(out: &mut dyn Write, value: &serde_json::Value) -> anyhow::Result<()> {
    serde_json::to_writer(&mut *out, value)?;
    writeln!(out)?;
    Ok(())
}
