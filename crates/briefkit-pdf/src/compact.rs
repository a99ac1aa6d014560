//! Writes the finished document compactly (ISO 32000-1, 7.5.7 and 7.5.8):
//! every object that is not a stream — the structure elements, the link
//! annotations, the fonts' dictionaries, most of a tagged PDF — goes into
//! deflated object streams, and a cross-reference stream replaces the
//! table. lopdf can write both too, but one stream at a time: here the
//! object streams are built and deflated in parallel, and the streams
//! already deflated are copied as they are. PDF/A-2 and -3 allow both.

use lopdf::{Dictionary, Document, Object, ObjectId, StringFormat};
use rayon::prelude::*;
use std::io::Write as _;

/// Objects an object stream holds: enough that its deflate finds the
/// repetition of the structure elements' dictionaries.
const PER_STREAM: usize = 400;

/// The deflate level of the object streams: their text is so repetitive
/// that a fast level keeps nearly all of the gain.
const LEVEL: u32 = 3;

/// An object of the document, by number.
type Entry<'a> = (&'a ObjectId, &'a Object);

/// Objects written out already, each exactly as [`save`] writes it: the
/// structure elements and link annotations of a long document kept as
/// their bytes (tens of bytes each) from the moment they are complete,
/// instead of as lopdf dictionaries (hundreds of bytes each: every value
/// of an array or dictionary is an `Object` as large as a stream's).
/// Numbers of generation 0, none also in the document.
#[derive(Debug, Default)]
pub struct Written {
    bytes: Vec<u8>,
    /// Each object's number and where its bytes end, in the order pushed.
    ends: Vec<(u32, usize)>,
}

impl Written {
    /// Writes `object` out as object `id` (of generation 0).
    pub fn push(&mut self, id: ObjectId, object: &Object) {
        debug_assert_eq!(id.1, 0, "written objects are of generation 0");
        write_object(&mut self.bytes, object);
        self.ends.push((id.0, self.bytes.len()));
    }

    /// Writes out, as object `id`, the dictionary `<</key [items]>>`, its
    /// array's items made one at a time (a parent tree of millions).
    pub fn push_array_dictionary(
        &mut self,
        id: ObjectId,
        key: &[u8],
        items: impl IntoIterator<Item = Object>,
    ) {
        debug_assert_eq!(id.1, 0, "written objects are of generation 0");
        let out = &mut self.bytes;
        out.extend_from_slice(b"<<");
        write_name(out, key);
        out.push(b'[');
        for (i, item) in items.into_iter().enumerate() {
            if i > 0 && needs_space(&item) {
                out.push(b' ');
            }
            write_object(out, &item);
        }
        out.extend_from_slice(b"]>>");
        self.ends.push((id.0, self.bytes.len()));
    }

    /// The objects' numbers and bytes, by number.
    fn by_number(&self) -> Vec<(u32, &[u8])> {
        let mut start = 0;
        let mut all: Vec<(u32, &[u8])> = self
            .ends
            .iter()
            .map(|&(number, end)| {
                let bytes = &self.bytes[start..end];
                start = end;
                (number, bytes)
            })
            .collect();
        if !all.is_sorted_by_key(|(number, _)| *number) {
            all.sort_by_key(|(number, _)| *number);
        }
        all
    }
}

/// An object to pack: one of the document's, or one written already.
enum Packed<'a> {
    Object(&'a Object),
    Written(&'a [u8]),
}

/// The bytes of `doc` (and of the objects `written` holds) as PDF
/// `doc.version`, with object streams and a cross-reference stream. The
/// trailer's `/Root`, `/Info` and `/ID` go in the cross-reference
/// stream's dictionary.
pub fn save(doc: &Document, written: Written) -> Vec<u8> {
    let encrypt = doc
        .trailer
        .get(b"Encrypt")
        .and_then(Object::as_reference)
        .ok();
    let (in_document, direct): (Vec<Entry<'_>>, Vec<Entry<'_>>) =
        doc.objects.iter().partition(|(id, object)| {
            id.1 == 0 && !matches!(object, Object::Stream(_)) && Some(**id) != encrypt
        });
    // The document's objects and the written ones, merged by number: the
    // same streams as if all were the document's.
    let by_number = written.by_number();
    let mut packed: Vec<(u32, Packed<'_>)> =
        Vec::with_capacity(in_document.len() + by_number.len());
    let mut from_document = in_document.into_iter().peekable();
    let mut from_written = by_number.into_iter().peekable();
    loop {
        let take_written = match (from_document.peek(), from_written.peek()) {
            (Some((id, _)), Some((number, _))) => *number < id.0,
            (None, Some(_)) => true,
            (Some(_), None) => false,
            (None, None) => break,
        };
        if take_written {
            if let Some((number, bytes)) = from_written.next() {
                packed.push((number, Packed::Written(bytes)));
            }
        } else if let Some((id, object)) = from_document.next() {
            packed.push((id.0, Packed::Object(object)));
        }
    }
    // The object streams, built side by side: each its objects' numbers
    // and offsets, then the objects.
    let streams: Vec<(Vec<u32>, Vec<u8>, usize)> = packed
        .par_chunks(PER_STREAM)
        .map(|chunk| {
            let mut body = Vec::with_capacity(chunk.len() * 64);
            let mut offsets = Vec::with_capacity(chunk.len() * 12);
            for (number, object) in chunk {
                write!(offsets, "{number} {} ", body.len()).ok();
                match object {
                    Packed::Object(object) => write_object(&mut body, object),
                    Packed::Written(bytes) => body.extend_from_slice(bytes),
                }
                body.push(b'\n');
            }
            let first = offsets.len();
            offsets.extend_from_slice(&body);
            let numbers = chunk.iter().map(|(number, _)| *number).collect();
            (numbers, deflate(&offsets), first)
        })
        .collect();
    // The written objects are in the streams now: their bytes go before
    // the file is put together (a long document's are a hundred MB).
    let max_packed = packed.iter().map(|(number, _)| *number).max().unwrap_or(0);
    drop(packed);
    drop(written);
    let mut out = Vec::with_capacity(
        streams.iter().map(|s| s.1.len()).sum::<usize>()
            + direct
                .iter()
                .map(|(_, o)| match o {
                    Object::Stream(s) => s.content.len() + 256,
                    _ => 256,
                })
                .sum::<usize>()
            + 4096,
    );
    // The header, and the comment of four bytes above 127 that marks the
    // file as binary (PDF/A asks for it).
    writeln!(out, "%PDF-{}", doc.version).ok();
    out.extend_from_slice(b"%\xE2\xE3\xCF\xD3\n");
    let max_id = doc
        .max_id
        .max(doc.objects.keys().map(|id| id.0).max().unwrap_or(0))
        .max(max_packed);
    // Entries by object number: (type, field 2, field 3).
    let size = max_id as usize + 1 + streams.len() + 1;
    let mut entries: Vec<(u8, u64, u16)> = vec![(0, 0, 0); size];
    entries[0] = (0, 0, 65535);
    for (id, object) in &direct {
        entries[id.0 as usize] = (1, out.len() as u64, id.1);
        writeln!(out, "{} {} obj", id.0, id.1).ok();
        write_object(&mut out, object);
        out.extend_from_slice(b"\nendobj\n");
    }
    for (k, (numbers, content, first)) in streams.iter().enumerate() {
        let number = max_id + 1 + k as u32;
        for (index, n) in numbers.iter().enumerate() {
            entries[*n as usize] = (2, u64::from(number), index as u16);
        }
        entries[number as usize] = (1, out.len() as u64, 0);
        write!(
            out,
            "{number} 0 obj\n<</Type/ObjStm/N {}/First {first}/Filter/FlateDecode/Length {}>>stream\n",
            numbers.len(),
            content.len()
        )
        .ok();
        out.extend_from_slice(content);
        out.extend_from_slice(b"\nendstream\nendobj\n");
    }
    // The cross-reference stream, its own entry included.
    let xref_number = size - 1;
    let xref_at = out.len() as u64;
    entries[xref_number] = (1, xref_at, 0);
    // The second field as wide as the largest offset needs (4 bytes up
    // to 4 GiB, more beyond).
    let width = offset_width(entries.iter().map(|e| e.1).max().unwrap_or(0));
    let mut table = Vec::with_capacity(size * (3 + width));
    for (kind, field, third) in &entries {
        table.push(*kind);
        table.extend_from_slice(&field.to_be_bytes()[8 - width..]);
        table.extend_from_slice(&third.to_be_bytes());
    }
    let table = deflate(&table);
    let mut dict = Dictionary::new();
    dict.set("Type", Object::Name(b"XRef".to_vec()));
    dict.set("Size", Object::Integer(size as i64));
    dict.set(
        "W",
        Object::Array(vec![
            Object::Integer(1),
            Object::Integer(width as i64),
            Object::Integer(2),
        ]),
    );
    for key in [&b"Root"[..], b"Info", b"ID", b"Encrypt"] {
        if let Ok(value) = doc.trailer.get(key) {
            dict.set(key.to_vec(), value.clone());
        }
    }
    dict.set("Filter", Object::Name(b"FlateDecode".to_vec()));
    dict.set("Length", Object::Integer(table.len() as i64));
    writeln!(out, "{xref_number} 0 obj").ok();
    write_dictionary(&mut out, &dict);
    out.extend_from_slice(b"stream\n");
    out.extend_from_slice(&table);
    write!(out, "\nendstream\nendobj\nstartxref\n{xref_at}\n%%EOF\n").ok();
    out
}

/// Bytes of a cross-reference entry's second field for offsets up to
/// `max`: at least 4.
fn offset_width(max: u64) -> usize {
    (8 - (max.leading_zeros() / 8) as usize).max(4)
}

fn deflate(bytes: &[u8]) -> Vec<u8> {
    crate::deflate(bytes, flate2::Compression::new(LEVEL)).unwrap_or_default()
}

/// Whether `object` must be set apart from what precedes it.
fn needs_space(object: &Object) -> bool {
    matches!(
        object,
        Object::Null
            | Object::Boolean(_)
            | Object::Integer(_)
            | Object::Real(_)
            | Object::Reference(_)
    )
}

fn write_object(out: &mut Vec<u8>, object: &Object) {
    match object {
        Object::Null => out.extend_from_slice(b"null"),
        Object::Boolean(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
        Object::Integer(i) => {
            write!(out, "{i}").ok();
        }
        Object::Real(r) => {
            write!(out, "{r}").ok();
        }
        Object::Name(name) => write_name(out, name),
        Object::String(text, StringFormat::Literal) => {
            out.push(b'(');
            for &b in text {
                match b {
                    b'(' | b')' | b'\\' => {
                        out.push(b'\\');
                        out.push(b);
                    }
                    b'\r' => out.extend_from_slice(b"\\r"),
                    _ => out.push(b),
                }
            }
            out.push(b')');
        }
        Object::String(text, StringFormat::Hexadecimal) => {
            out.push(b'<');
            for b in text {
                write!(out, "{b:02X}").ok();
            }
            out.push(b'>');
        }
        Object::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 && needs_space(item) {
                    out.push(b' ');
                }
                write_object(out, item);
            }
            out.push(b']');
        }
        Object::Dictionary(dict) => write_dictionary(out, dict),
        Object::Stream(stream) => {
            let mut dict = stream.dict.clone();
            dict.set("Length", Object::Integer(stream.content.len() as i64));
            write_dictionary(out, &dict);
            out.extend_from_slice(b"stream\n");
            out.extend_from_slice(&stream.content);
            out.extend_from_slice(b"\nendstream");
        }
        Object::Reference(id) => {
            write!(out, "{} {} R", id.0, id.1).ok();
        }
    }
}

fn write_name(out: &mut Vec<u8>, name: &[u8]) {
    out.push(b'/');
    for &b in name {
        if b" \t\n\r\x0C()<>[]{}/%#".contains(&b) || !(33..=126).contains(&b) {
            write!(out, "#{b:02X}").ok();
        } else {
            out.push(b);
        }
    }
}

fn write_dictionary(out: &mut Vec<u8>, dict: &Dictionary) {
    out.extend_from_slice(b"<<");
    for (key, value) in dict {
        write_name(out, key);
        if needs_space(value) {
            out.push(b' ');
        }
        write_object(out, value);
    }
    out.extend_from_slice(b">>");
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use lopdf::{dictionary, Stream};

    /// A document of `n` small dictionaries, a stream and a catalog.
    fn document(n: u32) -> Document {
        let mut doc = Document::with_version("1.7");
        let stream = doc.add_object(Stream::new(dictionary! {}, b"BT ET".to_vec()));
        let mut kids = Vec::new();
        for i in 0..n {
            kids.push(Object::Reference(doc.add_object(dictionary! {
                "S" => "P",
                "Alt" => Object::String(format!("(a) \\ {i}\r").into_bytes(), StringFormat::Literal),
                "Hex" => Object::String(vec![0xFE, 0xFF, 0, 65], StringFormat::Hexadecimal),
                "N" => Object::Real(1.25),
                "Name" => Object::Name(b"with space#".to_vec()),
                "K" => vec![Object::Integer(i as i64), Object::Null, Object::Boolean(true)],
            })));
        }
        let catalog = doc.add_object(dictionary! {
            "Type" => "Catalog",
            "Kids" => kids,
            "Content" => stream,
        });
        doc.trailer.set("Root", catalog);
        doc
    }

    #[test]
    fn offsets_past_4_gib_get_wider_entries() {
        assert_eq!(offset_width(0), 4);
        assert_eq!(offset_width(u64::from(u32::MAX)), 4);
        assert_eq!(offset_width(u64::from(u32::MAX) + 1), 5);
        assert_eq!(offset_width(u64::MAX), 8);
    }

    #[test]
    fn every_object_reads_back_the_same_through_object_streams() {
        // Three object streams' worth, so entries point into several.
        let doc = document(1000);
        let bytes = save(&doc, Written::default());
        assert!(bytes.starts_with(b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n"));
        assert!(bytes.ends_with(b"%%EOF\n"));
        let back = Document::load_mem(&bytes).unwrap();
        for (id, object) in &doc.objects {
            let read = back.get_object(*id).unwrap();
            match (object, read) {
                (Object::Stream(a), Object::Stream(b)) => assert_eq!(a.content, b.content),
                _ => assert_eq!(object, read, "{id:?}"),
            }
        }
        assert!(back.catalog().is_ok());
        // Same document, same bytes.
        assert_eq!(bytes, save(&document(1000), Written::default()));
    }

    #[test]
    fn objects_written_out_early_give_the_same_bytes() {
        // Every third dictionary taken out of the document and written
        // early (pushed out of order, as no caller does but may): the file
        // is byte for byte the one of the whole document.
        let whole = document(1000);
        let mut doc = document(1000);
        let mut written = Written::default();
        let early: Vec<ObjectId> = doc
            .objects
            .iter()
            .filter(|(id, o)| id.0 % 3 == 0 && o.as_dict().is_ok_and(|d| d.has(b"S")))
            .map(|(id, _)| *id)
            .rev()
            .collect();
        assert!(early.len() > 300);
        for id in early {
            let object = doc.objects.remove(&id).unwrap();
            written.push(id, &object);
        }
        assert_eq!(save(&doc, written), save(&whole, Written::default()));
    }

    #[test]
    fn a_dictionary_written_item_by_item_is_the_dictionary_written_whole() {
        let items = vec![
            Object::Integer(0),
            Object::Array(vec![Object::Reference((7, 0)), Object::Null]),
            Object::Integer(1),
            Object::Reference((8, 0)),
            Object::Real(1.5),
            Object::Name(b"N".to_vec()),
        ];
        let mut whole = Written::default();
        whole.push(
            (3, 0),
            &Object::Dictionary(Dictionary::from_iter([(
                "Nums",
                Object::Array(items.clone()),
            )])),
        );
        let mut streamed = Written::default();
        streamed.push_array_dictionary((3, 0), b"Nums", items);
        assert_eq!(whole.bytes, streamed.bytes);
        assert_eq!(whole.ends, streamed.ends);
    }
}
