"""What the gate says during launch waves and raids (words kept apart from the logic)."""

from __future__ import annotations

from bot.core.messaging import escape


def ask_for_code(community_name: str, minutes: int) -> str:
    """The one message a join requester gets: the question and the storage notice.

    Sending the code after reading this is the consent, so a requester needs no second
    message and no Accept button before their request is approved.
    """
    return (
        f"Hi! <b>{escape(community_name)}</b> is invite-only. Please reply with your invite "
        f"code within {minutes} minutes (it looks like <code>7K3Q-M9XP-4HRT</code>).\n\n"
        "<b>What the club stores about members</b>: your Telegram id, name and username; "
        "which campaign's code you used, and when you joined or left; your messages in the "
        "group, for the team's daily summary of feedback. By sending your code you agree "
        "to this."
    )


def raid_started(valid: int, resolved: int, waiting: int) -> str:
    return (
        "<b>Join-request raid?</b> Only "
        f"{valid} of the last {resolved} people I asked for an invite code gave a valid one "
        f"(n = {resolved}). I've stopped writing to new requesters: they are declined quietly "
        f"when their 5 minutes run out ({waiting} waiting now). Nothing was posted in the "
        "group and nobody gets in without a code. People with a code can still send it to "
        "me with /join. I'll tell you when requesters give valid codes again."
    )


def raid_ended(in_a_row: int) -> str:
    return (
        f"Join requesters are giving valid invite codes again ({in_a_row} in a row), so I'm "
        "asking everyone for their code again."
    )
