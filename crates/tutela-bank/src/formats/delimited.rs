//! CSV and TSV with a header row (RFC 4180 quoting, through the `csv` crate).
//!
//! Columns, matched without regard to case: `hash` (required), `quality` (0..=100), `label` or
//! `labels` (several separated by `;` or `|`), `id` or `external_id` (the source's own id),
//! `note`. Other columns are ignored. Values are trimmed; an empty cell is no value. Rows
//! whose first cell starts with `#` are comments.

use std::io::Write;

use super::{
    ExportEntry, ParseOutput, Record, clean_text, normalize_hash, parse_quality, split_labels,
};
use crate::HashKind;

/// The columns Tutela writes, in order.
const COLUMNS: [&str; 5] = ["hash", "quality", "label", "id", "note"];

struct Columns {
    hash: usize,
    quality: Option<usize>,
    label: Option<usize>,
    id: Option<usize>,
    note: Option<usize>,
}

impl Columns {
    fn find(header: &csv::StringRecord) -> Option<Columns> {
        let col = |names: &[&str]| {
            header
                .iter()
                .position(|h| names.iter().any(|n| h.trim().eq_ignore_ascii_case(n)))
        };
        Some(Columns {
            hash: col(&["hash"])?,
            quality: col(&["quality"]),
            label: col(&["label", "labels"]),
            id: col(&["id", "external_id"]),
            note: col(&["note"]),
        })
    }
}

/// True for a header line with a `hash` column.
pub(super) fn looks_like_header(line: &str) -> bool {
    line.split([',', '\t'])
        .any(|f| f.trim().trim_matches('"').eq_ignore_ascii_case("hash"))
}

/// A reader positioned on the header row (blank and `#` lines before it skipped), and the
/// number of lines skipped, to add to the reader's line numbers.
pub(super) fn reader(text: &str, delimiter: u8) -> (csv::Reader<&[u8]>, usize) {
    let mut rest = text;
    let mut skipped = 0;
    while let Some((line, after)) = rest.split_once('\n') {
        let line = line.trim();
        if !(line.is_empty() || line.starts_with('#')) {
            break;
        }
        rest = after;
        skipped += 1;
    }
    if rest.trim().is_empty() || rest.trim_start().starts_with('#') {
        rest = "";
    }
    let reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(rest.as_bytes());
    (reader, skipped)
}

/// True for an empty row or a comment row (first cell starting with `#`). The csv crate's own
/// comment support misnumbers the row after a comment, so comments are skipped here.
pub(super) fn is_blank_or_comment(row: &csv::StringRecord) -> bool {
    row.iter().all(str::is_empty) || row.get(0).is_some_and(|c| c.starts_with('#'))
}

/// The 1-based line a record starts on.
pub(super) fn line_of(pos: Option<&csv::Position>) -> usize {
    pos.map_or(0, |p| p.line() as usize)
}

/// Why the csv crate refused a row, without quoting it.
pub(super) fn csv_reason(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::Utf8 { .. } => "not valid UTF-8".into(),
        csv::ErrorKind::UnequalLengths { .. } => "wrong number of fields".into(),
        _ => "unreadable CSV row".into(),
    }
}

pub(super) fn parse(text: &str, kind: HashKind, delimiter: u8) -> ParseOutput {
    let mut out = ParseOutput::default();
    let (mut rdr, skipped) = reader(text, delimiter);
    let line_of = |pos: Option<&csv::Position>| line_of(pos) + skipped;
    let columns = match rdr.headers() {
        Ok(h) if h.is_empty() => return out,
        Ok(h) => Columns::find(h),
        Err(e) => {
            out.error(skipped + 1, csv_reason(&e));
            return out;
        }
    };
    let Some(cols) = columns else {
        out.error(skipped + 1, "the header row has no `hash` column");
        return out;
    };
    for row in rdr.records() {
        let row = match row {
            Ok(row) => row,
            Err(e) => {
                out.error(line_of(e.position()), csv_reason(&e));
                continue;
            }
        };
        let line = line_of(row.position());
        if is_blank_or_comment(&row) {
            continue;
        }
        let cell = |i: Option<usize>| i.and_then(|i| row.get(i)).unwrap_or("");
        let hash = match normalize_hash(kind, cell(Some(cols.hash))) {
            Ok(h) => h,
            Err(reason) => {
                out.error(line, reason);
                continue;
            }
        };
        let quality = match parse_quality(cell(cols.quality)) {
            Ok(q) => q,
            Err(reason) => {
                out.error(line, reason);
                continue;
            }
        };
        out.record(
            line,
            Record {
                hash,
                quality,
                labels: split_labels(cell(cols.label)),
                external_id: clean_text(cell(cols.id)),
                note: clean_text(cell(cols.note)),
            },
        );
    }
    out
}

pub(super) fn write(
    entries: &mut dyn Iterator<Item = &ExportEntry>,
    delimiter: u8,
    out: &mut dyn Write,
) -> Result<(), std::io::Error> {
    let mut w = csv::WriterBuilder::new()
        .delimiter(delimiter)
        .from_writer(out);
    let csv_io = |e: csv::Error| std::io::Error::other(e.to_string());
    w.write_record(COLUMNS).map_err(csv_io)?;
    for entry in entries {
        let r = &entry.record;
        let quality = r.quality.map(|q| q.to_string()).unwrap_or_default();
        let labels = r.labels.join(";");
        w.write_record([
            r.hash.as_str(),
            &quality,
            &labels,
            r.external_id.as_deref().unwrap_or(""),
            r.note.as_deref().unwrap_or(""),
        ])
        .map_err(csv_io)?;
    }
    w.flush()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::{Format, parse as parse_format, write_to_string};

    const PDQ: &str = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22";

    #[test]
    fn csv_with_quoting_unknown_columns_and_bad_rows() {
        let text = format!(
            "Source,HASH,Quality,Labels,ID,Note\n\
             x,{PDQ},90,\"csam; sextortion|csam\",A-1,\"multi\nline, with comma\"\n\
             y,{PDQ},,,,\n\
             # a comment\n\
             z,abc,50,,,\n\
             w,{PDQ},x,,,\n"
        );
        let out = parse_format(Format::Csv, HashKind::Pdq, &text).unwrap();
        assert_eq!(out.records.len(), 2);
        let first = &out.records[0];
        assert_eq!(first.line, 2);
        assert_eq!(first.record.quality, Some(90));
        assert_eq!(first.record.labels, vec!["csam", "sextortion"]);
        assert_eq!(first.record.external_id.as_deref(), Some("A-1"));
        assert_eq!(
            first.record.note.as_deref(),
            Some("multi\nline, with comma")
        );
        assert_eq!(out.records[1].line, 4, "the quoted newline spans two lines");
        assert_eq!(out.records[1].record.labels, Vec::<String>::new());
        let bad: Vec<usize> = out.errors.iter().map(|e| e.line).collect();
        assert_eq!(bad, vec![6, 7]);
    }

    #[test]
    fn comments_before_the_header_keep_line_numbers() {
        let text = format!("# exported 2026-01-01\n\nhash,note\n{PDQ},a\n# aside\nxyz,b\n");
        let out = parse_format(Format::Csv, HashKind::Pdq, &text).unwrap();
        assert_eq!(out.records[0].line, 4);
        assert_eq!(out.errors[0].line, 6);
        assert!(
            parse_format(Format::Csv, HashKind::Pdq, "# only a comment")
                .unwrap()
                .errors
                .is_empty()
        );
    }

    #[test]
    fn missing_hash_column_is_one_error() {
        let out = parse_format(Format::Csv, HashKind::Pdq, "digest,quality\nabc,1\n").unwrap();
        assert!(out.records.is_empty());
        assert_eq!(out.errors.len(), 1);
        assert_eq!(out.errors[0].line, 1);
    }

    #[test]
    fn tsv_round_trip() {
        let record = Record {
            hash: PDQ.into(),
            quality: Some(77),
            labels: vec!["a b".into(), "c".into()],
            external_id: Some("id\twith tab".into()),
            note: Some("say \"hi\"".into()),
        };
        let entries = [ExportEntry {
            record: record.clone(),
            added_at: None,
        }];
        for format in [Format::Tsv, Format::Csv] {
            let text = write_to_string(format, HashKind::Pdq, &entries).unwrap();
            assert_eq!(Format::detect(&text), Some(format), "{text}");
            let out = parse_format(format, HashKind::Pdq, &text).unwrap();
            assert!(out.errors.is_empty(), "{:?}", out.errors);
            assert_eq!(out.records[0].record, record);
        }
    }
}
