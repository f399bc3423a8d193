//! Constraint naming conventions, as SQLAlchemy's `MetaData.naming_convention` (which
//! Alembic uses; see SQLAlchemy's "Configuring Constraint Naming Conventions" and Alembic's
//! "The Importance of Naming Constraints"): unnamed constraints get names from templates, so
//! that the migrations, the model they replay to and the database agree on them.
//!
//! Templates use Python's `%(token)s` syntax (`%%` is a literal `%`):
//!
//! | token | value |
//! |---|---|
//! | `table_name` | the table's name |
//! | `constraint_name` | the name the migration gave (only for named constraints) |
//! | `column_0_name`, `column_1_name`, ... | the constraint's N-th column |
//! | `column_0_label` | `<table>_<column>` |
//! | `column_0_key` | the column's name (the DSL has no separate keys) |
//! | `column_0N_name` / `column_0_N_name` | every column, joined without / with `_` (also `_label`, `_key`) |
//! | `referred_table_name` | a foreign key's referenced table |
//! | `referred_column_0_name` (and `_0N_`, `_0_N_`) | its referenced columns |
//!
//! The rules are SQLAlchemy's: an unnamed constraint takes its kind's template; a named one
//! keeps its name unless the template contains `%(constraint_name)s`, which then converts
//! it (`op.create_check_constraint("positive", ..)` under `ck_%(table_name)s_%(constraint_name)s`
//! is `ck_t_positive`; Alembic's `op.f()` has no counterpart yet); an unnamed constraint
//! under a template that needs `constraint_name` is an error. A generated name longer than
//! the dialect's identifier limit (PostgreSQL 63, MySQL/MariaDB 64; none on SQLite) is cut as
//! SQLAlchemy cuts it: its first `limit - 8` characters, `_`, and the last four hex digits of
//! the MD5 of the whole name.
//!
//! Where names are given: `create_table`'s primary key, unique constraints (a column's
//! `.unique()` becomes a named table-level one), checks and foreign keys (a column's
//! `.references(..)` too), `add_column`'s `.references(..)`, and the same inside the
//! definitions `drop_table` / `drop_column` carry for their downgrade. Under a template with
//! `constraint_name`, the names of `create_*_constraint` / `drop_constraint` and (with `ix`)
//! `create_index` / `drop_index` are converted. Not yet: an unnamed index (every DSL index
//! is named) and `add_column(..).unique()`, which stays an unnamed constraint.

use crate::dialect::Dialect;
use crate::error::{invalid, Result};
use crate::ops::{
    CheckConstraint, Column, Constraint, ConstraintType, ForeignKey, Operation, PrimaryKey, Table,
    UniqueConstraint,
};

/// The templates per kind, as migrate.toml's `naming_convention` gives them (keys `ix`,
/// `uq`, `ck`, `fk`, `pk`); a kind without a template keeps its unnamed constraints unnamed.
///
/// ```
/// use migrate_sql::{Dialect, NamingConvention, Operation, Operations, Type};
/// let nc = NamingConvention::parse([
///     ("uq", "uq_%(table_name)s_%(column_0_N_name)s"),
///     ("fk", "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s"),
///     ("pk", "pk_%(table_name)s"),
/// ])?;
/// let mut op = Operations::default();
/// op.create_table("posts", |t| {
///     t.column("id", Type::BigInt).primary_key();
///     t.column("author_id", Type::BigInt).references("users", "id");
///     t.unique(&["author_id", "id"]);
/// })?;
/// let mut ops = op.into_vec();
/// nc.apply(&mut ops, Dialect::Postgres)?;
/// let Operation::CreateTable(t) = &ops[0] else { unreachable!() };
/// assert_eq!(t.primary_key.as_ref().unwrap().name.as_deref(), Some("pk_posts"));
/// assert_eq!(t.uniques[0].name.as_deref(), Some("uq_posts_author_id_id"));
/// assert_eq!(t.columns[1].references.as_ref().unwrap().name.as_deref(), Some("fk_posts_author_id_users"));
/// # Ok::<(), migrate_sql::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct NamingConvention {
    /// Indexes (`ix`).
    pub ix: Option<String>,
    /// Unique constraints (`uq`).
    pub uq: Option<String>,
    /// Check constraints (`ck`).
    pub ck: Option<String>,
    /// Foreign keys (`fk`).
    pub fk: Option<String>,
    /// Primary keys (`pk`).
    pub pk: Option<String>,
}

/// What a template is filled from.
struct Subject<'a> {
    table: &'a str,
    name: Option<&'a str>,
    columns: &'a [String],
    referred_table: Option<&'a str>,
    referred_columns: &'a [String],
}

impl NamingConvention {
    /// Templates by key (`ix`, `uq`, `ck`, `fk`, `pk`); an unknown key, an empty template or
    /// an unknown token is an error naming it.
    pub fn parse<K: AsRef<str>, V: AsRef<str>>(
        entries: impl IntoIterator<Item = (K, V)>,
    ) -> Result<NamingConvention> {
        let mut nc = NamingConvention::default();
        for (k, v) in entries {
            let (k, v) = (k.as_ref(), v.as_ref());
            let slot = match k {
                "ix" => &mut nc.ix,
                "uq" => &mut nc.uq,
                "ck" => &mut nc.ck,
                "fk" => &mut nc.fk,
                "pk" => &mut nc.pk,
                other => {
                    return Err(invalid(format!(
                        "naming_convention: unknown key {other:?}; use ix, uq, ck, fk or pk"
                    )))
                }
            };
            if v.trim().is_empty() {
                return Err(invalid(format!(
                    "naming_convention: {k} is empty; give a template such as \"{k}_%(table_name)s\""
                )));
            }
            check_template(k, v)?;
            *slot = Some(v.to_owned());
        }
        Ok(nc)
    }

    /// Whether no kind has a template.
    pub fn is_empty(&self) -> bool {
        self.ix.is_none()
            && self.uq.is_none()
            && self.ck.is_none()
            && self.fk.is_none()
            && self.pk.is_none()
    }

    /// Name what `ops` leave unnamed (and convert names under `%(constraint_name)s`), for
    /// `dialect`'s identifier limit. Run it once on a migration's recorded operations, before
    /// rendering, replay or reversal, so that all three see the same names.
    pub fn apply(&self, ops: &mut [Operation], dialect: Dialect) -> Result<()> {
        if self.is_empty() {
            return Ok(());
        }
        for op in ops {
            match op {
                Operation::CreateTable(t) => self.table(t, dialect)?,
                Operation::DropTable(d) => {
                    if let Some(t) = &mut d.definition {
                        self.table(t, dialect)?;
                    }
                }
                Operation::AddColumn(a) => self.column_fk(&a.table.name, &mut a.column, dialect)?,
                Operation::DropColumn(d) => {
                    if let Some(c) = &mut d.definition {
                        self.column_fk(&d.table.name, c, dialect)?;
                    }
                }
                Operation::AddConstraint(c) => {
                    self.constraint(&c.table.name, &mut c.constraint, dialect)?
                }
                Operation::DropConstraint(d) => {
                    let table = d.table.name.clone();
                    if let Some(c) = &mut d.definition {
                        self.constraint(&table, c, dialect)?;
                        d.name = c.name().to_owned();
                    } else if let Some(t) = self.template(d.kind) {
                        if has_constraint_name(t) {
                            let s = Subject {
                                table: &table,
                                name: Some(&d.name),
                                columns: &[],
                                referred_table: None,
                                referred_columns: &[],
                            };
                            d.name = render(kind_key(d.kind), t, &s, dialect)?;
                        }
                    }
                }
                Operation::CreateIndex(i) => {
                    if let Some(t) = self.ix.as_deref().filter(|t| has_constraint_name(t)) {
                        let cols: Vec<String> = i
                            .columns
                            .iter()
                            .filter_map(|c| match c {
                                crate::IndexColumn::Name(n) => Some(n.clone()),
                                crate::IndexColumn::Expr(_) => None,
                            })
                            .collect();
                        let s = Subject {
                            table: &i.table.name,
                            name: Some(&i.name),
                            columns: &cols,
                            referred_table: None,
                            referred_columns: &[],
                        };
                        i.name = render("ix", t, &s, dialect)?;
                    }
                }
                Operation::DropIndex(d) => {
                    if let Some(t) = self.ix.as_deref().filter(|t| has_constraint_name(t)) {
                        let cols: Vec<String> = d
                            .definition
                            .as_ref()
                            .map(|i| {
                                i.columns
                                    .iter()
                                    .filter_map(|c| match c {
                                        crate::IndexColumn::Name(n) => Some(n.clone()),
                                        crate::IndexColumn::Expr(_) => None,
                                    })
                                    .collect()
                            })
                            .unwrap_or_default();
                        let s = Subject {
                            table: &d.table.name,
                            name: Some(&d.name),
                            columns: &cols,
                            referred_table: None,
                            referred_columns: &[],
                        };
                        d.name = render("ix", t, &s, dialect)?;
                        if let Some(i) = &mut d.definition {
                            i.name = d.name.clone();
                        }
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }

    fn template(&self, kind: ConstraintType) -> Option<&str> {
        match kind {
            ConstraintType::PrimaryKey => self.pk.as_deref(),
            ConstraintType::Unique => self.uq.as_deref(),
            ConstraintType::Check => self.ck.as_deref(),
            ConstraintType::ForeignKey => self.fk.as_deref(),
        }
    }

    /// The name `name` becomes: `None` stays unnamed (no template), per SQLAlchemy's rules.
    fn name(
        &self,
        kind: ConstraintType,
        name: &Option<String>,
        s: Subject<'_>,
        dialect: Dialect,
    ) -> Result<Option<String>> {
        let Some(t) = self.template(kind) else {
            return Ok(name.clone());
        };
        match name {
            Some(n) if !has_constraint_name(t) => Ok(Some(n.clone())),
            _ => render(kind_key(kind), t, &s, dialect).map(Some),
        }
    }

    fn table(&self, t: &mut Table, dialect: Dialect) -> Result<()> {
        let table = t.name.name.clone();
        let pk_cols: Vec<String> = t
            .primary_key_columns()
            .into_iter()
            .map(str::to_owned)
            .collect();
        if !pk_cols.is_empty() && self.pk.is_some() {
            let old = t.primary_key.as_ref().and_then(|p| p.name.clone());
            let s = subject(&table, old.as_deref(), &pk_cols);
            let name = self.name(ConstraintType::PrimaryKey, &old, s, dialect)?;
            // The key moves to the table level, which carries the name (the columns were made
            // NOT NULL by `.primary_key()` already).
            for c in &mut t.columns {
                c.primary_key = false;
            }
            t.primary_key = Some(PrimaryKey {
                name,
                columns: pk_cols,
            });
        }
        if self.uq.is_some() {
            // A column's `.unique()` becomes a table-level constraint, which can carry a name.
            for c in &mut t.columns {
                if c.unique {
                    c.unique = false;
                    t.uniques.push(UniqueConstraint {
                        name: None,
                        columns: vec![c.name.clone()],
                    });
                }
            }
        }
        for u in &mut t.uniques {
            let s = subject(&table, u.name.as_deref(), &u.columns);
            u.name = self.name(ConstraintType::Unique, &u.name.clone(), s, dialect)?;
        }
        for c in &mut t.checks {
            self.check(&table, c, dialect)?;
        }
        for fk in &mut t.foreign_keys {
            self.fk(&table, fk, dialect)?;
        }
        for c in &mut t.columns {
            if let Some(fk) = &mut c.references {
                self.fk(&table, fk, dialect)?;
            }
        }
        Ok(())
    }

    fn column_fk(&self, table: &str, c: &mut Column, dialect: Dialect) -> Result<()> {
        match &mut c.references {
            Some(fk) => self.fk(table, fk, dialect),
            None => Ok(()),
        }
    }

    fn check(&self, table: &str, c: &mut CheckConstraint, dialect: Dialect) -> Result<()> {
        let s = subject(table, c.name.as_deref(), &[]);
        c.name = self.name(ConstraintType::Check, &c.name.clone(), s, dialect)?;
        Ok(())
    }

    fn fk(&self, table: &str, fk: &mut ForeignKey, dialect: Dialect) -> Result<()> {
        let s = Subject {
            table,
            name: fk.name.as_deref(),
            columns: &fk.columns,
            referred_table: Some(&fk.ref_table.name),
            referred_columns: &fk.ref_columns,
        };
        fk.name = self.name(ConstraintType::ForeignKey, &fk.name.clone(), s, dialect)?;
        Ok(())
    }

    fn constraint(&self, table: &str, c: &mut Constraint, dialect: Dialect) -> Result<()> {
        match c {
            Constraint::PrimaryKey(pk) => {
                let s = subject(table, pk.name.as_deref(), &pk.columns);
                pk.name = self.name(ConstraintType::PrimaryKey, &pk.name.clone(), s, dialect)?;
            }
            Constraint::Unique(u) => {
                let s = subject(table, u.name.as_deref(), &u.columns);
                u.name = self.name(ConstraintType::Unique, &u.name.clone(), s, dialect)?;
            }
            Constraint::Check(ch) => self.check(table, ch, dialect)?,
            Constraint::ForeignKey(fk) => self.fk(table, fk, dialect)?,
        }
        Ok(())
    }
}

fn subject<'a>(table: &'a str, name: Option<&'a str>, columns: &'a [String]) -> Subject<'a> {
    Subject {
        table,
        name,
        columns,
        referred_table: None,
        referred_columns: &[],
    }
}

fn kind_key(kind: ConstraintType) -> &'static str {
    match kind {
        ConstraintType::PrimaryKey => "pk",
        ConstraintType::Unique => "uq",
        ConstraintType::Check => "ck",
        ConstraintType::ForeignKey => "fk",
    }
}

fn has_constraint_name(template: &str) -> bool {
    template.contains("%(constraint_name)s")
}

/// The tokens of a template, in order, as literal text and `%(token)s` names.
enum Piece<'a> {
    Text(&'a str),
    Token(&'a str),
}

fn pieces<'a>(key: &str, t: &'a str) -> Result<Vec<Piece<'a>>> {
    let mut out = Vec::new();
    let mut rest = t;
    while let Some(i) = rest.find('%') {
        out.push(Piece::Text(&rest[..i]));
        let after = &rest[i + 1..];
        if let Some(r) = after.strip_prefix('%') {
            out.push(Piece::Text("%"));
            rest = r;
            continue;
        }
        let close = after
            .strip_prefix('(')
            .and_then(|a| a.find(")s").map(|j| (&a[..j], &a[j + 2..])));
        let Some((token, r)) = close else {
            return Err(invalid(format!(
                "naming_convention: {key} has a '%' that is not a %(token)s; write %% for a literal percent sign"
            )));
        };
        out.push(Piece::Token(token));
        rest = r;
    }
    out.push(Piece::Text(rest));
    Ok(out)
}

/// A column token: `column_0_name`, `referred_column_0N_label`, ... as (referred, index or
/// all-joined separator, attribute).
fn column_token(token: &str) -> Option<(bool, Option<usize>, Option<&'static str>, &str)> {
    let (referred, rest) = match token.strip_prefix("referred_column_") {
        Some(r) => (true, r),
        None => (false, token.strip_prefix("column_")?),
    };
    let (index, attr) = rest.split_once('_')?;
    let (attr, joined) = match attr.strip_prefix("N_") {
        Some(a) => (a, Some("_")),
        None => (attr, None),
    };
    let (index, joined) = match (index.strip_suffix('N'), joined) {
        (Some(i), None) => (i, Some("")),
        (None, j) => (index, j),
        (Some(_), Some(_)) => return None,
    };
    if index != "0" && joined.is_some() {
        return None;
    }
    let i: usize = index.parse().ok()?;
    matches!(attr, "name" | "label" | "key").then_some((
        referred,
        joined.is_none().then_some(i),
        joined,
        attr,
    ))
}

fn check_template(key: &str, t: &str) -> Result<()> {
    for p in pieces(key, t)? {
        if let Piece::Token(tok) = p {
            let known = matches!(
                tok,
                "table_name" | "constraint_name" | "referred_table_name"
            ) || column_token(tok).is_some();
            if !known {
                return Err(invalid(format!(
                    "naming_convention: {key} uses unknown token %({tok})s; use table_name, constraint_name, column_0_name, column_0_label, column_0N_name, column_0_N_name, referred_table_name or referred_column_0_name"
                )));
            }
        }
    }
    Ok(())
}

/// The longest identifier SQLAlchemy lets a convention generate on `dialect`.
fn limit(dialect: Dialect) -> Option<usize> {
    dialect.max_identifier_length()
}

fn render(key: &str, t: &str, s: &Subject<'_>, dialect: Dialect) -> Result<String> {
    let mut out = String::new();
    for p in pieces(key, t)? {
        match p {
            Piece::Text(x) => out.push_str(x),
            Piece::Token("table_name") => out.push_str(s.table),
            Piece::Token("constraint_name") => match s.name {
                Some(n) => out.push_str(n),
                None => {
                    return Err(invalid(format!(
                        "naming_convention: {key} uses %(constraint_name)s, so each such constraint of table {} needs a name; give it one with .name(..)",
                        s.table
                    )))
                }
            },
            Piece::Token("referred_table_name") => match s.referred_table {
                Some(r) => out.push_str(r),
                None => {
                    return Err(invalid(format!(
                        "naming_convention: {key} uses %(referred_table_name)s, which only a foreign key has; use it in fk only"
                    )))
                }
            },
            Piece::Token(tok) => {
                let Some((referred, index, joined, attr)) = column_token(tok) else {
                    return Err(invalid(format!(
                        "naming_convention: {key} uses unknown token %({tok})s"
                    )));
                };
                let cols = if referred {
                    s.referred_columns
                } else {
                    s.columns
                };
                let table = if referred {
                    s.referred_table.unwrap_or("")
                } else {
                    s.table
                };
                let show = |c: &String| match attr {
                    "label" => format!("{table}_{c}"),
                    _ => c.clone(),
                };
                let text = match (index, joined) {
                    (Some(i), _) => cols.get(i).map(show),
                    (None, Some(sep)) if !cols.is_empty() => {
                        Some(cols.iter().map(show).collect::<Vec<_>>().join(sep))
                    }
                    _ => None,
                };
                match text {
                    Some(x) => out.push_str(&x),
                    None => {
                        return Err(invalid(format!(
                            "naming_convention: {key} uses %({tok})s, but a constraint of table {} has no such column; use tokens this kind of constraint has",
                            s.table
                        )))
                    }
                }
            }
        }
    }
    Ok(truncate(out, dialect))
}

/// The MD5 of `data` in lowercase hex.
fn md5_hex(data: &[u8]) -> String {
    use md5::Digest as _;
    md5::Md5::digest(data)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// SQLAlchemy's cut of an over-long generated name: `name[:limit - 8] + "_" + md5(name)[-4:]`.
fn truncate(name: String, dialect: Dialect) -> String {
    let Some(max) = limit(dialect) else {
        return name;
    };
    if name.chars().count() <= max {
        return name;
    }
    let digest = md5_hex(name.as_bytes());
    let head: String = name.chars().take(max - 8).collect();
    format!("{head}_{}", &digest[digest.len() - 4..])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(t: &str, s: &Subject<'_>, d: Dialect) -> String {
        render("uq", t, s, d).unwrap()
    }

    #[test]
    fn tokens() {
        let cols = vec!["a".to_owned(), "b".to_owned()];
        let refs = vec!["id".to_owned()];
        let s = Subject {
            table: "t",
            name: Some("n"),
            columns: &cols,
            referred_table: Some("r"),
            referred_columns: &refs,
        };
        let d = Dialect::Postgres;
        assert_eq!(one("x_%(table_name)s_%(constraint_name)s", &s, d), "x_t_n");
        assert_eq!(one("%(column_0_name)s-%(column_1_name)s", &s, d), "a-b");
        assert_eq!(one("%(column_0_label)s", &s, d), "t_a");
        assert_eq!(one("%(column_0N_name)s", &s, d), "ab");
        assert_eq!(one("%(column_0_N_name)s", &s, d), "a_b");
        assert_eq!(one("%(column_0_N_label)s", &s, d), "t_a_t_b");
        assert_eq!(
            one("%(referred_table_name)s_%(referred_column_0_name)s", &s, d),
            "r_id"
        );
        assert_eq!(one("100%%_%(column_0_key)s", &s, d), "100%_a");
        let err = render("uq", "%(column_2_name)s", &s, d)
            .unwrap_err()
            .to_string();
        assert!(err.contains("has no such column"), "{err}");
        let err = check_template("uq", "uq_%(tabel_name)s")
            .unwrap_err()
            .to_string();
        assert!(err.contains("unknown token %(tabel_name)s"), "{err}");
        let err = check_template("uq", "uq_%(table_name)")
            .unwrap_err()
            .to_string();
        assert!(err.contains("write %% for a literal percent"), "{err}");
    }

    #[test]
    fn long_names_are_cut_as_sqlalchemy_cuts_them() {
        let long = "fk_".to_owned() + &"x".repeat(70);
        let cut = truncate(long.clone(), Dialect::Postgres);
        assert_eq!(cut.len(), 60);
        assert_eq!(&cut[..55], &long[..55]);
        assert_eq!(md5_hex(b"abc"), "900150983cd24fb0d6963f7d28e17f72");
        // Python's hashlib.md5(long.encode()).hexdigest()[-4:], as SQLAlchemy computes it.
        assert_eq!(&cut[55..], "_c2d1");
        assert_eq!(truncate(long.clone(), Dialect::Mysql).len(), 61);
        assert_eq!(truncate(long.clone(), Dialect::Sqlite), long);
        assert_eq!(truncate("short".into(), Dialect::Postgres), "short");
    }
}
