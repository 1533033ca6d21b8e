//! Checks of the shipped data file: schema against independent code lists, coverage, 116 111 in
//! the EU, the README's needs_verification list, and freshness.

use std::collections::BTreeSet;

use tutela_helplines::{
    ChannelKind, Confidence, Directory, Helpline, IsoDate, Status116111, directory,
};

/// The 60 most populous countries and territories, by the UN World Population Prospects 2024
/// (medium estimates for 2024), largest first. Ranks 50 to 65 lie within a few percent of each
/// other and change order between estimates, so the table also covers the next ones (Sri Lanka,
/// Malawi, Kazakhstan, Zambia, Chad, Chile, Somalia, Senegal).
const MOST_POPULOUS_60: [&str; 60] = [
    "IN", "CN", "US", "ID", "PK", "NG", "BR", "BD", "RU", "ET", // 1-10
    "MX", "JP", "EG", "PH", "CD", "VN", "IR", "TR", "DE", "TH", // 11-20
    "TZ", "GB", "FR", "ZA", "IT", "KE", "MM", "CO", "KR", "SD", // 21-30
    "UG", "ES", "DZ", "IQ", "AR", "AF", "YE", "CA", "AO", "UA", // 31-40
    "MA", "PL", "UZ", "MY", "MZ", "GH", "PE", "SA", "MG", "CI", // 41-50
    "NP", "CM", "VE", "AU", "NE", "KP", "SY", "ML", "BF", "TW", // 51-60
];

/// Beyond the 60, the countries whose rank is within a few percent of the 60th.
const NEXT_MOST_POPULOUS: [&str; 8] = ["LK", "MW", "KZ", "ZM", "TD", "CL", "SO", "SN"];

/// The 27 member states of the European Union (since 1 February 2020).
const EU_27: [&str; 27] = [
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV",
    "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
];

/// EU states where 116 111 is known to operate (Child Helpline International reported 23 of 27
/// in October 2022; the other three of the 23 are among those marked "unknown" in the data until
/// checked, see the README). France runs 119 instead.
const EU_116_111_OPERATING: [&str; 20] = [
    "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "DE", "GR", "HU", "LV", "LT", "LU", "PL", "PT", "RO",
    "SK", "SI", "ES", "SE",
];

fn all_helplines(directory: &Directory) -> impl Iterator<Item = &Helpline> {
    directory
        .international()
        .iter()
        .chain(directory.helplines())
}

#[test]
fn the_shipped_file_parses_with_a_version_and_date() {
    let directory = directory();
    assert!(directory.version() >= 1);
    assert!(directory.updated().year() >= 2026);
    assert!(
        directory.helplines().len() >= 80,
        "{}",
        directory.helplines().len()
    );
}

#[test]
fn country_codes_are_iso_3166_1() {
    let directory = directory();
    let codes = directory
        .countries()
        .iter()
        .map(|c| c.code.as_str())
        .chain(
            directory
                .helplines()
                .iter()
                .filter_map(|h| h.country.as_deref()),
        )
        .chain(directory.emergency().map(|e| e.country.as_str()));
    for code in codes {
        assert!(
            isocountry::CountryCode::for_alpha2(code).is_ok(),
            "{code} is not an ISO 3166-1 alpha-2 code"
        );
    }
}

#[test]
fn languages_are_iso_639_1() {
    for helpline in all_helplines(directory()) {
        for language in &helpline.languages {
            assert!(
                isolang::Language::from_639_1(language).is_some(),
                "{}: {language} is not ISO 639-1",
                helpline.id
            );
        }
    }
}

#[test]
fn every_entry_has_a_channel_and_well_formed_values() {
    for helpline in all_helplines(directory()) {
        assert!(
            !helpline.channels.is_empty(),
            "{} has no channel",
            helpline.id
        );
        for channel in &helpline.channels {
            let value = channel.value.as_str();
            match channel.kind {
                ChannelKind::Phone | ChannelKind::Sms => {
                    let body = value.strip_prefix('+').unwrap_or(value);
                    assert!(
                        body.bytes().all(|b| b.is_ascii_digit() || b == b' ')
                            && body.bytes().any(|b| b.is_ascii_digit()),
                        "{}: phone {value:?}",
                        helpline.id
                    );
                }
                ChannelKind::Web | ChannelKind::Chat => {
                    let url = url::Url::parse(value)
                        .unwrap_or_else(|e| panic!("{}: {value:?}: {e}", helpline.id));
                    assert_eq!(url.scheme(), "https", "{}: {value}", helpline.id);
                    assert!(
                        url.host_str().is_some_and(|h| h.contains('.')),
                        "{}",
                        helpline.id
                    );
                    assert_eq!(
                        url.as_str().trim_end_matches('/'),
                        value.trim_end_matches('/')
                    );
                }
                ChannelKind::Email => {
                    let (local, domain) = value.split_once('@').expect("an @");
                    assert!(
                        !local.is_empty() && domain.contains('.'),
                        "{}: {value}",
                        helpline.id
                    );
                }
            }
        }
        let source = &helpline.provenance.source;
        if source.starts_with("http") {
            let url = url::Url::parse(source).expect("source URL parses");
            assert_eq!(url.scheme(), "https", "{}: {source}", helpline.id);
        }
    }
    for record in directory().emergency() {
        assert!(!record.numbers.is_empty());
        for number in &record.numbers {
            assert!(
                number.number.bytes().all(|b| b.is_ascii_digit()),
                "{}",
                record.country
            );
        }
    }
}

#[test]
fn covers_the_60_most_populous_countries_and_their_neighbours_in_rank() {
    let directory = directory();
    let mut without_national_helpline = Vec::new();
    let mut without_emergency = Vec::new();
    for code in MOST_POPULOUS_60.iter().chain(&NEXT_MOST_POPULOUS) {
        let help = directory
            .for_country(code)
            .unwrap_or_else(|| panic!("{code} is missing from the table"));
        // Something is always shown: national or international help.
        assert!(!help.helplines.is_empty() || !help.international.is_empty());
        if help.helplines.is_empty() {
            assert!(help.note.is_some(), "{code}: no helpline and no note");
            without_national_helpline.push(*code);
        }
        if help.emergency.is_empty() {
            assert!(
                help.note.is_some(),
                "{code}: no emergency numbers and no note"
            );
            without_emergency.push(*code);
        }
    }
    // Gaps are allowed only when documented (checked against the README below); print them so a
    // test run shows the state of coverage.
    println!("without a national helpline: {without_national_helpline:?}");
    println!("without emergency numbers: {without_emergency:?}");
}

#[test]
fn covers_every_eu_state_with_116_111_where_it_operates() {
    let directory = directory();
    for code in EU_27 {
        let country = directory
            .country(code)
            .unwrap_or_else(|| panic!("EU state {code} is missing"));
        let help = directory.for_country(code).unwrap();
        assert!(!help.helplines.is_empty(), "{code}: no national helpline");
        assert!(
            help.emergency.iter().any(|n| n.number == "112"),
            "{code}: 112 missing"
        );
        if EU_116_111_OPERATING.contains(&code) {
            assert_eq!(country.child_116_111, Status116111::Operating, "{code}");
            let first = help.helplines[0];
            assert!(first.is_116_111, "{code}: 116 111 is not shown first");
            assert!(
                first
                    .channels_of(ChannelKind::Phone)
                    .any(|c| c.value == "116 111"),
                "{code}"
            );
        } else {
            assert_ne!(
                country.child_116_111,
                Status116111::Operating,
                "{code}: update the list"
            );
            assert!(
                country.note.is_some(),
                "{code}: say why 116 111 is not listed"
            );
        }
    }
}

/// Names in the README's needs_verification section (the backticked ids and codes).
fn readme_needs_verification() -> BTreeSet<String> {
    let readme = include_str!("../README.md");
    let start = readme
        .find("## needs_verification")
        .expect("README has a needs_verification section");
    let section = &readme[start..];
    let section = &section[..section[3..].find("\n## ").map_or(section.len(), |i| i + 3)];
    section
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect()
}

#[test]
fn every_gap_and_unsure_entry_is_in_the_readme_needs_verification_list() {
    let listed = readme_needs_verification();
    let directory = directory();
    let mut missing = Vec::new();
    for helpline in all_helplines(directory) {
        if helpline.provenance.confidence == Confidence::Low && !listed.contains(&helpline.id) {
            missing.push(helpline.id.clone());
        }
    }
    for record in directory.emergency() {
        let id = format!("emergency-{}", record.country.to_ascii_lowercase());
        if record.provenance.confidence == Confidence::Low && !listed.contains(&id) {
            missing.push(id);
        }
    }
    for country in directory.countries() {
        let help = directory.for_country(&country.code).unwrap();
        let gap = help.helplines.is_empty()
            || help.emergency.is_empty()
            || (EU_27.contains(&country.code.as_str())
                && country.child_116_111 == Status116111::Unknown);
        if gap && !listed.contains(&country.code) {
            missing.push(country.code.clone());
        }
    }
    assert!(
        missing.is_empty(),
        "add these to the README's needs_verification list: {missing:?}"
    );
}

/// The day twelve months before `today` (28 February when `today` is 29 February).
fn twelve_months_before(today: IsoDate) -> IsoDate {
    IsoDate::from_ymd(today.year() - 1, today.month(), today.day())
        .or_else(|| IsoDate::from_ymd(today.year() - 1, today.month(), today.day() - 1))
        .expect("a valid day")
}

/// Fails once any entry was last verified more than 12 months ago: the data must be re-checked
/// (see the README's "How to update").
#[test]
fn no_entry_was_verified_more_than_12_months_ago() {
    let today = IsoDate::today_utc();
    let max_age_days = today.days_since(twelve_months_before(today));
    let stale = tutela_helplines::stale_entries(today, u32::try_from(max_age_days).unwrap());
    let report: Vec<String> = stale
        .iter()
        .map(|e| {
            format!(
                "  {} {} (verified {}, {} days ago; source: {})",
                e.kind, e.id, e.verified_at, e.age_days, e.source
            )
        })
        .collect();
    assert!(
        stale.is_empty(),
        "{} helplines entries were verified more than 12 months before {today} and must be re-checked:\n{}",
        stale.len(),
        report.join("\n")
    );
}

#[test]
fn the_staleness_check_flags_an_old_entry_by_name() {
    let directory = directory();
    let verified = directory
        .helplines()
        .iter()
        .find(|h| h.id == "gb-childline")
        .unwrap()
        .provenance
        .verified_at;
    let later = IsoDate::from_ymd(verified.year() + 1, verified.month(), verified.day())
        .expect("not a leap day");
    let max_age = u32::try_from(later.days_since(twelve_months_before(later))).unwrap();
    // Exactly twelve months later the entry is not yet stale...
    assert!(
        directory
            .stale_entries(later, max_age)
            .iter()
            .all(|e| e.id != "gb-childline")
    );
    // ...and a day after that it is.
    let stale = directory.stale_entries(later, max_age - 1);
    assert!(
        stale
            .iter()
            .any(|e| e.id == "gb-childline" && e.kind == "helpline")
    );
}
