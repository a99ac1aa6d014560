//! The format-neutral document model every backend renders.
//!
//! Blocks beyond Markdown (cover, key figures, chart, statistics table,
//! sources, contact) are first-class types so each backend can give them a
//! native form instead of parsing HTML strings.

use serde::Serialize;

/// A composed briefing pack, ready for any backend.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct Document {
    /// Title, language, date and the other facts about the brief.
    pub metadata: Metadata,
    /// The body in reading order.
    pub blocks: Vec<Block>,
    /// Where each block of `blocks` comes from (the article's line, the
    /// setting that makes a generated part), for findings about it; not
    /// part of the document's JSON.
    #[serde(skip)]
    pub block_at: Vec<Option<crate::diagnostic::Span>>,
    /// Footnotes in the order they are first referenced (numbered from 1).
    pub footnotes: Vec<Footnote>,
    /// Every statistic of the pack, in file order.
    pub statistics: Vec<Statistic>,
    /// The distinct sources statistics cite, numbered from 1.
    pub sources: Vec<Source>,
}

/// Paper size of printed outputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Paper {
    /// ISO A4, 210 × 297 mm.
    #[default]
    A4,
    /// US Letter, 8.5 × 11 in.
    Letter,
}

impl Paper {
    /// Width and height in PostScript points.
    pub fn size_pt(self) -> (f32, f32) {
        match self {
            Paper::A4 => (595.276, 841.89),
            Paper::Letter => (612.0, 792.0),
        }
    }
}

/// Facts about the brief as a whole.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct Metadata {
    /// The headline.
    pub title: String,
    /// Optional second line of the masthead.
    pub subtitle: Option<String>,
    /// Publishing organisation.
    pub organization: Option<String>,
    /// Authors, in order.
    pub authors: Vec<String>,
    /// Publication date (written `YYYY-MM-DD` in JSON).
    pub date: crate::locale::Date,
    /// The date as a reader of `language` writes it.
    pub date_display: String,
    /// Which way the text runs.
    pub direction: crate::locale::Direction,
    /// The tag numbers and dates are written by (the language, with a
    /// numbering system when `[brief] numbering` sets one).
    pub formatting_tag: String,
    /// BCP 47 language tag.
    pub language: String,
    /// One-paragraph summary (plain text).
    pub summary: Option<String>,
    /// Keywords for document properties.
    pub keywords: Vec<String>,
    /// Localised fixed words (section names, "page", ...).
    pub labels: Labels,
    /// A stable identifier derived from the pack's content.
    pub identifier: String,
}

/// Fixed words in the pack's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Labels {
    /// "Summary".
    pub summary: String,
    /// "Key figures".
    pub key_figures: String,
    /// "Statistics cited".
    pub statistics: String,
    /// "Sources".
    pub sources: String,
    /// "Contact".
    pub contact: String,
    /// "Notes".
    pub notes: String,
    /// Column heads of the statistics table.
    pub value: String,
    /// "What it counts".
    pub counts: String,
    /// "Period".
    pub period: String,
    /// "Source".
    pub source: String,
    /// "Contents".
    pub contents: String,
    /// "Cover" (the EPUB's landmark).
    pub cover: String,
    /// "Source: {names}".
    pub source_line: String,
    /// "Sources: {names}".
    pub sources_line: String,
    /// "; " between names.
    pub list_separator: String,
    /// ", " between a source and its period.
    pub comma: String,
    /// "Page {page} of {pages}".
    pub page_of: String,
    /// "Bar chart" (a chart's kind, for screen readers).
    pub bar_chart: String,
    /// "Bar chart: {title}".
    pub chart_titled: String,
    /// "Column chart".
    pub column_chart: String,
    /// "Line chart".
    pub line_chart: String,
    /// "Stacked column chart".
    pub stacked_chart: String,
    /// "Dot plot".
    pub dot_plot: String,
    /// "{kind}: {title}": a chart's kind with its title.
    pub titled: String,
    /// "{first} to {last}": the periods a line chart spans.
    pub span: String,
    /// "{from} in {first}, {to} in {last}": a series' first and last values.
    pub change: String,
    /// "{label}: {value}".
    pub label_value: String,
    /// ". " between sentences ("。" in Chinese).
    pub sentence_end: String,
    /// "Source {n}": a citation marker, as a link announces it.
    pub source_n: String,
    /// "Note {n}": a footnote mark, as a link announces it.
    pub note_n: String,
    /// What the brief's data file `statistics.csv` holds.
    pub data_csv: String,
    /// What `statistics.json` holds.
    pub data_json: String,
    /// What `provenance.json` holds.
    pub data_provenance: String,
}

impl Labels {
    /// "Page 2 of 5" with the numbers as given (already in the locale's
    /// digits).
    pub fn page_of(&self, page: &str, pages: &str) -> String {
        self.page_of
            .replace("{page}", page)
            .replace("{pages}", pages)
    }

    /// The text before, between and after the two numbers of "Page X of
    /// Y" (for DOCX, whose numbers are fields).
    pub fn page_of_parts(&self) -> (&str, &str, &str) {
        let text = self.page_of.as_str();
        match (text.find("{page}"), text.find("{pages}")) {
            (Some(a), Some(b)) if a < b => (
                &text[..a],
                &text[a + "{page}".len()..b],
                &text[b + "{pages}".len()..],
            ),
            _ => (text, " / ", ""),
        }
    }

    /// "Source 3": a citation marker as a link announces it (`n` already
    /// in the locale's digits).
    pub fn source_n(&self, n: &str) -> String {
        self.source_n.replace("{n}", n)
    }

    /// "Note 2": a footnote mark as a link announces it.
    pub fn note_n(&self, n: &str) -> String {
        self.note_n.replace("{n}", n)
    }

    /// "Source: A" or "Sources: A; B" in the language's words and
    /// punctuation.
    pub fn source_line(&self, names: &[&str]) -> String {
        let pattern = if names.len() > 1 {
            &self.sources_line
        } else {
            &self.source_line
        };
        pattern.replace("{names}", &names.join(&self.list_separator))
    }
}

/// A block-level element.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Block {
    /// The masthead: organisation, title, subtitle, date.
    Cover(Cover),
    /// A section heading.
    Heading {
        /// 1 to 6.
        level: u8,
        /// Anchor id, unique in the document.
        id: String,
        /// Heading text.
        content: Vec<Inline>,
    },
    /// A paragraph of running text.
    Paragraph {
        /// Its inline content.
        content: Vec<Inline>,
    },
    /// A bullet or numbered list; items are block sequences.
    List {
        /// Numbered when true.
        ordered: bool,
        /// First number of a numbered list.
        start: u64,
        /// The items.
        items: Vec<Vec<Block>>,
    },
    /// A block quotation.
    Quote {
        /// Quoted blocks.
        blocks: Vec<Block>,
    },
    /// Preformatted code.
    Code {
        /// Info string language, if given.
        language: Option<String>,
        /// The code, lines separated by `\n`.
        text: String,
    },
    /// A table from the article.
    Table(Table),
    /// An image from the article.
    Image(Image),
    /// A thematic break.
    Rule,
    /// Key-figure cards.
    KeyFigures {
        /// The cards, in `brief.toml` order.
        figures: Vec<KeyFigure>,
    },
    /// A bar chart of statistics.
    Chart(Chart),
    /// The table of every statistic cited.
    StatisticsTable {
        /// One row per statistic.
        rows: Vec<StatisticRow>,
    },
    /// The numbered list of sources.
    Sources {
        /// The sources, numbered from 1.
        sources: Vec<Source>,
    },
    /// The contact block.
    Contact(Contact),
}

/// The masthead of page one.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct Cover {
    /// Organisation line.
    pub organization: Option<String>,
    /// The brief's title (the `H1` of the PDF, the EPUB's `dc:title`).
    pub title: String,
    /// The line under the title, if the pack gives one.
    pub subtitle: Option<String>,
    /// Date as displayed.
    pub date: String,
}

/// Horizontal alignment of a table column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Align {
    /// Flush left (the default).
    Left,
    /// Centred (short labels).
    Center,
    /// Flush right (numbers).
    Right,
}

/// A table: header row, body rows, per-column alignment.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct Table {
    /// Alignment per column.
    pub align: Vec<Align>,
    /// Header cells.
    pub header: Vec<Vec<Inline>>,
    /// Body rows of cells.
    pub rows: Vec<Vec<Vec<Inline>>>,
}

/// An image with its description.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct Image {
    /// Path relative to the pack.
    pub src: String,
    /// Alternative text.
    pub alt: String,
    /// Optional title, used as a caption.
    pub title: Option<String>,
    /// Where the article shows it, for findings about it (not part of the
    /// document's JSON).
    #[serde(skip)]
    pub at: Option<crate::diagnostic::Span>,
}

/// Inline content.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Inline {
    /// Plain text.
    Text {
        /// The characters.
        text: String,
    },
    /// Emphasis (italic).
    Emphasis {
        /// Emphasised content.
        content: Vec<Inline>,
    },
    /// Strong emphasis (bold).
    Strong {
        /// Strong content.
        content: Vec<Inline>,
    },
    /// Code span.
    Code {
        /// The code.
        text: String,
    },
    /// A hyperlink.
    Link {
        /// Target URL (or `#anchor`).
        url: String,
        /// Link text.
        content: Vec<Inline>,
    },
    /// A statistic cited in the prose: its value, linked to its source.
    Stat {
        /// Statistic id.
        id: String,
        /// The text as rendered (formatted for the language).
        text: String,
        /// Number of the source in [`Document::sources`].
        source: usize,
        /// The citation written after the value (`[2]` or `(UNICEF)`), by
        /// the pack's citation style; also linked to the source.
        citation: Option<String>,
    },
    /// A reference to a footnote.
    FootnoteRef {
        /// Footnote number (1-based).
        number: usize,
    },
    /// A passage in another language than the brief's (`<span lang="es">`
    /// in the article): screen readers switch voice, the PDF tags it with
    /// `/Lang`, the EPUB with `lang`.
    Span {
        /// BCP 47 tag.
        lang: String,
        /// The passage's inlines.
        content: Vec<Inline>,
    },
    /// A hard line break.
    LineBreak,
}

/// A footnote's content.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct Footnote {
    /// 1-based number, by first reference.
    pub number: usize,
    /// The label written in the article (`[^label]`).
    pub label: String,
    /// The note's blocks.
    pub blocks: Vec<Block>,
    /// Where the note is defined, for findings about it (not part of the
    /// document's JSON).
    #[serde(skip)]
    pub at: Option<crate::diagnostic::Span>,
}

/// One cited statistic with its provenance.
#[derive(Debug, Clone, Default, PartialEq, Serialize, serde::Deserialize)]
pub struct Statistic {
    /// Stable id used by `{{stat "id"}}`.
    pub id: String,
    /// The value as a number.
    pub value: f64,
    /// The value as written in the statistics file (keeps precision).
    pub value_text: String,
    /// The value formatted for the pack's language, with `%` where the unit is one.
    pub display: String,
    /// The value in the language's compact form (`20K`, `2 万`), which
    /// `{{stat "id" format="compact"}}` prints.
    #[serde(default)]
    pub compact: String,
    /// Unit as written (`%`, `people`, `cases`, ...).
    pub unit: Option<String>,
    /// What is counted.
    pub label: String,
    /// The period the figure covers.
    pub period: Option<String>,
    /// The organisation that published it.
    pub source: String,
    /// Where it was published.
    pub source_url: Option<String>,
    /// A remark.
    pub note: Option<String>,
    /// The series it belongs to, for charts over time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub series: Option<String>,
    /// Number of its entry in [`Document::sources`].
    pub source_number: usize,
}

/// A source organisation (and address) cited by one or more statistics.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct Source {
    /// 1-based number.
    pub number: usize,
    /// Anchor id (`source-1`).
    pub anchor: String,
    /// Organisation name.
    pub name: String,
    /// Address of the publication.
    pub url: Option<String>,
    /// Ids of the statistics it backs.
    pub statistics: Vec<String>,
}

/// A key-figure card.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct KeyFigure {
    /// Statistic id.
    pub id: String,
    /// Formatted value.
    pub value: String,
    /// Unit shown under the value, unless it is `%` (already in the value).
    pub unit: Option<String>,
    /// What is counted.
    pub label: String,
    /// Source name.
    pub source: String,
    /// Source number.
    pub source_number: usize,
    /// Period, if any.
    pub period: Option<String>,
}

impl KeyFigure {
    /// "UNICEF, per year": the source, then the period after the
    /// language's comma.
    pub fn source_and_period(&self, labels: &Labels) -> String {
        match &self.period {
            Some(p) => format!("{}{}{p}", self.source, labels.comma),
            None => self.source.clone(),
        }
    }
}

/// What a chart draws.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ChartKind {
    /// Horizontal bars, one a category, labels above them (the `[chart]`
    /// of old).
    #[default]
    Bars,
    /// Vertical columns over the categories; several series stand side by
    /// side in each category (grouped).
    Columns,
    /// One line a series through its values over ordered periods; a missing
    /// period is a gap in the line.
    Lines,
    /// One column a category, its series stacked on one another: the parts
    /// of a whole.
    Stacked,
    /// A row a series, two dots on it: its values at the chart's first and
    /// last period, joined (a comparison of two periods).
    Dots,
}

impl ChartKind {
    /// The kind's name as `kind = "..."` writes it.
    pub fn name(self) -> &'static str {
        match self {
            ChartKind::Bars => "bars",
            ChartKind::Columns => "columns",
            ChartKind::Lines => "lines",
            ChartKind::Stacked => "stacked",
            ChartKind::Dots => "dots",
        }
    }
}

/// One value of a chart: a statistic.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct ChartPoint {
    /// Statistic id.
    pub id: String,
    /// The value.
    pub value: f64,
    /// The value as displayed.
    pub display: String,
}

/// A series of a chart: one value, or a gap, for each category.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct ChartSeries {
    /// The series' name (empty for a chart of one series of statistics).
    pub name: String,
    /// One entry a category, in the chart's order; `None` where the series
    /// has no value (a gap, never a zero).
    pub points: Vec<Option<ChartPoint>>,
}

/// A tick of the value axis: where it is and how it is written in the
/// brief's language.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct ChartTick {
    /// The value at the tick.
    pub value: f64,
    /// The value as written (CLDR digits and grouping, `%` where the unit
    /// is one).
    pub label: String,
}

/// A chart of statistics sharing a unit: one or more series over the same
/// categories (statistics' labels, or periods in time order).
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct Chart {
    /// The chart's id in `brief.toml` (`{{chart "id"}}` places it); empty
    /// for the `[chart]` of old.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub id: String,
    /// What it draws.
    #[serde(default)]
    pub kind: ChartKind,
    /// Title above the chart.
    pub title: String,
    /// The shared unit, if any.
    pub unit: Option<String>,
    /// The categories: statistics' labels, or periods in time order.
    pub categories: Vec<String>,
    /// The series, each with one entry a category.
    pub series: Vec<ChartSeries>,
    /// The value axis' ticks, low to high (none for horizontal bars, whose
    /// values are written at their ends).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ticks: Vec<ChartTick>,
    /// "Source: ..." line under the chart.
    pub source_line: String,
    /// A note under the source line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// What the chart shows, for screen readers, in the brief's language.
    pub alt: String,
}

impl Chart {
    /// Every value with its category and its series' name, category by
    /// category.
    pub fn values(&self) -> impl Iterator<Item = (&str, &str, &ChartPoint)> {
        self.categories.iter().enumerate().flat_map(move |(i, c)| {
            self.series.iter().filter_map(move |s| {
                s.points
                    .get(i)
                    .and_then(Option::as_ref)
                    .map(|p| (c.as_str(), s.name.as_str(), p))
            })
        })
    }

    /// Whether the chart's series have names to tell them apart (more
    /// than one series).
    pub fn has_series_names(&self) -> bool {
        self.series.len() > 1 || self.series.iter().any(|s| !s.name.is_empty())
    }

    /// The chart's numbers as every format writes them after it: the
    /// column heads (the categories' — "Period" for a line or a chart of
    /// series, "What it counts" otherwise — then a series' name each, or
    /// "Value" for one unnamed series) and a row a category (its name,
    /// then each series' value; a gap is empty).
    pub fn table(&self, labels: &Labels) -> (Vec<String>, Vec<Vec<String>>) {
        let first = if self.kind == ChartKind::Lines || self.has_series_names() {
            &labels.period
        } else {
            &labels.counts
        };
        let heads = std::iter::once(first.clone())
            .chain(if self.has_series_names() {
                self.series.iter().map(|s| s.name.clone()).collect()
            } else {
                vec![labels.value.clone()]
            })
            .collect();
        let rows = self
            .categories
            .iter()
            .enumerate()
            .map(|(i, category)| {
                std::iter::once(category.clone())
                    .chain(self.series.iter().map(|s| {
                        s.points
                            .get(i)
                            .and_then(Option::as_ref)
                            .map_or_else(String::new, |p| p.display.clone())
                    }))
                    .collect()
            })
            .collect();
        (heads, rows)
    }
}

/// A row of the statistics table.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct StatisticRow {
    /// Statistic id.
    pub id: String,
    /// Formatted value, with its unit.
    pub value: String,
    /// What it counts.
    pub label: String,
    /// Period or empty.
    pub period: String,
    /// Source name.
    pub source: String,
    /// Source number.
    pub source_number: usize,
}

impl StatisticRow {
    /// The value as the figure (the statistic's printed value, which
    /// `briefkit verify` finds marked) and the rest (` cases`, the unit),
    /// by the statistics of `doc`.
    pub fn figure_and_unit<'a>(&'a self, doc: &Document) -> (&'a str, &'a str) {
        let printed = doc
            .statistics
            .iter()
            .find(|s| s.id == self.id)
            .map(|s| s.display.as_str())
            .filter(|d| self.value.starts_with(d))
            .unwrap_or(&self.value);
        self.value.split_at(printed.len())
    }
}

/// Who to contact about the brief.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    /// The person to contact, by name.
    pub name: Option<String>,
    /// Their organisation or office.
    pub organization: Option<String>,
    /// Telephone as written.
    pub phone: Option<String>,
    /// E-mail address.
    pub email: Option<String>,
    /// Web address.
    pub url: Option<String>,
}

impl Contact {
    /// The non-empty lines of the block, in display order.
    pub fn lines(&self) -> Vec<ContactLine> {
        let mut out = Vec::new();
        let fields = [
            (ContactKind::Name, &self.name),
            (ContactKind::Organization, &self.organization),
            (ContactKind::Phone, &self.phone),
            (ContactKind::Email, &self.email),
            (ContactKind::Url, &self.url),
        ];
        for (kind, value) in fields {
            if let Some(v) = value.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
                out.push(ContactLine {
                    kind,
                    text: v.to_string(),
                });
            }
        }
        out
    }
}

/// What a contact line holds, so backends can make e-mail and web lines links.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ContactKind {
    /// A person.
    Name,
    /// An organisation.
    Organization,
    /// A telephone number.
    Phone,
    /// An e-mail address.
    Email,
    /// A web address.
    Url,
}

/// One line of the contact block.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct ContactLine {
    /// What the line holds.
    pub kind: ContactKind,
    /// The text.
    pub text: String,
}

impl ContactLine {
    /// The link target of an e-mail or web line.
    pub fn href(&self) -> Option<String> {
        match self.kind {
            ContactKind::Email => Some(format!("mailto:{}", self.text)),
            ContactKind::Url if self.text.contains("://") => Some(self.text.clone()),
            ContactKind::Url => Some(format!("https://{}", self.text)),
            _ => None,
        }
    }
}

/// Where a document's parts come from (see [`Document::places`]).
#[derive(Debug, Clone, Default)]
pub struct Places {
    blocks: Vec<Option<crate::diagnostic::Span>>,
    notes: Vec<Option<crate::diagnostic::Span>>,
    images: Vec<Option<crate::diagnostic::Span>>,
}

impl Document {
    /// The block images without alt text, and how a message names them
    /// (``image `map.png` has``, `3 images have`); `None` when every
    /// image is described.
    pub fn undescribed_images(&self) -> Option<(Vec<&Image>, String)> {
        let undescribed: Vec<&Image> = self
            .images()
            .into_iter()
            .filter(|i| i.alt.trim().is_empty())
            .collect();
        let phrase = match undescribed.as_slice() {
            [] => return None,
            [one] => format!("image `{}` has", one.src),
            many => format!("{} images have", many.len()),
        };
        Some((undescribed, phrase))
    }

    /// The statistic with this id.
    pub fn statistic(&self, id: &str) -> Option<&Statistic> {
        self.statistics.iter().find(|s| s.id == id)
    }

    /// Every image of the article, footnotes included, in reading order.
    pub fn images(&self) -> Vec<&Image> {
        fn walk<'a>(blocks: &'a [Block], out: &mut Vec<&'a Image>) {
            for b in blocks {
                match b {
                    Block::Image(i) => out.push(i),
                    Block::List { items, .. } => items.iter().for_each(|i| walk(i, out)),
                    Block::Quote { blocks } => walk(blocks, out),
                    _ => {}
                }
            }
        }
        let mut out = Vec::new();
        walk(&self.blocks, &mut out);
        for note in &self.footnotes {
            walk(&note.blocks, &mut out);
        }
        out
    }

    /// Where the document's parts come from (its blocks', footnotes' and
    /// images' places), which its JSON does not carry.
    pub fn places(&self) -> Places {
        Places {
            blocks: self.block_at.clone(),
            notes: self.footnotes.iter().map(|n| n.at.clone()).collect(),
            images: self.images().iter().map(|i| i.at.clone()).collect(),
        }
    }

    /// Gives back the places [`Document::places`] took, after a change of
    /// the document's text that kept its shape (a copy through its JSON).
    pub fn with_places(mut self, places: Places) -> Self {
        fn walk<'a>(blocks: &'a mut [Block], out: &mut Vec<&'a mut Image>) {
            for b in blocks {
                match b {
                    Block::Image(i) => out.push(i),
                    Block::List { items, .. } => items.iter_mut().for_each(|i| walk(i, out)),
                    Block::Quote { blocks } => walk(blocks, out),
                    _ => {}
                }
            }
        }
        self.block_at = places.blocks;
        for (note, at) in self.footnotes.iter_mut().zip(places.notes) {
            note.at = at;
        }
        let mut images = Vec::new();
        walk(&mut self.blocks, &mut images);
        for note in &mut self.footnotes {
            walk(&mut note.blocks, &mut images);
        }
        for (image, at) in images.into_iter().zip(places.images) {
            image.at = at;
        }
        self
    }

    /// Where the first block (or footnote) holding a character comes from:
    /// for a finding about a character the document has.
    pub fn place_of(&self, c: char) -> Option<crate::diagnostic::Span> {
        let holds = |b: &Block| crate::text::block_texts(b).iter().any(|t| t.contains(c));
        self.blocks
            .iter()
            .zip(&self.block_at)
            .find(|(b, _)| holds(b))
            .and_then(|(_, at)| at.clone())
            .or_else(|| {
                self.footnotes
                    .iter()
                    .find(|n| n.blocks.iter().any(holds))
                    .and_then(|n| n.at.clone())
            })
    }

    /// Every chart of the document, in reading order (in lists and
    /// quotations too).
    pub fn charts(&self) -> Vec<&Chart> {
        fn walk<'a>(blocks: &'a [Block], out: &mut Vec<&'a Chart>) {
            for b in blocks {
                match b {
                    Block::Chart(c) => out.push(c),
                    Block::Quote { blocks } => walk(blocks, out),
                    Block::List { items, .. } => items.iter().for_each(|i| walk(i, out)),
                    _ => {}
                }
            }
        }
        let mut out = Vec::new();
        walk(&self.blocks, &mut out);
        out
    }

    /// The headings of the document as (level, id, plain text), in order.
    pub fn headings(&self) -> Vec<(u8, String, String)> {
        let mut out = Vec::new();
        for block in &self.blocks {
            if let Block::Heading { level, id, content } = block {
                out.push((*level, id.clone(), plain_text(content)));
            }
        }
        out
    }
}

/// The text of inline content with all formatting dropped.
pub fn plain_text(inlines: &[Inline]) -> String {
    let mut out = String::new();
    push_plain(inlines, &mut out);
    out
}

fn push_plain(inlines: &[Inline], out: &mut String) {
    for inline in inlines {
        match inline {
            Inline::Text { text } | Inline::Code { text } => out.push_str(text),
            Inline::Stat { text, citation, .. } => {
                out.push_str(text);
                if let Some(c) = citation {
                    out.push('\u{a0}');
                    out.push_str(c);
                }
            }
            Inline::Emphasis { content }
            | Inline::Strong { content }
            | Inline::Span { content, .. }
            | Inline::Link { content, .. } => push_plain(content, out),
            Inline::FootnoteRef { number } => out.push_str(&number.to_string()),
            Inline::LineBreak => out.push(' '),
        }
    }
}
