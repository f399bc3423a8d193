//! `init [DIRECTORY]`: `migrate.toml` plus a migrations crate (lib.rs, main.rs, build.rs,
//! versions/).
//!
//! The crate is the user's own: its library holds the migrations, and its binary (`main.rs`,
//! behind the default `cli` feature) is this project's own `migrate`, which the `migrate`
//! command builds with cargo in the user's workspace and runs, and which a production image
//! ships alone. It depends on the published crates by version only; when this `migrate` was
//! built from a source checkout (the crates are not on a registry yet), a machine-local,
//! git-ignored `.cargo/config.toml` patches them to the checkout.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;

use crate::cli::{Cli, InitArgs};
use crate::config::CONFIG_FILE;
use crate::error::CliError;

/// The checkout this binary was built from, if it still exists: its crates then stand in for
/// the published ones, through a machine-local `[patch]`.
const CHECKOUT_CLI: &str = env!("CARGO_MANIFEST_DIR");

/// The published package names the scaffold depends on, and their folders in a checkout.
const CORE_PACKAGE: (&str, &str) = ("migrate-rs-core", "migrate-core");
const CLI_PACKAGE: (&str, &str) = ("migrate-cli", "migrate-cli");

pub(crate) fn run(cli: &Cli, args: &InitArgs, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    let cwd = std::env::current_dir().context("can't read the current directory")?;
    let dir = cwd.join(&args.directory);
    if dir.exists() && !is_empty_dir(&dir)? {
        return Err(CliError::Command(format!(
            "Directory {} already exists and is not empty",
            args.directory.display()
        ))
        .into());
    }
    let quiet = cli.global.quiet;
    let mut status = |line: String| -> std::io::Result<()> {
        if quiet {
            Ok(())
        } else {
            writeln!(out, "{line}")
        }
    };
    let versions = dir.join("src").join("versions");
    for d in [&dir, &versions] {
        if !d.exists() {
            std::fs::create_dir_all(d).with_context(|| format!("can't create {}", d.display()))?;
            status(format!("Creating directory {} ...  done", d.display()))?;
        }
    }
    let name = crate_name(&dir);
    let workspace = enclosing_workspace(&dir);
    let checkout = checkout();
    let files: [(PathBuf, String); 5] = [
        (
            dir.join("Cargo.toml"),
            cargo_toml(&name, workspace.is_some()),
        ),
        (dir.join("build.rs"), BUILD_RS.to_owned()),
        (dir.join("src").join("lib.rs"), lib_rs(&name)),
        (dir.join("src").join("main.rs"), main_rs(&name)),
        (dir.join(".gitignore"), "/target\n".to_owned()),
    ];
    for (path, text) in &files {
        write_new(path, text)?;
        status(format!("Generating {} ...  done", path.display()))?;
    }
    if let Some(checkout) = &checkout {
        // Cargo reads `.cargo/config.toml` from the directory it runs in and its parents: the
        // workspace root when the crate joins a workspace, else the project folder (where
        // migrate.toml is), which covers `cargo build` both there and in the crate.
        let root = match workspace.as_deref().and_then(Path::parent) {
            Some(root) => root.to_path_buf(),
            None if dir.starts_with(&cwd) => cwd.clone(),
            None => dir.clone(),
        };
        let cargo_dir = root.join(".cargo");
        let config = cargo_dir.join("config.toml");
        if config.exists() {
            status(format!(
                "File {} exists: add this [patch.crates-io] to it to build from {}:\n{}",
                config.display(),
                checkout.display(),
                patch_table(checkout)
            ))?;
        } else {
            if !cargo_dir.exists() {
                std::fs::create_dir_all(&cargo_dir)
                    .with_context(|| format!("can't create {}", cargo_dir.display()))?;
                // A folder of its own: git ignores it whole, this file included.
                write_new(&cargo_dir.join(".gitignore"), "*\n")?;
            }
            write_new(&config, &dev_config(checkout))?;
            status(format!(
                "Generating {} ...  done (machine-local: builds the migrate crates from {}; keep it out of git)",
                config.display(),
                checkout.display()
            ))?;
        }
        if workspace.is_none() {
            seed_lock_file(checkout, &dir);
        }
    }
    let config_path = cwd.join(
        cli.global
            .config
            .as_deref()
            .unwrap_or(Path::new(CONFIG_FILE)),
    );
    if config_path.exists() {
        status(format!(
            "File {} already exists, skipping",
            config_path.display()
        ))?;
    } else {
        let base = config_path.parent().unwrap_or(&cwd);
        let rel = dir
            .strip_prefix(base)
            .map_or_else(|_| dir.clone(), Path::to_path_buf);
        write_new(&config_path, &migrate_toml(&rel))?;
        status(format!("Generating {} ...  done", config_path.display()))?;
    }
    if let Some(root) = enclosing_workspace(&dir) {
        status(format!(
            "Add \"{}\" to `members` in {} to build it with the workspace.",
            dir.strip_prefix(root.parent().unwrap_or(&cwd))
                .unwrap_or(&dir)
                .display(),
            root.display()
        ))?;
    }
    status(format!(
        "Please edit the database URL in '{}' before proceeding.",
        config_path.display()
    ))?;
    Ok(ExitCode::SUCCESS)
}

fn is_empty_dir(dir: &Path) -> anyhow::Result<bool> {
    let mut entries =
        std::fs::read_dir(dir).with_context(|| format!("can't read {}", dir.display()))?;
    Ok(entries.next().is_none())
}

fn write_new(path: &Path, text: &str) -> anyhow::Result<()> {
    std::fs::write(path, text).with_context(|| format!("can't write {}", path.display()))
}

/// The package name: `<project>-<folder>` (`blog-migrations` for `blog/migrations`), so that
/// the migrations crates of several projects never share a name in one workspace or one
/// target directory; lowercase ASCII letters, digits and `-`, starting with a letter.
fn crate_name(dir: &Path) -> String {
    let part = |p: Option<&std::ffi::OsStr>| -> String {
        let raw = p.and_then(|n| n.to_str()).unwrap_or("");
        let cleaned: String = raw
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '-'
                }
            })
            .collect();
        cleaned
            .trim_start_matches(|c: char| !c.is_ascii_alphabetic())
            .trim_end_matches('-')
            .to_owned()
    };
    let own = part(dir.file_name());
    let project = part(dir.parent().and_then(Path::file_name));
    match (project.is_empty(), own.is_empty()) {
        (false, false) => format!("{project}-{own}"),
        (true, false) => own,
        (false, true) => format!("{project}-migrations"),
        (true, true) => "migrations".to_owned(),
    }
}

/// The `Cargo.toml` of a workspace containing `dir`, if any: the crate then belongs in its
/// members; otherwise the crate gets its own `[workspace]` so it builds on its own.
fn enclosing_workspace(dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .skip(1)
        .map(|d| d.join("Cargo.toml"))
        .find(|manifest| {
            std::fs::read_to_string(manifest)
                .is_ok_and(|text| text.lines().any(|l| l.trim() == "[workspace]"))
        })
}

/// The source checkout this binary was built from, if it is still there.
fn checkout() -> Option<PathBuf> {
    let root = std::fs::canonicalize(Path::new(CHECKOUT_CLI).join("..")).ok()?;
    [CORE_PACKAGE.1, CLI_PACKAGE.1]
        .iter()
        .all(|folder| root.join(folder).join("Cargo.toml").is_file())
        .then_some(root)
}

/// A crate of its own built from a checkout starts from the checkout's lock file: its first
/// build resolves the versions the checkout is tested with, without asking the registry.
fn seed_lock_file(checkout: &Path, dir: &Path) {
    let lock = checkout.join("Cargo.lock");
    if lock.is_file() {
        // Best effort: without it cargo resolves the versions itself.
        let _ = std::fs::copy(lock, dir.join("Cargo.lock"));
    }
}

fn patch_table(checkout: &Path) -> String {
    let line = |(package, folder): (&str, &str)| {
        format!(
            "{package} = {{ path = {:?} }}\n",
            checkout.join(folder).display().to_string()
        )
    };
    format!(
        "[patch.crates-io]\n{}{}",
        line(CORE_PACKAGE),
        line(CLI_PACKAGE)
    )
}

fn dev_config(checkout: &Path) -> String {
    format!(
        "# Written by `migrate init`, which ran from a source checkout of migrate: until its\n\
         # crates are on the registry, this machine builds them from that checkout. Machine-local:\n\
         # keep this file out of version control (the .gitignore beside it does).\n{}",
        patch_table(checkout)
    )
}

fn cargo_toml(name: &str, in_workspace: bool) -> String {
    let workspace = if in_workspace {
        ""
    } else {
        "\n# A workspace of its own; remove this table to make the crate a member of yours.\n[workspace]\n"
    };
    let version = env!("CARGO_PKG_VERSION");
    format!(
        "[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n\
         [features]\n\
         # `cli` builds the `{name}` binary: this project's own `migrate` (what the `migrate`\n\
         # command runs, and what a production image ships). An application that only links\n\
         # the migrations depends on this crate with `default-features = false`.\n\
         default = [\"cli\"]\n\
         cli = [\"dep:migrate-cli\"]\n\n\
         [dependencies]\n\
         # Used as `migrate_core` in code.\n\
         {core} = \"{version}\"\n\
         {cli} = {{ version = \"{version}\", optional = true }}\n\n\
         [[bin]]\nname = \"{name}\"\npath = \"src/main.rs\"\nrequired-features = [\"cli\"]\n{workspace}",
        core = CORE_PACKAGE.0,
        cli = CLI_PACKAGE.0,
    )
}

const BUILD_RS: &str = "\
// Rebuild (and re-check the revision chain) whenever a migration file is added or removed.
fn main() {
    println!(\"cargo:rerun-if-changed=src/versions\");
}
";

fn lib_rs(name: &str) -> String {
    format!(
        "//! The database migrations of {name}: one file per revision in `src/versions/`,\n\
         //! created with `migrate revision -m \"...\"`.\n\n\
         migrate_core::migrations!();\n"
    )
}

fn main_rs(name: &str) -> String {
    let ident = name.replace('-', "_");
    format!(
        "//! `{name}`: this project's own `migrate`, with the migrations linked in. The `migrate`\n\
         //! command builds and runs it; in production, ship the built binary alone: it needs no\n\
         //! cargo and no source tree (`DATABASE_URL=... {name} upgrade`).\n\n\
         fn main() -> std::process::ExitCode {{\n    \
         migrate_cli::main_with(&[&{ident}::MIGRATIONS])\n}}\n"
    )
}

fn migrate_toml(migrations: &Path) -> String {
    format!(
        "[migrate]\n\
         # Path of the migrations crate, relative to this file.\n\
         migrations = {:?}\n\
         # Database URL; DATABASE_URL (environment or .env) overrides it, and --url overrides both.\n\
         url = \"sqlite://migrate.db\"\n\
         version_table = \"migrate_version\"\n",
        migrations.display().to_string()
    )
}
