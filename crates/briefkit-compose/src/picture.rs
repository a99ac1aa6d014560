//! Checking an image before any backend sees it: only whole, decodable PNG
//! and JPEG files of a sane size reach an output, the same in every format.

use std::io::Cursor;

/// The most pixels an image may declare (100 megapixels): a header that
/// claims more is refused before anything is allocated for it.
pub const MAX_PIXELS: u64 = 100_000_000;

/// What a checked image is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PictureInfo {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// `true` for JPEG, `false` for PNG.
    pub jpeg: bool,
}

/// Checks that `bytes` are a whole PNG or JPEG image briefkit can embed;
/// the error says, in a phrase that follows the file's name, what is wrong.
pub fn inspect(bytes: &[u8]) -> Result<PictureInfo, String> {
    let format = if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        image::ImageFormat::Png
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        image::ImageFormat::Jpeg
    } else if bytes.is_empty() {
        return Err("is empty".into());
    } else {
        return Err("is not a PNG or JPEG image".into());
    };
    let jpeg = format == image::ImageFormat::Jpeg;
    let (width, height) = if jpeg {
        jpeg_size(bytes)
    } else {
        png_size(bytes)
    }
    .ok_or_else(|| "is cut short or damaged (its header cannot be read)".to_string())?;
    let pixels = u64::from(width) * u64::from(height);
    if pixels > MAX_PIXELS {
        return Err(format!(
            "declares {width} × {height} pixels ({} megapixels; at most {} are accepted)",
            pixels / 1_000_000,
            MAX_PIXELS / 1_000_000
        ));
    }
    if width == 0 || height == 0 {
        return Err("has no pixels".into());
    }
    // A JPEG stops at its end marker: a download cut short lacks it, and
    // decoders would quietly fill the missing rows with grey.
    if jpeg && !bytes.windows(2).any(|w| w == [0xFF, 0xD9]) {
        return Err("is cut short (the JPEG stops before its end)".into());
    }
    image::ImageReader::with_format(Cursor::new(bytes), format)
        .decode()
        .map_err(|e| format!("cannot be decoded ({e})"))?;
    Ok(PictureInfo {
        width,
        height,
        jpeg,
    })
}

/// Width and height from a PNG's IHDR chunk, the first in the file.
fn png_size(bytes: &[u8]) -> Option<(u32, u32)> {
    let be32 = |i: usize| Some(u32::from_be_bytes(bytes.get(i..i + 4)?.try_into().ok()?));
    (bytes.get(12..16)? == b"IHDR").then_some(())?;
    Some((be32(16)?, be32(20)?))
}

/// Width and height from a JPEG's start-of-frame marker, read by walking
/// the marker segments (no pixel data is touched).
fn jpeg_size(bytes: &[u8]) -> Option<(u32, u32)> {
    let be16 = |i: usize| Some(u16::from_be_bytes([*bytes.get(i)?, *bytes.get(i + 1)?]));
    let mut i = 2;
    loop {
        if *bytes.get(i)? != 0xFF {
            return None;
        }
        let marker = *bytes.get(i + 1)?;
        match marker {
            0xFF => i += 1,
            0x01 | 0xD0..=0xD7 => i += 2,
            0xC0..=0xCF if !matches!(marker, 0xC4 | 0xC8 | 0xCC) => {
                return Some((u32::from(be16(i + 7)?), u32::from(be16(i + 5)?)));
            }
            0xD9 | 0xDA => return None,
            _ => i += 2 + usize::from(be16(i + 2)?),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn png(width: u32, height: u32) -> Vec<u8> {
        let mut out = Vec::new();
        image::RgbImage::new(width, height)
            .write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
            .map(|()| out)
            .unwrap_or_default()
    }

    #[test]
    fn a_whole_png_passes_and_a_truncated_one_does_not() {
        let bytes = png(8, 4);
        assert_eq!(
            inspect(&bytes),
            Ok(PictureInfo {
                width: 8,
                height: 4,
                jpeg: false
            })
        );
        assert!(inspect(&bytes[..bytes.len() / 2]).is_err());
        assert_eq!(
            inspect(b"GIF89a").unwrap_err(),
            "is not a PNG or JPEG image"
        );
        assert_eq!(inspect(b"").unwrap_err(), "is empty");
    }

    #[test]
    fn a_header_claiming_too_many_pixels_is_refused_before_decoding() {
        // A PNG signature and an IHDR of 20000 × 20000: 400 megapixels,
        // with no image data behind it.
        let mut bytes = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
        bytes.extend(20_000u32.to_be_bytes());
        bytes.extend(20_000u32.to_be_bytes());
        bytes.extend([8, 2, 0, 0, 0]);
        let crc = crc32(&bytes[12..]);
        bytes.extend(crc.to_be_bytes());
        let err = inspect(&bytes).unwrap_err();
        assert!(err.contains("400 megapixels"), "{err}");
    }

    fn crc32(data: &[u8]) -> u32 {
        let mut crc = 0xFFFF_FFFFu32;
        for &b in data {
            crc ^= u32::from(b);
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }
}
