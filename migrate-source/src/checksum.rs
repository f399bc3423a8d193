//! The checksum of a migration fn: what `migrate check` compares to detect an applied
//! migration that was edited.
//!
//! Two schemes, told apart by the stored value itself:
//!
//! - **v2** (current, [`checksum`]): `v2:` then the sha256 of the canonical token stream
//!   (see `canon.rs`: trailing commas, braces rustfmt adds or removes, nested parentheses,
//!   doc comments), followed by the `downgrade = path` and, when that path names a fn of the
//!   same file, that fn's canonical tokens. `cargo fmt` never changes it; an edit to the
//!   downgrade fn does.
//! - **legacy** ([`legacy_checksum`]): 64 hex digits, the sha256 of the upgrade fn's tokens as
//!   written. History rows written before v2 hold it; the runtime compares such a row with
//!   the legacy value, which every generated `Migration` still carries.

use proc_macro2::{Delimiter, TokenStream, TokenTree};
use sha2::{Digest, Sha256};

use crate::canon::{self, CTok};

/// The prefix of a checksum of the current scheme (see [`checksum`]); a stored value without
/// it is a legacy one (see [`legacy_checksum`]).
pub const CHECKSUM_SCHEME: &str = "v2:";

/// The `downgrade = path` of a migration, as the checksum covers it.
#[derive(Debug, Clone, Copy)]
pub struct Downgrade<'a> {
    /// The path as written, segments joined by `::` (what `SourceMigration::downgrade` holds).
    pub path: &'a str,
    /// The text of the file the migration is written in, where a fn named by a one-segment
    /// path (`down` or `self::down`) is looked for. `None` when there is no such file (the
    /// tokens came from another macro): the path alone is hashed.
    pub file: Option<&'a str>,
}

/// The checksum of a migration: `v2:` and the sha256 (lower-case hex) of its canonical tokens.
///
/// `item` is the upgrade fn item's tokens, with or without its outer attributes: the leading
/// attributes (doc comment, `#[migration]` itself, lints) are skipped, so editing the message
/// or the down_rev does not change the checksum, while any change to the signature or body
/// does, except the token changes rustfmt makes (see the module `canon`): formatting with
/// `cargo fmt`, and editing comments, doc comments or whitespace, never change it.
///
/// With `downgrade`, the path is hashed too and, when it names a fn at the top level of
/// `downgrade.file` (a one-segment path, or `self::name`), so is that fn, from `fn` to the end
/// of its body. A downgrade fn in another module or file can't be read: only its path counts.
///
/// The hash walks the token tree (ident text, punct chars, literal text, group delimiters),
/// never `TokenStream::to_string()`, whose spacing differs between the compiler and
/// `proc-macro2`'s own lexer: the proc macro and the CLI reading the file get the same value.
/// String literals are hashed by value, so `r"x"` and `"x"` agree.
///
/// # Examples
///
/// ```
/// let a = migrate_source::checksum(quote::quote!(fn up(op: &mut Op) -> Result<()> { Ok(()) }), None);
/// let b: proc_macro2::TokenStream =
///     "/// docs\n#[migration(rev = \"x\")]\nfn up(op:&mut Op,)->Result<()>{Ok(())}".parse().unwrap();
/// assert_eq!(a, migrate_source::checksum(b, None));
/// assert!(a.starts_with(migrate_source::CHECKSUM_SCHEME));
/// ```
pub fn checksum(item: TokenStream, downgrade: Option<Downgrade<'_>>) -> String {
    let mut toks = Vec::new();
    canon::flatten(item, &mut toks);
    checksum_of(canon::skip_outer_attrs(&toks), downgrade)
}

/// [`checksum`] of an item's tokens already past its outer attributes.
pub(crate) fn checksum_of(upgrade: &[CTok<'_>], downgrade: Option<Downgrade<'_>>) -> String {
    let mut hasher = TokenHasher::default();
    hasher.0.update(b"migrate checksum v2\n");
    canon::feed_item(&mut hasher, upgrade);
    match downgrade {
        None => hasher.tagged(b'N', b""),
        Some(Downgrade { path, file }) => {
            hasher.tagged(b'D', path.as_bytes());
            let name = path.strip_prefix("self::").unwrap_or(path);
            let found = file
                .filter(|_| !name.contains("::"))
                .and_then(|text| crate::downgrade::find_fn(text, name));
            match found {
                Some(toks) => {
                    hasher.tagged(b'F', b"");
                    canon::feed_item(&mut hasher, &toks);
                }
                None => hasher.tagged(b'U', b""),
            }
        }
    }
    format!("{CHECKSUM_SCHEME}{}", hasher.finish())
}

/// The legacy (pre-v2) checksum: the sha256 (lower-case hex, no prefix) of the upgrade fn's
/// tokens as written, outer attributes skipped. Kept so that history rows written with it
/// still validate; it changes when rustfmt adds a trailing comma, and never covers the
/// downgrade. Never change it: databases hold these values.
///
/// # Examples
///
/// ```
/// let a = migrate_source::legacy_checksum(quote::quote!(fn up(op: &mut Op) -> Result<()> { Ok(()) }));
/// let b: proc_macro2::TokenStream =
///     "/// docs\n#[migration(rev = \"x\")]\nfn up(op:&mut Op)->Result<()>{Ok(())}".parse().unwrap();
/// assert_eq!(a, migrate_source::legacy_checksum(b));
/// assert_eq!(a.len(), 64);
/// ```
pub fn legacy_checksum(item: TokenStream) -> String {
    let mut hasher = TokenHasher::default();
    let mut tokens = item.into_iter().peekable();
    // Skip outer attributes: `#` followed by a bracket group.
    loop {
        match tokens.peek() {
            Some(TokenTree::Punct(p)) if p.as_char() == '#' => {
                let _hash = tokens.next();
                if let Some(TokenTree::Group(g)) = tokens.peek() {
                    if g.delimiter() == Delimiter::Bracket {
                        tokens.next();
                        continue;
                    }
                }
                // A lone `#` is not an attribute: hash it like any other token.
                hasher.punct('#');
                break;
            }
            _ => break,
        }
    }
    for token in tokens {
        feed(&mut hasher, token);
    }
    hasher.finish()
}

fn feed(hasher: &mut TokenHasher, token: TokenTree) {
    match token {
        TokenTree::Group(group) => {
            // Invisible groups (from macro_rules! substitutions) are transparent.
            let delimiter = delimiter_char(group.delimiter());
            if let Some(open) = delimiter {
                hasher.open(open);
            }
            for inner in group.stream() {
                feed(hasher, inner);
            }
            if let Some(open) = delimiter {
                hasher.close(open);
            }
        }
        TokenTree::Ident(ident) => hasher.ident(&ident.to_string()),
        TokenTree::Punct(punct) => hasher.punct(punct.as_char()),
        TokenTree::Literal(literal) => hasher.literal(literal),
    }
}

fn delimiter_char(delimiter: Delimiter) -> Option<char> {
    match delimiter {
        Delimiter::Parenthesis => Some('('),
        Delimiter::Brace => Some('{'),
        Delimiter::Bracket => Some('['),
        Delimiter::None => None,
    }
}

/// The checksum's encoding of a token sequence, shared by the token-tree walk above and the
/// scanner's fast path (`fast.rs`), so both produce the same bytes by construction.
#[derive(Default)]
pub(crate) struct TokenHasher(Sha256);

impl TokenHasher {
    /// An opening delimiter: `(`, `[` or `{`.
    pub(crate) fn open(&mut self, open: char) {
        self.tagged(b'o', &[open as u8]);
    }

    /// The closing delimiter matching `open`.
    pub(crate) fn close(&mut self, open: char) {
        self.tagged(b'c', &[open as u8]);
    }

    pub(crate) fn ident(&mut self, text: &str) {
        self.tagged(b'i', text.as_bytes());
    }

    pub(crate) fn punct(&mut self, c: char) {
        let mut buf = [0u8; 4];
        self.tagged(b'p', c.encode_utf8(&mut buf).as_bytes());
    }

    /// A string literal, by value: `r"x"` and `"x"` hash alike.
    pub(crate) fn str_value(&mut self, value: &str) {
        use std::fmt::Write as _;
        self.0.update(b"s");
        // Writing into a `Sha256` cannot fail.
        let _ = write!(Sink(&mut self.0), "{value:?}");
        self.0.update(b" ");
    }

    /// Any other literal, by its text.
    pub(crate) fn other_literal(&mut self, text: &str) {
        self.tagged(b'l', text.as_bytes());
    }

    /// A literal token, classified the way syn does.
    pub(crate) fn literal(&mut self, literal: proc_macro2::Literal) {
        match syn::Lit::new(literal.clone()) {
            syn::Lit::Str(s) => self.str_value(&s.value()),
            _ => self.other_literal(&literal.to_string()),
        }
    }

    pub(crate) fn tagged(&mut self, tag: u8, bytes: &[u8]) {
        self.0.update([tag]);
        self.0.update(bytes);
        self.0.update(b" ");
    }

    pub(crate) fn finish(self) -> String {
        hex(&self.0.finalize())
    }
}

/// Formats straight into the hash, without an intermediate `String`.
struct Sink<'a>(&'a mut Sha256);

impl std::fmt::Write for Sink<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.0.update(s.as_bytes());
        Ok(())
    }
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0xf)]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sum(text: &str) -> String {
        legacy_checksum(text.parse().unwrap())
    }

    #[test]
    fn spacing_and_comments_do_not_matter() {
        assert_eq!(
            sum("pub fn up(op: &mut Op) -> Result<()> { op.execute(\"x\")?; Ok(()) }"),
            sum("pub fn up( op : & mut Op )->Result<()>{\n  // note\n  op.execute(\"x\") ?;\n  Ok(())\n}"),
        );
    }

    #[test]
    fn attributes_and_docs_do_not_matter() {
        assert_eq!(
            sum("/// one\n#[migration(rev = \"a\")] fn up() {}"),
            sum(
                "/// two\n#[migration(rev = \"b\", down_rev = \"a\")]\n#[allow(unused)] fn up() {}"
            ),
        );
    }

    #[test]
    fn body_edits_change_it() {
        assert_ne!(sum("fn up() { a(\"x\") }"), sum("fn up() { a(\"y\") }"));
        assert_ne!(sum("fn up() { a(1) }"), sum("fn up() { a[1] }"));
        assert_ne!(sum("fn up() { a(1) }"), sum("pub fn up() { a(1) }"));
    }

    #[test]
    fn raw_and_escaped_strings_agree() {
        assert_eq!(sum("fn up() { a(r\"q\") }"), sum("fn up() { a(\"q\") }"));
    }

    /// Databases hold these values (the history table, `migrate check`): a change to the
    /// encoding would make every applied migration look edited. Pinned on both readers.
    #[test]
    fn encoding_is_pinned() {
        let file = "/// Create users.\n#[migration(rev = \"a1\", down_rev = None)]\npub fn upgrade(op: &mut Op) -> Result<()> {\n    op.execute(r#\"CREATE TABLE \"u\" (id INT)\"#)?;\n    let _ = ('x', 0x1F_u8, b\"b\");\n    Ok(())\n}\n";
        let pinned = "783c944a45a4ef62db83aa5e165516a344a802072a00baa2320010c21390754e";
        assert_eq!(sum(file), pinned);
        let scan = crate::scan_source(std::path::Path::new("0001_a1.rs"), file);
        assert_eq!(scan.migrations[0].legacy_checksum, pinned);
        assert!(crate::fast::read(std::path::Path::new("0001_a1.rs"), 2, file, file).is_some());
    }

    /// The v2 values are pinned the same way: a change to `canon.rs` that moves them would
    /// make every migration applied with v2 look edited. Pinned on both readers and on the
    /// item tokens, with a downgrade fn in the file.
    #[test]
    fn v2_encoding_is_pinned() {
        let file = "/// Create users.\n#[migration(rev = \"a1\", downgrade = down)]\npub fn upgrade(op: &mut Op) -> Result<()> {\n    op.execute(r#\"CREATE TABLE \"u\" (id INT)\"#)?;\n    match 1 { 1 => { f(a, b,) } _ => {} }\n    Ok(())\n}\n\nfn down(op: &mut Op) -> Result<()> { op.execute(\"DROP TABLE u\")?; Ok(()) }\n";
        let pinned = "v2:e603644eac6e4d30f129abfdb0a21b422cfa7feaaac8c393d34ef32984df38b5";
        let scan = crate::scan_source(std::path::Path::new("0001_a1.rs"), file);
        assert_eq!(scan.migrations[0].checksum, pinned);
        let slow = crate::scan::scan_source_syn_only(std::path::Path::new("0001_a1.rs"), file);
        assert_eq!(slow.migrations[0].checksum, pinned);
        let item = file.split("\n\nfn down").next().unwrap_or_default();
        let downgrade = Downgrade {
            path: "down",
            file: Some(file),
        };
        assert_eq!(checksum(item.parse().unwrap(), Some(downgrade)), pinned);
    }

    #[test]
    fn is_sha256_hex() {
        let s = sum("fn up() {}");
        assert_eq!(s.len(), 64);
        assert!(s
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()));
    }
}
