//! `briefkit serve`: the preview in a real browser (headless Chromium
//! driven by puppeteer: pages shown, a save shown within a second, a broken
//! file's finding over the last good pages, the e-book tab, a batch row,
//! axe-core), and the server itself at the socket: its own Host only,
//! nothing served but the brief's renderings.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use briefkit_test_support::*;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};

#[test]
fn an_author_sees_every_save_in_the_preview_within_a_second() {
    let Some(ace) = crate::epub::ace_dir() else {
        return;
    };
    assert!(
        ace.join("node_modules/axe-core/axe.min.js").is_file(),
        "axe-core is not installed in {} (scripts/test installs it)",
        ace.display()
    );
    let dir = scratch("serve-browser");
    let pack = dir.join("mexico-trafficking");
    copy_pack(&example(), &pack);
    let shot = dir.join("preview.png");
    let result = chromium_script(
        &ace,
        "serve_preview.js",
        &[
            briefkit_bin().display().to_string(),
            pack.display().to_string(),
            "3".into(),
            shot.display().to_string(),
            root().join("examples/country-briefs").display().to_string(),
            root()
                .join("examples/mexico-trafficking-ar")
                .display()
                .to_string(),
        ],
    );
    eprintln!("{result:#}");
    assert!(result["failure"].is_null(), "{result:#}");
    assert_eq!(
        result["console_errors"],
        serde_json::json!([]),
        "{result:#}"
    );
    assert_eq!(result["pages"], 3, "as many pages as the PDF");
    assert_eq!(
        result["downloads"],
        serde_json::json!(["PDF", "EPUB", "DOCX"])
    );
    assert_eq!(result["findings"], 3, "the example's three warnings");
    assert!(
        result["finding_place"]
            .as_str()
            .unwrap()
            .ends_with("stats.csv:2:1"),
        "{result:#}"
    );
    let update = result["update_ms"].as_u64().unwrap();
    assert!(update < 1000, "the save showed after {update} ms");
    assert_eq!(result["reloaded"], false, "the page reloaded");
    assert_eq!(result["scroll_kept"], true, "the scroll position was lost");
    let errors = result["error_text"].as_str().unwrap();
    assert!(
        errors.contains("stats.csv:2:1") && errors.contains("non-numeric value `lots`"),
        "{errors}"
    );
    assert_eq!(result["pages_kept"], 3, "the last good pages stay");
    assert_eq!(result["word_kept"], true, "the last good pages stay");
    assert_eq!(
        result["epub_tab"], "tab-epub",
        "the arrow key moves to the e-book tab"
    );
    assert!(
        result["epub_text"]
            .as_str()
            .unwrap()
            .contains("Practical Approaches to Combating"),
        "{result:#}"
    );
    assert_eq!(
        result["epub_scroll"], 400,
        "the e-book's scroll position after a save"
    );
    assert_eq!(
        result["axe_violations"],
        serde_json::json!([]),
        "{result:#}"
    );
    assert_eq!(result["foreign_host"], 403);
    assert_eq!(result["own_host"], 200);
    assert_eq!(result["rows"].as_array().unwrap().len(), 5);
    let titles = result["row_titles"].as_array().unwrap();
    assert!(
        titles[0].as_str().unwrap().starts_with("Mexico"),
        "{titles:?}"
    );
    assert!(
        titles[1].as_str().unwrap().starts_with("Guatemala"),
        "{titles:?}"
    );
    assert_eq!(result["row_in_url"], result["rows"][1]);
    // Two packs of the brief, in English and Arabic: a picker by language.
    let languages = result["languages"].as_array().unwrap();
    assert_eq!(languages.len(), 2, "{languages:?}");
    assert!(
        languages[0]
            .as_str()
            .unwrap()
            .starts_with("English — Practical"),
        "{languages:?}"
    );
    assert!(
        languages[1]
            .as_str()
            .unwrap()
            .starts_with("Arabic — مقاربات"),
        "{languages:?}"
    );
    let arabic = &result["language_title"];
    assert!(
        arabic["text"].as_str().unwrap().starts_with("مقاربات"),
        "{arabic}"
    );
    assert_eq!(arabic["lang"], "ar", "{arabic}");
    assert_eq!(arabic["direction"], "rtl", "{arabic}");
    assert_eq!(arabic["svg_lang"], "ar", "{arabic}");
    let places = result["language_findings"].as_array().unwrap();
    assert!(
        !places.is_empty()
            && places
                .iter()
                .all(|p| p.as_str().unwrap().contains("mexico-trafficking-ar")),
        "the Arabic pack's findings: {places:?}"
    );
    assert!(shot.is_file());
}

/// `briefkit serve PACK --port 0 ARGS`, and its address once printed.
/// The caller kills and waits for the server it gets.
#[allow(clippy::zombie_processes)]
fn serve(pack: &Path, args: &[&str]) -> (Child, String, String) {
    let mut child = Command::new(briefkit_bin())
        .arg("serve")
        .arg(pack)
        .args(["--port", "0"])
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut said = String::new();
    loop {
        let mut line = String::new();
        if stderr.read_line(&mut line).unwrap() == 0 {
            let _ = child.kill();
            let _ = child.wait();
            panic!("serve stopped: {said}");
        }
        said.push_str(&line);
        if let Some(at) = line.find("http://") {
            let url = line[at..].split_whitespace().next().unwrap().to_string();
            return (child, url, said);
        }
    }
}

/// A raw HTTP/1.1 GET of `path` with the `Host` header `host` (none when
/// empty): the status and the body.
fn get(url: &str, path: &str, host: &str) -> (u16, String) {
    let address = url.trim_start_matches("http://").trim_end_matches('/');
    let mut stream = std::net::TcpStream::connect(address).unwrap();
    let host_line = if host.is_empty() {
        String::new()
    } else {
        format!("Host: {host}\r\n")
    };
    write!(
        stream,
        "GET {path} HTTP/1.1\r\n{host_line}Connection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    let text = String::from_utf8_lossy(&response).into_owned();
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = text
        .split_once("\r\n\r\n")
        .map_or("", |(_, b)| b)
        .to_string();
    (status, body)
}

#[test]
fn the_server_answers_only_its_own_name_and_serves_only_the_brief() {
    let dir = scratch("serve-socket");
    let pack = dir.join("pack");
    copy_pack(&example(), &pack);
    std::fs::write(dir.join("secret.txt"), "not for the web\n").unwrap();
    // A link to the root of the disk and a FIFO in the pack: the watcher
    // neither walks the disk nor blocks on the FIFO.
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink("/", pack.join("everything")).unwrap();
        let (ok, text) = run("mkfifo", &[pack.join("fifo").to_str().unwrap()]);
        assert!(ok, "{text}");
    }
    let started = std::time::Instant::now();
    let (mut child, url, _) = serve(&pack, &[]);
    assert!(
        started.elapsed().as_secs() < 20,
        "the server took {:?} to start",
        started.elapsed()
    );
    let own = url
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string();
    let port = own.rsplit(':').next().unwrap().to_string();
    for host in [
        own.clone(),
        format!("localhost:{port}"),
        format!("LOCALHOST:{port}"),
    ] {
        assert_eq!(get(&url, "/", &host).0, 200, "{host}");
    }
    // Another site's name (DNS rebinding), another port, or none.
    for host in [
        "evil.example",
        &format!("evil.example:{port}"),
        "127.0.0.1:1",
        "",
    ] {
        let (status, body) = get(&url, "/state.json", host);
        assert_eq!(status, 403, "Host `{host}`: {body}");
        assert!(!body.contains("stats.csv"), "{body}");
    }
    // Nothing but the renderings: no file of the pack, nothing outside it.
    for path in [
        "/epub/../../secret.txt",
        "/epub/%2e%2e/%2e%2e/secret.txt",
        "/epub/OEBPS/../../brief.toml",
        "/download/toml",
        "/download/..%2fbrief.toml",
        "/page/0.svg",
        "/page/4.svg",
        "/page/1.png",
        "/page/..%2f..%2fsecret.txt",
        "/article.md",
        "/stats.csv",
        "/state.json?row=nope",
        "/state.json?pack=1",
        "/page/1.svg?pack=99",
    ] {
        let (status, body) = get(&url, path, &own);
        assert_eq!(status, 404, "{path}: {body}");
        assert!(
            !body.contains("not for the web") && !body.contains("[brief]"),
            "{path}: {body}"
        );
    }
    let (status, svg) = get(&url, "/page/3.svg", &own);
    assert_eq!(status, 200);
    assert!(svg.contains("<svg") && svg.contains("Page 3 of 3"));
    // A save is still seen: the state's generation moves on.
    let generation = |url: &str| -> u64 {
        let (_, body) = get(url, "/state.json", &own);
        let json: serde_json::Value = serde_json::from_str(&body).unwrap();
        json["generation"].as_u64().unwrap()
    };
    let before = generation(&url);
    append_to_article(&pack, "One more sentence.");
    let waited = std::time::Instant::now();
    while generation(&url) == before {
        assert!(waited.elapsed().as_secs() < 10, "the save was not seen");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    child.kill().unwrap();
    child.wait().unwrap();
}

#[test]
fn serving_beyond_the_loopback_address_says_who_can_read_it() {
    let (mut child, url, said) = serve(&example(), &["--host", "0.0.0.0"]);
    assert!(
        said.contains("warning: serving on 0.0.0.0, not the loopback address"),
        "{said}"
    );
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    child.kill().unwrap();
    child.wait().unwrap();
    let (mut child, _, said) = serve(&example(), &[]);
    assert!(!said.contains("warning: serving on"), "{said}");
    child.kill().unwrap();
    child.wait().unwrap();
}

#[test]
fn a_port_in_use_is_a_clear_error() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let o = Command::new(briefkit_bin())
        .args(["serve", example().to_str().unwrap(), "--port", &port])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(&format!("cannot listen on 127.0.0.1:{port}"))
            && stderr.contains("--port 0"),
        "{stderr}"
    );
    drop(taken);
}
