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
        "pic|pics|photo|foto|selfie|nude|video|vid$|cam$|cams$|webcam|camera|camara|caméra|kamera|bild|фот|видео|селфи|камер|صور|سيلفي|فيديو|كاميرا|كام$|snap of|clip$|кружок|recording|film u|film you|mirror|espejo|miroir|espelho|spiegel|зеркал|المرايه",
    ),
    (
        "body",
        "bikini|underwear|bra$|pyjama|pijama|pjs|swimsuit|maillot|biquini|biquíni|calcinha|sous-vetement|unterwasche|schlafanzug|ropa interior|shower|ducha|douche|banho|dusche|in bed|en la cama|au lit|na cama|im bett|body|cuerpo|corps|corpo|korper|less clothes|less on|undress|naked|sin ropa|without your top|купальник|бель|пижам|душ|кроват|тело|переодева|مايوه|هدوم|السرير|جسمك|بتغيري|الحمام|lips|legs|figure|leotard|collant|gym kit|pe kit|uniform|uniforme|sleep in|wear to bed|duermes|dors avec|dorme com|schlafst du|спишь|بتنامي",
    ),
    (
        "sexual",
        "sexy|s3xy|sexi|hot for|so hot|virgin|kiss|dirty|naughty|sext|nudes|horny|turn me on|bes|beij|embrass|kuss|секс|целова|горяч|сексуальн|بوس|مزه|gostosa|bonne|buena|heiß|heiss|guapa|mona$|рос|naughtiest|naughty|secret girlfriend|secret gf|heimliche freundin|novia secreta|copine secrete|namorada secreta|тайная девушка|too old for|demasiado mayor|trop vieux|velho demais|zu alt fur|слишком стар|special people|gens speciaux",
    ),
    (
        "minor",
        "kid$|kids$|child|12 year|13 year|11 year|#kidage|year 7|year 8|primary school|school girl|schoolgirl|your age|ur age|tu edad|ton age|sua idade|dein alter|твой возраст|своего возраста|سنك|novinha|little girl|young girl|young boy|collegienne|семиклассниц|siebtklass|teen|underage|minor|menor|mineur|малолет|قاصر",
    ),
    (
        "flattery",
        "cute|pretty|beautiful|gorgeous|mature|grown up|special|perfect|smart|talent|guap|linda|lindo|mona|belle|jolie|mignon|madur|bonit|gata|hubsch|süß|suss|schön|schon|reif|красив|взросл|умн|особен|حلوه|جميل|ناضج|شاطر|look older|seem older|so grown",
    ),
    (
        "secret",
        "secret|secreto|segredo|geheim|секрет|سر$|between us|entre nous|entre nosotros|entre nos|unter uns|между нами|بيني وبينك|dont tell|don t tell|not tell|no le digas|no se lo digas|ne dis|ne le dis|nao conta|nao fala|sag niemand|sag es nicht|не говори|никому|متقول|ماتقول|nobody needs to know|no one needs to know|nadie tiene que saber|ninguem precisa|niemand muss|никто не должен|محدش|delete|borra|efface|supprime|apaga|losch|удали|امسح|keep it quiet|hide it|hidden|esconde|cache|versteck|спрячь|خبي|if anyone asks|si alguien pregunta|si quelqu un demande|se alguem perguntar|wenn jemand fragt|если спросят|لو حد سألك|say im ur|nobody else gets|nobody else|just for u and me|just for you and me|dont say where|never know|wont notice|сотри|erase",
    ),
    (
        "parents",
        "mum|mom|mam|mother|dad|father|parent|padre|madre|mama|papa|parents|mere|pere|pais|mae|pai|eltern|mutter|vater|mutti|родител|мам|пап|اهل|ماما|بابا|ابوك|امك|family|familia|famille|familie|семь|عيل",
    ),
    (
        "alone",
        "alone|by yourself|on your own|sola|solo$|seule|seul$|sozinh|allein|один|одна|لوحد|home alone|anyone home|anyone else|parents home|parents in|padres estan|parents sont|pais estao|pais ficam|eltern zu hause|родители дома|اهلك في البيت|asleep|dormid|dorment|dormindo|schlafen|спят|نايم",
    ),
    (
        "platform",
        "snap|telegram|whatsapp|discord|kik|insta|dm me|private chat|private room|other app|other account|another app|my number|otra app|otra cuenta|autre appli|autre compte|outro app|outro perfil|zap$|andere app|zweitaccount|телег|ватсап|другое прилож|другом аккаунт|тележ|تليجرام|واتس|سناب|ابلكيشن|الاكونت التاني|video call|videollamada|appel video|chamada|videoanruf|видеозвон|فيديو كول|facetime|add me|agregame|ajoute moi|me adiciona|adde mich|добавь меня|ضيفني",
    ),
    (
        "gift",
        "robux|vbucks|v bucks|gift card|giftcard|skins|free stuff|buy you|get you a|send you a|new phone|airpods|tarjeta regalo|te compro|te regalo|carte cadeau|je t offre|cartao presente|te dou|vou te dar|gutschein|kauf dir|schenk dir|подар|куплю тебе|робукс|هدي|شحن|هجيبلك|هشتريلك|pavos|diamantes|diamonds|gems|гемы",
    ),
    (
        "meet",
        "meet|pick you up|pick u up|come get you|come over|come alone|come round|just us|quedamos|nos vemos|te recojo|on se voit|je viens te chercher|rien que nous|a gente se encontra|te busco|so nos dois|treffen|hol dich ab|nur wir zwei|встретимся|заберу|вдвоем|نتقابل|هعدي عليك|لوحدك|احنا الاتنين",
    ),
    (
        "threat",
        "upload|uploading|go viral|goes viral|viral|tag ur|tag your|tagged|group chat|screenshots|subo|subir|etiqueto|se hace viral|je poste|je balance|balancer|tague|viraliz|marco|vou postar|vazar|vaza|markier|lade hoch|hochladen|geht viral|выложу в|солью|сливаю|отмечу|разошлю всем|هنزلها|هفضحك|فضيحه|هنشرها|or i|or ill|or else|or everyone|everyone will see|everyone sees|all your followers|leak|expose|post them|post it|send them to|send it to|share them|o lo|o se las|o las envio|todos van a ver|ou je|sinon|tout le monde va voir|ou eu|todo mundo vai ver|sonst|alle werden sehen|sehen es alle|или отправлю|иначе|все увидят|выложу|разошлю|والا|الكل هيشوف|هنشر|هبعتها|publico|publie|posto|poste|if u dont|if you dont|unless|si no pagas|si tu paies pas|se vc nao|wenn du nicht|если не|exposure|deepfake|deep fake|fake video|ya le mande|next one goes|la proxima|the old ones|go out|goes out|already sent|on my list|ur church|your church|i know ur|i know your|ou ta famille|recoit tout|recebe tudo",
    ),
    (
        "deadline",
        "24 hours|24h|hours|2 hours|midnight|tonight|last chance|final warning|deadline|next hour|horas|heures|stunden|часа|час$|ساعه|ساعات|until|till|hasta|jusqu|ate as|bis heute|до вечера|لحد",
    ),
    (
        "payment",
        "pay|paid|money|cash|transfer|bank|card details|bitcoin|crypto|£|\\$|euro|dollar|quid|pago|paga|pagar|dinero|pasta|paie|argent|virement|pagu|dinheiro|grana|pix|reais|zahl|geld|uberweis|плати|заплат|перевед|денег|деньг|рубл|ادفع|فلوس|حول|جنيه|fee|fees|upfront|paypal|deposit|withdraw|unlock|processing fee|agency fee|top up|recarga|recharge",
    ),
    (
        "self_harm",
        "no reason to live|not be here|not being here|better off dead|sin razon para vivir|no quiero estar aqui|pas de raison de vivre|plus etre la|sem motivo pra viver|nao quero estar aqui|keinen grund zu leben|nicht mehr hier sein|нет смысла жить|не хочу быть здесь|مفيش سبب اعيش|مش عايز اكون هنا|goodbye forever|adios para siempre|adieu pour toujours|adeus pra sempre|fur immer tschuss|прощайте навсегда|مع السلامه للابد|die$|dying to|want to die|wanna die|kill myself|end it|end my life|suicid|hurt myself|hurting myself|harm myself|self harm|cut myself|cutting|not wake up|disappear|goodbye letter|goodbye note|better off without me|burden|worthless|no point|cant go on|can t go on|cant cope|morir|morirme|matarme|hacerme dano|cortarme|desaparecer|no puedo mas|mourir|disparaitre|me scarifier|me faire du mal|j en peux plus|morrer|sumir|me cortando|me machuc|nao aguento|sterben|verschwinden|mich ritzen|verletze mich|kann nicht mehr|умереть|исчезнуть|режу себя|больно себе|причиняю себе|не могу больше|больше не могу|اموت|اختفي|اأذي نفسي|بجرح نفسي|مش قادر|wish i was dead|hate myself|hate my life|ways to end|end everything|acabar con todo|acabar com tudo|en finir|alles beenden|покончить|blade|razor|cuchilla|lame$|lamina|klinge|лезвие|موس|tried last year|tried before|intente|j ai essaye|tentei|versucht|пыталась|пытался|حاولت|taking up space|ocupando espacio|prendre de la place|ocupando espaco|platz wegnehmen|место занимаю|last message|ultimo mensaje|dernier message|ultima mensagem|letzte nachricht|последнее сообщение|اخر رساله|deserve pain|merezco|merite|mereco|verdiene|заслуживаю|استاهل|took a bunch|too many pills|trop de cachets|remedios demais|zu viele tabletten|таблеток|حبوب كتير",
    ),
    (
        "kys",
        "kys|kill yourself|kill urself|go die|just die|end it already|do it already|matate|mátate|suicidate|suicide toi|va crever|se mata|vai morrer|bring dich um|stirb|убей себя|сдохни|موت نفسك|روح موت|do everyone a favour",
    ),
    (
        "eating",
        "eat|food|meal|dinner|breakfast|thin|thinspo|ana$|fast|starv|purge|calorie|weight|kg$|comer|comas|cena|delgada|manger|mange|repas|mince|comer|jantar|magra|essen|abendessen|dunn|ест|еду|ужин|худ|اكل|العشا|تخس|laxative|diet|meanspo|ana buddy|pro ana|ed buddy|purge|proof|prueba|preuve|prova|beweis|пруф|рвот|vomit|vomir|kotzen|ترجيع|fork|tenedor|fourchette|garfo|gabel|вилк|bite|bocado|bouchee|mordida|bissen|кусок",
    ),
    (
        "insult",
        "ugly|fat$|fatty|loser|stupid|idiot|freak|pathetic|weird|cringe|dumb|useless|worthless|trash|smell|stink|baby$|fea$|feo$|gorda|gordo|rara$|raro$|pringad|tont|moche|gros$|grosse|nul$|nulle|bouffon|bizarre|feia|feio|esquisit|otario|hassl|fett|opfer|peinlich|komisch|страшн|жирн|лох|урод|тупо|وحش|تخين|فاشل|غريب|عبيط|poor|cheap|dirty|🤡|чмо|нищ|poor$|pobre|pauvre|فقير|dumbo|ears|clown|payaso|palhaco|клоун|مهرج|pig|cerdo|porc|porco|schwein|свинья|خنزير|monkey|singe|macaco|affe|обезьян|قرد|potato|joke",
    ),
    (
        "exclusion",
        "nobody likes|no one likes|nobody wants|no one wants|everyone hates|whole class|all of us|dont come|don t come|dont let|don t invite|sit with|go away|move schools|no friends|nadie te quiere|nadie quiere|toda la clase|no vengas|personne t aime|personne veut|toute la classe|viens pas|ninguem gosta|a turma toda|nem vem|keiner mag|niemand will|die ganze klasse|komm nicht|никто не любит|весь класс|не приходи|محدش بيحبك|الفصل كله|متجيش|laugh at|laughs at|se rien|se moque|ri de|lacht|смеются|بيضحك|leave the voice|leave the vc|salgan del|quittez le|saiam da|verlasst den|выходите из|اطلعوا من|unfollow|dejen de seguir|desabonnez|deixem de seguir|entfolgt|отпишитесь|not invited|no estas invitad|pas invite|nao foi convidad|nicht eingeladen|не приглаш|مش معزوم|nobody pick|no one pick",
    ),
    (
        "violence",
        "beat you|beat u|get you after|get u after|after school|hurt you|hurt u|smash|punch|you re dead|ur dead|finished|make your life hell|make ur life hell|te vamos a pegar|a la salida|on va te frapper|a la sortie|te pega|vamos te bater|na saida|aufs maul|nach der schule|побьем|после школы|هنضربك|بره المدرسه|watch what happens|see what happens|veras lo que pasa|tu vas voir ce qui|vai ver o que acontece|siehst was passiert|увидишь что будет|هتشوف هيحصلك ايه|ur legs|your legs|tus piernas|tes jambes|suas pernas|deine beine|ноги|رجلك",
    ),
    (
        "group",
        "immigrant|foreigner|refugee|migrant|muslim|jew|christian|hindu|gay|gays|lesbian|trans$|trans people|women|girls are|black people|asian|white people|gypsies|travellers|roma$|mexican|disabled|autistic|our race|those people|these people|inmigrante|extranjero|moros|gitano|musulm|judio|negros|mujeres|immigre|etranger|arabe|juif|noirs|femmes|imigrante|estrangeiro|nordestino|judeus|mulheres|auslander|fluchtling|schwul|lesben|frauen|juden|schwarzen|мигрант|приезж|чурк|гей|евре|черн|женщин|لاجئ|اجانب|سودان|سوري|مثلي|شواذ|يهود|مسيحي|السود|الستات|atheist|ateo|athee|ateu|атеист|ملحد|ukrainian|ucranian|ukrainien|ukrainer|украин|pakis|p4kis|paki$|sudaca|хач|понаех|shia|shiite|chiit|xiita|schiit|шиит|الشيعه|السنه|down syndrome|sindrome de down|trisomique|down syndrom|даун|منغولي|polish|poles$|romanian|somali|nigerian|gitan|cigan|zigeun|цыган|غجر|infidel|kuffar|kafir|كفار|groomers",
    ),
    (
        "dehumanise",
        "animal|vermin|rat$|rats$|cockroach|parasite|subhuman|inferior|disgusting|filth|sick$|mentally ill|go back|kicked out|should leave|breed|replace us|terrorist|criminal|thieves|belong in the kitchen|in the kitchen|animales|inferior|parasito|asqueros|basura|ladron|deberian irse|a la cocina|animaux|parasite|degoutant|dechet|voleur|dehors|a la cuisine|animais|parasita|nojent|lixo|ladroe|na cozinha|tiere|minderwertig|ekelhaft|abschaum|in die kuche|животн|низш|паразит|мерзк|мусор|на кухне|حيوانات|طفيليات|زباله|حراميه|مقرف|المطبخ|shouldn t exist|should not exist|no deberian existir|nao deviam existir|beggars|mendigos|mendiants|bettler|попрошайк|شحاتين|cancer|krebs|рак$|سرطان|aliens|extraterrestres|ausserirdische|пришельц|كائنات|cursed|malditos|maudits|verflucht|прокляты|ملاعين|no morals|sin moral|sans morale|sem moral|keine moral|без морали|go home|vete a tu pais|rentrez chez|volta pra sua terra|geht nach hause|валите домой|ارجعوا بلدكم|our country|nuestro pais|notre pays|nosso pais|unser land|наша страна|بلدنا|expelled|wiped out|выгнать|يتطردوا",
    ),
    (
        "movement",
        "movement|cause$|brotherhood|brothers|soldier|fighter|war$|holy war|race war|patriot|caliphate|martyr|true believers|the chosen|join us|join the|lions|movimiento|la causa|hermandad|guerrer|soldado|unete|mouvement|fraternite|combattant|rejoins|movimento|irmandade|junte se|bewegung|bruderschaft|kampfer|schliess dich|движени|братств|боец|солдат|вступай|الحركه|القضيه|الاخوه|جنود|انضم|training for|preparing for|serve$|cell$|celula|cellule|zelle|ячейк|خليه|unit$|unidad|unite|unidade|einheit|отряд|militia|milicia|milice|miliz|ополчен|ميليشيا|pmc|чвк|private military|ops$|missions|operaciones|operations|operacoes|operationen|операци|عمليات|defence unit|defense unit|duty to|replaced|invaded|rise up|fight back|kuffar|punish",
    ),
    (
        "courier",
        "runner|run packages|drop|packages|parcels|bags|carry|deliver|county|lookout|look out|corner|stash|hold stuff|paquetes|mochilas|entregas|vigia|esquina|colis|sacs|livr|guet|pacote|mochila|aviao|olheiro|pakete|kurier|taschen|schmiere|закладк|посылк|курьер|шухер|شنط|يوصل|امانات|ناضورجي|الناصيه|hold the phone|hold the line|tienes el telefono|tiens le tel|segura o celular|haltst du das handy|держишь телефон|flat in town|piso en el centro|appart en ville|apartamento na cidade|wohnung in der stadt|квартира в городе|شقه في البلد|sell for a week|vender una semana|vendre une semaine|vender uma semana|торговать|ur nan|your nan|tu abuela|ta grand mere|sua avo|deine oma|твоя бабушка|تيتتك",
    ),
    (
        "gang",
        "gang|crew|the ends|roll with|protects its own|looks after its own|banda|bande|faccao|bonde|братв|банда|الشله|الجماعه|protect you|protege|protege|beschutz|защища|بتحمي|respect|postcode|codigo postal|code postal|postleitzahl|район|منطقتنا|ride with us|target$|objetivo|cible|alvo|мишень|هدف|olders|elders|mayores del barrio|les grands|os mais velhos|die grossen|старшие|الكبار",
    ),
    (
        "job",
        "job|work|modelling|modeling|model$|models|casting|agency|audition|photoshoot|hostess|dancer|massage|abroad|overseas|travel|flight|ticket|visa|across the border|papers|trabajo|modelo|agencia|extranjero|viaje|billete|vuelo|travail|mannequin|etranger|voyage|billet|boulot|trabalho|emprego|exterior|viagem|passagem|arbeit|ausland|reise|flug|работа|модел|агентств|границ|поездк|билет|شغل|موديلز|وكاله|بره البلد|تذكره|سفر|cam model|content creator|earn|brand ambassador|embajador|ambassadeur|embaixador|markenbotschafter|амбассадор|height|estatura|taille|altura|рост|الطول|scholarship|beca|bourse|bolsa de estudo|stipendium|стипенди|منحه|marriage|matrimonio|mariage|casamento|heirat|свадьб|брак|جواز|arranged|arreglado|arrange|arranjado|arrangiert|договорен|متفق عليه|begging|mendigar|mendier|pedir esmola|betteln|попрошайнич|شحاته|promo girls|yacht|nanny|au pair|nail bar|car wash|spend time with u|spend time with you|pasar tiempo contigo|passer du temps avec toi|passar tempo com vc|zeit mit dir|провести время с тобой",
    ),
    (
        "debt",
        "owe|owes|debt|pay back|pay us back|work it off|work off|passport|documents|id card|deben|deuda|devuelves|pasaporte|doivent|dette|rembours|passeport|papiers|devem|divida|devolve|passaporte|schulden|zuruckzahl|abarbeit|ausweis|должн|долг|отработ|паспорт|مديون|عليهم فلوس|تسدد|باسبور|البطاقه",
    ),
    (
        "drugs",
        "weed|bud$|xanax|pills|percs|vape|vapes|elf bar|disposable|nic pouch|nicotine|snus|alcohol|vodka|booze|shrooms|tabs|snow$|carts|coke|mdma|molly|plug$|menu|diet pills|fat burner|laxative|maria|hierba|pastillas|porros|vaper|pods|beuh|shit$|cachet|puff|vape|maconha|erva|bala$|pino$|pod$|gras|pillen|einweg|nikotin|травк|шишк|таблет|соль|вейп|одноразк|снюс|حشيش|بانجو|برشام|ترامادول|فيب|سجاير|شيشه|🍃|💊|🍄|❄|codeine|codeina|kodein|кодеин|كودايين|lean$|syrup|jarabe|sirop|xarope|sirup|сироп|شراب|space cake|edibles|gummies|gominolas|bonbons|gomas|fruchtgummi|мармелад|plug in|🔌|nos$|laughing gas|gas de la risa|gaz hilarant|gas do riso|lachgas|веселящий газ|poppers|fake id|dni falso|fausse carte|rg falso|gefalschter ausweis|поддельн",
    ),
    (
        "weapon",
        "knife|blade|zombie knife|taser|gun|strap$|piece$|navaja|pistola|arma|couteau|flingue|faca|messer|knarre|schreckschuss|нож|ствол|травмат|مطوه|سلاح|مسدس|brass knuckles|knuckle dusters|nudilleras|poing americain|soco ingles|schlagring|кастет|بوكس حديد|baton|porra|matraque|cassetete|schlagstock|дубинк|machete|machette|facao|мачете|ساطور",
    ),
    (
        "gambling",
        "bet$|bets|betting|gamble|casino|slots|roulette|loot box|case opening|cash out|odds|apuesta|apostar|parie|paris sportif|aposta|wette|casino|ставь|ставк|казино|راهن|مراهن|🎰|double your money|double ur money|duplica|double ton argent|dobra seu|verdopple|удвой|ضاعف|accas|acca$|coinflip|crash game|jackpot|cassino|казино|كازينو|spin|tirada|tours gratuits|giros|freispiele|вращени|50x|10x|any age|all ages|todas las edades|tous les ages|qualquer idade|jedes alter|любой возраст|اي سن",
    ),
    (
        "no_age_check",
        "no id|no age check|under 18|under 18s|any age|kids allowed|minors|sin dni|sin comprobar|menores|sin verificar edad|sans carte|pas de controle|mineurs|sem rg|sem checar|menor pode|sem verificar|ohne ausweis|keine alterskontrolle|unter 18|ohne altersprufung|без паспорта|без проверки|до 18|малолетк|من غير بطاقه|تحت 18|مش بنسأل|use ur mums card|use your mums card",
    ),
    (
        "selling",
        "selling|for sale|sell$|got some|cheap|price|delivery|deliver|drop to|hmu|dm for|dm me|vendo|barato|te lo llevo|je vends|pas cher|livraison|vendo|entrego|verkaufe|billig|liefere|продаю|дёшев|дешев|доставк|привезу|ببيع|رخيص|توصيل|بوصل",
    ),
    (
        "prize",
        "won$|you won|winner|prize|congrat|claim|giveaway|free iphone|free robux|lucky|voucher|ganado|ganaste|premio|enhorabuena|felicidades|gagne|cadeau|felicitation|ganhou|premio|parabens|sorteado|gewonnen|gluckwunsch|preis|выиграл|поздравля|приз|كسبت|فزت|مبروك|جايزه|picked u|picked you|te eligio|t a choisi|te escolheu|hat dich ausgewahlt|выбрал тебя|اختارك|streamer|🎁|shipping|envio|frete|versand",
    ),
    (
        "account",
        "account|password|passwd|login|log in|verify|verification|2fa|code|suspended|banned|deleted|hacked|support|admin|cuenta|contrasena|verifica|codigo|compte|mot de passe|identifiant|verifie|conta|senha|verifica|codigo|konto|passwort|bestatig|login|аккаунт|пароль|код|подтверд|логин|حساب|الاكونت|باسورد|الباسورد|كلمه السر|الكود|اكد|email|correo|mail$|e mail|почт|ايميل|pw$|pwd|icloud|google photos|memories|login to see|log in to see|inicia sesion|connecte toi|faz login|melde dich an|войди|سجل دخول|got leaked|filtrad|fuite|vazou|geleakt|утекл|اتسربت|max level|nivel maximo|niveau max|максимальн|لفل",
    ),
    (
        "link",
        "#link|click|link|tap here|enlace|haz clic|lien|clique|clica|klick|ссылк|жми|لينك|دوس",
    ),
    (
        "invest",
        "invest|crypto|bitcoin|trading|profit|10x|double|scheme|returns|invierte|cripto|investis|crypto|investe|robo|investier|krypto|вложи|крипт|схем|استثمر|كريبتو|mining|mineria|minage|mineracao|майнинг|تعدين|daily$|diario|par jour|por dia|taglich|ежедневн|يوميا|invite 3|invite friends|invita amigos|invite des amis|convida amigos|lade freunde|пригласи друзей|ادعي صحابك|doubling|duplico|je double|verdopple|удваиваю|بضاعف",
    ),
    (
        "address",
        "address|live at|my house|our house|street|road|lane|avenue|flat$|postcode|door|next to the|opposite the|behind the|direccion|vivo en|calle|avenida|piso|adresse|j habite|rue$|endereco|moro na|rua$|apto|adresse|ich wohne|strasse|weg$|адрес|живу на|улиц|подъезд|عنوان|ساكنين|شارع|عماره|شقه|spare key|under the mat",
    ),
    (
        "school",
        "school|year 7|year 8|class$|grade|primary|academy|high$|colegio|cole$|instituto|college|lycee|escola|colegio|schule|gymnasium|школ|гимнази|лице|مدرس|فصل",
    ),
    (
        "phone",
        "#phone|number|phone|call me|text me|numero|telefono|movil|portable|appelle|celular|me liga|nummer|handy|ruf mich|номер|телефон|звони|رقم|موبايل|كلمني على",
    ),
    (
        "location",
        "live location|location|where do you live|where do u live|where are you|what time do you finish|get home|walk home|finish at|ubicacion|donde vives|a que hora sales|localisation|position|tu habites|tu sors|localizacao|onde vc mora|que horas vc sai|standort|wo wohnst|wann hast du schluss|геолокац|локац|где ты живешь|во сколько|اللوكيشن|موقعك|ساكن فين|بتخرج امتى",
    ),
    (
        "home_alone",
        "parents are out|parents out|home alone|on my own|by myself|at work till|away all weekend|no estan|estoy sola|estoy solo|sont pas la|je suis seule|je suis seul|nao tao em casa|to sozinh|sind nicht da|bin allein|ich bin allein|на работе|уехали|я одна|я один|مش في البيت|لوحدي",
    ),
    (
        "second_person",
        "u$|you|ur$|your|yours|tu$|te$|ti$|tus$|toi$|ton$|ta$|tes$|vc$|voce|você|seu$|sua$|du$|dich|dir$|dein|ты$|тебя|тебе|твой|твои|انت|انتي|ليك|بتاعك",
    ),
    (
        "first_person",
        "i$|im$|i m$|me$|my$|myself|yo$|me$|mi$|je$|moi$|mon$|ma$|eu$|meu$|minha$|ich$|mich|mir$|mein|я$|меня|мне|мой|انا|نفسي",
    ),
    (
        "trade",
        "mm$|middleman|intermediario|intermediaire|mittelsmann|гарант|وسيط|trade$|swap|intercambio|echange|troca|tausch|обмен|تبادل|pay first|paga primero|paie d abord|paga primeiro|zuerst zahlen|сначала деньги|ادفع الاول|paypal me|i go first|u go first|you go first|tu primero|toi d abord|vc primeiro|du zuerst|ты первый|انت الاول|items|objetos|objets|itens|gegenstande|вещи|حاجات|selling my account|vendo mi cuenta|vends mon compte|vendo minha conta|verkaufe meinen account|продаю аккаунт|ببيع الاكونت",
    ),
    (
        "personal_detail",
        "full name|nombre completo|nom complet|nome completo|vollstandiger name|полное имя|اسمي بالكامل|birthday is|cumpleanos es|anniversaire c est|aniversario e|geburtstag ist|день рождения|عيد ميلادي|dob$|pin$|pin is|el pin|code pin|senha do cartao|pin ist|пин|الرقم السري|id card|carnet|carte d identite|rg$|ausweis|паспорт|بطاقتي|البطاقه|room is|mi cuarto|ma chambre|meu quarto|mein zimmer|моя комната|اوضتي|house is empty|casa vacia|maison vide|casa vazia|haus leer|дом пустой|البيت فاضي|on holiday|de vacaciones|en vacances|de ferias|im urlaub|в отпуске|مسافرين|leave for work|sale a trabajar|part au travail|sai pro trabalho|zur arbeit|уходит на работу|بتنزل الشغل|which days|que dias|quels jours|quais dias|welche tage|по каким дням|ايام ايه|what days",
    ),
    (
        "benign_context",
        "surprise|birthday|party|cake|present for|homework|teacher|lesson|history|news|documentary|pharmacist|doctor|counsellor|counselor|therapist|scam warning|be careful|watch out|dont click|looks like a scam|is a scam|coach|training|practice|match$|tournament|gg$|game$|lol$|haha|😂|💀|sorpresa|cumple|deberes|profe|clase|historia|entrenador|surprise|anniv|devoirs|prof$|histoire|coach|festa|aniversario|dever|professora|historia|treino|uberraschung|geburtstag|hausaufgaben|lehrer|geschichte|training|сюрприз|день рожд|домашк|учител|истори|тренер|مفاجأه|عيد ميلاد|الواجب|المدرس|التاريخ|الكابتن|ههه|kkk|mdr|ахах|jaja|psychologist|psicolog|psy$|psycholog|психолог|نفسي$|film about|documentary|documental|documentaire|documentario|doku|фильм про|فيلم عن|essay|redaccion|redaction|redacao|aufsatz|сочинени|تعبير|museum|museo|musee|museu|музей|متحف|volunteer|voluntari|benevol|freiwillig|волонтер|متطوع|exchange student|austausch|تبادل طلابي|lent$|cuaresma|careme|quaresma|fastenzeit|рамадан|رمضان|puzzle|rompecabezas|quebra cabeca|пазл|بازل|chess|ajedrez|echecs|xadrez|schach|шахмат|شطرنج|sunset|atardecer|coucher de soleil|por do sol|sonnenuntergang|закат|الغروب|secret santa|amigo invisible|amigo secreto|wichteln|тайный санта|detention|castigo|colle$|nachsitzen|coursework|school trip|excursion|sortie scolaire|passeio da escola|klassenfahrt|экскурси|رحله|inhaler|inhalador|inhalateur|bombinha|inhalator|ингалятор|بخاخ|gap year|dishes|platos|vaisselle|louca|abwasch|посуда|المواعين|grandpa|abuelo|vovo|opa$|дедушк|جدو|wedding|boda|hochzeit|فرح",
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
        if n < 2
            && word.starts_with(prefix)
            && rest >= 4
            && out[..n].iter().all(|o| *o != Some(prefix.len()))
        {
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
