//! Meta ThreatExchange.
//!
//! Read, as ThreatExchange and its tools emit them (checked against the Graph API reference
//! pages `threat-descriptor`, `threat-descriptors` and `ui/descriptors` on
//! developers.facebook.com, and facebook/ThreatExchange
//! `python-threatexchange/threatexchange/exchanges/clients/fb_threatexchange/descriptor.py` and
//! `api-reference-examples/python/te-tag-query/README.md`):
//!
//! * `GET /threat_descriptors` answers: `{"data": [descriptor, …], "paging": {…}}`, a
//!   descriptor being `{"id": "…", "raw_indicator": "…", "type": "HASH_PDQ", "tags": …,
//!   "description": "…", "added_on": "2020-07-01T18:31:15+0000", "status": "MALICIOUS", …}`;
//!   `tags` is `null`, a list of strings, or the Graph API edge `{"data": [{"id", "text"}]}`.
//! * `te-tag-query tag-to-details` / `ids-to-details` output: one descriptor a line (JSON lines).
//! * `GET /threat_updates` answers: `{"data": [{"id", "indicator", "type", "should_delete",
//!   "descriptors": {"data": [{"tags", "status", …}]}}]}`; `should_delete` entries are ignored.
//! * The ThreatExchange UI's CSV (download and bulk-upload): a header with `td_raw_indicator`,
//!   `td_indicator_type`, `td_subjective_tags` (`;`-separated), `td_description`, `td_status`,
//!   `td_id`; comma- or tab-separated.
//!
//! `raw_indicator` is the hash, `id` the external id, `tags` the labels, `description` the
//! note. Types: `HASH_PDQ`; `HASH_MD5`, `VIDEO_HASH_MD5`, `HASH_VIDEO_MD5`; `HASH_SHA256`,
//! `HASH_VIDEO_SHA256`. Indicators of other types, and `NON_MALICIOUS` opinions (someone saying
//! the hash is *not* harmful), are ignored and counted. ThreatExchange has no PDQ quality field.
//!
//! Written: descriptor JSON lines (`id`, `raw_indicator`, `type`, `tags`, `description`,
//! `added_on`), the shape `te-tag-query` prints.

use std::io::Write;

use serde_json::{Map, Value, json};

use super::json::{items, strings_of, text_of};
use super::{
    ExportEntry, ParseOutput, Record, clean_labels, clean_text, normalize_hash, split_labels,
};
use crate::HashKind;

/// The hash kind of a ThreatExchange indicator type; `Err` for types that are not one of ours.
fn kind_of_type(t: &str) -> Result<HashKind, ()> {
    match t.trim().to_ascii_uppercase().as_str() {
        "HASH_PDQ" => Ok(HashKind::Pdq),
        "HASH_MD5" | "VIDEO_HASH_MD5" | "HASH_VIDEO_MD5" => Ok(HashKind::Md5),
        "HASH_SHA256" | "HASH_VIDEO_SHA256" => Ok(HashKind::Sha256),
        _ => Err(()),
    }
}

fn type_name(kind: HashKind) -> &'static str {
    match kind {
        HashKind::Pdq => "HASH_PDQ",
        HashKind::Md5 => "HASH_MD5",
        HashKind::Sha256 => "HASH_SHA256",
        // Never written: video banks export only their entry lists (see `formats::write`).
        HashKind::Vpdq => "VPDQ",
    }
}

pub(super) fn looks_like_json(head: &str) -> bool {
    [
        "\"raw_indicator\"",
        "\"indicator\"",
        "\"HASH_PDQ\"",
        "\"should_delete\"",
    ]
    .iter()
    .any(|k| head.contains(k))
}

pub(super) fn looks_like_csv_header(line: &str) -> bool {
    line.to_ascii_lowercase().contains("td_raw_indicator")
}

/// Whether an entry of this type and status belongs in a bank of `kind`; the reason to skip
/// it otherwise.
fn admit(kind: HashKind, indicator_type: Option<&str>, status: Option<&str>) -> Result<(), String> {
    if let Some(t) = indicator_type.filter(|t| !t.trim().is_empty()) {
        match kind_of_type(t) {
            Ok(k) if k == kind => {}
            Ok(k) => return Err(format!("a {k} indicator, not {kind}")),
            Err(()) => {
                return Err("an indicator type that is not a PDQ, MD5 or SHA-256 hash".into());
            }
        }
    }
    if status.is_some_and(|s| s.trim().eq_ignore_ascii_case("NON_MALICIOUS")) {
        return Err("a NON_MALICIOUS opinion".into());
    }
    Ok(())
}

pub(super) fn parse(text: &str, kind: HashKind) -> ParseOutput {
    let trimmed = text.trim_start();
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        parse_json(text, kind)
    } else {
        parse_csv(text, kind)
    }
}

/// Tags as a list of strings or as the Graph API edge `{"data": [{"text": …}]}`.
fn tags_of(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::Object(edge)) => match edge.get("data") {
            Some(Value::Array(list)) => clean_labels(
                list.iter()
                    .filter_map(|t| t.get("text").and_then(Value::as_str)),
            ),
            _ => Vec::new(),
        },
        other => strings_of(other),
    }
}

fn parse_json(text: &str, kind: HashKind) -> ParseOutput {
    let found = items(text, true);
    let mut out = ParseOutput {
        errors: found.errors,
        ..ParseOutput::default()
    };
    for (line, item) in found.items {
        let Value::Object(obj) = item else {
            out.error(line, "expected a JSON object");
            continue;
        };
        let str_of = |key: &str| obj.get(key).and_then(Value::as_str);
        let (raw, status, labels) = if let Some(raw) = obj.get("raw_indicator") {
            (raw, str_of("status"), tags_of(obj.get("tags")))
        } else if let Some(raw) = obj.get("indicator") {
            // A threat update: the opinions sit in its descriptors.
            if obj.get("should_delete").and_then(Value::as_bool) == Some(true) {
                out.ignore(line, "deleted upstream (should_delete)");
                continue;
            }
            let descriptors = obj
                .get("descriptors")
                .and_then(|d| d.get("data"))
                .and_then(Value::as_array);
            let mut labels = Vec::new();
            let mut statuses = Vec::new();
            for d in descriptors.into_iter().flatten() {
                labels.extend(tags_of(d.get("tags")));
                statuses.extend(d.get("status").and_then(Value::as_str));
            }
            // Ignored as "not harmful" only when every opinion says so.
            let all_benign = !statuses.is_empty()
                && statuses
                    .iter()
                    .all(|s| s.eq_ignore_ascii_case("NON_MALICIOUS"));
            (
                raw,
                all_benign.then_some("NON_MALICIOUS"),
                clean_labels(labels),
            )
        } else {
            out.error(line, "no `raw_indicator`");
            continue;
        };
        // `indicator` may be expanded into an object by a `fields=indicator{…}` query.
        let raw = match raw {
            Value::Object(ind) => ind.get("indicator").unwrap_or(&Value::Null),
            other => other,
        };
        let Some(raw) = raw.as_str() else {
            out.error(line, "the indicator is not a string");
            continue;
        };
        if let Err(reason) = admit(kind, str_of("type"), status) {
            out.ignore(line, reason);
            continue;
        }
        match normalize_hash(kind, raw) {
            Ok(hash) => out.record(
                line,
                Record {
                    hash,
                    quality: None,
                    labels,
                    external_id: text_of(obj.get("id")),
                    note: text_of(obj.get("description")),
                },
            ),
            Err(reason) => out.error(line, reason),
        }
    }
    out
}

fn parse_csv(text: &str, kind: HashKind) -> ParseOutput {
    let mut out = ParseOutput::default();
    let header_line = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'))
        .unwrap_or("");
    if header_line.is_empty() {
        return out;
    }
    let delimiter = if header_line.contains('\t') {
        b'\t'
    } else {
        b','
    };
    let (mut rdr, skipped) = super::delimited::reader(text, delimiter);
    let header = match rdr.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            out.error(skipped + 1, super::delimited::csv_reason(&e));
            return out;
        }
    };
    let col = |name: &str| header.iter().position(|h| h.eq_ignore_ascii_case(name));
    let Some(raw_col) = col("td_raw_indicator") else {
        out.error(
            skipped + 1,
            "neither ThreatExchange JSON nor a CSV header with `td_raw_indicator`",
        );
        return out;
    };
    let (type_col, tags_col, id_col, note_col, status_col) = (
        col("td_indicator_type"),
        col("td_subjective_tags"),
        col("td_id"),
        col("td_description"),
        col("td_status"),
    );
    for row in rdr.records() {
        let row = match row {
            Ok(row) => row,
            Err(e) => {
                out.error(
                    super::delimited::line_of(e.position()) + skipped,
                    super::delimited::csv_reason(&e),
                );
                continue;
            }
        };
        let line = super::delimited::line_of(row.position()) + skipped;
        if super::delimited::is_blank_or_comment(&row) {
            continue;
        }
        let cell = |c: Option<usize>| c.and_then(|c| row.get(c));
        if let Err(reason) = admit(kind, cell(type_col), cell(status_col)) {
            out.ignore(line, reason);
            continue;
        }
        match normalize_hash(kind, cell(Some(raw_col)).unwrap_or("")) {
            Ok(hash) => out.record(
                line,
                Record {
                    hash,
                    quality: None,
                    labels: split_labels(cell(tags_col).unwrap_or("")),
                    external_id: cell(id_col).and_then(clean_text),
                    note: cell(note_col).and_then(clean_text),
                },
            ),
            Err(reason) => out.error(line, reason),
        }
    }
    out
}

pub(super) fn write(
    entries: &mut dyn Iterator<Item = &ExportEntry>,
    kind: HashKind,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    for entry in entries {
        let r = &entry.record;
        let mut obj = Map::new();
        if let Some(id) = &r.external_id {
            obj.insert("id".into(), json!(id));
        }
        obj.insert("raw_indicator".into(), json!(r.hash));
        obj.insert("type".into(), json!(type_name(kind)));
        obj.insert("tags".into(), json!(r.labels));
        if let Some(note) = &r.note {
            obj.insert("description".into(), json!(note));
        }
        if let Some(added) = &entry.added_at {
            obj.insert("added_on".into(), json!(added));
        }
        serde_json::to_writer(&mut *out, &obj)?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::{Format, parse as parse_format, write_to_string};

    const PDQ: &str = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22";
    const PDQ2: &str = "30a10efd71cc3d429013d48d0ffffc52e34e0e17ada952a9d29685211ea9e5af";
    const MD5: &str = "c7dfd847207cbd54a8bb292525fc111d";

    fn pdq(text: &str) -> ParseOutput {
        parse_format(Format::ThreatExchange, HashKind::Pdq, text).unwrap()
    }

    #[test]
    fn graph_api_descriptors() {
        let text = format!(
            r#"{{
  "data": [
    {{
      "id": "3058061737574159",
      "raw_indicator": "{PDQ}",
      "type": "HASH_PDQ",
      "owner": {{"id": "616912251743987", "name": "Example App"}},
      "status": "MALICIOUS",
      "tags": {{"data": [{{"id": "1", "text": "media_type_photo"}}, {{"id": "2", "text": "media_priority_s2"}}]}},
      "added_on": "2020-07-01T18:31:15+0000",
      "description": "test descriptor"
    }},
    {{"id": 42, "raw_indicator": "{MD5}", "type": "HASH_MD5", "status": "MALICIOUS", "tags": null}},
    {{"id": "43", "raw_indicator": "{PDQ2}", "type": "HASH_PDQ", "status": "NON_MALICIOUS", "tags": null}},
    {{"id": "44", "raw_indicator": "{PDQ2}", "type": "HASH_PDQ", "status": "UNKNOWN", "tags": ["a"]}},
    {{"id": "45", "raw_indicator": "{}", "type": "HASH_PDQ"}}
  ],
  "paging": {{"cursors": {{"before": "MAZDZD", "after": "MQZDZD"}}}}
}}"#,
            &PDQ[..60]
        );
        assert_eq!(Format::detect(&text), Some(Format::ThreatExchange));
        let out = pdq(&text);
        assert_eq!(out.records.len(), 2, "{:?}", out.errors);
        let first = &out.records[0];
        assert_eq!(first.line, 3);
        assert_eq!(
            first.record.external_id.as_deref(),
            Some("3058061737574159")
        );
        assert_eq!(
            first.record.labels,
            vec!["media_type_photo", "media_priority_s2"]
        );
        assert_eq!(first.record.note.as_deref(), Some("test descriptor"));
        assert_eq!(out.records[1].record.labels, vec!["a"]);
        let ignored: Vec<usize> = out.ignored.iter().map(|i| i.line).collect();
        assert_eq!(ignored, vec![13, 14]);
        assert_eq!(out.errors.len(), 1);
        assert_eq!(out.errors[0].line, 16);
    }

    #[test]
    fn te_tag_query_lines_and_threat_updates() {
        let text = format!(
            "{{\"raw_indicator\": \"{MD5}\", \"type\": \"HASH_MD5\", \"added_on\": \"2020-06-03T01:38:01+0000\", \"confidence\": 100, \"status\": \"MALICIOUS\", \"description\": \"our copies\", \"id\": \"3046896738736542\", \"tags\": null}}\n\
             {{\"id\": \"9\", \"indicator\": \"{MD5}\", \"type\": \"HASH_MD5\", \"should_delete\": true}}\n\
             {{\"id\": \"10\", \"indicator\": \"{MD5}\", \"type\": \"HASH_MD5\", \"should_delete\": false, \"descriptors\": {{\"data\": [{{\"tags\": [\"x\"], \"status\": \"MALICIOUS\"}}, {{\"tags\": [\"y\", \"x\"], \"status\": \"NON_MALICIOUS\"}}]}}}}\n"
        );
        let out = parse_format(Format::ThreatExchange, HashKind::Md5, &text).unwrap();
        assert_eq!(out.records.len(), 2, "{:?} {:?}", out.errors, out.ignored);
        assert_eq!(out.records[0].record.note.as_deref(), Some("our copies"));
        assert_eq!(out.records[1].line, 3);
        assert_eq!(out.records[1].record.labels, vec!["x", "y"]);
        assert_eq!(out.ignored.len(), 1);
        assert_eq!(out.ignored[0].line, 2);
    }

    #[test]
    fn ui_csv() {
        let text = format!(
            "td_id,td_description,td_status,td_confidence,td_indicator_type,td_raw_indicator,td_subjective_tags\n\
             11,\"seen, twice\",MALICIOUS,100,HASH_PDQ,{PDQ},pwny;testing\n\
             12,x,MALICIOUS,100,URI,http://example.invalid/,testing\n\
             13,x,MALICIOUS,100,HASH_PDQ,{},\n",
            &PDQ[..10]
        );
        assert_eq!(Format::detect(&text), Some(Format::ThreatExchange));
        let out = pdq(&text);
        assert_eq!(out.records.len(), 1);
        let r = &out.records[0].record;
        assert_eq!(r.external_id.as_deref(), Some("11"));
        assert_eq!(r.note.as_deref(), Some("seen, twice"));
        assert_eq!(r.labels, vec!["pwny", "testing"]);
        assert_eq!(out.ignored[0].line, 3);
        assert_eq!(out.errors[0].line, 4);
    }

    #[test]
    fn empty_text_is_no_records_and_no_error() {
        for text in ["", "\n\n", "# nothing yet\n"] {
            assert_eq!(pdq(text), ParseOutput::default());
        }
    }

    #[test]
    fn export_round_trip() {
        let record = Record {
            hash: PDQ.into(),
            quality: None,
            labels: vec!["a".into()],
            external_id: Some("77".into()),
            note: Some("desc".into()),
        };
        let entries = [ExportEntry {
            record: record.clone(),
            added_at: Some("2026-01-02T03:04:05Z".into()),
        }];
        let text = write_to_string(Format::ThreatExchange, HashKind::Pdq, &entries).unwrap();
        assert!(text.contains("\"type\":\"HASH_PDQ\""));
        assert!(text.contains("\"added_on\""));
        assert_eq!(Format::detect(&text), Some(Format::ThreatExchange));
        let out = pdq(&text);
        assert_eq!(out.records[0].record, record);
    }
}
