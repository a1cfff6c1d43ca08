"""What the referral feature says to people: every sentence here, the logic elsewhere."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.core.messaging import escape
from bot.referrals.repo import Multiplier, ReferralLink
from bot.referrals.service import Flag, InviteResult, InviteStatus, Policy

INVITE_USAGE = "Send /invite to get a personal invite for a friend."
INVITE_IN_PRIVATE = "Please send /invite to me in a private chat."
IN_PRIVATE = "Please send this to me in a private chat."
NOT_MODERATOR = "Sorry, only the club's moderators can do that."
POLICY_USAGE = (
    "Usage: <code>/referrals</code> (show), <code>/referrals on [N]</code>, "
    "<code>/referrals off</code>, <code>/referrals campaign LABEL [N]</code> (only members "
    "who joined through that campaign), <code>/referrals before YYYY-MM-DD [N]</code> (only "
    "members who joined before that day), <code>/referrals reset</code> (back to the config). "
    "N is how many friends each member may invite. "
    "<code>/referrals withdraw USER_ID</code> ends one member's open invites."
)
WITHDRAW_USAGE = "Usage: <code>/referrals withdraw USER_ID</code> (the numeric id)."


def withdrawn_text(user_id: int, withdrawn: int) -> str:
    if withdrawn == 0:
        return f"User <code>{user_id}</code> has no open invites."
    return (
        f"Withdrew {withdrawn} open invite(s) of user <code>{user_id}</code>. People who "
        "already joined keep their seats. The withdrawn invites still count toward the "
        "member's allowance until they would have expired."
    )


def local_stamp(ts: int, tz: ZoneInfo) -> str:
    local = datetime.fromtimestamp(ts, UTC).astimezone(tz)
    return f"{local:%Y-%m-%d %H:%M} ({tz.key})"


def invite_text(result: InviteResult, community: str, bot_username: str, tz: ZoneInfo) -> str:
    name = escape(community)
    status = result.status
    if status is InviteStatus.ISSUED:
        assert result.code is not None and result.expires_at is not None
        link = f"https://t.me/{bot_username}?start={result.code}"
        left = (
            f"You can invite {result.left} more friend(s)."
            if result.left > 0
            else "That was your last invite for now."
        )
        return (
            f"Here is a personal invite to <b>{name}</b> for one friend:\n\n"
            f"{escape(link)}\n\n"
            f"Or they send me <code>/join {escape(result.code)}</code>. It works once, until "
            f"<b>{escape(local_stamp(result.expires_at, tz))}</b>, and the club's usual "
            f"rules apply (if the club is full, your friend joins the waitlist). {left}\n"
            "The invite is shown only this once."
        )
    if status is InviteStatus.OFF:
        return f"Invites by members are switched off in <b>{name}</b> right now."
    if status is InviteStatus.NOT_MEMBER:
        return f"Only members of <b>{name}</b> can invite friends."
    if status is InviteStatus.WARNED:
        return "You have an active warning, so you can't invite friends until it is cleared."
    if status is InviteStatus.OTHER_CAMPAIGN:
        return (
            "Right now only members who joined through the "
            f"<b>{escape(result.campaign or '')}</b> campaign can invite friends."
        )
    if status is InviteStatus.JOINED_TOO_LATE:
        day = result.joined_before.isoformat() if result.joined_before else "?"
        return f"Right now only members who joined before {day} can invite friends."
    return (
        f"You've used all {result.allowance} of your invites. An invite that runs out "
        "unused gives its place back."
    )


def policy_text(policy: Policy) -> str:
    source = "set by a moderator" if policy.set_by_moderator else "from the config"
    if not policy.on:
        state = "<b>off</b>"
    elif policy.campaign:
        state = f"<b>on</b> for members of the <b>{escape(policy.campaign)}</b> campaign"
    elif policy.joined_before:
        state = f"<b>on</b> for members who joined before {policy.joined_before.isoformat()}"
    else:
        state = "<b>on</b> for every member in good standing"
    allowance = f", {policy.per_member} invite(s) each" if policy.on else ""
    return f"Referral invites: {state}{allowance} ({source})."


def flag_text(flag: Flag, name: str) -> str:
    return (
        "⚠️ <b>Many joins through one member's invites</b>\n"
        f"{escape(name)} (id <code>{flag.referrer_id}</code>): {flag.joins} people joined "
        f"through their invites within {flag.hours} h. This can be a second account or a "
        "shared invite. To end their open invites: "
        f"<code>/referrals withdraw {flag.referrer_id}</code>"
    )


def multipliers_text(
    multipliers: list[Multiplier], links: list[ReferralLink], names: dict[int, str]
) -> str:
    """For moderators, privately: per referrer, and who brought whom (nested)."""
    if not multipliers:
        return "<b>Multipliers</b>\nNobody has joined through a member's invite yet."
    brought = sum(m.brought for m in multipliers)
    stayed = sum(m.stayed for m in multipliers)
    active = sum(m.active for m in multipliers)
    lines = [
        "<b>Multipliers</b>",
        f"{len(multipliers)} member(s) brought <b>{brought}</b>: {stayed} still members, "
        f"{active} took part (posted, rated or voted).",
        "",
    ]
    children: dict[int, list[ReferralLink]] = {}
    for link in links:
        children.setdefault(link.referrer_id, []).append(link)
    referred = {link.user_id for link in links}
    by_id = {m.referrer_id: m for m in multipliers}

    def who(user_id: int) -> str:
        return f"{escape(names.get(user_id, 'someone'))} (<code>{user_id}</code>)"

    def walk(referrer: int, depth: int, seen: set[int]) -> None:
        for link in children.get(referrer, []):
            if link.user_id in seen:
                continue  # a cycle cannot happen through the gate, but never loop
            state = "active" if link.active else "member" if link.member else "left"
            own = by_id.get(link.user_id)
            more = f", brought {own.brought}" if own is not None else ""
            lines.append(f"{'  ' * depth}↳ {who(link.user_id)}: {state}{more}")
            walk(link.user_id, depth + 1, seen | {link.user_id})

    for m in multipliers:
        if m.referrer_id in referred:
            continue  # shown under whoever brought them
        lines.append(
            f"{who(m.referrer_id)}: brought {m.brought}, {m.stayed} stayed, {m.active} active"
        )
        walk(m.referrer_id, 1, {m.referrer_id})
    return "\n".join(lines)
