//! Hasher-Matcher-Actioner (HMA 2.x, `OpenMediaMatch`) and python-threatexchange (pytx).
//!
//! Read, as HMA and pytx emit them (checked against facebook/ThreatExchange,
//! `hasher-matcher-actioner/src/OpenMediaMatch/blueprints/curation.py` and
//! `schemas/curation.py`, and `python-threatexchange/threatexchange/cli/{dataset_cmd,hash_cmd}.py`,
//! `exchanges/impl/file_api.py`):
//!
//! * HMA bank content JSON: the `/c/bank/<bank>/content` answers
//!   `{"id": 1234, "signals": {"pdq": "…", "md5": "…"}}`, and `GET …/content/<id>?include_signals=true`
//!   adds `disable_until_ts`, `bank`, `metadata` (`content_id`, `content_uri`, `json`, `collab`)
//!   and `note`. One object, an array of them, or JSON lines. A bare signal map
//!   (`{"pdq": "…"}`, the body of `POST /c/bank/<bank>/signal`) is read too.
//!   `metadata.content_id` (else `id`) becomes the external id; `note` the note; Tutela's own
//!   `metadata.json.labels` and `metadata.json.quality` are read back from its exports.
//! * pytx `threatexchange dataset -P --csv`: header `collab,signal_type,signal_str,category,tags`,
//!   tags separated by spaces (they become labels; `collab` and `category` are not kept).
//! * pytx text lines `<signal_type> <hash>`: the output of `threatexchange hash` and the
//!   local-file collaboration format; `threatexchange dataset -P` lines
//!   (`'collab' <signal_type> <hash> <metadata>`) too, the collaboration and metadata dropped.
//!
//! Signal type names: `pdq`; `md5`, `video_md5`, `photo_md5`; `sha256`, `video_sha256`,
//! `photo_sha256`. Signals of other types (or of another hash kind than the bank's) are
//! ignored and counted.
//!
//! Written: HMA content JSON lines, `{"signals": {"pdq": "…"}, "metadata": {"content_id": "…",
//! "json": {"labels": […], "quality": 90}}, "note": "…"}`. HMA's numeric `id` is left out:
//! it is a row id of the HMA instance that made it, meaningless to another.

use std::io::Write;

use serde_json::{Map, Value, json};

use super::json::{items, quality_of, strings_of, text_of};
use super::{ExportEntry, ParseOutput, Record, clean_labels, normalize_hash};
use crate::HashKind;

/// The hash kind a pytx/HMA signal type name stands for.
fn kind_of_signal(name: &str) -> Option<HashKind> {
    match name.trim().to_ascii_lowercase().as_str() {
        "pdq" => Some(HashKind::Pdq),
        "md5" | "video_md5" | "photo_md5" => Some(HashKind::Md5),
        "sha256" | "video_sha256" | "photo_sha256" => Some(HashKind::Sha256),
        _ => None,
    }
}

const CSV_COLUMNS: [&str; 2] = ["signal_type", "signal_str"];

pub(super) fn looks_like_json(head: &str) -> bool {
    ["\"signals\"", "\"pdq\"", "\"video_md5\"", "\"md5\""]
        .iter()
        .any(|k| head.contains(k))
}

/// A pytx CSV header or a `<signal_type> <hash>` line.
pub(super) fn looks_like_text(line: &str) -> bool {
    let lower = line.to_ascii_lowercase();
    if CSV_COLUMNS.iter().all(|c| lower.contains(c)) {
        return true;
    }
    let mut tokens = signal_line_tokens(line);
    matches!(
        (tokens.next(), tokens.next()),
        (Some(t), Some(h)) if kind_of_signal(t).is_some() && h.bytes().all(|b| b.is_ascii_hexdigit())
    )
}

pub(super) fn parse(text: &str, kind: HashKind) -> ParseOutput {
    let trimmed = text.trim_start();
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        return parse_json(text, kind);
    }
    let first = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'))
        .unwrap_or("");
    let lower = first.to_ascii_lowercase();
    if CSV_COLUMNS.iter().all(|c| lower.contains(c)) {
        parse_csv(text, kind)
    } else {
        parse_lines(text, kind)
    }
}

fn parse_json(text: &str, kind: HashKind) -> ParseOutput {
    let found = items(text, false);
    let mut out = ParseOutput {
        errors: found.errors,
        ..ParseOutput::default()
    };
    for (line, item) in found.items {
        let Value::Object(obj) = item else {
            out.error(line, "expected a JSON object");
            continue;
        };
        // A content object carries `signals`; a bare signal map is the object itself.
        let signals = match obj.get("signals") {
            Some(Value::Object(s)) => s,
            Some(_) => {
                out.error(line, "`signals` is not an object");
                continue;
            }
            None => &obj,
        };
        let mut ours = None;
        let mut others = 0;
        for (name, value) in signals {
            match kind_of_signal(name) {
                Some(k) if k == kind => ours = Some(value),
                Some(_) => others += 1,
                None => {}
            }
        }
        let Some(value) = ours else {
            if others > 0 {
                out.ignore(line, format!("no {kind} signal"));
            } else {
                out.error(line, "no signal of a known type");
            }
            continue;
        };
        let hash = match value.as_str().map(|s| normalize_hash(kind, s)) {
            Some(Ok(h)) => h,
            Some(Err(reason)) => {
                out.error(line, reason);
                continue;
            }
            None => {
                out.error(line, "the signal is not a string");
                continue;
            }
        };
        let metadata = obj.get("metadata").and_then(Value::as_object);
        let extra = metadata
            .and_then(|m| m.get("json"))
            .and_then(Value::as_object);
        let quality = match quality_of(extra.and_then(|j| j.get("quality"))) {
            Ok(q) => q,
            Err(reason) => {
                out.error(line, reason);
                continue;
            }
        };
        let external_id =
            text_of(metadata.and_then(|m| m.get("content_id"))).or_else(|| text_of(obj.get("id")));
        out.record(
            line,
            Record {
                hash,
                quality,
                labels: strings_of(extra.and_then(|j| j.get("labels"))),
                external_id,
                note: text_of(obj.get("note")),
            },
        );
    }
    out
}

fn parse_csv(text: &str, kind: HashKind) -> ParseOutput {
    let mut out = ParseOutput::default();
    let (mut rdr, skipped) = super::delimited::reader(text, b',');
    let header = match rdr.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            out.error(skipped + 1, super::delimited::csv_reason(&e));
            return out;
        }
    };
    let col = |name: &str| header.iter().position(|h| h.eq_ignore_ascii_case(name));
    let (Some(type_col), Some(hash_col)) = (col("signal_type"), col("signal_str")) else {
        out.error(
            skipped + 1,
            "the header row needs `signal_type` and `signal_str`",
        );
        return out;
    };
    let tags_col = col("tags");
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
        match kind_of_signal(row.get(type_col).unwrap_or("")) {
            Some(k) if k == kind => {}
            _ => {
                out.ignore(line, format!("not a {kind} signal"));
                continue;
            }
        }
        match normalize_hash(kind, row.get(hash_col).unwrap_or("")) {
            Ok(hash) => {
                let tags = tags_col.and_then(|c| row.get(c)).unwrap_or("");
                out.record(
                    line,
                    Record {
                        hash,
                        labels: clean_labels(tags.split_whitespace()),
                        ..Record::default()
                    },
                );
            }
            Err(reason) => out.error(line, reason),
        }
    }
    out
}

/// Tokens of a pytx text line, after a leading quoted collaboration name.
fn signal_line_tokens(line: &str) -> std::str::SplitWhitespace<'_> {
    let line = line.trim();
    let rest = match line.strip_prefix('\'') {
        Some(quoted) => quoted.split_once('\'').map_or("", |(_, rest)| rest),
        None => line,
    };
    rest.split_whitespace()
}

fn parse_lines(text: &str, kind: HashKind) -> ParseOutput {
    let mut out = ParseOutput::default();
    for (i, line) in text.lines().enumerate() {
        let line_no = i + 1;
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let mut tokens = signal_line_tokens(trimmed);
        let (Some(signal_type), Some(hash)) = (tokens.next(), tokens.next()) else {
            out.error(line_no, "expected `<signal_type> <hash>`");
            continue;
        };
        match kind_of_signal(signal_type) {
            Some(k) if k == kind => match normalize_hash(kind, hash) {
                Ok(hash) => out.record(
                    line_no,
                    Record {
                        hash,
                        ..Record::default()
                    },
                ),
                Err(reason) => out.error(line_no, reason),
            },
            Some(_) => out.ignore(line_no, format!("not a {kind} signal")),
            None => out.error(line_no, "unknown signal type"),
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
        let mut extra = Map::new();
        if !r.labels.is_empty() {
            extra.insert("labels".into(), json!(r.labels));
        }
        if let Some(q) = r.quality {
            extra.insert("quality".into(), json!(q));
        }
        let mut metadata = Map::new();
        if let Some(id) = &r.external_id {
            metadata.insert("content_id".into(), json!(id));
        }
        if !extra.is_empty() {
            metadata.insert("json".into(), Value::Object(extra));
        }
        let mut obj = Map::new();
        obj.insert("signals".into(), json!({ kind.name(): r.hash }));
        if !metadata.is_empty() {
            obj.insert("metadata".into(), Value::Object(metadata));
        }
        if let Some(note) = &r.note {
            obj.insert("note".into(), json!(note));
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
    const MD5: &str = "d41d8cd98f00b204e9800998ecf8427e";

    fn pdq(text: &str) -> ParseOutput {
        parse_format(Format::Hma, HashKind::Pdq, text).unwrap()
    }

    #[test]
    fn hma_content_objects() {
        // Shaped like HMA 2.x answers: a POST answer, a GET answer with metadata and note.
        let text = format!(
            r#"[
  {{"id": 1234, "signals": {{"pdq": "{PDQ}", "md5": "{MD5}"}}}},
  {{"id": 7, "disable_until_ts": 0, "original_media_uri": null,
    "bank": {{"name": "EXAMPLE_BANK", "matching_enabled_ratio": 1.0}},
    "signals": {{"pdq": "{}"}},
    "metadata": {{"content_id": "case-77", "content_uri": null,
                 "json": {{"labels": ["grooming", " x "], "quality": 88}}, "collab": {{}}}},
    "note": "reviewed twice"}},
  {{"id": 8, "signals": {{"md5": "{MD5}"}}}},
  {{"id": 9, "signals": {{"pdq": "123"}}}}
]"#,
            PDQ2.to_uppercase()
        );
        let out = pdq(&text);
        assert_eq!(out.records.len(), 2, "{:?}", out.errors);
        assert_eq!(out.records[0].line, 2);
        assert_eq!(out.records[0].record.external_id.as_deref(), Some("1234"));
        let second = &out.records[1];
        assert_eq!(second.line, 3);
        assert_eq!(second.record.hash, PDQ2);
        assert_eq!(second.record.external_id.as_deref(), Some("case-77"));
        assert_eq!(second.record.labels, vec!["grooming", "x"]);
        assert_eq!(second.record.quality, Some(88));
        assert_eq!(second.record.note.as_deref(), Some("reviewed twice"));
        assert_eq!(out.ignored.len(), 1);
        assert_eq!(out.ignored[0].line, 9);
        assert_eq!(out.errors.len(), 1);
        assert_eq!(out.errors[0].line, 10);

        let md5 = parse_format(Format::Hma, HashKind::Md5, &text).unwrap();
        assert_eq!(md5.records.len(), 2);
    }

    #[test]
    fn bare_signal_map_and_json_lines() {
        let text = format!("{{\"pdq\": \"{PDQ}\"}}\n{{\"pdq\": \"{PDQ2}\"}}\n");
        let out = pdq(&text);
        assert_eq!(out.records.len(), 2);
        assert_eq!(out.records[1].line, 2);
    }

    #[test]
    fn pytx_dataset_csv() {
        let text = format!(
            "collab,signal_type,signal_str,category,tags\n\
             Sample Signals,pdq,{PDQ},POSITIVE_CLASS,media_priority_s1 csam\n\
             Sample Signals,video_md5,{MD5},POSITIVE_CLASS,\n\
             Sample Signals,pdq,nothex,POSITIVE_CLASS,\n"
        );
        assert_eq!(Format::detect(&text), Some(Format::Hma));
        let out = pdq(&text);
        assert_eq!(out.records.len(), 1);
        assert_eq!(
            out.records[0].record.labels,
            vec!["media_priority_s1", "csam"]
        );
        assert_eq!(out.ignored.len(), 1);
        assert_eq!(out.errors.len(), 1);
        assert_eq!(out.errors[0].line, 4);
    }

    #[test]
    fn pytx_text_lines() {
        let text = format!(
            "pdq {PDQ}\nvideo_md5 {MD5}\n'Sample Signals' pdq {PDQ2} FetchedSignalMetadata()\nraw_text hello\n"
        );
        let out = pdq(&text);
        let hashes: Vec<&str> = out.records.iter().map(|r| r.record.hash.as_str()).collect();
        assert_eq!(hashes, vec![PDQ, PDQ2]);
        assert_eq!(out.ignored.len(), 1);
        assert_eq!(out.errors.len(), 1);
        assert_eq!(out.errors[0].line, 4);
    }

    #[test]
    fn export_round_trip() {
        let record = Record {
            hash: PDQ.into(),
            quality: Some(90),
            labels: vec!["a".into(), "b;c".into()],
            external_id: Some("42".into()),
            note: Some("n".into()),
        };
        let entries = [
            ExportEntry {
                record: record.clone(),
                added_at: None,
            },
            ExportEntry {
                record: Record {
                    hash: PDQ2.into(),
                    ..Record::default()
                },
                added_at: None,
            },
        ];
        let text = write_to_string(Format::Hma, HashKind::Pdq, &entries).unwrap();
        assert_eq!(Format::detect(&text), Some(Format::Hma));
        let out = pdq(&text);
        assert!(out.errors.is_empty());
        assert_eq!(out.records[0].record, record);
        assert_eq!(out.records[1].record.hash, PDQ2);
    }
}
