//! Login throttling: after too many failures, each further attempt must wait twice as long as
//! the one before, up to a ceiling. Counted per login name and per client address.

use chrono::{DateTime, Utc};
use persistence::login_events::Failures;

/// The first delay once the limit is reached.
const BASE_DELAY_SECS: i64 = 2;
/// No wait is ever longer than this.
const MAX_DELAY_SECS: i64 = 15 * 60;

/// Seconds to wait before the next attempt, or `None` when an attempt may go ahead.
pub fn retry_after(failures: Failures, limit: u32, now: DateTime<Utc>) -> Option<u64> {
    let excess = failures.count - i64::from(limit);
    let last = failures.last_at?;
    if excess < 0 {
        return None;
    }
    let delay = BASE_DELAY_SECS
        .saturating_mul(1_i64 << excess.min(20))
        .min(MAX_DELAY_SECS);
    let wait_ms = (last + chrono::Duration::seconds(delay) - now).num_milliseconds();
    u64::try_from(wait_ms)
        .ok()
        .filter(|&ms| ms > 0)
        .map(|ms| ms.div_ceil(1000))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failures(count: i64, seconds_ago: i64, now: DateTime<Utc>) -> Failures {
        Failures {
            count,
            last_at: Some(now - chrono::Duration::seconds(seconds_ago)),
        }
    }

    #[test]
    fn below_the_limit_there_is_no_wait() {
        let now = Utc::now();
        assert_eq!(retry_after(failures(4, 0, now), 5, now), None);
        assert_eq!(
            retry_after(
                Failures {
                    count: 0,
                    last_at: None
                },
                5,
                now
            ),
            None
        );
    }

    #[test]
    fn the_wait_doubles_with_each_further_failure_up_to_the_ceiling() {
        let now = Utc::now();
        assert_eq!(retry_after(failures(5, 0, now), 5, now), Some(2));
        assert_eq!(retry_after(failures(6, 0, now), 5, now), Some(4));
        assert_eq!(retry_after(failures(8, 0, now), 5, now), Some(16));
        assert_eq!(retry_after(failures(60, 0, now), 5, now), Some(900));
    }

    #[test]
    fn the_wait_runs_from_the_last_failure() {
        let now = Utc::now();
        assert_eq!(retry_after(failures(6, 3, now), 5, now), Some(1));
        assert_eq!(retry_after(failures(6, 4, now), 5, now), None);
    }
}
