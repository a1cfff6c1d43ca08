"""What the privacy feature says to a member, in their language (catalog: bot/locale)."""

from __future__ import annotations

import enum

from bot.core.i18n import N_, Html, Translator
from bot.privacy.repo import Erasure


class LeaveProblem(enum.Enum):
    """Why /forgetme could not take the member out of the group (the erasure still ran)."""

    ADMIN = "admin"
    REMOVAL_FAILED = "removal_failed"


# Friendly names for what the known tables hold; an unknown table is shown by its name.
TABLE_LABELS = {
    "people": N_("your profile (name, username, language)"),
    "feedback_messages": N_("your messages and their scores"),
    "feedback_pseudonyms": N_("your pseudonym in digests"),
    "poll_answers": N_("your poll votes"),
    "preview_ratings": N_("your preview ratings"),
    "preview_reactions": N_("your reactions to previews"),
    "preview_teasers": N_("preview notices sent to you"),
    "gate_seats": N_("your membership and consent record"),
    "gate_attempts": N_("your invite-code attempts"),
    "gate_failures": N_("your wrong invite codes"),
    "gate_lockouts": N_("your invite-code lock-outs"),
    "gate_join_requests": N_("your join requests"),
    "gate_events": N_("your joins and leaves"),
    "moderation_log": N_("moderation records about you"),
    "warnings": N_("your warnings"),
    "lookalike_reports": N_("look-alike name reports"),
    "forget_questions": N_("your requests to be forgotten"),
}


def mydata_in_private(tr: Translator) -> Html:
    return tr._("Send /mydata to me in a private chat: your data is yours.")


def mydata_caption(tr: Translator) -> Html:
    return tr._("Everything the club stores about you, as JSON.")


def mydata_about(tr: Translator, retention_days: int) -> str:
    # A JSON value, not HTML: the plain text without escaping.
    return tr.n_(
        "Everything this club's bot stores about you, table by table. Times are unix seconds "
        "(UTC). Message texts are erased after {n} day; /forgetme erases everything.",
        "Everything this club's bot stores about you, table by table. Times are unix seconds "
        "(UTC). Message texts are erased after {n} days; /forgetme erases everything.",
        retention_days,
    )


def forgetme_in_private(tr: Translator) -> Html:
    return tr._("Send /forgetme to me in a private chat.")


def forget_question(tr: Translator, community: str) -> Html:
    return tr._(
        "<b>Forget me?</b>\nThis removes you from {club} and erases everything it stores "
        "about you: your messages and their scores, poll votes, preview ratings and "
        "reactions, your membership and consent record and your profile. It cannot be "
        "undone; you can come back later with a new invite code.",
        club=community,
    )


def forget_buttons(tr: Translator) -> tuple[str, str]:
    # limit: 32 (button text: the Bot API sets no cap, but a phone shows about 30 characters
    # of two buttons side by side)
    return tr._("Yes, forget me"), tr._("Cancel")


def not_your_button(tr: Translator) -> Html:
    # limit: 200
    return tr._("This button is not for you.")


def already_answered(tr: Translator) -> Html:
    # limit: 200
    return tr._("You have already answered this question.")


def nothing_erased(tr: Translator) -> Html:
    return tr._("Nothing was erased.")


def describe_erasure(erasure: Erasure, tr: Translator) -> list[Html]:
    lines = []
    for table, count in sorted(erasure.deleted.items()):
        label = tr._(TABLE_LABELS[table]) if table in TABLE_LABELS else table
        lines.append(tr._("{what}: {count}", what=label, count=count))
    if erasure.anonymised:
        count = sum(erasure.anonymised.values())
        lines.append(
            tr.n_(
                "your name removed from {n} item you created (it stays, unsigned)",
                "your name removed from {n} items you created (they stay, unsigned)",
                count,
            )
        )
    if erasure.scrubbed:
        count = sum(erasure.scrubbed.values())
        lines.append(
            tr.n_(
                "quotes of your words removed from {n} stored report",
                "quotes of your words removed from {n} stored reports",
                count,
            )
        )
    return lines


def erasure_text(
    erasure: Erasure, problem: LeaveProblem | None, community: str, tr: Translator
) -> Html:
    lines = describe_erasure(erasure, tr)
    text: list[str] = [tr._("<b>Done: {club} has forgotten you.</b>", club=community)]
    if lines:
        text.append(tr._("Erased:"))
        text += ["• " + line for line in lines]
    else:
        text.append(tr._("There was nothing stored about you."))
    text.append(
        tr._(
            "Figures already counted in past daily reports (for example how many messages "
            "were positive on a day) stay, without your name."
        )
    )
    if problem is LeaveProblem.ADMIN:
        text.append(tr._("You are an admin of the group, so you stay in it."))
    elif problem is LeaveProblem.REMOVAL_FAILED:
        text.append(tr._("I could not remove you from the group: please leave it yourself."))
    return Html("\n".join(text))
