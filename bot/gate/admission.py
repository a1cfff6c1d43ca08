"""Admission: a code redeemed, consent recorded, a seat reserved, and a way in delivered
(an approved join request or a personal invite link), up to the seat confirmed on joining.

Seats change only through the ledger (bot/gate/ledger.py), in one transaction that also
counts them; Telegram calls happen after the commit. If no way in can be made after it
(the bot lost its right to invite, Telegram does not answer), the reservation is held: the
seat stays that person's, nobody else moves up, and ``retry_held`` tries again on the
scheduler. Answers are ``Outcome`` values; bot/gate/texts.py words them.
"""

from __future__ import annotations

import logging

from telegram.error import BadRequest, NetworkError, TelegramError

from bot.gate import codes as codebook
from bot.gate import texts
from bot.gate.ledger import Transition, Verdict
from bot.gate.outcomes import Answer, Outcome, SeatNews
from bot.gate.records import Code, Seat
from bot.gate.runtime import GateRuntime
from bot.gate.states import CodeStatus, SeatState, Via

log = logging.getLogger(__name__)

# A consent notice's Accept button works for a day; after that the code must be sent again.
ATTEMPT_TTL = 24 * 3600
# What a Telegram BadRequest says when the person is in the group already.
ALREADY_PARTICIPANT = "USER_ALREADY_PARTICIPANT"
# A held reservation is tried again at most this often: a missing right or an outage is not
# fixed in seconds, and each try is a Bot API call that would fail the same way.
HOLD_RETRY_SECONDS = 60
HELD_WARNING = (
    "Could not let user %s in (%s): their seat is held and nobody else moves up from the "
    "waitlist until they get in; retrying every %d s. Check that the bot is an admin with "
    "the 'invite users via link' right."
)


def _code_problem(code: Code, now: int) -> Outcome | None:
    status = code.status(now)
    return (
        None if status is CodeStatus.ACTIVE else Outcome(Answer.CODE_UNUSABLE, code_status=status)
    )


class Admission:
    def __init__(self, runtime: GateRuntime) -> None:
        self.rt = runtime
        self.repo = runtime.repo
        self.ledger = runtime.ledger
        # Held reservations: when each is tried next (in memory: after a restart, at once).
        self._next_try: dict[int, int] = {}
        # The warning about held seats is logged once until none is held any more.
        self._hold_reported = False

    # --- a person brings a code ----------------------------------------------------------------
    async def begin(self, user_id: int, text: str | None) -> Outcome:
        """/start CODE, /join [CODE] or a code typed in reply to a join request."""
        now = self.rt.now()
        locked = await self.repo.locked_until(user_id, now)
        if locked is not None:
            return Outcome(Answer.LOCKED_OUT, until=locked)
        if await self.rt.is_ban_listed(user_id):
            return Outcome(Answer.BANNED)
        seat = await self.repo.seat(user_id)
        if seat is not None:
            known = await self._holder_answer(seat)
            if known is not None:
                return known
        typed = (text or "").strip()
        if not typed:
            return Outcome(Answer.HOW_TO_SEND)
        normalized = codebook.normalize_code(typed)
        if normalized is None:
            return await self._wrong_code(user_id, now, Answer.NOT_A_CODE)
        code = await self.repo.code_by_hash(codebook.hash_code(normalized, await self.rt.key()))
        if code is None:
            return await self._wrong_code(user_id, now, Answer.UNKNOWN_CODE)
        problem = _code_problem(code, now)
        if problem is not None:
            return problem
        if user_id in self.rt.awaiting_code:
            admitted = await self._admit_requester(user_id, code, now)
            if admitted is not None:
                return admitted
            # Not asked (a raid, or their turn had not come): a valid code still counts.
            await self.rt.asker.answered(user_id, valid=True)
        attempt_id = await self.repo.add_attempt(user_id, code.id, now)
        return Outcome(Answer.CONSENT, attempt_id=attempt_id)

    async def _holder_answer(self, seat: Seat) -> Outcome | None:
        """Someone already in the ledger: tell them where they stand, or let them back in."""
        if seat.state is SeatState.BANNED:
            return Outcome(Answer.BANNED)
        if seat.state is SeatState.MEMBER:
            return Outcome(Answer.ALREADY_MEMBER)
        if seat.state is SeatState.WAITING:
            position = await self.repo.waitlist_position(seat.user_id)
            return Outcome(Answer.ON_WAITLIST, position=position)
        if seat.state is SeatState.RESERVED and seat.invite_link and seat.reserved_until:
            return Outcome(Answer.LINK, link=seat.invite_link, until=seat.reserved_until)
        # Lapsed, left, or reserved without a link: they hold a redeemed code, so no new
        # code is needed; seat them again if there is room.
        return await self.readmit(seat.user_id)

    async def _admit_requester(self, user_id: int, code: Code, now: int) -> Outcome | None:
        """A valid code from a join requester we asked: seat and approve in one step.

        The ask carried the storage notice, so the code is the consent. None when the fast
        path does not apply (not asked, already in the ledger, the code no longer usable):
        the Accept flow follows.
        """
        state = await self._redeem_asked(user_id, code, now)
        if state is None:
            return None
        await self.rt.asker.answered(user_id, valid=True)
        log.info("User %s redeemed a %r code: %s", user_id, code.label, state)
        if state is SeatState.WAITING:
            return await self._after_place(user_id, state)
        self.rt.stop_asking(user_id)
        return await self.approve_or_link(user_id)

    async def _redeem_asked(self, user_id: int, code: Code, now: int) -> SeatState | None:
        """One transaction takes the seat (or a waitlist place), uses the code, closes the
        request and records the answer."""
        waves = self.rt.waves_repo
        async with self.rt.services.db.transaction() as conn:
            if not await waves.tx_was_asked(conn, user_id):
                return None
            if await self.repo.tx_seat(conn, user_id) is not None:
                return None
            fresh = await self.repo.tx_code(conn, code.id)
            if fresh is None or fresh.status(now) is not CodeStatus.ACTIVE:
                return None
            await self.repo.tx_use_code(conn, fresh.id)
            step = await self.ledger.tx_redeem(
                conn, user_id, code_id=fresh.id, label=fresh.label, now=now, consent_at=now
            )
            state = step.after.state if step.after else None
            if state is SeatState.RESERVED:
                # The approval follows at once; the request row must go in the same step so
                # that the deadline sweep can never decline someone we just seated.
                await waves.tx_close_request(conn, user_id)
            await waves.tx_resolve(conn, user_id, "valid", now)
        return state

    async def approve_or_link(self, user_id: int) -> Outcome:
        """Approve a seat holder's join request; a personal link if that fails.

        An approval says nothing by itself: the welcome (with the rules) follows the join.
        """
        return await self._approve(user_id, Answer.SILENT) or await self.deliver_seat(user_id)

    async def _approve(self, user_id: int, approved: Answer) -> Outcome | None:
        """Approve their join request; None when a personal link must do instead."""
        try:
            await self.rt.bot.approve_chat_join_request(self.rt.chat_id, user_id)
            return Outcome(approved)
        except BadRequest as exc:
            if ALREADY_PARTICIPANT in exc.message:
                await self.confirm(user_id, None)
                return Outcome(Answer.ALREADY_IN)
            # HIDE_REQUESTER_MISSING: the request was withdrawn or handled by an admin;
            # a personal link still gets them in.
            log.info("Join request of %s is gone (%s); sending a link", user_id, exc.message)
        except NetworkError as exc:
            # No answer after the bot's retries (a 5xx, a timeout): the request is still
            # pending as far as we know, and they wait for it. Hold the seat; retry_held
            # approves it later. If it went through unseen, their join confirms the seat.
            return await self._hold(user_id, exc, Via.REQUEST)
        except TelegramError as exc:
            # A refusal that is not about the request (e.g. Forbidden): a link may still work.
            log.warning(
                "Could not approve the join request of %s (%s); sending a link", user_id, exc
            )
        return None

    async def _wrong_code(self, user_id: int, now: int, kind: Answer) -> Outcome:
        gate = self.rt.settings.gate
        if user_id in self.rt.awaiting_code:
            await self.rt.asker.answered(user_id, valid=False)
        failures, locked = await self.repo.record_failure(
            user_id,
            now,
            gate.failure_window_minutes * 60,
            gate.max_failures,
            gate.lockout_minutes * 60,
        )
        # Failure counts are about guessing: never log the text that was tried.
        log.info("Wrong invite code from user %s (%d in the window)", user_id, failures)
        if locked is not None:
            return Outcome(kind, until=locked)
        return Outcome(kind, tries_left=gate.max_failures - failures)

    # --- consent accepted: reserve a seat ------------------------------------------------------
    async def accept(self, user_id: int, attempt_id: int) -> Outcome:
        """The Accept button under the consent notice: record consent, reserve a seat."""
        now = self.rt.now()
        answer: Outcome | None = None
        placed: SeatState | None = None
        label = ""
        async with self.rt.services.db.transaction() as conn:
            attempt = await self.repo.tx_attempt(conn, attempt_id)
            seat = await self.repo.tx_seat(conn, user_id)
            if attempt is None or attempt.user_id != user_id:
                answer = Outcome(Answer.NOT_YOURS)
            elif attempt.done_at is not None:
                pass  # accepted before: where they stand is the answer
            elif now - attempt.created_at > ATTEMPT_TTL:
                answer = Outcome(Answer.NOTICE_EXPIRED)
            elif seat is not None:
                # Already in the ledger (e.g. accepted twice from two notices): their
                # redeemed code still counts; this one is not used up.
                await self.repo.tx_finish_attempt(conn, attempt_id, now)
            else:
                await self.repo.tx_finish_attempt(conn, attempt_id, now)
                code = await self.repo.tx_code(conn, attempt.code_id)
                answer = Outcome(Answer.CODE_GONE) if code is None else _code_problem(code, now)
                if answer is None and code is not None:
                    await self.repo.tx_use_code(conn, code.id)
                    label = code.label
                    step = await self.ledger.tx_redeem(
                        conn, user_id, code_id=code.id, label=code.label, now=now, consent_at=now
                    )
                    placed = step.after.state if step.after else None
        if answer is not None:
            return answer
        if placed is None:
            held = await self.repo.seat(user_id)
            known = await self._holder_answer(held) if held is not None else None
            return known or Outcome(Answer.ALREADY_ACCEPTED)
        log.info("User %s redeemed a %r code: %s", user_id, label, placed)
        return await self._after_place(user_id, placed)

    async def readmit(self, user_id: int) -> Outcome:
        """A holder of a redeemed code asks again (/join after a lapse or a leave)."""
        now = self.rt.now()
        step: Transition | None = None
        async with self.rt.services.db.transaction() as conn:
            seat = await self.repo.tx_seat(conn, user_id)
            if seat is not None and seat.seat:
                step = await self.ledger.tx_renew(conn, user_id, now)
            elif seat is not None:
                step = await self.ledger.tx_redeem(
                    conn, user_id, code_id=seat.code_id, label=seat.label, now=now, consent_at=None
                )
        placed = (
            step.after.state if step and step.after and step.verdict is Verdict.MOVED else None
        )
        if placed is None:
            held = await self.repo.seat(user_id)
            known = await self._holder_answer(held) if held else None
            return known or Outcome(Answer.SEND_CODE)
        return await self._after_place(user_id, placed)

    async def _after_place(self, user_id: int, state: SeatState) -> Outcome:
        if state is SeatState.WAITING:
            position = await self.repo.waitlist_position(user_id)
            if await self.rt.take_request(user_id):
                await self.rt.decline(user_id)
            return Outcome(Answer.WAITLISTED, position=position)
        return await self.deliver_seat(user_id)

    async def deliver_seat(self, user_id: int) -> Outcome:
        """Turn a reservation into a way in: approve their join request, or a personal link."""
        seat = await self.repo.seat(user_id)
        now = self.rt.now()
        if seat is None or seat.state is not SeatState.RESERVED or not seat.seat:
            return Outcome(Answer.RESERVATION_ENDED)
        if seat.reserved_until is not None and seat.reserved_until <= now:
            return Outcome(Answer.RESERVATION_ENDED)  # ran out; the expiry sweep frees it
        # A seat held because Telegram did not answer an approval: approving is the retry.
        approval_due = seat.reserved_until is None and seat.via is Via.REQUEST
        if await self.rt.take_request(user_id) or approval_due:
            approved = await self._approve(user_id, Answer.APPROVED)
            if approved is not None:
                return approved
        # A held reservation (no deadline) gets its full time from the moment its link exists.
        until = seat.reserved_until or now + self.ledger.reservation
        try:
            # Bot API createChatInviteLink: member_limit 1 makes the link personal, and a
            # link name may be at most 32 characters.
            link = await self.rt.bot.create_chat_invite_link(
                self.rt.chat_id,
                expire_date=until,
                member_limit=1,
                name=(seat.label or "invite")[:32],
            )
        except TelegramError as exc:
            # Without the "invite users" right (BadRequest) or an answer (NetworkError) no
            # link can be made for anyone: releasing the seat would hand it to the next in
            # line, fail the same way, and empty the waitlist with false news.
            return await self._hold(user_id, exc, Via.LINK)
        if not await self.repo.set_link(user_id, link.invite_link, until, now):
            await self.rt.revoke_link(link.invite_link)
            return Outcome(Answer.RESERVATION_ENDED)
        return Outcome(Answer.LINK, link=link.invite_link, until=until)

    async def _hold(self, user_id: int, exc: TelegramError, via: Via) -> Outcome:
        """No way in could be made: the seat stays theirs and ``retry_held`` tries again."""
        applied = await self.ledger.hold(user_id, self.rt.now(), via)
        if not applied.moved:
            return Outcome(Answer.RESERVATION_ENDED)
        self._next_try[user_id] = self.rt.now() + HOLD_RETRY_SECONDS
        if not self._hold_reported:
            self._hold_reported = True
            log.warning(HELD_WARNING, user_id, exc, HOLD_RETRY_SECONDS)
        else:
            log.info("Holding the seat of user %s: still no way in (%s)", user_id, exc)
        return Outcome(Answer.SEAT_HELD)

    async def retry_held(self) -> int:
        """Scheduled: make a way in for held reservations; returns how many got one."""
        now = self.rt.now()
        held = await self.repo.held_reservations()
        if not held:
            self._hold_reported = False
        self._next_try = {seat.user_id: self._next_try.get(seat.user_id, now) for seat in held}
        delivered = 0
        for seat in held:
            if self._next_try[seat.user_id] > now:
                continue
            outcome = await self.deliver_seat(seat.user_id)
            if outcome.kind is Answer.SEAT_HELD:
                continue  # told when it was first held; _hold set the next try
            delivered += 1
            log.info("User %s's held seat has a way in now (%s)", seat.user_id, outcome.kind)
            if outcome.link:
                # An approval needs no note: the welcome follows their join.
                await self._tell(seat.user_id, SeatNews.READY, outcome)
        return delivered

    async def send_seat(self, user_id: int, news: SeatNews) -> None:
        """Promotion from the waitlist (or a replaced link): deliver and tell them privately."""
        await self._tell(user_id, news, await self.deliver_seat(user_id))

    async def _tell(self, user_id: int, news: SeatNews, outcome: Outcome) -> None:
        voice = await self.rt.voice_for(user_id)
        try:
            await self.rt.services.messenger.dm(
                user_id,
                texts.seat_news(news, outcome, voice),
                reply_markup=texts.join_keyboard(outcome.link, voice.tr),
            )
        except BadRequest as exc:
            # Not about the moment (e.g. the chat is gone): the reservation runs out as usual.
            log.warning("Could not tell user %s about their seat: %s", user_id, exc.message)
        except NetworkError as exc:
            # No answer: a link they never saw must not run out on them. Hold the seat; the
            # next try makes a fresh link and tells them.
            if outcome.link:
                await self.rt.revoke_link(outcome.link)
                await self._hold(user_id, exc, Via.LINK)
            log.warning("Could not tell user %s about their seat: %s", user_id, exc)

    async def notify_promoted(self, promoted: tuple[int, ...]) -> None:
        for user_id in promoted:
            log.info("User %s moves up from the waitlist", user_id)
            await self.send_seat(user_id, SeatNews.FREED)

    # --- in the group: the seat is theirs ------------------------------------------------------
    async def confirm(self, user_id: int, link: str | None) -> bool:
        """They are in the group: the seat is theirs. False if no seat could be given."""
        applied = await self.ledger.confirm(user_id, link, self.rt.now())
        if applied.transition.verdict is Verdict.STAYED:
            return True
        if not applied.moved or applied.seat is None:
            return False
        if applied.seat.invite_link:
            await self.rt.revoke_link(applied.seat.invite_link)
        log.info("User %s took a seat (%s)", user_id, applied.seat.label)
        await self._welcome(user_id)
        return True

    async def _welcome(self, user_id: int) -> None:
        text = texts.welcome(await self.rt.voice_for(user_id), self.rt.settings.community.rules)
        # Nothing waits on a welcome: during a wave it yields the sending budget to asks.
        html = await self.rt.links.brand_html(text, "welcome")
        self.rt.asker.send_later(user_id, html)

    # --- reservations that run out -------------------------------------------------------------
    async def expire_reservations(self) -> int:
        due = await self.repo.due_reservations(self.rt.now())
        for seat in due:
            await self.release(seat.user_id)
        return len(due)

    async def release(self, user_id: int) -> None:
        """A reservation ran out unused: the seat goes back and the waitlist moves up."""
        applied = await self.ledger.expire(user_id, self.rt.now())
        if not applied.moved or applied.seat is None:
            return
        if applied.seat.invite_link:
            await self.rt.revoke_link(applied.seat.invite_link)
        log.info("The reservation of user %s ran out; the seat is free again", user_id)
        tr = await self.rt.services.tr_for_person(user_id)
        await self.rt.services.messenger.dm(user_id, texts.reservation_expired(tr))
        await self.notify_promoted(applied.promoted)
