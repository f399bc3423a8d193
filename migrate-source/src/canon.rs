//! The canonical token stream behind the `v2:` checksum: what rustfmt may change at token level
//! is written one way only, so formatting a migration never changes its checksum.
//!
//! Comments and whitespace are not tokens, so they never mattered. What rustfmt (1.x, default
//! options, checked with the real tool over badly formatted files) changes *in the tokens*:
//!
//! 1. trailing commas before `)`, `]`, `}` and `>` (call and fn arguments, arrays, struct
//!    literals, generics, match arms; a where clause before the body), and before the `|`
//!    that closes closure parameters. Canonical: none. Except the comma of a one-element tuple,
//!    `(x,)`, which makes it a tuple: kept (a parenthesis group with a single trailing comma,
//!    not in call position).
//! 2. block braces around a match arm body (`=> { x }` ↔ `=> x,`, added when the body gets
//!    long, removed when it fits) and around a closure body (`|a| { a + 1 }` ↔ `|a| a + 1`).
//!    Canonical: unbraced, when the block holds one expression and nothing else (no `;`, no
//!    `let`, no item); the comma after an arm is always there.
//! 3. the leading `|` of a match arm's pattern: removed.
//! 4. nested parentheses around an expression: `((x))` → `(x)` (not a tuple inside, not
//!    call arguments: `f((x))` and `((a, b))` stay as they are, as rustfmt leaves them).
//! 5. the `;` after a final `return`, `break` or `continue` of a block: rustfmt adds it;
//!    canonical: none. Empty statements (`;;`): removed.
//! 6. doc comments (`#[doc = ".."]`, `///`) anywhere in the fn: documentation, not code.
//!
//! None of these rewrites makes two programs that compile and differ in behaviour hash alike:
//! each one maps only forms the Rust grammar gives the same meaning. Every other token counts,
//! so a changed literal, an added statement or a renamed identifier changes the checksum.

use std::borrow::Cow;

use proc_macro2::{Delimiter, TokenStream, TokenTree};

use crate::checksum::TokenHasher;

/// A token of a fn as the checksum sees it, from either reader (`proc-macro2`'s token trees
/// or the fast path's lexer); groups are flattened into `Open`/`Close` pairs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum CTok<'a> {
    Ident(Cow<'a, str>),
    Punct(char),
    /// A string literal, by value.
    Str(Cow<'a, str>),
    /// Any other literal, by its text.
    Lit(Cow<'a, str>),
    /// `(`, `[` or `{`.
    Open(char),
    /// The close of the group opened with this char.
    Close(char),
}

/// `stream` flattened (invisible groups are transparent, as in the legacy checksum).
pub(crate) fn flatten(stream: TokenStream, out: &mut Vec<CTok<'static>>) {
    for token in stream {
        match token {
            TokenTree::Group(group) => {
                let delimiter = match group.delimiter() {
                    Delimiter::Parenthesis => Some('('),
                    Delimiter::Brace => Some('{'),
                    Delimiter::Bracket => Some('['),
                    Delimiter::None => None,
                };
                if let Some(open) = delimiter {
                    out.push(CTok::Open(open));
                }
                flatten(group.stream(), out);
                if let Some(open) = delimiter {
                    out.push(CTok::Close(open));
                }
            }
            TokenTree::Ident(ident) => out.push(CTok::Ident(Cow::Owned(ident.to_string()))),
            TokenTree::Punct(punct) => out.push(CTok::Punct(punct.as_char())),
            TokenTree::Literal(literal) => out.push(literal_tok(literal)),
        }
    }
}

/// A literal token, classified the way syn does.
pub(crate) fn literal_tok(literal: proc_macro2::Literal) -> CTok<'static> {
    match syn::Lit::new(literal.clone()) {
        syn::Lit::Str(s) => CTok::Str(Cow::Owned(s.value())),
        _ => CTok::Lit(Cow::Owned(literal.to_string())),
    }
}

/// `toks` without its leading outer attributes (`#[...]`).
pub(crate) fn skip_outer_attrs<'t, 'a>(mut toks: &'t [CTok<'a>]) -> &'t [CTok<'a>] {
    while let [CTok::Punct('#'), CTok::Open('['), ..] = toks {
        match group_end(toks, 1) {
            Some(end) => toks = &toks[end + 1..],
            None => break,
        }
    }
    toks
}

/// The index of the `Close` matching the `Open` at `open`.
fn group_end(toks: &[CTok<'_>], open: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (i, tok) in toks.iter().enumerate().skip(open) {
        match tok {
            CTok::Open(_) => depth += 1,
            CTok::Close(_) => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// Feeds the canonical form of an item's tokens (after its outer attributes) to `hasher`.
pub(crate) fn feed_item(hasher: &mut TokenHasher, toks: &[CTok<'_>]) {
    let nodes = nodes(toks);
    Canon { hasher }.seq(&nodes, Kind::Top);
}

/// One element of a level: a token, or a whole group with its inner tokens.
#[derive(Clone, Copy)]
enum Node<'t, 'a> {
    Leaf(&'t CTok<'a>),
    Group(char, &'t [CTok<'a>]),
}

impl Node<'_, '_> {
    fn is_punct(&self, c: char) -> bool {
        matches!(self, Node::Leaf(CTok::Punct(p)) if *p == c)
    }

    fn is_ident(&self, word: &str) -> bool {
        matches!(self, Node::Leaf(CTok::Ident(i)) if i == word)
    }

    fn ident(&self) -> Option<&str> {
        match self {
            Node::Leaf(CTok::Ident(i)) => Some(i),
            _ => None,
        }
    }

    fn is_group(&self, open: char) -> bool {
        matches!(self, Node::Group(c, _) if *c == open)
    }
}

/// The elements of one level, doc attributes (`#[doc ..]`, `#![doc ..]`) left out.
fn nodes<'t, 'a>(toks: &'t [CTok<'a>]) -> Vec<Node<'t, 'a>> {
    let mut out: Vec<Node<'t, 'a>> = Vec::with_capacity(toks.len());
    let mut i = 0;
    while i < toks.len() {
        match &toks[i] {
            CTok::Open(c) => {
                let end = group_end(toks, i).unwrap_or(toks.len());
                out.push(Node::Group(*c, &toks[i + 1..end.min(toks.len())]));
                i = end + 1;
            }
            tok => {
                out.push(Node::Leaf(tok));
                i += 1;
            }
        }
        // A doc attribute just completed: `#` [`!`] `[doc ...]`.
        if let Some(Node::Group('[', inner)) = out.last() {
            if matches!(inner.first(), Some(CTok::Ident(d)) if d == "doc") {
                let len = out.len();
                let hash_at = match out.get(len.wrapping_sub(2)) {
                    Some(n) if n.is_punct('!') => len.checked_sub(3),
                    _ => len.checked_sub(2),
                };
                if let Some(at) = hash_at.filter(|&at| out[at].is_punct('#')) {
                    out.truncate(at);
                }
            }
        }
    }
    out
}

/// What kind of sequence a level is, which decides the rules that apply to its end.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// The item itself (signature and body group).
    Top,
    /// `(...)`; `call`: in call position (arguments, a tuple struct, a macro's input).
    Paren {
        call: bool,
    },
    Bracket,
    /// A block, a struct literal, a `use` list ...
    Brace,
    /// The arms of a `match`.
    Match,
    /// Part of a level (a pattern, an arm body, an unbraced block's content): no end rules.
    Inline,
}

/// Words after which `(` is not a call and `|` starts a closure.
const EXPR_KEYWORDS: &[&str] = &[
    "return", "in", "match", "if", "while", "let", "mut", "ref", "break", "yield", "move", "else",
    "as", "dyn", "impl", "for", "where", "box", "loop", "unsafe", "static", "const", "async",
    "type", "continue",
];

/// Words that start a statement or an item, never a lone expression.
const STATEMENT_KEYWORDS: &[&str] = &[
    "let",
    "fn",
    "struct",
    "enum",
    "use",
    "impl",
    "trait",
    "mod",
    "type",
    "static",
    "extern",
    "macro_rules",
];

struct Canon<'h> {
    hasher: &'h mut TokenHasher,
}

impl Canon<'_> {
    fn leaf(&mut self, tok: &CTok<'_>) {
        match tok {
            CTok::Ident(s) => self.hasher.ident(s),
            CTok::Punct(c) => self.hasher.punct(*c),
            CTok::Str(s) => self.hasher.str_value(s),
            CTok::Lit(s) => self.hasher.other_literal(s),
            CTok::Open(c) => self.hasher.open(*c),
            CTok::Close(c) => self.hasher.close(*c),
        }
    }

    fn group(&mut self, open: char, inner: &[CTok<'_>], kind: Kind) {
        self.hasher.open(open);
        self.seq(&nodes(inner), kind);
        self.hasher.close(open);
    }

    fn seq(&mut self, nodes: &[Node<'_, '_>], kind: Kind) {
        if kind == Kind::Match {
            return self.arms(nodes);
        }
        let cleaned;
        let nodes = if kind == Kind::Brace {
            cleaned = without_empty_statements(nodes);
            &cleaned[..]
        } else {
            nodes
        };
        let n = nodes.len();
        let commas = nodes.iter().filter(|n| n.is_punct(',')).count();
        let skip_semi = if kind == Kind::Brace {
            final_diverging_semi(nodes)
        } else {
            None
        };
        let mut pending_match = false;
        let mut i = 0;
        while i < n {
            let node = nodes[i];
            let prev = i.checked_sub(1).map(|p| nodes[p]);
            let before = i.checked_sub(2).map(|p| nodes[p]);
            match node {
                Node::Leaf(CTok::Punct(',')) => {
                    let drop = match nodes.get(i + 1) {
                        None => match kind {
                            Kind::Paren { call } => call || commas != 1,
                            Kind::Bracket | Kind::Brace => true,
                            _ => false,
                        },
                        Some(next) if next.is_punct('>') => true,
                        Some(next) => kind == Kind::Top && i + 2 == n && next.is_group('{'),
                    };
                    if !drop {
                        self.hasher.punct(',');
                    }
                }
                Node::Leaf(CTok::Punct(';')) if skip_semi == Some(i) => {}
                Node::Leaf(CTok::Punct('|')) if starts_expression(prev) => {
                    i = self.closure(nodes, i);
                    continue;
                }
                Node::Leaf(tok) => {
                    if node.is_ident("match") {
                        pending_match = true;
                    }
                    self.leaf(tok);
                }
                Node::Group('(', inner) => {
                    let call = call_position(prev, before);
                    let mut inner = inner;
                    if !call {
                        inner = unwrap_nested_parens(inner);
                    }
                    self.group('(', inner, Kind::Paren { call });
                }
                Node::Group('{', inner) if pending_match => {
                    pending_match = false;
                    self.group('{', inner, Kind::Match);
                }
                Node::Group('{', inner) => self.group('{', inner, Kind::Brace),
                Node::Group(open, inner) => self.group(open, inner, Kind::Bracket),
            }
            i += 1;
        }
    }

    /// The closure whose `|` is at `at`; returns the index of what follows what it consumed.
    fn closure(&mut self, nodes: &[Node<'_, '_>], at: usize) -> usize {
        let Some(close) = (at + 1..nodes.len()).find(|&k| nodes[k].is_punct('|')) else {
            self.hasher.punct('|');
            return at + 1;
        };
        let mut params = &nodes[at + 1..close];
        if params.last().is_some_and(|p| p.is_punct(',')) {
            params = &params[..params.len() - 1];
        }
        self.hasher.punct('|');
        self.seq(params, Kind::Inline);
        self.hasher.punct('|');
        let body = close + 1;
        if let Some(Node::Group('{', inner)) = nodes.get(body) {
            let ends = match nodes.get(body + 1) {
                None => true,
                Some(next) => next.is_punct(',') || next.is_punct(';'),
            };
            let content = self::nodes(inner);
            if ends && single_expression(&content) {
                self.seq(&content, Kind::Inline);
                return body + 1;
            }
        }
        body
    }

    fn arms(&mut self, nodes: &[Node<'_, '_>]) {
        let n = nodes.len();
        let mut i = 0;
        while i < n {
            if nodes[i].is_punct('|') {
                i += 1;
            }
            let arrow = (i..n.saturating_sub(1))
                .find(|&k| nodes[k].is_punct('=') && nodes[k + 1].is_punct('>'));
            let Some(arrow) = arrow else {
                self.seq(&nodes[i..], Kind::Inline);
                return;
            };
            self.seq(&nodes[i..arrow], Kind::Inline);
            self.hasher.punct('=');
            self.hasher.punct('>');
            let body = &nodes[arrow + 2..];
            let len = arm_body_len(body);
            let content = match &body[..len] {
                [Node::Group('{', inner)] => Some(self::nodes(inner)),
                _ => None,
            };
            match content {
                Some(content) if single_expression(&content) => self.seq(&content, Kind::Inline),
                _ => self.seq(&body[..len], Kind::Inline),
            }
            self.hasher.punct(',');
            i = arrow + 2 + len;
            if nodes.get(i).is_some_and(|n| n.is_punct(',')) {
                i += 1;
            }
        }
    }
}

/// `nodes` without the `;` of empty statements (one after another `;`, or first in a block).
fn without_empty_statements<'t, 'a>(nodes: &[Node<'t, 'a>]) -> Vec<Node<'t, 'a>> {
    let mut out: Vec<Node<'t, 'a>> = Vec::with_capacity(nodes.len());
    for node in nodes {
        let empty = node.is_punct(';') && out.last().is_none_or(|last| last.is_punct(';'));
        if !empty {
            out.push(*node);
        }
    }
    out
}

/// The index of the block's last `;` when it ends a `return`, `break` or `continue`
/// statement (which rustfmt writes with the `;`).
fn final_diverging_semi(nodes: &[Node<'_, '_>]) -> Option<usize> {
    let last = nodes.len().checked_sub(1)?;
    if !nodes[last].is_punct(';') {
        return None;
    }
    let start = nodes[..last]
        .iter()
        .rposition(|n| n.is_punct(';'))
        .map_or(0, |p| p + 1);
    let diverges = (start..last).any(|s| {
        matches!(nodes[s].ident(), Some("return" | "break" | "continue"))
            && (s == start || nodes[s - 1].is_group('{'))
    });
    diverges.then_some(last)
}

/// Whether a `|` after `prev` opens closure parameters (rather than being an operator).
fn starts_expression(prev: Option<Node<'_, '_>>) -> bool {
    match prev {
        None => true,
        // Not after `?` (`a? | b`) nor after `|` (the second of `a || b`).
        Some(Node::Leaf(CTok::Punct(c))) => *c != '?' && *c != '|',
        Some(Node::Leaf(CTok::Ident(word))) => EXPR_KEYWORDS.contains(&&**word),
        _ => false,
    }
}

/// Whether a `(` after `prev` (itself after `before`) holds arguments rather than an
/// expression: after a name, a call's result, an index, a macro's `!`, generics' `>`.
fn call_position(prev: Option<Node<'_, '_>>, before: Option<Node<'_, '_>>) -> bool {
    match prev {
        Some(Node::Leaf(CTok::Ident(word))) => !EXPR_KEYWORDS.contains(&&**word),
        Some(Node::Group(open, _)) => open == '(' || open == '[',
        Some(Node::Leaf(CTok::Punct('!'))) => matches!(before, Some(Node::Leaf(CTok::Ident(_)))),
        Some(Node::Leaf(CTok::Punct('>'))) => {
            !matches!(before, Some(Node::Leaf(CTok::Punct('-' | '='))))
        }
        _ => false,
    }
}

/// `((x))` → `(x)`: the inner tokens of the outermost parenthesis group that is not just
/// another parenthesized expression.
fn unwrap_nested_parens<'t, 'a>(mut inner: &'t [CTok<'a>]) -> &'t [CTok<'a>] {
    loop {
        let [CTok::Open('('), .., CTok::Close('(')] = inner else {
            return inner;
        };
        if group_end(inner, 0) != Some(inner.len() - 1) {
            return inner;
        }
        let nested = &inner[1..inner.len() - 1];
        // A tuple inside (`((a, b))`) keeps its parentheses, as rustfmt does.
        if nodes(nested).iter().any(|n| n.is_punct(',')) {
            return inner;
        }
        inner = nested;
    }
}

/// Whether a block holding `content` holds one expression and nothing else, so that
/// `{ content }` and `content` mean the same as an arm or closure body.
fn single_expression(content: &[Node<'_, '_>]) -> bool {
    let Some(first) = content.first() else {
        return false;
    };
    if first.is_punct('#')
        || first
            .ident()
            .is_some_and(|w| STATEMENT_KEYWORDS.contains(&w))
    {
        return false;
    }
    !content.iter().any(|n| n.is_punct(';')) && arm_body_len(content) == content.len()
}

/// How many nodes of `body` (what follows `=>`) the arm body takes, as the Rust parser reads
/// it: a block-like expression ends the arm at its last block (unless a method call or `?`
/// follows it); anything else runs to the next `,`.
fn arm_body_len(body: &[Node<'_, '_>]) -> usize {
    let to_comma = |from: usize| next_comma(body, from);
    match block_like_end(body) {
        Some(end)
            if body
                .get(end)
                .is_some_and(|n| n.is_punct('.') || n.is_punct('?')) =>
        {
            to_comma(end)
        }
        Some(end) => end,
        None => to_comma(0),
    }
}

/// The index of the first `,` from `from` that ends an expression: not one between closure
/// parameters (`|a, b|`) or generic arguments (`::<A, B>`); `body.len()` when there is none.
fn next_comma(body: &[Node<'_, '_>], from: usize) -> usize {
    let mut k = from;
    let mut angles = 0usize;
    while k < body.len() {
        let node = body[k];
        let prev = k.checked_sub(1).map(|p| body[p]);
        let turbofish = k >= 2 && body[k - 1].is_punct(':') && body[k - 2].is_punct(':');
        if node.is_punct(',') && angles == 0 {
            return k;
        }
        if node.is_punct('|') && angles == 0 && starts_expression(prev) {
            // Past the parameters, to the closing `|`.
            k = (k + 1..body.len())
                .find(|&j| body[j].is_punct('|'))
                .unwrap_or(body.len());
        } else if node.is_punct('<') && (turbofish || angles > 0) {
            angles += 1;
        } else if node.is_punct('>') && angles > 0 && !prev.is_some_and(|p| p.is_punct('-')) {
            angles -= 1;
        }
        k += 1;
    }
    body.len()
}

/// The end of the block-like expression `body` starts with, if it starts with one.
fn block_like_end(body: &[Node<'_, '_>]) -> Option<usize> {
    let brace_from = |from: usize| {
        (from..body.len())
            .find(|&k| body[k].is_group('{'))
            .map(|k| k + 1)
    };
    let first = body.first()?;
    if first.is_group('{') {
        return Some(1);
    }
    match first.ident()? {
        "unsafe" | "loop" | "async" | "const" | "try" => brace_from(1),
        "while" | "match" => brace_from(condition_start(body, 1)),
        "for" => brace_from((1..body.len()).find(|&k| body[k].is_ident("in"))?),
        "if" => {
            let mut end = brace_from(condition_start(body, 1))?;
            while body.get(end).is_some_and(|n| n.is_ident("else")) {
                if body.get(end + 1).is_some_and(|n| n.is_ident("if")) {
                    end = brace_from(condition_start(body, end + 2))?;
                } else if body.get(end + 1).is_some_and(|n| n.is_group('{')) {
                    end += 2;
                    break;
                } else {
                    return None;
                }
            }
            Some(end)
        }
        _ => None,
    }
}

/// Where a condition's expression starts: after `let PATTERN =` (a pattern may hold braces,
/// `if let S { a } = s {`), else at `from`.
fn condition_start(body: &[Node<'_, '_>], from: usize) -> usize {
    if !body.get(from).is_some_and(|n| n.is_ident("let")) {
        return from;
    }
    (from + 1..body.len())
        .find(|&k| {
            body[k].is_punct('=')
                && !body
                    .get(k + 1)
                    .is_some_and(|n| n.is_punct('=') || n.is_punct('>'))
                && !body[k - 1].is_punct('.')
                && !body[k - 1].is_punct('=')
                && !body[k - 1].is_punct('!')
                && !body[k - 1].is_punct('<')
                && !body[k - 1].is_punct('>')
        })
        .map_or(from, |k| k + 1)
}
