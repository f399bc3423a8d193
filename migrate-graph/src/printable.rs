//! Text from migration files and databases, made safe to show on a terminal or to write into a
//! Rust source file.

use std::borrow::Cow;

/// Whether `c` must not reach a terminal or a source file as it is: control characters other
/// than tab and newline (escape sequences, a bare carriage return, NUL), and the invisible
/// bidirectional controls that can make text read differently from what it is (the "Trojan
/// Source" characters rustc refuses in comments).
pub(crate) fn is_unsafe(c: char) -> bool {
    (c.is_control() && c != '\t' && c != '\n') || is_bidi(c)
}

fn is_bidi(c: char) -> bool {
    matches!(c, '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `text` with every unsafe character (see above) written as a `\u{...}` escape; tabs and
/// newlines stay. Borrowed when there is nothing to escape.
///
/// # Examples
///
/// ```
/// assert_eq!(migrate_graph::printable("add users"), "add users");
/// assert_eq!(migrate_graph::printable("evil\u{1b}[2J\u{202e}"), "evil\\u{1b}[2J\\u{202e}");
/// ```
pub fn printable(text: &str) -> Cow<'_, str> {
    escape(text, is_unsafe)
}

/// [`printable`] for text that must stay on one line (an id in an error message): newlines
/// and tabs are escaped too.
///
/// # Examples
///
/// ```
/// assert_eq!(migrate_graph::printable_line("a\nb"), "a\\u{a}b");
/// ```
pub fn printable_line(text: &str) -> Cow<'_, str> {
    escape(text, |c| c.is_control() || is_bidi(c))
}

fn escape(text: &str, unsafe_char: impl Fn(char) -> bool) -> Cow<'_, str> {
    if !text.chars().any(&unsafe_char) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if unsafe_char(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}
