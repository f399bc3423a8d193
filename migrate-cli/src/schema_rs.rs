//! Diesel's `schema.rs`: rendered from the schema model (`migrate schema`), kept current by
//! `upgrade` and `downgrade` when `diesel_schema` is set in migrate.toml (as diesel_cli's
//! `migration run` rewrites its `print_schema.file`), and compared by `check`.

use std::io::Write as _;
use std::path::Path;

use migrate_core::schema::{diesel_schema, Rules, Schema};
use migrate_core::Migrator;

use crate::error::CliError;

/// The text Diesel's `print-schema` prints for `schema`. What the model cannot vouch for (a
/// table raw SQL changed, a schema a Rust step made uncertain) is a `warning:` on stderr:
/// the file may then differ from the database's.
pub(crate) fn render(schema: &Schema, warn: bool) -> anyhow::Result<String> {
    if warn {
        for (table, why) in schema.opaque_tables() {
            eprintln!(
                "warning: table {table} is printed as the migrations' operations leave it, but {}; `migrate schema --from-db` prints what the database has",
                why.join("; ")
            );
        }
        for why in schema.uncertain() {
            eprintln!("warning: the schema may be incomplete: {why}; `migrate schema --from-db` prints what the database has");
        }
    }
    Ok(diesel_schema::render(schema)?)
}

/// What the migrations build at their heads, on the configured URL's dialect; no database.
pub(crate) fn from_replay(m: &Migrator, warn: bool) -> anyhow::Result<String> {
    let url = m
        .database()
        .ok_or_else(|| anyhow::anyhow!("no database URL to take the SQL dialect from"))?;
    let heads: Vec<String> = m.graph().heads().iter().map(|h| h.to_string()).collect();
    let schema = m.replay(&heads, Rules::new(url.dialect()))?;
    render(&schema, warn)
}

/// What the database has: its current schema and the other schemas the migrations create
/// tables or enum types in (so that the file matches `migrate schema`'s), migrate's own
/// tables left out.
pub(crate) fn from_database(m: &Migrator) -> anyhow::Result<String> {
    render(&m.introspect_schemas(&other_schemas(m))?, false)
}

/// The schemas other than the default one that the replay at the heads has tables or enum
/// types in, as the migrations spell them (none when the replay can't be made).
fn other_schemas(m: &Migrator) -> Vec<String> {
    let Some(url) = m.database() else {
        return Vec::new();
    };
    let heads: Vec<String> = m.graph().heads().iter().map(|h| h.to_string()).collect();
    let Ok(schema) = m.replay(&heads, Rules::new(url.dialect())) else {
        return Vec::new();
    };
    let tables = schema
        .tables()
        .filter(|(k, _)| k.schema.is_some())
        .filter_map(|(_, t)| t.name.schema.clone());
    let enums = schema
        .enums()
        .filter(|(k, _)| k.schema.is_some())
        .filter_map(|(_, e)| e.name.schema.clone());
    let mut others: Vec<String> = tables.chain(enums).collect();
    others.sort();
    others.dedup();
    others
}

/// Fail unless `path` can be written: an existing file opened for writing (not truncated),
/// or a new one created (and removed again) in an existing folder. Runs before anything
/// touches the database, so that a bad `diesel_schema` leaves it as it was.
pub(crate) fn check_writable(path: &Path) -> Result<(), CliError> {
    let refuse = |why: String| CliError::SchemaFile {
        path: path.to_path_buf(),
        why,
    };
    if path.is_dir() {
        return Err(refuse("it is a folder".to_owned()));
    }
    if path.exists() {
        return std::fs::OpenOptions::new()
            .write(true)
            .open(path)
            .map(drop)
            .map_err(|e| refuse(e.to_string()));
    }
    let parent = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    if !parent.is_dir() {
        return Err(refuse(format!(
            "its folder {} does not exist",
            parent.display()
        )));
    }
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| refuse(e.to_string()))?;
    std::fs::remove_file(path).map_err(|e| refuse(e.to_string()))
}

/// Write `text` to `path` unless it already holds exactly that (so an unchanged schema leaves
/// the file's time alone and triggers no rebuild). Returns whether it wrote.
pub(crate) fn write_if_changed(path: &Path, text: &str) -> anyhow::Result<bool> {
    if std::fs::read(path).is_ok_and(|old| old == text.as_bytes()) {
        return Ok(false);
    }
    let mut file = std::fs::File::create(path).map_err(|e| CliError::SchemaFile {
        path: path.to_path_buf(),
        why: e.to_string(),
    })?;
    file.write_all(text.as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(|e| CliError::SchemaFile {
            path: path.to_path_buf(),
            why: e.to_string(),
        })?;
    Ok(true)
}

/// After `upgrade`/`downgrade`: rewrite `path` from the database, saying so on stderr when it
/// changed.
pub(crate) fn rewrite(m: &Migrator, path: &Path, quiet: bool) -> anyhow::Result<()> {
    let text = from_database(m).map_err(|e| {
        e.context(format!(
            "the migrations ran, but {} was not rewritten",
            path.display()
        ))
    })?;
    if write_if_changed(path, &text)? && !quiet {
        eprintln!("Writing {} ...  done", path.display());
    }
    Ok(())
}

/// `check`: `None` when `path` holds what the database prints, else a unified diff from the
/// file (`a/..`, a missing file is empty) to what it should be (`b/..`).
pub(crate) fn stale(m: &Migrator, path: &Path) -> anyhow::Result<Option<String>> {
    let want = from_database(m)?;
    let have = std::fs::read_to_string(path).unwrap_or_default();
    if have == want {
        return Ok(None);
    }
    let shown = path.display().to_string();
    let diff = similar::TextDiff::from_lines(&have, &want)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{shown}"), &format!("b/{shown}"))
        .to_string();
    Ok(Some(diff))
}
