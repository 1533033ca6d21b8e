//! The public report pages through the real router: every page in every language, help before
//! the form for urgent reasons, the platform's hints carried through, the pages' own CSP (the
//! console keeps its strict one), and forms refused without this server's signed token.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use axum::response::Response;
use tower::ServiceExt;
use tutela_i18n::Lang;
use tutela_server::state::Shared;
use tutela_server::{ServeOptions, prepare, router};

async fn state_with(config: Option<&str>) -> (tempfile::TempDir, Shared) {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    if let Some(text) = config {
        std::fs::write(data.join("tutela.toml"), text).unwrap();
    }
    let state = prepare(&ServeOptions {
        data,
        ..Default::default()
    })
    .await
    .unwrap()
    .state;
    (dir, state)
}

async fn send(state: &Shared, req: Request<Body>) -> (Response, String) {
    let resp = router(state.clone()).oneshot(req).await.unwrap();
    let (parts, body) = resp.into_parts();
    let bytes = axum::body::to_bytes(body, 10 << 20).await.unwrap();
    (
        Response::from_parts(parts, Body::empty()),
        String::from_utf8_lossy(&bytes).into_owned(),
    )
}

async fn get(state: &Shared, uri: &str, accept_language: Option<&str>) -> (Response, String) {
    let mut req = Request::get(uri);
    if let Some(al) = accept_language {
        req = req.header(header::ACCEPT_LANGUAGE, al);
    }
    send(state, req.body(Body::empty()).unwrap()).await
}

fn csp(resp: &Response) -> String {
    resp.headers()
        .get(header::CONTENT_SECURITY_POLICY)
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default()
}

/// The value of `<input type="hidden" name="NAME" value="...">` in a page.
fn hidden(html: &str, name: &str) -> Option<String> {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker)? + marker.len();
    let end = html[start..].find('"')? + start;
    Some(html[start..end].replace("&#38;", "&"))
}

#[tokio::test]
async fn every_page_renders_in_every_language_with_its_direction() {
    let (_dir, state) = state_with(None).await;
    for lang in Lang::ALL {
        let code = lang.code();
        for uri in [
            format!("/report?lang={code}&country=DE"),
            format!("/report/form?reason=sextortion&country=BR&lang={code}"),
            format!("/report/form?reason=scam&lang={code}"),
            format!("/report/form?reason=child_sexual_imagery&country=FR&lang={code}"),
            format!("/report/form?reason=in_danger&country=EG&lang={code}"),
            format!("/report/status?lang={code}"),
            format!("/report/status?code=NOPE-NOPE&lang={code}"),
            format!("/appeal?lang={code}"),
            format!("/appeal?code=NOPE-NOPE&lang={code}"),
            format!("/appeal/done?code=A-TEST&lang={code}"),
        ] {
            let (resp, html) = get(&state, &uri, None).await;
            assert_eq!(resp.status(), StatusCode::OK, "{uri}");
            assert!(
                html.contains(&format!("<html lang=\"{code}\" dir=\"{}\">", lang.dir())),
                "{uri}"
            );
            assert!(!html.contains("[missing text]"), "{uri}");
            assert!(
                html.contains(tutela_i18n::text(lang, "common.secret")),
                "{uri}: the footer says reports are never attributed"
            );
        }
    }
}

#[tokio::test]
async fn urgent_reasons_show_the_emergency_number_and_helpline_before_the_form() {
    let (_dir, state) = state_with(None).await;
    for reason in ["sextortion", "self_harm", "in_danger"] {
        let (_, html) = get(
            &state,
            &format!("/report/form?reason={reason}&country=DE&lang=de"),
            None,
        )
        .await;
        let help = html.find("class=\"help urgent\"").expect(reason);
        let form = html.find("<form method=\"post\"").expect(reason);
        assert!(help < form, "{reason}: help comes first");
        assert!(html[help..form].contains("href=\"tel:112\""), "{reason}");
        assert!(html[help..form].contains("href=\"tel:116111\""), "{reason}");
        // The country stays changeable right beside the help, keeping the reason.
        let switch = html.find("class=\"country-switch\"").expect(reason);
        assert!(help < switch && switch < form, "{reason}");
        assert!(html[switch..form].contains("<option value=\"DE\" selected"));
        assert!(html[switch..form].contains(&format!("name=\"reason\" value=\"{reason}\"")));
    }
    // A non-urgent reason gets the form first and help after it.
    let (_, html) = get(&state, "/report/form?reason=scam&country=DE", None).await;
    let form = html.find("<form method=\"post\"").unwrap();
    let help = html.find("class=\"help\"").unwrap();
    assert!(form < help);
    assert!(!html.contains("help urgent"));
}

#[tokio::test]
async fn the_platforms_hints_travel_through_the_steps() {
    let (_dir, state) = state_with(None).await;
    let (_, html) = get(
        &state,
        "/report?content_id=post%2077&account=acct-9&surface=message&url=https%3A%2F%2Fp.example%2Fm%2F1&platform_report_id=pr-5&country=gb&lang=fr",
        None,
    )
    .await;
    assert_eq!(hidden(&html, "content_id").as_deref(), Some("post 77"));
    assert_eq!(hidden(&html, "account").as_deref(), Some("acct-9"));
    assert_eq!(hidden(&html, "surface").as_deref(), Some("message"));
    assert_eq!(
        hidden(&html, "url").as_deref(),
        Some("https://p.example/m/1")
    );
    assert_eq!(hidden(&html, "platform_report_id").as_deref(), Some("pr-5"));
    assert!(html.contains("<option value=\"GB\" selected"));
    let (_, form) = get(
        &state,
        "/report/form?reason=bullying&content_id=post%2077&account=acct-9&country=GB&lang=fr",
        None,
    )
    .await;
    assert_eq!(hidden(&form, "content_id").as_deref(), Some("post 77"));
    assert_eq!(hidden(&form, "reason").as_deref(), Some("bullying"));
    assert!(hidden(&form, "token").is_some());
    // No reason, or a made-up one: back to step 1 with everything else kept.
    let (resp, _) = get(
        &state,
        "/report/form?reason=nonsense&content_id=c1&lang=ru",
        None,
    )
    .await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        resp.headers()[header::LOCATION],
        "/report?content_id=c1&lang=ru"
    );
}

#[tokio::test]
async fn language_and_country_come_from_the_browser_unless_chosen() {
    let (_dir, state) = state_with(None).await;
    let (resp, html) = get(&state, "/report", Some("de-AT,de;q=0.9,en;q=0.5")).await;
    assert!(html.contains("<html lang=\"de\" dir=\"ltr\">"));
    assert!(html.contains("<option value=\"AT\" selected"));
    assert!(resp.headers().get(header::SET_COOKIE).is_none());
    // An explicit choice wins and is remembered in a cookie.
    let (resp, html) = get(&state, "/report?lang=ar&country=MA", Some("de-AT")).await;
    assert!(html.contains("<html lang=\"ar\" dir=\"rtl\">"));
    assert!(html.contains("<option value=\"MA\" selected"));
    let cookie = resp.headers()[header::SET_COOKIE].to_str().unwrap();
    assert!(cookie.starts_with("tutela_lang=ar;"), "{cookie}");
    let req = Request::get("/report/status")
        .header(header::COOKIE, "other=1; tutela_lang=zh")
        .header(header::ACCEPT_LANGUAGE, "fr")
        .body(Body::empty())
        .unwrap();
    let (_, html) = send(&state, req).await;
    assert!(html.contains("<html lang=\"zh\" dir=\"ltr\">"));
    // No country known: the picker asks, and the international services are shown.
    let (_, html) = get(&state, "/report/form?reason=self_harm", Some("en")).await;
    assert!(html.contains(tutela_i18n::text(Lang::En, "help.none_in_country")));
    assert!(html.contains(tutela_i18n::text(Lang::En, "help.international")));
    assert!(!html.contains("href=\"tel:112\""));
    let (_, html) = get(&state, "/report/form?reason=self_harm", Some("en-US")).await;
    assert!(
        html.contains("href=\"tel:911\""),
        "the region of the browser's language"
    );
}

#[tokio::test]
async fn public_pages_may_be_framed_but_the_console_never() {
    let (_dir, state) = state_with(None).await;
    let (resp, _) = get(&state, "/report", None).await;
    assert!(csp(&resp).ends_with("frame-ancestors *"), "{}", csp(&resp));
    assert!(csp(&resp).contains("default-src 'none'"));
    let (resp, _) = get(&state, "/report/static/public.css", None).await;
    assert_eq!(
        resp.headers()[header::CONTENT_TYPE],
        "text/css; charset=utf-8"
    );
    let (resp, _) = get(&state, "/console/login", None).await;
    assert!(
        csp(&resp).contains("frame-ancestors 'none'"),
        "{}",
        csp(&resp)
    );

    let (_dir, state) = state_with(Some(
        "[public]\nframe_ancestors = \"https://platform.example\"\n",
    ))
    .await;
    let (resp, _) = get(&state, "/appeal", None).await;
    assert!(csp(&resp).ends_with("frame-ancestors https://platform.example"));
}

#[tokio::test]
async fn a_directive_in_frame_ancestors_is_a_config_error() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    std::fs::write(
        data.join("tutela.toml"),
        "[public]\nframe_ancestors = \"*; script-src *\"\n",
    )
    .unwrap();
    let err = prepare(&ServeOptions {
        data,
        ..Default::default()
    })
    .await
    .err()
    .expect("refused");
    assert!(format!("{err:#}").contains("frame_ancestors"), "{err:#}");
}

fn multipart(fields: &[(&str, &str)]) -> (String, Vec<u8>) {
    let boundary = "----tutela-test-boundary";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"screenshot\"; filename=\"\"\r\n\
             Content-Type: application/octet-stream\r\n\r\n\r\n--{boundary}--\r\n"
        )
        .as_bytes(),
    );
    (format!("multipart/form-data; boundary={boundary}"), body)
}

#[tokio::test]
async fn a_report_without_this_servers_token_is_refused_and_loses_nothing() {
    let (_dir, state) = state_with(None).await;
    for token in ["", "1700000000.00", "9999999999.abcd"] {
        let (content_type, body) = multipart(&[
            ("reason", "bullying"),
            ("lang", "es"),
            ("country", "ES"),
            ("token", token),
            ("for", "friend"),
            ("details", "They keep writing <mean> things"),
        ]);
        let req = Request::post("/report")
            .header(header::CONTENT_TYPE, content_type)
            .body(Body::from(body))
            .unwrap();
        let (resp, html) = send(&state, req).await;
        assert_eq!(resp.status(), StatusCode::FORBIDDEN, "{token:?}");
        assert!(html.contains(tutela_i18n::text(Lang::Es, "errors.expired")));
        // What the reader wrote comes back, escaped, with a fresh token.
        assert!(
            html.contains("They keep writing &#60;mean&#62; things"),
            "{html}"
        );
        assert!(html.contains("value=\"friend\" checked"));
        assert!(hidden(&html, "token").is_some_and(|t| !t.is_empty() && t != token));
    }
}

#[tokio::test]
async fn an_appeal_needs_a_token_and_a_reason() {
    let (_dir, state) = state_with(None).await;
    let req = Request::post("/appeal")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(
            "code=X&statement=I+did+nothing+wrong&lang=pt&token=1.2",
        ))
        .unwrap();
    let (resp, html) = send(&state, req).await;
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
    assert!(html.contains(tutela_i18n::text(Lang::Pt, "errors.expired")));
}

/// Step 2 of a reason, as a browser gets it: the page and its form token.
async fn form_token(state: &Shared, reason: &str) -> String {
    let (_, html) = get(
        state,
        &format!("/report/form?reason={reason}&country=FR"),
        None,
    )
    .await;
    hidden(&html, "token").expect("the form has a token")
}

fn png_bytes() -> Vec<u8> {
    let img = image::RgbImage::from_fn(64, 48, |x, y| {
        image::Rgb([(x * 4) as u8, (y * 5) as u8, 90])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

fn multipart_with_file(fields: &[(&str, &str)], file: &[u8]) -> (String, Vec<u8>) {
    let boundary = "----tutela-test-boundary-2";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"screenshot\"; filename=\"s.png\"\r\n\
             Content-Type: image/png\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(file);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

fn from_client(mut req: Request<Body>) -> Request<Body> {
    let addr: std::net::SocketAddr = "203.0.113.7:50000".parse().unwrap();
    req.extensions_mut()
        .insert(axum::extract::ConnectInfo(addr));
    req
}

#[tokio::test]
async fn a_report_with_a_screenshot_is_filed_sealed_and_its_receipt_shows_received() {
    let (_dir, state) = state_with(None).await;
    let token = form_token(&state, "private_info").await;
    let (content_type, body) = multipart_with_file(
        &[
            ("reason", "private_info"),
            ("lang", "fr"),
            ("country", "FR"),
            ("content_id", "page-test-1"),
            ("token", &token),
            ("for", "me"),
            ("details", "Someone posted my address (synthetic)"),
        ],
        &png_bytes(),
    );
    let req = Request::post("/report")
        .header(header::CONTENT_TYPE, content_type)
        .body(Body::from(body))
        .unwrap();
    let (resp, _) = send(&state, from_client(req)).await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let location = resp.headers()[header::LOCATION]
        .to_str()
        .unwrap()
        .to_string();
    assert!(location.starts_with("/report/done?code="), "{location}");
    let (resp, html) = get(&state, &location, None).await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert!(html.contains(tutela_i18n::text(Lang::Fr, "done.title")));
    let code = html
        .split("id=\"receipt\" dir=\"ltr\">")
        .nth(1)
        .and_then(|rest| rest.split('<').next())
        .unwrap()
        .to_string();
    let (_, status) = get(&state, &format!("/report/status?code={code}&lang=fr"), None).await;
    assert!(status.contains("id=\"status-state\""));
    assert!(
        status
            .replace("&#39;", "'")
            .contains(tutela_i18n::text(Lang::Fr, "status.received"))
    );
    // The screenshot went into the vault as evidence of the report's case.
    let query = tutela_core::CaseQuery {
        text: Some("page-test-1".into()),
        queues: vec![tutela_core::Queue::ChildSafety, tutela_core::Queue::General],
        limit: 10,
        ..Default::default()
    };
    let case = state
        .store
        .search_cases(&query)
        .await
        .unwrap()
        .into_iter()
        .find(|c| c.content_id.as_deref() == Some("page-test-1"))
        .expect("a case for the reported content");
    let detail = state.store.case_detail(case.id).await.unwrap().unwrap();
    let png = png_bytes();
    let sealed: Vec<_> = detail
        .evidence
        .iter()
        .filter(|e| e.media_type == "image/png")
        .collect();
    assert_eq!(sealed.len(), 1, "{:?}", detail.evidence);
    assert_eq!(sealed[0].size, png.len() as i64);
}

#[tokio::test]
async fn a_flooding_client_is_told_to_wait_and_keeps_what_they_wrote() {
    let (_dir, state) = state_with(Some("[reports]\nmax_per_hour_per_reporter = 2\n")).await;
    let mut statuses = Vec::new();
    let mut last = String::new();
    for i in 0..4 {
        let token = form_token(&state, "scam").await;
        let (content_type, body) = multipart(&[
            ("reason", "scam"),
            ("lang", "en"),
            ("token", &token),
            ("content_id", &format!("flood-{i}")),
            ("details", "A fake prize (synthetic)"),
        ]);
        let req = Request::post("/report")
            .header(header::CONTENT_TYPE, content_type)
            .body(Body::from(body))
            .unwrap();
        let (resp, html) = send(&state, from_client(req)).await;
        statuses.push(resp.status().as_u16());
        last = html;
    }
    assert_eq!(&statuses[..2], &[303, 303], "{statuses:?}");
    assert_eq!(statuses[3], 429, "{statuses:?}");
    assert!(last.contains(tutela_i18n::text(Lang::En, "errors.too_many")));
    assert!(last.contains("A fake prize (synthetic)"));
    // Urgent reasons are never refused, even from the same client.
    let token = form_token(&state, "self_harm").await;
    let (content_type, body) = multipart(&[("reason", "self_harm"), ("token", &token)]);
    let req = Request::post("/report")
        .header(header::CONTENT_TYPE, content_type)
        .body(Body::from(body))
        .unwrap();
    let (resp, _) = send(&state, from_client(req)).await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
}
