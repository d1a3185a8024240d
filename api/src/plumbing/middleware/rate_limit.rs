//! Per-client rate limits on the public, unauthenticated write endpoints (UniikkiLista
//! sign-up, confirmation, unsubscribe). The counters live in this server's memory: with several
//! servers behind a load balancer each enforces the limit on its own.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Arc;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{Error, web};
use governor::clock::{Clock, DefaultClock};
use governor::state::keyed::DefaultKeyedStateStore;
use governor::{Quota, RateLimiter};

use crate::plumbing::error::ApiError;
use crate::routes::RouteTable;

/// Requests per minute and burst allowed per client address; shared by every worker.
#[derive(Clone)]
pub struct PublicRateLimit(Arc<RateLimiter<IpAddr, DefaultKeyedStateStore<IpAddr>, DefaultClock>>);

impl PublicRateLimit {
    pub fn new(per_minute: u32, burst: u32) -> Self {
        let quota = Quota::per_minute(NonZeroU32::new(per_minute.max(1)).expect("at least 1"))
            .allow_burst(NonZeroU32::new(burst.max(1)).expect("at least 1"));
        Self(Arc::new(RateLimiter::keyed(quota)))
    }

    /// Seconds to wait, when `ip` has used up its allowance.
    fn check(&self, ip: IpAddr) -> Option<u64> {
        if self.0.len() > 100_000 {
            self.0.retain_recent();
        }
        self.0.check_key(&ip).err().map(|not_until| {
            not_until
                .wait_time_from(DefaultClock::default().now())
                .as_secs()
                .max(1)
        })
    }
}

pub async fn rate_limit(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let limited = req
        .app_data::<web::Data<RouteTable>>()
        .is_some_and(|routes| routes.rate_limited(&req));
    if limited
        && let (Some(limit), Some(peer)) = (
            req.app_data::<web::Data<PublicRateLimit>>(),
            req.peer_addr(),
        )
        && let Some(retry_after_secs) = limit.check(peer.ip())
    {
        return Ok(super::refused::refused(
            req,
            ApiError::TooManyRequests { retry_after_secs },
        ));
    }
    Ok(next.call(req).await?.map_into_boxed_body())
}
