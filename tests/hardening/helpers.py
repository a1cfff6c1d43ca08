"""Small sandbox helpers for the hardening tests: forged presses and their answers."""

from __future__ import annotations

from bot.demo.simulation import SimulatedClub
from bot.sandbox import SentMessage, SimUser
from bot.sandbox.serialize import user_json


def forge_press(club: SimulatedClub, user: SimUser, msg: SentMessage | None, data: str) -> str:
    """A modified client's callback_query: any data, on any message (or none)."""
    sb = club.sandbox
    world = sb.world
    sb._callback_seq += 1
    qid = f"{user.id}{sb._callback_seq:06d}"
    world.callback_queries[qid] = (sb.clock.now(), user, msg)
    payload = {"id": qid, "from": user_json(user), "chat_instance": "1", "data": data}
    if msg is not None:
        payload["message"] = world.message_json(msg)
    world.enqueue("callback_query", payload)
    return qid


def answer_to(club: SimulatedClub, qid: str) -> dict[str, object] | None:
    return next((a for a in club.sandbox.callback_answers if a["callback_query_id"] == qid), None)
