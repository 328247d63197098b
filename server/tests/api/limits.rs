//! Time and rate limits: anonymous callers by client address (from
//! `X-Forwarded-For` only behind a trusted proxy), known tokens by token, made-up
//! tokens as anonymous, loopback exempt unless asked, 429 with `Retry-After`. (The
//! time limit is tested in `src/http/limits.rs`.)

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::Request;
use redgrid::AppState;
use redgrid::config::Profile;
use redgrid::http::limits::LimitArgs;

use crate::common::{Reply, VIEWER, fixture_dir, reply, tokens};

fn state(args: LimitArgs) -> AppState {
    redgrid::state_for_dir(&fixture_dir(), Profile::Internal, tokens())
        .unwrap()
        .with_limits(&args)
}

async fn from(
    state: &AppState,
    peer: &str,
    forwarded: Option<&str>,
    token: Option<&str>,
    uri: &str,
) -> Reply {
    let mut request = Request::builder().uri(uri);
    if let Some(f) = forwarded {
        request = request.header("x-forwarded-for", f);
    }
    if let Some(t) = token {
        request = request.header("authorization", format!("Bearer {t}"));
    }
    let mut request = request.body(Body::empty()).unwrap();
    let peer: SocketAddr = format!("{peer}:40000").parse().unwrap();
    request.extensions_mut().insert(ConnectInfo(peer));
    reply(state, request).await
}

async fn statuses(
    state: &AppState,
    n: usize,
    peer: &str,
    forwarded: Option<&str>,
    token: Option<&str>,
) -> Vec<u16> {
    let mut out = Vec::new();
    for _ in 0..n {
        out.push(
            from(state, peer, forwarded, token, "/api/v1/health")
                .await
                .status
                .as_u16(),
        );
    }
    out
}

fn three_a_minute() -> LimitArgs {
    LimitArgs {
        rate_limit_anonymous: 3,
        rate_limit_token: 5,
        trusted_proxies: vec!["10.0.0.1".parse().unwrap()],
        ..LimitArgs::default()
    }
}

#[tokio::test]
async fn anonymous_callers_are_limited_by_address_with_retry_after() {
    let s = state(three_a_minute());
    assert_eq!(
        statuses(&s, 4, "192.0.2.7", None, None).await,
        [200, 200, 200, 429]
    );
    let refused = from(&s, "192.0.2.7", None, None, "/api/v1/health").await;
    assert_eq!(refused.status, 429);
    assert_eq!(refused.content_type, "application/problem+json");
    assert_eq!(
        refused.json["type"],
        "urn:redgrid:problem:too-many-requests"
    );
    let wait: u64 = refused.headers["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=61).contains(&wait), "{wait}");
    assert_eq!(
        statuses(&s, 3, "192.0.2.8", None, None).await,
        [200, 200, 200],
        "another address has its own"
    );
    assert_eq!(
        statuses(&s, 10, "127.0.0.1", None, None).await,
        [200; 10],
        "loopback is exempt"
    );
    let strict = state(LimitArgs {
        rate_limit_loopback: true,
        ..three_a_minute()
    });
    assert_eq!(
        statuses(&strict, 4, "127.0.0.1", None, None).await,
        [200, 200, 200, 429]
    );
}

#[tokio::test]
async fn behind_a_trusted_proxy_the_forwarded_client_counts_and_elsewhere_the_header_is_ignored() {
    let s = state(three_a_minute());
    // Two offices behind the district's proxy each have their own allowance.
    assert_eq!(
        statuses(&s, 4, "10.0.0.1", Some("203.0.113.5"), None).await,
        [200, 200, 200, 429]
    );
    assert_eq!(
        statuses(&s, 3, "10.0.0.1", Some("198.51.100.9, 10.0.0.1"), None).await,
        [200, 200, 200]
    );
    // A caller not behind the proxy cannot pick a fresh address per request.
    let mut spoofed = Vec::new();
    for i in 0..4 {
        let forwarded = format!("203.0.113.{i}");
        spoofed.push(
            from(&s, "192.0.2.50", Some(&forwarded), None, "/api/v1/health")
                .await
                .status
                .as_u16(),
        );
    }
    assert_eq!(spoofed, [200, 200, 200, 429]);
}

#[tokio::test]
async fn known_tokens_have_their_own_allowance_and_made_up_ones_count_as_anonymous() {
    let s = state(three_a_minute());
    assert_eq!(
        statuses(&s, 6, "192.0.2.9", None, Some(VIEWER)).await,
        [200, 200, 200, 200, 200, 429]
    );
    // Each unknown token counts against the address, not a new bucket.
    let mut made_up = Vec::new();
    for i in 0..4 {
        let token = format!("rg_made_up_{i}");
        made_up.push(
            from(&s, "192.0.2.10", None, Some(&token), "/api/v1/health")
                .await
                .status
                .as_u16(),
        );
    }
    assert!(made_up[..3].iter().all(|&s| s != 429), "{made_up:?}");
    assert_eq!(made_up[3], 429, "{made_up:?}");
}
