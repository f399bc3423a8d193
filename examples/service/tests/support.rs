//! Start the built service binary against a test database, and talk HTTP to it.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::sql_types::BigInt;
use diesel::{Connection, QueryableByName, RunQueryDsl};
use migrate_core::{AnyConnection, Backend, DatabaseUrl, Migrator};
use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_example-service");

fn mysql_admin_url() -> String {
    std::env::var("MIGRATE_TEST_MYSQL")
        .unwrap_or_else(|_| "mysql://root@127.0.0.1:3306/test".into())
}

fn pg_admin_url() -> String {
    std::env::var("MIGRATE_TEST_PG")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into())
}

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// A database for one test: an SQLite file, or a PostgreSQL database dropped afterwards.
pub(crate) struct TestDb {
    backend: Backend,
    name: String,
    pub(crate) url: String,
    _dir: Option<tempfile::TempDir>,
}

impl TestDb {
    pub(crate) fn new(backend: Backend, test: &str) -> TestDb {
        let name = format!(
            "svc_{test}_{}_{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::SeqCst)
        );
        match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("temp dir");
                let url = format!("sqlite:///{}", dir.path().join("service.db").display());
                TestDb {
                    backend,
                    name,
                    url,
                    _dir: Some(dir),
                }
            }
            Backend::Mysql => {
                let admin = mysql_admin_url();
                let mut c = diesel::MysqlConnection::establish(&admin)
                    .expect("MariaDB is up (scripts/databases)");
                c.batch_execute(&format!("CREATE DATABASE `{name}`"))
                    .expect("create database");
                let server = &admin[..admin.rfind('/').expect("admin URL names a database")];
                let url = format!("{server}/{name}");
                TestDb {
                    backend,
                    name,
                    url,
                    _dir: None,
                }
            }
            _ => {
                let admin = pg_admin_url();
                let mut c = diesel::PgConnection::establish(&admin)
                    .expect("PostgreSQL is up (scripts/databases)");
                c.batch_execute(&format!("CREATE DATABASE \"{name}\""))
                    .expect("create database");
                let server = &admin[..admin.rfind('/').expect("admin URL names a database")];
                let url = format!("{server}/{name}");
                TestDb {
                    backend,
                    name,
                    url,
                    _dir: None,
                }
            }
        }
    }

    pub(crate) fn migrator(&self) -> Migrator {
        Migrator::new(&[&example_schema::MIGRATIONS])
            .expect("valid migrations")
            .url(&self.url)
            .expect("url")
    }

    /// Whether table `t` exists (an SQLite file that is not there has none, and is not
    /// created).
    pub(crate) fn exists_table(&self, t: &str) -> bool {
        let sql = match self.backend {
            Backend::Sqlite => {
                if let Some(path) = self.url.strip_prefix("sqlite://") {
                    if !std::path::Path::new(path).exists() {
                        return false;
                    }
                }
                format!("SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = '{t}'")
            }
            Backend::Postgres => format!(
                "SELECT COUNT(*) AS n FROM pg_tables WHERE schemaname = 'public' AND tablename = '{t}'"
            ),
            _ => format!(
                "SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = '{t}'"
            ),
        };
        self.number(&sql) > 0
    }

    pub(crate) fn exec(&self, sql: &str) {
        let url = DatabaseUrl::parse(&self.url).expect("url");
        let mut conn =
            AnyConnection::establish_url(&url, Duration::from_secs(30)).expect("connect");
        conn.batch_execute(sql)
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }

    pub(crate) fn number(&self, sql: &str) -> i64 {
        #[derive(QueryableByName)]
        struct N {
            #[diesel(sql_type = BigInt)]
            n: i64,
        }
        let url = DatabaseUrl::parse(&self.url).expect("url");
        let mut conn =
            AnyConnection::establish_url(&url, Duration::from_secs(30)).expect("connect");
        let rows: Vec<N> = diesel::sql_query(sql)
            .load(&mut conn)
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
        rows[0].n
    }
}

impl TestDb {
    /// PostgreSQL: drop the database (as if the server lost it), or create it again.
    pub(crate) fn set_present(&self, present: bool) {
        assert_eq!(self.backend, Backend::Postgres, "PostgreSQL only");
        let mut c = diesel::PgConnection::establish(&pg_admin_url()).expect("PostgreSQL is up");
        let sql = if present {
            format!("CREATE DATABASE \"{}\"", self.name)
        } else {
            format!("DROP DATABASE \"{}\" WITH (FORCE)", self.name)
        };
        c.batch_execute(&sql)
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        match self.backend {
            Backend::Postgres => {
                if let Ok(mut c) = diesel::PgConnection::establish(&pg_admin_url()) {
                    let _ = c.batch_execute(&format!(
                        "DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)",
                        self.name
                    ));
                }
            }
            Backend::Mysql => {
                if let Ok(mut c) = diesel::MysqlConnection::establish(&mysql_admin_url()) {
                    let _ = c.batch_execute(&format!("DROP DATABASE IF EXISTS `{}`", self.name));
                }
            }
            _ => {}
        }
    }
}

/// The admin token every test service is started with.
pub(crate) const TOKEN: &str = "test-admin-token";

/// The service on `url` in start-up `mode` (`MIGRATE_ON_START`), with the admin token.
fn command(url: &str, mode: &str) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.env("DATABASE_URL", url)
        .env("BIND", "127.0.0.1:0")
        .env("MIGRATE_ON_START", mode)
        .env("MIGRATE_ADMIN_TOKEN", TOKEN)
        .env_remove("DISABLE_AUTO_MIGRATIONS")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd
}

/// A running service; killed when dropped.
pub(crate) struct Service {
    child: Child,
    addr: String,
    stderr: Arc<Mutex<String>>,
}

impl Service {
    /// Start the binary in `mode` and wait for its `listening on` line.
    pub(crate) fn start(url: &str, mode: &str) -> Service {
        Service::spawn(command(url, mode))
    }

    /// Start it with `vars` changed from [`Service::start`]'s (`None` removes one).
    pub(crate) fn start_with(url: &str, mode: &str, vars: &[(&str, Option<&str>)]) -> Service {
        let mut cmd = command(url, mode);
        for (k, v) in vars {
            match v {
                Some(v) => cmd.env(k, v),
                None => cmd.env_remove(k),
            };
        }
        Service::spawn(cmd)
    }

    /// Start it migrating, with `MIGRATE_CONFIG=config` and `DATABASE_URL=url` (empty: none,
    /// the file's `url` applies).
    pub(crate) fn start_configured(config: &std::path::Path, url: &str) -> Service {
        let mut cmd = command(url, "migrate");
        cmd.env("MIGRATE_CONFIG", config);
        Service::spawn(cmd)
    }

    fn spawn(mut cmd: Command) -> Service {
        let mut child = cmd.spawn().expect("start the service");
        let stderr = Arc::new(Mutex::new(String::new()));
        let mut err = child.stderr.take().expect("stderr piped");
        let sink = Arc::clone(&stderr);
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = err.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock()
                    .expect("stderr")
                    .push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        });
        let out = child.stdout.take().expect("stdout piped");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut lines = BufReader::new(out).lines();
            if let Some(Ok(line)) = lines.next() {
                let _ = tx.send(line);
            }
            for _ in lines {}
        });
        let line = match rx.recv_timeout(Duration::from_secs(120)) {
            Ok(line) => line,
            Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                panic!(
                    "the service did not start; stderr:\n{}",
                    stderr.lock().expect("stderr")
                );
            }
        };
        let addr = line
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
            .to_owned();
        Service {
            child,
            addr,
            stderr,
        }
    }

    /// The service's address (`127.0.0.1:port`).
    pub(crate) fn addr(&self) -> &str {
        &self.addr
    }

    /// `GET path` as a script does: JSON, with the admin token.
    pub(crate) fn get(&self, path: &str) -> (u16, Value) {
        json(self.request("GET", path, &[AUTH, JSON]))
    }

    /// `POST path` as a script does: JSON, with the admin token.
    pub(crate) fn post(&self, path: &str) -> (u16, Value) {
        json(self.request("POST", path, &[AUTH, JSON]))
    }

    /// `POST path` with a form body (`application/x-www-form-urlencoded`), as a browser sends a
    /// form.
    pub(crate) fn form(&self, path: &str, body: &str) -> Response {
        send(
            &self.addr,
            "POST",
            path,
            &[("Content-Type", "application/x-www-form-urlencoded")],
            body,
        )
    }

    /// One request with `headers`: the status, the response's head and its body.
    pub(crate) fn request(&self, method: &str, path: &str, headers: &[(&str, &str)]) -> Response {
        request(&self.addr, method, path, headers)
    }

    /// Send SIGTERM (as a container runtime does) and wait: the exit code.
    #[cfg(unix)]
    pub(crate) fn terminate(mut self) -> Option<i32> {
        let pid = self.child.id().to_string();
        let sent = Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .expect("run kill");
        assert!(sent.success(), "kill -TERM {pid}");
        self.child.wait().expect("wait for the service").code()
    }

    pub(crate) fn stderr(&self) -> String {
        self.stderr.lock().expect("stderr").clone()
    }

    /// Whether stderr shows `needle` within a few seconds (it is read on another thread, so it
    /// may lag behind the `listening on` line).
    pub(crate) fn stderr_shows(&self, needle: &str) -> bool {
        for _ in 0..100 {
            if self.stderr().contains(needle) {
                return true;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        false
    }
}

impl Drop for Service {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Run the service to its exit (for start-ups that must fail): exit code and stderr.
pub(crate) fn run_to_exit(url: &str, mode: &str) -> (Option<i32>, String) {
    let out = command(url, mode).output().expect("run the service");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Run the service with exactly `vars` (and a free port) to its exit: exit code and stderr.
pub(crate) fn run_with_env(vars: &[(&str, &str)]) -> (Option<i32>, String) {
    let out = Command::new(BIN)
        .env_remove("DATABASE_URL")
        .env_remove("MIGRATE_ON_START")
        .env("BIND", "127.0.0.1:0")
        .envs(vars.iter().copied())
        .stdin(Stdio::null())
        .output()
        .expect("run the service");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The admin token as a script sends it.
pub(crate) const AUTH: (&str, &str) = ("Authorization", "Bearer test-admin-token");
/// Asking for JSON.
pub(crate) const JSON: (&str, &str) = ("Accept", "application/json");

/// A response: status, head (status line and headers), body.
pub(crate) struct Response {
    pub(crate) status: u16,
    pub(crate) head: String,
    pub(crate) body: String,
}

fn json(r: Response) -> (u16, Value) {
    let value = serde_json::from_str(&r.body).unwrap_or_else(|e| panic!("{e}: {:?}", r.body));
    (r.status, value)
}

/// One HTTP/1.1 request with `Connection: close` and no body.
fn request(addr: &str, method: &str, path: &str, headers: &[(&str, &str)]) -> Response {
    send(addr, method, path, headers, "")
}

fn send(addr: &str, method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> Response {
    let mut stream = TcpStream::connect(addr).expect("connect to the service");
    stream
        .set_read_timeout(Some(Duration::from_secs(120)))
        .expect("timeout");
    let extra: String = headers
        .iter()
        .map(|(k, v)| format!("{k}: {v}\r\n"))
        .collect();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\n{extra}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .expect("send the request");
    let mut raw = String::new();
    stream.read_to_string(&mut raw).expect("read the response");
    let (head, body) = raw.split_once("\r\n\r\n").expect("a complete response");
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("bad status line in {head:?}"));
    Response {
        status,
        head: head.to_owned(),
        body: body.to_owned(),
    }
}
