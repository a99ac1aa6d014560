//! Archival PDF (PDF/A-2, ISO 19005-2): what the lopdf pass adds so a
//! validator and an archive accept the file — PDF 1.7, an XMP metadata
//! stream that says what the Info dictionary says, an sRGB output intent
//! (the colours are DeviceRGB), annotations that print, and the catalog
//! entries a reader needs to show the title.

use briefkit_model::Document;
use briefkit_package::escape;
use lopdf::{Dictionary, Object, Stream};

/// The sRGB profile every PDF embeds as its output intent (zlib licence;
/// see `assets/README.md`).
const SRGB_ICC: &[u8] = include_bytes!("../../../assets/icc/sRGB.icc");

/// The standards a PDF claims, written into its XMP metadata.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Claims {
    /// PDF/A part and conformance level (`(2, 'B')` for PDF/A-2b).
    pub pdfa: Option<(u8, char)>,
    /// PDF/UA-1.
    pub ua1: bool,
}

/// Makes the document archival: version, XMP, output intent, Info,
/// annotation flags, viewer preferences.
pub fn make_archival(lo: &mut lopdf::Document, doc: &Document, claims: Claims) {
    lo.version = "1.7".into();
    let meta = &doc.metadata;
    let info = Info::of(doc);
    let xmp = xmp(&info, claims);
    let mut metadata = Stream::new(
        Dictionary::from_iter([
            ("Type", Object::Name(b"Metadata".to_vec())),
            ("Subtype", Object::Name(b"XML".to_vec())),
        ]),
        xmp.into_bytes(),
    );
    // PDF/A wants the XMP readable without a filter.
    metadata.allows_compression = false;
    let metadata = lo.add_object(metadata);
    let profile = lo.add_object(Stream::new(
        Dictionary::from_iter([("N", Object::Integer(3))]),
        SRGB_ICC.to_vec(),
    ));
    let intent = Dictionary::from_iter([
        ("Type", Object::Name(b"OutputIntent".to_vec())),
        ("S", Object::Name(b"GTS_PDFA1".to_vec())),
        (
            "OutputConditionIdentifier",
            Object::string_literal("sRGB IEC61966-2.1"),
        ),
        ("Info", Object::string_literal("sRGB IEC61966-2.1")),
        ("DestOutputProfile", Object::Reference(profile)),
    ]);
    if let Ok(root) = lo.trailer.get(b"Root").and_then(Object::as_reference) {
        if let Ok(Object::Dictionary(catalog)) = lo.get_object_mut(root) {
            catalog.set("Metadata", Object::Reference(metadata));
            catalog.set(
                "OutputIntents",
                Object::Array(vec![Object::Dictionary(intent)]),
            );
            catalog.set(
                "ViewerPreferences",
                Dictionary::from_iter([("DisplayDocTitle", Object::Boolean(true))]),
            );
            catalog.set("Lang", Object::string_literal(meta.language.clone()));
        }
    }
    // The Info dictionary says exactly what the XMP says.
    let info_dict = info.dictionary();
    match lo.trailer.get(b"Info").and_then(Object::as_reference) {
        Ok(id) => {
            if let Ok(object) = lo.get_object_mut(id) {
                *object = Object::Dictionary(info_dict);
            }
        }
        Err(_) => {
            let id = lo.add_object(info_dict);
            lo.trailer.set("Info", Object::Reference(id));
        }
    }
    // (Annotations print, as PDF/A asks: `tagging` writes each with /F 4.)
}

/// Embeds `attachments` as associated files of the document (ISO 32000-2
/// §14.13, PDF/A-3): each an embedded file stream with its media type and
/// `/Params` (size, date, MD5 checksum), in a file specification with its
/// name, description and `/AFRelationship /Data`, listed in the catalog's
/// `/AF` and in its `/EmbeddedFiles` name tree (what a viewer's
/// attachments pane shows), by name.
pub fn attach(
    lo: &mut lopdf::Document,
    doc: &Document,
    attachments: &[briefkit_model::Attachment],
) {
    use md5::Digest;
    if attachments.is_empty() {
        return;
    }
    let date = Info::of(doc).pdf_date;
    let mut specs: Vec<(String, lopdf::ObjectId)> = Vec::new();
    for a in attachments {
        let params = Dictionary::from_iter([
            ("Size", Object::Integer(a.bytes.len() as i64)),
            ("ModDate", Object::string_literal(date.clone())),
            (
                "CheckSum",
                Object::String(
                    md5::Md5::digest(&a.bytes).to_vec(),
                    lopdf::StringFormat::Hexadecimal,
                ),
            ),
        ]);
        let stream = Stream::new(
            Dictionary::from_iter([
                ("Type", Object::Name(b"EmbeddedFile".to_vec())),
                ("Subtype", Object::Name(a.mime.as_bytes().to_vec())),
                ("Params", Object::Dictionary(params)),
            ]),
            a.bytes.clone(),
        );
        let file = lo.add_object(stream);
        let spec = lo.add_object(Dictionary::from_iter([
            ("Type", Object::Name(b"Filespec".to_vec())),
            ("F", Object::string_literal(a.name.clone())),
            ("UF", text_string(&a.name)),
            (
                "EF",
                Object::Dictionary(Dictionary::from_iter([
                    ("F", Object::Reference(file)),
                    ("UF", Object::Reference(file)),
                ])),
            ),
            // In the brief's language: a text string (UTF-16 where ASCII
            // will not do).
            ("Desc", text_string(&a.description)),
            ("AFRelationship", Object::Name(b"Data".to_vec())),
        ]));
        specs.push((a.name.clone(), spec));
    }
    let mut by_name = specs.clone();
    by_name.sort_by(|a, b| a.0.cmp(&b.0));
    let names: Vec<Object> = by_name
        .iter()
        .flat_map(|(name, spec)| {
            [
                Object::string_literal(name.clone()),
                Object::Reference(*spec),
            ]
        })
        .collect();
    let Ok(root) = lo.trailer.get(b"Root").and_then(Object::as_reference) else {
        return;
    };
    if let Ok(Object::Dictionary(catalog)) = lo.get_object_mut(root) {
        catalog.set(
            "AF",
            Object::Array(specs.iter().map(|(_, s)| Object::Reference(*s)).collect()),
        );
        let tree = Dictionary::from_iter([("Names", Object::Array(names))]);
        let mut catalog_names = match catalog.get(b"Names") {
            Ok(Object::Dictionary(d)) => d.clone(),
            _ => Dictionary::new(),
        };
        catalog_names.set("EmbeddedFiles", Object::Dictionary(tree));
        catalog.set("Names", Object::Dictionary(catalog_names));
    }
}

/// Changes every Flate stream whose bytes end in a carriage return:
/// followed by the line feed before `endstream`, a reader takes the pair
/// for the end-of-line marker and counts the stream one byte short of its
/// /Length (PDF/A validators fail such a file). A zlib stream ends with the
/// Adler-32 of its data, so compressing again does not help: a content
/// stream gets a line feed more (harmless between operators), any other
/// stream is stored unfiltered. Deterministic, so rebuilds stay identical.
pub fn no_stream_ends_in_cr(lo: &mut lopdf::Document) {
    use flate2::read::ZlibDecoder;
    use std::io::Read;
    let deflate = |data: &[u8]| crate::deflate(data, flate2::Compression::default());
    for object in lo.objects.values_mut() {
        let Object::Stream(stream) = object else {
            continue;
        };
        let flate = stream.dict.get(b"Filter").and_then(Object::as_name).ok()
            == Some(b"FlateDecode".as_slice());
        if stream.content.last() != Some(&b'\r') || !flate {
            continue;
        }
        let mut plain = Vec::new();
        if ZlibDecoder::new(stream.content.as_slice())
            .read_to_end(&mut plain)
            .is_err()
        {
            continue;
        }
        let content_stream = [b"Type".as_slice(), b"Subtype", b"Length1", b"N"]
            .iter()
            .all(|k| stream.dict.get(k).is_err());
        if content_stream {
            // One line feed more, or two if that ends in a CR too, ...
            let packed = (1..=4).find_map(|n| {
                let mut data = plain.clone();
                data.extend(std::iter::repeat_n(b'\n', n));
                deflate(&data).filter(|p| p.last() != Some(&b'\r'))
            });
            if let Some(packed) = packed {
                stream.set_content(packed);
            }
        } else if plain.last() != Some(&b'\r') {
            stream.dict.remove(b"Filter");
            stream.dict.remove(b"DecodeParms");
            stream.set_content(plain);
        }
    }
}

/// What the Info dictionary and the XMP both say.
struct Info {
    title: String,
    author: String,
    subject: String,
    keywords: String,
    language: String,
    identifier: String,
    /// `D:YYYYMMDDHHmmSS+00'00'`.
    pdf_date: String,
    /// `YYYY-MM-DDTHH:mm:SS+00:00`.
    xmp_date: String,
}

const CREATOR: &str = "briefkit";
const PRODUCER: &str = "briefkit (printpdf)";

impl Info {
    fn of(doc: &Document) -> Info {
        let meta = &doc.metadata;
        let d = meta.date;
        Info {
            title: meta.title.clone(),
            author: if meta.authors.is_empty() {
                meta.organization.clone().unwrap_or_default()
            } else {
                meta.authors.join("; ")
            },
            subject: meta.summary.clone().unwrap_or_default(),
            keywords: meta.keywords.join(", "),
            language: meta.language.clone(),
            identifier: meta.identifier.clone(),
            pdf_date: format!("D:{:04}{:02}{:02}000000+00'00'", d.year, d.month, d.day),
            xmp_date: format!("{:04}-{:02}-{:02}T00:00:00+00:00", d.year, d.month, d.day),
        }
    }

    fn dictionary(&self) -> Dictionary {
        let mut d = Dictionary::new();
        d.set("Title", text_string(&self.title));
        if !self.author.is_empty() {
            d.set("Author", text_string(&self.author));
        }
        if !self.subject.is_empty() {
            d.set("Subject", text_string(&self.subject));
        }
        if !self.keywords.is_empty() {
            d.set("Keywords", text_string(&self.keywords));
        }
        d.set("Creator", text_string(CREATOR));
        d.set("Producer", text_string(PRODUCER));
        d.set(
            "CreationDate",
            Object::string_literal(self.pdf_date.clone()),
        );
        d.set("ModDate", Object::string_literal(self.pdf_date.clone()));
        d
    }
}

/// A PDF text string: PDFDocEncoding where ASCII does, else UTF-16BE with
/// its byte-order mark.
pub(crate) fn text_string(text: &str) -> Object {
    if text.is_ascii() {
        Object::string_literal(text)
    } else {
        let mut bytes = vec![0xFE, 0xFF];
        bytes.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
        Object::String(bytes, lopdf::StringFormat::Hexadecimal)
    }
}

/// The XMP packet: Dublin Core, PDF and XMP basics, the PDF/A and PDF/UA
/// identification, and the extension schema PDF/A requires for pdfuaid.
fn xmp(info: &Info, claims: Claims) -> String {
    let mut x = String::from(
        "<?xpacket begin=\"\u{feff}\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n\
         <x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n\
         <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n\
         <rdf:Description rdf:about=\"\"\n \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n \
         xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\"\n \
         xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\"",
    );
    if claims.pdfa.is_some() {
        x.push_str("\n xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\"");
    }
    if claims.ua1 {
        x.push_str(
            "\n xmlns:pdfuaid=\"http://www.aiim.org/pdfua/ns/id/\"\
             \n xmlns:pdfaExtension=\"http://www.aiim.org/pdfa/ns/extension/\"\
             \n xmlns:pdfaSchema=\"http://www.aiim.org/pdfa/ns/schema#\"\
             \n xmlns:pdfaProperty=\"http://www.aiim.org/pdfa/ns/property#\"",
        );
    }
    x.push_str(">\n<dc:format>application/pdf</dc:format>\n");
    let alt = |value: &str| {
        format!(
            "<rdf:Alt><rdf:li xml:lang=\"x-default\">{}</rdf:li></rdf:Alt>",
            escape(value)
        )
    };
    x.push_str(&format!("<dc:title>{}</dc:title>\n", alt(&info.title)));
    if !info.author.is_empty() {
        x.push_str(&format!(
            "<dc:creator><rdf:Seq><rdf:li>{}</rdf:li></rdf:Seq></dc:creator>\n",
            escape(&info.author)
        ));
    }
    if !info.subject.is_empty() {
        x.push_str(&format!(
            "<dc:description>{}</dc:description>\n",
            alt(&info.subject)
        ));
    }
    x.push_str(&format!(
        "<dc:language><rdf:Bag><rdf:li>{}</rdf:li></rdf:Bag></dc:language>\n",
        escape(&info.language)
    ));
    if !info.identifier.is_empty() {
        x.push_str(&format!(
            "<dc:identifier>{}</dc:identifier>\n",
            escape(&info.identifier)
        ));
    }
    if !info.keywords.is_empty() {
        x.push_str(&format!(
            "<pdf:Keywords>{}</pdf:Keywords>\n",
            escape(&info.keywords)
        ));
    }
    x.push_str(&format!(
        "<pdf:Producer>{PRODUCER}</pdf:Producer>\n\
         <xmp:CreatorTool>{CREATOR}</xmp:CreatorTool>\n\
         <xmp:CreateDate>{d}</xmp:CreateDate>\n\
         <xmp:ModifyDate>{d}</xmp:ModifyDate>\n\
         <xmp:MetadataDate>{d}</xmp:MetadataDate>\n",
        d = info.xmp_date
    ));
    if let Some((part, level)) = claims.pdfa {
        x.push_str(&format!(
            "<pdfaid:part>{part}</pdfaid:part>\n<pdfaid:conformance>{level}</pdfaid:conformance>\n"
        ));
    }
    if claims.ua1 {
        x.push_str(
            "<pdfuaid:part>1</pdfuaid:part>\n\
             <pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType=\"Resource\">\n\
             <pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>\n\
             <pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>\n\
             <pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>\n\
             <pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType=\"Resource\">\n\
             <pdfaProperty:name>part</pdfaProperty:name>\n\
             <pdfaProperty:valueType>Integer</pdfaProperty:valueType>\n\
             <pdfaProperty:category>internal</pdfaProperty:category>\n\
             <pdfaProperty:description>Indicates, which part of ISO 14289 standard is followed</pdfaProperty:description>\n\
             </rdf:li></rdf:Seq></pdfaSchema:property>\n\
             </rdf:li></rdf:Bag></pdfaExtension:schemas>\n",
        );
    }
    x.push_str("</rdf:Description>\n</rdf:RDF>\n</x:xmpmeta>\n<?xpacket end=\"w\"?>");
    x
}

#[cfg(test)]
mod tests {
    use super::*;
    use sha2::{Digest, Sha256};

    #[test]
    fn the_embedded_profile_is_the_documented_one() {
        let hash: String = Sha256::digest(SRGB_ICC)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(
            hash,
            "2a92d4bae450b76d8b0aa42193df974d75f62738ecebf74f01c5e75b12a95796"
        );
        // An ICC profile of an RGB display device, version 2.
        assert_eq!(&SRGB_ICC[36..40], b"acsp");
        assert_eq!(&SRGB_ICC[16..20], b"RGB ");
        assert_eq!(SRGB_ICC[8], 2);
    }

    #[test]
    fn text_strings_are_ascii_or_utf16() {
        assert_eq!(text_string("IOM"), Object::string_literal("IOM"));
        assert_eq!(
            text_string("Mexico’s"),
            Object::String(
                vec![
                    0xFE, 0xFF, 0, b'M', 0, b'e', 0, b'x', 0, b'i', 0, b'c', 0, b'o', 0x20, 0x19,
                    0, b's'
                ],
                lopdf::StringFormat::Hexadecimal
            )
        );
    }
}
