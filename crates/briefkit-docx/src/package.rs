//! Finishing the package: core properties (which docx-rs cannot set),
//! relationships in a stable order, and a re-packed zip with fixed
//! timestamps, so the same document always gives the same bytes.

use briefkit_model::Document;
use briefkit_package::{escape as esc, Action};
use docx_rs::XMLDocx;
use std::io::Cursor;

/// The core properties part with title, creator, subject, keywords,
/// language and dates from the document.
pub fn core_xml(doc: &Document) -> String {
    let m = &doc.metadata;
    let creator = if m.authors.is_empty() {
        m.organization.clone().unwrap_or_default()
    } else {
        m.authors.join("; ")
    };
    let stamp = format!("{}T00:00:00Z", m.date.iso());
    format!(
        concat!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n",
            "<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" ",
            "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" ",
            "xmlns:dcmitype=\"http://purl.org/dc/dcmitype/\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">",
            "<dc:title>{title}</dc:title><dc:subject>{subject}</dc:subject><dc:creator>{creator}</dc:creator>",
            "<cp:keywords>{keywords}</cp:keywords><dc:description>{description}</dc:description>",
            "<dc:language>{lang}</dc:language><cp:lastModifiedBy>{creator}</cp:lastModifiedBy><cp:revision>1</cp:revision>",
            "<dcterms:created xsi:type=\"dcterms:W3CDTF\">{stamp}</dcterms:created>",
            "<dcterms:modified xsi:type=\"dcterms:W3CDTF\">{stamp}</dcterms:modified>",
            "</cp:coreProperties>"
        ),
        title = esc(&m.title),
        subject = esc(m.subtitle.as_deref().unwrap_or("")),
        creator = esc(&creator),
        keywords = esc(&m.keywords.join(", ")),
        description = esc(m.summary.as_deref().unwrap_or("")),
        lang = esc(&m.language),
        stamp = stamp,
    )
}

/// Sorts `<Relationship …/>` elements by their Id (docx-rs emits hyperlink
/// relationships in HashMap order).
fn sort_relationships(xml: &str) -> String {
    let Some(start) = xml.find("<Relationship ") else {
        return xml.to_string();
    };
    let Some(end_tag) = xml.rfind("</Relationships>") else {
        return xml.to_string();
    };
    let mut rels: Vec<String> = xml[start..end_tag]
        .split("/>")
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| format!("{s}/>"))
        .collect();
    let key = |r: &String| {
        let id = r
            .split("Id=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .unwrap_or("")
            .to_string();
        let digits: String = id.chars().filter(char::is_ascii_digit).collect();
        (
            id.trim_end_matches(|c: char| c.is_ascii_digit())
                .to_string(),
            digits.parse::<u64>().unwrap_or(0),
            id,
        )
    };
    rels.sort_by_key(key);
    format!("{}{}{}", &xml[..start], rels.concat(), &xml[end_tag..])
}

/// Gives every drawing its own id, a name and its alternative text
/// (`wp:docPr descr`), in document order.
fn describe_pictures(document: &str, alts: &[String]) -> String {
    let mut out = String::with_capacity(document.len());
    let mut rest = document;
    let mut n = 0;
    while let Some(i) = rest.find("<wp:docPr ") {
        out.push_str(&rest[..i]);
        let end = rest[i..].find("/>").map_or(rest.len(), |e| i + e + 2);
        let alt = alts.get(n).map_or("", String::as_str);
        let kind = if rest[i..end].contains("name=\"Chart ") {
            "Chart"
        } else {
            "Picture"
        };
        n += 1;
        out.push_str(&format!(
            "<wp:docPr id=\"{n}\" name=\"{kind} {n}\" descr=\"{}\"/>",
            esc(alt)
        ));
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// Gives the first row of every data table (`StatisticsTable` style) the
/// `w:tblHeader` property, so Word and LibreOffice repeat it on each page.
fn repeat_header_rows(document: &str) -> String {
    let mut out = String::with_capacity(document.len() + 256);
    let mut rest = document;
    while let Some(i) = rest.find("<w:tbl>") {
        let (before, table) = rest.split_at(i);
        out.push_str(before);
        let end = table
            .find("</w:tbl>")
            .map_or(table.len(), |e| e + "</w:tbl>".len());
        let (table, after) = table.split_at(end);
        let data_table = table
            .split("</w:tblPr>")
            .next()
            .unwrap_or("")
            .contains(&format!(
                "w:tblStyle w:val=\"{}\"",
                crate::styles::id::TABLE
            ));
        match table.find("<w:tr>").or_else(|| table.find("<w:tr ")) {
            Some(row) if data_table => {
                let open_end = table[row..].find('>').map_or(table.len(), |e| row + e + 1);
                out.push_str(&table[..open_end]);
                let row = &table[open_end..];
                // docx-rs writes an empty <w:trPr/> in every row: fill it
                // rather than add a second one.
                if let Some(r) = row
                    .strip_prefix("<w:trPr/>")
                    .or_else(|| row.strip_prefix("<w:trPr />"))
                {
                    out.push_str("<w:trPr><w:tblHeader/></w:trPr>");
                    out.push_str(r);
                } else if let Some(r) = row.strip_prefix("<w:trPr>") {
                    out.push_str("<w:trPr><w:tblHeader/>");
                    out.push_str(r);
                } else {
                    out.push_str("<w:trPr><w:tblHeader/></w:trPr>");
                    out.push_str(row);
                }
            }
            _ => out.push_str(table),
        }
        rest = after;
    }
    out.push_str(rest);
    out
}

/// Renumbers `rIdHyperlinkN` relationship ids by first use in the document
/// (docx-rs takes them from a process-wide counter): one pass over the
/// document and one over the relationships, whatever the number of links.
fn renumber_hyperlinks(document: &mut String, rels: &mut String) {
    const KEY: &str = "\"rIdHyperlink";
    let mut order: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut from = 0;
    while let Some(i) = document[from..].find(KEY) {
        let start = from + i + 1;
        let end = document[start..]
            .find('"')
            .map_or(document.len(), |e| start + e);
        let next = order.len() + 1;
        order
            .entry(document[start..end].to_string())
            .or_insert(next);
        from = end;
    }
    let renumber = |text: &str| {
        let mut out = String::with_capacity(text.len() + 64);
        let mut rest = text;
        while let Some(i) = rest.find(KEY) {
            let start = i + 1;
            let end = rest[start..].find('"').map_or(rest.len(), |e| start + e);
            out.push_str(&rest[..start]);
            match order.get(&rest[start..end]) {
                Some(n) => out.push_str(&format!("rIdHyperlink{n}")),
                None => out.push_str(&rest[start..end]),
            }
            rest = &rest[end..];
        }
        out.push_str(rest);
        out
    };
    *document = renumber(document);
    *rels = renumber(rels);
}

/// Numbers `w14:paraId`s 1, 2, 3 … across the parts, in part order
/// (docx-rs takes them from a thread-local counter that never restarts).
fn renumber_para_ids(parts: &mut [&mut Vec<u8>]) {
    const KEY: &str = "w14:paraId=\"";
    let mut next = 1u32;
    for part in parts.iter_mut() {
        let text = String::from_utf8_lossy(part).into_owned();
        let mut out = String::with_capacity(text.len());
        let mut rest = text.as_str();
        while let Some(i) = rest.find(KEY) {
            out.push_str(&rest[..i + KEY.len()]);
            rest = &rest[i + KEY.len()..];
            let end = rest.find('"').unwrap_or(rest.len());
            out.push_str(&format!("{next:08X}"));
            next += 1;
            rest = &rest[end..];
        }
        out.push_str(rest);
        **part = out.into_bytes();
    }
}

/// The families Word is to set Arabic (complex-script) and Chinese,
/// Japanese or Korean (East Asian) text in, beside each bundled family.
pub struct ScriptFonts {
    serif_cs: String,
    pub(crate) sans_cs: String,
    serif_ea: String,
    pub(crate) sans_ea: String,
}

impl ScriptFonts {
    /// The extra faces of the assets that have Arabic or Han characters,
    /// else the Noto families for them (a DOCX names its fonts; the
    /// reader's system supplies them).
    pub fn of(assets: &briefkit_model::Assets<'_>) -> Self {
        // The face of the kind asked for, else of the other kind (the
        // PDF's chains take it too), else the Noto family by name.
        let find = |sans: bool, probe: char, default: &str| -> String {
            let has = |e: &&briefkit_model::ExtraFace<'_>| {
                ttf_parser::Face::parse(e.bytes, e.index)
                    .is_ok_and(|f| f.glyph_index(probe).is_some())
            };
            let kind = |sans: bool| assets.extra.iter().filter(move |e| e.sans == sans);
            kind(sans)
                .find(has)
                .or_else(|| kind(!sans).find(has))
                .map_or_else(|| default.to_string(), |e| e.family.to_string())
        };
        Self {
            serif_cs: find(false, '\u{0627}', "Noto Naskh Arabic"),
            sans_cs: find(true, '\u{0627}', "Noto Sans Arabic"),
            serif_ea: find(false, '\u{4e2d}', "Noto Serif CJK SC"),
            sans_ea: find(true, '\u{4e2d}', "Noto Sans CJK SC"),
        }
    }
}

/// The three languages a DOCX names for its text (`w:lang`): of Latin (and
/// other simple scripts') text — the brief's language where it is written
/// in one, else `en-US`; of East Asian text — the brief's, with its region
/// (`zh` → `zh-CN`), else `zh-CN`; of complex-script text — the brief's
/// where it runs right to left, else `ar-SA`. So Word and LibreOffice do
/// not lay out `ECLAC` or `150` in a Chinese brief as Chinese.
fn languages(language: &str) -> (String, String, String) {
    let primary = briefkit_model::locale::primary_language(language);
    let lower = language.to_ascii_lowercase();
    let east_asian = match primary.as_str() {
        "zh" if lower.contains("hant") || lower.ends_with("-tw") => Some("zh-TW".to_string()),
        "zh" if lower.ends_with("-hk") || lower.ends_with("-mo") => Some("zh-HK".to_string()),
        "zh" if lower.contains('-') => Some(language.to_string()),
        "zh" => Some("zh-CN".to_string()),
        "ja" => Some("ja-JP".to_string()),
        "ko" => Some("ko-KR".to_string()),
        _ => None,
    };
    let complex = matches!(
        primary.as_str(),
        "ar" | "fa" | "ur" | "ps" | "he" | "yi" | "hi" | "bn" | "th"
    );
    let latin = if east_asian.is_some() || complex {
        "en-US".to_string()
    } else {
        language.to_string()
    };
    (
        latin,
        east_asian.unwrap_or_else(|| "zh-CN".into()),
        if complex {
            language.to_string()
        } else {
            "ar-SA".into()
        },
    )
}

/// Makes every figure's run (marked by [`crate::body::FIGURE_MARKER`]) a
/// plain-text content control tagged with its statistic's id, titled with
/// what it counts, and — when the brief carries its data (`store`, the data
/// part's id) — bound to the statistic's printed value there. `next` is the
/// next control's `w:id` (ids run on from the document into the notes).
pub fn figure_controls(xml: &str, doc: &Document, store: Option<&str>, next: &mut usize) -> String {
    let marker = format!("<w:rStyle w:val=\"{}", crate::body::FIGURE_MARKER);
    if !xml.contains(&marker) {
        return xml.to_string();
    }
    let mut out = String::with_capacity(xml.len() + 512);
    let mut rest = xml;
    while let Some(at) = rest.find(&marker) {
        let after = &rest[at + marker.len()..];
        let (Some(start), Some(quote), Some(end)) = (
            rest[..at]
                .rfind("<w:r>")
                .or_else(|| rest[..at].rfind("<w:r ")),
            after.find('"'),
            rest[at..].find("</w:r>"),
        ) else {
            break;
        };
        let end = at + end + "</w:r>".len();
        let (statistic, style) = after[..quote]
            .split_once('.')
            .unwrap_or((&after[..quote], ""));
        let close = after[quote..].find("/>").map_or(quote, |c| quote + c + 2);
        let style = if style.is_empty() {
            String::new()
        } else {
            format!("<w:rStyle w:val=\"{style}\"/>")
        };
        let run = format!(
            "{}{}{}",
            &rest[start..at],
            style,
            &rest[at + marker.len() + close..end]
        );
        let stat = doc.statistics.iter().find(|s| s.id == statistic);
        let label = stat
            .map(|s| briefkit_package::escape(&s.label))
            .unwrap_or_default();
        // Bound to the form it prints: full, or compact.
        let shown = run
            .find("<w:t")
            .and_then(|t| run[t..].find('>').map(|g| t + g + 1))
            .and_then(|from| run[from..].find("</w:t>").map(|to| &run[from..from + to]));
        let form = stat.and_then(|s| {
            let shown = shown?;
            if shown == briefkit_package::escape(&s.display) {
                Some("printed")
            } else if shown == briefkit_package::escape(&s.compact) {
                Some("compact")
            } else {
                None
            }
        });
        let binding = match (store, form) {
            (Some(store), Some(form)) => format!(
                "<w:dataBinding w:prefixMappings=\"xmlns:b='{}'\" w:xpath=\"/b:briefkit[1]/b:statistics[1]/b:statistic[@id='{statistic}'][1]/b:{form}[1]\" w:storeItemID=\"{store}\"/>",
                crate::data_part::NAMESPACE
            ),
            _ => String::new(),
        };
        out.push_str(&rest[..start]);
        out.push_str(&format!(
            "<w:sdt><w:sdtPr><w:alias w:val=\"{label}\"/><w:tag w:val=\"{statistic}\"/><w:id w:val=\"{next}\"/>{binding}<w:text/></w:sdtPr><w:sdtContent>{run}</w:sdtContent></w:sdt>"
        ));
        *next += 1;
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// Turns the language a run carries for a passage (see
/// [`crate::body::LANG_CARRIER`]: docx-rs writes no `w:lang` on runs) into
/// the run's `w:lang`, in the document and its footnotes.
pub fn span_languages(xml: &str) -> String {
    let marker = format!(" w:cstheme=\"{}", crate::body::LANG_CARRIER);
    if !xml.contains(&marker) {
        return xml.to_string();
    }
    let mut out = String::with_capacity(xml.len());
    let mut rest = xml;
    while let Some(at) = rest.find(&marker) {
        let after = &rest[at + marker.len()..];
        let Some(quote) = after.find('"') else { break };
        let lang = &after[..quote];
        let tail = &after[quote + 1..];
        let Some(close) = tail.find("/>") else { break };
        out.push_str(&rest[..at]);
        out.push_str(&tail[..close + 2]);
        out.push_str(&format!("<w:lang w:val=\"{lang}\"/>"));
        rest = &tail[close + 2..];
    }
    out.push_str(rest);
    // An rFonts left with nothing to say goes.
    out.replace("<w:rFonts />", "").replace("<w:rFonts/>", "")
}

/// The styles with the script fonts and the document's languages: Latin,
/// complex-script and East Asian text each get the font and language
/// Word needs to lay them out (`w:rFonts w:cs`/`w:eastAsia`, `w:lang`).
fn script_styles(styles: &str, doc: &Document, fonts: &ScriptFonts) -> String {
    let (latin, east_asian, complex) = languages(&doc.metadata.language);
    let lang = format!(
        "<w:lang w:val=\"{}\" w:eastAsia=\"{}\" w:bidi=\"{}\"/>",
        esc(&latin),
        esc(&east_asian),
        esc(&complex),
    );
    let mut styles = styles.replace(
        "<w:rPrDefault><w:rPr/></w:rPrDefault>",
        &format!("<w:rPrDefault><w:rPr>{lang}</w:rPr></w:rPrDefault>"),
    );
    // The styles name the Latin family for every script; each script's
    // attribute gets its own family.
    for (attribute, latin, family) in [
        ("w:cs", "Noto Serif", &fonts.serif_cs),
        ("w:cs", "Noto Sans", &fonts.sans_cs),
        ("w:eastAsia", "Noto Serif", &fonts.serif_ea),
        ("w:eastAsia", "Noto Sans", &fonts.sans_ea),
    ] {
        styles = styles.replace(
            &format!("{attribute}=\"{latin}\""),
            &format!("{attribute}=\"{}\"", esc(family)),
        );
    }
    styles
}

/// A chart's parts: its XML, its relationships, its workbook, and its
/// size in the document (EMU).
pub struct ChartParts {
    /// `word/charts/chartN.xml`.
    pub xml: String,
    /// `word/charts/_rels/chartN.xml.rels`.
    pub rels: String,
    /// The embedded workbook.
    pub workbook: Vec<u8>,
    /// Width and height.
    pub size: (u64, u64),
}

/// Packs the built parts and rewrites them into a deterministic zip.
#[allow(clippy::too_many_arguments)]
pub fn finish(
    mut xml: XMLDocx,
    doc: &Document,
    toc: bool,
    picture_alts: &[String],
    charts: &[ChartParts],
    data: Option<&crate::data_part::DataPart>,
    reference: Option<&crate::reference::Reference>,
    fonts: &ScriptFonts,
    theme: &str,
) -> std::io::Result<Vec<u8>> {
    xml.doc_props.core = core_xml(doc).into_bytes();
    let sizes: Vec<(u64, u64)> = charts.iter().map(|c| c.size).collect();
    let mut document = crate::chart_part::place(&String::from_utf8_lossy(&xml.document), &sizes);
    document = describe_pictures(&document, picture_alts);
    document = repeat_header_rows(&document);
    let mut rels = String::from_utf8_lossy(&xml.document_rels).into_owned();
    renumber_hyperlinks(&mut document, &mut rels);
    // Every document part gets a theme (Word expects one).
    rels = rels.replace(
        "</Relationships>",
        "<Relationship Id=\"rIdTheme1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme\" Target=\"theme/theme1.xml\"/></Relationships>",
    );
    let mut types = String::from("<Override PartName=\"/word/theme/theme1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.theme+xml\"/>");
    for n in 1..=charts.len() {
        rels = rels.replace(
            "</Relationships>",
            &format!("<Relationship Id=\"rIdChart{n}\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/chart\" Target=\"charts/chart{n}.xml\"/></Relationships>"),
        );
        types.push_str(&format!("<Override PartName=\"/word/charts/chart{n}.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.drawingml.chart+xml\"/>"));
    }
    if data.is_some() {
        rels = rels.replace(
            "</Relationships>",
            "<Relationship Id=\"rIdCustomXml1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXml\" Target=\"../customXml/item1.xml\"/></Relationships>",
        );
        types.push_str("<Override PartName=\"/customXml/itemProps1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.customXmlProperties+xml\"/>");
    }
    if !charts.is_empty() {
        types.push_str("<Default Extension=\"xlsx\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\"/>");
    }
    xml.document_rels = rels.into_bytes();
    xml.content_type = String::from_utf8_lossy(&xml.content_type)
        .replace("</Types>", &format!("{types}</Types>"))
        .into_bytes();
    xml.document = document.into_bytes();
    {
        let XMLDocx {
            document,
            footnotes,
            headers,
            footers,
            ..
        } = &mut xml;
        let mut parts: Vec<&mut Vec<u8>> = vec![document, footnotes];
        parts.extend(headers.iter_mut());
        parts.extend(footers.iter_mut());
        renumber_para_ids(&mut parts);
    }
    // Schema order for every WordprocessingML part docx-rs wrote.
    let canon =
        |bytes: &[u8]| crate::canonical::canonical(&String::from_utf8_lossy(bytes)).into_bytes();
    // Text parts: right to left marked where the document runs so.
    let rtl = doc.metadata.direction.is_rtl();
    let text = |bytes: &[u8]| {
        crate::canonical::canonical_with(&String::from_utf8_lossy(bytes), rtl).into_bytes()
    };
    // The story parts (document, then footnotes): figures as content
    // controls, numbered on across both; passages' languages; canonical.
    let store = data.map(|d| d.store.as_str());
    let mut controls = 1;
    let mut story = |bytes: &[u8]| {
        let controlled =
            figure_controls(&String::from_utf8_lossy(bytes), doc, store, &mut controls);
        text(span_languages(&controlled).as_bytes())
    };
    xml.document = story(&xml.document);
    if let Some(r) = reference {
        xml.styles =
            crate::reference::merge_styles(&r.styles, &String::from_utf8_lossy(&xml.styles))
                .into_bytes();
    }
    if toc {
        // The table of contents is a field: have Word refresh it on opening.
        xml.settings = String::from_utf8_lossy(&xml.settings)
            .replace(
                "</w:settings>",
                "<w:updateFields w:val=\"true\"/></w:settings>",
            )
            .into_bytes();
    }
    xml.styles = canon(&xml.styles);
    xml.styles = script_styles(&String::from_utf8_lossy(&xml.styles), doc, fonts).into_bytes();
    xml.numberings = canon(&xml.numberings);
    xml.settings = canon(&xml.settings);
    xml.footnotes = story(&xml.footnotes);
    xml.headers = xml.headers.iter().map(|h| text(h)).collect();
    xml.footers = xml.footers.iter().map(|f| text(f)).collect();
    let mut packed = Cursor::new(Vec::new());
    xml.pack(&mut packed).map_err(std::io::Error::other)?;
    let theme = reference
        .and_then(|r| r.theme.as_deref())
        .unwrap_or(theme)
        .as_bytes();
    let names: Vec<[String; 3]> = (1..=charts.len())
        .map(|n| {
            [
                format!("word/charts/chart{n}.xml"),
                format!("word/charts/_rels/chart{n}.xml.rels"),
                format!("word/embeddings/{}", crate::chart_part::workbook_name(n)),
            ]
        })
        .collect();
    let mut last: Vec<(&str, &[u8])> = vec![("word/theme/theme1.xml", theme)];
    for (c, [part, rels, book]) in charts.iter().zip(&names) {
        last.push((part, c.xml.as_bytes()));
        last.push((rels, c.rels.as_bytes()));
        last.push((book, &c.workbook));
    }
    if let Some(d) = data {
        last.push(("customXml/item1.xml", d.item.as_bytes()));
        last.push(("customXml/itemProps1.xml", d.props.as_bytes()));
        last.push(("customXml/_rels/item1.xml.rels", d.rels.as_bytes()));
    }
    // docx-rs stores its parts uncompressed: those are deflated here, the
    // relationships sorted; parts already deflated keep their bytes.
    briefkit_package::repack(
        &packed.into_inner(),
        &[],
        |name, stored| {
            if name.ends_with(".rels") || stored {
                Action::Rewrite
            } else {
                Action::Keep
            }
        },
        |name, bytes| {
            if name.ends_with(".rels") {
                sort_relationships(&String::from_utf8_lossy(&bytes)).into_bytes()
            } else {
                bytes
            }
        },
        &last,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relationships_sort_numerically() {
        let xml = "<Relationships><Relationship Id=\"rId10\" T=\"a\"/><Relationship Id=\"rId2\" T=\"b\"/></Relationships>";
        let sorted = sort_relationships(xml);
        assert!(
            sorted.find("rId2").unwrap_or(0) < sorted.find("rId10").unwrap_or(0),
            "{sorted}"
        );
    }
}
