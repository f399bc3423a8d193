//! A small SQL tokenizer for defaults, CHECK conditions, index expressions and type names.
//!
//! Hand-written rather than sqlparser's: it must keep the dialect's string escapes (E'..',
//! MySQL backslashes), charset introducers and `::` casts exactly, and it runs on every
//! column of a diff, so it must be cheap.

use migrate_sql::Dialect;

/// One token.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Tok {
    /// A word: keyword, identifier or function name. `quoted` keeps the case.
    Word { text: String, quoted: bool },
    /// A string literal, unescaped.
    Str(String),
    /// A numeric literal, as written.
    Num(String),
    /// A blob literal `X'..'`, lower-case hex.
    Bytes(String),
    /// Punctuation or an operator.
    Punct(&'static str),
    /// Anything else (kept so that unknown text never compares equal to other text).
    Other(char),
}

const PUNCT: [&str; 22] = [
    "::", "<=", ">=", "<>", "!=", "||", "->>", "->", "(", ")", "[", "]", ",", ".", "=", "<", ">",
    "+", "-", "*", "/", "%",
];

impl Tok {
    pub(crate) fn is_word(&self, w: &str) -> bool {
        matches!(self, Tok::Word { text, quoted: false } if text.eq_ignore_ascii_case(w))
    }

    pub(crate) fn is(&self, p: &str) -> bool {
        matches!(self, Tok::Punct(q) if *q == p)
    }

    pub(crate) fn is_literal(&self) -> bool {
        matches!(self, Tok::Str(_) | Tok::Num(_) | Tok::Bytes(_))
            || self.is_word("null")
            || self.is_word("true")
            || self.is_word("false")
    }
}

/// Tokenize `sql`; `None` on an unterminated quote.
pub(crate) fn tokenize(sql: &str, d: Dialect) -> Option<Vec<Tok>> {
    let imp = crate::dialect::of(d);
    let chars: Vec<char> = sql.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        // PostgreSQL E'..' (backslash escapes), X'..' blobs, N'..' national strings.
        if matches!(c, 'e' | 'E') && imp.e_strings() && chars.get(i + 1) == Some(&'\'') {
            let (s, n) = quoted(&chars, i + 1, '\'', true)?;
            out.push(Tok::Str(s));
            i = n;
            continue;
        }
        if matches!(c, 'x' | 'X') && chars.get(i + 1) == Some(&'\'') {
            let (s, n) = quoted(&chars, i + 1, '\'', false)?;
            out.push(Tok::Bytes(s.to_ascii_lowercase()));
            i = n;
            continue;
        }
        if matches!(c, 'n' | 'N') && chars.get(i + 1) == Some(&'\'') {
            i += 1;
            continue;
        }
        match c {
            '\'' => {
                let (s, n) = quoted(&chars, i, '\'', imp.backslash_escapes())?;
                out.push(Tok::Str(s));
                i = n;
            }
            '"' if imp.double_quoted_strings() => {
                let (s, n) = quoted(&chars, i, '"', true)?;
                out.push(Tok::Str(s));
                i = n;
            }
            '"' | '`' => {
                let (s, n) = quoted(&chars, i, c, false)?;
                out.push(Tok::Word {
                    text: s,
                    quoted: true,
                });
                i = n;
            }
            '0'..='9' => {
                let start = i;
                while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
                    i += 1;
                }
                if i < chars.len() && matches!(chars[i], 'e' | 'E') {
                    let mut j = i + 1;
                    if j < chars.len() && matches!(chars[j], '+' | '-') {
                        j += 1;
                    }
                    if j < chars.len() && chars[j].is_ascii_digit() {
                        i = j;
                        while i < chars.len() && chars[i].is_ascii_digit() {
                            i += 1;
                        }
                    }
                }
                out.push(Tok::Num(chars[start..i].iter().collect()));
            }
            '.' if chars.get(i + 1).is_some_and(char::is_ascii_digit) => {
                let start = i;
                i += 1;
                while i < chars.len() && chars[i].is_ascii_digit() {
                    i += 1;
                }
                out.push(Tok::Num(chars[start..i].iter().collect()));
            }
            c if c.is_alphabetic() || c == '_' => {
                let start = i;
                while i < chars.len()
                    && (chars[i].is_alphanumeric() || chars[i] == '_' || chars[i] == '$')
                {
                    i += 1;
                }
                let text: String = chars[start..i].iter().collect();
                // MySQL charset introducer: _utf8mb4'x' is the string 'x'.
                if text.starts_with('_') && chars.get(i) == Some(&'\'') && imp.charset_introducers()
                {
                    continue;
                }
                out.push(Tok::Word {
                    text,
                    quoted: false,
                });
            }
            _ => {
                let rest: String = chars[i..chars.len().min(i + 3)].iter().collect();
                match PUNCT.iter().find(|p| rest.starts_with(**p)) {
                    Some(p) => {
                        out.push(Tok::Punct(p));
                        i += p.chars().count();
                    }
                    None => {
                        out.push(Tok::Other(c));
                        i += 1;
                    }
                }
            }
        }
    }
    Some(out)
}

/// A quoted run starting at `chars[start] == q`, with `qq` doubling and, if `backslash`,
/// backslash escapes. Returns the content and the index after the closing quote.
fn quoted(chars: &[char], start: usize, q: char, backslash: bool) -> Option<(String, usize)> {
    let mut s = String::new();
    let mut i = start + 1;
    while i < chars.len() {
        let c = chars[i];
        if backslash && c == '\\' {
            let e = *chars.get(i + 1)?;
            s.push(match e {
                'n' => '\n',
                't' => '\t',
                'r' => '\r',
                '0' => '\0',
                'b' => '\u{8}',
                'Z' => '\u{1a}',
                other => other,
            });
            i += 2;
        } else if c == q {
            if chars.get(i + 1) == Some(&q) {
                s.push(q);
                i += 2;
            } else {
                return Some((s, i + 1));
            }
        } else {
            s.push(c);
            i += 1;
        }
    }
    None
}

/// Whether `sql` names the identifier `name` (as a word, not inside a string), compared by
/// the dialect's identifier rules. Unreadable SQL is assumed to name it.
pub(crate) fn mentions(sql: &str, name: &str, d: Dialect) -> bool {
    match tokenize(sql, d) {
        Some(toks) => toks.iter().any(|t| word_is(t, name, d)),
        None => true,
    }
}

pub(crate) fn word_is(t: &Tok, name: &str, d: Dialect) -> bool {
    match t {
        Tok::Word { text, quoted } => crate::dialect::of(d).word_is(text, *quoted, name),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strs(sql: &str, d: Dialect) -> Vec<String> {
        tokenize(sql, d)
            .unwrap_or_default()
            .into_iter()
            .filter_map(|t| match t {
                Tok::Str(s) => Some(s),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn string_escapes_per_dialect() {
        assert_eq!(strs("'it''s'", Dialect::Sqlite), ["it's"]);
        assert_eq!(strs(r"E'a\\b\'c'", Dialect::Postgres), [r"a\b'c"]);
        // Without E, a PostgreSQL backslash is a backslash.
        assert_eq!(strs(r"'a\b'", Dialect::Postgres), [r"a\b"]);
        assert_eq!(
            strs(r"'a\\b' _utf8mb4'x' N'y'", Dialect::Mysql),
            [r"a\b", "x", "y"]
        );
        assert_eq!(strs(r#""dq""#, Dialect::Mysql), ["dq"]);
        assert!(
            strs(r#""dq""#, Dialect::Postgres).is_empty(),
            "an identifier there"
        );
    }

    #[test]
    fn words_numbers_and_operators() {
        let t = tokenize("a::text >= -1.5e3 || `B`", Dialect::Mysql).unwrap_or_default();
        assert_eq!(t.len(), 8, "{t:?}");
        assert!(t[1].is("::") && t[3].is(">=") && t[4].is("-") && t[6].is("||"));
        assert_eq!(t[5], Tok::Num("1.5e3".into()));
        assert_eq!(
            t[7],
            Tok::Word {
                text: "B".into(),
                quoted: true
            }
        );
        assert_eq!(
            tokenize("X'AB'", Dialect::Sqlite),
            Some(vec![Tok::Bytes("ab".into())])
        );
    }

    #[test]
    fn unterminated_quotes_are_none_not_a_panic() {
        for s in ["'abc", "\"abc", "`abc", "E'abc\\", "x'ab"] {
            assert_eq!(tokenize(s, Dialect::Postgres).map(|_| ()), None, "{s}");
        }
        assert!(
            mentions("'unterminated", "a", Dialect::Sqlite),
            "unreadable: assume so"
        );
    }

    #[test]
    fn mentions_follow_identifier_rules() {
        assert!(mentions("lower(Email) > ''", "email", Dialect::Postgres));
        assert!(!mentions(r#""Email" > ''"#, "email", Dialect::Postgres));
        assert!(mentions("`EMAIL` > ''", "email", Dialect::Mysql));
        assert!(
            !mentions("'email' = x", "email", Dialect::Sqlite),
            "inside a string"
        );
    }
}
