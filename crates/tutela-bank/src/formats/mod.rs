//! Import and export formats. Pure: text in, records and per-line problems out; records in,
//! text out. No file names, no I/O of their own (writers write to any `io::Write`).
//!
//! | format | reads | writes |
//! |---|---|---|
//! | `plain` | one hash a line, `hash[,quality[,ignored…]]` (the C++ `pdq-photo-hasher` output) | `hash[,quality]` |
//! | `csv`, `tsv` | header row; `hash` required, `quality`, `label`, `id`, `note` optional | the same columns |
//! | `hma` | HMA bank-content JSON / JSON lines, pytx `dataset -P --csv`, pytx `<type> <hash>` lines | HMA JSON lines |
//! | `threatexchange` | Graph API `threat_descriptors` / `threat_updates` JSON, `te-tag-query` JSON lines, UI CSV (`td_*` columns) | descriptor JSON lines |
//! | `md5`, `sha256` | one digest a line (also `md5sum`/`sha256sum` output) | one digest a line |
//!
//! Blank lines and lines starting with `#` are skipped in the line formats. A line whose hash
//! is not of the bank's [`HashKind`] is an error; an entry of another hash type in a mixed
//! export (HMA signals, ThreatExchange indicator types) is *ignored* and counted, not an error.
//! Problems never quote the offending text: hash lists are sensitive.

mod delimited;
mod hma;
mod json;
mod plain;
mod threatexchange;

use std::io::Write;

use crate::HashKind;

/// One hash and what the source says about it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Record {
    /// Lowercase hex, validated for the bank's hash kind.
    pub hash: String,
    /// PDQ quality 0..=100 when the source gives it.
    pub quality: Option<u8>,
    /// Trimmed, non-empty, without duplicates, in source order.
    pub labels: Vec<String>,
    /// The source's own id for the entry.
    pub external_id: Option<String>,
    pub note: Option<String>,
}

/// A record and the 1-based line it starts on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParsedRecord {
    pub line: usize,
    pub record: Record,
}

/// A problem with one line (or a skipped entry): its 1-based line number and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineIssue {
    pub line: usize,
    pub reason: String,
}

/// Everything a parser found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ParseOutput {
    pub records: Vec<ParsedRecord>,
    /// Lines that could not be read as a record of this bank.
    pub errors: Vec<LineIssue>,
    /// Well-formed entries that do not belong in this bank (another hash type, withdrawn
    /// upstream, a "not harmful" opinion).
    pub ignored: Vec<LineIssue>,
}

impl ParseOutput {
    fn record(&mut self, line: usize, record: Record) {
        self.records.push(ParsedRecord { line, record });
    }

    fn error(&mut self, line: usize, reason: impl Into<String>) {
        self.errors.push(LineIssue {
            line,
            reason: reason.into(),
        });
    }

    fn ignore(&mut self, line: usize, reason: impl Into<String>) {
        self.ignored.push(LineIssue {
            line,
            reason: reason.into(),
        });
    }
}

/// What an export writes for one entry: the record and when it entered the bank.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportEntry {
    pub record: Record,
    /// RFC 3339.
    pub added_at: Option<String>,
}

/// Why a parse or export could not start.
#[derive(Debug, thiserror::Error)]
pub enum FormatError {
    #[error("format {format} holds {holds} hashes, the bank holds {kind} hashes")]
    KindMismatch {
        format: &'static str,
        holds: HashKind,
        kind: HashKind,
    },
    #[error(
        "a video bank imports vPDQ hash files, one video per file, and exports them as such (or its entry list as plain, csv or tsv)"
    )]
    VideoBank,
    #[error("cannot write the export: {0}")]
    Io(#[from] std::io::Error),
}

/// The supported formats. `auto` is not one: see [`Format::detect`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    Plain,
    Csv,
    Tsv,
    Hma,
    ThreatExchange,
    Md5,
    Sha256,
}

impl Format {
    pub const ALL: [Format; 7] = [
        Format::Plain,
        Format::Csv,
        Format::Tsv,
        Format::Hma,
        Format::ThreatExchange,
        Format::Md5,
        Format::Sha256,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Format::Plain => "plain",
            Format::Csv => "csv",
            Format::Tsv => "tsv",
            Format::Hma => "hma",
            Format::ThreatExchange => "threatexchange",
            Format::Md5 => "md5",
            Format::Sha256 => "sha256",
        }
    }

    /// The format of a name (`pytx` and `te` are accepted as aliases).
    pub fn from_name(name: &str) -> Option<Format> {
        Some(match name.to_ascii_lowercase().as_str() {
            "plain" | "txt" => Format::Plain,
            "csv" => Format::Csv,
            "tsv" => Format::Tsv,
            "hma" | "pytx" => Format::Hma,
            "threatexchange" | "te" => Format::ThreatExchange,
            "md5" => Format::Md5,
            "sha256" => Format::Sha256,
            _ => return None,
        })
    }

    /// The hash kind the format is limited to, if any.
    pub fn only_kind(self) -> Option<HashKind> {
        match self {
            Format::Md5 => Some(HashKind::Md5),
            Format::Sha256 => Some(HashKind::Sha256),
            _ => None,
        }
    }

    fn check_kind(self, kind: HashKind) -> Result<(), FormatError> {
        match self.only_kind() {
            Some(holds) if holds != kind => Err(FormatError::KindMismatch {
                format: self.name(),
                holds,
                kind,
            }),
            _ => Ok(()),
        }
    }

    /// Guesses the format from the start of the text: JSON by its keys, delimited text by its
    /// header, else the shape of the first line that is not blank or a comment. `None` when
    /// nothing fits (the caller then asks for `--format`).
    pub fn detect(text: &str) -> Option<Format> {
        let text = strip_bom(text);
        let trimmed = text.trim_start();
        if trimmed.starts_with('{') || trimmed.starts_with('[') {
            let head = &trimmed[..floor_char_boundary(trimmed, 1 << 16)];
            return if threatexchange::looks_like_json(head) {
                Some(Format::ThreatExchange)
            } else if hma::looks_like_json(head) {
                Some(Format::Hma)
            } else {
                None
            };
        }
        let line = text
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty() && !l.starts_with('#'))?;
        if threatexchange::looks_like_csv_header(line) {
            return Some(Format::ThreatExchange);
        }
        if hma::looks_like_text(line) {
            return Some(Format::Hma);
        }
        if delimited::looks_like_header(line) {
            return Some(if line.contains('\t') {
                Format::Tsv
            } else {
                Format::Csv
            });
        }
        let first = line
            .split(|c: char| c == ',' || c.is_whitespace())
            .next()
            .unwrap_or("");
        let hex = first.bytes().all(|b| b.is_ascii_hexdigit());
        (hex && (first.len() == 32 || first.len() == 64)).then_some(Format::Plain)
    }
}

/// Parses `text` in `format` for a bank of `kind`.
pub fn parse(format: Format, kind: HashKind, text: &str) -> Result<ParseOutput, FormatError> {
    format.check_kind(kind)?;
    if kind == HashKind::Vpdq {
        return Err(FormatError::VideoBank);
    }
    let text = strip_bom(text);
    Ok(match format {
        Format::Plain => plain::parse(text, kind, plain::Shape::WithQuality),
        Format::Md5 | Format::Sha256 => plain::parse(text, kind, plain::Shape::DigestOnly),
        Format::Csv => delimited::parse(text, kind, b','),
        Format::Tsv => delimited::parse(text, kind, b'\t'),
        Format::Hma => hma::parse(text, kind),
        Format::ThreatExchange => threatexchange::parse(text, kind),
    })
}

/// Writes `entries` in `format` (a header first where the format has one).
pub fn write<'a>(
    format: Format,
    kind: HashKind,
    entries: impl IntoIterator<Item = &'a ExportEntry>,
    out: &mut dyn Write,
) -> Result<(), FormatError> {
    format.check_kind(kind)?;
    if kind == HashKind::Vpdq && !matches!(format, Format::Plain | Format::Csv | Format::Tsv) {
        return Err(FormatError::VideoBank);
    }
    let mut entries = entries.into_iter();
    match format {
        Format::Plain => plain::write(&mut entries, plain::Shape::WithQuality, out)?,
        Format::Md5 | Format::Sha256 => plain::write(&mut entries, plain::Shape::DigestOnly, out)?,
        Format::Csv => delimited::write(&mut entries, b',', out)?,
        Format::Tsv => delimited::write(&mut entries, b'\t', out)?,
        Format::Hma => hma::write(&mut entries, kind, out)?,
        Format::ThreatExchange => threatexchange::write(&mut entries, kind, out)?,
    }
    Ok(())
}

/// [`write`] into a string.
pub fn write_to_string<'a>(
    format: Format,
    kind: HashKind,
    entries: impl IntoIterator<Item = &'a ExportEntry>,
) -> Result<String, FormatError> {
    let mut out = Vec::new();
    write(format, kind, entries, &mut out)?;
    // Every writer emits UTF-8 (from `str` fields and ASCII syntax).
    Ok(String::from_utf8(out).expect("writers emit UTF-8"))
}

fn strip_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

fn floor_char_boundary(s: &str, mut at: usize) -> usize {
    if at >= s.len() {
        return s.len();
    }
    while !s.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// Checks and normalises one hash (lowercase hex of the kind's length). The reason never
/// contains the input.
pub fn normalize_hash(kind: HashKind, s: &str) -> Result<String, String> {
    let s = s.trim();
    if s.is_empty() {
        return Err(format!("no {}", kind.display_name()));
    }
    if !s.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(format!(
            "not a {}: it has characters other than hex digits",
            kind.display_name()
        ));
    }
    if s.len() != kind.hex_len() {
        return Err(format!(
            "not a {}: {} hex digits, {} expected",
            kind.display_name(),
            s.len(),
            kind.hex_len()
        ));
    }
    Ok(s.to_ascii_lowercase())
}

/// Reads a quality: empty is none, else a whole number 0..=100.
fn parse_quality(s: &str) -> Result<Option<u8>, String> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    match s.parse::<u8>() {
        Ok(q) if q <= 100 => Ok(Some(q)),
        _ => Err("quality must be a whole number from 0 to 100".into()),
    }
}

/// Splits a label cell on `;` or `|`.
fn split_labels(s: &str) -> Vec<String> {
    clean_labels(s.split([';', '|']))
}

/// Trims labels, drops empty ones and repeats (first occurrence kept).
pub fn clean_labels<S: AsRef<str>>(labels: impl IntoIterator<Item = S>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for label in labels {
        let label = label.as_ref().trim();
        if !label.is_empty() && !out.iter().any(|l| l == label) {
            out.push(label.to_string());
        }
    }
    out
}

/// Trims a text field; empty is none.
fn clean_text(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const PDQ: &str = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22";

    #[test]
    fn names_round_trip() {
        for f in Format::ALL {
            assert_eq!(Format::from_name(f.name()), Some(f));
        }
        assert_eq!(Format::from_name("pytx"), Some(Format::Hma));
        assert_eq!(Format::from_name("TE"), Some(Format::ThreatExchange));
        assert_eq!(Format::from_name("auto"), None);
    }

    #[test]
    fn hash_normalisation_explains_without_quoting() {
        assert_eq!(
            normalize_hash(HashKind::Pdq, &PDQ.to_uppercase()).unwrap(),
            PDQ
        );
        let short = normalize_hash(HashKind::Pdq, &PDQ[..63]).unwrap_err();
        assert!(short.contains("63 hex digits"), "{short}");
        assert!(!short.contains(&PDQ[..10]));
        let bad = normalize_hash(HashKind::Md5, "zz").unwrap_err();
        assert!(bad.contains("MD5") && !bad.contains("zz"), "{bad}");
        assert!(normalize_hash(HashKind::Md5, &PDQ[..32]).is_ok());
        assert!(normalize_hash(HashKind::Sha256, PDQ).is_ok());
    }

    #[test]
    fn detection() {
        let cases: [(&str, Option<Format>); 12] = [
            (&format!("{PDQ}\n"), Some(Format::Plain)),
            (
                &format!("# list\n\n{PDQ},100,images/x.jpg\n"),
                Some(Format::Plain),
            ),
            (&format!("{}  file.bin\n", &PDQ[..32]), Some(Format::Plain)),
            (&format!("hash,quality\n{PDQ},90\n"), Some(Format::Csv)),
            (&format!("id\thash\tnote\n1\t{PDQ}\tx\n"), Some(Format::Tsv)),
            (
                &format!(
                    "collab,signal_type,signal_str,category,tags\nc,pdq,{PDQ},POSITIVE_CLASS,\n"
                ),
                Some(Format::Hma),
            ),
            (&format!("pdq {PDQ}\n"), Some(Format::Hma)),
            (
                &format!("[{{\"id\": 3, \"signals\": {{\"pdq\": \"{PDQ}\"}}}}]"),
                Some(Format::Hma),
            ),
            (
                &format!(
                    "{{\"data\": [{{\"raw_indicator\": \"{PDQ}\", \"type\": \"HASH_PDQ\"}}]}}"
                ),
                Some(Format::ThreatExchange),
            ),
            (
                &format!("td_raw_indicator,td_indicator_type\n{PDQ},HASH_PDQ\n"),
                Some(Format::ThreatExchange),
            ),
            ("hello world\n", None),
            ("", None),
        ];
        for (text, want) in cases {
            assert_eq!(Format::detect(text), want, "{text}");
        }
        assert_eq!(
            Format::detect(&format!("\u{feff}{PDQ}")),
            Some(Format::Plain)
        );
    }

    #[test]
    fn exact_formats_need_their_kind() {
        assert!(matches!(
            parse(Format::Md5, HashKind::Pdq, ""),
            Err(FormatError::KindMismatch { .. })
        ));
        assert!(write_to_string(Format::Sha256, HashKind::Md5, &[]).is_err());
        assert!(parse(Format::Sha256, HashKind::Sha256, "").is_ok());
    }

    #[test]
    fn labels_are_cleaned() {
        assert_eq!(split_labels(" a ; b|a;; c "), vec!["a", "b", "c"]);
        assert_eq!(parse_quality(" 07 ").unwrap(), Some(7));
        assert!(parse_quality("101").is_err());
        assert!(parse_quality("-1").is_err());
        assert_eq!(parse_quality("").unwrap(), None);
    }
}
