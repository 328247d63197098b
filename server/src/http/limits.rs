//! Limits on what one caller may ask: a time limit on every request, and rate
//! limits per minute, by token (or browser session) for authenticated callers and
//! by client address for anonymous ones. District offices sit behind one NAT or
//! proxy address: the client address is taken from `X-Forwarded-For` only when the
//! connection comes from a configured trusted proxy (the rightmost address that is
//! not itself a trusted proxy), never from a header anyone can send. Loopback
//! callers are exempt unless asked otherwise.

use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::time::Duration;

use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use super::AppState;
use super::error::ApiError;
use crate::auth::{Caller, hash_token};

/// The limits, as configured.
#[derive(Debug, Clone, clap::Args)]
pub struct LimitArgs {
    /// Seconds a request may take before it is answered with a 503 problem.
    #[arg(long, env = "REDGRID_REQUEST_TIMEOUT_S", default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub request_timeout_s: u64,
    /// Requests per minute one token (or browser session) may make.
    #[arg(long, env = "REDGRID_RATE_LIMIT_TOKEN", default_value_t = 6_000, value_parser = clap::value_parser!(u32).range(1..))]
    pub rate_limit_token: u32,
    /// Requests per minute one anonymous client address may make.
    #[arg(long, env = "REDGRID_RATE_LIMIT_ANONYMOUS", default_value_t = 1_200, value_parser = clap::value_parser!(u32).range(1..))]
    pub rate_limit_anonymous: u32,
    /// A reverse proxy whose `X-Forwarded-For` names the client (repeatable, or
    /// comma-separated in the environment).
    #[arg(
        long = "trusted-proxy",
        env = "REDGRID_TRUSTED_PROXIES",
        value_delimiter = ','
    )]
    pub trusted_proxies: Vec<IpAddr>,
    /// Rate-limit loopback callers too (by default they are exempt).
    #[arg(long, env = "REDGRID_RATE_LIMIT_LOOPBACK")]
    pub rate_limit_loopback: bool,
}

impl Default for LimitArgs {
    fn default() -> Self {
        Self {
            request_timeout_s: 60,
            rate_limit_token: 6_000,
            rate_limit_anonymous: 1_200,
            trusted_proxies: Vec::new(),
            rate_limit_loopback: false,
        }
    }
}

/// The limits in force, with the callers' buckets; kept across reloads.
#[derive(Debug)]
pub struct Limits {
    timeout: Duration,
    tokens: DefaultKeyedRateLimiter<String>,
    anonymous: DefaultKeyedRateLimiter<IpAddr>,
    trusted_proxies: Vec<IpAddr>,
    limit_loopback: bool,
    /// Checks made, to forget callers whose buckets are full again now and then.
    checks: std::sync::atomic::AtomicU64,
}

/// Every this many checks, callers back to a full allowance are forgotten, so
/// many addresses passing once cannot grow the buckets without end.
const FORGET_EVERY: u64 = 10_000;

impl Default for Limits {
    fn default() -> Self {
        Self::new(&LimitArgs::default())
    }
}

fn per_minute(n: u32) -> Quota {
    Quota::per_minute(NonZeroU32::new(n).unwrap_or(NonZeroU32::MIN))
}

impl Limits {
    pub fn new(args: &LimitArgs) -> Self {
        Self {
            timeout: Duration::from_secs(args.request_timeout_s),
            tokens: RateLimiter::keyed(per_minute(args.rate_limit_token)),
            anonymous: RateLimiter::keyed(per_minute(args.rate_limit_anonymous)),
            trusted_proxies: args.trusted_proxies.clone(),
            limit_loopback: args.rate_limit_loopback,
            checks: std::sync::atomic::AtomicU64::new(0),
        }
    }

    /// Callers with a bucket (a full one counts until it is forgotten).
    pub fn tracked(&self) -> usize {
        self.tokens.len() + self.anonymous.len()
    }

    fn forget_idle(&self) {
        let n = self
            .checks
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed)
            + 1;
        if n % FORGET_EVERY == 0 {
            self.tokens.retain_recent();
            self.anonymous.retain_recent();
        }
    }

    /// The client's address: the peer, or behind a trusted proxy the rightmost
    /// forwarded address that is not a trusted proxy.
    pub fn client(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        if !self.trusted_proxies.contains(&peer) {
            return peer;
        }
        let forwarded = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .filter_map(|a| a.trim().parse::<IpAddr>().ok())
            .collect::<Vec<_>>();
        forwarded
            .into_iter()
            .rev()
            .find(|a| !self.trusted_proxies.contains(a))
            .unwrap_or(peer)
    }

    /// Whether the caller may make one more request now; the seconds to wait if not.
    fn admit(&self, credential: Option<String>, client: Option<IpAddr>) -> Result<(), u64> {
        let wait = |not_until: governor::NotUntil<_>| {
            let clock = governor::clock::DefaultClock::default();
            not_until
                .wait_time_from(governor::clock::Clock::now(&clock))
                .as_secs()
                + 1
        };
        self.forget_idle();
        match (credential, client) {
            (Some(key), _) => self.tokens.check_key(&key).map_err(wait),
            (None, Some(ip)) if ip.is_loopback() && !self.limit_loopback => Ok(()),
            (None, Some(ip)) => self.anonymous.check_key(&ip).map_err(wait),
            // No peer address (in-process calls): nothing to key on.
            (None, None) => Ok(()),
        }
    }
}

/// The credential of a known caller, hashed: its bearer token or session cookie.
/// An unknown token counts as anonymous, so made-up tokens buy no fresh bucket.
async fn credential(state: &AppState, parts: &mut Parts) -> Option<String> {
    let caller = Caller::from_request_parts(parts, state).await.ok()?;
    let headers = &parts.headers;
    match caller {
        Caller::Anonymous => None,
        Caller::Token(_) => headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(|t| hash_token(t.trim())),
        Caller::Session(_) => super::extract::session_id(headers).map(hash_token),
    }
}

/// Middleware: the rate limits, then the time limit.
pub async fn enforce(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let limits = &state.limits;
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip());
    let client = peer.map(|p| limits.client(p, request.headers()));
    let (mut parts, body) = request.into_parts();
    let credential = credential(&state, &mut parts).await;
    let request = Request::from_parts(parts, body);
    if let Err(seconds) = limits.admit(credential, client) {
        let mut response =
            ApiError::TooManyRequests(format!("too many requests: try again in {seconds} s"))
                .into_response();
        if let Ok(value) = header::HeaderValue::from_str(&seconds.to_string()) {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
        return response;
    }
    within(limits.timeout, next.run(request)).await
}

/// The answer, or a 503 problem if it takes longer than `timeout` (the request's
/// work is dropped, and with it any transaction it had open).
async fn within(timeout: Duration, answer: impl Future<Output = Response>) -> Response {
    match tokio::time::timeout(timeout, answer).await {
        Ok(response) => response,
        Err(_) => ApiError::Busy(format!(
            "the request took longer than {} s and was stopped; nothing it was writing was kept",
            timeout.as_secs_f64()
        ))
        .into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_request_past_its_time_is_a_503_problem() {
        let slow = async {
            tokio::time::sleep(Duration::from_millis(200)).await;
            "late".into_response()
        };
        let answer = within(Duration::from_millis(20), slow).await;
        assert_eq!(answer.status(), axum::http::StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(
            answer.headers()[header::CONTENT_TYPE],
            "application/problem+json"
        );
        let quick = within(Duration::from_millis(200), async { "ok".into_response() }).await;
        assert_eq!(quick.status(), axum::http::StatusCode::OK);
    }

    #[test]
    fn the_client_is_forwarded_only_by_a_trusted_proxy() {
        let limits = Limits::new(&LimitArgs {
            trusted_proxies: vec!["10.0.0.1".parse().unwrap(), "10.0.0.2".parse().unwrap()],
            ..LimitArgs::default()
        });
        let mut headers = HeaderMap::new();
        headers.insert(
            "x-forwarded-for",
            "198.51.100.1, 203.0.113.4, 10.0.0.2".parse().unwrap(),
        );
        let ip = |s: &str| s.parse::<IpAddr>().unwrap();
        // The rightmost address that is not a proxy: earlier ones the client may forge.
        assert_eq!(limits.client(ip("10.0.0.1"), &headers), ip("203.0.113.4"));
        assert_eq!(limits.client(ip("192.0.2.1"), &headers), ip("192.0.2.1"));
        assert_eq!(
            limits.client(ip("10.0.0.1"), &HeaderMap::new()),
            ip("10.0.0.1")
        );
    }

    #[test]
    fn callers_back_to_a_full_allowance_are_forgotten() {
        let limits = Limits::new(&LimitArgs {
            rate_limit_anonymous: 60_000,
            ..LimitArgs::default()
        });
        for i in 0..(FORGET_EVERY - 1) {
            let ip = IpAddr::from([198, 18, (i >> 8) as u8, i as u8]);
            assert_eq!(limits.admit(None, Some(ip)), Ok(()));
        }
        assert!(limits.tracked() > 1_000, "{}", limits.tracked());
        // A thousand a second refills a bucket within a millisecond.
        std::thread::sleep(Duration::from_millis(20));
        assert_eq!(
            limits.admit(None, Some(IpAddr::from([198, 19, 0, 1]))),
            Ok(())
        );
        assert!(limits.tracked() < 100, "forgotten: {}", limits.tracked());
    }
}
