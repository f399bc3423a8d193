//! Rust names for SQL names, as diesel_cli's schema inference makes them
//! (`infer_schema_internals::inference::rust_name_for_sql_name` in diesel_cli 2.3).

/// Names `table!` itself uses, which a column may not take.
const RESERVED_NAMES: [&str; 3] = ["table", "columns", "is_nullable"];

/// Words `syn` refuses as an identifier (syn 2's `Ident` parser: Rust's strict and reserved
/// keywords), which diesel_cli asks it about.
const KEYWORDS: [&str; 52] = [
    "_", "abstract", "as", "async", "await", "become", "box", "break", "const", "continue",
    "crate", "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "Self", "self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Whether `name` cannot be used as it is: not an identifier, a keyword, one of `table!`'s
/// own names, or starting with `__` (unless it ends with `_`, so that appending `_` always
/// gives a usable name).
pub(crate) fn is_reserved(name: &str) -> bool {
    !is_ident(name)
        || RESERVED_NAMES.contains(&name)
        || (name.starts_with("__") && !name.ends_with('_'))
}

fn is_ident(name: &str) -> bool {
    let mut chars = name.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    (first.is_alphabetic() || first == '_')
        && chars.all(|c| c.is_alphanumeric() || c == '_')
        && !KEYWORDS.contains(&name)
}

/// The Rust name of a table or column called `sql_name` (of the table whose Rust name is
/// `table`, for a column): characters other than ASCII letters, digits and `_` become one
/// `_` per run, a leading digit gets a `_` before it, and a reserved name (or a column named
/// like its table) gets a trailing `_`.
///
/// ```
/// # use migrate_schema::diesel_schema::rust_name;
/// assert_eq!(rust_name("user accounts", None), "user_accounts");
/// assert_eq!(rust_name("2fa", None), "_2fa");
/// assert_eq!(rust_name("type", Some("posts")), "type_");
/// assert_eq!(rust_name("posts", Some("posts")), "posts_");
/// ```
pub fn rust_name(sql_name: &str, table: Option<&str>) -> String {
    let name = replace_unmappable(sql_name);
    if is_reserved(&name) || Some(name.as_str()) == table {
        format!("{name}_")
    } else {
        name
    }
}

fn unmappable(c: char) -> bool {
    !(c.is_ascii_alphanumeric() || c == '_')
}

fn replace_unmappable(name: &str) -> String {
    for (idx, c) in name.char_indices() {
        if unmappable(c) {
            let mut s = name[..idx].to_owned();
            push_mapped(&mut s, &name[idx..], false);
            return s;
        } else if idx == 0 && c.is_ascii_digit() {
            let mut s = String::from("_");
            push_mapped(&mut s, name, true);
            return s;
        }
    }
    name.to_owned()
}

fn push_mapped(s: &mut String, tail: &str, mut last_was_underscore: bool) {
    for c in tail.chars() {
        if unmappable(c) {
            if !last_was_underscore {
                s.push('_');
            }
            last_was_underscore = true;
        } else {
            last_was_underscore = false;
            s.push(c);
        }
    }
}

/// A Rust string literal of `s` as diesel_cli writes one in `#[sql_name = ..]`: plain quotes,
/// or a raw string with one `#` more than `s` has when `s` contains a quote.
pub(crate) fn string_literal(s: &str) -> String {
    if s.contains('"') {
        let hashes = "#".repeat(s.matches('#').count() + 1);
        format!("r{hashes}\"{s}\"{hashes}")
    } else {
        format!("\"{s}\"")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_map_as_diesel_cli_maps_them() {
        assert_eq!(rust_name("users", None), "users");
        assert_eq!(rust_name("a--b  c", None), "a_b_c");
        assert_eq!(rust_name("1st-place", None), "_1st_place");
        assert_eq!(rust_name("table", None), "table_");
        assert_eq!(rust_name("columns", Some("t")), "columns_");
        assert_eq!(rust_name("__private", None), "__private_");
        assert_eq!(rust_name("__private_", None), "__private_");
        assert_eq!(rust_name("", None), "_");
        assert_eq!(rust_name("é", None), "__");
        assert_eq!(rust_name("self", None), "self_");
        assert_eq!(rust_name("union", None), "union");
    }

    #[test]
    fn literals_become_raw_strings_only_with_quotes() {
        assert_eq!(string_literal("User Accounts"), "\"User Accounts\"");
        assert_eq!(string_literal("a\"b"), "r#\"a\"b\"#");
        assert_eq!(string_literal("#\"x"), "r##\"#\"x\"##");
    }
}
