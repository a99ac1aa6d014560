//! The standards a PDF claims, and the PDF's settings (`[output.pdf]`):
//! which claims to make (`standard`, default PDF/UA-1 and PDF/A-2a) and
//! whether a claim the document cannot meet is an error (`strict`).
//! The PDF decides what it can claim from facts of the document: PDF/UA-1
//! and PDF/A-2a need every figure described.

use briefkit_model::backend::{SettingError, Settings};
use briefkit_model::{Diagnostic, Document};

/// A standard a PDF can claim, as `[output] pdf_standard` and
/// `--pdf-standard` name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
pub enum PdfStandard {
    /// PDF/UA-1 (ISO 14289-1), universal accessibility.
    #[serde(rename = "ua-1")]
    Ua1,
    /// PDF/A-2a (ISO 19005-2, level A: archival and tagged).
    #[serde(rename = "a-2a")]
    A2a,
    /// PDF/A-2b (ISO 19005-2, level B: archival, appearance only).
    #[serde(rename = "a-2b")]
    A2b,
    /// PDF/A-3a (ISO 19005-3, level A): PDF/A-2a that may carry files, as
    /// a brief carries its data.
    #[serde(rename = "a-3a")]
    A3a,
    /// PDF/A-3b (ISO 19005-3, level B).
    #[serde(rename = "a-3b")]
    A3b,
    /// No claim (the PDF is still tagged).
    #[serde(rename = "none")]
    None,
}

impl PdfStandard {
    /// Every standard with its name.
    pub const ALL: [(&'static str, PdfStandard); 6] = [
        ("ua-1", PdfStandard::Ua1),
        ("a-2a", PdfStandard::A2a),
        ("a-2b", PdfStandard::A2b),
        ("a-3a", PdfStandard::A3a),
        ("a-3b", PdfStandard::A3b),
        ("none", PdfStandard::None),
    ];

    /// The standard a name stands for.
    pub fn from_name(name: &str) -> Option<PdfStandard> {
        Self::ALL
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name.trim()))
            .map(|(_, s)| *s)
    }
}

/// The PDF/A level a PDF claims (its part is [`PdfStandards::part`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PdfA {
    /// Level A (accessible: tagged, every figure described).
    A2a,
    /// Level B (appearance only).
    A2b,
}

/// The standards one PDF claims. By default PDF/UA-1 and PDF/A-2a, which
/// becomes PDF/A-3a when the PDF carries the brief's data (PDF/A-2 may
/// embed nothing but PDF/A files).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PdfStandards {
    /// PDF/UA-1.
    pub ua1: bool,
    /// PDF/A, at level A or B.
    pub pdfa: Option<PdfA>,
    /// The part of PDF/A: 2, or 3 (asked for, or when the PDF carries files).
    pub part: u8,
    /// Asked for on the command line: a claim that cannot be met is an
    /// error, not a warning.
    pub strict: bool,
}

impl Default for PdfStandards {
    fn default() -> Self {
        PdfStandards {
            ua1: true,
            pdfa: Some(PdfA::A2a),
            part: 2,
            strict: false,
        }
    }
}

impl PdfStandards {
    /// The claims a list names; an error says why the list does not make sense.
    pub fn from_list(list: &[PdfStandard]) -> Result<PdfStandards, String> {
        let has = |s: PdfStandard| list.contains(&s);
        if has(PdfStandard::None) && list.len() > 1 {
            return Err("`none` cannot stand with other standards".into());
        }
        let pdfa: Vec<PdfStandard> = list
            .iter()
            .copied()
            .filter(|s| !matches!(s, PdfStandard::Ua1 | PdfStandard::None))
            .collect();
        if pdfa.len() > 1 {
            return Err(
                "a PDF conforms to one part and level of PDF/A: choose `a-2a`, `a-2b`, `a-3a` or `a-3b`"
                    .into(),
            );
        }
        Ok(PdfStandards {
            ua1: has(PdfStandard::Ua1),
            pdfa: pdfa.first().map(|s| match s {
                PdfStandard::A2b | PdfStandard::A3b => PdfA::A2b,
                _ => PdfA::A2a,
            }),
            part: if has(PdfStandard::A3a) || has(PdfStandard::A3b) {
                3
            } else {
                2
            },
            strict: false,
        })
    }

    /// The claims a document can make: PDF/UA-1 and PDF/A-2a need every
    /// image described, so without that they fall back to PDF/A-2b.
    pub fn met_by(self, every_image_described: bool) -> PdfStandards {
        if every_image_described {
            return self;
        }
        PdfStandards {
            ua1: false,
            pdfa: self.pdfa.map(|_| PdfA::A2b),
            ..self
        }
    }

    /// The claims of a PDF that carries the brief's data (`data`): PDF/A-3
    /// at the same level, since PDF/A-2 embeds only PDF/A files.
    pub fn carrying(self, data: bool) -> PdfStandards {
        if data {
            PdfStandards { part: 3, ..self }
        } else {
            self
        }
    }

    /// Whether a claim needs every image described.
    pub fn needs_alt_text(self) -> bool {
        self.ua1 || self.pdfa == Some(PdfA::A2a)
    }

    /// The claims' names, for messages (`PDF/UA-1 and PDF/A-2a`).
    pub fn names(self) -> String {
        let mut names = Vec::new();
        if self.ua1 {
            names.push("PDF/UA-1");
        }
        let pdfa = self.pdfa.map(|level| {
            let level = if level == PdfA::A2a { 'a' } else { 'b' };
            format!("PDF/A-{}{level}", self.part)
        });
        let names: Vec<&str> = names.into_iter().chain(pdfa.as_deref()).collect();
        if names.is_empty() {
            "no standard".into()
        } else {
            names.join(" and ")
        }
    }
}

/// The PDF's settings, read from `[output.pdf]` (and the older `[output]
/// pdf_standard`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PdfOptions {
    /// The standards to claim; `strict` when a claim the document cannot
    /// meet must stop the build.
    pub standards: PdfStandards,
}

/// The keys of `[output.pdf]`.
const KEYS: &[&str] = &["standard", "strict"];

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    #[serde(default)]
    standard: Option<Vec<String>>,
    #[serde(default)]
    strict: bool,
}

impl PdfOptions {
    /// Reads the settings; every problem with them, by key.
    pub fn from_settings(settings: &Settings) -> Result<PdfOptions, Vec<SettingError>> {
        let raw: Raw = serde_json::from_value(serde_json::Value::Object(settings.clone()))
            .map_err(|e| vec![SettingError::from_serde(&e, KEYS)])?;
        let mut standards = match &raw.standard {
            None => PdfStandards::default(),
            Some(names) => {
                let mut list = Vec::new();
                for name in names {
                    match PdfStandard::from_name(name) {
                        Some(s) => list.push(s),
                        None => {
                            let known: Vec<&str> =
                                PdfStandard::ALL.iter().map(|(n, _)| *n).collect();
                            return Err(vec![SettingError::new(
                                "standard",
                                format!(
                                    "unknown PDF standard `{}` (choose {})",
                                    name.trim(),
                                    known.join(", ")
                                ),
                            )]);
                        }
                    }
                }
                PdfStandards::from_list(&list).map_err(|why| {
                    vec![SettingError::new("standard", why).with_hint(
                        "for example [\"ua-1\", \"a-2a\"] (the default), [\"a-3b\"] or [\"none\"]",
                    )]
                })?
            }
        };
        standards.strict = raw.strict;
        Ok(PdfOptions { standards })
    }
}

/// Checks the settings (the format's [`briefkit_model::Backend::settings`]).
pub fn check_settings(settings: &Settings) -> Result<(), Vec<SettingError>> {
    PdfOptions::from_settings(settings).map(|_| ())
}

/// What the PDF can claim of a document: every block image undescribed
/// lowers PDF/UA-1 and PDF/A-2a to PDF/A-2b (a warning at the first), or,
/// with `strict`, is an error at each.
pub fn check(
    doc: &Document,
    settings: &Settings,
    render: &briefkit_model::RenderOptions,
) -> Vec<Diagnostic> {
    let Ok(options) = PdfOptions::from_settings(settings) else {
        return Vec::new();
    };
    let standards = options.standards.carrying(render.embed_data);
    if !standards.needs_alt_text() {
        return Vec::new();
    }
    let Some((undescribed, count)) = doc.undescribed_images() else {
        return Vec::new();
    };
    let hint = "describe the image between the brackets: ![what it shows](path)";
    if standards.strict {
        let names = standards.names();
        let verb = if names.contains(" and ") {
            "require"
        } else {
            "requires"
        };
        return undescribed
            .iter()
            .map(|image| {
                Diagnostic::error(
                    image.at.clone(),
                    format!(
                        "image `{}` has no alt text, which {names} {verb}",
                        image.src
                    ),
                )
                .with_hint(hint)
            })
            .collect();
    }
    vec![Diagnostic::warning(
        undescribed[0].at.clone(),
        format!(
            "the PDF claims {} instead of {}: {count} no alt text",
            standards.met_by(false).names(),
            standards.names()
        ),
    )
    .with_hint(hint)]
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde_json::json;

    fn settings(v: serde_json::Value) -> Settings {
        v.as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn settings_choose_the_claims_and_say_what_is_wrong() {
        let default = PdfOptions::from_settings(&Settings::new()).unwrap();
        assert_eq!(default.standards, PdfStandards::default());
        let b = PdfOptions::from_settings(&settings(json!({"standard": ["a-2b"], "strict": true})))
            .unwrap();
        assert_eq!(b.standards.pdfa, Some(PdfA::A2b));
        assert!(!b.standards.ua1 && b.standards.strict);
        let e = PdfOptions::from_settings(&settings(json!({"standard": ["x-1"]}))).unwrap_err();
        assert_eq!(e[0].key, "standard");
        assert!(e[0].message.contains("unknown PDF standard `x-1`"), "{e:?}");
        let e = PdfOptions::from_settings(&settings(json!({"standard": ["a-2a", "a-2b"]})))
            .unwrap_err();
        assert!(
            e[0].message.contains("one part and level of PDF/A"),
            "{e:?}"
        );
        let e = PdfOptions::from_settings(&settings(json!({"standard": ["a-2a", "a-3a"]})))
            .unwrap_err();
        assert!(
            e[0].message.contains("one part and level of PDF/A"),
            "{e:?}"
        );
        let three = PdfOptions::from_settings(&settings(json!({"standard": ["ua-1", "a-3b"]})))
            .unwrap()
            .standards;
        assert_eq!((three.part, three.pdfa), (3, Some(PdfA::A2b)));
        assert_eq!(three.names(), "PDF/UA-1 and PDF/A-3b");
        // Carrying the brief's data, PDF/A-2 becomes PDF/A-3 at its level.
        assert_eq!(
            PdfStandards::default().carrying(true).names(),
            "PDF/UA-1 and PDF/A-3a"
        );
        assert_eq!(
            PdfStandards::default().carrying(false).names(),
            "PDF/UA-1 and PDF/A-2a"
        );
        let e = PdfOptions::from_settings(&settings(json!({"standrd": ["ua-1"]}))).unwrap_err();
        assert_eq!(e[0].key, "standrd");
        assert!(e[0].message.contains("unknown field"), "{e:?}");
    }
}
