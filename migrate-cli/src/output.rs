//! Alembic's output formats (`Script.cmd_format` and `Script.log_entry` in
//! `alembic/script/base.py`), byte for byte, and their JSON twins.
//!
//! * one-line form (`Script._head_only`):
//!   `[<parents|<base>>[ (<deps>)] -> ]<rev>[ (<labels>)][ (head)][ (effective head)][ (current)][ (branchpoint)][ (mergepoint)][, <doc>]`
//! * verbose block (`Script.log_entry`): `Rev:`, `Parent:`/`Merges:`, `Also depends on:`,
//!   `Branches into:`, `Branch names:`, `Path:`, blank line, the message indented by 4.

use std::fmt::Write as _;

use migrate_graph::printable;
use serde_json::{json, Value};

use crate::view::Facts;

/// Which parts of the one-line form to show (the flags of Alembic's `cmd_format`).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Line {
    pub(crate) branches: bool,
    pub(crate) doc: bool,
    pub(crate) parents: bool,
    pub(crate) tree: bool,
    pub(crate) head: bool,
}

impl Line {
    /// `heads`: labels and head markers, no tree markers.
    pub(crate) const HEADS: Line = Line {
        branches: true,
        doc: false,
        parents: false,
        tree: false,
        head: true,
    };
    /// `history`: everything.
    pub(crate) const HISTORY: Line = Line {
        branches: true,
        doc: true,
        parents: true,
        tree: true,
        head: true,
    };
    /// `current`: markers only.
    pub(crate) const CURRENT: Line = Line {
        branches: false,
        doc: false,
        parents: false,
        tree: true,
        head: true,
    };
    /// `branches`: the branch point and each child line.
    pub(crate) const BRANCHES: Line = Line {
        branches: true,
        doc: false,
        parents: false,
        tree: true,
        head: true,
    };
}

/// `<base>` or the versioned parents, comma-joined.
fn parents(f: &Facts<'_>) -> String {
    if f.rev.down_revs.is_empty() {
        "<base>".to_owned()
    } else {
        f.rev.down_revs.join(", ")
    }
}

/// The first paragraph of the message (Alembic's `doc`). Printed through
/// [`printable`]: a message is text from a file, and must not drive the terminal.
pub(crate) fn doc(message: &str) -> &str {
    message.split("\n\n").next().unwrap_or(message).trim_end()
}

/// The one-line form.
pub(crate) fn line(f: &Facts<'_>, how: Line) -> String {
    let mut s = String::new();
    if how.parents {
        s.push_str(&parents(f));
        if !f.rev.depends_on.is_empty() {
            let _ = write!(s, " ({})", f.rev.depends_on.join(", "));
        }
        s.push_str(" -> ");
    }
    s.push_str(&f.rev.id);
    if how.branches && !f.labels.is_empty() {
        let _ = write!(s, " ({})", f.labels.join(", "));
    }
    if how.head || how.tree {
        if f.is_real_head {
            s.push_str(" (head)");
        }
        if f.is_effective_head() {
            s.push_str(" (effective head)");
        }
        if f.is_current {
            s.push_str(" (current)");
        }
    }
    if how.tree {
        if f.is_branch_point() {
            s.push_str(" (branchpoint)");
        }
        if f.is_merge_point() {
            s.push_str(" (mergepoint)");
        }
    }
    if how.doc {
        let _ = write!(s, ", {}", printable(doc(&f.rev.message)));
    }
    s
}

/// The verbose block, ending with the message line; print it with a trailing newline to get
/// Alembic's blank line between blocks.
pub(crate) fn block(f: &Facts<'_>) -> String {
    let mut s = format!("Rev: {}", f.rev.id);
    if f.is_head {
        s.push_str(" (head)");
    }
    if f.is_branch_point() {
        s.push_str(" (branchpoint)");
    }
    if f.is_merge_point() {
        s.push_str(" (mergepoint)");
    }
    if f.is_current {
        s.push_str(" (current)");
    }
    s.push('\n');
    let key = if f.is_merge_point() {
        "Merges"
    } else {
        "Parent"
    };
    let _ = writeln!(s, "{key}: {}", parents(f));
    if !f.rev.depends_on.is_empty() {
        let _ = writeln!(s, "Also depends on: {}", f.rev.depends_on.join(", "));
    }
    if f.is_branch_point() {
        let _ = writeln!(s, "Branches into: {}", f.children.join(", "));
    }
    if !f.labels.is_empty() {
        let _ = writeln!(s, "Branch names: {}", f.labels.join(", "));
    }
    let path = f.path.map(|p| p.display().to_string()).unwrap_or_default();
    let _ = writeln!(s, "Path: {path}");
    s.push('\n');
    let body: Vec<String> = f
        .rev
        .message
        .lines()
        .map(|l| format!("    {}", printable(l)))
        .collect();
    s.push_str(&body.join("\n"));
    s.push('\n');
    s
}

/// One revision as a JSON object (every listing command's `--json` item).
pub(crate) fn json(f: &Facts<'_>) -> Value {
    json!({
        "revision": f.rev.id,
        "down_revisions": f.rev.down_revs,
        "depends_on": f.rev.depends_on,
        "branch_labels": f.labels,
        "message": f.rev.message,
        "head": f.is_real_head,
        "effective_head": f.is_effective_head(),
        "branchpoint": f.is_branch_point(),
        "mergepoint": f.is_merge_point(),
        "current": f.is_current,
        "children": f.children,
        "path": f.path.map(|p| p.display().to_string()),
        "line": f.line,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use migrate_graph::Revision;

    fn rev(id: &str, down: &[&str], deps: &[&str], msg: &str) -> Revision {
        Revision {
            id: id.into(),
            down_revs: down.iter().map(|s| (*s).into()).collect(),
            depends_on: deps.iter().map(|s| (*s).into()).collect(),
            branch_labels: vec![],
            message: msg.into(),
            checksum: String::new(),
            order_key: String::new(),
        }
    }

    #[test]
    fn history_line_matches_alembic_example() {
        let r = rev(
            "2a95102259be",
            &["29f859a13ea0"],
            &["55af2cb1c267"],
            "add ip account table",
        );
        let f = Facts {
            rev: &r,
            labels: vec!["networking".into()],
            children: Vec::new(),
            is_head: true,
            is_real_head: true,
            is_current: false,
            path: None,
            line: None,
        };
        assert_eq!(
            line(&f, Line::HISTORY),
            "29f859a13ea0 (55af2cb1c267) -> 2a95102259be (networking) (head), add ip account table"
        );
        assert_eq!(line(&f, Line::HEADS), "2a95102259be (networking) (head)");
    }

    #[test]
    fn verbose_block_of_a_merge() {
        let r = rev("m1", &["a", "b"], &[], "merge\n\nmore");
        let kids = ["c", "d"];
        let f = Facts {
            rev: &r,
            labels: vec![],
            children: kids.to_vec(),
            is_head: false,
            is_real_head: false,
            is_current: true,
            path: Some(std::path::Path::new("/p/m1.rs")),
            line: Some(5),
        };
        assert_eq!(
            block(&f),
            "Rev: m1 (branchpoint) (mergepoint) (current)\nMerges: a, b\nBranches into: c, d\n\
             Path: /p/m1.rs\n\n    merge\n    \n    more\n"
        );
        assert_eq!(
            line(&f, Line::HISTORY),
            "a, b -> m1 (current) (branchpoint) (mergepoint), merge"
        );
    }
}
