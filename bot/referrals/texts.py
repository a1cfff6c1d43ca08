"""What the referral feature says to people: every sentence here, the logic elsewhere.

Functions take the reader's translator (English when none is given: tests, the command
line) and return HTML with every inserted value escaped once.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.core.i18n import N_, Html, Translator, escape, translator
from bot.referrals.records import Multiplier, ReferralLink
from bot.referrals.service import Flag, InviteResult, InviteStatus, Policy

_ENGLISH = translator("en")

INVITE_USAGE = N_("Send /invite to get a personal invite for a friend.")
INVITE_IN_PRIVATE = N_("Please send /invite to me in a private chat.")
IN_PRIVATE = N_("Please send this to me in a private chat.")
NOT_MODERATOR = N_("Sorry, only the club's moderators can do that.")
POLICY_USAGE = N_(
    "Usage: <code>/referrals</code> (show), <code>/referrals on [N]</code>, "
    "<code>/referrals off</code>, <code>/referrals campaign LABEL [N]</code> (only members "
    "who joined through that campaign), <code>/referrals before YYYY-MM-DD [N]</code> (only "
    "members who joined before that day), <code>/referrals reset</code> (back to the config). "
    "N is how many friends each member may invite. "
    "<code>/referrals withdraw USER_ID</code> ends one member's open invites."
)
WITHDRAW_USAGE = N_("Usage: <code>/referrals withdraw USER_ID</code> (the numeric id).")
# Where a referrer's name is unknown (erased since, or never seen).
A_MEMBER = N_("A member")


def withdrawn_text(user_id: int, withdrawn: int, tr: Translator = _ENGLISH) -> str:
    if withdrawn == 0:
        return tr._("User <code>{user_id}</code> has no open invites.", user_id=user_id)
    return tr.n_(
        "Withdrew {n} open invite of user <code>{user_id}</code>. People who already joined "
        "keep their seats. The withdrawn invite still counts toward the member's allowance "
        "until it would have expired.",
        "Withdrew {n} open invites of user <code>{user_id}</code>. People who already joined "
        "keep their seats. The withdrawn invites still count toward the member's allowance "
        "until they would have expired.",
        withdrawn,
        user_id=user_id,
    )


def local_stamp(ts: int, tz: ZoneInfo, tr: Translator = _ENGLISH) -> str:
    """A moment in the club's zone, in the reader's format, with the zone's name."""
    local = datetime.fromtimestamp(ts, UTC).astimezone(tz)
    return f"{tr.datetime(local)} ({tr.timezone(tz.key)})"


def invite_text(
    result: InviteResult,
    community: str,
    bot_username: str,
    tz: ZoneInfo,
    tr: Translator = _ENGLISH,
) -> str:
    club = Html(f"<b>{escape(community)}</b>")
    status = result.status
    if status is InviteStatus.ISSUED:
        assert result.code is not None and result.expires_at is not None
        if result.left > 0:
            left = tr.n_(
                "You can invite {n} more friend.", "You can invite {n} more friends.", result.left
            )
        else:
            left = tr._("That was your last invite for now.")
        link = f"https://t.me/{bot_username}?start={result.code}"
        return tr._(
            "Here is a personal invite to {club} for one friend:\n\n{link}\n\n"
            "Or they send me <code>/join {code}</code>. It works once, until <b>{until}</b>, "
            "and the club's usual rules apply (if the club is full, your friend joins the "
            "waitlist). {left}\nThe invite is shown only this once.",
            club=club,
            link=link,
            code=result.code,
            until=local_stamp(result.expires_at, tz, tr),
            left=left,
        )
    if status is InviteStatus.OFF:
        return tr._("Invites by members are switched off in {club} right now.", club=club)
    if status is InviteStatus.NOT_MEMBER:
        return tr._("Only members of {club} can invite friends.", club=club)
    if status is InviteStatus.WARNED:
        return tr._("You have an active warning, so you can't invite friends until it is cleared.")
    if status is InviteStatus.OTHER_CAMPAIGN:
        return tr._(
            "Right now only members who joined through the <b>{campaign}</b> campaign can "
            "invite friends.",
            campaign=result.campaign or "",
        )
    if status is InviteStatus.JOINED_TOO_LATE:
        day = tr.date(result.joined_before, "medium") if result.joined_before else "?"
        return tr._("Right now only members who joined before {day} can invite friends.", day=day)
    return tr.n_(
        "You've used your {n} invite. An invite that runs out unused gives its place back.",
        "You've used all {n} of your invites. An invite that runs out unused gives its "
        "place back.",
        result.allowance,
    )


def policy_text(policy: Policy, tr: Translator = _ENGLISH) -> str:
    source = tr._("set by a moderator") if policy.set_by_moderator else tr._("from the config")
    if not policy.on:
        state = tr._("<b>off</b>")
    elif policy.campaign:
        state = tr._(
            "<b>on</b> for members of the <b>{campaign}</b> campaign", campaign=policy.campaign
        )
    elif policy.joined_before:
        state = tr._(
            "<b>on</b> for members who joined before {day}",
            day=tr.date(policy.joined_before, "medium"),
        )
    else:
        state = tr._("<b>on</b> for every member in good standing")
    if policy.on:
        allowance = tr.n_(", {n} invite each", ", {n} invites each", policy.per_member)
        return tr._(
            "Referral invites: {state}{allowance} ({source}).",
            state=state,
            allowance=allowance,
            source=source,
        )
    return tr._("Referral invites: {state} ({source}).", state=state, source=source)


def flag_text(flag: Flag, name: str | None, tr: Translator = _ENGLISH) -> str:
    return tr._(
        "⚠️ <b>Many joins through one member's invites</b>\n"
        "{name} (id <code>{user_id}</code>): {joins} within {hours} h. This can be a second "
        "account or a shared invite. To end their open invites: "
        "<code>/referrals withdraw {user_id}</code>",
        name=name or tr._(A_MEMBER),
        user_id=flag.referrer_id,
        joins=tr.n_(
            "{n} person joined through their invites",
            "{n} people joined through their invites",
            flag.joins,
        ),
        hours=flag.hours,
    )


def multipliers_text(
    multipliers: list[Multiplier],
    links: list[ReferralLink],
    names: dict[int, str],
    tr: Translator = _ENGLISH,
) -> str:
    """For moderators, privately: per referrer, and who brought whom (nested)."""
    if not multipliers:
        return tr._("<b>Multipliers</b>\nNobody has joined through a member's invite yet.")
    brought = sum(m.brought for m in multipliers)
    stayed = sum(m.stayed for m in multipliers)
    active = sum(m.active for m in multipliers)
    lines = [
        tr._("<b>Multipliers</b>"),
        tr._(
            "{referrers} <b>{brought}</b>: {stayed}, {active} (posted, rated or voted).",
            referrers=tr.n_("{n} member brought", "{n} members brought", len(multipliers)),
            brought=tr.integer(brought),
            stayed=tr.n_("{n} is still a member", "{n} are still members", stayed),
            active=tr.n_("{n} took part", "{n} took part", active),
        ),
        "",
    ]
    children: dict[int, list[ReferralLink]] = {}
    for link in links:
        children.setdefault(link.referrer_id, []).append(link)
    referred = {link.user_id for link in links}
    by_id = {m.referrer_id: m for m in multipliers}

    def who(user_id: int) -> str:
        name = names.get(user_id) or tr._("someone")
        return tr._("{name} (<code>{user_id}</code>)", name=name, user_id=user_id)

    def walk(referrer: int, depth: int, seen: set[int]) -> None:
        for link in children.get(referrer, []):
            if link.user_id in seen:
                continue  # a cycle cannot happen through the gate, but never loop
            if link.active:
                state = tr._("active")
            elif link.member:
                state = tr._("member")
            else:
                state = tr._("left")
            own = by_id.get(link.user_id)
            more = tr._(", brought {n}", n=own.brought) if own is not None else ""
            lines.append(f"{'  ' * depth}↳ {who(link.user_id)}: {state}{more}")
            walk(link.user_id, depth + 1, seen | {link.user_id})

    for m in multipliers:
        if m.referrer_id in referred:
            continue  # shown under whoever brought them
        lines.append(
            tr._(
                "{who}: brought {brought}, {stayed} stayed, {active} active",
                who=Html(who(m.referrer_id)),
                brought=m.brought,
                stayed=m.stayed,
                active=m.active,
            )
        )
        walk(m.referrer_id, 1, {m.referrer_id})
    return "\n".join(lines)
