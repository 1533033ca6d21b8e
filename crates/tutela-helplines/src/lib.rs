//! Child helplines and emergency numbers by country.
//!
//! The table lives in `data/helplines.toml` (schema, sources and update rules in the crate's
//! README). It is embedded in the binary, parsed and validated once on first use, and then only
//! read. The crate is pure: no I/O, no clock (callers pass "today" to [`stale_entries`]).
//!
//! ```
//! let help = tutela_helplines::directory().for_country("de").unwrap();
//! assert_eq!(help.country, "DE");
//! assert!(help.helplines[0].is_116_111);
//! ```

mod accept_language;
mod date;
mod model;
mod parse;

use std::collections::BTreeMap;
use std::sync::LazyLock;

pub use accept_language::{country_from_accept_language, country_from_accept_language_in};
pub use date::IsoDate;
pub use model::{
    Audience, Channel, ChannelKind, CheckMethod, Confidence, Country, CountryHelp, EmergencyNumber,
    EmergencyNumbers, EmergencyService, Helpline, Hours, Provenance, StaleEntry, Status116111,
};
pub use parse::DataError;

/// The data file as shipped.
pub const DATA_TOML: &str = include_str!("../data/helplines.toml");

static DIRECTORY: LazyLock<Directory> = LazyLock::new(|| {
    // The shipped file is validated by this crate's tests, so failing here is a build defect.
    Directory::from_toml(DATA_TOML).unwrap_or_else(|e| panic!("embedded helplines data: {e}"))
});

/// The shipped directory, parsed once.
pub fn directory() -> &'static Directory {
    &DIRECTORY
}

/// Entries of the shipped directory whose `verified_at` is more than `max_age_days` before
/// `today`, oldest first.
pub fn stale_entries(today: IsoDate, max_age_days: u32) -> Vec<StaleEntry> {
    directory().stale_entries(today, max_age_days)
}

/// A parsed, validated helplines table.
#[derive(Debug, Clone)]
pub struct Directory {
    version: u32,
    updated: IsoDate,
    /// Sorted by English name.
    countries: Vec<Country>,
    /// Code -> index into `countries`.
    country_index: BTreeMap<String, usize>,
    /// File order.
    helplines: Vec<Helpline>,
    international: Vec<Helpline>,
    emergency: BTreeMap<String, EmergencyNumbers>,
}

impl Directory {
    /// Parses and validates a data file in the shipped format.
    pub fn from_toml(text: &str) -> Result<Directory, DataError> {
        parse::parse_directory(text)
    }

    /// The data file's `version`.
    pub fn version(&self) -> u32 {
        self.version
    }

    /// The data file's `updated` date.
    pub fn updated(&self) -> IsoDate {
        self.updated
    }

    /// Every country of the table, sorted by English name, for a country picker.
    pub fn countries(&self) -> &[Country] {
        &self.countries
    }

    /// The country with this ISO 3166-1 alpha-2 code (any case).
    pub fn country(&self, code: &str) -> Option<&Country> {
        let code = code.trim().to_ascii_uppercase();
        self.country_index.get(&code).map(|&i| &self.countries[i])
    }

    /// All national helplines, in file order.
    pub fn helplines(&self) -> &[Helpline] {
        &self.helplines
    }

    /// International services, shown for every country.
    pub fn international(&self) -> &[Helpline] {
        &self.international
    }

    /// All emergency number records, by country code.
    pub fn emergency(&self) -> impl Iterator<Item = &EmergencyNumbers> {
        self.emergency.values()
    }

    /// What to show a reporter in a country: emergency numbers, then national helplines with
    /// 116 111 first and services for children before those for anyone and for parents, then
    /// international services. `None` for a country the table does not have.
    pub fn for_country(&self, code: &str) -> Option<CountryHelp<'_>> {
        let country = self.country(code)?;
        let mut helplines: Vec<&Helpline> = self
            .helplines
            .iter()
            .filter(|h| h.country.as_deref() == Some(country.code.as_str()))
            .collect();
        // Stable sort: file order is kept within a rank.
        helplines.sort_by_key(|h| (!h.is_116_111, h.audience.rank()));
        let emergency = self.emergency.get(&country.code);
        Some(CountryHelp {
            country: &country.code,
            country_name: &country.name,
            note: country.note.as_deref(),
            emergency: emergency.map_or(&[], |e| e.numbers.as_slice()),
            emergency_provenance: emergency.map(|e| &e.provenance),
            helplines,
            international: &self.international,
        })
    }

    /// Entries whose `verified_at` is more than `max_age_days` before `today`, oldest first
    /// (then by id).
    pub fn stale_entries(&self, today: IsoDate, max_age_days: u32) -> Vec<StaleEntry> {
        let max_age = i64::from(max_age_days);
        let helplines = self
            .international
            .iter()
            .map(|h| ("international", h))
            .chain(self.helplines.iter().map(|h| ("helpline", h)))
            .map(|(kind, h)| StaleEntry {
                kind,
                id: h.id.clone(),
                country: h.country.clone(),
                verified_at: h.provenance.verified_at,
                age_days: today.days_since(h.provenance.verified_at),
                source: h.provenance.source.clone(),
            });
        let emergency = self.emergency.values().map(|e| StaleEntry {
            kind: "emergency",
            id: format!("emergency-{}", e.country.to_ascii_lowercase()),
            country: Some(e.country.clone()),
            verified_at: e.provenance.verified_at,
            age_days: today.days_since(e.provenance.verified_at),
            source: e.provenance.source.clone(),
        });
        let mut stale: Vec<StaleEntry> = helplines
            .chain(emergency)
            .filter(|entry| entry.age_days > max_age)
            .collect();
        stale.sort_by(|a, b| {
            a.verified_at
                .cmp(&b.verified_at)
                .then_with(|| a.id.cmp(&b.id))
        });
        stale
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orders_116_111_then_children_then_all_then_parents() {
        let help = directory().for_country("DE").expect("Germany");
        let ids: Vec<&str> = help.helplines.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "de-nummer-gegen-kummer-kinder",
                "de-telefonseelsorge",
                "de-nummer-gegen-kummer-eltern"
            ]
        );
        let gb = directory().for_country("gb").expect("UK");
        assert_eq!(gb.helplines[0].id, "gb-childline");
        assert_eq!(
            gb.helplines.last().map(|h| h.audience),
            Some(Audience::Parents)
        );
        let ranks: Vec<(bool, u8)> = gb
            .helplines
            .iter()
            .map(|h| (!h.is_116_111, h.audience.rank()))
            .collect();
        assert!(ranks.windows(2).all(|w| w[0] <= w[1]), "{ranks:?}");
    }

    #[test]
    fn country_lookup_ignores_case_and_refuses_unknown_codes() {
        assert_eq!(
            directory().for_country(" fr ").map(|h| h.country),
            Some("FR")
        );
        assert!(directory().for_country("XX").is_none());
        assert!(directory().for_country("").is_none());
        assert!(directory().for_country("DEU").is_none());
    }

    #[test]
    fn countries_are_sorted_by_name_and_unique() {
        let countries = directory().countries();
        assert!(countries.windows(2).all(|w| w[0].name < w[1].name));
        assert!(countries.len() >= 87);
    }

    #[test]
    fn a_country_without_national_helplines_still_gets_international_services() {
        let help = directory()
            .for_country("KP")
            .expect("North Korea is listed");
        assert!(help.helplines.is_empty());
        assert!(help.note.is_some());
        assert!(!help.international.is_empty());
    }

    #[test]
    fn stale_entries_use_the_given_day_and_limit() {
        let directory = directory();
        let newest = directory.updated();
        assert!(directory.stale_entries(newest, 0).is_empty());
        let next_year = IsoDate::from_ymd(newest.year() + 2, 1, 1).unwrap();
        let all = directory.stale_entries(next_year, 365);
        let total = directory.helplines().len()
            + directory.international().len()
            + directory.emergency().count();
        assert_eq!(all.len(), total);
        assert!(all.windows(2).all(|w| w[0].verified_at <= w[1].verified_at));
        assert!(all.iter().all(|e| e.age_days > 365));
    }

    #[test]
    fn serialises_for_the_server() {
        let help = directory().for_country("FR").unwrap();
        let json = serde_json::to_value(&help).unwrap();
        assert_eq!(json["country"], "FR");
        assert_eq!(json["helplines"][0]["id"], "fr-119");
        assert_eq!(json["helplines"][0]["hours"]["kind"], "24/7");
        assert!(
            json["helplines"][0]["verified_at"]
                .as_str()
                .is_some_and(|d| IsoDate::parse(d).is_some())
        );
        assert_eq!(json["emergency"][0]["service"], "general");
    }
}
