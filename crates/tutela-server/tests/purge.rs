//! The evidence purge: items past retention go (blob and key), items on legal hold stay, and
//! sealed blobs no record points to (left by a failed commit) are swept once they are old.

use serde_json::json;
use tutela_core::*;
use tutela_server::{ServeOptions, jobs, prepare, vault_files};

#[tokio::test]
async fn expired_evidence_is_purged_held_evidence_kept_and_old_orphans_swept() {
    let dir = tempfile::tempdir().unwrap();
    let state = prepare(&ServeOptions {
        data: dir.path().join("data"),
        ..Default::default()
    })
    .await
    .unwrap()
    .state;
    let now = tutela_server::now();
    let mut items = Vec::new();
    for (content, hold, in_row) in [
        ("expired", false, false),
        ("held", true, false),
        ("expired-in-row", false, true),
    ] {
        let sealed = vault::seal(&state.master, b"synthetic bytes", b"sha").unwrap();
        let rel = vault_files::new_blob_path(now);
        let blob = if in_row {
            SealedBlob::InRow(sealed.blob)
        } else {
            vault_files::write_blob(&state.data, &rel, &sealed.blob)
                .await
                .unwrap();
            SealedBlob::InFile(rel.clone())
        };
        let committed = state
            .store
            .commit_scan(NewScan {
                content_id: content.into(),
                uploader_id: None,
                surface: Surface::Post,
                event: json!({}),
                outcome: json!({}),
                response: json!({}),
                at: now - 100,
                case: None,
                evidence: Some(NewEvidence {
                    content_id: Some(content.into()),
                    sha256: "sha".into(),
                    size: 15,
                    media_type: "application/octet-stream".into(),
                    blob,
                    wrapped_key: sealed.wrapped_key,
                    retain_until: now - 10,
                }),
                outbox: vec![],
                audit: vec![],
            })
            .await
            .unwrap();
        let id = committed.evidence_id.unwrap();
        if hold {
            let audit = NewAudit {
                actor: "test".into(),
                action: "evidence.hold".into(),
                subject: format!("evidence:{id}"),
                details: json!({}),
            };
            state
                .store
                .set_legal_hold(id, true, now, audit)
                .await
                .unwrap();
        }
        items.push((id, rel));
    }
    // An orphan from two hours ago, and a fresh one that a scan in flight may still commit.
    let old_orphan = vault_files::new_blob_path(now);
    vault_files::write_blob(&state.data, &old_orphan, b"TVB1...")
        .await
        .unwrap();
    let two_hours_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(7200);
    std::fs::File::options()
        .write(true)
        .open(state.data.join(&old_orphan))
        .unwrap()
        .set_modified(two_hours_ago)
        .unwrap();
    let fresh_orphan = vault_files::new_blob_path(now);
    vault_files::write_blob(&state.data, &fresh_orphan, b"TVB1...")
        .await
        .unwrap();

    assert_eq!(jobs::purge_once(&state).await.unwrap(), 2);
    let (expired_id, expired_blob) = &items[0];
    let (held_id, held_blob) = &items[1];
    let (in_row_id, _) = &items[2];
    let shredded = state.store.evidence(*in_row_id).await.unwrap().unwrap();
    assert!(shredded.purged_at.is_some() && shredded.wrapped_key.is_empty());
    assert_eq!(shredded.blob, SealedBlob::InRow(vec![]));
    assert!(!state.data.join(expired_blob).exists());
    let gone = state.store.evidence(*expired_id).await.unwrap().unwrap();
    assert!(gone.purged_at.is_some() && gone.wrapped_key.is_empty());
    assert!(state.data.join(held_blob).exists());
    assert!(
        state
            .store
            .evidence(*held_id)
            .await
            .unwrap()
            .unwrap()
            .purged_at
            .is_none()
    );
    assert!(!state.data.join(&old_orphan).exists(), "old orphan swept");
    assert!(
        state.data.join(&fresh_orphan).exists(),
        "a blob of a scan in flight is kept"
    );
    let head = state.store.audit_head().await.unwrap().unwrap();
    let entries = state.store.audit_entries(0, 100).await.unwrap();
    assert!(entries.iter().any(|e| e.action == "evidence.purge"));
    assert_eq!(head.seq, entries.last().unwrap().seq);
    // Nothing left to do on a second run.
    assert_eq!(jobs::purge_once(&state).await.unwrap(), 0);
}
