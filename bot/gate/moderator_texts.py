"""What the gate says to moderators: /newcodes, /codes, /revoke and /members replies (HTML
parse mode), and the plain-text code table the CLI prints.

Split from texts.py (what the gate says to members and newcomers); the same rules hold:
every value put into a sentence is escaped here, and a catalog replaces the sentences.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.core.i18n import N_, Translator, translator
from bot.core.messaging import escape, html_to_plain
from bot.gate.outcomes import MembersSummary
from bot.gate.repo import Code
from bot.gate.states import CodeStatus

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
                # "in 14 Tagen": the locale puts the count after "in" in its case.
                expiry = tr._(
                    "{when} ({time_left})",
                    when=when,
                    time_left=tr.duration_ahead(timedelta(seconds=left)),
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
