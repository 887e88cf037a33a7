//! Load benchmark: `cargo run --release --example bench [-- SECONDS CONCURRENCY]`.
//! Starts the app in-process on a private PostgreSQL cluster (target/bench-var, demo data loaded),
//! then drives three request mixes for the given time each and prints requests per second and
//! latency percentiles. Not part of the test run; numbers depend on the machine.

use std::sync::Arc;
use std::time::{Duration, Instant};

use samarbejdsrum::Application;
use samarbejdsrum::config::Config;
use samarbejdsrum::devdb::{Cluster, Durability};
use samarbejdsrum::domain::clock::SystemClock;
use tokio_util::sync::CancellationToken;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let seconds: u64 = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(10);
    let concurrency: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(16);
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-var/pg");
    let cluster = Cluster::ensure_running(&dir, Durability::FastForTests)?;
    let mut config = Config::for_tests(cluster.url("bench"));
    config.demo_data = true;
    let app = Application::build(config, Arc::new(SystemClock)).await?;
    let base = format!("http://127.0.0.1:{}", app.port());
    let shutdown = CancellationToken::new();
    let server = tokio::spawn(app.run_until_stopped(shutdown.clone()));

    let signed_in = sign_in(&base).await?;
    println!("samarbejdsrum bench: {seconds} s per scenario, {concurrency} concurrent clients\n");
    println!("{:<34} {:>9} {:>9} {:>9} {:>9} {:>7}", "scenario", "req/s", "p50 ms", "p95 ms", "p99 ms", "errors");
    let plain = reqwest::Client::new();
    for (name, client, path) in [
        ("GET /healthz", plain.clone(), "/healthz"),
        ("GET /login (anonymous page)", plain.clone(), "/login"),
        ("GET / (start page, signed in)", signed_in.clone(), "/"),
        ("GET /grupper/natur (signed in)", signed_in.clone(), "/grupper/natur"),
        ("GET /api/v1/groups (public JSON)", plain.clone(), "/api/v1/groups"),
    ] {
        let url = format!("{base}{path}");
        let deadline = Instant::now() + Duration::from_secs(seconds);
        let workers: Vec<_> = (0..concurrency)
            .map(|_| {
                let client = client.clone();
                let url = url.clone();
                tokio::spawn(async move {
                    let mut latencies = Vec::new();
                    let mut errors = 0usize;
                    while Instant::now() < deadline {
                        let start = Instant::now();
                        match client.get(&url).send().await {
                            Ok(r) if r.status().is_success() => {
                                let _ = r.bytes().await;
                                latencies.push(start.elapsed());
                            }
                            _ => errors += 1,
                        }
                    }
                    (latencies, errors)
                })
            })
            .collect();
        let mut all = Vec::new();
        let mut errors = 0;
        for w in workers {
            let (l, e) = w.await?;
            all.extend(l);
            errors += e;
        }
        all.sort();
        let pct = |p: f64| {
            all.get(((all.len() as f64 * p) as usize).min(all.len().saturating_sub(1)))
                .map(|d| d.as_secs_f64() * 1000.0)
                .unwrap_or(0.0)
        };
        let rps = all.len() as f64 / seconds as f64;
        println!("{name:<34} {rps:>9.0} {:>9.1} {:>9.1} {:>9.1} {errors:>7}", pct(0.50), pct(0.95), pct(0.99));
    }
    shutdown.cancel();
    let _ = server.await;
    Ok(())
}

async fn sign_in(base: &str) -> anyhow::Result<reqwest::Client> {
    let client = reqwest::Client::builder().cookie_store(true).build()?;
    let html = client.get(format!("{base}/login")).send().await?.text().await?;
    let marker = "name=\"csrf_token\" value=\"";
    let start = html.find(marker).ok_or_else(|| anyhow::anyhow!("no csrf token"))? + marker.len();
    let token = &html[start..start + html[start..].find('"').unwrap_or(0)];
    let form = [
        ("csrf_token", token),
        ("email", "sekretariat@dmp.example"),
        ("password", samarbejdsrum::store::demo::DEMO_PASSWORD),
    ];
    let response = client.post(format!("{base}/login")).form(&form).send().await?;
    anyhow::ensure!(response.status().is_success(), "sign-in failed: {}", response.status());
    Ok(client)
}
