//! The Rust side of `bench/video_bench.py`.
//!
//! `video_bench hash SECONDS_PER_HASH REPEATS VIDEO...`: hashes each video REPEATS times and
//! prints one JSON line per video (video seconds, best wall time, frames hashed).
//!
//! `video_bench match FRAMES QUERIES`: builds a video bank of FRAMES synthetic frame hashes
//! (1,000-frame videos made of 10-frame "scenes": a random centre and frames 0-8 bits from it),
//! then times `Matcher::query_video` for QUERIES re-encoded known videos (60 frames, 0-10 bits
//! from frames of one entry) and QUERIES unknown videos (60 random frames), and checks every
//! answer against the brute-force pytx definition (`match_brute`). Prints one JSON line.

use std::time::Instant;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use tutela_bank::{
    BankKind, HashKind, ImportOptions, Matcher, NewBank, Store, VideoQuery, VideoRecord,
};
use tutela_pdq::Hash256;
use tutela_video::{FrameHash, MatchOptions, VideoOptions, hash_video_file, match_brute};

const FRAMES_PER_VIDEO: usize = 1000;
const QUERY_FRAMES: usize = 60;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("hash") => hash(&args[1..]),
        Some("match") => bench_match(args[1].parse()?, args[2].parse()?),
        _ => Err("usage: video_bench hash SPH REPEATS VIDEO... | match FRAMES QUERIES".into()),
    }
}

fn hash(args: &[String]) -> Result<(), Box<dyn std::error::Error>> {
    let seconds_per_hash: f64 = args[0].parse()?;
    let repeats: usize = args[1].parse()?;
    let options = VideoOptions {
        seconds_per_hash,
        ..VideoOptions::default()
    };
    for video in &args[2..] {
        let mut best = f64::INFINITY;
        let mut hashed = None;
        for _ in 0..repeats {
            let start = Instant::now();
            let h = hash_video_file(video.as_ref(), &options)?;
            best = best.min(start.elapsed().as_secs_f64());
            hashed = Some(h);
        }
        let h = hashed.ok_or("REPEATS must be at least 1")?;
        let seconds = h
            .info
            .declared_frames
            .map(|n| n as f64 / h.info.frame_rate)
            .or(h.info.duration_seconds)
            .unwrap_or(0.0);
        println!(
            "{{\"video\":{:?},\"seconds_per_hash\":{seconds_per_hash},\"video_seconds\":{seconds},\"wall_seconds\":{best},\"frames\":{},\"first_hash\":\"{}\"}}",
            video,
            h.frames.len(),
            h.frames
                .first()
                .map(|f| f.hash.to_hex())
                .unwrap_or_default()
        );
    }
    Ok(())
}

fn random_hash(rng: &mut StdRng) -> Hash256 {
    Hash256([rng.random(), rng.random(), rng.random(), rng.random()])
}

fn flip(rng: &mut StdRng, h: Hash256, max_bits: u32) -> Hash256 {
    let mut out = h;
    for _ in 0..rng.random_range(0..=max_bits) {
        let k = rng.random_range(0..256);
        out.0[k / 64] ^= 1 << (k % 64);
    }
    out
}

fn frames_of(hashes: impl IntoIterator<Item = Hash256>) -> Vec<FrameHash> {
    hashes
        .into_iter()
        .enumerate()
        .map(|(i, hash)| FrameHash {
            frame_number: i as u64,
            quality: 100,
            hash,
            seconds: i as f64 / 30.0,
        })
        .collect()
}

fn bench_match(total_frames: usize, queries: usize) -> Result<(), Box<dyn std::error::Error>> {
    let mut rng = StdRng::seed_from_u64(7);
    let n_videos = total_frames.div_ceil(FRAMES_PER_VIDEO);
    let videos: Vec<Vec<FrameHash>> = (0..n_videos)
        .map(|_| {
            let mut hashes = Vec::with_capacity(FRAMES_PER_VIDEO);
            while hashes.len() < FRAMES_PER_VIDEO {
                let centre = random_hash(&mut rng);
                for _ in 0..10 {
                    hashes.push(flip(&mut rng, centre, 8));
                }
            }
            frames_of(hashes)
        })
        .collect();
    let dir = tempfile::tempdir()?;
    let mut store = Store::open(dir.path())?;
    store.create_bank(&NewBank::new("bench", BankKind::Block, HashKind::Vpdq))?;
    let records: Vec<VideoRecord> = videos.iter().map(|f| VideoRecord::new(f.clone())).collect();
    let start = Instant::now();
    let summary = store.import_videos("bench", &records, &ImportOptions::default())?;
    let import_seconds = start.elapsed().as_secs_f64();
    let start = Instant::now();
    let matcher = Matcher::load(&store)?;
    let load_seconds = start.elapsed().as_secs_f64();
    let indexed: u64 = store.bank("bench")?.entries_total;

    let mut known = Vec::new();
    let mut unknown = Vec::new();
    for q in 0..queries {
        let target = &videos[rng.random_range(0..videos.len())];
        let start_frame = rng.random_range(0..FRAMES_PER_VIDEO - QUERY_FRAMES * 10);
        known.push(frames_of(
            (0..QUERY_FRAMES).map(|k| flip(&mut rng, target[start_frame + k * 10].hash, 10)),
        ));
        unknown.push(frames_of((0..QUERY_FRAMES).map(|_| random_hash(&mut rng))));
        let _ = q;
    }
    let time = |set: &[Vec<FrameHash>]| -> Result<(Vec<f64>, usize), Box<dyn std::error::Error>> {
        let mut ms = Vec::with_capacity(set.len());
        let mut matched = 0;
        for frames in set {
            let query = VideoQuery::new().with_frames(frames);
            let start = Instant::now();
            let outcome = matcher.query_video(&query)?;
            ms.push(start.elapsed().as_secs_f64() * 1000.0);
            matched += usize::from(!outcome.matches.is_empty());
        }
        ms.sort_by(f64::total_cmp);
        Ok((ms, matched))
    };
    // Warm the mapping once, then measure.
    let _ = time(&known[..1])?;
    let (known_ms, known_matched) = time(&known)?;
    let (unknown_ms, unknown_matched) = time(&unknown)?;

    // The pytx definition by brute force over every video, on a few queries: same decisions,
    // and its cost for comparison.
    let check = queries.min(5);
    let start = Instant::now();
    for frames in known.iter().take(check).chain(unknown.iter().take(check)) {
        let brute: Vec<usize> = videos
            .iter()
            .enumerate()
            .filter(|(_, v)| match_brute(frames, v, &MatchOptions::default()).is_match(80.0, 0.0))
            .map(|(i, _)| i)
            .collect();
        let outcome = matcher.query_video(&VideoQuery::new().with_frames(frames))?;
        let ours: Vec<usize> = outcome
            .matches
            .iter()
            .map(|m| m.entry_id as usize)
            .collect();
        assert_eq!(ours, brute, "index matching must equal brute force");
    }
    let brute_ms = start.elapsed().as_secs_f64() * 1000.0 / (2 * check) as f64;
    let pct = |v: &[f64], p: f64| v[((v.len() - 1) as f64 * p).round() as usize];
    println!(
        "{{\"frames\":{},\"videos\":{indexed},\"import_seconds\":{import_seconds:.2},\"load_seconds\":{load_seconds:.3},\"query_frames\":{QUERY_FRAMES},\"known_median_ms\":{:.3},\"known_p95_ms\":{:.3},\"known_matched\":\"{known_matched}/{}\",\"unknown_median_ms\":{:.3},\"unknown_p95_ms\":{:.3},\"unknown_matched\":\"{unknown_matched}/{}\",\"brute_force_ms\":{brute_ms:.1}}}",
        summary.added * FRAMES_PER_VIDEO as u64,
        pct(&known_ms, 0.5),
        pct(&known_ms, 0.95),
        known.len(),
        pct(&unknown_ms, 0.5),
        pct(&unknown_ms, 0.95),
        unknown.len(),
    );
    Ok(())
}
