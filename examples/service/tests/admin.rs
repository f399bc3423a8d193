//! The admin page over HTTP: disabled without a token, 401 without it, HTML for a browser and
//! JSON for `Accept: application/json`, the sign-in cookie, and cross-site posts refused.

use migrate_core::Backend;

use crate::support::{Service, TestDb, AUTH, JSON, TOKEN};

#[test]
fn disabled_without_a_token() {
    let db = TestDb::new(Backend::Sqlite, "admin_disabled");
    let service = Service::start_with(&db.url, "migrate", &[("MIGRATE_ADMIN_TOKEN", None)]);
    for (method, headers) in [
        ("GET", vec![]),
        ("GET", vec![AUTH, JSON]),
        ("POST", vec![AUTH]),
    ] {
        let r = service.request(method, "/admin/migrations", &headers);
        assert_eq!(r.status, 404, "{method}: {}", r.body);
        assert!(r.body.contains("set MIGRATE_ADMIN_TOKEN"), "{}", r.body);
    }
    // An empty token is no token.
    let service = Service::start_with(&db.url, "migrate", &[("MIGRATE_ADMIN_TOKEN", Some(""))]);
    assert_eq!(
        service
            .request("GET", "/admin/migrations", &[("Authorization", "Bearer ")])
            .status,
        404
    );
}

#[test]
fn token_negotiation_and_cookie() {
    let db = TestDb::new(Backend::Sqlite, "admin_token");
    let service = Service::start(&db.url, "migrate");

    // No token, a wrong one: 401; a browser gets the sign-in form, a script JSON.
    let r = service.request("GET", "/admin/migrations", &[]);
    assert_eq!(r.status, 401);
    assert!(
        r.body
            .contains(r#"<form method="post" action="/admin/login">"#),
        "{}",
        r.body
    );
    let r = service.request(
        "GET",
        "/admin/migrations",
        &[("Authorization", "Bearer nope"), JSON],
    );
    assert_eq!(r.status, 401);
    assert!(r.body.starts_with('{'), "{}", r.body);
    let r = service.request("POST", "/admin/migrations", &[JSON]);
    assert_eq!(r.status, 401, "retry needs the token too");

    // With the token: HTML by default, JSON when asked.
    let r = service.request("GET", "/admin/migrations", &[AUTH]);
    assert_eq!(r.status, 200);
    assert!(
        r.head
            .to_ascii_lowercase()
            .contains("content-type: text/html"),
        "{}",
        r.head
    );
    assert!(r.body.contains("Retry migrations"), "{}", r.body);
    let r = service.request("GET", "/admin/migrations", &[AUTH, JSON]);
    assert!(
        r.head
            .to_ascii_lowercase()
            .contains("content-type: application/json"),
        "{}",
        r.head
    );

    // A cross-site form post is refused even with valid credentials.
    let r = service.request(
        "POST",
        "/admin/migrations",
        &[AUTH, ("Origin", "https://evil.example")],
    );
    assert_eq!(r.status, 403, "{}", r.body);

    // Signing in: a wrong token is refused, the right one sets an HttpOnly, SameSite=Strict
    // cookie that holds no token and opens the page.
    let wrong = service.form("/admin/login", "token=guess");
    assert_eq!(wrong.status, 401);
    assert!(!wrong.head.contains("Set-Cookie") && !wrong.head.contains("set-cookie"));
    let right = service.form("/admin/login", &format!("token={TOKEN}"));
    assert_eq!(right.status, 303, "{}", right.head);
    let cookie = right
        .head
        .lines()
        .find_map(|l| {
            l.strip_prefix("set-cookie: ")
                .or_else(|| l.strip_prefix("Set-Cookie: "))
        })
        .unwrap_or_else(|| panic!("no cookie: {}", right.head));
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    assert!(!cookie.contains(TOKEN), "{cookie}");
    let pair = cookie.split(';').next().unwrap_or_default();
    let r = service.request("GET", "/admin/migrations", &[("Cookie", pair)]);
    assert_eq!(r.status, 200, "{}", r.body);
}
