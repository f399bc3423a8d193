//! Replay: follow recorded [`Operation`]s on a [`Schema`], as each dialect applies them.

mod columns;
mod constraints;

use crate::error::{Error, ErrorKind};
use crate::{raw, EnumType, Index, Rules, Schema, Table};
use migrate_sql::{Dialect, Operation, QualifiedName};

impl Schema {
    /// The schema `ops` build from nothing, on `dialect` with its default [`Rules`].
    ///
    /// ```
    /// use migrate_schema::Schema;
    /// use migrate_sql::{Dialect, Operations, Type};
    /// let mut op = Operations::default();
    /// op.create_table("users", |t| {
    ///     t.column("id", Type::BigInt).primary_key().autoincrement();
    /// })?;
    /// op.add_column("users", "email", Type::String(255))?.not_null();
    /// op.execute("UPDATE users SET email = lower(email)")?;
    /// let s = Schema::replay(Dialect::Postgres, op.as_slice())?;
    /// assert_eq!(s.table(&"users".into()).unwrap().columns.len(), 2);
    /// assert!(s.is_certain(), "an UPDATE changes no table's shape");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn replay<'a>(
        dialect: Dialect,
        ops: impl IntoIterator<Item = &'a Operation>,
    ) -> Result<Schema, Error> {
        Schema::replay_with(Rules::new(dialect), ops)
    }

    /// The schema `ops` build from nothing, compared by `rules`.
    pub fn replay_with<'a>(
        rules: Rules,
        ops: impl IntoIterator<Item = &'a Operation>,
    ) -> Result<Schema, Error> {
        let mut s = Schema::with_rules(rules);
        for op in ops {
            s.apply(op)?;
        }
        Ok(s)
    }

    /// Apply one operation as the schema's dialect does.
    ///
    /// Raw SQL (`execute`) and Rust steps are not applied: the tables the SQL names become
    /// opaque (see [`opaque_tables`](Self::opaque_tables)); SQL that cannot be read, or a Rust
    /// step without offline SQL, makes the whole schema [`uncertain`](Self::uncertain). An
    /// operation on a table the model does not have is an [`Error`], unless that table is
    /// opaque or the schema uncertain (then the table is marked opaque instead).
    pub fn apply(&mut self, op: &Operation) -> Result<(), Error> {
        match op {
            Operation::Execute { sql, .. } => {
                self.raw(sql, &format!("changed by raw SQL: {}", op.describe()));
                return Ok(());
            }
            Operation::Callback { index, offline_sql } => {
                match offline_sql {
                    Some(stmts) => {
                        let why =
                            format!("changed by Rust step #{index} (as its offline SQL says)");
                        for s in stmts {
                            self.raw(s, &why);
                        }
                    }
                    None => self.mark_uncertain(format!(
                        "Rust step #{index} can do anything and has no offline SQL to read"
                    )),
                }
                return Ok(());
            }
            _ => {}
        }
        match self.apply_known(op) {
            Ok(()) => Ok(()),
            Err(e) => {
                let Some(t) = op.table() else { return Err(e) };
                let t = &t;
                let k = self.key(t);
                if self.is_opaque(&k) {
                    // A table raw SQL made, renamed by the DSL: still opaque, by its new name.
                    if let Operation::RenameTable(r) = op {
                        let to = r.table.sibling(&r.new_name);
                        for why in self.opaque.remove(&k).unwrap_or_default() {
                            self.mark_opaque(&to, why);
                        }
                    }
                    return Ok(());
                }
                if !self.uncertain.is_empty() {
                    self.mark_opaque(
                        t,
                        format!(
                            "{}: {}, but raw SQL or a Rust step may have made it so",
                            e.operation, e.kind
                        ),
                    );
                    return Ok(());
                }
                Err(e)
            }
        }
    }

    fn raw(&mut self, sql: &str, why: &str) {
        let fx = raw::effects(sql, self.rules());
        if let Some(u) = fx.uncertain {
            self.mark_uncertain(format!("{why}: {u}"));
        }
        for t in &fx.tables {
            self.mark_opaque(t, why);
        }
        for (ix, table) in &fx.indexes {
            let owner = match table {
                Some(t) => Some(t.clone()),
                None => self.index_owner(ix),
            };
            match owner {
                Some(t) => self.mark_opaque(&t, why),
                None => self.mark_uncertain(format!("{why}: index {ix} is not in the model")),
            }
        }
        for e in &fx.enums {
            self.mark_opaque_enum(e, why);
        }
    }

    /// The table of the index `ix` (index names are per schema on PostgreSQL and SQLite).
    fn index_owner(&self, ix: &QualifiedName) -> Option<QualifiedName> {
        let schema = self.key(ix).schema;
        self.tables
            .iter()
            .filter(|(k, _)| k.schema == schema)
            .find(|(_, t)| {
                t.index(&ix.name, self.rules()).is_some()
                    || t.uniques.iter().any(|u| {
                        u.name
                            .as_deref()
                            .is_some_and(|n| self.rules().same_name(n, &ix.name))
                    })
            })
            .map(|(_, t)| t.name.clone())
    }

    pub(crate) fn get(&self, op: &Operation, name: &QualifiedName) -> Result<&Table, Error> {
        self.tables
            .get(&self.key(name))
            .ok_or_else(|| Error::new(op, ErrorKind::NoTable(name.to_string())))
    }

    pub(crate) fn get_mut(
        &mut self,
        op: &Operation,
        name: &QualifiedName,
    ) -> Result<&mut Table, Error> {
        let k = self.key(name);
        self.tables
            .get_mut(&k)
            .ok_or_else(|| Error::new(op, ErrorKind::NoTable(name.to_string())))
    }

    fn apply_known(&mut self, op: &Operation) -> Result<(), Error> {
        let d = self.dialect();
        let enum_types = crate::dialect::of(d).has_enum_types();
        match op {
            Operation::CreateTable(t) => {
                let k = self.key(&t.name);
                if self.tables.contains_key(&k) {
                    if t.if_not_exists {
                        return Ok(());
                    }
                    return Err(Error::new(op, ErrorKind::TableExists(t.name.to_string())));
                }
                self.tables.insert(k, Table::from_definition(t));
                Ok(())
            }
            Operation::DropTable(dt) => {
                let k = self.key(&dt.table);
                if self.tables.remove(&k).is_none() {
                    if dt.if_exists || self.opaque.contains_key(&k) {
                        self.opaque.remove(&k);
                        return Ok(());
                    }
                    return Err(Error::new(op, ErrorKind::NoTable(dt.table.to_string())));
                }
                // What the model knew about it, good or bad, went with it.
                self.opaque.remove(&k);
                Ok(())
            }
            Operation::RenameTable(r) => self.rename_table(op, &r.table, &r.new_name),
            Operation::AddColumn(a) => self.add_column(op, &a.table, &a.column),
            Operation::DropColumn(dc) => self.drop_column(op, &dc.table, &dc.column),
            Operation::AlterColumn(a) => self.alter_column(op, a),
            Operation::CreateIndex(i) => {
                let rules = self.rules().clone();
                let t = self.get_mut(op, &i.table)?;
                if t.index(&i.name, &rules).is_some() {
                    if i.if_not_exists {
                        return Ok(());
                    }
                    return Err(Error::new(
                        op,
                        ErrorKind::IndexExists {
                            table: t.name.to_string(),
                            index: i.name.clone(),
                        },
                    ));
                }
                let ix = Index::from_definition(i);
                columns::require_columns(op, t, ix.column_names(), &rules)?;
                t.indexes.push(ix);
                Ok(())
            }
            Operation::DropIndex(di) => self.drop_index(op, di),
            Operation::AddConstraint(c) => self.add_constraint(op, c),
            Operation::DropConstraint(dc) => self.drop_constraint(op, dc),
            // Only PostgreSQL has enum types; elsewhere the operation renders nothing.
            Operation::CreateEnum(e) if enum_types => {
                let k = self.key(&e.name);
                if self.enums.contains_key(&k) {
                    return Err(Error::new(op, ErrorKind::EnumExists(e.name.to_string())));
                }
                self.enums.insert(
                    k,
                    EnumType {
                        name: e.name.clone(),
                        values: e.values.clone(),
                    },
                );
                Ok(())
            }
            Operation::DropEnum(e) if enum_types => {
                let k = self.key(&e.name);
                if self.enums.remove(&k).is_none() && !self.opaque_enums.contains_key(&k) {
                    return Err(Error::new(op, ErrorKind::NoEnum(e.name.to_string())));
                }
                self.opaque_enums.remove(&k);
                Ok(())
            }
            Operation::AddEnumValue(e) if enum_types => self.add_enum_value(op, e),
            Operation::CreateEnum(_) | Operation::DropEnum(_) | Operation::AddEnumValue(_) => {
                Ok(())
            }
            // Extensions are not part of the model (its tables and enum types); what an
            // extension brings (functions, types, operator classes) is not modelled either.
            Operation::CreateExtension(_) | Operation::DropExtension(_) => Ok(()),
            Operation::SetTableComment(c) => {
                self.get_mut(op, &c.table)?.comment = c.comment.clone();
                Ok(())
            }
            Operation::BulkInsert {
                table,
                columns,
                schema,
                ..
            } => {
                let name = QualifiedName {
                    schema: schema.clone(),
                    name: table.clone(),
                };
                let rules = self.rules().clone();
                let t = self.get(op, &name)?;
                columns::require_columns(op, t, columns.iter().map(String::as_str), &rules)
            }
            Operation::Execute { .. } | Operation::Callback { .. } => Ok(()),
            // Operation is non-exhaustive: one the model does not know yet changes it in an
            // unknown way.
            other => {
                self.mark_uncertain(format!(
                    "{} is an operation the model cannot follow yet",
                    other.describe()
                ));
                Ok(())
            }
        }
    }

    /// PostgreSQL `ALTER TYPE .. ADD VALUE`: the value joins the type's list where it says.
    fn add_enum_value(
        &mut self,
        op: &Operation,
        e: &migrate_sql::AddEnumValue,
    ) -> Result<(), Error> {
        let k = self.key(&e.name);
        if self.opaque_enums.contains_key(&k) {
            return Ok(());
        }
        let Some(t) = self.enums.get_mut(&k) else {
            return Err(Error::new(op, ErrorKind::NoEnum(e.name.to_string())));
        };
        if t.values.contains(&e.value) {
            if e.if_not_exists {
                return Ok(());
            }
            return Err(Error::new(
                op,
                ErrorKind::EnumValueExists {
                    name: e.name.to_string(),
                    value: e.value.clone(),
                },
            ));
        }
        let at = match &e.position {
            None => t.values.len(),
            Some(migrate_sql::EnumPosition::Before(v) | migrate_sql::EnumPosition::After(v)) => {
                let Some(i) = t.values.iter().position(|x| x == v) else {
                    return Err(Error::new(
                        op,
                        ErrorKind::NoEnumValue {
                            name: e.name.to_string(),
                            value: v.clone(),
                        },
                    ));
                };
                match e.position {
                    Some(migrate_sql::EnumPosition::After(_)) => i + 1,
                    _ => i,
                }
            }
        };
        t.values.insert(at, e.value.clone());
        Ok(())
    }

    fn rename_table(
        &mut self,
        op: &Operation,
        from: &QualifiedName,
        new_name: &str,
    ) -> Result<(), Error> {
        let to = from.sibling(new_name);
        let (kf, kt) = (self.key(from), self.key(&to));
        if !self.tables.contains_key(&kf) {
            return Err(Error::new(op, ErrorKind::NoTable(from.to_string())));
        }
        if kf != kt && self.tables.contains_key(&kt) {
            return Err(Error::new(op, ErrorKind::TableExists(to.to_string())));
        }
        let Some(mut t) = self.tables.remove(&kf) else {
            return Err(Error::new(op, ErrorKind::NoTable(from.to_string())));
        };
        t.name = to.clone();
        self.tables.insert(kt.clone(), t);
        if let Some(why) = self.opaque.remove(&kf) {
            self.opaque.insert(kt.clone(), why);
        }
        // Every dialect points foreign keys at the table's new name.
        let rules = self.rules().clone();
        for t in self.tables.values_mut() {
            for fk in &mut t.foreign_keys {
                if rules.table_key(&resolve(&fk.ref_table, &t.name, rules.dialect)) == kf {
                    fk.ref_table = QualifiedName {
                        schema: fk.ref_table.schema.clone(),
                        name: new_name.to_owned(),
                    };
                }
            }
        }
        Ok(())
    }
}

/// A foreign key's referenced table, resolved against the referencing table: SQLite
/// resolves an unqualified name in the referencing table's own schema; PostgreSQL (by its
/// search path) and MySQL (the connection's database) in the default one.
pub(crate) fn resolve(r: &QualifiedName, from: &QualifiedName, d: Dialect) -> QualifiedName {
    match r.schema {
        Some(_) => r.clone(),
        None if !crate::dialect::of(d).references_own_schema() => r.clone(),
        None => QualifiedName {
            schema: from.schema.clone(),
            name: r.name.clone(),
        },
    }
}
