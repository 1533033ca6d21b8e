//! JSON input shared by the HMA and ThreatExchange readers: one document (an object, an array
//! of objects, or an object wrapping its array in `data`) or JSON lines (one object a line),
//! each item with the line it starts on.

use serde_json::Value;
use serde_json::value::RawValue;

use super::{LineIssue, parse_quality};

/// Items found and the lines that could not be read.
#[derive(Default)]
pub(super) struct Items {
    pub(super) items: Vec<(usize, Value)>,
    pub(super) errors: Vec<LineIssue>,
}

/// Why serde_json refused the text, without quoting it.
fn reason(e: &serde_json::Error) -> String {
    match e.classify() {
        serde_json::error::Category::Eof => "the JSON ends early".into(),
        serde_json::error::Category::Syntax => format!("invalid JSON at column {}", e.column()),
        serde_json::error::Category::Data => "unexpected JSON value".into(),
        serde_json::error::Category::Io => "unreadable JSON".into(),
    }
}

/// 1-based line of byte `offset`, from the sorted offsets of line starts.
fn line_at(line_starts: &[usize], offset: usize) -> usize {
    line_starts.partition_point(|&s| s <= offset)
}

/// Splits `text` into items. `unwrap_data`: an object whose `data` member is an array stands
/// for that array (the Graph API's paging envelope).
pub(super) fn items(text: &str, unwrap_data: bool) -> Items {
    let mut out = Items::default();
    let mut stream = serde_json::Deserializer::from_str(text).into_iter::<&RawValue>();
    let first = match stream.next() {
        None => return out,
        Some(Err(e)) => {
            out.errors.push(LineIssue {
                line: e.line().max(1),
                reason: reason(&e),
            });
            return out;
        }
        Some(Ok(first)) => first,
    };
    if stream.next().is_some() {
        // More than one top-level value: JSON lines. Each line stands alone so that one bad
        // line does not hide the rest.
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() {
                continue;
            }
            match serde_json::from_str::<Value>(line) {
                Ok(v) => out.items.push((i + 1, v)),
                Err(e) => out.errors.push(LineIssue {
                    line: i + 1,
                    reason: reason(&e),
                }),
            }
        }
        return out;
    }
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let line_of = |raw: &RawValue| {
        let offset = raw.get().as_ptr() as usize - text.as_ptr() as usize;
        line_at(&line_starts, offset)
    };
    let mut elements = |raw: &str| match serde_json::from_str::<Vec<&RawValue>>(raw) {
        Ok(list) => {
            for element in list {
                match serde_json::from_str::<Value>(element.get()) {
                    Ok(v) => out.items.push((line_of(element), v)),
                    Err(e) => out.errors.push(LineIssue {
                        line: line_of(element),
                        reason: reason(&e),
                    }),
                }
            }
        }
        Err(e) => out.errors.push(LineIssue {
            line: e.line().max(1),
            reason: reason(&e),
        }),
    };
    let body = first.get().trim_start();
    if body.starts_with('[') {
        elements(first.get());
    } else if unwrap_data && body.starts_with('{') {
        #[derive(serde::Deserialize)]
        struct Envelope<'a> {
            #[serde(borrow)]
            data: Option<&'a RawValue>,
        }
        match serde_json::from_str::<Envelope>(first.get()) {
            Ok(Envelope { data: Some(data) }) if data.get().trim_start().starts_with('[') => {
                elements(data.get())
            }
            _ => single(first, line_of(first), &mut out),
        }
    } else {
        single(first, line_of(first), &mut out);
    }
    out
}

fn single(raw: &RawValue, line: usize, out: &mut Items) {
    match serde_json::from_str::<Value>(raw.get()) {
        Ok(v) => out.items.push((line, v)),
        Err(e) => out.errors.push(LineIssue {
            line,
            reason: reason(&e),
        }),
    }
}

/// A string member, or a number written as text (ids are either).
pub(super) fn text_of(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => super::clean_text(s),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// String elements of an array member (others skipped).
pub(super) fn strings_of(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::Array(list)) => super::clean_labels(list.iter().filter_map(Value::as_str)),
        _ => Vec::new(),
    }
}

/// A quality given as a number or as digits.
pub(super) fn quality_of(v: Option<&Value>) -> Result<Option<u8>, String> {
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => match n.as_u64() {
            Some(q) if q <= 100 => Ok(Some(q as u8)),
            _ => Err("quality must be a whole number from 0 to 100".into()),
        },
        Some(Value::String(s)) => parse_quality(s),
        Some(_) => Err("quality must be a whole number from 0 to 100".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_of_array_elements() {
        let text = "[\n  {\"a\": 1},\n\n  {\"b\": 2}\n]";
        let got = items(text, false);
        let lines: Vec<usize> = got.items.iter().map(|(l, _)| *l).collect();
        assert_eq!(lines, vec![2, 4]);
    }

    #[test]
    fn envelope_and_json_lines() {
        let env = items("{\"data\": [{\"x\": 1}, {\"x\": 2}], \"paging\": {}}", true);
        assert_eq!(env.items.len(), 2);
        let not_unwrapped = items("{\"data\": [1]}", false);
        assert_eq!(not_unwrapped.items.len(), 1);
        let lines = items("{\"x\": 1}\n{\"x\": \n{\"x\": 3}\n", false);
        assert_eq!(lines.items.len(), 2);
        assert_eq!(lines.items[1].0, 3);
        assert_eq!(lines.errors.len(), 1);
        assert_eq!(lines.errors[0].line, 2);
    }

    #[test]
    fn broken_document_reports_its_line_without_content() {
        let got = items("[\n{\"secret\": \"abc\"},\n{\"x\" 1}\n]", false);
        assert!(got.items.is_empty());
        assert_eq!(got.errors.len(), 1);
        assert_eq!(got.errors[0].line, 3);
        assert!(!got.errors[0].reason.contains("secret"));
    }
}
