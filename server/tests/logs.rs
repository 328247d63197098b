//! The server's own log, read off the `redgrid serve` binary: with `--log-format
//! json` every line is one JSON object, every answer is one `redgrid::access`
//! event, and no token, session, CSRF token or query (where a resident stands)
//! ever appears in it.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

const BIN: &str = env!("CARGO_BIN_EXE_redgrid");

/// One HTTP/1.1 exchange on a fresh connection; the whole answer as text.
fn exchange(address: &str, request: &str) -> String {
    let mut stream = TcpStream::connect(address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    answer
}

fn get(address: &str, target: &str, headers: &str) -> String {
    exchange(
        address,
        &format!("GET {target} HTTP/1.1\r\nHost: {address}\r\n{headers}Connection: close\r\n\r\n"),
    )
}

/// The value after `key` up to the first of `ends`.
fn value_after<'a>(text: &'a str, key: &str, ends: &[char]) -> &'a str {
    let start = text.find(key).unwrap_or_else(|| panic!("{key} in {text}")) + key.len();
    let rest = &text[start..];
    &rest[..rest.find(ends).unwrap_or(rest.len())]
}

#[test]
fn json_logs_are_one_object_a_line_and_hold_no_secrets() {
    let dir = std::env::temp_dir().join(format!("redgrid-logs-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let tokens = dir.join("tokens.tsv");
    let created = Command::new(BIN)
        .args(["token", "create", "--role", "admin", "--tokens-file"])
        .arg(&tokens)
        .output()
        .unwrap();
    assert!(created.status.success(), "{created:?}");
    let stdout = String::from_utf8(created.stdout).unwrap();
    let token = stdout.lines().last().unwrap().to_owned();

    let mut server = Command::new(BIN)
        .args(["--log-format", "json", "serve", "--listen", "127.0.0.1:0"])
        .arg("--data")
        .arg(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/lattice"
        ))
        .arg("--tokens-file")
        .arg(&tokens)
        .env_remove("RUST_LOG")
        .env_remove("REDGRID_LOG_FORMAT")
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let (lines_tx, lines) = mpsc::channel();
    let stderr = server.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines() {
            let _ = lines_tx.send(line.unwrap());
        }
    });
    let mut log = Vec::new();
    let address = loop {
        let line = lines.recv_timeout(Duration::from_secs(60)).unwrap();
        log.push(line.clone());
        if line.contains("serving on http://") {
            break value_after(&line, "http://", &['"', ' ']).to_owned();
        }
    };

    let bearer = format!("Authorization: Bearer {token}\r\n");
    let health = get(&address, "/api/v1/health", &bearer);
    assert!(health.starts_with("HTTP/1.1 200"), "{health}");
    let wrong = "rg_0000000000000000000000000000000000000000000000000000000000000000";
    let refused = get(
        &address,
        "/api/v1/locate",
        &format!("Authorization: Bearer {wrong}\r\n"),
    );
    assert!(refused.starts_with("HTTP/1.1 401"), "{refused}");
    let body = format!(r#"{{"token":"{token}"}}"#);
    let logged_in = exchange(
        &address,
        &format!(
            "POST /api/v1/session HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        ),
    );
    assert!(logged_in.starts_with("HTTP/1.1 201"), "{logged_in}");
    let session = value_after(&logged_in, "redgrid_session=", &[';', '\r']).to_owned();
    let csrf = value_after(&logged_in, r#""csrf_token":""#, &['"']).to_owned();
    let whereabouts = "lon=121.3875&lat=37.53615";
    let located = get(
        &address,
        &format!("/api/v1/locate?{whereabouts}"),
        &format!("Cookie: redgrid_session={session}\r\n"),
    );
    assert!(located.starts_with("HTTP/1.1 200"), "{located}");
    let missing = get(&address, "/api/v1/no/such?secret=hunter2", "");
    assert!(missing.starts_with("HTTP/1.1 404"), "{missing}");

    let stopped = Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .unwrap();
    assert!(stopped.success());
    assert!(server.wait().unwrap().success());
    reader.join().unwrap();
    log.extend(lines.try_iter());
    std::fs::remove_dir_all(&dir).unwrap();

    let events: Vec<serde_json::Value> = log
        .iter()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}")))
        .collect();
    for event in &events {
        assert!(
            event["timestamp"].is_string() && event["level"].is_string(),
            "{event}"
        );
    }
    let access: Vec<(String, String, u64)> = events
        .iter()
        .filter(|e| e["target"] == "redgrid::access")
        .map(|e| {
            (
                e["method"].as_str().unwrap().to_owned(),
                e["route"].as_str().unwrap().to_owned(),
                e["status"].as_u64().unwrap(),
            )
        })
        .collect();
    let expected = [
        ("GET", "/api/v1/health", 200),
        ("GET", "/api/v1/locate", 401),
        ("POST", "/api/v1/session", 201),
        ("GET", "/api/v1/locate", 200),
        ("GET", "unmatched", 404),
    ];
    assert_eq!(
        access,
        expected.map(|(m, r, s)| (m.to_owned(), r.to_owned(), s)),
        "one access event per answer, in order"
    );
    assert!(events.iter().any(|e| e["message"] == "shutting down"));

    let all = log.join("\n");
    for secret in [
        token.as_str(),
        &token[3..19],
        wrong,
        &session,
        &csrf,
        "121.3875",
        "hunter2",
    ] {
        assert!(!all.contains(secret), "{secret} appears in the log:\n{all}");
    }
}
