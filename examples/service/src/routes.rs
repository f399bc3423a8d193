//! The HTTP endpoints. Migration calls block (Diesel is synchronous), so they run on tokio's
//! blocking pool.
//!
//! * `GET /health` (liveness): 200 while the service can do its job at all, including while
//!   degraded (`"status":"degraded"`, `"migrations":"failed"` and the error), so a platform's
//!   liveness check keeps the instance up to report what went wrong instead of restarting it
//!   into the same failure; 503 only when the database can't be reached.
//! * `GET /ready` (readiness): 200 when the schema is usable by this build in its start-up
//!   mode, else 503: a load balancer sends traffic only to instances that can serve it.
//! * `/admin/migrations`: see `admin.rs`.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::json;

use crate::admin;
use crate::state::AppState;

pub(crate) type Shared = Arc<AppState>;

/// The service's routes.
pub(crate) fn router(state: Shared) -> Router {
    Router::new()
        .route("/health", get(health))
        .route("/ready", get(ready))
        .route("/admin/migrations", get(admin::show).post(admin::retry))
        .route("/admin/login", post(admin::login))
        .with_state(state)
}

/// Bind `addr`, print `listening on <address>` as the first stdout line, serve until Ctrl-C
/// or SIGTERM.
pub(crate) async fn serve(addr: &str, state: Shared) -> Result<(), String> {
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| format!("can't listen on {addr}: {e}"))?;
    let local = listener
        .local_addr()
        .map_err(|e| format!("can't read the bound address: {e}"))?;
    // The contract with whoever started us (tests, a supervisor): one line, then serving.
    #[allow(clippy::print_stdout)]
    {
        println!("listening on {local}");
    }
    axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown_signal())
        .await
        .map_err(|e| format!("server error: {e}"))
}

/// Ctrl-C, or SIGTERM (what container runtimes send to stop a replica).
async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// Run blocking migration code off the async workers.
pub(crate) async fn blocking<T: Send + 'static>(
    state: &Shared,
    f: impl FnOnce(&AppState) -> T + Send + 'static,
) -> Result<T, Response> {
    let state = Arc::clone(state);
    tokio::task::spawn_blocking(move || f(&state))
        .await
        .map_err(|e| {
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                Json(json!({ "error": e.to_string() })),
            )
                .into_response()
        })
}

/// `GET /health`: 200 unless the database is unreachable (503).
async fn health(State(state): State<Shared>) -> Response {
    match blocking(&state, AppState::report).await {
        Ok(report) => {
            let code = if report.reachable() {
                StatusCode::OK
            } else {
                StatusCode::SERVICE_UNAVAILABLE
            };
            (code, Json(report)).into_response()
        }
        Err(response) => response,
    }
}

/// `GET /ready`: 200 when the schema is usable, else 503.
async fn ready(State(state): State<Shared>) -> Response {
    match blocking(&state, AppState::report).await {
        Ok(report) => {
            let code = if report.ready {
                StatusCode::OK
            } else {
                StatusCode::SERVICE_UNAVAILABLE
            };
            let body = json!({
                "ready": report.ready,
                "status": report.status,
                "migrations": report.migrations,
                "error": report.error,
            });
            (code, Json(body)).into_response()
        }
        Err(response) => response,
    }
}
