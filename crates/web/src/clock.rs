//! Times as a Dutch care professional reads them. The practices are in the
//! Netherlands, so pages show Dutch time (CET, and CEST in summer) whatever
//! the server's own zone; the machine-readable `datetime` stays in UTC.

use time::{Date, Month, OffsetDateTime, UtcOffset};

use crate::i18n::Lang;

/// Microseconds since the Unix epoch as an instant in UTC.
fn utc(at_us: i64) -> OffsetDateTime {
    let nanos = i128::from(at_us) * 1000;
    OffsetDateTime::from_unix_timestamp_nanos(nanos).unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

/// The last Sunday of `month` in `year`, when the Netherlands changes clocks.
fn last_sunday(year: i32, month: Month) -> Date {
    let last_day = time::util::days_in_month(month, year);
    let date = Date::from_calendar_date(year, month, last_day).unwrap_or(Date::MIN);
    let back = date.weekday().number_days_from_sunday();
    date.checked_sub(time::Duration::days(i64::from(back)))
        .unwrap_or(date)
}

/// Summer time runs from 01:00 UTC on the last Sunday of March until 01:00
/// UTC on the last Sunday of October (EU rule).
fn dutch(at: OffsetDateTime) -> OffsetDateTime {
    let year = at.year();
    let start = last_sunday(year, Month::March).midnight().assume_utc() + time::Duration::hours(1);
    let end = last_sunday(year, Month::October).midnight().assume_utc() + time::Duration::hours(1);
    let hours = if at >= start && at < end { 2 } else { 1 };
    at.to_offset(UtcOffset::from_hms(hours, 0, 0).unwrap_or(UtcOffset::UTC))
}

/// RFC 3339 in UTC, for `<time datetime>`.
pub fn machine(at_us: i64) -> String {
    let at = utc(at_us);
    let format = time::format_description::well_known::Rfc3339;
    at.format(&format).unwrap_or_default()
}

/// A short time for lists: the clock time today, the day this year, else
/// the date with the year.
pub fn short(lang: Lang, at_us: i64, now_us: i64) -> String {
    let at = dutch(utc(at_us));
    let now = dutch(utc(now_us));
    let month = lang.month_short(at.month());
    if at.date() == now.date() {
        format!("{:02}:{:02}", at.hour(), at.minute())
    } else if at.year() == now.year() {
        format!("{} {month}", at.day())
    } else {
        format!("{} {month} {}", at.day(), at.year())
    }
}

/// A full time for the timeline: weekday, date and clock time.
pub fn long(lang: Lang, at_us: i64) -> String {
    let at = dutch(utc(at_us));
    format!(
        "{} {} {} {} {:02}:{:02}",
        lang.weekday_short(at.weekday()),
        at.day(),
        lang.month_short(at.month()),
        at.year(),
        at.hour(),
        at.minute()
    )
}

/// Now, in microseconds since the Unix epoch.
pub fn now_us() -> i64 {
    let now = OffsetDateTime::now_utc().unix_timestamp_nanos() / 1000;
    i64::try_from(now).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn us(rfc3339: &str) -> i64 {
        let format = time::format_description::well_known::Rfc3339;
        let at = OffsetDateTime::parse(rfc3339, &format).unwrap();
        (at.unix_timestamp_nanos() / 1000) as i64
    }

    #[test]
    fn winter_is_one_hour_ahead_and_summer_two() {
        let winter = us("2026-01-15T09:30:00Z");
        let summer = us("2026-07-15T09:30:00Z");

        assert_eq!(short(Lang::Nl, winter, winter), "10:30");
        assert_eq!(short(Lang::Nl, summer, summer), "11:30");
    }

    #[test]
    fn summer_time_starts_on_the_last_sunday_of_march() {
        let before = us("2026-03-29T00:59:00Z");
        let after = us("2026-03-29T01:00:00Z");

        assert_eq!(short(Lang::Nl, before, before), "01:59");
        assert_eq!(short(Lang::Nl, after, after), "03:00");
    }

    #[test]
    fn older_days_show_the_date() {
        let now = us("2026-05-20T12:00:00Z");

        assert_eq!(short(Lang::Nl, us("2026-03-03T12:00:00Z"), now), "3 mrt");
        assert_eq!(
            short(Lang::En, us("2025-10-01T12:00:00Z"), now),
            "1 Oct 2025"
        );
        assert_eq!(
            long(Lang::Nl, us("2026-03-03T12:00:00Z")),
            "di 3 mrt 2026 13:00"
        );
    }
}
