"""The scoring worker: a child process that analyses batches of messages sent over a pipe.

Run as ``python -m bot.sentiment.worker`` by :class:`WorkerProcess`, never by hand. Each
request is one JSON line on stdin, ``{"config": KEY, "texts": [...]}``, and each answer one
JSON line on stdout, ``{"scored": [[polarity, subjectivity, label, language, aspects,
topics], ...], "cpu": seconds}``. The worker keeps one Analyzer per configuration (KEY is the
JSON of the brand lexicon, aspects and thresholds) and exits when stdin closes, which is also
what happens when the bot dies, however it dies.

A plain child process on pipes rather than ``multiprocessing``: with the "spawn" start method
multiprocessing re-imports the parent's ``__main__`` in the child (which runs any script
without an ``if __name__ == "__main__"`` guard, such as ``python -m benchmarks``), and
"fork" copies a process that has SQLite and HTTP threads, whose locks the child can inherit
held. JSON, not pickle: the pipe carries only plain values.
"""

from __future__ import annotations

import atexit
import json
import logging
import os
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

from bot.sentiment.analyzer import Analyzer

log = logging.getLogger(__name__)

# polarity, subjectivity, label, language, and the aspects (aspect -> polarity) and topics as
# the JSON text a stored message keeps them in (None when there are none): encoded where the
# batch is scored, so the event loop neither decodes nor re-encodes them.
Scored = tuple[float, float, str, str, str | None, str | None]

# Built once: json.dumps with keyword arguments builds a new encoder on every call.
_to_json = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def analyze_batch(analyzer: Analyzer, texts: Sequence[str]) -> list[Scored]:
    """Score, aspects and topics of each text, in order, as plain values."""
    out: list[Scored] = []
    for text in texts:
        analysis = analyzer.analyze(text)
        score = analysis.score
        aspects, topics = analysis.aspects, analysis.topics
        out.append(
            (
                score.polarity,
                score.subjectivity,
                score.label,
                score.language,
                _to_json(aspects) if aspects else None,
                _to_json(topics) if topics else None,
            )
        )
    return out


# After the worker failed, batches are scored in the bot's own process for this long before
# a new worker is tried (a worker that cannot start would otherwise be retried every batch).
RETRY_AFTER_SECONDS = 30.0
# A batch takes the worker ~60 µs a message (a few ms for a batch of 100); no answer within
# this long means the worker is stuck, not busy.
ANSWER_TIMEOUT_SECONDS = 30.0

_ROOT = Path(__file__).resolve().parents[2]  # the folder that holds the ``bot`` package


class WorkerFailed(Exception):
    """The worker could not answer; the caller scores the batch itself."""


class WorkerProcess:
    """The client side: one child process, one request at a time (blocking; run it in a thread)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._proc: subprocess.Popen[bytes] | None = None
        self._failed_at: float | None = None

    def score(self, config: str, texts: Sequence[str]) -> tuple[list[list[Any]], float]:
        """Analyse ``texts`` with the analyzer ``config`` describes; (rows, worker CPU s)."""
        with self._lock:
            proc = self._running()
            assert proc.stdin is not None and proc.stdout is not None
            # A worker that stops answering (stopped, swapping) is killed, so the batch falls
            # back to the event loop instead of holding every later write up.
            watchdog = threading.Timer(ANSWER_TIMEOUT_SECONDS, proc.kill)
            watchdog.daemon = True
            watchdog.start()
            try:
                proc.stdin.write(_line({"config": config, "texts": list(texts)}))
                proc.stdin.flush()
                answer = proc.stdout.readline()
                watchdog.cancel()
                if not answer:
                    raise WorkerFailed(f"the worker exited (code {proc.poll()})")
                reply: dict[str, Any] = json.loads(answer)
                if "error" in reply:
                    raise WorkerFailed(str(reply["error"]))
                return reply["scored"], float(reply["cpu"])
            except (OSError, ValueError, KeyError, WorkerFailed) as exc:
                watchdog.cancel()
                self._stop_locked()
                self._failed_at = time.monotonic()
                raise WorkerFailed(str(exc) or type(exc).__name__) from exc

    def _running(self) -> subprocess.Popen[bytes]:
        if self._proc is not None and self._proc.poll() is None:
            return self._proc
        if (
            self._failed_at is not None
            and time.monotonic() - self._failed_at < RETRY_AFTER_SECONDS
        ):
            raise WorkerFailed("the worker failed moments ago")
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(_ROOT), env.get("PYTHONPATH")]))
        try:
            self._proc = subprocess.Popen(
                [sys.executable, "-m", "bot.sentiment.worker"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                env=env,
                cwd=_ROOT,
            )
        except OSError as exc:
            self._failed_at = time.monotonic()
            raise WorkerFailed(f"cannot start the worker: {exc}") from exc
        return self._proc

    def stop(self) -> None:
        with self._lock:
            self._stop_locked()

    def _stop_locked(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        for stream in (proc.stdin, proc.stdout):
            try:
                if stream is not None:
                    stream.close()
            except OSError:
                pass
        try:
            proc.wait(timeout=2)  # stdin closed: it exits at once
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _line(value: object) -> bytes:
    # ASCII on the pipe: a text with a lone surrogate (valid in a Python str, not in UTF-8)
    # travels as an escape instead of failing to encode and costing a worker.
    return json.dumps(value, separators=(",", ":")).encode("ascii") + b"\n"


_shared: WorkerProcess | None = None
_shared_lock = threading.Lock()


def shared_worker() -> WorkerProcess:
    """The interpreter's one worker (the tests and the demo build hundreds of bots)."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = WorkerProcess()
            atexit.register(_shared.stop)
        return _shared


# --- the child ------------------------------------------------------------------------------


def serve(requests: IO[bytes], answers: IO[bytes]) -> None:
    """Answer requests until ``requests`` ends."""
    analyzers: dict[str, Analyzer] = {}
    for request in requests:
        started = time.process_time()
        try:
            ask = json.loads(request)
            config: str = ask["config"]
            analyzer = analyzers.get(config)
            if analyzer is None:
                spec = json.loads(config)
                analyzer = analyzers[config] = Analyzer(
                    lexicon=spec["lexicon"],
                    aspects=spec["aspects"],
                    positive_threshold=spec["positive"],
                    negative_threshold=spec["negative"],
                    language=spec.get("language", "en"),
                )
            scored = analyze_batch(analyzer, ask["texts"])
            reply: dict[str, Any] = {"scored": scored, "cpu": time.process_time() - started}
        except Exception as exc:  # answered, not raised: the bot scores that batch itself
            reply = {"error": f"{type(exc).__name__}: {exc}"}
        answers.write(_line(reply))
        answers.flush()


if __name__ == "__main__":
    out = sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing but answers may reach the pipe
    serve(sys.stdin.buffer, out)
