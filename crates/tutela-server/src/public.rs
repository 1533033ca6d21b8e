//! The public pages a child, a parent or an affected user sees: `/report` (three steps: what
//! happened, tell us more, confirmation with a receipt code), `/report/status` (status and outcome
//! by receipt code) and `/appeal` (the decision's statement of reasons and an appeal form).
//!
//! Server-rendered HTML that works without JavaScript, every text from `tutela-i18n` in the
//! reader's language, help (emergency numbers and child helplines from `tutela-helplines`) shown
//! before the form for urgent reasons and on every confirmation. The pages may be embedded in a
//! platform's iframe, so they carry their own Content-Security-Policy (`frame-ancestors` from
//! `[public]` in the config); the console keeps its strict one. There is no session: forms carry
//! a signed, time-limited token so other sites cannot post them blind. Filing, flood control and
//! storage are the backend's ([`crate::reports`]); nothing here logs what a reporter wrote or who
//! they are, and no page ever says who reported anything.

use crate::error::ApiError;
use crate::reports::{self, AppealInput, Channel, ReportInput};
use crate::state::Shared;
use askama::Template;
use axum::Router;
use axum::extract::connect_info::ConnectInfo;
use axum::extract::{Form, Multipart, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use hmac::{Hmac, KeyInit, Mac};
use serde::Deserialize;
use sha2::Sha256;
use std::collections::BTreeMap;
use std::net::SocketAddr;
use tower_http::set_header::SetResponseHeaderLayer;
use tutela_core::report::{ReportReason, ReportStatus};
use tutela_helplines::{ChannelKind, EmergencyService, Helpline, Hours};
use tutela_i18n::Lang;

/// `[public]` in `tutela.toml`.
#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PublicConfig {
    /// Who may embed the public pages in a frame: the CSP `frame-ancestors` sources, for
    /// example `"https://platform.example"`; `"*"` (the default) allows any site, `"'none'"` no
    /// site. The review console can never be framed.
    pub frame_ancestors: String,
    /// Behind a reverse proxy every visitor comes from the proxy's address: set this to take
    /// the client's address from the first entry of `X-Forwarded-For` instead (only when the
    /// proxy sets that header, or anyone could pick their own flood-control key).
    pub trust_forwarded_for: bool,
}

impl Default for PublicConfig {
    fn default() -> Self {
        PublicConfig {
            frame_ancestors: "*".into(),
            trust_forwarded_for: false,
        }
    }
}

impl PublicConfig {
    /// The pages' Content-Security-Policy, or why `frame_ancestors` cannot be used in one.
    pub fn content_security_policy(&self) -> Result<String, String> {
        let sources = self.frame_ancestors.trim();
        let ok = !sources.is_empty()
            && sources
                .chars()
                .all(|c| c.is_ascii_graphic() && !matches!(c, ';' | ',') || c == ' ');
        if !ok {
            return Err(format!(
                "[public] frame_ancestors {:?}: give space-separated CSP sources such as \
                 \"https://platform.example\", \"*\" or \"'none'\"",
                self.frame_ancestors
            ));
        }
        Ok(format!(
            "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; \
             base-uri 'none'; frame-ancestors {sources}"
        ))
    }
}

/// The routes of the public pages, with their own CSP header.
pub fn routes(state: &Shared) -> Router<Shared> {
    let csp = state
        .config
        .public
        .content_security_policy()
        .unwrap_or_else(|e| {
            // Config::load refuses such a value; fail closed if one got here anyway.
            tracing::error!(error = %e, "public pages: bad frame_ancestors; framing refused");
            "default-src 'none'; style-src 'self'; form-action 'self'; frame-ancestors 'none'"
                .into()
        });
    Router::new()
        .route("/report", get(step1).post(submit_report))
        .route("/report/form", get(step2))
        .route("/report/done", get(done))
        .route("/report/status", get(status))
        .route("/appeal", get(appeal).post(submit_appeal))
        .route("/appeal/done", get(appeal_done))
        .route("/report/static/public.css", get(css))
        .layer(SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_str(&csp).expect("checked: printable ASCII"),
        ))
}

async fn css() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../static/public.css"),
    )
        .into_response()
}

// ---- language, texts and the frame of every page ----

const LANG_COOKIE: &str = "tutela_lang";

/// The language of a request: `?lang=` (or the form's `lang`), then the cookie, then the
/// browser's `Accept-Language`.
fn language(explicit: Option<&str>, headers: &HeaderMap) -> Lang {
    let cookie = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == LANG_COOKIE)
        .map(|(_, value)| value);
    let accept = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok());
    tutela_i18n::negotiate(explicit, cookie, accept)
}

/// A link of the language switcher.
pub struct LangLink {
    pub code: &'static str,
    pub name: &'static str,
    pub href: String,
    pub current: bool,
}

/// What every page's frame needs: the language, its texts, the title and the switcher.
pub struct PageFrame {
    pub lang: Lang,
    pub code: &'static str,
    pub dir: &'static str,
    pub title: String,
    pub step: Option<u8>,
    pub languages: Vec<LangLink>,
}

impl PageFrame {
    /// `path` and `query` rebuild this page in another language.
    fn new(lang: Lang, title_key: &str, step: Option<u8>, path: &str, query: &Params) -> Self {
        let languages = Lang::ALL
            .into_iter()
            .map(|l| LangLink {
                code: l.code(),
                name: l.native_name(),
                href: link(path, &query.with("lang", l.code())),
                current: l == lang,
            })
            .collect();
        PageFrame {
            lang,
            code: lang.code(),
            dir: lang.dir(),
            title: tr(lang, title_key).to_string(),
            step,
            languages,
        }
    }

    /// The text of `key` in the page's language.
    pub fn t(&self, key: &str) -> &'static str {
        tr(self.lang, key)
    }

    /// The text of `key` with one `{name}` filled in.
    pub fn f(&self, key: &str, name: &str, value: &str) -> String {
        tutela_i18n::format(self.lang, key, &[(name, value)])
    }

    /// The text of `key` before and after its `{name}` placeholder, to wrap the value in markup
    /// (a `<time>`) wherever the language puts it.
    pub fn around(&self, key: &str, name: &str) -> (&'static str, &'static str) {
        let text = self.t(key);
        let mark = format!("{{{name}}}");
        match text.find(&mark) {
            Some(i) => (&text[..i], &text[i + mark.len()..]),
            None => (text, ""),
        }
    }

    pub fn step_text(&self) -> String {
        self.step
            .map(|n| self.f("common.step", "number", &n.to_string()))
            .unwrap_or_default()
    }
}

/// The text of `key` in `lang` (English when the language lacks it). A key no file has is a
/// programming error; the page then shows a visible marker, and the tests render every page.
fn tr(lang: Lang, key: &str) -> &'static str {
    tutela_i18n::lookup(lang, key).unwrap_or_else(|| {
        tracing::error!(key, "public pages: no text for this key");
        MISSING_TEXT
    })
}

const MISSING_TEXT: &str = "[missing text]";

/// Query parameters in a fixed order, for links that keep the platform's hints.
#[derive(Clone, Default)]
struct Params(BTreeMap<&'static str, String>);

impl Params {
    fn with(&self, key: &'static str, value: &str) -> Params {
        let mut p = self.clone();
        p.0.insert(key, value.to_string());
        p
    }
    fn set(&mut self, key: &'static str, value: Option<&str>) {
        if let Some(v) = value.filter(|v| !v.is_empty()) {
            self.0.insert(key, v.to_string());
        }
    }
}

fn link(path: &str, params: &Params) -> String {
    if params.0.is_empty() {
        return path.to_string();
    }
    let mut q = form_urlencoded::Serializer::new(String::new());
    for (k, v) in &params.0 {
        q.append_pair(k, v);
    }
    format!("{path}?{}", q.finish())
}

fn render(t: &impl Template, status: StatusCode, set_lang: Option<Lang>) -> Response {
    match t.render() {
        Ok(html) => {
            let mut resp =
                (status, [(header::CACHE_CONTROL, "no-store")], Html(html)).into_response();
            if let Some(lang) = set_lang {
                let cookie = format!(
                    "{LANG_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly",
                    lang.code()
                );
                if let Ok(v) = HeaderValue::from_str(&cookie) {
                    resp.headers_mut().insert(header::SET_COOKIE, v);
                }
            }
            resp
        }
        Err(e) => ApiError::internal(e).into_response(),
    }
}

/// `2026-11-29 14:05 UTC`: the same in every language, and short.
pub fn fmt_date(t: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(t)
        .map(|d| {
            format!(
                "{:04}-{:02}-{:02} {:02}:{:02} UTC",
                d.year(),
                u8::from(d.month()),
                d.day(),
                d.hour(),
                d.minute()
            )
        })
        .unwrap_or_default()
}

// ---- the platform's hints (query of /report, hidden fields later) ----

/// Longest hint kept; longer ones are cut (they are identifiers and links, not prose).
const MAX_HINT: usize = 2048;

#[derive(Deserialize, Default, Clone)]
pub struct Hints {
    #[serde(default)]
    content_id: Option<String>,
    #[serde(default)]
    account: Option<String>,
    #[serde(default)]
    surface: Option<String>,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    platform_report_id: Option<String>,
}

fn clean(value: Option<&str>, max: usize) -> Option<String> {
    let v = value?.trim();
    if v.is_empty() {
        return None;
    }
    let cut = v.char_indices().nth(max).map_or(v.len(), |(i, _)| i);
    Some(v[..cut].to_string())
}

impl Hints {
    fn cleaned(&self) -> Hints {
        Hints {
            content_id: clean(self.content_id.as_deref(), MAX_HINT),
            account: clean(self.account.as_deref(), MAX_HINT),
            surface: clean(self.surface.as_deref(), 32),
            url: clean(self.url.as_deref(), MAX_HINT),
            platform_report_id: clean(self.platform_report_id.as_deref(), MAX_HINT),
        }
    }

    fn params(&self) -> Params {
        let mut p = Params::default();
        p.set("content_id", self.content_id.as_deref());
        p.set("account", self.account.as_deref());
        p.set("surface", self.surface.as_deref());
        p.set("url", self.url.as_deref());
        p.set("platform_report_id", self.platform_report_id.as_deref());
        p
    }

    /// (name, value) of the hidden fields that carry the hints through the forms.
    fn hidden(&self) -> Vec<(&'static str, String)> {
        self.params().0.into_iter().collect()
    }
}

// ---- help: emergency numbers and helplines of a country ----

pub struct HelpLink {
    pub text: String,
    pub href: String,
}

pub struct HelplineView {
    pub name: String,
    /// The name in the local language, when it differs.
    pub local_name: Option<String>,
    pub links: Vec<HelpLink>,
    pub hours: String,
    pub free: bool,
}

pub struct HelpView {
    pub country_name: String,
    /// (label, number, tel: href).
    pub emergency: Vec<(String, String, String)>,
    pub helplines: Vec<HelplineView>,
    pub international: Vec<HelplineView>,
    pub none_in_country: bool,
}

fn tel_href(scheme: &str, number: &str) -> String {
    let digits: String = number
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '+')
        .collect();
    format!("{scheme}:{digits}")
}

fn helpline_view(lang: Lang, h: &Helpline) -> HelplineView {
    let t = |k: &str| tr(lang, k);
    let f = |k: &str, v: &str| tutela_i18n::format(lang, k, &[("number", v)]);
    let links = h
        .channels
        .iter()
        .filter_map(|c| match c.kind {
            ChannelKind::Phone => Some(HelpLink {
                text: f("help.call", &c.value),
                href: tel_href("tel", &c.value),
            }),
            ChannelKind::Sms => Some(HelpLink {
                text: match &c.note {
                    Some(note) => format!("{} ({note})", f("help.text", &c.value)),
                    None => f("help.text", &c.value),
                },
                href: tel_href("sms", &c.value),
            }),
            ChannelKind::Chat => Some(HelpLink {
                text: t("help.chat").to_string(),
                href: c.value.clone(),
            }),
            ChannelKind::Web => Some(HelpLink {
                text: t("help.website").to_string(),
                href: c.value.clone(),
            }),
            ChannelKind::Email => None,
        })
        .collect();
    let hours = match &h.hours {
        Hours::Always => t("help.always_open").to_string(),
        Hours::Schedule { text, .. } => tutela_i18n::format(lang, "help.hours", &[("hours", text)]),
        Hours::Unverified => String::new(),
    };
    HelplineView {
        name: h.name.clone(),
        local_name: (h.local_name != h.name).then(|| h.local_name.clone()),
        links,
        hours,
        free: h.free,
    }
}

fn help_view(lang: Lang, country: Option<&str>) -> HelpView {
    let directory = tutela_helplines::directory();
    let help = country.and_then(|c| directory.for_country(c));
    let international = directory
        .international()
        .iter()
        .map(|h| helpline_view(lang, h))
        .collect();
    let Some(help) = help else {
        return HelpView {
            country_name: String::new(),
            emergency: Vec::new(),
            helplines: Vec::new(),
            international,
            none_in_country: true,
        };
    };
    let emergency = help
        .emergency
        .iter()
        .map(|e| {
            let key = match e.service {
                EmergencyService::General => "help.emergency_general",
                EmergencyService::Police => "help.emergency_police",
                EmergencyService::Ambulance => "help.emergency_ambulance",
                EmergencyService::Fire => "help.emergency_fire",
            };
            (
                tr(lang, key).to_string(),
                e.number.clone(),
                tel_href("tel", &e.number),
            )
        })
        .collect();
    let helplines: Vec<HelplineView> = help
        .helplines
        .iter()
        .map(|h| helpline_view(lang, h))
        .collect();
    HelpView {
        country_name: help.country_name.to_string(),
        emergency,
        none_in_country: helplines.is_empty(),
        helplines,
        international,
    }
}

/// The country to show help for: the explicit one when the directory has it, else a guess from
/// the browser's language (which the picker always lets the reader change).
fn country(explicit: Option<&str>, headers: &HeaderMap) -> Option<String> {
    let directory = tutela_helplines::directory();
    if let Some(c) = explicit.and_then(|c| directory.country(c)) {
        return Some(c.code.clone());
    }
    headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(tutela_helplines::country_from_accept_language)
}

// ---- signed form tokens (no session: a token shows the form came from this server) ----

/// A form may be sent this long after it was shown (a child may take their time).
const TOKEN_SECONDS: i64 = 6 * 3600;

/// The key of the form tokens: derived from the master key, so it is never the vault key.
fn token_key(master: &tutela_core::vault::MasterKey) -> [u8; 32] {
    let mut derive = <Hmac<Sha256> as KeyInit>::new_from_slice(master.to_hex().as_bytes())
        .expect("HMAC takes any key length");
    derive.update(b"tutela public form token v1");
    derive.finalize().into_bytes().into()
}

fn token_mac(key: &[u8; 32], purpose: &str, issued: i64) -> Hmac<Sha256> {
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(key).expect("32-byte key");
    mac.update(format!("{purpose}|{issued}").as_bytes());
    mac
}

fn make_token(key: &[u8; 32], purpose: &str, now: i64) -> String {
    let tag = token_mac(key, purpose, now).finalize().into_bytes();
    format!("{now}.{}", hex::encode(tag))
}

/// Whether `token` was made with `key` for `purpose` within [`TOKEN_SECONDS`] before `now`.
fn check_token(key: &[u8; 32], purpose: &str, token: &str, now: i64) -> bool {
    let Some((issued, tag)) = token.split_once('.') else {
        return false;
    };
    let (Ok(issued), Ok(tag)) = (issued.parse::<i64>(), hex::decode(tag)) else {
        return false;
    };
    if issued > now + 60 || now - issued > TOKEN_SECONDS {
        return false;
    }
    token_mac(key, purpose, issued).verify_slice(&tag).is_ok()
}

/// A token for a form of `purpose` (`report`, `appeal`) shown now.
pub fn form_token(state: &Shared, purpose: &str, now: i64) -> String {
    make_token(&token_key(&state.master), purpose, now)
}

/// Whether a posted token is this server's, for this purpose, and recent.
pub fn token_valid(state: &Shared, purpose: &str, token: &str, now: i64) -> bool {
    check_token(&token_key(&state.master), purpose, token, now)
}

// ---- step 1: what happened ----

/// A choice of step 1: one of the reasons, or "in danger right now".
#[derive(Clone, Copy, PartialEq, Eq)]
enum Choice {
    Reason(ReportReason),
    InDanger,
}

impl Choice {
    fn parse(s: &str) -> Option<Choice> {
        if s == "in_danger" {
            return Some(Choice::InDanger);
        }
        s.parse().ok().map(Choice::Reason)
    }
    fn name(self) -> &'static str {
        match self {
            Choice::Reason(r) => r.name(),
            Choice::InDanger => "in_danger",
        }
    }
    fn reason(self) -> ReportReason {
        match self {
            Choice::Reason(r) => r,
            Choice::InDanger => ReportReason::Other,
        }
    }
    fn in_danger(self) -> bool {
        self == Choice::InDanger
    }
    fn urgent(self) -> bool {
        self.reason().shows_help_first(self.in_danger())
    }
}

pub struct ReasonView {
    pub value: &'static str,
    pub text: &'static str,
    pub icon: &'static str,
    pub urgent: bool,
}

pub struct CountryOption {
    pub code: String,
    pub name: String,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "public/report.html")]
struct Step1Page {
    page: PageFrame,
    reasons: Vec<ReasonView>,
    countries: Vec<CountryOption>,
    country_known: bool,
    hidden: Vec<(&'static str, String)>,
}

#[derive(Deserialize, Default)]
pub struct EntryQuery {
    lang: Option<String>,
    country: Option<String>,
    #[serde(flatten)]
    hints: Hints,
}

fn choices() -> Vec<Choice> {
    // "In danger" first: it is the one that cannot wait.
    std::iter::once(Choice::InDanger)
        .chain(ReportReason::ALL.iter().copied().map(Choice::Reason))
        .collect()
}

fn country_options(selected: Option<&str>) -> Vec<CountryOption> {
    tutela_helplines::directory()
        .countries()
        .iter()
        .map(|c| CountryOption {
            code: c.code.clone(),
            name: c.name.clone(),
            selected: Some(c.code.as_str()) == selected,
        })
        .collect()
}

async fn step1(headers: HeaderMap, Query(q): Query<EntryQuery>) -> Response {
    let lang = language(q.lang.as_deref(), &headers);
    let hints = q.hints.cleaned();
    let country = country(q.country.as_deref(), &headers);
    let mut params = hints.params();
    params.set("country", country.as_deref());
    let page = PageFrame::new(lang, "step1.title", Some(1), "/report", &params);
    let reasons = choices()
        .into_iter()
        .map(|c| ReasonView {
            value: c.name(),
            text: tr(lang, &format!("reasons.{}", c.name())),
            icon: icon(c.name()),
            urgent: c.urgent(),
        })
        .collect();
    let mut hidden = hints.hidden();
    hidden.push(("lang", lang.code().to_string()));
    render(
        &Step1Page {
            page,
            reasons,
            country_known: country.is_some(),
            countries: country_options(country.as_deref()),
            hidden,
        },
        StatusCode::OK,
        q.lang.as_deref().and_then(Lang::from_tag),
    )
}

// ---- step 2: tell us more (help first when urgent) ----

/// What the reader typed, kept when the form comes back with an error.
#[derive(Default, Clone)]
pub struct Entered {
    pub for_friend: bool,
    pub link: String,
    pub message: String,
    pub details: String,
    pub contact: String,
}

#[derive(Template)]
#[template(path = "public/form.html")]
struct Step2Page {
    page: PageFrame,
    reason_text: &'static str,
    urgent: bool,
    sextortion: bool,
    no_copy: bool,
    help: HelpView,
    hidden: Vec<(&'static str, String)>,
    entered: Entered,
    error: Option<&'static str>,
    start_link: String,
    /// The country picker beside the help: (hidden fields to keep, countries).
    switch_hidden: Vec<(&'static str, String)>,
    countries: Vec<CountryOption>,
    country_known: bool,
}

#[derive(Deserialize, Default)]
pub struct FormQuery {
    reason: Option<String>,
    lang: Option<String>,
    country: Option<String>,
    #[serde(flatten)]
    hints: Hints,
}

struct Step2Input {
    lang: Lang,
    choice: Choice,
    country: Option<String>,
    hints: Hints,
}

fn step2_page(
    state: &Shared,
    input: &Step2Input,
    entered: Entered,
    error: Option<&'static str>,
) -> Step2Page {
    let Step2Input {
        lang,
        choice,
        country,
        hints,
    } = input;
    let mut params = hints.params();
    params.set("country", country.as_deref());
    let start_link = link("/report", &params.with("lang", lang.code()));
    params.set("reason", Some(choice.name()));
    let page = PageFrame::new(*lang, "step2.title", Some(2), "/report/form", &params);
    let mut hidden = hints.hidden();
    hidden.push(("reason", choice.name().to_string()));
    hidden.push(("lang", lang.code().to_string()));
    let switch_hidden = hidden.clone();
    if let Some(c) = country {
        hidden.push(("country", c.clone()));
    }
    hidden.push(("token", form_token(state, "report", crate::now())));
    Step2Page {
        reason_text: tr(*lang, &format!("reasons.{}", choice.name())),
        urgent: choice.urgent(),
        sextortion: choice.reason() == ReportReason::Sextortion,
        no_copy: choice.reason() == ReportReason::ChildSexualImagery,
        help: help_view(*lang, country.as_deref()),
        page,
        hidden,
        entered,
        error,
        start_link,
        switch_hidden,
        countries: country_options(country.as_deref()),
        country_known: country.is_some(),
    }
}

async fn step2(
    State(state): State<Shared>,
    headers: HeaderMap,
    Query(q): Query<FormQuery>,
) -> Response {
    let lang = language(q.lang.as_deref(), &headers);
    let hints = q.hints.cleaned();
    let Some(choice) = q.reason.as_deref().and_then(Choice::parse) else {
        // No reason (or a made-up one): back to step 1, keeping everything else.
        let mut params = hints.params();
        params.set("country", q.country.as_deref());
        params.set("lang", q.lang.as_deref());
        return Redirect::to(&link("/report", &params)).into_response();
    };
    let input = Step2Input {
        lang,
        choice,
        country: country(q.country.as_deref(), &headers),
        hints,
    };
    render(
        &step2_page(&state, &input, Entered::default(), None),
        StatusCode::OK,
        q.lang.as_deref().and_then(Lang::from_tag),
    )
}

/// Longest free text kept from a form field.
const MAX_TEXT: usize = 20_000;
/// Largest screenshot taken.
const MAX_SCREENSHOT: usize = 10 * 1024 * 1024;

struct ReportForm {
    fields: BTreeMap<String, String>,
    screenshot: Option<Vec<u8>>,
    too_big: bool,
}

async fn read_report_form(mut multipart: Multipart) -> Result<ReportForm, ()> {
    let mut form = ReportForm {
        fields: BTreeMap::new(),
        screenshot: None,
        too_big: false,
    };
    while let Some(mut field) = multipart.next_field().await.map_err(|_| ())? {
        let name = field.name().unwrap_or("").to_string();
        if name == "screenshot" {
            let mut bytes = Vec::new();
            while let Some(chunk) = field.chunk().await.map_err(|_| ())? {
                if bytes.len() + chunk.len() > MAX_SCREENSHOT {
                    form.too_big = true;
                    break;
                }
                bytes.extend_from_slice(&chunk);
            }
            if !bytes.is_empty() && !form.too_big {
                form.screenshot = Some(bytes);
            }
        } else if form.fields.len() < 32 {
            let text = field.text().await.map_err(|_| ())?;
            let cut = text
                .char_indices()
                .nth(MAX_TEXT)
                .map_or(text.len(), |(i, _)| i);
            form.fields.insert(name, text[..cut].to_string());
        }
    }
    Ok(form)
}

fn client_key(
    state: &Shared,
    headers: &HeaderMap,
    extensions: &axum::http::Extensions,
) -> Option<String> {
    let forwarded = state
        .config
        .public
        .trust_forwarded_for
        .then(|| forwarded_for(headers))
        .flatten();
    forwarded
        .or_else(|| {
            extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|ConnectInfo(addr)| addr.ip())
        })
        .map(|ip| reports::client_key(state, ip))
}

/// The first (client) address of `X-Forwarded-For`.
fn forwarded_for(headers: &HeaderMap) -> Option<std::net::IpAddr> {
    headers
        .get("x-forwarded-for")?
        .to_str()
        .ok()?
        .split(',')
        .next()?
        .trim()
        .parse()
        .ok()
}

async fn submit_report(
    State(state): State<Shared>,
    headers: HeaderMap,
    extensions: axum::http::Extensions,
    multipart: Multipart,
) -> Response {
    let Ok(form) = read_report_form(multipart).await else {
        let lang = language(None, &headers);
        return error_page(lang, "errors.bad_form", StatusCode::BAD_REQUEST);
    };
    let get = |k: &str| form.fields.get(k).map(String::as_str);
    let lang = language(get("lang"), &headers);
    let Some(choice) = get("reason").and_then(Choice::parse) else {
        return error_page(lang, "errors.bad_form", StatusCode::BAD_REQUEST);
    };
    let hints = Hints {
        content_id: get("content_id").map(str::to_string),
        account: get("account").map(str::to_string),
        surface: get("surface").map(str::to_string),
        url: get("url").map(str::to_string),
        platform_report_id: get("platform_report_id").map(str::to_string),
    }
    .cleaned();
    let input = Step2Input {
        lang,
        choice,
        country: country(get("country"), &headers),
        hints: hints.clone(),
    };
    let entered = Entered {
        for_friend: get("for") == Some("friend"),
        link: get("link").unwrap_or("").to_string(),
        message: get("message").unwrap_or("").to_string(),
        details: get("details").unwrap_or("").to_string(),
        contact: get("contact").unwrap_or("").to_string(),
    };
    let again = |error: &'static str, status: StatusCode| {
        render(
            &step2_page(&state, &input, entered.clone(), Some(error)),
            status,
            None,
        )
    };
    if !token_valid(&state, "report", get("token").unwrap_or(""), crate::now()) {
        return again("errors.expired", StatusCode::FORBIDDEN);
    }
    if form.too_big {
        return again("errors.too_big", StatusCode::PAYLOAD_TOO_LARGE);
    }
    let mut report = ReportInput::new(choice.reason());
    report.in_danger = choice.in_danger();
    report.for_friend = entered.for_friend;
    report.content_id = hints.content_id.clone();
    report.content_url = clean(Some(&entered.link), MAX_HINT).or(hints.url.clone());
    report.account_id = hints.account.clone();
    report.surface = hints
        .surface
        .as_deref()
        .and_then(|s| s.parse().ok())
        .unwrap_or(tutela_core::Surface::Other);
    report.message_text = clean(Some(&entered.message), MAX_TEXT);
    report.details = clean(Some(&entered.details), MAX_TEXT);
    report.screenshot = form.screenshot;
    report.contact = clean(Some(&entered.contact), 320);
    report.lang = Some(lang.code().to_string());
    report.country = input.country.clone();
    report.platform_report_id = hints.platform_report_id.clone();
    report.client_key = client_key(&state, &headers, &extensions);
    match reports::file_report(&state, report, Channel::Page, "public:report-page").await {
        Ok(filed) => {
            let mut params = Params::default();
            params.set("code", Some(&filed.receipt));
            params.set("lang", Some(lang.code()));
            params.set("country", input.country.as_deref());
            if filed.urgent {
                params.set("urgent", Some("1"));
            }
            Redirect::to(&link("/report/done", &params)).into_response()
        }
        Err(e) if e.status == StatusCode::TOO_MANY_REQUESTS => {
            again("errors.too_many", StatusCode::TOO_MANY_REQUESTS)
        }
        Err(e) if e.status == StatusCode::PAYLOAD_TOO_LARGE => {
            again("errors.too_big", StatusCode::PAYLOAD_TOO_LARGE)
        }
        Err(e) if e.status.is_client_error() => again("errors.bad_form", e.status),
        Err(e) => again("errors.server", e.status),
    }
}

// ---- step 3: you did the right thing ----

#[derive(Template)]
#[template(path = "public/done.html")]
struct DonePage {
    page: PageFrame,
    code: String,
    urgent: bool,
    expected_by: Option<(String, String)>,
    status_link: String,
    help: HelpView,
}

#[derive(Deserialize, Default)]
pub struct CodeQuery {
    code: Option<String>,
    lang: Option<String>,
    country: Option<String>,
    urgent: Option<String>,
}

/// (text, RFC 3339) of a time, for a `<time>` element.
fn when(t: i64) -> (String, String) {
    (fmt_date(t), crate::rfc3339(t))
}

async fn done(
    State(state): State<Shared>,
    headers: HeaderMap,
    Query(q): Query<CodeQuery>,
) -> Response {
    let lang = language(q.lang.as_deref(), &headers);
    let code = q.code.as_deref().unwrap_or("").trim().to_string();
    let view = match reports::status_by_receipt(&state, &code).await {
        Ok(Some(v)) if v.kind == "report" => v,
        Ok(_) => {
            return Redirect::to(&status_link(lang, &code, q.country.as_deref())).into_response();
        }
        // The backend logged it (without what the reporter wrote).
        Err(_) => return error_page(lang, "errors.server", StatusCode::INTERNAL_SERVER_ERROR),
    };
    let country = country(q.country.as_deref(), &headers);
    let mut params = Params::default();
    params.set("code", Some(&code));
    params.set("country", country.as_deref());
    params.set("urgent", q.urgent.as_deref());
    render(
        &DonePage {
            page: PageFrame::new(lang, "done.title", Some(3), "/report/done", &params),
            urgent: q.urgent.as_deref() == Some("1"),
            expected_by: view.expected_by.map(when),
            status_link: status_link(lang, &code, country.as_deref()),
            help: help_view(lang, country.as_deref()),
            code,
        },
        StatusCode::OK,
        None,
    )
}

fn status_link(lang: Lang, code: &str, country: Option<&str>) -> String {
    let mut params = Params::default();
    params.set("code", Some(code));
    params.set("lang", Some(lang.code()));
    params.set("country", country);
    link("/report/status", &params)
}

// ---- status by receipt code ----

pub struct StatusShown {
    pub kind: &'static str,
    pub reason: Option<&'static str>,
    pub state: &'static str,
    pub decided: bool,
    pub sent_on: (String, String),
    pub expected_by: Option<(String, String)>,
    pub decided_on: Option<(String, String)>,
    pub outcome: Option<&'static str>,
}

#[derive(Template)]
#[template(path = "public/status.html")]
struct StatusPage {
    page: PageFrame,
    code: String,
    not_found: bool,
    shown: Option<StatusShown>,
    country: Option<String>,
    help: HelpView,
}

async fn status(
    State(state): State<Shared>,
    headers: HeaderMap,
    Query(q): Query<CodeQuery>,
) -> Response {
    let lang = language(q.lang.as_deref(), &headers);
    let t = |k: &str| tr(lang, k);
    let code = clean(q.code.as_deref(), 64).unwrap_or_default();
    let found = if code.is_empty() {
        None
    } else {
        match reports::status_by_receipt(&state, &code).await {
            Ok(found) => found,
            Err(_) => {
                return error_page(lang, "errors.server", StatusCode::INTERNAL_SERVER_ERROR);
            }
        }
    };
    let shown = found.map(|v| StatusShown {
        kind: t(if v.kind == "appeal" {
            "status.kind_appeal"
        } else {
            "status.kind_report"
        }),
        reason: v.reason.map(|r| t(&format!("reasons.{}", r.name()))),
        state: t(match v.status {
            ReportStatus::Received => "status.received",
            ReportStatus::InReview => "status.in_review",
            ReportStatus::Decided => "status.decided",
        }),
        decided: v.status == ReportStatus::Decided,
        sent_on: when(v.received_at),
        expected_by: v
            .expected_by
            .filter(|_| v.status != ReportStatus::Decided)
            .map(when),
        decided_on: v.decided_at.map(when),
        outcome: v
            .outcome
            .map(|o| t(&format!("status.outcome_{}", o.name()))),
    });
    let country = country(q.country.as_deref(), &headers);
    let mut params = Params::default();
    params.set("code", Some(&code));
    params.set("country", country.as_deref());
    render(
        &StatusPage {
            page: PageFrame::new(lang, "status.title", None, "/report/status", &params),
            not_found: !code.is_empty() && shown.is_none(),
            shown,
            help: help_view(lang, country.as_deref()),
            country,
            code,
        },
        StatusCode::OK,
        q.lang.as_deref().and_then(Lang::from_tag),
    )
}

// ---- appeal: the statement of reasons and the appeal form ----

pub struct DecisionShown {
    pub action: &'static str,
    pub ground: &'static str,
    pub explanation: String,
    pub decided_on: (String, String),
    pub until: (String, String),
    pub open: bool,
    pub already: bool,
}

#[derive(Template)]
#[template(path = "public/appeal.html")]
struct AppealPage {
    page: PageFrame,
    code: String,
    not_found: bool,
    decision: Option<DecisionShown>,
    token: String,
    statement: String,
    contact: String,
    error: Option<&'static str>,
    status_link: String,
}

async fn appeal_page(
    state: &Shared,
    lang: Lang,
    code: String,
    statement: String,
    contact: String,
    error: Option<&'static str>,
) -> Result<AppealPage, ApiError> {
    let t = |k: &str| tr(lang, k);
    let found = if code.is_empty() {
        None
    } else {
        reports::appealable_by_code(state, &code).await?
    };
    let now = crate::now();
    let decision = found.map(|a| DecisionShown {
        action: t(&format!("appeal.action_{}", a.action.name())),
        ground: t(&format!("appeal.ground_{}", a.ground.name())),
        explanation: a.explanation.clone(),
        decided_on: when(a.decided_at),
        until: when(a.appeal_until),
        open: now <= a.appeal_until && !a.already_appealed,
        already: a.already_appealed,
    });
    let mut params = Params::default();
    params.set("code", Some(&code));
    Ok(AppealPage {
        page: PageFrame::new(lang, "appeal.title", None, "/appeal", &params),
        not_found: !code.is_empty() && decision.is_none(),
        decision,
        token: form_token(state, "appeal", now),
        status_link: status_link(lang, &code, None),
        statement,
        contact,
        error,
        code,
    })
}

async fn appeal(
    State(state): State<Shared>,
    headers: HeaderMap,
    Query(q): Query<CodeQuery>,
) -> Response {
    let lang = language(q.lang.as_deref(), &headers);
    let code = clean(q.code.as_deref(), 64).unwrap_or_default();
    match appeal_page(&state, lang, code, String::new(), String::new(), None).await {
        Ok(page) => render(
            &page,
            StatusCode::OK,
            q.lang.as_deref().and_then(Lang::from_tag),
        ),
        Err(_) => error_page(lang, "errors.server", StatusCode::INTERNAL_SERVER_ERROR),
    }
}

#[derive(Deserialize)]
pub struct AppealForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    statement: String,
    #[serde(default)]
    contact: String,
    #[serde(default)]
    lang: Option<String>,
    #[serde(default)]
    token: String,
}

async fn submit_appeal(
    State(state): State<Shared>,
    headers: HeaderMap,
    Form(form): Form<AppealForm>,
) -> Response {
    let lang = language(form.lang.as_deref(), &headers);
    let code = clean(Some(&form.code), 64).unwrap_or_default();
    let statement = clean(Some(&form.statement), MAX_TEXT).unwrap_or_default();
    let contact = clean(Some(&form.contact), 320).unwrap_or_default();
    let again = |error: &'static str, status: StatusCode| {
        let (state, code, statement, contact) = (
            state.clone(),
            code.clone(),
            statement.clone(),
            contact.clone(),
        );
        async move {
            match appeal_page(&state, lang, code, statement, contact, Some(error)).await {
                Ok(page) => render(&page, status, None),
                Err(_) => error_page(lang, "errors.server", StatusCode::INTERNAL_SERVER_ERROR),
            }
        }
    };
    if !token_valid(&state, "appeal", &form.token, crate::now()) {
        return again("errors.expired", StatusCode::FORBIDDEN).await;
    }
    if statement.is_empty() {
        return again("errors.statement_needed", StatusCode::BAD_REQUEST).await;
    }
    let input = AppealInput {
        code: Some(code.clone()),
        decision_id: None,
        statement: statement.clone(),
        contact: (!contact.is_empty()).then(|| contact.clone()),
        lang: Some(lang.code().to_string()),
    };
    match reports::file_appeal(&state, input, Channel::Page, "public:appeal-page").await {
        Ok(filed) => {
            let mut params = Params::default();
            params.set("code", Some(&filed.receipt));
            params.set("lang", Some(lang.code()));
            Redirect::to(&link("/appeal/done", &params)).into_response()
        }
        Err(e) if e.status == StatusCode::TOO_MANY_REQUESTS => {
            again("errors.too_many", StatusCode::TOO_MANY_REQUESTS).await
        }
        Err(e) if e.status.is_client_error() => again("errors.bad_form", e.status).await,
        Err(e) => again("errors.server", e.status).await,
    }
}

#[derive(Template)]
#[template(path = "public/appeal_done.html")]
struct AppealDonePage {
    page: PageFrame,
    code: String,
    status_link: String,
}

async fn appeal_done(headers: HeaderMap, Query(q): Query<CodeQuery>) -> Response {
    let lang = language(q.lang.as_deref(), &headers);
    let code = clean(q.code.as_deref(), 64).unwrap_or_default();
    let mut params = Params::default();
    params.set("code", Some(&code));
    render(
        &AppealDonePage {
            page: PageFrame::new(lang, "appeal.done_title", None, "/appeal/done", &params),
            status_link: status_link(lang, &code, None),
            code,
        },
        StatusCode::OK,
        None,
    )
}

// ---- errors ----

#[derive(Template)]
#[template(path = "public/error.html")]
struct ErrorPage {
    page: PageFrame,
    message: &'static str,
}

fn error_page(lang: Lang, message_key: &str, status: StatusCode) -> Response {
    render(
        &ErrorPage {
            page: PageFrame::new(lang, "errors.title", None, "/report", &Params::default()),
            message: tr(lang, message_key),
        },
        status,
        None,
    )
}

// ---- icons (inline SVG, decorative: the text beside each says the same) ----

fn icon(name: &str) -> &'static str {
    match name {
        "in_danger" => {
            r#"<path d="M12 3 2 21h20L12 3z"/><path d="M12 10v5"/><circle cx="12" cy="18" r=".6"/>"#
        }
        "sexual_solicitation" => {
            r#"<rect x="3" y="6" width="18" height="13" rx="2"/><circle cx="12" cy="12.5" r="3.5"/><path d="M8 6l1.5-2h5L16 6"/><path d="M3 3l18 18"/>"#
        }
        "sextortion" => {
            r#"<rect x="5" y="10" width="14" height="11" rx="2"/><path d="M8 10V7a4 4 0 0 1 8 0v3"/><circle cx="12" cy="15.5" r="1.5"/>"#
        }
        "bullying" => {
            r#"<path d="M4 5h16v10H9l-5 4V5z"/><path d="M9 9l2 2-2 2"/><path d="M13 9h3"/><path d="M13 12h3"/>"#
        }
        "self_harm" => {
            r#"<path d="M12 20s-7-4.5-7-10a4 4 0 0 1 7-2.5A4 4 0 0 1 19 10c0 5.5-7 10-7 10z"/>"#
        }
        "hate" => {
            r#"<circle cx="12" cy="12" r="9"/><path d="M8 16s1.5-2 4-2 4 2 4 2"/><path d="M8 9l2 1"/><path d="M16 9l-2 1"/>"#
        }
        "dangerous_group" => {
            r#"<circle cx="8" cy="8" r="3"/><circle cx="16" cy="8" r="3"/><path d="M2 20c0-3.5 2.7-6 6-6s6 2.5 6 6"/><path d="M14.5 14.2c.5-.1 1-.2 1.5-.2 3.3 0 6 2.5 6 6"/>"#
        }
        "harmful_goods" => {
            r#"<path d="M6 7h12l-1 13H7L6 7z"/><path d="M9 7V5a3 3 0 0 1 6 0v2"/><path d="M10 12l4 4"/><path d="M14 12l-4 4"/>"#
        }
        "scam" => {
            r#"<path d="M20 12V8H6a2 2 0 0 1 0-4h12v4"/><path d="M4 6v12a2 2 0 0 0 2 2h14v-4"/><path d="M18 12a2 2 0 0 0 0 4h4v-4h-4z"/>"#
        }
        "private_info" => {
            r#"<rect x="3" y="5" width="18" height="14" rx="2"/><circle cx="9" cy="11" r="2"/><path d="M6 16c.6-1.8 1.7-2.5 3-2.5s2.4.7 3 2.5"/><path d="M15 10h3"/><path d="M15 13h3"/>"#
        }
        "child_sexual_imagery" => {
            r#"<path d="M2 12s3.5-7 10-7 10 7 10 7-3.5 7-10 7S2 12 2 12z"/><circle cx="12" cy="12" r="3"/><path d="M3 3l18 18"/>"#
        }
        _ => {
            r#"<circle cx="12" cy="12" r="9"/><path d="M9.5 9a2.5 2.5 0 1 1 3.5 2.3c-.7.3-1 .9-1 1.7v.5"/><circle cx="12" cy="17" r=".6"/>"#
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_client_address_comes_from_the_first_forwarded_entry() {
        let mut h = HeaderMap::new();
        assert_eq!(forwarded_for(&h), None);
        h.insert("x-forwarded-for", "203.0.113.7, 10.0.0.1".parse().unwrap());
        assert_eq!(forwarded_for(&h), Some("203.0.113.7".parse().unwrap()));
        h.insert("x-forwarded-for", "not an address".parse().unwrap());
        assert_eq!(forwarded_for(&h), None);
    }

    use super::*;

    #[test]
    fn the_csp_takes_sources_and_refuses_directive_injection() {
        let default = PublicConfig::default().content_security_policy().unwrap();
        assert!(default.ends_with("frame-ancestors *"), "{default}");
        assert!(default.contains("default-src 'none'"));
        let one = PublicConfig {
            frame_ancestors: "https://a.example https://b.example".into(),
            ..Default::default()
        };
        assert!(
            one.content_security_policy()
                .unwrap()
                .ends_with("frame-ancestors https://a.example https://b.example")
        );
        for bad in ["", "*; script-src *", "a,b", "x\ny"] {
            let c = PublicConfig {
                frame_ancestors: bad.into(),
                ..Default::default()
            };
            assert!(c.content_security_policy().is_err(), "{bad:?}");
        }
    }

    #[test]
    fn links_keep_hints_and_encode_them() {
        let hints = Hints {
            content_id: Some("post 1&x=2".into()),
            url: Some(" ".into()),
            ..Default::default()
        }
        .cleaned();
        assert_eq!(
            link("/report", &hints.params().with("lang", "ar")),
            "/report?content_id=post+1%26x%3D2&lang=ar"
        );
        assert_eq!(link("/report", &Params::default()), "/report");
        let long = "x".repeat(5000);
        assert_eq!(clean(Some(&long), MAX_HINT).unwrap().len(), MAX_HINT);
    }

    #[test]
    fn choices_put_danger_first_and_parse_back() {
        let all = choices();
        assert_eq!(all.len(), ReportReason::ALL.len() + 1);
        assert!(all[0].in_danger() && all[0].urgent());
        for c in all {
            assert!(Choice::parse(c.name()) == Some(c));
            assert!(!tr(Lang::En, &format!("reasons.{}", c.name())).starts_with("reasons."));
        }
        assert!(Choice::parse("nonsense").is_none());
        assert!(Choice::Reason(ReportReason::Sextortion).urgent());
        assert!(Choice::Reason(ReportReason::SelfHarm).urgent());
        assert!(!Choice::Reason(ReportReason::Scam).urgent());
    }

    #[test]
    fn help_for_a_country_lists_emergency_numbers_and_helplines() {
        let help = help_view(Lang::De, Some("DE"));
        assert!(
            help.emergency
                .iter()
                .any(|(_, n, href)| n == "112" && href == "tel:112")
        );
        assert!(
            help.helplines[0]
                .links
                .iter()
                .any(|l| l.href == "tel:116111")
        );
        assert!(!help.none_in_country);
        let nowhere = help_view(Lang::En, None);
        assert!(nowhere.none_in_country && nowhere.emergency.is_empty());
        assert!(!nowhere.international.is_empty());
    }

    #[test]
    fn form_tokens_are_bound_to_key_purpose_and_time() {
        let key = token_key(&tutela_core::vault::MasterKey::generate().unwrap());
        let other = token_key(&tutela_core::vault::MasterKey::generate().unwrap());
        let now = 1_800_000_000;
        let token = make_token(&key, "report", now);
        assert!(check_token(&key, "report", &token, now + 10));
        assert!(check_token(&key, "report", &token, now + TOKEN_SECONDS));
        assert!(!check_token(
            &key,
            "report",
            &token,
            now + TOKEN_SECONDS + 1
        ));
        assert!(
            !check_token(&key, "report", &token, now - 61),
            "issued in the future"
        );
        assert!(!check_token(&key, "appeal", &token, now));
        assert!(!check_token(&other, "report", &token, now));
        let (issued, tag) = token.split_once('.').unwrap();
        let moved = format!("{}.{tag}", issued.parse::<i64>().unwrap() + 100);
        assert!(!check_token(&key, "report", &moved, now + 200));
        for bad in ["", ".", "x.y", "123", "123.zz"] {
            assert!(!check_token(&key, "report", bad, now), "{bad:?}");
        }
    }

    #[test]
    fn dates_are_short_and_utc() {
        assert_eq!(fmt_date(0), "1970-01-01 00:00 UTC");
        assert_eq!(fmt_date(1_764_400_000), "2025-11-29 07:06 UTC");
    }
}
