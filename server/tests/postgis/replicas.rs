//! Replicas as real processes (`redgrid serve --database-url`) over one database: a
//! write through one is reflected in the other's locate, nearest, coverage and tile
//! versions; a replica whose listening connection is killed still converges; an
//! import of 300 sites reloads each replica at most twice; and with PostgreSQL
//! stopped reads go on, writes are 503 problems, and the server recovers by itself.
//! Deadlines are generous: how fast a change shows is measured by a bench.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use redgrid::auth::Role;
use redgrid::geo::Crs;
use redgrid::store::postgis::{self, import::Mode};
use serde_json::{Value, json};

use super::{fresh_database_url, options};

fn fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/district")
}

/// One `redgrid serve` process, killed when dropped.
struct Replica {
    child: Child,
    addr: String,
}

impl Drop for Replica {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl Replica {
    /// Starts a replica whose database connections are named `name`, and waits for it.
    fn start(url: &str, name: &str) -> Self {
        let addr = format!("127.0.0.1:{}", free_port());
        let log = std::env::temp_dir().join(format!("redgrid-{}-{name}.log", std::process::id()));
        let child = Command::new(env!("CARGO_BIN_EXE_redgrid"))
            .args([
                "serve",
                "--database-url",
                &format!("{url}?application_name={name}"),
            ])
            .args(["--listen", &addr, "--web", "/nonexistent"])
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .unwrap();
        let replica = Replica { child, addr };
        eventually(&format!("{name} answers (log: {})", log.display()), || {
            replica.get("/api/v1/health").is_some_and(|(s, _)| s == 200)
        });
        replica
    }

    fn request(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<&Value>,
    ) -> Option<(u16, Value)> {
        let auth = token.map(|t| format!("Authorization: Bearer {t}"));
        let headers: Vec<&str> = auth.iter().map(String::as_str).collect();
        http(&self.addr, method, path, &headers, body).map(|(status, _, json)| (status, json))
    }

    fn get(&self, path: &str) -> Option<(u16, Value)> {
        self.request("GET", path, None, None)
    }

    fn json(&self, path: &str) -> Value {
        self.get(path).map(|(_, j)| j).unwrap_or(Value::Null)
    }

    fn reloads(&self) -> u64 {
        self.json("/api/v1/health")["reloads"].as_u64().unwrap()
    }
}

/// One HTTP/1.1 request with `Connection: close`; `None` if the server cannot be reached.
/// One HTTP/1.1 request with `Connection: close` and these extra header lines:
/// (status, response head, JSON body); `None` if the server cannot be reached.
fn http(
    addr: &str,
    method: &str,
    path: &str,
    headers: &[&str],
    body: Option<&Value>,
) -> Option<(u16, String, Value)> {
    let mut stream = TcpStream::connect(addr).ok()?;
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .ok()?;
    let body = body.map(Value::to_string).unwrap_or_default();
    let extra: String = headers.iter().map(|h| format!("{h}\r\n")).collect();
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n{extra}\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).ok()?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).ok()?;
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let status = head.split_whitespace().nth(1)?.parse().ok()?;
    let mut content = raw[split + 4..].to_vec();
    if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        content = dechunk(&content);
    }
    Some((
        status,
        head,
        serde_json::from_slice(&content).unwrap_or(Value::Null),
    ))
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(end) = data.windows(2).position(|w| w == b"\r\n") {
        let size =
            usize::from_str_radix(String::from_utf8_lossy(&data[..end]).trim(), 16).unwrap_or(0);
        if size == 0 {
            break;
        }
        out.extend_from_slice(&data[end + 2..end + 2 + size]);
        data = &data[end + 4 + size..];
    }
    out
}

/// Polls `check` every 100 ms for up to two minutes.
fn eventually(what: &str, mut check: impl FnMut() -> bool) {
    let started = Instant::now();
    while !check() {
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "not within 120 s: {what}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Points on the fixture's network inside its grids.
fn network_points() -> Vec<[f64; 2]> {
    let state = redgrid::state_for_dir(
        &fixture(),
        redgrid::config::Profile::Internal,
        Default::default(),
    )
    .unwrap();
    let ds = state.store.dataset();
    ds.network
        .iter()
        .flat_map(|e| e.geometry.0.iter())
        .map(|c| [c.x, c.y])
        .filter(|&[x, y]| {
            let p = redgrid::geo::LonLat::new(x, y).unwrap();
            redgrid::locate::locate(ds, &state.indexes, p).is_ok_and(|l| l.grid.is_some())
        })
        .collect()
}

fn station(at: [f64; 2], name: &str) -> Value {
    json!({
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": at},
        "properties": {"kind": "station", "name": name},
    })
}

fn nearest_id(replica: &Replica, at: [f64; 2]) -> Option<String> {
    let answer = replica.json(&format!("/api/v1/nearest?lon={}&lat={}&k=1", at[0], at[1]));
    answer["features"][0]["properties"]["id"]
        .as_str()
        .map(str::to_owned)
}

/// The version the sites layer's tile URLs carry.
fn tile_version(replica: &Replica) -> String {
    let url = replica.json("/tiles/sites.json")["tiles"][0]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    url.rsplit_once("?v=")
        .map(|(_, v)| v.to_owned())
        .unwrap_or_default()
}

fn service_points(replica: &Replica) -> u64 {
    replica.json("/api/v1/coverage?level=district&format=json")["total"]["service_points"]
        .as_u64()
        .unwrap_or_default()
}

#[tokio::test]
async fn a_write_through_one_replica_reaches_the_other() {
    let Some((pool, url)) = fresh_database_url().await else {
        return;
    };
    postgis::migrate(&pool).await.unwrap();
    postgis::import::import(&pool, &[fixture()], options(Mode::Upsert, Crs::Wgs84))
        .await
        .unwrap();
    let admin = postgis::create_token(&pool, Role::Admin, "replica tests")
        .await
        .unwrap();
    let (a, b) = (
        Replica::start(&url, "replica_a"),
        Replica::start(&url, "replica_b"),
    );
    let at = network_points()[0];
    let (tiles_before, points_before) = (tile_version(&b), service_points(&b));

    let (status, created) = a
        .request(
            "POST",
            "/api/v1/sites",
            Some(&admin),
            Some(&station(at, "新站")),
        )
        .unwrap();
    assert_eq!(status, 201, "{created}");
    let id = created["id"].as_str().unwrap().to_owned();
    assert_eq!(
        nearest_id(&a, at).as_deref(),
        Some(id.as_str()),
        "the writer reads its write"
    );
    eventually("the other replica's nearest finds the new site", || {
        nearest_id(&b, at).as_deref() == Some(id.as_str())
    });
    let located = b.json(&format!("/api/v1/locate?lon={}&lat={}", at[0], at[1]));
    assert_eq!(
        located["grid"]["id"], created["properties"]["grid_id"],
        "{located}"
    );
    assert_ne!(
        tile_version(&b),
        tiles_before,
        "the sites tiles' version moved"
    );
    assert_eq!(tile_version(&b), tile_version(&a));
    assert_eq!(service_points(&b), points_before + 1);
    assert_eq!(
        b.json("/api/v1/health")["versions"],
        a.json("/api/v1/health")["versions"]
    );

    // A browser session opened on a is known to b, and a logout on b ends it on a;
    // a scenario saved on a is read on b.
    let (status, head, opened) = http(
        &a.addr,
        "POST",
        "/api/v1/session",
        &[],
        Some(&json!({"token": admin})),
    )
    .unwrap();
    assert_eq!(status, 201, "{opened}");
    let cookie = head
        .lines()
        .find_map(|l| {
            l.to_ascii_lowercase()
                .starts_with("set-cookie: ")
                .then(|| l["set-cookie: ".len()..].to_owned())
        })
        .and_then(|c| c.split(';').next().map(str::to_owned))
        .unwrap()
        .to_owned();
    let session = |r: &Replica| {
        http(
            &r.addr,
            "GET",
            "/api/v1/session",
            &[&format!("Cookie: {cookie}")],
            None,
        )
        .unwrap()
        .2["role"]
            .clone()
    };
    assert_eq!(session(&b), "admin");
    let scenario = json!({"name": "共享方案", "author": "测试", "add": [at]});
    let (status, _, saved) = http(
        &a.addr,
        "POST",
        "/api/v1/plan/scenarios",
        &[&format!("Authorization: Bearer {admin}")],
        Some(&scenario),
    )
    .unwrap();
    assert_eq!(status, 201, "{saved}");
    let on_b = b.json(&format!(
        "/api/v1/plan/scenarios/{}",
        saved["id"].as_str().unwrap()
    ));
    assert_eq!(on_b["name"], "共享方案");
    let csrf = format!("X-CSRF-Token: {}", opened["csrf_token"].as_str().unwrap());
    let (status, _, _) = http(
        &b.addr,
        "DELETE",
        "/api/v1/session",
        &[&format!("Cookie: {cookie}"), &csrf],
        None,
    )
    .unwrap();
    assert_eq!(status, 204);
    assert_eq!(session(&a), Value::Null, "logged out everywhere");

    // Kill b's listening connection, then write through a: b converges anyway.
    let killed: Vec<bool> = sqlx::query_scalar(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
         WHERE application_name = 'replica_b' AND query ILIKE 'LISTEN%'",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(killed, [true], "b had one listening connection");
    let patch = json!({"properties": {"name": "改名站"}});
    let (status, _) = a
        .request(
            "PATCH",
            &format!("/api/v1/sites/{id}"),
            Some(&admin),
            Some(&patch),
        )
        .unwrap();
    assert_eq!(status, 200);
    eventually("b sees the rename after losing its listener", || {
        b.json(&format!("/api/v1/sites/{id}"))["properties"]["name"] == "改名站"
            && b.json(&format!("/api/v1/nearest?lon={}&lat={}&k=1", at[0], at[1]))["features"][0]["properties"]
                ["name"]
                == "改名站"
    });

    // An import of 300 sites: at most two reloads per replica.
    let (reloads_a, reloads_b) = (a.reloads(), b.reloads());
    let sites_before = b.json("/api/v1/health")["counts"]["sites"]
        .as_u64()
        .unwrap();
    let points = network_points();
    let features: Vec<Value> = (0..300)
        .map(|i| {
            let mut f = station(points[i % points.len()], &format!("批量站{i}"));
            f["properties"]["id"] = json!(format!("S9{i:04}"));
            f
        })
        .collect();
    let dir = std::env::temp_dir().join(format!("redgrid-replicas-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("sites.geojson");
    std::fs::write(
        &file,
        json!({"type": "FeatureCollection", "features": features}).to_string(),
    )
    .unwrap();
    let changes = postgis::import::import(&pool, &[file], options(Mode::Upsert, Crs::Wgs84))
        .await
        .unwrap();
    assert_eq!(changes.changes[0].added, 300);
    for r in [&a, &b] {
        eventually("both replicas hold the imported sites", || {
            r.json("/api/v1/health")["counts"]["sites"].as_u64() == Some(sites_before + 300)
        });
    }
    std::thread::sleep(Duration::from_secs(1));
    assert!(
        a.reloads() - reloads_a <= 2,
        "a reloaded {} times",
        a.reloads() - reloads_a
    );
    assert!(
        b.reloads() - reloads_b <= 2,
        "b reloaded {} times",
        b.reloads() - reloads_b
    );
    assert!(b.reloads() > reloads_b);
    std::fs::remove_dir_all(dir).unwrap();
}

/// A private cluster (the shared one must stay up for the other tests), removed
/// when dropped.
struct Cluster {
    dir: String,
    url: String,
}

impl Cluster {
    fn script() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../scripts/postgis")
    }

    fn start() -> Self {
        let out = Command::new(Self::script()).arg("start").output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8(out.stdout).unwrap();
        let value = |name: &str| {
            text.lines()
                .find_map(|l| l.strip_prefix(&format!("export {name}=")))
                .unwrap()
                .to_owned()
        };
        Cluster {
            dir: value("REDGRID_PG_DIR"),
            url: value("REDGRID_TEST_DATABASE_URL"),
        }
    }

    fn run(&self, what: &str) {
        let out = Command::new(Self::script())
            .args([what, &self.dir])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{what}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = Command::new(Self::script())
            .args(["stop", &self.dir])
            .output();
    }
}

#[tokio::test]
async fn with_postgres_stopped_reads_go_on_writes_are_503_and_it_recovers() {
    if fresh_database_url().await.is_none() {
        return;
    }
    let cluster = Cluster::start();
    let pool = postgis::open(&cluster.url).await.unwrap();
    postgis::import::import(&pool, &[fixture()], options(Mode::Upsert, Crs::Wgs84))
        .await
        .unwrap();
    let admin = postgis::create_token(&pool, Role::Admin, "outage tests")
        .await
        .unwrap();
    pool.close().await;
    let replica = Replica::start(&cluster.url, "replica_outage");
    let at = network_points()[0];
    let (status, _) = replica
        .request(
            "POST",
            "/api/v1/sites",
            Some(&admin),
            Some(&station(at, "先建站")),
        )
        .unwrap();
    assert_eq!(status, 201);
    let nearest = format!("/api/v1/nearest?lon={}&lat={}&k=1", at[0], at[1]);
    assert_eq!(replica.get(&nearest).unwrap().0, 200);
    assert_eq!(replica.get("/readyz").unwrap().0, 200);

    cluster.run("down");
    assert_eq!(
        replica.get("/readyz").unwrap().0,
        503,
        "not ready without its database"
    );
    assert_eq!(replica.get("/healthz").unwrap().0, 200, "but alive");
    assert_eq!(
        replica.get(&nearest).unwrap().0,
        200,
        "reads answer from memory"
    );
    assert_eq!(replica.get("/api/v1/health").unwrap().0, 200);
    let (status, problem) = replica
        .request(
            "POST",
            "/api/v1/sites",
            Some(&admin),
            Some(&station(at, "停电站")),
        )
        .unwrap();
    assert_eq!(status, 503, "{problem}");
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("cannot be written now"),
        "{problem}"
    );

    let sites = || replica.json("/api/v1/health")["counts"]["sites"].as_u64();
    let sites_before = sites();
    cluster.run("up");
    let mut created = None;
    eventually("writes succeed again once PostgreSQL is back", || {
        let (status, body) = replica
            .request(
                "POST",
                "/api/v1/sites",
                Some(&admin),
                Some(&station(at, "恢复站")),
            )
            .unwrap();
        if status == 201 {
            created = body["id"].as_str().map(str::to_owned);
        }
        status == 201
    });
    let created = created.unwrap();
    assert_eq!(
        sites(),
        sites_before.map(|n| n + 1),
        "and are served at once"
    );
    let served = replica.json(&format!("/api/v1/sites/{created}"));
    assert_eq!(served["properties"]["name"], "恢复站");
    assert_eq!(replica.get("/readyz").unwrap().0, 200, "ready again");
}
