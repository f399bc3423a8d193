//! A database per test on each backend, fed through the database's own command-line client
//! (`psql`, `mariadb`, `sqlite3`), and a snapshot of everything a schema comparison needs.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

use migrate_core::Backend;

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// Tables only the online executor has (its history, and on MySQL its progress table, which
/// is empty after a run); every other table must match.
const ONLINE_ONLY: &[&str] = &[
    "migrate_history",
    "migrate_version_progress",
    "sqlite_sequence",
];

/// A database that exists for one test: created on the local server, dropped afterwards.
pub struct Db {
    pub backend: Backend,
    pub name: String,
    pub url: String,
    file: Option<PathBuf>,
    _dir: Option<tempfile::TempDir>,
}

impl Db {
    pub fn new(backend: Backend, tag: &str) -> Db {
        let name = format!(
            "off_{tag}_{}_{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::SeqCst)
        );
        let mut db = Db {
            backend,
            url: String::new(),
            name,
            file: None,
            _dir: None,
        };
        match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("temp dir");
                let file = dir.path().join(format!("{}.db", db.name));
                db.url = format!("sqlite:///{}", file.display());
                db.file = Some(file);
                db._dir = Some(dir);
            }
            Backend::Postgres => {
                admin(backend, &format!("CREATE DATABASE \"{}\"", db.name));
                db.url = format!("postgres://postgres@127.0.0.1:5432/{}", db.name);
            }
            _ => {
                admin(
                    backend,
                    &format!("CREATE DATABASE `{}` CHARACTER SET utf8mb4", db.name),
                );
                db.url = format!("mysql://root@127.0.0.1:3306/{}", db.name);
            }
        }
        db
    }

    /// The client command for this database.
    fn client(&self) -> Command {
        match self.backend {
            Backend::Sqlite => {
                let mut c = Command::new("sqlite3");
                c.arg("-bail").arg(self.file.as_ref().expect("sqlite file"));
                c
            }
            Backend::Postgres => {
                let mut c = Command::new("psql");
                c.args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1"]);
                c.args(["-U", "postgres", "-d", &self.name]);
                c
            }
            _ => {
                let mut c = Command::new("mariadb");
                c.args(["-uroot", "-h127.0.0.1", &self.name]);
                c
            }
        }
    }

    /// Feed `script` to the client as a DBA would (`psql -f`, `sqlite3 FILE < script`,
    /// `mariadb DB < script`); panics with the client's message if it fails.
    pub fn run_script(&self, script: &str) {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("script.sql");
        std::fs::write(&path, script).expect("write script");
        let mut cmd = self.client();
        let output = if self.backend == Backend::Postgres {
            cmd.arg("-f").arg(&path).output()
        } else {
            cmd.stdin(std::fs::File::open(&path).expect("open script"))
                .output()
        }
        .expect("the database client runs (scripts/setup --clients)");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            output.status.success() && stderr.trim().is_empty(),
            "{:?} client refused the script: {stderr}\n--- script ---\n{script}",
            self.backend
        );
    }

    /// One query's rows, as the client prints them (one line per row).
    pub fn query(&self, sql: &str) -> String {
        let mut cmd = self.client();
        match self.backend {
            Backend::Sqlite => cmd
                .args(["-separator", "|", "-nullvalue", "<null>"])
                .arg(sql),
            Backend::Postgres => cmd.args(["-A", "-t", "-F", "|", "-P", "null=<null>", "-c", sql]),
            _ => cmd.args(["--default-character-set=utf8mb4", "-N", "-B", "-e", sql]),
        };
        let output = cmd.stdin(Stdio::null()).output().expect("client runs");
        assert!(
            output.status.success(),
            "query failed: {sql}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    /// The version rows, sorted.
    pub fn version_rows(&self) -> Vec<String> {
        let mut rows: Vec<String> = self
            .query("SELECT version_num FROM migrate_version")
            .lines()
            .map(str::to_owned)
            .collect();
        rows.sort();
        rows
    }

    /// The user tables (the version table included, the online history left out).
    pub fn tables(&self) -> Vec<String> {
        let sql = match self.backend {
            Backend::Sqlite => "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY 1",
            Backend::Postgres => {
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
            }
            _ => {
                "SELECT table_name FROM information_schema.tables \
                 WHERE table_schema = DATABASE() ORDER BY 1"
            }
        };
        self.query(sql)
            .lines()
            .filter(|t| !ONLINE_ONLY.contains(t))
            .map(str::to_owned)
            .collect()
    }

    /// Tables, columns (type, nullability, default), indexes, keys, foreign keys, checks, and
    /// every row of every table: what must be equal after the online run and the script.
    pub fn snapshot(&self) -> Vec<(String, String)> {
        let skip = ONLINE_ONLY
            .iter()
            .map(|t| format!("'{t}'"))
            .collect::<Vec<_>>()
            .join(", ");
        let queries: Vec<(&str, String)> = match self.backend {
            Backend::Sqlite => vec![
                ("objects", format!("SELECT type, name, tbl_name, sql FROM sqlite_master WHERE tbl_name NOT IN ({skip}, 'migrate_version') ORDER BY 1, 2")),
                ("columns", format!("SELECT m.name, p.cid, p.name, p.type, p.\"notnull\", p.dflt_value, p.pk FROM sqlite_master m, pragma_table_info(m.name) p WHERE m.type = 'table' AND m.name NOT IN ({skip}) ORDER BY 1, 2")),
                ("indexes", format!("SELECT m.name, il.name, il.\"unique\", il.origin, il.partial, ii.seqno, ii.name FROM sqlite_master m, pragma_index_list(m.name) il, pragma_index_info(il.name) ii WHERE m.type = 'table' AND m.name NOT IN ({skip}) ORDER BY 1, 2, 6")),
                ("foreign keys", format!("SELECT m.name, f.id, f.seq, f.\"table\", f.\"from\", f.\"to\", f.on_update, f.on_delete FROM sqlite_master m, pragma_foreign_key_list(m.name) f WHERE m.type = 'table' AND m.name NOT IN ({skip}) ORDER BY 1, 2, 3")),
            ],
            Backend::Postgres => vec![
                ("columns", format!("SELECT table_name, ordinal_position, column_name, data_type, character_maximum_length, numeric_precision, numeric_scale, is_nullable, column_default FROM information_schema.columns WHERE table_schema = 'public' AND table_name NOT IN ({skip}) ORDER BY 1, 2")),
                ("indexes", format!("SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename NOT IN ({skip}) ORDER BY 1, 2")),
                ("constraints", format!("SELECT conrelid::regclass::text, conname, contype, pg_get_constraintdef(oid) FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND conrelid::regclass::text NOT IN ({skip}) ORDER BY 1, 2")),
            ],
            _ => vec![
                ("columns", format!("SELECT table_name, ordinal_position, column_name, column_type, is_nullable, column_default, extra FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name NOT IN ({skip}) ORDER BY 1, 2")),
                ("indexes", format!("SELECT table_name, index_name, non_unique, seq_in_index, column_name FROM information_schema.statistics WHERE table_schema = DATABASE() AND table_name NOT IN ({skip}) ORDER BY 1, 2, 4")),
                ("foreign keys", "SELECT k.table_name, k.constraint_name, k.ordinal_position, k.column_name, k.referenced_table_name, k.referenced_column_name, r.delete_rule, r.update_rule FROM information_schema.key_column_usage k JOIN information_schema.referential_constraints r ON r.constraint_schema = k.constraint_schema AND r.constraint_name = k.constraint_name AND r.table_name = k.table_name WHERE k.table_schema = DATABASE() ORDER BY 1, 2, 3".to_owned()),
                ("checks", "SELECT table_name, constraint_name, check_clause FROM information_schema.check_constraints WHERE constraint_schema = DATABASE() ORDER BY 1, 2".to_owned()),
            ],
        };
        let mut out: Vec<(String, String)> = queries
            .into_iter()
            .map(|(what, sql)| (what.to_owned(), self.query(&sql)))
            .collect();
        out.push(("tables".into(), self.tables().join("\n")));
        for table in self.tables() {
            let quoted = match self.backend {
                Backend::Mysql => format!("`{table}`"),
                _ => format!("\"{table}\""),
            };
            let rows = self.query(&format!("SELECT * FROM {quoted} ORDER BY 1"));
            out.push((format!("rows of {table}"), rows));
        }
        out
    }
}

impl Drop for Db {
    fn drop(&mut self) {
        match self.backend {
            Backend::Postgres => admin(
                self.backend,
                &format!("DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)", self.name),
            ),
            Backend::Mysql => admin(
                self.backend,
                &format!("DROP DATABASE IF EXISTS `{}`", self.name),
            ),
            _ => {}
        }
    }
}

/// A statement on the server's administrative database.
fn admin(backend: Backend, sql: &str) {
    let mut cmd = match backend {
        Backend::Postgres => {
            let mut c = Command::new("psql");
            c.args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-U"]);
            c.args(["postgres", "-d", "test", "-c", sql]);
            c
        }
        _ => {
            let mut c = Command::new("mariadb");
            c.args(["-uroot", "-h127.0.0.1", "-e", sql]);
            c
        }
    };
    let output = cmd
        .stdin(Stdio::null())
        .output()
        .expect("the database client runs");
    if !output.status.success() && !std::thread::panicking() {
        let _ = writeln!(
            std::io::stderr(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        panic!("{sql} failed (is the server up? scripts/databases)");
    }
}

/// The first difference between two snapshots, as a readable message.
pub fn diff(a: &[(String, String)], b: &[(String, String)]) -> Option<String> {
    if a.len() != b.len() {
        let names = |s: &[(String, String)]| s.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
        return Some(format!(
            "different tables: {:?} vs {:?}",
            names(a),
            names(b)
        ));
    }
    a.iter().zip(b).find_map(|((what, x), (_, y))| {
        let (xs, ys): (Vec<&str>, Vec<&str>) = (x.lines().collect(), y.lines().collect());
        let first = (0..xs.len().max(ys.len())).find(|&i| xs.get(i) != ys.get(i));
        first.map(|i| {
            format!(
                "{what} differ at line {}:\n  online:  {:?}\n  offline: {:?}",
                i + 1,
                xs.get(i),
                ys.get(i)
            )
        })
    })
}
