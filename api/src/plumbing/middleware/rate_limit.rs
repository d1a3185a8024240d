//! Rate limits, and the `RateLimit-Policy` / `RateLimit` headers that tell a client about them
//! (draft-ietf-httpapi-ratelimit-headers: `RateLimit-Policy: "public";q=10;w=60`,
//! `RateLimit: "public";r=9;t=6`). Two policies, each declared by an operation as
//! `x-rate-limit` in the contract:
//! - `public`: per-client limits on the public, unauthenticated writes (UniikkiLista sign-up,
//!   confirmation, unsubscribe). The counters live in this server's memory: with several servers
//!   behind a load balancer each enforces the limit on its own.
//! - `login`: the failed-password throttle of login and password change (counted in the
//!   database, per login name and per address; see `identity::attempts`). Its responses carry
//!   the policy; a 429 also says how long to wait. How many failures an account has left is
//!   never told, so the headers cannot be used to probe someone else's account.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Arc;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::http::header::{HeaderMap, HeaderName, HeaderValue, RETRY_AFTER};
use actix_web::middleware::Next;
use actix_web::{Error, web};
use governor::clock::{Clock, DefaultClock};
use governor::middleware::StateInformationMiddleware;
use governor::state::keyed::DefaultKeyedStateStore;
use governor::{Quota, RateLimiter};

use crate::plumbing::error::ApiError;
use crate::plumbing::state::AppState;
use crate::routes::RouteTable;

pub const RATE_LIMIT_POLICY: &str = "ratelimit-policy";
pub const RATE_LIMIT: &str = "ratelimit";

/// Which limit an operation is under, as its `x-rate-limit` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Policy {
    Public,
    Login,
}

impl Policy {
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "public" => Some(Self::Public),
            "login" => Some(Self::Login),
            _ => None,
        }
    }
}

type Limiter =
    RateLimiter<IpAddr, DefaultKeyedStateStore<IpAddr>, DefaultClock, StateInformationMiddleware>;

/// Requests per minute and burst allowed per client address; shared by every worker.
#[derive(Clone)]
pub struct PublicRateLimit {
    limiter: Arc<Limiter>,
    burst: u32,
    /// Seconds one spent request takes to come back.
    refill_secs: f64,
}

/// What the public limit said of one request.
struct Verdict {
    remaining: u32,
    /// Seconds until the allowance is whole again (or, refused, until the next request may go).
    reset_secs: u64,
    refused: bool,
}

impl PublicRateLimit {
    pub fn new(per_minute: u32, burst: u32) -> Self {
        let per_minute = per_minute.max(1);
        let burst = burst.max(1);
        let quota = Quota::per_minute(NonZeroU32::new(per_minute).expect("at least 1"))
            .allow_burst(NonZeroU32::new(burst).expect("at least 1"));
        Self {
            limiter: Arc::new(RateLimiter::keyed(quota).with_middleware()),
            burst,
            refill_secs: 60.0 / f64::from(per_minute),
        }
    }

    fn check(&self, ip: IpAddr) -> Verdict {
        if self.limiter.len() > 100_000 {
            self.limiter.retain_recent();
        }
        match self.limiter.check_key(&ip) {
            Ok(state) => {
                let remaining = state.remaining_burst_capacity();
                let spent = f64::from(self.burst.saturating_sub(remaining));
                Verdict {
                    remaining,
                    reset_secs: seconds(spent * self.refill_secs),
                    refused: false,
                }
            }
            Err(not_until) => Verdict {
                remaining: 0,
                reset_secs: not_until
                    .wait_time_from(DefaultClock::default().now())
                    .as_secs()
                    .max(1),
                refused: true,
            },
        }
    }

    /// `RateLimit-Policy`: the whole allowance and the seconds it takes to refill.
    fn policy(&self) -> String {
        let window = seconds(f64::from(self.burst) * self.refill_secs);
        format!("\"public\";q={};w={window}", self.burst)
    }
}

#[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // whole, non-negative seconds
fn seconds(value: f64) -> u64 {
    value.ceil().max(0.0) as u64
}

pub async fn rate_limit(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let policy = req
        .app_data::<web::Data<RouteTable>>()
        .and_then(|routes| routes.rate_limit(&req));
    match policy {
        Some(Policy::Public) => public(req, next).await,
        Some(Policy::Login) => login(req, next).await,
        None => Ok(next.call(req).await?.map_into_boxed_body()),
    }
}

async fn public(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let (Some(limit), Some(peer)) = (
        req.app_data::<web::Data<PublicRateLimit>>().cloned(),
        req.peer_addr(),
    ) else {
        return Ok(next.call(req).await?.map_into_boxed_body());
    };
    let verdict = limit.check(peer.ip());
    let mut response = if verdict.refused {
        super::refused::refused(
            req,
            ApiError::TooManyRequests {
                retry_after_secs: verdict.reset_secs,
            },
        )
    } else {
        next.call(req).await?.map_into_boxed_body()
    };
    let headers = response.headers_mut();
    set(headers, RATE_LIMIT_POLICY, &limit.policy());
    set(
        headers,
        RATE_LIMIT,
        &format!(
            "\"public\";r={};t={}",
            verdict.remaining, verdict.reset_secs
        ),
    );
    Ok(response)
}

async fn login(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let policy = req.app_data::<web::Data<AppState>>().map(|state| {
        let auth = &state.settings.auth;
        format!(
            "\"login\";q={};w={}, \"login-address\";q={};w={}",
            auth.login_max_failures,
            auth.login_window_secs,
            auth.login_max_failures_per_ip,
            auth.login_window_secs
        )
    });
    let mut response = next.call(req).await?.map_into_boxed_body();
    let headers = response.headers_mut();
    if let Some(policy) = policy {
        set(headers, RATE_LIMIT_POLICY, &policy);
    }
    let wait = headers
        .get(RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if response.status() == StatusCode::TOO_MANY_REQUESTS
        && let Some(wait) = wait
    {
        set(
            response.headers_mut(),
            RATE_LIMIT,
            &format!("\"login\";r=0;t={wait}"),
        );
    }
    Ok(response)
}

fn set(headers: &mut HeaderMap, name: &'static str, value: &str) {
    if let Ok(value) = HeaderValue::from_str(value) {
        headers.insert(HeaderName::from_static(name), value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_allowance_counts_down_then_refuses_with_the_wait() {
        let limit = PublicRateLimit::new(6, 2);
        let ip: IpAddr = "192.0.2.1".parse().unwrap();
        assert_eq!(limit.policy(), "\"public\";q=2;w=20");
        let first = limit.check(ip);
        assert_eq!((first.remaining, first.refused), (1, false));
        assert_eq!(first.reset_secs, 10);
        let second = limit.check(ip);
        assert_eq!((second.remaining, second.refused), (0, false));
        let third = limit.check(ip);
        assert!(third.refused);
        assert!((1..=10).contains(&third.reset_secs), "{}", third.reset_secs);
    }
}
