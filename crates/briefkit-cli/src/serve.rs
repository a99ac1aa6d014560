//! `briefkit serve`: the brief previewed live in the browser. An HTTP
//! server on the loopback address serves one page (embedded in the
//! binary: no network, no CDN) that shows the brief's pages as SVG, the
//! e-book's reading view, the downloads and the findings; on every save of
//! a pack file the brief is built again (in memory: nothing is written)
//! and the page updates itself through server-sent events. A save with
//! errors shows them over the last good pages.

use crate::Failure;
use axum::extract::{Path as UrlPath, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use briefkit::{Briefkit, Pack};
use std::collections::BTreeMap;
use std::convert::Infallible;
use std::io::Read as _;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

const INDEX: &str = include_str!("../serve/index.html");
const APP_JS: &str = include_str!("../serve/app.js");
const APP_CSS: &str = include_str!("../serve/app.css");

/// The preview page's own policy: its scripts and styles only, frames from
/// itself (the e-book), nothing from elsewhere.
const PAGE_POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
/// The e-book's files: their own styles, fonts and images; no script.
const EPUB_POLICY: &str = "default-src 'none'; style-src 'self' 'unsafe-inline'; font-src 'self' data:; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'self'";

/// What `serve` was asked.
pub struct ServeArgs {
    /// The packs (the same brief in several languages, say), picked on
    /// the page.
    pub packs: Vec<PathBuf>,
    /// The address to listen on (loopback unless widened).
    pub host: IpAddr,
    /// The port (0: any free one).
    pub port: u16,
    /// Open the page in the browser.
    pub open: bool,
}

/// One brief's last good build, as the page shows it.
struct Built {
    title: String,
    /// The brief's language (BCP 47), for its title on the page.
    language: String,
    svgs: Vec<String>,
    page_labels: Vec<String>,
    paper: String,
    /// (format, file name, bytes) for the downloads.
    files: Vec<(String, String, Vec<u8>)>,
    /// The e-book's files by their path in the zip.
    epub: BTreeMap<String, Vec<u8>>,
    /// Its first document in reading order.
    epub_start: Option<String>,
    built_ms: u128,
}

/// The most briefs (batch rows) kept at once: each save builds every
/// brief kept again, and each holds its files. The least recently asked
/// for goes first (the pack's first brief stays).
const MOST_ROWS: usize = 4;

/// A brief's state: its last good build and what the last build found.
#[derive(Default)]
struct Row {
    /// When a page last asked for it.
    asked: Option<Instant>,
    good: Option<Arc<Built>>,
    /// The build that made this state.
    generation: u64,
    /// Every finding of the last build, as JSON (file, line, column, ...).
    findings: Vec<serde_json::Value>,
    /// The last build's errors as text, when it had any.
    errors: Option<String>,
}

/// One pack served.
struct Served {
    path: PathBuf,
    /// Each brief shown so far, by its row's key (`None`: the pack's first).
    rows: Mutex<BTreeMap<Option<String>, Row>>,
    /// The keys of the pack's rows, as the last build read them.
    keys: Mutex<Vec<String>>,
}

struct Shared {
    packs: Vec<Served>,
    kit: Briefkit,
    generation: AtomicU64,
    builds: tokio::sync::broadcast::Sender<u64>,
    /// `Host` headers the server answers (no DNS rebinding).
    hosts: Vec<String>,
}

/// Serves the preview until interrupted.
pub fn serve(args: &ServeArgs, kit: Briefkit) -> Result<(), Failure> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Failure::Io(format!("cannot start the server: {e}")))?;
    runtime.block_on(run(args, kit))
}

async fn run(args: &ServeArgs, kit: Briefkit) -> Result<(), Failure> {
    let roots = args
        .packs
        .iter()
        .map(|p| crate::watch::pack_root(p))
        .collect::<Result<Vec<_>, _>>()?;
    let listener = tokio::net::TcpListener::bind(SocketAddr::new(args.host, args.port))
        .await
        .map_err(|e| {
            let hint = if e.kind() == std::io::ErrorKind::AddrInUse {
                " (another server has the port: pick another with --port N, or --port 0 for any free one)"
            } else {
                ""
            };
            Failure::Io(format!(
                "cannot listen on {}:{}: {e}{hint}",
                args.host, args.port
            ))
        })?;
    let address = listener
        .local_addr()
        .map_err(|e| Failure::Io(format!("cannot listen: {e}")))?;
    let port = address.port();
    let mut hosts = vec![
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("[::1]:{port}"),
    ];
    let shown_host = match args.host {
        IpAddr::V6(v6) => format!("[{v6}]"),
        IpAddr::V4(v4) => v4.to_string(),
    };
    if !args.host.is_loopback() {
        eprintln!(
            "warning: serving on {shown_host}, not the loopback address: anyone who can reach this machine on port {port} can read the brief and its findings"
        );
        if !args.host.is_unspecified() {
            hosts.push(format!("{shown_host}:{port}"));
        }
    }
    let (builds, _) = tokio::sync::broadcast::channel(16);
    let shared = Arc::new(Shared {
        packs: args
            .packs
            .iter()
            .map(|path| Served {
                path: path.clone(),
                rows: Mutex::new(BTreeMap::new()),
                keys: Mutex::new(Vec::new()),
            })
            .collect(),
        kit,
        generation: AtomicU64::new(0),
        builds,
        hosts,
    });
    // Each pack's first brief, built before the first request.
    {
        let shared = shared.clone();
        tokio::task::spawn_blocking(move || {
            for pack in 0..shared.packs.len() {
                build(&shared, pack, None);
            }
        })
        .await
        .map_err(|e| Failure::Io(format!("the first build stopped: {e}")))?;
    }
    // Every save builds the briefs shown of its pack again.
    for (pack, root) in roots.into_iter().enumerate() {
        let shared = shared.clone();
        std::thread::Builder::new()
            .name("briefkit-serve-watch".into())
            .spawn(move || {
                let out = root.join("out");
                let rebuild = || {
                    let keys: Vec<Option<String>> = shared.packs[pack]
                        .rows
                        .lock()
                        .map(|rows| rows.keys().cloned().collect())
                        .unwrap_or_default();
                    for key in keys {
                        build(&shared, pack, key);
                    }
                };
                if let Err(crate::Failure::Io(why)) =
                    crate::watch::on_change(&root, &out, &[], rebuild)
                {
                    eprintln!("warning: the pack is not watched: {why}");
                }
            })
            .map_err(|e| Failure::Io(format!("cannot watch the pack: {e}")))?;
    }
    let app = Router::new()
        .route("/", get(index))
        .route(
            "/app.js",
            get(|| async { asset(APP_JS, "text/javascript; charset=utf-8") }),
        )
        .route(
            "/app.css",
            get(|| async { asset(APP_CSS, "text/css; charset=utf-8") }),
        )
        .route("/state.json", get(state))
        .route("/page/{file}", get(page))
        .route("/download/{format}", get(download))
        .route("/epub/{*path}", get(epub))
        .route("/events", get(events))
        .layer(axum::middleware::from_fn_with_state(
            shared.clone(),
            check_host,
        ))
        .with_state(shared);
    let url = format!(
        "http://{}/",
        if args.host.is_unspecified() || args.host.is_loopback() {
            format!("127.0.0.1:{port}")
        } else {
            format!("{shown_host}:{port}")
        }
    );
    let names: Vec<String> = args.packs.iter().map(|p| p.display().to_string()).collect();
    eprintln!("serving {} at {url} (Ctrl-C stops)", names.join(", "));
    if args.open {
        open_browser(&url);
    }
    axum::serve(listener, app)
        .await
        .map_err(|e| Failure::Io(format!("the server stopped: {e}")))
}

/// Opens `url` in the desktop's browser, if there is one.
fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    if let Err(e) = std::process::Command::new(opener)
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
    {
        eprintln!("warning: cannot open a browser ({opener}: {e}); open {url}");
    }
}

/// Refuses a request whose `Host` is not this server's own name: a page of
/// another site that rebinds its name to 127.0.0.1 gets nothing.
async fn check_host(
    State(shared): State<Arc<Shared>>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(str::to_ascii_lowercase);
    match host {
        Some(h) if shared.hosts.contains(&h) => {
            let mut response = next.run(request).await;
            let headers = response.headers_mut();
            headers.insert(
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            );
            headers.insert(
                header::REFERRER_POLICY,
                HeaderValue::from_static("no-referrer"),
            );
            headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            response
        }
        _ => (
            StatusCode::FORBIDDEN,
            "briefkit serve answers only requests for its own address (the Host header)\n",
        )
            .into_response(),
    }
}

fn asset(text: &'static str, mime: &'static str) -> Response {
    ([(header::CONTENT_TYPE, mime)], text).into_response()
}

async fn index() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CONTENT_SECURITY_POLICY, PAGE_POLICY),
        ],
        INDEX,
    )
        .into_response()
}

#[derive(serde::Deserialize)]
struct Which {
    pack: Option<usize>,
    row: Option<String>,
}

/// The pack (its index) and row a request names, the row built if it was
/// not yet: `None` when there is no such pack or row.
async fn row_of(shared: &Arc<Shared>, which: &Which) -> Option<(usize, Option<String>)> {
    let pack = which.pack.unwrap_or(0);
    let served = shared.packs.get(pack)?;
    let key = which.row.clone().filter(|k| !k.is_empty());
    let known = served.rows.lock().ok().is_some_and(|mut rows| {
        rows.get_mut(&key)
            .map(|row| row.asked = Some(Instant::now()))
            .is_some()
    });
    if known {
        return Some((pack, key));
    }
    let key = key?;
    // A row not shown yet: built now, if the pack has it (its keys as the
    // last build, of this save, read them).
    if !served.keys.lock().ok()?.contains(&key) {
        return None;
    }
    let (shared, k) = (shared.clone(), key.clone());
    tokio::task::spawn_blocking(move || build(&shared, pack, Some(k)))
        .await
        .ok()?;
    Some((pack, Some(key)))
}

async fn state(State(shared): State<Arc<Shared>>, Query(which): Query<Which>) -> Response {
    let Some((pack, key)) = row_of(&shared, &which).await else {
        return (StatusCode::NOT_FOUND, "no such pack or row\n").into_response();
    };
    let served = &shared.packs[pack];
    let keys = served.keys.lock().map(|k| k.clone()).unwrap_or_default();
    // Each pack by its first brief's title and language (the picker).
    let packs: Vec<serde_json::Value> = shared
        .packs
        .iter()
        .map(|p| {
            let first = p
                .rows
                .lock()
                .ok()
                .and_then(|rows| rows.get(&None).and_then(|r| r.good.clone()));
            serde_json::json!({
                "name": p.path.display().to_string(),
                "title": first.as_ref().map(|b| b.title.clone()),
                "language": first.as_ref().map(|b| b.language.clone()),
            })
        })
        .collect();
    let Ok(rows) = served.rows.lock() else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let Some(row) = rows.get(&key) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let good = row.good.as_deref();
    let files: Vec<serde_json::Value> = good
        .map(|b| {
            b.files
                .iter()
                .map(|(format, name, bytes)| {
                    serde_json::json!({"format": format, "name": name, "size": size(bytes.len())})
                })
                .collect()
        })
        .unwrap_or_default();
    let body = serde_json::json!({
        "pack": served.path.display().to_string(),
        "pack_index": pack,
        "packs": packs,
        "title": good.map(|b| b.title.clone()),
        "language": good.map(|b| b.language.clone()),
        "generation": row.generation,
        "row": key,
        "rows": keys,
        "ok": row.errors.is_none(),
        "errors_text": row.errors,
        "findings": row.findings,
        "pages": good.map_or(0, |b| b.svgs.len()),
        "page_labels": good.map(|b| b.page_labels.clone()),
        "paper": good.map(|b| b.paper.clone()),
        "built_ms": good.map(|b| b.built_ms),
        "files": files,
        "epub": good.and_then(|b| b.epub_start.as_ref()).map(|p| format!("/epub/{p}")),
    });
    (
        [(header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}

fn size(bytes: usize) -> String {
    if bytes >= 1 << 20 {
        format!("{:.1} MB", bytes as f64 / f64::from(1 << 20))
    } else {
        format!("{} kB", bytes.div_ceil(1024))
    }
}

/// The last good build of the row a request names.
async fn good_of(shared: &Arc<Shared>, which: &Which) -> Option<Arc<Built>> {
    let (pack, key) = row_of(shared, which).await?;
    shared.packs[pack].rows.lock().ok()?.get(&key)?.good.clone()
}

async fn page(
    State(shared): State<Arc<Shared>>,
    UrlPath(file): UrlPath<String>,
    Query(which): Query<Which>,
) -> Response {
    let number = file
        .strip_suffix(".svg")
        .and_then(|n| n.parse::<usize>().ok())
        .filter(|n| *n >= 1);
    let good = good_of(&shared, &which).await;
    match (number, good) {
        (Some(n), Some(b)) if n <= b.svgs.len() => (
            [
                (header::CONTENT_TYPE, "image/svg+xml"),
                (header::CONTENT_SECURITY_POLICY, EPUB_POLICY),
            ],
            b.svgs[n - 1].clone(),
        )
            .into_response(),
        _ => (StatusCode::NOT_FOUND, "no such page\n").into_response(),
    }
}

async fn download(
    State(shared): State<Arc<Shared>>,
    UrlPath(format): UrlPath<String>,
    Query(which): Query<Which>,
) -> Response {
    let Some(good) = good_of(&shared, &which).await else {
        return (StatusCode::NOT_FOUND, "not built\n").into_response();
    };
    let Some((_, name, bytes)) = good.files.iter().find(|(f, _, _)| *f == format) else {
        return (StatusCode::NOT_FOUND, "no such format\n").into_response();
    };
    let mime = match format.as_str() {
        "pdf" => "application/pdf",
        "epub" => "application/epub+zip",
        _ => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    };
    let disposition = format!(
        "attachment; filename=\"{}\"",
        name.replace(['"', '\\'], "_")
    );
    let mut headers = HeaderMap::new();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    (headers, bytes.clone()).into_response()
}

async fn epub(
    State(shared): State<Arc<Shared>>,
    UrlPath(path): UrlPath<String>,
    Query(which): Query<Which>,
) -> Response {
    let Some(good) = good_of(&shared, &which).await else {
        return (StatusCode::NOT_FOUND, "not built\n").into_response();
    };
    let Some(bytes) = good.epub.get(&path) else {
        return (StatusCode::NOT_FOUND, "no such file in the e-book\n").into_response();
    };
    let mime = match path.rsplit('.').next().unwrap_or("") {
        "xhtml" => "application/xhtml+xml",
        "css" => "text/css",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "otf" | "ttf" => "font/otf",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    };
    (
        [
            (header::CONTENT_TYPE, mime),
            (header::CONTENT_SECURITY_POLICY, EPUB_POLICY),
        ],
        bytes.clone(),
    )
        .into_response()
}

async fn events(
    State(shared): State<Arc<Shared>>,
) -> Sse<impl futures_util::Stream<Item = Result<Event, Infallible>>> {
    let receiver = shared.builds.subscribe();
    let stream = futures_util::stream::unfold(receiver, |mut receiver| async move {
        loop {
            match receiver.recv().await {
                Ok(generation) => {
                    let event = Event::default().event("build").data(generation.to_string());
                    return Some((Ok(event), receiver));
                }
                Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => continue,
                Err(tokio::sync::broadcast::error::RecvError::Closed) => return None,
            }
        }
    });
    Sse::new(stream).keep_alive(KeepAlive::default())
}

/// Builds the brief of `key` (the first brief for `None`) in memory and
/// records it: a good build replaces the pages, a build with errors keeps
/// the last good ones beside its findings. Then tells the pages.
fn build(shared: &Shared, pack: usize, key: Option<String>) {
    let Some(served) = shared.packs.get(pack) else {
        return;
    };
    let started = Instant::now();
    let generation = shared.generation.fetch_add(1, Ordering::SeqCst) + 1;
    let outcome = build_once(&shared.kit, served, key.as_deref(), started);
    if let Ok(mut rows) = served.rows.lock() {
        if !rows.contains_key(&key) && rows.len() >= MOST_ROWS {
            let oldest = rows
                .iter()
                .filter(|(k, _)| k.is_some())
                .min_by_key(|(_, r)| r.asked)
                .map(|(k, _)| k.clone());
            if let Some(oldest) = oldest {
                rows.remove(&oldest);
            }
        }
        let row = rows.entry(key).or_default();
        row.asked.get_or_insert_with(Instant::now);
        row.generation = generation;
        match outcome {
            Outcome::Good(built, findings) => {
                row.good = Some(Arc::new(built));
                row.findings = findings;
                row.errors = None;
            }
            Outcome::Errors(text, findings) => {
                row.findings = findings;
                row.errors = Some(text);
            }
        }
    }
    let _ = shared.builds.send(generation);
}

enum Outcome {
    Good(Built, Vec<serde_json::Value>),
    Errors(String, Vec<serde_json::Value>),
}

fn build_once(kit: &Briefkit, served: &Served, key: Option<&str>, started: Instant) -> Outcome {
    let date = match crate::fallback_date() {
        Ok(d) => d,
        Err(crate::Failure::Io(why)) => return Outcome::Errors(why, Vec::new()),
        Err(crate::Failure::Content) => return Outcome::Errors("no date".into(), Vec::new()),
    };
    let pack = match Pack::open(&served.path, date) {
        Ok(p) => p,
        Err(briefkit::Error::Pack(e)) => {
            let findings = e
                .diagnostics
                .iter()
                .map(|d| {
                    serde_json::Value::Object(briefkit_kit::report::diagnostic_json(None, d, key))
                })
                .collect();
            return Outcome::Errors(e.to_string(), findings);
        }
        Err(e) => return Outcome::Errors(e.to_string(), Vec::new()),
    };
    if let Ok(mut keys) = served.keys.lock() {
        *keys = pack
            .briefs()
            .iter()
            .filter_map(|b| b.key().map(String::from))
            .collect();
    }
    let brief = match key {
        Some(k) => match pack.brief(k) {
            Ok(b) => b,
            Err(why) => return Outcome::Errors(format!("row `{k}`: {why}"), Vec::new()),
        },
        None => match pack.briefs().into_iter().next() {
            Some(b) => b,
            None => return Outcome::Errors("the pack has no brief".into(), Vec::new()),
        },
    };
    let json = |diagnostics: &[briefkit_model::Diagnostic]| -> Vec<serde_json::Value> {
        diagnostics
            .iter()
            .map(|d| {
                serde_json::Value::Object(briefkit_kit::report::diagnostic_json(
                    Some(&|p| pack.display_path(p)),
                    d,
                    key,
                ))
            })
            .collect()
    };
    match kit.render(&pack, &brief) {
        Ok(rendered) => {
            let findings = json(&rendered.warnings);
            Outcome::Good(built(&rendered, started), findings)
        }
        Err(briefkit::Error::Pack(e)) => Outcome::Errors(e.to_string(), json(&e.diagnostics)),
        Err(e) => Outcome::Errors(e.to_string(), Vec::new()),
    }
}

fn built(rendered: &briefkit::Rendered, started: Instant) -> Built {
    let mut svgs: Vec<(usize, String)> = rendered
        .files
        .iter()
        .filter(|f| f.format.name == "svg")
        .filter_map(|f| {
            let n = f.part.as_deref()?.parse().ok()?;
            Some((n, String::from_utf8_lossy(&f.bytes).into_owned()))
        })
        .collect();
    svgs.sort_by_key(|(n, _)| *n);
    let svgs: Vec<String> = svgs.into_iter().map(|(_, s)| s).collect();
    let metadata = &rendered.metadata;
    let pages = svgs.len().to_string();
    let page_labels = (1..=svgs.len())
        .map(|page| metadata.labels.page_of(&page.to_string(), &pages))
        .collect();
    let paper = match rendered.paper {
        briefkit_model::Paper::A4 => "A4",
        briefkit_model::Paper::Letter => "US Letter",
    };
    let files: Vec<(String, String, Vec<u8>)> = rendered
        .files
        .iter()
        .filter(|f| f.part.is_none())
        .map(|f| (f.format.name.to_string(), f.name.clone(), f.bytes.clone()))
        .collect();
    let (epub, epub_start) = rendered
        .file("epub")
        .map(|f| unzip(&f.bytes))
        .unwrap_or_default();
    Built {
        title: metadata.title.clone(),
        language: metadata.language.clone(),
        svgs,
        page_labels,
        paper: paper.to_string(),
        files,
        epub,
        epub_start,
        built_ms: started.elapsed().as_millis(),
    }
}

/// The most an e-book entry may hold here (briefkit's own e-book, but a
/// bound all the same).
const MOST_ENTRY: u64 = 64 << 20;

/// An EPUB's files by path, and its first document in reading order.
fn unzip(bytes: &[u8]) -> (BTreeMap<String, Vec<u8>>, Option<String>) {
    let mut files = BTreeMap::new();
    let Ok(mut archive) = zip::ZipArchive::new(std::io::Cursor::new(bytes)) else {
        return (files, None);
    };
    for i in 0..archive.len() {
        let Ok(entry) = archive.by_index(i) else {
            continue;
        };
        let name = entry.name().to_string();
        let mut data = Vec::new();
        if entry.take(MOST_ENTRY).read_to_end(&mut data).is_ok() {
            files.insert(name, data);
        }
    }
    let start = briefkit::verify::epub_reading_order(bytes)
        .ok()
        .and_then(first_document);
    (files, start)
}

/// The page the e-book tab opens: the first of the reading order (the
/// spine's documents, as `briefkit verify` reads them) that is not the cover.
fn first_document(order: Vec<String>) -> Option<String> {
    let first = order.first().cloned();
    order
        .into_iter()
        .find(|path| !path.rsplit('/').next().unwrap_or(path).contains("cover"))
        .or(first)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_document_is_the_spines_first_but_the_cover() {
        let order = |paths: &[&str]| paths.iter().map(|p| (*p).to_string()).collect();
        assert_eq!(
            first_document(order(&["EPUB/cover.xhtml", "EPUB/text/brief.xhtml"])).as_deref(),
            Some("EPUB/text/brief.xhtml")
        );
        assert_eq!(
            first_document(order(&["EPUB/cover.xhtml"])).as_deref(),
            Some("EPUB/cover.xhtml")
        );
        assert_eq!(first_document(Vec::new()), None);
    }

    #[test]
    fn sizes_are_short() {
        assert_eq!(size(1000), "1 kB");
        assert_eq!(size(3 << 20), "3.0 MB");
    }
}
