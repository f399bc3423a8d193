//! One migration as the graph sees it.

/// One migration as the graph sees it.
///
/// # Examples
///
/// ```
/// use migrate_graph::Revision;
/// let r = Revision::new("b2", ["b1"]).depends_on(["a3"]).message("add orders");
/// assert_eq!(r.down_revs, ["b1"]);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Revision {
    /// The revision id (`rev = "..."`).
    pub id: String,
    /// Versioned parents (`down_rev`); several make a merge point, none a base.
    pub down_revs: Vec<String>,
    /// Extra parents that never count towards head or branch structure (ids or branch labels).
    pub depends_on: Vec<String>,
    /// Branch labels declared on this revision.
    pub branch_labels: Vec<String>,
    /// The message (doc comment) shown by `history`.
    pub message: String,
    /// Checksum of the migration's code (empty when unknown).
    pub checksum: String,
    /// Source-order key (file path, then position): Alembic's tie-break between branches.
    ///
    /// Map order is the revisions sorted by this key (stable, so equal keys keep input order);
    /// it plays the part of Alembic's file-discovery order (sorted file names, as Alembic's
    /// `ScriptDirectory` reads them).
    pub order_key: String,
}

impl Revision {
    /// A revision with the given id and `down_rev`s; everything else empty. The order key
    /// defaults to the id, so map order is id order unless [`Revision::order_key`] is set.
    pub fn new<I, S>(id: impl Into<String>, down_revs: I) -> Revision
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let id = id.into();
        Revision {
            order_key: id.clone(),
            id,
            down_revs: down_revs.into_iter().map(Into::into).collect(),
            ..Revision::default()
        }
    }

    /// Builder: set `depends_on`.
    pub fn depends_on<I, S>(mut self, deps: I) -> Revision
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.depends_on = deps.into_iter().map(Into::into).collect();
        self
    }

    /// Builder: set the branch labels.
    pub fn labels<I, S>(mut self, labels: I) -> Revision
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.branch_labels = labels.into_iter().map(Into::into).collect();
        self
    }

    /// Builder: set the message.
    pub fn message(mut self, message: impl Into<String>) -> Revision {
        self.message = message.into();
        self
    }

    /// Builder: set the order key.
    pub fn order_key(mut self, key: impl Into<String>) -> Revision {
        self.order_key = key.into();
        self
    }
}

/// The source-order key of a migration: its file *name* (the folder is ignored, so
/// `file!()`'s relative path and the CLI's absolute one agree) and its zero-padded line.
/// Sorting keys sorts by file name, then by position in the file — Alembic's tie-break.
///
/// # Examples
///
/// ```
/// assert_eq!(
///     migrate_graph::order_key("migrations/src/versions/0001_init.rs", 7),
///     "0001_init.rs#0000000007"
/// );
/// assert_eq!(migrate_graph::order_key("C:\\m\\0002_b.rs", 12), "0002_b.rs#0000000012");
/// assert_eq!(migrate_graph::order_key("a.rs", u32::MAX), "a.rs#4294967295");
/// ```
pub fn order_key(file_path: &str, line: u32) -> String {
    // `#` sorts before `.` and every usual file-name character, so "a.rs" < "a.rs.x.rs" holds
    // for the keys exactly as it does for the names.
    let start = match (file_path.rfind('/'), file_path.rfind('\\')) {
        (Some(a), Some(b)) => a.max(b) + 1,
        (Some(i), None) | (None, Some(i)) => i + 1,
        (None, None) => 0,
    };
    let name = &file_path[start..];
    // Built by hand rather than with `format!` or iterator adapters: the registry computes one
    // key per migration on every command, 10k of them in a big project, in a binary often
    // built unoptimized, where std's non-generic functions (`rfind` of a char, `from_utf8`)
    // are the only optimized code.
    let mut digits = [b'0'; 10];
    let mut rest = line;
    let mut i = digits.len();
    while rest > 0 {
        i -= 1;
        digits[i] = b'0' + (rest % 10) as u8;
        rest /= 10;
    }
    let mut key = String::with_capacity(name.len() + 11);
    key.push_str(name);
    key.push('#');
    key.push_str(std::str::from_utf8(&digits).unwrap_or("0000000000"));
    key
}
