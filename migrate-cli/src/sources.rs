//! The known revisions: parsed from the migrations crate's source files (standalone binary)
//! or taken from the linked migration sets (embedded), plus where each one is written.
//!
//! Parsing 10,000 files takes a good fraction of a second, so the parsed metadata is cached
//! per file in `<migrations crate>/target/migrate-index.tsv`, keyed by the file's path, size
//! and modification time: only new or edited files are parsed again.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use anyhow::Context as _;
use migrate_core::{Linked, MigrationSource};
use migrate_graph::Revision;

/// Where a revision is defined.
#[derive(Debug, Clone)]
pub(crate) struct Location {
    pub(crate) file: PathBuf,
    pub(crate) line: u32,
}

/// Where each known revision is written: as read from the source files (or the list a
/// migrations binary wrote), or asked of the linked registry, which knows its migrations'
/// `file!()` and line: a command shows a few revisions of 10,000, so no map is built for them.
#[derive(Debug, Clone)]
pub(crate) enum Locations {
    Files(HashMap<String, Location>),
    Linked(migrate_core::Registry),
}

impl Default for Locations {
    fn default() -> Locations {
        Locations::Files(HashMap::new())
    }
}

impl Locations {
    /// The file and line of `rev`'s `#[migration]`.
    pub(crate) fn get(&self, rev: &str) -> Option<(&Path, u32)> {
        match self {
            Locations::Files(map) => map.get(rev).map(|l| (l.file.as_path(), l.line)),
            Locations::Linked(registry) => registry
                .get(rev)
                .map(|m| (Path::new(m.source_file()), m.line())),
        }
    }
}

/// Every known revision (unordered; the graph sorts by `order_key`) and its location.
#[derive(Debug, Default, Clone)]
pub(crate) struct Known {
    pub(crate) revisions: Vec<Revision>,
    pub(crate) locations: Locations,
}

impl Known {
    /// From the migrations linked into this program: `source` plus whatever registered
    /// itself through `inventory` (another crate's migrations linked in).
    pub(crate) fn from_source(source: &dyn MigrationSource) -> anyhow::Result<Known> {
        let registry = migrate_core::Registry::from_source(&(Linked, source))?;
        Ok(Known::from_registry(&registry))
    }

    /// Where each migration of `registry` is written, without its revisions (the registry's
    /// graph has them).
    pub(crate) fn locations_of(registry: &migrate_core::Registry) -> Known {
        Known {
            revisions: Vec::new(),
            locations: Locations::Linked(registry.clone()),
        }
    }

    /// The revisions of an already built registry (the linked migrations).
    pub(crate) fn from_registry(registry: &migrate_core::Registry) -> Known {
        let owned = |xs: &[migrate_core::Text]| xs.iter().map(|s| s.to_string()).collect();
        let revisions = registry
            .migrations()
            .iter()
            .map(|m| Revision {
                id: m.rev().to_owned(),
                down_revs: owned(m.down_revs()),
                depends_on: owned(m.depends_on()),
                branch_labels: owned(m.branch_labels()),
                message: m.message().to_owned(),
                checksum: m.checksum().to_owned(),
                order_key: migrate_source::order_key(m.source_file(), m.line()),
            })
            .collect();
        Known {
            revisions,
            locations: Locations::Linked(registry.clone()),
        }
    }

    /// From the source files directly in `versions_dir` (as `migrations!()` reads them),
    /// re-parsing only the files whose size or modification time changed since the cache
    /// file was written.
    pub(crate) fn from_sources(versions_dir: &Path, cache_file: &Path) -> anyhow::Result<Known> {
        if !versions_dir.is_dir() {
            anyhow::bail!(
                "no migrations folder at {}: check `migrations` in migrate.toml, or run `migrate init`",
                versions_dir.display()
            );
        }
        let cache_text = std::fs::read_to_string(cache_file).unwrap_or_default();
        // Listing (one stat per file) and parsing the cache are independent: overlap them.
        let (files, mut cached) = std::thread::scope(|scope| {
            let parser = scope.spawn(|| parse_cache(&cache_text));
            let files = list_files(versions_dir);
            (files, parser.join().unwrap_or_default())
        });
        let files = files.with_context(|| format!("can't read {}", versions_dir.display()))?;
        let mut known = Known::default();
        let mut fresh = String::with_capacity(cache_text.len().max(64));
        fresh.push_str(CACHE_HEADER);
        fresh.push('\n');
        let mut changed = cached.len() != files.len();
        let mut problems = Vec::new();
        for (name, len, mtime) in &files {
            let path = versions_dir.join(name);
            match cached.remove(name.as_str()) {
                Some(hit) if hit.len == *len && hit.mtime == *mtime => {
                    fresh.push_str(hit.text);
                    for (rev, line) in hit.entries {
                        known.add(rev, path.clone(), line);
                    }
                }
                _ => {
                    changed = true;
                    let text = std::fs::read_to_string(&path)
                        .with_context(|| format!("can't read {}", path.display()))?;
                    let scan = migrate_source::scan_source(&path, &text);
                    if !scan.problems.is_empty() {
                        problems.extend(scan.problems.iter().map(ToString::to_string));
                        continue;
                    }
                    let _ = writeln!(fresh, "{}\t{len}\t{mtime}", escape(name));
                    for m in &scan.migrations {
                        let rev = m.to_revision();
                        write_entry(&mut fresh, &rev, m.line);
                        known.add(rev, path.clone(), m.line);
                    }
                }
            }
        }
        if !problems.is_empty() {
            anyhow::bail!("malformed migration(s): {}", problems.join("; "));
        }
        if changed || !cached.is_empty() {
            // A cache that can't be written only costs time on the next run.
            if let Some(dir) = cache_file.parent() {
                let _ = std::fs::create_dir_all(dir);
            }
            let _ = std::fs::write(cache_file, fresh);
        }
        Ok(known)
    }

    /// Write these revisions (as [`Known::from_source`] found them linked) to `path`, for the
    /// front end's graph commands: `header` first (which binary they came from), then one
    /// line per revision, its file and its cache entry.
    pub(crate) fn write_linked(&self, path: &Path, header: &str) -> anyhow::Result<()> {
        let mut out = String::with_capacity(64 + self.revisions.len() * 96);
        let _ = writeln!(out, "{LINKED_HEADER}\t{}", escape(header));
        // In map order (the graph's stable sort by order key), so that reading them back
        // needs no sort.
        let mut sorted: Vec<&Revision> = self.revisions.iter().collect();
        sorted.sort_by(|a, b| a.order_key.cmp(&b.order_key));
        for rev in sorted {
            let (file, line) = self.locations.get(&rev.id).unwrap_or((Path::new(""), 0));
            out.push_str(&escape(&file.to_string_lossy()));
            write_entry(&mut out, rev, line);
        }
        let tmp = path.with_extension(format!("{}.tmp", std::process::id()));
        std::fs::write(&tmp, out).with_context(|| format!("can't write {}", tmp.display()))?;
        std::fs::rename(&tmp, path).with_context(|| format!("can't write {}", path.display()))?;
        Ok(())
    }

    /// What [`Known::write_linked`] wrote with `header`, relative files taken from the first
    /// of `bases` that has them; `None` when the file is missing, from another binary or
    /// unreadable.
    pub(crate) fn read_linked(path: &Path, header: &str, bases: &[PathBuf]) -> Option<Known> {
        Known::read_linked_any(path, bases)
            .and_then(|(recorded, known)| (recorded == header).then_some(known))
    }

    /// What [`Known::write_linked`] wrote, and the header it wrote it with.
    pub(crate) fn read_linked_any(path: &Path, bases: &[PathBuf]) -> Option<(String, Known)> {
        let text = std::fs::read_to_string(path).ok()?;
        let mut lines = text.lines();
        let (tag, recorded) = lines.next()?.split_once('\t')?;
        if tag != LINKED_HEADER {
            return None;
        }
        let mut known = Known::default();
        // A relative file is taken from the first base that has it; its siblings (every
        // revision of a folder) from the same base, without looking again.
        let mut base_of_dir: HashMap<&str, Option<usize>> = HashMap::new();
        let mut last: Option<(&str, Option<usize>)> = None;
        for line in lines {
            let (file, entry) = line.split_at(line.find('\t')?);
            let (rev, at) = parse_entry(entry)?;
            let path = PathBuf::from(unescape(file));
            let file = if path.is_absolute() {
                path
            } else {
                let dir = file.rsplit_once('/').map_or("", |(d, _)| d);
                let base = match last {
                    Some((d, b)) if d == dir => b,
                    _ => *base_of_dir
                        .entry(dir)
                        .or_insert_with(|| bases.iter().position(|b| b.join(&path).exists())),
                };
                last = Some((dir, base));
                base.map_or(path.clone(), |b| bases[b].join(&path))
            };
            known.add(rev, file, at);
        }
        Some((unescape(recorded), known))
    }

    /// Add a revision read from `file` (a `Known` read from files, as every caller's is).
    fn add(&mut self, rev: Revision, file: PathBuf, line: u32) {
        if let Locations::Files(map) = &mut self.locations {
            map.insert(rev.id.clone(), Location { file, line });
        }
        self.revisions.push(rev);
    }
}

// The cache is a small text format rather than JSON: parsing it is the bulk of a warm
// `migrate heads` on 10,000 revisions, and tab-separated lines parse several times faster.
//
//   migrate-index <version>
//   <file name>\t<size>\t<mtime ns>                      one line per file, then
//   \t<line>\t<id>\t<down revs>\t<depends on>\t<labels>\t<checksum>\t<order key>\t<message>
//
// Fields are escaped (\\, \t, \n, \r, \u{1f}); lists are joined with U+001F.
// Format 3: checksums are v2 (`v2:` prefixed); a cache of format 2 holds legacy ones.
const CACHE_HEADER: &str = concat!("migrate-index ", env!("CARGO_PKG_VERSION"), " 3");
const LIST_SEP: char = '\u{1f}';

/// The first line of the linked revisions a migrations binary writes for the front end.
const LINKED_HEADER: &str = concat!("migrate-linked ", env!("CARGO_PKG_VERSION"), " 1");

struct CachedFile<'a> {
    len: u64,
    mtime: u128,
    /// The file's line and its entry lines, as written.
    text: &'a str,
    /// The entries, parsed.
    entries: Vec<(Revision, u32)>,
}

fn parse_cache(text: &str) -> HashMap<String, CachedFile<'_>> {
    let mut out = HashMap::new();
    let Some(body) = text
        .strip_prefix(CACHE_HEADER)
        .and_then(|b| b.strip_prefix('\n'))
    else {
        return out;
    };
    let mut rest = body;
    while !rest.is_empty() {
        // A file's block runs until the next line that does not start with a tab.
        let mut end = rest.find('\n').map_or(rest.len(), |i| i + 1);
        while end < rest.len() && rest.as_bytes()[end] == b'\t' {
            end = rest[end..].find('\n').map_or(rest.len(), |i| end + i + 1);
        }
        let block = &rest[..end];
        rest = &rest[end..];
        let header = block.lines().next().unwrap_or_default();
        let mut fields = header.split('\t');
        let (Some(name), Some(len), Some(mtime)) = (fields.next(), fields.next(), fields.next())
        else {
            continue;
        };
        if let (Ok(len), Ok(mtime)) = (len.parse(), mtime.parse()) {
            let entries = block.lines().skip(1).filter_map(parse_entry).collect();
            out.insert(
                unescape(name),
                CachedFile {
                    len,
                    mtime,
                    text: block,
                    entries,
                },
            );
        }
    }
    out
}

fn write_entry(out: &mut String, rev: &Revision, line: u32) {
    let list = |xs: &[String]| {
        xs.iter()
            .map(|x| escape(x))
            .collect::<Vec<_>>()
            .join("\u{1f}")
    };
    let _ = writeln!(
        out,
        "\t{line}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
        escape(&rev.id),
        list(&rev.down_revs),
        list(&rev.depends_on),
        list(&rev.branch_labels),
        escape(&rev.checksum),
        escape(&rev.order_key),
        escape(&rev.message),
    );
}

fn parse_entry(entry: &str) -> Option<(Revision, u32)> {
    let mut f = entry.strip_prefix('\t')?.split('\t');
    let line = f.next()?.parse().ok()?;
    let id = unescape(f.next()?);
    let list = |s: &str| -> Vec<String> {
        if s.is_empty() {
            Vec::new()
        } else {
            s.split(LIST_SEP).map(unescape).collect()
        }
    };
    let down_revs = list(f.next()?);
    let depends_on = list(f.next()?);
    let branch_labels = list(f.next()?);
    let checksum = unescape(f.next()?);
    let order_key = unescape(f.next()?);
    let message = unescape(f.next()?);
    Some((
        Revision {
            id,
            down_revs,
            depends_on,
            branch_labels,
            message,
            checksum,
            order_key,
        },
        line,
    ))
}

fn escape(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.contains(['\\', '\t', '\n', '\r', LIST_SEP]) {
        return s.into();
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            LIST_SEP => out.push_str("\\u"),
            c => out.push(c),
        }
    }
    out.into()
}

fn unescape(s: &str) -> String {
    if !s.contains('\\') {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('t') => out.push('\t'),
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('u') => out.push(LIST_SEP),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

/// `(file name, size, mtime ns)` of every `*.rs` file directly in `dir`, sorted by name.
///
/// The `stat` calls are the bulk of a warm run on a large project (10,000 files), so they
/// are spread over the available cores.
fn list_files(dir: &Path) -> std::io::Result<Vec<(String, u64, u128)>> {
    let mut names = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        if let Ok(name) = entry.file_name().into_string() {
            if name.ends_with(".rs") {
                names.push(name);
            }
        }
    }
    names.sort_unstable();
    let threads = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(4);
    let chunk = names.len().div_ceil(threads).max(512);
    let stat_all = |names: &[String]| -> Vec<Option<(String, u64, u128)>> {
        names
            .iter()
            .map(|name| {
                // Follows symlinks, as the compiler does; anything but a file is skipped.
                let meta = std::fs::metadata(dir.join(name))
                    .ok()
                    .filter(|m| m.is_file())?;
                let mtime = meta
                    .modified()
                    .ok()
                    .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
                    .map_or(0, |d| d.as_nanos());
                Some((name.clone(), meta.len(), mtime))
            })
            .collect()
    };
    let parts: Vec<Vec<Option<(String, u64, u128)>>> = std::thread::scope(|scope| {
        let handles: Vec<_> = names
            .chunks(chunk)
            .map(|part| scope.spawn(move || stat_all(part)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_default())
            .collect()
    });
    Ok(parts.into_iter().flatten().flatten().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_round_trips() {
        for s in ["plain", "tab\there", "multi\nline\\back", "sep\u{1f}x", ""] {
            assert_eq!(unescape(&escape(s)), s);
        }
    }

    #[test]
    fn cache_entries_round_trip() {
        let rev = Revision {
            id: "a1".into(),
            down_revs: vec!["p1".into(), "p2".into()],
            depends_on: vec![],
            branch_labels: vec!["x y".into()],
            message: "two\n\nparagraphs\twith tab".into(),
            checksum: "abc".into(),
            order_key: "f.rs#0000000003".into(),
        };
        let mut text = format!("{CACHE_HEADER}\nf.rs\t10\t20\n");
        write_entry(&mut text, &rev, 3);
        let cache = parse_cache(&text);
        let hit = cache.get("f.rs").expect("file");
        assert_eq!((hit.len, hit.mtime), (10, 20));
        assert_eq!(hit.entries, [(rev, 3)]);
    }
}
