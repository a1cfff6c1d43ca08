"""Logging to stderr, with the bot token scrubbed from every line.

httpx logs request URLs, and Telegram URLs contain the token (``/bot<token>/method``), so the
token is replaced wherever it appears, whichever library logged it. The scrubbing happens on
the *formatted* record, so tracebacks and exception texts (PTB's ``InvalidToken`` quotes the
token it was given) are cleaned too, at every level including DEBUG.
"""

from __future__ import annotations

import logging
import sys


def redact(text: str, secrets: list[str]) -> str:
    for secret in secrets:
        text = text.replace(secret, "<redacted>")
    return text


def secret_parts(token: str) -> list[str]:
    """The token, and its secret half alone (a URL or message may hold either)."""
    _, _, secret = token.partition(":")
    return [part for part in (token, secret) if len(part) >= 8]


class RedactSecrets(logging.Filter):
    """Cleans the message itself, for handlers whose formatter is not ours (e.g. pytest's)."""

    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self._secrets = [secret for secret in secrets if secret]

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact(message, self._secrets)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


class RedactingFormatter(logging.Formatter):
    """Formats as usual, then removes the secrets from the whole text, traceback included."""

    def __init__(self, fmt: str, secrets: list[str]) -> None:
        super().__init__(fmt)
        self._secrets = [secret for secret in secrets if secret]

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record), self._secrets)


class _NoTraceback(logging.Filter):
    """Keeps the line, drops the traceback: for a library's error we explain ourselves."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.exc_info, record.exc_text = None, None
        return True


def setup_logging(level: str = "INFO", secrets: list[str] | None = None) -> None:
    words = [part for secret in (secrets or []) for part in secret_parts(secret)]
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s", words)
    )
    handler.addFilter(RedactSecrets(words))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # Every request would be an INFO line otherwise; keep them for DEBUG.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    # A wrong api_base_url gets an HTML 404 page back; PTB logs the JSON error with a
    # traceback and then raises InvalidToken, which the CLI turns into one clear line.
    ptb_request = logging.getLogger("telegram.request.BaseRequest")
    ptb_request.filters[:] = [] if level == "DEBUG" else [_NoTraceback()]
