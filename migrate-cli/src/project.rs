//! Database commands from the standalone `migrate` binary: build the migrations crate's own
//! binary with cargo, in the user's workspace, target directory and lock file, and run it with
//! the same arguments.
//!
//! That binary (`src/main.rs` of the crate `migrate init` writes) is
//! `fn main() -> ExitCode { migrate_cli::main_with(&[&<crate>::MIGRATIONS]) }`: this very
//! program with the migrations linked in. After the user's own `cargo build` the build here is
//! a no-op; cargo prints its own progress (on a terminal) only when it really compiles.

use std::ffi::OsString;
use std::io::{IsTerminal as _, Read as _};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};

use anyhow::Context as _;

use crate::cli::Cli;
use crate::config::Config;
use crate::error::CliError;
use crate::sources::Known;
use migrate_core::MigrationSource;

/// Set in the migrations binary's environment by the front end (for its diagnostics only).
pub(crate) const RUNNER_ENV: &str = "MIGRATE_RUNNER";

pub(crate) fn run_via_project(cli: &Cli, args: &[OsString]) -> anyhow::Result<ExitCode> {
    if std::env::var_os(RUNNER_ENV).is_some() {
        anyhow::bail!(
            "this program has no migrations linked: pass your crate's MIGRATIONS to migrate_cli::main_with"
        );
    }
    // Everything that can be checked without the migrations is checked before any build.
    cli.fleet.check_arguments()?;
    let config = Config::load(cli.global.config.as_deref()).context("loading the configuration")?;
    config.require_file()?;
    if cli.fleet.is_set() {
        // `--db`/`--all`: the databases of migrate.toml, each URL checked before any build.
        config.core.fleet_targets(cli.fleet.db.as_deref())?;
    } else {
        config.database_url(cli.global.url.as_deref())?;
    }
    cli.command.check_arguments()?;
    // Nothing the binary was built from changed since the last build here: no cargo (its
    // no-op check is most of a `migrate current`). See `fresh` for what is compared.
    if let Some(exe) = crate::fresh::fresh_executable(&config.migrations) {
        tracing::debug!(
            target: "migrate::build",
            "running {} without cargo: nothing it was built from changed since it was built",
            exe.display()
        );
        return exec(&exe, &args[1..]);
    }
    let project = MigrationsCrate::read(&config.migrations)?;
    let started = std::time::SystemTime::now();
    tracing::debug!(target: "migrate::build", "cargo build --bin {} in {}", project.bin, project.dir.display());
    let exe = project.build(cli.global.quiet)?;
    crate::fresh::record(&project.dir, &exe, started);
    exec(&exe, &args[1..])
}

/// Set by the front end when it asks a migrations binary for its linked revisions: the file
/// to write them to ([`write_linked`]), instead of running a command.
pub(crate) const WRITE_GRAPH_ENV: &str = "MIGRATE_WRITE_GRAPH";
/// The first line that file gets: which executable (path, time, size) wrote it.
const GRAPH_HEADER_ENV: &str = "MIGRATE_GRAPH_HEADER";

/// In the migrations binary: write the revisions linked into it to `path` (an empty list
/// when none are).
pub(crate) fn write_linked(source: &dyn MigrationSource, path: &Path) -> anyhow::Result<()> {
    let header = std::env::var(GRAPH_HEADER_ENV).unwrap_or_default();
    let known = match Known::from_source(source) {
        Err(e) if matches!(e.downcast_ref(), Some(migrate_core::Error::NoMigrations)) => {
            Known::default()
        }
        other => other?,
    };
    known.write_linked(path, &header)
}

/// For `heads`, `branches`, `history` and `show` from the standalone `migrate`: the revisions
/// the migrations crate's binary links, which are exactly what the database commands apply
/// (a library crate's migrations included). The binary is the one the database commands
/// run: fresh without cargo when nothing changed (see `fresh`), else built with cargo first.
/// It writes its revisions once (`target/migrate-linked.tsv`, tied to the executable's path,
/// time and size); later runs read that file, so a warm `migrate heads` costs what reading the
/// sources did.
///
/// `None` (read the sources, as before) when there is no configuration to read (the command
/// then reports it) or the migrations folder is not a crate (no `Cargo.toml`).
pub(crate) fn linked_graph(cli: &Cli) -> anyhow::Result<Option<Known>> {
    let Ok(config) = Config::load(cli.global.config.as_deref()) else {
        return Ok(None);
    };
    let dir = config.migrations.clone();
    if config.file.is_none() || !dir.join("Cargo.toml").is_file() {
        return Ok(None);
    }
    cli.command.check_arguments()?;
    let file = dir.join("target").join("migrate-linked.tsv");
    let bases: Vec<PathBuf> = dir.ancestors().map(Path::to_path_buf).collect();
    let identity = |exe: &Path| {
        format!(
            "{} {}",
            exe.display(),
            crate::fresh::exe_identity(exe).unwrap_or_default()
        )
    };
    // Checking the stamp and reading the list are independent: overlap them. The list is
    // read on this thread: its allocations would grow a second malloc arena page by page
    // (a thousand `mprotect` calls at 10k revisions), while the stamp check only stats.
    let (fresh, listed) = std::thread::scope(|scope| {
        let checker = scope.spawn(|| crate::fresh::fresh_executable(&dir));
        let listed = Known::read_linked_any(&file, &bases);
        (checker.join().ok().flatten(), listed)
    });
    let exe = match fresh {
        Some(exe) => {
            if let Some((recorded, known)) = listed {
                if recorded == identity(&exe) {
                    return Ok(Some(known));
                }
            }
            exe
        }
        None => {
            let project = MigrationsCrate::read(&dir)?;
            let started = std::time::SystemTime::now();
            tracing::debug!(target: "migrate::build", "cargo build --bin {} in {}", project.bin, dir.display());
            let exe = project.build(cli.global.quiet)?;
            crate::fresh::record(&dir, &exe, started);
            exe
        }
    };
    let header = identity(&exe);
    if let Some(known) = Known::read_linked(&file, &header, &bases) {
        return Ok(Some(known));
    }
    if let Some(parent) = file.parent() {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("can't create {}", parent.display()))?;
    }
    let status = Command::new(&exe)
        .env(RUNNER_ENV, "1")
        .env(WRITE_GRAPH_ENV, &file)
        .env(GRAPH_HEADER_ENV, &header)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .status()
        .with_context(|| format!("can't run {}", exe.display()))?;
    if !status.success() {
        anyhow::bail!(
            "{} could not list its migrations (its error above)",
            exe.display()
        );
    }
    Known::read_linked(&file, &header, &bases)
        .map(Some)
        .ok_or_else(|| {
            anyhow::anyhow!("{} wrote no readable list of its migrations", exe.display())
        })
}

/// The migrations crate, as its `Cargo.toml` describes it.
struct MigrationsCrate {
    dir: PathBuf,
    package: String,
    /// The binary target that is this project's own `migrate`.
    bin: String,
}

impl MigrationsCrate {
    fn read(dir: &Path) -> anyhow::Result<MigrationsCrate> {
        let manifest = dir.join("Cargo.toml");
        let invalid = |message: String| CliError::ConfigInvalid {
            path: manifest.clone(),
            message,
        };
        let text = std::fs::read_to_string(&manifest).map_err(|e| {
            invalid(format!(
                "can't read the migrations crate's manifest ({e}); check `migrations` in migrate.toml"
            ))
        })?;
        let value: toml::Table = toml::from_str(&text).map_err(|e| invalid(e.to_string()))?;
        let package = value
            .get("package")
            .and_then(|p| p.get("name"))
            .and_then(toml::Value::as_str)
            .ok_or_else(|| invalid("no [package] name".to_owned()))?
            .to_owned();
        let declared = value
            .get("bin")
            .and_then(toml::Value::as_array)
            .and_then(|bins| bins.first())
            .and_then(|b| b.get("name"))
            .and_then(toml::Value::as_str)
            .map(str::to_owned);
        let bin = match declared {
            Some(bin) => bin,
            None if dir.join("src").join("main.rs").is_file() => package.clone(),
            None => {
                let ident = package.replace('-', "_");
                return Err(invalid(format!(
                    "the migrations crate `{package}` has no binary to run the migrations with; add \
                     src/main.rs with `fn main() -> std::process::ExitCode {{ migrate_cli::main_with(&[&{ident}::MIGRATIONS]) }}` \
                     and `migrate-cli` to its [dependencies] (what `migrate init` writes)"
                ))
                .into());
            }
        };
        Ok(MigrationsCrate {
            dir: dir.to_path_buf(),
            package,
            bin,
        })
    }

    /// `cargo build --bin <bin>` in the crate's folder (so its `.cargo/config.toml` applies),
    /// returning the executable cargo reports. On a terminal cargo shows its own progress;
    /// elsewhere its output is kept and shown only when the build fails.
    fn build(&self, quiet: bool) -> anyhow::Result<PathBuf> {
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let live = !quiet && std::io::stderr().is_terminal();
        let mut cmd = Command::new(&cargo);
        cmd.current_dir(&self.dir)
            .args(["build", "--message-format=json-render-diagnostics", "--bin"])
            .arg(&self.bin)
            .arg("--manifest-path")
            .arg(self.dir.join("Cargo.toml"))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(if live {
                Stdio::inherit()
            } else {
                Stdio::piped()
            });
        if !live {
            cmd.arg("--quiet");
        }
        let mut child = cmd.spawn().with_context(|| {
            format!(
                "can't run {} to build the migrations crate in {}; where there is no cargo \
                 (a production image), run the built `{}` binary itself",
                Path::new(&cargo).display(),
                self.dir.display(),
                self.bin
            )
        })?;
        // Read stderr on a thread so neither pipe can fill up and stall cargo.
        let stderr = child.stderr.take().map(|mut pipe| {
            std::thread::spawn(move || {
                let mut text = String::new();
                let _ = pipe.read_to_string(&mut text);
                text
            })
        });
        let mut stdout = String::new();
        if let Some(mut pipe) = child.stdout.take() {
            pipe.read_to_string(&mut stdout)
                .context("reading cargo's output")?;
        }
        let status = child.wait().context("waiting for cargo")?;
        let stderr = stderr.and_then(|t| t.join().ok()).unwrap_or_default();
        if !status.success() {
            eprint!("{stderr}");
            anyhow::bail!(
                "building the migrations crate `{}` in {} failed (cargo's output above); fix it \
                 until `cargo build` passes there",
                self.package,
                self.dir.display()
            );
        }
        executable(&stdout, &self.bin).ok_or_else(|| {
            anyhow::anyhow!(
                "cargo built `{}` but reported no `{}` executable; is `[[bin]] {}` behind a \
                 feature that is off?",
                self.package,
                self.bin,
                self.bin
            )
        })
    }
}

/// The `executable` of the `compiler-artifact` message for binary `bin` in cargo's JSON
/// output (one message per line).
fn executable(json_lines: &str, bin: &str) -> Option<PathBuf> {
    json_lines.lines().find_map(|line| {
        let message: serde_json::Value = serde_json::from_str(line).ok()?;
        if message.get("reason")?.as_str()? != "compiler-artifact" {
            return None;
        }
        let target = message.get("target")?;
        let is_bin = target
            .get("kind")?
            .as_array()?
            .iter()
            .any(|k| k.as_str() == Some("bin"));
        if !is_bin || target.get("name")?.as_str()? != bin {
            return None;
        }
        message.get("executable")?.as_str().map(PathBuf::from)
    })
}

#[cfg(unix)]
fn exec(exe: &Path, args: &[OsString]) -> anyhow::Result<ExitCode> {
    use std::os::unix::process::CommandExt as _;
    // Replaces this process: the binary's exit code and signals are the user's.
    let err = Command::new(exe)
        .arg0("migrate")
        .args(args)
        .env(RUNNER_ENV, "1")
        .exec();
    Err(err).with_context(|| format!("can't run {}", exe.display()))
}

#[cfg(not(unix))]
fn exec(exe: &Path, args: &[OsString]) -> anyhow::Result<ExitCode> {
    let status = Command::new(exe)
        .args(args)
        .env(RUNNER_ENV, "1")
        .status()
        .with_context(|| format!("can't run {}", exe.display()))?;
    let code = status.code().unwrap_or(1);
    Ok(ExitCode::from(u8::try_from(code).unwrap_or(1)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_executable_comes_from_cargos_artifact_message() {
        let out = concat!(
            r#"{"reason":"compiler-artifact","target":{"kind":["lib"],"name":"blog_migrations"},"executable":null}"#,
            "\n",
            r#"{"reason":"compiler-artifact","target":{"kind":["bin"],"name":"other"},"executable":"/t/debug/other"}"#,
            "\n",
            r#"{"reason":"compiler-artifact","target":{"kind":["bin"],"name":"blog-migrations"},"executable":"/t/debug/blog-migrations"}"#,
            "\n",
            r#"{"reason":"build-finished","success":true}"#,
        );
        assert_eq!(
            executable(out, "blog-migrations"),
            Some(PathBuf::from("/t/debug/blog-migrations"))
        );
        assert_eq!(executable(out, "missing"), None);
    }
}
