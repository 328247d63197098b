//! The PostGIS schema against a real database (the test command starts a throwaway
//! cluster and sets `REDGRID_TEST_DATABASE_URL`): migrations apply to an empty
//! database and again as a no-op; every geometry is SRID 4326 with a GiST index; the
//! hierarchy's foreign keys refuse a dangling id at commit; geometry sent as WKB
//! (geozero) is what PostGIS measures and what comes back.

use redgrid::store::postgis;
use sqlx::{Executor, Row};

use super::fresh_database;

#[tokio::test]
async fn migrations_apply_to_an_empty_database_and_again_as_a_no_op() {
    let Some(pool) = fresh_database().await else {
        return;
    };
    postgis::migrate(&pool).await.unwrap();
    postgis::migrate(&pool).await.unwrap();
    let applied: i64 = sqlx::query_scalar("SELECT count(*) FROM _sqlx_migrations")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(applied as usize, postgis::MIGRATOR.iter().count());
    let columns = sqlx::query("SELECT f_table_name, srid, type FROM geometry_columns ORDER BY 1")
        .fetch_all(&pool)
        .await
        .unwrap();
    let tables: Vec<String> = columns.iter().map(|r| r.get::<String, _>(0)).collect();
    assert_eq!(
        tables,
        [
            "buildings",
            "communities",
            "compounds",
            "context",
            "district",
            "grids",
            "sites",
            "streets",
            "walk_network"
        ]
    );
    assert!(columns.iter().all(|r| r.get::<i32, _>(1) == 4326));
    let gist: Vec<String> = sqlx::query_scalar(
        "SELECT tablename::text FROM pg_indexes WHERE indexdef LIKE '%USING gist (geom)%' ORDER BY 1",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(gist, tables, "a GiST index on every geometry");
    let versions: i64 =
        sqlx::query_scalar("SELECT count(*) FROM layer_versions WHERE data_version = 1")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(versions, 12, "each layer, and the tokens");
}

#[tokio::test]
async fn the_hierarchy_refuses_a_dangling_id_at_commit_and_keeps_nothing() {
    let Some(pool) = fresh_database().await else {
        return;
    };
    postgis::migrate(&pool).await.unwrap();
    let square = "ST_Multi(ST_MakeEnvelope(121.38, 37.53, 121.39, 37.54, 4326))";
    let mut tx = pool.begin().await.unwrap();
    // The community comes first: the check waits for the commit, so rows may arrive
    // in any order within one import.
    tx.execute(
        format!("INSERT INTO communities VALUES ('C1', 0, 'S1', '西社区', '{{}}', {square})")
            .as_str(),
    )
    .await
    .unwrap();
    tx.execute(
        format!("INSERT INTO streets VALUES ('S1', 0, '西街道', '{{}}', {square})").as_str(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let mut tx = pool.begin().await.unwrap();
    tx.execute(
        format!(
            "INSERT INTO grids VALUES ('G1', 0, '370602901001001', 'C-nowhere', '{{}}', {square})"
        )
        .as_str(),
    )
    .await
    .unwrap();
    let refused = tx.commit().await.unwrap_err().to_string();
    assert!(refused.contains("foreign key"), "{refused}");
    let grids: i64 = sqlx::query_scalar("SELECT count(*) FROM grids")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(grids, 0);
    // A malformed code or a geometry of the wrong kind is refused outright.
    let bad_code = pool
        .execute(
            format!("INSERT INTO grids VALUES ('G2', 1, '3706', 'C1', '{{}}', {square})").as_str(),
        )
        .await;
    assert!(
        bad_code
            .unwrap_err()
            .to_string()
            .contains("check constraint")
    );
    let point = pool
        .execute("INSERT INTO streets VALUES ('S2', 1, '东街道', '{}', ST_SetSRID(ST_MakePoint(121.38, 37.53), 4326))")
        .await;
    assert!(
        point
            .unwrap_err()
            .to_string()
            .to_lowercase()
            .contains("geometry")
    );
}

#[tokio::test]
async fn geometry_crosses_the_wire_as_wkb_and_comes_back_the_same() {
    use geo::{Geometry, LineString, MultiPolygon, Point, polygon};
    use geozero::wkb;
    let Some(pool) = fresh_database().await else {
        return;
    };
    let with_hole = polygon!(
        exterior: [(x: 121.38, y: 37.53), (x: 121.39, y: 37.53), (x: 121.39, y: 37.54), (x: 121.38, y: 37.54), (x: 121.38, y: 37.53)],
        interiors: [[(x: 121.383, y: 37.533), (x: 121.386, y: 37.533), (x: 121.386, y: 37.536), (x: 121.383, y: 37.533)]],
    );
    let shapes = [
        Geometry::MultiPolygon(MultiPolygon(vec![with_hole])),
        Geometry::LineString(LineString::from(vec![
            (121.3786, 37.5391),
            (121.3791234, 37.5395678),
        ])),
        Geometry::Point(Point::new(121.3786056, 37.5391006)),
    ];
    postgis::migrate(&pool).await.unwrap();
    pool.execute("CREATE TABLE shapes (n int, geom geometry(Geometry, 4326))")
        .await
        .unwrap();
    for (n, g) in shapes.iter().enumerate() {
        sqlx::query("INSERT INTO shapes VALUES ($1, ST_SetSRID($2::geometry, 4326))")
            .bind(n as i32)
            .bind(wkb::Encode(g.clone()))
            .execute(&pool)
            .await
            .unwrap();
    }
    // PostGIS itself reads what we sent: area and length by its own functions.
    let area: f64 = sqlx::query_scalar("SELECT ST_Area(geom) FROM shapes WHERE n = 0")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert!(
        (area - (1e-4 - 0.5 * 0.003 * 0.003)).abs() < 1e-12,
        "{area}"
    );
    let rows = sqlx::query("SELECT geom FROM shapes ORDER BY n")
        .fetch_all(&pool)
        .await
        .unwrap();
    for (row, sent) in rows.iter().zip(&shapes) {
        let back: wkb::Decode<Geometry<f64>> = row.get(0);
        assert_eq!(back.geometry.as_ref(), Some(sent));
    }
}
