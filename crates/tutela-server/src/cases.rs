//! Reviewing: taking a case, deciding it (with its webhook and audit entry in the same commit),
//! and banking confirmed content so it cannot come back.

use crate::auth::Principal;
use crate::error::{ApiError, ApiResult};
use crate::state::Shared;
use serde::Deserialize;
use serde_json::json;
use tutela_bank::{
    BankKind, BankSettings, EntryRef, HashKind, ImportOptions, NewBank, ParseOutput, ParsedRecord,
    Record, Store as BankStore,
};
use tutela_core::*;
use utoipa::ToSchema;

#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecideInput {
    /// remove, restore, restrict_account, escalate_to_authority or no_violation.
    pub action: String,
    /// illegal_content, terms_of_service or none.
    pub ground: String,
    /// The platform policy (or law) the decision applies, e.g. `csam-1`.
    pub policy_id: String,
    /// Plain-words explanation; goes into the statement of reasons.
    pub explanation: String,
}

/// A case the caller may see, or 404/403.
pub async fn visible_case(state: &Shared, principal: &Principal, id: i64) -> ApiResult<CaseDetail> {
    let user = principal.user()?;
    let detail = state
        .store
        .case_detail(id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("case {id}")))?;
    if !user.role.can_view_queue(detail.case.queue) {
        return Err(ApiError::forbidden(format!(
            "the {} role may not open {} cases",
            user.role, detail.case.queue
        )));
    }
    Ok(detail)
}

pub async fn assign(state: &Shared, principal: &Principal, id: i64) -> ApiResult<Case> {
    let detail = visible_case(state, principal, id).await?;
    let user = principal.require_role(|r| r.can_decide(detail.case.queue))?;
    let now = crate::now();
    let until = now + i64::from(state.config.review.lock_minutes) * 60;
    Ok(state
        .store
        .assign_case(
            id,
            user.id,
            until,
            now,
            NewAudit {
                actor: principal.actor(),
                action: "case.assign".into(),
                subject: format!("case:{id}"),
                details: json!({"lock_until": crate::rfc3339(until)}),
            },
        )
        .await?)
}

pub async fn decide(
    state: &Shared,
    principal: &Principal,
    id: i64,
    input: DecideInput,
) -> ApiResult<Decision> {
    let detail = visible_case(state, principal, id).await?;
    let user = principal
        .require_role(|r| r.can_decide(detail.case.queue))?
        .clone();
    let action: DecisionAction = input.action.parse().map_err(ApiError::bad_request)?;
    let ground: Ground = input.ground.parse().map_err(ApiError::bad_request)?;
    let policy_id = input.policy_id.trim().to_string();
    let explanation = input.explanation.trim().to_string();
    if policy_id.is_empty() || policy_id.len() > 200 {
        return Err(ApiError::bad_request(
            "policy_id must be 1 to 200 characters",
        ));
    }
    if explanation.is_empty() || explanation.len() > 5000 {
        return Err(ApiError::bad_request(
            "explanation must be 1 to 5000 characters",
        ));
    }
    if action.confirms_violation() && ground == Ground::NoGround {
        return Err(ApiError::bad_request(format!(
            "a `{action}` decision needs a ground: illegal_content or terms_of_service"
        )));
    }
    if !action.confirms_violation() && ground != Ground::NoGround {
        return Err(ApiError::bad_request(format!(
            "a `{action}` decision takes the ground `none`"
        )));
    }
    let case = &detail.case;
    let now = crate::now();
    let open_appeal = detail.open_appeal().cloned();
    // Checked again in the store's transaction; here for a clear answer.
    let appeal_outcome = match &open_appeal {
        Some(appeal) => {
            tutela_core::report::check_appeal_reviewer(appeal.appealed_reviewer_id, user.id)
                .map_err(|m| ApiError::new(axum::http::StatusCode::CONFLICT, "conflict", m))?;
            Some(tutela_core::report::resolve_appeal(action).map_err(ApiError::bad_request)?)
        }
        None => None,
    };
    let crate::reports::Remedies {
        mut outbox,
        reports_seen,
        appeal_code,
        redress: appeal,
    } = crate::reports::decision_remedies(state, &detail, action, now)?;
    let automated = detail.signals.iter().any(|s| s.source == "scan");
    if let Some(event) = action.webhook_event() {
        outbox.insert(
            0,
            NewOutbox {
                event: event.to_string(),
                content_id: case.content_id.clone(),
                // The statement of reasons for the affected user (EU DSA art. 17): never who
                // reported.
                payload: json!({
                    "event": event,
                    "case_id": id,
                    "content_id": case.content_id,
                    "uploader_id": case.uploader_id,
                    "decision": action,
                    "statement_of_reasons": {
                        "ground": ground,
                        "policy_id": policy_id,
                        "explanation": explanation,
                        "automated_detection": automated,
                        "automated_decision": false,
                        "on_appeal": open_appeal.is_some(),
                        "redress": appeal,
                    },
                }),
            },
        );
    }
    let decision = state
        .store
        .commit_decision(NewDecision {
            case_id: id,
            reviewer_id: user.id,
            policy_id: policy_id.clone(),
            ground,
            explanation: explanation.clone(),
            action,
            at: now,
            outbox,
            audit: vec![NewAudit {
                actor: principal.actor(),
                action: "case.decision".into(),
                subject: format!("case:{id}"),
                details: match &open_appeal {
                    Some(a) => json!({"action": action, "appeal": a.id, "ground": ground,
                        "policy_id": policy_id}),
                    None => json!({"action": action, "ground": ground, "policy_id": policy_id}),
                },
            }],
            reports_seen,
            appeal_code,
        })
        .await?;
    if let (Some(appeal), Some(outcome)) = (&open_appeal, appeal_outcome) {
        state
            .metrics
            .appeals
            .get_or_create(&crate::metrics::OutcomeLabel {
                outcome: outcome.name().into(),
            })
            .inc();
        tracing::info!(case = id, appeal = appeal.id, outcome = %outcome, "appeal decided");
    }
    state.outbox_notify.notify_one();
    if action.confirms_violation()
        && !case.bank_on_confirm.is_empty()
        && let Err(e) = bank_confirmed(state, principal, &detail).await
    {
        tracing::error!(case = id, error = %e, "banking confirmed content failed");
    }
    if action == DecisionAction::Restore
        && !case.bank_on_confirm.is_empty()
        && let Err(e) = unbank_restored(state, principal, case).await
    {
        tracing::error!(case = id, error = %e, "taking restored content out of the banks failed");
    }
    Ok(decision)
}

/// Content restored (an appeal granted) comes out of the `bank_on_confirm` banks again, or its
/// next upload would be blocked: the entries are disabled (kept, for the history).
async fn unbank_restored(state: &Shared, principal: &Principal, case: &Case) -> anyhow::Result<()> {
    let pdq = case.media_hashes["pdq"].as_str().map(str::to_string);
    let sha = case.media_hashes["sha256"].as_str().map(str::to_string);
    if pdq.is_none() && sha.is_none() {
        return Ok(());
    }
    let data = state.data.clone();
    let banks = case.bank_on_confirm.clone();
    let disabled = tokio::task::spawn_blocking(move || -> anyhow::Result<Vec<String>> {
        let mut store = BankStore::open(&data)?;
        let mut disabled = Vec::new();
        for bank in &banks {
            for (name, hash) in [
                (bank.clone(), pdq.clone()),
                (format!("{bank}-sha256"), sha.clone()),
            ] {
                let Some(hash) = hash else { continue };
                if store.bank(&name).is_err() {
                    continue;
                }
                match store.set_entry_enabled(
                    &name,
                    &EntryRef::Hash(hash.to_ascii_lowercase()),
                    false,
                ) {
                    Ok(true) => disabled.push(name),
                    Ok(false) => {}
                    Err(tutela_bank::StoreError::NoSuchEntry { .. }) => {}
                    Err(e) => return Err(e.into()),
                }
            }
        }
        Ok(disabled)
    })
    .await??;
    if disabled.is_empty() {
        return Ok(());
    }
    state
        .store
        .append_audit(
            vec![NewAudit {
                actor: principal.actor(),
                action: "bank.disable".into(),
                subject: format!("case:{}", case.id),
                details: json!({"banks": disabled, "reason": "content restored on review"}),
            }],
            crate::now(),
        )
        .await?;
    crate::reload_banks(state).await?;
    Ok(())
}

/// Adds the case's hashes to its `bank_on_confirm` banks (created if missing), then reloads
/// the matcher so the next upload of the same or a near-identical image is caught.
async fn bank_confirmed(
    state: &Shared,
    principal: &Principal,
    detail: &CaseDetail,
) -> anyhow::Result<()> {
    let case = &detail.case;
    // The bank carries what was confirmed (e.g. `csam`), so the rules treat a re-upload as
    // they treated the original: a bank's labels are its matches' categories.
    let mut labels: Vec<String> = detail
        .signals
        .iter()
        .flat_map(|s| {
            let d = &s.details;
            d["categories"]
                .as_array()
                .into_iter()
                .flatten()
                .chain(std::iter::once(&d["category"]))
                .filter_map(|c| c.as_str().map(str::to_string))
                .collect::<Vec<_>>()
        })
        .filter(|c| c != "other" && c != "confirmed")
        .collect();
    labels.sort();
    labels.dedup();
    labels.push("confirmed".into());
    let pdq = case.media_hashes["pdq"].as_str().map(str::to_string);
    let quality = case.media_hashes["quality"]
        .as_u64()
        .map(|q| q.min(100) as u8);
    let sha = case.media_hashes["sha256"].as_str().map(str::to_string);
    if pdq.is_none() && sha.is_none() {
        return Ok(());
    }
    let data = state.data.clone();
    let banks = case.bank_on_confirm.clone();
    let case_id = case.id;
    let added = tokio::task::spawn_blocking(move || -> anyhow::Result<Vec<String>> {
        let mut store = BankStore::open(&data)?;
        let mut added = Vec::new();
        for bank in &banks {
            for (kind, name, hash) in [
                (HashKind::Pdq, bank.clone(), pdq.clone()),
                (HashKind::Sha256, format!("{bank}-sha256"), sha.clone()),
            ] {
                let Some(hash) = hash else { continue };
                match store.bank(&name) {
                    Err(_) => {
                        let mut spec = NewBank::new(&name, BankKind::Block, kind);
                        spec.labels = labels.clone();
                        spec.source = Some("tutela: confirmed by a reviewer".into());
                        store.create_bank(&spec)?;
                    }
                    Ok(info) if labels.iter().any(|l| !info.labels.contains(l)) => {
                        let mut all = info.labels.clone();
                        all.extend(labels.iter().filter(|l| !info.labels.contains(l)).cloned());
                        store.update_settings(
                            &name,
                            &BankSettings {
                                labels: Some(all),
                                ..Default::default()
                            },
                        )?;
                    }
                    Ok(_) => {}
                }
                let parsed = ParseOutput {
                    records: vec![ParsedRecord {
                        line: 1,
                        record: Record {
                            hash: hash.to_ascii_lowercase(),
                            quality: if kind == HashKind::Pdq { quality } else { None },
                            labels: vec!["confirmed".into()],
                            external_id: Some(format!("case:{case_id}")),
                            note: None,
                        },
                    }],
                    errors: vec![],
                    ignored: vec![],
                };
                store.import(&name, &parsed, &ImportOptions::default())?;
                added.push(name);
            }
        }
        Ok(added)
    })
    .await??;
    state
        .store
        .append_audit(
            vec![NewAudit {
                actor: principal.actor(),
                action: "bank.add".into(),
                subject: format!("case:{case_id}"),
                details: json!({"banks": added, "reason": "confirmed by review"}),
            }],
            crate::now(),
        )
        .await?;
    crate::reload_banks(state).await?;
    Ok(())
}
