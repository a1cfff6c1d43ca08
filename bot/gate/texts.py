"""Everything the gate says, as functions of outcome values (HTML parse mode).

The logic (admission, membership, codes) decides; this module words it. Every value put
into a sentence is escaped here, so a catalog for another language replaces this module's
sentences and nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.core.i18n import N_, Html, Translator
from bot.core.messaging import escape
from bot.gate.outcomes import Answer, Outcome, SeatNews
from bot.gate.states import CodeStatus

CODE_EXAMPLE = Html("<code>7K3Q-M9XP-4HRT</code>")


@dataclass(frozen=True, slots=True)
class Voice:
    """What a sentence may mention: the club's name, and moments in its time zone, in the
    reader's language (``tr``: the club's unless a person's own was asked for)."""

    name: str
    tz: ZoneInfo
    now: int
    tr: Translator

    @property
    def club(self) -> Html:
        return Html(f"<b>{escape(self.name)}</b>")

    def when(self, ts: int) -> str:
        """A time of day today, else a date and time; always with the zone's name."""
        local = datetime.fromtimestamp(ts, UTC).astimezone(self.tz)
        today = datetime.fromtimestamp(self.now, UTC).astimezone(self.tz).date()
        stamp = self.tr.time(local) if local.date() == today else self.tr.datetime(local)
        return f"{stamp} ({self.tr.timezone(self.tz.key)})"


# --- answers to a person who brings a code ---------------------------------------------------

_CODE_UNUSABLE = {
    CodeStatus.REVOKED: N_("That invite code has been withdrawn. Please ask for a new one."),
    CodeStatus.EXPIRED: N_("That invite code has expired. Please ask for a new one."),
    CodeStatus.USED_UP: N_("That invite code has already been used up. Please ask for a new one."),
}


_CODE_GONE = N_("That code is gone.")


def banned(voice: Voice) -> str:
    return voice.tr._(
        "You were removed from {club} by its moderators, so an invite code can't bring you back.",
        club=voice.club,
    )


def consent_notice(voice: Voice) -> str:
    return voice.tr._(
        "Your code is valid for {club}. Before you join:\n\n"
        "<b>What the club stores about members</b>\n"
        "• your Telegram id, name and username\n"
        "• which campaign's code you used, and when you joined or left\n"
        "• your messages in the group, for the team's daily summary of feedback\n\n"
        "Tap <b>Accept</b> to agree and get your seat.",
        club=voice.club,
    )


def _wrong_try(first: str, outcome: Outcome, voice: Voice) -> str:
    tr = voice.tr
    if outcome.until is not None:
        return tr._(
            "{first}\nThat was too many wrong codes: please try again after <b>{until}</b>.",
            first=Html(first),
            until=voice.when(outcome.until),
        )
    tries = tr.n_("{n} try left", "{n} tries left", outcome.tries_left or 0)
    return tr._(
        "{first}\nPlease check it and try again ({tries}).", first=Html(first), tries=tries
    )


def answer(outcome: Outcome, voice: Voice) -> str:
    """The reply to /start CODE, /join, a typed code or the Accept button."""
    tr, club = voice.tr, voice.club
    match outcome.kind:
        case Answer.SILENT:
            return ""
        case Answer.LOCKED_OUT:
            until = voice.when(outcome.until or voice.now)
            return tr._(
                "Too many wrong codes. Please try again after <b>{until}</b>.", until=until
            )
        case Answer.BANNED:
            return banned(voice)
        case Answer.ALREADY_MEMBER:
            return tr._("You're already a member of {club}. 🎉", club=club)
        case Answer.ALREADY_IN:
            return tr._("You're already in {club}. 🎉", club=club)
        case Answer.ON_WAITLIST:
            return tr._(
                "{club} is full and you're on the waitlist: number <b>{position}</b> in "
                "line. I'll send you a personal invite link as soon as a seat frees up.",
                club=club,
                position=outcome.position,
            )
        case Answer.WAITLISTED:
            return tr._(
                "Thank you! {club} is full right now, so you're on the waitlist: number "
                "<b>{position}</b> in line. I'll send you a personal invite link as soon as "
                "a seat frees up.",
                club=club,
                position=outcome.position,
            )
        case Answer.LINK:
            return tr._(
                "Your seat in {club} is reserved until <b>{until}</b>. Tap the button to "
                "join. The link is personal: it works once, for you only.",
                club=club,
                until=voice.when(outcome.until or voice.now),
            )
        case Answer.APPROVED:
            return tr._("Welcome! Your request to join {club} is approved.", club=club)
        case Answer.HOW_TO_SEND:
            return tr._(
                "To join {club}, send your invite code like this:\n"
                "<code>/join 7K3Q-M9XP-4HRT</code>\n"
                "No code yet? Codes come from the club's campaigns (in the shop, the "
                "newsletter or at events).",
                club=club,
            )
        case Answer.NOT_A_CODE:
            first = tr._(
                "That doesn't look like an invite code. Codes look like {example} "
                "(12 letters and digits).",
                example=CODE_EXAMPLE,
            )
            return _wrong_try(first, outcome, voice)
        case Answer.UNKNOWN_CODE:
            return _wrong_try(tr._("That invite code is not valid."), outcome, voice)
        case Answer.CODE_UNUSABLE if outcome.code_status is not None:
            return tr._(_CODE_UNUSABLE.get(outcome.code_status, _CODE_GONE))
        case Answer.CONSENT:
            return consent_notice(voice)
        case Answer.NOT_YOURS:
            # limit: 200 (answerCallbackQuery)
            return tr._("This button isn't for you.")
        case Answer.NOTICE_EXPIRED:
            return tr._("This notice has expired: please send your code again.")
        case Answer.ALREADY_ACCEPTED:
            return tr._("You've already accepted.")
        case Answer.RESERVATION_ENDED:
            return tr._("Your reservation has ended; send /join to try again.")
        case Answer.SEAT_HELD:
            return tr._(
                "Your seat is kept for you, but I couldn't let you in just now. I'll try "
                "again shortly and write to you here; there's nothing you need to do."
            )
        case Answer.SEND_CODE:
            return tr._("Send /join followed by your invite code.")
    return tr._(_CODE_GONE)  # Answer.CODE_GONE


def seat_news(news: SeatNews, outcome: Outcome, voice: Voice) -> str:
    """A private message offering a seat: why, then the answer (link, approval...)."""
    tr = voice.tr
    if news is SeatNews.FREED:
        intro = tr._("Good news: a seat in {club} is free for you!", club=voice.club)
    elif news is SeatNews.READY:
        intro = tr._("Sorry for the wait: your seat in {club} was kept for you.", club=voice.club)
    else:
        intro = tr._(
            "Someone else tried to use your personal invite link, so I replaced it. "
            "Your seat is still yours; please don't share the new link."
        )
    return f"{intro}\n{answer(outcome, voice)}"


def accept_keyboard(callback_data: str, tr: Translator) -> InlineKeyboardMarkup:
    # limit: 32 (a button label a phone shows whole)
    label = tr._("Accept")
    return InlineKeyboardMarkup([[InlineKeyboardButton(label, callback_data=callback_data)]])


def join_keyboard(link: str | None, tr: Translator) -> InlineKeyboardMarkup | None:
    if not link:
        return None
    # limit: 32 (a button label a phone shows whole)
    label = tr._("Join the club")
    return InlineKeyboardMarkup([[InlineKeyboardButton(label, url=link)]])


# --- private messages the gate sends on its own ------------------------------------------------


def welcome(voice: Voice, rules: str) -> str:
    lines = Html("\n".join(escape(line) for line in rules.splitlines()))
    return voice.tr._(
        "Welcome to {club}! 🎉\n\n<b>The rules</b>\n{rules}", club=voice.club, rules=lines
    )


def reservation_expired(tr: Translator) -> str:
    return tr._(
        "Your invite link has expired and the seat went back to the club. Send /join "
        "whenever you'd like to try again."
    )


def turned_away(voice: Voice) -> str:
    return voice.tr._(
        "{club} is invite-only, so I took you out of the group. To get in, send me your "
        "invite code like this: <code>/join 7K3Q-M9XP-4HRT</code>",
        club=voice.club,
    )


def waiting_requester(voice: Voice, position: int | None) -> str:
    return voice.tr._(
        "You're on the waitlist for {club} (number <b>{position}</b>). I'll send you a "
        "personal invite link as soon as a seat frees up.",
        club=voice.club,
        position=position,
    )


def no_code_in_time(voice: Voice) -> str:
    return voice.tr._(
        "I didn't get a valid invite code in time, so I can't let you into {club} this "
        "time. If you get a code, send it to me with <code>/join YOUR-CODE</code>.",
        club=voice.club,
    )


# --- launch waves and raids ---------------------------------------------------------------


def ask_for_code(community_name: str, minutes: int, tr: Translator) -> str:
    """The one message a join requester gets: the question and the storage notice.

    Sending the code after reading this is the consent, so a requester needs no second
    message and no Accept button before their request is approved.
    """
    return tr._(
        "Hi! {club} is invite-only. Please reply with your invite code within {minutes} "
        "(it looks like {example}).\n\n"
        "<b>What the club stores about members</b>: your Telegram id, name and username; "
        "which campaign's code you used, and when you joined or left; your messages in the "
        "group, for the team's daily summary of feedback. By sending your code you agree "
        "to this.",
        club=Html(f"<b>{escape(community_name)}</b>"),
        minutes=tr.n_("{n} minute", "{n} minutes", minutes),
        example=CODE_EXAMPLE,
    )


def raid_started(valid: int, resolved: int, waiting: int, tr: Translator) -> str:
    return tr._(
        "<b>Join-request raid?</b> Only {valid} of the last {resolved} people I asked for an "
        "invite code gave a valid one (n = {resolved}). I've stopped writing to new "
        "requesters: they are declined quietly when their 5 minutes run out ({waiting} "
        "waiting now). Nothing was posted in the group and nobody gets in without a code. "
        "People with a code can still send it to me with /join. I'll tell you when "
        "requesters give valid codes again.",
        valid=tr.integer(valid),
        resolved=tr.integer(resolved),
        waiting=tr.integer(waiting),
    )


def raid_ended(in_a_row: int, tr: Translator) -> str:
    return tr._(
        "Join requesters are giving valid invite codes again ({n} in a row), so I'm asking "
        "everyone for their code again.",
        n=tr.integer(in_a_row),
    )
