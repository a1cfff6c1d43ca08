"""Everything the gate says, as functions of outcome values (HTML parse mode).

The logic (admission, membership, codes) decides; this module words it. Every value put
into a sentence is escaped here, so a catalog for another language replaces this module's
sentences and nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.core.messaging import escape
from bot.core.timeparse import format_duration
from bot.gate.outcomes import Answer, MembersSummary, Outcome, SeatNews
from bot.gate.repo import Code
from bot.gate.states import CodeStatus

CODE_EXAMPLE = "<code>7K3Q-M9XP-4HRT</code>"


@dataclass(frozen=True, slots=True)
class Voice:
    """What a sentence may mention: the club's name, and moments in its time zone."""

    name: str
    tz: ZoneInfo
    now: int

    @property
    def club(self) -> str:
        return f"<b>{escape(self.name)}</b>"

    def when(self, ts: int) -> str:
        """A time of day today, else a date and time; always with the zone's name."""
        local = datetime.fromtimestamp(ts, UTC).astimezone(self.tz)
        today = datetime.fromtimestamp(self.now, UTC).astimezone(self.tz).date()
        stamp = f"{local:%H:%M}" if local.date() == today else f"{local:%Y-%m-%d %H:%M}"
        return f"{stamp} ({self.tz.key})"


# --- answers to a person who brings a code ---------------------------------------------------

_CODE_UNUSABLE = {
    CodeStatus.REVOKED: "That invite code has been withdrawn. Please ask for a new one.",
    CodeStatus.EXPIRED: "That invite code has expired. Please ask for a new one.",
    CodeStatus.USED_UP: "That invite code has already been used up. Please ask for a new one.",
}


_CODE_GONE = "That code is gone."


def banned(voice: Voice) -> str:
    return (
        f"You were removed from {voice.club} by its moderators, so an invite code can't "
        "bring you back."
    )


def consent_notice(voice: Voice) -> str:
    return (
        f"Your code is valid for {voice.club}. Before you join:\n\n"
        "<b>What the club stores about members</b>\n"
        "• your Telegram id, name and username\n"
        "• which campaign's code you used, and when you joined or left\n"
        "• your messages in the group, for the team's daily summary of feedback\n\n"
        "Tap <b>Accept</b> to agree and get your seat."
    )


def _wrong_try(first: str, outcome: Outcome, voice: Voice) -> str:
    if outcome.until is not None:
        return (
            f"{first}\nThat was too many wrong codes: please try again after "
            f"<b>{escape(voice.when(outcome.until))}</b>."
        )
    return f"{first}\nPlease check it and try again ({outcome.tries_left} tries left)."


def answer(outcome: Outcome, voice: Voice) -> str:
    """The reply to /start CODE, /join, a typed code or the Accept button."""
    club = voice.club
    match outcome.kind:
        case Answer.SILENT:
            return ""
        case Answer.LOCKED_OUT:
            until = escape(voice.when(outcome.until or voice.now))
            return f"Too many wrong codes. Please try again after <b>{until}</b>."
        case Answer.BANNED:
            return banned(voice)
        case Answer.ALREADY_MEMBER:
            return f"You're already a member of {club}. 🎉"
        case Answer.ALREADY_IN:
            return f"You're already in {club}. 🎉"
        case Answer.ON_WAITLIST:
            return (
                f"{club} is full and you're on the waitlist: number "
                f"<b>{outcome.position}</b> in line. I'll send you a personal invite link as "
                "soon as a seat frees up."
            )
        case Answer.WAITLISTED:
            return (
                f"Thank you! {club} is full right now, so you're on the waitlist: "
                f"number <b>{outcome.position}</b> in line. I'll send you a personal invite "
                "link as soon as a seat frees up."
            )
        case Answer.LINK:
            until = escape(voice.when(outcome.until or voice.now))
            return (
                f"Your seat in {club} is reserved until <b>{until}</b>. Tap the button to "
                "join. The link is personal: it works once, for you only."
            )
        case Answer.APPROVED:
            return f"Welcome! Your request to join {club} is approved."
        case Answer.HOW_TO_SEND:
            return (
                f"To join {club}, send your invite code like this:\n"
                "<code>/join 7K3Q-M9XP-4HRT</code>\n"
                "No code yet? Codes come from the club's campaigns (in the shop, the "
                "newsletter or at events)."
            )
        case Answer.NOT_A_CODE:
            first = (
                f"That doesn't look like an invite code. Codes look like {CODE_EXAMPLE} "
                "(12 letters and digits)."
            )
            return _wrong_try(first, outcome, voice)
        case Answer.UNKNOWN_CODE:
            return _wrong_try("That invite code is not valid.", outcome, voice)
        case Answer.CODE_UNUSABLE if outcome.code_status is not None:
            return _CODE_UNUSABLE.get(outcome.code_status, _CODE_GONE)
        case Answer.CONSENT:
            return consent_notice(voice)
        case Answer.NOT_YOURS:
            return "This button isn't for you."
        case Answer.NOTICE_EXPIRED:
            return "This notice has expired: please send your code again."
        case Answer.ALREADY_ACCEPTED:
            return "You've already accepted."
        case Answer.RESERVATION_ENDED:
            return "Your reservation has ended; send /join to try again."
        case Answer.LINK_FAILED:
            return (
                "Sorry, I couldn't create your invite link just now. Please send /join "
                "again in a minute: your code stays valid for you."
            )
        case Answer.SEND_CODE:
            return "Send /join followed by your invite code."
    return _CODE_GONE  # Answer.CODE_GONE


def seat_news(news: SeatNews, outcome: Outcome, voice: Voice) -> str:
    """A private message offering a seat: why, then the answer (link, approval...)."""
    if news is SeatNews.FREED:
        intro = f"Good news: a seat in {voice.club} is free for you!"
    else:
        intro = (
            "Someone else tried to use your personal invite link, so I replaced it. "
            "Your seat is still yours; please don't share the new link."
        )
    return f"{intro}\n{answer(outcome, voice)}"


def accept_keyboard(callback_data: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton("Accept", callback_data=callback_data)]])


def join_keyboard(link: str | None) -> InlineKeyboardMarkup | None:
    if not link:
        return None
    return InlineKeyboardMarkup([[InlineKeyboardButton("Join the club", url=link)]])


# --- private messages the gate sends on its own ------------------------------------------------


def welcome(voice: Voice, rules: str) -> str:
    lines = "\n".join(escape(line) for line in rules.splitlines())
    return f"Welcome to {voice.club}! 🎉\n\n<b>The rules</b>\n{lines}"


def reservation_expired() -> str:
    return (
        "Your invite link has expired and the seat went back to the club. Send "
        "/join whenever you'd like to try again."
    )


def turned_away(voice: Voice) -> str:
    return (
        f"{voice.club} is invite-only, so I took you out of the group. To get in, "
        f"send me your invite code like this: <code>/join 7K3Q-M9XP-4HRT</code>"
    )


def waiting_requester(voice: Voice, position: int | None) -> str:
    return (
        f"You're on the waitlist for {voice.club} (number <b>{position}</b>). I'll "
        "send you a personal invite link as soon as a seat frees up."
    )


def no_code_in_time(voice: Voice) -> str:
    return (
        f"I didn't get a valid invite code in time, so I can't let you into "
        f"{voice.club} this time. If you get a code, send it to me with "
        "<code>/join YOUR-CODE</code>."
    )


# --- launch waves and raids ---------------------------------------------------------------


def ask_for_code(community_name: str, minutes: int) -> str:
    """The one message a join requester gets: the question and the storage notice.

    Sending the code after reading this is the consent, so a requester needs no second
    message and no Accept button before their request is approved.
    """
    return (
        f"Hi! <b>{escape(community_name)}</b> is invite-only. Please reply with your invite "
        f"code within {minutes} minutes (it looks like {CODE_EXAMPLE}).\n\n"
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


# --- moderators ------------------------------------------------------------------------------

NEWCODES_USAGE = (
    "Usage: <code>/newcodes COUNT [USES] [LABEL] [EXPIRES]</code>\n"
    "e.g. <code>/newcodes 20 1 flyer 14d</code> (20 single-use codes labelled "
    "'flyer', valid 14 days) or <code>/newcodes 1 100 newsletter</code> (one code for 100 "
    "people)."
)
MODERATORS_ONLY = "Sorry, only the club's moderators can do that."
PRIVATE_ONLY = "Please send this to me in a private chat."
NO_CODES_YET = "No invite codes yet. Make some with /newcodes."


def bad_newcodes(problem: str) -> str:
    return f"{escape(problem)}.\n{NEWCODES_USAGE}"


def codes_made(
    made: list[str], uses: int, label: str, expires: timedelta | None, bot_name: str
) -> str:
    """The new codes with their deep links: shown once, never stored in the clear."""
    expiry = f", valid {escape(format_duration(expires))}" if expires else ""
    lines = [
        f"<b>{len(made)} code(s)</b> labelled <b>{escape(label)}</b>, {uses} use(s) "
        f"each{expiry}. They are shown only this once: copy them now.",
        "",
    ]
    lines += [f"<code>{code}</code>  t.me/{escape(bot_name)}?start={code}" for code in made]
    return "\n".join(lines)


def codes_list(codes: list[Code], now: int) -> str:
    lines = ["<b>Invite codes</b> (newest first; the codes themselves are never stored)"]
    lines += [escape(line) for line in codes_table(codes, now)]
    return "\n".join(lines)


def bad_revoke(problem: str) -> str:
    return f"{escape(problem)}.\nUsage: <code>/revoke ID|LABEL</code>"


def revoked(ended: int, target: str) -> str:
    if ended == 0:
        return f"No live code matches {escape(target)}. See /codes for ids and labels."
    return f"Revoked {ended} code(s). People already in keep their seats."


def members(summary: MembersSummary) -> str:
    lines = [
        "<b>Members</b>",
        f"Seats used: <b>{summary.seats_taken}/{summary.max_members}</b> "
        f"({summary.members} members, {summary.reserved} reserved)",
        f"Waitlist: <b>{summary.waiting}</b>",
        "",
        "<b>Joins per campaign, last 7 days</b>",
    ]
    if summary.joins_by_label:
        lines += [f"{escape(label or '-')}: {n}" for label, n in summary.joins_by_label]
    else:
        lines.append("none")
    return "\n".join(lines)


# --- code administration (plain text: the CLI prints it, the bot escapes it) ----------------


def codes_table(codes: list[Code], now: int) -> list[str]:
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
