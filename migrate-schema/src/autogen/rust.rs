//! The plan as the body of an upgrade function: `op.` calls of the DSL that record exactly the
//! planned operations, each hazard as a `// REVIEW:` comment above its statement.

use std::fmt::Write as _;

use migrate_sql::{
    Action, Column, ColumnDefault, Constraint, ForeignKey, Operation, QualifiedName, Type, Value,
};

use super::Plan;

pub(super) fn body(plan: &Plan) -> String {
    let mut out = String::new();
    for e in &plan.new_enums {
        let _ = writeln!(
            out,
            "// REVIEW: schema.rs does not list the values of enum type {e}: write them in (this file does not compile until you do).\nop.create_enum({}, &[/* \"value\", .. */])?;",
            name(&split_name(e))
        );
    }
    for step in &plan.steps {
        if let Some(r) = &step.review {
            let _ = writeln!(out, "// REVIEW: {}", one_line(r));
        }
        out.push_str(&statement(&step.operation));
        out.push('\n');
    }
    out
}

fn one_line(s: &str) -> String {
    s.replace(['\n', '\r'], " ")
}

fn split_name(s: &str) -> QualifiedName {
    match s.split_once('.') {
        Some((schema, n)) => (schema, n).into(),
        None => s.into(),
    }
}

fn lit(s: &str) -> String {
    format!("{s:?}")
}

fn name(n: &QualifiedName) -> String {
    match &n.schema {
        Some(s) => format!("({}, {})", lit(s), lit(&n.name)),
        None => lit(&n.name),
    }
}

fn list(items: &[String]) -> String {
    let inner: Vec<String> = items.iter().map(|s| lit(s)).collect();
    format!("&[{}]", inner.join(", "))
}

/// One statement (a line, or a block for a table).
fn statement(op: &Operation) -> String {
    match op {
        Operation::CreateTable(t) => {
            format!(
                "op.create_table({}, |t| {{\n{}}})?;",
                name(&t.name),
                table_body(t)
            )
        }
        Operation::DropTable(d) => match &d.definition {
            Some(t) => format!(
                "op.drop_table({})?.definition(|t| {{\n{}}})?;",
                name(&d.table),
                table_body(t)
            ),
            None => format!("op.drop_table({})?;", name(&d.table)),
        },
        Operation::RenameTable(r) => {
            format!(
                "op.rename_table({}, {})?;",
                name(&r.table),
                lit(&r.new_name)
            )
        }
        Operation::AddColumn(a) => format!(
            "op.add_column({}, {}, {})?{};",
            name(&a.table),
            lit(&a.column.name),
            ty(&a.column.ty),
            column_options(&a.column)
        ),
        Operation::DropColumn(d) => match &d.definition {
            Some(c) => format!(
                "op.drop_column({}, {})?.definition({}){};",
                name(&d.table),
                lit(&d.column),
                ty(&c.ty),
                column_options(c)
            ),
            None => format!("op.drop_column({}, {})?;", name(&d.table), lit(&d.column)),
        },
        Operation::AlterColumn(a) => {
            let mut s = format!("op.alter_column({}, {})?", name(&a.table), lit(&a.column));
            if let Some(n) = &a.new_name {
                let _ = write!(s, "\n    .rename_to({})", lit(n));
            }
            if let Some(t) = &a.ty {
                let _ = write!(s, "\n    .set_type({})", ty(t));
            }
            if let Some(n) = a.nullable {
                let _ = write!(s, "\n    .set_nullable({n})");
            }
            if let Some(t) = &a.existing_type {
                let _ = write!(s, "\n    .existing_type({})", ty(t));
            }
            if let Some(n) = a.existing_nullable {
                let _ = write!(s, "\n    .existing_nullable({n})");
            }
            if let Some(d) = &a.existing_default {
                let shown = d
                    .as_ref()
                    .map_or_else(|| "None".to_owned(), |d| format!("Some({})", default(d)));
                let _ = write!(s, "\n    .existing_default({shown})");
            }
            if let Some(c) = &a.existing_comment {
                let shown = c
                    .as_ref()
                    .map_or_else(|| "None".to_owned(), |c| format!("Some({})", lit(c)));
                let _ = write!(s, "\n    .existing_comment({shown})");
            }
            s.push(';');
            s
        }
        Operation::AddConstraint(a) => match &a.constraint {
            Constraint::ForeignKey(fk) => format!(
                "op.create_foreign_key({}, {}, {}, {}, {})?{};",
                lit(fk.name.as_deref().unwrap_or_default()),
                name(&a.table),
                name(&fk.ref_table),
                list(&fk.columns),
                list(&fk.ref_columns),
                actions(fk)
            ),
            other => format!("// not written by autogenerate: {other:?}"),
        },
        Operation::DropConstraint(d) => {
            let mut s = format!(
                "op.drop_constraint({}, {}, migrate_core::sql::ConstraintType::ForeignKey)?",
                lit(&d.name),
                name(&d.table)
            );
            if let Some(Constraint::ForeignKey(fk)) = &d.definition {
                let _ = write!(
                    s,
                    ".definition(migrate_core::sql::Constraint::ForeignKey({}))",
                    foreign_key(fk)
                );
            }
            s.push(';');
            s
        }
        other => format!("// not written by autogenerate: {}", other.describe()),
    }
}

fn table_body(t: &migrate_sql::Table) -> String {
    let mut out = String::new();
    for c in &t.columns {
        let _ = writeln!(
            out,
            "    t.column({}, {}){};",
            lit(&c.name),
            ty(&c.ty),
            column_options(c)
        );
    }
    if let Some(pk) = &t.primary_key {
        let _ = writeln!(out, "    t.primary_key({});", list(&pk.columns));
    }
    for fk in &t.foreign_keys {
        let named = fk
            .name
            .as_ref()
            .map_or_else(String::new, |n| format!(".name({})", lit(n)));
        let _ = writeln!(
            out,
            "    t.foreign_key({}, {}, {}){named}{};",
            list(&fk.columns),
            name(&fk.ref_table),
            list(&fk.ref_columns),
            actions(fk)
        );
    }
    out
}

fn column_options(c: &Column) -> String {
    let mut s = String::new();
    if c.primary_key {
        s.push_str(".primary_key()");
    }
    if c.autoincrement {
        s.push_str(".autoincrement()");
    }
    if !c.nullable && !c.primary_key {
        s.push_str(".not_null()");
    }
    if c.unique {
        s.push_str(".unique()");
    }
    if let Some(d) = &c.default {
        let _ = write!(s, ".server_default({})", default(d));
    }
    if let Some(comment) = &c.comment {
        let _ = write!(s, ".comment({})", lit(comment));
    }
    s
}

fn actions(fk: &ForeignKey) -> String {
    let mut s = String::new();
    if let Some(a) = fk.on_delete {
        let _ = write!(s, ".on_delete({})", action(a));
    }
    if let Some(a) = fk.on_update {
        let _ = write!(s, ".on_update({})", action(a));
    }
    s
}

fn action(a: Action) -> &'static str {
    match a {
        Action::Cascade => "Action::Cascade",
        Action::SetNull => "Action::SetNull",
        Action::SetDefault => "Action::SetDefault",
        Action::Restrict => "Action::Restrict",
        Action::NoAction => "Action::NoAction",
    }
}

fn foreign_key(fk: &ForeignKey) -> String {
    let strings = |v: &[String]| {
        let inner: Vec<String> = v.iter().map(|s| format!("{}.into()", lit(s))).collect();
        format!("vec![{}]", inner.join(", "))
    };
    let opt_action =
        |a: Option<Action>| a.map_or_else(|| "None".to_owned(), |a| format!("Some({})", action(a)));
    format!(
        "migrate_core::sql::ForeignKey {{ name: {}, columns: {}, ref_table: {}.into(), ref_columns: {}, on_delete: {}, on_update: {} }}",
        fk.name
            .as_ref()
            .map_or_else(|| "None".to_owned(), |n| format!("Some({}.into())", lit(n))),
        strings(&fk.columns),
        name(&fk.ref_table),
        strings(&fk.ref_columns),
        opt_action(fk.on_delete),
        opt_action(fk.on_update)
    )
}

fn default(d: &ColumnDefault) -> String {
    match d {
        ColumnDefault::Sql(s) => format!("Sql({}).into()", lit(s)),
        ColumnDefault::Value(v) => format!("Value::from({}).into()", value(v)),
        ColumnDefault::Portable(p) => format!("Default::{p:?}.into()"),
    }
}

fn value(v: &Value) -> String {
    match v {
        Value::Null => "Value::Null".to_owned(),
        Value::Bool(b) => b.to_string(),
        Value::Int(n) => format!("{n}_i64"),
        Value::Float(x) => format!("{x:?}_f64"),
        Value::Text(s) => lit(s),
        Value::Bytes(b) => format!("&{b:?}[..]"),
        Value::Array(items) => {
            let inner: Vec<String> = items.iter().map(value).collect();
            format!("Value::Array(vec![{}])", inner.join(", "))
        }
    }
}

/// The DSL's spelling of a type.
pub(super) fn ty(t: &Type) -> String {
    match t {
        Type::Integer => "Type::Integer".into(),
        Type::BigInt => "Type::BigInt".into(),
        Type::SmallInt => "Type::SmallInt".into(),
        Type::Boolean => "Type::Boolean".into(),
        Type::String(n) => format!("Type::String({n})"),
        Type::Text => "Type::Text".into(),
        Type::Float => "Type::Float".into(),
        Type::Double => "Type::Double".into(),
        Type::Numeric(p, s) => format!("Type::Numeric({p}, {s})"),
        Type::Date => "Type::Date".into(),
        Type::Time => "Type::Time".into(),
        Type::Timestamp => "Type::Timestamp".into(),
        Type::TimestampTz => "Type::TimestampTz".into(),
        Type::Uuid => "Type::Uuid".into(),
        Type::Json => "Type::Json".into(),
        Type::Jsonb => "Type::Jsonb".into(),
        Type::Binary => "Type::Binary".into(),
        Type::Enum { name, values } => {
            let inner: Vec<String> = values.iter().map(|v| lit(v)).collect();
            format!("Type::enumeration({}, &[{}])", lit(name), inner.join(", "))
        }
        Type::Array(inner) => format!("Type::array({})", ty(inner)),
        Type::Custom(s) => format!("Type::Custom({}.into())", lit(s)),
        other => format!("Type::Custom({}.into())", lit(&format!("{other:?}"))),
    }
}
