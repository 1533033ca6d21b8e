//! Videos and live streams through the real `tutela serve`: a known video (its vPDQ hashes
//! imported into a video bank) and a re-encoded copy are blocked by `POST /v1/scan`, broken
//! files get clear 4xx answers, a job goes queued -> done with its webhook, a live stream of
//! the video's frames raises one alert and one case while unrelated frames raise none, and a
//! video larger than the in-memory body limit is accepted (streamed to disk).

mod common;

use base64::Engine;
use common::*;
use reqwest::blocking::Client;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

fn vpdq() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/vectors/vpdq")
}

fn known_video() -> PathBuf {
    vpdq().join("videos/chair-19-sd-bar.mp4")
}

fn ffmpeg(args: &[&str]) {
    let status = Command::new("ffmpeg")
        .args(["-nostdin", "-v", "error", "-y"])
        .args(args)
        .status()
        .expect("ffmpeg must be installed");
    assert!(status.success(), "ffmpeg {args:?}");
}

/// A data folder with a webhook receiver, a small in-memory body limit (1 MiB, below the
/// known video's 2.1 MB) and a video bank of known CSAM holding the vector's hash file.
fn set_up(dir: &Path, extra_config: &str) -> (PathBuf, Receiver) {
    let data = dir.join("data");
    let hooks = Receiver::start();
    std::fs::create_dir_all(&data).unwrap();
    std::fs::write(
        data.join("tutela.toml"),
        format!(
            "[webhook]\nurl = \"{}\"\nsecret = \"test-webhook-secret\"\n\n[limits]\nmax_upload_bytes = 1048576\n\n{extra_config}",
            hooks.url
        ),
    )
    .unwrap();
    cli(
        &data,
        &[
            "bank",
            "create",
            "known-videos",
            "--hash-kind",
            "vpdq",
            "--label",
            "csam",
        ],
    );
    let hashes = vpdq().join("vpdq-hashes/chair-19-sd-bar.txt");
    cli(
        &data,
        &["bank", "import", "known-videos", hashes.to_str().unwrap()],
    );
    (data, hooks)
}

fn scan_key(server: &Server) -> String {
    let admin = Session::login(server, "admin", server.admin_password.as_deref().unwrap());
    admin.create_key("platform", &["scan"])
}

fn scan_raw(server: &Server, key: &str, query: &str, body: Vec<u8>) -> reqwest::blocking::Response {
    Client::new()
        .post(server.url(&format!("/v1/scan?{query}")))
        .bearer_auth(key)
        .header("content-type", "application/octet-stream")
        .body(body)
        .send()
        .unwrap()
}

/// A multipart body with a `metadata` JSON part, then a `media` file part.
fn multipart_body(metadata: &str, media: &[u8], file_name: &str) -> (String, Vec<u8>) {
    let boundary = "tutela-test-boundary-7f3a9c";
    let mut body = format!(
        "--{boundary}\r\ncontent-disposition: form-data; name=\"metadata\"\r\ncontent-type: application/json\r\n\r\n{metadata}\r\n--{boundary}\r\ncontent-disposition: form-data; name=\"media\"; filename=\"{file_name}\"\r\ncontent-type: image/jpeg\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(media);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

#[test]
fn known_videos_and_re_encoded_copies_are_blocked_and_broken_files_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (data, hooks) = set_up(dir.path(), "");
    let server = Server::start(&data, &[]);
    let key = scan_key(&server);

    // The known video, raw: larger than the 1 MiB in-memory limit, so it must be streamed.
    let bytes = std::fs::read(known_video()).unwrap();
    assert!(bytes.len() > 2 * 1024 * 1024 - 100_000);
    let r = scan_raw(
        &server,
        &key,
        "content_id=vid-1&uploader_id=u-9",
        bytes.clone(),
    );
    assert_eq!(r.status(), 200);
    let answer: Value = r.json().unwrap();
    assert_eq!(answer["verdict"], "block", "{answer}");
    let m = &answer["matches"][0];
    assert_eq!(
        (m["bank"].as_str(), m["variant"].as_str()),
        (Some("known-videos"), Some("vpdq"))
    );
    assert!(m["query_match_percent"].as_f64().unwrap() >= 80.0, "{m}");
    assert!(answer["case_id"].is_i64());
    assert_eq!(answer["evidence_preserved"], true);
    assert!(
        answer["hashes"]["video"]["container"]
            .as_str()
            .unwrap()
            .contains("mp4"),
        "{answer}"
    );
    hooks.wait_for("remove");
    // The case shows a video_match signal; the evidence is the sealed video, decryptable.
    let admin = Session::login(&server, "admin", server.admin_password.as_deref().unwrap());
    let case: Value = admin
        .get(&format!("/v1/cases/{}", answer["case_id"]))
        .json()
        .unwrap();
    assert_eq!(case["case"]["queue"], "child_safety");
    assert!(
        case["signals"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["kind"] == "video_match"),
        "{case}"
    );
    let evidence_id = case["evidence"][0]["id"].as_i64().unwrap();
    assert_eq!(case["evidence"][0]["size"], bytes.len());
    let opened = admin
        .get(&format!("/v1/evidence/{evidence_id}"))
        .bytes()
        .unwrap();
    assert_eq!(opened.len(), bytes.len());
    assert!(
        opened.as_ref() == bytes.as_slice(),
        "the sealed video opens to the upload"
    );
    // Idempotent on the content id.
    let again = scan_raw(&server, &key, "content_id=vid-1", bytes);
    assert_eq!(again.headers()["idempotent-replayed"], "true");

    // A re-encoded copy (half the size, a low bitrate), as multipart under a misleading name.
    let copy = dir.path().join("holiday.jpg");
    ffmpeg(&[
        "-i",
        known_video().to_str().unwrap(),
        "-vf",
        "scale=iw/2:-2",
        "-b:v",
        "150k",
        "-an",
        "-f",
        "mp4",
        copy.to_str().unwrap(),
    ]);
    let (content_type, form) = multipart_body(
        &json!({"content_id": "vid-2"}).to_string(),
        &std::fs::read(&copy).unwrap(),
        "holiday.jpg",
    );
    let r = Client::new()
        .post(server.url("/v1/scan"))
        .bearer_auth(&key)
        .header("content-type", content_type)
        .body(form)
        .send()
        .unwrap();
    assert_eq!(r.status(), 200);
    let answer: Value = r.json().unwrap();
    assert_eq!(answer["verdict"], "block", "{answer}");
    assert_eq!(answer["matches"][0]["variant"], "vpdq");

    // An unrelated video is allowed.
    let other = std::fs::read(vpdq().join("videos/doorknob-hd-no-bar.mp4")).unwrap();
    let answer: Value = scan_raw(&server, &key, "content_id=vid-3", other)
        .json()
        .unwrap();
    assert_eq!(answer["verdict"], "allow", "{answer}");
    assert!(answer["matches"].as_array().unwrap().is_empty());

    // Broken input: clear 4xx answers, nothing committed, nothing left in uploads/.
    let whole = std::fs::read(&copy).unwrap();
    let truncated = whole[..whole.len() / 3].to_vec();
    let r = scan_raw(&server, &key, "content_id=bad-1", truncated);
    assert_eq!(r.status(), 422);
    let err: Value = r.json().unwrap();
    assert_eq!(err["error"]["code"], "undecodable_media", "{err}");
    let mut fake = whole[..64].to_vec();
    fake.extend(std::iter::repeat_n(0x5a_u8, 5000));
    let r = scan_raw(&server, &key, "content_id=bad-2", fake);
    assert_eq!(r.status(), 422, "{}", r.text().unwrap());
    let r = scan_raw(
        &server,
        &key,
        "content_id=bad-3",
        b"just some text, not media".to_vec(),
    );
    assert_eq!(r.status(), 422);
    for id in ["bad-1", "bad-2", "bad-3"] {
        let r = admin.get(&format!("/v1/scans/{id}"));
        assert_eq!(r.status(), 404, "{id} was not committed");
    }
    let left: Vec<_> = std::fs::read_dir(data.join("uploads"))
        .map(|d| d.flatten().map(|e| e.file_name()).collect())
        .unwrap_or_default();
    assert!(left.is_empty(), "uploads left behind: {left:?}");
    server.stop();
}

#[test]
fn a_video_job_goes_from_queued_to_done_with_its_webhook() {
    let dir = tempfile::tempdir().unwrap();
    let (data, hooks) = set_up(dir.path(), "");
    let server = Server::start(&data, &[]);
    let key = scan_key(&server);
    let r = scan_raw(
        &server,
        &key,
        "content_id=vid-job&async=true",
        std::fs::read(known_video()).unwrap(),
    );
    assert_eq!(r.status(), 202);
    let queued: Value = r.json().unwrap();
    assert_eq!(queued["status"], "queued");
    let job_id = queued["job_id"].as_str().unwrap().to_string();
    assert_eq!(queued["status_url"], format!("/v1/jobs/{job_id}"));
    let deadline = Instant::now() + Duration::from_secs(120);
    let mut seen = Vec::new();
    let job = loop {
        let job: Value = Client::new()
            .get(server.url(queued["status_url"].as_str().unwrap()))
            .bearer_auth(&key)
            .send()
            .unwrap()
            .json()
            .unwrap();
        let status = job["status"].as_str().unwrap().to_string();
        if seen.last() != Some(&status) {
            seen.push(status.clone());
        }
        if status == "done" || status == "failed" {
            break job;
        }
        assert!(Instant::now() < deadline, "the job did not end: {job}");
        std::thread::sleep(Duration::from_millis(100));
    };
    assert_eq!(job["status"], "done", "{job}");
    assert!(
        seen.iter()
            .all(|s| ["queued", "running", "done"].contains(&s.as_str())),
        "{seen:?}"
    );
    assert_eq!(job["result"]["verdict"], "block");
    assert!(job["result"]["case_id"].is_i64());
    let (_, body) = hooks.wait_for("scan.completed");
    let hook: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(hook["data"]["job_id"], job_id);
    assert_eq!(hook["data"]["status"], "done");
    assert_eq!(hook["data"]["result"]["verdict"], "block");
    assert_eq!(hook["content_id"], "vid-job");
    // The job's upload is gone; the scan is stored under its content id.
    assert!(!data.join(format!("uploads/{job_id}.upload")).exists());
    let unknown = Client::new()
        .get(server.url("/v1/jobs/job_nope"))
        .bearer_auth(&key)
        .send()
        .unwrap();
    assert_eq!(unknown.status(), 404);

    // A job whose video is damaged fails, with the reason, and the webhook says so.
    let bytes = std::fs::read(known_video()).unwrap();
    let r = scan_raw(
        &server,
        &key,
        "content_id=vid-bad&async=true",
        bytes[..bytes.len() / 4].to_vec(),
    );
    assert_eq!(r.status(), 202);
    let failed_id = r.json::<Value>().unwrap()["job_id"]
        .as_str()
        .unwrap()
        .to_string();
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let job: Value = Client::new()
            .get(server.url(&format!("/v1/jobs/{failed_id}")))
            .bearer_auth(&key)
            .send()
            .unwrap()
            .json()
            .unwrap();
        if job["status"] == "failed" {
            assert_eq!(job["error"]["code"], "undecodable_media", "{job}");
            break;
        }
        assert_ne!(job["status"], "done");
        assert!(Instant::now() < deadline, "{job}");
        std::thread::sleep(Duration::from_millis(100));
    }
    server.stop();
}

/// Frames of a video as PNG files, `fps` a second.
fn frames_of(video: &Path, out: &Path, fps: u32, seconds: u32) -> Vec<Vec<u8>> {
    std::fs::create_dir_all(out).unwrap();
    ffmpeg(&[
        "-i",
        video.to_str().unwrap(),
        "-t",
        &seconds.to_string(),
        "-vf",
        &format!("fps={fps},scale=240:-2"),
        out.join("f%04d.png").to_str().unwrap(),
    ]);
    let mut paths: Vec<_> = std::fs::read_dir(out)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    paths.sort();
    paths.iter().map(|p| std::fs::read(p).unwrap()).collect()
}

fn send_frames(server: &Server, key: &str, stream: &str, frames: Value) -> Value {
    let r = Client::new()
        .post(server.url(&format!("/v1/streams/{stream}/frames")))
        .bearer_auth(key)
        .json(&frames)
        .send()
        .unwrap();
    assert_eq!(r.status(), 200);
    r.json().unwrap()
}

#[test]
fn a_live_stream_of_known_frames_raises_one_alert_and_one_case() {
    let dir = tempfile::tempdir().unwrap();
    let (data, hooks) = set_up(
        dir.path(),
        "[video.streams]\nwindow_seconds = 10.0\nmin_matched_frames = 3\nmin_matched_share = 0.3\n",
    );
    let server = Server::start(&data, &[]);
    let key = scan_key(&server);
    let b64 = |b: &[u8]| base64::engine::general_purpose::STANDARD.encode(b);

    // 2 frames a second of the known video, sent 4 at a time as images.
    let frames = frames_of(&known_video(), &dir.path().join("frames"), 2, 8);
    assert!(frames.len() >= 14, "{} frames", frames.len());
    let mut alerts = 0;
    let mut case_ids = std::collections::BTreeSet::new();
    let mut verdicts = Vec::new();
    for (i, chunk) in frames.chunks(4).enumerate() {
        let batch: Vec<Value> = chunk
            .iter()
            .enumerate()
            .map(|(j, f)| json!({"t": (i * 4 + j) as f64 * 0.5, "image_base64": b64(f)}))
            .collect();
        let answer = send_frames(
            &server,
            &key,
            "live-1",
            json!({"frames": batch, "uploader_id": "streamer-1"}),
        );
        alerts += answer["alerts"].as_array().unwrap().len();
        if let Some(id) = answer["case_id"].as_i64() {
            case_ids.insert(id);
        }
        verdicts.push(answer["verdict"].as_str().unwrap().to_string());
    }
    assert_eq!(alerts, 1, "one crossing, one alert");
    assert_eq!(case_ids.len(), 1);
    assert_eq!(verdicts.last().unwrap(), "block");
    let (_, body) = hooks.wait_for("stream.alert");
    let hook: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(hook["data"]["stream_id"], "live-1");
    assert_eq!(hook["data"]["uploader_id"], "streamer-1");

    // Unrelated synthetic frames on another stream: never an alert.
    for i in 0..5u32 {
        let batch: Vec<Value> = (0..4u32)
            .map(|j| json!({"t": f64::from(i * 4 + j), "image_base64": b64(&synthetic_png(100 + i * 4 + j))}))
            .collect();
        let answer = send_frames(&server, &key, "live-2", json!({"frames": batch}));
        assert_eq!(answer["verdict"], "allow", "{answer}");
        assert_eq!(answer["alert"], false);
    }

    // The same video as the platform's own frame hashes (from the vPDQ file), on a third
    // stream that ends with its last request: a second case, for that stream only.
    let hashes = std::fs::read_to_string(vpdq().join("vpdq-hashes/chair-19-sd-bar.txt")).unwrap();
    let batch: Vec<Value> = hashes
        .lines()
        .take(40)
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            json!({"t": f[3].parse::<f64>().unwrap(), "pdq": f[2], "quality": f[1].parse::<u8>().unwrap()})
        })
        .collect();
    let answer = send_frames(
        &server,
        &key,
        "live-3",
        json!({"frames": batch, "end": true}),
    );
    assert_eq!(answer["alert"], true, "{answer}");
    assert_eq!(answer["ended"], true);
    let r = Client::new()
        .delete(server.url("/v1/streams/live-3"))
        .bearer_auth(&key)
        .send()
        .unwrap();
    assert_eq!(r.status(), 404, "ended already");

    // A short segment of the video, raw: hashed by ffmpeg, matched frame by frame.
    let segment = dir.path().join("segment.ts");
    ffmpeg(&[
        "-i",
        known_video().to_str().unwrap(),
        "-t",
        "4",
        "-f",
        "mpegts",
        segment.to_str().unwrap(),
    ]);
    let r = Client::new()
        .post(server.url("/v1/streams/live-4/frames?t=30"))
        .bearer_auth(&key)
        .body(std::fs::read(&segment).unwrap())
        .send()
        .unwrap();
    assert_eq!(r.status(), 200);
    let answer: Value = r.json().unwrap();
    assert_eq!(answer["alert"], true, "{answer}");
    assert!(answer["matches"][0]["t"].as_f64().unwrap() >= 30.0);

    // One case per stream: live-1's has one stream_alert signal, live-2 has none.
    let admin = Session::login(&server, "admin", server.admin_password.as_deref().unwrap());
    let cases: Value = admin.get("/v1/cases?q=stream:live-1").json().unwrap();
    let cases = cases["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 1, "{cases:?}");
    assert_eq!(cases[0]["subject_kind"], "account");
    assert_eq!(cases[0]["surface"], "stream");
    assert_eq!(cases[0]["priority"], "critical");
    let none: Value = admin.get("/v1/cases?q=stream:live-2").json().unwrap();
    assert!(none["cases"].as_array().unwrap().is_empty());

    // Ending live-1: its counters; a second end is a 404.
    let r = Client::new()
        .delete(server.url("/v1/streams/live-1"))
        .bearer_auth(&key)
        .send()
        .unwrap();
    assert_eq!(r.status(), 200);
    let ended: Value = r.json().unwrap();
    assert_eq!(ended["window"]["alerts"], 1);
    assert_eq!(ended["window"]["frames_total"], frames.len());

    // Bad frames: a clear 400.
    let bad = Client::new()
        .post(server.url("/v1/streams/live-5/frames"))
        .bearer_auth(&key)
        .json(&json!({"frames": [{"t": -1.0, "pdq": "00"}]}))
        .send()
        .unwrap();
    assert_eq!(bad.status(), 400);
    server.stop();
}
