"""Small sandbox helpers for the hardening tests: forged presses, idle waits, admissions."""

from __future__ import annotations

from bot.demo.simulation import SimulatedClub
from bot.gate.service import GateService
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


def buttons(msg: SentMessage) -> list[str]:
    rows = (msg.reply_markup or {}).get("inline_keyboard") or []
    return [str(b.get("callback_data") or b.get("url") or "") for row in rows for b in row]


def last_with(club: SimulatedClub, user: SimUser, prefix: str) -> tuple[SentMessage, str]:
    for msg in reversed(club.sandbox.bot_messages(user)):
        for data in buttons(msg):
            if data.startswith(prefix):
                return msg, data
    raise AssertionError(f"no button {prefix!r} for {user.first_name}")


async def admitted(club: SimulatedClub, name: str, user_id: int | None = None) -> SimUser:
    """Gets a code, opens the deep link, accepts the notice, joins with the personal link."""
    sb = club.sandbox
    gate = club.services.feature("gate", GateService)
    (code,) = await gate.create_codes(1, 1, "flyer", None, club.owner.id)
    user = sb.create_user(name, user_id=user_id, username=name.lower() + "_bakes")
    sb.start_bot(user, code)
    await club.settle()
    msg, data = last_with(club, user, "v1:gate:accept:")
    sb.press_button(user, msg, data)
    await club.settle()
    _, link = last_with(club, user, "http")
    sb.join_via_link(user, link)
    await club.settle()
    assert sb.member_status(club.group, user) == "member"
    return user
