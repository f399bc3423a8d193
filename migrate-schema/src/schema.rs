//! The whole model: tables, PostgreSQL enum types, and what it could not follow.

use std::collections::BTreeMap;

use crate::{Key, Rules, Table};
use migrate_sql::{Dialect, QualifiedName};

/// A PostgreSQL enum type (`CREATE TYPE .. AS ENUM`); MySQL and SQLite keep the values on the
/// column instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnumType {
    /// Type name.
    pub name: QualifiedName,
    /// Values, in order.
    pub values: Vec<String>,
}

/// A database schema: tables keyed by schema and name, enum types, and what is unknown.
///
/// A replay ([`Schema::replay`], [`Schema::apply`]) builds one from recorded operations;
/// introspection builds one with [`Schema::insert_table`]; [`diff`](crate::diff) compares
/// two. Raw SQL and Rust steps cannot be followed: the tables they touch are *opaque* (with
/// the reasons), or, when the SQL cannot be read, the whole schema is *uncertain*.
///
/// ```
/// use migrate_schema::{Schema, Table};
/// use migrate_sql::Dialect;
/// let mut s = Schema::new(Dialect::Postgres);
/// s.insert_table(Table::new(("public", "users")));
/// assert!(s.table(&"users".into()).is_some(), "public is the default schema");
/// assert!(s.is_certain());
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Schema {
    rules: Rules,
    pub(crate) tables: BTreeMap<Key, Table>,
    pub(crate) enums: BTreeMap<Key, EnumType>,
    pub(crate) opaque: BTreeMap<Key, Vec<String>>,
    pub(crate) opaque_enums: BTreeMap<Key, Vec<String>>,
    pub(crate) uncertain: Vec<String>,
    pub(crate) not_modelled: Vec<String>,
}

impl Schema {
    /// An empty schema with the default [`Rules`] of `dialect`.
    pub fn new(dialect: Dialect) -> Schema {
        Schema::with_rules(Rules::new(dialect))
    }

    /// An empty schema compared by `rules`.
    pub fn with_rules(rules: Rules) -> Schema {
        Schema {
            rules,
            tables: BTreeMap::new(),
            enums: BTreeMap::new(),
            opaque: BTreeMap::new(),
            opaque_enums: BTreeMap::new(),
            uncertain: Vec::new(),
            not_modelled: Vec::new(),
        }
    }

    /// The rules its names and types compare by.
    pub fn rules(&self) -> &Rules {
        &self.rules
    }

    /// Its dialect.
    pub fn dialect(&self) -> Dialect {
        self.rules.dialect
    }

    /// The key `name` is stored under.
    pub fn key(&self, name: &QualifiedName) -> Key {
        self.rules.table_key(name)
    }

    /// Every table, in key order.
    pub fn tables(&self) -> impl Iterator<Item = (&Key, &Table)> {
        self.tables.iter()
    }

    /// The table called `name`.
    pub fn table(&self, name: &QualifiedName) -> Option<&Table> {
        self.tables.get(&self.key(name))
    }

    /// The table called `name`, mutable.
    pub fn table_mut(&mut self, name: &QualifiedName) -> Option<&mut Table> {
        let k = self.key(name);
        self.tables.get_mut(&k)
    }

    /// Add (or replace) a table, as introspection does; returns the one it replaced.
    pub fn insert_table(&mut self, table: Table) -> Option<Table> {
        self.tables.insert(self.key(&table.name), table)
    }

    /// Remove a table.
    pub fn remove_table(&mut self, name: &QualifiedName) -> Option<Table> {
        let k = self.key(name);
        self.tables.remove(&k)
    }

    /// Every enum type (PostgreSQL), in key order.
    pub fn enums(&self) -> impl Iterator<Item = (&Key, &EnumType)> {
        self.enums.iter()
    }

    /// The enum type called `name`.
    pub fn enum_type(&self, name: &QualifiedName) -> Option<&EnumType> {
        self.enums.get(&self.key(name))
    }

    /// Add (or replace) an enum type.
    pub fn insert_enum(&mut self, e: EnumType) -> Option<EnumType> {
        self.enums.insert(self.key(&e.name), e)
    }

    /// The tables the model cannot vouch for, each with why (raw SQL or a Rust step that
    /// named it). The diff reports them as not checked.
    pub fn opaque_tables(&self) -> &BTreeMap<Key, Vec<String>> {
        &self.opaque
    }

    /// The enum types raw SQL changed.
    pub fn opaque_enums(&self) -> &BTreeMap<Key, Vec<String>> {
        &self.opaque_enums
    }

    /// Why the whole schema is uncertain (raw SQL that could not be read, a Rust step without
    /// SQL); empty when it is not.
    pub fn uncertain(&self) -> &[String] {
        &self.uncertain
    }

    /// No table is opaque and nothing is uncertain.
    pub fn is_certain(&self) -> bool {
        self.uncertain.is_empty() && self.opaque.is_empty() && self.opaque_enums.is_empty()
    }

    /// Whether the table under `key` is opaque.
    pub fn is_opaque(&self, key: &Key) -> bool {
        self.opaque.contains_key(key)
    }

    /// Mark a table opaque.
    pub fn mark_opaque(&mut self, name: &QualifiedName, reason: impl Into<String>) {
        let k = self.key(name);
        push_reason(self.opaque.entry(k).or_default(), reason.into());
    }

    /// Mark an enum type opaque.
    pub fn mark_opaque_enum(&mut self, name: &QualifiedName, reason: impl Into<String>) {
        let k = self.key(name);
        push_reason(self.opaque_enums.entry(k).or_default(), reason.into());
    }

    /// Say the whole schema is uncertain.
    pub fn mark_uncertain(&mut self, reason: impl Into<String>) {
        push_reason(&mut self.uncertain, reason.into());
    }
}

impl Schema {
    /// Objects the database has that the model cannot represent (a view, a trigger, an
    /// exclusion constraint, a generated column), each named as displayed, e.g. `view
    /// active_users` or `table bookings: exclusion constraint no_overlap`. Introspection
    /// lists them; the diff reports each as not modelled (so not checked), never as equal.
    ///
    /// ```
    /// use migrate_schema::{diff, Schema};
    /// use migrate_sql::Dialect;
    /// let expected = Schema::new(Dialect::Postgres);
    /// let mut actual = Schema::new(Dialect::Postgres);
    /// actual.mark_not_modelled("view active_users");
    /// let lines: Vec<String> = diff(&expected, &actual).iter().map(ToString::to_string).collect();
    /// assert_eq!(lines, ["view active_users: not modelled, not checked"]);
    /// ```
    pub fn not_modelled(&self) -> &[String] {
        &self.not_modelled
    }

    /// Record an object the model cannot represent (see [`not_modelled`](Self::not_modelled)).
    pub fn mark_not_modelled(&mut self, object: impl Into<String>) {
        push_reason(&mut self.not_modelled, object.into());
    }
}

fn push_reason(list: &mut Vec<String>, reason: String) {
    if !list.contains(&reason) {
        list.push(reason);
    }
}
