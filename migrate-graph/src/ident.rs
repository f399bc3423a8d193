//! The identifier grammar (Alembic's "partial revision identifiers" and relative
//! identifiers,
//! <https://alembic.sqlalchemy.org/en/latest/tutorial.html#relative-migration-identifiers>):
//! checking ids and labels.

use crate::error::{GraphError, MAX_ID_LEN, RESERVED_IDS};

/// Characters a revision id may not contain (they carry meaning in identifiers).
pub const ILLEGAL_ID_CHARS: [char; 4] = ['@', '-', '+', ':'];

/// Characters a branch label may not contain.
pub const ILLEGAL_LABEL_CHARS: [char; 2] = ['@', ':'];

/// Checks one revision id, the one rule used everywhere (the macros at compile time, the
/// graph at start-up, `migrate revision`): non-empty; ASCII letters, digits and `_` only (none
/// of Alembic's `@ - + :`, and nothing that could leave a file name or a string literal:
/// `/`, `.`, quotes, spaces, control characters); not a reserved word (`head`, `heads`,
/// `base`, `current`); at most [`MAX_ID_LEN`] characters.
///
/// # Examples
///
/// ```
/// use migrate_graph::validate_id;
/// assert!(validate_id("a1b2c3").is_ok());
/// assert_eq!(
///     validate_id("no@atsigns-ordashes").unwrap_err().to_string(),
///     "Character(s) '-, @' not allowed in revision identifier 'no@atsigns-ordashes'; remove them from the id"
/// );
/// ```
pub fn validate_id(id: &str) -> Result<(), GraphError> {
    // The common case, checked in one pass (graphs of 10k revisions validate every id).
    if !id.is_empty()
        && id.len() <= MAX_ID_LEN
        && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
        && !RESERVED_IDS.contains(&id)
    {
        return Ok(());
    }
    if id.is_empty() {
        return Err(GraphError::EmptyId {
            order_key: String::new(),
        });
    }
    let chars = offending(id, &ILLEGAL_ID_CHARS);
    if !chars.is_empty() {
        return Err(GraphError::IllegalCharacters {
            rev: id.to_owned(),
            chars,
        });
    }
    if let Some(ch) = id
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '_'))
    {
        return Err(GraphError::UnsafeIdCharacter {
            rev: id.to_owned(),
            ch,
        });
    }
    if RESERVED_IDS.contains(&id) {
        return Err(GraphError::ReservedId { rev: id.to_owned() });
    }
    let len = id.chars().count();
    if len > MAX_ID_LEN {
        return Err(GraphError::IdTooLong {
            rev: id.to_owned(),
            len,
        });
    }
    Ok(())
}

/// Checks one branch label of revision `rev`: non-empty, no `@` or `:`. (That it is not also a
/// revision id, nor declared twice, needs the whole graph: [`Graph::new`](crate::Graph::new).)
pub fn validate_label(rev: &str, label: &str) -> Result<(), GraphError> {
    if label.is_empty() {
        return Err(GraphError::EmptyLabel {
            rev: rev.to_owned(),
        });
    }
    let mut chars = offending(label, &ILLEGAL_LABEL_CHARS);
    chars.extend(label.chars().filter(|c| crate::printable::is_unsafe(*c)));
    chars.sort_unstable();
    chars.dedup();
    if !chars.is_empty() {
        return Err(GraphError::IllegalLabelCharacters {
            rev: rev.to_owned(),
            label: label.to_owned(),
            chars,
        });
    }
    Ok(())
}

/// The characters of `s` found in `illegal`, sorted and unique (Alembic sorts the set).
fn offending(s: &str, illegal: &[char]) -> Vec<char> {
    let mut found: Vec<char> = s.chars().filter(|c| illegal.contains(c)).collect();
    found.sort_unstable();
    found.dedup();
    found
}

// ---------------------------------------------------------------------------------------------
// Resolution (`RevisionMap._resolve_revision_number`, `_revision_for_ident`, `get_revisions`,
// `_walk`).
// ---------------------------------------------------------------------------------------------

use crate::adj::Ix;

/// Where a relative walk stands: Alembic's `None`, `"base"`, or a revision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Pos {
    /// Nothing (`None`): the walk has no start, or it walked off the graph.
    Nothing,
    /// Below every base.
    Base,
    /// A revision.
    Rev(Ix),
}

impl Pos {
    pub(crate) fn rev(self) -> Option<Ix> {
        match self {
            Pos::Rev(i) => Some(i),
            _ => None,
        }
    }
}

/// A revision argument: a string as typed, or the database's rows (Alembic's tuples).
#[derive(Debug, Clone, Copy)]
pub(crate) enum Spec<'a> {
    Str(&'a str),
    Rows(&'a [String]),
}

/// `_resolve_revision_number`'s answer: revisions already known, or ids still to look up.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Token<'a> {
    Node(Ix),
    Str(&'a str),
}

/// A relative identifier: `(?:(.+?)@)?(\w+)?((?:\+|-)\d+)`, matched at the start like
/// Python's `re.match` (anything after the digits is ignored, as in Alembic).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Relative<'a> {
    pub(crate) branch: Option<&'a str>,
    pub(crate) symbol: Option<&'a str>,
    /// The signed number as typed (`+2`, `-1`).
    pub(crate) text: &'a str,
    pub(crate) value: i64,
}

impl Relative<'_> {
    /// Python's `int(text)` printed back (`+2` → `2`, `-01` → `-1`).
    pub(crate) fn value_text(&self) -> String {
        self.value.to_string()
    }
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Matches the relative pattern at the start of `s`.
pub(crate) fn parse_relative(s: &str) -> Option<Relative<'_>> {
    // The optional `(.+?)@` group is tried first, lazily (earliest '@' after at least one
    // character), then without a branch.
    let ats = s
        .char_indices()
        .filter(|&(i, c)| c == '@' && i > 0)
        .map(|(i, _)| i);
    for at in ats {
        if let Some(rel) = match_tail(&s[at + 1..], Some(&s[..at])) {
            return Some(rel);
        }
    }
    match_tail(s, None)
}

fn match_tail<'a>(s: &'a str, branch: Option<&'a str>) -> Option<Relative<'a>> {
    let word_end = s
        .char_indices()
        .find(|&(_, c)| !is_word(c))
        .map_or(s.len(), |(i, _)| i);
    // `(\w+)?` is greedy; a shorter word would leave a word character where the sign must be.
    let (symbol, rest) = if word_end > 0 {
        (Some(&s[..word_end]), &s[word_end..])
    } else {
        (None, s)
    };
    let sign = rest.chars().next().filter(|c| *c == '+' || *c == '-')?;
    let digits_len = rest[1..].chars().take_while(char::is_ascii_digit).count();
    if digits_len == 0 {
        return None;
    }
    let text = &rest[..1 + digits_len];
    let magnitude: i64 = rest[1..1 + digits_len].parse().unwrap_or(i64::MAX);
    let value = if sign == '-' { -magnitude } else { magnitude };
    Some(Relative {
        branch,
        symbol,
        text,
        value,
    })
}

/// `"L@x"` → `(Some("L"), "x")`, splitting at the first `@`; an empty `L` counts as none,
/// as it is falsy in Alembic.
pub(crate) fn split_branch(s: &str) -> (Option<&str>, &str) {
    match s.split_once('@') {
        Some((b, rest)) => ((!b.is_empty()).then_some(b), rest),
        None => (None, s),
    }
}

/// Splits a range `start:end` (history, `--sql`). Both sides may be empty.
///
/// # Examples
///
/// ```
/// assert_eq!(migrate_graph::parse_range("-2:current").unwrap(), ("-2", "current"));
/// assert!(migrate_graph::parse_range("head").is_err());
/// ```
pub fn parse_range(arg: &str) -> Result<(&str, &str), GraphError> {
    let trimmed = arg.trim();
    let mut parts = trimmed.split(':');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(start), Some(end), None) => Ok((start, end)),
        _ => Err(GraphError::InvalidRange {
            range: arg.to_owned(),
        }),
    }
}

mod resolve;
#[cfg(test)]
mod tests;

/// Python's `int(s)` for the strings Alembic feeds it (optional sign, ASCII digits,
/// surrounding whitespace and `_` separators ignored).
pub(crate) fn python_int(s: &str) -> Option<i64> {
    let t = s.trim();
    let (neg, digits) = match t.as_bytes().first()? {
        b'-' => (true, &t[1..]),
        b'+' => (false, &t[1..]),
        _ => (false, t),
    };
    if digits.is_empty()
        || digits.starts_with('_')
        || digits.ends_with('_')
        || digits.contains("__")
        || !digits.chars().all(|c| c.is_ascii_digit() || c == '_')
    {
        return None;
    }
    let v: i64 = digits.replace('_', "").parse().unwrap_or(i64::MAX);
    Some(if neg { -v } else { v })
}
