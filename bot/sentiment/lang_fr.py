"""French chat vocabulary and rules, layered over Pattern's French polarity lexicon.

Pattern's ``fr-sentiment.xml`` (from ``textblob-fr``) covers standard adjectives in all their
inflected forms but little of how people write in a group chat ("de ouf", "bof", "dégueu",
"une tuerie", "pas ouf") and under-scores some food words ("nul" -0.2). ``WORDS`` adds and
overrides. Elided forms ("j'adore", "n'est", "l'appli") are split by the scorer.
"""

from __future__ import annotations

from typing import Final

from bot.sentiment.constructions import Constructions
from bot.sentiment.lexicon import scored_words, word_set

WORDS: Final = scored_words(
    """
    bon=0.7 bonne=0.7 bons=0.7 bonnes=0.7 délicieux=0.9 délicieuse=0.9 délicieuses=0.9
    délice=0.8 succulent=0.9 savoureux=0.8 excellent=0.9 excellente=0.9 parfait=0.9
    parfaite=0.9 génial=0.9 géniale=0.9 top=0.7 super=0.7 nickel=0.7 impeccable=0.8
    magnifique=0.9 sublime=0.9 divin=0.9 divine=0.9 incroyable=0.7 incroyables=0.7 ouf=0.6
    dinguerie=0.7 tuerie=0.9 kiff=0.7 kiffe=0.7 kiffé=0.7 canon=0.6 stylé=0.6 chouette=0.7
    sympa=0.6 adorable=0.8 gentil=0.6 gentille=0.6 serviable=0.7 aimable=0.6
    accueillant=0.7 accueillante=0.7 souriant=0.6 souriante=0.6 rapide=0.4 efficace=0.6
    pratique=0.5 pratiques=0.5 joli=0.6 jolie=0.6 beau=0.6 belle=0.6 chic=0.6 mignon=0.6
    mignonne=0.6 content=0.7 contente=0.7 ravi=0.8 ravie=0.8 satisfait=0.7 satisfaite=0.7
    heureux=0.7 heureuse=0.7 fan=0.6 adore=0.8 adoré=0.8 adorée=0.8 aime=0.6 aimé=0.6
    recommande=0.6 recommander=0.6 bravo=0.7 merci=0.3 miam=0.7 moelleux=0.6
    moelleuse=0.6 croustillant=0.6 croustillante=0.6 fondant=0.6 frais=0.4 fraîche=0.4
    beurré=0.4 beurrés=0.4 réussi=0.7 réussie=0.7 correct=0.3 nul=-0.7 nulle=-0.7 naze=-0.6
    pourri=-0.8 pourrie=-0.8 dégueu=-0.8 dégueulasse=-0.9 dégoûtant=-0.9 infect=-0.9
    immangeable=-0.9 mauvais=-0.7 mauvaise=-0.7 fade=-0.5 sec=-0.5 sèche=-0.5 rassis=-0.6
    rassie=-0.6 mou=-0.4 molle=-0.4 molles=-0.4 pâteux=-0.6 pâteuse=-0.6 gras=-0.4
    grasse=-0.4 brûlé=-0.6 brûlée=-0.6 cramé=-0.6 froid=-0.3 froide=-0.3 tiède=-0.4
    cher=-0.4 chère=-0.4 chers=-0.4 arnaque=-0.8 abusé=-0.6 abusée=-0.6 scandaleux=-0.8
    inadmissible=-0.8 inacceptable=-0.8 honteux=-0.8 déçu=-0.7 déçue=-0.7 décevant=-0.7
    décevante=-0.7 déception=-0.7 dommage=-0.5 malheureusement=-0.4 hélas=-0.4
    énervé=-0.7 énervée=-0.7 énervant=-0.7 énerve=-0.6 pénible=-0.6 agaçant=-0.6
    galère=-0.6 lent=-0.4 lente=-0.4 lenteur=-0.5 retard=-0.4 abîmé=-0.6 abîmée=-0.6
    cassé=-0.6 cassée=-0.6 écrasé=-0.6 écrasée=-0.6 déchiré=-0.5 déchirent=-0.4
    fuient=-0.4 fuit=-0.4 plante=-0.4 bug=-0.4 bugs=-0.4 erreur=-0.3 erreurs=-0.3
    raté=-0.6 ratée=-0.6 flop=-0.6 catastrophe=-0.8 horrible=-0.9 affreux=-0.8
    désagréable=-0.7 impoli=-0.7 impolie=-0.7 moyen=-0.3 moyenne=-0.3 bof=-0.4
    mouais=-0.3 bizarre=-0.3 foutu=-0.6 interminable=-0.5 rupture=-0.3 annulé=-0.4
    annulée=-0.4 sucré=0.1 salé=0.0 sale=-0.6 vol=-0.5 triste=-0.5 nulle=-0.7 pire=-0.8
    horrible=-0.9 lamentable=-0.8 minable=-0.7 médiocre=-0.6 limite=-0.3 chiant=-0.7
    relou=-0.6 saoulé=-0.5 gâché=-0.6 gâchée=-0.6 écœurant=-0.7 trop=0.0 ok=0.05 okay=0.05
    génialissime=0.9 merveilleux=0.9 merveilleuse=0.9 formidable=0.9 top=0.7 cool=0.5
    bien=0.4 meilleur=0.8 meilleure=0.8 meilleurs=0.8 mieux=0.4 régal=0.8 régalé=0.8
    régalée=0.8 kiffer=0.6 enfin=0.1 marche=0.2 fonctionne=0.2 hâte=0.6 vivement=0.5
    nouveau=0 nouvelle=0 nouveaux=0 nouvelles=0 grand=0 grande=0 grands=0 grandes=0 petit=0
    petite=0 petits=0 petites=0 premier=0 première=0 chaud=0.1 chaude=0.1 long=0 longue=0
    plein=0 pleine=0 dernier=0 dernière=0 seul=0 seule=0 autre=0 autres=0 vrai=0
    qualité=0 prix=0 sérieux=0 sérieusement=0 gratuit=0.1 gratuite=0.1 ouvert=0 ouverte=0
    répond=0.25 répondent=0.25 marche=0.25 fonctionne=0.25 baisse=-0.3 radin=-0.5
    radine=-0.5 chelou=-0.4 relou=-0.6 saoule=-0.6 soûle=-0.6 gavé=-0.4 stylé=0.6 stylée=0.6
    ptdr=0.1 mdr=0.1 lol=0.05 craqué=0.4 énormes=0.3 énorme=0.3 pourrave=-0.8 claqué=-0.6
    passé=0 passée=0
    exquis=0.9 exquise=0.9 gourmand=0.5 gourmande=0.5 généreux=0.6 généreuse=0.6
    copieux=0.5 raffiné=0.7 extra=0.7 chapeau=0.6 agréable=0.6 chaleureux=0.7
    chaleureuse=0.7 classe=0.6 dingue=0.5 mortel=0.6 bonheur=0.8 slurp=0.6 youpi=0.7
    immonde=-0.9 atroce=-0.9 insipide=-0.6 dur=-0.3 dure=-0.3 malpoli=-0.7 malpolie=-0.7
    agressif=-0.7 incompétent=-0.7 bordel=-0.6 catastrophique=-0.9 zéro=-0.4 honte=-0.7
    beurk=-0.8 berk=-0.8 pfff=-0.4 lente=-0.4 froids=-0.3 déçus=-0.7 décevants=-0.7
    plus=0 tout=0 différent=0 différente=0 trempé=-0.5 trempée=-0.5 bouillie=-0.5
    regardée=0 regardé=0
    rétréci=-0.5 rétrécit=-0.5 inutilisable=-0.8 remboursé=0.3 remboursée=0.3 cheap=-0.4
    amer=-0.4 amère=-0.4 éventé=-0.6 saoulé=-0.5 saoulée=-0.5 abandonne=-0.4 lâché=-0.4
    faux=-0.4 fausse=-0.4 magique=0.8 merveille=0.8 pépite=0.8 amour=0.6 douce=0.4 doux=0.4
    confortable=0.6 délavé=-0.4 troué=-0.6 gratte=-0.5
    """
)

INTENSIFIERS: Final[dict[str, float]] = {
    "très": 1.3, "tres": 1.3, "trop": 1.3, "vraiment": 1.3, "super": 1.5, "hyper": 1.5,
    "grave": 1.3, "tellement": 1.4, "si": 1.2, "vachement": 1.4, "carrément": 1.4,
    "franchement": 1.1, "bien": 1.2, "complètement": 1.3, "totalement": 1.3,
    "extrêmement": 1.6, "peu": 0.7, "légèrement": 0.7, "presque": 0.8, "assez": 1.0,
    "plutôt": 0.9, "archi": 1.5, "ultra": 1.5, "méga": 1.5, "trooop": 1.5, "troop": 1.4,
    "encore": 1.0, "tout": 1.0, "absolument": 1.5, "particulièrement": 1.3,
}  # fmt: skip

STANDALONE: Final[dict[str, float]] = {"super": 0.8, "bien": 0.4, "grave": 0.0}

TOO_WORDS: Final = word_set("trop trooop troop")

NEGATIONS: Final = word_set("ne n pas jamais rien personne aucun aucune sans ni non")

# Negations that may also come after the verb they negate ("gefällt mir nicht").
POST_NEGATIONS: Final = word_set("pas jamais rien plus")
# Sentence adverbs that carry a mood but are never what a negation negates ("leider").
COMMENTARY: Final = word_set("malheureusement hélas dommage franchement")
# Information questions: "wie lange bleiben die Brötchen gut?" asks, it does not praise.
WH_WORDS: Final = word_set("comment combien quand où quel quelle quels quelles qui")

# Contrast words: what follows them weighs more ("mag ich, aber zu teuer").
CONTRAST: Final = word_set("mais cependant pourtant")

# "ne … pas" is one negation; "ça pourrait être mieux" complains, "on ne peut pas faire mieux"
# praises; "jamais … aussi bon" praises (constructions.py).
GRAMMAR: Final = Constructions(
    modals=word_set(
        "pourrait pourraient pourrais peut peuvent pouvait pouvaient aurait auraient aurais"
    ),
    bridge=word_set(
        "être etre été ete pu faire fait ça ca cela c un peu beaucoup bien encore nettement "
        "vraiment carrément franchement honnêtement quand même"
    ),
    comparatives=dict.fromkeys(("mieux", "meilleur", "meilleure", "meilleurs", "meilleures"), 0.5)
    | dict.fromkeys(("pire", "pires"), -0.5),
    more=word_set("plus"),
    comparison=word_set("que qu si comme"),
    never=word_set("jamais"),
    degree=word_set("aussi si tellement autant tel telle tels telles pareil pareille"),
    ne=word_set("ne"),
    ne_closers=word_set("pas jamais rien plus personne aucun aucune guère point nullement"),
    restrictive=word_set("que"),
)

SCOPE_BREAKERS: Final = word_set("mais pourtant cependant sauf néanmoins")

PHRASES: Final[dict[str, float | None]] = {
    "quel service": 0.5, "fait la différence": 0.6, "font la différence": 0.6,
    "de plus en plus longue": -0.4, "comprends pas pourquoi": -0.4,
    "rien à voir": -0.3, "fait cheap": -0.6, "pas remboursé": -0.5,
    "pas remboursée": -0.5,
    "de plus en plus petit": -0.5, "de plus en plus petits": -0.5,
    "de plus en plus petite": -0.5, "de plus en plus petites": -0.5,
    "de plus en plus cher": -0.5, "de plus en plus chers": -0.5, "de mieux en mieux": 0.6,
    "de pire en pire": -0.7, "même pas": -0.4, "pas assez": -0.4, "trop peu": -0.4,
    "commence à bien faire": -0.6, "en bouillie": -0.6, "pas en mieux": -0.4,
    "laisse à désirer": -0.6, "pas fou": -0.4, "pas dingue": -0.4, "tant pis": -0.3,
    "la honte": -0.7, "top du top": 0.9, "vraiment bien": 0.6, "bof bof": -0.5,
    "à la photo": 0.3, "next level": 0.7,
    "tout vendu": -0.4, "plus rien": -0.4, "attendais à mieux": -0.5,
    "attendais mieux": -0.5, "pas pour moi": -0.5, "vaut rien": -0.6, "passe crème": 0.7,
    "ça passe": 0.3, "nul à chier": -0.9, "à chier": -0.8, "en baisse": -0.4,
    "en hausse": -0.1,
    "de ouf": 0.8, "pas ouf": -0.5, "pas terrible": -0.5, "pas top": -0.4,
    "plus jamais": -0.7, "c'est du vol": -0.8, "du vol": -0.7, "hors de prix": -0.7,
    "porte de prison": -0.8, "pas de réponse": -0.5, "aucune réponse": -0.5,
    "continuez comme ça": 0.7, "rien à redire": 0.6, "rien à dire": 0.4,
    "pas de souci": 0.1, "pas de soucis": 0.1, "pas de problème": 0.1, "sans gluten": 0.0,
    "sans sucre": 0.0, "sans lactose": 0.0, "sans prévenir": -0.4, "un peu": None,
    "meilleur avant": -0.4, "mieux avant": -0.4, "au top": 0.8, "le feu": 0.7,
    "c'est le feu": 0.8, "la galère": -0.6, "aucun goût": -0.6, "goût de carton": -0.6,
    "de carton": -0.5, "en retard": -0.5, "en rupture": -0.4, "bon appétit": 0.0,
    "n'importe quoi": -0.6, "coup de cœur": 0.8, "pas mal": 0.4, "trop bien": 0.8,
    "pas cher": 0.4, "pas très": None, "pas trop": None, "pas du tout": None,
    # "anything but good": what follows is denied, whatever the word.
    "loin d'être": None, "tout sauf": None,
}  # fmt: skip

YES_NO_OPENERS: Final = word_set(
    "est vous il elle on y c'est quelqu'un tu ça ca le la les peut peux pouvez faut"
)
WHY_WORDS: Final = word_set("pourquoi")

PREFIXES: Final[dict[str, float]] = {}
BOOSTING_PREFIXES: Final = frozenset[str]()

FUNCTION_WORDS: Final = word_set(
    "en y à joyeux anniversaire équipe peut on par va vais le la les un une des et est c'est "
    "je tu il elle nous vous ils elles pas ne que qui pour avec dans sur au aux du de très "
    "mais quand où aujourd'hui demain merci était sont trop bon bien ce cette ces mon ma mes "
    "ton ta tes son sa ses notre nos votre vos leur leurs suis es sommes êtes ai as avons "
    "avez ont fait faire encore toujours jamais rien ici là alors donc car parce comme aussi "
    "déjà vraiment franchement quoi comment combien pourquoi quel quelle j'ai j'adore c'était "
    "ça oui non bonjour salut svp stp a samedi dimanche lundi mardi mercredi jeudi vendredi "
    "semaine matin soir hier nouveau nouvelle nouveaux"
)

# Everyday chat and shop words that are evidence of the language too (not function words, so
# topics may still use them).
VOCABULARY: Final = word_set("gâteau commande livraison vendeuse goût")


def stems(word: str) -> tuple[str, ...]:
    """Candidate base forms of an inflected French adjective ("délicieuses" -> "délicieux")."""
    out: list[str] = []
    if word.endswith("euses"):
        out.append(word[:-5] + "eux")
    elif word.endswith("euse"):
        out.append(word[:-4] + "eux")
    if word.endswith("ives"):
        out.append(word[:-4] + "if")
    elif word.endswith("ive"):
        out.append(word[:-3] + "if")
    for suffix in ("es", "s", "e", "x"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            out.append(word[: -len(suffix)])
    return tuple(out)
