//! A recording proxy in front of every test app: each test (reqwest or Chromium) talks to it, it
//! forwards the request unchanged and keeps a copy of each distinct HTML page under
//! target/page-checks/html for the page checks, so a new page is checked without anyone naming it.

use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

/// Variants of one path and status kept when their markup differs in kind (another role, a form
/// with errors ...); more would only repeat the same templates.
const VARIANTS_PER_PAGE: usize = 6;

pub fn html_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/page-checks/html")
}

pub struct Proxy {
    listener: TcpListener,
}

struct Upstream {
    base: String,
    client: reqwest::Client,
}

impl Proxy {
    pub async fn bind() -> Proxy {
        Proxy { listener: TcpListener::bind("127.0.0.1:0").await.expect("proxy port") }
    }

    pub fn address(&self) -> String {
        format!("http://{}", self.listener.local_addr().unwrap())
    }

    /// Forwards to `upstream` (e.g. `http://127.0.0.1:PORT`) until `shutdown` fires.
    pub async fn serve(self, upstream: String, shutdown: CancellationToken) -> std::io::Result<()> {
        let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
        let router = axum::Router::new().fallback(forward).with_state(Arc::new(Upstream { base: upstream, client }));
        axum::serve(self.listener, router).with_graceful_shutdown(shutdown.cancelled_owned()).await
    }
}

async fn forward(State(upstream): State<Arc<Upstream>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let Ok(body) = to_bytes(body, usize::MAX).await else {
        return StatusCode::BAD_REQUEST.into_response();
    };
    let path = parts.uri.path_and_query().map(|p| p.as_str()).unwrap_or("/").to_owned();
    let mut headers = parts.headers;
    for name in [header::HOST, header::CONNECTION, header::TRANSFER_ENCODING, header::CONTENT_LENGTH] {
        headers.remove(name);
    }
    // A browser asking for a page gets it uncompressed, so the copy is plain HTML.
    if accepts_html(&headers) {
        headers.remove(header::ACCEPT_ENCODING);
    }
    let sent = upstream
        .client
        .request(parts.method.clone(), format!("{}{path}", upstream.base))
        .headers(headers)
        .body(body)
        .send()
        .await;
    let answer = match sent {
        Ok(answer) => answer,
        Err(e) => return (StatusCode::BAD_GATEWAY, format!("test proxy: {e}")).into_response(),
    };
    let status = answer.status();
    let mut headers = answer.headers().clone();
    headers.remove(header::TRANSFER_ENCODING);
    headers.remove(header::CONNECTION);
    let Ok(bytes) = answer.bytes().await else {
        return StatusCode::BAD_GATEWAY.into_response();
    };
    if is_plain_html(&headers) && parts.method != Method::HEAD {
        record(parts.method.as_str(), &path, status.as_u16(), &bytes);
    }
    let mut response = Response::new(Body::from(bytes));
    *response.status_mut() = status;
    *response.headers_mut() = headers;
    response
}

fn accepts_html(headers: &HeaderMap) -> bool {
    headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|v| v.contains("text/html"))
}

fn is_plain_html(headers: &HeaderMap) -> bool {
    let html =
        headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|v| v.starts_with("text/html"));
    html && !headers.contains_key(header::CONTENT_ENCODING)
}

/// Pages kept so far in this process, by normalised path and status: the kinds of markup seen.
fn kept() -> &'static Mutex<HashMap<String, Vec<String>>> {
    static KEPT: OnceLock<Mutex<HashMap<String, Vec<String>>>> = OnceLock::new();
    KEPT.get_or_init(|| {
        // A new test run starts a new collection.
        let dir = html_dir();
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("target/page-checks/html");
        Mutex::new(HashMap::new())
    })
}

fn record(method: &str, path: &str, status: u16, body: &[u8]) {
    let html = String::from_utf8_lossy(body);
    let page = format!("{} {status}", normalise(path));
    let shape = shape(&html);
    {
        let mut kept = kept().lock().unwrap();
        let shapes = kept.entry(page.clone()).or_default();
        if shapes.len() >= VARIANTS_PER_PAGE || shapes.contains(&shape) {
            return;
        }
        shapes.push(shape.clone());
    }
    let name = format!("{}-{}", slug(&page), &hex(&Sha256::digest(format!("{page}\n{shape}")))[..10]);
    let dir = html_dir();
    std::fs::write(dir.join(format!("{name}.html")), body).unwrap();
    std::fs::write(dir.join(format!("{name}.url")), format!("{method} {path} → {status}\n")).unwrap();
}

/// `/moeder/17/dagsorden?aar=2027` → `/moeder/{n}/dagsorden?aar`: ids, tokens and query values vary.
pub fn normalise(path: &str) -> String {
    let (path, query) = path.split_once('?').unwrap_or((path, ""));
    let mut out: String = path
        .split('/')
        .map(|segment| {
            if !segment.is_empty() && segment.chars().all(|c| c.is_ascii_digit()) {
                "{n}"
            } else if segment.len() >= 16 && segment.chars().any(|c| c.is_ascii_digit()) {
                "{token}"
            } else {
                segment
            }
        })
        .collect::<Vec<_>>()
        .join("/");
    let names: BTreeSet<&str> =
        query.split('&').filter(|p| !p.is_empty()).map(|p| p.split('=').next().unwrap()).collect();
    if !names.is_empty() {
        out.push('?');
        out.push_str(&names.into_iter().collect::<Vec<_>>().join("&"));
    }
    out
}

/// The kinds of elements on a page (tag, class, type, role), without text or order: two pages of
/// one shape differ only in their data.
fn shape(html: &str) -> String {
    let mut kinds = BTreeSet::new();
    for tag in html.split('<').skip(1) {
        let end = tag.find('>').unwrap_or(tag.len());
        let tag = &tag[..end];
        let name: String = tag.chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
        if name.is_empty() {
            continue;
        }
        let attrs: Vec<String> = ["class", "type", "role"].iter().filter_map(|a| attribute(tag, a)).collect();
        kinds.insert(format!("{name} {}", attrs.join(" ")));
    }
    kinds.into_iter().collect::<Vec<_>>().join("\n")
}

fn attribute(tag: &str, name: &str) -> Option<String> {
    let marker = format!(" {name}=\"");
    let start = tag.find(&marker)? + marker.len();
    let end = tag[start..].find('"')?;
    Some(format!("{name}={}", &tag[start..start + end]))
}

fn slug(page: &str) -> String {
    let s: String = page.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }).collect();
    s.trim_matches('_').chars().take(80).collect()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
