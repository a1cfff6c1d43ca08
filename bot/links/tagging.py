"""Campaign tags on the brand's web links, in plain URLs and in Telegram HTML.

Pure functions: no database, no Telegram. ``tag_url`` appends the configured parameters
(``utm_source`` and friends) that a URL does not already carry, keeping its query string
byte for byte and its fragment. ``rewrite_html`` finds links in the HTML the bot is about to
send: ``<a href>`` targets, and bare URLs in the text, which become ``<a>`` elements whose
visible text is unchanged (a member sees the brand's address, the click carries the tags).
Text inside ``<code>`` and ``<pre>`` is left alone: Telegram never makes a link of it.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Callable
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from bot.config import LinkSettings

# Telegram's own addresses (message links, invite links, bot deep links) are never the
# brand's, and tags would break invite links.
TELEGRAM_HOSTS = ("t.me", "telegram.me", "telegram.org", "telegram.dog", "telegra.ph")
_TAG = re.compile(r"<[^>]*>")
_HREF = re.compile(r"""(\bhref\s*=\s*)(["'])(.*?)\2""", re.IGNORECASE | re.DOTALL)
# What Telegram itself turns into a link: a scheme or "www.", then no spaces or brackets.
# The text is HTML, so an escaped bracket or quote (&lt; &gt; &quot;) ends the address too:
# "&lt;https://shop.example/a&gt;" must keep its "&gt;" whole, outside the link.
_URL_CHAR = r"(?:(?!&(?:lt|gt|quot|#0*3[49]|#x0*2[27]);)[^\s<>\"'])"
_BARE_SOURCE = rf"(?:https?://|www\.){_URL_CHAR}+"
_BARE = re.compile(_BARE_SOURCE, re.IGNORECASE)
_ENTITY_CUT = re.compile(r"&(?:#[0-9]+|#x[0-9a-f]+|[a-z]+)$", re.IGNORECASE)
_TRAILING = ".,;:!?)]}»”’"
_LITERAL_TAGS = ("code", "pre")

Rewrite = Callable[[str], str]


def _ascii_host(host: str) -> str:
    """bäckerei.example and xn--bckerei-5wa.example are one host: compare the ASCII form."""
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        return host


def _unicode_host(host: str) -> str:
    try:
        return host.encode("ascii").decode("idna")
    except UnicodeError:
        return host


def _host_matches(host: str, domains: tuple[str, ...]) -> bool:
    host = _ascii_host(host)
    return any(host == d or host.endswith("." + d) for d in map(_ascii_host, domains))


def is_brand_link(url: str, settings: LinkSettings) -> bool:
    """A web link of the brand's (configured hosts, or any non-Telegram web link)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    host = (parts.hostname or "").lower().rstrip(".")
    if parts.scheme.lower() not in ("http", "https") or not host:
        return False
    if _host_matches(host, TELEGRAM_HOSTS):
        return False
    if settings.redirect_base_url and url.startswith(settings.redirect_base_url):
        return False  # already our counted redirect
    domains = _domains(settings)
    return _host_matches(host, domains) if domains else True


def tags_for(settings: LinkSettings, content: str) -> list[tuple[str, str]]:
    return [
        (settings.source_param, settings.source),
        (settings.medium_param, settings.medium),
        (settings.campaign_param, settings.campaign),
        (settings.content_param, content),
    ]


def tag_url(url: str, settings: LinkSettings, content: str) -> str:
    """``url`` with the campaign tags it lacks appended; a tag it already has is kept."""
    parts = urlsplit(url)
    present = {name for name, _ in parse_qsl(parts.query, keep_blank_values=True)}
    missing = [(k, v) for k, v in tags_for(settings, content) if k and v and k not in present]
    if not missing:
        return url
    query = parts.query + ("&" if parts.query else "") + urlencode(missing)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))


def is_tagged(url: str, settings: LinkSettings) -> bool:
    names = {name for name, _ in parse_qsl(urlsplit(url).query, keep_blank_values=True)}
    wanted = {k for k, v in tags_for(settings, "x") if k and v}
    return wanted <= names


def _split_bare(url: str) -> tuple[str, str]:
    """Trailing punctuation belongs to the sentence, not the link (Telegram agrees)."""
    end = len(url)
    while end > 0 and url[end - 1] in _TRAILING:
        if url[end - 1] == ")" and url[:end].count("(") >= url[:end].count(")"):
            break  # a balanced bracket is part of the address (Wikipedia-style)
        end -= 1
    # Never cut an entity's ";" off ("...?q=a&amp;" then a space): the whole "&amp;" goes.
    entity = _ENTITY_CUT.search(url, 0, end)
    if entity is not None and end < len(url) and url[end] == ";":
        end = entity.start()
    return url[:end], url[end:]


def rewrite_html(source: str, settings: LinkSettings, rewrite: Rewrite) -> str:
    """Apply ``rewrite`` to every brand link in Telegram HTML; everything else unchanged."""
    out: list[str] = []
    anchor_depth = 0
    literal_depth = 0
    pos = 0
    for match in _TAG.finditer(source):
        out.append(
            _rewrite_text(
                source[pos : match.start()], settings, rewrite, anchor_depth or literal_depth
            )
        )
        tag = match.group(0)
        name = tag[1:].lstrip("/").split(None, 1)[0].rstrip(">").lower() if len(tag) > 2 else ""
        closing = tag.startswith("</")
        if name == "a":
            if closing:
                anchor_depth = max(anchor_depth - 1, 0)
            else:
                anchor_depth += 1
                tag = _HREF.sub(lambda m: _rewrite_href(m, settings, rewrite), tag, count=1)
        elif name in _LITERAL_TAGS:
            literal_depth = max(literal_depth + (-1 if closing else 1), 0)
        out.append(tag)
        pos = match.end()
    out.append(_rewrite_text(source[pos:], settings, rewrite, anchor_depth or literal_depth))
    return "".join(out)


def _rewrite_href(match: re.Match[str], settings: LinkSettings, rewrite: Rewrite) -> str:
    url = html.unescape(match.group(3))
    if not is_brand_link(url, settings):
        return match.group(0)
    return f"{match.group(1)}{match.group(2)}{html.escape(rewrite(url))}{match.group(2)}"


@functools.lru_cache(maxsize=16)
def _bare_pattern(domains: tuple[str, ...]) -> re.Pattern[str]:
    """Bare addresses, plus the brand's own hosts written without a scheme
    ("bakery.example/menu"), which Telegram also shows as links."""
    if not domains:
        return _BARE
    spellings = {form for d in domains for form in (d, _unicode_host(d))}
    hosts = "|".join(re.escape(d) for d in sorted(spellings, key=len, reverse=True))
    bare_host = (
        rf"(?<![\w@/.-])(?:[a-z0-9-]+\.)*(?:{hosts})(?::\d+)?(?:/{_URL_CHAR}*)?(?![\w.-]*\w)"
    )
    return re.compile(rf"{_BARE_SOURCE}|{bare_host}", re.IGNORECASE)


def _domains(settings: LinkSettings) -> tuple[str, ...]:
    return tuple(d.lower().strip(".") for d in settings.domains if d.strip("."))


def _rewrite_text(text: str, settings: LinkSettings, rewrite: Rewrite, keep: int) -> str:
    if keep or not text:
        return text

    def replace(match: re.Match[str]) -> str:
        shown, trailing = _split_bare(match.group(0))
        url = html.unescape(shown)
        if not re.match(r"https?://", url, re.IGNORECASE):
            url = "https://" + url
        if not is_brand_link(url, settings):
            return match.group(0)
        return f'<a href="{html.escape(rewrite(url))}">{shown}</a>{trailing}'

    return _bare_pattern(_domains(settings)).sub(replace, text)


def brand_links(source: str, settings: LinkSettings) -> list[str]:
    """Every brand link a reader could click in this HTML (for checks and tests)."""
    found: list[str] = []

    def collect(url: str) -> str:
        found.append(url)
        return url

    rewrite_html(source, settings, collect)
    return found
