//! The admin token (`MIGRATE_ADMIN_TOKEN`). Without one configured the admin page is disabled,
//! not open. A browser signs in once with a form and then carries an `HttpOnly`,
//! `SameSite=Strict` cookie (so another site can't post the retry form with it); scripts send
//! `Authorization: Bearer <token>`.
//!
//! Tokens are compared as SHA-256 digests with `subtle`'s constant-time equality: neither the
//! content nor the length of the configured token leaks through response times.

use axum::http::{header, HeaderMap};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// The cookie a signed-in browser carries: the token's digest (never the token itself).
pub(crate) const COOKIE: &str = "migrate_admin";

/// The configured token's digest, if one is configured.
pub(crate) struct AdminToken(Option<[u8; 32]>);

fn digest(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl AdminToken {
    /// `MIGRATE_ADMIN_TOKEN`; unset or empty disables the admin page.
    pub(crate) fn from_env() -> AdminToken {
        AdminToken::new(std::env::var("MIGRATE_ADMIN_TOKEN").ok().as_deref())
    }

    pub(crate) fn new(token: Option<&str>) -> AdminToken {
        AdminToken(token.filter(|t| !t.is_empty()).map(digest))
    }

    pub(crate) fn enabled(&self) -> bool {
        self.0.is_some()
    }

    /// Whether `token` is the configured one.
    pub(crate) fn accepts(&self, token: &str) -> bool {
        self.accepts_digest(&digest(token))
    }

    fn accepts_digest(&self, presented: &[u8; 32]) -> bool {
        match &self.0 {
            Some(expected) => expected.ct_eq(presented).into(),
            None => false,
        }
    }

    /// The `Set-Cookie` value that signs a browser in (path `/admin`, 8 hours).
    pub(crate) fn cookie(&self) -> Option<String> {
        self.0.map(|d| {
            format!(
                "{COOKIE}={}; Path=/admin; HttpOnly; SameSite=Strict; Max-Age=28800",
                hex(&d)
            )
        })
    }

    /// Whether the request carries the token: a bearer header, or the sign-in cookie.
    pub(crate) fn authorizes(&self, headers: &HeaderMap) -> bool {
        if !self.enabled() {
            return false;
        }
        let bearer = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "));
        if let Some(token) = bearer {
            return self.accepts(token.trim());
        }
        cookie_digests(headers).any(|d| self.accepts_digest(&d))
    }
}

/// The digests in every `migrate_admin` cookie of the request.
fn cookie_digests(headers: &HeaderMap) -> impl Iterator<Item = [u8; 32]> + '_ {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().strip_prefix(COOKIE)?.strip_prefix('='))
        .filter_map(unhex)
}

fn unhex(s: &str) -> Option<[u8; 32]> {
    let mut out = [0u8; 32];
    if s.len() != 64 {
        return None;
    }
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(s.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn no_token_configured_accepts_nothing() {
        let none = AdminToken::new(None);
        assert!(!none.enabled());
        assert!(!none.accepts(""));
        let empty = AdminToken::new(Some(""));
        assert!(!empty.enabled() && !empty.accepts(""));
    }

    #[test]
    fn bearer_and_cookie() {
        let token = AdminToken::new(Some("s3cret"));
        assert!(token.accepts("s3cret"));
        assert!(!token.accepts("s3cre"));
        assert!(!token.accepts("s3cret "));
        let mut headers = HeaderMap::new();
        assert!(!token.authorizes(&headers));
        headers.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static("Bearer s3cret"),
        );
        assert!(token.authorizes(&headers));
        headers.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static("Bearer wrong"),
        );
        assert!(!token.authorizes(&headers));

        let set = token.cookie().expect("a cookie");
        let value = set.split(';').next().expect("name=value");
        let mut headers = HeaderMap::new();
        let cookie = format!("other=1; {value}");
        headers.insert(
            header::COOKIE,
            HeaderValue::from_str(&cookie).expect("ascii"),
        );
        assert!(token.authorizes(&headers));
        assert!(
            !value.contains("s3cret"),
            "the cookie holds a digest: {value}"
        );
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("migrate_admin=00ff"),
        );
        assert!(!token.authorizes(&headers));
    }
}
