//! The review console: server-rendered HTML (askama templates compiled into the binary), no
//! build step, one small script that reveals blurred media one image at a time. Forms post with
//! the session's CSRF token; the session cookie is HttpOnly and SameSite=Strict.

use crate::auth::{self, Principal, SESSION_COOKIE};
use crate::cases::{self, DecideInput};
use crate::error::ApiError;
use crate::state::Shared;
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;
use serde_json::json;
use tutela_core::*;

pub struct Nav {
    pub user: Option<String>,
    pub audit: bool,
    pub admin: bool,
    pub failed_webhooks: i64,
    pub csrf: String,
}

impl Nav {
    async fn of(state: &Shared, principal: &Principal) -> Nav {
        match principal {
            Principal::User { user, csrf } => Nav {
                user: Some(format!("{} ({})", user.username, user.role)),
                audit: user.role.can_read_audit(),
                admin: user.role.is_admin(),
                failed_webhooks: if user.role.is_admin() {
                    state
                        .store
                        .counts()
                        .await
                        .map(|c| c.outbox_failed)
                        .unwrap_or(0)
                } else {
                    0
                },
                csrf: csrf.clone(),
            },
            _ => Nav {
                user: None,
                audit: false,
                admin: false,
                failed_webhooks: 0,
                csrf: String::new(),
            },
        }
    }
}

fn render(t: &impl Template) -> Response {
    match t.render() {
        Ok(html) => ([(header::CACHE_CONTROL, "no-store")], Html(html)).into_response(),
        Err(e) => ApiError::internal(e).into_response(),
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    nav: Nav,
    heading: String,
    message: String,
}

async fn error_page(state: &Shared, principal: &Principal, e: ApiError) -> Response {
    if e.status == StatusCode::UNAUTHORIZED {
        return Redirect::to("/console/login").into_response();
    }
    let heading = match e.status {
        StatusCode::FORBIDDEN => "Not allowed",
        StatusCode::NOT_FOUND => "Not found",
        StatusCode::CONFLICT => "Someone else is on this",
        _ => "Something went wrong",
    }
    .to_string();
    let page = ErrorPage {
        nav: Nav::of(state, principal).await,
        heading,
        message: e.message,
    };
    let mut resp = render(&page);
    *resp.status_mut() = e.status;
    resp
}

pub fn fmt_time(t: i64) -> String {
    crate::rfc3339(t)
        .replace('T', " ")
        .trim_end_matches('Z')
        .to_string()
        + " UTC"
}

fn fmt_age(seconds: i64) -> String {
    match seconds {
        s if s < 3600 => format!("{} min", s / 60),
        s if s < 86_400 => format!("{} h", s / 3600),
        s => format!("{} d", s / 86_400),
    }
}

// ---- login ----

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    nav: Nav,
    error: Option<String>,
}

pub async fn login_form(State(state): State<Shared>, principal: Principal) -> Response {
    if let Principal::User { .. } = principal {
        return Redirect::to("/console").into_response();
    }
    render(&LoginPage {
        nav: Nav::of(&state, &Principal::Anonymous).await,
        error: None,
    })
}

/// After this many failures in a row a user name is refused for a while (doubling each time).
const LOGIN_FREE_ATTEMPTS: u32 = 5;

/// Seconds still to wait before this user name may try again, if it is throttled.
fn login_throttled(state: &Shared, name: &str) -> Option<i64> {
    let map = state.login_failures.lock().expect("login lock");
    let (failures, last) = *map.get(name)?;
    if failures < LOGIN_FREE_ATTEMPTS {
        return None;
    }
    let wait = 30_i64 << (failures - LOGIN_FREE_ATTEMPTS).min(6);
    let left = last + wait - crate::now();
    (left > 0).then_some(left)
}

fn note_login_failure(state: &Shared, name: &str) {
    let mut map = state.login_failures.lock().expect("login lock");
    if map.len() > 100_000 {
        map.clear();
    }
    let entry = map.entry(name.to_string()).or_insert((0, 0));
    entry.0 += 1;
    entry.1 = crate::now();
}

#[derive(Deserialize)]
pub struct LoginInput {
    username: String,
    password: String,
}

pub async fn login(State(state): State<Shared>, Form(input): Form<LoginInput>) -> Response {
    let name = input.username.trim().to_string();
    if let Some(wait) = login_throttled(&state, &name) {
        let mut resp = render(&LoginPage {
            nav: Nav::of(&state, &Principal::Anonymous).await,
            error: Some(format!(
                "Too many failed attempts for this user name. Try again in {wait} seconds."
            )),
        });
        *resp.status_mut() = StatusCode::TOO_MANY_REQUESTS;
        return resp;
    }
    let user = state
        .store
        .user_by_name(input.username.trim())
        .await
        .ok()
        .flatten();
    let ok = match &user {
        Some(u) if !u.disabled => {
            let (pw, hash) = (input.password.clone(), u.password_hash.clone());
            tokio::task::spawn_blocking(move || auth::verify_password(&pw, &hash))
                .await
                .unwrap_or(false)
        }
        _ => {
            // Same work for unknown names, so timing does not tell which names exist.
            let pw = input.password.clone();
            let _ = tokio::task::spawn_blocking(move || auth::hash_password(&pw)).await;
            false
        }
    };
    let Some(user) = user.filter(|_| ok) else {
        note_login_failure(&state, &name);
        tracing::info!("failed console login");
        let mut resp = render(&LoginPage {
            nav: Nav::of(&state, &Principal::Anonymous).await,
            error: Some("Wrong user name or password.".into()),
        });
        *resp.status_mut() = StatusCode::UNAUTHORIZED;
        return resp;
    };
    state
        .login_failures
        .lock()
        .expect("login lock")
        .remove(&name);
    let token = auth::random_token("");
    let csrf = auth::random_token("");
    let hours = i64::from(state.config.review.session_hours);
    if let Err(e) = state
        .store
        .create_session(
            &auth::token_hash(&token),
            user.id,
            &csrf,
            crate::now() + hours * 3600,
        )
        .await
    {
        return ApiError::from(e).into_response();
    }
    let _ = state
        .store
        .append_audit(
            vec![NewAudit {
                actor: format!("user:{}", user.username),
                action: "session.login".into(),
                subject: format!("user:{}", user.username),
                details: json!({}),
            }],
            crate::now(),
        )
        .await;
    let cookie = format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}",
        hours * 3600
    );
    ([(header::SET_COOKIE, cookie)], Redirect::to("/console")).into_response()
}

#[derive(Deserialize)]
pub struct CsrfForm {
    csrf: String,
}

pub async fn logout(
    State(state): State<Shared>,
    headers: HeaderMap,
    principal: Principal,
    Form(f): Form<CsrfForm>,
) -> Response {
    if principal.check_csrf(Some(&f.csrf)).is_ok()
        && let Some(token) = auth::cookie_value(&headers, SESSION_COOKIE)
    {
        let _ = state.store.delete_session(&auth::token_hash(token)).await;
    }
    let cookie = format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
    (
        [(header::SET_COOKIE, cookie)],
        Redirect::to("/console/login"),
    )
        .into_response()
}

// ---- queue and search ----

pub struct CaseRow {
    id: i64,
    priority: String,
    queue: String,
    title: String,
    content: String,
    signals: i64,
    due: String,
    age: String,
    status: String,
    reviewer: String,
}

impl CaseRow {
    fn of(c: &Case, now: i64) -> CaseRow {
        CaseRow {
            id: c.id,
            priority: c.priority.to_string(),
            queue: c.queue.to_string(),
            title: c.title.clone(),
            content: c.content_id.clone().unwrap_or_else(|| c.subject_id.clone()),
            signals: c.signal_count,
            due: c
                .due_at
                .map(|d| {
                    if d <= now {
                        "overdue".to_string()
                    } else {
                        format!("in {}", fmt_age(d - now))
                    }
                })
                .unwrap_or_default(),
            age: fmt_age(now - c.created_at),
            status: c.status.to_string(),
            reviewer: c.assigned_name.clone().unwrap_or_default(),
        }
    }
}

#[derive(Template)]
#[template(path = "queue.html")]
struct QueuePage {
    nav: Nav,
    heading: String,
    show_search: bool,
    q: String,
    status: String,
    statuses: Vec<String>,
    rows: Vec<CaseRow>,
}

fn visible_queues(role: Role) -> Vec<Queue> {
    Queue::ALL
        .iter()
        .copied()
        .filter(|q| role.can_view_queue(*q))
        .collect()
}

pub async fn queue(State(state): State<Shared>, principal: Principal) -> Response {
    let user = match principal.user() {
        Ok(u) => u.clone(),
        Err(e) => return error_page(&state, &principal, e).await,
    };
    if user.role == Role::Auditor {
        return Redirect::to("/console/audit").into_response();
    }
    let now = crate::now();
    match state.store.queue(&visible_queues(user.role), 200).await {
        Ok(cases) => render(&QueuePage {
            nav: Nav::of(&state, &principal).await,
            heading: "Review queue".into(),
            show_search: false,
            q: String::new(),
            status: String::new(),
            statuses: vec![],
            rows: cases.iter().map(|c| CaseRow::of(c, now)).collect(),
        }),
        Err(e) => error_page(&state, &principal, e.into()).await,
    }
}

#[derive(Deserialize)]
pub struct SearchParams {
    q: Option<String>,
    status: Option<String>,
}

pub async fn search(
    State(state): State<Shared>,
    principal: Principal,
    Query(p): Query<SearchParams>,
) -> Response {
    let user = match principal.require_role(|r| r != Role::Auditor) {
        Ok(u) => u.clone(),
        Err(e) => return error_page(&state, &principal, e).await,
    };
    let status = p.status.clone().filter(|s| !s.is_empty());
    let parsed = match status.as_deref().map(str::parse::<CaseStatus>).transpose() {
        Ok(s) => s,
        Err(e) => return error_page(&state, &principal, ApiError::bad_request(e)).await,
    };
    let now = crate::now();
    let result = state
        .store
        .search_cases(&CaseQuery {
            text: p.q.clone(),
            status: parsed,
            queues: visible_queues(user.role),
            limit: 200,
        })
        .await;
    match result {
        Ok(cases) => render(&QueuePage {
            nav: Nav::of(&state, &principal).await,
            heading: "Search cases".into(),
            show_search: true,
            q: p.q.unwrap_or_default(),
            status: status.unwrap_or_default(),
            statuses: CaseStatus::ALL
                .iter()
                .map(|s| s.name().to_string())
                .collect(),
            rows: cases.iter().map(|c| CaseRow::of(c, now)).collect(),
        }),
        Err(e) => error_page(&state, &principal, e.into()).await,
    }
}

// ---- case page ----

pub struct MediaRow {
    id: i64,
    is_text: bool,
    /// The decrypted message with its evidence spans marked, when the reviewer asked for it.
    shown: Option<Vec<(String, bool)>>,
    media_type: String,
    size: i64,
    retain_until: String,
    legal_hold: bool,
    purged: bool,
}

pub struct SignalRow {
    at: String,
    source: String,
    kind: String,
    details: String,
}

pub struct DecisionRow {
    action: String,
    reviewer: String,
    at: String,
    ground: String,
    policy_id: String,
    explanation: String,
}

pub struct WebhookRow {
    id: i64,
    event: String,
    case: String,
    status: String,
    attempts: i64,
    last_error: String,
    next: String,
}

impl WebhookRow {
    fn of(w: &OutboxMessage) -> WebhookRow {
        WebhookRow {
            id: w.id,
            event: w.event.clone(),
            case: w.case_id.map(|c| format!("#{c}")).unwrap_or_default(),
            status: w.status.to_string(),
            attempts: w.attempts,
            last_error: w.last_error.clone().unwrap_or_default(),
            next: if w.status == OutboxStatus::Pending {
                fmt_time(w.next_attempt_at)
            } else {
                String::new()
            },
        }
    }
}

#[derive(Template)]
#[template(path = "case.html")]
struct CasePage {
    nav: Nav,
    id: i64,
    priority: String,
    queue: String,
    status: String,
    title: String,
    content: String,
    uploader: String,
    surface: String,
    created: String,
    due: String,
    reviewer: String,
    bank_on_confirm: String,
    message: Option<String>,
    error: Option<String>,
    media: Vec<MediaRow>,
    signals: Vec<SignalRow>,
    can_decide: bool,
    assigned_to_me: bool,
    actions: Vec<(&'static str, &'static str)>,
    decisions: Vec<DecisionRow>,
    webhooks: Vec<WebhookRow>,
}

#[derive(Deserialize)]
pub struct CaseParams {
    msg: Option<String>,
    /// A text evidence item to decrypt and show (audited).
    show: Option<i64>,
}

/// Splits `text` into (segment, is_evidence) pieces by the byte spans, skipping bad spans.
fn mark_spans(text: &str, spans: &[(usize, usize)]) -> Vec<(String, bool)> {
    let mut spans: Vec<(usize, usize)> = spans
        .iter()
        .copied()
        .filter(|&(s, e)| {
            s < e && e <= text.len() && text.is_char_boundary(s) && text.is_char_boundary(e)
        })
        .collect();
    spans.sort();
    let mut out = Vec::new();
    let mut at = 0;
    for (s, e) in spans {
        if s < at {
            continue;
        }
        if s > at {
            out.push((text[at..s].to_string(), false));
        }
        out.push((text[s..e].to_string(), true));
        at = e;
    }
    if at < text.len() {
        out.push((text[at..].to_string(), false));
    }
    out
}

async fn reveal_text(
    state: &Shared,
    principal: &Principal,
    detail: &CaseDetail,
    id: i64,
) -> Option<(i64, Vec<(String, bool)>)> {
    let item = detail
        .evidence
        .iter()
        .find(|e| e.id == id && e.purged_at.is_none() && e.media_type.starts_with("text/"))?;
    let bytes = crate::vault_files::open(state, item).await.ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let _ = state
        .store
        .append_audit(
            vec![NewAudit {
                actor: principal.actor(),
                action: "evidence.view".into(),
                subject: format!("evidence:{id}"),
                details: json!({"case": detail.case.id}),
            }],
            crate::now(),
        )
        .await;
    let spans: Vec<(usize, usize)> = detail
        .signals
        .iter()
        .filter(|s| s.kind == "text")
        .flat_map(|s| s.details["spans"].as_array().cloned().unwrap_or_default())
        .filter_map(|sp| Some((sp["start"].as_u64()? as usize, sp["end"].as_u64()? as usize)))
        .collect();
    Some((id, mark_spans(&text, &spans)))
}

async fn case_page(
    state: &Shared,
    principal: &Principal,
    id: i64,
    message: Option<String>,
    error: Option<String>,
) -> Response {
    case_page_showing(state, principal, id, message, error, None).await
}

async fn case_page_showing(
    state: &Shared,
    principal: &Principal,
    id: i64,
    message: Option<String>,
    error: Option<String>,
    show: Option<i64>,
) -> Response {
    let detail = match cases::visible_case(state, principal, id).await {
        Ok(d) => d,
        Err(e) => return error_page(state, principal, e).await,
    };
    let shown_text = match show {
        Some(eid) => reveal_text(state, principal, &detail, eid).await,
        None => None,
    };
    let user = principal.user().expect("visible_case needs a user").clone();
    let c = &detail.case;
    let page = CasePage {
        nav: Nav::of(state, principal).await,
        id: c.id,
        priority: c.priority.to_string(),
        queue: c.queue.to_string(),
        status: c.status.to_string(),
        title: c.title.clone(),
        content: c.content_id.clone().unwrap_or_default(),
        uploader: c.uploader_id.clone().unwrap_or_default(),
        surface: c.surface.to_string(),
        created: fmt_time(c.created_at),
        due: c.due_at.map(fmt_time).unwrap_or_else(|| "—".into()),
        reviewer: c
            .assigned_name
            .clone()
            .unwrap_or_else(|| "nobody yet".into()),
        bank_on_confirm: if c.bank_on_confirm.is_empty() {
            "—".into()
        } else {
            c.bank_on_confirm.join(", ")
        },
        message,
        error,
        media: detail
            .evidence
            .iter()
            .map(|e| MediaRow {
                id: e.id,
                is_text: e.media_type.starts_with("text/"),
                shown: shown_text
                    .as_ref()
                    .filter(|(id, _)| *id == e.id)
                    .map(|(_, s)| s.clone()),
                media_type: e.media_type.clone(),
                size: e.size,
                retain_until: fmt_time(e.retain_until),
                legal_hold: e.legal_hold,
                purged: e.purged_at.is_some(),
            })
            .collect(),
        signals: detail
            .signals
            .iter()
            .map(|s| SignalRow {
                at: fmt_time(s.at),
                source: s.source.clone(),
                kind: s.kind.clone(),
                details: serde_json::to_string_pretty(&s.details).unwrap_or_default(),
            })
            .collect(),
        can_decide: user.role.can_decide(c.queue),
        assigned_to_me: c.assigned_to == Some(user.id) && !c.locked_by_other(user.id, crate::now()),
        actions: vec![
            ("remove", "Remove the content"),
            ("restore", "Restore the content"),
            ("restrict_account", "Restrict the account"),
            ("escalate_to_authority", "Escalate: report to the authority"),
            ("no_violation", "No violation"),
        ],
        decisions: detail
            .decisions
            .iter()
            .map(|d| DecisionRow {
                action: d.action.to_string(),
                reviewer: d.reviewer.clone(),
                at: fmt_time(d.at),
                ground: d.ground.to_string(),
                policy_id: d.policy_id.clone(),
                explanation: d.explanation.clone(),
            })
            .collect(),
        webhooks: detail.outbox.iter().map(WebhookRow::of).collect(),
    };
    render(&page)
}

pub async fn case(
    State(state): State<Shared>,
    principal: Principal,
    Path(id): Path<i64>,
    Query(p): Query<CaseParams>,
) -> Response {
    let message = p.msg.as_deref().and_then(|m| match m {
        "assigned" => Some("You have this case now.".to_string()),
        "decided" => Some("Decision recorded.".to_string()),
        _ => None,
    });
    case_page_showing(&state, &principal, id, message, None, p.show).await
}

pub async fn assign(
    State(state): State<Shared>,
    principal: Principal,
    Path(id): Path<i64>,
    Form(f): Form<CsrfForm>,
) -> Response {
    if let Err(e) = principal.check_csrf(Some(&f.csrf)) {
        return error_page(&state, &principal, e).await;
    }
    match cases::assign(&state, &principal, id).await {
        Ok(_) => Redirect::to(&format!("/console/cases/{id}?msg=assigned")).into_response(),
        Err(e) if e.status == StatusCode::CONFLICT => {
            case_page(&state, &principal, id, None, Some(e.message)).await
        }
        Err(e) => error_page(&state, &principal, e).await,
    }
}

#[derive(Deserialize)]
pub struct DecideForm {
    csrf: String,
    action: String,
    ground: String,
    policy_id: String,
    explanation: String,
}

pub async fn decide(
    State(state): State<Shared>,
    principal: Principal,
    Path(id): Path<i64>,
    Form(f): Form<DecideForm>,
) -> Response {
    if let Err(e) = principal.check_csrf(Some(&f.csrf)) {
        return error_page(&state, &principal, e).await;
    }
    let input = DecideInput {
        action: f.action,
        ground: f.ground,
        policy_id: f.policy_id,
        explanation: f.explanation,
    };
    match cases::decide(&state, &principal, id, input).await {
        Ok(_) => Redirect::to(&format!("/console/cases/{id}?msg=decided")).into_response(),
        Err(e) if matches!(e.status, StatusCode::CONFLICT | StatusCode::BAD_REQUEST) => {
            let mut resp = case_page(&state, &principal, id, None, Some(e.message)).await;
            *resp.status_mut() = e.status;
            resp
        }
        Err(e) => error_page(&state, &principal, e).await,
    }
}

// ---- audit and webhooks ----

pub struct AuditRow {
    seq: i64,
    at: String,
    actor: String,
    action: String,
    subject: String,
    details: String,
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    nav: Nav,
    verify: String,
    verified_ok: bool,
    entries: Vec<AuditRow>,
}

pub async fn audit(State(state): State<Shared>, principal: Principal) -> Response {
    if let Err(e) = principal.require_role(Role::can_read_audit) {
        return error_page(&state, &principal, e).await;
    }
    let verified = crate::verify_audit(state.store.as_ref(), &state.signing.verifying_key()).await;
    let (verify, verified_ok) = match verified {
        Ok(Ok(n)) => (
            format!("The chain of {n} entries and every signed checkpoint verify."),
            true,
        ),
        Ok(Err(b)) => (format!("The log was tampered with: {b}"), false),
        Err(e) => (format!("Could not verify: {e}"), false),
    };
    let head = state
        .store
        .audit_head()
        .await
        .ok()
        .flatten()
        .map(|h| h.seq)
        .unwrap_or(0);
    let entries = state
        .store
        .audit_entries((head - 200).max(0), 200)
        .await
        .unwrap_or_default();
    render(&AuditPage {
        nav: Nav::of(&state, &principal).await,
        verify,
        verified_ok,
        entries: entries
            .iter()
            .rev()
            .map(|e| AuditRow {
                seq: e.seq,
                at: fmt_time(e.at),
                actor: e.actor.clone(),
                action: e.action.clone(),
                subject: e.subject.clone(),
                details: e.details.clone(),
            })
            .collect(),
    })
}

#[derive(Template)]
#[template(path = "webhooks.html")]
struct WebhooksPage {
    nav: Nav,
    configured: bool,
    rows: Vec<WebhookRow>,
}

pub async fn webhooks(State(state): State<Shared>, principal: Principal) -> Response {
    if let Err(e) = principal.require_role(Role::is_admin) {
        return error_page(&state, &principal, e).await;
    }
    match state.store.failed_outbox(500).await {
        Ok(rows) => render(&WebhooksPage {
            nav: Nav::of(&state, &principal).await,
            configured: state.config.webhook.url.is_some(),
            rows: rows.iter().map(WebhookRow::of).collect(),
        }),
        Err(e) => error_page(&state, &principal, e.into()).await,
    }
}

pub async fn retry_webhook(
    State(state): State<Shared>,
    principal: Principal,
    Path(id): Path<i64>,
    Form(f): Form<CsrfForm>,
) -> Response {
    if let Err(e) = principal.check_csrf(Some(&f.csrf)) {
        return error_page(&state, &principal, e).await;
    }
    if let Err(e) = principal.require_role(Role::is_admin) {
        return error_page(&state, &principal, e).await;
    }
    let audit = NewAudit {
        actor: principal.actor(),
        action: "webhook.retry".into(),
        subject: format!("outbox:{id}"),
        details: json!({}),
    };
    match state.store.retry_outbox(id, crate::now(), audit).await {
        Ok(()) => {
            state.outbox_notify.notify_one();
            Redirect::to("/console/webhooks").into_response()
        }
        Err(e) => error_page(&state, &principal, e.into()).await,
    }
}

pub async fn static_css() -> Response {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
        include_str!("../static/console.css"),
    )
        .into_response()
}

pub async fn static_js() -> Response {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        include_str!("../static/console.js"),
    )
        .into_response()
}
