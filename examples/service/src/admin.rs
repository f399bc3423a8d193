//! `/admin/migrations`: HTML for a browser, JSON for `Accept: application/json`; `POST` retries
//! the start-up. `/admin/login` signs a browser in. Everything answers 404 while no
//! `MIGRATE_ADMIN_TOKEN` is configured, and 401 without the token.

use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::{Form, Json};
use migrate_core::StartStatus;
use serde::Deserialize;
use serde_json::json;

use crate::page::{self, AdminView};
use crate::routes::{blocking, Shared};
use crate::state::AppState;

const DISABLED: &str =
    "the admin page is disabled: set MIGRATE_ADMIN_TOKEN to a secret to enable it";

fn wants_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("application/json"))
}

/// `None` when the request may go on; otherwise the answer (404 disabled, 401 sign in).
fn gate(state: &AppState, headers: &HeaderMap) -> Option<Response> {
    let json = wants_json(headers);
    if !state.token.enabled() {
        let body = if json {
            Json(json!({ "error": DISABLED })).into_response()
        } else {
            DISABLED.into_response()
        };
        return Some((StatusCode::NOT_FOUND, body).into_response());
    }
    if state.token.authorizes(headers) {
        return None;
    }
    let body = if json {
        Json(
            json!({ "error": "send the admin token: Authorization: Bearer <MIGRATE_ADMIN_TOKEN>" }),
        )
        .into_response()
    } else {
        Html(page::login(None)).into_response()
    };
    Some((StatusCode::UNAUTHORIZED, body).into_response())
}

/// A form posted from another site (a browser always sends `Origin` on a cross-site POST):
/// refused, as a second line of defence behind the `SameSite=Strict` cookie.
fn cross_site(headers: &HeaderMap) -> bool {
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    match headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        None => false,
        Some(origin) => {
            let origin_host = origin.split_once("://").map_or(origin, |(_, rest)| rest);
            Some(origin_host) != host
        }
    }
}

/// `GET /admin/migrations`.
pub(crate) async fn show(State(state): State<Shared>, headers: HeaderMap) -> Response {
    if let Some(refused) = gate(&state, &headers) {
        return refused;
    }
    render(&state, &headers, None).await
}

/// `POST /admin/migrations`: run the start-up again in its mode, and show the outcome.
pub(crate) async fn retry(State(state): State<Shared>, headers: HeaderMap) -> Response {
    if let Some(refused) = gate(&state, &headers) {
        return refused;
    }
    if cross_site(&headers) {
        return (StatusCode::FORBIDDEN, "cross-site request refused").into_response();
    }
    let outcome = match blocking(&state, |s| s.startup.retry()).await {
        Ok(outcome) => outcome,
        Err(response) => return response,
    };
    if wants_json(&headers) {
        let code = if outcome.error().is_some() {
            StatusCode::INTERNAL_SERVER_ERROR
        } else {
            StatusCode::OK
        };
        let applied = match &outcome {
            StartStatus::Ok { applied, .. } => applied.clone(),
            _ => Vec::new(),
        };
        let body = json!({
            "status": outcome.label(),
            "applied": applied,
            "error": outcome.error().map(|e| e.to_string()),
        });
        return (code, Json(body)).into_response();
    }
    let said = match &outcome {
        StartStatus::Ok { applied, .. } if applied.is_empty() => "ok, nothing to apply".to_owned(),
        StartStatus::Ok { applied, .. } => format!(
            "ok, applied {} migration{}: {}",
            applied.len(),
            if applied.len() == 1 { "" } else { "s" },
            applied.join(", ")
        ),
        other => other.to_string(),
    };
    render(&state, &headers, Some(said)).await
}

async fn render(state: &Shared, headers: &HeaderMap, outcome: Option<String>) -> Response {
    let json = wants_json(headers);
    let gathered = blocking(state, |s| {
        let report = s.report();
        let history = s.recent_history();
        (report, history)
    })
    .await;
    let (report, history) = match gathered {
        Ok(g) => g,
        Err(response) => return response,
    };
    if json {
        let (rows, history_error) = match history {
            Ok(rows) => (rows, None),
            Err(e) => (Vec::new(), Some(e)),
        };
        return Json(json!({
            "status": report.status,
            "migrations": report.migrations,
            "mode": report.mode,
            "current": state.revisions(&report.current),
            "heads": state.revisions(&report.heads),
            "pending": state.revisions(&report.pending),
            "last_error": report.error_report,
            "history": rows,
            "history_error": history_error,
        }))
        .into_response();
    }
    let view = AdminView {
        current: state.revisions(&report.current),
        heads: state.revisions(&report.heads),
        pending: state.revisions(&report.pending),
        report: &report,
        history,
        outcome,
        can_retry: state.startup.mode() != migrate_core::StartMode::Off,
    };
    Html(page::admin(&view)).into_response()
}

#[derive(Deserialize)]
pub(crate) struct SignIn {
    token: String,
}

/// `POST /admin/login`: the right token sets the cookie and goes to the page.
pub(crate) async fn login(
    State(state): State<Shared>,
    headers: HeaderMap,
    Form(form): Form<SignIn>,
) -> Response {
    if !state.token.enabled() {
        return (StatusCode::NOT_FOUND, DISABLED).into_response();
    }
    if cross_site(&headers) {
        return (StatusCode::FORBIDDEN, "cross-site request refused").into_response();
    }
    match state.token.cookie() {
        Some(cookie) if state.token.accepts(&form.token) => (
            [(header::SET_COOKIE, cookie)],
            Redirect::to("/admin/migrations"),
        )
            .into_response(),
        _ => (
            StatusCode::UNAUTHORIZED,
            Html(page::login(Some("That is not the admin token."))),
        )
            .into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn origin_check() {
        let mut h = HeaderMap::new();
        h.insert(header::HOST, HeaderValue::from_static("127.0.0.1:3000"));
        assert!(!cross_site(&h), "no Origin: not a cross-site browser post");
        h.insert(
            header::ORIGIN,
            HeaderValue::from_static("http://127.0.0.1:3000"),
        );
        assert!(!cross_site(&h));
        h.insert(
            header::ORIGIN,
            HeaderValue::from_static("https://evil.example"),
        );
        assert!(cross_site(&h));
    }
}
