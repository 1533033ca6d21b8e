//! Line formats: one hash a line.
//!
//! * `plain`: `hash`, `hash,quality` or `hash,quality,anything` — the last is what Meta's C++
//!   `pdq-photo-hasher` prints (`hash,quality,path`); the path is dropped, Tutela keeps no file
//!   names of listed content. A line without a comma may carry text after whitespace
//!   (`md5sum` style), which is dropped too.
//! * `md5`, `sha256`: one digest a line; `md5sum`/`sha256sum` output (`digest  name`, or
//!   `digest *name` in binary mode) is read the same way, the name dropped.

use std::io::Write;

use super::{ExportEntry, ParseOutput, Record, normalize_hash, parse_quality};
use crate::HashKind;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Shape {
    /// `hash[,quality[,ignored]]`.
    WithQuality,
    /// The digest alone.
    DigestOnly,
}

pub(super) fn parse(text: &str, kind: HashKind, shape: Shape) -> ParseOutput {
    let mut out = ParseOutput::default();
    for (i, line) in text.lines().enumerate() {
        let line_no = i + 1;
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (hash, quality) = match (shape, line.split_once(',')) {
            (Shape::WithQuality, Some((hash, rest))) => {
                let quality = rest.split(',').next().unwrap_or("");
                (hash, quality)
            }
            _ => (line.split_whitespace().next().unwrap_or(""), ""),
        };
        let hash = match normalize_hash(kind, hash) {
            Ok(h) => h,
            Err(reason) => {
                out.error(line_no, reason);
                continue;
            }
        };
        let quality = match parse_quality(quality) {
            Ok(q) => q,
            Err(reason) => {
                out.error(line_no, reason);
                continue;
            }
        };
        out.record(
            line_no,
            Record {
                hash,
                quality,
                ..Record::default()
            },
        );
    }
    out
}

pub(super) fn write(
    entries: &mut dyn Iterator<Item = &ExportEntry>,
    shape: Shape,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    for entry in entries {
        let r = &entry.record;
        match (shape, r.quality) {
            (Shape::WithQuality, Some(q)) => writeln!(out, "{},{q}", r.hash)?,
            _ => writeln!(out, "{}", r.hash)?,
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::{Format, parse as parse_format, write_to_string};

    const PDQ: &str = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22";
    const MD5: &str = "d41d8cd98f00b204e9800998ecf8427e";

    #[test]
    fn plain_lines_with_comments_quality_and_paths() {
        let text = format!(
            "# a list\n\n{PDQ}\r\n{},87,images/x,y.jpg\n{PDQ},\nnot-a-hash\n{PDQ},150\n",
            PDQ.to_uppercase()
        );
        let out = parse_format(Format::Plain, HashKind::Pdq, &text).unwrap();
        let got: Vec<(usize, Option<u8>)> = out
            .records
            .iter()
            .map(|r| (r.line, r.record.quality))
            .collect();
        assert_eq!(got, vec![(3, None), (4, Some(87)), (5, None)]);
        assert!(out.records.iter().all(|r| r.record.hash == PDQ));
        let lines: Vec<usize> = out.errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![6, 7]);
        assert!(out.errors[1].reason.contains("quality"));
    }

    #[test]
    fn md5sum_output_and_wrong_lengths() {
        let text = format!("{MD5}  empty.bin\n{MD5} *empty.bin\n{PDQ}\n");
        let out = parse_format(Format::Md5, HashKind::Md5, &text).unwrap();
        assert_eq!(out.records.len(), 2);
        assert_eq!(out.errors.len(), 1);
        assert_eq!(out.errors[0].line, 3);
        assert!(out.errors[0].reason.contains("64 hex digits, 32 expected"));
    }

    #[test]
    fn digest_only_lines_do_not_read_quality() {
        let out = parse_format(Format::Sha256, HashKind::Sha256, &format!("{PDQ},50\n")).unwrap();
        assert_eq!(out.records.len(), 0, "a comma is not part of a digest line");
        assert_eq!(out.errors.len(), 1);
    }

    #[test]
    fn round_trip() {
        let text = format!("{PDQ},87\n{}\n", PDQ.replace('f', "0"));
        let out = parse_format(Format::Plain, HashKind::Pdq, &text).unwrap();
        let entries: Vec<ExportEntry> = out
            .records
            .iter()
            .map(|r| ExportEntry {
                record: r.record.clone(),
                added_at: None,
            })
            .collect();
        assert_eq!(
            write_to_string(Format::Plain, HashKind::Pdq, &entries).unwrap(),
            text
        );
        let digests = write_to_string(Format::Sha256, HashKind::Sha256, &entries).unwrap();
        assert_eq!(digests.lines().count(), 2);
        assert!(!digests.contains(','));
    }
}
