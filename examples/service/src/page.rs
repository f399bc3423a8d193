//! The admin page's HTML (maud escapes every interpolated value: revision messages, error
//! text and history rows are untrusted). No JavaScript: the retry button is a form post.

use maud::{html, Markup, DOCTYPE};

use crate::state::{HistoryRow, Report, Revision};

/// Everything the admin page shows.
pub(crate) struct AdminView<'a> {
    pub(crate) report: &'a Report,
    pub(crate) current: Vec<Revision>,
    pub(crate) heads: Vec<Revision>,
    pub(crate) pending: Vec<Revision>,
    pub(crate) history: Result<Vec<HistoryRow>, String>,
    /// The outcome of the retry this page answers, if it answers one.
    pub(crate) outcome: Option<String>,
    /// Whether to offer the retry button (not in `off` mode, where a retry does nothing).
    pub(crate) can_retry: bool,
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:2rem;max-width:70rem}\
    .ok{color:#116611}.degraded,.unavailable{color:#aa1111}\
    pre{background:#f4f4f4;padding:1rem;white-space:pre-wrap}\
    table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:left}\
    code{font-size:1.05em}";

fn layout(title: &str, body: Markup) -> String {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) }
                style { (STYLE) }
            }
            body { (body) }
        }
    }
    .into_string()
}

fn revisions(id: &str, revs: &[Revision], empty: &str) -> Markup {
    html! {
        @if revs.is_empty() {
            p id=(id) { (empty) }
        } @else {
            ul id=(id) {
                @for r in revs {
                    li {
                        code { (r.revision) }
                        @if r.message.is_empty() { " (not in this build)" } @else { " " (r.message) }
                    }
                }
            }
        }
    }
}

/// The admin page.
pub(crate) fn admin(view: &AdminView<'_>) -> String {
    let r = view.report;
    let body = html! {
        h1 { "Migrations" }
        p id="status" class=(r.status) {
            "Status: " strong { (r.status) } " — migrations: " strong id="migrations" { (r.migrations) }
            " (start-up mode " code { (r.mode) } ")"
        }
        @if let Some(outcome) = &view.outcome {
            p id="outcome" { strong { "Retry: " } (outcome) }
        }
        @if let Some(error) = &r.error_report {
            h2 { "Last error" }
            pre id="error" { (error) }
        }
        h2 { "Current revisions" }
        (revisions("current", &view.current, "None: the database has no version rows."))
        h2 { "Heads of this build" }
        (revisions("heads", &view.heads, "None."))
        h2 { "Pending migrations" }
        @if view.pending.is_empty() {
            p id="pending" { "Nothing pending." }
        } @else {
            ol id="pending" {
                @for p in &view.pending {
                    li { code { (p.revision) } " " (p.message) }
                }
            }
        }
        @if view.can_retry {
            form method="post" action="/admin/migrations" {
                button id="retry" type="submit" { "Retry migrations" }
            }
            @if r.mode != "migrate" {
                p id="retry-note" {
                    "In " code { (r.mode) } " mode a retry checks the database again; the \
                     migrations themselves are applied by your release job (" code { "migrate upgrade" } ")."
                }
            }
        }
        h2 { "Recent history" }
        @match &view.history {
            Err(e) => p id="history" { "The history can't be read: " (e) },
            Ok(rows) if rows.is_empty() => p id="history" { "No migration has run yet." },
            Ok(rows) => table id="history" {
                thead { tr { th { "Revision" } th { "Direction" } th { "Started (UTC)" } th { "Duration" } th { "Outcome" } } }
                tbody {
                    @for row in rows {
                        tr {
                            td { code { (row.revision) } }
                            td { (row.direction) }
                            td { (row.started_at) }
                            td { (row.duration_ms) " ms" }
                            td {
                                @if row.success { "ok" } @else { "failed: " (row.error.as_deref().unwrap_or("")) }
                            }
                        }
                    }
                }
            },
        }
    };
    layout("Migrations", body)
}

/// The sign-in form (`POST /admin/login`), with a message after a wrong token.
pub(crate) fn login(message: Option<&str>) -> String {
    let body = html! {
        h1 { "Migrations: sign in" }
        @if let Some(m) = message { p id="message" class="degraded" { (m) } }
        form method="post" action="/admin/login" {
            label for="token" { "Admin token (MIGRATE_ADMIN_TOKEN) " }
            input id="token" name="token" type="password" autocomplete="current-password" required;
            " "
            button id="sign-in" type="submit" { "Sign in" }
        }
    };
    layout("Migrations: sign in", body)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(error: Option<&str>) -> Report {
        Report {
            status: "degraded",
            migrations: "failed",
            mode: "migrate",
            current: Vec::new(),
            heads: vec!["h1".into()],
            pending: vec!["p1".into()],
            error: error.map(str::to_owned),
            error_report: error.map(str::to_owned),
            ready: false,
        }
    }

    #[test]
    fn every_untrusted_value_is_escaped() {
        let evil = "<script>alert(1)</script>";
        let r = report(Some(
            "migration p1 failed: <script>alert(2)</script> & more",
        ));
        let rev = |id: &str| Revision {
            revision: id.into(),
            message: evil.into(),
        };
        let view = AdminView {
            report: &r,
            current: vec![rev("c1")],
            heads: vec![rev("h1")],
            pending: vec![rev("p1")],
            history: Ok(vec![HistoryRow {
                revision: "p1".into(),
                direction: "up",
                started_at: "2026-01-01T00:00:00.000Z".into(),
                duration_ms: 12,
                success: false,
                error: Some("<img src=x onerror=alert(3)>".into()),
            }]),
            outcome: Some("<b>done</b>".into()),
            can_retry: true,
        };
        let page = admin(&view);
        assert!(!page.contains("<script>"), "{page}");
        assert!(!page.contains("<img"), "{page}");
        assert!(!page.contains("<b>done"), "{page}");
        assert!(
            page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{page}"
        );
        assert!(page.contains("&lt;script&gt;alert(2)&lt;/script&gt; &amp; more"));
        assert!(page.contains("&lt;img src=x onerror=alert(3)&gt;"));
        assert!(page.contains(r#"<button id="retry" type="submit">Retry migrations</button>"#));
    }

    #[test]
    fn login_message_is_escaped() {
        let page = login(Some("<script>x</script>"));
        assert!(page.contains("&lt;script&gt;x&lt;/script&gt;"), "{page}");
        assert!(!page.contains("<script>"));
    }
}
