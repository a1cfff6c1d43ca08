"""The gate's service: one object the handlers, the scheduler and other features reach,
assembled from the parts that each do one job:

* ``ledger``     - the seat state machine, one transaction per move (bot/gate/ledger.py);
* ``admission``  - codes redeemed, consent, reservations, links (bot/gate/admission.py);
* ``membership`` - joins, leaves, bans and join requests from Telegram (bot/gate/membership.py);
* ``codes``      - making and ending codes (bot/gate/codes.py);
* ``texts``      - every sentence, from outcome values (bot/gate/texts.py).
"""

from __future__ import annotations

from datetime import timedelta

from telegram import ChatJoinRequest, ChatMemberUpdated

from bot.core.i18n import Translator
from bot.core.services import Services
from bot.gate import codes as codebook
from bot.gate import texts
from bot.gate.admission import Admission
from bot.gate.asking import Asker
from bot.gate.membership import Membership
from bot.gate.outcomes import MembersSummary, Outcome
from bot.gate.repo import GateRepository
from bot.gate.runtime import GateRuntime
from bot.links import LinkService


class GateService:
    def __init__(self, services: Services, links: LinkService) -> None:
        self.runtime = GateRuntime(services, links)
        self.admission = Admission(self.runtime)
        self.membership = Membership(self.runtime, self.admission)

    @property
    def repo(self) -> GateRepository:
        return self.runtime.repo

    @property
    def asker(self) -> Asker:
        return self.runtime.asker

    @property
    def awaiting_code(self) -> set[int]:
        return self.runtime.awaiting_code

    def now(self) -> int:
        return self.runtime.now()

    def voice(self, tr: Translator | None = None) -> texts.Voice:
        return self.runtime.voice(tr)

    async def key(self) -> bytes:
        return await self.runtime.key()

    async def load(self) -> None:
        """At start-up: the key, who still awaits a code, and the ask queue."""
        await self.key()
        self.awaiting_code.clear()
        self.awaiting_code.update(await self.repo.pending_request_users())
        await self.asker.load(self.now())

    # --- a person -------------------------------------------------------------------------------
    async def begin(self, user_id: int, text: str | None) -> Outcome:
        return await self.admission.begin(user_id, text)

    async def accept(self, user_id: int, attempt_id: int) -> Outcome:
        return await self.admission.accept(user_id, attempt_id)

    # --- Telegram and the clock -----------------------------------------------------------------
    async def on_member_update(self, change: ChatMemberUpdated) -> None:
        await self.membership.on_member_update(change)

    async def on_join_request(self, request: ChatJoinRequest) -> None:
        await self.membership.on_join_request(request)

    def expect_kick(self, user_id: int) -> None:
        self.membership.expect_kick(user_id)

    async def ban_lifted(self, user_id: int) -> None:
        await self.membership.ban_lifted(user_id)

    async def expire_reservations(self) -> int:
        return await self.admission.expire_reservations()

    async def retry_held(self) -> int:
        return await self.admission.retry_held()

    async def expire_join_requests(self) -> int:
        return await self.membership.expire_join_requests()

    async def reconcile(self) -> int:
        return await self.membership.reconcile()

    # --- moderators and the CLI -----------------------------------------------------------------
    async def create_codes(
        self,
        count: int,
        uses: int,
        label: str,
        expires_in: timedelta | None,
        created_by: int | None,
    ) -> list[str]:
        return await codebook.create_codes(
            self.repo, await self.key(), count, uses, label, expires_in, created_by, self.now()
        )

    async def revoke(self, target: str) -> int:
        return await codebook.revoke_codes(self.repo, target, self.now())

    async def summary(self, days: int = 7) -> MembersSummary:
        counts = await self.repo.counts()
        now = self.now()
        return MembersSummary(
            max_members=self.runtime.settings.community.max_members,
            seats_taken=counts.seats_taken,
            members=counts.members,
            reserved=counts.reserved,
            waiting=counts.waiting,
            joins_by_label=await self.repo.joins_by_label(now - days * 86400, now + 1),
        )
