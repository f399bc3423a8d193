//! Writing a new migration file: its id, its name and its content (`revision`, `merge`).

use std::collections::hash_map::RandomState;
use std::fmt::Write as _;
use std::hash::{BuildHasher, Hasher};
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::Context as _;

use crate::config::PostWriteHook;
use crate::error::CliError;

/// A fresh id: 12 lowercase hex digits, like Alembic's `uuid4().hex[-12:]`.
///
/// `RandomState` is seeded from the OS's randomness once per process; mixing in the time and
/// a counter keeps ids distinct within a process too. No RNG crate needed.
pub(crate) fn random_rev_id() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut hasher = RandomState::new().build_hasher();
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    hasher.write_u128(nanos);
    hasher.write_u32(std::process::id());
    hasher.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    format!("{:012x}", hasher.finish() & 0xffff_ffff_ffff)
}

/// The one revision-id rule (`migrate_graph::validate_id`, the same the macros apply at
/// compile time), with Alembic's exact `revision --rev-id` message for its four characters.
pub(crate) fn check_rev_id(id: &str) -> Result<(), CliError> {
    migrate_graph::validate_id(id).map_err(|e| match e {
        migrate_graph::GraphError::IllegalCharacters { rev, chars } => {
            let list: Vec<String> = chars.iter().map(char::to_string).collect();
            CliError::Command(format!(
                "Character(s) '{}' not allowed in revision identifier '{rev}'",
                list.join(", ")
            ))
        }
        other => CliError::Command(other.to_string()),
    })
}

/// Each `--branch-label` by the graph's label rule, before any file is written.
pub(crate) fn check_labels(rev: &str, labels: &[String]) -> Result<(), CliError> {
    for label in labels {
        migrate_graph::validate_label(rev, label).map_err(|e| {
            CliError::Command(migrate_graph::printable_line(&e.to_string()).into_owned())
        })?;
    }
    Ok(())
}

/// Alembic's slug: the message's word runs joined with `_`, lowercased; longer than `max`
/// → cut at `max`, back to the last `_`, and `_` appended.
pub(crate) fn slug(message: &str, max: usize) -> String {
    let words: Vec<String> = message
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    let slug = words.join("_");
    if slug.chars().count() <= max {
        return slug;
    }
    let cut: String = slug.chars().take(max).collect();
    let head = cut.rsplit_once('_').map_or(cut.as_str(), |(h, _)| h);
    format!("{head}_")
}

/// A UTC calendar time, enough for file names.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Stamp {
    epoch: u64,
    year: i64,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
}

impl Stamp {
    pub(crate) fn now() -> Stamp {
        let epoch = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        Stamp::from_epoch(epoch)
    }

    /// Days-to-civil conversion (Howard Hinnant's algorithm), so no date crate is needed.
    pub(crate) fn from_epoch(epoch: u64) -> Stamp {
        let days = i64::try_from(epoch / 86_400).unwrap_or(0);
        let secs = epoch % 86_400;
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        // The casts are bounded: day 1..=31, month 1..=12, time parts < 60.
        Stamp {
            epoch,
            year,
            month: u32::try_from(month).unwrap_or(1),
            day: u32::try_from(day).unwrap_or(1),
            hour: u32::try_from(secs / 3600).unwrap_or(0),
            minute: u32::try_from(secs % 3600 / 60).unwrap_or(0),
            second: u32::try_from(secs % 60).unwrap_or(0),
        }
    }
}

/// Render `file_template` (`{rev}`, `{slug}`, `{epoch}`, `{year}`, `{month}`, `{day}`,
/// `{hour}`, `{minute}`, `{second}`) and append `.rs`.
pub(crate) fn file_name(
    template: &str,
    rev: &str,
    slug: &str,
    t: Stamp,
) -> Result<String, CliError> {
    let mut out = String::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('}') else {
            return Err(bad_template(template, "unclosed '{'"));
        };
        let token = &rest[open + 1..open + close];
        match token {
            "rev" => out.push_str(rev),
            "slug" => out.push_str(slug),
            "epoch" => out.push_str(&t.epoch.to_string()),
            "year" => out.push_str(&format!("{:04}", t.year)),
            "month" => out.push_str(&format!("{:02}", t.month)),
            "day" => out.push_str(&format!("{:02}", t.day)),
            "hour" => out.push_str(&format!("{:02}", t.hour)),
            "minute" => out.push_str(&format!("{:02}", t.minute)),
            "second" => out.push_str(&format!("{:02}", t.second)),
            other => {
                return Err(bad_template(
                    template,
                    &format!("unknown token {{{other}}}"),
                ))
            }
        }
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    // An empty message leaves a dangling separator: `..._abc_` → `..._abc`.
    let out = if slug.is_empty() {
        out.trim_end_matches('_').to_owned()
    } else {
        out
    };
    if !out.contains(rev) {
        return Err(bad_template(template, "it must contain {rev}"));
    }
    // One file directly in versions/: the build reads no sub-folder, and nothing may land
    // outside it (`../../x_{rev}`).
    if let Some(c) = out
        .chars()
        .find(|c| matches!(c, '/' | '\\') || c.is_control())
    {
        return Err(bad_template(
            template,
            &format!("it makes a name with {c:?}; migrations live directly in versions/, so use no path separators"),
        ));
    }
    if out.starts_with('.') {
        return Err(bad_template(
            template,
            "it makes a name starting with '.'; start it with a token such as {year} or {rev}",
        ));
    }
    Ok(format!("{out}.rs"))
}

fn bad_template(template: &str, why: &str) -> CliError {
    CliError::ConfigInvalid {
        path: PathBuf::from(crate::config::CONFIG_FILE),
        message: format!("file_template '{template}': {why}"),
    }
}

/// What goes into the new file's `#[migration]` attribute.
#[derive(Debug, Default)]
pub(crate) struct NewMigration {
    pub(crate) rev: String,
    pub(crate) message: String,
    pub(crate) down_revs: Vec<String>,
    pub(crate) branch_labels: Vec<String>,
    pub(crate) depends_on: Vec<String>,
    /// The upgrade function's statements (autogenerate), else a placeholder comment.
    pub(crate) body: Option<String>,
    /// Why the downgrade can't be derived from the body (autogenerate): then the file gets a
    /// `downgrade` function to fill in.
    pub(crate) no_downgrade: Option<String>,
}

impl NewMigration {
    /// The file's text: a module doc, the prelude import and an empty upgrade function.
    pub(crate) fn render(&self) -> String {
        let mut args = format!("rev = {}", quoted(&self.rev));
        match self.down_revs.as_slice() {
            [] => {}
            [one] => {
                let _ = write!(args, ", down_rev = {}", quoted(one));
            }
            many => {
                let _ = write!(args, ", down_rev = {}", list(many));
            }
        }
        if !self.branch_labels.is_empty() {
            let _ = write!(args, ", branch_labels = {}", list(&self.branch_labels));
        }
        if !self.depends_on.is_empty() {
            let _ = write!(args, ", depends_on = {}", list(&self.depends_on));
        }
        let mut downgrade_fn = String::new();
        if let Some(why) = &self.no_downgrade {
            let _ = write!(args, ", downgrade = downgrade");
            let why = migrate_graph::printable(why.lines().next().unwrap_or_default());
            let _ = write!(
                downgrade_fn,
                "\n/// REVIEW: the downgrade could not be derived ({why}); write it here.\n\
                 pub fn downgrade(op: &mut Op) -> Result<()> {{\n    \
                 let _ = op;\n    \
                 Err(Error::msg(\"the downgrade of {} is not written yet\"))\n}}\n",
                self.rev
            );
        }
        let module_doc = doc_lines("//!", &self.message);
        let fn_doc = doc_lines("///", &self.message);
        let body = match &self.body {
            Some(statements) => {
                let mut b = String::new();
                for line in statements.lines() {
                    if !line.is_empty() {
                        b.push_str("    ");
                    }
                    b.push_str(line);
                    b.push('\n');
                }
                b
            }
            None => "    // Record the schema changes here, e.g. op.create_table(..)?; op.add_column(..)?;\n    \
                     let _ = op; // remove once the upgrade uses `op`\n"
                .to_owned(),
        };
        format!(
            "{module_doc}use migrate_core::prelude::*;\n\n{fn_doc}#[migration({args})]\n\
             pub fn upgrade(op: &mut Op) -> Result<()> {{\n{body}    Ok(())\n}}\n{downgrade_fn}"
        )
    }
}

fn doc_lines(prefix: &str, message: &str) -> String {
    let mut out = String::new();
    // Escaped so the file compiles: rustc refuses a bare CR in a doc comment and (a deny-by-
    // default lint) bidirectional overrides; escapes show what was typed.
    for line in message.lines() {
        let line = migrate_graph::printable(line.trim_end());
        if line.is_empty() {
            let _ = writeln!(out, "{prefix}");
        } else {
            let _ = writeln!(out, "{prefix} {line}");
        }
    }
    if out.is_empty() {
        let _ = writeln!(out, "{prefix} empty message");
    }
    out
}

fn quoted(s: &str) -> String {
    format!("{s:?}")
}

fn list(items: &[String]) -> String {
    let inner: Vec<String> = items.iter().map(|s| quoted(s)).collect();
    format!("[{}]", inner.join(", "))
}

/// Write the new file directly under `versions_dir`, run `hook` on it (`post_write_hook`:
/// rustfmt by default), and return its absolute path. A hook that can't run or fails is a
/// warning on stderr, never an error: the file is written either way.
pub(crate) fn write_file(
    versions_dir: &Path,
    name: &str,
    text: &str,
    hook: &PostWriteHook,
) -> anyhow::Result<PathBuf> {
    let path = versions_dir.join(name);
    if path.exists() {
        anyhow::bail!(
            "{} already exists; pass another --rev-id or message",
            path.display()
        );
    }
    std::fs::create_dir_all(versions_dir)
        .with_context(|| format!("can't create {}", versions_dir.display()))?;
    std::fs::write(&path, text).with_context(|| format!("can't write {}", path.display()))?;
    if let Some(warning) = run_hook(hook, &path) {
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr().lock(), "warning: {warning}");
    }
    Ok(std::path::absolute(&path).unwrap_or(path))
}

/// Runs `hook` on `file`; the warning to show when it could not run or failed.
pub(crate) fn run_hook(hook: &PostWriteHook, file: &Path) -> Option<String> {
    let (argv, explicit): (Vec<std::ffi::OsString>, bool) = match hook {
        PostWriteHook::None => return None,
        PostWriteHook::Rustfmt { explicit } => (
            vec![
                "rustfmt".into(),
                "--edition".into(),
                "2021".into(),
                file.into(),
            ],
            *explicit,
        ),
        PostWriteHook::Command(words) => {
            let mut argv: Vec<std::ffi::OsString> = words
                .iter()
                .map(|w| match w.contains("{file}") {
                    true => w.replace("{file}", &file.to_string_lossy()).into(),
                    false => w.into(),
                })
                .collect();
            if !words.iter().any(|w| w.contains("{file}")) {
                argv.push(file.into());
            }
            (argv, true)
        }
    };
    let (program, args) = argv.split_first()?;
    let shown = program.to_string_lossy();
    let output = std::process::Command::new(program)
        .args(args)
        .stdin(std::process::Stdio::null())
        .output();
    match output {
        // The default hook on a machine without rustfmt: the file is valid unformatted.
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !explicit => None,
        Err(e) => Some(format!(
            "post_write_hook: can't run `{shown}`: {e}; {} is left as generated",
            file.display()
        )),
        Ok(out) if out.status.success() => None,
        Ok(out) => {
            let stderr = String::from_utf8_lossy(&out.stderr);
            let first = stderr.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
            Some(format!(
                "post_write_hook: `{shown}` failed ({}){}{first}; the revision was still created",
                out.status,
                if first.is_empty() { "" } else { ": " },
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_twelve_hex_digits_and_distinct() {
        let a = random_rev_id();
        let b = random_rev_id();
        assert_eq!(a.len(), 12);
        assert!(a
            .chars()
            .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));
        assert_ne!(a, b);
    }

    #[test]
    fn alembic_id_message() {
        let err = check_rev_id("no@atsigns-ordashes").unwrap_err();
        assert_eq!(
            err.to_string(),
            "Character(s) '-, @' not allowed in revision identifier 'no@atsigns-ordashes'"
        );
        assert!(check_rev_id("abc_123").is_ok());
        for bad in [
            "has space",
            "a/b",
            "..",
            "a\"b",
            "a\\b",
            "a\nb",
            "a\0b",
            "head",
            "heads",
            "base",
            "current",
        ] {
            assert!(check_rev_id(bad).is_err(), "{bad:?}");
        }
        assert!(check_rev_id(&"x".repeat(64)).is_ok());
        assert!(check_rev_id(&"x".repeat(65)).is_err());
    }

    #[test]
    fn slugs_match_alembic() {
        assert_eq!(slug("Create Account table!", 40), "create_account_table");
        assert_eq!(
            slug(
                "add a very long message that goes well past the forty limit",
                40
            ),
            "add_a_very_long_message_that_goes_well_"
        );
        assert_eq!(slug("", 40), "");
    }

    #[test]
    fn dates_are_utc_calendar_dates() {
        let t = Stamp::from_epoch(1_700_000_000); // 2023-11-14 22:13:20 UTC
        assert_eq!(
            file_name(crate::config::DEFAULT_FILE_TEMPLATE, "abc", "x_y", t).unwrap(),
            "20231114_2213_abc_x_y.rs"
        );
        let t = Stamp::from_epoch(951_782_400); // 2000-02-29 00:00:00
        assert_eq!(
            file_name("{year}-{month}-{day}_{rev}", "r", "", t).unwrap(),
            "2000-02-29_r.rs"
        );
        assert!(file_name("{nope}_{rev}", "r", "", t).is_err());
        for escaping in ["../../../../x_{rev}", "sub/{rev}", "..\\{rev}", ".{rev}"] {
            assert!(file_name(escaping, "r", "", t).is_err(), "{escaping}");
        }
    }

    #[test]
    fn hostile_messages_are_escaped_in_the_file() {
        let m = NewMigration {
            rev: "b2".into(),
            message: "one\rtwo \u{202e}evil\u{1b}[2J".into(),
            ..NewMigration::default()
        };
        let text = m.render();
        assert!(
            text.contains("/// one\\u{d}two \\u{202e}evil\\u{1b}[2J\n"),
            "{text}"
        );
        assert!(!text
            .chars()
            .any(|c| c == '\r' || c == '\u{202e}' || c == '\u{1b}'));
    }

    #[test]
    fn an_underivable_downgrade_is_a_function_to_fill_in() {
        let m = NewMigration {
            rev: "b2".into(),
            message: "auto".into(),
            down_revs: vec!["a1".into()],
            body: Some("op.execute(\"SELECT 1\")?;\n".into()),
            no_downgrade: Some("execute has no reverse".into()),
            ..NewMigration::default()
        };
        let text = m.render();
        assert!(
            text.contains(r#"#[migration(rev = "b2", down_rev = "a1", downgrade = downgrade)]"#),
            "{text}"
        );
        assert!(
            text.contains("    op.execute(\"SELECT 1\")?;\n    Ok(())\n}\n"),
            "{text}"
        );
        assert!(text.contains("/// REVIEW: the downgrade could not be derived (execute has no reverse); write it here.\npub fn downgrade(op: &mut Op) -> Result<()> {"), "{text}");
    }

    #[test]
    fn rendered_file_has_the_attribute() {
        let m = NewMigration {
            rev: "b2".into(),
            message: "merge".into(),
            down_revs: vec!["a1".into(), "c1".into()],
            branch_labels: vec!["x".into()],
            ..NewMigration::default()
        };
        let text = m.render();
        assert!(text.starts_with("//! merge\nuse migrate_core::prelude::*;\n\n/// merge\n"));
        assert!(text.contains(
            r#"#[migration(rev = "b2", down_rev = ["a1", "c1"], branch_labels = ["x"])]"#
        ));
    }
}
