//! One hashed frame of a video.

use tutela_pdq::Hash256;

/// A frame's PDQ hash with where it sits in the video: the vPDQ "feature".
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FrameHash {
    /// Index of the frame among all decoded frames, from 0.
    pub frame_number: u64,
    /// PDQ quality, 0..=100.
    pub quality: u8,
    pub hash: Hash256,
    /// Presentation time in seconds: `frame_number / frame_rate`, as the reference computes it.
    pub seconds: f64,
}
