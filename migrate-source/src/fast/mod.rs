//! The scanner's fast path: reads a `#[migration]` item written the ordinary way without
//! `proc-macro2` or syn, and gives up on anything else.
//!
//! Building token trees and syn nodes costs far more than reading the file; a folder of
//! 10,000 migrations must be read in tens of milliseconds. This path accepts a strict subset
//! of what the syn path accepts (string-literal values, lists of them, `None`, booleans,
//! paths; each key once) and must produce exactly the same [`SourceMigration`]: the
//! `fast_and_syn_paths_agree` tests hold it to that. Whenever it returns `None`, the syn path
//! (the definition, and the one with the error messages) runs instead.

mod lex;

use std::path::Path;

use lex::{Lexer, Tok};

use crate::checksum::TokenHasher;
use crate::SourceMigration;

/// Reads the item starting at `text` (its first doc comment or attribute line).
pub(crate) fn read(file: &Path, line: u32, text: &str) -> Option<SourceMigration> {
    let toks = item_tokens(text)?;
    let mut at = 0;
    let mut docs = Vec::new();
    let mut args = None;
    // Leading attributes and doc comments.
    loop {
        match toks.get(at)? {
            Tok::Doc { inner: false, text } => {
                docs.push(*text);
                at += 1;
            }
            Tok::Punct('#') => {
                let end = matching(&toks, at + 1)?;
                let inside = &toks[at + 2..end];
                match inside {
                    [Tok::Ident("migration"), Tok::Open('('), rest @ .., Tok::Close('(')]
                    | [Tok::Ident("migrate_core"), Tok::Punct(':'), Tok::Punct(':'), Tok::Ident("migration"), Tok::Open('('), rest @ .., Tok::Close('(')] =>
                    {
                        if args.is_some() {
                            return None;
                        }
                        args = Some(rest);
                    }
                    // `#[doc = ..]` and other spellings of docs take the long way.
                    [Tok::Ident("doc"), ..] => return None,
                    _ => {}
                }
                at = end + 1;
            }
            _ => break,
        }
    }
    let args = parse_args(args?)?;
    let body = &toks[at..];
    let fn_at = body.iter().position(|t| *t == Tok::Ident("fn"))?;
    let Some(Tok::Ident(fn_name)) = body.get(fn_at + 1) else {
        return None;
    };
    let message = match args.message {
        Some(m) => m.to_owned(),
        None => doc_message(&docs),
    };
    Some(SourceMigration {
        file: file.to_path_buf(),
        line,
        fn_name: (*fn_name).to_owned(),
        rev: args.rev?.to_owned(),
        down_revs: owned(&args.down_revs),
        depends_on: owned(&args.depends_on),
        branch_labels: owned(&args.branch_labels),
        message,
        checksum: checksum(body)?,
        transactional: args.transactional.unwrap_or(true),
        downgrade: args.downgrade,
    })
}

/// How many `{` blocks `text` opens minus how many it closes; `None` when this lexer can't
/// read it (then nothing is claimed about nesting).
pub(crate) fn block_delta(text: &str) -> Option<isize> {
    let mut lexer = Lexer::new(text);
    let mut delta = 0isize;
    while let Some(tok) = lexer.next_tok().ok()? {
        match tok {
            Tok::Open('{') => delta += 1,
            Tok::Close('{') => delta -= 1,
            _ => {}
        }
    }
    Some(delta)
}

fn owned(v: &Option<Vec<&str>>) -> Vec<String> {
    v.iter().flatten().map(|s| (*s).to_owned()).collect()
}

/// Tokens from the start up to the end of the first `{...}` after `fn`.
fn item_tokens(text: &str) -> Option<Vec<Tok<'_>>> {
    let mut lexer = Lexer::new(text);
    let mut toks = Vec::with_capacity(128);
    let mut stack = Vec::new();
    let mut saw_fn = false;
    while let Some(tok) = lexer.next_tok().ok()? {
        match tok {
            Tok::Open(c) => stack.push(c),
            // The pop happens for every `Close`; a mismatch gives up.
            Tok::Close(c) if stack.pop()? != c => return None,
            Tok::Ident("fn") if stack.is_empty() => saw_fn = true,
            Tok::Punct(';') if stack.is_empty() => return None,
            _ => {}
        }
        toks.push(tok);
        if stack.is_empty() && matches!(tok, Tok::Close('{')) {
            return saw_fn.then_some(toks);
        }
    }
    None
}

/// The index of the `Close` matching the `Open` at `open`.
fn matching(toks: &[Tok<'_>], open: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (i, tok) in toks.iter().enumerate().skip(open) {
        match tok {
            Tok::Open(_) => depth += 1,
            Tok::Close(_) => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ if depth == 0 => return None,
            _ => {}
        }
    }
    None
}

#[derive(Default)]
struct Args<'a> {
    rev: Option<&'a str>,
    down_revs: Option<Vec<&'a str>>,
    branch_labels: Option<Vec<&'a str>>,
    depends_on: Option<Vec<&'a str>>,
    downgrade: Option<String>,
    transactional: Option<bool>,
    message: Option<&'a str>,
    krate: bool,
}

/// `key = value, ...` in the forms `migrate revision` writes; `None` for anything else.
fn parse_args<'a>(mut toks: &[Tok<'a>]) -> Option<Args<'a>> {
    let mut args = Args::default();
    while let [Tok::Ident(key), Tok::Punct('='), rest @ ..] = toks {
        let (consumed, fresh) = match *key {
            "rev" => value_str(rest).map(|(v, n)| (n, args.rev.replace(v).is_none()))?,
            "message" => value_str(rest).map(|(v, n)| (n, args.message.replace(v).is_none()))?,
            "down_rev" => {
                let (v, n) = match rest.first()? {
                    Tok::Ident("None") => (Vec::new(), 1),
                    _ => value_list(rest)?,
                };
                (n, args.down_revs.replace(v).is_none())
            }
            "branch_labels" => {
                value_list(rest).map(|(v, n)| (n, args.branch_labels.replace(v).is_none()))?
            }
            "depends_on" => {
                value_list(rest).map(|(v, n)| (n, args.depends_on.replace(v).is_none()))?
            }
            "transactional" => match rest.first()? {
                Tok::Ident("true") => (1, args.transactional.replace(true).is_none()),
                Tok::Ident("false") => (1, args.transactional.replace(false).is_none()),
                _ => return None,
            },
            "downgrade" => {
                value_path(rest).map(|(v, n)| (n, args.downgrade.replace(v).is_none()))?
            }
            "crate" => {
                value_path(rest).map(|(_, n)| (n, !std::mem::replace(&mut args.krate, true)))?
            }
            _ => return None,
        };
        if !fresh {
            return None;
        }
        toks = &rest[consumed..];
        match toks {
            [] => break,
            [Tok::Punct(','), rest @ ..] => toks = rest,
            _ => return None,
        }
    }
    (toks.is_empty() && args.rev.is_some()).then_some(args)
}

/// A string literal with no escapes (so its value is its text), and the tokens it used.
fn value_str<'a>(toks: &[Tok<'a>]) -> Option<(&'a str, usize)> {
    match toks.first()? {
        Tok::Lit(text) => Some((plain_str(text)?, 1)),
        _ => None,
    }
}

/// The value of `"..."` or `r#"..."#` when it needs no unescaping.
fn plain_str(text: &str) -> Option<&str> {
    if let Some(inner) = text.strip_prefix('"').and_then(|t| t.strip_suffix('"')) {
        return (!inner.contains('\\')).then_some(inner);
    }
    let raw = text.strip_prefix('r')?;
    let hashes = raw.bytes().take_while(|&b| b == b'#').count();
    raw.get(hashes + 1..raw.len().checked_sub(hashes + 1)?)
}

/// `"a"` or `["a", "b"]` (trailing comma allowed).
fn value_list<'a>(toks: &[Tok<'a>]) -> Option<(Vec<&'a str>, usize)> {
    if let Some((v, n)) = value_str(toks) {
        return Some((vec![v], n));
    }
    let end = matching(toks, 0)?;
    if toks[0] != Tok::Open('[') {
        return None;
    }
    let mut out = Vec::new();
    let mut inner = &toks[1..end];
    while let Some((v, _)) = value_str(inner) {
        out.push(v);
        inner = match &inner[1..] {
            [Tok::Punct(','), rest @ ..] => rest,
            [] => &[],
            _ => return None,
        };
    }
    inner.is_empty().then_some((out, end + 1))
}

/// `a::b::c` (optionally `::a`), as the syn path renders it: segments joined by `::`.
fn value_path(toks: &[Tok<'_>]) -> Option<(String, usize)> {
    let mut at = 0;
    let mut segments = Vec::new();
    if let [Tok::Punct(':'), Tok::Punct(':'), ..] = toks {
        at = 2;
    }
    loop {
        match toks.get(at)? {
            Tok::Ident(s) => segments.push(*s),
            _ => return None,
        }
        at += 1;
        match toks.get(at..at + 2) {
            Some([Tok::Punct(':'), Tok::Punct(':')]) => at += 2,
            _ => break,
        }
    }
    // `None`, `true`... are paths to syn too, but not to the keys that take one.
    Some((segments.join("::"), at))
}

fn doc_message(docs: &[&str]) -> String {
    crate::attr::doc_text(docs.iter().copied())
}

/// The same bytes as [`crate::checksum`] on the compiler's tokens for `body` (the item after
/// its outer attributes).
fn checksum(body: &[Tok<'_>]) -> Option<String> {
    let mut hasher = TokenHasher::default();
    for tok in body {
        match *tok {
            Tok::Ident(s) => hasher.ident(s),
            Tok::Punct(c) => hasher.punct(c),
            Tok::Open(c) => hasher.open(c),
            Tok::Close(c) => hasher.close(c),
            Tok::Lit(text) => match plain_str(text) {
                Some(value) => hasher.str_value(value),
                None => hasher.literal(text.parse().ok()?),
            },
            Tok::Doc { inner, text } => {
                hasher.punct('#');
                if inner {
                    hasher.punct('!');
                }
                hasher.open('[');
                hasher.ident("doc");
                hasher.punct('=');
                hasher.str_value(text);
                hasher.close('[');
            }
        }
    }
    Some(hasher.finish())
}
