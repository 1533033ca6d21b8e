//! `[video]` and `[video.streams]` in `tutela.toml`.

use serde::Deserialize;

#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct VideoConfig {
    /// Largest video accepted by `POST /v1/scan` (streamed to disk, never held in memory).
    pub max_bytes: u64,
    /// Longest video accepted, in seconds.
    pub max_duration_seconds: f64,
    /// Wall-clock limit for ffprobe + ffmpeg on one video.
    pub max_run_seconds: u64,
    /// Hash one frame every this many seconds (the exchange default is 1).
    pub seconds_per_hash: f64,
    /// Videos hashed at the same time (answered scans and jobs together): each is one ffmpeg.
    pub workers: usize,
    /// Uploads larger than this go to an asynchronous job (answer 202).
    pub async_over_bytes: u64,
    /// Videos longer than this go to an asynchronous job.
    pub async_over_seconds: f64,
    /// Jobs run at the same time.
    pub job_concurrency: usize,
    pub streams: StreamsConfig,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct StreamsConfig {
    /// The sliding window: the last this many seconds of the stream...
    pub window_seconds: f64,
    /// ...and at most this many frames.
    pub window_frames: usize,
    /// An alert needs at least this many matched frames in the window...
    pub min_matched_frames: usize,
    /// ...making at least this share (0..=1) of the window's frames.
    pub min_matched_share: f64,
    /// A stream with no frames for this long is forgotten.
    pub idle_seconds: u64,
    /// Streams watched at once; more are refused (429) until some end or expire.
    pub max_streams: usize,
    /// Frames in one request.
    pub max_frames_per_request: usize,
    /// Largest video segment in one request.
    pub max_segment_bytes: u64,
    /// Segments are hashed at one frame every this many seconds.
    pub segment_seconds_per_hash: f64,
}

impl Default for VideoConfig {
    fn default() -> Self {
        VideoConfig {
            max_bytes: 2 << 30,
            max_duration_seconds: 4.0 * 3600.0,
            max_run_seconds: 1800,
            seconds_per_hash: 1.0,
            workers: 2,
            async_over_bytes: 64 << 20,
            async_over_seconds: 300.0,
            job_concurrency: 1,
            streams: StreamsConfig::default(),
        }
    }
}

impl Default for StreamsConfig {
    fn default() -> Self {
        StreamsConfig {
            window_seconds: 30.0,
            window_frames: 300,
            min_matched_frames: 3,
            min_matched_share: 0.2,
            idle_seconds: 300,
            max_streams: 10_000,
            max_frames_per_request: 120,
            max_segment_bytes: 64 << 20,
            segment_seconds_per_hash: 0.5,
        }
    }
}

/// The commented section of the file written at first start.
pub const DEFAULT_SECTION: &str = r#"
[video]
# Videos sent to POST /v1/scan are streamed to DATA/uploads and hashed by ffmpeg (vPDQ).
# max_bytes = 2147483648
# max_duration_seconds = 14400.0
# max_run_seconds = 1800
# seconds_per_hash = 1.0
# Videos hashed at once (one ffmpeg each), answered scans and jobs together.
# workers = 2
# Larger or longer videos (or ?async=true) get 202 and a job: GET /v1/jobs/{id}.
# async_over_bytes = 67108864
# async_over_seconds = 300.0
# job_concurrency = 1

[video.streams]
# Live streams (POST /v1/streams/{id}/frames): an alert when, within the last window_seconds
# (and window_frames frames), at least min_matched_frames frames matched a bank and they are at
# least min_matched_share of the window.
# window_seconds = 30.0
# window_frames = 300
# min_matched_frames = 3
# min_matched_share = 0.2
# idle_seconds = 300
# max_streams = 10000
# max_frames_per_request = 120
# max_segment_bytes = 67108864
# segment_seconds_per_hash = 0.5
"#;

impl VideoConfig {
    /// Settings that would make the service misbehave, named.
    pub fn check(&self) -> Result<(), String> {
        let s = &self.streams;
        let bad = |what: &str| Err(format!("[video] {what}"));
        if !(self.seconds_per_hash.is_finite() && self.seconds_per_hash >= 0.0) {
            return bad("seconds_per_hash must be 0 or more");
        }
        if !(s.segment_seconds_per_hash.is_finite() && s.segment_seconds_per_hash >= 0.0) {
            return bad("streams.segment_seconds_per_hash must be 0 or more");
        }
        if self.workers == 0 || self.job_concurrency == 0 {
            return bad("workers and job_concurrency must be at least 1");
        }
        if !(s.window_seconds.is_finite() && s.window_seconds > 0.0) || s.window_frames == 0 {
            return bad("streams.window_seconds and window_frames must be positive");
        }
        if !(0.0..=1.0).contains(&s.min_matched_share) || s.min_matched_frames == 0 {
            return bad(
                "streams.min_matched_share must be within 0..=1 and min_matched_frames at least 1",
            );
        }
        Ok(())
    }
}
