"""The message catalogs: extract the English ids from the code, merge them into each language.

    python -m tools.i18n extract   # bot/locale/messages.pot from the code
    python -m tools.i18n update    # extract, then merge into every bot/locale/*/.../messages.po
    python -m tools.i18n missing   # ids a language still lacks (empty or fuzzy), per language

Translators edit the ``.po`` files (Poedit, Weblate, a text editor); the install compiles
them (``hatch_build.py``). ``tests/test_i18n_catalogs.py`` runs the same extraction and fails
when the template is stale or a language is incomplete.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LOCALE_DIR = ROOT / "bot" / "locale"
TEMPLATE = LOCALE_DIR / "messages.pot"
# t._("..."), t.n_("one", "many", n) and N_("...") (marked where defined, translated later).
KEYWORDS = {"_": None, "n_": (1, 2), "N_": None}
# "# limit: 200" above a message tells translators (and the test) Telegram's cap on it.
COMMENT_TAGS = ("limit:", "Translators:")
# The sandbox imitates Telegram and the demo narrates for the developer: not the bot's voice.
METHOD_MAP = [("sandbox/**.py", "ignore"), ("**.py", "python")]
# Fixed so that extracting twice writes the same file.
EPOCH = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def extract() -> Catalog:
    catalog = Catalog(
        project="community-bot", creation_date=EPOCH, revision_date=EPOCH, fuzzy=False
    )
    found = extract_from_dir(
        str(ROOT / "bot"),
        method_map=METHOD_MAP,
        keywords=KEYWORDS,
        comment_tags=COMMENT_TAGS,
        strip_comment_tags=False,
    )
    for filename, _lineno, message, comments, context in found:
        catalog.add(
            message, None, [(f"bot/{filename}", None)], auto_comments=comments, context=context
        )
    return catalog


def write(catalog: Catalog, path: Path) -> None:
    with path.open("wb") as handle:
        # No line numbers: they would change the files on every edit of the code.
        write_po(handle, catalog, width=99, sort_by_file=True, include_lineno=False)


def languages() -> list[Path]:
    return sorted(LOCALE_DIR.glob("*/LC_MESSAGES/messages.po"))


def update() -> None:
    template = extract()
    write(template, TEMPLATE)
    for po in languages():
        with po.open("rb") as handle:
            catalog = read_po(handle, locale=po.parent.parent.name)
        catalog.update(template, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        write(catalog, po)


def missing() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for po in languages():
        with po.open("rb") as handle:
            catalog = read_po(handle)
        out[po.parent.parent.name] = [
            str(message.id if isinstance(message.id, str) else message.id[0])
            for message in catalog
            if message.id and (message.fuzzy or not _translated(message.string))
        ]
    return out


def _translated(string: object) -> bool:
    if isinstance(string, tuple | list):
        return all(string)
    return bool(string)


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "update"
    if command == "extract":
        write(extract(), TEMPLATE)
    elif command == "update":
        update()
    elif command == "missing":
        for language, ids in missing().items():
            print(f"{language}: {len(ids)} missing")
            for message_id in ids:
                print(f"  {message_id!r}")
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
