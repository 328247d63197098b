//! The database commands as an operator runs them: `redgrid import` prints what
//! changed and, refused, every problem and exit status 1; `token create
//! --database-url` prints a working token last; `audit revert` undoes a change.

use std::process::Command;

use serde_json::json;

use super::fresh_database_url;
use super::writes::server;

fn redgrid() -> Command {
    Command::new(env!("CARGO_BIN_EXE_redgrid"))
}

fn fixture() -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/district")
}

#[tokio::test]
async fn import_prints_what_changed_or_every_problem() {
    let Some((pool, url)) = fresh_database_url().await else {
        return;
    };
    let out = redgrid()
        .args(["import", "--database-url", &url])
        .arg(fixture())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.contains("sites: 5 added, 0 changed, 0 removed, 0 unchanged; data version 2"),
        "{stdout}"
    );
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("kept, within the tolerance: "),
        "the island is reported: {stderr}"
    );

    let dir = std::env::temp_dir().join(format!("redgrid-cli-import-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut sites: serde_json::Value =
        serde_json::from_slice(&std::fs::read(fixture().join("sites.geojson")).unwrap()).unwrap();
    sites["features"][0]["properties"]["kind"] = json!("castle");
    sites["features"][3]["properties"]
        .as_object_mut()
        .unwrap()
        .remove("name");
    std::fs::write(dir.join("sites.geojson"), sites.to_string()).unwrap();
    let out = redgrid()
        .args(["import", "--database-url", &url])
        .arg(dir.join("sites.geojson"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("nothing was imported: 2 problems"),
        "{stderr}"
    );
    assert!(
        stderr.contains("feature 0: property `kind`")
            && stderr.contains("feature 3: property `name`"),
        "{stderr}"
    );
    let names: Vec<String> = sqlx::query_scalar("SELECT name FROM sites ORDER BY ord")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert_eq!(names.len(), 5, "nothing changed");

    let out = redgrid()
        .args([
            "import",
            "--database-url",
            &url,
            "--topology-tolerance-m2",
            "-1",
        ])
        .arg(fixture())
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "clap refuses a negative tolerance"
    );
    std::fs::remove_dir_all(dir).unwrap();
}

#[tokio::test]
async fn token_create_keeps_the_token_in_the_database() {
    let Some((pool, url)) = fresh_database_url().await else {
        return;
    };
    let out = redgrid()
        .args([
            "token",
            "create",
            "--role",
            "dispatcher",
            "--database-url",
            &url,
            "--label",
            "e呼应",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let token = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .last()
        .unwrap()
        .to_owned();
    let known = redgrid::store::postgis::tokens(&pool).await.unwrap();
    assert_eq!(
        known,
        [(
            redgrid::auth::hash_token(&token),
            redgrid::auth::Role::Dispatcher
        )]
    );
    let stored: Vec<String> = sqlx::query_scalar("SELECT token_hash || label FROM api_tokens")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert!(!stored[0].contains(&token), "only the hash is kept");

    let both = redgrid()
        .args([
            "token",
            "create",
            "--role",
            "admin",
            "--database-url",
            &url,
            "--tokens-file",
            "/tmp/x.tsv",
        ])
        .output()
        .unwrap();
    assert_eq!(both.status.code(), Some(2), "one place or the other");
}

#[tokio::test]
async fn audit_revert_undoes_a_change_from_the_command_line() {
    let Some(s) = server().await else {
        return;
    };
    let url = s.url.clone();
    let renamed = s
        .admin(
            "PATCH",
            "/api/v1/sites/S1",
            Some(json!({"properties": {"name": "改名"}})),
        )
        .await;
    assert_eq!(renamed.status, 200, "{}", renamed.json);
    let entry: i64 = sqlx::query_scalar("SELECT max(id) FROM audit_log")
        .fetch_one(&s.pool)
        .await
        .unwrap();
    let out = redgrid()
        .args([
            "audit",
            "revert",
            &entry.to_string(),
            "--database-url",
            &url,
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let name: String = sqlx::query_scalar("SELECT name FROM sites WHERE id = 'S1'")
        .fetch_one(&s.pool)
        .await
        .unwrap();
    assert_ne!(name, "改名");
    let actor: String = sqlx::query_scalar("SELECT actor FROM audit_log ORDER BY id DESC LIMIT 1")
        .fetch_one(&s.pool)
        .await
        .unwrap();
    assert_eq!(actor, "redgrid audit revert");
    let again = redgrid()
        .args(["audit", "revert", "999999", "--database-url", &url])
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr).contains("no audit entry 999999"));
}

#[tokio::test]
async fn import_dry_runs_a_gbk_table_named_to_its_layer() {
    let Some((pool, url)) = fresh_database_url().await else {
        return;
    };
    let loaded = redgrid()
        .args(["import", "--database-url", &url])
        .arg(fixture())
        .output()
        .unwrap();
    assert!(loaded.status.success());
    let before = super::import::dump(&pool).await;
    let dir = super::import::temp_dir("cli-gbk");
    let (lon, lat): (f64, f64) =
        sqlx::query_as("SELECT ST_X(geom), ST_Y(geom) FROM sites ORDER BY ord LIMIT 1")
            .fetch_one(&pool)
            .await
            .unwrap();
    let text = format!(
        "名称,类型,经度,纬度\n台账驿站,芝罘红港驿站,{},{}\n",
        lon, lat
    );
    let (gbk, _, _) = encoding_rs::GBK.encode(&text);
    let path = dir.join("驿站台账.txt");
    std::fs::write(&path, &gbk).unwrap();

    let refused = redgrid()
        .args(["import", "--database-url", &url])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(
        refused.status.code(),
        Some(1),
        "a name that is no layer needs --layer"
    );
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--layer"));

    let out = redgrid()
        .args([
            "import",
            "--database-url",
            &url,
            "--dry-run",
            "--layer",
            "sites",
            "--encoding",
            "gbk",
        ])
        .arg(&path)
        .output()
        .unwrap();
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert!(out.status.success(), "{stderr}");
    assert!(
        stdout.contains("sites: 1 added, 0 changed, 0 removed, 5 unchanged"),
        "{stdout}"
    );
    assert!(stderr.contains("dry run, nothing written"), "{stderr}");
    assert_eq!(
        super::import::dump(&pool).await,
        before,
        "a dry run writes nothing"
    );
}
