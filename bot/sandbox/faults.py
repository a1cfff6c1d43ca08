"""Scripted failures, so tests can prove the bot survives what Telegram does on bad days.

A FaultPlan is a list of one-shot rules keyed by method name (or "*" for any method).
The server asks ``take(method)`` before handling each request; the first matching rule
with uses left is consumed and applied: an error answer, a slow answer, or a dropped
connection.
"""

from __future__ import annotations

from dataclasses import dataclass

# Descriptions Telegram's front end uses for gateway errors (PTB maps 502 "Bad Gateway"
# etc. to NetworkError).
_STATUS_TEXT = {
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}


@dataclass
class Fault:
    method: str  # lower-cased method name or "*"
    kind: str  # "status" | "delay" | "drop"
    times: int
    status: int = 0
    retry_after: int | None = None
    seconds: float = 0.0
    description: str | None = None

    def describe(self) -> str:
        if self.description:
            return self.description
        if self.status == 429:
            return f"Too Many Requests: retry after {self.retry_after or 1}"
        return _STATUS_TEXT.get(self.status, f"Error {self.status}")


class FaultPlan:
    def __init__(self) -> None:
        self._rules: list[Fault] = []

    def fail_next(
        self,
        method: str = "*",
        status: int = 500,
        retry_after: int | None = None,
        times: int = 1,
        description: str | None = None,
    ) -> None:
        """Answer the next ``times`` calls of ``method`` with an error status.

        For 429 the answer carries parameters.retry_after and opens a flood-wait window
        in which the sandbox keeps refusing the method (see Sandbox.rate_violations).
        """
        if status == 429 and retry_after is None:
            retry_after = 1
        self._rules.append(
            Fault(method.lower(), "status", times, status, retry_after, 0.0, description)
        )

    def delay_next(self, method: str = "*", seconds: float = 1.0, times: int = 1) -> None:
        """Answer the next calls only after sleeping ``seconds`` of real time."""
        self._rules.append(Fault(method.lower(), "delay", times, seconds=seconds))

    def drop_next(self, method: str = "*", times: int = 1) -> None:
        """Close the connection without answering (the client sees a network error)."""
        self._rules.append(Fault(method.lower(), "drop", times))

    def clear(self) -> None:
        self._rules.clear()

    @property
    def pending(self) -> list[Fault]:
        return list(self._rules)

    def take(self, method: str) -> Fault | None:
        name = method.lower()
        for rule in self._rules:
            if rule.method in (name, "*"):
                rule.times -= 1
                if rule.times <= 0:
                    self._rules.remove(rule)
                return rule
        return None
