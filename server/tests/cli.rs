//! The `redgrid` binary itself: token creation, start-up errors, the coverage report.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::Command;

use redgrid::auth::{Role, read_tokens};

fn redgrid() -> Command {
    Command::new(env!("CARGO_BIN_EXE_redgrid"))
}

#[test]
fn token_create_prints_the_token_last_and_stores_only_its_hash() {
    let dir = std::env::temp_dir().join(format!("redgrid-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("tokens.tsv");
    let output = redgrid()
        .args([
            "token",
            "create",
            "--role",
            "dispatcher",
            "--label",
            "e呼应",
        ])
        .arg("--tokens-file")
        .arg(&file)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let stdout = String::from_utf8(output.stdout).unwrap();
    let token = stdout.lines().last().unwrap();
    assert!(token.starts_with("rg_") && token.len() == 67, "{token}");
    let stored = std::fs::read_to_string(&file).unwrap();
    assert!(!stored.contains(token));
    assert_eq!(
        read_tokens(&file).unwrap().role_of(token),
        Some(Role::Dispatcher)
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn an_unknown_role_is_refused() {
    let output = redgrid()
        .args([
            "token",
            "create",
            "--role",
            "root",
            "--tokens-file",
            "/dev/null",
        ])
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("root"));
}

#[test]
fn serve_without_a_data_directory_names_the_path_and_the_flag() {
    let output = redgrid()
        .args([
            "serve",
            "--data",
            "/nonexistent/district",
            "--listen",
            "127.0.0.1:0",
        ])
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("/nonexistent/district") && stderr.contains("--data"),
        "{stderr}"
    );
}

#[test]
fn serve_with_an_unreadable_network_says_which_file_and_why() {
    let data = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/lattice");
    let not_pbf =
        std::env::temp_dir().join(format!("redgrid-not-a-{}.osm.pbf", std::process::id()));
    std::fs::write(&not_pbf, b"this is no protobuf").unwrap();
    for (network, expected) in [
        ("/nonexistent/roads.osm.pbf".into(), "cannot read"),
        (not_pbf.clone(), "not a readable .osm.pbf file"),
    ] {
        let output = redgrid()
            .args([
                "serve",
                "--data",
                data,
                "--listen",
                "127.0.0.1:0",
                "--network",
            ])
            .arg(&network)
            .output()
            .unwrap();
        assert!(!output.status.success());
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.contains(&*network.to_string_lossy()) && stderr.contains(expected),
            "{stderr}"
        );
    }
    std::fs::remove_file(not_pbf).unwrap();
}

#[test]
fn coverage_prints_what_the_endpoint_answers() {
    let lattice = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/lattice");
    let output = redgrid()
        .args([
            "coverage", "--metres", "250", "--level", "grid", "--format", "csv", "--data",
        ])
        .arg(&lattice)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let state = redgrid::state_for_dir(
        &lattice,
        redgrid::config::Profile::Internal,
        Default::default(),
    )
    .unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let body = runtime.block_on(async {
        use tower::ServiceExt;
        let request = axum::http::Request::get("/api/v1/coverage?metres=250&level=grid&format=csv")
            .body(axum::body::Body::empty())
            .unwrap();
        let response = redgrid::app(state).oneshot(request).await.unwrap();
        axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap()
    });
    assert_eq!(output.stdout, body.to_vec());
    assert!(String::from_utf8_lossy(&output.stdout).contains(",1000,700,300,70.00,"));

    let refused = redgrid()
        .args(["coverage", "--minutes", "5,10", "--data"])
        .arg(&lattice)
        .output()
        .unwrap();
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("give one walking budget"));
}

#[test]
fn export_pmtiles_writes_a_v3_archive_of_the_tiles_it_reports() {
    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/district");
    let out = std::env::temp_dir().join(format!("redgrid-cli-{}.pmtiles", std::process::id()));
    let output = redgrid()
        .args([
            "export-pmtiles",
            "--min-zoom",
            "12",
            "--max-zoom",
            "15",
            "--data",
        ])
        .arg(&fixture)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let said = String::from_utf8_lossy(&output.stderr);
    let tiles: u64 = said
        .split("wrote ")
        .nth(1)
        .and_then(|s| s.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap();
    assert!(tiles >= 4, "{said}");
    // The PMTiles v3 header (127 bytes, little endian).
    let bytes = std::fs::read(&out).unwrap();
    let u64_at = |i: usize| u64::from_le_bytes(bytes[i..i + 8].try_into().unwrap());
    assert_eq!(&bytes[..7], b"PMTiles");
    assert_eq!(bytes[7], 3);
    assert_eq!(u64_at(72), tiles, "addressed tiles");
    assert_eq!((bytes[98], bytes[99]), (2, 1), "gzip-compressed MVT");
    assert_eq!((bytes[100], bytes[101]), (12, 15));
    let (metadata_at, metadata_len) = (u64_at(24) as usize, u64_at(32) as usize);
    assert!(metadata_len > 0);
    assert_eq!(
        &bytes[metadata_at..metadata_at + 2],
        &[0x1f, 0x8b],
        "gzip metadata"
    );
    std::fs::remove_file(&out).unwrap();

    let refused = redgrid()
        .args([
            "export-pmtiles",
            "--min-zoom",
            "16",
            "--max-zoom",
            "10",
            "--out",
            "/dev/null",
            "--data",
        ])
        .arg(&fixture)
        .output()
        .unwrap();
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("zooms"));
}
