//! Single-threaded end-to-end PDQ throughput (read file + decode + hash), one JSON line per file.
//! Driven by `bench/pdq_bench.py`, which runs the C++ reference beside it in the same run.
//!
//! `cargo run --release -p tutela-image --example pdq_bench -- --mode exact --seconds 2 FILE...`

use std::time::{Duration, Instant};

// As in the tutela binary.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use tutela_image::{Limits, Mode, decode};
use tutela_pdq::PdqHasher;

fn main() {
    let mut args = std::env::args().skip(1);
    let (mut mode, mut seconds, mut files) = (Mode::Exact, 2.0f64, Vec::new());
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--mode" => {
                mode = args
                    .next()
                    .expect("--mode VALUE")
                    .parse()
                    .expect("exact or fast")
            }
            "--seconds" => seconds = args.next().expect("--seconds N").parse().expect("a number"),
            _ => files.push(arg),
        }
    }
    let mut hasher = PdqHasher::new();
    for file in files {
        let budget = Duration::from_secs_f64(seconds);
        let (mut runs, mut hash) = (0u64, None);
        let start = Instant::now();
        // At least 3 runs; then until the time budget is spent.
        while runs < 3 || start.elapsed() < budget {
            let bytes = std::fs::read(&file).expect("read");
            let image = decode(&bytes, mode, &Limits::default()).expect("decode");
            hash = Some(
                hasher
                    .hash(image.pixels(), image.width, image.height)
                    .expect("hash"),
            );
            runs += 1;
        }
        let elapsed = start.elapsed().as_secs_f64();
        let hash = hash.expect("ran");
        println!(
            "{{\"file\":{:?},\"mode\":\"{}\",\"runs\":{runs},\"images_per_second\":{:.3},\"pdq\":\"{}\",\"quality\":{}}}",
            file,
            mode.name(),
            runs as f64 / elapsed,
            hash.hash,
            hash.quality
        );
    }
}
