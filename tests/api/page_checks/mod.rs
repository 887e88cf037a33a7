//! Every HTML page the other tests received (kept by the recording proxy in `capture`) must be valid
//! HTML for the Nu Html Checker and free of axe-core's WCAG 2.1 A/AA violations. These tests are
//! ignored in a plain `cargo test`; scripts/test runs them after the others:
//! `cargo test --test api page_checks -- --ignored --nocapture`. The checkers are the versions pinned
//! in tests/page-checks/package-lock.json (`npm ci --ignore-scripts --prefix tests/page-checks`).

pub mod capture;

use std::fmt::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use fantoccini::Client;
use serde_json::{Value, json};
use tokio_util::sync::CancellationToken;
use tower_http::services::{ServeDir, ServeFile};

use crate::browser::Driver;

const WCAG_21_AA: [&str; 4] = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

fn node_modules() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/page-checks/node_modules");
    assert!(dir.join("vnu-jar").is_dir(), "checkers missing: npm ci --ignore-scripts --prefix tests/page-checks");
    dir
}

/// One saved page: its file and the request that produced it.
struct Page {
    file: PathBuf,
    request: String,
}

impl Page {
    fn name(&self) -> String {
        self.file.file_name().unwrap().to_string_lossy().into_owned()
    }
}

fn pages_in(dir: &Path) -> Vec<Page> {
    let mut pages: Vec<Page> = std::fs::read_dir(dir)
        .map(|entries| entries.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_else(|_| Vec::new())
        .into_iter()
        .filter(|p: &PathBuf| p.extension().is_some_and(|e| e == "html"))
        .map(|file| {
            let request = std::fs::read_to_string(file.with_extension("url")).unwrap_or_default().trim().to_owned();
            Page { file, request }
        })
        .collect();
    pages.sort_by(|a, b| a.file.cmp(&b.file));
    pages
}

fn collected_pages() -> Vec<Page> {
    let pages = pages_in(&capture::html_dir());
    assert!(
        !pages.is_empty(),
        "no pages in {}: run the integration tests first (scripts/test does)",
        capture::html_dir().display()
    );
    pages
}

/// The Nu Html Checker's errors, one JVM for all pages: (page, line, message and extract).
fn vnu_errors(pages: &[Page]) -> Vec<(usize, String)> {
    let jar = node_modules().join("vnu-jar/build/dist/vnu.jar");
    let output = Command::new("java")
        .arg("-jar")
        .arg(jar)
        .args(["--format", "json", "--exit-zero-always"])
        .args(pages.iter().map(|p| &p.file))
        .output()
        .expect("java runs (apt-get install default-jre-headless)");
    let report: Value = serde_json::from_slice(&output.stderr)
        .unwrap_or_else(|e| panic!("vnu output is not JSON ({e}): {}", String::from_utf8_lossy(&output.stderr)));
    let mut errors = Vec::new();
    for message in report["messages"].as_array().unwrap() {
        if message["type"] == "info" {
            continue;
        }
        let url = message["url"].as_str().unwrap_or_default();
        let page = pages.iter().position(|p| url.ends_with(&p.name())).unwrap_or(usize::MAX);
        let text = format!(
            "line {}: {}\n      {}",
            message["lastLine"],
            message["message"].as_str().unwrap_or_default(),
            message["extract"].as_str().unwrap_or_default().replace('\n', " ")
        );
        errors.push((page, text));
    }
    errors
}

/// Serves the saved pages with the real stylesheets under /static, and axe-core, until `stop`.
async fn serve_pages(dir: &Path, stop: CancellationToken) -> String {
    let static_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("static");
    let axe = node_modules().join("axe-core/axe.min.js");
    let router = axum::Router::new()
        .nest_service("/static", ServeDir::new(static_dir))
        .route_service("/__checks/axe.min.js", ServeFile::new(axe))
        .fallback_service(ServeDir::new(dir));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).with_graceful_shutdown(stop.cancelled_owned()).await });
    address
}

const RUN_AXE: &str = r#"
const [tags, done] = arguments;
// Contrast is only judged with the real stylesheet: every sheet for the screen must have loaded.
const unstyled = [...document.querySelectorAll("link[rel=stylesheet]")]
  .filter(l => !l.media || matchMedia(l.media).matches)
  .some(l => !l.sheet || !l.sheet.cssRules.length);
if (unstyled) { done({ error: "a stylesheet did not load" }); return; }
const run = () => axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] })
  .then(r => done(r.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({ target: n.target.join(" "), html: n.html })) }))))
  .catch(e => done({ error: String(e) }));
if (window.axe) { run(); } else {
  const s = document.createElement("script");
  s.src = "/__checks/axe.min.js";
  s.onload = run;
  s.onerror = () => done({ error: "axe.min.js did not load" });
  document.head.appendChild(s);
}"#;

/// axe-core's WCAG 2.1 A/AA violations on each page, in one browser: (page, rule, help and element).
async fn axe_violations(pages: &[Page], dir: &Path) -> Vec<(usize, String)> {
    let stop = CancellationToken::new();
    let base = serve_pages(dir, stop.clone()).await;
    let driver = Driver::start();
    let browser: Client = driver.client().await;
    let mut violations = Vec::new();
    for (i, page) in pages.iter().enumerate() {
        browser.goto(&format!("{base}/{}", page.name())).await.unwrap();
        let found = browser.execute_async(RUN_AXE, vec![json!(WCAG_21_AA)]).await.unwrap();
        assert!(found.get("error").is_none(), "axe failed on {}: {found}", page.request);
        for v in found.as_array().unwrap() {
            for node in v["nodes"].as_array().unwrap() {
                let text = format!(
                    "{} ({}): {}\n      {}  {}",
                    v["id"].as_str().unwrap_or_default(),
                    v["impact"].as_str().unwrap_or_default(),
                    v["help"].as_str().unwrap_or_default(),
                    node["target"].as_str().unwrap_or_default(),
                    node["html"].as_str().unwrap_or_default().chars().take(200).collect::<String>()
                );
                violations.push((i, text));
            }
        }
    }
    browser.close().await.unwrap();
    stop.cancel();
    violations
}

/// What a person would see go wrong on each page at a laptop's and a phone's width (`layout::LAYOUT_PROBLEMS`:
/// the page scrolls sideways, text squeezed a character per line, an empty band under the heading), in one
/// browser: (page, width and problem).
async fn layout_problems(pages: &[Page], dir: &Path) -> Vec<(usize, String)> {
    let stop = CancellationToken::new();
    let base = serve_pages(dir, stop.clone()).await;
    let driver = Driver::start();
    let browser: Client = driver.client().await;
    let mut problems = Vec::new();
    for (width, height) in crate::layout::WIDTHS {
        browser.set_window_size(width, height).await.unwrap();
        for (i, page) in pages.iter().enumerate() {
            browser.goto(&format!("{base}/{}", page.name())).await.unwrap();
            let found = browser.execute(crate::layout::LAYOUT_PROBLEMS, vec![]).await.unwrap();
            for problem in found.as_array().into_iter().flatten() {
                problems.push((i, format!("at {width} px: {}", problem.as_str().unwrap_or_default())));
            }
        }
    }
    browser.close().await.unwrap();
    stop.cancel();
    problems
}

/// "2 problems on 1 of 40 pages:" and each page's request, file and problems.
fn report(checker: &str, pages: &[Page], problems: &[(usize, String)]) -> String {
    let mut out = String::new();
    let on: std::collections::BTreeSet<usize> = problems.iter().map(|(p, _)| *p).collect();
    writeln!(out, "{checker}: {} problems on {} of {} pages", problems.len(), on.len(), pages.len()).unwrap();
    for page in on {
        match pages.get(page) {
            Some(p) => writeln!(out, "  {} ({})", p.request, p.name()).unwrap(),
            None => writeln!(out, "  (no page)").unwrap(),
        }
        for (_, text) in problems.iter().filter(|(p, _)| *p == page) {
            writeln!(out, "    {text}").unwrap();
        }
    }
    out
}

#[tokio::test]
#[ignore = "run by scripts/test after the other tests have collected the pages"]
async fn every_page_the_tests_received_is_valid_html() {
    let pages = collected_pages();
    let errors = vnu_errors(&pages);
    println!("Nu Html Checker: {} pages checked, {} errors", pages.len(), errors.len());
    assert!(errors.is_empty(), "{}", report("Nu Html Checker", &pages, &errors));
}

#[tokio::test]
#[ignore = "run by scripts/test after the other tests have collected the pages"]
async fn every_page_the_tests_received_passes_axe_for_wcag_2_1_aa() {
    let pages = collected_pages();
    let violations = axe_violations(&pages, &capture::html_dir()).await;
    println!("axe-core (WCAG 2.1 AA): {} pages checked, {} violations", pages.len(), violations.len());
    assert!(violations.is_empty(), "{}", report("axe-core", &pages, &violations));
}

#[tokio::test]
#[ignore = "run by scripts/test after the other tests have collected the pages"]
async fn every_page_the_tests_received_holds_at_a_laptops_and_a_phones_width() {
    let pages = collected_pages();
    let problems = layout_problems(&pages, &capture::html_dir()).await;
    println!("Layout (1366 and 390 px): {} pages checked, {} problems", pages.len(), problems.len());
    assert!(problems.is_empty(), "{}", report("Layout", &pages, &problems));
}

/// The layout judge cannot pass by judging nothing: a table wider than a phone, a cell squeezed to a
/// character per line and a tall empty band under the heading are each found, and a calm page is not.
#[tokio::test]
#[ignore = "run by scripts/test with the other page checks"]
async fn the_layout_judge_catches_sideways_scrolling_squeezed_text_and_an_empty_band() {
    let dir = std::env::temp_dir().join(format!("sr-layout-checks-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    let page = |body: &str| {
        format!(
            "<!doctype html>\n<html lang=\"da\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" \
             content=\"width=device-width, initial-scale=1\"><title>Prøve</title>\
             <link rel=\"stylesheet\" href=\"/static/css/app.css\"></head>\
             <body><main><h1>Prøve</h1>{body}</main></body></html>\n"
        )
    };
    let cases = [
        ("wide", "<table style=\"width: 900px\"><tr><td>Bred tabel</td></tr></table>"),
        ("squeezed", "<p style=\"width: 16px; overflow-wrap: anywhere\">Femogtyve tegn i én celle her</p>"),
        ("band", "<div style=\"height: 400px\"></div><p>Indholdet kommer først langt nede.</p>"),
        ("calm", "<p>Alt er i orden.</p>"),
    ];
    for (name, body) in cases {
        std::fs::write(dir.join(format!("{name}.html")), page(body)).unwrap();
        std::fs::write(dir.join(format!("{name}.url")), name).unwrap();
    }
    let pages = pages_in(&dir);
    let problems = layout_problems(&pages, &dir).await;
    std::fs::remove_dir_all(&dir).unwrap();
    let at = |name: &str| -> Vec<&String> {
        let i = pages.iter().position(|p| p.request == name).unwrap();
        problems.iter().filter(|(p, _)| *p == i).map(|(_, t)| t).collect()
    };
    assert!(at("wide").iter().any(|t| t.contains("at 390 px: scrolls sideways")), "{problems:?}");
    assert!(at("squeezed").iter().any(|t| t.contains("squeezed")), "{problems:?}");
    assert!(at("band").iter().any(|t| t.contains("empty band under the heading")), "{problems:?}");
    assert!(at("calm").is_empty(), "{problems:?}");
}

/// The checks cannot pass by checking nothing: a page with a form inside a span and an image
/// without a text alternative fails both, and a clean page passes both.
#[tokio::test]
#[ignore = "run by scripts/test with the other page checks"]
async fn the_page_checks_catch_a_form_inside_a_span_and_an_image_without_alt() {
    let dir = std::env::temp_dir().join(format!("sr-page-checks-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    let page = |body: &str| {
        format!(
            "<!doctype html>\n<html lang=\"da\"><head><meta charset=\"utf-8\"><title>Prøve</title>\
             <link rel=\"stylesheet\" href=\"/static/css/app.css\"></head>\
             <body><main><h1>Prøve</h1>{body}</main></body></html>\n"
        )
    };
    let bad = page(
        "<div><span><form method=\"post\" action=\"/x\"><button>Send</button></form></span></div><img src=\"/x.png\">",
    );
    std::fs::write(dir.join("bad.html"), bad).unwrap();
    std::fs::write(dir.join("bad.url"), "canary with errors").unwrap();
    std::fs::write(dir.join("good.html"), page("<p>Alt er i orden.</p>")).unwrap();
    let pages = pages_in(&dir);

    let errors = vnu_errors(&pages);
    let axe = axe_violations(&pages, &dir).await;
    std::fs::remove_dir_all(&dir).unwrap();

    let bad_report = |problems: &[(usize, String)]| report("check", &pages, problems);
    assert!(errors.iter().all(|(p, _)| *p == 0), "{}", bad_report(&errors));
    assert!(errors.iter().any(|(_, e)| e.contains("“form” not allowed as child of element “span”")), "{errors:?}");
    assert!(errors.iter().any(|(_, e)| e.contains("“img” element must have an “alt” attribute")), "{errors:?}");
    assert!(axe.iter().all(|(p, _)| *p == 0), "{}", bad_report(&axe));
    assert!(axe.iter().any(|(_, v)| v.starts_with("image-alt (critical)")), "{axe:?}");
}
