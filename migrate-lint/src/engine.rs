//! The engine: every rule over every operation of one migration, with the schema as it
//! stands before that operation.

use std::collections::BTreeSet;

use migrate_schema::{Key, Schema};
use migrate_sql::{Dialect, Operation, QualifiedName};

use crate::config::LintConfig;
use crate::finding::Finding;
use crate::rules::{Check, Rule, RULES};
use crate::schema_rs::DieselColumns;

/// One migration to lint.
#[derive(Debug, Clone)]
pub struct MigrationInput<'a> {
    /// Its revision.
    pub revision: &'a str,
    /// Its source file (for the finding's location; empty when unknown).
    pub file: String,
    /// The line of its `#[migration]`.
    pub line: u32,
    /// The operations its upgrade records, for the dialect being linted.
    pub ops: &'a [Operation],
    /// Whether it runs in a transaction.
    pub transactional: bool,
    /// The rules (or categories) its `allow_lint` allows.
    pub allow: Vec<String>,
}

impl<'a> MigrationInput<'a> {
    /// A transactional migration with no location and no allowance.
    pub fn new(revision: &'a str, ops: &'a [Operation]) -> Self {
        MigrationInput {
            revision,
            file: String::new(),
            line: 0,
            ops,
            transactional: true,
            allow: Vec::new(),
        }
    }
}

/// What a rule sees: the dialect, the schema before the operation, and the tables this
/// migration created before it.
#[derive(Debug)]
pub struct Cx<'a> {
    /// The dialect being linted.
    pub dialect: Dialect,
    /// The schema as earlier migrations, and this one's earlier operations, left it.
    pub schema: &'a Schema,
    created: &'a BTreeSet<Key>,
    /// The columns the application's Diesel `schema.rs` names, when `diesel_schema` is set.
    pub diesel: Option<&'a DieselColumns>,
    /// Whether the migration runs in a transaction.
    pub transactional: bool,
}

impl Cx<'_> {
    /// Whether `table` was created earlier in this migration (so nobody can be using it).
    pub fn is_new(&self, table: &QualifiedName) -> bool {
        self.created.contains(&self.schema.key(table))
    }

    /// The column as the schema knows it before this operation.
    pub fn column(&self, table: &QualifiedName, column: &str) -> Option<&migrate_schema::Column> {
        self.schema
            .table(table)?
            .column(column, self.schema.rules())
    }
}

/// One thing a rule found: the table it is about (the engine drops a hit on a table the
/// migration created, for rules that say so) and what it does to a running system.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// The table the operation locks, rewrites or removes.
    pub table: Option<QualifiedName>,
    /// What happens to a running system.
    pub message: String,
}

impl Hit {
    /// A hit on `table`.
    pub fn on(table: &QualifiedName, message: impl Into<String>) -> Hit {
        Hit {
            table: Some(table.clone()),
            message: message.into(),
        }
    }
}

/// Every finding of `input`, in operation order, with severities from `config` and the
/// migration's own allowance applied. `before` is the schema the earlier migrations build
/// (on the dialect being linted); `diesel` the columns of the application's `schema.rs`.
pub fn lint(
    before: &Schema,
    input: &MigrationInput<'_>,
    config: &LintConfig,
    diesel: Option<&DieselColumns>,
) -> Vec<Finding> {
    let dialect = before.dialect();
    let allowed = LintConfig {
        allow: input.allow.clone(),
        ..LintConfig::default()
    };
    let mut out = Vec::new();
    let mut emit = |rule_id: &str, category, default, operation: String, message, fix: &str| {
        if allowed.severity(rule_id, category, default).is_none() {
            return;
        }
        let Some(severity) = config.severity(rule_id, category, default) else {
            return;
        };
        out.push(Finding {
            revision: input.revision.to_owned(),
            file: input.file.clone(),
            line: input.line,
            rule: rule_id.to_owned(),
            severity,
            operation,
            message,
            fix: fix.to_owned(),
        });
    };
    let applies = |r: &Rule| r.dialects.contains(&dialect);
    let mut schema = before.clone();
    let mut created = BTreeSet::new();
    let mut on_new = Vec::with_capacity(input.ops.len());
    for op in input.ops {
        let cx = Cx {
            dialect,
            schema: &schema,
            created: &created,
            diesel,
            transactional: input.transactional,
        };
        on_new.push(op.table().is_some_and(|t| cx.is_new(&t)));
        for rule in RULES.iter().copied().filter(|r| applies(r)) {
            let Check::Op(check) = rule.check else {
                continue;
            };
            for hit in check(&cx, op) {
                if !rule.new_tables && hit.table.as_ref().is_some_and(|t| cx.is_new(t)) {
                    continue;
                }
                let category = Some(rule.category);
                emit(
                    rule.id,
                    category,
                    rule.default,
                    op.describe(),
                    hit.message,
                    rule.fix,
                );
            }
        }
        if let (Dialect::Postgres, Operation::Execute { sql, .. }) = (dialect, op) {
            let made: Vec<String> = created.iter().map(|k| k.name.clone()).collect();
            for v in crate::squawk::lint(sql, input.transactional, &made) {
                let default = crate::squawk::default_severity(&v.rule);
                let id = format!("squawk:{}", v.rule);
                emit(&id, None, default, op.describe(), v.message, &v.fix);
            }
        }
        track_created(&mut created, &schema, op);
        // An operation the model can't follow (a table raw SQL made) only makes later
        // rules know less; linting goes on.
        let _ = schema.apply(op);
    }
    let cx = Cx {
        dialect,
        schema: before,
        created: &created,
        diesel,
        transactional: input.transactional,
    };
    let pairs: Vec<(&Operation, bool)> = input.ops.iter().zip(on_new).collect();
    for rule in RULES.iter().copied().filter(|r| applies(r)) {
        let Check::Migration(check) = rule.check else {
            continue;
        };
        for hit in check(&cx, &pairs) {
            let category = Some(rule.category);
            emit(
                rule.id,
                category,
                rule.default,
                "the migration".to_owned(),
                hit.message,
                rule.fix,
            );
        }
    }
    out
}

/// Tables this migration created (a rename of one keeps it new, under its new name).
fn track_created(created: &mut BTreeSet<Key>, schema: &Schema, op: &Operation) {
    match op {
        Operation::CreateTable(t) => {
            created.insert(schema.key(&t.name));
        }
        Operation::RenameTable(r) if created.remove(&schema.key(&r.table)) => {
            let to = QualifiedName {
                schema: r.table.schema.clone(),
                name: r.new_name.clone(),
            };
            created.insert(schema.key(&to));
        }
        _ => {}
    }
}
