//! How a migration fn's return type is spelled, which decides how `migrations!()` lists it.
//!
//! `migrations!()` lists each migration as a fn pointer: the cheapest thing for `cargo check`
//! (a wrapper fn or a generic call per migration costs about as much again as the migration
//! itself). A fn pointer has one exact type, so the macro must know which `Result` the fn
//! returns, from the text alone. When the text leaves any doubt the answer is
//! [`Returns::Other`], which the macro lists through a generic wrapper that accepts every
//! valid signature; a wrong guess could only be a compile error, never a different program.

/// How the return type of a `#[migration]` fn is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Returns {
    /// `Result<()>` in a file that glob-imports a `prelude` and no `use` or `type` of its own
    /// names `Result`: the prelude's `Result<(), MigrationError>`.
    Prelude,
    /// `migrate_core::Result<()>` (or `::migrate_core::Result<()>`).
    Core,
    /// Anything else.
    #[default]
    Other,
}

/// The core `Result`'s spellings.
const CORE: [&str; 2] = ["migrate_core::Result<()>", "::migrate_core::Result<()>"];

impl Returns {
    /// The kind of return type `ty` (its tokens with no space between them, e.g.
    /// `Result<()>`), written in a file whose text is `file`.
    pub fn classify(ty: &str, file: &str) -> Returns {
        match ty {
            _ if CORE.contains(&ty) => Returns::Core,
            "Result<()>" if prelude_result(file) => Returns::Prelude,
            _ => Returns::Other,
        }
    }

    /// Whether `ty` (spelled as for [`classify`](Returns::classify)) is one of the ways
    /// `migrate revision` and the docs write a migration's return type: `Result<()>` or the
    /// core `Result<()>` by path.
    pub fn is_usual_spelling(ty: &str) -> bool {
        ty == "Result<()>" || CORE.contains(&ty)
    }
}

/// Whether a bare `Result` in `file` is a glob-imported prelude's: some `use` ends in
/// `prelude::*`, and no `use` statement (to its `;`, however many lines) or `type` alias
/// names `Result`.
fn prelude_result(file: &str) -> bool {
    if file.contains("type Result") {
        return false;
    }
    let mut prelude = false;
    let mut rest = file;
    while let Some(at) = find_use(rest) {
        let statement = &rest[at..];
        let end = statement.find(';').unwrap_or(statement.len());
        let statement = &statement[..end];
        if statement.contains("Result") {
            return false;
        }
        prelude |= statement.trim_end().ends_with("prelude::*");
        rest = &rest[at + end..];
    }
    prelude
}

/// The offset of the next `use` (or `pub use`, `pub(crate) use`) that starts a line.
fn find_use(text: &str) -> Option<usize> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        let after_vis = trimmed
            .strip_prefix("pub(crate) ")
            .or_else(|| trimmed.strip_prefix("pub "))
            .unwrap_or(trimmed);
        if after_vis.starts_with("use ") {
            return Some(offset + indent);
        }
        offset += line.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::Returns;

    const PRELUDE: &str = "use migrate_core::prelude::*;\n\npub fn upgrade() {}\n";

    #[test]
    fn a_bare_result_under_the_prelude_glob_is_the_preludes() {
        assert_eq!(Returns::classify("Result<()>", PRELUDE), Returns::Prelude);
        let renamed = "use renamed::prelude::*;\nuse std::fmt;\n";
        assert_eq!(Returns::classify("Result<()>", renamed), Returns::Prelude);
    }

    #[test]
    fn the_core_result_is_recognised_by_its_path() {
        for ty in ["migrate_core::Result<()>", "::migrate_core::Result<()>"] {
            assert_eq!(Returns::classify(ty, PRELUDE), Returns::Core);
            assert_eq!(Returns::classify(ty, ""), Returns::Core);
        }
    }

    #[test]
    fn the_usual_spellings() {
        for ty in [
            "Result<()>",
            "migrate_core::Result<()>",
            "::migrate_core::Result<()>",
        ] {
            assert!(Returns::is_usual_spelling(ty), "{ty}");
        }
        for ty in [
            "Result",
            "std::result::Result<(),MigrationError>",
            "Result<(),E>",
        ] {
            assert!(!Returns::is_usual_spelling(ty), "{ty}");
        }
    }

    #[test]
    fn any_doubt_is_other() {
        // No prelude glob.
        assert_eq!(
            Returns::classify("Result<()>", "use migrate_core::Op;\n"),
            Returns::Other
        );
        // A `Result` imported by name, on a line of its own in a multi-line `use`.
        let named =
            "use migrate_core::prelude::*;\nuse migrate_core::{\n    Op,\n    Result,\n};\n";
        assert_eq!(Returns::classify("Result<()>", named), Returns::Other);
        // An alias of the file's own.
        let alias = "use migrate_core::prelude::*;\ntype Result<T> = std::result::Result<T, E>;\n";
        assert_eq!(Returns::classify("Result<()>", alias), Returns::Other);
        // Other spellings.
        for ty in [
            "Result",
            "std::result::Result<(),MigrationError>",
            "Result<(),MigrationError>",
        ] {
            assert_eq!(Returns::classify(ty, PRELUDE), Returns::Other);
        }
    }
}
