"""An in-process fake Telegram Bot API for end-to-end tests, the demo and benchmarks.

The unmodified bot talks to it over real HTTP (PTB with ``base_url=sb.base_url``), while
tests build a world (people, groups, invite links) and act as people through the driver::

    sb = Sandbox(token="123456:TEST", clock=clock)
    await sb.start()
    group = sb.create_supergroup("Bakery VIP Club")
    alice = sb.create_user("Alice", username="alice")
    sb.start_bot(alice)
    await sb.wait_for(lambda: sb.bot_messages(alice))

Modules: server.py (HTTP, getUpdates, webhooks, faults), routes.py (URL routes, body
decoding), world.py (state and rules), methods.py (Bot API methods), serialize.py (JSON
shapes), driver.py (the Sandbox: world building, reading, waiting), people_messages.py,
people_membership.py, forum_people.py (the people's actions, on people_base.py), faults.py,
rates.py, limits.py (numbers and their sources), errors.py (Telegram's error texts),
formatting.py (parse_mode).
"""

from bot.sandbox.driver import Sandbox
from bot.sandbox.errors import ApiError, SandboxError
from bot.sandbox.faults import FaultPlan
from bot.sandbox.models import (
    InviteLink,
    JoinRequest,
    Member,
    Poll,
    RecordedRequest,
    SentMessage,
    SimChat,
    SimUser,
)
from bot.sandbox.rates import RateViolation

__all__ = [
    "ApiError",
    "FaultPlan",
    "InviteLink",
    "JoinRequest",
    "Member",
    "Poll",
    "RateViolation",
    "RecordedRequest",
    "Sandbox",
    "SandboxError",
    "SentMessage",
    "SimChat",
    "SimUser",
]
