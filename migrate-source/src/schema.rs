//! The keys of `#[migration(...)]`, declared once.
//!
//! [`SCHEMA`] is the only place a key is named. Every reader looks a key up here and then
//! matches on its [`Key`] with no catch-all arm:
//!
//! - the syn parser (`attr.rs`) and the scanner's fast path (`fast/mod.rs`) read the value in
//!   the key's [`Shape`] and store it in the key's own slot ([`Given`]), which is also where a
//!   duplicate is noticed; [`Args::from_given`] says which field each key sets, and
//!   `scan::source_migration` turns either reader's [`Args`] into the same `SourceMigration`;
//! - the macro's code generation (`migrate-macros`, `expand.rs`) says which field of the
//!   generated `Migration` each key fills.
//!
//! A name that is not in the table is unknown to all of them alike (it can never reach another
//! key's arm), and its error lists [`KEYS`]. Adding a key is one row in the table below; the
//! compiler then points at each `match` that must say what the key does.

use proc_macro2::Span;

/// What a key's value looks like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// A string literal: `"..."`.
    Str,
    /// A string literal or a list of them: `"a"`, `["a", "b"]` (read as a list).
    StrOrList,
    /// As [`Shape::StrOrList`], or `None` for the empty list.
    StrOrListOrNone,
    /// A path: `name`, `a::b`, `::a::b`.
    Path,
    /// `true` or `false`.
    Bool,
}

/// One row of [`SCHEMA`].
#[derive(Debug, Clone, Copy)]
pub struct KeySpec {
    /// What the key sets.
    pub key: Key,
    /// How it is written.
    pub name: &'static str,
    /// What its value looks like.
    pub shape: Shape,
    /// What the value must be, as error messages say it (``"`rev` must be {expected}"``).
    pub expected: &'static str,
    /// A valid `key = value`, the fix error messages suggest.
    pub example: &'static str,
}

macro_rules! schema {
    ($($(#[doc = $doc:literal])+ $key:ident: $name:literal, $shape:ident, $expected:literal, $example:literal;)+) => {
        /// A `#[migration(...)]` key, by what it sets; its spelling and value are in [`SCHEMA`].
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Key {
            $($(#[doc = $doc])+ $key,)+
        }

        /// Every key `#[migration(...)]` accepts, in the order the docs list them (and in
        /// [`Key`]'s order, so `SCHEMA[key as usize].key == key`).
        pub const SCHEMA: &[KeySpec] = &[
            $(KeySpec {
                key: Key::$key,
                name: $name,
                shape: Shape::$shape,
                expected: $expected,
                example: $example,
            },)+
        ];
    };
}

schema! {
    /// The revision id (required).
    Rev: "rev", Str, "a string literal", "rev = \"1f3a9c0de2b4\"";
    /// The parents: one, several for a merge, none (`None` or omitted) for a root.
    DownRev: "down_rev", StrOrListOrNone,
        "a string, a list of strings for a merge, or `None` for a root",
        "down_rev = \"0a7be11c9d02\"";
    /// The branch labels this revision declares.
    BranchLabels: "branch_labels", StrOrList, "a list of string literals", "branch_labels = [\"a1b2c3\"]";
    /// Revisions (or branch labels) that must be applied first, without being parents.
    DependsOn: "depends_on", StrOrList, "a list of string literals", "depends_on = [\"a1b2c3\"]";
    /// The explicit downgrade fn.
    Downgrade: "downgrade", Path, "a path", "downgrade = my_downgrade";
    /// Whether the migration runs in a transaction (default `true`).
    Transactional: "transactional", Bool, "`true` or `false`", "transactional = false";
    /// The message (default: the fn's doc comment).
    Message: "message", Str, "a string literal", "message = \"create users\"";
    /// The path generated code uses for `migrate_core` (default `::migrate_core`).
    Crate: "crate", Path, "a path", "crate = ::migrate_core";
    /// `migrate lint` rules (ids or categories) this migration allows; needs a reason.
    AllowLint: "allow_lint", StrOrList, "a list of rule ids", "allow_lint = [\"drop-column\"]";
    /// Why the allowed rules are acceptable here (required with `allow_lint`).
    AllowLintReason: "allow_lint_reason", Str, "a string literal",
        "allow_lint_reason = \"legacy_email unused since v2.3\"";
    /// How long this migration's statements wait for a table lock (`"500ms"`, `"2s"`).
    TableLockTimeout: "table_lock_timeout", Str, "a string literal",
        "table_lock_timeout = \"2s\"";
    /// How long each of this migration's statements may run (`"30s"`, `"5m"`).
    StatementTimeout: "statement_timeout", Str, "a string literal",
        "statement_timeout = \"30s\"";
}

/// Milliseconds of a duration as the attribute writes it: a whole number followed by `ms`,
/// `s` or `m` (`"500ms"`, `"2s"`, `"5m"`); `None` when it is not one, or is zero.
///
/// ```
/// assert_eq!(migrate_source::duration_ms("500ms"), Some(500));
/// assert_eq!(migrate_source::duration_ms("2s"), Some(2000));
/// assert_eq!(migrate_source::duration_ms("2"), None);
/// ```
pub fn duration_ms(text: &str) -> Option<u64> {
    let (digits, unit) = text
        .find(|c: char| !c.is_ascii_digit())
        .map(|i| text.split_at(i))?;
    let n: u64 = digits.parse().ok()?;
    let ms = match unit {
        "ms" => n,
        "s" => n.checked_mul(1000)?,
        "m" => n.checked_mul(60_000)?,
        _ => return None,
    };
    (ms > 0).then_some(ms)
}

/// How many keys there are.
pub const KEY_COUNT: usize = SCHEMA.len();

/// The key names, in [`SCHEMA`] order: what the unknown-key error lists.
pub const KEYS: &[&str] = &{
    let mut names = [""; KEY_COUNT];
    let mut i = 0;
    while i < KEY_COUNT {
        names[i] = SCHEMA[i].name;
        i += 1;
    }
    names
};

impl Key {
    /// The key spelled `name`, if there is one.
    ///
    /// # Examples
    ///
    /// ```
    /// use migrate_source::Key;
    /// assert_eq!(Key::lookup("down_rev"), Some(Key::DownRev));
    /// assert_eq!(Key::lookup("down_revision"), None);
    /// ```
    pub fn lookup(name: &str) -> Option<Key> {
        SCHEMA
            .iter()
            .find(|spec| spec.name == name)
            .map(|spec| spec.key)
    }

    /// Its row of [`SCHEMA`].
    pub const fn spec(self) -> &'static KeySpec {
        &SCHEMA[self as usize]
    }

    /// How it is written.
    pub const fn name(self) -> &'static str {
        self.spec().name
    }
}

/// A value read for a key, in the representation of the reader: the syn path keeps spans
/// and `syn::Path`s, the fast path borrows the file's text.
pub(crate) enum Value<S, P, B> {
    Str(S),
    /// [`Shape::StrOrList`] and [`Shape::StrOrListOrNone`] values, always as a list.
    List(Vec<S>),
    Path(P),
    Bool(B),
}

/// The values given so far in one `#[migration(...)]`, one slot per key: the duplicate rule
/// of both readers.
pub(crate) struct Given<V> {
    seen: [bool; KEY_COUNT],
    values: [Option<V>; KEY_COUNT],
}

impl<V> Given<V> {
    pub(crate) fn new() -> Self {
        Given {
            seen: [false; KEY_COUNT],
            values: [const { None }; KEY_COUNT],
        }
    }

    /// Marks `key` as given; `false` when it already was (a duplicate). A key counts as given
    /// even when its value is then rejected: writing it twice is still a duplicate.
    pub(crate) fn first(&mut self, key: Key) -> bool {
        !std::mem::replace(&mut self.seen[key as usize], true)
    }

    pub(crate) fn set(&mut self, key: Key, value: V) {
        self.values[key as usize] = Some(value);
    }

    pub(crate) fn take(&mut self, key: Key) -> Option<V> {
        self.values[key as usize].take()
    }

    /// The keys with a value, in [`SCHEMA`] order.
    #[cfg(test)]
    pub(crate) fn set_keys(&self) -> Vec<Key> {
        SCHEMA
            .iter()
            .map(|spec| spec.key)
            .filter(|&key| self.values[key as usize].is_some())
            .collect()
    }
}

/// A value together with the span of the token it came from, so a later check (the graph
/// check, id validation) can put its error under the exact literal the user wrote.
#[derive(Debug, Clone)]
pub struct Spanned<T> {
    /// The value.
    pub value: T,
    /// Where it was written.
    pub span: Span,
}

impl<T> Spanned<T> {
    pub(crate) fn new(value: T, span: Span) -> Self {
        Spanned { value, span }
    }
}

/// The arguments of one `#[migration(...)]`, in a reader's representation: strings `S`, paths
/// `P`, booleans `B`. The syn path's is [`MigrationAttr`](crate::MigrationAttr) (the
/// defaults); the fast path borrows the text.
///
/// Parsing succeeds only when every key is known, given once and well typed; `rev` is
/// required. Identifier *format* and graph rules are checked later by `migrate-graph`.
// No `Debug`: `syn::Path` has it only with syn's `extra-traits`, not worth the build time.
#[derive(Clone)]
pub struct Args<S = Spanned<String>, P = syn::Path, B = Spanned<bool>> {
    /// `rev = "..."`.
    pub rev: S,
    /// `down_rev = "a"` / `["a", "b"]`; empty for a root (`None` or omitted).
    pub down_revs: Vec<S>,
    /// `branch_labels = [...]`.
    pub branch_labels: Vec<S>,
    /// `depends_on = [...]` (a single string is accepted too).
    pub depends_on: Vec<S>,
    /// `downgrade = path::to::fn`.
    pub downgrade: Option<P>,
    /// `transactional = bool`; `None` when not given (the default is `true`).
    pub transactional: Option<B>,
    /// `message = ".."`; when absent the fn's doc comment is the message.
    pub message: Option<S>,
    /// `crate = path`, the path generated code uses for `migrate_core`.
    pub krate: Option<P>,
    /// `allow_lint = [...]`: the `migrate lint` rules this migration allows.
    pub allow_lint: Vec<S>,
    /// `allow_lint_reason = ".."`: why.
    pub allow_lint_reason: Option<S>,
    /// `table_lock_timeout = "2s"`.
    pub table_lock_timeout: Option<S>,
    /// `statement_timeout = "30s"`.
    pub statement_timeout: Option<S>,
}

impl<S, P, B> Value<S, P, B> {
    fn str(self) -> Option<S> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    fn list(self) -> Vec<S> {
        match self {
            Value::List(v) => v,
            _ => Vec::new(),
        }
    }

    fn path(self) -> Option<P> {
        match self {
            Value::Path(p) => Some(p),
            _ => None,
        }
    }

    fn bool(self) -> Option<B> {
        match self {
            Value::Bool(b) => Some(b),
            _ => None,
        }
    }
}

impl<S, P, B> Args<S, P, B> {
    /// What each key sets, for both readers. `None` when `rev` is missing. (A value of
    /// another shape than its key's, which the readers never produce, would count as not
    /// given; the tests hold every key's example to reaching its field.)
    pub(crate) fn from_given(mut given: Given<Value<S, P, B>>) -> Option<Self> {
        let mut rev = None;
        let (mut down_revs, mut branch_labels, mut depends_on) =
            (Vec::new(), Vec::new(), Vec::new());
        let (mut downgrade, mut transactional, mut message, mut krate) = (None, None, None, None);
        let (mut allow_lint, mut allow_lint_reason) = (Vec::new(), None);
        let (mut table_lock_timeout, mut statement_timeout) = (None, None);
        for spec in SCHEMA {
            let Some(value) = given.take(spec.key) else {
                continue;
            };
            match spec.key {
                Key::Rev => rev = value.str(),
                Key::DownRev => down_revs = value.list(),
                Key::BranchLabels => branch_labels = value.list(),
                Key::DependsOn => depends_on = value.list(),
                Key::Downgrade => downgrade = value.path(),
                Key::Transactional => transactional = value.bool(),
                Key::Message => message = value.str(),
                Key::Crate => krate = value.path(),
                Key::AllowLint => allow_lint = value.list(),
                Key::AllowLintReason => allow_lint_reason = value.str(),
                Key::TableLockTimeout => table_lock_timeout = value.str(),
                Key::StatementTimeout => statement_timeout = value.str(),
            }
        }
        Some(Args {
            rev: rev?,
            down_revs,
            branch_labels,
            depends_on,
            downgrade,
            transactional,
            message,
            krate,
            allow_lint,
            allow_lint_reason,
            table_lock_timeout,
            statement_timeout,
        })
    }
}

/// A reader's value as plain data, for [`SourceMigration`](crate::SourceMigration).
pub(crate) trait Plain {
    type Out;
    fn plain(&self) -> Self::Out;
}

impl Plain for Spanned<String> {
    type Out = String;
    fn plain(&self) -> String {
        self.value.clone()
    }
}

impl Plain for Spanned<bool> {
    type Out = bool;
    fn plain(&self) -> bool {
        self.value
    }
}

impl Plain for &str {
    type Out = String;
    fn plain(&self) -> String {
        (*self).to_owned()
    }
}

impl Plain for bool {
    type Out = bool;
    fn plain(&self) -> bool {
        *self
    }
}

/// A path as the fast path renders it (see the `syn::Path` impl).
impl Plain for String {
    type Out = String;
    fn plain(&self) -> String {
        self.clone()
    }
}

/// A path as both readers render it: the segments joined by `::` (a leading `::` dropped).
impl Plain for syn::Path {
    type Out = String;
    fn plain(&self) -> String {
        let segments: Vec<String> = self.segments.iter().map(|s| s.ident.to_string()).collect();
        segments.join("::")
    }
}

/// A path as every reader renders it (what [`SourceMigration::downgrade`] holds, and what the
/// checksum hashes): the segments joined by `::`, a leading `::` dropped.
///
/// [`SourceMigration::downgrade`]: crate::SourceMigration::downgrade
pub fn path_text(path: &syn::Path) -> String {
    path.plain()
}
