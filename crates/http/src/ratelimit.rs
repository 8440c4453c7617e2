//! A fixed-window rate limit per client address and per bearer token: at
//! most N requests a minute each. Windows are kept in memory per node, which
//! is what a limit against floods needs; 0 lifts the limit.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

const WINDOW: Duration = Duration::from_secs(60);

pub struct RateLimiter {
    per_minute: u32,
    windows: Mutex<HashMap<String, (Instant, u32)>>,
}

impl RateLimiter {
    pub fn new(per_minute: u32) -> Self {
        RateLimiter {
            per_minute,
            windows: Mutex::new(HashMap::new()),
        }
    }

    /// Counts a request for each key; false when any key is over its limit.
    pub fn allow(&self, keys: &[&str]) -> bool {
        if self.per_minute == 0 {
            return true;
        }
        let now = Instant::now();
        let mut windows = self.windows.lock().unwrap_or_else(|p| p.into_inner());
        if windows.len() > 100_000 {
            windows.retain(|_, (start, _)| now.duration_since(*start) < WINDOW);
        }
        let mut allowed = true;
        for key in keys {
            let (start, count) = windows.entry((*key).to_owned()).or_insert((now, 0));
            if now.duration_since(*start) >= WINDOW {
                *start = now;
                *count = 0;
            }
            *count += 1;
            allowed &= *count <= self.per_minute;
        }
        allowed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_past_the_limit_per_key() {
        let limiter = RateLimiter::new(2);

        assert!(limiter.allow(&["ip:a"]));
        assert!(limiter.allow(&["ip:a"]));
        assert!(!limiter.allow(&["ip:a"]));
        assert!(limiter.allow(&["ip:b"]));
    }

    #[test]
    fn zero_lifts_the_limit() {
        let limiter = RateLimiter::new(0);
        assert!((0..1000).all(|_| limiter.allow(&["ip:a"])));
    }
}
