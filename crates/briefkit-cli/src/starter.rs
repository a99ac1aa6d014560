//! `briefkit new DIR`: a small pack that builds as it is, showing every
//! part of the format.

use std::path::Path;

const BRIEF: &str = r#"[brief]
title = "Your brief's title"
subtitle = "One line saying what the reader will learn"
organization = "Your organisation"
authors = ["Your name"]
date = "2026-01-15"
language = "en"
summary = "Two or three sentences a busy reader can stop after."
key_figures = ["example-people"]

[chart]
title = "People reached, by programme"
statistics = ["example-people", "example-people-b"]

[contact]
name = "Your name"
email = "you@example.org"

[output]
paper = "a4"
"#;

const ARTICLE: &str = r#"## What happened

Write the article here in Markdown. Cite each figure from `stats.csv`:
the programme reached {{stat "example-people"}} people, and the second one
{{stat "example-people-b"}}.[^note]

- Lists, **bold**, *italic* and [links](https://example.org) work.
- Tables and footnotes too.

[^note]: A footnote: say where a figure comes from or what it leaves out.
"#;

const STATS: &str = "id,value,unit,label,period,source,source_url,note
example-people,12500,people,People reached by the first programme,2025,Example Agency,https://example.org/report,
example-people-b,4300,people,People reached by the second programme,2025,Example Agency,https://example.org/report,
";

/// Writes the starter pack; refuses to touch a non-empty directory.
pub fn create(dir: &Path) -> Result<(), String> {
    if dir.exists()
        && std::fs::read_dir(dir)
            .map(|mut d| d.next().is_some())
            .unwrap_or(true)
    {
        return Err(format!(
            "{} exists and is not empty; choose a new directory",
            dir.display()
        ));
    }
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    for (name, text) in [
        ("brief.toml", BRIEF),
        ("article.md", ARTICLE),
        ("stats.csv", STATS),
    ] {
        briefkit_kit::write::atomic(&dir.join(name), text.as_bytes())?;
    }
    eprintln!(
        "created {}: build it with `briefkit build {}`",
        dir.display(),
        dir.display()
    );
    Ok(())
}
