//! Errors reading migration source files.

use std::fmt;
use std::path::PathBuf;

/// Why the versions folder (or one file in it) could not be read as migrations.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SourceError {
    /// The folder or a file could not be read.
    #[error("cannot read {}", path.display())]
    Io {
        /// The folder or file.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// A `#[migration]` attribute or the item it is on is malformed.
    #[error("{}:{line}: {message}", file.display())]
    Invalid {
        /// The file.
        file: PathBuf,
        /// The line of the `#[migration` attribute.
        line: u32,
        /// What is wrong and how to fix it.
        message: String,
    },
    /// A `*.rs` file in a sub-folder of the versions folder, which no build would read.
    #[error("{}: migration files must be directly in {}; the build reads no sub-folder, so this file would never run: move it up into that folder", file.display(), dir.display())]
    NestedFile {
        /// The versions folder.
        dir: PathBuf,
        /// The file found below it.
        file: PathBuf,
    },
    /// Several problems, in file order.
    #[error("{}", Lines(.0))]
    Many(Vec<SourceError>),
}

struct Lines<'a>(&'a [SourceError]);

impl fmt::Display for Lines<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}
