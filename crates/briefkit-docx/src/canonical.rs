//! Puts WordprocessingML elements in the order the schema requires.
//!
//! docx-rs writes some children out of order (`w:rPr` before `w:pStyle` in
//! `w:pPr`, `w:headerReference` after `w:pgSz`, ...). LibreOffice does not
//! mind; Word and validators do (docx-rs issue 724). This pass reorders the
//! children of the elements below by their schema sequence, keeping raw
//! bytes otherwise, and drops attributes the schema does not declare.

use quick_xml::events::Event;
use quick_xml::Reader;

enum Node {
    Element {
        raw: String,
        name: String,
        children: Vec<Node>,
        empty: bool,
    },
    Other(String),
}

/// Schema sequences (ECMA-376 transitional) by parent local name.
fn order(parent: &str) -> Option<&'static [&'static str]> {
    Some(match parent {
        "pPr" => &[
            "pStyle",
            "keepNext",
            "keepLines",
            "pageBreakBefore",
            "framePr",
            "widowControl",
            "numPr",
            "suppressLineNumbers",
            "pBdr",
            "shd",
            "tabs",
            "suppressAutoHyphens",
            "kinsoku",
            "wordWrap",
            "overflowPunct",
            "topLinePunct",
            "autoSpaceDE",
            "autoSpaceDN",
            "bidi",
            "adjustRightInd",
            "snapToGrid",
            "spacing",
            "ind",
            "contextualSpacing",
            "mirrorIndents",
            "suppressOverlap",
            "jc",
            "textDirection",
            "textAlignment",
            "textboxTightWrap",
            "outlineLvl",
            "divId",
            "cnfStyle",
            "rPr",
            "sectPr",
            "pPrChange",
        ],
        "rPr" => &[
            "ins",
            "del",
            "moveFrom",
            "moveTo",
            "rStyle",
            "rFonts",
            "b",
            "bCs",
            "i",
            "iCs",
            "caps",
            "smallCaps",
            "strike",
            "dstrike",
            "outline",
            "shadow",
            "emboss",
            "imprint",
            "noProof",
            "snapToGrid",
            "vanish",
            "webHidden",
            "color",
            "spacing",
            "w",
            "kern",
            "position",
            "sz",
            "szCs",
            "highlight",
            "u",
            "effect",
            "bdr",
            "shd",
            "fitText",
            "vertAlign",
            "rtl",
            "cs",
            "em",
            "lang",
            "eastAsianLayout",
            "specVanish",
            "oMath",
            "rPrChange",
        ],
        "style" => &[
            "name",
            "aliases",
            "basedOn",
            "next",
            "link",
            "autoRedefine",
            "hidden",
            "uiPriority",
            "semiHidden",
            "unhideWhenUsed",
            "qFormat",
            "locked",
            "personal",
            "personalCompose",
            "personalReply",
            "rsid",
            "pPr",
            "rPr",
            "tblPr",
            "trPr",
            "tcPr",
            "tblStylePr",
        ],
        "numPr" => &["ilvl", "numId", "numberingChange", "ins"],
        "lvl" => &[
            "start",
            "numFmt",
            "lvlRestart",
            "pStyle",
            "isLgl",
            "suff",
            "lvlText",
            "lvlPicBulletId",
            "legacy",
            "lvlJc",
            "pPr",
            "rPr",
        ],
        "tblPr" => &[
            "tblStyle",
            "tblpPr",
            "tblOverlap",
            "bidiVisual",
            "tblStyleRowBandSize",
            "tblStyleColBandSize",
            "tblW",
            "jc",
            "tblCellSpacing",
            "tblInd",
            "tblBorders",
            "shd",
            "tblLayout",
            "tblCellMar",
            "tblLook",
            "tblCaption",
            "tblDescription",
            "tblPrChange",
        ],
        "tcPr" => &[
            "cnfStyle",
            "tcW",
            "gridSpan",
            "hMerge",
            "vMerge",
            "tcBorders",
            "shd",
            "noWrap",
            "tcMar",
            "textDirection",
            "tcFitText",
            "vAlign",
            "hideMark",
            "headers",
            "cellIns",
            "cellDel",
            "cellMerge",
            "tcPrChange",
        ],
        "sectPr" => &[
            "headerReference",
            "footerReference",
            "footnotePr",
            "endnotePr",
            "type",
            "pgSz",
            "pgMar",
            "paperSrc",
            "pgBorders",
            "lnNumType",
            "pgNumType",
            "cols",
            "formProt",
            "vAlign",
            "noEndnote",
            "titlePg",
            "textDirection",
            "bidi",
            "rtlGutter",
            "docGrid",
            "printerSettings",
            "sectPrChange",
        ],
        "settings" => &[
            "writeProtection",
            "view",
            "zoom",
            "removePersonalInformation",
            "removeDateAndTime",
            "doNotDisplayPageBoundaries",
            "displayBackgroundShape",
            "printPostScriptOverText",
            "printFractionalCharacterWidth",
            "printFormsData",
            "embedTrueTypeFonts",
            "embedSystemFonts",
            "saveSubsetFonts",
            "saveFormsData",
            "mirrorMargins",
            "alignBordersAndEdges",
            "bordersDoNotSurroundHeader",
            "bordersDoNotSurroundFooter",
            "gutterAtTop",
            "hideSpellingErrors",
            "hideGrammaticalErrors",
            "activeWritingStyle",
            "proofState",
            "formsDesign",
            "attachedTemplate",
            "linkStyles",
            "stylePaneFormatFilter",
            "stylePaneSortMethod",
            "documentType",
            "mailMerge",
            "revisionView",
            "trackRevisions",
            "doNotTrackMoves",
            "doNotTrackFormatting",
            "documentProtection",
            "autoFormatOverride",
            "styleLockTheme",
            "styleLockQFSet",
            "defaultTabStop",
            "autoHyphenation",
            "consecutiveHyphenLimit",
            "hyphenationZone",
            "doNotHyphenateCaps",
            "showEnvelope",
            "summaryLength",
            "clickAndTypeStyle",
            "defaultTableStyle",
            "evenAndOddHeaders",
            "bookFoldRevPrinting",
            "bookFoldPrinting",
            "bookFoldPrintingSheets",
            "drawingGridHorizontalSpacing",
            "drawingGridVerticalSpacing",
            "displayHorizontalDrawingGridEvery",
            "displayVerticalDrawingGridEvery",
            "doNotUseMarginsForDrawingGridOrigin",
            "drawingGridHorizontalOrigin",
            "drawingGridVerticalOrigin",
            "doNotShadeFormData",
            "noPunctuationKerning",
            "characterSpacingControl",
            "printTwoOnOne",
            "strictFirstAndLastChars",
            "noLineBreaksAfter",
            "noLineBreaksBefore",
            "savePreviewPicture",
            "doNotValidateAgainstSchema",
            "saveInvalidXml",
            "ignoreMixedContent",
            "alwaysShowPlaceholderText",
            "doNotDemarcateInvalidXml",
            "saveXmlDataOnly",
            "useXSLTWhenSaving",
            "saveThroughXslt",
            "showXMLTags",
            "alwaysMergeEmptyNamespace",
            "updateFields",
            "hdrShapeDefaults",
            "footnotePr",
            "endnotePr",
            "compat",
            "docVars",
            "rsids",
            "mathPr",
            "attachedSchema",
            "themeFontLang",
            "clrSchemeMapping",
            "doNotIncludeSubdocsInStats",
            "doNotAutoCompressPictures",
            "forceUpgrade",
            "captions",
            "readModeInkLockDown",
            "smartTagType",
            "schemaLibrary",
            "shapeDefaults",
            "doNotEmbedSmartTags",
            "decimalSymbol",
            "listSeparator",
        ],
        _ => return None,
    })
}

fn local(name: &str) -> &str {
    name.rsplit(':').next().unwrap_or(name)
}

fn parse(xml: &str) -> Result<Vec<Node>, quick_xml::Error> {
    let mut reader = Reader::from_str(xml);
    reader.config_mut().trim_text(false);
    let mut stack: Vec<(String, String, Vec<Node>)> = Vec::new();
    let mut top: Vec<Node> = Vec::new();
    loop {
        let event = reader.read_event()?;
        let node = match event {
            Event::Eof => break,
            Event::Start(e) => {
                let raw = String::from_utf8_lossy(&e).into_owned();
                let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                stack.push((raw, name, Vec::new()));
                continue;
            }
            Event::End(_) => {
                let Some((raw, name, children)) = stack.pop() else {
                    continue;
                };
                Node::Element {
                    raw,
                    name,
                    children,
                    empty: false,
                }
            }
            Event::Empty(e) => Node::Element {
                raw: String::from_utf8_lossy(&e).into_owned(),
                name: String::from_utf8_lossy(e.name().as_ref()).into_owned(),
                children: Vec::new(),
                empty: true,
            },
            Event::Text(t) => Node::Other(String::from_utf8_lossy(&t).into_owned()),
            Event::GeneralRef(r) => Node::Other(format!("&{};", String::from_utf8_lossy(&r))),
            Event::CData(t) => Node::Other(format!("<![CDATA[{}]]>", String::from_utf8_lossy(&t))),
            Event::Comment(t) => Node::Other(format!("<!--{}-->", String::from_utf8_lossy(&t))),
            Event::Decl(d) => Node::Other(format!("<?{}?>", String::from_utf8_lossy(&d))),
            Event::PI(p) => Node::Other(format!("<?{}?>", String::from_utf8_lossy(&p))),
            Event::DocType(d) => Node::Other(format!("<!DOCTYPE {}>", String::from_utf8_lossy(&d))),
        };
        match stack.last_mut() {
            Some((_, _, children)) => children.push(node),
            None => top.push(node),
        }
    }
    Ok(top)
}

fn canonicalise(nodes: &mut Vec<Node>, parent: &str) {
    for node in nodes.iter_mut() {
        if let Node::Element {
            raw,
            name,
            children,
            ..
        } = node
        {
            // docx-rs writes w:type on w:gridCol, which the schema does not declare.
            if local(name) == "gridCol" {
                if let Some(i) = raw.find(" w:type=\"") {
                    if let Some(len) = raw[i + 9..].find('"') {
                        raw.replace_range(i..i + 10 + len, "");
                    }
                }
            }
            let n = local(name).to_string();
            // Style and numbering-level paragraph properties (CT_PPrBase)
            // take no run properties; docx-rs writes an empty one.
            if n == "pPr" && matches!(parent, "style" | "lvl") {
                children
                    .retain(|c| !matches!(c, Node::Element { name, .. } if local(name) == "rPr"));
            }
            canonicalise(children, &n);
        }
    }
    if let Some(seq) = order(parent) {
        let rank = |n: &Node| match n {
            Node::Element { name, .. } => seq
                .iter()
                .position(|s| *s == local(name))
                .unwrap_or(seq.len()),
            Node::Other(_) => seq.len(),
        };
        // A stable sort: repeated and unknown children keep their order.
        let mut ranked: Vec<(usize, Node)> = std::mem::take(nodes)
            .into_iter()
            .map(|n| (rank(&n), n))
            .collect();
        ranked.sort_by_key(|(r, _)| *r);
        *nodes = ranked.into_iter().map(|(_, n)| n).collect();
    }
}

fn empty_element(name: &str) -> Node {
    Node::Element {
        raw: name.to_string(),
        name: name.to_string(),
        children: Vec::new(),
        empty: true,
    }
}

/// The properties child (`w:pPr`, `w:rPr`, `w:tblPr`) of an element's
/// children, made first if there is none, with `flag` (`w:bidi`, ...) in it.
fn set_flag(children: &mut Vec<Node>, properties: &str, flag: &str) {
    let at = children
        .iter()
        .position(|c| matches!(c, Node::Element { name, .. } if name == properties));
    let at = match at {
        Some(i) => i,
        None => {
            children.insert(0, empty_element(properties));
            0
        }
    };
    if let Node::Element {
        raw,
        children,
        empty,
        ..
    } = &mut children[at]
    {
        if children
            .iter()
            .any(|c| matches!(c, Node::Element { name, .. } if name == flag))
        {
            return;
        }
        if *empty {
            *raw = raw.trim_end_matches('/').trim_end().to_string();
            *empty = false;
        }
        children.push(empty_element(flag));
    }
}

/// The text of a run's `w:t` children.
fn run_text(children: &[Node]) -> String {
    let mut text = String::new();
    for c in children {
        if let Node::Element { name, children, .. } = c {
            if name == "w:t" {
                for t in children {
                    if let Node::Other(s) = t {
                        text.push_str(s);
                    }
                }
            }
        }
    }
    text
}

/// Whether an element named `element` is among `nodes` or below them.
fn holds(nodes: &[Node], element: &str) -> bool {
    nodes.iter().any(|n| match n {
        Node::Element { name, children, .. } => name == element || holds(children, element),
        _ => false,
    })
}

fn mark_rtl(nodes: &mut [Node]) {
    for node in nodes.iter_mut() {
        if let Node::Element { name, children, .. } = node {
            match name.as_str() {
                // A chart's paragraph stays left to right: the chart lays
                // itself out right to left, and LibreOffice reverses the
                // digits of every label of a chart in a `w:bidi` paragraph.
                "w:p" if holds(children, "c:chart") => {}
                "w:p" => set_flag(children, "w:pPr", "w:bidi"),
                "w:tbl" => set_flag(children, "w:tblPr", "w:bidiVisual"),
                "w:sectPr"
                    if !children
                        .iter()
                        .any(|c| matches!(c, Node::Element { name, .. } if name == "w:bidi")) =>
                {
                    children.push(empty_element("w:bidi"));
                }
                "w:r" => {
                    let rtl_text = run_text(children).chars().any(|c| {
                        matches!(
                            unicode_bidi::bidi_class(c),
                            unicode_bidi::BidiClass::R | unicode_bidi::BidiClass::AL
                        )
                    });
                    if rtl_text {
                        set_flag(children, "w:rPr", "w:rtl");
                    }
                }
                _ => {}
            }
            mark_rtl(children);
        }
    }
}

fn write(nodes: &[Node], out: &mut String) {
    for node in nodes {
        match node {
            Node::Other(text) => out.push_str(text),
            Node::Element {
                raw,
                name,
                children,
                empty,
            } => {
                if *empty && children.is_empty() {
                    out.push('<');
                    out.push_str(raw.trim_end_matches('/').trim_end());
                    out.push_str("/>");
                } else {
                    out.push('<');
                    out.push_str(raw);
                    out.push('>');
                    write(children, out);
                    out.push_str("</");
                    out.push_str(name);
                    out.push('>');
                }
            }
        }
    }
}

/// Reorders a part's XML into schema order. Returns the input unchanged if
/// it cannot be parsed (the validators will then say why).
pub fn canonical(xml: &str) -> String {
    canonical_with(xml, false)
}

/// [`canonical`], first marking a right-to-left document's parts: every
/// paragraph `w:bidi`, every table `w:bidiVisual`, the section `w:bidi`,
/// and every run holding right-to-left text `w:rtl`.
pub fn canonical_with(xml: &str, rtl: bool) -> String {
    match parse(xml) {
        Ok(mut nodes) => {
            if rtl {
                mark_rtl(&mut nodes);
            }
            canonicalise(&mut nodes, "");
            let mut out = String::with_capacity(xml.len());
            write(&nodes, &mut out);
            briefkit_package::carried(out)
        }
        Err(_) => briefkit_package::carried(xml.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraph_properties_follow_the_schema() {
        let xml = r#"<w:p><w:pPr><w:rPr /><w:pStyle w:val="A" /><w:keepNext /></w:pPr><w:r><w:t>x &amp; y</w:t></w:r></w:p>"#;
        assert_eq!(
            canonical(xml),
            r#"<w:p><w:pPr><w:pStyle w:val="A"/><w:keepNext/><w:rPr/></w:pPr><w:r><w:t>x &amp; y</w:t></w:r></w:p>"#
        );
    }

    #[test]
    fn grid_columns_lose_the_undeclared_type() {
        assert_eq!(
            canonical(r#"<w:tblGrid><w:gridCol w:w="10" w:type="dxa" /></w:tblGrid>"#),
            r#"<w:tblGrid><w:gridCol w:w="10"/></w:tblGrid>"#
        );
    }

    #[test]
    fn repeated_children_keep_their_order() {
        let xml = r#"<w:sectPr><w:pgSz/><w:headerReference w:type="default"/><w:footerReference w:type="default"/></w:sectPr>"#;
        assert_eq!(
            canonical(xml),
            r#"<w:sectPr><w:headerReference w:type="default"/><w:footerReference w:type="default"/><w:pgSz/></w:sectPr>"#
        );
    }
}
