//! Reports, appeals and appeal codes on SQLite.

use super::*;
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
    // The case's reports now count in their reporters' records (migration 0006).
    sqlx::query("UPDATE reports SET decided = 1 WHERE case_id = ? AND decided = 0")
        .bind(d.case_id)
        .execute(&mut **tx)
        .await
        .map_err(backend)?;
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
             WHERE r.reporter_key = ? AND r.decided = 1 AND r.created_at >= ?",
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
