//! The admin page in a real browser: Debian's chromium, headless, driven through its
//! chromedriver (WebDriver) as a person would use it: sign in with the token, read the pending
//! list and the error (with PostgreSQL's `DETAIL`), fix the cause, press "Retry migrations" and
//! see the status turn ok. A screenshot of each step goes to the system's temporary folder,
//! never into the repository.

use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use migrate_core::Backend;
use serde_json::json;

use crate::support::{Service, TestDb, TOKEN};

/// The revision that fails: it seeds `system_config`, where a row is already there.
const SEED: &str = "e2a7b4c91f60";

/// A chromedriver on a free loopback port; stopped when dropped.
struct Driver {
    child: Child,
    port: u16,
}

impl Driver {
    fn start() -> Driver {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let child = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!("can't run chromedriver ({e}): `scripts/setup --clients` installs chromium and chromium-driver")
            });
        let mut driver = Driver { child, port };
        let deadline = Instant::now() + Duration::from_secs(30);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if let Ok(Some(status)) = driver.child.try_wait() {
                panic!("chromedriver exited: {status}");
            }
            assert!(
                Instant::now() < deadline,
                "chromedriver did not listen on {port}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        driver
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A headless chromium session with a fresh profile.
async fn browser(driver: &Driver, profile: &std::path::Path) -> Client {
    let args = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--window-size=1200,1800",
        &format!("--user-data-dir={}", profile.display()),
    ];
    let caps = json!({ "goog:chromeOptions": { "args": args } });
    let caps = caps.as_object().cloned().unwrap_or_default();
    ClientBuilder::new(HttpConnector::new())
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{}", driver.port))
        .await
        .unwrap_or_else(|e| panic!("can't start chromium through chromedriver: {e}"))
}

async fn text(client: &Client, id: &str) -> String {
    let element = client
        .wait()
        .at_most(Duration::from_secs(60))
        .for_element(Locator::Id(id))
        .await
        .unwrap_or_else(|e| panic!("no #{id} on the page: {e}"));
    element
        .text()
        .await
        .unwrap_or_else(|e| panic!("#{id}: {e}"))
}

async fn click(client: &Client, id: &str) {
    client
        .find(Locator::Id(id))
        .await
        .unwrap_or_else(|e| panic!("no #{id} to click: {e}"))
        .click()
        .await
        .unwrap_or_else(|e| panic!("clicking #{id}: {e}"));
}

async fn screenshot(client: &Client, name: &str) -> PathBuf {
    let png = client.screenshot().await.expect("a screenshot");
    let path = std::env::temp_dir().join(format!("example-service-{name}.png"));
    std::fs::write(&path, png).expect("write the screenshot");
    path
}

/// A failing migration at start-up, seen and fixed from the admin page.
fn retry_from_the_admin_page(backend: Backend, test: &str) {
    let db = TestDb::new(backend, test);
    db.migrator()
        .upgrade("5d9f2c8e6b14")
        .expect("upgrade to the seed's parent");
    // A row the seed migration inserts too: its bulk insert fails on the primary key.
    db.exec("INSERT INTO system_config (config_key, config_value) VALUES ('max_upload_mb', '10')");
    let service = Service::start(&db.url, "migrate");
    let (code, health) = service.get("/health");
    assert_eq!(
        (code, &health["status"], &health["migrations"]),
        (200, &json!("degraded"), &json!("failed")),
        "{health}"
    );

    let driver = Driver::start();
    let profile = tempfile::tempdir().expect("a profile folder");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        let client = browser(&driver, profile.path()).await;
        let page = format!("http://{}/admin/migrations", service.addr());
        client.goto(&page).await.expect("load the admin page");
        // Not signed in: the sign-in form.
        client
            .find(Locator::Id("token"))
            .await
            .expect("the sign-in form")
            .send_keys(TOKEN)
            .await
            .expect("type the token");
        click(&client, "sign-in").await;

        let status = text(&client, "status").await;
        assert!(
            status.contains("degraded") && status.contains("failed"),
            "{status}"
        );
        let pending = text(&client, "pending").await;
        assert!(
            pending.contains(&format!("{SEED} Seed built-in rows")),
            "{pending}"
        );
        assert_eq!(
            pending.lines().count(),
            5,
            "the seed and the 4 after it: {pending}"
        );
        let error = text(&client, "error").await;
        assert!(
            error.contains(&format!("migration {SEED} failed")),
            "{error}"
        );
        assert!(
            error.contains("INSERT INTO"),
            "the statement in full: {error}"
        );
        match backend {
            Backend::Postgres => assert!(
                error.contains("DETAIL: Key (config_key)=(max_upload_mb) already exists."),
                "the database's DETAIL: {error}"
            ),
            _ => assert!(error.contains("UNIQUE constraint failed"), "{error}"),
        }
        let history = text(&client, "history").await;
        assert!(history.contains(" ms"), "durations: {history}");
        let shot = screenshot(&client, &format!("{test}-degraded")).await;

        // The operator removes the row and presses the button.
        db.exec("DELETE FROM system_config WHERE config_key = 'max_upload_mb'");
        click(&client, "retry").await;
        let outcome = text(&client, "outcome").await;
        assert!(outcome.contains("ok, applied 5 migrations"), "{outcome}");
        assert_eq!(text(&client, "migrations").await, "ok");
        assert_eq!(text(&client, "pending").await, "Nothing pending.");
        assert!(
            client.find(Locator::Id("error")).await.is_err(),
            "no error shown any more"
        );
        screenshot(&client, &format!("{test}-ok")).await;
        client.close().await.expect("close the browser");
        eprintln!("screenshot of the degraded page: {}", shot.display());
    });
    let (code, health) = service.get("/health");
    assert_eq!((code, &health["status"]), (200, &json!("ok")), "{health}");
}

mod sqlite {
    #[test]
    fn retry_from_the_admin_page() {
        super::retry_from_the_admin_page(migrate_core::Backend::Sqlite, "browser_sqlite");
    }
}

mod postgres {
    #[test]
    fn retry_from_the_admin_page() {
        super::retry_from_the_admin_page(migrate_core::Backend::Postgres, "browser_postgres");
    }
}
