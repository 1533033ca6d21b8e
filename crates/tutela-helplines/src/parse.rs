//! Reading and validating the data file. Every rule of the schema (README.md) is checked here,
//! so a bad edit fails with a message naming the entry and the rule, never at display time.

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;

use crate::Directory;
use crate::date::IsoDate;
use crate::model::{
    Audience, Channel, ChannelKind, CheckMethod, Confidence, Country, EmergencyNumber,
    EmergencyNumbers, EmergencyService, Helpline, Hours, Provenance, Status116111,
};

/// Why a data file was refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum DataError {
    #[error("helplines data is not valid TOML for the schema: {0}")]
    Syntax(String),
    #[error("helplines data, {entry}: {problem}")]
    Invalid { entry: String, problem: String },
}

fn invalid(entry: impl Into<String>, problem: impl Into<String>) -> DataError {
    DataError::Invalid {
        entry: entry.into(),
        problem: problem.into(),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    version: u32,
    updated: String,
    #[serde(default)]
    country: Vec<RawCountry>,
    #[serde(default)]
    international: Vec<RawHelpline>,
    #[serde(default)]
    helpline: Vec<RawHelpline>,
    #[serde(default)]
    emergency: Vec<RawEmergency>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCountry {
    code: String,
    name: String,
    child_116_111: Status116111,
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHelpline {
    id: String,
    country: Option<String>,
    name: String,
    local_name: String,
    audience: Audience,
    free: bool,
    is_116_111: bool,
    languages: Vec<String>,
    hours: RawHours,
    channels: Vec<RawChannel>,
    source: String,
    verified_at: String,
    method: CheckMethod,
    confidence: Confidence,
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawHours {
    /// "24/7" or "unverified".
    Word(String),
    Schedule {
        text: String,
        tz: Option<String>,
    },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawChannel {
    kind: ChannelKind,
    value: String,
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEmergency {
    country: String,
    numbers: Vec<RawEmergencyNumber>,
    source: String,
    verified_at: String,
    method: CheckMethod,
    confidence: Confidence,
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEmergencyNumber {
    service: EmergencyService,
    number: String,
    note: Option<String>,
}

/// Parses and validates a whole data file.
pub(crate) fn parse_directory(text: &str) -> Result<Directory, DataError> {
    // The toml error can quote a line of the file: that is our own data, never user input.
    let raw: RawFile = toml::from_str(text).map_err(|e| DataError::Syntax(e.to_string()))?;
    if raw.version == 0 {
        return Err(invalid("file", "version must be 1 or more"));
    }
    let updated = parse_date("file", "updated", &raw.updated)?;

    let mut countries = Vec::with_capacity(raw.country.len());
    let mut country_index = BTreeMap::new();
    for c in raw.country {
        let entry = format!("country {:?}", c.code);
        check_country_code(&entry, &c.code)?;
        check_text(&entry, "name", &c.name)?;
        check_optional_text(&entry, "note", c.note.as_deref())?;
        if country_index
            .insert(c.code.clone(), countries.len())
            .is_some()
        {
            return Err(invalid(entry, "declared twice"));
        }
        countries.push(Country {
            code: c.code,
            name: c.name,
            child_116_111: c.child_116_111,
            note: c.note,
        });
    }

    let mut ids = BTreeSet::new();
    let mut international = Vec::with_capacity(raw.international.len());
    for h in raw.international {
        let entry = format!("international {:?}", h.id);
        if h.country.is_some() {
            return Err(invalid(entry, "an international service has no country"));
        }
        if !h.id.starts_with("int-") {
            return Err(invalid(entry, "id must start with \"int-\""));
        }
        international.push(convert_helpline(h, updated, &mut ids)?);
    }

    let mut helplines = Vec::with_capacity(raw.helpline.len());
    for h in raw.helpline {
        let entry = format!("helpline {:?}", h.id);
        let Some(code) = h.country.as_deref() else {
            return Err(invalid(
                entry,
                "country is required (international services go under [[international]])",
            ));
        };
        let Some(&index) = country_index.get(code) else {
            return Err(invalid(
                entry,
                format!("country {code:?} is not declared under [[country]]"),
            ));
        };
        if !h.id.starts_with(&format!("{}-", code.to_ascii_lowercase())) {
            return Err(invalid(
                entry,
                "id must start with the lower-case country code and '-'",
            ));
        }
        if h.is_116_111 && countries[index].child_116_111 != Status116111::Operating {
            return Err(invalid(
                entry,
                "is_116_111 is set but the country's child_116_111 is not \"operating\"",
            ));
        }
        helplines.push(convert_helpline(h, updated, &mut ids)?);
    }

    let mut emergency = BTreeMap::new();
    for e in raw.emergency {
        let entry = format!("emergency {:?}", e.country);
        if !country_index.contains_key(&e.country) {
            return Err(invalid(entry, "country is not declared under [[country]]"));
        }
        let record = convert_emergency(e, updated)?;
        if emergency.insert(record.country.clone(), record).is_some() {
            return Err(invalid(entry, "declared twice"));
        }
    }

    for country in &countries {
        let entry = format!("country {:?}", country.code);
        let national = helplines
            .iter()
            .filter(|h| h.country.as_deref() == Some(country.code.as_str()));
        let mut has_any = false;
        let mut has_116_111 = false;
        for h in national {
            has_any = true;
            has_116_111 |= h.is_116_111;
        }
        if country.child_116_111 == Status116111::Operating && !has_116_111 {
            return Err(invalid(
                entry,
                "116 111 is \"operating\" but no helpline of the country has is_116_111",
            ));
        }
        if (!has_any || !emergency.contains_key(&country.code)) && country.note.is_none() {
            return Err(invalid(
                entry,
                "no national helpline or no emergency numbers: a note must say why",
            ));
        }
    }

    countries.sort_by(|a, b| a.name.cmp(&b.name));
    let country_index = countries
        .iter()
        .enumerate()
        .map(|(i, c)| (c.code.clone(), i))
        .collect();
    Ok(Directory {
        version: raw.version,
        updated,
        countries,
        country_index,
        helplines,
        international,
        emergency,
    })
}

fn convert_helpline(
    h: RawHelpline,
    updated: IsoDate,
    ids: &mut BTreeSet<String>,
) -> Result<Helpline, DataError> {
    let entry = format!("helpline {:?}", h.id);
    let id_ok = !h.id.is_empty()
        && h.id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if !id_ok {
        return Err(invalid(
            entry,
            "id must be lower-case letters, digits and '-'",
        ));
    }
    if !ids.insert(h.id.clone()) {
        return Err(invalid(entry, "id used twice"));
    }
    if let Some(code) = &h.country {
        check_country_code(&entry, code)?;
    }
    check_text(&entry, "name", &h.name)?;
    check_text(&entry, "local_name", &h.local_name)?;
    check_optional_text(&entry, "note", h.note.as_deref())?;
    if h.languages.is_empty() {
        return Err(invalid(entry, "at least one language is required"));
    }
    for language in &h.languages {
        let ok = language.len() == 2 && language.bytes().all(|b| b.is_ascii_lowercase());
        if !ok {
            return Err(invalid(
                entry,
                format!("language {language:?} is not a two-letter ISO 639-1 code"),
            ));
        }
    }
    let hours = match h.hours {
        RawHours::Word(word) if word == "24/7" => Hours::Always,
        RawHours::Word(word) if word == "unverified" => Hours::Unverified,
        RawHours::Word(word) => {
            return Err(invalid(
                entry,
                format!("hours {word:?}: use \"24/7\", \"unverified\" or {{ text, tz }}"),
            ));
        }
        RawHours::Schedule { text, tz } => {
            check_text(&entry, "hours.text", &text)?;
            if let Some(tz) = &tz {
                check_time_zone(&entry, tz)?;
            }
            Hours::Schedule { text, tz }
        }
    };
    if h.channels.is_empty() {
        return Err(invalid(entry, "at least one channel is required"));
    }
    let mut channels = Vec::with_capacity(h.channels.len());
    let mut reaches_116_111 = false;
    for c in h.channels {
        check_channel(&entry, c.kind, &c.value)?;
        check_optional_text(&entry, "channel note", c.note.as_deref())?;
        if c.kind == ChannelKind::Phone && digits(&c.value) == "116111" {
            reaches_116_111 = true;
        }
        channels.push(Channel {
            kind: c.kind,
            value: c.value,
            note: c.note,
        });
    }
    if reaches_116_111 != h.is_116_111 {
        return Err(invalid(
            entry,
            "is_116_111 must be true exactly when a phone channel is 116 111",
        ));
    }
    let provenance = convert_provenance(
        &entry,
        h.source,
        &h.verified_at,
        h.method,
        h.confidence,
        updated,
    )?;
    if provenance.confidence == Confidence::Low && h.note.is_none() {
        return Err(invalid(
            entry,
            "a low-confidence entry needs a note saying what is missing",
        ));
    }
    Ok(Helpline {
        id: h.id,
        country: h.country,
        name: h.name,
        local_name: h.local_name,
        channels,
        hours,
        languages: h.languages,
        audience: h.audience,
        free: h.free,
        is_116_111: h.is_116_111,
        provenance,
        note: h.note,
    })
}

fn convert_emergency(e: RawEmergency, updated: IsoDate) -> Result<EmergencyNumbers, DataError> {
    let entry = format!("emergency {:?}", e.country);
    check_optional_text(&entry, "note", e.note.as_deref())?;
    if e.numbers.is_empty() {
        return Err(invalid(entry, "at least one number is required"));
    }
    let mut numbers = Vec::with_capacity(e.numbers.len());
    for n in e.numbers {
        let ok = !n.number.is_empty() && n.number.bytes().all(|b| b.is_ascii_digit());
        if !ok {
            return Err(invalid(
                entry,
                format!("number {:?} must be digits only", n.number),
            ));
        }
        check_optional_text(&entry, "number note", n.note.as_deref())?;
        numbers.push(EmergencyNumber {
            service: n.service,
            number: n.number,
            note: n.note,
        });
    }
    // Stable: file order within a service.
    numbers.sort_by_key(|n| n.service as u8);
    let provenance = convert_provenance(
        &entry,
        e.source,
        &e.verified_at,
        e.method,
        e.confidence,
        updated,
    )?;
    if provenance.confidence == Confidence::Low && e.note.is_none() {
        return Err(invalid(
            entry,
            "a low-confidence entry needs a note saying what is missing",
        ));
    }
    Ok(EmergencyNumbers {
        country: e.country,
        numbers,
        provenance,
        note: e.note,
    })
}

fn convert_provenance(
    entry: &str,
    source: String,
    verified_at: &str,
    method: CheckMethod,
    confidence: Confidence,
    updated: IsoDate,
) -> Result<Provenance, DataError> {
    check_source(entry, &source)?;
    let verified_at = parse_date(entry, "verified_at", verified_at)?;
    if verified_at > updated {
        return Err(invalid(
            entry,
            format!("verified_at {verified_at} is after the file's updated date {updated}"),
        ));
    }
    Ok(Provenance {
        source,
        verified_at,
        method,
        confidence,
    })
}

fn parse_date(entry: &str, field: &str, text: &str) -> Result<IsoDate, DataError> {
    IsoDate::parse(text)
        .ok_or_else(|| invalid(entry, format!("{field} {text:?} is not a YYYY-MM-DD date")))
}

fn check_country_code(entry: &str, code: &str) -> Result<(), DataError> {
    let ok = code.len() == 2 && code.bytes().all(|b| b.is_ascii_uppercase());
    if ok {
        Ok(())
    } else {
        Err(invalid(
            entry,
            format!("country {code:?} is not two upper-case letters (ISO 3166-1 alpha-2)"),
        ))
    }
}

fn check_text(entry: &str, field: &str, text: &str) -> Result<(), DataError> {
    if text.trim().is_empty() {
        return Err(invalid(entry, format!("{field} is empty")));
    }
    if text.trim() != text || text.chars().any(char::is_control) {
        return Err(invalid(
            entry,
            format!("{field} has surrounding spaces or control characters"),
        ));
    }
    Ok(())
}

fn check_optional_text(entry: &str, field: &str, text: Option<&str>) -> Result<(), DataError> {
    text.map_or(Ok(()), |t| check_text(entry, field, t))
}

/// `Area/Location` (IANA style) or `UTC`.
fn check_time_zone(entry: &str, tz: &str) -> Result<(), DataError> {
    let mut parts = tz.split('/');
    let area_ok = parts
        .next()
        .is_some_and(|a| !a.is_empty() && a.bytes().all(|b| b.is_ascii_alphabetic()));
    let rest: Vec<&str> = parts.collect();
    let rest_ok = rest.iter().all(|p| {
        !p.is_empty()
            && p.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-' || b == b'+')
    });
    if area_ok && rest_ok && (!rest.is_empty() || tz == "UTC") {
        Ok(())
    } else {
        Err(invalid(
            entry,
            format!("time zone {tz:?} is not an IANA name like Europe/Berlin"),
        ))
    }
}

fn check_channel(entry: &str, kind: ChannelKind, value: &str) -> Result<(), DataError> {
    let ok = match kind {
        ChannelKind::Phone | ChannelKind::Sms => is_phone_number(value),
        ChannelKind::Web | ChannelKind::Chat => is_https_url(value),
        ChannelKind::Email => is_email(value),
    };
    if ok {
        Ok(())
    } else {
        Err(invalid(
            entry,
            format!("{kind:?} channel value {value:?} is malformed"),
        ))
    }
}

fn digits(value: &str) -> String {
    value.chars().filter(char::is_ascii_digit).collect()
}

/// Digits and single spaces, optionally one leading `+`; at least 3 digits.
pub(crate) fn is_phone_number(value: &str) -> bool {
    let body = value.strip_prefix('+').unwrap_or(value);
    !body.starts_with(' ')
        && !body.ends_with(' ')
        && !body.contains("  ")
        && body.bytes().all(|b| b.is_ascii_digit() || b == b' ')
        && digits(body).len() >= 3
}

/// `https://host[/path]` with a dotted host of letters, digits and '-', and a path without
/// spaces, quotes or angle brackets.
pub(crate) fn is_https_url(value: &str) -> bool {
    let Some(rest) = value.strip_prefix("https://") else {
        return false;
    };
    let (host, path) = match rest.find('/') {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    is_host_name(host)
        && path
            .chars()
            .all(|c| c.is_ascii_graphic() && !matches!(c, '"' | '<' | '>' | '\\' | '`'))
}

fn is_host_name(host: &str) -> bool {
    let labels: Vec<&str> = host.split('.').collect();
    labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        })
        && labels
            .last()
            .is_some_and(|tld| tld.len() >= 2 && tld.bytes().all(|b| b.is_ascii_lowercase()))
}

fn is_email(value: &str) -> bool {
    let Some((local, domain)) = value.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && local
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-' | b'+'))
        && is_host_name(domain)
}

/// A source is an `https://` URL or a description of the document, long enough to find it.
fn check_source(entry: &str, source: &str) -> Result<(), DataError> {
    check_text(entry, "source", source)?;
    let ok = if source.starts_with("http") {
        is_https_url(source)
    } else {
        source.chars().count() >= 20
    };
    if ok {
        Ok(())
    } else {
        Err(invalid(
            entry,
            format!("source {source:?} is neither an https URL nor a document description"),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "version = 1\nupdated = \"2026-01-31\"\n";

    const GOOD: &str = r#"
[[country]]
code = "DE"
name = "Germany"
child_116_111 = "operating"

[[helpline]]
id = "de-example"
country = "DE"
name = "Example"
local_name = "Beispiel"
audience = "children"
free = true
is_116_111 = true
languages = ["de"]
hours = { text = "Mon-Sat 14-20", tz = "Europe/Berlin" }
channels = [{ kind = "phone", value = "116 111" }]
source = "https://example.org"
verified_at = "2026-01-30"
method = "desk"
confidence = "high"

[[emergency]]
country = "DE"
numbers = [{ service = "police", number = "110" }, { service = "general", number = "112" }]
source = "https://example.org/112"
verified_at = "2026-01-30"
method = "source"
confidence = "high"
"#;

    fn parse(body: &str) -> Result<Directory, DataError> {
        parse_directory(&format!("{HEADER}{body}"))
    }

    fn problem(body: &str) -> String {
        match parse(body) {
            Err(DataError::Invalid { problem, .. }) => problem,
            Err(other) => panic!("expected a validation error, got {other}"),
            Ok(_) => panic!("expected an error"),
        }
    }

    #[test]
    fn accepts_a_minimal_good_file() {
        let directory = parse(GOOD).expect("valid");
        let help = directory.for_country("DE").expect("declared");
        assert_eq!(help.helplines.len(), 1);
        // General numbers come first whatever the file order.
        assert_eq!(help.emergency[0].number, "112");
        assert_eq!(help.emergency[1].number, "110");
    }

    #[test]
    fn refuses_unknown_fields_and_bad_syntax() {
        let with_typo = GOOD.replace("free = true", "free = true\nfre = false");
        assert!(matches!(parse(&with_typo), Err(DataError::Syntax(_))));
        assert!(matches!(parse("[[country]"), Err(DataError::Syntax(_))));
    }

    #[test]
    fn refuses_bad_phone_numbers() {
        for bad in [
            "116-111",
            "(0800) 1111",
            "12",
            "+ 49 30",
            "0800  1111",
            "0800 1111 ",
            "tel:116111",
        ] {
            let body = GOOD.replace(
                r#"channels = [{ kind = "phone", value = "116 111" }]"#,
                &format!(
                    r#"channels = [{{ kind = "phone", value = "116 111" }}, {{ kind = "phone", value = "{bad}" }}]"#
                ),
            );
            assert!(problem(&body).contains("malformed"), "{bad:?} accepted");
        }
    }

    #[test]
    fn refuses_bad_urls_and_emails() {
        for (kind, bad) in [
            ("web", "http://example.org"),
            ("web", "https://example"),
            ("web", "https://exa mple.org"),
            ("web", "https://example.org/a b"),
            ("chat", "example.org"),
            ("web", "https://Example.org"),
            ("email", "help.example.org"),
            ("email", "help@example"),
        ] {
            let body = GOOD.replace(
                r#"channels = [{ kind = "phone", value = "116 111" }]"#,
                &format!(
                    r#"channels = [{{ kind = "phone", value = "116 111" }}, {{ kind = "{kind}", value = "{bad}" }}]"#
                ),
            );
            assert!(
                problem(&body).contains("malformed"),
                "{kind} {bad:?} accepted"
            );
        }
    }

    #[test]
    fn refuses_entries_without_channels_or_languages() {
        let body = GOOD.replace(
            r#"channels = [{ kind = "phone", value = "116 111" }]"#,
            "channels = []",
        );
        assert!(problem(&body).contains("channel"));
        let body = GOOD.replace(r#"languages = ["de"]"#, "languages = []");
        assert!(problem(&body).contains("language"));
        let body = GOOD.replace(r#"languages = ["de"]"#, r#"languages = ["deu"]"#);
        assert!(problem(&body).contains("ISO 639-1"));
    }

    #[test]
    fn keeps_the_116_111_flags_consistent() {
        let body = GOOD.replace("is_116_111 = true", "is_116_111 = false");
        assert!(problem(&body).contains("116 111"));
        let body = GOOD.replace(
            r#"child_116_111 = "operating""#,
            r#"child_116_111 = "unknown""#,
        );
        assert!(problem(&body).contains("operating"));
    }

    #[test]
    fn refuses_dates_after_the_file_date_and_bad_dates() {
        let body = GOOD.replacen(
            r#"verified_at = "2026-01-30""#,
            r#"verified_at = "2026-02-01""#,
            1,
        );
        assert!(problem(&body).contains("after the file's updated date"));
        let body = GOOD.replacen(
            r#"verified_at = "2026-01-30""#,
            r#"verified_at = "30/01/2026""#,
            1,
        );
        assert!(problem(&body).contains("YYYY-MM-DD"));
    }

    #[test]
    fn low_confidence_needs_a_note() {
        let body = GOOD.replacen(r#"confidence = "high""#, r#"confidence = "low""#, 1);
        assert!(problem(&body).contains("note"));
    }

    #[test]
    fn a_country_missing_help_must_say_why() {
        let body = format!(
            "{GOOD}\n[[country]]\ncode = \"FR\"\nname = \"France\"\nchild_116_111 = \"not_operating\"\n"
        );
        assert!(problem(&body).contains("a note must say why"));
        let body = format!("{body}note = \"Nothing confirmed yet.\"\n");
        assert!(parse(&body).is_ok());
    }

    #[test]
    fn refuses_undeclared_countries_duplicates_and_bad_ids() {
        let body = GOOD.replace(
            r#"country = "DE"
name = "Example""#,
            r#"country = "FR"
name = "Example""#,
        );
        assert!(problem(&body).contains("not declared"));
        let body = format!(
            "{GOOD}\n[[country]]\ncode = \"DE\"\nname = \"Again\"\nchild_116_111 = \"unknown\"\nnote = \"x\"\n"
        );
        assert!(problem(&body).contains("declared twice"));
        let body = GOOD.replace(r#"id = "de-example""#, r#"id = "example""#);
        assert!(problem(&body).contains("id must start"));
        let body = GOOD.replace(r#"code = "DE""#, r#"code = "de""#);
        assert!(problem(&body).contains("ISO 3166-1"));
    }

    #[test]
    fn international_services_have_no_country_and_an_int_id() {
        let service = r#"
[[international]]
id = "int-example"
name = "Example"
local_name = "Example"
audience = "all"
free = true
is_116_111 = false
languages = ["en"]
hours = "24/7"
channels = [{ kind = "web", value = "https://example.org" }]
source = "https://example.org"
verified_at = "2026-01-30"
method = "desk"
confidence = "high"
"#;
        assert!(parse(&format!("{GOOD}{service}")).is_ok());
        let body = format!("{GOOD}{}", service.replace("int-example", "example"));
        assert!(problem(&body).contains("int-"));
        let body = format!(
            "{GOOD}{}",
            service.replace(
                "name = \"Example\"\nlocal",
                "country = \"DE\"\nname = \"Example\"\nlocal"
            )
        );
        assert!(problem(&body).contains("no country"));
    }

    #[test]
    fn refuses_bad_hours_and_time_zones() {
        let body = GOOD.replace(
            r#"hours = { text = "Mon-Sat 14-20", tz = "Europe/Berlin" }"#,
            r#"hours = "always""#,
        );
        assert!(problem(&body).contains("hours"));
        let body = GOOD.replace("Europe/Berlin", "CET +1");
        assert!(problem(&body).contains("time zone"));
    }

    #[test]
    fn refuses_short_or_malformed_sources() {
        let body = GOOD.replacen(
            r#"source = "https://example.org""#,
            r#"source = "a website""#,
            1,
        );
        assert!(problem(&body).contains("source"));
        let body = GOOD.replacen(
            r#"source = "https://example.org""#,
            r#"source = "http://example.org""#,
            1,
        );
        assert!(problem(&body).contains("source"));
    }

    #[test]
    fn refuses_non_digit_emergency_numbers() {
        let body = GOOD.replace(r#"number = "110""#, r#"number = "1-1-0""#);
        assert!(problem(&body).contains("digits only"));
    }
}
