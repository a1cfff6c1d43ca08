"""Membership: what Telegram tells the gate (joins, leaves, bans, join requests) and the
strict gate's answer to anyone who appears without a seat.

The ledger (bot/gate/ledger.py) records each event in one transaction; the Telegram calls
and private messages it leads to happen after the commit.
"""

from __future__ import annotations

import logging

import aiosqlite
from telegram import ChatJoinRequest, ChatMember, ChatMemberUpdated
from telegram.error import BadRequest, TelegramError

from bot.core.i18n import N_, Translator
from bot.core.messaging import try_dm
from bot.gate import texts
from bot.gate.admission import Admission
from bot.gate.outcomes import WAITLIST_ANSWERS, Answer, SeatNews
from bot.gate.records import Seat
from bot.gate.runtime import GateRuntime
from bot.gate.states import LedgerEvent, SeatState
from bot.gate.waves import Mode

log = logging.getLogger(__name__)

ACTIVE = frozenset({ChatMember.MEMBER, ChatMember.ADMINISTRATOR, ChatMember.OWNER})
ADMINS = frozenset({ChatMember.ADMINISTRATOR, ChatMember.OWNER})
# Campaign labels the bot gives itself. Stored as written (English, like every label a
# moderator types); shown translated where a person reads them (``label_text``).
ADDED_BY_ADMIN = N_("added by admin")  # the campaign label of a seat an admin gave
NO_CODE = N_("no code")  # the campaign label of a seat taken while the gate is not strict
_OWN_LABELS = frozenset({ADDED_BY_ADMIN, NO_CODE})


def label_text(label: str, tr: Translator) -> str:
    """A campaign label as a person reads it: the bot's own labels in their language, a
    moderator's ("newsletter") as typed."""
    return str(tr._(label)) if label in _OWN_LABELS else label


def in_chat(member: ChatMember) -> bool:
    """In the group: a muted member is; a restricted person who is not a member is not."""
    if member.status in ACTIVE:
        return True
    return member.status == ChatMember.RESTRICTED and bool(getattr(member, "is_member", False))


class Membership:
    def __init__(self, runtime: GateRuntime, admission: Admission) -> None:
        self.rt = runtime
        self.repo = runtime.repo
        self.ledger = runtime.ledger
        self.admission = admission
        # People the gate itself is removing (ban + unban): their "kicked" update is not a ban.
        self._turning_away: set[int] = set()
        # People a moderator is kicking (ban + unban): their ban is recorded as a kick.
        self._kicking: set[int] = set()
        # Waitlisted people promoted by an erasure, told once the erasure has committed.
        self._promoted_by_erasure: dict[int, tuple[int, ...]] = {}

    def expect_kick(self, user_id: int) -> None:
        """A moderator is about to kick (ban + unban): record it as a kick, not a ban."""
        self._kicking.add(user_id)

    # --- Telegram tells us who joined, left, or was banned -------------------------------------
    async def on_member_update(self, change: ChatMemberUpdated) -> None:
        if change.chat.id != self.rt.chat_id:
            return
        old, new = change.old_chat_member, change.new_chat_member
        user = new.user
        was_in, is_in = in_chat(old), in_chat(new)
        actor = change.from_user
        if user.id in self._turning_away:
            if new.status == ChatMember.LEFT:
                self._turning_away.discard(user.id)
            return
        if not was_in and is_in:
            await self._on_join(change)
        elif was_in and not is_in:
            if new.status == ChatMember.BANNED:
                await self._on_ban(user.id)
            else:
                await self._on_leave(user.id, removed=actor.id != user.id)
        elif old.status == ChatMember.BANNED and new.status == ChatMember.LEFT:
            await self.ban_lifted(user.id)
        elif new.status == ChatMember.BANNED and old.status != ChatMember.BANNED:
            # Banned after leaving (/ban by id of someone gone, or a /ban right after a
            # /kick): a code must not bring them back either.
            await self._on_ban(user.id)

    async def _on_join(self, change: ChatMemberUpdated) -> None:
        new = change.new_chat_member
        user = new.user
        actor = change.from_user
        link = change.invite_link.invite_link if change.invite_link else None
        owner = await self.repo.seat_by_link(link) if link else None
        seat = await self.repo.seat(user.id)
        if seat is not None and seat.state is SeatState.MEMBER:
            return  # a second update for a join already confirmed
        holds_seat = seat is not None and (
            seat.state is SeatState.RESERVED
            or (seat.seat and seat.state is SeatState.LEFT)
            or (seat.state is SeatState.LAPSED and link is not None and link == seat.invite_link)
        )
        if holds_seat and await self.admission.confirm(user.id, link):
            await self._reissue_if_stolen(owner, user.id)
            return
        if new.status in ADMINS or user.is_bot:
            return
        if (
            actor.id != user.id
            and actor.id != self.rt.bot.id
            and self.rt.services.permissions.is_moderator(actor.id)
        ):
            await self._record_exempt(user.id, ADDED_BY_ADMIN)
            return
        if not self.rt.settings.gate.strict:
            await self._record_exempt(user.id, NO_CODE)
            return
        await self._turn_away(user.id)
        await self._reissue_if_stolen(owner, user.id)

    async def _reissue_if_stolen(self, owner: Seat | None, joiner: int) -> None:
        """A personal link used by someone else: the owner keeps the seat and gets a new link."""
        if owner is None or owner.user_id == joiner or owner.state is not SeatState.RESERVED:
            return
        log.warning("User %s used the personal link of user %s", joiner, owner.user_id)
        await self.ledger.renew(owner.user_id, owner.invite_link, self.rt.now())
        if owner.invite_link:
            await self.rt.revoke_link(owner.invite_link)
        await self.admission.send_seat(owner.user_id, SeatNews.REPLACED)

    async def _record_exempt(self, user_id: int, label: str) -> None:
        taken = await self.ledger.exempt(user_id, label, self.rt.now())
        max_members = self.rt.settings.community.max_members
        if taken >= max_members:
            log.warning(
                "User %s was %s while the club is full: %d of %d seats are now taken",
                user_id,
                label,
                taken + 1,
                max_members,
            )

    async def _turn_away(self, user_id: int) -> None:
        """Strict gate: out of the group (ban + unban, so they may come back properly)."""
        self._turning_away.add(user_id)
        try:
            await self.rt.bot.ban_chat_member(self.rt.chat_id, user_id)
            await self.rt.bot.unban_chat_member(self.rt.chat_id, user_id, only_if_banned=True)
        except TelegramError as exc:
            self._turning_away.discard(user_id)
            log.warning("Could not remove user %s who has no seat: %s", user_id, exc)
            return
        await self.repo.event(user_id, LedgerEvent.TURNED_AWAY, None, self.rt.now())
        log.info("Removed user %s from the group: no seat", user_id)
        person = await self.rt.services.people.get(user_id)
        if person is not None and person.can_receive_dm:
            voice = await self.rt.voice_for(user_id)
            await self.rt.services.messenger.dm(user_id, texts.turned_away(voice))

    async def _on_leave(self, user_id: int, *, removed: bool) -> None:
        keep = self.rt.settings.gate.free_seat_on_leave is False and not removed
        applied = await self.ledger.leave(
            user_id, removed=removed, keep_seat=keep, now=self.rt.now()
        )
        if not applied.moved:
            return
        log.info("User %s %s the group", user_id, "was removed from" if removed else "left")
        await self.admission.notify_promoted(applied.promoted)

    async def _on_ban(self, user_id: int) -> None:
        if user_id in self._kicking:
            await self._on_kick(user_id)
            return
        applied = await self.ledger.ban(user_id, self.rt.now())
        log.info("User %s was banned from the group", user_id)
        await self.admission.notify_promoted(applied.promoted)

    async def _on_kick(self, user_id: int) -> None:
        """A kick: out at once, the seat back to the club, and a new code needed to return."""
        self._kicking.discard(user_id)
        applied = await self.ledger.kick(user_id, self.rt.now())
        log.info("User %s was kicked from the group", user_id)
        await self.admission.notify_promoted(applied.promoted)

    async def ban_lifted(self, user_id: int) -> None:
        """A ban was lifted (the chat_member update, or /unban itself: both may come, and
        the second changes nothing). Unbanned is not readmitted: the person is a stranger
        to the ledger again and needs a new code (a bare /join must not hand them a link)."""
        lifted = await self.repo.lift_ban_hash(await self.rt.ban_hash(user_id))
        await self.ledger.unban(user_id, self.rt.now())
        if lifted:
            log.info("Lifted the surviving ban of an erased person")

    # --- /forgetme (bot.core.erasure participant) ---------------------------------------------
    async def erase_person(
        self, conn: aiosqlite.Connection, user_id: int, now: int
    ) -> dict[str, int]:
        """Inside the erasure: a ban survives as a keyed hash, the seat goes back at once."""
        applied = await self.ledger.tx_erase(conn, user_id, now)
        if applied.seat is not None and applied.seat.state is SeatState.BANNED:
            await self.repo.tx_ban_hash(conn, await self.rt.ban_hash(user_id), now)
        if applied.promoted:
            self._promoted_by_erasure[user_id] = applied.promoted
        return {}

    async def forget_person(self, user_id: int) -> None:
        self.rt.awaiting_code.discard(user_id)
        self._turning_away.discard(user_id)
        self._kicking.discard(user_id)
        await self.admission.notify_promoted(self._promoted_by_erasure.pop(user_id, ()))

    # --- join requests ------------------------------------------------------------------------
    async def on_join_request(self, request: ChatJoinRequest) -> None:
        if request.chat.id != self.rt.chat_id:
            return
        user_id = request.from_user.id
        now = self.rt.now()
        seat = await self.repo.seat(user_id)
        state = seat.state if seat is not None else None
        dm_to = request.user_chat_id
        messenger = self.rt.services.messenger
        if state is SeatState.BANNED or await self.rt.is_ban_listed(user_id):
            await self.rt.decline(user_id)
            return
        if state is SeatState.MEMBER:
            # The ledger says they are in (they may have left while we were away).
            try:
                await self.rt.bot.approve_chat_join_request(self.rt.chat_id, user_id)
            except BadRequest as exc:
                log.info("Join request of member %s: %s", user_id, exc.message)
            except TelegramError as exc:
                # Nothing was committed: the request stays pending for a moderator or a retry.
                log.warning("Could not approve the join request of member %s: %s", user_id, exc)
            return
        if state is SeatState.RESERVED:
            # They hold a seat: approve at once, no transaction needed before the approval.
            outcome = await self.admission.approve_or_link(user_id)
            if outcome.link or outcome.kind is Answer.SEAT_HELD:
                voice = await self.rt.voice_for(user_id)
                text = texts.answer(outcome, voice)
                markup = texts.join_keyboard(outcome.link, voice.tr)
                messenger.dm_soon(dm_to, text, reply_markup=markup)
            return
        if state in (SeatState.LAPSED, SeatState.LEFT):
            # They already redeemed a code: no need to ask again.
            await self.repo.add_join_request(user_id, self.rt.chat_id, now, now, asked=False)
            outcome = await self.admission.readmit(user_id)
            if outcome.link or outcome.kind in WAITLIST_ANSWERS:
                # The approval is done; the note about it need not hold up the next request.
                voice = await self.rt.voice_for(user_id)
                text = texts.answer(outcome, voice)
                markup = texts.join_keyboard(outcome.link, voice.tr)
                messenger.dm_soon(dm_to, text, reply_markup=markup)
            return
        if state is SeatState.WAITING:
            position = await self.repo.waitlist_position(user_id)
            voice = await self.rt.voice_for(user_id)
            await self._note_then_decline(user_id, dm_to, texts.waiting_requester(voice, position))
            return
        # Telegram lets us write to a join requester for 5 minutes only: they join the ask
        # queue, asked in arrival order as the sending budget and the raid policy allow.
        deadline = now + self.rt.settings.gate.join_request_minutes * 60
        await self.repo.add_join_request(user_id, self.rt.chat_id, now, deadline, asked=False)
        self.rt.awaiting_code.add(user_id)
        # Asked in the language their app reports (the request carries it), else the one
        # last seen for them: the decline at the deadline (voice_for) speaks the same one.
        services = self.rt.services
        if request.from_user.language_code:
            tr = services.tr_for(request.from_user)
        else:
            tr = await services.tr_for_person(user_id)
        self.rt.asker.enqueue(user_id, deadline, tr)

    async def expire_join_requests(self) -> int:
        due = await self.repo.due_join_requests(self.rt.now())
        for request in due:
            if not await self.rt.take_request(request.user_id):
                continue
            if not request.asked:
                # Never asked (a raid, or the window ran out before their turn): nothing of
                # theirs was used, so a code they hold stays valid.
                self.rt.asker.counts.unasked_declined += 1
                await self.rt.decline(request.user_id)
                await self.repo.event(
                    request.user_id, LedgerEvent.DECLINED_UNASKED, None, self.rt.now()
                )
                continue
            if self.rt.asker.mode is Mode.WAVE:
                # Say it before declining: the decline closes our window to write to them.
                # In a raid the declines are quiet: no message per stranger.
                voice = await self.rt.voice_for(request.user_id)
                note = texts.no_code_in_time(voice)
                await self._note_then_decline(request.user_id, request.user_id, note)
            else:
                await self.rt.decline(request.user_id)
            await self.repo.event(request.user_id, LedgerEvent.DECLINED, None, self.rt.now())
        return len(due)

    async def _note_then_decline(self, user_id: int, dm_to: int, note: str) -> None:
        """A note, then the decline. Nothing on our side would decline the request later, so
        a lost note (no answer from Telegram) must not leave it pending for ever."""
        try:
            await try_dm(self.rt.bot, dm_to, note)
        except TelegramError as exc:
            log.warning("Could not tell join requester %s why they are declined: %s", user_id, exc)
        await self.rt.decline(user_id)

    # --- start-up ----------------------------------------------------------------------------
    async def reconcile(self) -> int:
        """Compare the ledger's members with Telegram's view; fix and log differences."""
        fixed = 0
        for seat in await self.repo.seats_in_state(SeatState.MEMBER):
            try:
                member = await self.rt.bot.get_chat_member(self.rt.chat_id, seat.user_id)
            except TelegramError as exc:
                log.warning("Reconciliation: cannot look up user %s: %s", seat.user_id, exc)
                continue
            if in_chat(member):
                continue
            fixed += 1
            if member.status == ChatMember.BANNED:
                log.warning("Reconciliation: user %s was banned while we were away", seat.user_id)
                await self._on_ban(seat.user_id)
            else:
                log.warning("Reconciliation: user %s left while we were away", seat.user_id)
                await self._on_leave(seat.user_id, removed=False)
        if fixed:
            log.warning("Reconciliation fixed %d ledger entr(y/ies)", fixed)
        return fixed
