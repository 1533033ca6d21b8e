//! Concept lexicons: hand-written word stems and phrases per concept, in the 7 languages,
//! matched at word starts on normalised text. A concept hit becomes a model feature, and so does
//! each pair of concepts in one message ("image" with "threat", "secret" with "parents"): these
//! features are shared by every message that uses the concept, whatever its exact wording, which
//! is what lets a model trained on a few thousand messages score wording it never saw.
//!
//! Terms are stems: `photo` also matches `photos`. A term ending in `$` must end a word.

use crate::normalize::{Normalized, normalize};
use std::sync::OnceLock;

/// (concept, terms separated by `|`).
pub const CONCEPTS: &[(&str, &str)] = &[
    (
        "image",
        "pic|pics|photo|foto|selfie|nude|video|vid$|cam$|cams$|webcam|camera|camara|caméra|kamera|bild|фот|видео|селфи|камер|صور|سيلفي|فيديو|كاميرا|كام$|snap of|clip$|кружок|recording|film u|film you|mirror|espejo|miroir|espelho|spiegel|зеркал|المرايه|photograph|snapshot|picture|footage|livestream|live stream|filming|film yourself|film urself|record yourself|record urself|show me|let me see|lemme see|nudie|imagen|grabate|grabacion|grabar|muestrame|ensename|pasame una|mandame una|selfi$|image$|images$|tof$|film toi|filme toi|montre moi|envoie une|envoie moi une|imagem|imagens|filma|grava um|gravar|me mostra|mostra pra mim|manda uma|aufnahme|zeig mir|zeig dich|film dich|schick mir ein|nacktbild|nacktfoto|сфот|видос|видюх|кружоч|снимок|снимк|скрин|покажи|покажись|сними себя|нюдс|голые фот|запиши видео|запиши кружок|تصوير|اتصوري|اتصور|صوري$|سكرين|سكرين شوت|كاميرت|وريني|فرجيني|ورني$|مقطع فيديو|مقاطع|لقطه|بث مباشر",
    ),
    (
        "body",
        "bikini|underwear|bra$|pyjama|pijama|pjs|swimsuit|maillot|biquini|biquíni|calcinha|sous-vetement|unterwasche|schlafanzug|ropa interior|shower|ducha|douche|banho|dusche|in bed|en la cama|au lit|na cama|im bett|body|cuerpo|corps|corpo|korper|less clothes|less on|undress|naked|sin ropa|without your top|купальник|бель|пижам|душ|кроват|тело|переодева|مايوه|هدوم|السرير|جسمك|بتغيري|الحمام|lips|legs|figure|leotard|collant|gym kit|pe kit|uniform|uniforme|sleep in|wear to bed|duermes|dors avec|dorme com|schlafst du|спишь|بتنامي|اندروير|اندر وير|lingerie|knickers|panties|boxers|nightie|nightdress|towel|bath$|bathtub|changing room|getting changed|get changed|take off ur|take off your|take it off|shirt off|top off|thigh|chest|waist|belly|tummy|curves|sports bra|lenceria|bragas|tanga|sujetador|toalla|banera|desnud|quitate|sin camiseta|piernas|muslos|pecho|cintura|barriga|cambiandote|vestuario|sous vetement|culotte|soutien gorge|string$|serviette|baignoire|nue$|toute nue|a poil|enleve|retire ton|sans haut|cuisses|poitrine|ventre|jambes|vestiaire|te changes|sutia|toalha|banheira|pelad|tira a roupa|tira a blusa|sem blusa|sem camisa|coxas|peito|pernas|cueca|vestiario|se trocando|nua$|unterhose|slip$|bh$|dessous|handtuch|badewanne|nackt|ausziehen|zieh dich aus|zieh das aus|oberteil|oben ohne|oberschenkel|brust|bauch|beine|umkleide|umziehen|badeanzug|трусик|трусы$|трусах|трусов$|лифчик|лифон|бюстгальтер|голая|голой|голую|голые|голым|голышом|раздень|раздевайся|разденься|раздева|сними кофт|сними футболк|без одежд|ванн|полотенц|ножки|бедр|грудь|груди|талии|талия|фигур|животик|постел|ночнушк|ملابس داخليه|لانجري|بدون هدوم|من غير هدوم|عريان|عريانه|اقلعي|قلعي|شلحي|اشلحي|فسخي|افسخي|منشفه|فوطه|البانيو|سرير|سريرك|رجليكي|صدرك|بطنك|وسطك|جسم$|لبسك|لابسه ايه|شو لابسه|ايش لابسه|بتلبسي ايه|بيجامه|بجامه|شورت|بكيني|تيشرت|قميص نوم|بتستحمي|تتحممي|استحمام|دش$|دوش$",
    ),
    (
        "sexual",
        "sexy|s3xy|sexi|hot for|so hot|virgin|kiss|dirty|naughty|sext|nudes|horny|turn me on|bes|beij|embrass|kuss|секс|целова|горяч|сексуальн|بوس|مزه|gostosa|bonne|buena|heiß|heiss|guapa|mona$|рос|naughtiest|naughty|secret girlfriend|secret gf|heimliche freundin|novia secreta|copine secrete|namorada secreta|тайная девушка|too old for|demasiado mayor|trop vieux|velho demais|zu alt fur|слишком стар|special people|gens speciaux|cock$|пошлост|пошлые|пошлое|пошлый|пошлая|نيك$|نيكك|boobs|tits|titties|dick|pussy|sex$|sexual|touch you|touch urself|touch yourself|make out|hook up|hookup|lewd|nsfw|onlyfans|thirst trap|spicy pic|be my girlfriend|be my gf|sexo|tetas|culo|polla|verga|caliente|cachond|follar|tocarte|tocarme|besarte|morbo|mamacita|sexe|sexuel|seins|chatte|baiser|baise|coquin|chaude$|te toucher|bisou|calin|nichon|peitos|peitinho|bunda|buceta|tesao|tesuda|safad|gostoso|transar|te tocar|putaria|excitad|sexuell|titten|muschi|schwanz|geil|scharf|versaut|knutschen|anfassen|beruhren|fummeln|bussi|сиськ|попк|трах|потрах|возбужд|интим|голенькая|поцел|чмок|шалун|развратн|хочу тебя|ласкат|سكس|جنسي$|جنسيا|جنس$|احضنك|حضني|ابوسك|بوسني|مثيره|سخنه|شهوه|عشيقه|حبيبه سريه|صاحبه سريه|بزاز|طيز",
    ),
    (
        "minor",
        "kid$|kids$|child|12 year|13 year|11 year|#kidage|year 7|year 8|primary school|school girl|schoolgirl|your age|ur age|tu edad|ton age|sua idade|dein alter|твой возраст|своего возраста|سنك|novinha|little girl|young girl|young boy|collegienne|семиклассниц|siebtklass|teen|underage|minor|menor|mineur|малолет|قاصر|14 year|15 year|10 year|9 year|year 9|year 6|middle school|6th grade|7th grade|8th grade|too young|so young|how old are you|how old r u|how old are u|asl$|age is just a number|nina$|nino$|chiquita|pequena|cuantos anos tienes|que edad tienes|12 anos|13 anos|14 anos|11 anos|secundaria|adolescente|jovencita|menor de edad|quel age|12 ans|13 ans|14 ans|11 ans|petite fille|gamine|gamin$|enfant|ado$|ados$|adolescent|sixieme|cinquieme|mineure|quantos anos|crianca|menina|menino|novinho|pirralha|de menor|sexto ano|setimo ano|ensino fundamental|wie alt bist|12 jahre|13 jahre|14 jahre|11 jahre|kinder|kleines madchen|madchen|jugendlich|minderjahrig|grundschul|sechste klasse|siebte klasse|achte klasse|сколько тебе лет|сколько лет|12 лет|13 лет|14 лет|11 лет|ребен|детк|девочк|мальчик|школьниц|школьник|несовершеннолетн|подрост|малявк|в каком классе|7 класс|6 класс|8 класс|семиклас|шестиклас|восьмиклас|عندك كام سنه|عمرك كام|كم عمرك|قديش عمرك|كم سنك|سنك كام|طفل|طفله|اطفال|بنوته|صغننه|بنت صغيره|ولد صغير|لسه صغيره|مراهق|ابتدائي|اعدادي|12 سنه|13 سنه|14 سنه",
    ),
    (
        "flattery",
        "cute|pretty|beautiful|gorgeous|mature|grown up|special|perfect|smart|talent|guap|linda|lindo|mona|belle|jolie|mignon|madur|bonit|gata|hubsch|süß|suss|schön|schon|reif|красив|взросл|умн|особен|حلوه|جميل|ناضج|شاطر|look older|seem older|so grown|stunning|lovely|adorable|angel|babe$|sweetie|princess|mature for your age|wise beyond|not like other girls|not like the others|i understand you|only one who gets|only one who understands|hermosa|preciosa|bella$|princesa|carino|mi amor|especial|inteligente|te entiendo|no como las demas|mas madura|magnifique|canon$|princesse|cherie|intelligente|pas comme les autres|je te comprends|plus mature|gatinha|maravilhosa|lindinh|fofa|fofinha|diferente das outras|te entendo|wunderschon|prinzessin|engel|klug|intelligent|erwachsen|nicht wie die anderen|ich versteh dich|siehst alter aus|красотк|красавиц|милая|милаш|миленьк|симпатичн|прелест|принцесс|зайк|солнышко|малышк|не такая как все|понимаю тебя|выглядишь старше|классная|шикарн|идеальн|قمر$|قمرايه|يا قمر|زي القمر|كيوت|اموره|حبوبه|ناضجه|مميزه|مختلفه عن|عقلك كبير|فاهماني|بفهمك|احلي بنت|ملاك|اميره|جميلتي|كتير حلوه|مره حلوه|اكبر من سنك|كبيره عن سنك",
    ),
    (
        "secret",
        "secret|secreto|segredo|geheim|секрет|سر$|between us|entre nous|entre nosotros|entre nos|unter uns|между нами|بيني وبينك|dont tell|don t tell|not tell|no le digas|no se lo digas|ne dis|ne le dis|nao conta|nao fala|sag niemand|sag es nicht|не говори|никому|متقول|ماتقول|nobody needs to know|no one needs to know|nadie tiene que saber|ninguem precisa|niemand muss|никто не должен|محدش|delete|borra|efface|supprime|apaga|losch|удали|امسح|keep it quiet|hide it|hidden|esconde|cache|versteck|спрячь|خبي|if anyone asks|si alguien pregunta|si quelqu un demande|se alguem perguntar|wenn jemand fragt|если спросят|لو حد سألك|say im ur|nobody else gets|nobody else|just for u and me|just for you and me|dont say where|never know|wont notice|сотри|erase|tell no one|tell nobody|no one can know|nobody can know|no one will know|nobody will know|promise not|our little|vanish mode|disappearing messages|on the down low|keep it to yourself|keep this to yourself|keep it private|wouldnt understand|wouldn t understand|they wont understand|delete this|delete the chat|no digas nada|no le cuentes|no se lo cuentes|no cuentes|queda entre|nadie se tiene que enterar|no se tiene que enterar|nadie lo sabra|elimina|guardalo|calladit|no lo entenderian|dis rien|dis a personne|personne doit savoir|personne ne doit|reste entre|garde le pour toi|garde ca pour toi|ils comprendraient pas|motus|nao fale|nao conte|ninguem pode saber|ninguem vai saber|fica entre|entre a gente|guarda pra voce|apague|deleta|deletar|eles nao entenderiam|sag keinem|sags keinem|erzahl niemand|erzahl keinem|erzahl das nicht|niemand darf|bleibt unter|behalte es|verheimlich|wurden es nicht verstehen|wurden das nicht verstehen|тайн|не рассказывай|никому не|не скажешь|не расскажешь|никто не узнает|удаляй|стирай|почисти переписк|скрой|скрывай|не поймут|только между|سرنا|سري$|سريه|بينا وبس|خليها بينا|خليه بينا|خليها سر|بيناتنا|بيننا|ما تقول|ما تقولي|لا تقول|لا تقولي|لا تقولين|لا تخبر|ما تخبري|ماتخبري|ماتحكي|ما تحكي|متحكيش|لا تحكي|محدش يعرف|ما حدا يعرف|ماحدا يعرف|محد يدري|محد يعرف|ما احد يدري|لا احد يعرف|احذف|احذفي|امسحي|اخفي|مش هيفهموا|ما رح يفهموا|ما راح يفهمون",
    ),
    (
        "parents",
        "mum|mom|mam|mother|dad|father|parent|padre|madre|mama|papa|parents|mere|pere|pais|mae|pai|eltern|mutter|vater|mutti|родител|мам|пап|اهل|ماما|بابا|ابوك|امك|family|familia|famille|familie|семь|عيل|mummy|mommy|daddy|stepdad|stepmum|stepmom|guardian|foster parent|folks$|my old man|mami$|papi$|padrastro|madrastra|tus viejos|daron|beau pere|belle mere|tes vieux|tuteur|padrasto|madrasta|responsavel|responsaveis|vati|stiefvater|stiefmutter|erziehungsberechtigt|deine alten|мать$|матери|отец|отца|отцу|отчим|мачех|предк|батя|бате|батю|опекун|маман|мамк|ابويا|ابوي$|ابوكي|امي$|امكي|والدك$|والدتك|والديك|والدي$|والدتي|والدين$|الوالد|اسرتك|اسرتي|اهالي|عيلتك",
    ),
    (
        "alone",
        "alone|by yourself|on your own|sola|solo$|seule|seul$|sozinh|allein|один|одна|لوحد|home alone|anyone home|anyone else|parents home|parents in|padres estan|parents sont|pais estao|pais ficam|eltern zu hause|родители дома|اهلك في البيت|asleep|dormid|dorment|dormindo|schlafen|спят|نايم|nobody home|no one home|nobody around|no one around|empty house|house to yourself|parents away|parents gone|parents asleep|everyone asleep|in your room|in ur room|lock the door|lock your door|estas sola|estas solo|sola en casa|solito|solita|nadie en casa|tus padres duermen|en tu cuarto|cierra la puerta|cierra con llave|toute seule|personne chez toi|personne a la maison|dans ta chambre|ferme la porte|ferme a cle|tes parents dorment|ninguem em casa|ninguem ai|no seu quarto|tranca a porta|seus pais dormem|niemand zu hause|keiner zu hause|keiner da|in deinem zimmer|schliess die tur|sturmfrei|одна дома|один дома|никого дома|никого нет|никого рядом|в своей комнате|закрой дверь|запрись|родителей нет|предков нет|хата свободна|свободная хата|لحالك|لحالي|بروحك|بروحي|وحدك|وحيده|حد عندك|حد معاك|مين معاك|مين عندك|مين في البيت|حد في البيت|احد عندك|اهلك نايمين|في اوضتك|بغرفتك|في غرفتك|اقفلي الباب|قفلي الباب|سكري الباب|اهلك برا|اهلك بره",
    ),
    (
        "platform",
        "snap|telegram|whatsapp|discord|kik|insta|dm me|private chat|private room|other app|other account|another app|my number|otra app|otra cuenta|autre appli|autre compte|outro app|outro perfil|zap$|andere app|zweitaccount|телег|ватсап|другое прилож|другом аккаунт|тележ|تليجرام|واتس|سناب|ابلكيشن|الاكونت التاني|video call|videollamada|appel video|chamada|videoanruf|видеозвон|فيديو كول|facetime|add me|agregame|ajoute moi|me adiciona|adde mich|добавь меня|ضيفني|pm me|dms$|finsta|alt account|burner account|signal app|on signal|viber|wickr|threema|skype|omegle|yubo|private message|por privado|al privado|por md|md$|wasap|wsp|guasap|escribeme al|hablamos por|cuenta secundaria|en prive|en mp|mp moi|viens en mp|ecris moi sur|parle moi sur|rajoute moi|compte secondaire|double compte|no privado|no pv|chama no pv|pv$|me chama no|wpp|zapzap|me add|outra conta|conta fake|ligacao de video|chamada de video|schreib mir privat|privatchat|per pn|pn$|zweitkonto|fake account|fakeaccount|schreib mir auf|meld dich auf|тг$|в тг|в телеге|вацап|вотсап|ватс|вайбер|дискорд|инстаграм|инсту$|инсте$|инста$|снап|в лс|лс$|в личку|личк|пиши в|напиши в|второй аккаунт|фейк|скайп|видеосвяз|созвон|تيليجرام|تلغرام|تلجرام|واتساب|انستا|انستجرام|ديسكورد|دسكورد|تيك توك|عالخاص|ع الخاص|على الخاص|في الخاص|بالخاص|تعالي خاص|كلميني خاص|اضيفك|حساب تاني|اكونت تاني|حساب ثاني|فيس تايم|كول فيديو|مكالمه فيديو|اتصال فيديو|سكايب|برايفت|بريفت",
    ),
    (
        "gift",
        "robux|vbucks|v bucks|gift card|giftcard|skins|free stuff|buy you|get you a|send you a|new phone|airpods|tarjeta regalo|te compro|te regalo|carte cadeau|je t offre|cartao presente|te dou|vou te dar|gutschein|kauf dir|schenk dir|подар|куплю тебе|робукс|هدي|شحن|هجيبلك|هشتريلك|pavos|diamantes|diamonds|gems|гемы|gift$|gifts$|buy u|get u a|send u a|spoil you|spoil u|pocket money|battle pass|nitro|steam card|itunes|psn card|xbox card|minecoins|uc$|regalo|regalito|paysafe|saldo|pase de batalla|monedas|gemas|cadeau|je t achete|je te paie|pass de combat|recharge|presente|presentinho|passe de batalha|moedas|skin$|geschenk|kauf ich dir|ich kauf dir|spendier|guthaben|aufladen|munzen|задонат|донат|скины|скин$|голда|голду|гемов|алмаз|баттл пасс|пополню|закину тебе|кину тебе|деньги на телефон|هديتك|اشحنلك|هشحنلك|بشحنلك|جواهر|جيمز|شدات|كوينز|روبوكس|فيبوكس|بطاقه ايتونز|بطاقه جوجل|كارت شحن|رصيد|اجيبلك|بجيبلك|رح جيبلك|اشتريلك|بشتريلك|اشتري لك|بعطيك|هديك$",
    ),
    (
        "meet",
        "meet|pick you up|pick u up|come get you|come over|come alone|come round|just us|quedamos|nos vemos|te recojo|on se voit|je viens te chercher|rien que nous|a gente se encontra|te busco|so nos dois|treffen|hol dich ab|nur wir zwei|встретимся|заберу|вдвоем|نتقابل|هعدي عليك|لوحدك|احنا الاتنين|hang out|hangout|meet up|meetup|link up|in person|irl$|in real life|come to mine|my place|my car|get in the car|sleepover|stay over|visit you|come see you|come see u|drive to you|a date|vernos|verte$|conocernos|en persona|quedar$|quedemos|paso por ti|te paso a buscar|ven a mi casa|mi coche|mi carro|salir conmigo|juntarnos|se voir$|te voir$|se rencontrer|en vrai|viens chez moi|je passe te prendre|ma voiture|rendez vous|rdv$|sortir avec moi|on se capte|se capter|se ver$|te ver$|nos ver$|nos encontrar|se encontrar|encontro|pessoalmente|vem pra minha casa|passo ai|meu carro|sair comigo|uns sehen|dich sehen|personlich|im echten leben|komm zu mir|zu mir nach hause|ich hol dich|abholen|mein auto|verabreden|treff|встрет|встреч|увидимся|увидеться|погуляем|погулять|приходи ко мне|приезжай|приеду|заеду|подвезу|в реале|вживую|ко мне домой|свидани|نتلاقي|نلتقي|نشوف بعض|اشوفك|اقابلك|قابليني|تعالي عندي|تعالي البيت|اجيلك|اجي اخدك|بعدي عليك|اعدي عليك|اوصلك|عربيتي|سيارتي|نطلع سوا|نطلع مع بعض|نخرج سوا|نتمشي|موعد|لقاء|مكان هادي|لحالنا|انا وانت بس|بس احنا",
    ),
    (
        "threat",
        "upload|uploading|go viral|goes viral|viral|tag ur|tag your|tagged|group chat|screenshots|subo|subir|etiqueto|se hace viral|je poste|je balance|balancer|tague|viraliz|marco|vou postar|vazar|vaza|markier|lade hoch|hochladen|geht viral|выложу в|солью|сливаю|отмечу|разошлю всем|هنزلها|هفضحك|فضيحه|هنشرها|or i|or ill|or else|or everyone|everyone will see|everyone sees|all your followers|leak|expose|post them|post it|send them to|send it to|share them|o lo|o se las|o las envio|todos van a ver|ou je|sinon|tout le monde va voir|ou eu|todo mundo vai ver|sonst|alle werden sehen|sehen es alle|или отправлю|иначе|все увидят|выложу|разошлю|والا|الكل هيشوف|هنشر|هبعتها|publico|publie|posto|poste|if u dont|if you dont|unless|si no pagas|si tu paies pas|se vc nao|wenn du nicht|если не|exposure|deepfake|deep fake|fake video|ya le mande|next one goes|la proxima|the old ones|go out|goes out|already sent|on my list|ur church|your church|i know ur|i know your|ou ta famille|recoit tout|recebe tudo|post your|post ur|send to your|send to ur|tell everyone|show everyone|show your parents|ruin you|ruin your life|ruin ur life|your life is over|ur life is over|i have your|i have ur|ive got your|i ve got your|ill share|i ll share|i will share|ill post|i ll post|i will post|make public|go public|everyone at school|ur followers|your followers|sextortion|screenshot|te voy a exponer|exponer|te expongo|funar|te funo|lo subo|las subo|las publico|publicar|difundir|difundo|se lo mando a|a tus padres|arruinar|te hundo|escrachar|filtrar|filtro tus|montaje|video falso|je vais poster|publier|diffuser|je diffuse|je les envoie|a tes parents|je vais te balancer|tout le monde saura|je t affiche|te afficher|ruiner ta vie|ta vie est finie|fuiter|montage|fausse video|vou expor|te expor|expor voce|exposed|vou vazar|divulgar|espalhar|espalho|pros seus pais|pra sua mae|todo mundo vai saber|acabar com sua vida|queimar seu filme|montagem|ich poste|posten|veroffentlich|verbreite|verschicke|schick ich an|an deine eltern|jeder wird es sehen|alle werden es wissen|dein leben ist vorbei|blossstellen|leaken|fotomontage|gefalschtes video|выложить|слить|слив$|опубликую|опубликовать|отправлю твоим|покажу всем|отправлю родителям|родителям отправлю|все узнают|опозорю|позор|шантаж|скину всем|разослать|распространю|в интернет|в сеть|дипфейк|дип фейк|монтаж|фейковое видео|انشر|بنشر|رح انشر|راح انشر|حنشر|بنزل صورك|انزل صورك|انزلها|افضحك|بفضحك|رح افضحك|راح افضحك|فضحتك|هفضح|فضايح|ابعتها لاهلك|ابعتها لابوك|ببعتها|رح ابعت|راح ارسل|ارسلها|هخلي الكل يشوف|الكل رح يشوف|الكل راح يشوف|كل الناس هتشوف|هخرب بيتك|هدمر حياتك|ادمر حياتك|ابتزاز|هسربها|اسربها|بسربها|تتسرب|هتندم|رح تندم|راح تندم|حتندم|ديب فيك|ديبفيك|فيك فيديو|مفبركه|فبركه|صور متركبه",
    ),
    (
        "deadline",
        "24 hours|24h|hours|2 hours|midnight|tonight|last chance|final warning|deadline|next hour|horas|heures|stunden|часа|час$|ساعه|ساعات|until|till|hasta|jusqu|ate as|bis heute|до вечера|لحد|1 hour|one hour|an hour|30 min|10 min|minutes|mins$|by tomorrow|by tonight|before midnight|end of the day|clock is ticking|times up|time is running|running out of time|asap|countdown|⏰|⏳|minutos|hoy mismo|ahora mismo|antes de medianoche|esta noche|ya mismo|date prisa|apurate|ultima oportunidad|se acaba el tiempo|tienes hasta|ce soir|avant minuit|derniere chance|tout de suite|depeche|grouille|t as jusqu|tu as jusqu|le temps presse|hoje ainda|hoje a noite|meia noite|agora mesmo|ultima chance|tem ate|o tempo ta acabando|minuten|heute noch|heute abend|mitternacht|letzte chance|sofort|beeil dich|du hast bis|die zeit lauft|минут|сегодня же|до полуночи|полноч|до утра|до завтра|последний шанс|последнее предупреждение|срочно|немедленно|сейчас же|время пошло|часов$|ساعتين|دقايق|دقائق|الليله|قبل نص الليل|نص الليل|منتصف الليل|اخر فرصه|فرصه اخيره|اخر تحذير|حالا|فورا|قبل بكره|لبكره|مهله|معاك لحد|عندك لحد|الوقت بيخلص",
    ),
    (
        "payment",
        "pay|paid|money|cash|transfer|bank|card details|bitcoin|crypto|£|\\$|euro|dollar|quid|pago|paga|pagar|dinero|pasta|paie|argent|virement|pagu|dinheiro|grana|pix|reais|zahl|geld|uberweis|плати|заплат|перевед|денег|деньг|рубл|ادفع|فلوس|حول|جنيه|fee|fees|upfront|paypal|deposit|withdraw|unlock|processing fee|agency fee|top up|recarga|recharge|send money|send me money|venmo|cashapp|cash app|zelle|revolut|western union|moneygram|wire transfer|sort code|account number|iban|usdt|btc$|wallet|payment|invoice|transferencia|transfiere|bizum|deposita|deposito|efectivo|cuenta bancaria|plata$|euros|dolares|paysafecard|tarjeta|mercado pago|yape|nequi|envia dinero|manda dinero|paye|payer|paiement|thune|fric|oseille|balles$|lydia|paylib|carte bancaire|rib$|pagamento|transfere|boleto|chave pix|conta bancaria|dindin|bufunfa|cartao|bezahl|kohle|knete|paysafe|psc$|konto|оплат|переводом|перевод на карт|скинь на карт|на карту|сбер|киви|юмани|бабк|бабл|лаве$|косар|тыщ|долларов|евро$|задаток|предоплат|скинь денег|скинь деньги|تدفع|تدفعي|ادفعي|بتدفع|هتدفع|دفع$|مصاري|مصريات|بيزات|تحويل|حولي الفلوس|فودافون كاش|اورنج كاش|انستاباي|ويسترن يونيون|باي بال|بطاقه ائتمان|فيزا|كريدت كارد|رقم الحساب|ايبان|بيتكوين|دولار|ريال|دينار|درهم|ليره|ابعتي فلوس|ابعت فلوس|ارسلي فلوس|مبلغ",
    ),
    (
        "self_harm",
        "no reason to live|not be here|not being here|better off dead|sin razon para vivir|no quiero estar aqui|pas de raison de vivre|plus etre la|sem motivo pra viver|nao quero estar aqui|keinen grund zu leben|nicht mehr hier sein|нет смысла жить|не хочу быть здесь|مفيش سبب اعيش|مش عايز اكون هنا|goodbye forever|adios para siempre|adieu pour toujours|adeus pra sempre|fur immer tschuss|прощайте навсегда|مع السلامه للابد|die$|dying to|want to die|wanna die|kill myself|end it|end my life|suicid|hurt myself|hurting myself|harm myself|self harm|cut myself|cutting|not wake up|disappear|goodbye letter|goodbye note|better off without me|burden|worthless|no point|cant go on|can t go on|cant cope|morir|morirme|matarme|hacerme dano|cortarme|desaparecer|no puedo mas|mourir|disparaitre|me scarifier|me faire du mal|j en peux plus|morrer|sumir|me cortando|me machuc|nao aguento|sterben|verschwinden|mich ritzen|verletze mich|kann nicht mehr|умереть|исчезнуть|режу себя|больно себе|причиняю себе|не могу больше|больше не могу|اموت|اختفي|اأذي نفسي|بجرح نفسي|مش قادر|wish i was dead|hate myself|hate my life|ways to end|end everything|acabar con todo|acabar com tudo|en finir|alles beenden|покончить|blade|razor|cuchilla|lame$|lamina|klinge|лезвие|موس|tried last year|tried before|intente|j ai essaye|tentei|versucht|пыталась|пытался|حاولت|taking up space|ocupando espacio|prendre de la place|ocupando espaco|platz wegnehmen|место занимаю|last message|ultimo mensaje|dernier message|ultima mensagem|letzte nachricht|последнее сообщение|اخر رساله|deserve pain|merezco|merite|mereco|verdiene|заслуживаю|استاهل|took a bunch|too many pills|trop de cachets|remedios demais|zu viele tabletten|таблеток|حبوب كتير|end my own life|take my own life|take my life|ending it|end it all|kms$|suicidal|unalive|unaliving|selfharm|slit|overdose|noose|hang myself|jump off|jump in front|dont want to live|don t want to live|dont want to be alive|no will to live|tired of living|tired of life|want to disappear|sleep forever|never wake up|nobody would miss|no one would miss|nobody would care|better without me|quitarme la vida|suicidarme|me quiero morir|no quiero vivir|me corto|autolesion|sobredosis|acabar con mi vida|no valgo nada|nadie me extranaria|estarian mejor sin mi|ahorcarme|tirarme|dormir para siempre|no aguanto mas|harta de vivir|cansada de vivir|cansado de vivir|me tuer|mettre fin a mes jours|plus envie de vivre|envie de mourir|me couper|scarif|automutil|surdose|me pendre|personne me regretterait|mieux sans moi|je sers a rien|marre de vivre|fatiguee de vivre|me matar|tirar minha vida|nao quero mais viver|me cortar|me enforcar|ninguem sentiria falta|melhor sem mim|cansada de viver|cansado de viver|acabar com minha vida|me ferir|mich umbringen|mir das leben nehmen|selbstmord|suizid|nicht mehr leben|will sterben|ritzen|selbstverletz|uberdosis|mich aufhangen|niemand wurde mich vermissen|besser ohne mich|lebensmude|покончу с собой|убить себя|убью себя|суицид|самоубийств|не хочу жить|жить не хочу|хочу сдохнуть|порезы|порезать себя|резать вены|вскрыть вены|вены$|селфхарм|самоповрежд|передоз|повеситься|повешусь|спрыгнуть|с крыши|никто не заметит|никто не будет скучать|лучше без меня|устала жить|устал жить|надоело жить|не хочу просыпаться|заснуть и не проснуться|انتحر|انتحار|هنتحر|بنتحر|رح انتحر|راح انتحر|اقتل نفسي|هقتل نفسي|بقتل نفسي|اموت نفسي|هموت نفسي|اخلص من حياتي|اخلص علي نفسي|انهي حياتي|هنهي حياتي|انهاء حياتي|انهي كل شي|عايز اموت|عايزه اموت|بدي موت|بدي اموت|ابي اموت|ابغي اموت|نفسي اموت|اتمني الموت|اتمني اموت|نفسي اختفي|عايزه اختفي|عايز اختفي|بدي اختفي|ابي اختفي|باذي نفسي|اذي نفسي|هاذي نفسي|اذيت نفسي|اجرح نفسي|جرحت نفسي|اقطع ايدي|اقطع عروقي|عروقي|شرايني|تعبت من الحياه|زهقت من الحياه|زهقت من حياتي|مليت من الحياه|مليت من حياتي|كرهت حياتي|بكره حياتي|اكره حياتي|ماليش لازمه|مالي لازمه|محدش هيفتقدني|ما حد رح يفتقدني|هيرتاحوا مني|ارتاحوا مني|عبء|اخد حبوب|بلعت حبوب|اشنق نفسي|ارمي نفسي|مش عايز اعيش|مش عايزه اعيش|ما بدي عيش|ما ابي اعيش|ما ابغي اعيش|الموت ارحم|رسالتي الاخيره",
    ),
    (
        "kys",
        "kys|kill yourself|kill urself|go die|just die|end it already|do it already|matate|mátate|suicidate|suicide toi|va crever|se mata|vai morrer|bring dich um|stirb|убей себя|сдохни|موت نفسك|روح موت|do everyone a favour|kill ur self|go kill yourself|neck yourself|neck urself|rope yourself|unalive yourself|drink bleach|hang yourself|slit your wrists|nobody would miss you|no one would miss you|die in a hole|world would be better without you|world is better without you|muerete|ahorcate|tirate de un puente|nadie te extranaria|ojala te mueras|vete a morir|el mundo estaria mejor sin ti|tue toi|va mourir|creve$|pends toi|personne te regretterait|j espere que tu meurs|le monde serait mieux sans toi|vai se matar|morre$|morra$|se enforca|ninguem vai sentir sua falta|tomara que morra|o mundo seria melhor sem voce|bringt euch um|hang dich auf|geh sterben|niemand wurde dich vermissen|verreck|krepier|die welt ware besser ohne dich|убейся|сдохнешь|иди сдохни|повесься|вскройся|выпились|чтоб ты сдох|умри$|мир был бы лучше без тебя|موتي$|روحي موتي|روح انتحر|روحي انتحري|انتحري|اقتل نفسك|اقتلي نفسك|موتي نفسك|اشنق نفسك|ياريت تموت|ياريتك تموت|يارب تموت|الله ياخدك|تموت وتريحنا|ريحنا منك|احسن من غيرك",
    ),
    (
        "eating",
        "eat|food|meal|dinner|breakfast|thin|thinspo|ana$|fast|starv|purge|calorie|weight|kg$|comer|comas|cena|delgada|manger|mange|repas|mince|comer|jantar|magra|essen|abendessen|dunn|ест|еду|ужин|худ|اكل|العشا|تخس|laxative|diet|meanspo|ana buddy|pro ana|ed buddy|purge|proof|prueba|preuve|prova|beweis|пруф|рвот|vomit|vomir|kotzen|ترجيع|fork|tenedor|fourchette|garfo|gabel|вилк|bite|bocado|bouchee|mordida|bissen|кусок|binge eat|binge and purge|اخس$|skip meals|skip dinner|skip lunch|not eating|didnt eat|fasting|cals$|kcal|bmi$|thigh gap|collarbones|weigh in|scales|lbs$|throw up|throwing up|purging|skinny|lose weight|water fast|goal weight|no comer|sin comer|ayuno|ayunar|calorias|kilos|pesarme|bascula|vomitar|atracon|flaca|adelgazar|bajar de peso|purgar|dieta|laxante|pas manger|jeuner|calories|peser|maigrir|maigre|regime|laxatif|boulimie|anorexie|nao comer|jejum|quilos|balanca|emagrecer|magrinha|compulsao|anorexia|bulimia|nicht essen|fasten|kalorien|wiegen|waage|erbrechen|abnehmen|diat|abfuhrmittel|fressattacke|magersucht|bulimie|не ешь|не есть|голодать|голодовк|калори|ккал|кило$|весы|взвес|похуд|сбросить вес|диет|блев|стошни|слабительн|анорекс|булими|кожа да кости|жрать|жрешь|ماكلتش|ما اكلت|مش باكل|بطلت اكل|صيام|صايمه|رجيم|دايت|سعرات|كالوري|كيلو$|وزن|وزني|الميزان|استفرغ|استفراغ|ارجع الاكل|اتقيا|مسهل|ملين|انحف|نحيفه|رفيعه|هيكل عظمي|بوليميا|انوركسيا|تنحفي|تنزلي وزن|نزل وزن",
    ),
    (
        "insult",
        "ugly|fat$|fatty|loser|stupid|idiot|freak|pathetic|weird|cringe|dumb|useless|worthless|trash|smell|stink|baby$|fea$|feo$|gorda|gordo|rara$|raro$|pringad|tont|moche|gros$|grosse|nul$|nulle|bouffon|bizarre|feia|feio|esquisit|otario|hassl|fett|opfer|peinlich|komisch|страшн|жирн|лох|урод|тупо|وحش|تخين|فاشل|غريب|عبيط|poor|cheap|dirty|🤡|чмо|нищ|poor$|pobre|pauvre|فقير|dumbo|ears|clown|payaso|palhaco|клоун|مهرج|pig|cerdo|porc|porco|schwein|свинья|خنزير|monkey|singe|macaco|affe|обезьян|قرد|potato|joke|retard|moron|fatso|whale|slut|whore|bitch|hoe$|simp$|nerd|weirdo|psycho|creep|fugly|smelly|noob|bozo|dork|twat|dickhead|prick|wanker|shut up|stfu|idiota|estupid|imbecil|subnormal|retrasad|perdedor|fracasad|zorra|cerda|ballena|callate|apestas|huele mal|marica|pendejo|boludo|gilipollas|friki|bicho raro|debile|abruti|connard|conne$|salope|baleine|laide|boloss|cassos|cas social|ferme la|ta gueule|tu pues|puant|naze|clochard|tapette|gogol|attarde|burro|burra|retardad|nojent|baleia|baranga|vadia|piranha|fedid|cala a boca|fracassad|viado|trouxa|dumm|blod|behindert|spast|missgeburt|lappen|versager|fettsack|schlampe|nutte|stinkst|halt die fresse|halts maul|fresse|schwuchtel|wichser|hurensohn|penner|asozial|lauch|дура|дурак|идиот|дебил|имбецил|шлюх|сука|тварь|мразь|лошар|неудачни|нищеброд|вонюч|воняешь|заткнись|толстух|корова|позорище|никчемн|бомж|кринж|чучело|ботан|очкарик|غبي|غبيه|اغبي|حمار|حماره|بقره|كلب$|كلبه|يا كلب|حيوان$|حيوانه|قذر|قذره|وسخ|وسخه|ريحتك|معفن|معفنه|قبيح|قبيحه|بشعه|بشع$|شرموط|قحبه|عاهره|متخلف|متخلفه|اهبل|هبله|تافه|تافهه|فاشله|اسكت|اخرس|اخرسي|انطم|انطمي|سمينه|دبه|مسخره|ماتسوي|ما تسوي|فقيره|شحات|حقير|حقيره|جحش|نكره|لوزر|كرينج",
    ),
    (
        "exclusion",
        "nobody likes|no one likes|nobody wants|no one wants|everyone hates|whole class|all of us|dont come|don t come|dont let|don t invite|sit with|go away|move schools|no friends|nadie te quiere|nadie quiere|toda la clase|no vengas|personne t aime|personne veut|toute la classe|viens pas|ninguem gosta|a turma toda|nem vem|keiner mag|niemand will|die ganze klasse|komm nicht|никто не любит|весь класс|не приходи|محدش بيحبك|الفصل كله|متجيش|laugh at|laughs at|se rien|se moque|ri de|lacht|смеются|بيضحك|leave the voice|leave the vc|salgan del|quittez le|saiam da|verlasst den|выходите из|اطلعوا من|unfollow|dejen de seguir|desabonnez|deixem de seguir|entfolgt|отпишитесь|not invited|no estas invitad|pas invite|nao foi convidad|nicht eingeladen|не приглаш|مش معزوم|nobody pick|no one pick|not welcome|no one invited you|nobody invited you|kick her|kick him|remove her|remove him|block her|block him|dont talk to her|dont talk to him|ignore her|ignore him|left out|loner|friendless|sit alone|eat alone|you dont belong|you don t belong|ur not one of us|no te queremos|nadie te invito|sacala del grupo|sacalo del grupo|echala|echalo|bloqueala|ignorala|ignorenla|no le hablen|no hablen con|sin amigos|no tienes amigos|no perteneces|largate|nadie se junta|no te juntes|on veut pas de toi|personne veut de toi|degage|casse toi|virez la|virez le|bloquez la|ignorez la|lui parlez pas|t as pas d amis|pas d amis|personne te parle|ninguem te quer|sai daqui|some daqui|tira ela do grupo|tira ele do grupo|expulsa|bloqueia ela|ignora ela|ninguem fala com|sem amigos|nao tem amigos|ninguem te convidou|niemand will dich|keiner will dich|hau ab|verpiss dich|schmeisst sie raus|schmeiss sie raus|kickt sie|blockiert sie|ignoriert sie|redet nicht mit|keine freunde|gehorst nicht dazu|никто тебя не любит|никому не нужн|уходи|вали отсюда|свали|кикни|кикните|выгоните|удалите ее|удалите его|заблокируйте|игнорьте|игнорируйте|не общайтесь|не разговаривайте с|бойкот|нет друзей|изгой|محدش عايزك|محدش طايقك|ما حدا بيحبك|ما حدا بدو ياك|محد يبيك|محد يحبك|مش عايزينك|ما بدنا ياك|ما نبيك|امشي من هنا|اطلعي برا|اطلع برا|اطلعي من الجروب|طلعوها من الجروب|طلعوه من الجروب|شيلوها من الجروب|اطردوها|اطردوه|اعملوا بلوك|اعملولها بلوك|بلكوها|تجاهلوها|تجاهلوه|متكلموهاش|محدش يكلمها|محدش يكلمه|ما حدا يحكي معها|لا تكلمونها|ملكيش صحاب|مالكش صحاب|ما عندك صحاب|ما عندك اصحاب|انتي مش مننا|انت مش مننا|منبوذ|الكل بيكرهك|كلنا بنكرهك|الكل يكرهك",
    ),
    (
        "violence",
        "beat you|beat u|get you after|get u after|after school|hurt you|hurt u|smash|punch|you re dead|ur dead|finished|make your life hell|make ur life hell|te vamos a pegar|a la salida|on va te frapper|a la sortie|te pega|vamos te bater|na saida|aufs maul|nach der schule|побьем|после школы|هنضربك|بره المدرسه|watch what happens|see what happens|veras lo que pasa|tu vas voir ce qui|vai ver o que acontece|siehst was passiert|увидишь что будет|هتشوف هيحصلك ايه|ur legs|your legs|tus piernas|tes jambes|suas pernas|deine beine|ноги|رجلك|stab$|stabbed|stabbing|stab you|stab u|kill you|gonna kill|ill kill|i ll kill|shank|jump you|jump u|beat up|break your|break ur|fight you|fight u|square up|ill find you|i ll find you|know where you live|know where u live|slap|put you in hospital|smack|te voy a matar|te mato|te voy a pegar|te pego|te parto|te reviento|paliza|apunalar|te espero a la salida|se donde vives|te rompo|pegarte|je vais te tuer|je te tue|je vais te frapper|te frapper|te defoncer|je te defonce|casser la gueule|te planter|je te plante|tabasser|je t attends|je sais ou tu habites|te claquer|vou te matar|vou te bater|te bater|te quebrar|quebrar a cara|porrada|surra|te furar|esfaquear|te espero na saida|sei onde voce mora|sei onde vc mora|espancar|vai apanhar|ich bring dich um|bringe dich um|ich schlag dich|verprugel|abstechen|ich mach dich kalt|ich warte auf dich|weiss wo du wohnst|auf die fresse|klatsch dich|убью|убьем|прибью|побью|изобью|избить|наваляю|набью морду|морду набью|зарежу|пырну|поймаю|жди после|знаю где ты живешь|знаю где живешь|урою|закопаю|размажу|тебе конец|ты труп|покалечу|هضربك|بضربك|اضربك|رح اضربك|راح اضربك|حضربك|هموتك|بموتك|اموتك|رح اموتك|هقتلك|بقتلك|اقتلك|رح اقتلك|راح اقتلك|حقتلك|هكسرلك|بكسرلك|اكسر راسك|اكسر وشك|هطعنك|اطعنك|بطعنك|هدبحك|ادبحك|اذبحك|هستناك|بستناك|استناك برا|عارف بيتك|عارف ساكن فين|بعرف وين ساكن|هعلم عليك|علقه موت|هفرمك|هفشخك|انت ميت|انتي ميته",
    ),
    (
        "group",
        "immigrant|foreigner|refugee|migrant|muslim|jew|christian|hindu|gay|gays|lesbian|trans$|trans people|women|girls are|black people|asian|white people|gypsies|travellers|roma$|mexican|disabled|autistic|our race|those people|these people|inmigrante|extranjero|moros|gitano|musulm|judio|negros|mujeres|immigre|etranger|arabe|juif|noirs|femmes|imigrante|estrangeiro|nordestino|judeus|mulheres|auslander|fluchtling|schwul|lesben|frauen|juden|schwarzen|мигрант|приезж|чурк|гей|евре|черн|женщин|لاجئ|اجانب|سودان|سوري|مثلي|شواذ|يهود|مسيحي|السود|الستات|atheist|ateo|athee|ateu|атеист|ملحد|ukrainian|ucranian|ukrainien|ukrainer|украин|pakis|p4kis|paki$|sudaca|хач|понаех|shia|shiite|chiit|xiita|schiit|шиит|الشيعه|السنه|down syndrome|sindrome de down|trisomique|down syndrom|даун|منغولي|polish|poles$|romanian|somali|nigerian|gitan|cigan|zigeun|цыган|غجر|infidel|kuffar|kafir|كفار|groomers|жид$|жиды|жидов|жидам|нигер$|нигеры|нигеров|blacks$|arabs|africans|illegals|illegal aliens|invaders|feminists|lgbt|queers|faggot|fags$|tranny|trannies|dyke|retards|spastic|spaz|wetback|chink|nigger|nigga|kike|towelhead|gyppo|pikey|femoids|foids|panchito|indios|negrata|maricones|bolleras|tortillera|travelo|minusvalido|retrasados|mongolos|feminazi|menas$|ilegales|invasores|rebeu|beur$|bougnoule|negre|renoi|feuj|refugies|roms$|handicape|autiste|pedes|gouine|chinetoque|bridés|feministes|chretiens|refugiado|baiano|paraiba|macumbeiro|crente|muculmano|sapatao|traveco|deficiente|retardado|autista|ciganos|haitiano|muslime|moslem|islam|kanake|kanacken|neger|nafri|turken|araber|migranten|asylant|behinderte|transen|homos|christen|asiaten|schlitzauge|weiber|негр|узбек|таджик|кавказ|хохл|хохол|москал|пиндос|мусульман|христиан|бабы$|феминист|инвалид|аутист|педик|пидор|пидар|лгбт|трансы|лесбиянк|нерусск|беженц|азиат|китаез|черномаз|кацап|النصاري|نصراني|الاقباط|قبطي|الروافض|رافضي|النواصب|الدروز|درزي|العلويين|الاكراد|كردي|الافارقه|افارقه|عبيد|الفلسطينيين|الهنود|البنغال|بنغالي|الاثيوبيين|حبشي|المثليين|خول$|الخولات|المعاقين|معاق|المعوقين|متوحد|البدو|الصعايده|النسوان|الحريم|المهاجرين|مهاجر|الملاحده",
    ),
    (
        "dehumanise",
        "animal|vermin|rat$|rats$|cockroach|parasite|subhuman|inferior|disgusting|filth|sick$|mentally ill|go back|kicked out|should leave|breed|replace us|terrorist|criminal|thieves|belong in the kitchen|in the kitchen|animales|inferior|parasito|asqueros|basura|ladron|deberian irse|a la cocina|animaux|parasite|degoutant|dechet|voleur|dehors|a la cuisine|animais|parasita|nojent|lixo|ladroe|na cozinha|tiere|minderwertig|ekelhaft|abschaum|in die kuche|животн|низш|паразит|мерзк|мусор|на кухне|حيوانات|طفيليات|زباله|حراميه|مقرف|المطبخ|shouldn t exist|should not exist|no deberian existir|nao deviam existir|beggars|mendigos|mendiants|bettler|попрошайк|شحاتين|cancer|krebs|рак$|سرطان|aliens|extraterrestres|ausserirdische|пришельц|كائنات|cursed|malditos|maudits|verflucht|прокляты|ملاعين|no morals|sin moral|sans morale|sem moral|keine moral|без морали|go home|vete a tu pais|rentrez chez|volta pra sua terra|geht nach hause|валите домой|ارجعوا بلدكم|our country|nuestro pais|notre pays|nosso pais|unser land|наша страна|بلدنا|expelled|wiped out|выгнать|يتطردوا|roaches|pests|plague|infestation|invasion|invading|savages|barbarians|scum|deport|send them back|exterminate|wipe them out|not human|less than human|degenerates|rapists|breeding like|great replacement|ratas|cucarachas|alimanas|plaga|subhumanos|escoria|lacra|chusma|criminales|terroristas|delincuentes|deportarlos|exterminar|no son personas|no son humanos|a fregar|vermine|cafards|sous hommes|racaille|ordures|criminels|terroristes|renvoyer|expulser|exterminer|eradiquer|pas des humains|retourne dans ton pays|grand remplacement|vermes|ratos|baratas|sub humanos|subumanos|praga|bandidos|expulsar|lugar de mulher|nao sao gente|nao sao humanos|ungeziefer|ratten|kakerlaken|parasit|untermenschen|dreck|gesindel|seuche|verbrecher|diebe|terroristen|abschieben|ausrotten|vernichten|gehoren nicht hierher|haben hier nichts verloren|keine menschen|an den herd|скот$|скотина|быдло|крыс|тарака|нелюд|недочелов|выродк|отброс|зараза|чума|преступник|ворье|террорист|пусть валят|вышвырнуть|истребить|уничтожить|зачистить|им не место|на кухню|место женщины|не люди|حيوان$|بهايم|كلاب$|حشرات|صراصير|جرذان|فيران|قرود|خنازير|وباء|نجسين|انجاس|نجس$|حثاله|وساخه|دون البشر|مش بني ادمين|مش بشر|اقل من البشر|يستاهلوا الموت|لازم يتطردوا|لازم يرحلوا|يرجعوا بلدهم|يطلعوا من البلد|غزو|ارهابيين|ارهابي|مجرمين|لصوص|مكانها المطبخ|مكانك المطبخ|يتبادوا|ابادتهم|امسحوهم",
    ),
    (
        "movement",
        "movement|cause$|brotherhood|brothers|soldier|fighter|war$|holy war|race war|patriot|caliphate|martyr|true believers|the chosen|join us|join the|lions|movimiento|la causa|hermandad|guerrer|soldado|unete|mouvement|fraternite|combattant|rejoins|movimento|irmandade|junte se|bewegung|bruderschaft|kampfer|schliess dich|движени|братств|боец|солдат|вступай|الحركه|القضيه|الاخوه|جنود|انضم|training for|preparing for|serve$|cell$|celula|cellule|zelle|ячейк|خليه|unit$|unidad|unite|unidade|einheit|отряд|militia|milicia|milice|miliz|ополчен|ميليشيا|pmc|чвк|private military|ops$|missions|operaciones|operations|operacoes|operationen|операци|عمليات|defence unit|defense unit|duty to|replaced|invaded|rise up|fight back|kuffar|punish|jihad|mujahid|khilafah|ummah|brothers in arms|our brothers|white race|white genocide|remigration|reconquista|lone wolf|national socialis|aryan|enlist|recruits|training camp|warriors|crusade|defend our|our people|take back|race traitor|hermanos$|guerra$|guerra santa|guerra racial|califato|martir|yihad|unirte|unete a|forma parte|nuestra causa|combatientes|resistencia|raza blanca|infieles|camaradas|la lucha|soldat|guerre$|guerre sainte|guerre raciale|califat|djihad|oumma|rejoindre|nos freres|resistance|reconquete|soulevez vous|mecreants|irmaos|califado|se junta|faca parte|nossa causa|combatentes|raca branca|infieis|krieg$|heiliger krieg|rassenkrieg|kalifat|martyrer|dschihad|umma$|volksgemeinschaft|arisch|weisse rasse|widerstand|mach mit|werde teil|kameraden|kamerad|kampf$|kampfen|wehrt euch|tag x|umvolkung|bevolkerungsaustausch|бойц|вступить|присоединяйся|присоединись|наши братья|джихад|халифат|шахид|мученик|священная война|расовая война|белая раса|бригад|вагнер|подписать контракт|контракт на|воин|газават|правое дело|штурмов|جهاد|مجاهد|الخلافه|دوله الخلافه|الدوله الاسلاميه|داعش|استشهاد|شهيد|نصره|الطواغيت|طاغوت|المرتدين|مرتد|غزوه|بايع|مبايعه|انضم الينا|انضمي الينا|كون معنا|تعال معنا|النفير|ارض الجهاد|لواء|كتيبه|معسكر|الذئاب المنفرده|حرب مقدسه|حرب عرقيه",
    ),
    (
        "courier",
        "runner|run packages|drop|packages|parcels|bags|carry|deliver|county|lookout|look out|corner|stash|hold stuff|paquetes|mochilas|entregas|vigia|esquina|colis|sacs|livr|guet|pacote|mochila|aviao|olheiro|pakete|kurier|taschen|schmiere|закладк|посылк|курьер|шухер|شنط|يوصل|امانات|ناضورجي|الناصيه|hold the phone|hold the line|tienes el telefono|tiens le tel|segura o celular|haltst du das handy|держишь телефон|flat in town|piso en el centro|appart en ville|apartamento na cidade|wohnung in der stadt|квартира в городе|شقه في البلد|sell for a week|vender una semana|vendre une semaine|vender uma semana|торговать|ur nan|your nan|tu abuela|ta grand mere|sua avo|deine oma|твоя бабушка|تيتتك|easy money|quick money|fast cash|fast money|re up|trap house|trapping|county lines|going country|cuckoo|shotting|burner phone|hold this|hold it for|deliveries|drop off|package|mule$|mules|entregar|llevar un paquete|mercancia|encargo|recados|camello|dinero facil|pasta facil|trabajo facil|halcon|mulas|charbon|charbonner|planque|planquer|point de deal|rabatteur|bicrave|bicraver|marchandise|argent facile|thune facile|mercadoria|encomenda|biqueira|dinheiro facil|grana facil|trampo facil|vigiar|paket$|packchen|bunkern|ausliefern|lieferung|austragen|schmiere stehen|leichtes geld|schnelles geld|закладчик|клад$|клады|кладмен|на шухере|отнести|передать пакет|пакет$|пакеты|свертк|сверток|груз$|легкие деньги|легкий заработок|быстрые деньги|работа курьером|фасовк|фасовать|بضاعه|طرد$|طرود|باكيت|تسليم|استلام|مندوب|دليفري|شيل الحاجه|خبيلي|تخبيلي|نضورجي|فلوس سهله|شغل سهل|شغلانه سهله|مكسب سهل",
    ),
    (
        "gang",
        "gang|crew|the ends|roll with|protects its own|looks after its own|banda|bande|faccao|bonde|братв|банда|الشله|الجماعه|protect you|protege|protege|beschutz|защища|بتحمي|respect|postcode|codigo postal|code postal|postleitzahl|район|منطقتنا|ride with us|target$|objetivo|cible|alvo|мишень|هدف|olders|elders|mayores del barrio|les grands|os mais velhos|die grossen|старшие|الكبار|opps|opp$|op block|the block|our block|our area|our turf|turf$|hood$|mandem|man dem|youngers|loyalty|loyal$|snitch|drill$|beef$|ride for|ride out|postcode war|repping|initiation|jumped in|pandilla|clica|mi barrio|el barrio|nuestro barrio|territorio|respeto|lealtad|traidor|chivato|soplon|los mayores|proteccion|te protegemos|le quartier|notre quartier|la cite|ma cite|tiekar|tess$|loyaute|traitre|poucave|tu roules avec|quebrada|favela|morro|tropa|respeito|lealdade|traira|x9|caguete|protecao|unser block|kiez|ghetto|revier|respekt|loyal|verrater|ehrenmann|наш район|на районе|бригада|группировк|ауе$|оффники|офники|держим район|смотрящ|положенец|уважени|чушпан|пацанск|по понятиям|махач|العصابه|عصابه|عصابتنا|شلتنا|ولاد المنطقه|ولاد الحته|منطقتي|حارتنا|الحاره|ولاد الحي|بنحميك|نحميك|حمايه|احميك|احترام|هيبه|ولاء|خاين|الخيانه|كبير المنطقه|فتوه|بلطجي|بلطجيه|بلطجه",
    ),
    (
        "job",
        "job|work|modelling|modeling|model$|models|casting|agency|audition|photoshoot|hostess|dancer|massage|abroad|overseas|travel|flight|ticket|visa|across the border|papers|trabajo|modelo|agencia|extranjero|viaje|billete|vuelo|travail|mannequin|etranger|voyage|billet|boulot|trabalho|emprego|exterior|viagem|passagem|arbeit|ausland|reise|flug|работа|модел|агентств|границ|поездк|билет|شغل|موديلز|وكاله|بره البلد|تذكره|سفر|cam model|content creator|earn|brand ambassador|embajador|ambassadeur|embaixador|markenbotschafter|амбассадор|height|estatura|taille|altura|рост|الطول|scholarship|beca|bourse|bolsa de estudo|stipendium|стипенди|منحه|marriage|matrimonio|mariage|casamento|heirat|свадьб|брак|جواز|arranged|arreglado|arrange|arranjado|arrangiert|договорен|متفق عليه|begging|mendigar|mendier|pedir esmola|betteln|попрошайнич|شحاته|promo girls|yacht|nanny|au pair|nail bar|car wash|spend time with u|spend time with you|pasar tiempo contigo|passer du temps avec toi|passar tempo com vc|zeit mit dir|провести время с тобой|job offer|job opportunity|vacancy|hiring|paid well|well paid|good money|salary|wage$|earn up to|per hour|per week|escort|companion|waitress|cleaner|domestic work|housekeeper|passport|plane ticket|fly you|fly u|relocate|sponsor|sugar daddy|sugar baby|influencer|brand deal|paid collab|empleo|oferta de trabajo|chamba|curro|vacante|ganar dinero|sueldo|salario|bien pagado|sesion de fotos|azafata|bailarina|masaje|acompanante|pasaporte|ninera|empleada|casarte|patrocinador|emploi|offre d emploi|taf$|gagner de l argent|salaire|bien paye|mannequinat|hotesse|danseuse|passeport|nounou|femme de menage|epouser|influenceuse|vaga|oportunidade|ganhar dinheiro|ganhar grana|bem pago|ensaio|ensaio fotografico|recepcionista|dancarina|massagem|acompanhante|passaporte|empregada|faxina|casar$|jobangebot|nebenjob|verdienst|verdienen|gehalt|lohn$|modeln|fotoshooting|tanzerin|visum|reisepass|flugticket|kindermadchen|putzfrau|haushaltshilfe|heiraten|braut|работу|работе|работы|вакансия|вакансии|подработк|заработ|зарплат|зп$|высокая оплата|кастинг|фотосесси|хостес|танцовщиц|стриптиз|массаж|эскорт|за границ|за рубеж|в дубай|в турци|виза|визу|загранпаспорт|перелет|няня|сиделк|горничн|официантк|замуж|жених|невест|спонсор|папик|вебкам|блогер|وظيفه|وظايف|فرصه شغل|فرصه عمل|راتب|رواتب|فلوس كويسه|دخل عالي|عقد عمل|عقد شغل|مودل|موديل|عارضه|عارضه ازياء|اوديشن|كاستينج|فوتوسيشن|فوتو سيشن|جلسه تصوير|مضيفه|راقصه|رقص|مساج|تدليك|خارج البلد|تسافري|تسافر|فيزا|تاشيره|جواز سفر|طياره|اقامه|كفيل|كفاله|مربيه|خادمه|جليسه اطفال|عرض شغل|عرض عمل|زواج|عريس|عروسه|بعثه|بلوجر|انفلونسر|مشهوره",
    ),
    (
        "debt",
        "owe|owes|debt|pay back|pay us back|work it off|work off|passport|documents|id card|deben|deuda|devuelves|pasaporte|doivent|dette|rembours|passeport|papiers|devem|divida|devolve|passaporte|schulden|zuruckzahl|abarbeit|ausweis|должн|долг|отработ|паспорт|مديون|عليهم فلوس|تسدد|باسبور|البطاقه|you owe|u owe|owe us|owe me|debts|interest$|pay it off|work for us|take your passport|keep your passport|hold your passport|no papers|your papers|your documents|deport|immigration|cant leave|can t leave|not allowed to leave|travel costs|rent$|room and board|me debes|nos debes|intereses|documentos|papeles|deportar|deportad|no puedes irte|no te puedes ir|gastos del viaje|alquiler|multa|tu me dois|tu nous dois|interets|titre de sejour|expulse|expulsion|tu peux pas partir|frais de voyage|loyer|amende|voce deve|vc deve|me deve|nos deve|juros|nao pode sair|nao pode ir embora|custos da viagem|aluguel|schuldest|zinsen|reisepass|papiere|dokumente|abschieb|kannst nicht gehen|darfst nicht gehen|reisekosten|miete|strafe|отдашь|отдать долг|верни деньги|вернешь|проценты|документы|загранпаспорт|заберем паспорт|паспорт у нас|не отпустим|не уйдешь|депортир|миграционн|за дорогу|за жилье|штраф|عليكي فلوس|عليك فلوس|عليك دين|ديون|سلفه|قرض|تسددي|سداد|ترجعي الفلوس|ترجع الفلوس|ترجعيلي|تشتغلي لحد|تشتغل لحد|لازم تشتغلي|جواز سفرك|جوازك|باسبورك|اوراقك|ورقك|الهويه|هويتك|اقامتك|الكفيل|مصاريف السفر|تمن التذكره|تمن السفر|هنبلغ عنك|ترحيل|هترحل|مش هتمشي|ممنوع تخرجي|ما تقدري تمشي",
    ),
    (
        "drugs",
        "weed|bud$|xanax|pills|percs|vape|vapes|elf bar|disposable|nic pouch|nicotine|snus|alcohol|vodka|booze|shrooms|tabs|snow$|carts|coke|mdma|molly|plug$|menu|diet pills|fat burner|laxative|maria|hierba|pastillas|porros|vaper|pods|beuh|shit$|cachet|puff|vape|maconha|erva|bala$|pino$|pod$|gras|pillen|einweg|nikotin|травк|шишк|таблет|соль|вейп|одноразк|снюс|حشيش|بانجو|برشام|ترامادول|فيب|سجاير|شيشه|🍃|💊|🍄|❄|codeine|codeina|kodein|кодеин|كودايين|lean$|syrup|jarabe|sirop|xarope|sirup|сироп|شراب|space cake|edibles|gummies|gominolas|bonbons|gomas|fruchtgummi|мармелад|plug in|🔌|nos$|laughing gas|gas de la risa|gaz hilarant|gas do riso|lachgas|веселящий газ|poppers|fake id|dni falso|fausse carte|rg falso|gefalschter ausweis|поддельн|cannabis|marijuana|ganja|joint$|spliff|blunt$|dabs|thc|cbd|ket$|ketamine|cocaine|ecstasy|pingers|oxy$|oxycodone|fent$|fentanyl|lsd|nangs|whippets|stoned|drunk|beer$|cider|dealer|dispo$|elfbar|lost mary|geekbar|juul|porro$|canuto|hachis|marihuana|mota$|faso$|cocaina|farlopa|perico|tusi|keta$|ketamina|extasis|pirulas|setas|hongos|droga|camello|botellon|cubata|cerveza|birra|colocado|cachimba|shisha|herbe|joint|teuch|bedo|fumer|ecsta|taz$|champi|drogue|dealeur|alcool|biere|picoler|bourre$|vapoteuse|chicha|beck$|baseado|fumo$|prensado|skunk|haxixe|farinha|cogumelo|traficante|cachaca|cerveja|pinga|lolo|lanca perfume|ignite|narguile|chapado|chapada|brisado|doidao|kiffen|bubatz|hasch|koks|kokain|schnee|pilze|alkohol|alk$|saufen|bier$|schnaps|wodka|e zigarette|drogen|bekifft|besoffen|трава$|гашиш|гаш$|ганж|марихуан|каннабис|меф$|мефедрон|амфетамин|экстази|лсд|грибы|грибочки|спайс|кокс$|кокаин|героин|барыг|дилер|вещества|вещество|нарко|под кайфом|обдолбан|упорот|накур|курнуть|дунуть|бухло|бухать|бухнуть|выпивк|водк|пиво|алкогол|насвай|насвая|электронк|حشيشه|مخدرات|مخدر$|تعميره|سيجاره|سجاره|معسل|استروكس|فودو|شابو|كريستال|كوكايين|هيروين|حبوب$|كبتاجون|كبتاغون|ليريكا|بودره|بيره|خمره|خمر$|كحول|فودكا|ويسكي|سكران|مسطول|مبسطل|محشش|ديلر|جوينت|ماريجوانا|ماريوانا|مريوانا|قنب$",
    ),
    (
        "weapon",
        "knife|blade|zombie knife|taser|gun|strap$|piece$|navaja|pistola|arma|couteau|flingue|faca|messer|knarre|schreckschuss|нож|ствол|травмат|مطوه|سلاح|مسدس|brass knuckles|knuckle dusters|nudilleras|poing americain|soco ingles|schlagring|кастет|بوكس حديد|baton|porra|matraque|cassetete|schlagstock|дубинк|machete|machette|facao|мачете|ساطور|knives|cutter|box cutter|stanley knife|rambo knife|flick knife|switchblade|butterfly knife|pistol|firearm|rifle|shotgun|glock|ammo|bullets|pepper spray|baseball bat|nunchucks|crossbow|bomb$|cuchillo|fusca|bate$|spray de pimienta|gas pimienta|municion|escopeta|punzon|arme$|armes$|pistolet|calibre|schlass|opinel|cran d arret|batte$|bombe lacrymo|lacrymo|gazeuse|munitions|fusil|kalash|canivete|revolver|oitao|berro$|spray de pimenta|municao|fuzil|estilete|waffe|pistole|wumme|taschenmesser|klappmesser|springmesser|totschlager|baseballschlager|pfefferspray|elektroschocker|munition|patronen|knuppel|schusswaffe|gewehr|пистолет|пушка$|пушку$|пушкой|волын|обрез|ружье|калаш|патрон|пули$|пуля|шокер|электрошокер|перцовк|бита$|битой|заточк|финк|тесак|кинжал|арбалет|взрывчатк|граната|سكين$|سكاكين|كتر$|مشرط|خنجر|شفره|بندقيه|رشاش|طبنجه|فرد خرطوش|خرطوش|رصاص|رصاصه|ذخيره|صاعق|صاعق كهربائي|عصايه|شومه|سنجه|مطواه",
    ),
    (
        "gambling",
        "bet$|bets|betting|gamble|casino|slots|roulette|loot box|case opening|cash out|odds|apuesta|apostar|parie|paris sportif|aposta|wette|casino|ставь|ставк|казино|راهن|مراهن|🎰|double your money|double ur money|duplica|double ton argent|dobra seu|verdopple|удвой|ضاعف|accas|acca$|coinflip|crash game|jackpot|cassino|казино|كازينو|spin|tirada|tours gratuits|giros|freispiele|вращени|50x|10x|any age|all ages|todas las edades|tous les ages|qualquer idade|jedes alter|любой возраст|اي سن|wager|on stake|stake com|sportsbook|bookie|parlay|free spins|poker|blackjack|scratch card|scratchcard|lottery|1xbet|roobet|csgo case|skin gambling|skin betting|plinko|aviator|fixed match|sure win|guaranteed win|apuestas|casas de apuestas|tragaperras|ruleta|giros gratis|cuotas|combinada|quiniela|loteria|pari$|parier|mise$|miser|machine a sous|coffres|cotes$|jeux d argent|gratte|loto$|winamax|betclic|double ta mise|apostas|tigrinho|fortune tiger|jogo do tigre|jogo do bicho|caca niquel|roleta|blaze|aviaozinho|rodadas gratis|wetten|sportwetten|gluckspiel|glucksspiel|spielautomat|lootbox|quoten|lotto|ставки|беттинг|букмекер|бк$|1хбет|пари$|азарт|рулетк|слоты|слот$|игровые автоматы|покер|блэкджек|кейсы|открытие кейсов|лудоман|лудик|джекпот|фриспин|выигрыш|авиатор|лотере|тотализатор|удвоить|رهان|مراهنه|رهانات|قمار|مقامره|يانصيب|لوتري|سلوتس|روليت|بوكر|بلاك جاك|وان اكس بت|لعبه الطياره|لوت بوكس|سبين|لفه مجانيه|دورات مجانيه|اسحب ارباحك",
    ),
    (
        "no_age_check",
        "no id|no age check|under 18|under 18s|any age|kids allowed|minors|sin dni|sin comprobar|menores|sin verificar edad|sans carte|pas de controle|mineurs|sem rg|sem checar|menor pode|sem verificar|ohne ausweis|keine alterskontrolle|unter 18|ohne altersprufung|без паспорта|без проверки|до 18|малолетк|من غير بطاقه|تحت 18|مش بنسأل|use ur mums card|use your mums card|no verification|without id|no kyc|age doesnt matter|age doesn t matter|age is just a number|dont need id|don t need id|no questions asked|use ur dads card|use your dads card|parents card|mums card|moms card|dads card|sin identificacion|sin verificacion|menores de 18|da igual la edad|la edad no importa|no importa la edad|tarjeta de tu madre|tarjeta de tus padres|tarjeta de tu padre|desde los 12|desde los 14|sans piece d identite|sans verification|moins de 18|peu importe l age|l age on s en fout|carte de ta mere|carte de tes parents|carte de ton pere|des 12 ans|des 14 ans|sem documento|sem verificacao|menor de 18|menores de idade|idade nao importa|tanto faz a idade|cartao da sua mae|cartao da mae|cartao do seu pai|cartao dos pais|a partir de 12|a partir de 14|ohne altersnachweis|ohne alterscheck|ab 12|ab 14|minderjahrige|auch unter 18|alter egal|alter ist egal|mamas karte|papas karte|karte deiner eltern|ohne verifizierung|без документов|без верификаци|без подтверждения возраста|возраст не важен|младше 18|с 14 лет|с 12 лет|несовершеннолетним|карту мамы|мамину карту|папину карту|карта родителей|من غير هويه|بدون هويه|بدون بطاقه|بدون اثبات|من غير اثبات|مش محتاج بطاقه|مش محتاجه بطاقه|ما نطلب هويه|بدون تحقق|اي عمر|مسموح للصغار|تحت السن|اقل من 18|السن مش مهم|العمر مش مهم|مش مهم سنك|مو مهم عمرك|كارت مامتك|كارت ابوك|فيزا ابوك|بطاقه ابوك",
    ),
    (
        "selling",
        "selling|for sale|sell$|got some|cheap|price|delivery|deliver|drop to|hmu|dm for|dm me|vendo|barato|te lo llevo|je vends|pas cher|livraison|vendo|entrego|verkaufe|billig|liefere|продаю|дёшев|дешев|доставк|привезу|ببيع|رخيص|توصيل|بوصل|prices|price list|in stock|available now|got loads|pm for|message for|dm 4|cheapest|wholesale|same day|on the menu|se vende|vende$|a la venta|precio|precios|lista de precios|disponible|a domicilio|escribeme para|md para|tengo de todo|oferta|vends|a vendre|prix$|tarif|dispo$|je livre|mp pour|ecris moi pour|vende se|a venda|preco|precos|tabela|disponivel|faco entrega|promocao|verkauf|zu verkaufen|preise|gunstig|lieferung|auf lager|schreib mir fur|hab was|kostet|продам|продается|продажа|в наличии|цена|цены|прайс|почем|сколько стоит|пиши в лс|скидк|оптом|магаз|шоп$|للبيع|ابيع|ببيعلك|هبيعلك|عندي بضاعه|متوفر|متوفره|السعر|بكام|سعره|الاسعار|كلمني للطلب|خاص للطلب|بوصلك|هوصلك|منيو|قائمه الاسعار",
    ),
    (
        "prize",
        "won$|you won|winner|prize|congrat|claim|giveaway|free iphone|free robux|lucky|voucher|ganado|ganaste|premio|enhorabuena|felicidades|gagne|cadeau|felicitation|ganhou|premio|parabens|sorteado|gewonnen|gluckwunsch|preis|выиграл|поздравля|приз|كسبت|فزت|مبروك|جايزه|picked u|picked you|te eligio|t a choisi|te escolheu|hat dich ausgewahlt|выбрал тебя|اختارك|streamer|🎁|shipping|envio|frete|versand|free gift|you have been selected|youve been selected|redeem|lucky winner|sweepstake|raffle|contest|competition|cash prize|shipping fee|claim now|claim your|free vbucks|free skins|spin the wheel|for free|totally free|ganador|sorteo|concurso|gratis|seleccionado|has sido elegido|iphone gratis|reclamar|reclama|canjear|codigo promocional|gastos de envio|gagnant|jeu concours|concours|tirage au sort|gratuit|gratos|selectionne|reclame|recuperer ton|frais de port|frais de livraison|bon d achat|ganhador|vencedor|sorteio|promocao|de graca|selecionado|resgatar|resgate|taxa de entrega|vale presente|gewinner|gewinnspiel|verlosung|kostenlos|umsonst|ausgewahlt|einlosen|versandkosten|победител|розыгрыш|разыгрыва|бесплатн|халяв|забери приз|забрать приз|ты выбран|тебя выбрали|айфон|конкурс|оплати доставк|ربحت|ربحتي|كسبتي|فزتي|الفايز|الرابح|جوايز|هديه مجانيه|مجانا|مجاني|ببلاش|السحب|مسابقه|مسابقات|قرعه|تم اختيارك|ايفون مجاني|استلم جايزتك|استلمي|عشان تستلم|رسوم الشحن",
    ),
    (
        "account",
        "account|password|passwd|login|log in|verify|verification|2fa|code|suspended|banned|deleted|hacked|support|admin|cuenta|contrasena|verifica|codigo|compte|mot de passe|identifiant|verifie|conta|senha|verifica|codigo|konto|passwort|bestatig|login|аккаунт|пароль|код|подтверд|логин|حساب|الاكونت|باسورد|الباسورد|كلمه السر|الكود|اكد|email|correo|mail$|e mail|почт|ايميل|pw$|pwd|icloud|google photos|memories|login to see|log in to see|inicia sesion|connecte toi|faz login|melde dich an|войди|سجل دخول|got leaked|filtrad|fuite|vazou|geleakt|утекл|اتسربت|max level|nivel maximo|niveau max|максимальн|لفل|username|user name|sign in|signin|credentials|security code|otp$|one time code|6 digit|reset link|recovery|locked|compromised|appeal|copyright|violation|community guidelines|terms of service|moderator|official team|blue tick|verified badge|clave$|usuario|iniciar sesion|acceso|suspendida|baneada|baneado|hackeada|hackeado|soporte|administrador|codigo de verificacion|mdp$|code de verification|verif|connexion|se connecter|suspendu|banni|pirate$|pirater|hacke|nom d utilisateur|pseudo|acesso|entrar na|verificacao|suspensa|banida|banido|invadida|invadiram|clonad|suporte|nome de usuario|codigo de verificacao|kennwort|zugangsdaten|anmelden|einloggen|bestatigungscode|verifizier|gesperrt|gebannt|geloscht|gehackt|benutzername|nutzername|sicherheitscode|акк$|акка$|акке$|акком|учетк|учетн|пароля|паролем|смс код|код из смс|код подтверждения|верифик|взлом|заблокир|забанен|удален|поддержк|админ|техподдержк|служба безопасности|войти|авторизац|госуслуг|двухфакторн|اكونت|اكاونت|كلمه المرور|كلمه سر|رمز التحقق|كود التفعيل|كود التحقق|تحقق|تاكيد|تفعيل|فعل حسابك|تسجيل الدخول|سجلي دخول|لوجين|يوزر|اسم المستخدم|يوزرنيم|اتهكر|مهكر|هكر$|تهكير|اخترق|اختراق|اتسرق|اتقفل|موقوف|محظور|باند$|اتبند|هيتحذف|الدعم الفني|الادمن|جيميل|ايكلاود",
    ),
    (
        "link",
        "#link|click|link|tap here|enlace|haz clic|lien|clique|clica|klick|ссылк|жми|لينك|دوس|bio$|in bio|in my bio|link in|url$|http|bit ly|tinyurl|open this|open the link|clic$|pincha|toca aqui|entra aqui|en mi bio|en la bio|en mi perfil|accede|abre el link|appuie|tape ici|dans ma bio|en bio|dans mon profil|ouvre le lien|toque aqui|aperta aqui|na bio|no perfil|acesse|abre o link|hier klicken|druck hier|tippe hier|im profil|in der bio|in meiner bio|offne den link|переходи|перейди|перейти по|нажми|нажимай|кликни|клик$|в профиле|в био|в описании|линк|رابط|اضغط|اضغطي|دوسي|افتح الرابط|افتحي الرابط|كليك|ادخل هنا|ادخلي هنا|ادخل علي|البايو|في البايو",
    ),
    (
        "invest",
        "invest|crypto|bitcoin|trading|profit|10x|double|scheme|returns|invierte|cripto|investis|crypto|investe|robo|investier|krypto|вложи|крипт|схем|استثمر|كريبتو|mining|mineria|minage|mineracao|майнинг|تعدين|daily$|diario|par jour|por dia|taglich|ежедневн|يوميا|invite 3|invite friends|invita amigos|invite des amis|convida amigos|lade freunde|пригласи друзей|ادعي صحابك|doubling|duplico|je double|verdopple|удваиваю|بضاعف|прибыль|прибыли$|investment|roi$|passive income|forex|signals|guaranteed|risk free|no risk|stocks|pyramid|ponzi|referral|refer friends|financial freedom|trader|account manager|withdraw profits|nft$|airdrop|presale|invertir|inversion|rendimiento|ganancia|beneficio|ingreso pasivo|duplicar|garantizado|sin riesgo|acciones|piramide|referidos|investir|investissement|placement|rendement|benefice|revenu passif|doubler|garanti|sans risque|pyramide|parrain|investimento|rendimento|lucro|retorno|renda passiva|dobrar|garantido|sem risco|indique|investition|rendite|passives einkommen|verdoppeln|garantiert|ohne risiko|aktien|borse|schneeball|инвест|вложен|вложить|вклад|доход|пассивн|трейд|форекс|биткоин|usdt|удвоени|удвою|гарантирован|без риска|иксы|акции|биржа|сигналы|пирамид|реферал|процент в день|ارباح|ربح يومي|عائد|عوائد|تداول|فوركس|بيتكوين|عملات رقميه|عمله رقميه|محفظه|مضاعفه|ضعف فلوسك|اضاعف|دخل سلبي|دخل اضافي|مشروع مضمون|مضمون|بدون مخاطره|راس مال|اسهم|بورصه|تسويق شبكي",
    ),
    (
        "address",
        "address|live at|my house|our house|street|road|lane|avenue|flat$|postcode|door|next to the|opposite the|behind the|direccion|vivo en|calle|avenida|piso|adresse|j habite|rue$|endereco|moro na|rua$|apto|adresse|ich wohne|strasse|weg$|адрес|живу на|улиц|подъезд|عنوان|ساكنين|شارع|عماره|شقه|spare key|under the mat|my flat|my apartment|apartment|house number|door number|zip code|key under|round the corner|corner of|crescent|my road|my street|gate code|door code|mi casa|nuestra casa|departamento|depa$|apartamento|edificio|numero de la casa|llave|debajo del felpudo|al lado de|enfrente de|detras de|colonia|urbanizacion|ma maison|notre maison|appartement|appart|immeuble|etage|batiment|digicode|cle$|clef|sous le paillasson|a cote de|en face de|derriere le|boulevard|impasse|moro em|moro no|minha casa|nossa casa|predio|bloco|numero da casa|chave|debaixo do tapete|do lado de|em frente|atras do|travessa|bairro|condominio|portao|wohnung|hausnummer|stockwerk|ersatzschlussel|schlussel|unter der matte|neben dem|gegenuber|hinter dem|allee|gasse|mein haus|unser haus|живу в|мой дом|наш дом|квартир|этаж|номер дома|дом номер|корпус|домофон|ключ|под ковриком|рядом с|напротив|за углом|проспект|переулок|во дворе|عنوانك|ساكن$|ساكنه|بيتنا|بيتي|بيتك|منزل|منزلي|دور كام|الطابق|شارعنا|رقم البيت|رقم العماره|رقم الشقه|المفتاح|مفتاح$|تحت الدواسه|البوابه|المجمع|الكمباوند|فيلا|جنب البيت|قدام البيت",
    ),
    (
        "school",
        "school|year 7|year 8|class$|grade|primary|academy|high$|colegio|cole$|instituto|college|lycee|escola|colegio|schule|gymnasium|школ|гимнази|лице|مدرس|فصل|classes|classmate|homeroom|form tutor|playground|break time|lunchtime|year 9|year 6|middle school|secondary|sixth form|uni$|university|dorm$|campus|escuela|secundaria|prepa$|preparatoria|recreo|insti$|bachillerato|companeros de clase|ecole|collegien|classe|cours$|recre|cantine|sixieme|cinquieme|quatrieme|troisieme|brevet|bac$|turma|sala de aula|aula$|aulas|intervalo|recreio|ensino medio|colega de classe|klasse|realschule|gesamtschule|hauptschule|grundschule|mittelschule|unterricht|mitschuler|klassenkamerad|abitur|schuler|schulhof|классе|классу|в классе|урок|перемен$|переменк|на перемене|колледж|шараг|универ|одноклассн|директор|завуч|контрольн|огэ$|егэ$|مدرستك|الصف|صف$|صفك|ابتدائي|اعدادي|ثانوي|المتوسطه|الاعداديه|الثانويه|الجامعه|الحصه|الفسحه|الطابور|الاستاذ|الاستاذه|المعلمه|الميس|امتحان|الدوام",
    ),
    (
        "phone",
        "#phone|number|phone|call me|text me|numero|telefono|movil|portable|appelle|celular|me liga|nummer|handy|ruf mich|номер|телефон|звони|رقم|موبايل|كلمني على|digits|ur number|your number|phone number|mobile|cell$|cellphone|ring me|call u|call you|text u|text you|sms$|send ur number|cel$|llamame|llamar|llamada|marcame|pasame tu numero|tel$|telephone|num$|ton num|appelle moi|texto|envoie moi ton|telefone|ligar pra|ligacao|me manda seu|seu numero|telefon|handynummer|anrufen|ruf an|gib mir deine nummer|simse|номерок|мобил|сотов|позвони|позвоню|набери|наберу|смс$|скинь номер|дай номер|звонок|трубк|тел$|نمرتك|نمره|تلفون|تليفون|هاتف|جوال|اتصل|اتصلي|كلمني|رن علي|رني$|ابعتلي رقمك|فون$",
    ),
    (
        "location",
        "live location|location|where do you live|where do u live|where are you|what time do you finish|get home|walk home|finish at|ubicacion|donde vives|a que hora sales|localisation|position|tu habites|tu sors|localizacao|onde vc mora|que horas vc sai|standort|wo wohnst|wann hast du schluss|геолокац|локац|где ты живешь|во сколько|اللوكيشن|موقعك|ساكن فين|بتخرج امتى|where u live|where r u|where are u|which school|what school|what area|which area|what street|what time u finish|when do you finish|when do u finish|walk home alone|way home|route home|share location|share ur location|send location|send ur location|snap map|life360|gps$|drop a pin|drop pin|donde estas|dnd vives|que barrio|en que barrio|que colegio|en que cole|a que hora terminas|a que hora llegas|vuelves a pie|camino a casa|manda ubicacion|comparte ubicacion|tiempo real|t habites|t es ou|tu es ou|ou es tu|ou tu habites|quel quartier|quelle ecole|quel college|tu finis a quelle|tu rentres|rentre a pied|ta position|partage ta position|geoloc|onde voce mora|onde mora|onde vc ta|onde voce esta|cade voce|qual bairro|qual escola|que horas voce sai|que horas termina|volta a pe|caminho de casa|manda localizacao|compartilha localizacao|tempo real|live standort|wo bist du|wo genau|welche schule|in welchem viertel|welcher stadtteil|wann bist du fertig|wann kommst du heim|nach hause laufen|heimweg|schulweg|teile deinen standort|геометк|гео$|скинь гео|где живешь|где ты|ты где|в каком районе|какой район|какая школа|в какой школе|когда выходишь|когда заканчиваешь|во сколько заканчиваешь|идешь домой|пешком домой|на карте|местоположени|لوكيشن|لوكيشنك|شير لوكيشن|الموقع|ساكنه فين|ساكن وين|ساكنه وين|وين ساكن|وين ساكنه|وين بيتك|فين بيتك|انتي فين|انت فين|وينك|فينك|بتروحي امتي|بتروح امتي|بتخلصي امتي|بتطلعي امتي|متي تطلعين|بتمشي لوحدك|طريقك|في اي منطقه|اي منطقه|انهي منطقه|في اي حي|اي مدرسه|مدرسه ايه|جي بي اس|سناب ماب",
    ),
    (
        "home_alone",
        "parents are out|parents out|home alone|on my own|by myself|at work till|away all weekend|no estan|estoy sola|estoy solo|sont pas la|je suis seule|je suis seul|nao tao em casa|to sozinh|sind nicht da|bin allein|ich bin allein|на работе|уехали|я одна|я один|مش في البيت|لوحدي|nobody s home|nobodys home|no one s home|parents left|parents went|mum s at work|mums at work|moms at work|dads at work|back late|whole weekend|house to myself|got the house|everyone s asleep|everyones asleep|all asleep|free house|sola en casa|solo en casa|mis padres salieron|mis padres se fueron|mis padres trabajan|llegan tarde|todo el finde|todo el fin de semana|no hay nadie|nadie en casa|estan dormidos|todos duermen|seule a la maison|seul a la maison|mes parents sont partis|mes parents bossent|mes parents travaillent|rentrent tard|tout le week end|y a personne|personne a la maison|tout le monde dort|sozinha em casa|sozinho em casa|meus pais sairam|meus pais viajaram|meus pais trabalham|chegam tarde|o fim de semana todo|nao tem ninguem|ninguem em casa|todo mundo dormindo|allein zu hause|sturmfrei|eltern sind weg|eltern arbeiten|mama arbeitet|papa arbeitet|kommen spat|ganzes wochenende|niemand da|keiner da|alle schlafen|одна дома|один дома|родителей нет|предков нет|никого нет дома|мама на работе|папа на работе|мама уехала|родители уехали|вернутся поздно|придут поздно|на выходные|хата свободна|свободная хата|все спят|اهلي مسافرين|اهلي برا|اهلي بره|اهلي مش موجودين|ماما في الشغل|بابا في الشغل|ماما مش هنا|بروحي|لحالي|ما في حدا|مافي احد|مفيش حد|محدش في البيت|اهلي نايمين|كلهم نايمين|الكل نايم|اهلي طالعين|بيرجعوا متاخر|هيرجعوا بالليل",
    ),
    (
        "second_person",
        "u$|you|ur$|your|yours|tu$|te$|ti$|tus$|toi$|ton$|ta$|tes$|vc$|voce|você|seu$|sua$|du$|dich|dir$|dein|ты$|тебя|тебе|твой|твои|انت|انتي|ليك|بتاعك|yourself|urself|yall|y all|usted|contigo|tuyo|tuya|vos$|vous$|votre|teu$|tua$|voces|deine|euch$|вы$|вас$|вам$|ваш|твоя|твое|твоих|твоим|тобой|انتا$|عندك|معاك|ليكي|بتاعتك|حقك$|تبعك|الك$|عليكي|عليك$",
    ),
    (
        "first_person",
        "i$|im$|i m$|me$|my$|myself|yo$|me$|mi$|je$|moi$|mon$|ma$|eu$|meu$|minha$|ich$|mich|mir$|mein|я$|меня|мне|мой|انا|نفسي|mine$|i ve|ive$|i ll|conmigo|mio$|mia$|mis$|moi meme|mim$|comigo|meine|моя$|мое$|мои$|моих|мной|мною|عندي|معايا|معي$|ليا$|بتاعي|حقي$|تبعي|اني$",
    ),
    (
        "trade",
        "mm$|middleman|intermediario|intermediaire|mittelsmann|гарант|وسيط|trade$|swap|intercambio|echange|troca|tausch|обмен|تبادل|pay first|paga primero|paie d abord|paga primeiro|zuerst zahlen|сначала деньги|ادفع الاول|paypal me|i go first|u go first|you go first|tu primero|toi d abord|vc primeiro|du zuerst|ты первый|انت الاول|items|objetos|objets|itens|gegenstande|вещи|حاجات|selling my account|vendo mi cuenta|vends mon compte|vendo minha conta|verkaufe meinen account|продаю аккаунт|ببيع الاكونت|trades|trade me|swapping|middle man|escrow|you first|send first|pay after|legit trade|vouch|vouches|selling acc|buying acc|selling account|buying account|account for sale|rare items|limiteds|scammed|cambiamos|te cambio|manda primero|primero el dinero|primero paga|items$|vendo cuenta|compro cuenta|cuenta en venta|echanger|je t echange|envoie d abord|d abord l argent|achete ton compte|vends compte|trocar|voce primeiro|manda primeiro|primeiro o dinheiro|vendo conta|compro conta|conta a venda|tauschen|zuerst du|schick zuerst|erst geld|account verkaufen|verkaufe acc|kaufe acc|трейд|меняю|поменяю|обменяю|махнемся|через гаранта|ты сначала|сначала ты|сначала скинь|сначала отправь|шмот|продам акк|куплю акк|продаю акк|покупаю акк|مبادله|ابدل|نبدل|تبدل|ترايد|ميدل مان|انت ابدا|ابدا انت|انت اول|ابعت الاول|ابعتلي الاول|حول الاول|سكنات|ايتم|ايتمز|اكونت للبيع|حساب للبيع|بيع حساب|شراء حساب|ابيع حسابي",
    ),
    (
        "personal_detail",
        "full name|nombre completo|nom complet|nome completo|vollstandiger name|полное имя|اسمي بالكامل|birthday is|cumpleanos es|anniversaire c est|aniversario e|geburtstag ist|день рождения|عيد ميلادي|dob$|pin$|pin is|el pin|code pin|senha do cartao|pin ist|пин|الرقم السري|id card|carnet|carte d identite|rg$|ausweis|паспорт|بطاقتي|البطاقه|room is|mi cuarto|ma chambre|meu quarto|mein zimmer|моя комната|اوضتي|house is empty|casa vacia|maison vide|casa vazia|haus leer|дом пустой|البيت فاضي|on holiday|de vacaciones|en vacances|de ferias|im urlaub|в отпуске|مسافرين|leave for work|sale a trabajar|part au travail|sai pro trabalho|zur arbeit|уходит на работу|بتنزل الشغل|which days|que dias|quels jours|quais dias|welche tage|по каким дням|ايام ايه|what days|surname|last name|real name|date of birth|when were you born|passport|passport number|photo of your id|pic of your id|picture of your id|drivers license|driving licence|national insurance|social security|card number|long number|cvv|cvc|expiry date|security code|maiden name|first pet|your room|ur room|when do they leave|when do they get back|apellido|nombre real|fecha de nacimiento|cuando naciste|dni$|pasaporte|numero de pasaporte|foto del dni|foto de tu dni|numero de tarjeta|fecha de caducidad|codigo de seguridad|tu cuarto|tu habitacion|a que hora salen|a que hora vuelven|curp|cedula|nom de famille|vrai nom|date de naissance|passeport|numero de passeport|photo de ta carte|numero de carte|cryptogramme|date d expiration|ta chambre|ils partent quand|ils rentrent quand|nom de jeune fille|sobrenome|nome verdadeiro|data de nascimento|quando voce nasceu|cpf|identidade|passaporte|foto do rg|foto do documento|numero do cartao|codigo de seguranca|seu quarto|que horas eles saem|que horas eles chegam|nome da sua mae|nachname|richtiger name|geburtsdatum|wann bist du geboren|personalausweis|reisepass|passnummer|ausweisnummer|foto vom ausweis|kartennummer|kreditkarte|prufnummer|ablaufdatum|dein zimmer|madchenname|фио$|фамилия|фамилию|настоящее имя|дата рождения|когда родилась|снилс|инн$|номер паспорта|серия паспорта|фото паспорта|паспортные данные|данные карты|номер карты|срок действия|три цифры|пин код|пинкод|свидетельство о рождении|твоя комната|в твоей комнате|когда уходят|когда приходят|в какие дни|девичья фамилия|اسمك بالكامل|اسمك الكامل|اسمك الثلاثي|اسمك الحقيقي|اسمي الحقيقي|تاريخ ميلادك|تاريخ الميلاد|عيد ميلادك|الرقم القومي|رقم قومي|رقمك القومي|هويتك|الهويه|بطاقه الهويه|رقم الهويه|جواز سفر|جوازك|باسبور|صوره البطاقه|صوره الباسبور|صوره الهويه|صوره جواز|رقم الكارت|رقم البطاقه|تاريخ الانتهاء|الرمز السري|اوضتك|غرفتي|غرفتك|اي ايام|امتي بتنزل|بيرجع امتي|اسم امك|اسم ابوك",
    ),
    (
        "benign_context",
        "surprise|birthday|party|cake|present for|homework|teacher|lesson|history|news|documentary|pharmacist|doctor|counsellor|counselor|therapist|scam warning|be careful|watch out|dont click|looks like a scam|is a scam|coach|training|practice|match$|tournament|gg$|game$|lol$|haha|😂|💀|sorpresa|cumple|deberes|profe|clase|historia|entrenador|surprise|anniv|devoirs|prof$|histoire|coach|festa|aniversario|dever|professora|historia|treino|uberraschung|geburtstag|hausaufgaben|lehrer|geschichte|training|сюрприз|день рожд|домашк|учител|истори|тренер|مفاجأه|عيد ميلاد|الواجب|المدرس|التاريخ|الكابتن|ههه|kkk|mdr|ахах|jaja|psychologist|psicolog|psy$|psycholog|психолог|نفسي$|film about|documentary|documental|documentaire|documentario|doku|фильм про|فيلم عن|essay|redaccion|redaction|redacao|aufsatz|сочинени|تعبير|museum|museo|musee|museu|музей|متحف|volunteer|voluntari|benevol|freiwillig|волонтер|متطوع|exchange student|austausch|تبادل طلابي|lent$|cuaresma|careme|quaresma|fastenzeit|рамадан|رمضان|puzzle|rompecabezas|quebra cabeca|пазл|بازل|chess|ajedrez|echecs|xadrez|schach|шахмат|شطرنج|sunset|atardecer|coucher de soleil|por do sol|sonnenuntergang|закат|الغروب|secret santa|amigo invisible|amigo secreto|wichteln|тайный санта|detention|castigo|colle$|nachsitzen|coursework|school trip|excursion|sortie scolaire|passeio da escola|klassenfahrt|экскурси|رحله|inhaler|inhalador|inhalateur|bombinha|inhalator|ингалятор|بخاخ|gap year|dishes|platos|vaisselle|louca|abwasch|посуда|المواعين|grandpa|abuelo|vovo|opa$|дедушк|جدو|wedding|boda|hochzeit|فرح|scam alert|report it|reported it|safeguarding|es una estafa|no hagas clic|fiesta|tarta|pastel|medico|noticias|partido|torneo|entreno|xd$|c est une arnaque|clique pas|fete|gateau|medecin|actualite|tournoi|entrainement|ptdr|e golpe|nao clique|bolo$|campeonato|rsrs|das ist betrug|klick nicht|torte|kuchen|arzt|nachrichten|vorsicht|turnier|праздник|это развод|это мошенники|вечеринк|торт|домашнее задание|врач|доктор|новости|документальн|осторожно|не переходите|тренировк|матч|турнир|хаха|лол$|ржу|олимпиад|репетитор|секци|حفله|ده نصب|هذا نصب|هذا احتيال|تورته|كيكه|مذاكره|دكتور|الطبيب|الصيدلي|اخصائي نفسي|معالج نفسي|الاخبار|وثائقي|احذر|احذروا|لا تضغط|متدوسش|تمرين|ماتش|مباراه|بطوله|الدوري|المنتخب|العيد|عيد الفطر|عيد الاضحي|تيتا|خالتو|عمتو",
    ),
];

/// The concept terms as a byte trie over normalised text. Terms only count at word starts, so the
/// trie is walked from each token start and stops at the first byte no term continues with: a
/// few steps per word. (An Aho-Corasick scan finds every term anywhere, including the many short
/// ones inside other words, and then throws most away; it cost more than the model itself.)
struct Table {
    nodes: Vec<Node>,
    /// Child edges of nodes with at most [`SCAN_EDGES`] children: (byte, child node).
    edges: Vec<(u8, u32)>,
    /// Children of the few nodes with more (the root, common first letters) by byte; 0 is none
    /// (the root is nobody's child). Every walk starts in these nodes: a direct index instead of
    /// a binary search (about 2% of classify's time).
    dense: Vec<[u32; 256]>,
    /// Terms ending at a node: (concept, whether the term must end a word).
    outputs: Vec<(u16, bool)>,
    /// Concepts hit by pattern features (`#phone`) or currency signs in the original text.
    specials: Vec<(String, u16)>,
}

/// Nodes with more children than this index them densely.
const SCAN_EDGES: u32 = 8;

#[derive(Clone, Copy, Default)]
struct Node {
    /// Into `edges`, or into `dense` when `edges_len > SCAN_EDGES`.
    edges_start: u32,
    edges_len: u32,
    outputs_start: u32,
    outputs_len: u32,
}

impl Table {
    #[inline]
    fn child(&self, node: &Node, byte: u8) -> Option<u32> {
        if node.edges_len <= SCAN_EDGES {
            let edges = &self.edges[node.edges_start as usize..][..node.edges_len as usize];
            edges.iter().find(|e| e.0 == byte).map(|e| e.1)
        } else {
            let child = self.dense[node.edges_start as usize][byte as usize];
            (child != 0).then_some(child)
        }
    }
}

/// Builds the table: a flat trie of (normalised term, concept, whole-word) triples.
fn build_table(terms: &[(String, u16, bool)], specials: Vec<(String, u16)>) -> Table {
    // A plain pointer trie first, flattened breadth-first after.
    let mut children: Vec<std::collections::BTreeMap<u8, u32>> = vec![Default::default()];
    let mut ends: Vec<Vec<(u16, bool)>> = vec![Vec::new()];
    for (term, concept, whole) in terms {
        let mut node = 0usize;
        for &b in term.as_bytes() {
            let next = children.len() as u32;
            let child = *children[node].entry(b).or_insert(next);
            if child == next {
                children.push(Default::default());
                ends.push(Vec::new());
            }
            node = child as usize;
        }
        if !ends[node].contains(&(*concept, *whole)) {
            ends[node].push((*concept, *whole));
        }
    }
    let mut nodes = Vec::with_capacity(children.len());
    let mut edges = Vec::new();
    let mut dense: Vec<[u32; 256]> = Vec::new();
    let mut outputs = Vec::new();
    for (kids, out) in children.iter().zip(&ends) {
        let edges_len = kids.len() as u32;
        let edges_start = if edges_len <= SCAN_EDGES {
            edges.extend(kids.iter().map(|(&b, &n)| (b, n)));
            edges.len() as u32 - edges_len
        } else {
            let mut row = [0u32; 256];
            for (&b, &n) in kids {
                row[b as usize] = n;
            }
            dense.push(row);
            dense.len() as u32 - 1
        };
        nodes.push(Node {
            edges_start,
            edges_len,
            outputs_start: outputs.len() as u32,
            outputs_len: out.len() as u32,
        });
        outputs.extend_from_slice(out);
    }
    Table {
        nodes,
        edges,
        dense,
        outputs,
        specials,
    }
}

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut terms = Vec::new();
        let mut specials = Vec::new();
        for (index, (_, list)) in CONCEPTS.iter().enumerate() {
            for raw in list.split('|') {
                let (raw, whole) = match raw.strip_suffix('$') {
                    Some(stem) if !stem.is_empty() && stem != "\\" => (stem, true),
                    _ => (raw, false),
                };
                if raw.starts_with('#') || raw == "\\$" || raw == "£" {
                    specials.push((raw.trim_start_matches('\\').to_string(), index as u16));
                    continue;
                }
                let normalized = normalize(raw).text;
                if !normalized.is_empty() {
                    terms.push((normalized, index as u16, whole));
                }
            }
        }
        build_table(&terms, specials)
    })
}

/// Arabic proclitics ("and", "so", "with", "to", "the" and their joins), longest first. Arabic
/// writes them onto the word ("والعيله", "بحسابك", "ومتقوليش"), so a term only matched at the
/// word's start missed most of its uses.
const ARABIC_PROCLITICS: [&str; 10] = ["وال", "فال", "بال", "كال", "لل", "ال", "و", "ف", "ب", "ل"];

/// Byte offsets inside an Arabic word where its stem may start after proclitics (at most two:
/// the longest prefix and the shorter one it extends), leaving at least two letters.
pub(crate) fn arabic_stem_offsets(word: &str) -> [Option<usize>; 2] {
    let mut out = [None; 2];
    if !word
        .as_bytes()
        .first()
        .is_some_and(|&b| (0xd8..=0xdb).contains(&b))
    {
        return out;
    }
    let mut n = 0;
    for prefix in ARABIC_PROCLITICS {
        let rest = word.len().saturating_sub(prefix.len());
        // No two proclitics of one length share a first letter, so at most one of each length
        // matches, and at most two lengths (a joined one and the single letter it starts with).
        if n < 2 && word.starts_with(prefix) && rest >= 4 {
            out[n] = Some(prefix.len());
            n += 1;
        }
    }
    out
}

/// Walks the trie from byte `at` of the normalised text, recording the concepts of the terms
/// that end there.
fn walk(table: &Table, s: &[u8], mut at: usize, token: usize, found: &mut Vec<(u16, u16)>) {
    let mut node = table.nodes[0];
    while at < s.len() {
        let Some(next) = table.child(&node, s[at]) else {
            break;
        };
        node = table.nodes[next as usize];
        at += 1;
        if node.outputs_len == 0 {
            continue;
        }
        let ends_word = at == s.len() || s[at] == b' ';
        let outputs = &table.outputs[node.outputs_start as usize..][..node.outputs_len as usize];
        for &(concept, whole) in outputs {
            if (!whole || ends_word) && !found.iter().any(|(c, _)| *c == concept) {
                found.push((concept, token.min(u16::MAX as usize) as u16));
            }
        }
    }
}

/// Concept indices (into [`CONCEPTS`]) found in a message, each with the first token it was
/// seen at, sorted by concept. `patterns` are the pattern features already found (`#phone`...).
pub fn find(text: &Normalized, original: &str, patterns: &[&str]) -> Vec<(u16, u16)> {
    let table = table();
    let mut found: Vec<(u16, u16)> = Vec::with_capacity(8);
    let s = text.text.as_bytes();
    for (token, t) in text.tokens.iter().enumerate() {
        let word = &text.text[t.start as usize..t.end as usize];
        let stems = arabic_stem_offsets(word);
        for start in std::iter::once(0).chain(stems.into_iter().flatten()) {
            walk(table, s, t.start as usize + start, token, &mut found);
        }
    }
    for (special, concept) in &table.specials {
        if found.iter().any(|(c, _)| c == concept) {
            continue;
        }
        let hit = match special.strip_prefix('#') {
            Some(_) => patterns.contains(&special.as_str()),
            None => original.contains(special.as_str()),
        };
        if hit {
            found.push((*concept, 0));
        }
    }
    found.sort_unstable();
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(s: &str) -> Vec<&'static str> {
        find(&normalize(s), s, &[])
            .into_iter()
            .map(|(c, _)| CONCEPTS[c as usize].0)
            .collect()
    }

    #[test]
    fn stems_match_at_word_starts_only() {
        let got = names("send me pics, dont tell ur mum");
        assert!(got.contains(&"image") && got.contains(&"secret") && got.contains(&"parents"));
        // "bra" must be a whole word: "brave" is not underwear.
        assert!(!names("so brave").contains(&"body"));
        assert!(names("пришли фотку").contains(&"image"));
        assert!(names("ابعتلي صورتك").contains(&"image"));
    }

    #[test]
    fn arabic_terms_match_after_proclitics() {
        // "and don't tell", "the family": the term is inside the written word.
        assert!(names("ومتقوليش لحد").contains(&"secret"));
        assert!(names("والعيله").contains(&"parents"));
        assert_eq!(arabic_stem_offsets("والعيله"), [Some(6), Some(2)]);
        assert_eq!(arabic_stem_offsets("ولد"), [Some(2), None]);
        // Too short to strip, and not Arabic.
        assert_eq!(arabic_stem_offsets("ول"), [None, None]);
        assert_eq!(arabic_stem_offsets("value"), [None, None]);
    }

    #[test]
    fn every_term_normalises_to_something() {
        for (name, list) in CONCEPTS {
            for term in list.split('|') {
                assert!(!term.is_empty(), "empty term in {name}");
            }
        }
        assert!(table().outputs.len() > 500);
        assert!(names("pay £50 now").contains(&"payment"));
        let text = "call 555-0123";
        assert!(
            find(&normalize(text), text, &["#phone"])
                .iter()
                .any(|(c, _)| CONCEPTS[*c as usize].0 == "phone")
        );
    }
}
