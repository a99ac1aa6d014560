//! Where each value of a settings file or a YAML/JSON data file is written,
//! from its parser's spans (TOML's `DeTable`, serde-saphyr's `Spanned`):
//! the right line and column even when the same text is written twice,
//! found without searching the text. Built once per file and kept beside
//! what was read.

use briefkit_model::diagnostic::{SourceText, Span};
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;
use std::fmt;

/// A place in a file: its span.
type Place = Option<Span>;

/// A value's place in its file, and its children: a table's keys with
/// their own places, or a list's items.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Node {
    at: Place,
    children: Children,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
enum Children {
    #[default]
    Leaf,
    /// Each key: where the key is written, and its value.
    Table(Vec<(String, Place, Node)>),
    List(Vec<Node>),
}

impl Node {
    /// A table's value by key (with where the key is written), or a
    /// list's item by index (no key).
    fn get(&self, key: &str) -> Option<(Place, &Node)> {
        match &self.children {
            Children::Table(entries) => entries
                .iter()
                .find(|(k, _, _)| k == key)
                .map(|(_, at, node)| (at.clone(), node)),
            Children::List(items) => key
                .parse::<usize>()
                .ok()
                .and_then(|i| items.get(i))
                .map(|node| (None, node)),
            Children::Leaf => None,
        }
    }
}

/// The places of one file's values.
#[derive(Debug, Clone, Default)]
pub struct Places {
    file: String,
    root: Node,
    /// Front matter: `[brief]`'s keys are at the top level.
    brief_at_top: bool,
}

impl Places {
    /// No places known (a file that did not parse, or no file): every
    /// lookup answers `None`.
    pub fn none(file: &str) -> Self {
        Places {
            file: file.to_string(),
            root: Node::default(),
            brief_at_top: false,
        }
    }

    /// The places of a TOML text (none when it does not parse).
    pub fn of_toml(source: &SourceText) -> Self {
        use toml::de::{DeTable, DeValue};
        type Value<'i> = toml::Spanned<DeValue<'i>>;
        fn table(source: &SourceText, t: &DeTable<'_>) -> Children {
            Children::Table(
                t.iter()
                    .map(|(k, v)| {
                        let key_at = source.at(k.span().start);
                        (k.get_ref().to_string(), Some(key_at), node(source, v))
                    })
                    .collect(),
            )
        }
        fn node(source: &SourceText, value: &Value<'_>) -> Node {
            let children = match value.get_ref() {
                DeValue::Table(t) => table(source, t),
                DeValue::Array(a) => Children::List(a.iter().map(|v| node(source, v)).collect()),
                _ => Children::Leaf,
            };
            Node {
                at: Some(source.at(value.span().start)),
                children,
            }
        }
        match DeTable::parse(source.text()) {
            Ok(parsed) => Places {
                file: source.path().to_string(),
                root: Node {
                    at: None,
                    children: table(source, parsed.get_ref()),
                },
                brief_at_top: false,
            },
            Err(_) => Places::none(source.path()),
        }
    }

    /// The places of a YAML (or JSON) text: a file, or the front matter
    /// window of one. No places when it does not parse (its parser
    /// reports why, elsewhere).
    pub fn of_yaml(source: &SourceText) -> Self {
        match crate::yaml::parse::<Spanned<YamlNode>>(source, "YAML") {
            Ok(root) => Places {
                file: source.path().to_string(),
                root: root
                    .value
                    .into_node(place(source, &root.referenced), source),
                brief_at_top: false,
            },
            Err(_) => Places::none(source.path()),
        }
    }

    /// The places of a Markdown file's YAML front matter (`yaml`, from
    /// line 2 of `file`), named as `brief.toml`'s settings are: its top
    /// level is `[brief]`, so `["brief", "title"]` is `title:`.
    pub fn of_front_matter(yaml: &SourceText) -> Self {
        Places {
            brief_at_top: true,
            ..Places::of_yaml(yaml)
        }
    }

    /// Where the value at `path` is written, else the file itself (a
    /// setting not written, or a file that did not parse).
    pub fn at<S: AsRef<str>>(&self, path: &[S]) -> Span {
        self.value(path).unwrap_or_else(|| Span::file(&self.file))
    }

    /// Where the setting at `path` names the file `name`; the file `name`
    /// itself when the setting is not written (a default such as
    /// `article.md`).
    pub fn named<S: AsRef<str>>(&self, path: &[S], name: &str) -> Span {
        self.value(path).unwrap_or_else(|| Span::file(name))
    }

    /// Where the value at `path` is written (`["brief", "language"]`; a
    /// list's item by its index, `["output", "formats", "1"]`).
    pub fn value<S: AsRef<str>>(&self, path: &[S]) -> Option<Span> {
        self.node(path).and_then(|n| n.at.clone())
    }

    /// Where the key at the end of `path` is written (`None` for a list's
    /// item, which has no key).
    pub fn key<S: AsRef<str>>(&self, path: &[S]) -> Option<Span> {
        let (last, parent) = path.split_last()?;
        let (key_at, _) = self.node(parent)?.get(last.as_ref())?;
        key_at
    }

    /// Whether nothing is known (the file did not parse).
    pub fn is_empty(&self) -> bool {
        self.root == Node::default()
    }

    /// The value at `path` (front matter's top level is `brief.toml`'s
    /// `[brief]`).
    fn node<S: AsRef<str>>(&self, path: &[S]) -> Option<&Node> {
        let path = match path.split_first() {
            Some((first, rest)) if self.brief_at_top && first.as_ref() == "brief" => rest,
            _ => path,
        };
        path.iter().try_fold(&self.root, |node, key| {
            node.get(key.as_ref()).map(|(_, n)| n)
        })
    }
}

fn place(source: &SourceText, at: &serde_saphyr::Location) -> Place {
    (at.line() > 0).then(|| crate::yaml::span(source, at))
}

/// A YAML value as serde-saphyr reads it with the place of every key and
/// value inside it (only the shape is kept, not the text).
enum YamlNode {
    Leaf,
    Table(Vec<(Spanned<String>, Spanned<YamlNode>)>),
    List(Vec<Spanned<YamlNode>>),
}

impl YamlNode {
    fn into_node(self, at: Place, source: &SourceText) -> Node {
        let children = match self {
            YamlNode::Leaf => Children::Leaf,
            YamlNode::Table(entries) => Children::Table(
                entries
                    .into_iter()
                    .map(|(k, v)| {
                        let value_at = place(source, &v.referenced);
                        (
                            k.value,
                            place(source, &k.referenced),
                            v.value.into_node(value_at, source),
                        )
                    })
                    .collect(),
            ),
            YamlNode::List(items) => Children::List(
                items
                    .into_iter()
                    .map(|v| {
                        let at = place(source, &v.referenced);
                        v.value.into_node(at, source)
                    })
                    .collect(),
            ),
        };
        Node { at, children }
    }
}

impl<'de> Deserialize<'de> for YamlNode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Shape;
        impl<'de> Visitor<'de> for Shape {
            type Value = YamlNode;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any YAML value")
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<YamlNode, E> {
                Ok(YamlNode::Leaf)
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<YamlNode, E> {
                Ok(YamlNode::Leaf)
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<YamlNode, E> {
                Ok(YamlNode::Leaf)
            }
            fn visit_i128<E: de::Error>(self, _: i128) -> Result<YamlNode, E> {
                Ok(YamlNode::Leaf)
            }
            fn visit_u128<E: de::Error>(self, _: u128) -> Result<YamlNode, E> {
                Ok(YamlNode::Leaf)
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<YamlNode, E> {
                Ok(YamlNode::Leaf)
            }
            fn visit_str<E: de::Error>(self, _: &str) -> Result<YamlNode, E> {
                Ok(YamlNode::Leaf)
            }
            fn visit_bytes<E: de::Error>(self, _: &[u8]) -> Result<YamlNode, E> {
                Ok(YamlNode::Leaf)
            }
            fn visit_unit<E: de::Error>(self) -> Result<YamlNode, E> {
                Ok(YamlNode::Leaf)
            }
            fn visit_none<E: de::Error>(self) -> Result<YamlNode, E> {
                Ok(YamlNode::Leaf)
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<YamlNode, D::Error> {
                YamlNode::deserialize(d)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<YamlNode, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element::<Spanned<YamlNode>>()? {
                    items.push(item);
                }
                Ok(YamlNode::List(items))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<YamlNode, A::Error> {
                let mut entries = Vec::new();
                while let Some(key) = map.next_key::<Spanned<String>>()? {
                    let value = map.next_value::<Spanned<YamlNode>>()?;
                    entries.push((key, value));
                }
                Ok(YamlNode::Table(entries))
            }
        }
        deserializer.deserialize_any(Shape)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(l: Option<Span>) -> Option<(usize, usize)> {
        l.and_then(|l| {
            let l = l.resolve();
            Some((l.line?, l.column?))
        })
    }

    fn source(file: &str, text: &str) -> SourceText {
        SourceText::new(file, text.into())
    }

    #[test]
    fn toml_values_and_keys_are_placed_even_when_written_twice() {
        let text = "[brief]\nsubtitle = \"en_GB\"\nlanguage = \"en_GB\"\nkey_figures = [\"a\", \"en_GB\"]\n";
        let p = Places::of_toml(&source("brief.toml", text));
        assert_eq!(at(p.value(&["brief", "language"])), Some((3, 12)));
        assert_eq!(at(p.key(&["brief", "language"])), Some((3, 1)));
        assert_eq!(at(p.value(&["brief", "key_figures", "1"])), Some((4, 21)));
        assert_eq!(p.key(&["brief", "key_figures", "1"]), None);
        assert_eq!(p.value(&["brief", "nothing"]), None);
        assert!(Places::of_toml(&source("brief.toml", "[brief")).is_empty());
    }

    #[test]
    fn yaml_values_and_keys_are_placed_in_the_whole_file() {
        let yaml = "title: x\nlanguage: en_GB\nsubtitle: en_GB\nstatistics:\n  - id: a\n    value: 1\n  - {id: en_GB, value: 2}\n";
        let file = format!("---\n{yaml}---\n");
        let text = source("a.md", &file).window(4..4 + yaml.len());
        let p = Places::of_yaml(&text);
        assert_eq!(at(p.value(&["subtitle"])), Some((4, 11)));
        assert_eq!(at(p.key(&["subtitle"])), Some((4, 1)));
        assert_eq!(at(p.value(&["statistics", "1", "id"])), Some((8, 10)));
        assert_eq!(at(p.value(&["statistics", "0"])), Some((6, 5)));
        assert_eq!(at(p.key(&["statistics"])), Some((5, 1)));
        assert!(Places::of_yaml(&source("a.md", "a: [")).is_empty());
        let fm = Places::of_front_matter(&text);
        assert_eq!(at(fm.value(&["brief", "subtitle"])), Some((4, 11)));
        assert_eq!(at(Some(fm.named(&["brief", "article"], "a.md"))), None);
        assert_eq!(fm.at(&["brief", "nothing"]), Span::file("a.md"));
    }

    #[test]
    fn json_records_are_placed() {
        let text = "[\n  {\"iso3\": \"MEX\"},\n  {\"iso3\": \"GTM\", \"n\": 1.5}\n]\n";
        let p = Places::of_yaml(&source("c.json", text));
        assert_eq!(at(p.value(&["1", "iso3"])), Some((3, 12)));
        assert_eq!(at(p.value(&["1"])), Some((3, 3)));
    }
}
