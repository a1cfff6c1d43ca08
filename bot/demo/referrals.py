"""The referral and measurable-link part of ``python -m bot demo``, for the demo to call.

``await referral_scene(club, narrator, members)``: a moderator switches referrals on, a
member asks for an invite and her friend joins with it and posts; the moderator sees the
multiplier tree; the brand team publishes a preview whose shop link carries campaign tags.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.demo.narrator import Narrator, admit_with_code
from bot.demo.simulation import SimulatedClub
from bot.sandbox import SimUser

_CODE = re.compile(r"start=([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})")


async def referral_scene(
    club: SimulatedClub, narrator: Narrator, members: Sequence[SimUser]
) -> bool:
    """Returns True when the friend got in through the invite and the link was tagged."""
    sb, olivia, bruno = club.sandbox, club.owner, club.brand_manager
    if not members:
        return False
    ada = members[0]
    if not sb.has_started(olivia):
        sb.start_bot(olivia)
        await club.settle()
        narrator.replies_seen(olivia)

    narrator.heading("A moderator lets members invite two friends each")
    sb.send_text(olivia, olivia, "/referrals on 2")
    narrator.act(olivia, olivia, "/referrals on 2")
    await narrator.replies(olivia)

    narrator.heading(f"{ada.first_name} asks for a personal invite for a friend")
    sb.send_text(ada, ada, "/invite")
    narrator.act(ada, ada, "/invite")
    answer = await narrator.replies(ada)
    found = _CODE.search(answer[-1].text or "") if answer else None
    if found is None:
        narrator.note("no invite came back")
        return False

    friend = sb.create_user("Finn")
    narrator.act(friend, friend, f"opens the link {ada.first_name} sent him and accepts")
    if not await admit_with_code(club, friend, found.group(1)):
        narrator.note("the friend did not get in")
        return False
    narrator.note(f"Finn joined; the ledger records that {ada.first_name} brought him")
    sb.send_text(friend, club.group, "Thanks for the invite! The rye is as good as promised")
    narrator.act(friend, club.group, "Thanks for the invite! The rye is as good as promised")
    await club.settle()

    narrator.heading("The moderator looks at who multiplies the club")
    sb.send_text(olivia, olivia, "/multipliers")
    narrator.act(olivia, olivia, "/multipliers")
    await narrator.replies(olivia)

    narrator.heading("A preview with a shop link: the link carries campaign tags")
    draft = sb.send_text(
        bruno, bruno, "Pre-order the pistachio croissant: https://bakery.example/preorder"
    )
    narrator.act(bruno, bruno, draft.text or "")
    sb.send_text(bruno, bruno, "/preview now --title Pre-order", reply_to=draft)
    narrator.act(bruno, bruno, "(replying to it) /preview now --title Pre-order")
    await club.settle()
    posted = await narrator.replies(club.group, bruno)
    urls = [
        str(entity.get("url"))
        for message in posted
        for entity in message.entities
        if entity.get("type") == "text_link"
    ]
    tagged = [url for url in urls if "utm_source=" in url]
    for url in tagged:
        narrator.note(f"the link members click: {url}")
    return bool(tagged)
