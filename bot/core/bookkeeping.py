"""The inbox's bookkeeping around each update: the "processed" mark and the batch writes.

Updates are stored in the inbox before any handler runs (``bot.core.inbox``); after its
handlers, each update is marked processed, and the write-behind batch (stored messages,
scores, marks) is written when the update queue runs dry or the batch grows. With several
clubs each club's file has its own batch; the inbox lives in the first club's file.
"""

from __future__ import annotations

from abc import abstractmethod

from telegram import Update

from bot.core.activity import Activity
from bot.core.club import ClubApplication
from bot.core.services import Services
from bot.db import Database
from bot.db.diskfull import DISK_FULL, is_disk_full

# Rows queued before a busy bot starts a flush: a transaction and a worker round trip shared.
FLUSH_AT = 128


class InboxBookkeeping(ClubApplication):
    """The Application's half that writes: marks, batches, checkpoints."""

    _databases: tuple[Database, ...] = ()

    @property
    @abstractmethod
    def activity(self) -> Activity:
        """Updates, Bot API calls and background tasks not finished yet."""

    @property
    def databases(self) -> tuple[Database, ...]:
        """Every club's database, the inbox's (the first club's) last: a batch is written
        club by club before the "processed" marks that let the inbox forget its updates."""
        # Asked for every update: kept once the clubs are built (they never change after).
        if len(self._databases) != len(self.clubs):
            found = [club.services.db for club in self.clubs]
            self._databases = (*found[1:], *found[:1])
        return self._databases

    def write_when_updates_end(self) -> None:
        """Write the batch when the last update queued or running has finished.

        Each update also looks for itself (below), but updates that run side by side and end
        together each still see the others unfinished when they look; the count of unfinished
        updates reaching zero is the one moment nobody misses."""
        before = 0

        def changed() -> None:
            nonlocal before
            now, before_now = self.activity.updates, before
            before = now  # first: starting the task below is itself a change we hear of
            # Not while stopping: closing the database writes what is left.
            if (
                now == 0
                and before_now > 0
                and self.running
                and any(db.deferred_count for db in self.databases)
            ):
                self.create_task(self._write_batch(), name="write-behind")

        self.activity.listen(changed)

    async def _write_batch(self) -> None:
        if self.activity.updates:
            return  # another update came meanwhile: it writes when it ends
        try:
            for db in self.databases:
                await db.flush()
        except Exception as exc:
            if not is_disk_full(exc):
                raise
            DISK_FULL.report("writing the batch", self.clubs.first.services.db.deferred_count)

    async def _bookkeeping(self, update: Update, services: Services) -> None:
        """Mark the update processed and write the batch when due (after its handlers)."""
        # Handling is at-least-once: an update is marked processed only after its
        # handlers ran, and a crash before that replays it from the inbox, so every
        # handler's effect is idempotent (upserts, unique keys, "already done" checks).
        # An update that changed state is marked at once, to keep that window short; one
        # that only stored a message rides in the next batch write with the message. Either
        # way the mark is written in a batch with every message queued before it (this
        # update's own included): a mark written ahead of its message would lose that message
        # in a crash between the two writes. With several clubs the message sits in its
        # club's file and the mark in the inbox's: the clubs' files are written first.
        databases = self.databases
        had_effects = services.db.update_had_effects(update.update_id)
        if len(databases) > 1:
            for db in databases:  # each asked: the answer is reported once, then forgotten
                had_effects = db.update_had_effects(update.update_id) or had_effects
            if any(db.checkpoint_requested for db in databases):
                # Words to forget may sit in a club's file and the raw update in the inbox's.
                services.db.request_checkpoint()
        services.inbox.defer_mark_processed(update.update_id, services.now_ts())
        # Write the batch when the queue runs dry (low latency when quiet; "dry" counts
        # updates queued and not yet finished, this one included) or when it has grown:
        # one transaction per batch. Under load the next flush starts when the last is done,
        # so batches size themselves to the scoring worker's pace (one flush per waiting
        # update would each write a handful of rows).
        idle = self.activity.updates <= 1
        large = any(db.queued_count >= FLUSH_AT and not db.flushing for db in databases)
        if idle or large or had_effects or services.db.checkpoint_requested:
            for db in databases:
                await db.flush()
        for db in databases:
            if db.checkpoint_requested:
                # A code or an erased person's words were in this update's raw payload: with
                # the payload cleared, copy the WAL into the file and empty it.
                await db.checkpoint()
