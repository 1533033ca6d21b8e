//! The behaviour every `Store` backend must have. Written against `&dyn Store` so a PostgreSQL
//! backend can run the same checks.

use ed25519_dalek::SigningKey;
use serde_json::json;
use tutela_core::Store;
use tutela_core::audit::{self, ChainVerifier};
use tutela_core::*;
use tutela_store_sqlite::SqliteStore;

fn audit_entry(action: &str, subject: &str) -> NewAudit {
    NewAudit {
        actor: "system".into(),
        action: action.into(),
        subject: subject.into(),
        details: json!({}),
    }
}

fn case_for(content: &str, queue: Queue, priority: Priority, due_at: Option<i64>) -> CaseUpsert {
    CaseUpsert {
        subject_kind: SubjectKind::Content,
        subject_id: content.into(),
        content_id: Some(content.into()),
        uploader_id: Some("u1".into()),
        surface: Surface::Post,
        queue,
        priority,
        due_at,
        title: format!("match on {content}"),
        media_hashes: json!({"pdq": "00"}),
        bank_on_confirm: vec!["confirmed".into()],
        signals: vec![NewSignal {
            source: "scan".into(),
            kind: "hash_match".into(),
            details: json!({"bank": "demo", "distance": 3}),
        }],
    }
}

fn scan(content: &str, at: i64, case: Option<CaseUpsert>) -> NewScan {
    NewScan {
        content_id: content.into(),
        uploader_id: Some("u1".into()),
        surface: Surface::Post,
        event: json!({"event_id": content}),
        outcome: json!({"verdict": "block"}),
        response: json!({"verdict": "block"}),
        at,
        case,
        evidence: None,
        outbox: vec![NewOutbox {
            event: "remove".into(),
            content_id: Some(content.into()),
            payload: json!({"content_id": content}),
        }],
        audit: vec![audit_entry("scan.block", content)],
    }
}

async fn run_contract(store: &dyn Store) {
    // People.
    let admin = store
        .create_user(
            "ada",
            "h",
            Role::Admin,
            1,
            audit_entry("user.create", "ada"),
        )
        .await
        .unwrap();
    let rev = store
        .create_user(
            "rex",
            "h",
            Role::Reviewer,
            1,
            audit_entry("user.create", "rex"),
        )
        .await
        .unwrap();
    assert!(matches!(
        store
            .create_user(
                "ada",
                "h",
                Role::Auditor,
                1,
                audit_entry("user.create", "ada")
            )
            .await,
        Err(StoreError::Conflict(_))
    ));
    store
        .create_session("tok", admin.id, "csrf", 100)
        .await
        .unwrap();
    assert_eq!(
        store.session("tok", 50).await.unwrap().unwrap().0.username,
        "ada"
    );
    assert!(
        store.session("tok", 100).await.unwrap().is_none(),
        "expired"
    );

    // A scan opens a case; a second scan of other content opens another; the same content
    // cannot be committed twice.
    let first = store
        .commit_scan(scan(
            "c1",
            10,
            Some(case_for("c1", Queue::General, Priority::Normal, None)),
        ))
        .await
        .unwrap();
    let case_id = first.case_id.unwrap();
    assert_eq!(first.response["case_id"], json!(case_id));
    assert!(matches!(
        store.commit_scan(scan("c1", 11, None)).await,
        Err(StoreError::Conflict(_))
    ));
    let again = store.scan_by_content_id("c1").await.unwrap().unwrap();
    assert_eq!(again.response, first.response);

    // A second signal about the same subject joins the open case and only raises it.
    let mut more = scan(
        "c1-report",
        12,
        Some(case_for(
            "c1",
            Queue::ChildSafety,
            Priority::Critical,
            Some(500),
        )),
    );
    more.case.as_mut().unwrap().subject_id = "c1".into();
    let joined = store.commit_scan(more).await.unwrap();
    assert_eq!(joined.case_id, Some(case_id));
    let other = store
        .commit_scan(scan(
            "c2",
            13,
            Some(case_for("c2", Queue::General, Priority::High, None)),
        ))
        .await
        .unwrap();
    let detail = store.case_detail(case_id).await.unwrap().unwrap();
    assert_eq!(detail.case.queue, Queue::ChildSafety);
    assert_eq!(detail.case.priority, Priority::Critical);
    assert_eq!(detail.case.due_at, Some(500));
    assert_eq!(detail.signals.len(), 2);
    assert_eq!(detail.outbox.len(), 2);

    // Queue order: critical first; queues filter what a role may see.
    let q = store
        .queue(&[Queue::General, Queue::ChildSafety], 10)
        .await
        .unwrap();
    assert_eq!(
        q.iter().map(|c| c.id).collect::<Vec<_>>(),
        vec![case_id, other.case_id.unwrap()]
    );
    let general_only = store.queue(&[Queue::General], 10).await.unwrap();
    assert_eq!(general_only.len(), 1);

    // Locks: one reviewer at a time; the decision needs the lock.
    store
        .assign_case(case_id, admin.id, 1000, 20, audit_entry("case.assign", "1"))
        .await
        .unwrap();
    assert!(matches!(
        store
            .assign_case(case_id, rev.id, 1000, 21, audit_entry("case.assign", "1"))
            .await,
        Err(StoreError::Conflict(_))
    ));
    let decision = NewDecision {
        case_id,
        reviewer_id: rev.id,
        policy_id: "csam-1".into(),
        ground: Ground::IllegalContent,
        explanation: "known material".into(),
        action: DecisionAction::Remove,
        at: 22,
        outbox: vec![],
        audit: vec![audit_entry("case.decide", "1")],
        reports_seen: vec![],
        appeal_code: None,
    };
    assert!(matches!(
        store.commit_decision(decision.clone()).await,
        Err(StoreError::Conflict(_))
    ));
    let d = store
        .commit_decision(NewDecision {
            reviewer_id: admin.id,
            outbox: vec![NewOutbox {
                event: "remove".into(),
                content_id: Some("c1".into()),
                payload: json!({}),
            }],
            ..decision
        })
        .await
        .unwrap();
    assert_eq!(d.reviewer, "ada");
    let detail = store.case_detail(case_id).await.unwrap().unwrap();
    assert_eq!(detail.case.status, CaseStatus::Decided);
    assert_eq!(detail.decisions.len(), 1);
    assert_eq!(
        detail.outbox.len(),
        3,
        "the decision's webhook is in the same commit"
    );

    // Search by content id, uploader or text, within the allowed queues.
    let found = store
        .search_cases(&CaseQuery {
            text: Some("c2".into()),
            queues: vec![Queue::General],
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(found.len(), 1);
    let hidden = store
        .search_cases(&CaseQuery {
            text: Some("c1".into()),
            queues: vec![Queue::General],
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(
        hidden.is_empty(),
        "child-safety case hidden from a general-only search"
    );

    // Outbox: retries, giving up, and a manual retry.
    let due = store.due_outbox(100, 10).await.unwrap();
    assert_eq!(due.len(), 4);
    store.outbox_delivered(due[0].id, 100).await.unwrap();
    store
        .outbox_attempt_failed(due[1].id, "HTTP 500", Some(200))
        .await
        .unwrap();
    store
        .outbox_attempt_failed(due[2].id, "refused", None)
        .await
        .unwrap();
    assert_eq!(store.due_outbox(150, 10).await.unwrap().len(), 1);
    let failed = store.failed_outbox(10).await.unwrap();
    assert!(failed.iter().any(|m| m.status == OutboxStatus::Failed));
    let counts = store.counts().await.unwrap();
    assert_eq!(counts.outbox_failed, 1);
    store
        .retry_outbox(due[2].id, 160, audit_entry("webhook.retry", "x"))
        .await
        .unwrap();
    assert_eq!(store.counts().await.unwrap().outbox_failed, 0);

    // Evidence: retention and legal hold.
    let mut with_evidence = scan(
        "c3",
        30,
        Some(case_for("c3", Queue::ChildSafety, Priority::High, None)),
    );
    with_evidence.evidence = Some(NewEvidence {
        content_id: Some("c3".into()),
        sha256: "ab".into(),
        size: 5,
        media_type: "image/png".into(),
        blob: SealedBlob::InFile("evidence/x.bin".into()),
        wrapped_key: vec![1, 2, 3],
        retain_until: 100,
    });
    let ev = store
        .commit_scan(with_evidence)
        .await
        .unwrap()
        .evidence_id
        .unwrap();
    let stored = store.evidence(ev).await.unwrap().unwrap();
    assert_eq!(stored.wrapped_key, vec![1, 2, 3]);
    assert_eq!(stored.blob, SealedBlob::InFile("evidence/x.bin".into()));
    // A small blob kept in its row comes back byte for byte and has no file to sweep.
    let mut in_row = scan("c3-row", 30, None);
    in_row.evidence = Some(NewEvidence {
        content_id: Some("c3-row".into()),
        sha256: "cd".into(),
        size: 3,
        media_type: "text/plain".into(),
        blob: SealedBlob::InRow(vec![7, 8, 9, 10]),
        wrapped_key: vec![4, 5],
        retain_until: 1_000,
    });
    let row_ev = store
        .commit_scan(in_row)
        .await
        .unwrap()
        .evidence_id
        .unwrap();
    assert_eq!(
        store.evidence(row_ev).await.unwrap().unwrap().blob,
        SealedBlob::InRow(vec![7, 8, 9, 10])
    );
    assert_eq!(
        store.evidence_blob_paths().await.unwrap(),
        vec!["evidence/x.bin".to_string()]
    );
    store
        .mark_purged(row_ev, 50, audit_entry("evidence.purge", "row"))
        .await
        .unwrap();
    let shredded = store.evidence(row_ev).await.unwrap().unwrap();
    assert!(shredded.wrapped_key.is_empty());
    assert_eq!(
        shredded.blob,
        SealedBlob::InRow(vec![]),
        "purging drops the ciphertext too"
    );
    assert!(store.expired_evidence(99, 10).await.unwrap().is_empty());
    store
        .set_legal_hold(ev, true, 40, audit_entry("evidence.hold", "x"))
        .await
        .unwrap();
    assert!(
        store.expired_evidence(200, 10).await.unwrap().is_empty(),
        "held"
    );
    store
        .set_legal_hold(ev, false, 41, audit_entry("evidence.release", "x"))
        .await
        .unwrap();
    assert_eq!(store.expired_evidence(200, 10).await.unwrap().len(), 1);
    store
        .mark_purged(ev, 200, audit_entry("evidence.purge", "x"))
        .await
        .unwrap();
    let purged = store.evidence(ev).await.unwrap().unwrap();
    assert!(purged.purged_at.is_some() && purged.wrapped_key.is_empty());

    // The audit log is a valid chain, checkpointable.
    let key = SigningKey::from_bytes(&[3u8; 32]);
    let head = store.audit_head().await.unwrap().unwrap();
    store
        .add_checkpoint(&audit::sign_checkpoint(&key, head, 300))
        .await
        .unwrap();
    let cps = store.checkpoints().await.unwrap();
    let mut v = ChainVerifier::new(cps.iter().map(|c| c.seq));
    let mut after = 0;
    loop {
        let batch = store.audit_entries(after, 3).await.unwrap();
        if batch.is_empty() {
            break;
        }
        for e in &batch {
            v.push(e).unwrap();
            after = e.seq;
        }
    }
    assert_eq!(v.finish(&cps, &key.verifying_key()).unwrap(), head.seq);
    assert!(
        head.seq >= 12,
        "every write carried its audit entry: {}",
        head.seq
    );
}

#[tokio::test]
async fn sqlite_store_keeps_the_contract_and_survives_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("engine.sqlite");
    let store = SqliteStore::open(&path).await.unwrap();
    run_contract(&store).await;
    let head = store.audit_head().await.unwrap();
    store.close().await;
    let reopened = SqliteStore::open(&path).await.unwrap();
    assert_eq!(reopened.audit_head().await.unwrap(), head);
    assert_eq!(reopened.user_count().await.unwrap(), 2);
}

#[tokio::test]
async fn decisions_cannot_be_edited_in_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("engine.sqlite");
    let store = SqliteStore::open(&path).await.unwrap();
    run_contract(&store).await;
    store.close().await;
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", path.display()))
        .await
        .unwrap();
    let err = sqlx::query("UPDATE decisions SET action = 'no_violation'")
        .execute(&pool)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("append-only"), "{err}");
}

fn report_for(content: &str, receipt: &str, reporter: &str, at: i64) -> NewReport {
    let mut case = case_for(
        content,
        Queue::ChildSafety,
        Priority::Critical,
        Some(at + 3600),
    );
    case.signals[0].source = "report".into();
    case.signals[0].kind = "report".into();
    NewReport {
        receipt_hash: report::code_hash(receipt),
        case,
        report: Report {
            id: 0,
            case_id: 0,
            reason: ReportReason::Sextortion,
            in_danger: false,
            for_friend: false,
            channel: "api".into(),
            content_id: Some(content.into()),
            account_id: None,
            content_url: None,
            platform_report_id: Some(format!("p-{receipt}")),
            reporter_is_child: Some(true),
            lang: Some("fr".into()),
            country: Some("FR".into()),
            flagged: false,
            created_at: at,
            due_at: Some(at + 3600),
            reporter_key: Some(reporter.into()),
            contact_sealed: Some((vec![1, 2], vec![3, 4])),
        },
        evidence: vec![],
        outbox: vec![],
    }
}

async fn run_report_contract(store: &dyn Store) {
    let first = store
        .create_user(
            "ann",
            "h",
            Role::ChildSafetyReviewer,
            1,
            audit_entry("user.create", "ann"),
        )
        .await
        .unwrap();
    let second = store
        .create_user(
            "bob",
            "h",
            Role::ChildSafetyReviewer,
            1,
            audit_entry("user.create", "bob"),
        )
        .await
        .unwrap();

    // Two reports of the same content make one case.
    let r1 = store
        .commit_report(report_for("m1", "AAAAA-AAAAA", "k1", 10))
        .await
        .unwrap();
    let r2 = store
        .commit_report(report_for("m1", "BBBBB-BBBBB", "k1", 11))
        .await
        .unwrap();
    assert!(!r1.merged && r2.merged);
    assert_eq!(r1.case_id, r2.case_id);
    assert!(
        matches!(
            store
                .commit_report(report_for("m2", "AAAAA-AAAAA", "k1", 12))
                .await,
            Err(StoreError::Conflict(_))
        ),
        "a receipt code is unique"
    );
    match store
        .receipt(&report::code_hash("AAAAA-AAAAA"))
        .await
        .unwrap()
    {
        Some(Receipt::Report {
            report,
            case,
            latest,
        }) => {
            assert_eq!(report.reason, ReportReason::Sextortion);
            assert_eq!(report.contact_sealed, Some((vec![1, 2], vec![3, 4])));
            assert_eq!(case.status, CaseStatus::Open);
            assert!(latest.is_none());
        }
        other => panic!("expected the report, got {other:?}"),
    }
    assert!(
        store
            .receipt(&report::code_hash("ZZZZZ-ZZZZZ"))
            .await
            .unwrap()
            .is_none()
    );

    // A decision that has not seen every report is refused.
    let decide = |reviewer: i64, action: DecisionAction, seen: Vec<i64>, at: i64| NewDecision {
        case_id: r1.case_id,
        reviewer_id: reviewer,
        policy_id: "p".into(),
        ground: if action.confirms_violation() {
            Ground::TermsOfService
        } else {
            Ground::NoGround
        },
        explanation: "e".into(),
        action,
        at,
        outbox: vec![],
        audit: vec![audit_entry("case.decision", "c")],
        reports_seen: seen,
        appeal_code: None,
    };
    assert!(matches!(
        store
            .commit_decision(decide(
                first.id,
                DecisionAction::Remove,
                vec![r1.report_id],
                20
            ))
            .await,
        Err(StoreError::Conflict(_))
    ));
    let d1 = store
        .commit_decision(NewDecision {
            appeal_code: Some(NewAppealCode {
                code_hash: report::code_hash("CCCCC-CCCCC"),
                appeal_until: 1000,
            }),
            ..decide(
                first.id,
                DecisionAction::Remove,
                vec![r1.report_id, r2.report_id],
                20,
            )
        })
        .await
        .unwrap();
    assert_eq!(store.reporter_record("k1", 0).await.unwrap(), (0, 2));
    assert_eq!(store.reporter_record("k2", 0).await.unwrap(), (0, 0));

    // The affected user appeals with the code; the case goes back to the queue.
    let appealable = store
        .appealable_by_code(&report::code_hash("CCCCC-CCCCC"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (appealable.decision.id, appealable.appeal_until),
        (d1.id, Some(1000))
    );
    assert!(appealable.appeal.is_none());
    assert!(
        store
            .appealable_by_code(&report::code_hash("DDDDD-DDDDD"))
            .await
            .unwrap()
            .is_none()
    );
    let new_appeal = |receipt: &str| NewAppeal {
        receipt_hash: report::code_hash(receipt),
        decision_id: d1.id,
        statement: "it was my own drawing".into(),
        channel: "page".into(),
        lang: Some("en".into()),
        contact_sealed: None,
        at: 30,
        priority: Priority::High,
        due_at: 30 + 72 * 3600,
        audit: vec![audit_entry("appeal.file", "c")],
    };
    let appeal = store
        .commit_appeal(new_appeal("EEEEE-EEEEE"))
        .await
        .unwrap();
    assert_eq!(appeal.appealed_reviewer_id, first.id);
    assert!(
        matches!(
            store.commit_appeal(new_appeal("FFFFF-FFFFF")).await,
            Err(StoreError::Conflict(_))
        ),
        "one appeal per decision"
    );
    let detail = store.case_detail(r1.case_id).await.unwrap().unwrap();
    assert_eq!(detail.case.status, CaseStatus::Open);
    assert_eq!(detail.reports.len(), 2);
    assert_eq!(detail.open_appeal().map(|a| a.id), Some(appeal.id));
    assert!(detail.signals.iter().any(|s| s.kind == "appeal"));

    // The first reviewer may not decide the appeal, and `no_violation` does not answer it.
    let seen = vec![r1.report_id, r2.report_id];
    assert!(matches!(
        store
            .commit_decision(decide(first.id, DecisionAction::Restore, seen.clone(), 40))
            .await,
        Err(StoreError::Conflict(_))
    ));
    assert!(matches!(
        store
            .commit_decision(decide(
                second.id,
                DecisionAction::NoViolation,
                seen.clone(),
                40
            ))
            .await,
        Err(StoreError::Conflict(_))
    ));
    store
        .commit_decision(decide(second.id, DecisionAction::Restore, seen, 40))
        .await
        .unwrap();
    match store
        .receipt(&report::code_hash("EEEEE-EEEEE"))
        .await
        .unwrap()
    {
        Some(Receipt::Appeal { appeal, .. }) => {
            assert_eq!(appeal.status, report::AppealStatus::Overturned);
            assert_eq!(appeal.decided_at, Some(40));
        }
        other => panic!("expected the appeal, got {other:?}"),
    }
    let counts = store.counts().await.unwrap();
    assert_eq!(
        (
            counts.reports_total,
            counts.appeals_overturned,
            counts.appeals_open
        ),
        (2, 1, 0)
    );
    assert!(matches!(
        store.appealable(d1.id).await.unwrap(),
        Some(AppealableDecision {
            appeal: Some(_),
            ..
        })
    ));
}

#[tokio::test]
async fn sqlite_store_keeps_the_report_and_appeal_contract() {
    let (_dir, store) = fresh_store().await;
    run_report_contract(&store).await;
}

/// A burst of concurrent reports is written in groups; the result must be what one report at a
/// time would give: one case per subject (joining a case already open), every row and sealed
/// blob intact, and a report with a used receipt refused without taking its group down.
#[tokio::test]
async fn a_burst_of_reports_is_grouped_without_changing_the_result() {
    let dir = tempfile::tempdir().unwrap();
    let store = std::sync::Arc::new(
        SqliteStore::open(&dir.path().join("engine.sqlite"))
            .await
            .unwrap(),
    );
    let earlier = store
        .commit_report(report_for("s0", "EARLY-00000", "k", 1))
        .await
        .unwrap();
    let mut burst = tokio::task::JoinSet::new();
    for i in 0..120 {
        let store = store.clone();
        let subject = format!("s{}", i % 10);
        let receipt = format!("BURST-{i:05}");
        burst.spawn(async move {
            let mut n = report_for(&subject, &receipt, "k", 100 + i);
            n.case.priority = if i == 55 {
                Priority::Critical
            } else {
                Priority::Low
            };
            n.case.due_at = Some(10_000 - i);
            n.evidence = vec![NewEvidence {
                content_id: Some(subject.clone()),
                sha256: format!("{i:064}"),
                size: 4,
                media_type: "text/plain".into(),
                blob: SealedBlob::InRow(vec![i as u8, 1, 2, 3]),
                wrapped_key: vec![9, i as u8],
                retain_until: 99_999,
            }];
            n.outbox = vec![NewOutbox {
                event: "report.received".into(),
                content_id: Some(subject.clone()),
                payload: json!({"n": i}),
            }];
            (i, subject, store.commit_report(n).await)
        });
    }
    let mut cases: std::collections::HashMap<String, Vec<(i64, bool, i64)>> = Default::default();
    while let Some(joined) = burst.join_next().await {
        let (i, subject, result) = joined.unwrap();
        let c = result.unwrap();
        cases
            .entry(subject)
            .or_default()
            .push((c.case_id, c.merged, i));
    }
    assert_eq!(cases.len(), 10);
    for (subject, placed) in &cases {
        let case_id = placed[0].0;
        assert!(placed.iter().all(|p| p.0 == case_id), "{subject}: one case");
        let opened = placed.iter().filter(|p| !p.1).count();
        if subject == "s0" {
            assert_eq!(
                case_id, earlier.case_id,
                "joins the case open before the burst"
            );
            assert_eq!(opened, 0);
        } else {
            assert_eq!(opened, 1, "{subject}: exactly one report opened the case");
        }
        let detail = store.case_detail(case_id).await.unwrap().unwrap();
        let expected = placed.len() + usize::from(subject == "s0");
        assert_eq!(detail.reports.len(), expected, "{subject}");
        assert_eq!(detail.signals.len(), expected, "{subject}");
        assert_eq!(detail.evidence.len(), placed.len(), "{subject}");
        assert_eq!(detail.outbox.len(), placed.len(), "{subject}");
        for ev in &detail.evidence {
            let i: usize = ev.sha256.parse().unwrap();
            assert_eq!(ev.blob, SealedBlob::InRow(vec![i as u8, 1, 2, 3]));
            assert_eq!(ev.wrapped_key, vec![9, i as u8]);
        }
        for r in &detail.reports {
            assert_eq!(r.contact_sealed, Some((vec![1, 2], vec![3, 4])));
            assert_eq!(r.reporter_is_child, Some(true));
        }
        // The earliest due time wins; report 55 (subject s5) raised its case to critical.
        let earliest = placed.iter().map(|p| 10_000 - p.2).min().unwrap();
        let earliest = if subject == "s0" {
            earliest.min(1 + 3600)
        } else {
            earliest
        };
        assert_eq!(detail.case.due_at, Some(earliest), "{subject}");
        let critical = subject == "s5" || subject == "s0";
        assert_eq!(
            detail.case.priority == Priority::Critical,
            critical,
            "{subject}"
        );
    }

    // A report of content the platform scanned opens a case with the scan's hashes.
    let mut scanned = scan("scanned-1", 600, None);
    scanned.response = json!({"verdict": "allow", "hashes": {"pdq": "f00d"}});
    store.commit_scan(scanned).await.unwrap();
    let mut of_scanned = report_for("scanned-1", "SCANS-00001", "k", 601);
    of_scanned.case.media_hashes = json!({});
    let placed = store.commit_report(of_scanned).await.unwrap();
    let case = stored_case(&*store, placed.case_id).await;
    assert_eq!(case.media_hashes, json!({"pdq": "f00d"}));
    let unscanned = store
        .commit_report(report_for("never-scanned", "SCANS-00002", "k", 602))
        .await
        .unwrap();
    let case = stored_case(&*store, unscanned.case_id).await;
    assert_eq!(
        case.media_hashes,
        json!({"pdq": "00"}),
        "the upsert's own hashes"
    );

    // A second burst where one report reuses a receipt code: it alone is refused.
    let mut burst = tokio::task::JoinSet::new();
    for i in 0..20 {
        let store = store.clone();
        burst.spawn(async move {
            let receipt = if i == 7 {
                "BURST-00003".to_string()
            } else {
                format!("AGAIN-{i:05}")
            };
            let n = report_for(&format!("t{}", i % 4), &receipt, "k", 500 + i);
            (i, store.commit_report(n).await)
        });
    }
    while let Some(joined) = burst.join_next().await {
        let (i, result) = joined.unwrap();
        if i == 7 {
            assert!(matches!(result, Err(StoreError::Conflict(_))), "{result:?}");
        } else {
            result.unwrap();
        }
    }
}

/// The write-ahead log is copied back while reports stream in: it stays near the writer's
/// backstop (4,000 pages, 16 MiB, plus the groups committed while the background pass still held
/// the checkpoint lock; a full group of 256 reports is about 2,500 pages) instead of growing with
/// every report, and it is copied back in full once the stream stops. This stream writes 250 MiB
/// of log in all; here the log peaks at 25-40 MiB, depending on the machine's other load.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_log_stays_bounded_under_a_stream_of_reports() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("engine.sqlite");
    let store = std::sync::Arc::new(SqliteStore::open(&path).await.unwrap());
    let wal = dir.path().join("engine.sqlite-wal");
    let mut largest = 0;
    for wave in 0..30 {
        let mut burst = tokio::task::JoinSet::new();
        for i in 0..1000 {
            let store = store.clone();
            burst.spawn(async move {
                let n = wave * 1000 + i;
                let subject = format!(
                    "subject-{:016x}",
                    (n as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15)
                );
                let receipt = format!("R{n:010}");
                store
                    .commit_report(report_for(&subject, &receipt, &format!("k{n}"), 100))
                    .await
            });
        }
        while let Some(done) = burst.join_next().await {
            done.unwrap().unwrap();
        }
        largest = largest.max(std::fs::metadata(&wal).unwrap().len());
    }
    assert!(
        largest < 64 << 20,
        "the log grew to {largest} bytes under a steady stream"
    );
    // Once the stream stops, a background pass copies the rest of the log: the database file
    // grows to the database's full size without another write (the writer's backstop alone
    // would leave up to 16 MiB of the newest pages in the log only).
    let db = rusqlite::Connection::open(&path).unwrap();
    let size: i64 = db
        .query_row(
            "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let mut file = 0;
    for _ in 0..200 {
        file = std::fs::metadata(&path).unwrap().len();
        if file == size as u64 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    assert_eq!(file, size as u64, "the database file holds every page");
}

/// A report that joins an open case without changing its queue, priority, due time or banks
/// still moves the case's time; one that raises the priority changes it.
#[tokio::test]
async fn a_join_that_changes_nothing_still_moves_the_case_time() {
    let (_dir, store) = fresh_store().await;
    let mut first = report_for("post-1", "JOIN1-00000", "k1", 100);
    first.case.priority = Priority::Low;
    let opened = store.commit_report(first).await.unwrap();
    let mut same = report_for("post-1", "JOIN2-00000", "k2", 200);
    same.case.priority = Priority::Low;
    same.case.due_at = Some(100 + 3600);
    let case_after = |report: NewReport| {
        let store = &store;
        async move {
            let placed = store.commit_report(report).await.unwrap();
            assert!(placed.merged);
            assert_eq!(placed.case_id, opened.case_id);
            let case = stored_case(store, placed.case_id).await;
            assert_eq!(case.due_at, Some(100 + 3600), "the earliest due time stays");
            (case.updated_at, case.priority)
        }
    };
    assert_eq!(case_after(same).await, (200, Priority::Low));
    let raised = report_for("post-1", "JOIN3-00000", "k3", 300);
    assert_eq!(case_after(raised).await, (300, Priority::Critical));
}

/// A case as the store has it now.
async fn stored_case(store: &dyn Store, case_id: i64) -> Case {
    store.case_detail(case_id).await.unwrap().unwrap().case
}

/// A store on a new database in a temporary folder (kept alive by the returned guard).
async fn fresh_store() -> (tempfile::TempDir, SqliteStore) {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("engine.sqlite"))
        .await
        .unwrap();
    (dir, store)
}
