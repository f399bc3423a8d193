//! Canonical spelling of SQL expressions: server defaults, CHECK conditions, partial-index
//! predicates and index expressions.

use super::number::canonical_number;
use super::tokens::{tokenize, word_is, Tok};
use migrate_sql::Dialect;

/// Words written in upper case in the canonical form; every other unquoted word is lower case.
const KEYWORDS: [&str; 31] = [
    "and",
    "or",
    "not",
    "in",
    "is",
    "null",
    "true",
    "false",
    "like",
    "ilike",
    "between",
    "case",
    "when",
    "then",
    "else",
    "end",
    "array",
    "any",
    "all",
    "some",
    "distinct",
    "from",
    "as",
    "exists",
    "current_timestamp",
    "current_date",
    "current_time",
    "localtimestamp",
    "localtime",
    "collate",
    "interval",
];

/// Words after which a parenthesised group still groups logic (it is no call's argument list).
const LOGIC: [&str; 7] = ["and", "or", "not", "when", "then", "else", "where"];

/// The canonical spelling of `sql` (see the crate docs, "Expressions"): the same for every
/// spelling the rules consider equal. Text that cannot be tokenized is returned trimmed.
pub(crate) fn canonical_expr(sql: &str, d: Dialect) -> String {
    match tokenize(sql, d) {
        Some(t) => render(&canonical_tokens(t, d)),
        None => sql.trim().to_owned(),
    }
}

/// Tokens in canonical form.
pub(crate) fn canonical_tokens(mut t: Vec<Tok>, d: Dialect) -> Vec<Tok> {
    for tok in &mut t {
        if let Tok::Word { text, quoted } = tok {
            if !*quoted || !crate::dialect::of(d).quoted_names_are_exact() {
                *text = text.to_lowercase();
                *quoted = false;
            }
        }
    }
    loop {
        let before = t.len();
        strip_casts(&mut t);
        strip_parens(&mut t);
        any_array_to_in(&mut t);
        if t.len() == before {
            break;
        }
    }
    timestamp_family(&mut t, d);
    crate::dialect::of(d).function_aliases(&mut t);
    t
}

fn matching(t: &[Tok], open: usize) -> Option<usize> {
    let (o, c) = if t[open].is("(") {
        ("(", ")")
    } else {
        ("[", "]")
    };
    let mut depth = 0usize;
    for (i, tok) in t.iter().enumerate().skip(open) {
        if tok.is(o) {
            depth += 1;
        } else if tok.is(c) {
            depth -= 1;
            if depth == 0 {
                return Some(i);
            }
        }
    }
    None
}

fn matching_back(t: &[Tok], close: usize) -> Option<usize> {
    let (o, c) = if t[close].is(")") {
        ("(", ")")
    } else {
        ("[", "]")
    };
    let mut depth = 0usize;
    for i in (0..=close).rev() {
        if t[i].is(c) {
            depth += 1;
        } else if t[i].is(o) {
            depth -= 1;
            if depth == 0 {
                return Some(i);
            }
        }
    }
    None
}

/// `'x'::text`, `(0)::numeric`, `(status)::text`, `name::text`, `ARRAY[..]::text[]`:
/// PostgreSQL's casts of literals and of single items (a column: PostgreSQL writes
/// `lower(name::text)` for `lower(name)` on a `varchar` column) go; other casts stay.
fn strip_casts(t: &mut Vec<Tok>) {
    let mut i = 0;
    while i < t.len() {
        if t[i].is("::") && i > 0 {
            let prev = &t[i - 1];
            let castable = prev.is_literal()
                || matches!(prev, Tok::Word { .. })
                || prev.is("]")
                || (prev.is(")")
                    && matching_back(t, i - 1).is_some_and(|open| {
                        let inner = &t[open + 1..i - 1];
                        inner.len() == 1 || inner.first().is_some_and(|f| f.is_word("array"))
                    }));
            if castable {
                let end = type_end(t, i + 1);
                t.drain(i..end);
                continue;
            }
        }
        i += 1;
    }
}

/// Where the type name starting at `i` ends.
fn type_end(t: &[Tok], mut i: usize) -> usize {
    const MORE: [&str; 6] = ["varying", "precision", "with", "without", "time", "zone"];
    if matches!(t.get(i), Some(Tok::Word { .. })) {
        i += 1;
    }
    while t.get(i).is_some_and(|x| x.is(".")) && matches!(t.get(i + 1), Some(Tok::Word { .. })) {
        i += 2;
    }
    loop {
        match t.get(i) {
            Some(x) if MORE.iter().any(|m| x.is_word(m)) => i += 1,
            Some(x) if x.is("(") => match matching(t, i) {
                Some(c) => i = c + 1,
                None => return i,
            },
            Some(x) if x.is("[") && t.get(i + 1).is_some_and(|y| y.is("]")) => i += 2,
            _ => return i,
        }
    }
}

/// Drops parentheses that change nothing: around one token, doubled, around the whole, and
/// around AND/OR operands where precedence makes them redundant.
fn strip_parens(t: &mut Vec<Tok>) {
    let mut i = 0;
    while i < t.len() {
        if t[i].is("(") {
            if let Some(close) = matching(t, i) {
                if redundant(t, i, close) {
                    t.remove(close);
                    t.remove(i);
                    continue;
                }
            }
        }
        i += 1;
    }
}

fn redundant(t: &[Tok], open: usize, close: usize) -> bool {
    let prev = open.checked_sub(1).map(|p| &t[p]);
    let next = t.get(close + 1);
    // A call's or IN's argument list, an array subscript: not a grouping.
    let call = match prev {
        Some(Tok::Word { text, quoted }) => *quoted || !LOGIC.contains(&text.as_str()),
        Some(p) => p.is(")") || p.is("]"),
        None => false,
    };
    if call {
        return false;
    }
    let inner = &t[open + 1..close];
    if inner.len() <= 1 {
        return true;
    }
    let (mut or, mut depth) = (false, 0usize);
    for x in inner {
        if x.is("(") || x.is("[") {
            depth += 1;
        } else if x.is(")") || x.is("]") {
            depth = depth.saturating_sub(1);
        } else if depth == 0 {
            or |= x.is_word("or");
        }
    }
    let boundary_before = prev.is_none_or(|p| p.is("(") || p.is(","));
    let boundary_after = next.is_none_or(|n| n.is(")") || n.is(","));
    let word = |x: Option<&Tok>, w: &str| x.is_some_and(|x| x.is_word(w));
    if boundary_before && boundary_after {
        return true;
    }
    let before_ok = boundary_before || word(prev, "or") || (!or && word(prev, "and"));
    let after_ok = boundary_after || word(next, "or") || (!or && word(next, "and"));
    before_ok && after_ok && !(or && (word(prev, "and") || word(next, "and")))
}

/// PostgreSQL shows `c IN ('a', 'b')` as `c = ANY (ARRAY['a', 'b'])`.
fn any_array_to_in(t: &mut Vec<Tok>) {
    let mut i = 0;
    while i + 4 < t.len() {
        if t[i].is("=")
            && t[i + 1].is_word("any")
            && t[i + 2].is("(")
            && t[i + 3].is_word("array")
            && t[i + 4].is("[")
        {
            if let (Some(rb), Some(rp)) = (matching(t, i + 4), matching(t, i + 2)) {
                if rp == rb + 1 {
                    let mut new = vec![word("in"), Tok::Punct("(")];
                    new.extend(t[i + 5..rb].iter().cloned());
                    new.push(Tok::Punct(")"));
                    t.splice(i..=rp, new);
                    continue;
                }
            }
        }
        i += 1;
    }
}

fn word(w: &str) -> Tok {
    Tok::Word {
        text: w.to_owned(),
        quoted: false,
    }
}

/// `now()`, `current_timestamp()`, `localtimestamp` (MySQL), `transaction_timestamp()`
/// (PostgreSQL) are `CURRENT_TIMESTAMP`; `curdate()`/`current_date()` and
/// `curtime()`/`current_time()` (MySQL) are `CURRENT_DATE` / `CURRENT_TIME`. A precision
/// stays: `now(6)` is `CURRENT_TIMESTAMP(6)`.
fn timestamp_family(t: &mut Vec<Tok>, d: Dialect) {
    let mut i = 0;
    while i < t.len() {
        let canon = match &t[i] {
            Tok::Word {
                text,
                quoted: false,
            } => crate::dialect::of(d).timestamp_alias(text),
            _ => None,
        };
        if let Some(c) = canon {
            let call = t.get(i + 1).is_some_and(|x| x.is("("));
            let is_fn = matches!(&t[i], Tok::Word { text, .. } if text == "now" || text == "transaction_timestamp" || text == "curdate" || text == "curtime");
            if call || !is_fn {
                t[i] = word(c);
                // `()` with nothing inside goes; `(6)` stays.
                if call && t.get(i + 2).is_some_and(|x| x.is(")")) {
                    t.drain(i + 1..i + 3);
                }
            }
        }
        i += 1;
    }
}

/// Render canonical tokens: keywords upper case, other words lower case (quoted PostgreSQL
/// names as written), strings with `''` doubling, numbers canonical, no space inside
/// brackets or before commas.
pub(crate) fn render(t: &[Tok]) -> String {
    let mut s = String::new();
    for (i, tok) in t.iter().enumerate() {
        let prev = i.checked_sub(1).map(|p| &t[p]);
        let glue = match prev {
            None => true,
            Some(p) => {
                p.is("(")
                    || p.is("[")
                    || p.is(".")
                    || p.is("::")
                    || tok.is(")")
                    || tok.is("]")
                    || tok.is(",")
                    || tok.is(".")
                    || tok.is("::")
                    || (tok.is("(")
                        && matches!(p, Tok::Word { text, .. } if !LOGIC.contains(&text.as_str()) && !KEYWORDS[..4].contains(&text.as_str())))
                    || (tok.is("[") && p.is_word("array"))
                    || ((p.is("-") || p.is("+")) && unary_minus(t, i - 1))
            }
        };
        if !glue {
            s.push(' ');
        }
        match tok {
            Tok::Word { text, quoted } => {
                if *quoted && !is_plain_lower(text) {
                    s.push('"');
                    s.push_str(&text.replace('"', "\"\""));
                    s.push('"');
                } else if KEYWORDS.contains(&text.as_str()) {
                    s.push_str(&text.to_uppercase());
                } else {
                    s.push_str(text);
                }
            }
            Tok::Str(v) => s.push_str(&quote(v)),
            Tok::Num(n) => s.push_str(&canonical_number(n).unwrap_or_else(|| n.clone())),
            Tok::Bytes(h) => {
                s.push_str("X'");
                s.push_str(h);
                s.push('\'');
            }
            Tok::Punct(p) => s.push_str(p),
            Tok::Other(c) => s.push(*c),
        }
    }
    s
}

/// Whether the `-` at `i` is a sign (nothing or an operator before it).
fn unary_minus(t: &[Tok], i: usize) -> bool {
    match i.checked_sub(1).map(|p| &t[p]) {
        None => true,
        Some(Tok::Punct(p)) => !matches!(*p, ")" | "]"),
        Some(Tok::Word { text, .. }) => {
            LOGIC.contains(&text.as_str()) || KEYWORDS.contains(&text.as_str())
        }
        Some(_) => false,
    }
}

fn is_plain_lower(s: &str) -> bool {
    s.chars()
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// A string literal in canonical form: single quotes, `''` doubling.
pub(crate) fn quote(v: &str) -> String {
    format!("'{}'", v.replace('\'', "''"))
}

/// `sql` with the identifier `old` renamed to `new` (as the database rewrites a CHECK or an
/// index expression when a column is renamed), in canonical form.
pub(crate) fn rename_ident(sql: &str, old: &str, new: &str, d: Dialect) -> String {
    let Some(mut toks) = tokenize(sql, d) else {
        return sql.to_owned();
    };
    let mut hit = false;
    for t in &mut toks {
        if word_is(t, old, d) {
            *t = Tok::Word {
                text: new.to_owned(),
                quoted: true,
            };
            hit = true;
        }
    }
    if hit {
        render(&canonical_tokens(toks, d))
    } else {
        sql.to_owned()
    }
}
