//! A font file checked before any font library parses it.
//!
//! A font may come from a pack (`[brief] fonts`), a `--font-path` folder
//! or the system, and a font library trusts what a file's header says: a
//! 12-byte collection claiming 4,294,967,295 faces makes one loop for
//! minutes or allocate gigabytes. So every file is read here first, with
//! bounds: its size, the number of faces a collection claims, the number
//! of tables of each face and where each table lies. Only a file whose
//! header describes itself within its own bytes reaches the font library.

use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

/// The largest font file read (Noto CJK collections are about 30 MB; the
/// largest font families shipped whole are under 130 MB).
pub const MAX_FONT_BYTES: u64 = 256 * 1024 * 1024;

/// The most faces a collection may hold (Noto CJK has 10; Source Han's
/// super collection 40).
pub const MAX_FACES: u32 = 256;

/// The most tables a face may have (real faces have under 40).
pub const MAX_TABLES: u16 = 512;

/// Why a font file is skipped.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FontFileError {
    /// Larger than [`MAX_FONT_BYTES`].
    #[error("it is larger than {} MiB", MAX_FONT_BYTES / 1024 / 1024)]
    TooLarge,
    /// Not a regular file (a FIFO, a device, a folder).
    #[error("it is not a regular file")]
    NotAFile,
    /// No TrueType, OpenType or collection header.
    #[error("it is not a TrueType or OpenType font")]
    NotAFont,
    /// A collection claiming no faces or more than [`MAX_FACES`].
    #[error("it claims {0} faces (at most {MAX_FACES} are read)")]
    Faces(u32),
    /// A face claiming no tables or more than [`MAX_TABLES`].
    #[error("a face claims {0} tables (at most {MAX_TABLES} are read)")]
    Tables(u16),
    /// A header, directory or table lies beyond the file's end.
    #[error("it is cut short: its header points past its {0} bytes")]
    Truncated(u64),
    /// The host could not read it.
    #[error("it cannot be read: {0}")]
    Io(String),
}

/// Checks a font held in memory: the number of faces it holds.
pub fn check_bytes(bytes: &[u8]) -> Result<u32, FontFileError> {
    if bytes.len() as u64 > MAX_FONT_BYTES {
        return Err(FontFileError::TooLarge);
    }
    let mut reader = std::io::Cursor::new(bytes);
    check(&mut reader, bytes.len() as u64)
}

/// Checks a font file on disk (following a link to a regular file): the
/// number of faces it holds. Reads only its headers.
pub fn check_path(path: &Path) -> Result<u32, FontFileError> {
    let meta = std::fs::metadata(path).map_err(|e| FontFileError::Io(e.to_string()))?;
    if !meta.is_file() {
        return Err(FontFileError::NotAFile);
    }
    if meta.len() > MAX_FONT_BYTES {
        return Err(FontFileError::TooLarge);
    }
    let mut file = std::fs::File::open(path).map_err(|e| FontFileError::Io(e.to_string()))?;
    check(&mut file, meta.len())
}

/// Reads `N` bytes at `at`, or says the file is cut short.
fn read_at<const N: usize>(
    r: &mut (impl Read + Seek),
    at: u64,
    len: u64,
) -> Result<[u8; N], FontFileError> {
    if at.checked_add(N as u64).is_none_or(|end| end > len) {
        return Err(FontFileError::Truncated(len));
    }
    let mut buf = [0; N];
    r.seek(SeekFrom::Start(at))
        .and_then(|_| r.read_exact(&mut buf))
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::UnexpectedEof => FontFileError::Truncated(len),
            _ => FontFileError::Io(e.to_string()),
        })?;
    Ok(buf)
}

fn check(r: &mut (impl Read + Seek), len: u64) -> Result<u32, FontFileError> {
    let head: [u8; 12] = read_at(r, 0, len).map_err(|_| FontFileError::NotAFont)?;
    match &head[..4] {
        b"ttcf" => {
            let faces = u32::from_be_bytes([head[8], head[9], head[10], head[11]]);
            if faces == 0 || faces > MAX_FACES {
                return Err(FontFileError::Faces(faces));
            }
            for i in 0..u64::from(faces) {
                let offset = u32::from_be_bytes(read_at(r, 12 + 4 * i, len)?);
                check_face(r, u64::from(offset), len)?;
            }
            Ok(faces)
        }
        [0, 1, 0, 0] | b"OTTO" | b"true" | b"typ1" => check_face(r, 0, len).map(|()| 1),
        _ => Err(FontFileError::NotAFont),
    }
}

/// A face's table directory at `at`: every table inside the file.
fn check_face(r: &mut (impl Read + Seek), at: u64, len: u64) -> Result<(), FontFileError> {
    let head: [u8; 12] = read_at(r, at, len)?;
    if !matches!(&head[..4], [0, 1, 0, 0] | b"OTTO" | b"true" | b"typ1") {
        return Err(FontFileError::NotAFont);
    }
    let tables = u16::from_be_bytes([head[4], head[5]]);
    if tables == 0 || tables > MAX_TABLES {
        return Err(FontFileError::Tables(tables));
    }
    for t in 0..u64::from(tables) {
        let record: [u8; 16] = read_at(r, at + 12 + 16 * t, len)?;
        let offset = u64::from(u32::from_be_bytes([
            record[8], record[9], record[10], record[11],
        ]));
        let length = u64::from(u32::from_be_bytes([
            record[12], record[13], record[14], record[15],
        ]));
        if offset + length > len {
            return Err(FontFileError::Truncated(len));
        }
    }
    Ok(())
}

/// Whether a file name is a font's (by its extension).
pub fn is_font_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    [".ttf", ".otf", ".ttc", ".otc"]
        .iter()
        .any(|e| lower.ends_with(e))
}

/// The most folders a search of font folders enters, and the most files it
/// looks at: a font folder, not the whole disk.
const MAX_FOLDERS: usize = 10_000;
const MAX_FILES: usize = 100_000;
const MAX_DEPTH: usize = 8;

/// The font files under `roots` (by name), each folder entered once
/// however many links lead to it, a few levels deep, in name order.
pub fn font_files_under(roots: &[PathBuf]) -> Vec<PathBuf> {
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    let mut queue: Vec<(PathBuf, usize)> = roots.iter().map(|d| (d.clone(), 0)).collect();
    let mut folders = 0;
    while let Some((dir, depth)) = queue.pop() {
        let Ok(real) = std::fs::canonicalize(&dir) else {
            continue;
        };
        if !seen.insert(real) {
            continue;
        }
        folders += 1;
        if folders > MAX_FOLDERS {
            break;
        }
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            if out.len() >= MAX_FILES {
                break;
            }
            let path = entry.path();
            // Follows links: a system's font folders are often links.
            let Ok(meta) = std::fs::metadata(&path) else {
                continue;
            };
            if meta.is_dir() {
                if depth < MAX_DEPTH {
                    queue.push((path, depth + 1));
                }
            } else if meta.is_file() && is_font_name(&path.to_string_lossy()) {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// A minimal face: a table directory of `tables` entries, each table
    /// `table_len` bytes after the directory.
    fn face(tables: u16, table_len: u32) -> Vec<u8> {
        let mut b = vec![0, 1, 0, 0];
        b.extend(tables.to_be_bytes());
        b.extend([0; 6]);
        let data_start = 12 + 16 * u32::from(tables);
        for t in 0..u32::from(tables) {
            b.extend(*b"abcd");
            b.extend([0; 4]);
            b.extend((data_start + t * table_len).to_be_bytes());
            b.extend(table_len.to_be_bytes());
        }
        b.resize((data_start + u32::from(tables) * table_len) as usize, 0);
        b
    }

    #[test]
    fn a_sound_face_and_collection_pass() {
        assert_eq!(check_bytes(&face(3, 8)), Ok(1));
        let one = face(2, 4);
        let mut ttc = b"ttcf\0\x01\0\0\0\0\0\x02".to_vec();
        ttc.extend(20u32.to_be_bytes());
        ttc.extend(20u32.to_be_bytes());
        ttc.extend(&one);
        assert_eq!(check_bytes(&ttc), Ok(2));
    }

    #[test]
    fn lying_headers_are_refused_without_reading_what_they_claim() {
        // 12 bytes claiming 4,294,967,295 faces.
        let bomb = b"ttcf\0\x01\0\0\xff\xff\xff\xff";
        assert_eq!(check_bytes(bomb), Err(FontFileError::Faces(u32::MAX)));
        // 200 faces claimed in a file that holds no offsets for them.
        let short = b"ttcf\0\x01\0\0\0\0\0\xc8";
        assert_eq!(check_bytes(short), Err(FontFileError::Truncated(12)));
        // A face whose table lies past the end.
        let mut cut = face(1, 100);
        cut.truncate(50);
        assert_eq!(check_bytes(&cut), Err(FontFileError::Truncated(50)));
        // 65,535 tables claimed.
        let mut many = face(1, 4);
        many[4] = 0xff;
        many[5] = 0xff;
        assert_eq!(check_bytes(&many), Err(FontFileError::Tables(u16::MAX)));
        // Not a font, and nothing at all.
        assert_eq!(check_bytes(b"<html></html>"), Err(FontFileError::NotAFont));
        assert_eq!(check_bytes(b""), Err(FontFileError::NotAFont));
        // A collection pointing at itself (a header, not a face).
        let mut selfref = b"ttcf\0\x01\0\0\0\0\0\x01".to_vec();
        selfref.extend(0u32.to_be_bytes());
        assert_eq!(check_bytes(&selfref), Err(FontFileError::NotAFont));
    }

    #[test]
    fn any_bytes_are_checked_without_panic() {
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        for len in 0..400 {
            let bytes: Vec<u8> = (0..len)
                .map(|_| {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    seed as u8
                })
                .collect();
            let _ = check_bytes(&bytes);
            let mut ttc = b"ttcf\0\x01\0\0".to_vec();
            ttc.extend(&bytes);
            let _ = check_bytes(&ttc);
        }
    }
}
