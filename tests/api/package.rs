//! The Debian package (cargo-deb, as `scripts/package` builds it): unpacked into a throwaway root
//! with `dpkg-deb -x`, its binary serves the login page and its stylesheets against a private
//! cluster, and its systemd unit runs as its own user, hardened.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use reqwest::StatusCode;

/// Packs the binary this test run built (the dev profile: a release build takes minutes; the
/// package's layout is the same) into a .deb in `out`.
fn package(out: &Path) -> PathBuf {
    let built = Command::new("cargo")
        .args(["deb", "--no-build", "--profile", "dev", "--fast", "--output"])
        .arg(out)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("SQLX_OFFLINE", "true")
        .output()
        .expect("cargo-deb is installed (scripts/test installs it)");
    assert!(built.status.success(), "cargo deb: {}", String::from_utf8_lossy(&built.stderr));
    std::fs::read_dir(out)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == "deb"))
        .unwrap()
}

#[tokio::test]
async fn the_unpacked_package_serves_the_login_page_and_its_unit_is_hardened() {
    let scratch =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("target/package-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&scratch).unwrap();
    let deb = package(&scratch.join("out"));
    let root = scratch.join("root");
    let unpacked = Command::new("dpkg-deb").arg("-x").arg(&deb).arg(&root).status().unwrap();
    assert!(unpacked.success());
    for path in [
        "usr/bin/samarbejdsrum",
        "usr/share/samarbejdsrum/static/css/app.css",
        "etc/samarbejdsrum/samarbejdsrum.env",
        "usr/lib/systemd/system/samarbejdsrum.service",
    ] {
        assert!(root.join(path).exists(), "the package holds {path}");
    }
    let unit = std::fs::read_to_string(root.join("usr/lib/systemd/system/samarbejdsrum.service")).unwrap();
    for line in [
        "User=samarbejdsrum",
        "EnvironmentFile=/etc/samarbejdsrum/samarbejdsrum.env",
        "Environment=DATA_DIR=/var/lib/samarbejdsrum",
        "NoNewPrivileges=true",
        "ProtectSystem=strict",
        "PrivateTmp=true",
    ] {
        assert!(unit.contains(line), "the unit says {line}");
    }

    let data = scratch.join("data");
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let binary = root.join("usr/bin/samarbejdsrum");
    let mut server = Command::new(&binary)
        .env_remove("DATABASE_URL")
        .env_remove("SMTP_URL")
        .env("DATA_DIR", &data)
        .env("STATIC_DIR", root.join("usr/share/samarbejdsrum/static"))
        .env("BIND", format!("127.0.0.1:{port}"))
        .env("DEMO_DATA", "false")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let client = reqwest::Client::new();
    let mut login = None;
    for _ in 0..300 {
        if let Ok(r) = client.get(format!("http://127.0.0.1:{port}/login")).send().await {
            login = Some(r);
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let login = login.expect("the packaged binary serves");
    assert_eq!(login.status(), StatusCode::OK);
    assert!(login.text().await.unwrap().contains("Log ind"));
    let css = client.get(format!("http://127.0.0.1:{port}/static/css/app.css")).send().await.unwrap();
    assert_eq!(css.status(), StatusCode::OK, "the stylesheets from /usr/share/samarbejdsrum/static");
    let _ = server.kill();
    let _ = server.wait();
    let stopped =
        Command::new(&binary).arg("stop-db").env_remove("DATABASE_URL").env("DATA_DIR", &data).status().unwrap();
    assert!(stopped.success());
    let _ = std::fs::remove_dir_all(&scratch);
}
