"""What admission and membership share: the ledger, the ask queue, who awaits a code, the
keys, and the few Telegram calls both make (declining a request, revoking a link)."""

from __future__ import annotations

import logging

from telegram import Bot
from telegram.error import BadRequest, TelegramError

from bot.core.i18n import Translator
from bot.core.ids import keyed_user_hash
from bot.core.services import Services
from bot.gate import codes as codebook
from bot.gate import texts
from bot.gate.asking import Asker
from bot.gate.ledger import Ledger
from bot.gate.repo import GateRepository
from bot.gate.waves_repo import WavesRepository
from bot.links import LinkService

log = logging.getLogger(__name__)

BAN_KEY_FACT = "gate:ban_key"


class GateRuntime:
    def __init__(self, services: Services, links: LinkService) -> None:
        self.services = services
        self.links = links  # the brand's links in the welcome, tagged
        self.settings = services.settings
        self.repo = GateRepository(services.db)
        self.ledger = Ledger(services.db, self.repo, services.settings)
        # People with a join request waiting for their code: their plain private messages
        # are read as codes (a sync filter needs this in memory; rebuilt at start-up).
        self.awaiting_code: set[int] = set()
        # Join requesters are asked for their code in arrival order within the sending
        # budget, and a raid is told from a wave by the answers (bot/gate/asking.py).
        self.waves_repo = WavesRepository(services.db)
        self.asker = Asker(services, self.waves_repo)
        self.asker.ask_text = lambda tr: texts.ask_for_code(
            self.settings.community.name, self.settings.gate.join_request_minutes, tr
        )
        self._key: bytes | None = None
        self._ban_key: bytes | None = None

    @property
    def bot(self) -> Bot:
        return self.services.messenger.bot

    @property
    def chat_id(self) -> int:
        return self.services.chats.community_id

    def now(self) -> int:
        return self.services.now_ts()

    def voice(self, tr: Translator | None = None) -> texts.Voice:
        """Sentences in ``tr``'s language (a person's own), else the club's."""
        community = self.settings.community
        return texts.Voice(community.name, community.tz, self.now(), tr or self.services.tr)

    async def voice_for(self, user_id: int) -> texts.Voice:
        """For a private message nobody asked for: the language last seen for them."""
        return self.voice(await self.services.tr_for_person(user_id))

    async def key(self) -> bytes:
        if self._key is None:
            secret = self.settings.gate.code_secret
            self._key = await codebook.code_key(
                secret.get_secret_value() if secret else None, self.services.facts, self.now()
            )
        return self._key

    async def ban_hash(self, user_id: int) -> str:
        """The keyed hash a ban survives erasure as (no id, no name: see README, Privacy)."""
        if self._ban_key is None:
            self._ban_key = await self.services.facts.key(BAN_KEY_FACT, self.now())
        return keyed_user_hash(self._ban_key, user_id)

    async def is_ban_listed(self, user_id: int) -> bool:
        return await self.repo.is_ban_listed(await self.ban_hash(user_id))

    def stop_asking(self, user_id: int) -> None:
        """Their join request is settled: their messages are no longer codes, no ask is due."""
        self.awaiting_code.discard(user_id)
        self.asker.withdraw(user_id)

    async def take_request(self, user_id: int) -> bool:
        """Close their pending join request; True if this call closed it (so one caller acts)."""
        if not await self.repo.take_join_request(user_id):
            return False
        self.stop_asking(user_id)
        return True

    async def decline(self, user_id: int) -> None:
        try:
            await self.bot.decline_chat_join_request(self.chat_id, user_id)
        except BadRequest as exc:
            # HIDE_REQUESTER_MISSING: withdrawn or already handled; USER_ALREADY_PARTICIPANT:
            # an admin let them in meanwhile (the strict gate sees that join).
            log.info("Join request of %s could not be declined: %s", user_id, exc.message)
        except TelegramError as exc:
            log.warning("Join request of %s could not be declined: %s", user_id, exc)

    async def revoke_link(self, link: str) -> None:
        try:
            await self.bot.revoke_chat_invite_link(self.chat_id, link)
        except TelegramError as exc:
            # Expired or already revoked links need nothing more.
            log.debug("Could not revoke an invite link: %s", exc)
