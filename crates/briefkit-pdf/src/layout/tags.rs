//! The brief's logical structure, built while laying out: a tree of
//! structure elements (headings, paragraphs, lists, tables, figures,
//! notes, links) in reading order, and the mark every page item carries —
//! the element whose content it is, or an artifact (running heads, rules,
//! backgrounds) that a screen reader skips. The PDF writer turns the marks
//! into marked-content sequences and the tree into a StructTreeRoot.

use super::link::Link;

/// An element of the structure tree: an index into [`Structure::nodes`].
pub type NodeId = usize;

/// How a table header cell applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// To the cells below it.
    Column,
    /// To the cells beside it.
    Row,
}

/// A standard structure type (ISO 32000-1, 14.8.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// The whole brief.
    Document,
    /// A section (the key figures, the statistics, the sources, the contact).
    Sect,
    /// A generic block (a key-figure card).
    Div,
    /// A heading of level 1–6.
    H(u8),
    /// A paragraph.
    P,
    /// A list.
    L,
    /// A list item.
    LI,
    /// A list item's bullet or number.
    Lbl,
    /// A list item's content.
    LBody,
    /// A quotation.
    BlockQuote,
    /// A table.
    Table,
    /// A table's header rows.
    THead,
    /// A table's body rows.
    TBody,
    /// A table row.
    TR,
    /// A header cell.
    TH(Scope),
    /// A data cell.
    TD,
    /// An image or the chart.
    Figure,
    /// A figure's or table's caption.
    Caption,
    /// A footnote.
    Note,
    /// A link.
    Link,
    /// A passage in another language (with its `/Lang`).
    Span,
    /// The table of contents.
    TOC,
    /// One of its entries.
    TOCI,
    /// A code block or inline code.
    Code,
}

impl Role {
    /// The type's name in the PDF.
    pub fn name(self) -> &'static str {
        match self {
            Role::Document => "Document",
            Role::Sect => "Sect",
            Role::Div => "Div",
            Role::H(1) => "H1",
            Role::H(2) => "H2",
            Role::H(3) => "H3",
            Role::H(4) => "H4",
            Role::H(5) => "H5",
            Role::H(_) => "H6",
            Role::P => "P",
            Role::L => "L",
            Role::LI => "LI",
            Role::Lbl => "Lbl",
            Role::LBody => "LBody",
            Role::BlockQuote => "BlockQuote",
            Role::Table => "Table",
            Role::THead => "THead",
            Role::TBody => "TBody",
            Role::TR => "TR",
            Role::TH(_) => "TH",
            Role::TD => "TD",
            Role::Figure => "Figure",
            Role::Caption => "Caption",
            Role::Note => "Note",
            Role::Link => "Link",
            Role::Span => "Span",
            Role::TOC => "TOC",
            Role::TOCI => "TOCI",
            Role::Code => "Code",
        }
    }
}

/// One structure element.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// Its type.
    pub role: Role,
    /// The element it is in (none for the document).
    pub parent: Option<NodeId>,
    /// Alternative text (figures; links' description).
    pub alt: Option<String>,
    /// A unique id (notes).
    pub id: Option<String>,
    /// Its language, when it is not the document's (`/Lang`).
    pub lang: Option<String>,
    /// The statistic whose value it prints (a cited figure, a key figure,
    /// a value of the statistics table): its marked content names it.
    pub statistic: Option<smol_str::SmolStr>,
}

/// The structure tree; node 0 is the document.
#[derive(Debug, Clone, PartialEq)]
pub struct Structure {
    /// Every element, parents before children.
    pub nodes: Vec<Node>,
}

impl Default for Structure {
    fn default() -> Self {
        Structure {
            nodes: vec![Node {
                role: Role::Document,
                parent: None,
                alt: None,
                id: None,
                lang: None,
                statistic: None,
            }],
        }
    }
}

/// The document element.
pub const DOCUMENT: NodeId = 0;

impl Structure {
    /// Adds an element of `role` inside `parent`.
    pub fn add(&mut self, parent: NodeId, role: Role) -> NodeId {
        self.nodes.push(Node {
            role,
            parent: Some(parent),
            alt: None,
            id: None,
            lang: None,
            statistic: None,
        });
        self.nodes.len() - 1
    }

    /// Adds an element with alternative text.
    pub fn add_with_alt(&mut self, parent: NodeId, role: Role, alt: &str) -> NodeId {
        let node = self.add(parent, role);
        self.nodes[node].alt = Some(alt.to_string());
        node
    }
}

impl Structure {
    /// Moves `other`'s elements into this tree (its document becomes this
    /// one's) and returns how its node ids map to the new ones.
    pub fn append(&mut self, other: Structure) -> impl Fn(NodeId) -> NodeId {
        let base = self.nodes.len() - 1;
        let new_id = move |id: NodeId| if id == DOCUMENT { DOCUMENT } else { id + base };
        self.nodes
            .extend(other.nodes.into_iter().skip(1).map(|mut node| {
                node.parent = node.parent.map(new_id);
                node
            }));
        new_id
    }

    /// Tags headings so that the levels never skip one going down (a
    /// level-3 heading right after the title is tagged H2): in reading
    /// order, a heading is at most one level below the one before.
    pub fn normalise_headings(&mut self) {
        let mut last = 0u8;
        for node in &mut self.nodes {
            if let Role::H(level) = &mut node.role {
                *level = (*level).clamp(1, 6).min(last + 1);
                last = *level;
            }
        }
    }
}

/// Why an item is not content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Artifact {
    /// Rules, backgrounds, dot leaders, repeated table headers.
    Layout,
    /// Running header.
    Header,
    /// Running footer and page number.
    Footer,
}

/// What a painted item is to a reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mark {
    /// Content of an element.
    Content(NodeId),
    /// Not content.
    Artifact(Artifact),
}

/// What makes a fragment a Span of its own: its language, its statistic.
type SpanKey = (Option<smol_str::SmolStr>, Option<smol_str::SmolStr>);

/// Marks the fragments of lines: text goes to `node`, a run of fragments
/// linking to one target goes to a Link element inside it, made on first
/// use and kept across lines (a link broken over two lines is one Link).
pub enum Marker<'a> {
    /// Lines of an element.
    Content {
        /// The tree the Link elements go in.
        tree: &'a mut Structure,
        /// The element.
        node: NodeId,
        /// The Link element of the last linked fragment, and its link.
        link: Option<(Link, NodeId)>,
        /// The Span element of the last fragment in another language or
        /// printing a statistic.
        span: Option<(SpanKey, NodeId)>,
    },
    /// Lines that are not content (running heads).
    Artifact(Artifact),
}

impl<'a> Marker<'a> {
    /// A marker for the lines of `node`.
    pub fn content(tree: &'a mut Structure, node: NodeId) -> Self {
        Marker::Content {
            tree,
            node,
            link: None,
            span: None,
        }
    }

    /// The mark of a fragment (in `lang` when that is not the document's
    /// language; printing `statistic`'s value), and the Link element of
    /// its link: one for the fragments of a link, however many lines they
    /// run over, described by the link's own name.
    pub fn mark(
        &mut self,
        link: Option<&Link>,
        lang: Option<&smol_str::SmolStr>,
        statistic: Option<&smol_str::SmolStr>,
    ) -> (Mark, Option<NodeId>) {
        match self {
            Marker::Artifact(a) => (Mark::Artifact(*a), None),
            Marker::Content {
                tree,
                node,
                link: last,
                span,
            } => match link {
                None => {
                    *last = None;
                    if lang.is_none() && statistic.is_none() {
                        *span = None;
                        return (Mark::Content(*node), None);
                    }
                    // A passage in another language (a Span with its
                    // /Lang) or a figure (a Span naming its statistic),
                    // kept across lines.
                    let key = (lang.cloned(), statistic.cloned());
                    let id = match span {
                        Some((k, id)) if *k == key => *id,
                        _ => {
                            let id = tree.add(*node, Role::Span);
                            tree.nodes[id].lang = lang.map(|l| l.to_string());
                            tree.nodes[id].statistic = statistic.cloned();
                            *span = Some((key, id));
                            id
                        }
                    };
                    (Mark::Content(id), None)
                }
                Some(link) => {
                    let id = match last {
                        Some((l, id)) if l == link => *id,
                        _ => {
                            let id = tree.add(*node, Role::Link);
                            tree.nodes[id].lang = lang.map(|l| l.to_string());
                            tree.nodes[id].alt = Some(link.alt.to_string());
                            tree.nodes[id].statistic = statistic.cloned();
                            *last = Some((link.clone(), id));
                            id
                        }
                    };
                    (Mark::Content(id), Some(id))
                }
            },
        }
    }
}
