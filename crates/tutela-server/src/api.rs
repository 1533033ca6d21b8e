//! The JSON API for reviewers and administrators (the platform's scan routes are in `scan`).
//! Cookie-authenticated writes need the session's CSRF token in `x-csrf-token`.

use crate::auth::{self, Principal};
use crate::cases::{self, DecideInput};
use crate::error::{ApiError, ApiResult};
use crate::state::Shared;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};
use tutela_core::*;
use utoipa::ToSchema;

fn csrf(principal: &Principal, headers: &HeaderMap) -> ApiResult<()> {
    principal.check_csrf(headers.get("x-csrf-token").and_then(|v| v.to_str().ok()))
}

/// An administrator's write: the CSRF token (for cookie sessions), then the role.
fn admin_write(principal: &Principal, headers: &HeaderMap) -> ApiResult<()> {
    csrf(principal, headers)?;
    principal.require_role(Role::is_admin)?;
    Ok(())
}

fn json_body<T>(body: Result<Json<T>, axum::extract::rejection::JsonRejection>) -> ApiResult<T> {
    body.map(|Json(v)| v)
        .map_err(|e| ApiError::bad_request(e.body_text()))
}

fn audit(principal: &Principal, action: &str, subject: String, details: Value) -> NewAudit {
    NewAudit {
        actor: principal.actor(),
        action: action.into(),
        subject,
        details,
    }
}

#[derive(Debug, Deserialize)]
pub struct ListParams {
    pub q: Option<String>,
    pub status: Option<String>,
    pub limit: Option<i64>,
}

/// The review queue (no `q`/`status`), or a case search; only cases the caller's role may see.
#[utoipa::path(get, path = "/v1/cases", tag = "review",
    params(("q" = Option<String>, Query, description = "content id, uploader id, case id or title text"),
        ("status" = Option<String>, Query, description = "open, escalated or decided"),
        ("limit" = Option<i64>, Query, description = "default 100")),
    responses((status = 200, description = "Cases"), (status = 401, description = "Not logged in"),
        (status = 403, description = "Not a reviewer")))]
pub async fn list_cases(
    State(state): State<Shared>,
    principal: Principal,
    Query(p): Query<ListParams>,
) -> ApiResult<Json<Value>> {
    let user = principal.require_role(|r| r != Role::Auditor)?;
    let queues: Vec<Queue> = Queue::ALL
        .iter()
        .copied()
        .filter(|q| user.role.can_view_queue(*q))
        .collect();
    let limit = p.limit.unwrap_or(100).clamp(1, 1000);
    let cases = if p.q.is_none() && p.status.is_none() {
        state.store.queue(&queues, limit).await?
    } else {
        let status = p
            .status
            .as_deref()
            .filter(|s| !s.is_empty())
            .map(str::parse::<CaseStatus>)
            .transpose()
            .map_err(ApiError::bad_request)?;
        state
            .store
            .search_cases(&CaseQuery {
                text: p.q,
                status,
                queues,
                limit,
            })
            .await?
    };
    Ok(Json(json!({"cases": cases})))
}

#[utoipa::path(get, path = "/v1/cases/{id}", tag = "review",
    params(("id" = i64, Path, description = "Case id")),
    responses((status = 200, description = "The case with its signals, decisions, evidence and webhooks"),
        (status = 401, description = "Not logged in"), (status = 403, description = "Role may not see this case"),
        (status = 404, description = "No such case")))]
pub async fn get_case(
    State(state): State<Shared>,
    principal: Principal,
    Path(id): Path<i64>,
) -> ApiResult<Json<CaseDetail>> {
    Ok(Json(cases::visible_case(&state, &principal, id).await?))
}

#[utoipa::path(post, path = "/v1/cases/{id}/assign", tag = "review",
    params(("id" = i64, Path, description = "Case id")),
    responses((status = 200, description = "Locked for the caller"), (status = 401, description = "Not logged in"),
        (status = 403, description = "Role may not decide this case"), (status = 404, description = "No such case"),
        (status = 409, description = "Another reviewer holds the lock")))]
pub async fn assign_case(
    State(state): State<Shared>,
    principal: Principal,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> ApiResult<Json<Case>> {
    csrf(&principal, &headers)?;
    Ok(Json(cases::assign(&state, &principal, id).await?))
}

#[utoipa::path(post, path = "/v1/cases/{id}/decisions", tag = "review",
    params(("id" = i64, Path, description = "Case id")), request_body = DecideInput,
    responses((status = 200, description = "The decision, appended to the case's history"),
        (status = 400, description = "Bad decision"), (status = 401, description = "Not logged in"),
        (status = 403, description = "Role may not decide this case"), (status = 404, description = "No such case"),
        (status = 409, description = "Another reviewer holds the lock")))]
pub async fn decide_case(
    State(state): State<Shared>,
    principal: Principal,
    headers: HeaderMap,
    Path(id): Path<i64>,
    body: Result<Json<DecideInput>, axum::extract::rejection::JsonRejection>,
) -> ApiResult<Json<Decision>> {
    csrf(&principal, &headers)?;
    // Who may decide this case is checked before the body is read.
    let detail = cases::visible_case(&state, &principal, id).await?;
    principal.require_role(|r| r.can_decide(detail.case.queue))?;
    let input = json_body(body)?;
    Ok(Json(cases::decide(&state, &principal, id, input).await?))
}

/// The preserved content, decrypted; every access is written to the audit log.
#[utoipa::path(get, path = "/v1/evidence/{id}", tag = "review",
    params(("id" = i64, Path, description = "Evidence id")),
    responses((status = 200, description = "The content"), (status = 401, description = "Not logged in"),
        (status = 403, description = "Role may not see this case's media"), (status = 404, description = "No such item"),
        (status = 410, description = "Purged after its retention period")))]
pub async fn get_evidence(
    State(state): State<Shared>,
    principal: Principal,
    Path(id): Path<i64>,
) -> ApiResult<Response> {
    principal.user()?;
    let item = state
        .store
        .evidence(id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("evidence {id}")))?;
    let case_id = item
        .case_id
        .ok_or_else(|| ApiError::forbidden("evidence outside a case is for admins via export"))?;
    cases::visible_case(&state, &principal, case_id).await?;
    if item.purged_at.is_some() {
        return Err(ApiError::new(
            StatusCode::GONE,
            "purged",
            "this evidence was purged after its retention period",
        ));
    }
    let bytes = crate::vault_files::open(&state, &item)
        .await
        .map_err(ApiError::internal)?;
    state
        .store
        .append_audit(
            vec![audit(
                &principal,
                "evidence.view",
                format!("evidence:{id}"),
                json!({"case": case_id}),
            )],
            crate::now(),
        )
        .await?;
    Ok((
        [
            (header::CONTENT_TYPE, item.media_type.clone()),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        bytes,
    )
        .into_response())
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct HoldInput {
    pub hold: bool,
}

#[utoipa::path(post, path = "/v1/evidence/{id}/hold", tag = "admin",
    params(("id" = i64, Path, description = "Evidence id")), request_body = HoldInput,
    responses((status = 200, description = "Legal hold set or lifted"), (status = 401, description = "Not logged in"),
        (status = 403, description = "Admins only"), (status = 404, description = "No such live item")))]
pub async fn hold_evidence(
    State(state): State<Shared>,
    principal: Principal,
    headers: HeaderMap,
    Path(id): Path<i64>,
    body: Result<Json<HoldInput>, axum::extract::rejection::JsonRejection>,
) -> ApiResult<Json<Value>> {
    admin_write(&principal, &headers)?;
    let h = json_body(body)?;
    let action = if h.hold {
        "evidence.hold"
    } else {
        "evidence.release"
    };
    state
        .store
        .set_legal_hold(
            id,
            h.hold,
            crate::now(),
            audit(&principal, action, format!("evidence:{id}"), json!({})),
        )
        .await?;
    Ok(Json(json!({"id": id, "legal_hold": h.hold})))
}

#[derive(Debug, Deserialize)]
pub struct AuditParams {
    pub after: Option<i64>,
    pub limit: Option<i64>,
}

#[utoipa::path(get, path = "/v1/audit", tag = "audit",
    params(("after" = Option<i64>, Query, description = "Entries after this sequence number"),
        ("limit" = Option<i64>, Query, description = "default 500")),
    responses((status = 200, description = "Entries and checkpoints"), (status = 401, description = "Not logged in"),
        (status = 403, description = "Admins and auditors only")))]
pub async fn audit_log(
    State(state): State<Shared>,
    principal: Principal,
    Query(p): Query<AuditParams>,
) -> ApiResult<Json<Value>> {
    principal.require_role(Role::can_read_audit)?;
    let entries = state
        .store
        .audit_entries(
            p.after.unwrap_or(0),
            p.limit.unwrap_or(500).clamp(1, 10_000),
        )
        .await?;
    let checkpoints = state.store.checkpoints().await?;
    state
        .store
        .append_audit(
            vec![audit(
                &principal,
                "audit.export",
                "audit".into(),
                json!({"entries": entries.len()}),
            )],
            crate::now(),
        )
        .await?;
    Ok(Json(json!({
        "entries": entries,
        "checkpoints": checkpoints,
        "public_key": hex::encode(state.signing.verifying_key().to_bytes()),
    })))
}

#[utoipa::path(post, path = "/v1/audit/verify", tag = "audit",
    responses((status = 200, description = "The chain and every checkpoint check out"),
        (status = 401, description = "Not logged in"), (status = 403, description = "Admins and auditors only"),
        (status = 409, description = "The log was tampered with: where and how")))]
pub async fn audit_verify(
    State(state): State<Shared>,
    principal: Principal,
    headers: HeaderMap,
) -> ApiResult<Response> {
    csrf(&principal, &headers)?;
    principal.require_role(Role::can_read_audit)?;
    match crate::verify_audit(state.store.as_ref(), &state.signing.verifying_key()).await? {
        Ok(n) => Ok(Json(json!({"ok": true, "entries": n})).into_response()),
        Err(b) => {
            Ok((StatusCode::CONFLICT, Json(json!({"ok": false, "break": b}))).into_response())
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUserInput {
    pub username: String,
    pub password: String,
    /// admin, reviewer, child_safety_reviewer or auditor.
    pub role: String,
}

#[utoipa::path(get, path = "/v1/users", tag = "admin",
    responses((status = 200, description = "Users"), (status = 401, description = "Not logged in"), (status = 403, description = "Admins only")))]
pub async fn list_users(
    State(state): State<Shared>,
    principal: Principal,
) -> ApiResult<Json<Value>> {
    principal.require_role(Role::is_admin)?;
    Ok(Json(json!({"users": state.store.list_users().await?})))
}

#[utoipa::path(post, path = "/v1/users", tag = "admin", request_body = NewUserInput,
    responses((status = 201, description = "Created"), (status = 400, description = "Bad input"),
        (status = 401, description = "Not logged in"), (status = 403, description = "Admins only"),
        (status = 409, description = "Name taken")))]
pub async fn create_user(
    State(state): State<Shared>,
    principal: Principal,
    headers: HeaderMap,
    body: Result<Json<NewUserInput>, axum::extract::rejection::JsonRejection>,
) -> ApiResult<Response> {
    admin_write(&principal, &headers)?;
    let input = json_body(body)?;
    let role: Role = input.role.parse().map_err(ApiError::bad_request)?;
    let name = input.username.trim();
    if name.is_empty()
        || name.len() > 64
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
    {
        return Err(ApiError::bad_request(
            "username: 1-64 letters, digits, '.', '_' or '-'",
        ));
    }
    if input.password.chars().count() < 12 {
        return Err(ApiError::bad_request("password: at least 12 characters"));
    }
    let hash = auth::hash_password(&input.password).map_err(ApiError::internal)?;
    let user = state
        .store
        .create_user(
            name,
            &hash,
            role,
            crate::now(),
            audit(
                &principal,
                "user.create",
                format!("user:{name}"),
                json!({"role": role}),
            ),
        )
        .await?;
    Ok((StatusCode::CREATED, Json(user)).into_response())
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct RoleInput {
    pub role: String,
}

#[utoipa::path(post, path = "/v1/users/{id}/role", tag = "admin",
    params(("id" = i64, Path, description = "User id")), request_body = RoleInput,
    responses((status = 200, description = "Role changed"), (status = 400, description = "Bad role"),
        (status = 401, description = "Not logged in"), (status = 403, description = "Admins only"),
        (status = 404, description = "No such user")))]
pub async fn set_role(
    State(state): State<Shared>,
    principal: Principal,
    headers: HeaderMap,
    Path(id): Path<i64>,
    body: Result<Json<RoleInput>, axum::extract::rejection::JsonRejection>,
) -> ApiResult<Json<Value>> {
    admin_write(&principal, &headers)?;
    let input = json_body(body)?;
    let role: Role = input.role.parse().map_err(ApiError::bad_request)?;
    state
        .store
        .set_user_role(
            id,
            role,
            crate::now(),
            audit(
                &principal,
                "user.role",
                format!("user:{id}"),
                json!({"role": role}),
            ),
        )
        .await?;
    Ok(Json(json!({"id": id, "role": role})))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewKeyInput {
    pub name: String,
    /// scan, report, read.
    pub scopes: Vec<String>,
}

#[utoipa::path(get, path = "/v1/api-keys", tag = "admin",
    responses((status = 200, description = "Keys (never their secrets)"), (status = 401, description = "Not logged in"), (status = 403, description = "Admins only")))]
pub async fn list_keys(
    State(state): State<Shared>,
    principal: Principal,
) -> ApiResult<Json<Value>> {
    principal.require_role(Role::is_admin)?;
    Ok(Json(
        json!({"api_keys": state.store.list_api_keys().await?}),
    ))
}

#[utoipa::path(post, path = "/v1/api-keys", tag = "admin", request_body = NewKeyInput,
    responses((status = 201, description = "Created; the key is shown this once"), (status = 400, description = "Bad input"),
        (status = 401, description = "Not logged in"), (status = 403, description = "Admins only"), (status = 409, description = "Name taken")))]
pub async fn create_key(
    State(state): State<Shared>,
    principal: Principal,
    headers: HeaderMap,
    body: Result<Json<NewKeyInput>, axum::extract::rejection::JsonRejection>,
) -> ApiResult<Response> {
    admin_write(&principal, &headers)?;
    let input = json_body(body)?;
    let scopes: Vec<Scope> = input
        .scopes
        .iter()
        .map(|s| s.parse())
        .collect::<Result<_, String>>()
        .map_err(ApiError::bad_request)?;
    if scopes.is_empty() || input.name.trim().is_empty() {
        return Err(ApiError::bad_request(
            "a key needs a name and at least one scope",
        ));
    }
    let (key, secret) =
        crate::create_api_key(&state, &principal.actor(), input.name.trim(), &scopes).await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({"api_key": key, "secret": secret})),
    )
        .into_response())
}

#[utoipa::path(delete, path = "/v1/api-keys/{id}", tag = "admin",
    params(("id" = i64, Path, description = "Key id")),
    responses((status = 200, description = "Revoked"), (status = 401, description = "Not logged in"),
        (status = 403, description = "Admins only"), (status = 404, description = "No such key")))]
pub async fn revoke_key(
    State(state): State<Shared>,
    principal: Principal,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> ApiResult<Json<Value>> {
    admin_write(&principal, &headers)?;
    state
        .store
        .revoke_api_key(
            id,
            crate::now(),
            audit(
                &principal,
                "apikey.revoke",
                format!("apikey:{id}"),
                json!({}),
            ),
        )
        .await?;
    state.api_keys.lock().expect("key cache").clear();
    Ok(Json(json!({"id": id, "revoked": true})))
}

#[utoipa::path(get, path = "/v1/webhooks/failed", tag = "admin",
    responses((status = 200, description = "Webhooks that failed or are retrying"), (status = 401, description = "Not logged in"), (status = 403, description = "Admins only")))]
pub async fn failed_webhooks(
    State(state): State<Shared>,
    principal: Principal,
) -> ApiResult<Json<Value>> {
    principal.require_role(Role::is_admin)?;
    Ok(Json(
        json!({"webhooks": state.store.failed_outbox(500).await?}),
    ))
}

#[utoipa::path(post, path = "/v1/webhooks/{id}/retry", tag = "admin",
    params(("id" = i64, Path, description = "Outbox message id")),
    responses((status = 200, description = "Queued again"), (status = 401, description = "Not logged in"),
        (status = 403, description = "Admins only"), (status = 404, description = "No such failed webhook")))]
pub async fn retry_webhook(
    State(state): State<Shared>,
    principal: Principal,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> ApiResult<Json<Value>> {
    admin_write(&principal, &headers)?;
    state
        .store
        .retry_outbox(
            id,
            crate::now(),
            audit(
                &principal,
                "webhook.retry",
                format!("outbox:{id}"),
                json!({}),
            ),
        )
        .await?;
    state.outbox_notify.notify_one();
    Ok(Json(json!({"id": id, "status": "pending"})))
}

/// Reload the banks after `tutela bank import` changed them.
#[utoipa::path(post, path = "/v1/banks/reload", tag = "admin",
    responses((status = 200, description = "Reloaded"), (status = 401, description = "Not logged in"), (status = 403, description = "Admins only")))]
pub async fn reload_banks(
    State(state): State<Shared>,
    principal: Principal,
    headers: HeaderMap,
) -> ApiResult<Json<Value>> {
    admin_write(&principal, &headers)?;
    let n = crate::reload_banks(&state)
        .await
        .map_err(ApiError::internal)?;
    state
        .store
        .append_audit(
            vec![audit(
                &principal,
                "bank.reload",
                "banks".into(),
                json!({"banks": n}),
            )],
            crate::now(),
        )
        .await?;
    Ok(Json(json!({"banks": n})))
}
