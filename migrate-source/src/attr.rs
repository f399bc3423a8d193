//! The `#[migration(...)]` arguments with syn: the definition of what is accepted, and the
//! error messages. Which keys exist and what their values look like is `schema.rs`.

use proc_macro2::{Span, TokenStream};
use syn::parse::Parser;
use syn::spanned::Spanned as _;
use syn::{Attribute, Expr, ExprLit, Lit, Path};

use crate::schema::{Args, Given, Key, KeySpec, Plain as _, Shape, Spanned, Value, KEYS};

/// The parsed arguments of one `#[migration(...)]` attribute, every value spanned (see
/// [`Args`] for the fields).
pub type MigrationAttr = Args;

type SynValue = Value<Spanned<String>, Path, Spanned<bool>>;

/// The keys while parsing.
struct Builder {
    given: Given<SynValue>,
    errors: Option<syn::Error>,
}

impl Builder {
    fn new() -> Self {
        Builder {
            given: Given::new(),
            errors: None,
        }
    }

    fn push(&mut self, error: syn::Error) {
        match &mut self.errors {
            Some(errors) => errors.combine(error),
            None => self.errors = Some(error),
        }
    }

    /// One `key = value` pair. Semantic errors are recorded and parsing goes on, so the user
    /// sees every bad argument at once; only a syntax error (which leaves the stream in an
    /// unknown place) stops the parse.
    fn key(&mut self, meta: syn::meta::ParseNestedMeta<'_>) -> syn::Result<()> {
        let key_span = meta.path.span();
        let Some(key) = meta
            .path
            .get_ident()
            .and_then(|i| Key::lookup(&i.to_string()))
        else {
            // Consume the value, if any, so the next keys still get checked.
            if meta.input.peek(syn::Token![=]) {
                meta.value()?.parse::<Expr>()?;
            }
            self.push(syn::Error::new(
                key_span,
                format!(
                    "unknown #[migration] argument `{}`; valid arguments are: {}",
                    meta.path.plain(),
                    KEYS.join(", ")
                ),
            ));
            return Ok(());
        };
        let name = key.name();
        let value: Expr = meta
            .value()
            .map_err(|e| {
                syn::Error::new(
                    e.span(),
                    format!("expected `=` after `{name}`, e.g. `{name} = ...`"),
                )
            })?
            .parse()?;
        if !self.given.first(key) {
            self.push(syn::Error::new(
                key_span,
                format!("duplicate `{name}` argument"),
            ));
            return Ok(());
        }
        match value_of(key.spec(), &value) {
            Ok(value) => self.given.set(key, value),
            Err(error) => self.push(error),
        }
        Ok(())
    }

    /// `args` are the tokens parsed: a missing `rev` is reported under all of them (or at the
    /// attribute when there are none).
    fn build(self, args: &TokenStream) -> syn::Result<MigrationAttr> {
        match (self.errors, Args::from_given(self.given)) {
            (None, Some(attr)) => Ok(attr),
            (Some(errors), _) => Err(errors),
            (None, None) => {
                let message = "#[migration] requires `rev = \"...\"`, the revision id (`migrate revision` generates one)";
                Err(if args.is_empty() {
                    syn::Error::new(Span::call_site(), message)
                } else {
                    syn::Error::new_spanned(args, message)
                })
            }
        }
    }
}

/// `value` read as `spec`'s shape.
fn value_of(spec: &KeySpec, value: &Expr) -> syn::Result<SynValue> {
    match spec.shape {
        Shape::Str => string(value, spec.name, spec.example).map(Value::Str),
        Shape::StrOrList => strings(value, spec).map(Value::List),
        Shape::StrOrListOrNone => match value {
            Expr::Path(p) if p.qself.is_none() && p.path.is_ident("None") => {
                Ok(Value::List(Vec::new()))
            }
            Expr::Lit(ExprLit {
                lit: Lit::Str(_), ..
            })
            | Expr::Array(_) => strings(value, spec).map(Value::List),
            other => Err(wrong(spec, other)),
        },
        Shape::Path => match value {
            Expr::Path(p) if p.qself.is_none() && p.attrs.is_empty() => {
                Ok(Value::Path(p.path.clone()))
            }
            other => Err(wrong(spec, other)),
        },
        Shape::Bool => match value {
            Expr::Lit(ExprLit {
                lit: Lit::Bool(b), ..
            }) => Ok(Value::Bool(Spanned::new(b.value, b.span()))),
            other => Err(wrong(spec, other)),
        },
    }
}

/// "`key` must be ..., e.g. `key = ...`", under the value.
fn wrong(spec: &KeySpec, value: &Expr) -> syn::Error {
    syn::Error::new(
        value.span(),
        format!(
            "`{}` must be {}, e.g. `{}`",
            spec.name, spec.expected, spec.example
        ),
    )
}

fn string(value: &Expr, key: &str, example: &str) -> syn::Result<Spanned<String>> {
    match value {
        Expr::Lit(ExprLit {
            lit: Lit::Str(s), ..
        }) => Ok(Spanned::new(s.value(), s.span())),
        other => Err(syn::Error::new(
            other.span(),
            format!("`{key}` must be a string literal, e.g. `{example}`"),
        )),
    }
}

/// A string or a list of them; every bad element is reported.
fn strings(value: &Expr, spec: &KeySpec) -> syn::Result<Vec<Spanned<String>>> {
    let element_example = format!("{} = [\"a1b2c3\"]", spec.name);
    match value {
        Expr::Array(array) => {
            let mut out = Vec::new();
            let mut errors: Option<syn::Error> = None;
            for element in &array.elems {
                match string(element, spec.name, &element_example) {
                    Ok(s) => out.push(s),
                    Err(e) => match &mut errors {
                        Some(errors) => errors.combine(e),
                        None => errors = Some(e),
                    },
                }
            }
            errors.map_or(Ok(out), Err)
        }
        Expr::Lit(ExprLit {
            lit: Lit::Str(_), ..
        }) => Ok(vec![string(value, spec.name, &element_example)?]),
        other => Err(wrong(spec, other)),
    }
}

/// Parses the arguments of `#[migration(...)]` (the tokens between the parentheses).
///
/// Every problem is reported, each spanned on its token: unknown keys (listing [`KEYS`]),
/// duplicate keys, values of the wrong shape, a missing `rev`.
///
/// # Examples
///
/// ```
/// let attr = migrate_source::parse_args(quote::quote!(rev = "b2", down_rev = "a1")).unwrap();
/// assert_eq!(attr.rev.value, "b2");
/// assert_eq!(attr.down_revs[0].value, "a1");
/// ```
pub fn parse_args(args: TokenStream) -> syn::Result<MigrationAttr> {
    let mut builder = Builder::new();
    syn::meta::parser(|meta| builder.key(meta)).parse2(args.clone())?;
    builder.build(&args)
}

/// What the parser stored before it finished (or gave up), and its errors: the lenient view
/// that [`crate_override`] and the tests take.
pub(crate) fn parse_given(args: TokenStream) -> (Given<SynValue>, Option<syn::Error>) {
    let mut builder = Builder::new();
    if let Err(error) = syn::meta::parser(|meta| builder.key(meta)).parse2(args) {
        builder.push(error);
    }
    (builder.given, builder.errors)
}

/// `crate = path` from arguments that may be wrong elsewhere, so the macro's error output
/// names the same crate path as a successful expansion would.
///
/// # Examples
///
/// ```
/// let args = quote::quote!(rev = 1, crate = ::my_core, colour = "red");
/// let path = migrate_source::crate_override(args).unwrap();
/// assert_eq!(quote::quote!(#path).to_string(), ":: my_core");
/// ```
pub fn crate_override(args: TokenStream) -> Option<Path> {
    let (mut given, _) = parse_given(args);
    match given.take(Key::Crate)? {
        Value::Path(path) => Some(path),
        _ => None,
    }
}

/// Whether `attr` is `#[migration(...)]` or `#[migrate_core::migration(...)]`.
pub fn is_migration_attr(attr: &Attribute) -> bool {
    let segments: Vec<String> = attr
        .path()
        .segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect();
    matches!(
        segments
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>()
            .as_slice(),
        ["migration"] | ["migrate_core", "migration"]
    )
}

/// Parses the arguments of a `#[migration(...)]` attribute found on an item (the scanner's
/// entry; the proc macro receives its arguments directly and calls [`parse_args`]).
pub fn parse_attribute(attr: &Attribute) -> syn::Result<MigrationAttr> {
    match &attr.meta {
        syn::Meta::List(list) => parse_args(list.tokens.clone()),
        // `#[migration]` with no arguments at all.
        _ => parse_args(TokenStream::new()).map_err(|e| syn::Error::new(attr.span(), e)),
    }
}

/// The message of a migration: its doc comment as paragraphs (see `doc_text`); `history`
/// shows the first paragraph and `show` all of them (`message = ".."` takes precedence, see
/// [`MigrationAttr::message_or_docs`]).
pub fn doc_message(attrs: &[Attribute]) -> String {
    let mut docs = Vec::new();
    for attr in attrs {
        if !attr.path().is_ident("doc") {
            continue;
        }
        if let syn::Meta::NameValue(nv) = &attr.meta {
            if let Expr::Lit(ExprLit {
                lit: Lit::Str(s), ..
            }) = &nv.value
            {
                docs.push(s.value());
            }
        }
    }
    doc_text(docs.iter().map(String::as_str))
}

/// The message a doc comment makes, shared by the syn path and the fast scanner so both give
/// the same bytes: each line trimmed, the lines of a paragraph joined by one space, paragraphs
/// separated by a blank line (`history` shows the first one, `show` all of them, as Alembic
/// does with a docstring).
pub(crate) fn doc_text<'a>(docs: impl IntoIterator<Item = &'a str>) -> String {
    let mut paragraphs: Vec<String> = Vec::new();
    let mut current = String::new();
    // `split`, not `lines`: an empty `///` line is an empty string, which `lines` drops.
    for line in docs.into_iter().flat_map(|d| d.split('\n')).map(str::trim) {
        if line.is_empty() {
            if !current.is_empty() {
                paragraphs.push(std::mem::take(&mut current));
            }
        } else {
            if !current.is_empty() {
                current.push(' ');
            }
            current.push_str(line);
        }
    }
    if !current.is_empty() {
        paragraphs.push(current);
    }
    paragraphs.join("\n\n")
}

impl MigrationAttr {
    /// `message = ".."` if given, else the doc comment of the fn (see [`doc_message`]).
    pub fn message_or_docs(&self, fn_attrs: &[Attribute]) -> String {
        match &self.message {
            Some(m) => m.value.clone(),
            None => doc_message(fn_attrs),
        }
    }

    /// Whether the migration runs in a transaction (`true` unless `transactional = false`).
    pub fn is_transactional(&self) -> bool {
        self.transactional.as_ref().is_none_or(|t| t.value)
    }
}
