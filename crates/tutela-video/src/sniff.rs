//! Telling a video from other files by its first bytes (pure). Used to route inputs: the
//! decision is by content, never by file name. A "yes" only means "try ffmpeg"; ffprobe then
//! decides whether there is a video stream.

/// Bytes [`sniff`] looks at: enough for an MPEG-TS sync pattern over 3 packets.
pub const SNIFF_LEN: usize = 3 * 188 + 1;

/// The container a file's first bytes announce, if it is one of the video containers Tutela
/// hands to ffmpeg. Still images (PNG, JPEG, GIF, WebP, HEIC/AVIF) are `None`.
pub fn sniff(head: &[u8]) -> Option<&'static str> {
    // ISO base media (MP4, MOV, 3GP, M4V): a box of type `ftyp` first, with a video brand;
    // HEIF/AVIF images share the box and are excluded by brand.
    if head.len() >= 12 && &head[4..8] == b"ftyp" {
        let brand = &head[8..12];
        let image_brands: [&[u8; 4]; 8] = [
            b"heic", b"heix", b"mif1", b"msf1", b"avif", b"avis", b"heim", b"hevc",
        ];
        return (!image_brands.contains(&brand.try_into().expect("4 bytes"))).then_some("mp4");
    }
    // QuickTime files may start with other top-level atoms.
    if head.len() >= 8
        && matches!(&head[4..8], b"moov" | b"mdat" | b"wide" | b"free" | b"skip")
        && u32::from_be_bytes(head[0..4].try_into().expect("4 bytes")) >= 8
    {
        return Some("mov");
    }
    if head.starts_with(&[0x1a, 0x45, 0xdf, 0xa3]) {
        return Some("matroska"); // also WebM
    }
    if head.len() >= 12 && &head[0..4] == b"RIFF" && &head[8..12] == b"AVI " {
        return Some("avi");
    }
    if head.starts_with(b"FLV\x01") {
        return Some("flv");
    }
    if head.starts_with(b"YUV4MPEG2 ") {
        return Some("yuv4mpegpipe");
    }
    if head.starts_with(&[0x00, 0x00, 0x01, 0xba]) {
        return Some("mpeg");
    }
    if head.starts_with(&[0x30, 0x26, 0xb2, 0x75, 0x8e, 0x66, 0xcf, 0x11]) {
        return Some("asf");
    }
    if head.starts_with(b"OggS") {
        return Some("ogg");
    }
    // MPEG transport stream: a sync byte every 188 bytes.
    if head.len() >= SNIFF_LEN && (0..3).all(|k| head[k * 188] == 0x47) {
        return Some("mpegts");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn containers_and_images() {
        assert_eq!(sniff(b"\0\0\0\x20ftypisom\0\0\x02\0"), Some("mp4"));
        assert_eq!(sniff(b"\0\0\0\x18ftypheic\0\0\0\0"), None);
        assert_eq!(sniff(b"\0\0\0\x1cftypavif\0\0\0\0"), None);
        assert_eq!(sniff(&[0x1a, 0x45, 0xdf, 0xa3, 0x9f]), Some("matroska"));
        assert_eq!(sniff(b"RIFF\0\0\0\0AVI LIST"), Some("avi"));
        assert_eq!(sniff(b"RIFF\0\0\0\0WEBPVP8 "), None);
        assert_eq!(sniff(b"YUV4MPEG2 W2 H2"), Some("yuv4mpegpipe"));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n"), None);
        assert_eq!(sniff(&[0xff, 0xd8, 0xff, 0xe0]), None);
        assert_eq!(sniff(b"GIF89a"), None);
        assert_eq!(sniff(b""), None);
        let mut ts = vec![0u8; SNIFF_LEN];
        for k in 0..3 {
            ts[k * 188] = 0x47;
        }
        assert_eq!(sniff(&ts), Some("mpegts"));
        assert_eq!(sniff(&ts[..100]), None);
    }
}
