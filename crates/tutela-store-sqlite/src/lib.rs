//! [`tutela_core::Store`] on SQLite: one file (`DATA/engine.sqlite`), WAL mode, migrations in
//! `migrations/` applied at open. Writes go through a single-connection pool, so they are
//! serialised in-process and never meet SQLite's "database is locked"; reads use a separate pool
//! and run beside them (WAL readers never block the writer).

use async_trait::async_trait;
use serde_json::Value;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteRow, SqliteSynchronous,
};
use sqlx::{Row, Sqlite, SqlitePool, Transaction};
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;
use tutela_core::audit::{self, AuditEntry, Checkpoint, Head};
use tutela_core::*;

mod case_merge;
mod checkpointer;
mod report_writer;
mod reports;
mod video_jobs;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

pub struct SqliteStore {
    read: SqlitePool,
    write: SqlitePool,
    /// Reports go through a group-commit writer (see `report_writer`).
    reports: report_writer::ReportQueue,
    _checkpointer: checkpointer::Checkpointer,
}

/// Every write transaction takes the write lock at its start: a transaction that reads first
/// and then writes cannot wait for the lock (SQLite answers "database is locked" at once) when
/// another connection (the CLI, a backup) holds it for a moment.
async fn begin_write(pool: &SqlitePool) -> StoreResult<Transaction<'static, Sqlite>> {
    pool.begin_with("BEGIN IMMEDIATE").await.map_err(backend)
}

fn backend(e: sqlx::Error) -> StoreError {
    StoreError::Backend(e.to_string())
}

fn parse<T: FromStr<Err = String>>(s: &str) -> StoreResult<T> {
    s.parse()
        .map_err(|e: String| StoreError::Backend(format!("bad stored value: {e}")))
}

fn json(s: &str) -> StoreResult<Value> {
    serde_json::from_str(s).map_err(|e| StoreError::Backend(format!("bad stored JSON: {e}")))
}

impl SqliteStore {
    /// Opens (creating if needed) the database file and applies pending migrations.
    pub async fn open(path: &Path) -> StoreResult<SqliteStore> {
        let opts = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        let write = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(opts.clone().pragma(
                "wal_autocheckpoint",
                checkpointer::WRITER_AUTOCHECKPOINT.to_string(),
            ))
            .await
            .map_err(backend)?;
        MIGRATOR
            .run(&write)
            .await
            .map_err(|e| StoreError::Backend(format!("migrating the database: {e}")))?;
        let read = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(opts.read_only(true))
            .await
            .map_err(backend)?;
        let reports = report_writer::writer(write.clone())
            .map_err(|e| StoreError::Backend(format!("starting the report writer: {e}")))?;
        let checkpointer = checkpointer::start(path)
            .map_err(|e| StoreError::Backend(format!("starting the checkpointer: {e}")))?;
        Ok(SqliteStore {
            read,
            write,
            reports,
            _checkpointer: checkpointer,
        })
    }

    async fn begin(&self) -> StoreResult<Transaction<'static, Sqlite>> {
        begin_write(&self.write).await
    }
}

// ---- row mapping ----

fn user_from(r: &SqliteRow) -> StoreResult<User> {
    Ok(User {
        id: r.get("id"),
        username: r.get("username"),
        role: parse(r.get::<&str, _>("role"))?,
        password_hash: r.get("password_hash"),
        disabled: r.get::<i64, _>("disabled") != 0,
        created_at: r.get("created_at"),
    })
}

fn api_key_from(r: &SqliteRow) -> StoreResult<ApiKey> {
    let scopes: Vec<String> = serde_json::from_str(r.get::<&str, _>("scopes"))
        .map_err(|e| StoreError::Backend(e.to_string()))?;
    Ok(ApiKey {
        id: r.get("id"),
        name: r.get("name"),
        scopes: scopes
            .iter()
            .map(|s| parse(s))
            .collect::<StoreResult<_>>()?,
        created_at: r.get("created_at"),
        revoked: r.get::<i64, _>("revoked") != 0,
    })
}

fn priority_from(n: i64) -> Priority {
    match n {
        i64::MIN..=0 => Priority::Low,
        1 => Priority::Normal,
        2 => Priority::High,
        _ => Priority::Critical,
    }
}

fn priority_to(p: Priority) -> i64 {
    match p {
        Priority::Low => 0,
        Priority::Normal => 1,
        Priority::High => 2,
        Priority::Critical => 3,
    }
}

const CASE_COLUMNS: &str = "c.id, c.subject_kind, c.subject_id, c.content_id, c.uploader_id, \
    c.surface, c.queue, c.priority, c.status, c.title, c.due_at, c.created_at, c.updated_at, \
    c.assigned_to, u.username AS assigned_name, c.lock_until, c.media_hashes, c.bank_on_confirm, \
    (SELECT COUNT(*) FROM signals s WHERE s.case_id = c.id) AS signal_count";

fn case_from(r: &SqliteRow) -> StoreResult<Case> {
    Ok(Case {
        id: r.get("id"),
        subject_kind: parse(r.get::<&str, _>("subject_kind"))?,
        subject_id: r.get("subject_id"),
        content_id: r.get("content_id"),
        uploader_id: r.get("uploader_id"),
        surface: parse(r.get::<&str, _>("surface"))?,
        queue: parse(r.get::<&str, _>("queue"))?,
        priority: priority_from(r.get("priority")),
        status: parse(r.get::<&str, _>("status"))?,
        title: r.get("title"),
        due_at: r.get("due_at"),
        created_at: r.get("created_at"),
        updated_at: r.get("updated_at"),
        assigned_to: r.get("assigned_to"),
        assigned_name: r.get("assigned_name"),
        lock_until: r.get("lock_until"),
        media_hashes: json(r.get::<&str, _>("media_hashes"))?,
        bank_on_confirm: serde_json::from_str(r.get::<&str, _>("bank_on_confirm"))
            .map_err(|e| StoreError::Backend(e.to_string()))?,
        signal_count: r.get("signal_count"),
    })
}

/// The mergeable part of a case row (`queue`, `priority`, `due_at`, `bank_on_confirm`).
fn open_case_from(r: &SqliteRow) -> StoreResult<case_merge::OpenCase> {
    case_merge::OpenCase::from_stored(
        r.get("queue"),
        r.get("priority"),
        r.get("due_at"),
        r.get("bank_on_confirm"),
    )
    .map_err(|e| StoreError::Backend(format!("bad stored value: {e}")))
}

fn signal_from(r: &SqliteRow) -> StoreResult<Signal> {
    Ok(Signal {
        id: r.get("id"),
        case_id: r.get("case_id"),
        at: r.get("at"),
        source: r.get("source"),
        kind: r.get("kind"),
        scan_id: r.get("scan_id"),
        details: json(r.get::<&str, _>("details"))?,
    })
}

fn decision_from(r: &SqliteRow) -> StoreResult<Decision> {
    Ok(Decision {
        id: r.get("id"),
        case_id: r.get("case_id"),
        reviewer_id: r.get("reviewer_id"),
        reviewer: r.get("reviewer"),
        policy_id: r.get("policy_id"),
        ground: parse(r.get::<&str, _>("ground"))?,
        explanation: r.get("explanation"),
        action: parse(r.get::<&str, _>("action"))?,
        at: r.get("at"),
    })
}

fn evidence_from(r: &SqliteRow) -> StoreResult<EvidenceItem> {
    Ok(EvidenceItem {
        id: r.get("id"),
        case_id: r.get("case_id"),
        content_id: r.get("content_id"),
        sha256: r.get("sha256"),
        size: r.get("size"),
        media_type: r.get("media_type"),
        // A row kept in the database has no path (and no bytes once purged).
        blob: match r.get::<String, _>("blob_path") {
            path if path.is_empty() => SealedBlob::InRow(
                r.get::<Option<Vec<u8>>, _>("sealed_blob")
                    .unwrap_or_default(),
            ),
            path => SealedBlob::InFile(path),
        },
        wrapped_key: r.get("wrapped_key"),
        created_at: r.get("created_at"),
        retain_until: r.get("retain_until"),
        legal_hold: r.get::<i64, _>("legal_hold") != 0,
        purged_at: r.get("purged_at"),
    })
}

fn outbox_from(r: &SqliteRow) -> StoreResult<OutboxMessage> {
    Ok(OutboxMessage {
        id: r.get("id"),
        event: r.get("event"),
        case_id: r.get("case_id"),
        content_id: r.get("content_id"),
        payload: json(r.get::<&str, _>("payload"))?,
        created_at: r.get("created_at"),
        attempts: r.get("attempts"),
        next_attempt_at: r.get("next_attempt_at"),
        status: parse(r.get::<&str, _>("status"))?,
        last_error: r.get("last_error"),
        delivered_at: r.get("delivered_at"),
    })
}

fn scan_from(r: &SqliteRow) -> StoreResult<ScanRecord> {
    Ok(ScanRecord {
        id: r.get("id"),
        content_id: r.get("content_id"),
        uploader_id: r.get("uploader_id"),
        surface: parse(r.get::<&str, _>("surface"))?,
        event: json(r.get::<&str, _>("event"))?,
        outcome: json(r.get::<&str, _>("outcome"))?,
        response: json(r.get::<&str, _>("response"))?,
        at: r.get("at"),
    })
}

fn audit_from(r: &SqliteRow) -> AuditEntry {
    AuditEntry {
        seq: r.get("seq"),
        at: r.get("at"),
        actor: r.get("actor"),
        action: r.get("action"),
        subject: r.get("subject"),
        details: r.get("details"),
        prev_hash: r.get("prev_hash"),
        hash: r.get("hash"),
    }
}

// ---- writes shared by several transactions ----

async fn append_audit_tx(
    tx: &mut Transaction<'static, Sqlite>,
    entries: &[NewAudit],
    at: i64,
) -> StoreResult<()> {
    if entries.is_empty() {
        return Ok(());
    }
    let row = sqlx::query("SELECT * FROM audit_log ORDER BY seq DESC LIMIT 1")
        .fetch_optional(&mut **tx)
        .await
        .map_err(backend)?;
    let mut head = row
        .map(|r| Head::of(&audit_from(&r)))
        .transpose()
        .map_err(|e| StoreError::Backend(e.to_string()))?;
    for new in entries {
        let e = audit::link(head, at, new);
        sqlx::query(
            "INSERT INTO audit_log (seq, at, actor, action, subject, details, prev_hash, hash) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(e.seq)
        .bind(e.at)
        .bind(&e.actor)
        .bind(&e.action)
        .bind(&e.subject)
        .bind(&e.details)
        .bind(&e.prev_hash)
        .bind(&e.hash)
        .execute(&mut **tx)
        .await
        .map_err(backend)?;
        head = Some(Head::of(&e).map_err(|e| StoreError::Backend(e.to_string()))?);
    }
    Ok(())
}

async fn insert_outbox_tx(
    tx: &mut Transaction<'static, Sqlite>,
    msgs: &[NewOutbox],
    case_id: Option<i64>,
    at: i64,
) -> StoreResult<()> {
    for m in msgs {
        sqlx::query(
            "INSERT INTO outbox (event, case_id, content_id, payload, created_at, attempts, \
             next_attempt_at, status) VALUES (?, ?, ?, ?, ?, 0, ?, 'pending')",
        )
        .bind(&m.event)
        .bind(case_id)
        .bind(&m.content_id)
        .bind(m.payload.to_string())
        .bind(at)
        .bind(at)
        .execute(&mut **tx)
        .await
        .map_err(backend)?;
    }
    Ok(())
}

async fn insert_evidence_tx(
    tx: &mut Transaction<'static, Sqlite>,
    ev: &NewEvidence,
    case_id: Option<i64>,
    at: i64,
) -> StoreResult<i64> {
    Ok(sqlx::query(
        "INSERT INTO evidence (case_id, content_id, sha256, size, media_type, blob_path, \
         sealed_blob, wrapped_key, created_at, retain_until) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(case_id)
    .bind(&ev.content_id)
    .bind(&ev.sha256)
    .bind(ev.size)
    .bind(&ev.media_type)
    .bind(ev.blob.file().unwrap_or(""))
    .bind(match &ev.blob {
        SealedBlob::InRow(bytes) => Some(bytes.as_slice()),
        SealedBlob::InFile(_) => None,
    })
    .bind(&ev.wrapped_key)
    .bind(at)
    .bind(ev.retain_until)
    .execute(&mut **tx)
    .await
    .map_err(backend)?
    .last_insert_rowid())
}

/// The open case of the subject (updated) or a new one; `true` when it joined an open case.
async fn upsert_case_tx(
    tx: &mut Transaction<'static, Sqlite>,
    c: &CaseUpsert,
    scan_id: Option<i64>,
    at: i64,
) -> StoreResult<(i64, bool)> {
    let existing = sqlx::query(
        "SELECT id, queue, priority, due_at, bank_on_confirm FROM cases \
         WHERE subject_kind = ? AND subject_id = ? AND status = 'open' ORDER BY id LIMIT 1",
    )
    .bind(c.subject_kind.name())
    .bind(&c.subject_id)
    .fetch_optional(&mut **tx)
    .await
    .map_err(backend)?;
    let merged = existing.is_some();
    let case_id = match existing {
        Some(r) => {
            let id: i64 = r.get("id");
            let mut state = open_case_from(&r)?;
            state.join(c);
            sqlx::query(
                "UPDATE cases SET queue = ?, priority = ?, due_at = ?, bank_on_confirm = ?, \
                 updated_at = ? WHERE id = ?",
            )
            .bind(state.queue.name())
            .bind(state.priority)
            .bind(state.due_at)
            .bind(serde_json::to_string(&state.bank_on_confirm).unwrap_or_default())
            .bind(at)
            .bind(id)
            .execute(&mut **tx)
            .await
            .map_err(backend)?;
            id
        }
        None => sqlx::query(
            "INSERT INTO cases (subject_kind, subject_id, content_id, uploader_id, surface, queue, \
             priority, status, title, due_at, created_at, updated_at, media_hashes, bank_on_confirm) \
             VALUES (?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, ?, ?, ?, ?)",
        )
        .bind(c.subject_kind.name())
        .bind(&c.subject_id)
        .bind(&c.content_id)
        .bind(&c.uploader_id)
        .bind(c.surface.name())
        .bind(c.queue.name())
        .bind(priority_to(c.priority))
        .bind(&c.title)
        .bind(c.due_at)
        .bind(at)
        .bind(at)
        .bind(c.media_hashes.to_string())
        .bind(serde_json::to_string(&c.bank_on_confirm).unwrap_or_default())
        .execute(&mut **tx)
        .await
        .map_err(backend)?
        .last_insert_rowid(),
    };
    for s in &c.signals {
        sqlx::query(
            "INSERT INTO signals (case_id, at, source, kind, scan_id, details) VALUES (?, ?, ?, ?, ?, ?)",
        )
        .bind(case_id)
        .bind(at)
        .bind(&s.source)
        .bind(&s.kind)
        .bind(scan_id)
        .bind(s.details.to_string())
        .execute(&mut **tx)
        .await
        .map_err(backend)?;
    }
    Ok((case_id, merged))
}

async fn case_tx(tx: &mut Transaction<'static, Sqlite>, id: i64) -> StoreResult<Case> {
    let sql = format!(
        "SELECT {CASE_COLUMNS} FROM cases c LEFT JOIN users u ON u.id = c.assigned_to WHERE c.id = ?"
    );
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(&mut **tx)
        .await
        .map_err(backend)?
        .ok_or_else(|| StoreError::NotFound(format!("case {id}")))?;
    case_from(&row)
}

fn queue_list(queues: &[Queue]) -> String {
    // Queue names are our own constants, never user input.
    queues
        .iter()
        .map(|q| format!("'{}'", q.name()))
        .collect::<Vec<_>>()
        .join(", ")
}

#[async_trait]
impl Store for SqliteStore {
    async fn user_count(&self) -> StoreResult<i64> {
        sqlx::query_scalar("SELECT COUNT(*) FROM users")
            .fetch_one(&self.read)
            .await
            .map_err(backend)
    }

    async fn create_user(
        &self,
        username: &str,
        password_hash: &str,
        role: Role,
        at: i64,
        audit: NewAudit,
    ) -> StoreResult<User> {
        let mut tx = self.begin().await?;
        let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM users WHERE username = ?")
            .bind(username)
            .fetch_optional(&mut *tx)
            .await
            .map_err(backend)?;
        if taken.is_some() {
            return Err(StoreError::Conflict(format!(
                "user {username:?} already exists"
            )));
        }
        let id = sqlx::query(
            "INSERT INTO users (username, password_hash, role, created_at) VALUES (?, ?, ?, ?)",
        )
        .bind(username)
        .bind(password_hash)
        .bind(role.name())
        .bind(at)
        .execute(&mut *tx)
        .await
        .map_err(backend)?
        .last_insert_rowid();
        append_audit_tx(&mut tx, &[audit], at).await?;
        tx.commit().await.map_err(backend)?;
        Ok(User {
            id,
            username: username.to_string(),
            role,
            password_hash: password_hash.to_string(),
            disabled: false,
            created_at: at,
        })
    }

    async fn user_by_name(&self, username: &str) -> StoreResult<Option<User>> {
        let row = sqlx::query("SELECT * FROM users WHERE username = ?")
            .bind(username)
            .fetch_optional(&self.read)
            .await
            .map_err(backend)?;
        row.as_ref().map(user_from).transpose()
    }

    async fn list_users(&self) -> StoreResult<Vec<User>> {
        let rows = sqlx::query("SELECT * FROM users ORDER BY username")
            .fetch_all(&self.read)
            .await
            .map_err(backend)?;
        rows.iter().map(user_from).collect()
    }

    async fn set_user_role(
        &self,
        user_id: i64,
        role: Role,
        at: i64,
        audit: NewAudit,
    ) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        let n = sqlx::query("UPDATE users SET role = ? WHERE id = ?")
            .bind(role.name())
            .bind(user_id)
            .execute(&mut *tx)
            .await
            .map_err(backend)?
            .rows_affected();
        if n == 0 {
            return Err(StoreError::NotFound(format!("user {user_id}")));
        }
        append_audit_tx(&mut tx, &[audit], at).await?;
        tx.commit().await.map_err(backend)
    }

    async fn create_session(
        &self,
        token_hash: &str,
        user_id: i64,
        csrf_token: &str,
        expires_at: i64,
    ) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, csrf_token, expires_at) VALUES (?, ?, ?, ?)",
        )
        .bind(token_hash)
        .bind(user_id)
        .bind(csrf_token)
        .bind(expires_at)
        .execute(&self.write)
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn session(&self, token_hash: &str, now: i64) -> StoreResult<Option<(User, String)>> {
        let row = sqlx::query(
            "SELECT u.*, s.csrf_token FROM sessions s JOIN users u ON u.id = s.user_id \
             WHERE s.token_hash = ? AND s.expires_at > ? AND u.disabled = 0",
        )
        .bind(token_hash)
        .bind(now)
        .fetch_optional(&self.read)
        .await
        .map_err(backend)?;
        match row {
            Some(r) => Ok(Some((user_from(&r)?, r.get("csrf_token")))),
            None => Ok(None),
        }
    }

    async fn delete_session(&self, token_hash: &str) -> StoreResult<()> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = ?")
            .bind(token_hash)
            .execute(&self.write)
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn create_api_key(
        &self,
        name: &str,
        key_hash: &str,
        scopes: &[Scope],
        at: i64,
        audit: NewAudit,
    ) -> StoreResult<ApiKey> {
        let mut tx = self.begin().await?;
        let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM api_keys WHERE name = ?")
            .bind(name)
            .fetch_optional(&mut *tx)
            .await
            .map_err(backend)?;
        if taken.is_some() {
            return Err(StoreError::Conflict(format!(
                "an API key named {name:?} exists"
            )));
        }
        let names: Vec<&str> = scopes.iter().map(|s| s.name()).collect();
        let id = sqlx::query(
            "INSERT INTO api_keys (name, key_hash, scopes, created_at) VALUES (?, ?, ?, ?)",
        )
        .bind(name)
        .bind(key_hash)
        .bind(serde_json::to_string(&names).unwrap_or_default())
        .bind(at)
        .execute(&mut *tx)
        .await
        .map_err(backend)?
        .last_insert_rowid();
        append_audit_tx(&mut tx, &[audit], at).await?;
        tx.commit().await.map_err(backend)?;
        Ok(ApiKey {
            id,
            name: name.to_string(),
            scopes: scopes.to_vec(),
            created_at: at,
            revoked: false,
        })
    }

    async fn api_key_by_hash(&self, key_hash: &str) -> StoreResult<Option<ApiKey>> {
        let row = sqlx::query("SELECT * FROM api_keys WHERE key_hash = ?")
            .bind(key_hash)
            .fetch_optional(&self.read)
            .await
            .map_err(backend)?;
        row.as_ref().map(api_key_from).transpose()
    }

    async fn list_api_keys(&self) -> StoreResult<Vec<ApiKey>> {
        let rows = sqlx::query("SELECT * FROM api_keys ORDER BY name")
            .fetch_all(&self.read)
            .await
            .map_err(backend)?;
        rows.iter().map(api_key_from).collect()
    }

    async fn revoke_api_key(&self, id: i64, at: i64, audit: NewAudit) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        let n = sqlx::query("UPDATE api_keys SET revoked = 1 WHERE id = ?")
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(backend)?
            .rows_affected();
        if n == 0 {
            return Err(StoreError::NotFound(format!("API key {id}")));
        }
        append_audit_tx(&mut tx, &[audit], at).await?;
        tx.commit().await.map_err(backend)
    }

    async fn scan_by_content_id(&self, content_id: &str) -> StoreResult<Option<ScanRecord>> {
        let row = sqlx::query("SELECT * FROM scans WHERE content_id = ?")
            .bind(content_id)
            .fetch_optional(&self.read)
            .await
            .map_err(backend)?;
        row.as_ref().map(scan_from).transpose()
    }

    async fn commit_scan(&self, scan: NewScan) -> StoreResult<ScanCommitted> {
        let mut tx = self.begin().await?;
        let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM scans WHERE content_id = ?")
            .bind(&scan.content_id)
            .fetch_optional(&mut *tx)
            .await
            .map_err(backend)?;
        if exists.is_some() {
            return Err(StoreError::Conflict(format!(
                "content {:?} was already scanned",
                scan.content_id
            )));
        }
        let scan_id = sqlx::query(
            "INSERT INTO scans (content_id, uploader_id, surface, event, outcome, response, at) \
             VALUES (?, ?, ?, ?, ?, '{}', ?)",
        )
        .bind(&scan.content_id)
        .bind(&scan.uploader_id)
        .bind(scan.surface.name())
        .bind(scan.event.to_string())
        .bind(scan.outcome.to_string())
        .bind(scan.at)
        .execute(&mut *tx)
        .await
        .map_err(backend)?
        .last_insert_rowid();
        let case_id = match &scan.case {
            Some(c) => Some(upsert_case_tx(&mut tx, c, Some(scan_id), scan.at).await?.0),
            None => None,
        };
        let evidence_id = match &scan.evidence {
            Some(ev) => Some(insert_evidence_tx(&mut tx, ev, case_id, scan.at).await?),
            None => None,
        };
        let mut response = scan.response.clone();
        if let Value::Object(map) = &mut response {
            map.insert("scan_id".into(), scan_id.into());
            if let Some(id) = case_id {
                map.insert("case_id".into(), id.into());
            }
        }
        sqlx::query("UPDATE scans SET response = ? WHERE id = ?")
            .bind(response.to_string())
            .bind(scan_id)
            .execute(&mut *tx)
            .await
            .map_err(backend)?;
        insert_outbox_tx(&mut tx, &scan.outbox, case_id, scan.at).await?;
        append_audit_tx(&mut tx, &scan.audit, scan.at).await?;
        tx.commit().await.map_err(backend)?;
        Ok(ScanCommitted {
            scan_id,
            case_id,
            evidence_id,
            response,
        })
    }

    async fn scans_after(&self, after_id: i64, limit: i64) -> StoreResult<Vec<ScanRecord>> {
        let rows = sqlx::query("SELECT * FROM scans WHERE id > ? ORDER BY id LIMIT ?")
            .bind(after_id)
            .bind(limit)
            .fetch_all(&self.read)
            .await
            .map_err(backend)?;
        rows.iter().map(scan_from).collect()
    }

    async fn queue(&self, queues: &[Queue], limit: i64) -> StoreResult<Vec<Case>> {
        if queues.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT {CASE_COLUMNS} FROM cases c LEFT JOIN users u ON u.id = c.assigned_to \
             WHERE c.status IN ('open', 'escalated') AND c.queue IN ({}) \
             ORDER BY c.priority DESC, c.due_at IS NULL, c.due_at, c.created_at, c.id LIMIT ?",
            queue_list(queues)
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(limit)
            .fetch_all(&self.read)
            .await
            .map_err(backend)?;
        rows.iter().map(case_from).collect()
    }

    async fn search_cases(&self, q: &CaseQuery) -> StoreResult<Vec<Case>> {
        if q.queues.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT {CASE_COLUMNS} FROM cases c LEFT JOIN users u ON u.id = c.assigned_to \
             WHERE c.queue IN ({}) AND (? IS NULL OR c.status = ?) AND (? IS NULL OR \
             c.content_id = ? OR c.uploader_id = ? OR c.subject_id = ? OR CAST(c.id AS TEXT) = ? \
             OR c.title LIKE '%' || ? || '%') ORDER BY c.updated_at DESC, c.id DESC LIMIT ?",
            queue_list(&q.queues)
        );
        let status = q.status.map(|s| s.name());
        let text = q.text.as_deref().map(str::trim).filter(|t| !t.is_empty());
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(status)
            .bind(status)
            .bind(text)
            .bind(text)
            .bind(text)
            .bind(text)
            .bind(text)
            .bind(text)
            .bind(q.limit.max(1))
            .fetch_all(&self.read)
            .await
            .map_err(backend)?;
        rows.iter().map(case_from).collect()
    }

    async fn case_detail(&self, case_id: i64) -> StoreResult<Option<CaseDetail>> {
        let sql = format!(
            "SELECT {CASE_COLUMNS} FROM cases c LEFT JOIN users u ON u.id = c.assigned_to WHERE c.id = ?"
        );
        let Some(row) = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(case_id)
            .fetch_optional(&self.read)
            .await
            .map_err(backend)?
        else {
            return Ok(None);
        };
        let case = case_from(&row)?;
        let signals = sqlx::query("SELECT * FROM signals WHERE case_id = ? ORDER BY id")
            .bind(case_id)
            .fetch_all(&self.read)
            .await
            .map_err(backend)?
            .iter()
            .map(signal_from)
            .collect::<StoreResult<_>>()?;
        let decisions = sqlx::query(
            "SELECT d.*, u.username AS reviewer FROM decisions d JOIN users u ON u.id = d.reviewer_id \
             WHERE d.case_id = ? ORDER BY d.id",
        )
        .bind(case_id)
        .fetch_all(&self.read)
        .await
        .map_err(backend)?
        .iter()
        .map(decision_from)
        .collect::<StoreResult<_>>()?;
        let evidence = sqlx::query("SELECT * FROM evidence WHERE case_id = ? ORDER BY id")
            .bind(case_id)
            .fetch_all(&self.read)
            .await
            .map_err(backend)?
            .iter()
            .map(evidence_from)
            .collect::<StoreResult<_>>()?;
        let outbox = sqlx::query("SELECT * FROM outbox WHERE case_id = ? ORDER BY id")
            .bind(case_id)
            .fetch_all(&self.read)
            .await
            .map_err(backend)?
            .iter()
            .map(outbox_from)
            .collect::<StoreResult<_>>()?;
        let (reports, appeals) = self.reports_of_case(case_id).await?;
        Ok(Some(CaseDetail {
            case,
            reports,
            appeals,
            signals,
            decisions,
            evidence,
            outbox,
        }))
    }

    async fn assign_case(
        &self,
        case_id: i64,
        user_id: i64,
        lock_until: i64,
        now: i64,
        audit: NewAudit,
    ) -> StoreResult<Case> {
        let mut tx = self.begin().await?;
        let case = case_tx(&mut tx, case_id).await?;
        if case.locked_by_other(user_id, now) {
            return Err(StoreError::Conflict(format!(
                "case {case_id} is being reviewed by {}",
                case.assigned_name.as_deref().unwrap_or("another reviewer")
            )));
        }
        sqlx::query(
            "UPDATE cases SET assigned_to = ?, lock_until = ?, updated_at = ? WHERE id = ?",
        )
        .bind(user_id)
        .bind(lock_until)
        .bind(now)
        .bind(case_id)
        .execute(&mut *tx)
        .await
        .map_err(backend)?;
        if case.assigned_to != Some(user_id) {
            append_audit_tx(&mut tx, &[audit], now).await?;
        }
        let case = case_tx(&mut tx, case_id).await?;
        tx.commit().await.map_err(backend)?;
        Ok(case)
    }

    async fn release_case(&self, case_id: i64, user_id: i64) -> StoreResult<()> {
        sqlx::query(
            "UPDATE cases SET assigned_to = NULL, lock_until = NULL WHERE id = ? AND assigned_to = ?",
        )
        .bind(case_id)
        .bind(user_id)
        .execute(&self.write)
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn commit_decision(&self, d: NewDecision) -> StoreResult<Decision> {
        let mut tx = self.begin().await?;
        let case = case_tx(&mut tx, d.case_id).await?;
        if case.locked_by_other(d.reviewer_id, d.at) {
            return Err(StoreError::Conflict(format!(
                "case {} is being reviewed by {}",
                d.case_id,
                case.assigned_name.as_deref().unwrap_or("another reviewer")
            )));
        }
        let open_appeal = reports::check_decision_tx(&mut tx, &d).await?;
        let id = sqlx::query(
            "INSERT INTO decisions (case_id, reviewer_id, policy_id, ground, explanation, action, at) \
             VALUES (?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(d.case_id)
        .bind(d.reviewer_id)
        .bind(&d.policy_id)
        .bind(d.ground.name())
        .bind(&d.explanation)
        .bind(d.action.name())
        .bind(d.at)
        .execute(&mut *tx)
        .await
        .map_err(backend)?
        .last_insert_rowid();
        sqlx::query(
            "UPDATE cases SET status = ?, assigned_to = NULL, lock_until = NULL, updated_at = ? \
             WHERE id = ?",
        )
        .bind(d.action.resulting_status().name())
        .bind(d.at)
        .bind(d.case_id)
        .execute(&mut *tx)
        .await
        .map_err(backend)?;
        reports::after_decision_tx(&mut tx, &d, id, open_appeal).await?;
        insert_outbox_tx(&mut tx, &d.outbox, Some(d.case_id), d.at).await?;
        append_audit_tx(&mut tx, &d.audit, d.at).await?;
        let reviewer: String = sqlx::query_scalar("SELECT username FROM users WHERE id = ?")
            .bind(d.reviewer_id)
            .fetch_one(&mut *tx)
            .await
            .map_err(backend)?;
        tx.commit().await.map_err(backend)?;
        Ok(Decision {
            id,
            case_id: d.case_id,
            reviewer_id: d.reviewer_id,
            reviewer,
            policy_id: d.policy_id,
            ground: d.ground,
            explanation: d.explanation,
            action: d.action,
            at: d.at,
        })
    }

    async fn evidence(&self, id: i64) -> StoreResult<Option<EvidenceItem>> {
        let row = sqlx::query("SELECT * FROM evidence WHERE id = ?")
            .bind(id)
            .fetch_optional(&self.read)
            .await
            .map_err(backend)?;
        row.as_ref().map(evidence_from).transpose()
    }

    async fn set_legal_hold(
        &self,
        id: i64,
        hold: bool,
        at: i64,
        audit: NewAudit,
    ) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        let n =
            sqlx::query("UPDATE evidence SET legal_hold = ? WHERE id = ? AND purged_at IS NULL")
                .bind(hold as i64)
                .bind(id)
                .execute(&mut *tx)
                .await
                .map_err(backend)?
                .rows_affected();
        if n == 0 {
            return Err(StoreError::NotFound(format!("live evidence item {id}")));
        }
        append_audit_tx(&mut tx, &[audit], at).await?;
        tx.commit().await.map_err(backend)
    }

    async fn expired_evidence(&self, now: i64, limit: i64) -> StoreResult<Vec<EvidenceItem>> {
        let rows = sqlx::query(
            "SELECT * FROM evidence WHERE purged_at IS NULL AND legal_hold = 0 AND retain_until <= ? \
             ORDER BY retain_until LIMIT ?",
        )
        .bind(now)
        .bind(limit)
        .fetch_all(&self.read)
        .await
        .map_err(backend)?;
        rows.iter().map(evidence_from).collect()
    }

    async fn mark_purged(&self, id: i64, at: i64, audit: NewAudit) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        sqlx::query(
            "UPDATE evidence SET purged_at = ?, wrapped_key = x'', sealed_blob = NULL WHERE id = ?",
        )
        .bind(at)
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(backend)?;
        append_audit_tx(&mut tx, &[audit], at).await?;
        tx.commit().await.map_err(backend)
    }

    async fn evidence_blob_paths(&self) -> StoreResult<Vec<String>> {
        sqlx::query_scalar("SELECT blob_path FROM evidence WHERE blob_path <> ''")
            .fetch_all(&self.read)
            .await
            .map_err(backend)
    }

    async fn due_outbox(&self, now: i64, limit: i64) -> StoreResult<Vec<OutboxMessage>> {
        let rows = sqlx::query(
            "SELECT * FROM outbox WHERE status = 'pending' AND next_attempt_at <= ? \
             ORDER BY next_attempt_at, id LIMIT ?",
        )
        .bind(now)
        .bind(limit)
        .fetch_all(&self.write)
        .await
        .map_err(backend)?;
        rows.iter().map(outbox_from).collect()
    }

    async fn outbox_delivered(&self, id: i64, at: i64) -> StoreResult<()> {
        sqlx::query(
            "UPDATE outbox SET status = 'delivered', delivered_at = ?, attempts = attempts + 1, \
             last_error = NULL WHERE id = ?",
        )
        .bind(at)
        .bind(id)
        .execute(&self.write)
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn outbox_attempt_failed(
        &self,
        id: i64,
        error: &str,
        next_attempt_at: Option<i64>,
    ) -> StoreResult<()> {
        sqlx::query(
            "UPDATE outbox SET attempts = attempts + 1, last_error = ?, \
             status = CASE WHEN ? IS NULL THEN 'failed' ELSE 'pending' END, \
             next_attempt_at = COALESCE(?, next_attempt_at) WHERE id = ?",
        )
        .bind(error)
        .bind(next_attempt_at)
        .bind(next_attempt_at)
        .bind(id)
        .execute(&self.write)
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn failed_outbox(&self, limit: i64) -> StoreResult<Vec<OutboxMessage>> {
        let rows = sqlx::query(
            "SELECT * FROM outbox WHERE status = 'failed' OR (status = 'pending' AND attempts > 0) \
             ORDER BY id DESC LIMIT ?",
        )
        .bind(limit)
        .fetch_all(&self.read)
        .await
        .map_err(backend)?;
        rows.iter().map(outbox_from).collect()
    }

    async fn retry_outbox(&self, id: i64, at: i64, audit: NewAudit) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        let n = sqlx::query(
            "UPDATE outbox SET status = 'pending', next_attempt_at = ? WHERE id = ? AND status = 'failed'",
        )
        .bind(at)
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(backend)?
        .rows_affected();
        if n == 0 {
            return Err(StoreError::NotFound(format!("failed webhook {id}")));
        }
        append_audit_tx(&mut tx, &[audit], at).await?;
        tx.commit().await.map_err(backend)
    }

    async fn append_audit(&self, entries: Vec<NewAudit>, at: i64) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        append_audit_tx(&mut tx, &entries, at).await?;
        tx.commit().await.map_err(backend)
    }

    async fn audit_head(&self) -> StoreResult<Option<Head>> {
        let row = sqlx::query("SELECT * FROM audit_log ORDER BY seq DESC LIMIT 1")
            .fetch_optional(&self.write)
            .await
            .map_err(backend)?;
        match row {
            Some(r) => Head::of(&audit_from(&r))
                .map(Some)
                .map_err(|e| StoreError::Backend(e.to_string())),
            None => Ok(None),
        }
    }

    async fn audit_entries(&self, after_seq: i64, limit: i64) -> StoreResult<Vec<AuditEntry>> {
        // `seq` is the rowid: entries come back in the order they were appended.
        let rows = sqlx::query("SELECT * FROM audit_log WHERE rowid > ? ORDER BY rowid LIMIT ?")
            .bind(after_seq)
            .bind(limit)
            .fetch_all(&self.read)
            .await
            .map_err(backend)?;
        Ok(rows.iter().map(audit_from).collect())
    }

    async fn add_checkpoint(&self, c: &Checkpoint) -> StoreResult<()> {
        sqlx::query(
            "INSERT OR IGNORE INTO audit_checkpoints (seq, head_hash, at, signature) VALUES (?, ?, ?, ?)",
        )
        .bind(c.seq)
        .bind(&c.head_hash)
        .bind(c.at)
        .bind(&c.signature)
        .execute(&self.write)
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn checkpoints(&self) -> StoreResult<Vec<Checkpoint>> {
        let rows = sqlx::query("SELECT * FROM audit_checkpoints ORDER BY seq")
            .fetch_all(&self.read)
            .await
            .map_err(backend)?;
        Ok(rows
            .iter()
            .map(|r| Checkpoint {
                seq: r.get("seq"),
                head_hash: r.get("head_hash"),
                at: r.get("at"),
                signature: r.get("signature"),
            })
            .collect())
    }

    async fn create_video_job(&self, job: NewVideoJob) -> StoreResult<VideoJob> {
        video_jobs::create(&self.write, job).await
    }

    async fn video_job(&self, id: &str) -> StoreResult<Option<VideoJob>> {
        video_jobs::get(&self.read, id).await
    }

    async fn claim_video_job(&self, now: i64) -> StoreResult<Option<VideoJob>> {
        video_jobs::claim(&self.write, now).await
    }

    async fn requeue_running_video_jobs(&self) -> StoreResult<u64> {
        video_jobs::requeue_running(&self.write).await
    }

    async fn finish_video_job(&self, finish: JobFinish) -> StoreResult<()> {
        video_jobs::finish(&self.write, finish).await
    }

    async fn counts(&self) -> StoreResult<Counts> {
        let r = sqlx::query(
            "SELECT \
             (SELECT COUNT(*) FROM cases WHERE status IN ('open','escalated')) AS open_cases, \
             (SELECT COUNT(*) FROM cases WHERE status IN ('open','escalated') AND queue = 'child_safety') AS cs, \
             (SELECT COUNT(*) FROM outbox WHERE status = 'pending') AS pending, \
             (SELECT COUNT(*) FROM outbox WHERE status = 'failed') AS failed, \
             (SELECT COUNT(*) FROM evidence WHERE purged_at IS NULL) AS evidence, \
             (SELECT COUNT(*) FROM audit_log) AS audit, \
             (SELECT COUNT(*) FROM reports) AS reports, \
             (SELECT COUNT(*) FROM appeals WHERE status = 'open') AS appeals_open, \
             (SELECT COUNT(*) FROM appeals WHERE status = 'upheld') AS appeals_upheld, \
             (SELECT COUNT(*) FROM appeals WHERE status = 'overturned') AS appeals_overturned",
        )
        .fetch_one(&self.read)
        .await
        .map_err(backend)?;
        Ok(Counts {
            open_cases: r.get("open_cases"),
            open_child_safety_cases: r.get("cs"),
            outbox_pending: r.get("pending"),
            outbox_failed: r.get("failed"),
            evidence_live: r.get("evidence"),
            audit_entries: r.get("audit"),
            reports_total: r.get("reports"),
            appeals_open: r.get("appeals_open"),
            appeals_upheld: r.get("appeals_upheld"),
            appeals_overturned: r.get("appeals_overturned"),
        })
    }

    async fn commit_report(&self, report: NewReport) -> StoreResult<ReportCommitted> {
        self.commit_report_impl(report).await
    }

    async fn reporter_record(&self, reporter_key: &str, since: i64) -> StoreResult<(i64, i64)> {
        self.reporter_record_impl(reporter_key, since).await
    }

    async fn receipt(&self, code_hash: &str) -> StoreResult<Option<Receipt>> {
        self.receipt_impl(code_hash).await
    }

    async fn appealable_by_code(&self, code_hash: &str) -> StoreResult<Option<AppealableDecision>> {
        self.appealable_impl(None, Some(code_hash)).await
    }

    async fn appealable(&self, decision_id: i64) -> StoreResult<Option<AppealableDecision>> {
        self.appealable_impl(Some(decision_id), None).await
    }

    async fn commit_appeal(&self, appeal: NewAppeal) -> StoreResult<Appeal> {
        self.commit_appeal_impl(appeal).await
    }

    /// Checkpoints the WAL into the main file and closes every connection.
    async fn close(&self) {
        let _ = sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(&self.write)
            .await;
        self.read.close().await;
        self.write.close().await;
    }
}
