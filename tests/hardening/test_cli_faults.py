"""Operator faults: a refused token, an unreachable API, a bad database, a second process.

Every case runs the CLI's ``main()`` and reads everything it writes: one clear line, the right
exit code, and never the token. Each check also runs ``python -m bot`` in a fresh interpreter
(what an operator starts), which catches what only the process shows: output at import, the
exit status of ``SystemExit``. An interpreter costs ~1.5 s of CPU to import the bot, so the
default set starts one per kind of fault (every case is in the slow set).
"""

from __future__ import annotations

import asyncio
import os
import socket
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from bot.cli import main
from bot.sandbox import Sandbox

TOKEN = "424242:HARDEN-secret-token-value"
REPO = Path(__file__).resolve().parents[2]


def config(
    tmp_path: Path,
    base_url: str,
    *,
    token: str = TOKEN,
    level: str = "INFO",
    database: Path | None = None,
) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(
        f"""
[telegram]
token = "{token}"
api_base_url = "{base_url}"
community_chat_id = -1001234567890
brand_chat_id = -1009876543210

[gate]
code_secret = "a-long-enough-test-secret"

[storage]
database = "{database or tmp_path / "club.db"}"

[runtime]
log_level = "{level}"
polling_timeout = 1
""",
        encoding="utf-8",
    )
    return path


def unused_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def run_cli(*args: str) -> tuple[int, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BOT_")}
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *args,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
        cwd=REPO,
        env=env,
    )
    out, _ = await asyncio.wait_for(proc.communicate(), timeout=30)
    assert proc.returncode is not None
    return proc.returncode, out.decode("utf-8", "replace")


@contextmanager
def sandbox_serving(token: str) -> Iterator[Sandbox]:
    """A sandbox on its own event loop in a thread, so a blocking ``main()`` can talk to it."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, name="sandbox", daemon=True)
    thread.start()
    sandbox = Sandbox(token=token)
    try:
        asyncio.run_coroutine_threadsafe(sandbox.start(), loop).result(timeout=10)
        try:
            yield sandbox
        finally:
            asyncio.run_coroutine_threadsafe(sandbox.stop(), loop).result(timeout=10)
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=10)
        loop.close()


def api_base(case: str, sandbox: Sandbox) -> str:
    if case == "wrong_token":
        return sandbox.base_url
    if case == "no_bot_suffix":
        return sandbox.base_url.removesuffix("/bot") + "/"
    return f"http://127.0.0.1:{unused_port()}/bot"


def check_token_case(case: str, level: str, code: int, out: str) -> None:
    assert TOKEN not in out
    assert TOKEN.partition(":")[2] not in out
    if level != "DEBUG":
        assert "Traceback" not in out
    errors = [line for line in out.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1, out
    if case == "unreachable":
        assert code == 1, out
        assert "cannot reach the Telegram Bot API" in out
    else:
        assert code == 2, out
        assert "Telegram refused the token, or telegram.api_base_url is wrong" in out


TOKEN_CASES = [("wrong_token", "INFO"), ("no_bot_suffix", "INFO"), ("no_bot_suffix", "DEBUG")]


@pytest.mark.parametrize(("case", "level"), TOKEN_CASES)
def test_token_never_printed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str, level: str
) -> None:
    with sandbox_serving("999:the-sandbox-knows-another-token") as sandbox:
        cfg = config(tmp_path, api_base(case, sandbox), level=level)
        code = main(["run", "--config", str(cfg)])
    captured = capsys.readouterr()
    check_token_case(case, level, code, captured.out + captured.err)


@pytest.mark.parametrize(
    ("case", "level"),
    [
        # DEBUG is where a token would leak (request URLs are logged), so it stays in the
        # default set.
        ("no_bot_suffix", "DEBUG"),
        pytest.param(
            "wrong_token",
            "INFO",
            marks=pytest.mark.slow(reason="in-process: test_token_never_printed[wrong_token]"),
        ),
        pytest.param(
            "no_bot_suffix",
            "INFO",
            marks=pytest.mark.slow(reason="in-process: test_token_never_printed[no_bot_suffix]"),
        ),
        # The start-up getMe is retried with backoff (~8 s) before giving up: slow. In
        # process: test_unreachable_api_is_one_line_in_process.
        pytest.param("unreachable", "INFO", marks=pytest.mark.slow),
        pytest.param("unreachable", "DEBUG", marks=pytest.mark.slow),
    ],
)
async def test_token_never_printed_by_the_process(tmp_path: Path, case: str, level: str) -> None:
    sandbox = Sandbox(token="999:the-sandbox-knows-another-token")
    await sandbox.start()
    try:
        cfg = config(tmp_path, api_base(case, sandbox), level=level)
        code, out = await run_cli("run", "--config", str(cfg))
    finally:
        await sandbox.stop()
    check_token_case(case, level, code, out)


def test_settings_repr_hides_token(tmp_path: Path) -> None:
    from bot.config import load_settings

    settings = load_settings(config(tmp_path, "http://127.0.0.1:1/bot"))
    assert TOKEN.partition(":")[2] not in repr(settings)
    assert TOKEN.partition(":")[2] not in str(settings.model_dump())


SHAPES = ["garbage", "directory", "through_a_file"]
COMMANDS = ["run", "migrate", "backup", "export", "codes"]


def unopenable_database(tmp_path: Path, shape: str) -> Path:
    database = tmp_path / "data" / "club.db"
    if shape == "through_a_file":
        database.parent.write_text("a file where the data folder should be")
    else:
        database.parent.mkdir()
    if shape == "garbage":
        database.write_bytes(b"this is not a database at all" * 100)
    elif shape == "directory":
        database.mkdir()
    return database


def command_args(tmp_path: Path, command: str) -> list[str]:
    return {
        "run": ["run"],
        "migrate": ["migrate"],
        "backup": ["backup", "--out", str(tmp_path / "b.db")],
        "export": ["export", "--what", "messages"],
        "codes": ["codes", "list"],
    }[command]


# A read-only folder cannot be tried here: tests and CI run as root, which ignores file modes.
# A path through a regular file fails the same way for every user (the open itself fails).
@pytest.mark.parametrize("shape", SHAPES)
def test_unopenable_database_is_one_line_and_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], shape: str
) -> None:
    database = unopenable_database(tmp_path, shape)
    cfg = config(tmp_path, "http://127.0.0.1:1/bot", database=database)
    for command in COMMANDS:
        code = main([*command_args(tmp_path, command), "--config", str(cfg)])
        captured = capsys.readouterr()
        out = captured.out + captured.err
        assert code == 1, (command, out)
        assert "Traceback" not in out, (command, out)
        assert str(database) in out, (command, out)
        errors = [line for line in out.splitlines() if line.startswith("error: ")]
        assert len(errors) == 1, (command, out)


# Every pair runs in process (test_unopenable_database_is_one_line_and_exit_1); in a fresh
# interpreter, one pair in the default set (what the process adds is the same for every
# pair) and every pair in the slow set.
_PROCESS_DEFAULT = {("garbage", "run")}


@pytest.mark.parametrize(
    ("shape", "command"),
    [
        pytest.param(
            shape,
            command,
            marks=()
            if (shape, command) in _PROCESS_DEFAULT
            else pytest.mark.slow(reason="in-process: test_unopenable_database_is_one_line..."),
        )
        for shape in SHAPES
        for command in COMMANDS
    ],
)
async def test_unopenable_database_in_a_fresh_process(
    tmp_path: Path, shape: str, command: str
) -> None:
    database = unopenable_database(tmp_path, shape)
    cfg = config(tmp_path, "http://127.0.0.1:1/bot", database=database)
    code, out = await run_cli(*command_args(tmp_path, command), "--config", str(cfg))
    assert code == 1, out
    assert "Traceback" not in out, out
    assert str(database) in out, out


def test_second_process_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from bot.db.lock import DatabaseLock

    database = tmp_path / "club.db"
    cfg = config(tmp_path, "http://127.0.0.1:1/bot", database=database)
    held = DatabaseLock(database)
    held.acquire()
    try:
        assert main(["run", "--config", str(cfg)]) == 2
    finally:
        held.release()
    err = capsys.readouterr().err
    assert "another bot process is already using" in err
    assert str(database) in err


def test_unreachable_api_is_one_line_in_process(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The fast variant of the unreachable case (the subprocess one waits for the retries)."""
    import functools

    from bot.core import ratelimit

    monkeypatch.setattr(
        ratelimit.TelegramRateLimiter,
        "__init__",
        functools.partialmethod(ratelimit.TelegramRateLimiter.__init__, backoff=0.01),
    )
    base = f"http://127.0.0.1:{unused_port()}/bot"
    cfg = config(tmp_path, base, level="DEBUG")
    assert main(["run", "--config", str(cfg)]) == 1
    out = capsys.readouterr()
    text = out.out + out.err
    assert "cannot reach the Telegram Bot API" in text
    assert TOKEN.partition(":")[2] not in text
