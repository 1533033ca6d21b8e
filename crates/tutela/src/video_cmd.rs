//! `tutela video`: vPDQ hashes of video files in the format of Meta's `vpdq` tools, and the
//! match percentages of two videos. Also the video options and input loading shared by
//! `tutela hash`, `tutela match` and `tutela bank import`.

use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand, ValueEnum};
use serde::Serialize;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;
use tutela_video::{
    FrameHash, MatchOptions, VideoHashes, VideoLimits, VideoOptions, format, hash_video_file,
    match_brute,
};

/// How videos are hashed (shared by every command that takes videos).
#[derive(Args, Debug, Clone)]
pub struct VideoFlags {
    /// Hash one frame every this many seconds of video; 0 hashes every frame.
    #[arg(long, default_value_t = 1.0, value_name = "SECONDS")]
    pub seconds_per_hash: f64,
    /// Scale frames to N x N before hashing (the reference's --downsample-frame-dimension).
    #[arg(long, value_name = "N")]
    pub downsample: Option<u32>,
    /// Refuse video files larger than this many bytes.
    #[arg(long, default_value_t = VideoLimits::default().max_bytes)]
    pub max_video_bytes: u64,
    /// Refuse videos longer than this many seconds.
    #[arg(long, default_value_t = VideoLimits::default().max_duration_seconds)]
    pub max_video_seconds: f64,
    /// Refuse videos with more frames than this.
    #[arg(long, default_value_t = VideoLimits::default().max_frames)]
    pub max_video_frames: u64,
    /// Refuse frames with more pixels than this (declared size, checked before decoding).
    #[arg(long, default_value_t = VideoLimits::default().max_pixels)]
    pub max_frame_pixels: u64,
    /// Stop ffmpeg after this many seconds per video.
    #[arg(long, default_value_t = VideoLimits::default().max_run_time.as_secs(), value_name = "SECONDS")]
    pub ffmpeg_timeout: u64,
}

impl VideoFlags {
    pub fn options(&self) -> VideoOptions {
        VideoOptions {
            seconds_per_hash: self.seconds_per_hash,
            downsample: self.downsample,
            limits: VideoLimits {
                max_bytes: self.max_video_bytes,
                max_pixels: self.max_frame_pixels,
                max_duration_seconds: self.max_video_seconds,
                max_frames: self.max_video_frames,
                max_run_time: Duration::from_secs(self.ffmpeg_timeout.max(1)),
            },
            ..VideoOptions::default()
        }
    }
}

#[derive(Args)]
pub struct VideoArgs {
    #[command(subcommand)]
    command: VideoCommand,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum OutputFormat {
    /// Meta's vPDQ hash file: `frame_number,quality,pdq_hash,seconds` per frame.
    Vpdq,
    /// One JSON object per video, frames included.
    Jsonl,
}

#[derive(Subcommand)]
enum VideoCommand {
    /// Hash video files with vPDQ (frames decoded by ffmpeg, hashed with PDQ).
    Hash {
        /// Video files (recognised by content, not by name).
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        #[command(flatten)]
        video: VideoFlags,
        #[arg(long, value_enum, default_value = "vpdq")]
        format: OutputFormat,
        /// With --format vpdq and several videos: write one `<file name>.txt` per video here.
        #[arg(long, value_name = "DIR")]
        out_dir: Option<PathBuf>,
    },
    /// Match two videos (or vPDQ hash files) as pytx does: both percentages and the decision.
    Compare {
        query: PathBuf,
        compared: PathBuf,
        #[command(flatten)]
        video: VideoFlags,
        /// Largest frame distance that matches.
        #[arg(long, default_value_t = 31)]
        distance: u32,
        /// Frames of lower quality are ignored.
        #[arg(long, default_value_t = 50)]
        min_quality: u8,
        /// Query percentage needed for a match.
        #[arg(long, default_value_t = 80.0)]
        match_percent: f64,
    },
}

/// A video's frames, from the video itself or from its vPDQ hash file.
pub struct LoadedVideo {
    pub frames: Vec<FrameHash>,
    /// Only when the video itself was hashed.
    pub hashes: Option<VideoHashes>,
}

/// Hash files larger than this are refused (a day of 60 fps video hashed at every frame is
/// about 400 MB; exchanges share 1 frame a second).
const MAX_HASH_FILE_BYTES: u64 = 512 << 20;

/// Reads the first bytes of a file, to recognise a video by its content.
pub fn sniff_file(path: &Path) -> Result<Option<&'static str>> {
    let mut head = Vec::with_capacity(tutela_video::SNIFF_LEN);
    std::fs::File::open(path)
        .with_context(|| format!("cannot open {}", path.display()))?
        .take(tutela_video::SNIFF_LEN as u64)
        .read_to_end(&mut head)
        .with_context(|| format!("cannot read {}", path.display()))?;
    Ok(tutela_video::sniff(&head))
}

/// A video file is hashed; anything else must be a vPDQ hash file.
pub fn load_video(path: &Path, options: &VideoOptions) -> Result<LoadedVideo> {
    if sniff_file(path)?.is_some() {
        let hashes = hash_video_file(path, options)
            .with_context(|| format!("cannot hash {}", path.display()))?;
        return Ok(LoadedVideo {
            frames: hashes.frames.clone(),
            hashes: Some(hashes),
        });
    }
    let len = std::fs::metadata(path)
        .with_context(|| format!("cannot open {}", path.display()))?
        .len();
    if len > MAX_HASH_FILE_BYTES {
        bail!(
            "{} is neither a video nor a vPDQ hash file of at most {MAX_HASH_FILE_BYTES} bytes",
            path.display()
        );
    }
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let text = String::from_utf8_lossy(&bytes);
    if !format::looks_like_vpdq(&text) {
        bail!("{} is neither a video nor a vPDQ hash file", path.display());
    }
    let frames = format::parse(&text).with_context(|| format!("in {}", path.display()))?;
    Ok(LoadedVideo {
        frames,
        hashes: None,
    })
}

/// One frame in JSON output.
#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct FrameOut {
    pub frame: u64,
    pub quality: u8,
    pub pdq: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seconds: Option<f64>,
}

pub fn frames_out(frames: &[FrameHash]) -> Vec<FrameOut> {
    frames
        .iter()
        .map(|f| FrameOut {
            frame: f.frame_number,
            quality: f.quality,
            pdq: f.hash.to_hex(),
            // Rounded as in the vPDQ file.
            seconds: f
                .seconds
                .is_finite()
                .then(|| (f.seconds * 1000.0).round() / 1000.0),
        })
        .collect()
}

#[derive(Serialize)]
struct VideoJson<'a> {
    path: String,
    sha256: String,
    md5: String,
    bytes: u64,
    info: &'a tutela_video::VideoInfo,
    seconds_per_hash: f64,
    frame_mod: u64,
    frames: Vec<FrameOut>,
}

pub fn run(args: VideoArgs) -> Result<ExitCode> {
    match args.command {
        VideoCommand::Hash {
            paths,
            video,
            format: out_format,
            out_dir,
        } => hash(&paths, &video.options(), out_format, out_dir.as_deref()),
        VideoCommand::Compare {
            query,
            compared,
            video,
            distance,
            min_quality,
            match_percent,
        } => {
            let options = video.options();
            let q = load_video(&query, &options)?;
            let c = load_video(&compared, &options)?;
            let m = match_brute(
                &q.frames,
                &c.frames,
                &MatchOptions {
                    distance,
                    min_quality,
                },
            );
            let out = serde_json::json!({
                "query": query.display().to_string(),
                "compared": compared.display().to_string(),
                "query_match_percent": m.query_pct,
                "compared_match_percent": m.compared_pct,
                "is_match": m.is_match(match_percent, 0.0),
            });
            println!("{out}");
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn hash(
    paths: &[PathBuf],
    options: &VideoOptions,
    out_format: OutputFormat,
    out_dir: Option<&Path>,
) -> Result<ExitCode> {
    if out_format == OutputFormat::Vpdq && paths.len() > 1 && out_dir.is_none() {
        bail!("several videos in the vpdq format need --out-dir (one hash file per video)");
    }
    if let Some(dir) = out_dir {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut failed = 0usize;
    for path in paths {
        let hashes = match hash_video_file(path, options) {
            Ok(h) => h,
            Err(e) => {
                failed += 1;
                eprintln!("tutela: {}: {e}", path.display());
                continue;
            }
        };
        match (out_format, out_dir) {
            (OutputFormat::Vpdq, Some(dir)) => {
                let name = path.file_name().unwrap_or(path.as_os_str());
                let file = dir.join(format!("{}.txt", name.to_string_lossy()));
                std::fs::write(&file, format::to_string(&hashes.frames))
                    .with_context(|| format!("cannot write {}", file.display()))?;
            }
            (OutputFormat::Vpdq, None) => format::write(&hashes.frames, &mut out)?,
            (OutputFormat::Jsonl, _) => {
                let record = VideoJson {
                    path: path.display().to_string(),
                    sha256: hex::encode(hashes.sha256),
                    md5: hex::encode(hashes.md5),
                    bytes: hashes.bytes,
                    info: &hashes.info,
                    seconds_per_hash: hashes.seconds_per_hash,
                    frame_mod: hashes.frame_mod,
                    frames: frames_out(&hashes.frames),
                };
                serde_json::to_writer(&mut out, &record)?;
                out.write_all(b"\n")?;
            }
        }
    }
    out.flush()?;
    if failed > 0 {
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}
