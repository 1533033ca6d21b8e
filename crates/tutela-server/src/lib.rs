//! `tutela serve`: the engine as an HTTP service beside the platform.
//!
//! * [`scan`]: `POST /v1/scan` (hash, match, rules, commit, answer) and its batch variant.
//! * [`cases`], [`api`]: review (assign, decide, bank on confirmation) and administration.
//! * [`console`]: the review console (server-rendered HTML).
//! * [`jobs`]: webhook delivery from the outbox, evidence purge, audit checkpoints.
//! * [`video`]: videos in `POST /v1/scan` (streamed to disk), video jobs, live streams.
//!
//! The pure parts live elsewhere: rules in `tutela-policy`, records/audit chain/sealing in
//! `tutela-core`, matching in `tutela-bank`. This crate does the I/O and stays thin.

pub mod api;
pub mod auth;
pub mod cases;
pub mod config;
pub mod console;
pub mod demo;
pub mod error;
pub mod jobs;
pub mod metrics;
pub mod public;
pub mod reports;
pub mod scan;
pub mod state;
pub mod text;
pub mod vault_files;
pub mod video;

use anyhow::{Context, Result, bail};
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use ed25519_dalek::{SigningKey, VerifyingKey};
use serde_json::json;
use state::{AppState, Shared};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::sync::{Arc, RwLock};
use tower_http::set_header::SetResponseHeaderLayer;
use tutela_core::audit::{Break, ChainVerifier};
use tutela_core::vault::MasterKey;
use tutela_core::*;
use tutela_store_sqlite::SqliteStore;
use utoipa::OpenApi;

pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

pub fn rfc3339(t: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(t)
        .ok()
        .and_then(|d| {
            d.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_else(|| t.to_string())
}

#[derive(Clone, Debug, Default)]
pub struct ServeOptions {
    pub data: PathBuf,
    pub listen: Option<String>,
    pub config: Option<PathBuf>,
    /// Set up a demo bank, demo cases, a demo admin and API key.
    pub demo: bool,
}

/// Opens the engine database of a data folder.
pub async fn open_store(data: &Path) -> Result<SqliteStore> {
    SqliteStore::open(&data.join("engine.sqlite"))
        .await
        .with_context(|| format!("cannot open the engine database in {}", data.display()))
}

fn write_secret(path: &Path, text: &str) -> Result<()> {
    std::fs::create_dir_all(path.parent().expect("secret files live in a folder"))?;
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    use std::io::Write;
    let mut f = opts
        .open(path)
        .with_context(|| format!("cannot create {}", path.display()))?;
    f.write_all(text.as_bytes())?;
    f.sync_all()?;
    Ok(())
}

/// The master key from `TUTELA_MASTER_KEY` or its file; created on the very first start only
/// (a missing key later would make existing evidence unreadable, so that is an error).
fn master_key(data: &Path, file: &Path, first_start: bool) -> Result<MasterKey> {
    if let Ok(hex) = std::env::var("TUTELA_MASTER_KEY") {
        return MasterKey::from_hex(&hex).map_err(|e| anyhow::anyhow!("TUTELA_MASTER_KEY: {e}"));
    }
    let path = data.join(file);
    match std::fs::read_to_string(&path) {
        Ok(text) => {
            MasterKey::from_hex(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && first_start => {
            let key = MasterKey::generate()?;
            write_secret(&path, &key.to_hex())?;
            Ok(key)
        }
        Err(e) => bail!(
            "cannot read the evidence master key {} ({e}); without it preserved evidence cannot \
             be opened. Restore the file or set TUTELA_MASTER_KEY",
            path.display()
        ),
    }
}

pub fn signing_key_path(data: &Path, config: &config::Config) -> PathBuf {
    data.join(&config.audit.signing_key_file)
}

fn signing_key(path: &Path, first_start: bool) -> Result<SigningKey> {
    match std::fs::read_to_string(path) {
        Ok(text) => {
            let mut b = [0u8; 32];
            hex::decode_to_slice(text.trim(), &mut b)
                .map_err(|_| anyhow::anyhow!("{}: not 64 hex digits", path.display()))?;
            Ok(SigningKey::from_bytes(&b))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && first_start => {
            let mut b = [0u8; 32];
            getrandom::fill(&mut b).map_err(|e| anyhow::anyhow!("random source: {e}"))?;
            let key = SigningKey::from_bytes(&b);
            write_secret(path, &hex::encode(b))?;
            let public = path.with_extension("pub");
            std::fs::write(&public, hex::encode(key.verifying_key().to_bytes()))?;
            Ok(key)
        }
        Err(e) => bail!("cannot read the audit signing key {}: {e}", path.display()),
    }
}

/// The public key that verifies the data folder's audit checkpoints.
pub fn verifying_key(data: &Path, config: &config::Config) -> Result<VerifyingKey> {
    let private = signing_key_path(data, config);
    let public = private.with_extension("pub");
    if let Ok(text) = std::fs::read_to_string(&public) {
        let mut b = [0u8; 32];
        hex::decode_to_slice(text.trim(), &mut b)
            .map_err(|_| anyhow::anyhow!("{}: not 64 hex digits", public.display()))?;
        return VerifyingKey::from_bytes(&b)
            .map_err(|e| anyhow::anyhow!("{}: {e}", public.display()));
    }
    Ok(signing_key(&private, false)?.verifying_key())
}

/// Walks the whole audit log in order, then checks every checkpoint.
pub async fn verify_audit(
    store: &dyn Store,
    key: &VerifyingKey,
) -> StoreResult<Result<i64, Break>> {
    let checkpoints = store.checkpoints().await?;
    let mut v = ChainVerifier::new(checkpoints.iter().map(|c| c.seq));
    let mut after = 0;
    loop {
        let batch = store.audit_entries(after, 10_000).await?;
        let Some(last) = batch.last() else { break };
        after = last.seq.max(after + 1);
        for e in &batch {
            if let Err(b) = v.push(e) {
                return Ok(Err(b));
            }
        }
    }
    Ok(v.finish(&checkpoints, key))
}

/// Loads every enabled bank (blocking I/O, on the blocking pool) and swaps the matcher.
pub async fn reload_banks(state: &Shared) -> Result<usize> {
    let data = state.data.clone();
    let matcher = tokio::task::spawn_blocking(move || -> Result<tutela_bank::Matcher> {
        let store = tutela_bank::Store::open(&data)?;
        Ok(tutela_bank::Matcher::load(&store)?)
    })
    .await??;
    let n = matcher.banks().count();
    state.set_matcher(matcher);
    state.ready.store(true, Ordering::SeqCst);
    Ok(n)
}

/// Creates an API key; the secret is returned once and stored only as a hash.
pub async fn create_api_key(
    state: &Shared,
    actor: &str,
    name: &str,
    scopes: &[Scope],
) -> Result<(ApiKey, String), error::ApiError> {
    let secret = auth::random_token("tk_");
    let key = state
        .store
        .create_api_key(
            name,
            &auth::token_hash(&secret),
            scopes,
            now(),
            NewAudit {
                actor: actor.into(),
                action: "apikey.create".into(),
                subject: format!("apikey:{name}"),
                details: json!({"scopes": scopes}),
            },
        )
        .await?;
    Ok((key, secret))
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Tutela engine API", description = "Scan content against hash banks and rules; review cases; audit."),
    paths(
        health, ready, metrics_route, openapi_json,
        scan::scan, scan::scan_batch, scan::get_scan, scan::events,
        api::list_cases, api::get_case, api::assign_case, api::decide_case,
        api::get_evidence, api::hold_evidence, api::audit_log, api::audit_verify,
        api::list_users, api::create_user, api::set_role,
        api::list_keys, api::create_key, api::revoke_key,
        api::failed_webhooks, api::retry_webhook, api::reload_banks,
        reports::post_report, reports::get_receipt, reports::post_appeal,
        video::jobs::get_job, video::streams::stream_frames, video::streams::end_stream,
    ),
    modifiers(&SecurityAddon)
)]
pub struct ApiDoc;

struct SecurityAddon;

impl utoipa::Modify for SecurityAddon {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "api_key",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// Liveness: the process answers.
#[utoipa::path(get, path = "/healthz", tag = "ops", responses((status = 200, description = "Alive")))]
async fn health() -> &'static str {
    "ok\n"
}

/// Readiness: the banks are loaded and scans can be answered.
#[utoipa::path(get, path = "/readyz", tag = "ops",
    responses((status = 200, description = "Ready"), (status = 503, description = "Still loading the banks")))]
async fn ready(State(state): State<Shared>) -> Response {
    if state.ready.load(Ordering::SeqCst) {
        "ready\n".into_response()
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "loading banks\n").into_response()
    }
}

/// Prometheus metrics.
#[utoipa::path(get, path = "/metrics", tag = "ops", responses((status = 200, description = "Prometheus text format")))]
async fn metrics_route(State(state): State<Shared>) -> Response {
    if let Ok(c) = state.store.counts().await {
        state.metrics.open_cases.set(c.open_cases);
        state
            .metrics
            .open_child_safety_cases
            .set(c.open_child_safety_cases);
        state.metrics.outbox_pending.set(c.outbox_pending);
        state.metrics.outbox_failed.set(c.outbox_failed);
        state.metrics.evidence_live.set(c.evidence_live);
        state.metrics.audit_entries.set(c.audit_entries);
        state.metrics.appeals_open.set(c.appeals_open);
        state.metrics.appeals_overturned.set(c.appeals_overturned);
    }
    (
        [(
            header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        state.metrics.encode(),
    )
        .into_response()
}

/// This document.
#[utoipa::path(get, path = "/openapi.json", tag = "ops", responses((status = 200, description = "OpenAPI 3.1")))]
async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

pub fn router(state: Shared) -> Router {
    let body_limit = scan::json_body_limit(&state.config.limits);
    Router::new()
        .route("/healthz", get(health))
        .route("/readyz", get(ready))
        .route("/metrics", get(metrics_route))
        .route("/openapi.json", get(openapi_json))
        .route(
            "/v1/scan",
            // Videos stream to disk past the in-memory limit; `scan` bounds each body kind.
            post(scan::scan).layer(axum::extract::DefaultBodyLimit::disable()),
        )
        .route("/v1/jobs/{id}", get(video::jobs::get_job))
        .route("/v1/streams/{id}/frames", post(video::streams::stream_frames))
        .route("/v1/streams/{id}", axum::routing::delete(video::streams::end_stream))
        .route("/v1/scan/batch", post(scan::scan_batch))
        .route("/v1/scans/{content_id}", get(scan::get_scan))
        .route("/v1/events", get(scan::events))
        .route("/v1/cases", get(api::list_cases))
        .route("/v1/cases/{id}", get(api::get_case))
        .route("/v1/cases/{id}/assign", post(api::assign_case))
        .route("/v1/cases/{id}/decisions", post(api::decide_case))
        .route("/v1/evidence/{id}", get(api::get_evidence))
        .route("/v1/evidence/{id}/hold", post(api::hold_evidence))
        .route("/v1/audit", get(api::audit_log))
        .route("/v1/audit/verify", post(api::audit_verify))
        .route("/v1/users", get(api::list_users).post(api::create_user))
        .route("/v1/users/{id}/role", post(api::set_role))
        .route("/v1/api-keys", get(api::list_keys).post(api::create_key))
        .route("/v1/api-keys/{id}", axum::routing::delete(api::revoke_key))
        .route("/v1/webhooks/failed", get(api::failed_webhooks))
        .route("/v1/webhooks/{id}/retry", post(api::retry_webhook))
        .route("/v1/banks/reload", post(api::reload_banks))
        .route("/v1/reports", post(reports::post_report))
        .route("/v1/receipts/{code}", get(reports::get_receipt))
        .route("/v1/appeals", post(reports::post_appeal))
        .route("/", get(|| async { Redirect::to("/console") }))
        .route("/console", get(console::queue))
        .route("/console/login", get(console::login_form).post(console::login))
        .route("/console/logout", post(console::logout))
        .route("/console/search", get(console::search))
        .route("/console/cases/{id}", get(console::case))
        .route("/console/cases/{id}/assign", post(console::assign))
        .route("/console/cases/{id}/decide", post(console::decide))
        .route("/console/audit", get(console::audit))
        .route("/console/webhooks", get(console::webhooks))
        .route("/console/webhooks/{id}/retry", post(console::retry_webhook))
        .route("/console/static/console.css", get(console::static_css))
        .route("/console/static/console.js", get(console::static_js))
        .merge(public::routes(&state))
        .layer(axum::extract::DefaultBodyLimit::max(body_limit))
        // The public pages set their own (they may be framed); everything else gets this one.
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(
                "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'",
            ),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
        .layer(
            tower_http::trace::TraceLayer::new_for_http().make_span_with(
                // Method and path only: query strings can carry identifiers.
                |req: &axum::http::Request<axum::body::Body>| {
                    tracing::info_span!("http", method = %req.method(), path = %req.uri().path())
                },
            ),
        )
        .with_state(state)
}

/// Everything `tutela serve` needs, set up: the data folder, config, keys, store, first admin.
pub struct Prepared {
    pub state: Shared,
    pub listen: String,
}

pub async fn prepare(opts: &ServeOptions) -> Result<Prepared> {
    let data = &opts.data;
    std::fs::create_dir_all(data).with_context(|| format!("cannot create {}", data.display()))?;
    let config_path = opts
        .config
        .clone()
        .unwrap_or_else(|| data.join("tutela.toml"));
    let first_start = !data.join("engine.sqlite").exists();
    if !config_path.exists() {
        std::fs::write(&config_path, config::default_file(&auth::random_token("")))
            .with_context(|| format!("cannot write {}", config_path.display()))?;
        eprintln!(
            "tutela: wrote the default configuration to {}",
            config_path.display()
        );
    }
    let config = config::Config::load(&config_path)?;
    let master = master_key(data, &config.evidence.master_key_file, first_start)?;
    let signing = signing_key(&signing_key_path(data, &config), first_start)?;
    let policy = match &config.rules {
        Some(p) => {
            let path = data.join(p);
            let text = std::fs::read_to_string(&path)
                .with_context(|| format!("cannot read the rules {}", path.display()))?;
            tutela_policy::Policy::from_toml(&text, &path.display().to_string())
                .map_err(|e| anyhow::anyhow!("{e}"))?
        }
        None => tutela_policy::Policy::default_policy(),
    };
    let store = open_store(data).await?;
    let listen = opts.listen.clone().unwrap_or_else(|| config.listen.clone());
    let video = video::VideoRuntime::new(&config.video);
    let state: Shared = Arc::new(AppState {
        store: Arc::new(store),
        matcher: RwLock::new(None),
        policy,
        signing,
        data: data.clone(),
        metrics: metrics::Metrics::new(),
        ready: Default::default(),
        outbox_notify: tokio::sync::Notify::new(),
        conversations: Default::default(),
        login_failures: Default::default(),
        api_keys: Default::default(),
        flood: std::sync::Mutex::new(tutela_core::report::FloodGate::new(
            config.reports.max_per_hour_per_reporter,
        )),
        reporter_key: master.derive("tutela 2026 reporter keyed hash"),
        config,
        master,
        video,
    });
    if state.store.user_count().await? == 0 {
        let password = if opts.demo {
            demo::DEMO_ADMIN_PASSWORD.to_string()
        } else {
            auth::random_token("")[..24].to_string()
        };
        let hash = auth::hash_password(&password)?;
        state
            .store
            .create_user(
                "admin",
                &hash,
                Role::Admin,
                now(),
                NewAudit {
                    actor: "system".into(),
                    action: "user.create".into(),
                    subject: "user:admin".into(),
                    details: json!({"role": "admin", "reason": "first start"}),
                },
            )
            .await?;
        // Printed once, to the terminal only (never to the log).
        eprintln!("tutela: created the first admin. User name: admin  Password: {password}");
        eprintln!("tutela: (shown once; add users with POST /v1/users)");
    }
    Ok(Prepared { state, listen })
}

/// Runs the service until Ctrl-C or SIGTERM.
pub async fn serve(opts: ServeOptions) -> Result<()> {
    let prepared = prepare(&opts).await?;
    let state = prepared.state;
    let addr: SocketAddr = prepared
        .listen
        .parse()
        .with_context(|| format!("bad listen address {:?}", prepared.listen))?;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("cannot listen on {addr}"))?;
    let local = listener.local_addr()?;
    // Banks load in the background: /healthz answers at once, /readyz once they are in.
    {
        let state = state.clone();
        let demo = opts.demo;
        let base_url = format!("http://{local}");
        tokio::spawn(async move {
            if demo && let Err(e) = demo::set_up(&state, &base_url).await {
                tracing::error!(error = %e, "demo set-up failed");
            }
            // A failed load (a bank file busy or being replaced) is retried: staying unready
            // for good would take the whole service out of a load balancer.
            let mut wait = std::time::Duration::from_millis(500);
            loop {
                match reload_banks(&state).await {
                    Ok(n) => {
                        tracing::info!(banks = n, "banks loaded; ready");
                        break;
                    }
                    Err(e) => {
                        tracing::error!(error = %e, retry_in = ?wait, "cannot load the banks; not ready");
                        tokio::time::sleep(wait).await;
                        wait = (wait * 2).min(std::time::Duration::from_secs(30));
                    }
                }
            }
            if demo && let Err(e) = demo::scan_samples(&state).await {
                tracing::error!(error = %e, "demo scans failed");
            }
        });
    }
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let cancel = jobs::tokio_util_shim::CancelToken(stop_rx);
    let workers = vec![
        tokio::spawn(jobs::webhook_worker(state.clone(), cancel.clone())),
        tokio::spawn(jobs::purge_worker(state.clone(), cancel.clone())),
        tokio::spawn(jobs::checkpoint_worker(state.clone(), cancel.clone())),
        tokio::spawn(video::jobs::job_worker(state.clone(), cancel.clone())),
    ];
    tracing::info!(address = %local, data = %state.data.display(), "tutela serve listening");
    eprintln!("tutela: listening on http://{local}  (console: http://{local}/console)");
    axum::serve(
        listener,
        // The client address keys the public report page's flood control.
        router(state.clone()).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await?;
    tracing::info!("shutting down");
    let _ = stop_tx.send(true);
    for w in workers {
        let _ = w.await;
    }
    if let Err(e) = jobs::checkpoint_once(&state).await {
        tracing::error!(error = %e, "final audit checkpoint");
    }
    state.store.close().await;
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}
