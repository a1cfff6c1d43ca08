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

from bot.core.i18n import N_, Html, Translator, translator
from bot.core.messaging import escape, html_to_plain
from bot.gate.outcomes import Answer, MembersSummary, Outcome, SeatNews
from bot.gate.repo import Code
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
        case Answer.LINK_FAILED:
            return tr._(
                "Sorry, I couldn't create your invite link just now. Please send /join "
                "again in a minute: your code stays valid for you."
            )
        case Answer.SEND_CODE:
            return tr._("Send /join followed by your invite code.")
    return tr._(_CODE_GONE)  # Answer.CODE_GONE


def seat_news(news: SeatNews, outcome: Outcome, voice: Voice) -> str:
    """A private message offering a seat: why, then the answer (link, approval...)."""
    tr = voice.tr
    if news is SeatNews.FREED:
        intro = tr._("Good news: a seat in {club} is free for you!", club=voice.club)
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


# --- moderators ------------------------------------------------------------------------------

NEWCODES_USAGE = N_(
    "Usage: <code>/newcodes COUNT [USES] [LABEL] [EXPIRES]</code>\n"
    "e.g. <code>/newcodes 20 1 flyer 14d</code> (20 single-use codes labelled "
    "'flyer', valid 14 days) or <code>/newcodes 1 100 newsletter</code> (one code for 100 "
    "people)."
)
MODERATORS_ONLY = N_("Sorry, only the club's moderators can do that.")
PRIVATE_ONLY = N_("Please send this to me in a private chat.")
NO_CODES_YET = N_("No invite codes yet. Make some with /newcodes.")


def bad_newcodes(problem: str, tr: Translator) -> str:
    return tr._("{problem}.\n{usage}", problem=problem, usage=tr._(NEWCODES_USAGE))


def codes_made(
    made: list[str],
    uses: int,
    label: str,
    expires: timedelta | None,
    bot_name: str,
    tr: Translator,
) -> str:
    """The new codes with their deep links: shown once, never stored in the clear."""
    each = tr.n_("{n} use each", "{n} uses each", uses)
    if expires:
        each = tr._("{uses}, valid {duration}", uses=each, duration=tr.duration(expires))
    lines: list[str] = [
        tr.n_(
            "<b>{n} code</b> labelled <b>{label}</b>, {each}. It is shown only this once: "
            "copy it now.",
            "<b>{n} codes</b> labelled <b>{label}</b>, {each}. They are shown only this "
            "once: copy them now.",
            len(made),
            label=label,
            each=each,
        ),
        "",
    ]
    lines += [f"<code>{code}</code>  t.me/{escape(bot_name)}?start={code}" for code in made]
    return "\n".join(lines)


def codes_list(codes: list[Code], now: int, tr: Translator) -> str:
    lines: list[str] = [
        tr._("<b>Invite codes</b> (newest first; the codes themselves are never stored)")
    ]
    lines += [escape(line) for line in codes_table(codes, now, tr)]
    return "\n".join(lines)


def bad_revoke(problem: str, tr: Translator) -> str:
    return tr._("{problem}.\nUsage: <code>/revoke ID|LABEL</code>", problem=problem)


def revoked(ended: int, target: str, tr: Translator) -> str:
    if ended == 0:
        return tr._("No live code matches {target}. See /codes for ids and labels.", target=target)
    return tr.n_(
        "Revoked {n} code. People already in keep their seats.",
        "Revoked {n} codes. People already in keep their seats.",
        ended,
    )


def members(summary: MembersSummary, tr: Translator) -> str:
    lines = [
        tr._("<b>Members</b>"),
        tr._(
            "Seats used: <b>{taken}/{max}</b> ({members}, {reserved} reserved)",
            taken=tr.integer(summary.seats_taken),
            max=tr.integer(summary.max_members),
            members=tr.n_("{n} member", "{n} members", summary.members),
            reserved=tr.integer(summary.reserved),
        ),
        tr._("Waitlist: <b>{n}</b>", n=tr.integer(summary.waiting)),
        "",
        tr._("<b>Joins per campaign, last 7 days</b>"),
    ]
    if summary.joins_by_label:
        lines += [f"{escape(label or '-')}: {n}" for label, n in summary.joins_by_label]
    else:
        lines.append(tr._("none"))
    return "\n".join(lines)


_STATUS_WORDS = {
    CodeStatus.ACTIVE: N_("active"),
    CodeStatus.REVOKED: N_("revoked"),
    CodeStatus.EXPIRED: N_("expired"),
    CodeStatus.USED_UP: N_("used up"),
}


# --- code administration (plain text: the CLI prints it, the bot escapes it) ----------------


def codes_table(codes: list[Code], now: int, tr: Translator | None = None) -> list[str]:
    """One plain-text line per code: never the code itself (only its hash is known).

    The command line prints it in English; a moderator's /codes reads the club's language.
    """
    tr = tr or translator("en")
    lines = []
    for code in codes:
        expiry = tr._("never")
        if code.expires_at is not None:
            left = code.expires_at - now
            stamp = datetime.fromtimestamp(code.expires_at, UTC)
            when = f"{tr.datetime(stamp)} UTC"
            if left > 0:
                expiry = tr._(
                    "{when} (in {duration})",
                    when=when,
                    duration=tr.duration(timedelta(seconds=left)),
                )
            else:
                expiry = tr._("{when} (expired)", when=when)
        lines.append(
            html_to_plain(
                tr._(
                    "#{id} {label}: {left}/{max} uses left, {redeemed} redeemed, expires "
                    "{expiry}, {status}",
                    id=code.id,
                    label=code.label,
                    left=code.uses_left,
                    max=code.max_uses,
                    redeemed=code.uses,
                    expiry=expiry,
                    status=tr._(_STATUS_WORDS[code.status(now)]),
                )
            )
        )
    return lines
