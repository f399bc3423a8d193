//! What a database's command-line client does to a script before the server sees it, and how
//! the offline script survives it.
//!
//! The `sqlite3` shell and the `mysql`/`mariadb` client read a script line by line and drop
//! a carriage return at the end of each line (they accept Windows line endings that way), so
//! a text value holding `"\r\n"` would lose its `\r` silently (`psql` keeps it). So a
//! literal with a carriage return is written without one: on SQLite as an expression,
//! `('a' || char(13) || '\nb')`; on MySQL with the `\r` escape, as the dialect already
//! escapes backslashes.

use std::borrow::Cow;

/// MySQL: `\r` for every carriage return inside a single-quoted literal (where a backslash
/// escapes the next character).
pub(crate) fn mysql_without_cr(sql: &str) -> Cow<'_, str> {
    if !sql.contains('\r') {
        return Cow::Borrowed(sql);
    }
    let mut out = String::with_capacity(sql.len() + 8);
    let mut in_literal = false;
    let mut chars = sql.chars();
    while let Some(c) = chars.next() {
        match (in_literal, c) {
            (true, '\\') => {
                out.push(c);
                if let Some(next) = chars.next() {
                    out.push(next);
                }
            }
            (true, '\r') => out.push_str("\\r"),
            (_, '\'') => {
                in_literal = !in_literal;
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// `sql` with every single-quoted literal that holds a carriage return rewritten as a
/// parenthesized concatenation with `char(13)` (SQLite). Identifiers, comments and other
/// literals are copied as they are.
pub(crate) fn sqlite_without_cr(sql: &str) -> Cow<'_, str> {
    if !sql.contains('\r') {
        return Cow::Borrowed(sql);
    }
    let mut out = String::with_capacity(sql.len() + 32);
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                // The literal's text, quotes doubled as written, up to its closing quote.
                let mut body = String::new();
                loop {
                    match chars.next() {
                        Some('\'') if chars.peek() == Some(&'\'') => {
                            chars.next();
                            body.push_str("''");
                        }
                        Some('\'') | None => break,
                        Some(ch) => body.push(ch),
                    }
                }
                if body.contains('\r') {
                    let parts: Vec<String> = body.split('\r').map(|p| format!("'{p}'")).collect();
                    out.push('(');
                    out.push_str(&parts.join(" || char(13) || "));
                    out.push(')');
                } else {
                    out.push('\'');
                    out.push_str(&body);
                    out.push('\'');
                }
            }
            '"' | '`' | '[' => {
                let close = if c == '[' { ']' } else { c };
                out.push(c);
                for ch in chars.by_ref() {
                    out.push(ch);
                    if ch == close {
                        break;
                    }
                }
            }
            '-' if chars.peek() == Some(&'-') => {
                out.push(c);
                for ch in chars.by_ref() {
                    out.push(ch);
                    if ch == '\n' {
                        break;
                    }
                }
            }
            '/' if chars.peek() == Some(&'*') => {
                out.push(c);
                let mut prev = '\0';
                for ch in chars.by_ref() {
                    out.push(ch);
                    if prev == '*' && ch == '/' {
                        break;
                    }
                    prev = ch;
                }
            }
            _ => out.push(c),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::{mysql_without_cr, sqlite_without_cr};

    #[test]
    fn mysql_literals_get_the_escape() {
        assert_eq!(
            mysql_without_cr("INSERT INTO t VALUES ('a\r\nb', 'c\\'\r', 'x''\r')"),
            "INSERT INTO t VALUES ('a\\r\nb', 'c\\'\\r', 'x''\\r')"
        );
        assert_eq!(mysql_without_cr("SELECT 1\r\n"), "SELECT 1\r\n");
    }

    #[test]
    fn literals_with_a_carriage_return_become_expressions() {
        assert_eq!(
            sqlite_without_cr("INSERT INTO t VALUES ('a\r\nb', 'it''s\r', 'plain')"),
            "INSERT INTO t VALUES (('a' || char(13) || '\nb'), ('it''s' || char(13) || ''), 'plain')"
        );
    }

    #[test]
    fn identifiers_comments_and_clean_sql_stay() {
        let sql = "SELECT \"a'\r\" FROM t -- it's\r\n/* 'x\r' */ WHERE b = 'c'";
        assert_eq!(sqlite_without_cr(sql), sql);
        assert!(matches!(
            sqlite_without_cr("SELECT 'x'"),
            std::borrow::Cow::Borrowed(_)
        ));
    }
}
