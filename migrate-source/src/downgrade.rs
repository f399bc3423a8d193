//! Finding the `downgrade = name` fn in the migration's own file, for the checksum.

use proc_macro2::{Delimiter, TokenStream, TokenTree};

use crate::canon::{self, CTok};

/// The tokens of the fn `name` at the top level of `text`, from `fn` to the end of its body;
/// `None` when the file has none (it is imported, or in another module) or can't be lexed.
///
/// The fast lexer reads it when it can, else `proc-macro2`; both give tokens that hash alike
/// (the `find_fn_paths_agree` test holds them to it), so the macro and the scanner agree.
pub(crate) fn find_fn<'a>(text: &'a str, name: &str) -> Option<Vec<CTok<'a>>> {
    match crate::fast::find_fn(text, name) {
        Some(found) => found,
        None => find_fn_slow(text, name),
    }
}

/// [`find_fn`] through `proc-macro2`.
pub(crate) fn find_fn_slow(text: &str, name: &str) -> Option<Vec<CTok<'static>>> {
    let stream: TokenStream = text.parse().ok()?;
    let mut tokens = stream.into_iter();
    let mut prev_fn = false;
    while let Some(token) = tokens.next() {
        let is_name = matches!(&token, TokenTree::Ident(i) if i == name);
        if prev_fn && is_name {
            let mut item = vec![
                CTok::Ident("fn".into()),
                CTok::Ident(name.to_owned().into()),
            ];
            for token in tokens.by_ref() {
                let body =
                    matches!(&token, TokenTree::Group(g) if g.delimiter() == Delimiter::Brace);
                if matches!(&token, TokenTree::Punct(p) if p.as_char() == ';') {
                    break;
                }
                canon::flatten(TokenStream::from(token), &mut item);
                if body {
                    return Some(item);
                }
            }
            prev_fn = false;
            continue;
        }
        prev_fn = matches!(&token, TokenTree::Ident(i) if i == "fn");
    }
    None
}
