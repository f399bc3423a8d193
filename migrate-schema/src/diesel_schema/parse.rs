//! Reading a `schema.rs` back: the `table!`, `joinable!` and `sql_types` items Diesel's
//! `print-schema` writes (and people edit), parsed with syn into [`DieselSchema`].
//!
//! ```
//! use migrate_schema::diesel_schema::parse;
//! let file = parse(r#"
//! diesel::table! {
//!     users (id) {
//!         id -> Int4,
//!         #[max_length = 255]
//!         email -> Varchar,
//!         nick -> Nullable<Text>,
//!     }
//! }
//! "#)?;
//! let users = &file.tables[0];
//! assert_eq!(users.name, "users");
//! assert_eq!(users.primary_key, ["id"]);
//! assert_eq!(users.columns[1].ty.max_length, Some(255));
//! assert!(users.columns[2].ty.nullable);
//! # Ok::<(), migrate_schema::diesel_schema::ParseError>(())
//! ```

use proc_macro2::Span;
use syn::parse::{ParseStream, Parser as _};
use syn::punctuated::Punctuated;
use syn::{Attribute, Expr, GenericArgument, Ident, Item, Lit, Meta, PathArguments, Token};

use super::file::{DieselColumn, DieselSchema, DieselTable, DieselType, Joinable, SqlTypeDef};

/// Why a `schema.rs` cannot be read: where, and what was expected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{line}:{column}: {message}")]
pub struct ParseError {
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// What is wrong.
    pub message: String,
}

impl From<syn::Error> for ParseError {
    fn from(e: syn::Error) -> ParseError {
        let start = e.span().start();
        ParseError {
            line: start.line,
            column: start.column + 1,
            message: e.to_string(),
        }
    }
}

/// Parse the text of a `schema.rs`.
///
/// # Errors
///
/// A [`ParseError`] with the line and column of the first thing that is not Rust, or not
/// what `table!`, `joinable!` or a `sql_types` module holds.
pub fn parse(text: &str) -> Result<DieselSchema, ParseError> {
    let file = syn::parse_file(text)?;
    let mut out = DieselSchema::default();
    let mut pending = Vec::new();
    items(&file.items, None, &mut out, &mut pending)?;
    for (schema, j) in pending {
        out.joinables.push(resolve_joinable(&out, schema, j)?);
    }
    Ok(out)
}

/// A `joinable!` before its names are resolved: Rust names and where they were written.
struct RawJoinable {
    child: Ident,
    parent: Ident,
    column: Ident,
}

fn items(
    list: &[Item],
    schema: Option<&str>,
    out: &mut DieselSchema,
    pending: &mut Vec<(Option<String>, RawJoinable)>,
) -> syn::Result<()> {
    for item in list {
        match item {
            Item::Macro(m) => {
                let Some(last) = m.mac.path.segments.last() else {
                    continue;
                };
                match last.ident.to_string().as_str() {
                    "table" => {
                        let tables = (|input: ParseStream<'_>| tables(input, schema))
                            .parse2(m.mac.tokens.clone())?;
                        out.tables.extend(tables);
                    }
                    "joinable" => {
                        let j = joinable.parse2(m.mac.tokens.clone())?;
                        pending.push((schema.map(str::to_owned), j));
                    }
                    _ => {}
                }
            }
            Item::Mod(module) => {
                let Some((_, content)) = &module.content else {
                    continue;
                };
                let name = module.ident.to_string();
                if name == "sql_types" {
                    sql_types(content, out)?;
                } else if schema.is_none() {
                    items(content, Some(&name), out, pending)?;
                } else {
                    return Err(syn::Error::new(
                        module.ident.span(),
                        "expected `table!`, `joinable!` or `sql_types` here: Diesel's schema modules do not nest",
                    ));
                }
            }
            _ => {}
        }
    }
    Ok(())
}

fn line(span: Span) -> usize {
    span.start().line
}

/// `#[sql_name = ".."]` and `#[max_length = N]` among the attributes (doc comments and
/// others are skipped).
#[derive(Default)]
struct Attrs {
    sql_name: Option<String>,
    max_length: Option<u64>,
}

fn attrs(list: &[Attribute]) -> syn::Result<Attrs> {
    let mut out = Attrs::default();
    for a in list {
        let Meta::NameValue(nv) = &a.meta else {
            continue;
        };
        let lit = match &nv.value {
            Expr::Lit(l) => &l.lit,
            _ => continue,
        };
        if nv.path.is_ident("sql_name") {
            match lit {
                Lit::Str(s) => out.sql_name = Some(s.value()),
                other => {
                    return Err(syn::Error::new(
                        other.span(),
                        "expected a string: #[sql_name = \"name\"]",
                    ))
                }
            }
        } else if nv.path.is_ident("max_length") {
            match lit {
                Lit::Int(n) => out.max_length = Some(n.base10_parse()?),
                other => {
                    return Err(syn::Error::new(
                        other.span(),
                        "expected a number: #[max_length = 255]",
                    ))
                }
            }
        }
    }
    Ok(out)
}

/// The body of `table! { .. }`: `use` items, then one or more tables.
fn tables(input: ParseStream<'_>, schema: Option<&str>) -> syn::Result<Vec<DieselTable>> {
    let mut out = Vec::new();
    while !input.is_empty() {
        if input.peek(Token![use]) {
            input.parse::<syn::ItemUse>()?;
            continue;
        }
        out.push(table(input, schema)?);
    }
    Ok(out)
}

fn table(input: ParseStream<'_>, schema: Option<&str>) -> syn::Result<DieselTable> {
    let attributes = attrs(&input.call(Attribute::parse_outer)?)?;
    let first: Ident = input
        .parse()
        .map_err(|e| syn::Error::new(e.span(), "expected a table name, as in `users (id) {`"))?;
    let (table_schema, ident) = if input.peek(Token![.]) {
        input.parse::<Token![.]>()?;
        (Some(first.to_string()), input.parse::<Ident>()?)
    } else {
        (schema.map(str::to_owned), first)
    };
    let rust_name = unraw(&ident);
    let pk_idents: Vec<Ident> = if input.peek(syn::token::Paren) {
        let content;
        syn::parenthesized!(content in input);
        Punctuated::<Ident, Token![,]>::parse_terminated(&content)?
            .into_iter()
            .collect()
    } else {
        Vec::new()
    };
    let body;
    syn::braced!(body in input);
    let columns: Vec<DieselColumn> =
        Punctuated::<DieselColumn, Token![,]>::parse_terminated_with(&body, column)?
            .into_iter()
            .collect();
    let primary_key = if pk_idents.is_empty() {
        // Diesel's default key.
        vec![sql_column(&columns, "id")]
    } else {
        pk_idents
            .iter()
            .map(|i| {
                let rust = unraw(i);
                if columns.iter().any(|c| c.rust_name == rust) {
                    Ok(sql_column(&columns, &rust))
                } else {
                    Err(syn::Error::new(
                        i.span(),
                        format!(
                            "primary key column `{rust}` is not a column of table `{rust_name}`"
                        ),
                    ))
                }
            })
            .collect::<syn::Result<_>>()?
    };
    Ok(DieselTable {
        schema: table_schema,
        name: attributes.sql_name.unwrap_or_else(|| rust_name.clone()),
        rust_name,
        primary_key,
        columns,
        line: line(ident.span()),
    })
}

fn sql_column(columns: &[DieselColumn], rust: &str) -> String {
    columns
        .iter()
        .find(|c| c.rust_name == rust)
        .map_or_else(|| rust.to_owned(), |c| c.name.clone())
}

fn unraw(ident: &Ident) -> String {
    let s = ident.to_string();
    s.strip_prefix("r#")
        .map_or_else(|| s.clone(), str::to_owned)
}

fn column(input: ParseStream<'_>) -> syn::Result<DieselColumn> {
    let attributes = attrs(&input.call(Attribute::parse_outer)?)?;
    let ident: Ident = input
        .parse()
        .map_err(|e| syn::Error::new(e.span(), "expected a column, as in `email -> Text,`"))?;
    input
        .parse::<Token![->]>()
        .map_err(|e| syn::Error::new(e.span(), "expected `->` and the column's SQL type"))?;
    let ty: syn::Type = input.parse()?;
    let mut ty = diesel_type(&ty)?;
    ty.max_length = attributes.max_length;
    let rust_name = unraw(&ident);
    Ok(DieselColumn {
        name: attributes.sql_name.unwrap_or_else(|| rust_name.clone()),
        rust_name,
        ty,
        line: line(ident.span()),
    })
}

/// `Nullable<Array<Nullable<Unsigned<Name>>>>`, each wrapper optional; paths such as
/// `diesel::sql_types::Text` or `super::sql_types::Mood` count by their last segment.
fn diesel_type(ty: &syn::Type) -> syn::Result<DieselType> {
    let syn::Type::Path(p) = ty else {
        return Err(syn::Error::new_spanned(
            ty,
            "expected a Diesel SQL type such as `Text` or `Nullable<Int4>`",
        ));
    };
    let Some(last) = p.path.segments.last() else {
        return Err(syn::Error::new_spanned(ty, "expected a type name"));
    };
    let name = last.ident.to_string();
    let inner = || -> syn::Result<DieselType> {
        let PathArguments::AngleBracketed(args) = &last.arguments else {
            return Err(syn::Error::new_spanned(
                ty,
                format!("expected `{name}<..>` with one type inside"),
            ));
        };
        match args.args.iter().collect::<Vec<_>>().as_slice() {
            [GenericArgument::Type(t)] => diesel_type(t),
            _ => Err(syn::Error::new_spanned(
                ty,
                format!("expected `{name}<..>` with one type inside"),
            )),
        }
    };
    Ok(match name.as_str() {
        "Nullable" => DieselType {
            nullable: true,
            ..inner()?
        },
        "Array" => {
            let element = inner()?;
            DieselType {
                array: true,
                nullable: false,
                ..element
            }
        }
        "Unsigned" => DieselType {
            unsigned: true,
            ..inner()?
        },
        _ => {
            if !matches!(last.arguments, PathArguments::None) {
                return Err(syn::Error::new_spanned(
                    ty,
                    format!("`{name}` takes no type arguments; only Nullable<..>, Array<..> and Unsigned<..> do"),
                ));
            }
            DieselType {
                name,
                nullable: false,
                array: false,
                unsigned: false,
                max_length: None,
            }
        }
    })
}

/// `child -> parent (column)`.
fn joinable(input: ParseStream<'_>) -> syn::Result<RawJoinable> {
    let child: Ident = input.parse()?;
    input.parse::<Token![->]>()?;
    let parent: Ident = input.parse()?;
    let content;
    syn::parenthesized!(content in input);
    let column: Ident = content.parse()?;
    Ok(RawJoinable {
        child,
        parent,
        column,
    })
}

fn resolve_joinable(
    file: &DieselSchema,
    schema: Option<String>,
    j: RawJoinable,
) -> Result<Joinable, ParseError> {
    let find = |ident: &Ident| {
        let rust = unraw(ident);
        file.tables
            .iter()
            .find(|t| t.rust_name == rust && t.schema == schema)
            .ok_or_else(|| {
                ParseError::from(syn::Error::new(
                    ident.span(),
                    format!("joinable! names `{rust}`, which no table! in this module declares"),
                ))
            })
    };
    let child = find(&j.child)?;
    let parent = find(&j.parent)?;
    let rust = unraw(&j.column);
    let column = child
        .columns
        .iter()
        .find(|c| c.rust_name == rust)
        .ok_or_else(|| {
            ParseError::from(syn::Error::new(
                j.column.span(),
                format!(
                    "joinable! names column `{rust}`, which table `{}` does not have",
                    child.rust_name
                ),
            ))
        })?;
    Ok(Joinable {
        schema,
        child: child.name.clone(),
        parent: parent.name.clone(),
        column: column.name.clone(),
    })
}

/// `pub struct Mood;` with `#[diesel(postgres_type(name = "mood", schema = "s"))]` (or
/// `mysql_type`, `sqlite_type`).
fn sql_types(content: &[Item], out: &mut DieselSchema) -> syn::Result<()> {
    for item in content {
        let Item::Struct(s) = item else { continue };
        let mut def = SqlTypeDef {
            rust_name: s.ident.to_string(),
            sql_name: s.ident.to_string().to_lowercase(),
            schema: None,
        };
        for a in s.attrs.iter().filter(|a| a.path().is_ident("diesel")) {
            a.parse_nested_meta(|kind| {
                kind.parse_nested_meta(|field| {
                    let value: syn::LitStr = field.value()?.parse()?;
                    if field.path.is_ident("name") {
                        def.sql_name = value.value();
                    } else if field.path.is_ident("schema") {
                        def.schema = Some(value.value());
                    }
                    Ok(())
                })
            })?;
        }
        out.sql_types.push(def);
    }
    Ok(())
}

/// Parse `tokens` with `f` (for tests of the pieces).
#[cfg(test)]
fn parse_with<T>(
    f: impl FnOnce(ParseStream<'_>) -> syn::Result<T>,
    tokens: proc_macro2::TokenStream,
) -> syn::Result<T> {
    f.parse2(tokens)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_unwrap_their_wrappers() {
        let t: syn::Type =
            syn::parse_str("Nullable<Array<Nullable<diesel::sql_types::Text>>>").unwrap();
        let t = diesel_type(&t).unwrap();
        assert!(t.nullable && t.array && !t.unsigned);
        assert_eq!(t.name, "Text");
        let t: syn::Type = syn::parse_str("Unsigned<Integer>").unwrap();
        assert!(diesel_type(&t).unwrap().unsigned);
        let t: syn::Type = syn::parse_str("Text<Int4>").unwrap();
        assert!(diesel_type(&t).is_err());
    }

    #[test]
    fn joinable_reads_its_three_names() {
        let j = parse_with(joinable, "posts -> users (user_id)".parse().unwrap()).unwrap();
        assert_eq!(
            (
                j.child.to_string(),
                j.parent.to_string(),
                j.column.to_string()
            ),
            ("posts".into(), "users".into(), "user_id".into())
        );
    }
}
