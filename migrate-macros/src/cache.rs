//! One scan, and one graph check, of a versions folder per state of the folder.
//!
//! rustc keeps the proc-macro library loaded while it compiles a crate, and every
//! `#[migration]` of the crate (plus `migrations!()`) wants the same folder's graph: without
//! this cache N migrations would cost N scans of N files and N graph builds. (Proc macros are
//! compiled without optimisations in a debug build, which makes that N² very visible.)

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};
use std::time::{Duration, Instant, SystemTime};

use migrate_graph::{Graph, GraphError};
use migrate_source::{Scan, SourceError};

/// What identifies a state of the folder: every `*.rs` file with its length and mtime.
type Key = Vec<(PathBuf, u64, Option<SystemTime>)>;

/// How long a folder's state is trusted without looking at the files again. One crate's
/// expansion (a fresh rustc process) sees one state of the folder anyway; the window only
/// matters to a long-lived host such as rust-analyzer, which re-checks after it.
/// (Unit tests change folders between checks, so they trust nothing.)
const TRUST: Duration = if cfg!(test) {
    Duration::ZERO
} else {
    Duration::from_secs(2)
};

struct Entry {
    key: Key,
    checked: Instant,
    folder: Arc<Folder>,
}

static FOLDERS: Mutex<Option<HashMap<PathBuf, Entry>>> = Mutex::new(None);

/// A scanned folder, with its graph check computed on first use.
pub(crate) struct Folder {
    /// What the folder holds.
    pub(crate) scan: Scan,
    graph: OnceLock<(Vec<String>, Vec<GraphError>)>,
    /// `scan.migrations` by file name and attribute line, built on first use.
    at: OnceLock<HashMap<(String, u32), usize>>,
}

impl Folder {
    /// The scanned migration whose attribute is on `line` of the file named `file_name`:
    /// one lookup per attribute (a walk over the folder per attribute is N² for the crate).
    pub(crate) fn migration_at(
        &self,
        file_name: &str,
        line: u32,
    ) -> Option<&migrate_source::SourceMigration> {
        let at = self.at.get_or_init(|| {
            let name = |m: &migrate_source::SourceMigration| {
                m.file
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default()
            };
            self.scan
                .migrations
                .iter()
                .enumerate()
                .map(|(i, m)| ((name(m), m.line), i))
                .collect()
        });
        let index = at.get(&(file_name.to_owned(), line))?;
        self.scan.migrations.get(*index)
    }

    /// The errors of the graph of every scanned migration, external names stripped (see
    /// `external.rs`); computed once per folder state for the first `external` asked for.
    pub(crate) fn graph_errors(&self, external: &[String]) -> Vec<GraphError> {
        let compute = || {
            let mut revisions: Vec<_> = self
                .scan
                .migrations
                .iter()
                .map(|m| m.to_revision())
                .collect();
            crate::external::strip(&mut revisions, external);
            Graph::new(revisions).err().unwrap_or_default()
        };
        let (memo_external, errors) = self.graph.get_or_init(|| (external.to_vec(), compute()));
        if memo_external == external {
            errors.clone()
        } else {
            compute()
        }
    }
}

/// The folder `dir`, rescanned when a file in it was added, removed or modified.
pub(crate) fn folder(dir: &Path) -> Result<Arc<Folder>, SourceError> {
    {
        let guard = FOLDERS.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(entry) = guard.as_ref().and_then(|m| m.get(dir)) {
            if entry.checked.elapsed() < TRUST {
                return Ok(Arc::clone(&entry.folder));
            }
        }
    }
    let key = key(dir)?;
    let mut guard = FOLDERS.lock().unwrap_or_else(PoisonError::into_inner);
    let folders = guard.get_or_insert_with(HashMap::new);
    if let Some(entry) = folders.get_mut(dir) {
        if entry.key == key {
            entry.checked = Instant::now();
            return Ok(Arc::clone(&entry.folder));
        }
    }
    drop(guard);
    // Scan outside the lock; the text is the state the key describes, or newer.
    let folder = Arc::new(Folder {
        scan: migrate_source::scan_dir_lenient(dir)?,
        graph: OnceLock::new(),
        at: OnceLock::new(),
    });
    let entry = Entry {
        key,
        checked: Instant::now(),
        folder: Arc::clone(&folder),
    };
    let mut guard = FOLDERS.lock().unwrap_or_else(PoisonError::into_inner);
    guard
        .get_or_insert_with(HashMap::new)
        .insert(dir.to_path_buf(), entry);
    Ok(folder)
}

fn key(dir: &Path) -> Result<Key, SourceError> {
    let files = migrate_source::rust_files(dir)?;
    let mut key = Vec::with_capacity(files.len());
    for file in files {
        let meta = std::fs::metadata(&file).map_err(|source| SourceError::Io {
            path: file.clone(),
            source,
        })?;
        key.push((file, meta.len(), meta.modified().ok()));
    }
    Ok(key)
}
