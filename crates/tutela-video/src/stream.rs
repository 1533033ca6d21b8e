//! Hashing decoded frames as they arrive (pure: pixels in, frame hashes out). The file hasher
//! feeds it from ffmpeg; a live-stream service can feed it frames from anywhere.

use tutela_pdq::{PdqHasher, Pixels, SizeMismatch};

use crate::FrameHash;

/// Why a sampling setting was refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SamplingError {
    #[error("the frame rate must be a positive number of frames a second")]
    FrameRate,
    #[error("seconds per hash must be 0 (every frame) or a positive number")]
    SecondsPerHash,
}

/// Which frames of a stream get hashed: every `frame_mod`-th, as the reference computes it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Sampling {
    pub frame_rate: f64,
    pub frame_mod: u64,
}

impl Sampling {
    /// `frame_mod = max(1, trunc(seconds_per_hash * frame_rate))`; 0 seconds hashes every frame.
    pub fn new(frame_rate: f64, seconds_per_hash: f64) -> Result<Sampling, SamplingError> {
        if !(frame_rate.is_finite() && frame_rate > 0.0) {
            return Err(SamplingError::FrameRate);
        }
        if !(seconds_per_hash.is_finite() && seconds_per_hash >= 0.0) {
            return Err(SamplingError::SecondsPerHash);
        }
        let product = seconds_per_hash * frame_rate;
        // Saturating: an absurd interval hashes only frame 0.
        let frame_mod = if product >= u64::MAX as f64 {
            u64::MAX
        } else {
            (product as u64).max(1)
        };
        Ok(Sampling {
            frame_rate,
            frame_mod,
        })
    }

    pub fn wants(&self, frame_number: u64) -> bool {
        frame_number.is_multiple_of(self.frame_mod)
    }

    /// Seconds from the start, as the reference prints them.
    pub fn seconds(&self, frame_number: u64) -> f64 {
        frame_number as f64 / self.frame_rate
    }
}

/// Hashes the sampled frames of one stream, reusing its PDQ scratch buffers.
pub struct StreamHasher {
    sampling: Sampling,
    hasher: PdqHasher,
    next_frame: u64,
}

impl StreamHasher {
    pub fn new(sampling: Sampling) -> StreamHasher {
        StreamHasher {
            sampling,
            hasher: PdqHasher::new(),
            next_frame: 0,
        }
    }

    pub fn sampling(&self) -> Sampling {
        self.sampling
    }

    /// Frames seen so far (the number the next pushed frame gets).
    pub fn frames_seen(&self) -> u64 {
        self.next_frame
    }

    /// Takes the next decoded frame of the stream; returns its hash if it is a sampled frame.
    /// Frames that are not sampled are only counted (their pixels are not read).
    pub fn push(
        &mut self,
        pixels: Pixels<'_>,
        width: usize,
        height: usize,
    ) -> Result<Option<FrameHash>, SizeMismatch> {
        let n = self.next_frame;
        self.next_frame += 1;
        if !self.sampling.wants(n) {
            return Ok(None);
        }
        self.hash_frame(n, pixels, width, height).map(Some)
    }

    /// Counts `count` frames that were decoded but not handed over (skipped upstream).
    pub fn skip(&mut self, count: u64) {
        self.next_frame = self.next_frame.saturating_add(count);
    }

    /// Hashes one frame with a known frame number, sampled or not.
    pub fn hash_frame(
        &mut self,
        frame_number: u64,
        pixels: Pixels<'_>,
        width: usize,
        height: usize,
    ) -> Result<FrameHash, SizeMismatch> {
        let pdq = self.hasher.hash(pixels, width, height)?;
        Ok(FrameHash {
            frame_number,
            quality: pdq.quality,
            hash: pdq.hash,
            seconds: self.sampling.seconds(frame_number),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frame_mod_as_the_reference() {
        assert_eq!(Sampling::new(30.0, 1.0).unwrap().frame_mod, 30);
        assert_eq!(Sampling::new(29.97, 1.0).unwrap().frame_mod, 29);
        assert_eq!(Sampling::new(30.0, 0.0).unwrap().frame_mod, 1);
        assert_eq!(Sampling::new(0.5, 1.0).unwrap().frame_mod, 1);
        assert_eq!(Sampling::new(30.0, 1e300).unwrap().frame_mod, u64::MAX);
        assert!(Sampling::new(0.0, 1.0).is_err());
        assert!(Sampling::new(f64::NAN, 1.0).is_err());
        assert!(Sampling::new(30.0, -1.0).is_err());
    }

    #[test]
    fn push_hashes_only_sampled_frames() {
        let mut s = StreamHasher::new(Sampling::new(10.0, 0.5).unwrap());
        let (w, h) = (16, 12);
        let frame: Vec<u8> = (0..w * h * 3).map(|i| (i * 31 % 256) as u8).collect();
        let mut got = Vec::new();
        for _ in 0..12 {
            if let Some(f) = s.push(Pixels::Rgb8(&frame), w, h).unwrap() {
                got.push(f);
            }
        }
        let numbers: Vec<u64> = got.iter().map(|f| f.frame_number).collect();
        assert_eq!(numbers, [0, 5, 10]);
        assert_eq!(got[1].seconds, 0.5);
        assert_eq!(
            got[0].hash,
            tutela_pdq::hash_rgb8(&frame, w, h).unwrap().hash
        );
        assert!(s.push(Pixels::Rgb8(&frame[1..]), w, h).is_ok()); // frame 12: not sampled
        s.skip(2);
        assert!(s.push(Pixels::Rgb8(&frame[1..]), w, h).is_err()); // frame 15: read, wrong size
    }
}
