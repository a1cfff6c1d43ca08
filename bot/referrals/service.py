"""Referral logic: who may invite, issuing invites, recording joins, flags and revocations.

A personal invite is an ordinary gate code (label ``referral``, one use, an expiry), made
through the gate's small public face; this module never touches the admission flow. The
seat cap, waitlist, expiry, /revoke, wrong-code lock-outs and join-request raid handling
therefore apply to invites exactly as to campaign codes. What this module adds is the
referrer: who may ask, how many they may have, and whom their invites brought.

Outcomes are returned as values (``InviteResult``, ``Policy``); the words live in
``bot.referrals.texts``.
"""

from __future__ import annotations

import enum
import json
import logging
import re
from dataclasses import dataclass, replace
from datetime import date, datetime, time

from bot import gate
from bot.core.i18n import N_, Explained
from bot.core.services import Services
from bot.db import current_update_id
from bot.referrals.records import Multiplier, ReferralLink
from bot.referrals.repo import REFERRAL_LABEL, ReferralRepository

log = logging.getLogger(__name__)

_POLICY_FACT = "referrals:policy"
# A campaign label as the gate writes them (see /newcodes).
_LABEL = re.compile(r"^[\w.-]{1,32}$")


class InviteStatus(enum.Enum):
    ISSUED = "issued"
    OFF = "off"  # referrals are switched off (allowance 0 or a moderator's /referrals off)
    NOT_MEMBER = "not_member"  # no confirmed seat
    WARNED = "warned"  # an active warning: not in good standing until it is cleared
    OTHER_CAMPAIGN = "other_campaign"  # referrals are on for another campaign's members only
    JOINED_TOO_LATE = "joined_too_late"  # on only for members who joined before a date
    ALLOWANCE_USED = "allowance_used"


@dataclass(frozen=True, slots=True)
class InviteResult:
    status: InviteStatus
    code: str | None = None  # shown once, never stored
    expires_at: int | None = None
    allowance: int = 0
    left: int = 0  # invites still available after this one
    campaign: str | None = None
    joined_before: date | None = None


@dataclass(frozen=True, slots=True)
class Policy:
    """Who may invite. From config unless a moderator changed it (stored as a fact)."""

    per_member: int
    enabled: bool = True
    campaign: str | None = None
    joined_before: date | None = None
    set_by_moderator: bool = False

    @property
    def on(self) -> bool:
        return self.enabled and self.per_member > 0

    def to_json(self) -> str:
        return json.dumps(
            {
                "per_member": self.per_member,
                "enabled": self.enabled,
                "campaign": self.campaign,
                "joined_before": self.joined_before.isoformat() if self.joined_before else None,
            }
        )


class PolicyError(Explained):
    """A moderator's /referrals arguments that cannot be a policy; the text says why (an
    English message id, translated for the moderator by the handler)."""


@dataclass(frozen=True, slots=True)
class Flag:
    referrer_id: int
    joins: int
    hours: int


class ReferralService:
    def __init__(self, services: Services, gate_service: gate.GateService) -> None:
        self.services = services
        self._gate = gate_service
        self.settings = services.settings
        self.repo = ReferralRepository(services.db)

    def now(self) -> int:
        return self.services.now_ts()

    # --- policy ----------------------------------------------------------------------------
    def configured_policy(self) -> Policy:
        cfg = self.settings.referrals
        return Policy(
            per_member=self.settings.gate.referrals_per_member,
            campaign=cfg.only_campaign or None,
            joined_before=cfg.joined_before,
        )

    async def policy(self) -> Policy:
        stored = await self.services.facts.get(_POLICY_FACT)
        if not stored:
            return self.configured_policy()
        try:
            data = json.loads(stored)
            before = data.get("joined_before")
            return Policy(
                per_member=int(data["per_member"]),
                enabled=bool(data["enabled"]),
                campaign=data.get("campaign") or None,
                joined_before=date.fromisoformat(before) if before else None,
                set_by_moderator=True,
            )
        except (ValueError, KeyError, TypeError) as exc:
            log.warning("Ignoring an unreadable referral policy (%s); using the config", exc)
            return self.configured_policy()

    async def change_policy(self, args: list[str]) -> Policy:
        """``/referrals on [N] | off | campaign LABEL [N] | before YYYY-MM-DD [N] | reset``."""
        if not args:
            raise PolicyError(N_("say on, off, campaign LABEL, before YYYY-MM-DD or reset"))
        verb, rest = args[0].lower(), args[1:]
        current = await self.policy()
        now = self.now()
        if verb == "reset":
            # An empty fact means "as configured" (facts are never deleted, only replaced).
            await self.services.facts.put(_POLICY_FACT, "", now)
            return self.configured_policy()
        if verb == "off":
            if rest:
                raise PolicyError(N_("off takes nothing after it"))
            policy = replace(current, enabled=False, set_by_moderator=True)
        elif verb == "on":
            policy = Policy(_allowance(rest, 0, current.per_member), set_by_moderator=True)
        elif verb == "campaign":
            if not rest or not _LABEL.match(rest[0]):
                raise PolicyError(N_("campaign needs a label, e.g. campaign newsletter"))
            policy = Policy(
                _allowance(rest, 1, current.per_member), campaign=rest[0], set_by_moderator=True
            )
        elif verb == "before":
            if not rest:
                raise PolicyError(N_("before needs a date, e.g. before 2026-12-01"))
            try:
                day = date.fromisoformat(rest[0])
            except ValueError:
                raise PolicyError(
                    N_("{value} is not a date like 2026-12-01"), value=repr(rest[0][:20])
                ) from None
            policy = Policy(
                _allowance(rest, 1, current.per_member), joined_before=day, set_by_moderator=True
            )
        else:
            raise PolicyError(N_("unknown choice {value}"), value=repr(verb[:20]))
        if policy.enabled and policy.per_member == 0:
            raise PolicyError(
                N_("the allowance is 0: add how many invites each member gets, e.g. on 3")
            )
        await self.services.facts.put(_POLICY_FACT, policy.to_json(), now)
        log.info("Referral policy changed: %s", policy)
        return policy

    def _before_ts(self, day: date) -> int:
        tz = self.settings.community.tz
        return int(datetime.combine(day, time(0), tzinfo=tz).timestamp())

    # --- /invite ---------------------------------------------------------------------------
    async def invite(self, user_id: int) -> InviteResult:
        policy = await self.policy()
        if not policy.on:
            return InviteResult(InviteStatus.OFF)
        seat = await gate.seat_of(self.services.db, user_id)
        if seat is None or seat.state is not gate.SeatState.MEMBER or seat.joined_at is None:
            return InviteResult(InviteStatus.NOT_MEMBER)
        if await self.repo.active_warnings(user_id) > 0:
            return InviteResult(InviteStatus.WARNED)
        if policy.campaign is not None and seat.label.casefold() != policy.campaign.casefold():
            return InviteResult(InviteStatus.OTHER_CAMPAIGN, campaign=policy.campaign)
        if policy.joined_before is not None and seat.joined_at >= self._before_ts(
            policy.joined_before
        ):
            return InviteResult(InviteStatus.JOINED_TOO_LATE, joined_before=policy.joined_before)

        prepared = await gate.prepare_code(self._gate)
        now = self.now()
        expires_at = now + self.settings.referrals.invite_days * 86400
        update_id = current_update_id.get()
        db = self.services.db
        async with db.transaction() as conn:
            if update_id is not None:
                # The same /invite handled twice (a replay after a crash): its first invite
                # may never have reached the member, so it is withdrawn and replaced.
                earlier = await self.repo.tx_invite_for_update(conn, update_id)
                if earlier is not None:
                    await gate.tx_revoke_code(conn, db, earlier, now)
                    await self.repo.tx_forget_invite(conn, earlier)
            used = await self.repo.tx_invites_counting(conn, user_id, now)
            if used >= policy.per_member:
                return InviteResult(InviteStatus.ALLOWANCE_USED, allowance=policy.per_member)
            code_id = await gate.tx_store_code(
                conn, db, prepared, label=REFERRAL_LABEL, uses=1, expires_at=expires_at, now=now
            )
            await self.repo.tx_add_invite(conn, code_id, user_id, now, update_id)
        log.info("User %s was given referral invite #%d", user_id, code_id)
        return InviteResult(
            InviteStatus.ISSUED,
            code=prepared.code,
            expires_at=expires_at,
            allowance=policy.per_member,
            left=policy.per_member - used - 1,
        )

    # --- Telegram tells us who joined or was banned ---------------------------------------
    async def on_joined(self, user_id: int) -> Flag | None:
        """A confirmed join: record the referrer; a Flag if their invites come too fast."""
        referrer = await self.repo.record_join(user_id)
        if referrer is None:
            return None
        log.info("User %s joined through the invite of user %s", user_id, referrer)
        cfg = self.settings.referrals
        now = self.now()
        window = cfg.flag_hours * 3600
        async with self.services.db.transaction() as conn:
            joins = await self.repo.tx_joins_since(conn, referrer, now - window)
            if joins < cfg.flag_joins or await self.repo.tx_flagged_since(
                conn, referrer, now - window
            ):
                return None
            await self.repo.tx_flag(conn, referrer, joins, now)
        log.warning(
            "Referral burst: %d joins through the invites of user %s within %d h",
            joins,
            referrer,
            cfg.flag_hours,
        )
        return Flag(referrer, joins, cfg.flag_hours)

    async def on_banned(self, user_id: int) -> int:
        """A banned member's invites that could still let someone in are withdrawn."""
        return await self.withdraw(user_id)

    async def on_left(self, user_id: int) -> int:
        """A member who left (or was removed) is no longer in good standing: their unused
        invites end, as on a ban. Otherwise invites keep bringing people in for someone who
        is gone, and a leaver could hand them out from outside."""
        return await self.withdraw(user_id)

    async def withdraw(self, user_id: int) -> int:
        """End this member's open invites (a ban, or a moderator after a burst flag)."""
        if not await self.repo.has_invites(user_id):
            return 0  # the usual case (and the strict gate's turn-aways): nothing to write
        now = self.now()
        db = self.services.db
        async with db.transaction() as conn:
            open_ids = await self.repo.tx_open_invites(conn, user_id, now)
            for code_id in open_ids:
                await gate.tx_revoke_code(conn, db, code_id, now)
        if open_ids:
            log.info("Withdrew %d open invite(s) of user %s", len(open_ids), user_id)
        return len(open_ids)

    async def moderators_to_tell(self) -> list[int]:
        permissions = self.services.permissions
        candidates = sorted(set(self.settings.telegram.moderators) | set(permissions.admins))
        reachable = await self.services.people.reachable_ids(candidates)
        return [user_id for user_id in candidates if user_id in reachable]

    # --- reading ---------------------------------------------------------------------------
    async def multipliers(self) -> list[Multiplier]:
        return await self.repo.multipliers()

    async def tree(self) -> list[ReferralLink]:
        return await self.repo.links()

    async def first_names(self, user_ids: set[int]) -> dict[int, str]:
        """For moderators' eyes only (/multipliers); people erased since have no name."""
        names: dict[int, str] = {}
        for user_id in sorted(user_ids):
            person = await self.services.people.get(user_id)
            if person is not None:
                names[user_id] = person.first_name  # may be empty: the text says "someone"
        return names


# Telegram user ids fit in 52 bits; anything longer is not an id (and would overflow SQLite).
_USER_ID = re.compile(r"[0-9]{1,16}")


def parse_user_id(text: str) -> int | None:
    """A moderator's USER_ID argument: ASCII digits of a plausible length, else None."""
    return int(text) if _USER_ID.fullmatch(text) else None


def _allowance(args: list[str], index: int, current: int) -> int:
    if len(args) <= index:
        return current
    if len(args) > index + 1:
        raise PolicyError(N_("unexpected {value}"), value=repr(args[index + 1][:20]))
    token = args[index]
    if not token.isdecimal() or not 1 <= int(token) <= 1000:
        raise PolicyError(
            N_("the allowance must be a number from 1 to 1000, not {value}"),
            value=repr(token[:20]),
        )
    return int(token)
