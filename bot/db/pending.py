"""Rows a flush finishes (scores) in one batch just before it writes them (``Database.flush``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol, TypeVar

Params = Sequence[Any] | dict[str, Any]

Taken = TypeVar("Taken")


class PendingRows(Protocol[Taken]):
    """Deferred rows whose parameters are finished in one batch just before they are written.

    Stored messages are scored this way: the handler only queues the text, and the batch is
    scored (in a worker process) when the write-behind buffer is flushed, so the scores land in
    the same transaction as the rest of the batch, "processed" marks included."""

    def __len__(self) -> int: ...

    def take(self) -> Taken:
        """Everything queued so far, removed from the queue (synchronous: nothing slips in)."""
        ...

    async def finish(self, taken: Taken) -> list[tuple[str, Params]]:
        """The statements for ``taken``, in the order queued."""
        ...

    def restore(self, taken: Taken) -> None:
        """Put ``taken`` back in front of the queue (the batch could not be finished)."""
        ...
