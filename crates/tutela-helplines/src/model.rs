//! The directory's value types. All serialise to JSON for the server's pages and API.

use serde::{Deserialize, Serialize};

use crate::date::IsoDate;

/// Who a helpline is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    /// Children and young people themselves.
    Children,
    /// Parents, carers and other adults worried about a child.
    Parents,
    /// Anyone, children included.
    All,
}

impl Audience {
    /// Display order for a child: services for children first, parents' lines last.
    pub(crate) fn rank(self) -> u8 {
        match self {
            Audience::Children => 0,
            Audience::All => 1,
            Audience::Parents => 2,
        }
    }
}

/// How a helpline is reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChannelKind {
    /// A number to call.
    Phone,
    /// A number to send a text message to (`note` may give the keyword).
    Sms,
    /// A web page with live chat.
    Chat,
    /// The service's website.
    Web,
    /// An e-mail address.
    Email,
}

/// One way to reach a helpline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Channel {
    pub kind: ChannelKind,
    /// A phone number as dialled inside the country (digits, spaces and a leading `+` only), an
    /// `https://` URL or an e-mail address, by kind.
    pub value: String,
    /// For example "text HOME".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// When a helpline answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Hours {
    /// Always open.
    #[serde(rename = "24/7")]
    Always,
    /// Published opening hours, in the IANA time zone `tz` when given.
    Schedule {
        text: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        tz: Option<String>,
    },
    /// Hours were not confirmed; the page should point to the service's website.
    Unverified,
}

/// How an entry was last checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckMethod {
    /// Compiled without opening the source (from published, well-known details).
    Desk,
    /// Checked against the source named in `source` on `verified_at`.
    Source,
    /// The number was called on `verified_at`.
    Call,
}

/// How sure the data is. Anything unsure was left out; `Low` means something is missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Confidence {
    High,
    Medium,
    Low,
}

/// Where an entry comes from and how fresh it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Provenance {
    /// The URL or document the entry was taken from.
    pub source: String,
    pub verified_at: IsoDate,
    pub method: CheckMethod,
    pub confidence: Confidence,
}

/// One helpline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Helpline {
    /// Stable identifier, `<country>-<slug>` (or `int-<slug>` for international services).
    pub id: String,
    /// ISO 3166-1 alpha-2 code; `None` for international services.
    pub country: Option<String>,
    /// English name.
    pub name: String,
    /// Name in the local language and script.
    pub local_name: String,
    pub channels: Vec<Channel>,
    pub hours: Hours,
    /// ISO 639-1 codes.
    pub languages: Vec<String>,
    pub audience: Audience,
    pub free: bool,
    /// Reached on the harmonised European child helpline number 116 111.
    pub is_116_111: bool,
    #[serde(flatten)]
    pub provenance: Provenance,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Helpline {
    /// The channels of one kind, in file order.
    pub fn channels_of(&self, kind: ChannelKind) -> impl Iterator<Item = &Channel> {
        self.channels.iter().filter(move |c| c.kind == kind)
    }
}

/// Which emergency service a number reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EmergencyService {
    /// All services (112, 911, 999, ...).
    General,
    Police,
    Ambulance,
    Fire,
}

/// One emergency number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EmergencyNumber {
    pub service: EmergencyService,
    /// Digits only, as dialled.
    pub number: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A country's emergency numbers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EmergencyNumbers {
    pub country: String,
    /// General numbers first, then police, ambulance, fire (file order within a service).
    pub numbers: Vec<EmergencyNumber>,
    #[serde(flatten)]
    pub provenance: Provenance,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Whether the EU-harmonised child helpline number 116 111 operates in a country.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status116111 {
    Operating,
    NotOperating,
    /// Not confirmed either way; 116 111 is then not shown.
    Unknown,
}

/// A country of the picker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Country {
    /// ISO 3166-1 alpha-2.
    pub code: String,
    /// English short name.
    pub name: String,
    pub child_116_111: Status116111,
    /// Why something is missing, when it is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Everything to show a reporter in one country.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CountryHelp<'a> {
    pub country: &'a str,
    pub country_name: &'a str,
    /// Why something is missing for this country, when it is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<&'a str>,
    /// Emergency numbers: general first, then police, ambulance, fire. Empty when none could be
    /// confirmed.
    pub emergency: &'a [EmergencyNumber],
    #[serde(skip_serializing_if = "Option::is_none")]
    pub emergency_provenance: Option<&'a Provenance>,
    /// National helplines: 116 111 first, then services for children, for anyone, for parents.
    pub helplines: Vec<&'a Helpline>,
    /// International services, to show after the national ones (or alone when there are none).
    pub international: &'a [Helpline],
}

/// What a staleness check found out of date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StaleEntry {
    /// `helpline`, `international` or `emergency`.
    pub kind: &'static str,
    /// The helpline id, or `emergency-<country>`.
    pub id: String,
    pub country: Option<String>,
    pub verified_at: IsoDate,
    pub age_days: i64,
    pub source: String,
}
