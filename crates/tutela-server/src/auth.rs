//! Who is calling: a console session (cookie) or a platform API key (bearer token). Secrets are
//! stored only as hashes: passwords with Argon2id, session tokens and API keys (random, 256-bit)
//! with SHA-256.

use crate::error::ApiError;
use crate::state::Shared;
use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use sha2::{Digest, Sha256};
use tutela_core::{ApiKey, Queue, Role, Scope, User};

pub const SESSION_COOKIE: &str = "tutela_session";

pub fn random_token(prefix: &str) -> String {
    let mut b = [0u8; 32];
    getrandom::fill(&mut b).expect("the system random source works");
    format!("{prefix}{}", hex::encode(b))
}

pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

pub fn hash_password(password: &str) -> anyhow::Result<String> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("hashing a password: {e}"))
}

pub fn verify_password(password: &str, stored: &str) -> bool {
    match PasswordHash::new(stored) {
        Ok(h) => Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok(),
        Err(_) => false,
    }
}

/// The caller of a request.
#[derive(Clone, Debug)]
pub enum Principal {
    User { user: User, csrf: String },
    Key(ApiKey),
    Anonymous,
}

impl Principal {
    pub fn actor(&self) -> String {
        match self {
            Principal::User { user, .. } => format!("user:{}", user.username),
            Principal::Key(k) => format!("apikey:{}", k.name),
            Principal::Anonymous => "anonymous".into(),
        }
    }

    /// A logged-in person, or 401/403.
    pub fn user(&self) -> Result<&User, ApiError> {
        match self {
            Principal::User { user, .. } => Ok(user),
            Principal::Key(_) => Err(ApiError::forbidden(
                "this route is for console users, not API keys",
            )),
            Principal::Anonymous => Err(ApiError::unauthorized()),
        }
    }

    pub fn require_role(&self, ok: impl Fn(Role) -> bool) -> Result<&User, ApiError> {
        let user = self.user()?;
        if ok(user.role) {
            Ok(user)
        } else {
            Err(ApiError::forbidden(format!(
                "the {} role may not do this",
                user.role
            )))
        }
    }

    pub fn require_queue(&self, queue: Queue) -> Result<&User, ApiError> {
        self.require_role(|r| r.can_view_queue(queue))
    }

    /// A platform key with this scope (admins may use key-scoped routes too, for testing).
    pub fn require_scope(&self, scope: Scope) -> Result<(), ApiError> {
        match self {
            Principal::Key(k) if k.scopes.contains(&scope) => Ok(()),
            Principal::Key(_) => Err(ApiError::forbidden(format!(
                "this API key lacks the `{scope}` scope"
            ))),
            Principal::User { user, .. } if user.role == Role::Admin => Ok(()),
            Principal::User { .. } => Err(ApiError::forbidden(format!(
                "needs an API key with the `{scope}` scope"
            ))),
            Principal::Anonymous => Err(ApiError::unauthorized()),
        }
    }

    /// Cookie-authenticated writes must carry the session's CSRF token (header or form field).
    pub fn check_csrf(&self, presented: Option<&str>) -> Result<(), ApiError> {
        match self {
            Principal::User { csrf, .. } if presented == Some(csrf.as_str()) => Ok(()),
            Principal::User { .. } => Err(ApiError::forbidden(
                "missing or wrong CSRF token (reload the page)",
            )),
            _ => Ok(()),
        }
    }
}

pub fn cookie_value<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// Valid API keys are remembered this long (a revocation through this engine clears them at
/// once), so a busy platform's every request does not cost a database read.
const KEY_CACHE_SECONDS: i64 = 30;

impl FromRequestParts<Shared> for Principal {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &Shared) -> Result<Self, ApiError> {
        if let Some(auth) = parts.headers.get(header::AUTHORIZATION) {
            let token = auth
                .to_str()
                .ok()
                .and_then(|v| v.strip_prefix("Bearer "))
                .ok_or_else(ApiError::unauthorized)?;
            let hash = token_hash(token.trim());
            let now = crate::now();
            if let Some((key, at)) = state.api_keys.lock().expect("key cache").get(&hash)
                && now - at < KEY_CACHE_SECONDS
            {
                return Ok(Principal::Key(key.clone()));
            }
            return match state.store.api_key_by_hash(&hash).await? {
                Some(k) if !k.revoked => {
                    let mut cache = state.api_keys.lock().expect("key cache");
                    if cache.len() > 10_000 {
                        cache.clear();
                    }
                    cache.insert(hash, (k.clone(), now));
                    Ok(Principal::Key(k))
                }
                _ => Err(ApiError::unauthorized()),
            };
        }
        if let Some(token) = cookie_value(&parts.headers, SESSION_COOKIE)
            && let Some((user, csrf)) = state
                .store
                .session(&token_hash(token), crate::now())
                .await?
        {
            return Ok(Principal::User { user, csrf });
        }
        Ok(Principal::Anonymous)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_verify_only_themselves() {
        let h = hash_password("correct horse").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("correct horse", &h));
        assert!(!verify_password("wrong", &h));
        assert!(!verify_password("x", "not a hash"));
    }

    #[test]
    fn cookies_are_found_among_others() {
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            "a=1; tutela_session=abc; b=2".parse().unwrap(),
        );
        assert_eq!(cookie_value(&h, SESSION_COOKIE), Some("abc"));
        assert_eq!(cookie_value(&h, "c"), None);
    }
}
