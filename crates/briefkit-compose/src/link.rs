//! What a link or image address in a pack points at, and which of those an
//! output may carry. Only `http`, `https`, `mailto`, `tel` and in-document
//! `#anchors` ever become links: a `javascript:`, `file:`, `data:` or
//! `vbscript:` address is active content or a reach into the reader's
//! machine, and is refused wherever a pack writes one.

/// What an address points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkTarget {
    /// `http://` or `https://`.
    Web,
    /// `mailto:`.
    Mail,
    /// `tel:`.
    Phone,
    /// `#id` inside the document.
    Anchor,
    /// A relative path: a file of the pack.
    File(String),
    /// Any other scheme (lower-cased, without the colon), or `//` for an
    /// address that leaves its scheme to the reader.
    Forbidden(String),
}

/// The schemes an output may link to.
pub const ALLOWED_SCHEMES: [&str; 4] = ["http", "https", "mailto", "tel"];

/// The address as a browser reads it: ASCII white space and control
/// characters are dropped (`java\tscript:` is `javascript:` to a browser).
pub fn clean(url: &str) -> String {
    url.chars()
        .filter(|c| !(c.is_ascii_whitespace() || c.is_ascii_control()))
        .collect()
}

/// Classifies an address as a reader's software would resolve it.
pub fn classify(url: &str) -> LinkTarget {
    let url = clean(url);
    if url.starts_with('#') {
        return LinkTarget::Anchor;
    }
    if url.starts_with("//") || url.starts_with("\\\\") || url.starts_with("/\\") {
        return LinkTarget::Forbidden("//".into());
    }
    let end = url.find([':', '/', '?', '#', '\\']);
    if let Some(i) = end.filter(|&i| url[i..].starts_with(':')) {
        let scheme = &url[..i];
        let valid = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
        if valid {
            return match scheme.to_ascii_lowercase().as_str() {
                "http" | "https" => LinkTarget::Web,
                "mailto" => LinkTarget::Mail,
                "tel" => LinkTarget::Phone,
                other => LinkTarget::Forbidden(other.to_string()),
            };
        }
        // `:` after something that is not a scheme (`12:30`, `a b:c`): a path.
    }
    LinkTarget::File(url)
}

/// An address shortened for a message (a `data:` address can be megabytes).
pub fn shorten(url: &str) -> String {
    const MAX: usize = 60;
    if url.chars().count() <= MAX {
        url.to_string()
    } else {
        let head: String = url.chars().take(MAX).collect();
        format!("{head}…")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_web_mail_phone_and_anchors_are_links() {
        assert_eq!(classify("https://iom.int/x"), LinkTarget::Web);
        assert_eq!(classify("HTTP://iom.int"), LinkTarget::Web);
        assert_eq!(classify("mailto:a@b.org"), LinkTarget::Mail);
        assert_eq!(classify("tel:+52 55 1234"), LinkTarget::Phone);
        assert_eq!(classify("#sources"), LinkTarget::Anchor);
        for bad in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            " java\tscript:alert(1)",
            "java\nscript:alert(1)",
            "vbscript:msgbox",
            "file:///etc/passwd",
            "data:text/html,<script>",
        ] {
            assert!(
                matches!(classify(bad), LinkTarget::Forbidden(_)),
                "{bad:?} must be refused"
            );
        }
        assert_eq!(
            classify("//evil.example/x"),
            LinkTarget::Forbidden("//".into())
        );
        assert_eq!(
            classify("C:\\Windows\\win.ini"),
            LinkTarget::Forbidden("c".into())
        );
    }

    #[test]
    fn relative_paths_are_files() {
        assert_eq!(
            classify("images/map.png"),
            LinkTarget::File("images/map.png".into())
        );
        assert_eq!(
            classify("../secret.txt"),
            LinkTarget::File("../secret.txt".into())
        );
        assert_eq!(
            classify("notes/12:30.txt"),
            LinkTarget::File("notes/12:30.txt".into())
        );
    }
}
