//! Conversation risk: grooming and sextortion seen coming, turn by turn.
//!
//! Each turn is first observed ([`observe_turn`]): the message model's 11 scores, the tactics its
//! words show as stages (phrase lists in the 7 languages, matched on normalised text), and what it
//! says about who is who (a disclosed minor age, a family title). Then the sender's risk grows by
//! the weights of the distinct stages they use and of the model's grooming, solicitation,
//! sextortion and personal-data scores, scaled by who they talk to: an adult or a stranger
//! talking to a child or teenager counts fully, peers and adults among themselves much less, and
//! a relative's gifts and surprises hardly at all. One plain sextortion message alerts alone. The
//! alert is raised once, when a sender's risk reaches [`ALERT_RISK`]. The weights
//! ([`TrackerWeights::SHIPPED`]) are chosen by `tune-conversations` on labelled chats.
//!
//! The state is features and counters only: participant ids are kept as 64-bit hashes, no text
//! is stored. It expires after [`EXPIRY_SECONDS`] without a turn (the caller passes the time).

use crate::normalize::normalize;
use crate::{CATEGORY_COUNT, TextClassifier};
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

/// A conversation's state is dropped after this long without a turn (14 days).
pub const EXPIRY_SECONDS: i64 = 14 * 24 * 3600;
/// Risk at which the alert is raised.
pub const ALERT_RISK: f32 = 1.0;
/// The message score at which a turn counts as evidence of solicitation, threat or a personal
/// data request, when the message model's own label threshold is higher.
const STAGE_EVIDENCE: f32 = 0.35;

/// What a platform knows of a participant's age.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum AgeBand {
    Child,
    Teen,
    Adult,
    #[default]
    Unknown,
}

impl AgeBand {
    /// Parses `child`, `teen`, `adult` or `unknown` (anything else is unknown).
    pub fn parse(s: &str) -> AgeBand {
        match s.trim().to_ascii_lowercase().as_str() {
            "child" => AgeBand::Child,
            "teen" => AgeBand::Teen,
            "adult" => AgeBand::Adult,
            _ => AgeBand::Unknown,
        }
    }
    fn is_minor(self) -> bool {
        matches!(self, AgeBand::Child | AgeBand::Teen)
    }
}

/// One turn of a conversation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Turn {
    /// The sender's id within the conversation.
    pub from: String,
    pub text: String,
    /// The sender's age band, when the platform knows it.
    #[serde(default)]
    pub age_band: Option<AgeBand>,
}

/// The tactics the tracker recognises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    AgeProbe,
    Flattery,
    RiskAssessment,
    Secrecy,
    Isolation,
    Gifts,
    PlatformMove,
    MeetingRequest,
    ImageRequest,
    SexualContent,
    Threat,
    PersonalDataRequest,
}

pub const STAGES: [Stage; 12] = [
    Stage::AgeProbe,
    Stage::Flattery,
    Stage::RiskAssessment,
    Stage::Secrecy,
    Stage::Isolation,
    Stage::Gifts,
    Stage::PlatformMove,
    Stage::MeetingRequest,
    Stage::ImageRequest,
    Stage::SexualContent,
    Stage::Threat,
    Stage::PersonalDataRequest,
];

impl Stage {
    fn index(self) -> usize {
        STAGES.iter().position(|s| *s == self).unwrap_or(0)
    }
    /// Tactics that are warning signs from anyone, relatives included.
    fn is_hard(self) -> bool {
        matches!(
            self,
            Stage::RiskAssessment | Stage::Isolation | Stage::SexualContent | Stage::Threat
        )
    }
    /// Part of a sextortion pattern rather than grooming's slower course.
    fn is_sextortion(self) -> bool {
        matches!(self, Stage::Threat)
    }
}

/// Phrases per stage, all 7 languages together; matched at the start of a word of the
/// normalised text (so "photo" also matches "photos").
const PHRASES: &[(Stage, &[&str])] = &[
    (
        Stage::AgeProbe,
        &[
            "how old",
            "what age",
            "whats your age",
            "what grade",
            "what year are you",
            "still at school",
            "are you 1",
            "cuantos anos",
            "cuantos tienes",
            "que edad",
            "tu edad",
            "en que curso",
            "quel age",
            "tas quel age",
            "en quelle classe",
            "ton age",
            "quantos anos",
            "qual sua idade",
            "qual a sua idade",
            "sua idade",
            "que serie",
            "em que ano",
            "wie alt",
            "welche klasse",
            "dein alter",
            "сколько тебе",
            "сколько лет",
            "в каком классе",
            "твой возраст",
            "كام سنه",
            "عندك كام",
            "عمرك",
            "سنك",
            "في سنه كام",
            "انت في سنه",
        ],
    ),
    (
        Stage::Flattery,
        &[
            "more sensible than most",
            "more grown up than most",
            "than most 1",
            "than other girls",
            "than other boys",
            "easier to talk to",
            "not like people my age",
            "not like girls my age",
            "not like boys my age",
            "you understand me better",
            "youre different",
            "you are different from",
            "wise beyond",
            "old soul",
            "mas facil hablar contigo",
            "tu me entiendes",
            "plus facile de parler avec toi",
            "tu me comprends mieux",
            "mais facil conversar com voce",
            "du verstehst mich",
            "с тобой легче",
            "الكلام معاك اسهل",
            "smarter than",
            "more mature than",
            "than kids your age",
            "than other kids your age",
            "اكتر من ولاد",
            "اكثر من اولاد",
            "عاقل",
            "ذكي",
            "do you think im pretty",
            "youre so pretty",
            "mas lista que",
            "plus mature que",
            "mais esperto que",
            "kluger als",
            "умнее чем",
            "mature for",
            "grown up for",
            "so grown up",
            "very grown up",
            "more grown up",
            "look older",
            "seem older",
            "way older",
            "someone way older",
            "not like other",
            "for your age",
            "for 1",
            "twice that age",
            "than the other kids",
            "than some adults",
            "than other kids",
            "than most adults",
            "better than adults",
            "you ve got something",
            "youve got something",
            "so special",
            "really special",
            "so pretty",
            "so beautiful",
            "so cute",
            "so hot",
            "kinda cute",
            "really like you",
            "couldnt stop looking",
            "such a nice smile",
            "gorgeous",
            "madura para",
            "maduro para",
            "para tu edad",
            "muy madura",
            "muy maduro",
            "tan guapa",
            "tan linda",
            "mas que los adultos",
            "muy mona",
            "muy mono",
            "pour ton age",
            "en avance pour",
            "si mature",
            "tres mature",
            "mieux que des adultes",
            "trop belle",
            "si belle",
            "pra sua idade",
            "para sua idade",
            "muito madura",
            "muito maduro",
            "tao linda",
            "melhor que adulto",
            "fur dein alter",
            "so reif",
            "sehr reif",
            "so hubsch",
            "besser als erwachsene",
            "не по годам",
            "взрослая для",
            "взрослый для",
            "такая красивая",
            "такая взрослая",
            "лучше взрослых",
            "اكبر من سنك",
            "ناضجه",
            "ناضج",
            "احلى من",
            "جميله اوي",
            "حلوه اوي",
        ],
    ),
    (
        Stage::RiskAssessment,
        &[
            "look through your phone",
            "look through it",
            "go through your phone",
            "goes through your phone",
            "mexe no seu celular",
            "revisa tu celular",
            "fouille ton telephone",
            "walk home alone",
            "walk home by yourself",
            "walk home on your own",
            "your own tablet",
            "family tablet",
            "share the ipad",
            "share the tablet",
            "just yours",
            "who else uses",
            "when do your parents get",
            "what time do your parents",
            "what time does your mum",
            "what time does your mom",
            "how late do they work",
            "are your parents strict",
            "parents strict",
            "lock your door",
            "vuelves sola",
            "vuelves solo",
            "tu propia tablet",
            "a que hora llegan tus padres",
            "a que hora vuelven tus padres",
            "tu rentres seule",
            "tu rentres seul",
            "ta propre tablette",
            "a quelle heure rentrent tes parents",
            "volta sozinha",
            "volta sozinho",
            "que horas seus pais",
            "tablet e so seu",
            "gehst du allein",
            "wann kommen deine eltern",
            "ты ходишь одна",
            "когда родители приходят",
            "بترجع لوحدك",
            "اهلك بيرجعوا امتى",
            "ماما بترجع الساعه كام",
            "your own phone",
            "own phone",
            "parents phone",
            "use your parents",
            "جوال خاص",
            "تليفون خاص",
            "جوال اهلك",
            "movil propio",
            "ton propre telephone",
            "celular proprio",
            "eigenes handy",
            "свой телефон",
            "parents home",
            "parents at home",
            "parents in",
            "anyone else in the room",
            "anyone home",
            "anyone else home",
            "are you alone",
            "home alone",
            "by yourself",
            "on your own tonight",
            "look at your messages",
            "check your phone",
            "read your messages",
            "check your messages",
            "checks your",
            "do your parents know",
            "does your mum know",
            "does your mom know",
            "your parents awake",
            "parents asleep",
            "parents are asleep",
            "when your parents",
            "is your brother back",
            "whos home",
            "who else is home",
            "your room",
            "in your bedroom",
            "mum usually looks",
            "tus padres estan",
            "estas sola",
            "estas solo",
            "tus padres ya esten dormidos",
            "tus padres miran",
            "revisan tu movil",
            "tus padres saben",
            "tes parents sont",
            "tu es seule",
            "tu es seul",
            "tes parents savent",
            "regardent tes messages",
            "tes parents dorment",
            "seus pais ficam",
            "seus pais estao",
            "vc fica sozinho",
            "vc fica sozinha",
            "ta sozinha",
            "ta sozinho",
            "seus pais sabem",
            "olham seu celular",
            "eltern zu hause",
            "bist du allein",
            "allein zu hause",
            "lesen deine nachrichten",
            "wissen deine eltern",
            "eltern schlafen",
            "родители дома",
            "ты одна",
            "ты один",
            "одна дома",
            "один дома",
            "проверяют телефон",
            "родители знают",
            "родители спят",
            "اهلك في البيت",
            "لوحدك",
            "بيشوفوا رسايلك",
            "اهلك عارفين",
            "ماما في البيت",
            "ابوك في البيت",
            "اهلك نايمين",
        ],
    ),
    (
        Stage::Secrecy,
        &[
            "people wouldnt understand",
            "people might misunderstand",
            "people misunderstand",
            "people would misunderstand",
            "keep it quiet",
            "keep the tickets quiet",
            "dont need to mention",
            "no need to mention",
            "just between",
            "la gente no lo entenderia",
            "no hace falta mencionarlo",
            "les gens comprendraient pas",
            "pas besoin den parler",
            "as pessoas nao entenderiam",
            "nao precisa mencionar",
            "die leute wurden das nicht verstehen",
            "люди не поймут",
            "не надо никому",
            "الناس مش هتفهم",
            "مش لازم تقول",
            "dont tell",
            "don t tell",
            "dont mention",
            "nobody needs to know",
            "no one needs to know",
            "nobody else needs to know",
            "between us",
            "our secret",
            "our little secret",
            "keep it between",
            "stays with us",
            "stays between",
            "delete this",
            "delete our chat",
            "delete the chat",
            "no need to tell",
            "dont need to know",
            "best not to mention",
            "best not to involve",
            "not to involve your parents",
            "keep this quiet",
            "our thing",
            "dont show your parents",
            "wipe the chat",
            "no le digas",
            "no se lo digas",
            "entre nosotros",
            "nuestro secreto",
            "no hace falta que",
            "sin decirle",
            "borra el chat",
            "nadie tiene que saber",
            "ne dis pas",
            "ne le dis",
            "entre nous",
            "notre secret",
            "pas besoin de le dire",
            "efface la conversation",
            "personne doit savoir",
            "nao conta",
            "nao fala pra",
            "entre nos",
            "nosso segredo",
            "apaga a conversa",
            "ninguem precisa saber",
            "nao precisa contar",
            "sag niemandem",
            "sag es nicht",
            "unter uns",
            "unser geheimnis",
            "losch den chat",
            "niemand muss wissen",
            "musst du nicht erzahlen",
            "никому не говори",
            "не говори",
            "между нами",
            "наш секрет",
            "удали переписку",
            "никто не должен знать",
            "متقولش",
            "ماتقولش",
            "محدش يعرف",
            "سر بينا",
            "بيني وبينك",
            "امسح الشات",
            "محدش لازم يعرف",
        ],
    ),
    (
        Stage::Isolation,
        &[
            "you seem lonely",
            "you must be lonely",
            "your parents dont listen",
            "your parents never listen",
            "you can tell me anything",
            "you only need me",
            "pareces sola",
            "pareces solo",
            "tus padres no te escuchan",
            "puedes contarme lo que sea",
            "lair seule",
            "lair seul",
            "tes parents tecoutent pas",
            "tu peux tout me dire",
            "voce parece sozinha",
            "seus pais nao te escutam",
            "pode me contar qualquer coisa",
            "du wirkst einsam",
            "deine eltern horen dir nicht zu",
            "ты выглядишь одинокой",
            "родители тебя не слушают",
            "можешь рассказать мне всё",
            "شكلك وحيد",
            "اهلك مش بيسمعوك",
            "تقدر تحكيلي اي حاجه",
            "dont get you",
            "dont understand you",
            "dont really get it",
            "only i understand",
            "i get you",
            "tell me stuff first",
            "you deserve privacy",
            "coaches dont always",
            "you dont need them",
            "they dont care about you",
            "only one who understands",
            "better than any club",
            "i can train you myself",
            "they treat you like a kid",
            "nadie te entiende",
            "solo yo te entiendo",
            "no te entienden",
            "personne ne te comprend",
            "ils te comprennent pas",
            "moi je te comprends",
            "ninguem te entende",
            "so eu te entendo",
            "eles nao te entendem",
            "niemand versteht dich",
            "nur ich verstehe",
            "verstehen dich nicht",
            "никто тебя не понимает",
            "только я тебя понимаю",
            "они тебя не понимают",
            "محدش فاهمك",
            "انا بس اللي فاهمك",
            "مش فاهمينك",
            // Keeping the parents away from a meeting.
            "without your parents",
            "parents hanging around",
            "dont bring your mum",
            "dont bring your dad",
            "dont bring your parents",
            "sin tus padres",
            "no traigas a tus padres",
            "sans tes parents",
            "viens sans",
            "sem seus pais",
            "sem os seus pais",
            "ohne deine eltern",
            "ohne eltern",
            "без родителей",
            "родителей не бери",
            "من غير اهلك",
            "من غير ما اهلك",
        ],
    ),
    (
        Stage::Gifts,
        &[
            "ill buy you",
            "i ll buy you",
            "buy you",
            "gift card",
            "robux",
            "v bucks",
            "vbucks",
            "free skins",
            "free products",
            "pay you",
            "ill sort you",
            "send you an old phone",
            "i could send you",
            "send you some",
            "ill pay",
            "pocket money",
            "cash in hand",
            "te compro",
            "te regalo",
            "tarjeta regalo",
            "te pago",
            "clases gratis",
            "je t offre",
            "carte cadeau",
            "je te paie",
            "je tachete",
            "te dou",
            "vou te dar",
            "cartao presente",
            "te pago",
            "te compro",
            "ich kauf dir",
            "ich schenk",
            "gutschein",
            "ich bezahl dich",
            "куплю тебе",
            "подарю",
            "подарок",
            "заплачу тебе",
            "هجيبلك",
            "هديه",
            "شحن",
            "هدفعلك",
        ],
    ),
    (
        Stage::PlatformMove,
        &[
            "disappearing messages",
            "messages disappear",
            "msgs disappear",
            "msgs dont stay",
            "messages dont stay",
            "delete themselves",
            "mensajes temporales",
            "messages ephemeres",
            "mensagens temporarias",
            "исчезающие сообщения",
            "رسايل بتتمسح",
            "download the app",
            "the app i",
            "talk there",
            "حمل التطبيق",
            "التطبيق اللي",
            "نتكلم هناك",
            "descarga la app",
            "telecharge l appli",
            "baixa o app",
            "lad die app",
            "скачай приложение",
            "add me on",
            "add me",
            "snap",
            "telegram",
            "whatsapp",
            "discord",
            "kik",
            "insta",
            "dm me",
            "private chat",
            "private room",
            "other app",
            "other account",
            "photo app",
            "video call",
            "call on",
            "move to",
            "switch to",
            "text me on",
            "my number is",
            "agregame",
            "te agrego",
            "seguimos en",
            "otra app",
            "videollamada",
            "tu red de fotos",
            "ajoute moi",
            "autre appli",
            "appel video",
            "me adiciona",
            "outro app",
            "no zap",
            "por chamada",
            "chamada de video",
            "schreib mir auf",
            "andere app",
            "adde mich",
            "videoanruf",
            "добавь меня",
            "в телегу",
            "телеграм",
            "другое приложение",
            "видеозвонок",
            "ضيفني",
            "تليجرام",
            "واتس",
            "ابلكيشن تاني",
            "فيديو كول",
        ],
    ),
    (
        Stage::MeetingRequest,
        &[
            "meet up",
            "meet me",
            "lets meet",
            "meet in person",
            "come over",
            "pick you up",
            "ill drive",
            "come alone",
            "which park",
            "where do you skate",
            "train you myself",
            "privately",
            "hang out just us",
            "just the two of us",
            "just you and me",
            "only you and me",
            "solo tu y yo",
            "juste toi et moi",
            "so eu e voce",
            "nur du und ich",
            "только ты и я",
            "انا وانت بس",
            "nos vemos",
            "quedamos",
            "te recojo",
            "a solas",
            "on se voit",
            "je viens te chercher",
            "rien que nous deux",
            "a gente se encontra",
            "te busco",
            "so nos dois",
            "treffen wir uns",
            "hol dich ab",
            "nur wir zwei",
            "встретимся",
            "заберу тебя",
            "только мы вдвоем",
            "نتقابل",
            "اعدي عليك",
            "احنا الاتنين بس",
        ],
    ),
    (
        Stage::ImageRequest,
        &[
            "private photo",
            "take a photo and send",
            "take a pic and send",
            "send one too",
            "ill do one too",
            "dare take",
            "صوره خاصه",
            "foto privada",
            "photo privee",
            "privates foto",
            "личное фото",
            "send me a photo",
            "send me a pic",
            "send a pic",
            "send pics",
            "a pic",
            "photo of you",
            "pic of you",
            "selfie",
            "show me you",
            "show me what you look like",
            "turn on your cam",
            "on cam",
            "test photos",
            "your turn",
            "pic nobody",
            "photo just for me",
            "manda una foto",
            "mandame una foto",
            "una foto tuya",
            "te toca a ti",
            "envoie moi une photo",
            "une photo de toi",
            "montre toi",
            "manda uma foto",
            "me manda foto",
            "uma foto sua",
            "schick mir ein foto",
            "ein foto von dir",
            "zeig dich",
            "пришли фото",
            "скинь фото",
            "фотку",
            "твое фото",
            "ابعتلي صوره",
            "صورتك",
            "ابعتي صوره",
        ],
    ),
    (
        Stage::Threat,
        &[
            "or your dad",
            "or your mum",
            "or your mom",
            "or your parents",
            "or your class",
            "by friday",
            "by tonight",
            "will see it",
            "its posted",
            "it gets posted",
            "game over",
            "tell anyone and",
            "your full name and",
            "o tu padre",
            "ou ton pere",
            "ou seu pai",
            "oder dein vater",
            "или твой отец",
            "والا ابوك",
            "or ill send",
            "or i ll send",
            "ill send it to",
            "everyone will see",
            "ill post",
            "your family will see",
            "you have 24",
            "hours or",
            "or else",
            "send it to your",
            "all your followers",
            "pay me",
            "or i post",
            "before midnight",
            "o lo mando",
            "o lo envio",
            "todos van a ver",
            "tienes 24",
            "paga o",
            "ou je publie",
            "tout le monde va voir",
            "tu as 24",
            "ou eu posto",
            "todo mundo vai ver",
            "voce tem 24",
            "sonst schick ich",
            "alle werden sehen",
            "du hast 24",
            "или отправлю",
            "все увидят",
            "у тебя 24",
            "переведи",
            "والا هبعت",
            "الكل هيشوف",
            "قدامك 24",
        ],
    ),
    (
        Stage::PersonalDataRequest,
        &[
            "your address",
            "home address",
            "where do you live",
            "what school",
            "which school do you go",
            "your number",
            "your location",
            "tu direccion",
            "donde vives",
            "ton adresse",
            "tu habites ou",
            "seu endereco",
            "onde voce mora",
            "deine adresse",
            "wo wohnst du",
            "твой адрес",
            "где ты живешь",
            "عنوانك",
            "ساكن فين",
            "ساكنه فين",
        ],
    ),
];

/// Family titles used to address someone ("thanks uncle Raj", "hola abuelo"): the one addressed
/// is family, whose gifts and surprises are ordinary.
const FAMILY_TITLES: &[&str] = &[
    "mum",
    "mom",
    "mam",
    "mummy",
    "mommy",
    "dad",
    "mama",
    "papa",
    "maman",
    "mae",
    "pai",
    "mutti",
    "vati",
    "мама",
    "папа",
    "ماما",
    "بابا",
    "uncle",
    "auntie",
    "aunty",
    "aunt",
    "grandpa",
    "grandad",
    "granddad",
    "grandma",
    "granny",
    "nan",
    "nana",
    "abuelo",
    "abuela",
    "tio",
    "tia",
    "tonton",
    "tata",
    "papy",
    "mamie",
    "papi",
    "mami",
    "vovo",
    "onkel",
    "tante",
    "opa",
    "oma",
    "дядя",
    "тетя",
    "дедушка",
    "бабушка",
    "خالي",
    "عمو",
    "جدو",
    "تيتا",
    "خالتو",
    "عمتو",
];

fn addresses_family(text: &str) -> bool {
    static TITLES: OnceLock<Vec<String>> = OnceLock::new();
    let titles = TITLES.get_or_init(|| FAMILY_TITLES.iter().map(|t| normalize(t).text).collect());
    let normalized = normalize(text);
    normalized
        .tokens
        .iter()
        .any(|t| titles.iter().any(|title| title == normalized.token_text(t)))
}

/// Whether a match at byte `at` of `padded` (which starts with a space) begins a word, allowing
/// the one-letter Arabic clitics (wa-, fa-, bi-, li-, ka-) that are written joined to the word.
fn starts_word(padded: &str, at: usize) -> bool {
    let before = &padded[..at];
    if before.ends_with(' ') {
        return true;
    }
    let mut chars = before.chars().rev();
    matches!(chars.next(), Some('و' | 'ف' | 'ب' | 'ل' | 'ك')) && chars.next() == Some(' ')
}

fn phrase_table() -> &'static Vec<(Stage, Vec<String>)> {
    static TABLE: OnceLock<Vec<(Stage, Vec<String>)>> = OnceLock::new();
    TABLE.get_or_init(|| {
        PHRASES
            .iter()
            .map(|(stage, phrases)| {
                let normalized = phrases
                    .iter()
                    .map(|p| normalize(p).text)
                    .filter(|p| !p.is_empty())
                    .collect();
                (*stage, normalized)
            })
            .collect()
    })
}

/// The stages a message's words show (phrase lists only; the tracker adds the model's view).
pub fn phrase_stages(text: &str) -> Vec<Stage> {
    let padded = padded_normal_form(text);
    phrase_table()
        .iter()
        .filter(|(_, phrases)| has_phrase_in(&padded, phrases))
        .map(|(stage, _)| *stage)
        .collect()
}

/// `raw` normalised once, the first time it is needed.
fn normalized_list(cell: &'static OnceLock<Vec<String>>, raw: &[&str]) -> &'static [String] {
    cell.get_or_init(|| {
        raw.iter()
            .map(|p| normalize(p).text)
            .filter(|p| !p.is_empty())
            .collect()
    })
}

/// The normalised text with a space on each side, for [`has_phrase_in`].
fn padded_normal_form(text: &str) -> String {
    format!(" {} ", normalize(text).text)
}

/// Whether any of the normalised `phrases` starts at a word start of the normalised `text`.
fn has_phrase(text: &str, phrases: &[String]) -> bool {
    has_phrase_in(&padded_normal_form(text), phrases)
}

/// [`has_phrase`] on text already normalised and padded.
fn has_phrase_in(padded: &str, phrases: &[String]) -> bool {
    phrases.iter().any(|p| {
        padded
            .match_indices(p.as_str())
            .any(|(at, _)| starts_word(padded, at))
    })
}

/// Does the message report what someone else said or did ("he said dont tell anyone", "some
/// guy messaged me")? A child telling a friend about a stranger quotes the stranger's tactics;
/// those are not the sender's.
fn reports_someone_else(text: &str) -> bool {
    const PHRASES: &[&str] = &[
        "he said",
        "she said",
        "he says",
        "she says",
        "hes saying",
        "he keeps",
        "she keeps",
        "he asked",
        "she asked",
        "he told me",
        "she told me",
        "he wants me",
        "some guy",
        "this guy",
        "some man",
        "someone messaged",
        "someone keeps",
        "me dijo",
        "dice que",
        "me pidio",
        "un tipo",
        "il ma dit",
        "elle ma dit",
        "il dit que",
        "il me demande",
        "un mec",
        "ele disse",
        "ela disse",
        "ele falou",
        "ele pediu",
        "um cara",
        "um homem",
        "он сказал",
        "он пишет",
        "он спросил",
        "какой-то",
        "er hat gesagt",
        "er meinte",
        "er fragt",
        "so ein typ",
        "قالي",
        "بيقولي",
        "واحد بعتلي",
        "واحد كلمني",
    ];
    static NORMALIZED: OnceLock<Vec<String>> = OnceLock::new();
    has_phrase(text, normalized_list(&NORMALIZED, PHRASES))
}

/// Does the message mention parents, guardians or "anyone" (the people secrecy is kept from)?
fn turn_mentions_guardian(text: &str) -> bool {
    const WORDS: &[&str] = &[
        "parent",
        "mum",
        "mom",
        "dad",
        "mother",
        "father",
        "family",
        "anyone",
        "anybody",
        "nobody",
        "no one",
        "teacher",
        "padres",
        "madre",
        "padre",
        "mama",
        "papa",
        "nadie",
        "mere",
        "pere",
        "personne",
        "pais",
        "mae",
        "pai",
        "ninguem",
        "eltern",
        "mutter",
        "vater",
        "niemand",
        "родител",
        "мам",
        "пап",
        "никому",
        "никто",
        "اهل",
        "ماما",
        "بابا",
        "ابوك",
        "امك",
        "محدش",
        "لحد",
    ];
    static NORMALIZED: OnceLock<Vec<String>> = OnceLock::new();
    has_phrase(text, normalized_list(&NORMALIZED, WORDS))
}

/// Does this message state that its sender is a minor ("12", "im 13", "tengo 12", "7th")?
fn discloses_minor_age(text: &str) -> bool {
    let normalized = normalize(text);
    let words: Vec<&str> = normalized
        .tokens
        .iter()
        .map(|t| normalized.token_text(t))
        .collect();
    let is_minor_number = |w: &str| matches!(w.parse::<u32>(), Ok(5..=17));
    let short = words.len() <= 6;
    // "grade 2 exam" from a piano teacher is not about the sender: school years count only in a
    // message that speaks of oneself.
    let first_person = words.iter().any(|w| {
        matches!(
            *w,
            "im" | "i"
                | "my"
                | "estoy"
                | "voy"
                | "mi"
                | "je"
                | "jsuis"
                | "suis"
                | "estou"
                | "meu"
                | "minha"
                | "ich"
                | "bin"
                | "я"
                | "انا"
        )
    });
    let school_year = |i: usize| {
        let w = words[i];
        let digits = w.trim_end_matches(|c: char| c.is_alphabetic());
        let suffix = &w[digits.len()..];
        let ordinal = digits.parse::<u32>().is_ok_and(|n| (1..=12).contains(&n))
            && matches!(
                suffix,
                "" | "th" | "st" | "nd" | "rd" | "o" | "a" | "e" | "eme"
            );
        let prev = if i > 0 { words[i - 1] } else { "" };
        let next = words.get(i + 1).copied().unwrap_or("");
        ordinal
            && (matches!(prev, "year" | "yr" | "grade" | "class" | "curso" | "klasse")
                || matches!(
                    next,
                    "grade"
                        | "ano"
                        | "curso"
                        | "klasse"
                        | "класс"
                        | "классе"
                        | "ابتدائي"
                        | "اعدادي"
                        | "eso"
                        | "primaria"
                ))
    };
    words.iter().enumerate().any(|(i, w)| {
        // School years said of oneself: "im in year 7", "estou no 7o ano", "я в 7 классе".
        if first_person && school_year(i) {
            return true;
        }
        if is_minor_number(w) {
            let prev = if i > 0 { words[i - 1] } else { "" };
            let next = words.get(i + 1).copied().unwrap_or("");
            return (short && words.len() <= 2)
                || matches!(
                    prev,
                    "im" | "i"
                        | "am"
                        | "tengo"
                        | "jai"
                        | "tenho"
                        | "bin"
                        | "мне"
                        | "عندي"
                        | "انا"
                        | "yes"
                        | "yeah"
                )
                || matches!(
                    next,
                    "years" | "yo" | "anos" | "ans" | "jahre" | "лет" | "года" | "سنه"
                );
        }
        // School years: "7th", "8th grade", "en 5e".
        short
            && w.len() <= 4
            && (w.ends_with("th") || w.ends_with('e'))
            && w[..w
                .len()
                .saturating_sub(if w.ends_with("th") { 2 } else { 1 })]
                .parse::<u32>()
                .is_ok_and(|n| (1..=12).contains(&n))
    })
}

fn hash_id(id: &str) -> u64 {
    // FNV-1a: stable across versions, so persisted state keeps matching its participants.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in id.as_bytes() {
        h ^= *b as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// What the tracker keeps about one participant.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Participant {
    pub id_hash: u64,
    pub age_band: AgeBand,
    /// Said something that shows they are a minor.
    pub disclosed_minor: bool,
    pub turns: u32,
    /// Times each stage (in [`STAGES`] order) was seen from this participant.
    pub stage_counts: [u16; 12],
    /// Highest score per category over their turns.
    pub max_scores: [f32; CATEGORY_COUNT],
    pub risk: f32,
    /// Accumulated risk from threats and sextortion signals (names the alert's label).
    pub sextortion_risk: f32,
    /// Addressed by another participant with a family title ("uncle", "abuelo").
    #[serde(default)]
    pub family: bool,
}

impl Participant {
    fn seen(&self, stage: Stage) -> bool {
        self.stage_counts[stage.index()] > 0
    }
}

/// The tracker's verdict on one turn.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TurnAssessment {
    /// True only on the turn where the alert is first raised.
    pub alert: bool,
    /// True from that turn on.
    pub alerted: bool,
    /// The conversation's risk so far (the riskiest participant's), in [0, 1].
    pub risk: f32,
    /// The message's own labels.
    pub labels: Vec<&'static str>,
    /// Tactics seen in this turn.
    pub stages: Vec<Stage>,
    /// `grooming` or `sextortion` once alerted.
    pub conversation_labels: Vec<&'static str>,
}

/// Per-conversation state. Serialise it to persist it between turns.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ConversationTracker {
    pub participants: Vec<Participant>,
    pub turns: u32,
    pub last_turn_unix: Option<i64>,
    pub alert_turn: Option<u32>,
    /// Which participant the alert is about (its id hash).
    pub alert_subject: Option<u64>,
    pub sextortion: bool,
}

impl ConversationTracker {
    pub fn new() -> Self {
        Self::default()
    }

    /// True when the state is older than [`EXPIRY_SECONDS`] and should be dropped.
    pub fn is_expired(&self, now_unix: i64) -> bool {
        self.last_turn_unix
            .is_some_and(|last| now_unix.saturating_sub(last) > EXPIRY_SECONDS)
    }

    /// Records what the platform knows of a participant's age before they speak.
    pub fn set_age_band(&mut self, from: &str, band: AgeBand) {
        self.participant(from).age_band = band;
    }

    fn participant(&mut self, from: &str) -> &mut Participant {
        let id_hash = hash_id(from);
        if let Some(i) = self.participants.iter().position(|p| p.id_hash == id_hash) {
            return &mut self.participants[i];
        }
        self.participants.push(Participant {
            id_hash,
            ..Participant::default()
        });
        let last = self.participants.len() - 1;
        &mut self.participants[last]
    }

    /// The conversation's labels: `grooming` or `sextortion` once alerted.
    pub fn labels(&self) -> Vec<&'static str> {
        match (self.alert_turn, self.sextortion) {
            (None, _) => vec![],
            (Some(_), true) => vec!["sextortion"],
            (Some(_), false) => vec!["grooming"],
        }
    }

    /// The riskiest participant's risk, squashed into [0, 1] (ALERT_RISK maps to 0.5).
    pub fn risk(&self) -> f32 {
        let raw = self
            .participants
            .iter()
            .map(|p| p.risk)
            .fold(0.0f32, f32::max);
        raw / (raw + ALERT_RISK)
    }

    /// Feeds one turn. `now_unix` is the caller's clock; an expired state starts afresh.
    pub fn push_turn(
        &mut self,
        classifier: &TextClassifier,
        turn: &Turn,
        now_unix: i64,
    ) -> TurnAssessment {
        let signals = observe_turn(classifier, &turn.text);
        self.push_signals(
            &turn.from,
            turn.age_band,
            &signals,
            &TrackerWeights::SHIPPED,
            now_unix,
        )
    }

    /// Feeds one turn already observed, weighed with `weights` (the tuner tries other weights
    /// on the same observations; everyone else uses [`TrackerWeights::SHIPPED`]).
    pub fn push_signals(
        &mut self,
        from: &str,
        age_band: Option<AgeBand>,
        signals: &TurnSignals,
        weights: &TrackerWeights,
        now_unix: i64,
    ) -> TurnAssessment {
        if self.is_expired(now_unix) {
            *self = ConversationTracker::default();
        }
        self.last_turn_unix = Some(now_unix);
        let turn_index = self.turns;
        self.turns += 1;
        let scores = &signals.scores;
        let stages = &signals.stages;

        // Who the sender is talking to: any other participant known to be a minor?
        let sender_hash = hash_id(from);
        let other_is_minor = self
            .participants
            .iter()
            .filter(|p| p.id_hash != sender_hash)
            .any(|p| p.age_band.is_minor() || p.disclosed_minor);
        let others_all_adult = {
            let mut others = self
                .participants
                .iter()
                .filter(|p| p.id_hash != sender_hash);
            let first = others.next();
            first.is_some_and(|p| p.age_band == AgeBand::Adult)
                && others.all(|p| p.age_band == AgeBand::Adult)
        };

        if signals.family_address {
            self.participant(from);
            // In a chat of two, the other one is the family member addressed.
            if self.participants.len() == 2 {
                for p in self
                    .participants
                    .iter_mut()
                    .filter(|p| p.id_hash != sender_hash)
                {
                    p.family = true;
                }
            }
        }
        let sender = self.participant(from);
        if let Some(band) = age_band {
            sender.age_band = band;
        }
        if signals.minor_age {
            sender.disclosed_minor = true;
        }
        sender.turns += 1;
        for (m, s) in sender.max_scores.iter_mut().zip(scores) {
            *m = m.max(*s);
        }
        // How much this sender's tactics count, given who they are and who they talk to.
        let relation = match (sender.age_band, other_is_minor, others_all_adult) {
            (AgeBand::Child | AgeBand::Teen, _, _) => weights.minor_sender,
            (_, _, true) => weights.among_adults,
            (AgeBand::Adult, true, _) => weights.adult_to_minor,
            (_, true, _) => weights.unknown_to_minor,
            (_, false, _) => weights.age_unknown,
        };
        let mut added = 0.0f32;
        // Tactics the sender only reports ("he said dont tell anyone") count for little.
        let reported = if signals.reported {
            weights.reported
        } else {
            1.0
        };
        for &stage in stages {
            let first = !sender.seen(stage);
            let mut weight =
                weights.stage[stage.index()] * if first { 1.0 } else { weights.repeat };
            if stage == Stage::Flattery && (other_is_minor || sender.seen(Stage::AgeProbe)) {
                // Flattery about a known child's age or maturity is a grooming marker.
                weight *= 2.0;
            }
            if stage == Stage::Secrecy && !signals.mentions_guardian {
                // "Don't tell your cousin what it cost" is not secrecy from those who protect.
                weight *= 0.5;
            }
            if sender.family && !stage.is_hard() {
                // A relative's gifts, surprises, visits and "send me a photo of your room" are
                // ordinary; their checks on who is home, isolation, sexual talk and threats are not.
                weight *= weights.family;
            }
            added += weight;
            if stage.is_sextortion() {
                sender.sextortion_risk += weight;
            }
            let slot = &mut sender.stage_counts[stage.index()];
            *slot = slot.saturating_add(1);
        }
        // The message model's scores add what the phrase lists miss: it has seen far more
        // wordings of each tactic than any list holds.
        let model_term = |c: usize, weight: f32| {
            weight * ((scores[c] - weights.score_floor) / (1.0 - weights.score_floor)).max(0.0)
        };
        added += model_term(GROOMING, weights.model_grooming)
            + model_term(SOLICITATION, weights.model_solicitation)
            + model_term(PERSONAL_DATA, weights.model_personal_data);
        let extortion = model_term(SEXTORTION, weights.model_sextortion);
        added += extortion;
        sender.sextortion_risk += extortion + if signals.sextortion_label { 0.5 } else { 0.0 };
        sender.risk += added * relation * reported;
        // One message that is plainly sextortion (a threat to share images for money or more)
        // alerts on its own, whoever the sender claims to be, unless a known minor sent it.
        if scores[SEXTORTION] >= weights.instant_sextortion
            && !sender.age_band.is_minor()
            && !signals.reported
        {
            sender.risk = sender.risk.max(ALERT_RISK);
            sender.sextortion_risk = sender.sextortion_risk.max(0.7);
        }
        let sender_risk = sender.risk;
        let sextortion_now = sender.sextortion_risk >= 0.7;

        let mut alert = false;
        if self.alert_turn.is_none() && sender_risk >= ALERT_RISK {
            self.alert_turn = Some(turn_index);
            self.alert_subject = Some(sender_hash);
            alert = true;
        }
        if self.alert_turn.is_some() && self.alert_subject == Some(sender_hash) && sextortion_now {
            self.sextortion = true;
        }
        TurnAssessment {
            alert,
            alerted: self.alert_turn.is_some(),
            risk: self.risk(),
            labels: signals.labels.clone(),
            stages: stages.clone(),
            conversation_labels: self.labels(),
        }
    }
}

/// One line of a conversation file, as `tutela text conversations` and the tuner read it:
/// `{"id", "turns": [{"from", "text"}], "meta"?, "labels"?, "first_risky_turn"?}`, where `meta`
/// holds `"<who>_age_band": "adult" | "teen" | "child" | "unknown"`.
#[derive(Debug, Clone, Deserialize)]
pub struct ChatLine {
    pub id: serde_json::Value,
    pub turns: Vec<ChatTurn>,
    #[serde(default)]
    pub meta: Option<std::collections::BTreeMap<String, serde_json::Value>>,
    #[serde(default)]
    pub labels: Option<Vec<String>>,
    #[serde(default)]
    pub first_risky_turn: Option<usize>,
}

/// One turn of a [`ChatLine`].
#[derive(Debug, Clone, Deserialize)]
pub struct ChatTurn {
    pub from: String,
    pub text: String,
}

impl ChatLine {
    /// Labelled grooming or sextortion.
    pub fn is_risky(&self) -> bool {
        self.labels.as_ref().is_some_and(|l| !l.is_empty())
    }

    /// The labelled first risky turn of a risky chat; `None` for a benign one.
    pub fn gold_first_risky_turn(&self) -> Option<usize> {
        self.first_risky_turn.filter(|_| self.is_risky())
    }

    /// A fresh tracker that knows what `meta` says of each side's age.
    pub fn tracker(&self) -> ConversationTracker {
        let mut tracker = ConversationTracker::new();
        for (key, value) in self.meta.iter().flatten() {
            if let (Some(who), Some(band)) = (key.strip_suffix("_age_band"), value.as_str()) {
                tracker.set_age_band(who, AgeBand::parse(band));
            }
        }
        tracker
    }
}

const GROOMING: usize = 1;
const SEXTORTION: usize = 2;
const SOLICITATION: usize = 0;
const PERSONAL_DATA: usize = 10;

/// What one turn shows before the conversation weighs it: the message model's scores and
/// labels, the tactics its words show, and what it says about who is who. No text.
#[derive(Debug, Clone, PartialEq)]
pub struct TurnSignals {
    pub scores: [f32; CATEGORY_COUNT],
    pub labels: Vec<&'static str>,
    pub stages: Vec<Stage>,
    /// The model labels the message sextortion (at its own threshold).
    pub sextortion_label: bool,
    pub minor_age: bool,
    pub family_address: bool,
    pub mentions_guardian: bool,
    /// The sender reports someone else's words or deeds.
    pub reported: bool,
}

/// Reads one turn's text into [`TurnSignals`].
pub fn observe_turn(classifier: &TextClassifier, text: &str) -> TurnSignals {
    let classification = classifier.classify(text, None);
    let thresholds = classifier.thresholds();
    let mut scores = classification.scores.0;
    // One or two words ("sent", "ok send") give the message model too little to go on: its
    // scores there follow single words of its training lines, so they count as no evidence.
    if normalize(text).tokens.iter().filter(|t| !t.symbol).count() < 3 {
        scores = [0.0; CATEGORY_COUNT];
    }
    let mut stages = phrase_stages(text);
    // A turn's score is evidence for a stage at a lower bar than a message label needs: a
    // stage alone never alerts, the course of the conversation does.
    let over = |c: usize| scores[c] >= thresholds[c].min(STAGE_EVIDENCE);
    for (c, stage) in [
        (SOLICITATION, Stage::SexualContent),
        (SEXTORTION, Stage::Threat),
        (PERSONAL_DATA, Stage::PersonalDataRequest),
    ] {
        if over(c) && !stages.contains(&stage) {
            stages.push(stage);
        }
    }
    TurnSignals {
        scores,
        sextortion_label: scores[SEXTORTION] >= thresholds[SEXTORTION].min(STAGE_EVIDENCE),
        labels: classification.labels,
        stages,
        minor_age: discloses_minor_age(text),
        family_address: addresses_family(text),
        mentions_guardian: turn_mentions_guardian(text),
        reported: reports_someone_else(text),
    }
}

/// How the tracker weighs what it sees. [`TrackerWeights::SHIPPED`] was chosen by
/// `tune-conversations` on the developer chats and four sets of 40 written for the project
/// (`data/conversations/train-*.jsonl`); `check-b.jsonl` was kept out to measure it. A zero
/// weight means the tuning found the signal did not help: image requests, for one, come from
/// relatives and teachers as often as from groomers, and the model's sexual-content score
/// carries the ones that matter.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TrackerWeights {
    /// Risk added the first time a sender uses each tactic, in [`STAGES`] order.
    pub stage: [f32; 12],
    /// Share of a tactic's weight added each time it is used again.
    pub repeat: f32,
    /// Weight of the message model's score above `score_floor`, per category.
    pub model_grooming: f32,
    pub model_solicitation: f32,
    pub model_sextortion: f32,
    pub model_personal_data: f32,
    pub score_floor: f32,
    /// A sextortion score at which one message alerts.
    pub instant_sextortion: f32,
    /// Relation factors: a minor sending; adults among themselves; an adult, or a sender of
    /// unknown age, talking to a known minor; nobody's age known.
    pub minor_sender: f32,
    pub among_adults: f32,
    pub adult_to_minor: f32,
    pub unknown_to_minor: f32,
    pub age_unknown: f32,
    /// Factor on a relative's soft tactics (gifts, surprises, visits, flattery).
    pub family: f32,
    /// Factor on a turn that reports someone else's words.
    pub reported: f32,
}

impl TrackerWeights {
    /// The weights set by hand before any tuning: where `tune-conversations` starts, so its
    /// result is reproducible from scratch.
    pub const HAND_SET: TrackerWeights = TrackerWeights {
        stage: [
            0.15, 0.3, 0.5, 0.5, 0.4, 0.25, 0.3, 0.35, 0.45, 0.9, 0.7, 0.3,
        ],
        repeat: 0.25,
        model_grooming: 0.3,
        model_solicitation: 0.0,
        model_sextortion: 0.0,
        model_personal_data: 0.0,
        score_floor: 0.5,
        instant_sextortion: 2.0,
        minor_sender: 0.55,
        among_adults: 0.35,
        adult_to_minor: 1.1,
        unknown_to_minor: 1.0,
        age_unknown: 0.75,
        family: 0.25,
        reported: 1.0,
    };

    pub const SHIPPED: TrackerWeights = TrackerWeights {
        // age probe, flattery, risk assessment, secrecy, isolation, gifts, platform move,
        // meeting, image request, sexual content, threat, personal data request
        stage: [
            0.5, 1.436, 1.48, 0.38, 0.512, 0.4, 0.0, 0.252, 0.148, 0.575, 0.62, 0.485,
        ],
        repeat: 0.04,
        model_grooming: 0.868,
        model_solicitation: 0.096,
        model_sextortion: 0.0,
        model_personal_data: 0.048,
        score_floor: 0.6,
        instant_sextortion: 0.8,
        minor_sender: 0.33,
        among_adults: 0.21,
        adult_to_minor: 0.66,
        unknown_to_minor: 2.0,
        age_unknown: 0.86,
        family: 0.64,
        reported: 0.0,
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    fn turn(from: &str, text: &str) -> Turn {
        Turn {
            from: from.into(),
            text: text.into(),
            age_band: None,
        }
    }

    #[test]
    fn phrases_find_stages_in_several_languages() {
        assert!(phrase_stages("Don't tell your mum ok?").contains(&Stage::Secrecy));
        assert!(phrase_stages("¿Cuántos años tienes?").contains(&Stage::AgeProbe));
        assert!(phrase_stages("tes parents sont à la maison ?").contains(&Stage::RiskAssessment));
        assert!(phrase_stages("добавь меня в телеграм").contains(&Stage::PlatformMove));
        assert!(phrase_stages("see you at practice").is_empty());
    }

    #[test]
    fn reported_words_are_told_apart() {
        assert!(reports_someone_else(
            "he said dont tell anyone bc people wont understand"
        ));
        assert!(reports_someone_else("ele disse que era segredo"));
        assert!(!reports_someone_else(
            "dont tell anyone, people wont understand"
        ));
    }

    #[test]
    fn category_slots_match_the_names() {
        use crate::CATEGORIES;
        assert_eq!(CATEGORIES[SOLICITATION], "sexual_solicitation");
        assert_eq!(CATEGORIES[GROOMING], "grooming_tactics");
        assert_eq!(CATEGORIES[SEXTORTION], "sextortion");
        assert_eq!(CATEGORIES[PERSONAL_DATA], "personal_data");
    }

    #[test]
    fn minor_age_disclosures() {
        assert!(discloses_minor_age("12"));
        assert!(discloses_minor_age("im 13 lol"));
        assert!(discloses_minor_age("7th"));
        assert!(!discloses_minor_age(
            "we won 12 to 3 in the final yesterday"
        ));
        assert!(!discloses_minor_age("im 34"));
        assert!(discloses_minor_age(
            "for a competition, our school team. im in year 7"
        ));
        assert!(discloses_minor_age("estou no 7º ano e odeio matematica"));
        assert!(discloses_minor_age("я в 7 классе, а что"));
        assert!(!discloses_minor_age(
            "The grade 2 exam is in May too, I'll send you the entry form"
        ));
    }

    #[test]
    fn grooming_course_alerts_once_and_state_has_no_text() {
        let classifier = TextClassifier::new();
        let mut tracker = ConversationTracker::new();
        tracker.set_age_band("kid", AgeBand::Child);
        let script = [
            ("stranger", "hey nice drawings, how old are you?"),
            ("kid", "12"),
            ("stranger", "you are so mature for your age"),
            ("kid", "thanks"),
            (
                "stranger",
                "are your parents home? dont tell them we talk, its our secret",
            ),
            ("stranger", "add me on snap and send me a pic"),
        ];
        let mut alerts = 0;
        for (i, (from, text)) in script.iter().enumerate() {
            let a = tracker.push_turn(&classifier, &turn(from, text), 1_000 + i as i64);
            alerts += a.alert as u32;
        }
        assert_eq!(alerts, 1);
        assert!(tracker.alert_turn.is_some_and(|t| t <= 4));
        let json = serde_json::to_string(&tracker).unwrap();
        assert!(!json.contains("secret") && !json.contains("stranger"));
        let back: ConversationTracker = serde_json::from_str(&json).unwrap();
        assert_eq!(back, tracker);
    }

    #[test]
    fn friends_chatting_do_not_alert_and_state_expires() {
        let classifier = TextClassifier::new();
        let mut tracker = ConversationTracker::new();
        tracker.set_age_band("a", AgeBand::Teen);
        tracker.set_age_band("b", AgeBand::Teen);
        for (i, text) in [
            "gg that last round was insane",
            "ur so bad at this game lol",
            "add me on discord later",
            "cant, my mum wants me off at 9",
            "ok see u at school",
        ]
        .iter()
        .enumerate()
        {
            let from = if i % 2 == 0 { "a" } else { "b" };
            let a = tracker.push_turn(&classifier, &turn(from, text), 100);
            assert!(!a.alerted);
        }
        assert!(tracker.is_expired(100 + EXPIRY_SECONDS + 1));
        tracker.push_turn(&classifier, &turn("a", "hi"), 100 + EXPIRY_SECONDS + 1);
        assert_eq!(tracker.turns, 1);
    }
}
