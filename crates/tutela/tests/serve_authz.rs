//! Every route in the OpenAPI document, called by every role, by each API key scope and with no
//! credentials: each answers as the access table says. A route missing from the table fails the
//! test, so a new route cannot ship without deciding who may call it.

mod common;

use common::*;
use serde_json::{Value, json};
use std::collections::BTreeMap;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Who {
    Nobody,
    Admin,
    Reviewer,
    ChildSafetyReviewer,
    Auditor,
    ScanKey,
    ReadKey,
    ReportKey,
}

use Who::*;

const EVERYONE: &[Who] = &[
    Nobody,
    Admin,
    Reviewer,
    ChildSafetyReviewer,
    Auditor,
    ScanKey,
    ReadKey,
    ReportKey,
];

/// Who may call each operation (by operationId). Child-safety case routes are called on a
/// child-safety case, so a plain reviewer must be refused.
fn access_table() -> BTreeMap<&'static str, &'static [Who]> {
    BTreeMap::from([
        ("health", EVERYONE),
        ("ready", EVERYONE),
        ("metrics_route", EVERYONE),
        ("openapi_json", EVERYONE),
        ("scan", &[Admin, ScanKey][..]),
        ("scan_batch", &[Admin, ScanKey]),
        ("get_scan", &[Admin, ReadKey]),
        ("events", &[Admin, ReadKey]),
        ("list_cases", &[Admin, Reviewer, ChildSafetyReviewer]),
        ("get_case", &[Admin, ChildSafetyReviewer]),
        ("assign_case", &[Admin, ChildSafetyReviewer]),
        ("decide_case", &[Admin, ChildSafetyReviewer]),
        ("get_evidence", &[Admin, ChildSafetyReviewer]),
        ("hold_evidence", &[Admin]),
        ("audit_log", &[Admin, Auditor]),
        ("audit_verify", &[Admin, Auditor]),
        ("list_users", &[Admin]),
        ("create_user", &[Admin]),
        ("set_role", &[Admin]),
        ("list_keys", &[Admin]),
        ("create_key", &[Admin]),
        ("revoke_key", &[Admin]),
        ("failed_webhooks", &[Admin]),
        ("retry_webhook", &[Admin]),
        ("reload_banks", &[Admin]),
        ("post_report", &[Admin, ReportKey]),
        ("get_receipt", &[Admin, ReportKey]),
        ("post_appeal", &[Admin, ReportKey]),
        ("get_job", &[Admin, ScanKey, ReadKey]),
        ("stream_frames", &[Admin, ScanKey]),
        ("end_stream", &[Admin, ScanKey]),
    ])
}

#[test]
fn every_route_answers_every_role_as_the_access_table_says() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let png = synthetic_png(2);
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
    let admin = Session::login(&server, "admin", server.admin_password.as_deref().unwrap());
    let scan_key = admin.create_key("scan-key", &["scan"]);
    let read_key = admin.create_key("read-key", &["read"]);
    let report_key = admin.create_key("report-key", &["report"]);
    let throwaway: Value = admin
        .post(
            "/v1/api-keys",
            json!({"name": "throwaway", "scopes": ["read"]}),
        )
        .json()
        .unwrap();
    let sessions: BTreeMap<Who, Session> = [
        (Reviewer, "reviewer"),
        (ChildSafetyReviewer, "child_safety_reviewer"),
        (Auditor, "auditor"),
    ]
    .into_iter()
    .map(|(who, role)| {
        let name = format!("u-{role}");
        let pw = admin.create_user(&name, role);
        (who, Session::login(&server, &name, &pw))
    })
    .collect();

    let http = reqwest::blocking::Client::new();
    let scanned: Value = http
        .post(server.url("/v1/scan?content_id=post-1"))
        .bearer_auth(&scan_key)
        .header("content-type", "image/png")
        .body(png)
        .send()
        .unwrap()
        .json()
        .unwrap();
    let case_id = scanned["case_id"].as_i64().expect("a child-safety case");
    let case: Value = admin.get(&format!("/v1/cases/{case_id}")).json().unwrap();
    assert_eq!(case["case"]["queue"], "child_safety");
    let evidence_id = case["evidence"][0]["id"].as_i64().unwrap();
    let user_id = admin.get("/v1/users").json::<Value>().unwrap()["users"][0]["id"]
        .as_i64()
        .unwrap();

    let doc: Value = http
        .get(server.url("/openapi.json"))
        .send()
        .unwrap()
        .json()
        .unwrap();
    let table = access_table();
    let mut checked = 0;
    for (path, ops) in doc["paths"].as_object().unwrap() {
        for (method, op) in ops.as_object().unwrap() {
            let op_id = op["operationId"].as_str().unwrap();
            let allowed = table
                .get(op_id)
                .unwrap_or_else(|| panic!("{op_id} ({method} {path}) is not in the access table"));
            let concrete = path
                .replace("{content_id}", "post-1")
                .replace("{code}", "AAAAA-AAAAA")
                .replace(
                    "{id}",
                    &match op_id {
                        "get_evidence" | "hold_evidence" => evidence_id.to_string(),
                        "set_role" => user_id.to_string(),
                        "revoke_key" => throwaway["api_key"]["id"].to_string(),
                        "retry_webhook" => "999999".into(),
                        _ => case_id.to_string(),
                    },
                );
            for who in EVERYONE {
                let url = server.url(&concrete);
                let mut req = match method.as_str() {
                    "get" => http.get(&url),
                    "post" => http.post(&url).json(&json!({})),
                    "delete" => http.delete(&url),
                    m => panic!("unexpected method {m}"),
                };
                req = match who {
                    Nobody => req,
                    ScanKey => req.bearer_auth(&scan_key),
                    ReadKey => req.bearer_auth(&read_key),
                    ReportKey => req.bearer_auth(&report_key),
                    Admin => req
                        .header("cookie", &admin.cookie)
                        .header("x-csrf-token", &admin.csrf),
                    w => {
                        let s = &sessions[w];
                        req.header("cookie", &s.cookie)
                            .header("x-csrf-token", &s.csrf)
                    }
                };
                let status = req.send().unwrap().status().as_u16();
                let ok = if allowed.contains(who) {
                    status != 401 && status != 403 && status < 500
                } else if *who == Nobody {
                    status == 401
                } else {
                    status == 403
                };
                assert!(
                    ok,
                    "{method} {path} as {who:?}: status {status} (allowed: {allowed:?})"
                );
                checked += 1;
            }
        }
    }
    assert!(
        checked >= table.len() * EVERYONE.len(),
        "only {checked} calls"
    );

    // A revoked key is refused; a cookie session without its CSRF token cannot write.
    let revoked = http
        .get(server.url("/v1/scans/post-1"))
        .bearer_auth(throwaway["secret"].as_str().unwrap())
        .send()
        .unwrap();
    assert_eq!(revoked.status(), 401, "the walk revoked this key as admin");
    let no_csrf = http
        .post(server.url("/v1/banks/reload"))
        .header("cookie", &admin.cookie)
        .send()
        .unwrap();
    assert_eq!(no_csrf.status(), 403);
}
