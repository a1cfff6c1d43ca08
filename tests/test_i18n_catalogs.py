"""The catalogs are complete and safe: every message translated, nothing a translator can
break silently (a placeholder, an HTML tag, a Telegram limit), and the template current."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

from bot.core.i18n import SOURCE_LANGUAGE, SUPPORTED_LANGUAGES
from bot.core.messaging import TEXT_LIMIT, visible_length
from tools import i18n as tool

PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)\}")
TAG = re.compile(r"</?([a-zA-Z][a-zA-Z0-9-]*)[^>]*>")
LIMIT = re.compile(r"limit:\s*(\d+)")


def _read(path: Path) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle)


def _forms(text: object) -> list[str]:
    if isinstance(text, tuple | list):
        return [str(part) for part in text]
    return [str(text or "")]


def _limit(message: Message) -> int:
    """Telegram's cap on this text: a ``# limit: N`` comment, else a message's 4,096."""
    for comment in message.auto_comments:
        found = LIMIT.search(comment)
        if found:
            return int(found.group(1))
    return TEXT_LIMIT


def problems(template: Catalog, catalog: Catalog) -> list[str]:
    """Everything wrong with ``catalog`` as a translation of ``template``."""
    found: list[str] = []
    for source in template:
        if not source.id:
            continue
        ids = _forms(source.id)
        key = ids[0][:60]
        message = catalog.get(source.id, context=source.context)
        if message is None or message.fuzzy or not all(_forms(message.string)):
            found.append(f"untranslated: {key!r}")
            continue
        wanted = Counter(name for text in ids for name in set(PLACEHOLDER.findall(text)))
        for index, text in enumerate(_forms(message.string)):
            names = set(PLACEHOLDER.findall(text))
            expected = set(wanted)
            # A singular may say the number in words ("ein Platz"): {n} may go there.
            if index == 0 and len(ids) > 1 and "n" not in names:
                expected.discard("n")
            if names != expected:
                found.append(f"placeholders {sorted(names)} != {sorted(expected)}: {key!r}")
            tags = Counter(TAG.findall(text))
            if tags != Counter(TAG.findall(ids[min(index, len(ids) - 1)])):
                found.append(f"HTML tags differ: {key!r}")
            # Placeholders count as empty: the fixed text alone must fit the limit.
            if visible_length(PLACEHOLDER.sub("", text)) > _limit(source):
                found.append(f"longer than {_limit(source)} characters: {key!r}")
    return found


def test_the_template_is_current_with_the_code() -> None:
    def entries(catalog: Catalog) -> dict[object, tuple[object, ...]]:
        return {
            message.id: (
                sorted({path for path, _ in message.locations}),
                list(message.auto_comments),
            )
            for message in catalog
            if message.id
        }

    assert entries(tool.extract()) == entries(_read(tool.TEMPLATE)), (
        "run `python -m tools.i18n update` and translate the new messages"
    )


@pytest.mark.parametrize("language", [x for x in SUPPORTED_LANGUAGES if x != SOURCE_LANGUAGE])
def test_every_message_is_translated_safely(language: str) -> None:
    po = tool.LOCALE_DIR / language / "LC_MESSAGES" / "messages.po"
    assert problems(_read(tool.TEMPLATE), _read(po)) == []


def test_callback_data_and_commands_are_never_translated() -> None:
    # Buttons' callback data ("v1:rate:...") and command names are keys the bot parses back:
    # translated, a German member's press would match nothing.
    ids = [_forms(message.id)[0] for message in _read(tool.TEMPLATE) if message.id]
    assert not [text for text in ids if re.match(r"^v\d+:", text)]


def test_the_checks_catch_a_broken_translation() -> None:
    template = Catalog()
    template.add("Hello {name}", auto_comments=[])
    template.add("<b>Rules</b>")
    template.add(("{n} seat left", "{n} seats left"))
    template.add("Tap", auto_comments=["limit: 5 (a button)"])
    template.add("Untranslated")
    bad = Catalog(locale="de")
    bad.add("Hello {name}", "Hallo {nmae}")
    bad.add("<b>Rules</b>", "Regeln")
    bad.add(("{n} seat left", "{n} seats left"), ("ein Platz frei", "Plätze frei"))
    bad.add("Tap", "Antippen")
    found = problems(template, bad)
    assert any("placeholders ['nmae'] != ['name']" in p for p in found)
    assert any("HTML tags differ: '<b>Rules</b>'" in p for p in found)
    # The singular may drop {n}; the plural may not.
    assert [p for p in found if "seat" in p] == ["placeholders [] != ['n']: '{n} seat left'"]
    assert any("longer than 5 characters: 'Tap'" in p for p in found)
    assert "untranslated: 'Untranslated'" in found
    good = Catalog(locale="de")
    good.add("Hello {name}", "Hallo {name}")
    good.add("<b>Rules</b>", "<b>Regeln</b>")
    good.add(("{n} seat left", "{n} seats left"), ("ein Platz frei", "{n} Plätze frei"))
    good.add("Tap", "Tipp")
    good.add("Untranslated", "Übersetzt")
    assert problems(template, good) == []
