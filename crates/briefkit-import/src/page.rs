//! Stage 1: the page to text lines — HTML read as a browser reads it,
//! menus, repeated headings and attribute debris dropped.

/// Turns HTML into text lines with a real HTML parser (html5ever, through
/// scraper), reading the page as a browser does: scripts, styles,
/// templates, navigation, headers, footers and forms are left out, block
/// elements end lines (the page's `<title>` too: it often names the site),
/// `<br>` breaks one, entities are decoded, and a link
/// to the web keeps its address before its text (rebuilt into a Markdown
/// link later).
pub fn html_to_text(html: &str) -> String {
    use ego_tree::iter::Edge;
    use scraper::Node;
    const SKIPPED: &[&str] = &[
        "script", "style", "noscript", "template", "nav", "header", "footer", "form", "svg",
        "iframe", "button", "select",
    ];
    const BLOCKS: &[&str] = &[
        "p",
        "div",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "tr",
        "section",
        "article",
        "title",
        "blockquote",
        "ul",
        "ol",
        "table",
        "main",
        "aside",
        "figure",
        "figcaption",
        "dd",
        "dt",
    ];
    let page = scraper::Html::parse_document(html);
    let mut out = String::new();
    // Depth inside skipped elements (they can nest: a form in a footer).
    let mut skipping = 0usize;
    for edge in page.tree.root().traverse() {
        match edge {
            Edge::Open(node) => match node.value() {
                Node::Element(e) => {
                    let name = e.name();
                    if skipping > 0 || SKIPPED.contains(&name) || is_banner(e) {
                        skipping += 1;
                        continue;
                    }
                    if BLOCKS.contains(&name) {
                        out.push_str("\n\n");
                    } else if name == "br" {
                        out.push('\n');
                    } else if name == "a" {
                        if let Some(href) = e.attr("href").filter(|h| h.starts_with("http")) {
                            out.push_str(href);
                            out.push(' ');
                        }
                    }
                }
                Node::Text(t) if skipping == 0 => out.push_str(t),
                _ => {}
            },
            Edge::Close(node) => {
                if let Node::Element(e) = node.value() {
                    if skipping > 0 {
                        skipping -= 1;
                    } else if BLOCKS.contains(&e.name()) {
                        out.push_str("\n\n");
                    }
                }
            }
        }
    }
    out.replace('\u{a0}', " ")
}

/// A cookie banner or consent dialog, by its id, class or role.
fn is_banner(e: &scraper::node::Element) -> bool {
    let marks = [
        e.id().unwrap_or(""),
        e.attr("class").unwrap_or(""),
        e.attr("role").unwrap_or(""),
    ];
    marks.iter().any(|m| {
        let m = m.to_ascii_lowercase();
        m.contains("cookie")
            || m.contains("consent")
            || m.contains("gdpr")
            || m == "dialog"
            || m == "banner"
    })
}

/// A line like "Our WorkOur Work..." (a heading printed twice) or a short
/// menu entry.
pub(crate) fn is_navigation(line: &str) -> bool {
    let t = line.trim();
    if t.is_empty() || t == "-" || t == "–" {
        return true;
    }
    let chars: Vec<char> = t.chars().collect();
    for k in 3..=chars.len() / 2 {
        if chars[..k] == chars[k..2 * k] {
            return true;
        }
    }
    (t.starts_with("- ") || t.starts_with("– ")) && t.len() < 40
}

/// Rescues e-mail addresses and URLs from attribute debris such as
/// `"mailto:a@b.org" target="_blank" title=` / `"">a@b.org`.
pub(crate) fn clean_debris(line: &str) -> String {
    let mut t = line.to_string();
    // `"">visible text`: keep what follows the tag's end.
    if let Some(i) = t.find("\">") {
        t = t[i + 2..].to_string();
    }
    for junk in [
        "target=\"_blank\"",
        "target=",
        "title=\"\"",
        "title=",
        "\"paragraph-link-underlined\"",
        "href=",
    ] {
        t = t.replace(junk, " ");
    }
    let t = t.replace('"', " ");
    let words: Vec<&str> = t
        .split_whitespace()
        .filter(|w| !w.starts_with("mailto:") && *w != "_blank")
        .collect();
    words.join(" ")
}
