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

use crate::canon::CTok;
use crate::checksum::TokenHasher;
use crate::scan::Found;
use crate::schema::{Args, Given, Key, Shape, Value};
use crate::SourceMigration;

/// Reads the item starting at `text` (its first doc comment or attribute line).
pub(crate) fn read(file: &Path, line: u32, text: &str, file_text: &str) -> Option<SourceMigration> {
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
    Some(crate::scan::source_migration(
        &args,
        Found {
            file,
            line,
            fn_name: (*fn_name).to_owned(),
            docs: || doc_message(&docs),
            legacy_checksum: checksum(body)?,
            upgrade: ctoks(body)?,
            file_text,
            returns: return_type(&body[fn_at..])?,
        },
    ))
}

/// The tokens between `->` and the body's `{` of the fn starting at `sig[0]` (`fn`), with no
/// space between them; empty without `->`. `None` (the long way) for a `where` clause or a
/// token this reader can't spell.
fn return_type(sig: &[Tok<'_>]) -> Option<String> {
    let arrow = sig
        .windows(2)
        .position(|w| w == [Tok::Punct('-'), Tok::Punct('>')]);
    let Some(arrow) = arrow else {
        return Some(String::new());
    };
    let mut out = String::new();
    for tok in &sig[arrow + 2..] {
        match tok {
            Tok::Open('{') => return Some(out),
            Tok::Ident("where") => return None,
            Tok::Ident(text) | Tok::Lit(text) => out.push_str(text),
            Tok::Punct(c) | Tok::Open(c) => out.push(*c),
            Tok::Close(c) => out.push(match c {
                '(' => ')',
                '[' => ']',
                _ => '}',
            }),
            Tok::Doc { .. } => return None,
        }
    }
    None
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

type FastValue<'a> = Value<&'a str, String, bool>;

/// `key = value, ...` in the forms `migrate revision` writes; `None` for anything else
/// (including every error: the syn path then reports it).
fn parse_args<'a>(mut toks: &[Tok<'a>]) -> Option<Args<&'a str, String, bool>> {
    let mut given = Given::new();
    while let [Tok::Ident(name), Tok::Punct('='), rest @ ..] = toks {
        let key = Key::lookup(name)?;
        if !given.first(key) {
            return None;
        }
        let (value, consumed) = value_of(key.spec().shape, rest)?;
        given.set(key, value);
        toks = &rest[consumed..];
        match toks {
            [] => break,
            [Tok::Punct(','), rest @ ..] => toks = rest,
            _ => return None,
        }
    }
    if !toks.is_empty() {
        return None;
    }
    Args::from_given(given)
}

/// A value of `shape` at the start of `toks`, and the tokens it used.
fn value_of<'a>(shape: Shape, toks: &[Tok<'a>]) -> Option<(FastValue<'a>, usize)> {
    match shape {
        Shape::Str => value_str(toks).map(|(v, n)| (Value::Str(v), n)),
        Shape::StrOrList => value_list(toks).map(|(v, n)| (Value::List(v), n)),
        Shape::StrOrListOrNone => match toks.first()? {
            Tok::Ident("None") => Some((Value::List(Vec::new()), 1)),
            _ => value_list(toks).map(|(v, n)| (Value::List(v), n)),
        },
        Shape::Path => value_path(toks).map(|(v, n)| (Value::Path(v), n)),
        Shape::Bool => match toks.first()? {
            Tok::Ident("true") => Some((Value::Bool(true), 1)),
            Tok::Ident("false") => Some((Value::Bool(false), 1)),
            _ => None,
        },
    }
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
            Tok::Ident(s) if !NOT_PATH_SEGMENTS.contains(s) => segments.push(*s),
            _ => return None,
        }
        at += 1;
        match toks.get(at..at + 2) {
            Some([Tok::Punct(':'), Tok::Punct(':')]) => at += 2,
            _ => break,
        }
    }
    Some((segments.join("::"), at))
}

/// Words the lexer returns as identifiers that syn does not read as a path segment (`true`
/// is a literal, `fn` starts an item): the syn path rejects them, so this one must too.
/// (`None` is an ordinary path to both.)
const NOT_PATH_SEGMENTS: &[&str] = &[
    "true", "false", "as", "async", "await", "break", "const", "continue", "dyn", "else", "enum",
    "extern", "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub",
    "ref", "return", "static", "struct", "trait", "type", "unsafe", "use", "where", "while",
    "abstract", "become", "box", "do", "final", "macro", "override", "priv", "typeof", "unsized",
    "virtual", "yield", "try", "gen", "_",
];

fn doc_message(docs: &[&str]) -> String {
    crate::attr::doc_text(docs.iter().copied())
}

/// The same bytes as [`crate::legacy_checksum`] on the compiler's tokens for `body` (the item after
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

/// The tokens of the top-level fn `name` of `text`, from `fn` to the end of its body (see
/// `downgrade::find_fn`): `Some(None)` when there is none, `None` when this lexer can't read
/// the file.
pub(crate) fn find_fn<'a>(text: &'a str, name: &str) -> Option<Option<Vec<CTok<'a>>>> {
    let mut lexer = Lexer::new(text);
    let mut depth = 0usize;
    let mut prev_fn = false;
    // The fn being read, once `fn name` was seen at the top level.
    let mut item: Option<Vec<CTok<'a>>> = None;
    while let Some(tok) = lexer.next_tok().ok()? {
        match tok {
            Tok::Open(_) => depth += 1,
            Tok::Close(_) => depth = depth.checked_sub(1)?,
            _ => {}
        }
        if let Some(out) = item.as_mut() {
            if depth == 0 && tok == Tok::Punct(';') {
                // A declaration without a body: not it.
                item = None;
                continue;
            }
            push_ctok(out, tok).ok()?;
            if depth == 0 && tok == Tok::Close('{') {
                return Some(item);
            }
            continue;
        }
        if prev_fn && depth == 0 && tok == Tok::Ident(name) {
            item = Some(vec![
                CTok::Ident("fn".into()),
                CTok::Ident(name.to_owned().into()),
            ]);
        }
        prev_fn = depth == 0 && tok == Tok::Ident("fn");
    }
    Some(None)
}

/// `tok` as the checksum sees it (doc comments are not part of it).
fn push_ctok<'a>(out: &mut Vec<CTok<'a>>, tok: Tok<'a>) -> Result<(), lex::Bail> {
    out.push(match tok {
        Tok::Ident(s) => CTok::Ident(s.into()),
        Tok::Punct(c) => CTok::Punct(c),
        Tok::Open(c) => CTok::Open(c),
        Tok::Close(c) => CTok::Close(c),
        Tok::Lit(text) => match plain_str(text) {
            Some(value) => CTok::Str(value.into()),
            None => crate::canon::literal_tok(text.parse().map_err(|_| lex::Bail)?),
        },
        Tok::Doc { .. } => return Ok(()),
    });
    Ok(())
}

/// The item's tokens for the v2 checksum.
fn ctoks<'a>(body: &[Tok<'a>]) -> Option<Vec<CTok<'a>>> {
    let mut out = Vec::with_capacity(body.len());
    for tok in body {
        push_ctok(&mut out, *tok).ok()?;
    }
    Some(out)
}
