//! `tutela match`: images (or PDQ hashes) in, one JSON line of bank matches per input out.

use crate::bank_cmd::{DataArg, read_input};
use crate::hash_cmd::{self, ImageOptions};
use crate::inputs;
use crate::video_cmd::VideoFlags;
use anyhow::{Context, Result};
use clap::Args;
use serde::Serialize;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use tutela_bank::formats::{self, Format};
use tutela_bank::{
    HashKind, Match, MatchOutcome, Matcher, Query, SkippedBank, VideoMatch, VideoQuery,
};

#[derive(Args, Debug)]
pub struct MatchArgs {
    /// Image or video files, or folders (searched recursively); `-` reads one file from
    /// standard input. Each image is matched by its 8 dihedral PDQ hashes, its SHA-256 and
    /// its MD5; each video (recognised by content) by its vPDQ frames against video banks,
    /// and its SHA-256 and MD5.
    #[arg(required_unless_present = "hashes", conflicts_with = "hashes")]
    pub paths: Vec<PathBuf>,
    /// Match hashes instead of files: PDQ hashes one a line (`hash` or `hash,quality`), each
    /// line one query; or a vPDQ hash file (one video), from a file or `-` for standard input.
    #[arg(long, value_name = "FILE")]
    pub hashes: Option<PathBuf>,
    #[command(flatten)]
    pub image: ImageOptions,
    #[command(flatten)]
    pub video: VideoFlags,
    #[command(flatten)]
    pub data: DataArg,
}

/// The result for one image. Hashes only: never the content.
#[derive(Serialize)]
struct ImageResult {
    path: String,
    pdq: Option<String>,
    quality: Option<u8>,
    sha256: Option<String>,
    md5: Option<String>,
    matches: Vec<Match>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    skipped_banks: Vec<SkippedBank>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

/// The result for one video. Hashes only: never the content.
#[derive(Serialize)]
struct VideoResult {
    path: String,
    kind: &'static str,
    sha256: Option<String>,
    md5: Option<String>,
    /// Frames hashed (before quality filtering and de-duplication).
    frames: usize,
    matches: Vec<VideoMatch>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    skipped_banks: Vec<SkippedBank>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

#[derive(Serialize)]
#[serde(untagged)]
enum FileResult {
    Image(ImageResult),
    Video(VideoResult),
}

impl FileResult {
    fn failed(&self) -> bool {
        match self {
            FileResult::Image(r) => r.error.is_some(),
            FileResult::Video(r) => r.error.is_some(),
        }
    }
}

/// The result for one line of `--hashes`.
#[derive(Serialize)]
struct HashResult {
    line: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    hash: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    quality: Option<u8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    matches: Option<Vec<Match>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    skipped_banks: Vec<SkippedBank>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

pub fn run(args: MatchArgs) -> Result<ExitCode> {
    let store = args.data.open_existing()?;
    let matcher = Matcher::load(&store).context("cannot load the banks")?;
    match &args.hashes {
        Some(file) => match_hashes(&matcher, file),
        None => match_images(&matcher, &args),
    }
}

fn match_images(matcher: &Matcher, args: &MatchArgs) -> Result<ExitCode> {
    let inputs = inputs::expand(&args.paths)?;
    let video = args.video.options();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut failed = 0usize;
    hash_cmd::for_each_in_order(
        &inputs,
        args.image.threads,
        |input| -> Result<FileResult> {
            let (record, frames) = hash_cmd::hash_any(input, &args.image, &video, true);
            if record.mode == hash_cmd::VIDEO_MODE {
                let mut query = VideoQuery::new().with_frames(frames.as_deref().unwrap_or(&[]));
                if let Some(d) = record.sha256.as_deref().and_then(decode::<32>) {
                    query = query.with_sha256(d);
                }
                if let Some(d) = record.md5.as_deref().and_then(decode::<16>) {
                    query = query.with_md5(d);
                }
                let outcome = matcher.query_video(&query)?;
                return Ok(FileResult::Video(VideoResult {
                    path: record.path,
                    kind: "video",
                    sha256: record.sha256,
                    md5: record.md5,
                    frames: frames.map_or(0, |f| f.len()),
                    matches: outcome.matches,
                    skipped_banks: outcome.skipped_banks,
                    error: record.error,
                }));
            }
            let outcome = matcher.query(&query_of(&record)?)?;
            Ok(FileResult::Image(ImageResult {
                path: record.path,
                pdq: record.pdq,
                quality: record.quality,
                sha256: record.sha256,
                md5: record.md5,
                matches: outcome.matches,
                skipped_banks: outcome.skipped_banks,
                error: record.error,
            }))
        },
        |result| {
            let result = result?;
            failed += usize::from(result.failed());
            serde_json::to_writer(&mut out, &result)?;
            out.write_all(b"\n")?;
            Ok(())
        },
    )?;
    out.flush()?;
    if failed > 0 {
        eprintln!(
            "tutela: {failed} of {} file(s) could not be hashed in full",
            inputs.len()
        );
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

/// Everything known about a file is matched, even when only its exact hashes could be made.
fn query_of(record: &hash_cmd::HashRecord) -> Result<Query> {
    let mut query = Query::new();
    if let Some(hashes) = &record.pdq_dihedral {
        query = query.with_pdq_hex(hashes, record.quality)?;
    } else if let Some(pdq) = &record.pdq {
        query = query.with_pdq_hex(&[pdq], record.quality)?;
    }
    if let Some(sha256) = &record.sha256 {
        query = query.with_sha256_hex(sha256)?;
    }
    if let Some(md5) = &record.md5 {
        query = query.with_md5_hex(md5)?;
    }
    Ok(query)
}

fn decode<const N: usize>(hex_digest: &str) -> Option<[u8; N]> {
    let mut out = [0u8; N];
    hex::decode_to_slice(hex_digest, &mut out).ok()?;
    Some(out)
}

fn match_hashes(matcher: &Matcher, file: &PathBuf) -> Result<ExitCode> {
    let bytes = read_input(file)?;
    let text = String::from_utf8_lossy(&bytes);
    if tutela_video::format::looks_like_vpdq(&text) {
        let frames = tutela_video::format::parse(&text)
            .with_context(|| format!("in the vPDQ hash file {}", file.display()))?;
        let outcome = matcher.query_video(&VideoQuery::new().with_frames(&frames))?;
        let result = VideoResult {
            path: file.display().to_string(),
            kind: "video",
            sha256: None,
            md5: None,
            frames: frames.len(),
            matches: outcome.matches,
            skipped_banks: outcome.skipped_banks,
            error: None,
        };
        println!("{}", serde_json::to_string(&result)?);
        return Ok(ExitCode::SUCCESS);
    }
    let parsed = formats::parse(Format::Plain, HashKind::Pdq, &text)?;
    let mut results: Vec<HashResult> = Vec::with_capacity(parsed.records.len());
    for r in &parsed.records {
        let query = Query::new().with_pdq_hex(&[&r.record.hash], r.record.quality)?;
        let MatchOutcome {
            matches,
            skipped_banks,
        } = matcher.query(&query)?;
        results.push(HashResult {
            line: r.line,
            hash: Some(r.record.hash.clone()),
            quality: r.record.quality,
            matches: Some(matches),
            skipped_banks,
            error: None,
        });
    }
    results.extend(parsed.errors.iter().map(|e| HashResult {
        line: e.line,
        hash: None,
        quality: None,
        matches: None,
        skipped_banks: Vec::new(),
        error: Some(e.reason.clone()),
    }));
    results.sort_by_key(|r| r.line);
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for result in &results {
        serde_json::to_writer(&mut out, result)?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    if !parsed.errors.is_empty() {
        eprintln!(
            "tutela: {} line(s) were not PDQ hashes",
            parsed.errors.len()
        );
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}
