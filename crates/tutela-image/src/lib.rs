//! Decoding untrusted image files into the 8-bit pixels that PDQ hashes.
//!
//! Everything here treats its input as hostile: the byte size and the pixel count are checked
//! against [`Limits`] before any pixel buffer is allocated, decoders run with their own limits,
//! and every failure is an [`DecodeError`] that says what is wrong, never a panic.
//!
//! Colour handling follows the PDQ reference (`shared/specs/pdq.md`): palette expanded, grey
//! replicated, alpha dropped (not composited), CMYK converted, 16-bit reduced to 8-bit, EXIF
//! orientation not applied (the dihedral hashes cover rotations).

mod fast;
pub mod lowfreq_jpeg;

use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader};
use std::io::Cursor;
use tutela_pdq::Pixels;
use zune_core::bytestream::ZCursor;
use zune_core::colorspace::ColorSpace;
use zune_core::options::DecoderOptions;
use zune_jpeg::JpegDecoder;

/// Caps that keep a hostile file from exhausting memory or time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Largest file accepted, in bytes.
    pub max_bytes: u64,
    /// Largest `width * height` accepted (checked from the header, before decoding).
    pub max_pixels: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_bytes: 256 * 1024 * 1024,
            max_pixels: 128_000_000,
        }
    }
}

/// How faithfully to decode before hashing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Mode {
    /// Full resolution, full colour: the reference value that hash exchanges use.
    #[default]
    Exact,
    /// JPEG decoded to luminance only and averaged down in 8x8 steps (what a DCT-domain scaled
    /// decode computes) before hashing; a few bits from `Exact`, many times faster on large
    /// photos. Other formats decode as in `Exact`.
    Fast,
}

impl Mode {
    pub fn name(self) -> &'static str {
        match self {
            Mode::Exact => "exact",
            Mode::Fast => "fast",
        }
    }
}

impl std::str::FromStr for Mode {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "exact" => Ok(Mode::Exact),
            "fast" => Ok(Mode::Fast),
            other => Err(format!(
                "unknown hashing mode {other:?} (use exact or fast)"
            )),
        }
    }
}

/// Why a file could not be turned into pixels.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("empty file")]
    Empty,
    #[error("file is {bytes} bytes, over the limit of {max} bytes")]
    TooManyBytes { bytes: u64, max: u64 },
    #[error("image is {width}x{height} pixels, over the limit of {max} pixels")]
    TooManyPixels { width: u64, height: u64, max: u64 },
    #[error(
        "not an image format Tutela reads (JPEG, PNG, WebP, GIF, BMP, TIFF, ICO, PNM, TGA, QOI, HDR, EXR, DDS, farbfeld)"
    )]
    UnknownFormat,
    #[error("{format} image uses a feature that is not supported: {reason}")]
    Unsupported {
        format: &'static str,
        reason: String,
    },
    #[error("corrupt or truncated {format} image: {reason}")]
    Corrupt {
        format: &'static str,
        reason: String,
    },
}

/// Decoded pixels, ready for [`tutela_pdq::PdqHasher::hash`].
#[derive(Clone, Debug, PartialEq)]
pub enum PixelBuf {
    Rgb8(Vec<u8>),
    /// Luminance averaged over blocks (fast mode).
    LumaF32(Vec<f32>),
}

/// An image decoded for hashing.
#[derive(Clone, Debug, PartialEq)]
pub struct DecodedImage {
    /// Size of `pixels` (smaller than the file's own size in fast mode).
    pub width: usize,
    pub height: usize,
    /// Size declared by the file.
    pub source_width: usize,
    pub source_height: usize,
    pub format: &'static str,
    pub pixels: PixelBuf,
}

impl DecodedImage {
    pub fn pixels(&self) -> Pixels<'_> {
        match &self.pixels {
            PixelBuf::Rgb8(p) => Pixels::Rgb8(p),
            PixelBuf::LumaF32(p) => Pixels::LumaF32(p),
        }
    }
}

/// Decodes a whole file held in memory.
pub fn decode(bytes: &[u8], mode: Mode, limits: &Limits) -> Result<DecodedImage, DecodeError> {
    if bytes.is_empty() {
        return Err(DecodeError::Empty);
    }
    if bytes.len() as u64 > limits.max_bytes {
        return Err(DecodeError::TooManyBytes {
            bytes: bytes.len() as u64,
            max: limits.max_bytes,
        });
    }
    let format = image::guess_format(bytes).map_err(|_| DecodeError::UnknownFormat)?;
    match format {
        ImageFormat::Jpeg => decode_jpeg(bytes, mode, limits),
        other => decode_with_image(bytes, other, limits),
    }
}

fn format_name(format: ImageFormat) -> &'static str {
    format.extensions_str().first().copied().unwrap_or("image")
}

fn check_pixels(width: u64, height: u64, limits: &Limits) -> Result<(), DecodeError> {
    if width == 0 || height == 0 {
        return Err(DecodeError::Corrupt {
            format: "image",
            reason: format!("declared size {width}x{height} has no pixels"),
        });
    }
    if width.saturating_mul(height) > limits.max_pixels {
        return Err(DecodeError::TooManyPixels {
            width,
            height,
            max: limits.max_pixels,
        });
    }
    Ok(())
}

const JPEG: &str = "jpeg";

fn jpeg_error(err: zune_jpeg::errors::DecodeErrors) -> DecodeError {
    use zune_jpeg::errors::DecodeErrors as E;
    match err {
        E::Unsupported(what) => DecodeError::Unsupported {
            format: JPEG,
            reason: format!("{what:?}"),
        },
        other => DecodeError::Corrupt {
            format: JPEG,
            reason: other.to_string(),
        },
    }
}

fn decode_jpeg(bytes: &[u8], mode: Mode, limits: &Limits) -> Result<DecodedImage, DecodeError> {
    // JPEG sides are 16-bit; the pixel limit is checked from the header below.
    let side_cap = usize::from(u16::MAX);
    // Strict: a truncated or damaged stream is an error, not a grey-filled picture whose hash
    // would silently differ from the reference.
    let options = DecoderOptions::default()
        .set_strict_mode(true)
        .set_max_width(side_cap)
        .set_max_height(side_cap);
    let mut decoder = JpegDecoder::new_with_options(ZCursor::new(bytes), options);
    decoder.decode_headers().map_err(jpeg_error)?;
    let info = decoder.info().ok_or_else(|| DecodeError::Corrupt {
        format: JPEG,
        reason: "no frame header".into(),
    })?;
    let (width, height) = (usize::from(info.width), usize::from(info.height));
    check_pixels(width as u64, height as u64, limits)?;
    // Shrinking buys nothing on a small picture, so fast mode decodes it exactly.
    // Only YCbCr and grey streams carry luminance as a plane of their own.
    let has_luma_plane = matches!(
        decoder.input_colorspace(),
        Some(ColorSpace::YCbCr | ColorSpace::Luma)
    );
    let factor = fast::shrink_factor(width, height);
    let shrink = mode == Mode::Fast && has_luma_plane && factor > 1;
    if shrink {
        // Block means straight from the DCT coefficients; anything that path does not read, or
        // any damage, goes to the general decoder below, which decides.
        if let Ok(s) = lowfreq_jpeg::decode_luma_shrunk(bytes, factor, limits)
            && (s.source_width, s.source_height) == (width, height)
        {
            return Ok(DecodedImage {
                width: s.width,
                height: s.height,
                source_width: width,
                source_height: height,
                format: JPEG,
                pixels: PixelBuf::LumaF32(s.luma),
            });
        }
    }
    let out = if shrink {
        ColorSpace::Luma
    } else {
        ColorSpace::RGB
    };
    decoder.set_options(options.jpeg_set_out_colorspace(out));
    let pixels = decoder.decode().map_err(jpeg_error)?;
    let channels = decoder
        .output_colorspace()
        .map(|c| c.num_components())
        .unwrap_or(0);
    let expected = width * height * if shrink { 1 } else { 3 };
    if pixels.len() != expected || channels == 0 {
        return Err(DecodeError::Unsupported {
            format: JPEG,
            reason: format!("decoder produced {channels} channel(s) for {width}x{height}"),
        });
    }
    let (buf, w, h) = if shrink {
        let (luma, w, h) = fast::shrink_luma(&pixels, width, height);
        (PixelBuf::LumaF32(luma), w, h)
    } else {
        (PixelBuf::Rgb8(pixels), width, height)
    };
    Ok(DecodedImage {
        width: w,
        height: h,
        source_width: width,
        source_height: height,
        format: JPEG,
        pixels: buf,
    })
}

fn decode_with_image(
    bytes: &[u8],
    format: ImageFormat,
    limits: &Limits,
) -> Result<DecodedImage, DecodeError> {
    let name = format_name(format);
    let image_error = |err: image::ImageError| match err {
        image::ImageError::Unsupported(e) => DecodeError::Unsupported {
            format: name,
            reason: e.to_string(),
        },
        image::ImageError::Limits(e) => DecodeError::Unsupported {
            format: name,
            reason: e.to_string(),
        },
        other => DecodeError::Corrupt {
            format: name,
            reason: other.to_string(),
        },
    };
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut decoder_limits = image::Limits::default();
    // Room for the widest decoded layout (RGBA, 32-bit float) of an image at the pixel cap.
    decoder_limits.max_alloc = Some(limits.max_pixels.saturating_mul(16).max(64 << 20));
    reader.limits(decoder_limits);
    let decoder = reader.into_decoder().map_err(image_error)?;
    let (width, height) = decoder.dimensions();
    check_pixels(u64::from(width), u64::from(height), limits)?;
    let image = DynamicImage::from_decoder(decoder).map_err(image_error)?;
    let rgb = to_rgb8(image);
    Ok(DecodedImage {
        width: width as usize,
        height: height as usize,
        source_width: width as usize,
        source_height: height as usize,
        format: name,
        pixels: PixelBuf::Rgb8(rgb),
    })
}

/// 8-bit RGB as the reference sees it: grey replicated, alpha dropped without compositing,
/// wider samples scaled to 8 bits.
fn to_rgb8(image: DynamicImage) -> Vec<u8> {
    match image {
        DynamicImage::ImageRgb8(buf) => buf.into_raw(),
        DynamicImage::ImageLuma8(buf) => {
            buf.into_raw().into_iter().flat_map(|g| [g, g, g]).collect()
        }
        DynamicImage::ImageLumaA8(buf) => buf
            .into_raw()
            .chunks_exact(2)
            .flat_map(|p| [p[0]; 3])
            .collect(),
        DynamicImage::ImageRgba8(buf) => buf
            .into_raw()
            .chunks_exact(4)
            .flat_map(|p| [p[0], p[1], p[2]])
            .collect(),
        other => other.into_rgb8().into_raw(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(img: DynamicImage) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        img.write_to(&mut out, ImageFormat::Png).unwrap();
        out.into_inner()
    }

    #[test]
    fn empty_and_unknown_inputs_are_named() {
        let limits = Limits::default();
        assert_eq!(decode(b"", Mode::Exact, &limits), Err(DecodeError::Empty));
        assert_eq!(
            decode(b"hello, not an image", Mode::Exact, &limits),
            Err(DecodeError::UnknownFormat)
        );
    }

    #[test]
    fn byte_and_pixel_limits_apply_before_decoding() {
        let bytes = png(DynamicImage::new_rgb8(100, 50));
        let small = Limits {
            max_bytes: 10,
            max_pixels: 1 << 30,
        };
        assert!(matches!(
            decode(&bytes, Mode::Exact, &small),
            Err(DecodeError::TooManyBytes { .. })
        ));
        let few = Limits {
            max_bytes: 1 << 30,
            max_pixels: 4999,
        };
        assert_eq!(
            decode(&bytes, Mode::Exact, &few),
            Err(DecodeError::TooManyPixels {
                width: 100,
                height: 50,
                max: 4999
            })
        );
    }

    #[test]
    fn truncated_png_is_corrupt_not_a_panic() {
        let noise = image::RgbImage::from_fn(300, 200, |x, y| {
            image::Rgb([((x * 7) ^ (y * 13)) as u8, (x * y) as u8, 9])
        });
        let bytes = png(DynamicImage::ImageRgb8(noise));
        // Cut inside the header and the pixel data (a cut in the 12-byte end marker loses no pixel).
        for cut in [8, 20, 40, bytes.len() / 2, bytes.len() - 20] {
            let err = decode(&bytes[..cut], Mode::Exact, &Limits::default());
            assert!(err.is_err(), "cut at {cut}");
        }
    }

    #[test]
    fn grey_and_alpha_follow_the_reference() {
        let mut la = image::GrayAlphaImage::new(2, 1);
        la.put_pixel(0, 0, image::LumaA([10, 0]));
        la.put_pixel(1, 0, image::LumaA([200, 255]));
        let d = decode(
            &png(DynamicImage::ImageLumaA8(la)),
            Mode::Exact,
            &Limits::default(),
        )
        .unwrap();
        assert_eq!(d.pixels, PixelBuf::Rgb8(vec![10, 10, 10, 200, 200, 200]));
        let mut rgba = image::RgbaImage::new(1, 1);
        rgba.put_pixel(0, 0, image::Rgba([1, 2, 3, 0]));
        let d = decode(
            &png(DynamicImage::ImageRgba8(rgba)),
            Mode::Exact,
            &Limits::default(),
        )
        .unwrap();
        assert_eq!(d.pixels, PixelBuf::Rgb8(vec![1, 2, 3]));
    }
}
