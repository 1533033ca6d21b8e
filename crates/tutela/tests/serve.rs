//! The engine end to end, through the real binary over HTTP: a known image is blocked, a case is
//! opened, the image is preserved encrypted, the platform's webhook arrives signed, a reviewer's
//! decision is audited, everything survives a restart, and `tutela audit verify` catches an
//! edited byte.

mod common;

use common::*;
use hmac::{Hmac, KeyInit, Mac};
use serde_json::{Value, json};
use sha2::Sha256;
use std::process::Command;

fn header<'a>(headers: &'a [(String, String)], name: &str) -> &'a str {
    headers
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .unwrap_or_else(|| panic!("no {name} header"))
}

/// Checks `Tutela-Signature: t=..,v1=..` as a platform would.
fn signature_is_valid(headers: &[(String, String)], body: &str, secret: &str) -> bool {
    let sig = header(headers, "tutela-signature");
    let (t, v1) = sig.split_once(",v1=").unwrap();
    let t = t.strip_prefix("t=").unwrap();
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("{t}.{body}").as_bytes());
    mac.verify_slice(&hex::decode(v1).unwrap()).is_ok()
}

fn find_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                find_files(&p, out);
            } else {
                out.push(p);
            }
        }
    }
}

#[test]
fn known_image_is_blocked_cased_preserved_notified_decided_audited_and_survives_restart() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let receiver = Receiver::start();
    write_config(&data, &receiver.url);

    // A bank labelled csam holding the synthetic image's hash.
    let png = synthetic_png(1);
    let png_path = tmp.path().join("known.png");
    std::fs::write(&png_path, &png).unwrap();
    let hashed: Value =
        serde_json::from_str(cli(&data, &["hash", png_path.to_str().unwrap()]).trim()).unwrap();
    let hash_file = tmp.path().join("hashes.txt");
    std::fs::write(&hash_file, format!("{}\n", hashed["pdq"].as_str().unwrap())).unwrap();
    cli(&data, &["bank", "create", "csam-list", "--label", "csam"]);
    cli(
        &data,
        &["bank", "import", "csam-list", hash_file.to_str().unwrap()],
    );

    let server = Server::start(&data, &[]);
    let admin_pw = server
        .admin_password
        .clone()
        .expect("first start prints the admin password");
    let admin = Session::login(&server, "admin", &admin_pw);
    let key = admin.create_key("platform", &["scan", "read"]);
    let http = reqwest::blocking::Client::new();

    // The known image is blocked.
    let r = http
        .post(server.url("/v1/scan?content_id=post-1&uploader_id=u-9&surface=post"))
        .bearer_auth(&key)
        .header("content-type", "image/png")
        .body(png.clone())
        .send()
        .unwrap();
    assert_eq!(r.status(), 200);
    let answer: Value = r.json().unwrap();
    assert_eq!(answer["verdict"], "block", "{answer}");
    assert_eq!(answer["matches"][0]["bank"], "csam-list");
    assert_eq!(answer["evidence_preserved"], true);
    let case_id = answer["case_id"].as_i64().expect("a case was opened");

    // Unknown content is allowed, by JSON with base64 media, and opens nothing.
    use base64::Engine;
    let other = base64::engine::general_purpose::STANDARD.encode(synthetic_png(7));
    let r: Value = http
        .post(server.url("/v1/scan"))
        .bearer_auth(&key)
        .json(&json!({"content_id": "post-2", "media": {"base64": other}}))
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(r["verdict"], "allow", "{r}");
    assert!(r["case_id"].is_null());

    // Bad input: clear errors, nothing stored.
    let r = http
        .post(server.url("/v1/scan"))
        .bearer_auth(&key)
        .json(&json!({"content_id": "post-3", "media": {"base64": "bm90IGFuIGltYWdl"}}))
        .send()
        .unwrap();
    assert_eq!(r.status(), 422);
    let r = http
        .post(server.url("/v1/scan"))
        .json(&json!({"content_id": "x"}))
        .send()
        .unwrap();
    assert_eq!(r.status(), 401);

    // The evidence is sealed wherever it is kept (a small image lives in its database row): no
    // file in the data folder, the database and its log included, holds the image's bytes.
    let mut files = Vec::new();
    find_files(&data, &mut files);
    assert!(
        files.iter().any(|f| f.ends_with("engine.sqlite")),
        "{files:?}"
    );
    let middle = &png[png.len() / 2..png.len() / 2 + 32];
    for f in &files {
        let bytes = std::fs::read(f).unwrap();
        assert!(
            !bytes.windows(8).any(|w| w == &png[..8]) && !bytes.windows(32).any(|w| w == middle),
            "plaintext PNG in {}",
            f.display()
        );
    }

    // The platform got a signed `remove` webhook.
    let (headers, body) = receiver.wait_for("remove");
    assert!(signature_is_valid(&headers, &body, "test-webhook-secret"));
    assert!(!signature_is_valid(&headers, &body, "another-secret"));
    let hook: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(hook["content_id"], "post-1");
    assert_eq!(hook["case_id"], case_id);

    // A child-safety reviewer takes and decides the case; a plain reviewer may not even see it.
    let cs_pw = admin.create_user("casey", "child_safety_reviewer");
    let rv_pw = admin.create_user("rene", "reviewer");
    let casey = Session::login(&server, "casey", &cs_pw);
    let rene = Session::login(&server, "rene", &rv_pw);
    assert_eq!(rene.get(&format!("/v1/cases/{case_id}")).status(), 403);
    assert_eq!(rene.get(&format!("/console/cases/{case_id}")).status(), 403);
    let evidence_id = casey
        .get(&format!("/v1/cases/{case_id}"))
        .json::<Value>()
        .unwrap()["evidence"][0]["id"]
        .as_i64()
        .unwrap();
    let media = casey.get(&format!("/v1/evidence/{evidence_id}"));
    assert_eq!(media.status(), 200);
    assert_eq!(
        media.bytes().unwrap().as_ref(),
        png.as_slice(),
        "decrypts to the original"
    );
    assert_eq!(
        rene.get(&format!("/v1/evidence/{evidence_id}")).status(),
        403
    );
    assert_eq!(
        casey
            .post(&format!("/v1/cases/{case_id}/assign"), json!({}))
            .status(),
        200
    );
    assert_eq!(
        admin
            .post(&format!("/v1/cases/{case_id}/assign"), json!({}))
            .status(),
        409
    );
    let bad = casey.post(
        &format!("/v1/cases/{case_id}/decisions"),
        json!({"action": "remove", "ground": "none", "policy_id": "csam-1", "explanation": "x"}),
    );
    assert_eq!(bad.status(), 400, "removal needs a ground");
    let d = casey.post(
        &format!("/v1/cases/{case_id}/decisions"),
        json!({"action": "remove", "ground": "illegal_content", "policy_id": "csam-1",
               "explanation": "Matches known material in csam-list."}),
    );
    assert_eq!(d.status(), 200, "{}", d.text().unwrap());
    let audit: Value = admin.get("/v1/audit").json().unwrap();
    let entries = audit["entries"].as_array().unwrap();
    assert!(
        entries
            .iter()
            .any(|e| e["action"] == "case.decision" && e["actor"] == "user:casey")
    );
    assert!(entries.iter().any(|e| e["action"] == "evidence.view"));
    assert!(entries.iter().any(|e| e["action"] == "evidence.preserve"));

    // Metrics show the scans and no failed webhooks.
    let metrics = http
        .get(server.url("/metrics"))
        .send()
        .unwrap()
        .text()
        .unwrap();
    assert!(
        metrics.contains("tutela_scans_total{verdict=\"block\"} 1"),
        "{metrics}"
    );
    assert!(metrics.contains("tutela_outbox_failed 0"));

    // Restart: everything is still there; the same content id gets the same answer.
    server.stop();
    let server = Server::start(&data, &[]);
    assert!(
        server.admin_password.is_none(),
        "the admin password is printed once only"
    );
    let casey = Session::login(&server, "casey", &cs_pw);
    let case: Value = casey.get(&format!("/v1/cases/{case_id}")).json().unwrap();
    assert_eq!(case["case"]["status"], "decided");
    assert_eq!(case["decisions"][0]["policy_id"], "csam-1");
    let again = http
        .post(server.url("/v1/scan?content_id=post-1"))
        .bearer_auth(&key)
        .header("content-type", "image/png")
        .body(png.clone())
        .send()
        .unwrap();
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    assert_eq!(again.json::<Value>().unwrap()["case_id"], case_id);

    // Confirmed content was banked: a new upload of it is blocked by the `confirmed` bank too.
    let r: Value = http
        .post(server.url("/v1/scan?content_id=post-1-reupload"))
        .bearer_auth(&key)
        .header("content-type", "image/png")
        .body(png.clone())
        .send()
        .unwrap()
        .json()
        .unwrap();
    let banks: Vec<&str> = r["matches"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|m| m["bank"].as_str())
        .collect();
    assert!(banks.contains(&"confirmed"), "{r}");
    server.stop();

    // The audit log verifies, then a single changed byte is caught.
    let verify = |data: &std::path::Path| {
        Command::new(bin())
            .args(["audit", "verify", "--data"])
            .arg(data)
            .output()
            .unwrap()
    };
    let ok = verify(&data);
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stdout)
    );
    let db = data.join("engine.sqlite");
    let mut bytes = std::fs::read(&db).unwrap();
    let needle = br#"{"action":"remove","ground":"illegal_content","policy_id":"csam-1"}"#;
    let at = bytes
        .windows(needle.len())
        .position(|w| w == needle)
        .expect("the decision's audit entry is in the file");
    bytes[at + needle.len() - 3] = b'2';
    std::fs::write(&db, bytes).unwrap();
    let _ = std::fs::remove_file(data.join("engine.sqlite-wal"));
    let tampered = verify(&data);
    assert_eq!(tampered.status.code(), Some(1));
    let msg = String::from_utf8_lossy(&tampered.stdout);
    assert!(msg.contains("TAMPERED") && msg.contains("edited"), "{msg}");
}

#[test]
fn messages_get_nudges_and_urgent_cases_without_their_text_leaving_the_vault() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let server = Server::start(&data, &[]);
    let admin = Session::login(&server, "admin", server.admin_password.as_deref().unwrap());
    let key = admin.create_key("platform", &["scan"]);
    let http = reqwest::blocking::Client::new();
    let scan = |body: Value| -> Value {
        let r = http
            .post(server.url("/v1/scan"))
            .bearer_auth(&key)
            .json(&body)
            .send()
            .unwrap();
        assert_eq!(r.status(), 200);
        r.json().unwrap()
    };

    // A child about to share their address gets a nudge in their language; nothing is opened.
    let r = scan(
        json!({"content_id": "msg-1", "uploader_id": "kid-1", "surface": "message",
        "text": {"text": "my address is 14 Elm Street and my phone is 555 201 3344, come over",
                 "sender_is_child": true, "lang": "fr"}}),
    );
    assert_eq!(r["verdict"], "allow", "{r}");
    assert_eq!(r["nudge"]["kind"], "personal_data", "{r}");
    assert_eq!(r["nudge"]["lang"], "fr");
    assert!(r["nudge"]["message"].as_str().unwrap().len() > 10);
    assert!(r["case_id"].is_null());

    // Sextortion: an urgent child-safety case, the message sealed as evidence.
    let threat =
        "send me more pics or I will share your nudes with everyone at your school by tonight";
    let r = scan(
        json!({"context": {"thread_kind": "direct", "reported_before": false}, "content_id": "msg-2", "uploader_id": "adult-7", "surface": "message",
        "text": {"text": threat, "sender_is_child": false, "conversation_id": "conv-1"}}),
    );
    assert_ne!(r["verdict"], "allow", "{r}");
    assert!(
        r["text"]["labels"]
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l == "sextortion")
    );
    let case_id = r["case_id"].as_i64().expect("a case");
    assert_eq!(r["evidence_preserved"], true);

    let cs_pw = admin.create_user("casey", "child_safety_reviewer");
    let rv_pw = admin.create_user("rene", "reviewer");
    let casey = Session::login(&server, "casey", &cs_pw);
    let rene = Session::login(&server, "rene", &rv_pw);
    let detail = casey.get(&format!("/v1/cases/{case_id}")).text().unwrap();
    let detail: Value = serde_json::from_str(&detail).unwrap();
    assert_eq!(detail["case"]["queue"], "child_safety");
    assert_eq!(detail["case"]["priority"], "critical");
    assert!(
        detail["signals"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["kind"] == "context" && s["details"]["thread_kind"] == "direct")
    );
    let as_text = detail.to_string();
    assert!(
        !as_text.contains("nudes"),
        "the case record holds offsets, not the message"
    );
    assert!(as_text.contains("\"spans\""));
    let mut files = Vec::new();
    find_files(&data.join("evidence"), &mut files);
    assert!(
        files
            .iter()
            .all(|f| !std::fs::read(f).unwrap().windows(5).any(|w| w == b"nudes"))
    );

    // The authorised reviewer sees the message with the flagged words marked; others do not.
    let eid = detail["evidence"][0]["id"].as_i64().unwrap();
    let page = casey
        .get(&format!("/console/cases/{case_id}?show={eid}"))
        .text()
        .unwrap();
    assert!(page.contains("<mark>"), "{page}");
    assert!(page.contains("nudes"));
    assert_eq!(
        rene.get(&format!("/console/cases/{case_id}?show={eid}"))
            .status(),
        403
    );
    // Guessing passwords: after 5 failures in a row the user name is refused for a while.
    let noredirect = reqwest::blocking::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let attempt = |pw: &str| {
        noredirect
            .post(server.url("/console/login"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(format!("username=rene&password={pw}"))
            .send()
            .unwrap()
            .status()
            .as_u16()
    };
    for _ in 0..5 {
        assert_eq!(attempt("wrong-guess"), 401);
    }
    assert_eq!(
        attempt(&rv_pw),
        429,
        "throttled even with the right password"
    );

    // A bank changed from the command line beside the running engine is audited too.
    cli(&data, &["bank", "create", "extra-list", "--label", "hate"]);
    let audit: Value = admin.get("/v1/audit").json().unwrap();
    let entries = audit["entries"].as_array().unwrap();
    assert!(
        entries
            .iter()
            .any(|e| e["action"] == "evidence.view" && e["actor"] == "user:casey")
    );
    assert!(
        entries
            .iter()
            .any(|e| e["action"] == "bank.create" && e["subject"] == "bank:extra-list")
    );
}
