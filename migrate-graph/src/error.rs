//! Every way building, resolving or planning can fail, and who to blame for it.

/// The longest revision id accepted: the version column is `VARCHAR(64)`.
pub const MAX_ID_LEN: usize = 64;

/// The words of the target grammar a revision id may not be: a revision named `head` could
/// never be asked for by name.
pub const RESERVED_IDS: [&str; 4] = ["base", "current", "head", "heads"];

/// Every way building, resolving or planning can fail. Messages follow Alembic's wording
/// (`alembic/script/revision.py`) where it has one; every variant carries the ids involved.
///
/// Validation errors (from [`Graph::new`](crate::Graph::new)) name the migration and say how to
/// fix it; [`GraphError::blame`] tells a compile-time diagnostic which token to point at.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum GraphError {
    // ---- validation: ids and labels ----
    /// A revision id is empty.
    #[error("a migration has an empty revision id (at {order_key}); give `rev` a non-empty value")]
    EmptyId {
        /// Order key of the offending migration (the id itself cannot tell them apart).
        order_key: String,
    },
    /// A revision id is longer than [`MAX_ID_LEN`].
    #[error("revision id '{rev}' is {len} characters long; the version column holds at most {MAX_ID_LEN}, use a shorter id")]
    IdTooLong {
        /// The id.
        rev: String,
        /// Its length in characters.
        len: usize,
    },
    /// A revision id contains `@ - + :`.
    #[error("Character(s) '{}' not allowed in revision identifier '{rev}'; remove them from the id", join_chars(.chars))]
    IllegalCharacters {
        /// The id.
        rev: String,
        /// The offending characters, sorted and unique.
        chars: Vec<char>,
    },
    /// A revision id has a character outside letters, digits and `_` (other than the four
    /// of [`IllegalCharacters`](GraphError::IllegalCharacters)).
    #[error("revision id {} contains {}; use only letters, digits and '_' (ids name files and version rows)", printable_quoted(rev), printable_quoted(&ch.to_string()))]
    UnsafeIdCharacter {
        /// The id.
        rev: String,
        /// The first offending character.
        ch: char,
    },
    /// A revision id is one of the words targets are made of (`head`, `base` ...).
    #[error("revision id '{rev}' is a reserved word ({}), so it could never be targeted; pick another id", RESERVED_IDS.join(", "))]
    ReservedId {
        /// The id.
        rev: String,
    },
    /// Two migrations share one id. The variant names the later one in map order.
    #[error("Revision {rev} is present more than once ({first_order_key} and {order_key}); give one of them a new id")]
    DuplicateRevision {
        /// The shared id.
        rev: String,
        /// Order key of the duplicate (the one blamed).
        order_key: String,
        /// Order key of the first occurrence.
        first_order_key: String,
    },
    /// A branch label is empty.
    #[error(
        "migration '{rev}' declares an empty branch label; remove it or give the branch a name"
    )]
    EmptyLabel {
        /// The revision declaring it.
        rev: String,
    },
    /// A branch label contains `@` or `:`.
    #[error("Character(s) '{}' not allowed in branch label '{label}' of migration '{rev}'; remove them from the label", join_chars(.chars))]
    IllegalLabelCharacters {
        /// The revision declaring it.
        rev: String,
        /// The label.
        label: String,
        /// The offending characters, sorted and unique.
        chars: Vec<char>,
    },
    /// A branch label equals a revision id.
    #[error("branch label '{label}' of migration '{rev}' is also a revision id; choose a label that is not an id")]
    LabelIsRevision {
        /// The label (and the id it collides with).
        label: String,
        /// The revision declaring it.
        rev: String,
    },
    /// Two revisions (or one, twice) declare the same branch label.
    #[error("Branch name '{label}' in revision {rev} already used by revision {other}; choose another branch label")]
    DuplicateBranchLabel {
        /// The label.
        label: String,
        /// The later declaration in map order (blamed).
        rev: String,
        /// The earlier declaration.
        other: String,
    },

    // ---- validation: edges ----
    /// A revision names itself as `down_rev`.
    #[error("Self-loop is detected in revisions ({rev}): migration '{rev}' names itself as down_rev; point down_rev at its parent")]
    SelfLoop {
        /// The revision.
        rev: String,
    },
    /// A revision depends on itself (by id, or through one of its own labels).
    #[error("Dependency self-loop is detected in revisions ({rev}): migration '{rev}' depends on itself through '{via}'; remove it from depends_on")]
    DependencySelfLoop {
        /// The revision.
        rev: String,
        /// The `depends_on` entry as written.
        via: String,
    },
    /// A `down_rev` names the same parent twice.
    #[error("down_rev '{parent}' is listed twice in migration '{rev}'; remove the duplicate")]
    DuplicateDownRev {
        /// The revision.
        rev: String,
        /// The repeated parent.
        parent: String,
    },
    /// A `down_rev` names an unknown revision.
    #[error("down_rev '{missing}' of migration '{rev}' is not a known revision; fix the id or add that migration")]
    MissingDownRev {
        /// The child.
        rev: String,
        /// The unknown parent as written.
        missing: String,
    },
    /// A `depends_on` entry is neither a revision id nor a branch label.
    #[error("depends_on '{missing}' of migration '{rev}' is neither a known revision nor a branch label; fix it or add that migration")]
    MissingDependency {
        /// The dependent revision.
        rev: String,
        /// The unknown entry as written.
        missing: String,
    },
    /// The `down_rev` edges form a cycle.
    #[error("Cycle is detected in revisions ({}); break the loop in their down_rev", .revs.join(", "))]
    Cycle {
        /// Alembic's listing: the revisions outside the head/base-reachable space.
        revs: Vec<String>,
        /// The `down_rev` edges `(child, parent)` inside the cycle(s).
        edges: Vec<(String, String)>,
    },
    /// The `down_rev` plus `depends_on` edges form a cycle.
    #[error("Dependency cycle is detected in revisions ({}); remove one of their depends_on entries", .revs.join(", "))]
    DependencyCycle {
        /// Alembic's listing: the revisions outside the real-head/real-base-reachable space.
        revs: Vec<String>,
        /// The `depends_on` edges `(dependent, entry as written)` inside the cycle(s).
        edges: Vec<(String, String)>,
    },
    /// More than one head is not on its own labelled branch (the compile-time single-head rule).
    #[error("{}", multiple_heads_message(.heads, .label.as_deref()))]
    MultipleHeads {
        /// The heads, map order.
        heads: Vec<String>,
        /// The branch label the heads share, when that is the problem.
        label: Option<String>,
    },

    // ---- resolution ----
    /// `head` (or `L@head`, ...) names several heads.
    #[error("Multiple head revisions are present for given argument '{argument}'; please specify a specific target revision, '<branchname>@{argument}' to narrow to a specific head, or 'heads' for all heads")]
    MultipleHeadsForArgument {
        /// The argument as typed.
        argument: String,
        /// The heads it matched.
        heads: Vec<String>,
    },
    /// `stamp` with a destination naming several heads.
    #[error("Multiple heads are present; please specify a single target revision")]
    StampMultipleHeads {
        /// The argument as typed.
        argument: String,
        /// The heads it matched.
        heads: Vec<String>,
    },
    /// No revision, prefix or label matches.
    #[error("Can't locate revision identified by '{argument}'")]
    UnknownRevision {
        /// The identifier that failed (the part after `@` for `L@x`).
        argument: String,
    },
    /// A prefix matches several revisions or labels.
    #[error("Can't locate revision identified by '{argument}': several revisions start with '{argument}': {}; type more characters", quoted(.candidates))]
    AmbiguousPrefix {
        /// The prefix.
        argument: String,
        /// The matching ids and labels, map order.
        candidates: Vec<String>,
    },
    /// `L@x` where `L` is neither a label nor a revision.
    #[error("Can't locate revision identified by '{branch}'")]
    NoSuchBranch {
        /// The branch as typed.
        branch: String,
    },
    /// `L@x` where `x` is not on `L`'s line.
    #[error("Can't locate revision identified by '{argument}'")]
    NotMemberOfBranch {
        /// The identifier after `@`.
        argument: String,
        /// The revision it resolved to.
        rev: String,
        /// The branch.
        branch: String,
    },
    /// A relative step reached a branch or merge point.
    #[error("Ambiguous walk")]
    AmbiguousWalk,
    /// `+N` / `-N` walked past the end of the graph.
    #[error("Relative revision {relative} didn't produce {steps} migrations")]
    RelativeTooFar {
        /// The relative part as Alembic prints it (`+2`, `-1`).
        relative: String,
        /// `|N|`.
        steps: u64,
    },
    /// `sym±N` walked past the end of the graph.
    #[error("Walked too far")]
    WalkedTooFar,
    /// `upgrade +N` with several rows and no branch to choose one.
    #[error("Ambiguous upgrade from multiple current revisions")]
    AmbiguousUpgrade,
    /// One requested revision is an ancestor of another.
    #[error("Requested revision {rev} overlaps with other requested revisions {}", .others.join(", "))]
    Overlap {
        /// The descendant.
        rev: String,
        /// Its ancestors among the requested revisions.
        others: Vec<String>,
    },

    // ---- planning ----
    /// `downgrade X` where nothing above X is applied and X is not a row.
    #[error("Destination {destination} is not a valid downgrade target from current head(s)")]
    InvalidDowngradeTarget {
        /// The destination as typed.
        destination: String,
    },
    /// `downgrade L@...` where no root is on L's line.
    #[error("Not a valid downgrade target from current heads")]
    NoDowngradeRoots {
        /// The branch as typed.
        branch: String,
    },
    /// `history -r S:E` where S is not below E.
    #[error("Requested range {start}:{end} does not refer to ancestor/descendant revisions along the same branch")]
    RangeNotAncestor {
        /// Start as typed.
        start: String,
        /// End as typed.
        end: String,
    },
    /// A history range without exactly one colon.
    #[error("History range requires [start]:[end], [start]:, or :[end]")]
    InvalidRange {
        /// The argument as typed.
        range: String,
    },
}

/// Which attribute of a migration an error points at.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Field {
    /// The `rev` value.
    Rev,
    /// One `down_rev` entry, as written.
    DownRev(String),
    /// One `depends_on` entry, as written.
    DependsOn(String),
    /// One branch label, as written.
    BranchLabel(String),
}

/// One token to blame: the migration (by id) and the attribute entry.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Blame {
    /// The migration's id.
    pub rev: String,
    /// The attribute entry.
    pub field: Field,
    /// The migration's order key, set when the id alone is ambiguous (duplicate or empty ids).
    pub order_key: Option<String>,
}

impl Blame {
    fn new(rev: &str, field: Field) -> Blame {
        Blame {
            rev: rev.to_owned(),
            field,
            order_key: None,
        }
    }
}

impl GraphError {
    /// The tokens a compile-time diagnostic should point at; empty for errors that are not
    /// about one migration's declaration (resolution and planning).
    ///
    /// # Examples
    ///
    /// ```
    /// use migrate_graph::{Blame, Field, Graph, Revision};
    /// let errs = Graph::new(vec![Revision::new("b0", ["zz"])]).unwrap_err();
    /// assert_eq!(errs[0].blame()[0].field, Field::DownRev("zz".into()));
    /// ```
    pub fn blame(&self) -> Vec<Blame> {
        use GraphError as E;
        match self {
            E::EmptyId { order_key } => vec![Blame {
                rev: String::new(),
                field: Field::Rev,
                order_key: Some(order_key.clone()),
            }],
            E::IdTooLong { rev, .. }
            | E::IllegalCharacters { rev, .. }
            | E::UnsafeIdCharacter { rev, .. }
            | E::ReservedId { rev } => {
                vec![Blame::new(rev, Field::Rev)]
            }
            E::DuplicateRevision { rev, order_key, .. } => vec![Blame {
                rev: rev.clone(),
                field: Field::Rev,
                order_key: Some(order_key.clone()),
            }],
            E::EmptyLabel { rev } => vec![Blame::new(rev, Field::BranchLabel(String::new()))],
            E::IllegalLabelCharacters { rev, label, .. }
            | E::LabelIsRevision { rev, label }
            | E::DuplicateBranchLabel { rev, label, .. } => {
                vec![Blame::new(rev, Field::BranchLabel(label.clone()))]
            }
            E::SelfLoop { rev } => vec![Blame::new(rev, Field::DownRev(rev.clone()))],
            E::DependencySelfLoop { rev, via } => {
                vec![Blame::new(rev, Field::DependsOn(via.clone()))]
            }
            E::DuplicateDownRev { rev, parent } => {
                vec![Blame::new(rev, Field::DownRev(parent.clone()))]
            }
            E::MissingDownRev { rev, missing } => {
                vec![Blame::new(rev, Field::DownRev(missing.clone()))]
            }
            E::MissingDependency { rev, missing } => {
                vec![Blame::new(rev, Field::DependsOn(missing.clone()))]
            }
            E::Cycle { edges, .. } => edges
                .iter()
                .map(|(child, parent)| Blame::new(child, Field::DownRev(parent.clone())))
                .collect(),
            E::DependencyCycle { edges, .. } => edges
                .iter()
                .map(|(child, dep)| Blame::new(child, Field::DependsOn(dep.clone())))
                .collect(),
            E::MultipleHeads { heads, .. } => {
                heads.iter().map(|h| Blame::new(h, Field::Rev)).collect()
            }
            _ => Vec::new(),
        }
    }
}

/// `'text'`, with control and bidirectional-override characters escaped.
fn printable_quoted(text: &str) -> String {
    format!("'{}'", crate::printable_line(text))
}

fn join_chars(chars: &[char]) -> String {
    chars
        .iter()
        .map(char::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

fn quoted(items: &[String]) -> String {
    items
        .iter()
        .map(|c| format!("'{c}'"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn multiple_heads_message(heads: &[String], label: Option<&str>) -> String {
    let list = heads.join(", ");
    match label {
        None => format!(
            "{} heads: {list} — create a merge with `migrate merge heads`",
            heads.len()
        ),
        Some(label) => format!(
            "{} heads on branch '{label}': {list} — create a merge with `migrate merge {}`",
            heads.len(),
            heads.join(" ")
        ),
    }
}
