//! The video job part of the `Store` contract, written against `&dyn Store` like
//! `contract.rs` so another backend runs the same checks.

use serde_json::json;
use tutela_core::Store;
use tutela_core::*;
use tutela_store_sqlite::SqliteStore;

fn new_job(id: &str, content: &str, at: i64) -> NewVideoJob {
    NewVideoJob {
        id: id.into(),
        content_id: content.into(),
        actor: "apikey:platform".into(),
        request: json!({"content_id": content, "surface": "post"}),
        upload_path: format!("uploads/{id}.upload"),
        media_type: Some("video/mp4".into()),
        at,
    }
}

async fn video_job_contract(store: &dyn Store) {
    let job = store
        .create_video_job(new_job("job_a", "v-1", 10))
        .await
        .unwrap();
    assert_eq!(job.status, JobStatus::Queued);
    assert_eq!(job.attempts, 0);
    assert_eq!(job.request["content_id"], "v-1");
    assert!(matches!(
        store.create_video_job(new_job("job_a", "v-9", 11)).await,
        Err(StoreError::Conflict(_))
    ));
    store
        .create_video_job(new_job("job_b", "v-2", 12))
        .await
        .unwrap();
    assert!(store.video_job("job_zzz").await.unwrap().is_none());

    // Oldest first; each claim takes a different job; none left after two.
    let first = store.claim_video_job(20).await.unwrap().unwrap();
    assert_eq!(
        (first.id.as_str(), first.status),
        ("job_a", JobStatus::Running)
    );
    assert_eq!((first.attempts, first.started_at), (1, Some(20)));
    let second = store.claim_video_job(21).await.unwrap().unwrap();
    assert_eq!(second.id, "job_b");
    assert!(store.claim_video_job(22).await.unwrap().is_none());

    // A restart puts running jobs back in the queue; claiming again counts an attempt.
    assert_eq!(store.requeue_running_video_jobs().await.unwrap(), 2);
    let again = store.claim_video_job(30).await.unwrap().unwrap();
    assert_eq!((again.id.as_str(), again.attempts), ("job_a", 2));

    // Done with its webhook, in one transaction.
    let before = store.due_outbox(i64::MAX, 1000).await.unwrap().len();
    store
        .finish_video_job(JobFinish {
            id: "job_a".into(),
            status: JobStatus::Done,
            result: Some(json!({"verdict": "block"})),
            error: None,
            case_id: None,
            outbox: vec![NewOutbox {
                event: "scan.completed".into(),
                content_id: Some("v-1".into()),
                payload: json!({"job_id": "job_a"}),
            }],
            at: 40,
        })
        .await
        .unwrap();
    let done = store.video_job("job_a").await.unwrap().unwrap();
    assert_eq!(done.status, JobStatus::Done);
    assert_eq!(done.result, Some(json!({"verdict": "block"})));
    assert_eq!(done.finished_at, Some(40));
    let due = store.due_outbox(i64::MAX, 1000).await.unwrap();
    assert_eq!(due.len(), before + 1);
    assert!(due.iter().any(|m| m.event == "scan.completed"));
    // An ended job cannot end again; a queued job cannot end "queued"; unknown jobs are named.
    let finish = |id: &str, status| JobFinish {
        id: id.into(),
        status,
        result: None,
        error: Some("the video is damaged".into()),
        case_id: None,
        outbox: vec![],
        at: 50,
    };
    assert!(matches!(
        store
            .finish_video_job(finish("job_a", JobStatus::Failed))
            .await,
        Err(StoreError::Conflict(_))
    ));
    assert!(matches!(
        store
            .finish_video_job(finish("job_b", JobStatus::Queued))
            .await,
        Err(StoreError::Conflict(_))
    ));
    assert!(matches!(
        store
            .finish_video_job(finish("job_nope", JobStatus::Failed))
            .await,
        Err(StoreError::NotFound(_))
    ));
    store
        .finish_video_job(finish("job_b", JobStatus::Failed))
        .await
        .unwrap();
    let failed = store.video_job("job_b").await.unwrap().unwrap();
    assert_eq!(failed.status, JobStatus::Failed);
    assert_eq!(failed.error.as_deref(), Some("the video is damaged"));
    assert_eq!(store.requeue_running_video_jobs().await.unwrap(), 0);
}

#[tokio::test]
async fn sqlite_video_jobs_keep_the_contract_and_survive_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("engine.sqlite");
    let store = SqliteStore::open(&path).await.unwrap();
    video_job_contract(&store).await;
    store
        .create_video_job(new_job("job_c", "v-3", 60))
        .await
        .unwrap();
    assert!(store.claim_video_job(61).await.unwrap().is_some());
    store.close().await;
    // The process stopped mid-job: after reopening, the job is still there and runs again.
    let reopened = SqliteStore::open(&path).await.unwrap();
    assert_eq!(reopened.requeue_running_video_jobs().await.unwrap(), 1);
    let job = reopened.claim_video_job(70).await.unwrap().unwrap();
    assert_eq!((job.id.as_str(), job.attempts), ("job_c", 2));
}
