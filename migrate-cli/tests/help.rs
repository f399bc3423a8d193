//! Transcripts of `--help`: the text users read, kept in `tests/help/*.txt` so every change
//! to it shows up in review. `MIGRATE_BLESS=1 cargo test -p migrate-cli help` rewrites them.

use std::path::PathBuf;

use crate::util::Project;

const COMMANDS: &[&str] = &[
    "",
    "init",
    "revision",
    "merge",
    "upgrade",
    "downgrade",
    "current",
    "history",
    "heads",
    "branches",
    "show",
    "stamp",
    "check",
    "test",
    "schema",
    "lint",
];

#[test]
fn help_transcripts() {
    let p = Project::empty();
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/help");
    let bless = std::env::var_os("MIGRATE_BLESS").is_some();
    let mut stale = Vec::new();
    for cmd in COMMANDS {
        let args: Vec<&str> = if cmd.is_empty() {
            vec!["--help"]
        } else {
            vec![cmd, "--help"]
        };
        let out = p.ok(&args);
        let file = dir.join(format!(
            "{}.txt",
            if cmd.is_empty() { "migrate" } else { cmd }
        ));
        let transcript = format!("$ migrate {}\n{out}", args.join(" "));
        if bless {
            std::fs::write(&file, &transcript).expect("write transcript");
        } else if std::fs::read_to_string(&file).ok().as_deref() != Some(transcript.as_str()) {
            stale.push(file.display().to_string());
        }
    }
    assert!(
        stale.is_empty(),
        "help text changed; review and re-bless with MIGRATE_BLESS=1: {stale:?}"
    );
}
