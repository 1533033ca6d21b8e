//! Re-hashes every video of the vPDQ vectors with every frame (and 128x128 with
//! `--downsample`) and prints the distance distribution against the shipped hash files, and
//! each video's match percentages against the shipped hashes of the others.
//!
//! `cargo run --release -p tutela-video --example vpdq_vectors [-- --downsample]`

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Instant;

use tutela_video::{VideoOptions, format, hash_video_file};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let downsample = std::env::args().any(|a| a == "--downsample");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/vectors/vpdq");
    let options = VideoOptions {
        seconds_per_hash: 0.0,
        downsample: downsample.then_some(128),
        ..VideoOptions::default()
    };
    let suffix = if downsample { "-128x128" } else { "" };
    let mut histogram: BTreeMap<u32, usize> = BTreeMap::new();
    let (mut total, mut within10) = (0usize, 0usize);
    let mut videos: Vec<_> = std::fs::read_dir(root.join("videos"))?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()?;
    videos.sort();
    for video in videos {
        let name = video.file_stem().unwrap().to_string_lossy().into_owned();
        let shipped =
            std::fs::read_to_string(root.join(format!("vpdq-hashes/{name}{suffix}.txt")))?;
        let shipped = format::parse(&shipped)?;
        let start = Instant::now();
        let ours = hash_video_file(&video, &options)?;
        let secs = start.elapsed().as_secs_f64();
        let mut max = 0;
        let mut sum = 0u64;
        let mut same_quality = 0;
        for (a, b) in ours.frames.iter().zip(&shipped) {
            assert_eq!(a.frame_number, b.frame_number);
            let d = a.hash.distance(&b.hash);
            *histogram.entry(d).or_default() += 1;
            max = max.max(d);
            sum += u64::from(d);
            within10 += usize::from(d <= 10);
            same_quality += usize::from(a.quality == b.quality);
            total += 1;
        }
        println!(
            "{name}: {} frames (shipped {}), mean distance {:.2}, max {max}, same quality {same_quality}, same timestamps {}, {:.2} s",
            ours.frames.len(),
            shipped.len(),
            sum as f64 / ours.frames.len().max(1) as f64,
            ours.frames
                .iter()
                .zip(&shipped)
                .filter(|(a, b)| format!("{:.3}", a.seconds) == format!("{:.3}", b.seconds))
                .count(),
            secs
        );
    }
    println!(
        "all: {total} frames, {within10} within distance 10 ({:.2}%)",
        within10 as f64 * 100.0 / total as f64
    );
    println!("distance histogram: {histogram:?}");
    Ok(())
}
