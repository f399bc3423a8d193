//! Canonical column types per dialect: what the DSL's [`Type`] becomes, and every spelling
//! a database reports for it, map to one string.

use super::expr::quote;
use super::number::canonical_number;
use super::tokens::{tokenize, Tok};
use crate::Rules;
use migrate_sql::Type;

/// The type a column of DSL type `ty` has in the database, as the dialect renders it
/// (mirrors migrate-sql's type table; a test holds the two together).
pub(crate) fn rendered(ty: &Type, autoincrement: bool, rules: &Rules) -> String {
    rules.imp().rendered_type(ty, autoincrement, rules)
}

/// The spellings every dialect shares (its own come first, in the dialect's
/// `rendered_type`).
pub(crate) fn standard_rendered(ty: &Type, rules: &Rules) -> String {
    match ty {
        Type::Custom(s) => s.clone(),
        Type::Integer => "INTEGER".into(),
        Type::BigInt => "BIGINT".into(),
        Type::SmallInt => "SMALLINT".into(),
        Type::Boolean => "BOOLEAN".into(),
        Type::String(n) => format!("VARCHAR({n})"),
        Type::Text => "TEXT".into(),
        Type::Float => "REAL".into(),
        Type::Double => "DOUBLE".into(),
        Type::Numeric(p, s) => format!("NUMERIC({p}, {s})"),
        Type::Date => "DATE".into(),
        Type::Time => "TIME".into(),
        Type::Timestamp => "TIMESTAMP".into(),
        Type::Json | Type::Jsonb => "JSON".into(),
        Type::Binary => "BLOB".into(),
        Type::Enum { .. } => "TEXT".into(),
        // PostgreSQL alone has arrays (the others refuse to render them), one `[]` whatever
        // the nesting, since PostgreSQL does not enforce dimensions.
        Type::Array(elem) => match elem.as_ref() {
            Type::Array(_) => rendered(elem, false, rules),
            other => format!("{}[]", rendered(other, false, rules)),
        },
        // Type is non-exhaustive: a variant added later compares by its debug name until
        // it gets a row here.
        other => format!("{other:?}").to_uppercase(),
    }
}

/// The canonical type of a column: [`rendered`], then [`canonical_type_text`].
pub(crate) fn canonical_type(ty: &Type, autoincrement: bool, rules: &Rules) -> String {
    canonical_type_text(&rendered(ty, autoincrement, rules), rules)
}

/// A parsed type name: words, arguments, words after the arguments, array dimensions.
pub(crate) struct Parsed {
    pub(crate) base: String,
    pub(crate) args: Vec<String>,
    pub(crate) after: String,
    pub(crate) arrays: usize,
    pub(crate) user: Option<String>,
}

fn parse(text: &str, rules: &Rules) -> Option<Parsed> {
    let d = rules.dialect;
    let toks = tokenize(text, d)?;
    let mut p = Parsed {
        base: String::new(),
        args: Vec::new(),
        after: String::new(),
        arrays: 0,
        user: None,
    };
    let mut i = 0;
    let mut words = Vec::new();
    let mut quoted_name = None;
    while let Some(t) = toks.get(i) {
        match t {
            Tok::Word { text, quoted: true } => quoted_name = Some(text.clone()),
            Tok::Word { text, .. } => words.push(text.to_uppercase()),
            Tok::Punct(".") => words.clear(),
            _ => break,
        }
        i += 1;
    }
    if toks.get(i).is_some_and(|t| t.is("(")) {
        i += 1;
        let mut cur = String::new();
        while let Some(t) = toks.get(i) {
            i += 1;
            match t {
                Tok::Punct(")") => break,
                Tok::Punct(",") => p.args.push(std::mem::take(&mut cur)),
                Tok::Num(n) => cur.push_str(&canonical_number(n).unwrap_or_else(|| n.clone())),
                Tok::Str(s) => cur.push_str(&quote(s)),
                Tok::Word { text, .. } => cur.push_str(&text.to_uppercase()),
                _ => return None,
            }
        }
        p.args.push(cur);
    }
    let mut after = Vec::new();
    while let Some(t) = toks.get(i) {
        i += 1;
        match t {
            Tok::Word { text, .. } => after.push(text.to_uppercase()),
            Tok::Punct("[") => {}
            Tok::Punct("]") => p.arrays += 1,
            Tok::Num(_) => {}
            _ => return None,
        }
    }
    // `timestamp(3) with time zone`: the words after the precision name the type.
    if after.first().is_some_and(|w| w == "WITH" || w == "WITHOUT") {
        words.append(&mut after);
    }
    p.base = words.join(" ");
    p.after = after.join(" ");
    if p.base.is_empty() {
        p.user = quoted_name;
    }
    Some(p)
}

/// The canonical spelling of a type name as written or reported by the database (see the
/// crate docs, "Types").
pub(crate) fn canonical_type_text(text: &str, rules: &Rules) -> String {
    let Some(mut p) = parse(text, rules) else {
        return text.trim().to_uppercase();
    };
    if let Some(user) = p.user.take() {
        // A quoted (user-defined) type name keeps its case; the plain lower-case name is the
        // same as the unquoted one.
        let simple = user
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        let name = if simple || !rules.imp().quoted_names_are_exact() {
            user.to_lowercase()
        } else {
            format!("\"{user}\"")
        };
        return format!("{name}{}", "[]".repeat(p.arrays));
    }
    rules.imp().canonical_type(&mut p, rules)
}

pub(crate) fn arg(p: &Parsed, i: usize) -> Option<&str> {
    p.args.get(i).map(String::as_str)
}

/// Time types: precision 6 is the default (microseconds), so it is left out.
pub(crate) fn precision(name: &str, p: Option<&str>) -> String {
    match p {
        Some(n) if n != "6" => format!("{name}({n})"),
        _ => name.to_owned(),
    }
}

pub(crate) fn with_args(name: &str, p: &Parsed) -> String {
    let mut s = name.to_owned();
    if !p.args.is_empty() {
        s.push_str(&format!("({})", p.args.join(", ")));
    }
    if !p.after.is_empty() {
        s.push(' ');
        s.push_str(&p.after);
    }
    s
}

/// SQLite's type affinity of a declared type (its documented rules, in order).
///
/// ```
/// use migrate_schema::normalize::sqlite_affinity;
/// assert_eq!(sqlite_affinity("VARCHAR(255)"), "TEXT");
/// assert_eq!(sqlite_affinity("BIGINT"), "INTEGER");
/// assert_eq!(sqlite_affinity("DECIMAL(10, 2)"), "NUMERIC");
/// ```
pub fn affinity(declared: &str) -> &'static str {
    let t = declared.to_uppercase();
    if t.contains("INT") {
        "INTEGER"
    } else if t.contains("CHAR") || t.contains("CLOB") || t.contains("TEXT") {
        "TEXT"
    } else if t.contains("BLOB") || t.trim().is_empty() {
        "BLOB"
    } else if t.contains("REAL") || t.contains("FLOA") || t.contains("DOUB") {
        "REAL"
    } else {
        "NUMERIC"
    }
}

/// What kind of value a column holds, for reading its default.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Class {
    Bool,
    Number,
    Text,
    Other,
}

pub(crate) fn class(canonical: &str) -> Class {
    let head = canonical.split(['(', ' ']).next().unwrap_or("");
    match head {
        "BOOLEAN" | "BOOL" => Class::Bool,
        "TINYINT" if canonical == "TINYINT(1)" => Class::Bool,
        "INTEGER" | "INT" | "BIGINT" | "SMALLINT" | "TINYINT" | "MEDIUMINT" | "NUMERIC"
        | "DECIMAL" | "REAL" | "DOUBLE" | "FLOAT" => Class::Number,
        _ if canonical.contains("CHAR")
            || canonical.contains("TEXT")
            || canonical.contains("CLOB")
            || head == "ENUM" =>
        {
            Class::Text
        }
        _ => Class::Other,
    }
}
