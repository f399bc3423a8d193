//! Diesel's `schema.rs` as the desired schema: read it, and plan the operations from the
//! database (or, offline, from what the migrations build) to it. `revision --autogenerate`
//! writes the plan as a migration; `check` fails while the plan is not empty.

use std::path::{Path, PathBuf};

use migrate_core::schema::autogen::{self, Options, Plan, TableFilter};
use migrate_core::schema::diesel_schema::{self, DieselSchema};
use migrate_core::schema::{Rules, Schema};
use migrate_core::Migrator;

use crate::commands::Ctx;
use crate::error::CliError;

/// Where the desired schema comes from: `--schema`, else `diesel_schema`.
pub(crate) fn schema_path(ctx: &Ctx<'_>, given: Option<&Path>) -> Result<PathBuf, CliError> {
    match given {
        Some(p) => Ok(ctx.config.base_dir.join(p)),
        None => ctx.config.diesel_schema.clone().ok_or_else(|| CliError::ConfigInvalid {
            path: ctx.config.file.clone().unwrap_or_default(),
            message: "autogenerate compares with Diesel's schema.rs: set `diesel_schema = \"src/schema.rs\"` in [migrate], or pass --schema FILE".to_owned(),
        }),
    }
}

/// `schema.rs`, parsed; a file that is missing or does not parse is one line naming the file,
/// the line and column, and what was expected.
pub(crate) fn read(path: &Path) -> Result<DieselSchema, CliError> {
    let text = std::fs::read_to_string(path).map_err(|e| CliError::SchemaRead {
        path: path.to_path_buf(),
        why: format!("can't read it: {e}"),
    })?;
    diesel_schema::parse(&text).map_err(|e| CliError::SchemaParse {
        path: path.to_path_buf(),
        line: e.line,
        column: e.column,
        message: e.message,
    })
}

/// What may be done: `[migrate.types]`, diesel.toml's table filter (beside migrate.toml, when
/// there is one), and whether missing tables are dropped.
pub(crate) fn options(ctx: &Ctx<'_>, drop_missing_tables: bool) -> Result<Options, CliError> {
    Ok(Options {
        drop_missing_tables,
        filter: diesel_filter(&ctx.config.base_dir.join("diesel.toml"))?,
        types: ctx.config.types.clone(),
    })
}

#[derive(serde::Deserialize, Default)]
struct DieselToml {
    #[serde(default)]
    print_schema: PrintSchema,
}

#[derive(serde::Deserialize, Default)]
struct PrintSchema {
    #[serde(default)]
    filter: Filter,
}

#[derive(serde::Deserialize, Default)]
struct Filter {
    #[serde(default)]
    only_tables: Vec<String>,
    #[serde(default)]
    except_tables: Vec<String>,
}

/// `[print_schema] filter = { only_tables = [..], except_tables = [..] }` of diesel.toml.
fn diesel_filter(path: &Path) -> Result<TableFilter, CliError> {
    let Ok(text) = std::fs::read_to_string(path) else {
        return Ok(TableFilter::default());
    };
    let bad = |message: String| CliError::ConfigInvalid {
        path: path.to_path_buf(),
        message,
    };
    let parsed: DieselToml = toml::from_str(&text).map_err(|e| bad(e.message().to_owned()))?;
    let f = parsed.print_schema.filter;
    TableFilter::new(&f.only_tables, &f.except_tables).map_err(|e| {
        bad(format!(
            "print_schema.filter: {}",
            e.to_string().replace('\n', " ")
        ))
    })
}

/// The schemas other than the default one that `file` names (PostgreSQL schemas, MySQL
/// databases), to read from the database besides its own.
fn other_schemas(file: &DieselSchema) -> Vec<String> {
    let mut out: Vec<String> = file
        .tables
        .iter()
        .filter_map(|t| t.schema.clone())
        .collect();
    out.sort();
    out.dedup();
    out
}

/// The database's schema, which must be at head (Alembic refuses otherwise).
pub(crate) fn live(m: &Migrator, file: &DieselSchema) -> anyhow::Result<Schema> {
    let status = m.status()?;
    if !status.is_up_to_date() || status.current.len() != status.heads.len() {
        return Err(CliError::NotAtHead("Target database is not up to date.".to_owned()).into());
    }
    Ok(m.introspect_schemas(&other_schemas(file))?)
}

/// What the migrations build at their heads, on the configured URL's dialect; no database.
pub(crate) fn offline(m: &Migrator) -> anyhow::Result<Schema> {
    let url = m.database().ok_or(CliError::NoUrl)?;
    let heads: Vec<String> = m.graph().heads().iter().map(|h| h.to_string()).collect();
    Ok(m.replay(&heads, Rules::new(url.dialect()))?)
}

/// The plan from `actual` to `file`; a type without a SQL type is a `schema.rs` error.
pub(crate) fn plan(
    path: &Path,
    file: &DieselSchema,
    actual: &Schema,
    options: &Options,
) -> anyhow::Result<Plan> {
    autogen::plan(file, actual, options).map_err(|e| match e {
        autogen::Error::Uncertain(_) => anyhow::Error::new(e),
        other => CliError::SchemaRead {
            path: path.to_path_buf(),
            why: other
                .to_string()
                .trim_start_matches("schema.rs: ")
                .to_owned(),
        }
        .into(),
    })
}
