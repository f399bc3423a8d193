//! Finding `#[migration]` fns in a versions folder without compiling it.
//!
//! Speed matters (the CLI reads the folder on every command, the macro on every crate
//! build), so a file is never parsed whole: the attribute is located textually, then the item
//! from its first doc/attribute line is read by the allocation-free fast path (`fast`), or,
//! for anything unusual, lexed with `proc-macro2` with only the attributes and the signature
//! going through syn. The body is hashed token by token, never parsed.

use std::path::{Path, PathBuf};

use proc_macro2::{Delimiter, TokenStream, TokenTree};
use syn::parse::{ParseStream, Parser};
use syn::{Attribute, Signature, Visibility};

use migrate_graph::order_key;

use crate::attr::{is_migration_attr, parse_attribute};
use crate::canon::{self, CTok};
use crate::schema::{Args, Plain};
use crate::{legacy_checksum, SourceError};

/// One `#[migration]` fn found in a source file: plain data (no spans), so it can be cached
/// across macro invocations and sent between threads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceMigration {
    /// The file, as given to the scanner joined with the file name.
    pub file: PathBuf,
    /// The line of the `#[migration` attribute (what `line!()` gives in generated code).
    pub line: u32,
    /// The fn's name.
    pub fn_name: String,
    /// `rev`.
    pub rev: String,
    /// `down_rev`, empty for a root.
    pub down_revs: Vec<String>,
    /// `depends_on`.
    pub depends_on: Vec<String>,
    /// `branch_labels`.
    pub branch_labels: Vec<String>,
    /// `message`, else the doc comment.
    pub message: String,
    /// See [`checksum`](crate::checksum()): the `v2:` checksum, covering the `downgrade` fn
    /// when it is in the same file.
    pub checksum: String,
    /// See [`legacy_checksum`](crate::legacy_checksum()): the pre-v2 checksum, which history
    /// rows written by earlier versions hold.
    pub legacy_checksum: String,
    /// `transactional` (default `true`).
    pub transactional: bool,
    /// The `downgrade = path` as written, if any.
    pub downgrade: Option<String>,
    /// `allow_lint`.
    pub allow_lint: Vec<String>,
    /// `allow_lint_reason`, empty when absent.
    pub allow_lint_reason: String,
    /// `table_lock_timeout` in milliseconds; 0 when absent (or malformed, which the attribute
    /// reports).
    pub table_lock_timeout_ms: u64,
    /// `statement_timeout` in milliseconds, as `table_lock_timeout_ms`.
    pub statement_timeout_ms: u64,
    /// How the fn's return type is written.
    pub returns: crate::Returns,
}

impl SourceMigration {
    /// The graph's view of this migration; `order_key` is [`order_key`]`(file, line)`, the
    /// key the runtime builds from `file!()`/`line!()`.
    pub fn to_revision(&self) -> migrate_graph::Revision {
        migrate_graph::Revision {
            id: self.rev.clone(),
            down_revs: self.down_revs.clone(),
            depends_on: self.depends_on.clone(),
            branch_labels: self.branch_labels.clone(),
            message: self.message.clone(),
            checksum: self.checksum.clone(),
            order_key: order_key(&self.file.to_string_lossy(), self.line),
        }
    }
}

/// Everything found in a folder: the migrations and, separately, what could not be read, so
/// the macro can check the graph of the good ones while each bad file reports its own error.
#[derive(Debug, Default)]
pub struct Scan {
    /// Migrations, in file-name order then line order.
    pub migrations: Vec<SourceMigration>,
    /// Malformed attributes or items.
    pub problems: Vec<SourceError>,
}

/// Reads every `*.rs` file directly in `dir` (sorted by name) and returns its migrations;
/// fails if the folder can't be read or any `#[migration]` is malformed (all problems are
/// reported, see [`SourceError::Many`]).
///
/// Files are read on several threads. Not for use inside a proc macro (`proc-macro2` would
/// try to reach the compiler from the worker threads): use [`scan_dir_lenient`] there.
pub fn scan_dir(dir: &Path) -> Result<Vec<SourceMigration>, SourceError> {
    let mut scan = scan_parallel(dir)?;
    match scan.problems.len() {
        0 => Ok(scan.migrations),
        1 => Err(scan.problems.remove(0)),
        _ => Err(SourceError::Many(scan.problems)),
    }
}

/// The `*.rs` files directly in `dir`, sorted by name.
pub fn rust_files(dir: &Path) -> Result<Vec<PathBuf>, SourceError> {
    let io = |source| SourceError::Io {
        path: dir.to_path_buf(),
        source,
    };
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let entry = entry.map_err(io)?;
        let name = entry.file_name();
        if !name.as_encoded_bytes().ends_with(b".rs") {
            continue;
        }
        // `file_type` comes from the directory entry itself on most systems: no stat per file
        // unless it is a symlink.
        let file_type = entry.file_type().map_err(io)?;
        let path = entry.path();
        if file_type.is_dir() {
            continue;
        }
        if file_type.is_file() || (file_type.is_symlink() && path.is_file()) {
            files.push((name, path));
        }
    }
    // By name (bytes), not by `Path` (component-wise comparison is several times slower).
    files.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    Ok(files.into_iter().map(|(_, path)| path).collect())
}

/// `migrations!()`'s folder rule: a `*.rs` file in a sub-folder of the versions folder
/// would never be compiled (the build reads that folder only), so it is an error naming the
/// file. (A `#[migration]` written in `src/lib.rs` scans `src/`, whose sub-folders are the
/// crate's own modules: only the versions folder has this rule.)
pub fn refuse_nested_files(dir: &Path) -> Result<(), SourceError> {
    let entries = std::fs::read_dir(dir).map_err(|source| SourceError::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    for entry in entries.flatten() {
        if entry.file_type().is_ok_and(|t| t.is_dir()) {
            if let Some(file) = first_rust_file(&entry.path()) {
                return Err(SourceError::NestedFile {
                    dir: dir.to_path_buf(),
                    file,
                });
            }
        }
    }
    Ok(())
}

/// The first `*.rs` file found in `dir` or below it (a few levels at most), if any.
fn first_rust_file(dir: &Path) -> Option<PathBuf> {
    fn walk(dir: &Path, levels: u32) -> Option<PathBuf> {
        let mut folders = Vec::new();
        for entry in std::fs::read_dir(dir).ok()?.flatten() {
            let path = entry.path();
            if path.extension().is_some_and(|e| e == "rs") && path.is_file() {
                return Some(path);
            }
            if levels > 0 && entry.file_type().is_ok_and(|t| t.is_dir()) {
                folders.push(path);
            }
        }
        folders.into_iter().find_map(|f| walk(&f, levels - 1))
    }
    walk(dir, 4)
}

/// Like [`scan_dir`], but a malformed migration is set aside in [`Scan::problems`] instead of
/// failing the whole folder; only an unreadable folder or file is an error. Runs on the
/// calling thread, so it is safe inside a proc macro.
pub fn scan_dir_lenient(dir: &Path) -> Result<Scan, SourceError> {
    scan_files(&rust_files(dir)?)
}

fn scan_parallel(dir: &Path) -> Result<Scan, SourceError> {
    let files = rust_files(dir)?;
    // Reading and tokenizing dominate; split the sorted list into contiguous chunks, one per
    // thread, and concatenate the results in order so the output stays sorted.
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 8);
    let chunk = files.len().div_ceil(threads).max(256);
    if files.len() <= chunk {
        return scan_files(&files);
    }
    let results: Vec<Result<Scan, SourceError>> = std::thread::scope(|scope| {
        let handles: Vec<_> = files
            .chunks(chunk)
            .map(|part| scope.spawn(move || scan_files(part)))
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    });
    let mut scan = Scan::default();
    for part in results {
        let part = part?;
        scan.migrations.extend(part.migrations);
        scan.problems.extend(part.problems);
    }
    Ok(scan)
}

fn scan_files(files: &[PathBuf]) -> Result<Scan, SourceError> {
    use std::io::Read as _;
    let mut scan = Scan::default();
    let mut buf = Vec::with_capacity(64 * 1024);
    for path in files {
        let io = |source| SourceError::Io {
            path: path.clone(),
            source,
        };
        buf.clear();
        // Not `fs::read_to_string`: its size hint costs a `statx` per file, a third of the
        // syscalls for a small migration file. `Take` reads with the plain loop.
        std::fs::File::open(path)
            .and_then(|file| file.take(u64::MAX).read_to_end(&mut buf))
            .map_err(io)?;
        let text = std::str::from_utf8(&buf)
            .map_err(|e| io(std::io::Error::new(std::io::ErrorKind::InvalidData, e)))?;
        scan_source_into(path, text, &mut scan);
    }
    Ok(scan)
}

/// Scans the text of one file (named `file` in errors and order keys).
pub fn scan_source(file: &Path, text: &str) -> Scan {
    let mut scan = Scan::default();
    scan_source_into(file, text, &mut scan);
    scan
}

/// The syn path alone, to hold the fast path to the same results in tests.
#[cfg(test)]
pub(crate) fn scan_source_syn_only(file: &Path, text: &str) -> Scan {
    let mut scan = Scan::default();
    scan_source_with(file, text, &mut scan, false);
    scan
}

fn scan_source_into(file: &Path, text: &str, scan: &mut Scan) {
    scan_source_with(file, text, scan, true);
}

fn scan_source_with(file: &Path, text: &str, scan: &mut Scan, fast: bool) {
    let lines: Vec<(usize, &str)> = line_offsets(text);
    // `{}` blocks open before the item being read, lexed once up to each item in turn:
    // `migrations!()` can only register a top-level fn of the file.
    let (mut lexed, mut open_blocks) = (0, Some(0isize));
    for (index, (_, line)) in lines.iter().enumerate() {
        if !is_migration_attr_line(line) {
            continue;
        }
        let line_no = u32::try_from(index + 1).unwrap_or(u32::MAX);
        let start = lines[item_start(&lines, index)].0;
        let invalid = |message: String| SourceError::Invalid {
            file: file.to_path_buf(),
            line: line_no,
            message,
        };
        if start >= lexed {
            open_blocks = open_blocks
                .zip(crate::fast::block_delta(&text[lexed..start]))
                .map(|(a, b)| a + b);
            lexed = start;
        }
        if open_blocks.is_some_and(|n| n > 0) {
            scan.problems.push(invalid(
                "#[migration] is inside a block (a `mod`, `impl` or fn body), where `migrations!()` can't register it; make the fn a top-level item of its versions file".to_owned(),
            ));
            continue;
        }
        if fast {
            if let Some(found) = crate::fast::read(file, line_no, &text[start..], text) {
                scan.migrations.push(found);
                continue;
            }
        }
        match read_item(&text[start..]) {
            Ok(Some(found)) => match found.into_migration(file, line_no, text) {
                Ok(m) => scan.migrations.push(m),
                Err(message) => scan.problems.push(invalid(message)),
            },
            // The text looked like the attribute but is not one (e.g. inside a string).
            Ok(None) => {}
            Err(message) => scan.problems.push(invalid(message)),
        }
    }
}

fn line_offsets(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        out.push((offset, line));
        offset += line.len();
    }
    out
}

/// `#[migration(`, `#[migration]` or `#[migrate_core::migration(` at the start of a line.
fn is_migration_attr_line(line: &str) -> bool {
    let Some(rest) = line.trim_start().strip_prefix("#[") else {
        return false;
    };
    let mut rest = rest.trim_start();
    if let Some(after) = rest.strip_prefix("migrate_core") {
        match after.trim_start().strip_prefix("::") {
            Some(after) => rest = after.trim_start(),
            None => return false,
        }
    }
    rest.strip_prefix("migration")
        .is_some_and(|after| after.trim_start().starts_with(['(', ']']))
}

/// The first line of the item carrying the attribute on line `index`: walks back over the
/// doc comments, attributes, comments and blank lines just above it.
fn item_start(lines: &[(usize, &str)], index: usize) -> usize {
    let mut start = index;
    while start > 0 {
        let prev = lines[start - 1].1.trim();
        let belongs = prev.is_empty()
            || (prev.starts_with("//") && !prev.starts_with("//!"))
            || prev.starts_with("#[");
        if !belongs {
            break;
        }
        start -= 1;
    }
    start
}

struct FoundItem {
    attrs: Vec<Attribute>,
    sig: Signature,
    tokens: TokenStream,
}

/// Lexes from the item's start and parses its attributes and signature; the body is kept as
/// tokens. `Ok(None)` when no `#[migration]` attribute is there after all.
fn read_item(text: &str) -> Result<Option<FoundItem>, String> {
    let stream: TokenStream = text
        .parse()
        .map_err(|e| format!("cannot tokenize the file from this #[migration] on: {e}"))?;
    let mut head = Vec::new();
    let mut saw_fn = false;
    let mut body = None;
    for token in stream {
        match &token {
            TokenTree::Ident(i) if i == "fn" => saw_fn = true,
            TokenTree::Group(g) if g.delimiter() == Delimiter::Brace => {
                if saw_fn {
                    body = Some(token);
                    break;
                }
                return Err(not_a_fn());
            }
            TokenTree::Punct(p) if p.as_char() == ';' => return Err(not_a_fn()),
            _ => {}
        }
        head.push(token);
    }
    let Some(body) = body else {
        return Err(not_a_fn());
    };
    let head: TokenStream = head.into_iter().collect();
    let (attrs, sig) = (|input: ParseStream<'_>| {
        let attrs = input.call(Attribute::parse_outer)?;
        let _: Visibility = input.parse()?;
        let sig: Signature = input.parse()?;
        Ok((attrs, sig))
    })
    .parse2(head.clone())
    .map_err(|e| format!("cannot parse the fn under #[migration]: {e}"))?;
    if !attrs.iter().any(is_migration_attr) {
        return Ok(None);
    }
    let mut tokens = head;
    tokens.extend([body]);
    Ok(Some(FoundItem { attrs, sig, tokens }))
}

fn not_a_fn() -> String {
    "#[migration] must be placed on a fn, e.g. `pub fn upgrade(op: &mut Op) -> Result<()>`"
        .to_owned()
}

impl FoundItem {
    fn into_migration(
        self,
        file: &Path,
        line: u32,
        file_text: &str,
    ) -> Result<SourceMigration, String> {
        // Only the first #[migration] counts; a second one is the macro's error to report.
        let attr = self
            .attrs
            .iter()
            .find(|a| is_migration_attr(a))
            .ok_or_else(not_a_fn)?;
        let parsed = parse_attribute(attr).map_err(|errors| {
            let messages: Vec<String> = errors.into_iter().map(|e| e.to_string()).collect();
            format!("#[migration]: {}", messages.join("; "))
        })?;
        let attrs = &self.attrs;
        let mut upgrade = Vec::new();
        canon::flatten(self.tokens.clone(), &mut upgrade);
        let upgrade = canon::skip_outer_attrs(&upgrade).to_vec();
        Ok(source_migration(
            &parsed,
            Found {
                file,
                line,
                fn_name: self.sig.ident.to_string(),
                docs: || crate::attr::doc_message(attrs),
                legacy_checksum: legacy_checksum(self.tokens),
                upgrade,
                file_text,
                returns: match &self.sig.output {
                    syn::ReturnType::Default => String::new(),
                    syn::ReturnType::Type(_, ty) => quote::ToTokens::to_token_stream(ty)
                        .to_string()
                        .replace(' ', ""),
                },
            },
        ))
    }
}

/// What a reader found besides the arguments.
pub(crate) struct Found<'a, D> {
    pub(crate) file: &'a Path,
    pub(crate) line: u32,
    pub(crate) fn_name: String,
    /// The message the doc comment makes (called only without `message = ".."`).
    pub(crate) docs: D,
    pub(crate) legacy_checksum: String,
    /// The item's tokens after its outer attributes, for the v2 checksum.
    pub(crate) upgrade: Vec<CTok<'a>>,
    /// The whole file, where the downgrade fn is looked for.
    pub(crate) file_text: &'a str,
    /// The return type's tokens with no space between them (see [`crate::Returns`]).
    pub(crate) returns: String,
}

/// Milliseconds of a duration key; 0 when absent or malformed.
fn millis<S: Plain<Out = String>>(value: Option<&S>) -> u64 {
    value
        .and_then(|v| crate::duration_ms(&v.plain()))
        .unwrap_or(0)
}

/// The plain-data migration, the same for both readers: each field from its key (the
/// defaults of absent keys included) is decided here alone.
pub(crate) fn source_migration<S, P, B, D>(
    args: &Args<S, P, B>,
    found: Found<'_, D>,
) -> SourceMigration
where
    S: Plain<Out = String>,
    P: Plain<Out = String>,
    B: Plain<Out = bool>,
    D: FnOnce() -> String,
{
    let plain = |v: &[S]| v.iter().map(Plain::plain).collect();
    let downgrade: Option<String> = args.downgrade.as_ref().map(Plain::plain);
    let checksum = crate::checksum::checksum_of(
        &found.upgrade,
        downgrade.as_deref().map(|path| crate::Downgrade {
            path,
            file: Some(found.file_text),
        }),
    );
    SourceMigration {
        file: found.file.to_path_buf(),
        line: found.line,
        fn_name: found.fn_name,
        rev: args.rev.plain(),
        down_revs: plain(&args.down_revs),
        depends_on: plain(&args.depends_on),
        branch_labels: plain(&args.branch_labels),
        message: match &args.message {
            Some(message) => message.plain(),
            None => (found.docs)(),
        },
        checksum,
        legacy_checksum: found.legacy_checksum,
        transactional: args.transactional.as_ref().is_none_or(Plain::plain),
        downgrade,
        allow_lint: plain(&args.allow_lint),
        allow_lint_reason: args
            .allow_lint_reason
            .as_ref()
            .map_or_else(String::new, Plain::plain),
        table_lock_timeout_ms: millis(args.table_lock_timeout.as_ref()),
        statement_timeout_ms: millis(args.statement_timeout.as_ref()),
        returns: crate::Returns::classify(&found.returns, found.file_text),
    }
}
