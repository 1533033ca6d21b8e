//! `tutela serve --demo`: a ready demo for a newcomer. A `demo-csam` bank holding the PDQ hashes
//! of synthetic pattern images (generated here; no real material of any kind), the images
//! themselves in `DATA/demo/` to try scans with, an API key in `DATA/demo/api-key.txt`, and a few
//! scans run through the pipeline so the queue has cases to look at.

use crate::state::Shared;
use anyhow::Result;
use image::{Rgb, RgbImage};
use std::path::PathBuf;
use tutela_bank::{BankKind, HashKind, ImportOptions, NewBank, ParseOutput, ParsedRecord, Record};
use tutela_core::Scope;

pub const DEMO_ADMIN_PASSWORD: &str = "tutela-demo-admin";
const DEMO_BANK: &str = "demo-csam";

/// A synthetic test pattern: concentric rings, stripes and a gradient, different per `seed`.
pub fn pattern(seed: u32, width: u32, height: u32) -> RgbImage {
    let s = seed as f32 + 1.0;
    RgbImage::from_fn(width, height, |x, y| {
        let (fx, fy) = (x as f32 / width as f32, y as f32 / height as f32);
        let (dx, dy) = (fx - 0.3 - 0.05 * s % 0.4, fy - 0.6 + 0.07 * s % 0.3);
        let ring = ((dx * dx + dy * dy).sqrt() * 18.0 * s).sin();
        let stripe = ((fx * 7.0 + fy * 3.0 * s) * std::f32::consts::PI).sin();
        let v = |a: f32| ((a * 0.5 + 0.5) * 255.0) as u8;
        Rgb([v(ring), v(stripe * ring), v(fx - fy)])
    })
}

fn demo_dir(state: &Shared) -> PathBuf {
    state.data.join("demo")
}

pub async fn set_up(state: &Shared, base_url: &str) -> Result<()> {
    let dir = demo_dir(state);
    std::fs::create_dir_all(&dir)?;
    let mut hashes = Vec::new();
    for seed in 0..4u32 {
        let img = pattern(seed, 640, 480);
        let path = dir.join(format!("sample-{seed}.png"));
        if !path.exists() {
            img.save(&path)?;
        }
        let pdq = tutela_pdq::hash_rgb8(img.as_raw(), 640, 480)?;
        // Samples 0 and 1 are "known" in the demo bank; 2 and 3 are not.
        if seed < 2 {
            hashes.push((pdq.hash.to_string(), pdq.quality));
        }
    }
    let data = state.data.clone();
    tokio::task::spawn_blocking(move || -> Result<()> {
        let mut store = tutela_bank::Store::open(&data)?;
        if store.bank(DEMO_BANK).is_ok() {
            return Ok(());
        }
        let mut spec = NewBank::new(DEMO_BANK, BankKind::Block, HashKind::Pdq);
        spec.labels = vec!["csam".into()];
        spec.source = Some("tutela demo: hashes of synthetic patterns, not real material".into());
        store.create_bank(&spec)?;
        let parsed = ParseOutput {
            records: hashes
                .into_iter()
                .enumerate()
                .map(|(i, (hash, quality))| ParsedRecord {
                    line: i + 1,
                    record: Record {
                        hash,
                        quality: Some(quality),
                        labels: vec!["csam".into()],
                        external_id: Some(format!("demo-{i}")),
                        note: Some("synthetic demo pattern".into()),
                    },
                })
                .collect(),
            errors: vec![],
            ignored: vec![],
        };
        store.import(DEMO_BANK, &parsed, &ImportOptions::default())?;
        Ok(())
    })
    .await??;
    let key_file = dir.join("api-key.txt");
    if !key_file.exists() {
        let (_, secret) = crate::create_api_key(
            state,
            "system",
            "demo",
            &[Scope::Scan, Scope::Read, Scope::Report],
        )
        .await
        .map_err(|e| anyhow::anyhow!(e.message))?;
        std::fs::write(&key_file, format!("{secret}\n"))?;
    }
    let secret = std::fs::read_to_string(&key_file)?.trim().to_string();
    eprintln!(
        "tutela demo: console login admin / {DEMO_ADMIN_PASSWORD}\n\
         tutela demo: API key in {} ; try:\n  curl -s -H 'Authorization: Bearer {secret}' \
         -H 'content-type: image/png' --data-binary @{}/sample-0.png \
         '{base_url}/v1/scan?content_id=try-1'",
        key_file.display(),
        dir.display()
    );
    Ok(())
}

/// Scans the demo samples once (idempotent: content ids are fixed).
pub async fn scan_samples(state: &Shared) -> Result<()> {
    let dir = demo_dir(state);
    for (seed, surface) in [(0, "post"), (1, "message"), (2, "profile")] {
        let bytes = std::fs::read(dir.join(format!("sample-{seed}.png")))?;
        let req = crate::scan::ScanRequest {
            content_id: format!("demo-content-{seed}"),
            uploader_id: Some(format!("demo-user-{}", seed % 2)),
            surface: Some(surface.into()),
            ..Default::default()
        };
        crate::scan::scan_one(
            state,
            "system:demo",
            req,
            Some((bytes, Some("image/png".into()))),
        )
        .await
        .map_err(|e| anyhow::anyhow!(e.message))?;
    }
    Ok(())
}
