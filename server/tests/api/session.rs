//! Browser sessions: a token exchanged for an HttpOnly, SameSite=Strict cookie; the
//! cookie's role for reads; CSRF tokens required on cookie-authenticated writes;
//! logout.

use axum::body::Body;
use axum::http::Request;

use crate::common::{DISPATCHER, INTERNAL, PLANNER, Reply, assert_problem, reply};

/// A request to the fixture with optional cookie, CSRF token and JSON body.
async fn call(
    method: &str,
    uri: &str,
    cookie: Option<&str>,
    csrf: Option<&str>,
    json: Option<&str>,
) -> Reply {
    let mut r = Request::builder().method(method).uri(uri);
    if let Some(c) = cookie {
        r = r.header("cookie", format!("other=1; redgrid_session={c}"));
    }
    if let Some(t) = csrf {
        r = r.header("x-csrf-token", t);
    }
    let body = match json {
        Some(j) => {
            r = r.header("content-type", "application/json");
            Body::from(j.to_owned())
        }
        None => Body::empty(),
    };
    reply(&INTERNAL, r.body(body).unwrap()).await
}

/// Logs in with `token`: (session id from the cookie, CSRF token).
async fn log_in(token: &str) -> (String, String) {
    let r = call(
        "POST",
        "/api/v1/session",
        None,
        None,
        Some(&format!(r#"{{"token": "{token}"}}"#)),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.json);
    let set = r.headers["set-cookie"].to_str().unwrap();
    for part in ["HttpOnly", "SameSite=Strict", "Path=/", "Max-Age=28800"] {
        assert!(set.contains(part), "{set}");
    }
    assert!(!set.contains("Secure"), "plain http on loopback: {set}");
    assert_eq!(r.headers["cache-control"], "no-store");
    let id = set
        .split(';')
        .next()
        .unwrap()
        .strip_prefix("redgrid_session=")
        .unwrap()
        .to_owned();
    (id, r.json["csrf_token"].as_str().unwrap().to_owned())
}

#[tokio::test]
async fn a_token_opens_a_session_whose_cookie_carries_its_role() {
    assert_problem(
        &call(
            "POST",
            "/api/v1/session",
            None,
            None,
            Some(r#"{"token": "rg_guess"}"#),
        )
        .await,
        401,
        None,
    );
    assert_problem(
        &call(
            "POST",
            "/api/v1/session",
            None,
            None,
            Some(r#"{"tok": "x"}"#),
        )
        .await,
        400,
        None,
    );
    assert_problem(
        &call("POST", "/api/v1/session", None, None, None).await,
        415,
        None,
    );
    let (id, csrf) = log_in(DISPATCHER).await;
    assert_ne!(id, csrf);
    let who = call("GET", "/api/v1/session", Some(&id), None, None).await;
    assert_eq!(who.json["role"], "dispatcher");
    assert!(
        who.json.get("csrf_token").is_none(),
        "the CSRF token is handed out once"
    );
    assert!(who.json["expires_in_s"].as_u64().unwrap() > 28_000);
    let nobody = call("GET", "/api/v1/session", Some("rg_stale"), None, None).await;
    assert_eq!(nobody.json["role"], serde_json::Value::Null);
    // The dispatcher's cookie unmasks workers on a read, like the token does.
    let at = "/api/v1/locate?lon=121.38165&lat=37.53165";
    let masked = call("GET", at, None, None, None).await;
    let unmasked = call("GET", at, Some(&id), None, None).await;
    assert_eq!(masked.json["personal_data"], "masked");
    assert_eq!(unmasked.json["personal_data"], "unmasked");
}

#[tokio::test]
async fn cookie_writes_need_the_csrf_token_and_logout_ends_the_session() {
    let (id, csrf) = log_in(PLANNER).await;
    let scenario = r#"{"name": "会话测试", "metres": 300}"#;
    let without = call(
        "POST",
        "/api/v1/plan/scenarios",
        Some(&id),
        None,
        Some(scenario),
    )
    .await;
    assert_problem(&without, 403, None);
    assert!(
        without.json["detail"]
            .as_str()
            .unwrap()
            .contains("X-CSRF-Token")
    );
    let wrong = call(
        "POST",
        "/api/v1/plan/scenarios",
        Some(&id),
        Some(&id),
        Some(scenario),
    )
    .await;
    assert_problem(&wrong, 403, None);
    let saved = call(
        "POST",
        "/api/v1/plan/scenarios",
        Some(&id),
        Some(&csrf),
        Some(scenario),
    )
    .await;
    assert_eq!(saved.status, 201, "{}", saved.json);
    assert_problem(
        &call("DELETE", "/api/v1/session", Some(&id), None, None).await,
        403,
        None,
    );
    let out = call("DELETE", "/api/v1/session", Some(&id), Some(&csrf), None).await;
    assert_eq!(out.status, 204);
    assert!(
        out.headers["set-cookie"]
            .to_str()
            .unwrap()
            .contains("Max-Age=0")
    );
    assert_eq!(
        call("GET", "/api/v1/session", Some(&id), None, None)
            .await
            .json["role"],
        serde_json::Value::Null
    );
    // The closed session is anonymous now: saving needs a login again.
    let after = call(
        "POST",
        "/api/v1/plan/scenarios",
        Some(&id),
        Some(&csrf),
        Some(scenario),
    )
    .await;
    assert_problem(&after, 401, None);
}
