//! vPDQ, Meta's video hash, on Tutela's PDQ (`shared/specs/pdq.md`): a video is a list of
//! frame hashes `(frame_number, quality, pdq, seconds)`, sampled every `seconds_per_hash`.
//!
//! * [`hash_video_file`] / [`VideoFrames`] (shell): frames decoded by an `ffmpeg` child
//!   process and read as raw RGB24 from a pipe, one frame in memory at a time, under
//!   [`VideoLimits`]; the child is always killed and reaped.
//! * [`StreamHasher`] (pure): frames pushed one by one from anywhere (a live stream).
//! * [`format`] (pure): the vPDQ hash file format of Meta's tools.
//! * [`matching`] (pure): pytx's video match percentages, by brute force.
//! * [`sniff`] (pure): is this file a video container, by its first bytes.
//!
//! ```no_run
//! use tutela_video::{hash_video_file, VideoOptions};
//! let hashes = hash_video_file("clip.mp4".as_ref(), &VideoOptions::default())?;
//! print!("{}", tutela_video::format::to_string(&hashes.frames));
//! # Ok::<(), tutela_video::VideoError>(())
//! ```

mod ffmpeg;
pub mod format;
mod frame;
pub mod matching;
mod sniff;
mod stream;

pub use ffmpeg::{VideoFrames, file_digests, hash_video_file};
pub use frame::FrameHash;
pub use matching::{DEFAULT_MATCH_PERCENT, MatchOptions, MatchPercent, match_brute};
pub use sniff::{SNIFF_LEN, sniff};
pub use stream::{Sampling, SamplingError, StreamHasher};

use std::path::{Path, PathBuf};
use std::time::Duration;

/// Limits that bound the work a hostile file can cause. Declared values are checked before
/// decoding starts and actual ones while frames arrive.
#[derive(Clone, Debug, PartialEq)]
pub struct VideoLimits {
    /// Largest file accepted.
    pub max_bytes: u64,
    /// Largest frame (width x height) the decoder may produce.
    pub max_pixels: u64,
    /// Longest video, in seconds.
    pub max_duration_seconds: f64,
    /// Most frames (decoded, not only sampled).
    pub max_frames: u64,
    /// Wall-clock time ffprobe + ffmpeg may run; ffmpeg is also given it as a CPU-time limit.
    pub max_run_time: Duration,
}

impl Default for VideoLimits {
    fn default() -> VideoLimits {
        VideoLimits {
            max_bytes: 8 << 30,
            // 8K UHD (7680x4320) fits.
            max_pixels: 40_000_000,
            max_duration_seconds: 6.0 * 3600.0,
            max_frames: 6 * 3600 * 120,
            max_run_time: Duration::from_secs(3600),
        }
    }
}

/// How to hash a video file.
#[derive(Clone, Debug, PartialEq)]
pub struct VideoOptions {
    /// Hash one frame every this many seconds (the exchange default is 1); 0 hashes every
    /// frame, as the vectors were made.
    pub seconds_per_hash: f64,
    /// Scale frames to this square size before hashing (the reference's
    /// `--downsample-frame-dimension`); `None` hashes at the video's own size.
    pub downsample: Option<u32>,
    pub limits: VideoLimits,
    /// The `ffmpeg` and `ffprobe` programs (found on `PATH` by default).
    pub ffmpeg: PathBuf,
    pub ffprobe: PathBuf,
}

impl Default for VideoOptions {
    fn default() -> VideoOptions {
        VideoOptions {
            seconds_per_hash: 1.0,
            downsample: None,
            limits: VideoLimits::default(),
            ffmpeg: ffmpeg::default_program("ffmpeg"),
            ffprobe: ffmpeg::default_program("ffprobe"),
        }
    }
}

/// What the container says about the video stream that is hashed (the first one).
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct VideoInfo {
    /// ffmpeg's demuxer name, e.g. `mov,mp4,m4a,3gp,3g2,mj2`.
    pub container: String,
    pub codec: String,
    pub width: u32,
    pub height: u32,
    /// Average frame rate (or the stream's base rate when no average is declared).
    pub frame_rate: f64,
    pub duration_seconds: Option<f64>,
    /// Frame count the container declares, when it does.
    pub declared_frames: Option<u64>,
}

/// The hashes of one video file.
#[derive(Clone, Debug, PartialEq)]
pub struct VideoHashes {
    pub info: VideoInfo,
    pub seconds_per_hash: f64,
    /// Every `frame_mod`-th frame was hashed.
    pub frame_mod: u64,
    pub frames: Vec<FrameHash>,
    /// Of the whole file: what exact-match lists (HMA, NCMEC) exchange.
    pub sha256: [u8; 32],
    pub md5: [u8; 16],
    pub bytes: u64,
}

/// Why a video could not be hashed. Messages name the reason, never file content.
#[derive(Debug, thiserror::Error)]
pub enum VideoError {
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("the file is empty")]
    Empty,
    #[error("not a video: {0}")]
    NotVideo(String),
    #[error("the file has no video stream")]
    NoVideoStream,
    #[error("refused: {0}")]
    Limit(String),
    #[error("the video is damaged: {0}")]
    Decode(String),
    #[error(
        "the video is truncated: the container declares {declared} frames, decoding stopped after frame {decoded_at_least}"
    )]
    Truncated {
        declared: u64,
        decoded_at_least: u64,
    },
    #[error("ffmpeg ran longer than the limit of {0:?} and was stopped")]
    TimedOut(Duration),
    #[error("the {0} program was not found: install ffmpeg (Debian: apt-get install ffmpeg)")]
    FfmpegMissing(String),
    #[error("cannot run ffmpeg: {0}")]
    Spawn(String),
    #[error("invalid option: {0}")]
    Options(String),
}

impl VideoError {
    fn io(path: &Path, source: std::io::Error) -> VideoError {
        VideoError::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}
