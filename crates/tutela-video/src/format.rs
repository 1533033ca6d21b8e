//! The vPDQ hash file format of Meta's `vpdq` tools (pure: text in, frames out).
//!
//! One line per hashed frame: `frame_number,quality,pdq_hex,timestamp_seconds`, e.g.
//! `0,100,dadb999c…f07c,0.000`. The older three-field form (no timestamp) is read too: its
//! timestamp is unknown, kept as `f64::NAN` (not 0, which would be a claim), and written back
//! without the field.
//!
//! A hash file describes one video: a bad line makes the whole file unreadable (a video hash
//! with holes would match wrongly), and the error names the line without quoting it.

use std::io::Write;

use tutela_pdq::Hash256;

use crate::FrameHash;

/// Frames read from one file at most: 24 hours of 60 fps video hashed at every frame.
pub const MAX_FRAMES_PER_FILE: usize = 24 * 3600 * 60;

/// Why a vPDQ hash file could not be read. Never contains the file's text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FormatError {
    #[error("line {line}: {reason}")]
    Line { line: usize, reason: &'static str },
    #[error("the file has no frame hashes")]
    Empty,
    #[error("the file has more than {MAX_FRAMES_PER_FILE} frame hashes")]
    TooManyFrames,
}

/// Reads a vPDQ hash file. Blank lines are skipped; anything else must be a frame line.
pub fn parse(text: &str) -> Result<Vec<FrameHash>, FormatError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut frames = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        if frames.len() == MAX_FRAMES_PER_FILE {
            return Err(FormatError::TooManyFrames);
        }
        let frame = parse_line(line).map_err(|reason| FormatError::Line {
            line: i + 1,
            reason,
        })?;
        frames.push(frame);
    }
    if frames.is_empty() {
        return Err(FormatError::Empty);
    }
    Ok(frames)
}

fn parse_line(line: &str) -> Result<FrameHash, &'static str> {
    let mut fields = line.split(',').map(str::trim);
    let (Some(number), Some(quality), Some(hash)) = (fields.next(), fields.next(), fields.next())
    else {
        return Err("expected frame_number,quality,pdq_hash[,seconds]");
    };
    let seconds = fields.next();
    if fields.next().is_some() {
        return Err("more than 4 fields");
    }
    if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) {
        return Err("the frame number is not a whole number");
    }
    let frame_number: u64 = number
        .parse()
        .map_err(|_| "the frame number is too large")?;
    let quality = match quality.parse::<u8>() {
        Ok(q) if q <= 100 && quality.bytes().all(|b| b.is_ascii_digit()) => q,
        _ => return Err("the quality is not a whole number from 0 to 100"),
    };
    if hash.len() != 64 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err("the PDQ hash is not 64 hex digits");
    }
    let hash = Hash256::from_hex(hash).map_err(|_| "the PDQ hash is not 64 hex digits")?;
    let seconds = match seconds {
        None => f64::NAN,
        Some(s) => {
            let ok = !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit() || b == b'.');
            match s.parse::<f64>() {
                Ok(v) if ok && v.is_finite() => v,
                _ => return Err("the timestamp is not a number of seconds"),
            }
        }
    };
    Ok(FrameHash {
        frame_number,
        quality,
        hash,
        seconds,
    })
}

/// Writes frames in the vPDQ format, timestamps with 3 decimals as the reference prints them
/// (a frame without a timestamp is written in the three-field form).
pub fn write(frames: &[FrameHash], out: &mut dyn Write) -> std::io::Result<()> {
    for f in frames {
        if f.seconds.is_finite() {
            writeln!(
                out,
                "{},{},{},{:.3}",
                f.frame_number,
                f.quality,
                f.hash.to_hex(),
                f.seconds
            )?;
        } else {
            writeln!(out, "{},{},{}", f.frame_number, f.quality, f.hash.to_hex())?;
        }
    }
    Ok(())
}

/// [`write`] into a string.
pub fn to_string(frames: &[FrameHash]) -> String {
    let mut out = Vec::with_capacity(frames.len() * 80);
    write(frames, &mut out).expect("writing to a Vec cannot fail");
    String::from_utf8(out).expect("the format is ASCII")
}

/// True if the first non-blank line has the shape of a vPDQ frame line: lets callers tell a
/// vPDQ hash file from other hash lists.
pub fn looks_like_vpdq(text: &str) -> bool {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    text.lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .is_some_and(|l| parse_line(l).is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    const H: &str = "dadb999c5b2e4d3f6a1e8b7c0f9a2d4e3b5c7d9e1f2a3b4c5d6e7f8091a2f07c";

    #[test]
    fn round_trip() {
        let text = format!("0,100,{H},0.000\n1,42,{H},0.033\n");
        let frames = parse(&text).unwrap();
        assert_eq!(frames.len(), 2);
        assert_eq!(frames[1].frame_number, 1);
        assert_eq!(frames[1].quality, 42);
        assert_eq!(frames[1].hash.to_hex(), H);
        assert!((frames[1].seconds - 0.033).abs() < 1e-9);
        assert_eq!(to_string(&frames), text);
        assert!(looks_like_vpdq(&text));
    }

    #[test]
    fn three_field_lines_have_no_timestamp() {
        let frames = parse(&format!("7,90,{H}\n")).unwrap();
        assert!(frames[0].seconds.is_nan());
        assert_eq!(to_string(&frames), format!("7,90,{H}\n"));
    }

    #[test]
    fn bad_lines_are_named_not_quoted() {
        let cases = [
            (format!("0,100,{H},0.0\nx,1,{H},1\n"), 2),
            (format!("0,101,{H},0.0\n"), 1),
            (format!("0,100,{},0.0\n", &H[..63]), 1),
            (format!("\n\n0,100,{H},-1\n"), 3),
            (format!("0,100,{H},1,2\n"), 1),
            (format!("0,100,{H},inf\n"), 1),
            ("0,100\n".to_string(), 1),
            (format!("+1,100,{H}\n"), 1),
            (format!("99999999999999999999999,100,{H}\n"), 1),
        ];
        for (text, line) in cases {
            match parse(&text) {
                Err(FormatError::Line { line: got, reason }) => {
                    assert_eq!(got, line, "{text}");
                    assert!(!reason.contains(&H[..8]));
                }
                other => panic!("{text}: {other:?}"),
            }
        }
        assert_eq!(parse("\n \n"), Err(FormatError::Empty));
        assert!(!looks_like_vpdq(&format!("{H}\n")));
        assert!(!looks_like_vpdq("hash,quality\n"));
    }

    #[test]
    fn shipped_hash_files_parse_and_round_trip() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../../shared/vectors/vpdq/vpdq-hashes");
        let Ok(entries) = std::fs::read_dir(&dir) else {
            panic!("the vPDQ vectors are missing at {}", dir.display());
        };
        let mut n = 0;
        for entry in entries {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            let frames = parse(&text).unwrap();
            assert!(!frames.is_empty());
            assert_eq!(to_string(&frames), text, "{}", path.display());
            n += 1;
        }
        assert!(n >= 20, "only {n} hash files");
    }
}
