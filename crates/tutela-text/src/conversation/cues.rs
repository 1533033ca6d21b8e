//! The cues a turn's words show, in the 7 languages: the tactics (stages) by phrase lists, a
//! family title, a guardian mention, reported speech and a disclosed minor age. Phrase lists are
//! matched at word starts of the normalised text, so "photo" also matches "photos".

use super::Stage;
use crate::normalize::{Normalized, normalize};
use crate::trie::TermTrie;
use std::sync::OnceLock;

/// A turn's text, normalised once and read once for every cue below.
pub(super) struct CueText {
    normalized: Normalized,
    /// Which phrase lists the text holds, one bit per trie id.
    phrase_groups: u16,
}

impl CueText {
    pub(super) fn new(text: &str) -> CueText {
        let normalized = normalize(text);
        let trie = phrase_trie();
        let s = normalized.text.as_bytes();
        let mut phrase_groups = 0u16;
        for token in &normalized.tokens {
            let start = token.start as usize;
            let after_clitic = normalized
                .token_text(token)
                .chars()
                .next()
                .filter(|&c| is_joined_clitic(c))
                .map(|c| start + c.len_utf8());
            for at in std::iter::once(start).chain(after_clitic) {
                trie.walk(s, at, |id| phrase_groups |= 1 << id);
            }
        }
        CueText {
            normalized,
            phrase_groups,
        }
    }

    pub(super) fn normalized(&self) -> &Normalized {
        &self.normalized
    }

    /// Words of the normalised text, emoji left out.
    pub(super) fn word_count(&self) -> usize {
        self.normalized.tokens.iter().filter(|t| !t.symbol).count()
    }

    fn words(&self) -> Vec<&str> {
        self.normalized
            .tokens
            .iter()
            .map(|t| self.normalized.token_text(t))
            .collect()
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

/// Does the message address someone with a family title?
pub(super) fn addresses_family(text: &CueText) -> bool {
    static TITLES: OnceLock<Vec<String>> = OnceLock::new();
    let titles = TITLES.get_or_init(|| FAMILY_TITLES.iter().map(|t| normalize(t).text).collect());
    text.words()
        .iter()
        .any(|word| titles.iter().any(|title| title == word))
}

/// Words for parents, guardians or "anyone": the people secrecy is kept from.
const GUARDIANS: &[&str] = &[
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

/// Reported speech ("he said ...", "some guy messaged me"): a child telling a friend about a
/// stranger quotes the stranger's tactics, which are not the sender's.
const REPORTED_SPEECH: &[&str] = &[
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

/// Trie ids beyond the stages' (which are their [`Stage`] indices).
const GUARDIAN_ID: u16 = 12;
const REPORTED_ID: u16 = 13;

/// Every phrase list in one trie over normalised text, so a turn is read in one walk per word.
fn phrase_trie() -> &'static TermTrie {
    static TRIE: OnceLock<TermTrie> = OnceLock::new();
    TRIE.get_or_init(|| {
        let lists = PHRASES
            .iter()
            .map(|(stage, phrases)| (stage.index() as u16, *phrases))
            .chain([(GUARDIAN_ID, GUARDIANS), (REPORTED_ID, REPORTED_SPEECH)]);
        let mut terms = Vec::new();
        for (id, phrases) in lists {
            for phrase in phrases {
                let normalized = normalize(phrase).text;
                if !normalized.is_empty() {
                    terms.push((normalized, id, false));
                }
            }
        }
        TermTrie::build(&terms)
    })
}

/// The one-letter Arabic clitics (wa-, fa-, bi-, li-, ka-) written joined to the next word: a
/// phrase may also start right after one.
fn is_joined_clitic(c: char) -> bool {
    matches!(c, 'و' | 'ف' | 'ب' | 'ل' | 'ك')
}

/// The stages a message's words show (phrase lists only; the tracker adds the model's view).
pub(super) fn phrase_stages(text: &CueText) -> Vec<Stage> {
    PHRASES
        .iter()
        .map(|(stage, _)| *stage)
        .filter(|stage| text.phrase_groups & 1 << stage.index() != 0)
        .collect()
}

/// Does the message report what someone else said or did?
pub(super) fn reports_someone_else(text: &CueText) -> bool {
    text.phrase_groups & 1 << REPORTED_ID != 0
}

/// Does the message mention parents, guardians or "anyone"?
pub(super) fn mentions_guardian(text: &CueText) -> bool {
    text.phrase_groups & 1 << GUARDIAN_ID != 0
}

/// Does this message state that its sender is a minor ("12", "im 13", "tengo 12", "7th")?
pub(super) fn discloses_minor_age(text: &CueText) -> bool {
    let words = text.words();
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

#[cfg(test)]
mod tests {
    use super::*;

    fn stages_of(text: &str) -> Vec<Stage> {
        phrase_stages(&CueText::new(text))
    }

    fn minor_age(text: &str) -> bool {
        discloses_minor_age(&CueText::new(text))
    }

    fn reported(text: &str) -> bool {
        reports_someone_else(&CueText::new(text))
    }

    #[test]
    fn phrases_find_stages_in_several_languages() {
        assert!(stages_of("Don't tell your mum ok?").contains(&Stage::Secrecy));
        assert!(stages_of("¿Cuántos años tienes?").contains(&Stage::AgeProbe));
        assert!(stages_of("tes parents sont à la maison ?").contains(&Stage::RiskAssessment));
        assert!(stages_of("добавь меня в телеграм").contains(&Stage::PlatformMove));
        assert!(stages_of("see you at practice").is_empty());
    }

    #[test]
    fn reported_words_are_told_apart() {
        assert!(reported(
            "he said dont tell anyone bc people wont understand"
        ));
        assert!(reported("ele disse que era segredo"));
        assert!(!reported("dont tell anyone, people wont understand"));
    }

    #[test]
    fn minor_age_disclosures() {
        assert!(minor_age("12"));
        assert!(minor_age("im 13 lol"));
        assert!(minor_age("7th"));
        assert!(!minor_age("we won 12 to 3 in the final yesterday"));
        assert!(!minor_age("im 34"));
        assert!(minor_age(
            "for a competition, our school team. im in year 7"
        ));
        assert!(minor_age("estou no 7º ano e odeio matematica"));
        assert!(minor_age("я в 7 классе, а что"));
        assert!(!minor_age(
            "The grade 2 exam is in May too, I'll send you the entry form"
        ));
    }
}
