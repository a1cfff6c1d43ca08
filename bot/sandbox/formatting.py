"""Entity parsing for parse_mode, so bad markup fails here the way it fails in Telegram.

Telegram parses HTML strictly: only a fixed set of tags, every tag closed in order, and
only &lt; &gt; &amp; &quot; and numeric character references. A bot that builds HTML from
user input without escaping it gets "Bad Request: can't parse entities: ..." in
production; the sandbox reproduces that so the bug shows up in tests instead.

Lengths and offsets are in UTF-16 code units, as the Bot API counts them ("characters"
in the spec are UTF-16 code units; an emoji outside the BMP counts as 2).
"""

from __future__ import annotations

import html
import re
from typing import Any

from bot.sandbox.errors import ApiError, bad_request

# Tag -> entity type, from the "HTML style" section of the Bot API formatting options.
_SIMPLE_TAGS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "a": "text_link",
    "span": "spoiler",  # only with class="tg-spoiler"
    "tg-emoji": "custom_emoji",
    "tg-time": "date_time",
}
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_ATTR_RE = re.compile(r"""\s*([a-zA-Z-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")
_MDV2_RESERVED = set("_*[]()~`>#+-=|{}.!")


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _fail(reason: str) -> ApiError:
    return bad_request(f"can't parse entities: {reason}")


def parse_html(source: str) -> tuple[str, list[dict[str, Any]]]:
    """Return (plain text, entities) or raise ApiError like Telegram's HTML parser."""
    raw = source.encode("utf-8")
    out: list[str] = []
    out_len = 0  # UTF-16 length of out
    stack: list[tuple[str, int, dict[str, str]]] = []  # (tag, start offset, attrs)
    entities: list[dict[str, Any]] = []
    i = 0
    n = len(source)

    def byte_offset(pos: int) -> int:
        return len(source[:pos].encode("utf-8"))

    while i < n:
        ch = source[i]
        if ch == "&":
            end = source.find(";", i + 1, i + 12)
            name = source[i + 1 : end] if end != -1 else ""
            if name in _NAMED_ENTITIES:
                piece = _NAMED_ENTITIES[name]
                i = end + 1
            elif name.startswith("#") and len(name) > 1:
                piece = html.unescape(f"&{name};")
                i = end + 1
            else:
                # Unsupported entities are kept as text, as Telegram does.
                piece = "&"
                i += 1
            out.append(piece)
            out_len += utf16_len(piece)
            continue
        if ch != "<":
            j = i
            while j < n and source[j] not in "<&":
                j += 1
            piece = source[i:j]
            out.append(piece)
            out_len += utf16_len(piece)
            i = j
            continue
        close = source.find(">", i)
        if close == -1:
            raise _fail(f"Unclosed start tag at byte offset {byte_offset(i)}")
        body = source[i + 1 : close]
        if body.startswith("/"):
            name = body[1:].strip().lower()
            if not stack:
                raise _fail(f"Unexpected end tag at byte offset {byte_offset(i)}")
            open_tag, start, attrs = stack.pop()
            if name and name != open_tag:
                raise _fail(
                    f"Unmatched end tag at byte offset {byte_offset(i)}, "
                    f'expected "</{open_tag}>", '
                    f'found "</{name}>"'
                )
            length = out_len - start
            if length > 0:
                entities.append(_entity(open_tag, start, length, attrs))
            i = close + 1
            continue
        m = re.match(r"([a-zA-Z][a-zA-Z0-9-]*)", body)
        if not m:
            raise _fail(f"Unexpected end of name token at byte offset {byte_offset(i + 1)}")
        name = m.group(1).lower()
        if name not in _SIMPLE_TAGS:
            raise _fail(f'Unsupported start tag "{name}" at byte offset {byte_offset(i)}')
        # Telegram decodes character references in attribute values too (href="?a=1&amp;b=2").
        attrs = {
            a.group(1).lower(): html.unescape(next(g for g in a.groups()[1:] if g is not None))
            for a in _ATTR_RE.finditer(body[m.end() :])
        }
        if name == "span" and attrs.get("class") != "tg-spoiler":
            raise _fail(f'Tag "span" must have class "tg-spoiler" at byte offset {byte_offset(i)}')
        stack.append((name, out_len, attrs))
        i = close + 1
    if stack:
        raise _fail(f'Can\'t find end tag corresponding to start tag "{stack[-1][0]}"')
    del raw
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(out), entities


def _entity(tag: str, offset: int, length: int, attrs: dict[str, str]) -> dict[str, Any]:
    kind = _SIMPLE_TAGS[tag]
    ent: dict[str, Any] = {"type": kind, "offset": offset, "length": length}
    if tag == "a":
        href = attrs.get("href", "")
        if href.startswith("tg://user?id="):
            ent["type"] = "text_mention"
            ent["user"] = {
                "id": int(href.split("=", 1)[1] or 0),
                "is_bot": False,
                "first_name": "User",
            }
        else:
            ent["url"] = href
    elif tag == "pre" and "class" in attrs:
        ent["language"] = attrs["class"].removeprefix("language-")
    elif tag == "blockquote" and "expandable" in attrs:
        ent["type"] = "expandable_blockquote"
    elif tag == "tg-emoji":
        ent["custom_emoji_id"] = attrs.get("emoji-id", "")
    return ent


def parse_markdown_v2(source: str) -> tuple[str, list[dict[str, Any]]]:
    """A deliberately partial MarkdownV2 check: reserved characters must be escaped.

    Full MarkdownV2 parsing is not needed by our bot (it uses HTML); the check catches the
    common production failure (an unescaped '.' or '-' from user input) with Telegram's text.
    Formatting markers are dropped from the plain text; entities are not reported.
    """
    out: list[str] = []
    i = 0
    while i < len(source):
        ch = source[i]
        if ch == "\\" and i + 1 < len(source):
            out.append(source[i + 1])
            i += 2
            continue
        if ch in "*_~|`[]()":
            i += 1
            continue
        if ch in _MDV2_RESERVED:
            raise _fail(
                f"Character '{ch}' is reserved and must be escaped with the preceding '\\'"
            )
        out.append(ch)
        i += 1
    return "".join(out), []


def parse_text(
    text: str, parse_mode: str | None, entities: list[dict[str, Any]] | None
) -> tuple[str, list[dict[str, Any]]]:
    """Apply parse_mode (HTML / MarkdownV2 / Markdown) or pass explicit entities through."""
    mode = (parse_mode or "").lower()
    if mode == "html":
        return parse_html(text)
    if mode == "markdownv2":
        return parse_markdown_v2(text)
    if mode == "markdown":
        return text.replace("*", "").replace("_", "").replace("`", ""), []
    if mode:
        raise bad_request(f"unsupported parse_mode: {parse_mode}")  # assumption (wording)
    return text, list(entities or [])


def command_entities(text: str) -> list[dict[str, Any]]:
    """bot_command entities for /commands in a person's text, as Telegram clients add."""
    ents = []
    for m in re.finditer(r"(?:^|(?<=\s))/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{5,32})?", text):
        ents.append(
            {
                "type": "bot_command",
                "offset": utf16_len(text[: m.start()]),
                "length": utf16_len(m.group(0)),
            }
        )
    return ents
