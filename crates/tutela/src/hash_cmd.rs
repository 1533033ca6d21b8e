//! `tutela hash`: files in, one record per file out (JSON lines or CSV).

use crate::inputs::{self, Input};
use crate::video_cmd::{FrameOut, VideoFlags, frames_out};
use anyhow::{Context, Result};
use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use md5::Md5;
use rayon::prelude::*;
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::cell::RefCell;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use tutela_image::{Limits, Mode};
use tutela_pdq::{Dihedral, PdqHasher};
use tutela_video::{FrameHash, VideoOptions};

#[derive(Args, Debug, Clone)]
pub struct ImageOptions {
    /// `exact`: full resolution, the value hash exchanges use. `fast`: large JPEGs decoded to
    /// luminance and shrunk first (a few bits away, many times faster).
    #[arg(long, default_value = "exact")]
    pub mode: Mode,
    /// Refuse files larger than this many bytes.
    #[arg(long, default_value_t = Limits::default().max_bytes)]
    pub max_bytes: u64,
    /// Refuse images with more pixels than this (checked from the header, before decoding).
    #[arg(long, default_value_t = Limits::default().max_pixels)]
    pub max_pixels: u64,
    /// Worker threads; 0 uses every core.
    #[arg(long, default_value_t = 0)]
    pub threads: usize,
}

impl ImageOptions {
    pub fn limits(&self) -> Limits {
        Limits {
            max_bytes: self.max_bytes,
            max_pixels: self.max_pixels,
        }
    }
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Jsonl,
    Csv,
}

#[derive(Args, Debug)]
pub struct HashArgs {
    /// Image or video files, or folders (searched recursively); `-` reads one file from
    /// standard input. Videos are recognised by their content and hashed with vPDQ (the
    /// frames are in the JSON output; `tutela video hash` prints Meta's vPDQ file format).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub image: ImageOptions,
    #[command(flatten)]
    pub video: VideoFlags,
    /// Also print the hashes of the 8 rotations and mirrors, in the order
    /// original, rot90, rot180, rot270, flipx, flipy, flipplus1, flipminus1.
    #[arg(long)]
    pub dihedral: bool,
    #[arg(long, value_enum, default_value = "jsonl")]
    pub format: Format,
}

/// What Tutela learned from one file. Hashes only: never the content.
#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct HashRecord {
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pdq: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quality: Option<u8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pdq_dihedral: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub md5: Option<String>,
    pub mode: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub format: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub width: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub height: Option<usize>,
    /// Videos: frames a second, length, sampling, and the vPDQ frame hashes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub frame_rate: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration_seconds: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seconds_per_hash: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vpdq: Option<Vec<FrameOut>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// The `mode` of a video record.
pub const VIDEO_MODE: &str = "vpdq";

thread_local! {
    // One hasher per worker keeps its scratch buffers warm across files.
    static HASHER: RefCell<PdqHasher> = RefCell::new(PdqHasher::new());
}

/// Reads and hashes one input (image or video, by content); every failure becomes the
/// record's `error`.
pub fn hash_input(
    input: &Input,
    options: &ImageOptions,
    video: &VideoOptions,
    dihedral: bool,
) -> HashRecord {
    hash_any(input, options, video, dihedral).0
}

/// [`hash_input`], with a video's frame hashes.
pub fn hash_any(
    input: &Input,
    options: &ImageOptions,
    video: &VideoOptions,
    dihedral: bool,
) -> (HashRecord, Option<Vec<FrameHash>>) {
    if let Input::File(path) = input
        && let Ok(Some(container)) = crate::video_cmd::sniff_file(path)
    {
        return hash_video(input, path, container, video);
    }
    let mut record = HashRecord {
        path: input.display(),
        pdq: None,
        quality: None,
        pdq_dihedral: None,
        sha256: None,
        md5: None,
        mode: options.mode.name(),
        format: None,
        width: None,
        height: None,
        frame_rate: None,
        duration_seconds: None,
        seconds_per_hash: None,
        vpdq: None,
        error: None,
    };
    let bytes = match input.read(options.max_bytes) {
        Ok(bytes) => bytes,
        Err(e) => {
            record.error = Some(e);
            return (record, None);
        }
    };
    // A video on standard input goes to a temporary file for ffmpeg.
    if let Some(container) = tutela_video::sniff(&bytes) {
        let spooled =
            tempfile::NamedTempFile::new().and_then(|mut f| f.write_all(&bytes).map(|()| f));
        drop(bytes);
        return match spooled {
            Ok(file) => hash_video(input, file.path(), container, video),
            Err(e) => {
                record.error = Some(format!("cannot spool the video to a temporary file: {e}"));
                (record, None)
            }
        };
    }
    // Exact hashes are kept even when the picture cannot be decoded: they still match lists.
    record.sha256 = Some(hex::encode(Sha256::digest(&bytes)));
    record.md5 = Some(hex::encode(Md5::digest(&bytes)));
    let image = match tutela_image::decode(&bytes, options.mode, &options.limits()) {
        Ok(image) => image,
        Err(e) => {
            record.error = Some(e.to_string());
            return (record, None);
        }
    };
    drop(bytes);
    record.format = Some(image.format);
    record.width = Some(image.source_width);
    record.height = Some(image.source_height);
    let pixels = image.pixels();
    let hashed = HASHER.with_borrow_mut(|hasher| {
        if dihedral {
            hasher
                .hash_with_dihedral(pixels, image.width, image.height)
                .map(|(plain, all)| (plain, Some(all)))
        } else {
            hasher
                .hash(pixels, image.width, image.height)
                .map(|plain| (plain, None))
        }
    });
    match hashed {
        Ok((plain, all)) => {
            record.pdq = Some(plain.hash.to_hex());
            record.quality = Some(plain.quality);
            record.pdq_dihedral = all.map(|d| d.hashes.iter().map(|h| h.to_hex()).collect());
        }
        Err(e) => record.error = Some(e.to_string()),
    }
    (record, None)
}

/// Hashes a video file; its digests are given even when its frames cannot be hashed.
fn hash_video(
    input: &Input,
    path: &std::path::Path,
    container: &'static str,
    options: &VideoOptions,
) -> (HashRecord, Option<Vec<FrameHash>>) {
    let mut record = HashRecord {
        path: input.display(),
        pdq: None,
        quality: None,
        pdq_dihedral: None,
        sha256: None,
        md5: None,
        mode: VIDEO_MODE,
        format: Some(container),
        width: None,
        height: None,
        frame_rate: None,
        duration_seconds: None,
        seconds_per_hash: Some(options.seconds_per_hash),
        vpdq: None,
        error: None,
    };
    match tutela_video::hash_video_file(path, options) {
        Ok(h) => {
            record.sha256 = Some(hex::encode(h.sha256));
            record.md5 = Some(hex::encode(h.md5));
            record.width = Some(h.info.width as usize);
            record.height = Some(h.info.height as usize);
            record.frame_rate = Some(h.info.frame_rate);
            record.duration_seconds = h.info.duration_seconds;
            record.vpdq = Some(frames_out(&h.frames));
            (record, Some(h.frames))
        }
        Err(e) => {
            // Exact lists can still match a video that cannot be decoded.
            if let Ok((sha256, md5, _)) = tutela_video::file_digests(path) {
                record.sha256 = Some(hex::encode(sha256));
                record.md5 = Some(hex::encode(md5));
            }
            record.error = Some(e.to_string());
            (record, None)
        }
    }
}

/// Runs `work` over the inputs on a pool of `threads` workers, handing results to `sink` in
/// input order; a progress bar is drawn only when standard error is a terminal.
pub fn for_each_in_order<T: Send>(
    inputs: &[Input],
    threads: usize,
    work: impl Fn(&Input) -> T + Sync,
    mut sink: impl FnMut(T) -> Result<()>,
) -> Result<()> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .context("cannot start worker threads")?;
    let progress = ProgressBar::new(inputs.len() as u64);
    progress.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} files, {per_sec}, eta {eta}")
            .expect("static template"),
    );
    // Chunks bound memory and keep the output in input order.
    for chunk in inputs.chunks(256) {
        let results: Vec<T> = pool.install(|| {
            chunk
                .par_iter()
                .map(|input| {
                    let out = work(input);
                    progress.inc(1);
                    out
                })
                .collect()
        });
        for result in results {
            sink(result)?;
        }
    }
    progress.finish_and_clear();
    Ok(())
}

const DIHEDRAL_COLUMNS: [&str; 8] = [
    "pdq_original",
    "pdq_rot90",
    "pdq_rot180",
    "pdq_rot270",
    "pdq_flipx",
    "pdq_flipy",
    "pdq_flipplus1",
    "pdq_flipminus1",
];

pub fn run(args: HashArgs) -> Result<ExitCode> {
    debug_assert_eq!(Dihedral::ALL.len(), DIHEDRAL_COLUMNS.len());
    let inputs = inputs::expand(&args.paths)?;
    let video = args.video.options();
    let stdout = std::io::stdout().lock();
    let mut failed = 0usize;
    match args.format {
        Format::Jsonl => {
            let mut out = std::io::BufWriter::new(stdout);
            for_each_in_order(
                &inputs,
                args.image.threads,
                |input| hash_input(input, &args.image, &video, args.dihedral),
                |record| {
                    failed += usize::from(record.error.is_some());
                    serde_json::to_writer(&mut out, &record)?;
                    out.write_all(b"\n")?;
                    Ok(())
                },
            )?;
            out.flush()?;
        }
        Format::Csv => {
            let mut out = csv::Writer::from_writer(stdout);
            let mut header = vec![
                "path", "pdq", "quality", "sha256", "md5", "mode", "format", "width", "height",
            ];
            if args.dihedral {
                header.extend(DIHEDRAL_COLUMNS);
            }
            header.push("error");
            out.write_record(&header)?;
            for_each_in_order(
                &inputs,
                args.image.threads,
                |input| hash_input(input, &args.image, &video, args.dihedral),
                |r| {
                    failed += usize::from(r.error.is_some());
                    let text = |v: Option<String>| v.unwrap_or_default();
                    let mut row = vec![
                        r.path,
                        text(r.pdq),
                        text(r.quality.map(|q| q.to_string())),
                        text(r.sha256),
                        text(r.md5),
                        r.mode.to_string(),
                        r.format.unwrap_or_default().to_string(),
                        text(r.width.map(|w| w.to_string())),
                        text(r.height.map(|h| h.to_string())),
                    ];
                    if args.dihedral {
                        let hashes = r.pdq_dihedral.unwrap_or_else(|| vec![String::new(); 8]);
                        row.extend(hashes);
                    }
                    row.push(text(r.error));
                    out.write_record(&row)?;
                    Ok(())
                },
            )?;
            out.flush()?;
        }
    }
    if failed > 0 {
        eprintln!(
            "tutela: {failed} of {} file(s) could not be hashed",
            inputs.len()
        );
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}
