//! Reports, appeals and appeal codes on SQLite.

use super::*;
use crate::case_merge::{OpenCase, Target, plan_group};
use sqlx::QueryBuilder;
use std::collections::HashMap;
use tutela_core::report::{self, AppealStatus};

fn report_from(r: &SqliteRow) -> StoreResult<Report> {
    let contact = match (
        r.get::<Option<Vec<u8>>, _>("contact_key"),
        r.get::<Option<Vec<u8>>, _>("contact_blob"),
    ) {
        (Some(k), Some(b)) => Some((k, b)),
        _ => None,
    };
    Ok(Report {
        id: r.get("id"),
        case_id: r.get("case_id"),
        reason: parse(r.get::<&str, _>("reason"))?,
        in_danger: r.get::<i64, _>("in_danger") != 0,
        for_friend: r.get::<i64, _>("for_friend") != 0,
        channel: r.get("channel"),
        content_id: r.get("content_id"),
        account_id: r.get("account_id"),
        content_url: r.get("content_url"),
        platform_report_id: r.get("platform_report_id"),
        reporter_is_child: r.get::<Option<i64>, _>("reporter_is_child").map(|v| v != 0),
        lang: r.get("lang"),
        country: r.get("country"),
        flagged: r.get::<i64, _>("flagged") != 0,
        created_at: r.get("created_at"),
        due_at: r.get("due_at"),
        reporter_key: r.get("reporter_key"),
        contact_sealed: contact,
    })
}

fn appeal_from(r: &SqliteRow) -> StoreResult<Appeal> {
    Ok(Appeal {
        id: r.get("id"),
        case_id: r.get("case_id"),
        decision_id: r.get("decision_id"),
        appealed_reviewer_id: r.get("appealed_reviewer_id"),
        statement: r.get("statement"),
        channel: r.get("channel"),
        lang: r.get("lang"),
        status: parse(r.get::<&str, _>("status"))?,
        created_at: r.get("created_at"),
        decided_at: r.get("decided_at"),
        resolved_by: r.get("resolved_by"),
    })
}

/// Before a decision is inserted: every report on the case was seen, and an open appeal goes to
/// a different reviewer and gets an answer. Returns the open appeal's id and how it resolves.
pub(crate) async fn check_decision_tx(
    tx: &mut Transaction<'static, Sqlite>,
    d: &NewDecision,
) -> StoreResult<Option<(i64, AppealStatus)>> {
    let reports: Vec<i64> = sqlx::query_scalar("SELECT id FROM reports WHERE case_id = ?")
        .bind(d.case_id)
        .fetch_all(&mut **tx)
        .await
        .map_err(backend)?;
    if let Some(new) = reports.iter().find(|id| !d.reports_seen.contains(id)) {
        return Err(StoreError::Conflict(format!(
            "report {new} arrived on case {} meanwhile: look at it, then decide",
            d.case_id
        )));
    }
    let open = sqlx::query(
        "SELECT id, appealed_reviewer_id FROM appeals WHERE case_id = ? AND status = 'open'",
    )
    .bind(d.case_id)
    .fetch_optional(&mut **tx)
    .await
    .map_err(backend)?;
    let Some(row) = open else { return Ok(None) };
    report::check_appeal_reviewer(row.get("appealed_reviewer_id"), d.reviewer_id)
        .map_err(StoreError::Conflict)?;
    let resolution = report::resolve_appeal(d.action).map_err(StoreError::Conflict)?;
    Ok(Some((row.get("id"), resolution)))
}

/// After the decision row is in: resolve the appeal and store the appeal code.
pub(crate) async fn after_decision_tx(
    tx: &mut Transaction<'static, Sqlite>,
    d: &NewDecision,
    decision_id: i64,
    open_appeal: Option<(i64, AppealStatus)>,
) -> StoreResult<()> {
    if let Some((appeal_id, status)) = open_appeal {
        sqlx::query("UPDATE appeals SET status = ?, decided_at = ?, resolved_by = ? WHERE id = ?")
            .bind(status.name())
            .bind(d.at)
            .bind(decision_id)
            .bind(appeal_id)
            .execute(&mut **tx)
            .await
            .map_err(backend)?;
    }
    if let Some(code) = &d.appeal_code {
        sqlx::query(
            "INSERT INTO appeal_codes (code_hash, decision_id, case_id, appeal_until) \
             VALUES (?, ?, ?, ?)",
        )
        .bind(&code.code_hash)
        .bind(decision_id)
        .bind(d.case_id)
        .bind(code.appeal_until)
        .execute(&mut **tx)
        .await
        .map_err(backend)?;
    }
    Ok(())
}

type ReportJob = (
    NewReport,
    tokio::sync::oneshot::Sender<StoreResult<ReportCommitted>>,
);
pub(crate) type ReportQueue = tokio::sync::mpsc::Sender<ReportJob>;

/// Most reports one transaction takes.
const GROUP: usize = 256;

/// Group commit: reports waiting at the same moment are written in one transaction, then each
/// caller gets its answer after the commit. One transaction per report would cap reports/s at SQLite's commit
/// rate; a burst of reports (a viral post) is exactly when that matters.
pub(crate) fn writer(pool: SqlitePool) -> ReportQueue {
    let (tx, mut rx) = tokio::sync::mpsc::channel::<ReportJob>(4 * GROUP);
    tokio::spawn(async move {
        while let Some(first) = rx.recv().await {
            let mut batch = vec![first];
            while batch.len() < GROUP {
                match rx.try_recv() {
                    Ok(job) => batch.push(job),
                    Err(_) => break,
                }
            }
            write_group(&pool, batch).await;
        }
    });
    tx
}

async fn write_group(pool: &SqlitePool, batch: Vec<ReportJob>) {
    // The whole group in one transaction; if any report fails, each is written on its own so
    // one bad report cannot take the others down with it.
    if batch.len() > 1 {
        let reports: Vec<&NewReport> = batch.iter().map(|(r, _)| r).collect();
        if let Ok(results) = write_all(pool, &reports).await {
            for ((_, reply), result) in batch.into_iter().zip(results) {
                let _ = reply.send(Ok(result));
            }
            return;
        }
    }
    for (report, reply) in batch {
        let _ = reply.send(write_all(pool, &[&report]).await.map(|mut r| r.remove(0)));
    }
}

/// Most rows one multi-row statement takes; a run of every size up to it is a statement shape
/// of its own, so the write connection's statement cache is sized to hold them all.
pub(crate) const RUN: usize = 64;

/// Splits rows into runs of at most [`RUN`] rows: one statement per table for a usual group.
fn runs<T>(rows: &[T]) -> impl Iterator<Item = &[T]> {
    rows.chunks(RUN)
}

/// Writes a group of reports in one transaction with multi-row statements, a few per table
/// whatever the group's size: statement round trips to SQLite's worker thread, not SQLite
/// itself, were the cost of one-statement-per-row writes.
async fn write_all(pool: &SqlitePool, reports: &[&NewReport]) -> StoreResult<Vec<ReportCommitted>> {
    let mut tx = begin_write(pool).await?;

    // 1. The subjects' open cases (the oldest one if, exceptionally, there are several).
    let mut open = HashMap::new();
    for run in runs(reports) {
        let mut q = QueryBuilder::<Sqlite>::new(
            "SELECT id, subject_kind, subject_id, queue, priority, due_at, bank_on_confirm \
             FROM cases WHERE status = 'open' AND (subject_kind, subject_id) IN (",
        );
        q.push_values(run, |mut b, r| {
            b.push_bind(r.case.subject_kind.name())
                .push_bind(&r.case.subject_id);
        });
        q.push(")");
        for r in q.build().fetch_all(&mut *tx).await.map_err(backend)? {
            let state = open_case_from(&r)?;
            let key = (
                r.get::<String, _>("subject_kind"),
                r.get::<String, _>("subject_id"),
            );
            let id: i64 = r.get("id");
            // Exceptionally a subject has several open cases: the oldest one takes reports.
            if open
                .get(&key)
                .is_none_or(|(old, _): &(i64, OpenCase)| id < *old)
            {
                open.insert(key, (id, state));
            }
        }
    }
    let placed: Vec<(&CaseUpsert, i64)> = reports
        .iter()
        .map(|r| (&r.case, r.report.created_at))
        .collect();
    let plan = plan_group(&placed, open);

    // 2. New cases; their ids are mapped back by subject, never by row order.
    let mut ids_by_subject: HashMap<(String, String), i64> = HashMap::new();
    for run in runs(&plan.opened) {
        let mut q = QueryBuilder::<Sqlite>::new(
            "INSERT INTO cases (subject_kind, subject_id, content_id, uploader_id, surface, queue, \
             priority, status, title, due_at, created_at, updated_at, media_hashes, \
             bank_on_confirm) ",
        );
        q.push_values(run, |mut b, (first, state)| {
            let (c, at) = (&reports[*first].case, reports[*first].report.created_at);
            b.push_bind(c.subject_kind.name())
                .push_bind(&c.subject_id)
                .push_bind(&c.content_id)
                .push_bind(&c.uploader_id)
                .push_bind(c.surface.name())
                .push_bind(state.queue.name())
                .push_bind(state.priority)
                .push_bind("open")
                .push_bind(&c.title)
                .push_bind(state.due_at)
                .push_bind(at)
                .push_bind(at)
                // The hashes of the content's scan, if it was scanned: confirming the case then
                // banks the content.
                .push(
                    "COALESCE((SELECT json_extract(response, '$.hashes') FROM scans \
                     WHERE content_id = ",
                )
                .push_bind_unseparated(&c.content_id)
                .push_unseparated(" AND json_type(response, '$.hashes') = 'object'), ")
                .push_bind_unseparated(c.media_hashes.to_string())
                .push_unseparated(")")
                .push_bind(serde_json::to_string(&state.bank_on_confirm).unwrap_or_default());
        });
        q.push(" RETURNING id, subject_kind, subject_id");
        for r in q.build().fetch_all(&mut *tx).await.map_err(backend)? {
            ids_by_subject.insert((r.get("subject_kind"), r.get("subject_id")), r.get("id"));
        }
    }
    let opened_ids = plan
        .opened
        .iter()
        .map(|(first, _)| {
            let c = &reports[*first].case;
            ids_by_subject
                .get(&(c.subject_kind.name().to_string(), c.subject_id.clone()))
                .copied()
                .ok_or_else(|| StoreError::Backend("a new case has no id".into()))
        })
        .collect::<StoreResult<Vec<i64>>>()?;

    // 3. Open cases the group joined.
    for run in runs(&plan.joined) {
        let mut q = QueryBuilder::<Sqlite>::new(
            "UPDATE cases SET queue = v.column2, \
             priority = v.column3, due_at = v.column4, bank_on_confirm = v.column5, \
             updated_at = v.column6 FROM (",
        );
        q.push_values(run, |mut b, (id, state, at)| {
            b.push_bind(id)
                .push_bind(state.queue.name())
                .push_bind(state.priority)
                .push_bind(state.due_at)
                .push_bind(serde_json::to_string(&state.bank_on_confirm).unwrap_or_default())
                .push_bind(at);
        });
        q.push(") AS v WHERE cases.id = v.column1");
        q.build().execute(&mut *tx).await.map_err(backend)?;
    }
    let case_of: Vec<(i64, bool)> = plan
        .targets
        .iter()
        .map(|(target, merged)| match target {
            Target::Existing(id) => (*id, *merged),
            Target::New(n) => (opened_ids[*n], *merged),
        })
        .collect();
    let with_case: Vec<(&NewReport, i64)> = reports
        .iter()
        .zip(&case_of)
        .map(|(r, (case_id, _))| (*r, *case_id))
        .collect();

    // 4. Signals, reports (ids mapped back by receipt), evidence and webhooks.
    let signals: Vec<(&NewSignal, i64, i64)> = with_case
        .iter()
        .flat_map(|(r, case_id)| {
            r.case
                .signals
                .iter()
                .map(move |s| (s, *case_id, r.report.created_at))
        })
        .collect();
    for run in runs(&signals) {
        let mut q = QueryBuilder::<Sqlite>::new(
            "INSERT INTO signals (case_id, at, source, kind, scan_id, details) ",
        );
        q.push_values(run, |mut b, (s, case_id, at)| {
            b.push_bind(case_id)
                .push_bind(at)
                .push_bind(&s.source)
                .push_bind(&s.kind)
                .push_bind(None::<i64>)
                .push_bind(s.details.to_string());
        });
        q.build().execute(&mut *tx).await.map_err(backend)?;
    }
    let mut report_ids: HashMap<String, i64> = HashMap::new();
    for run in runs(&with_case) {
        let mut q = QueryBuilder::<Sqlite>::new(
            "INSERT INTO reports (receipt_hash, case_id, reason, in_danger, for_friend, channel, \
             content_id, account_id, content_url, platform_report_id, reporter_key, \
             reporter_is_child, lang, country, contact_key, contact_blob, flagged, created_at, \
             due_at) ",
        );
        q.push_values(run, |mut b, (n, case_id)| {
            let r = &n.report;
            let (key, blob) = match &r.contact_sealed {
                Some((k, b)) => (Some(k.as_slice()), Some(b.as_slice())),
                None => (None, None),
            };
            b.push_bind(&n.receipt_hash)
                .push_bind(case_id)
                .push_bind(r.reason.name())
                .push_bind(r.in_danger)
                .push_bind(r.for_friend)
                .push_bind(&r.channel)
                .push_bind(&r.content_id)
                .push_bind(&r.account_id)
                .push_bind(&r.content_url)
                .push_bind(&r.platform_report_id)
                .push_bind(&r.reporter_key)
                .push_bind(r.reporter_is_child)
                .push_bind(&r.lang)
                .push_bind(&r.country)
                .push_bind(key)
                .push_bind(blob)
                .push_bind(r.flagged)
                .push_bind(r.created_at)
                .push_bind(r.due_at);
        });
        q.push(" RETURNING id, receipt_hash");
        let rows = q.build().fetch_all(&mut *tx).await.map_err(|e| match &e {
            sqlx::Error::Database(d) if d.is_unique_violation() => {
                StoreError::Conflict("receipt code already used".into())
            }
            _ => backend(e),
        })?;
        for r in rows {
            report_ids.insert(r.get("receipt_hash"), r.get("id"));
        }
    }
    let evidence: Vec<(&NewEvidence, i64, i64)> = with_case
        .iter()
        .flat_map(|(r, case_id)| {
            r.evidence
                .iter()
                .map(move |e| (e, *case_id, r.report.created_at))
        })
        .collect();
    for run in runs(&evidence) {
        let mut q = QueryBuilder::<Sqlite>::new(
            "INSERT INTO evidence (case_id, content_id, sha256, size, media_type, blob_path, \
             sealed_blob, wrapped_key, created_at, retain_until) ",
        );
        q.push_values(run, |mut b, (ev, case_id, at)| {
            b.push_bind(case_id)
                .push_bind(&ev.content_id)
                .push_bind(&ev.sha256)
                .push_bind(ev.size)
                .push_bind(&ev.media_type)
                .push_bind(ev.blob.file().unwrap_or(""))
                .push_bind(match &ev.blob {
                    SealedBlob::InRow(bytes) => Some(bytes.as_slice()),
                    SealedBlob::InFile(_) => None,
                })
                .push_bind(ev.wrapped_key.as_slice())
                .push_bind(at)
                .push_bind(ev.retain_until);
        });
        q.build().execute(&mut *tx).await.map_err(backend)?;
    }
    let outbox: Vec<(&NewOutbox, i64, i64)> = with_case
        .iter()
        .flat_map(|(r, case_id)| {
            r.outbox
                .iter()
                .map(move |m| (m, *case_id, r.report.created_at))
        })
        .collect();
    for run in runs(&outbox) {
        let mut q = QueryBuilder::<Sqlite>::new(
            "INSERT INTO outbox (event, case_id, content_id, payload, created_at, attempts, \
             next_attempt_at, status) ",
        );
        q.push_values(run, |mut b, (m, case_id, at)| {
            b.push_bind(&m.event)
                .push_bind(case_id)
                .push_bind(&m.content_id)
                .push_bind(m.payload.to_string())
                .push_bind(at)
                .push_bind(0i64)
                .push_bind(at)
                .push_bind("pending");
        });
        q.build().execute(&mut *tx).await.map_err(backend)?;
    }
    tx.commit().await.map_err(backend)?;
    reports
        .iter()
        .zip(case_of)
        .map(|(n, (case_id, merged))| {
            Ok(ReportCommitted {
                report_id: *report_ids
                    .get(&n.receipt_hash)
                    .ok_or_else(|| StoreError::Backend("a new report has no id".into()))?,
                case_id,
                merged,
            })
        })
        .collect()
}

impl SqliteStore {
    pub(crate) async fn reports_of_case(
        &self,
        case_id: i64,
    ) -> StoreResult<(Vec<Report>, Vec<Appeal>)> {
        let reports = sqlx::query("SELECT * FROM reports WHERE case_id = ? ORDER BY id")
            .bind(case_id)
            .fetch_all(&self.read)
            .await
            .map_err(backend)?
            .iter()
            .map(report_from)
            .collect::<StoreResult<_>>()?;
        let appeals = sqlx::query("SELECT * FROM appeals WHERE case_id = ? ORDER BY id")
            .bind(case_id)
            .fetch_all(&self.read)
            .await
            .map_err(backend)?
            .iter()
            .map(appeal_from)
            .collect::<StoreResult<_>>()?;
        Ok((reports, appeals))
    }

    pub(crate) async fn commit_report_impl(&self, n: NewReport) -> StoreResult<ReportCommitted> {
        let (reply, answer) = tokio::sync::oneshot::channel();
        self.reports
            .send((n, reply))
            .await
            .map_err(|_| StoreError::Backend("the report writer has stopped".into()))?;
        answer
            .await
            .map_err(|_| StoreError::Backend("the report writer has stopped".into()))?
    }

    pub(crate) async fn reporter_record_impl(
        &self,
        reporter_key: &str,
        since: i64,
    ) -> StoreResult<(i64, i64)> {
        // The latest decision of each reported case counts.
        let row = sqlx::query(
            "SELECT \
               COALESCE(SUM(d.action = 'no_violation'), 0) AS rejected, COUNT(d.id) AS decided \
             FROM reports r \
             JOIN decisions d ON d.id = (SELECT MAX(id) FROM decisions WHERE case_id = r.case_id) \
             WHERE r.reporter_key = ? AND r.created_at >= ?",
        )
        .bind(reporter_key)
        .bind(since)
        .fetch_one(&self.read)
        .await
        .map_err(backend)?;
        Ok((row.get("rejected"), row.get("decided")))
    }

    async fn case_and_latest(&self, case_id: i64) -> StoreResult<(Case, Option<Decision>)> {
        let sql = format!(
            "SELECT {CASE_COLUMNS} FROM cases c LEFT JOIN users u ON u.id = c.assigned_to WHERE c.id = ?"
        );
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(case_id)
            .fetch_optional(&self.read)
            .await
            .map_err(backend)?
            .ok_or_else(|| StoreError::NotFound(format!("case {case_id}")))?;
        let latest = sqlx::query(
            "SELECT d.*, u.username AS reviewer FROM decisions d JOIN users u ON u.id = d.reviewer_id \
             WHERE d.case_id = ? ORDER BY d.id DESC LIMIT 1",
        )
        .bind(case_id)
        .fetch_optional(&self.read)
        .await
        .map_err(backend)?;
        Ok((
            case_from(&row)?,
            latest.as_ref().map(decision_from).transpose()?,
        ))
    }

    pub(crate) async fn receipt_impl(&self, code_hash: &str) -> StoreResult<Option<Receipt>> {
        if let Some(row) = sqlx::query("SELECT * FROM reports WHERE receipt_hash = ?")
            .bind(code_hash)
            .fetch_optional(&self.read)
            .await
            .map_err(backend)?
        {
            let report = report_from(&row)?;
            let (case, latest) = self.case_and_latest(report.case_id).await?;
            return Ok(Some(Receipt::Report {
                report: Box::new(report),
                case: Box::new(case),
                latest,
            }));
        }
        if let Some(row) = sqlx::query("SELECT * FROM appeals WHERE receipt_hash = ?")
            .bind(code_hash)
            .fetch_optional(&self.read)
            .await
            .map_err(backend)?
        {
            let appeal = appeal_from(&row)?;
            let (case, _) = self.case_and_latest(appeal.case_id).await?;
            return Ok(Some(Receipt::Appeal {
                appeal: Box::new(appeal),
                case: Box::new(case),
            }));
        }
        Ok(None)
    }

    pub(crate) async fn appealable_impl(
        &self,
        decision_id: Option<i64>,
        code_hash: Option<&str>,
    ) -> StoreResult<Option<AppealableDecision>> {
        let (decision_id, appeal_until) = match (decision_id, code_hash) {
            (_, Some(hash)) => {
                let Some(row) = sqlx::query(
                    "SELECT decision_id, appeal_until FROM appeal_codes WHERE code_hash = ?",
                )
                .bind(hash)
                .fetch_optional(&self.read)
                .await
                .map_err(backend)?
                else {
                    return Ok(None);
                };
                (
                    row.get::<i64, _>("decision_id"),
                    Some(row.get("appeal_until")),
                )
            }
            (Some(id), None) => {
                let until: Option<i64> = sqlx::query_scalar(
                    "SELECT appeal_until FROM appeal_codes WHERE decision_id = ?",
                )
                .bind(id)
                .fetch_optional(&self.read)
                .await
                .map_err(backend)?;
                (id, until)
            }
            (None, None) => return Ok(None),
        };
        let Some(row) = sqlx::query(
            "SELECT d.*, u.username AS reviewer FROM decisions d JOIN users u ON u.id = d.reviewer_id \
             WHERE d.id = ?",
        )
        .bind(decision_id)
        .fetch_optional(&self.read)
        .await
        .map_err(backend)?
        else {
            return Ok(None);
        };
        let decision = decision_from(&row)?;
        let (case, _) = self.case_and_latest(decision.case_id).await?;
        let appeal = sqlx::query("SELECT * FROM appeals WHERE decision_id = ?")
            .bind(decision_id)
            .fetch_optional(&self.read)
            .await
            .map_err(backend)?
            .as_ref()
            .map(appeal_from)
            .transpose()?;
        Ok(Some(AppealableDecision {
            decision,
            case,
            appeal_until,
            appeal,
        }))
    }

    pub(crate) async fn commit_appeal_impl(&self, n: NewAppeal) -> StoreResult<Appeal> {
        let mut tx = self.begin().await?;
        let row = sqlx::query("SELECT case_id, reviewer_id, action FROM decisions WHERE id = ?")
            .bind(n.decision_id)
            .fetch_optional(&mut *tx)
            .await
            .map_err(backend)?
            .ok_or_else(|| StoreError::NotFound(format!("decision {}", n.decision_id)))?;
        let case_id: i64 = row.get("case_id");
        let reviewer_id: i64 = row.get("reviewer_id");
        let latest: i64 = sqlx::query_scalar("SELECT MAX(id) FROM decisions WHERE case_id = ?")
            .bind(case_id)
            .fetch_one(&mut *tx)
            .await
            .map_err(backend)?;
        if latest != n.decision_id {
            return Err(StoreError::Conflict(
                "this decision was already replaced by a later one".into(),
            ));
        }
        let (contact_key, contact_blob) = match &n.contact_sealed {
            Some((k, b)) => (Some(k.as_slice()), Some(b.as_slice())),
            None => (None, None),
        };
        let id = sqlx::query(
            "INSERT INTO appeals (receipt_hash, case_id, decision_id, appealed_reviewer_id, \
             statement, channel, lang, contact_key, contact_blob, status, created_at) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?)",
        )
        .bind(&n.receipt_hash)
        .bind(case_id)
        .bind(n.decision_id)
        .bind(reviewer_id)
        .bind(&n.statement)
        .bind(&n.channel)
        .bind(&n.lang)
        .bind(contact_key)
        .bind(contact_blob)
        .bind(n.at)
        .execute(&mut *tx)
        .await
        .map_err(|e| match &e {
            sqlx::Error::Database(d) if d.is_unique_violation() => {
                StoreError::Conflict("this decision has already been appealed".into())
            }
            _ => backend(e),
        })?
        .last_insert_rowid();
        // The case goes back to the queue; priority only goes up, the due time only earlier.
        sqlx::query(
            "UPDATE cases SET status = 'open', assigned_to = NULL, lock_until = NULL, \
             priority = MAX(priority, ?), due_at = MIN(COALESCE(due_at, ?), ?), updated_at = ? \
             WHERE id = ?",
        )
        .bind(priority_to(n.priority))
        .bind(n.due_at)
        .bind(n.due_at)
        .bind(n.at)
        .bind(case_id)
        .execute(&mut *tx)
        .await
        .map_err(backend)?;
        sqlx::query(
            "INSERT INTO signals (case_id, at, source, kind, scan_id, details) \
             VALUES (?, ?, 'appeal', 'appeal', NULL, ?)",
        )
        .bind(case_id)
        .bind(n.at)
        .bind(serde_json::json!({"appeal_id": id, "decision_id": n.decision_id}).to_string())
        .execute(&mut *tx)
        .await
        .map_err(backend)?;
        append_audit_tx(&mut tx, &n.audit, n.at).await?;
        let row = sqlx::query("SELECT * FROM appeals WHERE id = ?")
            .bind(id)
            .fetch_one(&mut *tx)
            .await
            .map_err(backend)?;
        let appeal = appeal_from(&row)?;
        tx.commit().await.map_err(backend)?;
        Ok(appeal)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn runs_cover_every_row() {
        let rows: Vec<u32> = (0..151).collect();
        let sizes: Vec<usize> = super::runs(&rows).map(<[u32]>::len).collect();
        assert_eq!(sizes, vec![64, 64, 23]);
        assert_eq!(super::runs(&rows).flatten().count(), 151);
        assert_eq!(super::runs::<u32>(&[]).count(), 0);
    }
}
