//! Nudges: a short plain-words prompt for a child, in the 8 languages of the reporting pages, with
//! the label of a help link (the platform or the helplines directory supplies the link itself).

use crate::Classification;
use serde::{Deserialize, Serialize};

/// The languages every nudge is written in. Others fall back to English.
pub const LANGUAGES: [&str; 8] = ["ar", "zh", "en", "fr", "ru", "es", "pt", "de"];

/// When a nudge applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NudgeKind {
    /// The child is about to share personal data (address, phone, school, location, passwords).
    PersonalData,
    /// The child has just received a risky message (solicitation, grooming, bullying, scams...).
    RiskyMessageReceived,
    /// The child wrote about hurting themselves, or received encouragement to.
    SelfHarmHelp,
    /// The child is being threatened with their images being shared.
    SextortionHelp,
}

impl NudgeKind {
    pub const ALL: [NudgeKind; 4] = [
        NudgeKind::PersonalData,
        NudgeKind::RiskyMessageReceived,
        NudgeKind::SelfHarmHelp,
        NudgeKind::SextortionHelp,
    ];
}

/// A nudge ready to show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Nudge {
    pub kind: NudgeKind,
    /// The language actually used (the requested one, or `en`).
    pub lang: &'static str,
    pub message: &'static str,
    pub help_label: &'static str,
}

/// The nudge of `kind` in `lang` (a BCP-47 tag; its primary subtag is used, English otherwise).
pub fn nudge(kind: NudgeKind, lang: &str) -> Nudge {
    let primary = lang
        .split(['-', '_'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    let lang = LANGUAGES
        .iter()
        .copied()
        .find(|l| *l == primary)
        .unwrap_or("en");
    let (message, help_label) =
        text(kind, lang).unwrap_or_else(|| text(kind, "en").unwrap_or(("", "")));
    Nudge {
        kind,
        lang,
        message,
        help_label,
    }
}

/// Which nudge applies to a classified message, if any. `sender_is_child` is true when the child
/// wrote the message (about to send it) and false when the child received it.
pub fn nudge_for(classification: &Classification, sender_is_child: bool) -> Option<NudgeKind> {
    let has = |c: &str| classification.has(c);
    if has("self_harm") {
        return Some(NudgeKind::SelfHarmHelp);
    }
    if sender_is_child {
        // What the child writes: only their own data is theirs to hold back.
        return has("personal_data").then_some(NudgeKind::PersonalData);
    }
    if has("sextortion") {
        return Some(NudgeKind::SextortionHelp);
    }
    (!classification.labels.is_empty()).then_some(NudgeKind::RiskyMessageReceived)
}

fn text(kind: NudgeKind, lang: &str) -> Option<(&'static str, &'static str)> {
    use NudgeKind::*;
    Some(match (kind, lang) {
        (PersonalData, "en") => (
            "This shares where you live, your number or other private details. Only send it to people you know in real life.",
            "Staying safe online",
        ),
        (PersonalData, "fr") => (
            "Ce message donne ton adresse, ton numéro ou d'autres infos privées. Envoie-le seulement à des gens que tu connais en vrai.",
            "Rester en sécurité en ligne",
        ),
        (PersonalData, "es") => (
            "Este mensaje comparte dónde vives, tu número u otros datos privados. Envíalo solo a personas que conoces en persona.",
            "Cómo estar seguro en internet",
        ),
        (PersonalData, "pt") => (
            "Esta mensagem mostra onde você mora, seu número ou outros dados pessoais. Envie só para pessoas que você conhece de verdade.",
            "Como ficar seguro na internet",
        ),
        (PersonalData, "de") => (
            "Hier verrätst du, wo du wohnst, deine Nummer oder andere private Dinge. Schick das nur Leuten, die du wirklich kennst.",
            "Sicher im Netz",
        ),
        (PersonalData, "ru") => (
            "Здесь твой адрес, номер или другие личные данные. Отправляй это только тем, кого знаешь в жизни.",
            "Как быть в безопасности в сети",
        ),
        (PersonalData, "ar") => (
            "هذه الرسالة فيها عنوانك أو رقمك أو معلومات خاصة. أرسلها فقط لأشخاص تعرفهم في الحقيقة.",
            "كيف تبقى آمنًا على الإنترنت",
        ),
        (PersonalData, "zh") => (
            "这条消息会透露你的住址、电话或其他私人信息。只发给你在现实中认识的人。",
            "网上安全小知识",
        ),
        (RiskyMessageReceived, "en") => (
            "This message could be risky. You don't have to reply. You can block, report, or show a grown-up you trust.",
            "Get help",
        ),
        (RiskyMessageReceived, "fr") => (
            "Ce message peut être dangereux. Tu n'es pas obligé de répondre. Tu peux bloquer, signaler, ou le montrer à un adulte de confiance.",
            "Trouver de l'aide",
        ),
        (RiskyMessageReceived, "es") => (
            "Este mensaje puede ser peligroso. No tienes que responder. Puedes bloquear, denunciar o enseñárselo a un adulto de confianza.",
            "Pedir ayuda",
        ),
        (RiskyMessageReceived, "pt") => (
            "Esta mensagem pode ser perigosa. Você não precisa responder. Pode bloquear, denunciar ou mostrar a um adulto de confiança.",
            "Pedir ajuda",
        ),
        (RiskyMessageReceived, "de") => (
            "Diese Nachricht könnte gefährlich sein. Du musst nicht antworten. Du kannst blockieren, melden oder sie einem Erwachsenen zeigen, dem du vertraust.",
            "Hilfe holen",
        ),
        (RiskyMessageReceived, "ru") => (
            "Это сообщение может быть опасным. Можно не отвечать. Заблокируй, пожалуйся или покажи взрослому, которому доверяешь.",
            "Получить помощь",
        ),
        (RiskyMessageReceived, "ar") => (
            "هذه الرسالة قد تكون خطيرة. لست مضطرًا للرد. يمكنك الحظر أو الإبلاغ أو إظهارها لشخص كبير تثق به.",
            "اطلب المساعدة",
        ),
        (RiskyMessageReceived, "zh") => (
            "这条消息可能有危险。你不必回复。你可以拉黑、举报，或者给你信任的大人看。",
            "寻求帮助",
        ),
        (SelfHarmHelp, "en") => (
            "It sounds like things are really hard right now. You are not alone. Talking to someone can help, any time.",
            "Talk to someone now",
        ),
        (SelfHarmHelp, "fr") => (
            "On dirait que c'est vraiment dur en ce moment. Tu n'es pas seul. En parler à quelqu'un peut aider, à tout moment.",
            "Parler à quelqu'un maintenant",
        ),
        (SelfHarmHelp, "es") => (
            "Parece que ahora mismo todo es muy difícil. No estás solo. Hablar con alguien puede ayudar, a cualquier hora.",
            "Hablar con alguien ahora",
        ),
        (SelfHarmHelp, "pt") => (
            "Parece que as coisas estão muito difíceis agora. Você não está sozinho. Conversar com alguém pode ajudar, a qualquer hora.",
            "Conversar com alguém agora",
        ),
        (SelfHarmHelp, "de") => (
            "Es klingt, als wäre gerade alles sehr schwer. Du bist nicht allein. Mit jemandem zu reden kann helfen, jederzeit.",
            "Jetzt mit jemandem reden",
        ),
        (SelfHarmHelp, "ru") => (
            "Похоже, сейчас тебе очень тяжело. Ты не один. Поговорить с кем-то может помочь, в любое время.",
            "Поговорить с кем-то сейчас",
        ),
        (SelfHarmHelp, "ar") => (
            "يبدو أن الأمور صعبة جدًا الآن. أنت لست وحدك. الكلام مع أحد يمكن أن يساعد، في أي وقت.",
            "تحدث مع أحد الآن",
        ),
        (SelfHarmHelp, "zh") => (
            "听起来你现在真的很难受。你并不孤单。随时找人聊聊会有帮助。",
            "现在找人聊聊",
        ),
        (SextortionHelp, "en") => (
            "Someone threatening to share your pictures is a crime, and it is not your fault. Don't pay and don't send more. Get help to have them taken down.",
            "Get help now",
        ),
        (SextortionHelp, "fr") => (
            "Menacer de partager tes photos est un crime, et ce n'est pas ta faute. Ne paie pas et n'envoie rien de plus. On peut t'aider à les faire retirer.",
            "Trouver de l'aide maintenant",
        ),
        (SextortionHelp, "es") => (
            "Amenazar con compartir tus fotos es un delito, y no es tu culpa. No pagues ni envíes nada más. Pide ayuda para que las borren.",
            "Pedir ayuda ahora",
        ),
        (SextortionHelp, "pt") => (
            "Ameaçar divulgar suas fotos é crime, e a culpa não é sua. Não pague e não mande mais nada. Peça ajuda para tirar as fotos do ar.",
            "Pedir ajuda agora",
        ),
        (SextortionHelp, "de") => (
            "Dir zu drohen, deine Bilder zu verbreiten, ist eine Straftat, und es ist nicht deine Schuld. Zahl nichts und schick nichts mehr. Hol dir Hilfe, damit sie gelöscht werden.",
            "Jetzt Hilfe holen",
        ),
        (SextortionHelp, "ru") => (
            "Угрожать разослать твои фото — это преступление, и ты не виноват. Не плати и больше ничего не отправляй. Тебе помогут их удалить.",
            "Получить помощь сейчас",
        ),
        (SextortionHelp, "ar") => (
            "التهديد بنشر صورك جريمة، وهذا ليس ذنبك. لا تدفع ولا ترسل المزيد. اطلب المساعدة لحذفها.",
            "اطلب المساعدة الآن",
        ),
        (SextortionHelp, "zh") => (
            "威胁要传播你的照片是犯罪，这不是你的错。不要付钱，也不要再发任何东西。寻求帮助把照片删掉。",
            "立即寻求帮助",
        ),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Classification, Scores};

    #[test]
    fn every_kind_has_every_language() {
        for kind in NudgeKind::ALL {
            for lang in LANGUAGES {
                let n = nudge(kind, lang);
                assert_eq!(n.lang, lang, "{kind:?} {lang}");
                assert!(text(kind, lang).is_some(), "{kind:?} has no {lang} text");
                assert!(!n.message.is_empty() && !n.help_label.is_empty());
            }
        }
    }

    #[test]
    fn unknown_languages_fall_back_to_english() {
        assert_eq!(nudge(NudgeKind::PersonalData, "it").lang, "en");
        assert_eq!(nudge(NudgeKind::PersonalData, "pt-BR").lang, "pt");
        assert_eq!(nudge(NudgeKind::PersonalData, "").lang, "en");
    }

    fn labelled(labels: Vec<&'static str>) -> Classification {
        Classification {
            lang: None,
            scores: Scores::default(),
            labels,
            spans: vec![],
        }
    }

    #[test]
    fn when_nudges_apply() {
        assert_eq!(
            nudge_for(&labelled(vec!["personal_data"]), true),
            Some(NudgeKind::PersonalData)
        );
        assert_eq!(nudge_for(&labelled(vec!["bullying"]), true), None);
        assert_eq!(
            nudge_for(&labelled(vec!["self_harm"]), true),
            Some(NudgeKind::SelfHarmHelp)
        );
        assert_eq!(
            nudge_for(&labelled(vec!["sextortion"]), false),
            Some(NudgeKind::SextortionHelp)
        );
        assert_eq!(
            nudge_for(&labelled(vec!["personal_data"]), false),
            Some(NudgeKind::RiskyMessageReceived)
        );
        assert_eq!(nudge_for(&labelled(vec![]), false), None);
    }
}
