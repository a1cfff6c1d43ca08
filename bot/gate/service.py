"""The gate's logic: codes in, seats out, and the ledger kept true to the group.

Everything that decides who gets a seat runs in one ``BEGIN IMMEDIATE`` transaction that
counts occupied seats and writes the outcome, so the cap holds however many people redeem
at once. Telegram calls (links, approvals, removals, messages) happen after the commit; if
one fails, the reservation simply runs out and the seat comes back.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import aiosqlite
from telegram import (
    Bot,
    ChatJoinRequest,
    ChatMember,
    ChatMemberUpdated,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
)
from telegram.error import BadRequest, TelegramError

from bot.core.ids import parse_id
from bot.core.messaging import escape, try_dm
from bot.core.services import Services
from bot.core.timeparse import format_duration
from bot.gate import codes as codebook
from bot.gate import wave_texts
from bot.gate.asking import Asker
from bot.gate.repo import (
    BANNED,
    LAPSED,
    LEFT,
    MEMBER,
    RESERVED,
    WAITING,
    Code,
    GateRepository,
    Seat,
)
from bot.gate.waves import Mode
from bot.gate.waves_repo import WavesRepository
from bot.links import LinkService

log = logging.getLogger(__name__)

ACTIVE = frozenset({ChatMember.MEMBER, ChatMember.ADMINISTRATOR, ChatMember.OWNER})
ADMINS = frozenset({ChatMember.ADMINISTRATOR, ChatMember.OWNER})
# A consent notice's Accept button works for a day; after that the code must be sent again.
ATTEMPT_TTL = 24 * 3600
LABEL_RE = re.compile(r"^[\w.-]{1,32}$")
MAX_CODES_PER_BATCH = 200
MAX_USES = 100_000
CALLBACK_PREFIX = "v1:gate:accept:"
BAN_KEY_FACT = "gate:ban_key"
ERASED_PERSON = 0  # the user id an erased person's ledger events are kept under


@dataclass
class Reply:
    """What to answer a person: text, plus an Accept button or a Join link button."""

    text: str
    attempt_id: int | None = None
    link: str | None = None


@dataclass
class MembersSummary:
    max_members: int
    seats_taken: int
    members: int
    reserved: int
    waiting: int
    joins_by_label: list[tuple[str, int]] = field(default_factory=list)


class GateError(ValueError):
    """Bad input to a moderator action; the message says what is wrong."""


def attempt_callback(attempt_id: int) -> str:
    return f"{CALLBACK_PREFIX}{attempt_id}"


class GateService:
    def __init__(self, services: Services, links: LinkService) -> None:
        self.services = services
        self.links = links
        self.settings = services.settings
        self.repo = GateRepository(services.db)
        self._key: bytes | None = None
        # People with a join request waiting for their code: their plain private messages
        # are read as codes (a sync filter needs this in memory; rebuilt at start-up).
        self.awaiting_code: set[int] = set()
        # People the gate itself is removing (ban + unban): their "kicked" update is not a ban.
        self._turning_away: set[int] = set()
        # People a moderator is kicking (ban + unban): their ban is recorded as a kick.
        self._kicking: set[int] = set()
        # Waitlisted people promoted by an erasure, told once the erasure has committed.
        self._promoted_by_erasure: dict[int, list[int]] = {}
        self._ban_key: bytes | None = None
        # Join requesters are asked for their code in arrival order within the sending
        # budget, and a raid is told from a wave by the answers (bot/gate/asking.py).
        self.waves_repo = WavesRepository(services.db, self.repo)
        self.asker = Asker(services, self.waves_repo)
        self.asker.ask_text = lambda _user_id: wave_texts.ask_for_code(
            self.settings.community.name, self.settings.gate.join_request_minutes
        )

    # --- plumbing ----------------------------------------------------------------------------
    @property
    def bot(self) -> Bot:
        return self.services.messenger.bot

    @property
    def chat_id(self) -> int:
        return self.services.chats.community_id

    def now(self) -> int:
        return self.services.now_ts()

    async def key(self) -> bytes:
        if self._key is None:
            secret = self.settings.gate.code_secret
            self._key = await codebook.code_key(
                secret.get_secret_value() if secret else None, self.services.facts, self.now()
            )
        return self._key

    def when(self, ts: int) -> str:
        tz = self.settings.community.tz
        local = datetime.fromtimestamp(ts, UTC).astimezone(tz)
        today = datetime.fromtimestamp(self.now(), UTC).astimezone(tz).date()
        stamp = f"{local:%H:%M}" if local.date() == today else f"{local:%Y-%m-%d %H:%M}"
        return f"{stamp} ({tz.key})"

    async def ban_hash(self, user_id: int) -> str:
        """The keyed hash a ban survives erasure as (no id, no name: see README, Privacy)."""
        if self._ban_key is None:
            self._ban_key = await codebook.stored_key(
                BAN_KEY_FACT, self.services.facts, self.now()
            )
        return hmac.new(self._ban_key, str(user_id).encode("ascii"), hashlib.sha256).hexdigest()

    async def is_ban_listed(self, user_id: int) -> bool:
        return await self.repo.is_ban_listed(await self.ban_hash(user_id))

    def expect_kick(self, user_id: int) -> None:
        """A moderator is about to kick (ban + unban): record it as a kick, not a ban."""
        self._kicking.add(user_id)

    async def load(self) -> None:
        await self.key()
        self.awaiting_code = set(await self.repo.pending_request_users())
        await self.asker.load(self.now())

    # --- codes (moderators and the CLI) --------------------------------------------------------
    async def create_codes(
        self,
        count: int,
        uses: int,
        label: str,
        expires_in: timedelta | None,
        created_by: int | None,
    ) -> list[str]:
        return await create_codes(
            self.repo, await self.key(), count, uses, label, expires_in, created_by, self.now()
        )

    async def revoke(self, target: str) -> int:
        return await revoke_codes(self.repo, target, self.now())

    async def summary(self, days: int = 7) -> MembersSummary:
        counts = await self.repo.counts()
        now = self.now()
        return MembersSummary(
            max_members=self.settings.community.max_members,
            seats_taken=counts.seats_taken,
            members=counts.members,
            reserved=counts.reserved,
            waiting=counts.waiting,
            joins_by_label=await self.repo.joins_by_label(now - days * 86400, now + 1),
        )

    # --- a person brings a code ----------------------------------------------------------------
    async def begin(self, user_id: int, text: str | None) -> Reply:
        """/start CODE, /join [CODE] or a code typed in reply to a join request."""
        now = self.now()
        name = escape(self.settings.community.name)
        locked = await self.repo.locked_until(user_id, now)
        if locked is not None:
            return Reply(
                f"Too many wrong codes. Please try again after <b>{escape(self.when(locked))}</b>."
            )
        if await self.is_ban_listed(user_id):
            return Reply(banned_text(self.settings.community.name))
        seat = await self.repo.seat(user_id)
        if seat is not None:
            known = await self._holder_reply(seat)
            if known is not None:
                return known
        typed = (text or "").strip()
        if not typed:
            return Reply(
                f"To join <b>{name}</b>, send your invite code like this:\n"
                "<code>/join 7K3Q-M9XP-4HRT</code>\n"
                "No code yet? Codes come from the club's campaigns (in the shop, the "
                "newsletter or at events)."
            )
        normalized = codebook.normalize_code(typed)
        if normalized is None:
            return await self._wrong_code(
                user_id,
                now,
                "That doesn't look like an invite code. Codes look like "
                "<code>7K3Q-M9XP-4HRT</code> (12 letters and digits).",
            )
        code = await self.repo.code_by_hash(codebook.hash_code(normalized, await self.key()))
        if code is None:
            return await self._wrong_code(user_id, now, "That invite code is not valid.")
        problem = _code_problem(code, now)
        if problem is not None:
            return Reply(problem)
        if user_id in self.awaiting_code:
            admitted = await self._admit_requester(user_id, code, now)
            if admitted is not None:
                return admitted
            # Not asked (a raid, or their turn had not come): a valid code still counts.
            await self.asker.answered(user_id, valid=True)
        attempt_id = await self.repo.add_attempt(user_id, code.id, now)
        return Reply(consent_notice(self.settings.community.name), attempt_id=attempt_id)

    async def _holder_reply(self, seat: Seat) -> Reply | None:
        """Someone already in the ledger: tell them where they stand, or let them back in."""
        name = escape(self.settings.community.name)
        if seat.state == BANNED:
            return Reply(banned_text(self.settings.community.name))
        if seat.state == MEMBER:
            return Reply(f"You're already a member of <b>{name}</b>. 🎉")
        if seat.state == WAITING:
            position = await self.repo.waitlist_position(seat.user_id)
            return Reply(
                f"<b>{name}</b> is full and you're on the waitlist: number "
                f"<b>{position}</b> in line. I'll send you a personal invite link as soon "
                "as a seat frees up."
            )
        if seat.state == RESERVED and seat.invite_link and seat.reserved_until:
            return Reply(self._link_text(seat.reserved_until), link=seat.invite_link)
        # Lapsed, left, or reserved without a link: they hold a redeemed code, so no new
        # code is needed; seat them again if there is room.
        return await self.readmit(seat.user_id)

    async def _admit_requester(self, user_id: int, code: Code, now: int) -> Reply | None:
        """A valid code from a join requester we asked: seat and approve in one step.

        The ask carried the storage notice, so the code is the consent. None when the fast
        path does not apply (not asked, already in the ledger): the Accept flow follows.
        """
        admission = await self.waves_repo.admit_asked(
            user_id,
            code,
            now,
            self.settings.community.max_members,
            self.settings.gate.reservation_minutes * 60,
        )
        if admission.state is None:
            return None
        await self.asker.answered(user_id, valid=True)
        log.info("User %s redeemed a %r code: %s", user_id, admission.label, admission.state)
        if admission.state == WAITING:
            return await self._after_place(user_id, WAITING)
        self.awaiting_code.discard(user_id)
        self.asker.withdraw(user_id)
        return await self._approve_or_link(user_id)

    async def _approve_or_link(self, user_id: int) -> Reply:
        """Approve a seat holder's join request; a personal link if the request is gone.

        An approval says nothing by itself: the welcome (with the rules) follows the join.
        """
        name = escape(self.settings.community.name)
        try:
            await self.bot.approve_chat_join_request(self.chat_id, user_id)
            return Reply("")
        except BadRequest as exc:
            if "USER_ALREADY_PARTICIPANT" in exc.message:
                await self.confirm(user_id, None)
                return Reply(f"You're already in <b>{name}</b>. 🎉")
            log.info("Join request of %s is gone (%s); sending a link", user_id, exc.message)
        return await self.deliver_seat(user_id)

    async def _wrong_code(self, user_id: int, now: int, text: str) -> Reply:
        gate = self.settings.gate
        if user_id in self.awaiting_code:
            await self.asker.answered(user_id, valid=False)
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
            return Reply(
                f"{text}\nThat was too many wrong codes: please try again after "
                f"<b>{escape(self.when(locked))}</b>."
            )
        left = gate.max_failures - failures
        return Reply(f"{text}\nPlease check it and try again ({left} tries left).")

    # --- consent accepted: reserve a seat ---------------------------------------------------
    async def accept(self, user_id: int, attempt_id: int) -> Reply:
        """The Accept button under the consent notice: record consent, reserve a seat."""
        now = self.now()
        reservation = self.settings.gate.reservation_minutes * 60
        outcome: Reply | str
        label = ""
        async with self.services.db.transaction() as conn:
            attempt = await self.repo.tx_attempt(conn, attempt_id)
            seat = await self.repo.tx_seat(conn, user_id)
            if attempt is None or attempt.user_id != user_id:
                outcome = Reply("This button isn't for you.")
            elif attempt.done_at is not None:
                outcome = "holder"
            elif now - attempt.created_at > ATTEMPT_TTL:
                outcome = Reply("This notice has expired: please send your code again.")
            elif seat is not None:
                # Already in the ledger (e.g. accepted twice from two notices): their
                # redeemed code still counts; this one is not used up.
                await self.repo.tx_finish_attempt(conn, attempt_id, now)
                outcome = "holder"
            else:
                await self.repo.tx_finish_attempt(conn, attempt_id, now)
                code = await self.repo.tx_code(conn, attempt.code_id)
                problem = "That code is gone." if code is None else _code_problem(code, now)
                if problem is not None or code is None:
                    outcome = Reply(problem or "That code is gone.")
                else:
                    await self.repo.tx_use_code(conn, code.id)
                    label = code.label
                    outcome = await self._place(
                        conn,
                        user_id,
                        code_id=code.id,
                        label=code.label,
                        now=now,
                        consent_at=now,
                        reservation=reservation,
                    )
        if isinstance(outcome, Reply):
            return outcome
        if outcome == "holder":
            seat = await self.repo.seat(user_id)
            reply = await self._holder_reply(seat) if seat is not None else None
            return reply or Reply("You've already accepted.")
        log.info("User %s redeemed a %r code: %s", user_id, label, outcome)
        return await self._after_place(user_id, outcome)

    async def readmit(self, user_id: int) -> Reply:
        """A holder of a redeemed code asks again (/join after a lapse or a leave)."""
        now = self.now()
        async with self.services.db.transaction() as conn:
            seat = await self.repo.tx_seat(conn, user_id)
            if seat is None or seat.state in (BANNED, MEMBER, WAITING):
                state = None
            elif seat.seat:
                # Their seat is still theirs (kept on leave, or reserved): a fresh link.
                await self.repo.tx_set_state(
                    conn,
                    user_id,
                    RESERVED,
                    True,
                    now,
                    reserved_until=now + self.settings.gate.reservation_minutes * 60,
                )
                state = RESERVED
            else:
                state = await self._place(
                    conn,
                    user_id,
                    code_id=seat.code_id,
                    label=seat.label,
                    now=now,
                    consent_at=None,
                    reservation=self.settings.gate.reservation_minutes * 60,
                )
        if state is None:
            seat = await self.repo.seat(user_id)
            reply = await self._holder_reply(seat) if seat else None
            return reply or Reply("Send /join followed by your invite code.")
        return await self._after_place(user_id, state)

    async def _place(
        self,
        conn: aiosqlite.Connection,
        user_id: int,
        *,
        code_id: int | None,
        label: str,
        now: int,
        consent_at: int | None,
        reservation: int,
    ) -> str:
        """Inside a transaction: a seat if one is free, else the end of the waitlist."""
        taken = await self.repo.tx_seats_taken(conn)
        if taken < self.settings.community.max_members:
            await self.repo.tx_upsert_seat(
                conn,
                user_id=user_id,
                code_id=code_id,
                label=label,
                state=RESERVED,
                seat=True,
                now=now,
                consent_at=consent_at,
                reserved_until=now + reservation,
                via="link",
            )
            return RESERVED
        queue_no = await self.repo.tx_next_queue_no(conn)
        await self.repo.tx_upsert_seat(
            conn,
            user_id=user_id,
            code_id=code_id,
            label=label,
            state=WAITING,
            seat=False,
            now=now,
            consent_at=consent_at,
            queue_no=queue_no,
        )
        await self.repo.tx_event(conn, user_id, "waitlisted", label, now)
        return WAITING

    async def _after_place(self, user_id: int, state: str) -> Reply:
        name = escape(self.settings.community.name)
        if state == WAITING:
            position = await self.repo.waitlist_position(user_id)
            if await self.repo.take_join_request(user_id):
                self.awaiting_code.discard(user_id)
                self.asker.withdraw(user_id)
                await self._decline(user_id)
            return Reply(
                f"Thank you! <b>{name}</b> is full right now, so you're on the waitlist: "
                f"number <b>{position}</b> in line. I'll send you a personal invite link "
                "as soon as a seat frees up."
            )
        return await self.deliver_seat(user_id)

    def _link_text(self, until: int) -> str:
        name = escape(self.settings.community.name)
        return (
            f"Your seat in <b>{name}</b> is reserved until <b>{escape(self.when(until))}</b>. "
            "Tap the button to join. The link is personal: it works once, for you only."
        )

    async def deliver_seat(self, user_id: int) -> Reply:
        """Turn a reservation into a way in: approve their join request, or a personal link."""
        seat = await self.repo.seat(user_id)
        name = escape(self.settings.community.name)
        if seat is None or seat.state != RESERVED or seat.reserved_until is None:
            return Reply("Your reservation has ended; send /join to try again.")
        if await self.repo.take_join_request(user_id):
            self.awaiting_code.discard(user_id)
            self.asker.withdraw(user_id)
            try:
                await self.bot.approve_chat_join_request(self.chat_id, user_id)
                return Reply(f"Welcome! Your request to join <b>{name}</b> is approved.")
            except BadRequest as exc:
                if "USER_ALREADY_PARTICIPANT" in exc.message:
                    await self.confirm(user_id, None)
                    return Reply(f"You're already in <b>{name}</b>. 🎉")
                # HIDE_REQUESTER_MISSING: the request was withdrawn or handled by an admin;
                # a personal link still gets them in.
                log.info("Join request of %s is gone (%s); sending a link", user_id, exc.message)
        try:
            link = await self.bot.create_chat_invite_link(
                self.chat_id,
                expire_date=seat.reserved_until,
                member_limit=1,
                name=(seat.label or "invite")[:32],
            )
        except TelegramError as exc:
            log.warning("Could not create an invite link for %s: %s", user_id, exc)
            await self._release(user_id, "expired")
            return Reply(
                "Sorry, I couldn't create your invite link just now. Please send /join "
                "again in a minute: your code stays valid for you."
            )
        if not await self.repo.set_link(user_id, link.invite_link, self.now()):
            await self._revoke_link(link.invite_link)
            return Reply("Your reservation has ended; send /join to try again.")
        return Reply(self._link_text(seat.reserved_until), link=link.invite_link)

    async def send_seat(self, user_id: int, intro: str) -> None:
        """Promotion from the waitlist (or a replaced link): deliver and tell them privately."""
        reply = await self.deliver_seat(user_id)
        await self.services.messenger.dm(
            user_id, f"{intro}\n{reply.text}", reply_markup=join_keyboard(reply.link)
        )

    # --- Telegram tells us who joined, left, or asked to join --------------------------------
    async def on_member_update(self, change: ChatMemberUpdated) -> None:
        if change.chat.id != self.chat_id:
            return
        old, new = change.old_chat_member, change.new_chat_member
        user = new.user
        was_in, is_in = _is_in(old), _is_in(new)
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
                removed = actor.id != user.id
                await self._on_leave(user.id, removed=removed)
        elif old.status == ChatMember.BANNED and new.status == ChatMember.LEFT:
            await self._on_unban(user.id)

    async def _on_join(self, change: ChatMemberUpdated) -> None:
        new = change.new_chat_member
        user = new.user
        actor = change.from_user
        link = change.invite_link.invite_link if change.invite_link else None
        owner = await self.repo.seat_by_link(link) if link else None
        seat = await self.repo.seat(user.id)
        if seat is not None and seat.state == MEMBER:
            return  # a second update for a join already confirmed
        holds_seat = seat is not None and (
            seat.state == RESERVED
            or (seat.seat and seat.state == LEFT)
            or (seat.state == LAPSED and link is not None and link == seat.invite_link)
        )
        if holds_seat and await self.confirm(user.id, link):
            await self._reissue_if_stolen(owner, user.id)
            return
        if new.status in ADMINS or user.is_bot:
            return
        if (
            actor.id != user.id
            and actor.id != self.bot.id
            and self.services.permissions.is_moderator(actor.id)
        ):
            await self._record_exempt(user.id, "added by admin")
            return
        if not self.settings.gate.strict:
            await self._record_exempt(user.id, "no code")
            return
        await self._turn_away(user.id)
        await self._reissue_if_stolen(owner, user.id)

    async def confirm(self, user_id: int, link: str | None) -> bool:
        """They are in the group: the seat is theirs. False if no seat could be given."""
        now = self.now()
        async with self.services.db.transaction() as conn:
            seat = await self.repo.tx_seat(conn, user_id)
            if seat is None or seat.state in (BANNED, WAITING):
                return False
            if seat.state == MEMBER:
                return True
            if not seat.seat:
                taken = await self.repo.tx_seats_taken(conn)
                if taken >= self.settings.community.max_members:
                    return False
            old_link = seat.invite_link
            await self.repo.tx_set_state(
                conn,
                user_id,
                MEMBER,
                True,
                now,
                joined_at=now,
                clear_link=True,
                via="request" if link is None or link != old_link else None,
            )
            await self.repo.tx_event(conn, user_id, "joined", seat.label, now)
        if old_link:
            await self._revoke_link(old_link)
        log.info("User %s took a seat (%s)", user_id, seat.label)
        await self._welcome(user_id)
        return True

    async def _welcome(self, user_id: int) -> None:
        community = self.settings.community
        rules = "\n".join(escape(line) for line in community.rules.splitlines())
        text = f"Welcome to <b>{escape(community.name)}</b>! 🎉\n\n<b>The rules</b>\n{rules}"
        # Nothing waits on a welcome: during a wave it yields the sending budget to asks.
        self.asker.send_later(user_id, await self.links.brand_html(text, "welcome"))

    async def _reissue_if_stolen(self, owner: Seat | None, joiner: int) -> None:
        """A personal link used by someone else: the owner keeps the seat and gets a new link."""
        if owner is None or owner.user_id == joiner or owner.state != RESERVED:
            return
        log.warning("User %s used the personal link of user %s", joiner, owner.user_id)
        now = self.now()
        async with self.services.db.transaction() as conn:
            if owner.invite_link:
                await self.repo.tx_clear_link(conn, owner.invite_link)
            await self.repo.tx_set_state(
                conn,
                owner.user_id,
                RESERVED,
                True,
                now,
                reserved_until=now + self.settings.gate.reservation_minutes * 60,
            )
        if owner.invite_link:
            await self._revoke_link(owner.invite_link)
        await self.send_seat(
            owner.user_id,
            "Someone else tried to use your personal invite link, so I replaced it. "
            "Your seat is still yours; please don't share the new link.",
        )

    async def _record_exempt(self, user_id: int, label: str) -> None:
        now = self.now()
        async with self.services.db.transaction() as conn:
            taken = await self.repo.tx_seats_taken(conn)
            await self.repo.tx_upsert_seat(
                conn,
                user_id=user_id,
                code_id=None,
                label=label,
                state=MEMBER,
                seat=True,
                now=now,
                via="admin",
                joined_at=now,
            )
            await self.repo.tx_event(conn, user_id, "joined", label, now)
        if taken >= self.settings.community.max_members:
            log.warning(
                "User %s was %s while the club is full: %d of %d seats are now taken",
                user_id,
                label,
                taken + 1,
                self.settings.community.max_members,
            )

    async def _turn_away(self, user_id: int) -> None:
        """Strict gate: out of the group (ban + unban, so they may come back properly)."""
        self._turning_away.add(user_id)
        try:
            await self.bot.ban_chat_member(self.chat_id, user_id)
            await self.bot.unban_chat_member(self.chat_id, user_id, only_if_banned=True)
        except TelegramError as exc:
            self._turning_away.discard(user_id)
            log.warning("Could not remove user %s who has no seat: %s", user_id, exc)
            return
        await self.repo.event(user_id, "turned_away", None, self.now())
        log.info("Removed user %s from the group: no seat", user_id)
        person = await self.services.people.get(user_id)
        if person is not None and person.can_receive_dm:
            name = escape(self.settings.community.name)
            await self.services.messenger.dm(
                user_id,
                f"<b>{name}</b> is invite-only, so I took you out of the group. To get in, "
                "send me your invite code like this: <code>/join 7K3Q-M9XP-4HRT</code>",
            )

    async def _on_leave(self, user_id: int, *, removed: bool) -> None:
        now = self.now()
        keep = self.settings.gate.free_seat_on_leave is False and not removed
        async with self.services.db.transaction() as conn:
            seat = await self.repo.tx_seat(conn, user_id)
            if seat is None or seat.state not in (MEMBER, RESERVED):
                return
            await self.repo.tx_set_state(
                conn, user_id, LEFT, keep, now, left_at=now, clear_link=True
            )
            await self.repo.tx_event(
                conn, user_id, "removed" if removed else "left", seat.label, now
            )
            promoted = [] if keep else await self._promote(conn, now)
        log.info("User %s %s the group", user_id, "was removed from" if removed else "left")
        await self._notify_promoted(promoted)

    async def _on_ban(self, user_id: int) -> None:
        now = self.now()
        if user_id in self._kicking:
            await self._on_kick(user_id, now)
            return
        async with self.services.db.transaction() as conn:
            seat = await self.repo.tx_seat(conn, user_id)
            if seat is None:
                await self.repo.tx_upsert_seat(
                    conn,
                    user_id=user_id,
                    code_id=None,
                    label="",
                    state=BANNED,
                    seat=False,
                    now=now,
                )
            else:
                await self.repo.tx_set_state(
                    conn, user_id, BANNED, False, now, left_at=now, clear_link=True
                )
            await self.repo.tx_event(conn, user_id, "banned", seat.label if seat else None, now)
            promoted = await self._promote(conn, now) if seat is not None and seat.seat else []
        log.info("User %s was banned from the group", user_id)
        await self._notify_promoted(promoted)

    async def _on_kick(self, user_id: int, now: int) -> None:
        """A kick: out at once, the seat back to the club, and a new code needed to return."""
        self._kicking.discard(user_id)
        async with self.services.db.transaction() as conn:
            seat = await self.repo.tx_seat(conn, user_id)
            await self.repo.tx_event(conn, user_id, "kicked", seat.label if seat else None, now)
            if seat is not None and seat.state != BANNED:
                await self.repo.tx_delete_seat(conn, user_id)
            promoted = await self._promote(conn, now) if seat is not None and seat.seat else []
        log.info("User %s was kicked from the group", user_id)
        await self._notify_promoted(promoted)

    async def _on_unban(self, user_id: int) -> None:
        # Unbanned is not readmitted: the person is a stranger to the ledger again and needs
        # a new code (a bare /join must not hand them a link).
        now = self.now()
        lifted = await self.repo.lift_ban_hash(await self.ban_hash(user_id))
        async with self.services.db.transaction() as conn:
            seat = await self.repo.tx_seat(conn, user_id)
            if seat is not None and seat.state == BANNED:
                await self.repo.tx_delete_seat(conn, user_id)
                await self.repo.tx_event(conn, user_id, "unbanned", seat.label, now)
        if lifted:
            log.info("Lifted the surviving ban of an erased person")

    # --- /forgetme (bot.core.erasure participant) ---------------------------------------------
    async def erase_person(
        self, conn: aiosqlite.Connection, user_id: int, now: int
    ) -> dict[str, int]:
        """Inside the erasure: a ban survives as a keyed hash, the seat goes back at once."""
        seat = await self.repo.tx_seat(conn, user_id)
        if seat is None:
            return {}
        if seat.state == BANNED:
            await self.repo.tx_ban_hash(conn, await self.ban_hash(user_id), now)
        # The ledger keeps that someone from this campaign left by erasure, not who.
        await self.repo.tx_event(conn, ERASED_PERSON, "erased", seat.label, now)
        if seat.seat:
            # The sweep deletes the row next; the seat itself goes back to the club now.
            await self.repo.tx_set_state(conn, user_id, seat.state, False, now)
            self._promoted_by_erasure[user_id] = await self._promote(conn, now)
        return {}

    async def forget_person(self, user_id: int) -> None:
        self.awaiting_code.discard(user_id)
        self._turning_away.discard(user_id)
        self._kicking.discard(user_id)
        await self._notify_promoted(self._promoted_by_erasure.pop(user_id, []))

    async def on_join_request(self, request: ChatJoinRequest) -> None:
        if request.chat.id != self.chat_id:
            return
        user_id = request.from_user.id
        now = self.now()
        name = escape(self.settings.community.name)
        seat = await self.repo.seat(user_id)
        dm_to = request.user_chat_id
        if (seat is not None and seat.state == BANNED) or await self.is_ban_listed(user_id):
            await self._decline(user_id)
            return
        if seat is not None and seat.state == MEMBER:
            # The ledger says they are in (they may have left while we were away).
            try:
                await self.bot.approve_chat_join_request(self.chat_id, user_id)
            except BadRequest as exc:
                log.info("Join request of member %s: %s", user_id, exc.message)
            return
        if seat is not None and seat.state == RESERVED:
            # They hold a seat: approve at once, no transaction needed before the approval.
            reply = await self._approve_or_link(user_id)
            if reply.link:
                self.services.messenger.dm_soon(
                    dm_to, reply.text, reply_markup=join_keyboard(reply.link)
                )
            return
        if seat is not None and seat.state in (LAPSED, LEFT):
            # They already redeemed a code: no need to ask again.
            await self.repo.add_join_request(user_id, self.chat_id, now, now, asked=False)
            reply = await self.readmit(user_id)
            if reply.link or "waitlist" in reply.text:
                # The approval is done; the note about it need not hold up the next request.
                self.services.messenger.dm_soon(
                    dm_to, reply.text, reply_markup=join_keyboard(reply.link)
                )
            return
        if seat is not None and seat.state == WAITING:
            position = await self.repo.waitlist_position(user_id)
            await try_dm(
                self.bot,
                dm_to,
                f"You're on the waitlist for <b>{name}</b> (number <b>{position}</b>). I'll "
                "send you a personal invite link as soon as a seat frees up.",
            )
            await self._decline(user_id)
            return
        # Telegram lets us write to a join requester for 5 minutes only: they join the ask
        # queue, asked in arrival order as the sending budget and the raid policy allow.
        deadline = now + self.settings.gate.join_request_minutes * 60
        await self.repo.add_join_request(user_id, self.chat_id, now, deadline, asked=False)
        self.awaiting_code.add(user_id)
        self.asker.enqueue(user_id, deadline)

    async def _decline(self, user_id: int) -> None:
        try:
            await self.bot.decline_chat_join_request(self.chat_id, user_id)
        except BadRequest as exc:
            # HIDE_REQUESTER_MISSING: withdrawn or already handled; USER_ALREADY_PARTICIPANT:
            # an admin let them in meanwhile (the strict gate sees that join).
            log.info("Join request of %s could not be declined: %s", user_id, exc.message)
        except TelegramError as exc:
            log.warning("Join request of %s could not be declined: %s", user_id, exc)

    # --- due work ----------------------------------------------------------------------------
    async def expire_reservations(self) -> int:
        due = await self.repo.due_reservations(self.now())
        for seat in due:
            await self._release(seat.user_id, "expired")
        return len(due)

    async def _release(self, user_id: int, kind: str) -> None:
        now = self.now()
        async with self.services.db.transaction() as conn:
            seat = await self.repo.tx_seat(conn, user_id)
            if seat is None or seat.state != RESERVED:
                return
            await self.repo.tx_set_state(conn, user_id, LAPSED, False, now)
            await self.repo.tx_event(conn, user_id, kind, seat.label, now)
            promoted = await self._promote(conn, now)
        if seat.invite_link:
            await self._revoke_link(seat.invite_link)
        if kind == "expired":
            log.info("The reservation of user %s ran out; the seat is free again", user_id)
            await self.services.messenger.dm(
                user_id,
                "Your invite link has expired and the seat went back to the club. Send "
                "/join whenever you'd like to try again.",
            )
        await self._notify_promoted(promoted)

    async def _promote(self, conn: aiosqlite.Connection, now: int) -> list[int]:
        """Inside a transaction: give free seats to the front of the waitlist."""
        promoted: list[int] = []
        reservation = self.settings.gate.reservation_minutes * 60
        while await self.repo.tx_seats_taken(conn) < self.settings.community.max_members:
            first = await self.repo.tx_first_waiting(conn)
            if first is None:
                break
            await self.repo.tx_set_state(
                conn,
                first.user_id,
                RESERVED,
                True,
                now,
                reserved_until=now + reservation,
                via="link",
            )
            await self.repo.tx_event(conn, first.user_id, "promoted", first.label, now)
            promoted.append(first.user_id)
        return promoted

    async def _notify_promoted(self, promoted: list[int]) -> None:
        name = escape(self.settings.community.name)
        for user_id in promoted:
            log.info("User %s moves up from the waitlist", user_id)
            await self.send_seat(user_id, f"Good news: a seat in <b>{name}</b> is free for you!")

    async def expire_join_requests(self) -> int:
        due = await self.repo.due_join_requests(self.now())
        name = escape(self.settings.community.name)
        for request in due:
            if not await self.repo.take_join_request(request.user_id):
                continue
            self.awaiting_code.discard(request.user_id)
            self.asker.withdraw(request.user_id)
            if not request.asked:
                # Never asked (a raid, or the window ran out before their turn): nothing of
                # theirs was used, so a code they hold stays valid.
                self.asker.counts.unasked_declined += 1
                await self._decline(request.user_id)
                await self.repo.event(request.user_id, "declined_unasked", None, self.now())
                continue
            if self.asker.mode is Mode.WAVE:
                # Say it before declining: the decline closes our window to write to them.
                # In a raid the declines are quiet: no message per stranger.
                await try_dm(
                    self.bot,
                    request.user_id,
                    f"I didn't get a valid invite code in time, so I can't let you into "
                    f"<b>{name}</b> this time. If you get a code, send it to me with "
                    "<code>/join YOUR-CODE</code>.",
                )
            await self._decline(request.user_id)
            await self.repo.event(request.user_id, "declined", None, self.now())
        return len(due)

    # --- start-up ----------------------------------------------------------------------------
    async def reconcile(self) -> int:
        """Compare the ledger's members with Telegram's view; fix and log differences."""
        fixed = 0
        for seat in await self.repo.seats_in_state(MEMBER):
            try:
                member = await self.bot.get_chat_member(self.chat_id, seat.user_id)
            except TelegramError as exc:
                log.warning("Reconciliation: cannot look up user %s: %s", seat.user_id, exc)
                continue
            if _is_in(member):
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

    async def _revoke_link(self, link: str) -> None:
        try:
            await self.bot.revoke_chat_invite_link(self.chat_id, link)
        except TelegramError as exc:
            # Expired or already revoked links need nothing more.
            log.debug("Could not revoke an invite link: %s", exc)


def _is_in(member: ChatMember) -> bool:
    if member.status in ACTIVE:
        return True
    return member.status == ChatMember.RESTRICTED and bool(getattr(member, "is_member", False))


def _code_problem(code: Code, now: int) -> str | None:
    status = code.status(now)
    if status == "revoked":
        return "That invite code has been withdrawn. Please ask for a new one."
    if status == "expired":
        return "That invite code has expired. Please ask for a new one."
    if status == "used up":
        return "That invite code has already been used up. Please ask for a new one."
    return None


def banned_text(community_name: str) -> str:
    return (
        f"You were removed from <b>{escape(community_name)}</b> by its moderators, so an "
        "invite code can't bring you back."
    )


def consent_notice(community_name: str) -> str:
    return (
        f"Your code is valid for <b>{escape(community_name)}</b>. Before you join:\n\n"
        "<b>What the club stores about members</b>\n"
        "• your Telegram id, name and username\n"
        "• which campaign's code you used, and when you joined or left\n"
        "• your messages in the group, for the team's daily summary of feedback\n\n"
        "Tap <b>Accept</b> to agree and get your seat."
    )


def join_keyboard(link: str | None) -> InlineKeyboardMarkup | None:
    if not link:
        return None
    return InlineKeyboardMarkup([[InlineKeyboardButton("Join the club", url=link)]])


# --- code administration, shared by the commands and the CLI ---------------------------------


def validate_batch(count: int, uses: int, label: str) -> None:
    if not 1 <= count <= MAX_CODES_PER_BATCH:
        raise GateError(f"COUNT must be 1-{MAX_CODES_PER_BATCH}")
    if not 1 <= uses <= MAX_USES:
        raise GateError(f"USES must be 1-{MAX_USES}")
    if not LABEL_RE.match(label):
        raise GateError("LABEL must be 1-32 letters, digits, '-', '_' or '.'")


async def create_codes(
    repo: GateRepository,
    key: bytes,
    count: int,
    uses: int,
    label: str,
    expires_in: timedelta | None,
    created_by: int | None,
    now: int,
) -> list[str]:
    """Make codes and store their hashes; the clear codes are returned once, never kept."""
    validate_batch(count, uses, label)
    made = [codebook.generate_code() for _ in range(count)]
    hashes = [codebook.hash_code(codebook.normalize_code(code) or "", key) for code in made]
    expires_at = now + int(expires_in.total_seconds()) if expires_in else None
    await repo.insert_codes(hashes, label, uses, expires_at, created_by, now)
    log.info("Created %d %r code(s) with %d use(s) each", count, label, uses)
    return made


async def revoke_codes(repo: GateRepository, target: str, now: int) -> int:
    cleaned = target.strip().lstrip("#")
    if not cleaned:
        raise GateError("say which code: its id (from the list) or its label")
    if cleaned.isdecimal():
        code_id = parse_id(cleaned)
        if code_id is None:
            return 0  # no code has such an id
        return await repo.revoke_codes(code_id, None, now)
    return await repo.revoke_codes(None, cleaned, now)


def format_codes_table(codes: list[Code], now: int) -> list[str]:
    """One plain-text line per code: never the code itself (only its hash is known)."""
    lines = []
    for code in codes:
        expiry = "never"
        if code.expires_at is not None:
            left = code.expires_at - now
            stamp = datetime.fromtimestamp(code.expires_at, UTC).strftime("%Y-%m-%d %H:%M UTC")
            expiry = (
                f"{stamp} (in {format_duration(timedelta(seconds=left))})"
                if left > 0
                else f"{stamp} (expired)"
            )
        lines.append(
            f"#{code.id} {code.label}: {code.uses_left}/{code.max_uses} uses left, "
            f"{code.uses} redeemed, expires {expiry}, {code.status(now)}"
        )
    return lines
