//! Videos generated with ffmpeg's test sources, and hostile files: each must end in a clear
//! error, without hanging, and leave no ffmpeg/ffprobe process behind.
//!
//! One test function: the leftover-process check looks at every child of this process, so
//! nothing else may spawn children at the same time.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use tutela_video::{VideoError, VideoFrames, VideoLimits, VideoOptions, hash_video_file};

fn ffmpeg(dir: &Path, name: &str, args: &[&str]) -> PathBuf {
    let out = dir.join(name);
    let status = Command::new("ffmpeg")
        .args(["-nostdin", "-v", "error", "-y"])
        .args(args)
        .arg(&out)
        .status()
        .expect("ffmpeg must be installed (apt-get install ffmpeg)");
    assert!(status.success(), "ffmpeg failed making {name}");
    out
}

/// 4 s of 25 fps test pattern, 320x240, H.264 (moov first with `faststart`).
fn test_video(dir: &Path, name: &str, faststart: bool) -> PathBuf {
    let mut args = vec![
        "-f",
        "lavfi",
        "-i",
        "testsrc2=size=320x240:rate=25:duration=4",
        "-pix_fmt",
        "yuv420p",
        "-c:v",
        "libx264",
    ];
    if faststart {
        args.extend(["-movflags", "+faststart"]);
    }
    ffmpeg(dir, name, &args)
}

/// Processes whose parent is this test process (zombies included: an unreaped child stays).
fn children() -> Vec<String> {
    let me = std::process::id().to_string();
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
            continue;
        };
        // pid (comm) state ppid ...
        let Some(close) = stat.rfind(')') else {
            continue;
        };
        let fields: Vec<&str> = stat[close + 1..].split_whitespace().collect();
        if fields.get(1) == Some(&me.as_str()) {
            found.push(stat[..close + 1].to_string());
        }
    }
    found
}

fn truncate(src: &Path, dst: &Path) {
    let bytes = std::fs::read(src).unwrap();
    std::fs::write(dst, &bytes[..bytes.len() / 2]).unwrap();
}

fn expect_err(path: &Path, options: &VideoOptions, what: &str) -> VideoError {
    let start = Instant::now();
    let err = match hash_video_file(path, options) {
        Ok(h) => panic!(
            "{what}: hashed {} frames instead of failing",
            h.frames.len()
        ),
        Err(e) => e,
    };
    assert!(
        start.elapsed() < Duration::from_secs(30),
        "{what}: took too long"
    );
    assert!(children().is_empty(), "{what}: left {:?}", children());
    println!("{what}: {err}");
    err
}

#[test]
fn generated_and_hostile_videos() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let good = test_video(dir, "good.mp4", true);
    let every = VideoOptions {
        seconds_per_hash: 0.0,
        ..VideoOptions::default()
    };

    // A good video: every frame, then one a second, which must be the same frames' hashes.
    let all = hash_video_file(&good, &every).unwrap();
    assert_eq!(all.frames.len(), 100);
    assert_eq!(
        (all.info.width, all.info.height, all.info.frame_rate),
        (320, 240, 25.0)
    );
    assert_eq!(all.info.declared_frames, Some(100));
    assert!(all.frames.iter().all(|f| f.quality >= 50));
    assert_eq!(all.frames[25].seconds, 1.0);
    let bytes = std::fs::read(&good).unwrap();
    assert_eq!(all.bytes, bytes.len() as u64);
    let per_second = hash_video_file(&good, &VideoOptions::default()).unwrap();
    assert_eq!(per_second.frame_mod, 25);
    let numbers: Vec<u64> = per_second.frames.iter().map(|f| f.frame_number).collect();
    assert_eq!(numbers, [0, 25, 50, 75]);
    for f in &per_second.frames {
        assert_eq!(*f, all.frames[f.frame_number as usize]);
    }
    assert_eq!((per_second.md5, per_second.sha256), (all.md5, all.sha256));
    // Frames move: consecutive hashes differ, and differ more over a second.
    assert_ne!(all.frames[0].hash, all.frames[1].hash);
    // Downsampled to 128x128 first: close to the full-size hash of the same frame.
    let small = hash_video_file(
        &good,
        &VideoOptions {
            downsample: Some(128),
            ..VideoOptions::default()
        },
    )
    .unwrap();
    for (a, b) in small.frames.iter().zip(&per_second.frames) {
        assert!(
            a.hash.distance(&b.hash) <= 24,
            "{}",
            a.hash.distance(&b.hash)
        );
    }
    // A re-encode (other codec, lower bitrate, smaller size) stays within matching distance.
    let reencoded = ffmpeg(
        dir,
        "reencoded.avi",
        &[
            "-i",
            good.to_str().unwrap(),
            "-vf",
            "scale=240:180",
            "-c:v",
            "mpeg4",
            "-q:v",
            "10",
        ],
    );
    let re = hash_video_file(&reencoded, &every).unwrap();
    let m = tutela_video::match_brute(&re.frames, &all.frames, &Default::default());
    assert!(m.query_pct >= 80.0, "{m:?}");

    // Stopping early kills and reaps ffmpeg.
    let mut frames = VideoFrames::open(&good, &every).unwrap();
    assert!(frames.next().unwrap().is_ok());
    drop(frames);
    assert!(children().is_empty(), "{:?}", children());

    // Truncated with the index first: ffmpeg decodes what is there and complains.
    let cut = dir.join("cut-faststart.mp4");
    truncate(&good, &cut);
    let e = expect_err(&cut, &every, "truncated (index first)");
    assert!(
        matches!(e, VideoError::Decode(_) | VideoError::Truncated { .. }),
        "{e:?}"
    );
    // Truncated with the index at the end: the index is gone.
    let plain = test_video(dir, "plain.mp4", false);
    let cut = dir.join("cut-plain.mp4");
    truncate(&plain, &cut);
    let e = expect_err(&cut, &every, "truncated (index last)");
    assert!(matches!(e, VideoError::NotVideo(_)), "{e:?}");

    // Not a video: text, an image, an audio-only file.
    let text = dir.join("notes.mp4");
    std::fs::write(&text, "hello, this is not a video\n").unwrap();
    let e = expect_err(&text, &every, "text file");
    assert!(matches!(e, VideoError::NotVideo(_)), "{e:?}");
    let png = ffmpeg(
        dir,
        "still.png",
        &["-f", "lavfi", "-i", "testsrc2=size=64x64", "-frames:v", "1"],
    );
    let e = expect_err(&png, &every, "PNG image");
    assert!(
        matches!(e, VideoError::NotVideo(_) | VideoError::NoVideoStream),
        "{e:?}"
    );
    let audio = ffmpeg(
        dir,
        "tone.mp4",
        &["-f", "lavfi", "-i", "sine=duration=1", "-c:a", "aac"],
    );
    let e = expect_err(&audio, &every, "audio only");
    assert!(matches!(e, VideoError::NoVideoStream), "{e:?}");

    // Zero length.
    let empty = dir.join("empty.mp4");
    std::fs::write(&empty, b"").unwrap();
    let e = expect_err(&empty, &every, "zero-length file");
    assert!(matches!(e, VideoError::Empty), "{e:?}");

    // An absurd declared frame size: refused from the header, before any frame is decoded.
    let big = dir.join("absurd.y4m");
    let mut y4m = b"YUV4MPEG2 W16000 H16000 F25:1 Ip A1:1 C420jpeg\nFRAME\n".to_vec();
    y4m.extend(std::iter::repeat_n(0x80u8, 4096));
    std::fs::write(&big, y4m).unwrap();
    let e = expect_err(&big, &every, "absurd declared size");
    assert!(e.to_string().contains("16000x16000"), "{e}");

    // Limits on duration, frames, bytes and run time.
    let limited = |limits: VideoLimits| VideoOptions {
        limits,
        ..every.clone()
    };
    let e = expect_err(
        &good,
        &limited(VideoLimits {
            max_duration_seconds: 2.0,
            ..VideoLimits::default()
        }),
        "duration limit",
    );
    assert!(e.to_string().contains("limit of 2 s"), "{e}");
    let e = expect_err(
        &good,
        &limited(VideoLimits {
            max_frames: 50,
            ..VideoLimits::default()
        }),
        "frame limit",
    );
    assert!(matches!(e, VideoError::Limit(_)), "{e:?}");
    let e = expect_err(
        &good,
        &limited(VideoLimits {
            max_bytes: 1000,
            ..VideoLimits::default()
        }),
        "byte limit",
    );
    assert!(matches!(e, VideoError::Limit(_)), "{e:?}");
    let e = expect_err(
        &good,
        &limited(VideoLimits {
            max_run_time: Duration::from_millis(1),
            ..VideoLimits::default()
        }),
        "run-time limit",
    );
    assert!(matches!(e, VideoError::TimedOut(_)), "{e:?}");

    // A missing ffmpeg says what to install.
    let e = expect_err(
        &good,
        &VideoOptions {
            ffprobe: "/nonexistent/ffprobe".into(),
            ..every.clone()
        },
        "no ffprobe",
    );
    assert!(e.to_string().contains("install ffmpeg"), "{e}");
    // A folder and a missing file.
    assert!(matches!(
        hash_video_file(dir, &every),
        Err(VideoError::NotVideo(_))
    ));
    assert!(matches!(
        hash_video_file(&dir.join("missing.mp4"), &every),
        Err(VideoError::Io { .. })
    ));
    assert!(children().is_empty(), "{:?}", children());
}
