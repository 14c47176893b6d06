//! Program output compared the way a reviewer would: what differs from one run of the same
//! image to the next is not a difference of the rewrite. The clock is masked here
//! (timestamps in logs: ISO 8601, HTTP dates, JSON epoch times as pino and bunyan write
//! them); the container's hostname, the other such value, is fixed by the engine
//! (`--hostname`, see [`super::engine`]).

use regex::Regex;
use std::sync::LazyLock;

static CLOCK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?",
        r"|(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT",
        r#"|"(?:time|timestamp|ts)":\s*\d{10,13}(?:\.\d+)?"#,
    ))
    .expect("valid regex")
});

/// How two outputs compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Same {
    Identical,
    /// Equal once timestamps are masked.
    ButTheClock,
    Differs,
}

impl Same {
    pub fn is_same(self) -> bool {
        self != Same::Differs
    }
    /// How a reason line says it.
    pub fn describe(self) -> &'static str {
        match self {
            Same::Identical => "identical",
            Same::ButTheClock => "identical once timestamps are masked",
            Same::Differs => "differs",
        }
    }
}

pub fn compare(a: &str, b: &str) -> Same {
    if a == b {
        Same::Identical
    } else if CLOCK.replace_all(a, "<time>") == CLOCK.replace_all(b, "<time>") {
        Same::ButTheClock
    } else {
        Same::Differs
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_masked_and_anything_else_still_differs() {
        let log = |t: &str, msg: &str| format!("{{\"level\":30,\"time\":{t},\"msg\":\"{msg}\"}}\n");
        assert_eq!(compare(&log("1732792163501", "up"), &log("1732792179685", "up")), Same::ButTheClock);
        assert_eq!(compare(&log("1732792163501", "up"), &log("1732792179685", "down")), Same::Differs);
        assert_eq!(compare("[2026-11-28T11:29:23.501Z] GET /\n", "[2026-11-28T11:29:39.685Z] GET /\n"), Same::ButTheClock);
        assert_eq!(compare("Date: Sat, 28 Nov 2026 11:29:23 GMT", "Date: Sat, 28 Nov 2026 11:29:39 GMT"), Same::ButTheClock);
        assert_eq!(compare("2026-11-28 11:29:23,501 INFO start", "2026-11-28 11:29:24,002 INFO start"), Same::ButTheClock);
        // Numbers that are not a clock stay: a result, a count.
        assert_eq!(compare("total 1732792163501\n", "total 1732792179685\n"), Same::Differs);
        assert_eq!(compare("x", "x"), Same::Identical);
        assert!(Same::ButTheClock.is_same() && !Same::Differs.is_same());
    }
}
