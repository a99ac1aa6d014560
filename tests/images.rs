//! Page images (`-f png,svg`): the PDF's pages drawn from the same layout,
//! compared with poppler's rendering of the PDF and with Chromium's of the
//! SVG, in English, Arabic and Chinese; their text layer read in logical
//! order; names, settings, rebuilds and hostile outputs.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use briefkit_test_support::*;
use std::path::{Path, PathBuf};

/// Mean absolute difference (grey levels, 0–255) a page image may have
/// from poppler's rendering of the same PDF page at the same resolution:
/// the two differ in anti-aliasing at every glyph edge (measured 1.2–4.8
/// on the three examples), and a word missing or out of place adds more.
const MEAN_BOUND: f64 = 6.0;
/// The most the mean ink of one 24 × 24 pixel tile may differ (measured
/// at most 9.4): a word missing, moved by a line or drawn in another face
/// makes a tile differ by 40 or more.
const TILE_BOUND: f64 = 16.0;
const TILE: usize = 24;

fn grey(path: &Path) -> (usize, usize, Vec<f64>) {
    let img = image::open(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .to_luma8();
    let (w, h) = (img.width() as usize, img.height() as usize);
    (w, h, img.into_raw().into_iter().map(f64::from).collect())
}

/// (mean absolute difference, largest difference of a tile's mean) of two
/// images of the same size, to within a pixel (poppler rounds up).
fn difference(a: &Path, b: &Path) -> (f64, f64) {
    let (aw, ah, av) = grey(a);
    let (bw, bh, bv) = grey(b);
    assert!(
        aw.abs_diff(bw) <= 1 && ah.abs_diff(bh) <= 1,
        "{} is {aw}×{ah}, {} is {bw}×{bh}",
        a.display(),
        b.display()
    );
    let (w, h) = (aw.min(bw), ah.min(bh));
    let mut total = 0.0;
    let (tw, th) = (w / TILE, h / TILE);
    let mut tiles = vec![0.0f64; tw * th];
    for y in 0..h {
        for x in 0..w {
            let (p, q) = (av[y * aw + x], bv[y * bw + x]);
            total += (p - q).abs();
            if x / TILE < tw && y / TILE < th {
                tiles[(y / TILE) * tw + x / TILE] += p - q;
            }
        }
    }
    let worst = tiles
        .iter()
        .map(|t| (t / (TILE * TILE) as f64).abs())
        .fold(0.0, f64::max);
    (total / (w * h) as f64, worst)
}

/// Builds `pack` into a fresh folder with `args`; the folder.
fn images_of(pack: &Path, name: &str, args: &[&str]) -> PathBuf {
    let out = scratch(name);
    let o = briefkit_build(pack, &out, &[&["--force", "-q"], args].concat());
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    out
}

fn page_files(out: &Path, stem: &str, ext: &str) -> Vec<PathBuf> {
    let mut files: Vec<(usize, PathBuf)> = std::fs::read_dir(out)
        .unwrap()
        .filter_map(|e| {
            let path = e.unwrap().path();
            let name = path.file_name()?.to_str()?.to_string();
            let page = name
                .strip_prefix(&format!("{stem}-"))?
                .strip_suffix(&format!(".{ext}"))?
                .parse()
                .ok()?;
            Some((page, path))
        })
        .collect();
    files.sort();
    files.into_iter().map(|(_, p)| p).collect()
}

fn pdf_pages(pdf: &Path) -> usize {
    let (ok, info) = run("pdfinfo", &[pdf.to_str().unwrap()]);
    assert!(ok, "{info}");
    info.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap()
}

/// poppler's rendering of page `page` of `pdf` at 144 pixels per inch.
fn poppler_page(pdf: &Path, page: usize, dir: &Path) -> PathBuf {
    let prefix = dir.join(format!("poppler-{page}"));
    let n = page.to_string();
    let (ok, text) = run(
        "pdftoppm",
        &[
            "-r",
            "144",
            "-png",
            "-singlefile",
            "-f",
            &n,
            "-l",
            &n,
            pdf.to_str().unwrap(),
            prefix.to_str().unwrap(),
        ],
    );
    assert!(ok, "{text}");
    prefix.with_extension("png")
}

fn the_examples() -> Vec<(&'static str, bool)> {
    let mut list = vec![
        ("mexico-trafficking", false),
        ("mexico-trafficking-ar", false),
    ];
    if have_cjk_fonts() {
        list.push(("mexico-trafficking-zh", true));
    }
    list
}

#[test]
fn every_page_image_is_the_pdf_page_as_poppler_draws_it() {
    if !have("pdftoppm", &["-v"]) {
        return;
    }
    // The examples, and a pack with a PNG image on US Letter.
    let mut packs: Vec<(PathBuf, &str)> = the_examples()
        .into_iter()
        .map(|(name, _)| (example_named(name), name))
        .collect();
    packs.push((root().join("tests/fixtures/packs/yaml-image"), "yaml-image"));
    for (pack, name) in packs {
        let out = images_of(&pack, &format!("images-{name}"), &["-f", "pdf,png,svg"]);
        let pdf = out.join(format!("{name}.pdf"));
        let pages = pdf_pages(&pdf);
        let pngs = page_files(&out, name, "png");
        assert_eq!(pngs.len(), pages, "{name}: a PNG a page");
        assert_eq!(
            page_files(&out, name, "svg").len(),
            pages,
            "{name}: an SVG a page"
        );
        let mut references = Vec::new();
        for (i, png) in pngs.iter().enumerate() {
            let reference = poppler_page(&pdf, i + 1, &out);
            let (mean, tile) = difference(png, &reference);
            eprintln!(
                "{name} page {}: mean {mean:.2}, worst tile {tile:.2}",
                i + 1
            );
            assert!(
                mean <= MEAN_BOUND && tile <= TILE_BOUND,
                "{}: differs from poppler's page {} (mean {mean:.2} > {MEAN_BOUND} or tile {tile:.2} > {TILE_BOUND})",
                png.display(),
                i + 1
            );
            references.push(reference);
        }
        if references.len() < 2 {
            continue;
        }
        // The comparison can fail: another page is far outside the bounds.
        let (mean, tile) = difference(&pngs[0], &references[1]);
        assert!(
            mean > MEAN_BOUND || tile > TILE_BOUND,
            "{name}: page 1 passes for page 2 (mean {mean:.2}, tile {tile:.2})"
        );
    }
}

/// The text of an SVG page's `<text>` elements, in document order; the SVG
/// must be well-formed XML.
fn text_layer(svg: &Path) -> Vec<String> {
    use quick_xml::events::Event;
    let xml = std::fs::read_to_string(svg).unwrap();
    let mut reader = quick_xml::Reader::from_str(&xml);
    let mut texts = Vec::new();
    let mut inside = false;
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) if e.name().as_ref() == b"text" => {
                inside = true;
                texts.push(String::new());
            }
            Ok(Event::End(e)) if e.name().as_ref() == b"text" => inside = false,
            Ok(Event::Text(t)) if inside => {
                let text = t.decode().unwrap();
                texts.last_mut().unwrap().push_str(&text);
            }
            Ok(Event::GeneralRef(r)) if inside => {
                let name = String::from_utf8_lossy(&r).into_owned();
                let c = match name.as_str() {
                    "amp" => "&",
                    "lt" => "<",
                    "gt" => ">",
                    "quot" => "\"",
                    other => panic!("{}: unexpected entity &{other};", svg.display()),
                };
                texts.last_mut().unwrap().push_str(c);
            }
            Ok(Event::Eof) => break,
            Err(e) => panic!("{} is not well-formed XML: {e}", svg.display()),
            _ => {}
        }
    }
    texts
}

#[test]
fn the_svg_pages_are_xml_whose_text_reads_in_logical_order() {
    for (name, cjk) in the_examples() {
        let pack = example_named(name);
        let out = images_of(&pack, &format!("images-text-{name}"), &["-f", "svg"]);
        let svgs = page_files(&out, name, "svg");
        assert!(!svgs.is_empty());
        let mut layer = Vec::new();
        for svg in &svgs {
            let xml = std::fs::read_to_string(svg).unwrap();
            assert!(!xml.contains("<script"), "{}", svg.display());
            assert!(xml.contains("<title>"), "{}: no title", svg.display());
            layer.extend(text_layer(svg));
        }
        // A line ending in an added (soft) hyphen runs on into the next.
        let all = reading_words(&layer.join(" ").replace("\u{ad} ", ""), cjk);
        assert_words_in_reading_order(
            &all,
            &compose_pack(&pack),
            cjk,
            &format!("{name}: the SVG's text"),
        );
        if cjk {
            // Spaced by position, not by a space in the text.
            assert!(layer.iter().any(|t| t.contains("2005年")), "{layer:?}");
            assert!(!layer.iter().any(|t| t.contains("2005 年")), "{layer:?}");
        }
    }
}

#[test]
fn chromium_draws_each_svg_page_as_the_png() {
    if !Path::new("/usr/bin/chromium").is_file() {
        assert!(
            may_skip_validators(),
            "Chromium is missing: run scripts/test"
        );
        return;
    }
    for (name, _) in the_examples() {
        let out = images_of(
            &example_named(name),
            &format!("images-chromium-{name}"),
            &["-f", "png,svg", "--pages", "2"],
        );
        let svg = out.join(format!("{name}-2.svg"));
        let png = out.join(format!("{name}-2.png"));
        assert!(
            !out.join(format!("{name}-1.png")).exists(),
            "--pages 2 drew page 1"
        );
        let shot = out.join("chromium.png");
        let _turn = chromium_turn();
        // A4 is 793.7 × 1122.5 CSS pixels; 1.5 device pixels each is 144 ppi.
        let o = std::process::Command::new("/usr/bin/chromium")
            .args([
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--hide-scrollbars",
                "--force-device-scale-factor=1.5",
                "--window-size=794,1123",
                &format!("--screenshot={}", shot.display()),
                &format!("file://{}", svg.display()),
            ])
            .output()
            .unwrap();
        assert!(shot.is_file(), "{}", String::from_utf8_lossy(&o.stderr));
        let (mean, tile) = difference(&png, &shot);
        eprintln!("{name}: Chromium's SVG against the PNG: mean {mean:.2}, worst tile {tile:.2}");
        assert!(
            mean <= 2.0 && tile <= 8.0,
            "{name}: Chromium draws the SVG otherwise than the PNG (mean {mean:.2}, tile {tile:.2})"
        );
    }
}

#[test]
fn page_images_are_the_same_bytes_every_build_and_named_by_row_in_a_batch() {
    let pack = example_named("country-briefs");
    let args = ["-f", "png,svg", "--pages", "1", "--ppi", "36"];
    let first = images_of(&pack, "images-batch-1", &args);
    let second = images_of(&pack, "images-batch-2", &args);
    let names = |dir: &Path| -> Vec<String> {
        let mut n: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| !n.starts_with('.'))
            .collect();
        n.sort();
        n
    };
    let listed = names(&first);
    assert!(listed.len() >= 4, "{listed:?}");
    for name in &listed {
        assert!(
            name.ends_with("-1.png") || name.ends_with("-1.svg"),
            "only page 1 of each row: {listed:?}"
        );
        assert_eq!(
            std::fs::read(first.join(name)).unwrap(),
            std::fs::read(second.join(name)).unwrap(),
            "{name} differs between two builds"
        );
    }
    assert_eq!(listed, names(&second));
    // 36 pixels an inch: an A4 page is 298 × 421 pixels, and says so.
    let png = first.join(listed.iter().find(|n| n.ends_with(".png")).unwrap());
    let (w, h, _) = grey(&png);
    assert_eq!((w, h), (298, 421));
    let bytes = std::fs::read(&png).unwrap();
    let phys = bytes.windows(4).position(|w| w == b"pHYs").unwrap();
    let per_metre = u32::from_be_bytes(bytes[phys + 4..phys + 8].try_into().unwrap());
    assert_eq!(per_metre, 1417, "36 ppi is 1417 pixels a metre");
}

#[test]
fn page_images_are_not_built_unless_asked_for() {
    let out = images_of(&example(), "images-default", &[]);
    let mut exts: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .filter_map(|e| {
            let p = e.unwrap().path();
            p.extension().map(|x| x.to_string_lossy().into_owned())
        })
        .collect();
    exts.sort();
    assert_eq!(exts, ["docx", "epub", "pdf"]);
    // Named in the pack, with their settings.
    let dir = scratch("images-in-the-pack");
    let pack = dir.join("pack");
    copy_pack(&example(), &pack);
    let toml = std::fs::read_to_string(pack.join("brief.toml")).unwrap();
    assert!(
        toml.contains("[output]\n"),
        "the example has an [output] table"
    );
    let toml = toml.replacen("[output]\n", "[output]\nformats = [\"pdf\", \"svg\"]\n", 1);
    std::fs::write(
        pack.join("brief.toml"),
        format!("{toml}\n[output.svg]\npages = \"2-\"\n"),
    )
    .unwrap();
    let o = briefkit(&["build", pack.to_str().unwrap(), "-q"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let mut names: Vec<String> = std::fs::read_dir(pack.join("out"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.'))
        .collect();
    names.sort();
    assert_eq!(names, ["pack-2.svg", "pack-3.svg", "pack.pdf"]);
}

#[test]
fn page_settings_that_cannot_be_used_are_located_errors() {
    let cases: [(&str, &str, &str); 5] = [
        (
            "[output.png]\nppi = 5000\n",
            "ppi = 5000 is outside 1–600",
            "brief.toml:",
        ),
        (
            "[output.png]\npages = \"3-1\"\n",
            "runs backwards",
            "brief.toml:",
        ),
        (
            "[output.svg]\npages = 0\n",
            "numbered from 1",
            "brief.toml:",
        ),
        (
            "[output.svg]\nppi = 100\n",
            "an SVG has no pixels",
            "brief.toml:",
        ),
        (
            "[output.png]\nscale = 2\n",
            "unknown field `scale`",
            "brief.toml:",
        ),
    ];
    for (i, (table, says, at)) in cases.iter().enumerate() {
        let dir = scratch(&format!("images-settings-{i}"));
        let pack = dir.join("pack");
        copy_pack(&example(), &pack);
        let toml = std::fs::read_to_string(pack.join("brief.toml")).unwrap();
        std::fs::write(pack.join("brief.toml"), format!("{toml}\n{table}")).unwrap();
        let o = briefkit(&["build", pack.to_str().unwrap(), "-f", "png,svg", "-q"]);
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{table}: {stderr}");
        assert!(stderr.contains(says), "{table}: {stderr}");
        assert!(stderr.contains(at), "{table}: not located: {stderr}");
        assert!(!pack.join("out").join("pack-1.png").exists());
    }
    // On the command line, the option is named; past the last page, the
    // build says how many pages there are.
    let dir = scratch("images-settings-cli");
    let pack = dir.join("pack");
    copy_pack(&example(), &pack);
    for (args, says) in [
        (&["--ppi", "0"][..], "--ppi: ppi = 0 is outside"),
        (
            &["--pages", "x"][..],
            "--pages: pages = \"x\": `x` is not a page number",
        ),
        (
            &["--pages", "40-"][..],
            "the brief has 3 pages; pages = \"40-\" selects none",
        ),
    ] {
        let mut all = vec!["build", pack.to_str().unwrap(), "-f", "png", "-q"];
        all.extend_from_slice(args);
        let o = briefkit(&all);
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert_ne!(o.status.code(), Some(0), "{args:?}");
        assert!(stderr.contains(says), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
}

#[cfg(unix)]
#[test]
fn a_link_or_fifo_where_a_page_image_goes_is_refused_and_nothing_outside_changes() {
    use std::os::unix::fs::symlink;
    for (i, plant) in ["link", "dangling", "fifo"].iter().enumerate() {
        let dir = scratch(&format!("images-hostile-{i}"));
        let pack = dir.join("pack");
        copy_pack(&example(), &pack);
        let elsewhere = dir.join("elsewhere");
        std::fs::create_dir(&elsewhere).unwrap();
        std::fs::write(elsewhere.join("keep.txt"), "someone else's file\n").unwrap();
        let out = pack.join("out");
        std::fs::create_dir(&out).unwrap();
        let target = out.join("pack-2.png");
        match *plant {
            "link" => symlink(elsewhere.join("keep.txt"), &target).unwrap(),
            "dangling" => symlink(elsewhere.join("new.png"), &target).unwrap(),
            _ => {
                let (ok, text) = run("mkfifo", &[target.to_str().unwrap()]);
                assert!(ok, "{text}");
            }
        }
        let before = tree(&dir, &dir.join("nothing"));
        let started = std::time::Instant::now();
        let o = briefkit(&["build", pack.to_str().unwrap(), "-f", "png", "-q"]);
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert!(started.elapsed().as_secs() < 60, "{plant}: the build hung");
        assert_eq!(
            o.status.code(),
            Some(2),
            "{plant}: a failure to write: {stderr}"
        );
        assert!(stderr.contains("pack-2.png"), "{plant}: {stderr}");
        let why = if *plant == "fifo" {
            "is not a regular file"
        } else {
            "is a symbolic link"
        };
        assert!(stderr.contains(why), "{plant}: {stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
        assert!(
            !out.join("pack-1.png").exists(),
            "{plant}: page 1 was written before the refusal"
        );
        let after = tree(&dir, &dir.join("nothing"));
        for (path, hash) in &before {
            if path.starts_with(&elsewhere) {
                assert_eq!(
                    after.get(path),
                    Some(hash),
                    "{plant}: {} changed",
                    path.display()
                );
            }
        }
        assert_eq!(
            std::fs::read_dir(&elsewhere).unwrap().count(),
            1,
            "{plant}: something was written outside"
        );
    }
}

#[test]
fn what_the_pdf_and_the_page_images_find_alike_is_said_once_for_the_images() {
    let dir = scratch("images-said-once");
    let pack = dir.join("pack");
    copy_pack(&example(), &pack);
    append_to_article(&pack, "A snowman \u{2603} and a tile \u{1f004} here.");
    let o = briefkit(&[
        "build",
        pack.to_str().unwrap(),
        "-f",
        "pdf,png,svg",
        "--ignore-system-fonts",
        "-q",
    ]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{stderr}");
    let said = |what: &str| {
        stderr
            .lines()
            .filter(|l| l.starts_with("warning: no font has") && l.ends_with(what))
            .count()
    };
    assert_eq!(said("left out of the PDF"), 1, "{stderr}");
    assert_eq!(said("left out of the page images"), 1, "{stderr}");
}

#[test]
fn pages_a_brief_no_longer_has_are_removed_unless_someone_changed_them() {
    let dir = scratch("images-stale");
    let pack = dir.join("pack");
    copy_pack(&example(), &pack);
    let out = pack.join("out");
    let build = |formats: &str| {
        let o = briefkit(&["build", pack.to_str().unwrap(), "-f", formats]);
        let stderr = String::from_utf8_lossy(&o.stderr).into_owned();
        assert!(o.status.success(), "{stderr}");
        stderr
    };
    // A long brief first: the example and forty more paragraphs.
    let words = "The workshop heard from officials, advocates and consular staff. ".repeat(12);
    for _ in 0..40 {
        append_to_article(&pack, &words);
    }
    build("png,svg");
    let before = page_files(&out, "pack", "png").len();
    assert!(before >= 5, "{before} pages");
    // The article shrinks to a paragraph: the brief to two pages.
    std::fs::write(
        pack.join("article.md"),
        "## Summary\n\nOne paragraph, and {{stat \"unicef-children-exploited\"}} children.\n",
    )
    .unwrap();
    // Someone keeps their own picture under the last page's name.
    let last = format!("pack-{before}.png");
    std::fs::write(out.join(&last), b"my own picture").unwrap();
    // And a link where page 3 was: never followed, never removed.
    let keep = dir.join("keep.txt");
    std::fs::write(&keep, "someone else's file\n").unwrap();
    std::fs::remove_file(out.join("pack-3.png")).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(&keep, out.join("pack-3.png")).unwrap();
    let stderr = build("pdf,png");
    assert_eq!(
        pdf_pages(&out.join("pack.pdf")),
        2,
        "the brief should now be two pages"
    );
    assert!(out.join("pack-1.png").is_file() && out.join("pack-2.png").is_file());
    #[cfg(unix)]
    assert!(
        std::fs::symlink_metadata(out.join("pack-3.png"))
            .unwrap()
            .file_type()
            .is_symlink()
            && std::fs::read(&keep).unwrap() == b"someone else's file\n",
        "the link was removed or followed"
    );
    for page in 4..before {
        let name = format!("pack-{page}.png");
        assert!(
            !out.join(&name).exists(),
            "{name}, a page the brief no longer has, stays: {stderr}"
        );
        assert!(
            stderr.contains(&format!("removed {}", out.join(&name).display())),
            "{stderr}"
        );
    }
    assert_eq!(
        std::fs::read(out.join(&last)).unwrap(),
        b"my own picture",
        "a file someone changed was removed or rewritten"
    );
    // The SVG pages were not built this time: left as they are.
    assert_eq!(page_files(&out, "pack", "svg").len(), before, "{stderr}");
}
