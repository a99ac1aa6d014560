//! Links of the text: where each goes and what it is called. Their own
//! module, below both the page boxes (`frame`) and the structure tree
//! (`tags`), which each use them.

/// Where a link goes.
#[derive(Debug, Clone, PartialEq)]
pub enum LinkTarget {
    /// An external address.
    Uri(String),
    /// A named place in the document.
    Anchor(String),
}

/// A link of the text: where it goes and what it is called — its logical
/// text from the model (the words linked, a URL as written, "Source 3",
/// "Note 1"), which a screen reader announces (the annotation's
/// `/Contents`), never the glyphs of its fragments in visual order.
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    /// Where it goes.
    pub target: LinkTarget,
    /// What it is called.
    pub alt: std::sync::Arc<str>,
}

impl Link {
    /// A link to `target` called `alt`.
    pub fn new(target: LinkTarget, alt: &str) -> Self {
        Self {
            target,
            alt: alt.trim().into(),
        }
    }

    /// A link to a named place in the document.
    pub fn anchor(anchor: impl Into<String>, alt: &str) -> Self {
        Self::new(LinkTarget::Anchor(anchor.into()), alt)
    }
}
