"""German chat vocabulary and rules, layered over Pattern's German polarity lexicon.

The Klenner et al. lexicon that ``textblob-de`` ships is built from newspaper German: it lacks
most food and chat words ("lecker", "labbrig", "Hammer", "naja"), scores every entry at about
±0.7 or ±1.0, and has a few entries that are wrong for a shop's chat ("Teuerung" positive).
``WORDS`` adds and overrides; everything else here is the grammar the scorer needs.
"""

from __future__ import annotations

from typing import Final

from bot.sentiment.constructions import Constructions
from bot.sentiment.lexicon import scored_words, word_set

WORDS: Final = scored_words(
    """
    lecker=0.8 leckerer=0.8 lecka=0.8 köstlich=0.9 superlecker=0.9 oberlecker=0.9
    geil=0.8 hammer=0.8 hammermäßig=0.8 spitze=0.8 spitzenmäßig=0.8 klasse=0.8 genial=0.9
    großartig=0.9 wunderbar=0.9 wunderschön=0.9 fantastisch=0.9 phantastisch=0.9
    traumhaft=0.9 himmlisch=0.9 göttlich=0.9 perfekt=0.9 prima=0.7 toll=0.8 super=0.8
    top=0.7 stark=0.3 nice=0.6 cool=0.5 krass=0.1 knusprig=0.6 kross=0.6 fluffig=0.6
    saftig=0.6 frisch=0.5 buttrig=0.5 aromatisch=0.5 cremig=0.5 zart=0.4 locker=0.3
    freundlich=0.7 nett=0.6 lieb=0.6 hilfsbereit=0.7 geduldig=0.5 zuvorkommend=0.7
    herzlich=0.7 schnell=0.4 pünktlich=0.5 zuverlässig=0.6 praktisch=0.5 schick=0.6
    schön=0.7 hübsch=0.6 süß=0.3 gemütlich=0.6 zufrieden=0.7 begeistert=0.8
    glücklich=0.7 froh=0.6 freue=0.6 freu=0.6 gefreut=0.6 liebe=0.7 lieben=0.7 liebt=0.7
    liebste=0.8 geliebt=0.6 empfehlen=0.6 empfehlenswert=0.7 empfehle=0.6 danke=0.3
    dankeschön=0.4 gelungen=0.7 unschlagbar=0.8 fair=0.5 günstig=0.5 preiswert=0.5
    traum=0.8 wahnsinn=0.6 wucht=0.7 knaller=0.7 gedicht=0.7 genuss=0.7 bombe=0.6
    weltklasse=0.9 gefällt=0.6 gefallen=0.5 mag=0.5 mochte=0.4 feier=0.5 feiere=0.5
    beste=0.8 besten=0.8 bester=0.8 bestes=0.8 besser=0.4 verliebt=0.8 lob=0.6 bravo=0.7
    juhu=0.7 yay=0.7 endlich=0.2 klappt=0.3 geklappt=0.3 funktioniert=0.3 easy=0.4
    spitzenklasse=0.9 oberhammer=0.9 erstklassig=0.9 hervorragend=0.9 ausgezeichnet=0.9
    sensationell=0.9 grandios=0.9 köstlichkeit=0.8 hilfreich=0.6 kompetent=0.6
    leider=-0.4 schade=-0.5 enttäuscht=-0.8 enttäuschend=-0.8 enttäuschung=-0.7
    eklig=-0.8 ekelhaft=-0.9 widerlich=-0.9 scheiße=-0.9 scheisse=-0.9 scheiß=-0.8
    scheiss=-0.8 mist=-0.6 kacke=-0.7 müll=-0.7 schrott=-0.7 mies=-0.7 mau=-0.4 lahm=-0.5
    langweilig=-0.5 fad=-0.5 fade=-0.5 labbrig=-0.6 lappig=-0.5 pappig=-0.6 matschig=-0.6
    zäh=-0.5 trocken=-0.5 hart=-0.3 steinhart=-0.6 alt=-0.2 altbacken=-0.6 verbrannt=-0.6
    angebrannt=-0.6 roh=-0.4 fettig=-0.5 wässrig=-0.5 lauwarm=-0.4 kalt=-0.3 sauer=-0.4
    versalzen=-0.6 ungenießbar=-0.9 teuer=-0.5 überteuert=-0.8 abzocke=-0.8 wucher=-0.7
    unverschämt=-0.8 frech=-0.5 unfreundlich=-0.8 pampig=-0.7 patzig=-0.7 unhöflich=-0.8
    arrogant=-0.6 genervt=-0.6 nervt=-0.6 nervig=-0.6 ätzend=-0.7 ärgerlich=-0.6
    wütend=-0.8 traurig=-0.5 schlimm=-0.7 furchtbar=-0.8 schrecklich=-0.8
    katastrophe=-0.8 katastrophal=-0.9 unmöglich=-0.6 peinlich=-0.6 kaputt=-0.6
    zerdrückt=-0.6 zerquetscht=-0.6 gerissen=-0.4 reißen=-0.4 reißt=-0.4 undicht=-0.5
    ausgelaufen=-0.5 verspätet=-0.5 verspätung=-0.5 spät=-0.3 ewig=-0.3 ausverkauft=-0.3
    storniert=-0.4 falsch=-0.5 fehler=-0.4 fehlt=-0.3 fehlte=-0.3 fehlen=-0.3
    abgestürzt=-0.5 stürzt=-0.4 hängt=-0.3 unpraktisch=-0.5 umständlich=-0.5 flop=-0.6
    reinfall=-0.7 naja=-0.3 nja=-0.3 mäh=-0.3 meh=-0.35 bäh=-0.6 igitt=-0.8 pfui=-0.7
    komisch=-0.3 seltsam=-0.3 mittelmäßig=-0.4 durchschnittlich=-0.2 ok=0.05 okay=0.05
    okey=0.05 teuerung=-0.4 langsam=-0.4 lauwarm=-0.4 dreckig=-0.7 schmutzig=-0.7
    verschimmelt=-0.9 schimmel=-0.7 schimmelig=-0.9 hinüber=-0.5 vergessen=-0.3
    ignoriert=-0.5 gestresst=-0.3 unfassbar=-0.2 frechheit=-0.8 zumutung=-0.8
    ärgere=-0.5 ärgert=-0.5 sauer=-0.4 unzufrieden=-0.7 nervend=-0.6 enttäuschen=-0.6
    übel=-0.6 kläglich=-0.6 grottig=-0.8 grottenschlecht=-0.9 lächerlich=-0.6
    # Pattern entries that mislead on logistics chat ("hoch", "klar", "normal"): neutralised
    hoch=0 klar=0 sicher=0 normal=0 neu=0 neue=0 neuen=0 groß=0 gross=0 klein=0 warm=0.2
    # Shop nouns Klenner scores as opinions ("Qualität" +, "Preis"): aspects, not verdicts
    qualität=0 preis=0 preise=0 lust=0 kostenlos=0.1 gratis=0.1 offen=0 ehrlich=0
    # A preposition ("trotz Stress geduldig"), not a complaint
    trotz=0
    erwartet=0 ernst=0
    # Service verbs: mildly good alone, a complaint when negated ("meldet sich nicht")
    antwortet=0.25 antworten=0.25 meldet=0.25 melden=0.25 reagiert=0.25 reagieren=0.25
    stimmt=0.3 klappt=0.3 geklappt=0.3 funktioniert=0.3 rockt=0.7 rocken=0.7 ruckzuck=0.4
    runter=-0.3 lieblos=-0.6 schwach=-0.6 zusammengedrückt=-0.6 plattgedrückt=-0.6
    lahmarschig=-0.7 dürftig=-0.5 mager=-0.4 geizig=-0.5 knauserig=-0.5 verpeilt=-0.5
    endlos=-0.3
    # General chat vocabulary (written from the language, not from any labelled message)
    vorzüglich=0.9 exzellent=0.9 schmackhaft=0.7 appetitlich=0.6 unwiderstehlich=0.8
    fein=0.6 herrlich=0.8 überragend=0.9 umwerfend=0.8 bombastisch=0.8 sympathisch=0.6
    aufmerksam=0.6 flott=0.5 zügig=0.5 reibungslos=0.6 unkompliziert=0.6 problemlos=0.5
    hochwertig=0.6 edel=0.5 stylisch=0.6 knackig=0.5 dankbar=0.6 stolz=0.5 hurra=0.7
    endgeil=0.9 hammergeil=0.9 affengeil=0.9 yeah=0.5 toppen=0.3
    ekelig=-0.8 abartig=-0.8 dreist=-0.7 stinkt=-0.6 ranzig=-0.8 gammelig=-0.8
    vergammelt=-0.8 gummiartig=-0.6 klebrig=-0.4 staubtrocken=-0.7 überzuckert=-0.5
    übersüßt=-0.5 geschmacklos=-0.7 inkompetent=-0.7 chaotisch=-0.5 chaos=-0.5
    unorganisiert=-0.6 kompliziert=-0.4 happig=-0.5 skandal=-0.8 unzumutbar=-0.8
    inakzeptabel=-0.8 miserabel=-0.9 mangelhaft=-0.7 ungenügend=-0.7 desaster=-0.8
    albtraum=-0.8 blöd=-0.6 doof=-0.6 bescheiden=-0.4 verbesserungswürdig=-0.4
    ausbaufähig=-0.3 nachgelassen=-0.5 würg=-0.7 uff=-0.2 puh=-0.2 schlechter=-0.6
    verärgert=-0.7 frustriert=-0.7 frustrierend=-0.7 unzuverlässig=-0.6
    sucht=0 frei=0 später=0 durchgeweicht=-0.6 matsch=-0.6 matschig=-0.6
    reicht=-0.2 kleiner=0 teurer=-0.3
    # Clothing and returns (a fashion brand's club)
    eingegangen=-0.5 eingelaufen=-0.5 unbrauchbar=-0.8 billig=-0.3
    abgestanden=-0.6 bitter=-0.4 verzug=-0.5 lieferverzug=-0.5 kratzig=-0.5 kratzt=-0.5
    ausgeleiert=-0.6 verwaschen=-0.4 verfärbt=-0.5 löchrig=-0.6 schatz=0.7 weich=0.4
    bequem=0.6 kuschelig=0.6 stylish=0.6 zugeschlagen=0.3 passgenau=0.6
    """
)

INTENSIFIERS: Final[dict[str, float]] = {
    "sehr": 1.3, "total": 1.4, "echt": 1.3, "richtig": 1.3, "voll": 1.3, "mega": 1.5,
    "ziemlich": 1.1, "recht": 1.1, "so": 1.2, "soo": 1.3, "sooo": 1.4, "besonders": 1.2,
    "extrem": 1.5, "absolut": 1.4, "wirklich": 1.3, "wahnsinnig": 1.5, "unglaublich": 1.5,
    "krass": 1.4, "sau": 1.4, "ultra": 1.5, "einfach": 1.1, "komplett": 1.3, "völlig": 1.3,
    "viel": 1.2, "etwas": 0.7, "bisschen": 0.7, "bissl": 0.7, "bissel": 0.7, "leicht": 0.7,
    "eher": 0.8, "fast": 0.8, "ganz": 1.1, "äußerst": 1.5, "super": 1.5, "irre": 1.4,
    "zu": 1.2, "unfassbar": 1.5, "arg": 1.3, "tierisch": 1.4, "höllisch": 1.4,
}  # fmt: skip

# Intensifiers that praise on their own when nothing follows them ("Super!", "Mega!").
STANDALONE: Final[dict[str, float]] = {"super": 0.8, "mega": 0.7, "krass": 0.1}

TOO_WORDS: Final = word_set("zu")

NEGATIONS: Final = word_set(
    "nicht nich net kein keine keinen keiner keinem keines nie niemals nix nichts niemand "
    "ohne weder kaum nö nee"
)

# Negations that may also come after the verb they negate ("gefällt mir nicht").
# "anders" only after "ist": "Freundlich ist anders" denies what came before it.
POST_NEGATIONS: Final = word_set("nicht nich net nie nix nichts anders")
# Sentence adverbs that carry a mood but are never what a negation negates ("leider").
COMMENTARY: Final = word_set("leider schade ehrlich")
# Information questions: "wie lange bleiben die Brötchen gut?" asks, it does not praise.
WH_WORDS: Final = word_set("wie was wo wann welche welcher welches wieviel wohin woher")

# Contrast words: what follows them weighs more ("mag ich, aber zu teuer").
CONTRAST: Final = word_set("aber jedoch allerdings")

# "könnte besser sein" complains, "besser geht's nicht" praises; "noch nie so lecker"
# praises (constructions.py).
GRAMMAR: Final = Constructions(
    modals=word_set(
        "könnte könnten koennte koennten kann können koennen konnte hätte hätten haette "
        "haetten wäre wären waere waeren sollte sollten müsste muesste dürfte duerfte"
    ),
    late_modals=word_set("geht gehts geht's ginge"),
    bridge=word_set(
        "sein gewesen werden geworden können koennen laufen schmecken es das der die noch "
        "viel deutlich etwas bisschen ein wenig einiges wirklich echt ruhig durchaus auch "
        "schon mal man ehrlich gesagt eigentlich"
    ),
    comparatives={"besser": 0.5, "schlechter": -0.5, "schlimmer": -0.5},
    comparison=word_set("als wie wenn falls"),
    never=word_set("nie niemals"),
    degree=word_set("so solch solche solchen solcher solches son sone so'n"),
)

SCOPE_BREAKERS: Final = word_set("aber doch trotzdem jedoch sondern obwohl allerdings nur")

PHRASES: Final[dict[str, float | None]] = {
    "was für ein service": 0.6, "macht den unterschied": 0.6, "keiner geht ran": -0.5,
    "niemand geht ran": -0.5, "geht keiner ran": -0.5, "immer länger": -0.4,
    "verstehe nicht warum": -0.4, "versteh nicht warum": -0.4,
    "kein geld zurück": -0.5, "hinten und vorne nicht": -0.6, "ich bin raus": -0.5,
    "sieht billig aus": -0.6,
    "schick euch": 0.0, "schick dir": 0.0, "schick ich": 0.0, "schick mir": 0.0,
    "immer kleiner": -0.5, "immer teurer": -0.5, "immer schlechter": -0.6,
    "immer besser": 0.6, "nicht mal": -0.4, "nicht einmal": -0.4, "nicht genug": -0.4,
    "zu wenig": -0.4, "zu viel": -0.4, "langsam reicht": -0.6, "es reicht": -0.6,
    "reicht jetzt": -0.6, "komm nicht rein": -0.5, "komme nicht rein": -0.5,
    "nicht zu toppen": 0.8, "zu empfehlen": 0.6, "hat sich gelohnt": 0.6,
    "lässt nach": -0.5, "lässt zu wünschen übrig": -0.6, "keine wünsche offen": 0.8,
    "gönn dir": 0.4, "immer wieder": 0.2,
    "wie auf dem foto": 0.3, "wie auf dem bild": 0.3, "next level": 0.7,
    "nicht euer ernst": -0.6, "net euer ernst": -0.6, "nicht dein ernst": -0.6,
    "alles weg": -0.4, "mehr erwartet": -0.5, "besser erwartet": -0.5, "ehrlich gesagt": 0.0,
    "nicht meins": -0.5, "nicht mein ding": -0.5, "nicht so meins": -0.4, "war nix": -0.5,
    "war nichts": -0.5, "ist nix": -0.5, "taugt nix": -0.7, "taugt nichts": -0.7,
    "hin und weg": 0.8, "so nicht": -0.4,
    "nie wieder": -0.7, "nie mehr": -0.6, "weiter so": 0.6, "gerne wieder": 0.6,
    "gern wieder": 0.6, "immer wieder gerne": 0.7, "keine antwort": -0.5,
    "keine reaktion": -0.5, "keine rückmeldung": -0.5, "keine ahnung": 0.0,
    "kein problem": 0.1, "kein wunder": -0.2, "na toll": -0.5, "na super": -0.5,
    "na klasse": -0.5, "geht gar nicht": -0.7, "geht so": -0.3, "geht's noch": -0.5,
    "gehts noch": -0.5, "schon mal besser": -0.4, "schon besser": -0.3,
    "nach nix": -0.5, "nach nichts": -0.5, "nach pappe": -0.6, "lohnt sich": 0.5,
    "daumen hoch": 0.7, "daumen runter": -0.7, "hat gepasst": 0.5, "passt": 0.4,
    "schon wieder": -0.3, "zu ende": 0.0, "zu hause": 0.0, "zu spät": -0.5,
    "so ein käse": -0.5, "so ein mist": -0.7, "läuft bei euch": 0.6, "läuft bei dir": 0.6,
    "kann man nicht meckern": 0.5, "nicht meckern": 0.5, "keine lust": -0.3,
    "kein bock": -0.4, "keiner bock": -0.4, "keinen bock": -0.4, "on point": 0.7,
    "nicht mehr": None, "gar nicht": None, "überhaupt nicht": None,
    "ist euer ernst": -0.5, "euer ernst": -0.5, "im ernst": -0.3, "ohne probleme": 0.4,
    "alles andere als": None, "weit entfernt von": None, "weit davon entfernt": None,
    "ist anders": None,
    "ohne zucker": 0.0, "ohne gluten": 0.0, "ohne laktose": 0.0, "ohne hefe": 0.0,
}  # fmt: skip

YES_NO_OPENERS: Final = word_set(
    "ist sind war waren hat haben habt hast gibt gibts gab kann kannst könnt können kommt "
    "kommen macht machen muss müssen wird werden soll sollte darf bin seid weiß weiss wisst "
    "liefert liefern geht gilt hätte wäre würde funktioniert jemand wer schmeckt schmecken"
)
WHY_WORDS: Final = word_set("warum wieso weshalb weswegen")

# Compound modifiers that carry the sentiment of the whole word ("Scheißservice",
# "Lieblingsbäckerei", "Hammerauswahl").
PREFIXES: Final[dict[str, float]] = {
    "scheiß": -0.8, "scheiss": -0.8, "mist": -0.6, "kack": -0.7, "drecks": -0.8,
    "horror": -0.7, "katastrophen": -0.8, "lieblings": 0.7, "traum": 0.8, "spitzen": 0.8,
    "hammer": 0.8, "klasse": 0.7, "top": 0.7, "bomben": 0.7, "weltklasse": 0.9,
}  # fmt: skip
# Compound modifiers that only strengthen the rest ("superlecker", "steinhart").
BOOSTING_PREFIXES: Final = word_set(
    "super mega ultra sau mords ober hyper extra stein knochen zucker butter tod tot "
    "hammer riesen voll"
)

# Very frequent function words; they vote for German in language identification.
FUNCTION_WORDS: Final = word_set(
    "dann denn nur mir mich dir sich man nochmal gute guten alles leute bis arbeit der die "
    "das und ist nicht ich du wir ihr sie ein eine einen dem den des mit auf für von zu im "
    "auch sehr aber wie was wann wo heute morgen noch schon gibt gibts bitte danke sind war "
    "habe hab hat es kann gut wirklich mal mein meine meinen dein euer eure euch uns jetzt "
    "immer wieder hier da oder weil wenn dass ob kein keine nichts nix bei nach aus vom zum "
    "zur am ums beim echt voll bin bist seid wer wieso warum weiß gestern leider bisschen "
    "ganz viel zusammen ja nein nö nee doch halt eben gerade grad schade freitag samstag "
    "sonntag montag dienstag mittwoch donnerstag woche wochenende uhr so neu waren alle nie "
    "mehr"
)

# Everyday chat and shop words that are evidence of the language too (not function words, so
# topics may still use them).
VOCABULARY: Final = word_set(
    "neue laden kaffee brötchen kuchen torte brot bestellung lieferung filiale verkäuferin "
    "schmeckt neuen neuer neues passt komme kommt finde geht gekauft bestellt unterwegs vorbei"
)


def stems(word: str) -> tuple[str, ...]:
    """Candidate base forms of an inflected German adjective or noun ("leckeren" -> "lecker")."""
    out: list[str] = []
    for suffix in ("sten", "ster", "stes", "ste", "en", "em", "er", "es", "e", "n", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            out.append(word[: -len(suffix)])
    return tuple(out)
