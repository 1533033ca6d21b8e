//! The report writer: group commit of reports on a thread of its own.
//!
//! Reports waiting at the same moment are written in one transaction, then each caller gets its
//! answer after the commit. One transaction per report would cap reports/s at SQLite's commit
//! rate, and a burst of reports (a viral post) is exactly when that matters.
//!
//! The group is written with SQLite's C API straight on the store's one write connection, borrowed
//! from sqlx while the group is written (`lock_handle`), through rusqlite. Through sqlx each
//! statement is a round trip between the async task and sqlx's connection thread; a group took
//! about ten of them and the writer spent half its time waiting for the other side. Here a group
//! is one borrow and plain function calls, and the store still has a single writer connection,
//! so report groups and every other write queue up in sqlx's order instead of racing for
//! SQLite's lock.

use crate::case_merge::{OpenCase, Target, plan_group};
use rusqlite::{OptionalExtension, params};
use sqlx::SqlitePool;
use std::collections::HashMap;
use tokio::sync::{mpsc, oneshot};
use tutela_core::{NewReport, ReportCommitted, SealedBlob, StoreError, StoreResult};

type ReportJob = (NewReport, oneshot::Sender<StoreResult<ReportCommitted>>);
pub(crate) type ReportQueue = mpsc::Sender<ReportJob>;

/// Most reports one transaction takes.
const GROUP: usize = 256;

/// Starts the writer thread; it ends when the last queue handle is dropped. Must be called
/// inside a Tokio runtime, which the thread uses to borrow the connection from the pool.
pub(crate) fn writer(pool: SqlitePool) -> std::io::Result<ReportQueue> {
    let (tx, mut rx) = mpsc::channel::<ReportJob>(4 * GROUP);
    let runtime = tokio::runtime::Handle::current();
    std::thread::Builder::new()
        .name("report-writer".into())
        .spawn(move || {
            while let Some(first) = rx.blocking_recv() {
                let mut batch = vec![first];
                while batch.len() < GROUP {
                    match rx.try_recv() {
                        Ok(job) => batch.push(job),
                        Err(_) => break,
                    }
                }
                runtime.block_on(write_group(&pool, batch));
            }
        })?;
    Ok(tx)
}

async fn write_group(pool: &SqlitePool, batch: Vec<ReportJob>) {
    // The whole group in one transaction; if any report fails, each is written on its own so
    // one bad report cannot take the others down with it.
    if batch.len() > 1 {
        let reports: Vec<&NewReport> = batch.iter().map(|(r, _)| r).collect();
        if let Ok(results) = with_connection(pool, |db| write_all(db, &reports)).await {
            for ((_, reply), result) in batch.into_iter().zip(results) {
                let _ = reply.send(Ok(result));
            }
            return;
        }
    }
    for (report, reply) in batch {
        let result = with_connection(pool, |db| write_all(db, &[&report]))
            .await
            .map(|mut r| r.remove(0));
        let _ = reply.send(result);
    }
}

/// Runs `f` on the store's write connection, locked out of sqlx's connection thread meanwhile.
async fn with_connection<T>(
    pool: &SqlitePool,
    f: impl FnOnce(&mut rusqlite::Connection) -> StoreResult<T>,
) -> StoreResult<T> {
    let mut conn = pool.acquire().await.map_err(crate::backend)?;
    let mut handle = conn.lock_handle().await.map_err(crate::backend)?;
    // SAFETY: `lock_handle` keeps sqlx's thread off this handle until `handle` drops, which is
    // after `db`; `from_handle` never closes the handle, and `db` finalises the statements it
    // prepared when it drops. sqlx and rusqlite link the same libsqlite3-sys (see the
    // workspace's Cargo.toml), so the pointer types are one type.
    let mut db = unsafe { rusqlite::Connection::from_handle(handle.as_raw_handle().as_ptr()) }
        .map_err(sqlite)?;
    let result = f(&mut db);
    drop(db);
    drop(handle);
    result
}

fn sqlite(e: rusqlite::Error) -> StoreError {
    StoreError::Backend(e.to_string())
}

/// Writes a group of reports in one transaction: each subject's open case looked up once, new
/// cases opened and joined cases updated as the pure plan says, then every row.
fn write_all(
    db: &mut rusqlite::Connection,
    reports: &[&NewReport],
) -> StoreResult<Vec<ReportCommitted>> {
    let tx = db
        .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
        .map_err(sqlite)?;

    // 1. The subjects' open cases (the oldest one if, exceptionally, there are several).
    let mut open = HashMap::new();
    {
        let mut find = tx
            .prepare_cached(
                "SELECT id, queue, priority, due_at, bank_on_confirm FROM cases \
                 WHERE status = 'open' AND subject_kind = ?1 AND subject_id = ?2 \
                 ORDER BY id LIMIT 1",
            )
            .map_err(sqlite)?;
        for r in reports {
            let key = (
                r.case.subject_kind.name().to_string(),
                r.case.subject_id.clone(),
            );
            if open.contains_key(&key) {
                continue;
            }
            let row = find
                .query_row(params![key.0, key.1], |row| {
                    Ok((
                        row.get::<_, i64>(0)?,
                        row.get::<_, String>(1)?,
                        row.get::<_, i64>(2)?,
                        row.get::<_, Option<i64>>(3)?,
                        row.get::<_, String>(4)?,
                    ))
                })
                .optional()
                .map_err(sqlite)?;
            if let Some((id, queue, priority, due_at, bank)) = row {
                let state = OpenCase::from_stored(&queue, priority, due_at, &bank)
                    .map_err(|e| StoreError::Backend(format!("bad stored value: {e}")))?;
                open.insert(key, (id, state));
            }
        }
    }
    let placed: Vec<_> = reports
        .iter()
        .map(|r| (&r.case, r.report.created_at))
        .collect();
    let plan = plan_group(&placed, open);

    // 2. New cases, in plan order; a new case takes the hashes of its content's scan, if it was
    // scanned, so that confirming the case banks the content.
    let mut opened_ids = Vec::with_capacity(plan.opened.len());
    {
        let mut insert = tx
            .prepare_cached(
                "INSERT INTO cases (subject_kind, subject_id, content_id, uploader_id, surface, \
                 queue, priority, status, title, due_at, created_at, updated_at, media_hashes, \
                 bank_on_confirm) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'open', ?8, ?9, ?10, ?10, \
                 COALESCE((SELECT json_extract(response, '$.hashes') FROM scans \
                 WHERE content_id = ?3 AND json_type(response, '$.hashes') = 'object'), ?11), ?12)",
            )
            .map_err(sqlite)?;
        for (first, state) in &plan.opened {
            let (c, at) = (&reports[*first].case, reports[*first].report.created_at);
            insert
                .execute(params![
                    c.subject_kind.name(),
                    c.subject_id,
                    c.content_id,
                    c.uploader_id,
                    c.surface.name(),
                    state.queue.name(),
                    state.priority,
                    c.title,
                    state.due_at,
                    at,
                    c.media_hashes.to_string(),
                    serde_json::to_string(&state.bank_on_confirm).unwrap_or_default(),
                ])
                .map_err(sqlite)?;
            opened_ids.push(tx.last_insert_rowid());
        }
    }

    // 3. Open cases the group joined. Most joins change nothing but the time: those leave the
    // queue index alone (setting its columns, even to the same values, rewrites its entry).
    {
        let mut update = tx
            .prepare_cached(
                "UPDATE cases SET queue = ?2, priority = ?3, due_at = ?4, bank_on_confirm = ?5, \
                 updated_at = ?6 WHERE id = ?1",
            )
            .map_err(sqlite)?;
        let mut touch = tx
            .prepare_cached("UPDATE cases SET updated_at = ?2 WHERE id = ?1")
            .map_err(sqlite)?;
        for (id, state, at, changed) in &plan.joined {
            if !changed {
                touch.execute(params![id, at]).map_err(sqlite)?;
                continue;
            }
            update
                .execute(params![
                    id,
                    state.queue.name(),
                    state.priority,
                    state.due_at,
                    serde_json::to_string(&state.bank_on_confirm).unwrap_or_default(),
                    at,
                ])
                .map_err(sqlite)?;
        }
    }

    // 4. Per report: its signals, the report row, its evidence and its webhooks.
    let mut committed = Vec::with_capacity(reports.len());
    {
        let mut signal = tx
            .prepare_cached(
                "INSERT INTO signals (case_id, at, source, kind, scan_id, details) \
                 VALUES (?1, ?2, ?3, ?4, NULL, ?5)",
            )
            .map_err(sqlite)?;
        let mut report = tx
            .prepare_cached(
                "INSERT INTO reports (receipt_hash, case_id, reason, in_danger, for_friend, \
                 channel, content_id, account_id, content_url, platform_report_id, reporter_key, \
                 reporter_is_child, lang, country, contact_key, contact_blob, flagged, \
                 created_at, due_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, \
                 ?17, ?18, ?19)",
            )
            .map_err(sqlite)?;
        let mut evidence = tx
            .prepare_cached(
                "INSERT INTO evidence (case_id, content_id, sha256, size, media_type, blob_path, \
                 sealed_blob, wrapped_key, created_at, retain_until) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            )
            .map_err(sqlite)?;
        let mut outbox = tx
            .prepare_cached(
                "INSERT INTO outbox (event, case_id, content_id, payload, created_at, attempts, \
                 next_attempt_at, status) VALUES (?1, ?2, ?3, ?4, ?5, 0, ?5, 'pending')",
            )
            .map_err(sqlite)?;
        for (n, (target, merged)) in reports.iter().zip(&plan.targets) {
            let case_id = match target {
                Target::Existing(id) => *id,
                Target::New(i) => opened_ids[*i],
            };
            let at = n.report.created_at;
            for s in &n.case.signals {
                signal
                    .execute(params![
                        case_id,
                        at,
                        s.source,
                        s.kind,
                        s.details.to_string()
                    ])
                    .map_err(sqlite)?;
            }
            let r = &n.report;
            let (contact_key, contact_blob) = match &r.contact_sealed {
                Some((k, b)) => (Some(k.as_slice()), Some(b.as_slice())),
                None => (None, None),
            };
            report
                .execute(params![
                    n.receipt_hash,
                    case_id,
                    r.reason.name(),
                    r.in_danger,
                    r.for_friend,
                    r.channel,
                    r.content_id,
                    r.account_id,
                    r.content_url,
                    r.platform_report_id,
                    r.reporter_key,
                    r.reporter_is_child,
                    r.lang,
                    r.country,
                    contact_key,
                    contact_blob,
                    r.flagged,
                    at,
                    r.due_at,
                ])
                .map_err(|e| match &e {
                    // The only unique column a report has.
                    rusqlite::Error::SqliteFailure(f, _)
                        if f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE =>
                    {
                        StoreError::Conflict("receipt code already used".into())
                    }
                    _ => sqlite(e),
                })?;
            let report_id = tx.last_insert_rowid();
            for ev in &n.evidence {
                evidence
                    .execute(params![
                        case_id,
                        ev.content_id,
                        ev.sha256,
                        ev.size,
                        ev.media_type,
                        ev.blob.file().unwrap_or(""),
                        match &ev.blob {
                            SealedBlob::InRow(bytes) => Some(bytes.as_slice()),
                            SealedBlob::InFile(_) => None,
                        },
                        ev.wrapped_key.as_slice(),
                        at,
                        ev.retain_until,
                    ])
                    .map_err(sqlite)?;
            }
            for m in &n.outbox {
                outbox
                    .execute(params![
                        m.event,
                        case_id,
                        m.content_id,
                        m.payload.to_string(),
                        at
                    ])
                    .map_err(sqlite)?;
            }
            committed.push(ReportCommitted {
                report_id,
                case_id,
                merged: *merged,
            });
        }
    }
    tx.commit().map_err(sqlite)?;
    Ok(committed)
}
