//! Reports and remedies through the real binary over HTTP: a text-only grooming report becomes
//! a case (the Coop #661 bug), duplicates merge, the reporter follows it by receipt and learns
//! the outcome; floods are refused but urgent reports always pass; confirmed abuse imagery is
//! banked so the same image and edited copies are blocked; an appeal goes to another reviewer
//! and, granted, restores the content and lets it back.

mod common;

use common::*;
use serde_json::{Value, json};
use std::io::Cursor;

fn post_report(server: &Server, key: &str, body: Value) -> (u16, Value) {
    let resp = reqwest::blocking::Client::new()
        .post(server.url("/v1/reports"))
        .bearer_auth(key)
        .json(&body)
        .send()
        .unwrap();
    let status = resp.status().as_u16();
    (status, resp.json().unwrap_or(Value::Null))
}

fn receipt(server: &Server, key: &str, code: &str) -> Value {
    let resp = reqwest::blocking::Client::new()
        .get(server.url(&format!("/v1/receipts/{code}")))
        .bearer_auth(key)
        .send()
        .unwrap();
    assert_eq!(resp.status(), 200);
    resp.json().unwrap()
}

fn scan_bytes(server: &Server, key: &str, content_id: &str, bytes: Vec<u8>) -> Value {
    reqwest::blocking::Client::new()
        .post(server.url(&format!("/v1/scan?content_id={content_id}")))
        .bearer_auth(key)
        .body(bytes)
        .send()
        .unwrap()
        .json()
        .unwrap()
}

fn wait_ready(server: &Server) {
    for _ in 0..200 {
        if reqwest::blocking::get(server.url("/readyz")).is_ok_and(|r| r.status() == 200) {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    panic!("the engine never became ready");
}

fn all_files_text(dir: &std::path::Path) -> Vec<u8> {
    let mut out = Vec::new();
    for e in walk(dir) {
        out.extend(std::fs::read(e).unwrap_or_default());
    }
    out
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(walk(&p));
            } else {
                out.push(p);
            }
        }
    }
    out
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

const GROOMING: &str = "you are so mature for your age. this is our secret, don't tell your \
                        parents. delete our chats and add me on my other app";

#[test]
fn a_text_only_grooming_report_reaches_a_case_and_the_reporter_learns_the_outcome() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let receiver = Receiver::start();
    write_config(&data, &receiver.url);
    let server = Server::start(&data, &[]);
    let admin = Session::login(&server, "admin", server.admin_password.as_deref().unwrap());
    let key = admin.create_key("reports", &["report"]);
    let pw = admin.create_user("carla", "child_safety_reviewer");
    let carla = Session::login(&server, "carla", &pw);

    // No content id, no media: only what the child pasted and the reason "something else".
    let report = json!({
        "reason": "other",
        "message_text": GROOMING,
        "surface": "message",
        "reporter_is_child": true,
        "reporter_ref": "child-7",
        "contact": "@kid7-inbox",
        "lang": "en",
        "country": "GB",
        "platform_report_id": "plat-report-1",
    });
    let (status, filed) = post_report(&server, &key, report.clone());
    assert_eq!(status, 201, "{filed}");
    let code = filed["receipt"].as_str().unwrap().to_string();
    assert_eq!(code.len(), 11);
    assert_eq!(&code[5..6], "-");
    assert_eq!(filed["merged"], false);
    assert_eq!(filed["help"]["country"], "GB");
    assert!(!filed["help"]["helplines"].as_array().unwrap().is_empty());
    assert!(!filed["help"]["emergency"].as_array().unwrap().is_empty());
    let case_id = filed["case_id"].as_i64().unwrap();

    // The reported words make it a child-safety case; the case keeps labels, not the text.
    let case_resp = admin.get(&format!("/v1/cases/{case_id}"));
    let case_text = case_resp.text().unwrap();
    let case: Value = serde_json::from_str(&case_text).unwrap();
    assert_eq!(case["case"]["queue"], "child_safety", "{case_text}");
    assert_eq!(case["signals"][0]["kind"], "report");
    assert_eq!(case["signals"][0]["details"]["reason"], "other");
    let labels = case["signals"][0]["details"]["text"]["labels"].to_string();
    assert!(labels.contains("grooming"), "{labels}");
    assert_eq!(
        case["evidence"][0]["media_type"],
        "text/plain; charset=utf-8"
    );
    for secret in ["mature for your age", "child-7", "@kid7-inbox"] {
        assert!(
            !case_text.contains(secret),
            "the case JSON shows {secret:?}"
        );
    }
    // On disk the message is sealed; the reporter's id and contact are nowhere in clear.
    let disk = all_files_text(&data);
    for secret in ["mature for your age", "child-7", "@kid7-inbox"] {
        assert!(!contains(&disk, secret), "{secret:?} is on disk in clear");
    }

    // The same message reported again joins the case.
    let (status, again) = post_report(
        &server,
        &key,
        json!({"reason": "sexual_solicitation", "message_text": GROOMING, "reporter_ref": "friend-2"}),
    );
    assert_eq!(status, 201);
    assert_eq!(
        (again["case_id"].as_i64(), again["merged"].as_bool()),
        (Some(case_id), Some(true))
    );
    receiver.wait_for("report.received");

    // Received, then being looked at, then decided with the outcome in plain terms.
    assert_eq!(receipt(&server, &key, &code)["status"], "received");
    assert_eq!(
        receipt(&server, &key, &code.to_lowercase().replace('-', " "))["status"],
        "received",
        "codes survive hand copying"
    );
    assert_eq!(
        carla
            .post(&format!("/v1/cases/{case_id}/assign"), json!({}))
            .status(),
        200
    );
    assert_eq!(receipt(&server, &key, &code)["status"], "in_review");
    let decided = carla.post(
        &format!("/v1/cases/{case_id}/decisions"),
        json!({"action": "restrict_account", "ground": "terms_of_service",
               "policy_id": "grooming-1", "explanation": "Grooming messages to a child."}),
    );
    assert_eq!(decided.status(), 200);
    let view = receipt(&server, &key, &code);
    assert_eq!(
        (view["status"].as_str(), view["outcome"].as_str()),
        (Some("decided"), Some("account_restricted"))
    );
    assert!(view["decided_at"].is_i64());

    // The platform hears the outcome for each report (with the contact the reporter left),
    // while the affected user's notice names no reporter.
    let (_, outcome) = receiver.wait_for("report.outcome");
    let outcome: Value = serde_json::from_str(&outcome).unwrap();
    assert_eq!(outcome["data"]["outcome"], "account_restricted");
    let bodies: Vec<Value> = receiver
        .requests
        .lock()
        .unwrap()
        .iter()
        .map(|(_, b)| serde_json::from_str::<Value>(b).unwrap()["data"].clone())
        .collect();
    let mine = bodies
        .iter()
        .find(|b| b["event"] == "report.outcome" && b["platform_report_id"] == "plat-report-1")
        .expect("the first report's outcome");
    assert_eq!(mine["contact"], "@kid7-inbox");
    let (_, restrict) = receiver.wait_for("restrict");
    for secret in ["child-7", "@kid7-inbox", "friend-2", "plat-report-1"] {
        assert!(
            !restrict.contains(secret),
            "the affected user's notice shows {secret:?}"
        );
    }
    let restrict: Value = serde_json::from_str::<Value>(&restrict).unwrap()["data"].clone();
    assert_eq!(
        restrict["statement_of_reasons"]["automated_detection"],
        false
    );
    assert!(restrict["statement_of_reasons"]["redress"]["code"].is_string());

    // Unknown codes and bad input get clear answers.
    let missing = reqwest::blocking::Client::new()
        .get(server.url("/v1/receipts/ZZZZZ-ZZZZZ"))
        .bearer_auth(&key)
        .send()
        .unwrap();
    assert_eq!(missing.status(), 404);
    let (status, err) = post_report(&server, &key, json!({"reason": "nonsense"}));
    assert_eq!(status, 400);
    assert!(
        err["error"]["message"]
            .as_str()
            .unwrap()
            .contains("sextortion")
    );
    let (status, _) = post_report(
        &server,
        &key,
        json!({"reason": "bullying", "screenshot_base64": "bm90IGFuIGltYWdl"}),
    );
    assert_eq!(status, 422, "a screenshot that is not an image");
}

#[test]
fn urgent_reports_jump_the_queue_and_floods_are_refused_without_losing_urgent_reports() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    std::fs::write(
        data.join("tutela.toml"),
        "[reports]\nmax_per_hour_per_reporter = 3\n",
    )
    .unwrap();
    let server = Server::start(&data, &[]);
    let admin = Session::login(&server, "admin", server.admin_password.as_deref().unwrap());
    let key = admin.create_key("reports", &["report"]);

    for i in 0..3 {
        let (status, _) = post_report(
            &server,
            &key,
            json!({"reason": "bullying", "content_id": format!("post-{i}"), "reporter_ref": "loud"}),
        );
        assert_eq!(status, 201);
    }
    let (status, refused) = post_report(
        &server,
        &key,
        json!({"reason": "bullying", "content_id": "post-9", "reporter_ref": "loud"}),
    );
    assert_eq!(status, 429, "{refused}");
    let (status, urgent) = post_report(
        &server,
        &key,
        json!({"reason": "sextortion", "account_id": "acct-66", "reporter_ref": "loud",
               "reporter_is_child": true, "country": "FR"}),
    );
    assert_eq!(status, 201, "an urgent report is never refused");
    assert_eq!(urgent["urgent"], true);
    let (status, _) = post_report(
        &server,
        &key,
        json!({"reason": "bullying", "content_id": "post-9", "reporter_ref": "someone-else"}),
    );
    assert_eq!(status, 201, "other reporters are not affected");

    let queue: Value = admin.get("/v1/cases").json().unwrap();
    let first = &queue["cases"][0];
    assert_eq!(
        first["id"].as_i64(),
        urgent["case_id"].as_i64(),
        "urgent on top"
    );
    assert_eq!(first["priority"], "critical");
    assert_eq!(first["queue"], "child_safety");
    assert_eq!(first["subject_kind"], "account");
    let case: Value = admin
        .get(&format!("/v1/cases/{}", urgent["case_id"]))
        .json()
        .unwrap();
    assert_eq!(case["signals"][0]["details"]["flagged_reporter"], true);
    let due = first["due_at"].as_i64().unwrap();
    let created = first["created_at"].as_i64().unwrap();
    assert!(due - created <= 3600, "due within the hour");
    let metrics = reqwest::blocking::get(server.url("/metrics"))
        .unwrap()
        .text()
        .unwrap();
    assert!(
        metrics.contains("tutela_reports_refused_total 1"),
        "{metrics}"
    );
}

/// A synthetic photo-like picture (smooth colour fields and a few discs; no real material):
/// photos, unlike the block patterns of `synthetic_png`, keep their PDQ hash under small crops.
fn synthetic_photo(seed: u32) -> Vec<u8> {
    let mut state = u64::from(seed).wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 11) as f32 / (1u64 << 53) as f32
    };
    let freqs: Vec<(f32, f32, f32)> = (0..3)
        .map(|_| (0.004 + 0.016 * next(), 0.004 + 0.016 * next(), 7.0 * next()))
        .collect();
    let discs: Vec<(f32, f32, f32, [f32; 3])> = (0..40)
        .map(|_| {
            (
                640.0 * next(),
                480.0 * next(),
                15.0 + 65.0 * next(),
                [255.0 * next(), 255.0 * next(), 255.0 * next()],
            )
        })
        .collect();
    let img = image::RgbImage::from_fn(640, 480, |x, y| {
        let (xf, yf) = (x as f32, y as f32);
        let mut px = [0f32; 3];
        for (c, (a, b, p)) in freqs.iter().enumerate() {
            px[c] = 128.0 + 60.0 * (xf * a + p).sin() * (yf * b + c as f32).cos();
        }
        for (cx, cy, r, colour) in &discs {
            if (xf - cx).powi(2) + (yf - cy).powi(2) < r * r {
                for c in 0..3 {
                    px[c] = px[c] * 0.3 + colour[c] * 0.7;
                }
            }
        }
        image::Rgb(px.map(|v| v.clamp(0.0, 255.0) as u8))
    });
    png_of(&image::DynamicImage::ImageRgb8(img))
}

fn png_of(img: &image::DynamicImage) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

fn jpeg_of(img: &image::DynamicImage, quality: u8) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality)
        .encode_image(&img.to_rgb8())
        .unwrap();
    out.into_inner()
}

#[test]
fn confirmed_imagery_is_banked_edited_copies_are_blocked_and_a_granted_appeal_restores() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let receiver = Receiver::start();
    write_config(&data, &receiver.url);
    let server = Server::start(&data, &[]);
    let admin = Session::login(&server, "admin", server.admin_password.as_deref().unwrap());
    let scan_key = admin.create_key("scans", &["scan"]);
    let key = admin.create_key("reports", &["report"]);
    let pw = admin.create_user("ann", "child_safety_reviewer");
    let ann = Session::login(&server, "ann", &pw);
    let pw = admin.create_user("ben", "child_safety_reviewer");
    let ben = Session::login(&server, "ben", &pw);

    wait_ready(&server);
    // An upload no bank knows yet is allowed; then someone reports it.
    let original = synthetic_photo(5);
    assert_eq!(
        scan_bytes(&server, &scan_key, "up-1", original.clone())["verdict"],
        "allow"
    );
    let (status, filed) = post_report(
        &server,
        &key,
        json!({"reason": "child_sexual_imagery", "content_id": "up-1", "account_id": "uploader-1"}),
    );
    assert_eq!(status, 201, "{filed}");
    let case_id = filed["case_id"].as_i64().unwrap();
    let decided = ann.post(
        &format!("/v1/cases/{case_id}/decisions"),
        json!({"action": "remove", "ground": "illegal_content", "policy_id": "csam-1",
               "explanation": "Sexual abuse material involving a child."}),
    );
    assert_eq!(decided.status(), 200, "{:?}", decided.text());
    let (_, removal) = receiver.wait_for("remove");
    let removal: Value = serde_json::from_str::<Value>(&removal).unwrap()["data"].clone();
    let redress = &removal["statement_of_reasons"]["redress"];
    let appeal_code = redress["code"].as_str().unwrap().to_string();
    assert!(
        redress["url"]
            .as_str()
            .unwrap()
            .starts_with("/appeal?code=")
    );
    let until = time_of(redress["until"].as_str().unwrap());
    assert!(
        until - now() >= 183 * 86_400 - 60,
        "at least 6 months to appeal"
    );

    // The same image and edited copies are blocked by the `confirmed` bank from now on.
    let img = image::load_from_memory(&original).unwrap();
    let (w, h) = (img.width(), img.height());
    let copies: Vec<(&str, Vec<u8>)> = vec![
        ("same", original.clone()),
        (
            "resized",
            png_of(&img.resize_exact(w * 3 / 4, h * 3 / 4, image::imageops::FilterType::Lanczos3)),
        ),
        ("recompressed", jpeg_of(&img, 70)),
        // A trimmed border (1% off each side). PDQ is not built for crops: from about 2% a
        // side the distance passes the threshold (see README, "Reports and remedies").
        (
            "cropped",
            png_of(&img.crop_imm(w / 100, h / 100, w - 2 * (w / 100), h - 2 * (h / 100))),
        ),
    ];
    for (i, (what, bytes)) in copies.iter().enumerate() {
        let answer = scan_bytes(&server, &scan_key, &format!("reup-{i}"), bytes.clone());
        assert_eq!(answer["verdict"], "block", "{what}: {answer}");
        assert!(
            answer["matches"].to_string().contains("confirmed"),
            "{what}: {answer}"
        );
    }

    // The uploader appeals; the reviewer who removed it may not decide the appeal.
    let http = reqwest::blocking::Client::new();
    let appeal = http
        .post(server.url("/v1/appeals"))
        .bearer_auth(&key)
        .json(&json!({"code": appeal_code, "statement": "This is a photo of my own garden."}))
        .send()
        .unwrap();
    assert_eq!(appeal.status(), 201);
    let appeal: Value = appeal.json().unwrap();
    let appeal_receipt = appeal["receipt"].as_str().unwrap();
    let view = receipt(&server, &key, appeal_receipt);
    assert_eq!(
        (view["kind"].as_str(), view["status"].as_str()),
        (Some("appeal"), Some("received"))
    );
    let again = http
        .post(server.url("/v1/appeals"))
        .bearer_auth(&key)
        .json(&json!({"code": appeal_code, "statement": "again"}))
        .send()
        .unwrap();
    assert_eq!(again.status(), 409, "one appeal per decision");
    let case: Value = admin.get(&format!("/v1/cases/{case_id}")).json().unwrap();
    assert_eq!(
        case["case"]["status"], "open",
        "the appeal reopens the case"
    );
    assert_eq!(
        case["appeals"][0]["statement"],
        "This is a photo of my own garden."
    );
    let same_reviewer = ann.post(
        &format!("/v1/cases/{case_id}/decisions"),
        json!({"action": "restore", "ground": "none", "policy_id": "csam-1",
               "explanation": "On appeal."}),
    );
    assert_eq!(same_reviewer.status(), 409);
    let not_an_answer = ben.post(
        &format!("/v1/cases/{case_id}/decisions"),
        json!({"action": "no_violation", "ground": "none", "policy_id": "csam-1",
               "explanation": "On appeal."}),
    );
    assert_eq!(not_an_answer.status(), 400);
    let granted = ben.post(
        &format!("/v1/cases/{case_id}/decisions"),
        json!({"action": "restore", "ground": "none", "policy_id": "csam-1",
               "explanation": "On appeal: not abuse material; removed in error."}),
    );
    assert_eq!(granted.status(), 200, "{:?}", granted.text());
    let (_, restore) = receiver.wait_for("restore");
    let restore: Value = serde_json::from_str::<Value>(&restore).unwrap()["data"].clone();
    assert_eq!(restore["content_id"], "up-1");
    assert_eq!(restore["statement_of_reasons"]["on_appeal"], true);
    let view = receipt(&server, &key, appeal_receipt);
    assert_eq!(
        (view["status"].as_str(), view["outcome"].as_str()),
        (Some("decided"), Some("restored"))
    );
    let reporter_view = receipt(&server, &key, filed["receipt"].as_str().unwrap());
    assert_eq!(reporter_view["outcome"], "restored");

    // Restored content is out of the bank again; the appeal is counted.
    let back = scan_bytes(&server, &scan_key, "reup-after", original);
    assert_eq!(back["verdict"], "allow", "{back}");
    let metrics = reqwest::blocking::get(server.url("/metrics"))
        .unwrap()
        .text()
        .unwrap();
    assert!(metrics.contains("tutela_appeals_overturned 1"), "{metrics}");

    // Nothing to appeal in a decision that acted against no one.
    let (_, other) = post_report(
        &server,
        &key,
        json!({"reason": "scam", "content_id": "ad-1"}),
    );
    let other_case = other["case_id"].as_i64().unwrap();
    let d: Value = ben
        .post(
            &format!("/v1/cases/{other_case}/decisions"),
            json!({"action": "no_violation", "ground": "none", "policy_id": "scam-1",
                   "explanation": "Not a scam."}),
        )
        .json()
        .unwrap();
    let refused = http
        .post(server.url("/v1/appeals"))
        .bearer_auth(&key)
        .json(&json!({"decision_id": d["id"], "statement": "?"}))
        .send()
        .unwrap();
    assert_eq!(refused.status(), 400);
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// Seconds of an RFC 3339 UTC time as the engine writes it (`2026-05-31T10:00:00Z`).
fn time_of(s: &str) -> i64 {
    let (date, time) = s.split_once('T').unwrap();
    let d: Vec<i64> = date.split('-').map(|x| x.parse().unwrap()).collect();
    let t: Vec<i64> = time
        .trim_end_matches('Z')
        .split(':')
        .map(|x| x.parse().unwrap())
        .collect();
    // Days from civil (Howard Hinnant's algorithm).
    let (y, m) = if d[1] <= 2 {
        (d[0] - 1, d[1] + 9)
    } else {
        (d[0], d[1] - 3)
    };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * m + 2) / 5 + d[2] - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    days * 86_400 + t[0] * 3600 + t[1] * 60 + t[2]
}
