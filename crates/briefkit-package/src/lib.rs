//! What the zip-based formats (EPUB, DOCX) share, written once: escaping
//! text for XML, and re-packing the archive a library wrote so that the
//! same document always gives the same bytes (fixed timestamps, entries in
//! order, chosen parts rewritten).

use std::io::{Cursor, Read, Write};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipArchive, ZipWriter};

/// Escapes text for XML content and attribute values, leaving out the
/// characters XML cannot carry (see [`briefkit_model::characters`]:
/// composition has warned about each).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            c if !briefkit_model::characters::is_carried(c) => {}
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// `xml` without the characters XML cannot carry (for parts a library
/// wrote from text as it was given; composition has warned about each).
pub fn carried(mut xml: String) -> String {
    if !briefkit_model::characters::all_carried(&xml) {
        xml.retain(briefkit_model::characters::is_carried);
    }
    xml
}

/// What becomes of one entry of the archive being re-packed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Copied with its compressed bytes as they are (only the time stamp
    /// changes).
    Keep,
    /// Read, passed through the rewrite function and deflated.
    Rewrite,
    /// Left out.
    Drop,
}

/// Re-packs `raw`: first `first` (stored, uncompressed: an EPUB's
/// `mimetype` must be), then every entry of `raw` in its order as `plan`
/// says (given the entry's name and whether the library stored it
/// uncompressed), rewriting with `rewrite`, then `last` (deflated, but
/// for a file that is compressed already, such as a workbook, which is
/// stored). Every entry gets the same fixed time stamp.
pub fn repack(
    raw: &[u8],
    first: &[(&str, &[u8])],
    mut plan: impl FnMut(&str, bool) -> Action,
    mut rewrite: impl FnMut(&str, Vec<u8>) -> Vec<u8>,
    last: &[(&str, &[u8])],
) -> std::io::Result<Vec<u8>> {
    let err = std::io::Error::other;
    let mut archive = ZipArchive::new(Cursor::new(raw)).map_err(err)?;
    let mut out = ZipWriter::new(Cursor::new(Vec::with_capacity(raw.len() + 1024)));
    let stamp = DateTime::default();
    let stored = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Stored)
        .last_modified_time(stamp);
    let deflated = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(stamp);
    for (name, bytes) in first {
        out.start_file(*name, stored).map_err(err)?;
        out.write_all(bytes)?;
    }
    for i in 0..archive.len() {
        let (name, was_stored) = {
            let entry = archive.by_index_raw(i).map_err(err)?;
            (
                entry.name().to_string(),
                entry.compression() == CompressionMethod::Stored,
            )
        };
        match plan(&name, was_stored) {
            Action::Drop => {}
            Action::Keep => out
                .raw_copy_file_touch(archive.by_index_raw(i).map_err(err)?, stamp, None)
                .map_err(err)?,
            Action::Rewrite => {
                let mut bytes = Vec::new();
                archive.by_index(i).map_err(err)?.read_to_end(&mut bytes)?;
                let bytes = rewrite(&name, bytes);
                out.start_file(name.as_str(), deflated).map_err(err)?;
                out.write_all(&bytes)?;
            }
        }
    }
    for (name, bytes) in last {
        let options = if compressed_already(name) {
            stored
        } else {
            deflated
        };
        out.start_file(*name, options).map_err(err)?;
        out.write_all(bytes)?;
    }
    Ok(out.finish().map_err(err)?.into_inner())
}

/// Whether a file of this name is compressed already (deflating it again
/// costs time and saves nothing).
fn compressed_already(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    [".xlsx", ".zip", ".png", ".jpg", ".jpeg", ".woff2"]
        .iter()
        .any(|ext| lower.ends_with(ext))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn archive(entries: &[(&str, &[u8], CompressionMethod)], time: DateTime) -> Vec<u8> {
        let mut w = ZipWriter::new(Cursor::new(Vec::new()));
        for (name, bytes, method) in entries {
            let options = SimpleFileOptions::default()
                .compression_method(*method)
                .last_modified_time(time);
            w.start_file(*name, options).unwrap();
            w.write_all(bytes).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    /// Three entries, one stored, written at `time`.
    fn sample(time: DateTime) -> Vec<u8> {
        archive(
            &[
                ("a.xml", b"<a/>", CompressionMethod::Stored),
                ("b.bin", b"bbbbbbbbbbbbbbbb", CompressionMethod::Deflated),
                ("drop.me", b"x", CompressionMethod::Deflated),
            ],
            time,
        )
    }

    /// Re-packs with an EPUB-like plan: mimetype first, stored entries
    /// rewritten, one dropped, one added last.
    fn repacked(raw: &[u8]) -> Vec<u8> {
        repack(
            raw,
            &[("mimetype", b"application/epub+zip")],
            |name, stored| match name {
                "drop.me" => Action::Drop,
                _ if stored => Action::Rewrite,
                _ => Action::Keep,
            },
            |_, bytes| [bytes, b"<!-- mended -->".to_vec()].concat(),
            &[("z.xml", b"<z/>"), ("data.xlsx", b"PK already")],
        )
        .unwrap()
    }

    #[test]
    fn repacking_orders_rewrites_and_fixes_time_stamps() {
        let out = repacked(&sample(
            DateTime::from_date_and_time(2024, 5, 6, 7, 8, 10).unwrap(),
        ));
        let mut zip = ZipArchive::new(Cursor::new(&out)).unwrap();
        let names: Vec<String> = (0..zip.len())
            .map(|i| zip.by_index(i).unwrap().name().to_string())
            .collect();
        assert_eq!(names, ["mimetype", "a.xml", "b.bin", "z.xml", "data.xlsx"]);
        // The mimetype and a workbook (compressed already) are stored.
        let method = |zip: &mut ZipArchive<_>, i| zip.by_index(i).unwrap().compression();
        assert_eq!(method(&mut zip, 0), CompressionMethod::Stored);
        assert_eq!(method(&mut zip, 3), CompressionMethod::Deflated);
        assert_eq!(method(&mut zip, 4), CompressionMethod::Stored);
        let mut a = String::new();
        zip.by_index(1).unwrap().read_to_string(&mut a).unwrap();
        assert_eq!(a, "<a/><!-- mended -->");
        for i in 0..zip.len() {
            assert_eq!(
                zip.by_index(i).unwrap().last_modified(),
                Some(DateTime::default())
            );
        }
        // The same input gives the same bytes, whatever its time stamps.
        let later = repacked(&sample(
            DateTime::from_date_and_time(2030, 1, 1, 0, 0, 0).unwrap(),
        ));
        assert_eq!(out, later);
    }

    #[test]
    fn escaping_covers_markup_and_quotes() {
        assert_eq!(
            escape("a < b & \"c\" 'd' >"),
            "a &lt; b &amp; &quot;c&quot; &#39;d&#39; &gt;"
        );
    }
}
