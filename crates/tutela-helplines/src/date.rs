//! Calendar dates as written in the data file (`YYYY-MM-DD`).

use std::fmt;

use serde::{Serialize, Serializer};

/// A calendar date (no time, no zone), written `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct IsoDate(time::Date);

impl IsoDate {
    /// The date `year-month-day`, or `None` if there is no such day.
    pub fn from_ymd(year: i32, month: u8, day: u8) -> Option<IsoDate> {
        let month = time::Month::try_from(month).ok()?;
        time::Date::from_calendar_date(year, month, day)
            .ok()
            .map(IsoDate)
    }

    /// Parses exactly `YYYY-MM-DD` (four-digit year, two-digit month and day).
    pub fn parse(text: &str) -> Option<IsoDate> {
        let bytes = text.as_bytes();
        let shape_ok = bytes.len() == 10
            && bytes[4] == b'-'
            && bytes[7] == b'-'
            && bytes
                .iter()
                .enumerate()
                .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
        if !shape_ok {
            return None;
        }
        let year = text[0..4].parse().ok()?;
        let month = text[5..7].parse().ok()?;
        let day = text[8..10].parse().ok()?;
        IsoDate::from_ymd(year, month, day)
    }

    /// Today's date in UTC from the system clock. The library itself never calls this; it is
    /// for callers (and the staleness test) that need "now".
    pub fn today_utc() -> IsoDate {
        IsoDate(time::OffsetDateTime::now_utc().date())
    }

    /// Whole days from `earlier` to `self` (negative if `earlier` is later).
    pub fn days_since(self, earlier: IsoDate) -> i64 {
        (self.0 - earlier.0).whole_days()
    }

    pub fn year(self) -> i32 {
        self.0.year()
    }

    pub fn month(self) -> u8 {
        self.0.month().into()
    }

    pub fn day(self) -> u8 {
        self.0.day()
    }
}

impl fmt::Display for IsoDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:04}-{:02}-{:02}",
            self.year(),
            self.month(),
            self.day()
        )
    }
}

impl Serialize for IsoDate {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_round_trip() {
        let date = IsoDate::parse("2024-02-29").expect("leap day");
        assert_eq!(date.to_string(), "2024-02-29");
        assert_eq!((date.year(), date.month(), date.day()), (2024, 2, 29));
    }

    #[test]
    fn refuses_impossible_or_misshapen_dates() {
        for bad in [
            "2023-02-29",
            "2024-13-01",
            "2024-00-10",
            "2024-1-01",
            "24-01-01",
            "2024/01/01",
            "2024-01-01T00:00",
            "",
            "２０２４-01-01",
            "+202-01-01",
        ] {
            assert_eq!(IsoDate::parse(bad), None, "{bad:?} should be refused");
        }
    }

    #[test]
    fn counts_days_across_a_leap_year() {
        let start = IsoDate::parse("2024-01-01").unwrap();
        let end = IsoDate::parse("2025-01-01").unwrap();
        assert_eq!(end.days_since(start), 366);
        assert_eq!(start.days_since(end), -366);
    }
}
