//! Hiding passwords in anything that may be a database URL, parseable or not.
//!
//! A user who mistypes a URL (`postgres:/app:S3cret@host/app`, `postgre://h/app?password=x`)
//! must not see the password echoed back in the error, nor in a CI log. So redaction does not
//! rely on the URL parsing: it works on the text, and errs on the side of hiding too much.

/// Query or keyword parameters that carry a password (`?password=`, libpq's `password=` in a
/// keyword/value string, ODBC-style `pwd=`). Compared case-insensitively; any key that ends in
/// `password` (`sslpassword`) counts too.
const PASSWORD_KEYS: [&str; 4] = ["pwd", "pass", "passwd", "secret"];

/// `text` with every password-like part replaced by `***`:
///
/// * the password of `user:password@` userinfo, with or without a `scheme://` in front, and
///   wherever the last `@` is (a password may contain `/`, `?` or `@`);
/// * the value of every `password=`, `pwd=`, `pass=`, `passwd=`, `...password=` parameter,
///   in a query string or a libpq keyword/value string (quoted values included).
///
/// Text without such parts comes back unchanged, so a plain file path stays readable.
///
/// # Examples
///
/// ```
/// use migrate_core::redact;
/// assert_eq!(redact("postgres://app:S3cret@db/app"), "postgres://app:***@db/app");
/// assert_eq!(redact("postgres:/app:S3cret@db/app"), "postgres:/app:***@db/app");
/// assert_eq!(redact("postgre://db/app?user=a&password=S3cret"), "postgre://db/app?user=a&password=***");
/// assert_eq!(redact("sqlite://data/app.db"), "sqlite://data/app.db");
/// ```
pub fn redact(text: &str) -> String {
    mask_parameters(&mask_userinfo(text))
}

/// Where the userinfo may start: after `scheme:` and any slashes, else at the start.
fn userinfo_start(text: &str) -> usize {
    let scheme_len = text
        .char_indices()
        .take_while(|&(i, c)| {
            if i == 0 {
                c.is_ascii_alphabetic()
            } else {
                c.is_ascii_alphanumeric() || matches!(c, '+' | '.' | '-')
            }
        })
        .count();
    // One letter before ':' is a Windows drive (`C:\db.sqlite`), not a scheme.
    if scheme_len >= 2 && text[scheme_len..].starts_with(':') {
        let after = scheme_len + 1;
        after + text[after..].len() - text[after..].trim_start_matches(['/', '\\']).len()
    } else {
        0
    }
}

fn mask_userinfo(text: &str) -> String {
    let start = userinfo_start(text);
    // The credentials end at the last '@': a password may hold '/', '?', '#' or '@' itself.
    let Some(at) = text[start..].rfind('@').map(|i| start + i) else {
        return text.to_owned();
    };
    let colon = match text[start..at].find(':') {
        Some(colon) => start + colon,
        // `app:S3cret@host` has no slashes: `app` may be the user rather than a scheme.
        None if start > 0 && text.as_bytes()[start - 1] == b':' => start - 1,
        None => return text.to_owned(),
    };
    format!("{}***{}", &text[..=colon], &text[at..])
}

fn is_password_key(key: &str) -> bool {
    let key = key.to_ascii_lowercase();
    key.ends_with("password") || PASSWORD_KEYS.contains(&key.as_str())
}

/// Replace the values of password parameters. A key starts the text or follows one of
/// `? & ; ,` or white space; its value ends at the next of those (or its closing quote).
fn mask_parameters(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut i = 0;
    while let Some(eq) = text[i..].find('=').map(|e| i + e) {
        let key_start = text[..eq]
            .char_indices()
            .rev()
            .find(|&(_, c)| matches!(c, '?' | '&' | ';' | ',') || c.is_whitespace())
            .map_or(0, |(k, c)| k + c.len_utf8());
        let key = text[key_start..eq].trim();
        if key.is_empty() || !is_password_key(key) {
            i = eq + 1;
            continue;
        }
        let value_start = eq + 1;
        let value_end = match bytes.get(value_start) {
            Some(&q @ (b'\'' | b'"')) => text[value_start + 1..]
                .find(q as char)
                .map_or(text.len(), |e| value_start + 1 + e + 1),
            _ => text[value_start..]
                .find(|c: char| matches!(c, '&' | ';' | ',' | '#') || c.is_whitespace())
                .map_or(text.len(), |e| value_start + e),
        };
        out.push_str(&text[copied..value_start]);
        out.push_str("***");
        copied = value_end;
        i = value_end.max(value_start);
    }
    out.push_str(&text[copied..]);
    out
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn userinfo_passwords_are_hidden_with_or_without_slashes() {
        for (given, shown) in [
            (
                "postgres://u:secret@localhost:5432/db",
                "postgres://u:***@localhost:5432/db",
            ),
            (
                "postgres:/app:S3cret@host/app",
                "postgres:/app:***@host/app",
            ),
            ("postgres:app:S3cret@host/app", "postgres:app:***@host/app"),
            ("mysql://r:p@ss@h/d", "mysql://r:***@h/d"),
            ("postgres://u:pa/ss?x@h/db", "postgres://u:***@h/db"),
            ("app:S3cret@host/app", "app:***@host/app"),
            (
                "postgresql+psycopg2://u:pw@h/db",
                "postgresql+psycopg2://u:***@h/db",
            ),
            ("postgres://u@h/db", "postgres://u@h/db"),
            ("sqlite://a.db", "sqlite://a.db"),
            ("C:\\data\\app.db", "C:\\data\\app.db"),
        ] {
            assert_eq!(redact(given), shown, "{given}");
        }
    }

    #[test]
    fn password_parameters_are_hidden() {
        for (given, shown) in [
            (
                "postgre://host/app?user=app&password=S3cret",
                "postgre://host/app?user=app&password=***",
            ),
            (
                "postgres://h/db?PASSWORD=x&sslmode=require",
                "postgres://h/db?PASSWORD=***&sslmode=require",
            ),
            (
                "host=h user=u password=secret dbname=d",
                "host=h user=u password=*** dbname=d",
            ),
            (
                "host=h password='two words' dbname=d",
                "host=h password=*** dbname=d",
            ),
            ("Server=h;Uid=u;Pwd=secret;", "Server=h;Uid=u;Pwd=***;"),
            ("mysql://h/d?sslpassword=k", "mysql://h/d?sslpassword=***"),
            (
                "postgres://h/db?passwordless=1&a=b",
                "postgres://h/db?passwordless=1&a=b",
            ),
            (
                "mysql://u:p@h/d?password=q",
                "mysql://u:***@h/d?password=***",
            ),
        ] {
            assert_eq!(redact(given), shown, "{given}");
        }
    }

    #[test]
    fn odd_text_does_not_panic_and_keeps_no_secret() {
        for given in [
            "",
            "=",
            "password=",
            "a=b=c",
            "@",
            ":@",
            "x://",
            "p://:@",
            "é:ü@ß?pwd='",
            "a\u{a0}password=x",
        ] {
            let shown = redact(given);
            assert!(!shown.contains("secret"), "{shown}");
        }
        let shown = redact("password=\"unterminated secret");
        assert_eq!(shown, "password=***");
    }
}
