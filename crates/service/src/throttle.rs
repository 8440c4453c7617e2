//! Failed-login throttling: after too many failed logins for one email
//! address or from one client address within a window, further attempts
//! are refused (429) until the window has passed, whatever the password.
//! Kept in memory per node; it slows guessing, the argon2 cost does the rest.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The window in which failures are counted.
const WINDOW: Duration = Duration::from_secs(15 * 60);

pub(crate) struct LoginThrottle {
    max_failures: u32,
    failures: Mutex<HashMap<String, (Instant, u32)>>,
}

impl LoginThrottle {
    /// `max_failures` failed attempts per key and window; 0 lifts the limit.
    pub fn new(max_failures: u32) -> Self {
        LoginThrottle {
            max_failures,
            failures: Mutex::new(HashMap::new()),
        }
    }

    /// Whether any of `keys` has used up its failures in this window.
    pub fn blocked(&self, keys: &[String]) -> bool {
        if self.max_failures == 0 {
            return false;
        }
        let now = Instant::now();
        let failures = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        keys.iter().any(|key| {
            failures.get(key).is_some_and(|(start, n)| {
                now.duration_since(*start) < WINDOW && *n >= self.max_failures
            })
        })
    }

    /// Counts one failed attempt for each of `keys`.
    pub fn failed(&self, keys: &[String]) {
        let now = Instant::now();
        let mut failures = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        if failures.len() > 100_000 {
            failures.retain(|_, (start, _)| now.duration_since(*start) < WINDOW);
        }
        for key in keys {
            let (start, n) = failures.entry(key.clone()).or_insert((now, 0));
            if now.duration_since(*start) >= WINDOW {
                *start = now;
                *n = 0;
            }
            *n += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_a_key_after_its_failures_and_not_others() {
        let throttle = LoginThrottle::new(2);
        let key = vec!["email:a@b.nl".to_owned()];

        throttle.failed(&key);
        assert!(!throttle.blocked(&key));
        throttle.failed(&key);

        assert!(throttle.blocked(&key));
        assert!(!throttle.blocked(&["email:c@d.nl".to_owned()]));
        assert!(!LoginThrottle::new(0).blocked(&key));
    }
}
