"""Moderation without Telegram: argument parsing, flood counting, look-alike names."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any, cast

import pytest

from bot.core.i18n import translator
from bot.moderation import reasons
from bot.moderation.flood import FloodTracker
from bot.moderation.lookalike import find_resemblance, is_mixed_script, resemblance, skeleton
from bot.moderation.parse import UsageError, parse_limit, parse_request, parse_user_id

BIG = 2**32 + 5
HOUR = timedelta(hours=1)


def test_target_by_reply_or_by_id() -> None:
    by_reply = parse_request("warn", ["spam", "links"], BIG, default_mute=HOUR)
    assert (by_reply.target_id, by_reply.reason) == (BIG, "spam links")
    by_id = parse_request("ban", [str(BIG), "rude"], None, default_mute=HOUR)
    assert (by_id.target_id, by_id.reason) == (BIG, "rude")
    # An explicit id wins over the replied-to message.
    assert parse_request("kick", ["42"], BIG, default_mute=HOUR).target_id == 42


def test_mute_duration_default_and_explicit() -> None:
    assert parse_request("mute", [], BIG, default_mute=HOUR).duration == HOUR
    request = parse_request("mute", [str(BIG), "2h", "calm", "down"], None, default_mute=HOUR)
    assert (request.duration, request.reason) == (timedelta(hours=2), "calm down")


@pytest.mark.parametrize(
    ("action", "args", "reply", "message"),
    [
        ("warn", [], None, "say whom"),
        ("ban", ["@ada"], None, "say whom"),
        ("ban", ["-5"], None, "not a user id"),
        ("mute", ["soon"], BIG, "not a duration"),
        ("mute", ["20s"], BIG, "at least 1 minute"),
        ("mute", ["400d"], BIG, "too long"),
        ("unban", [str(BIG), "sorry"], None, "takes no reason"),
    ],
)
def test_bad_arguments(action: str, args: list[str], reply: int | None, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        parse_request(action, args, reply, default_mute=HOUR)  # type: ignore[arg-type]


def test_user_ids_and_limits() -> None:
    assert parse_user_id(str(2**40)) == 2**40
    assert parse_user_id("0") is None and parse_user_id("١٢٣") is None  # Arabic digits
    assert parse_limit([]) == 10 and parse_limit(["500"]) == 50
    with pytest.raises(UsageError):
        parse_limit(["x"])


def test_flood_counts_a_burst_once_and_albums_as_one() -> None:
    tracker = FloodTracker(limit=3, window=10)
    assert [tracker.hit(1, t) for t in (0, 4, 8, 12)] == [None, None, None, None]  # spaced
    assert [tracker.hit(2, t) for t in (0, 1, 2, 3)] == [None, None, None, 4]
    tracker.muted(2, until=600)
    assert tracker.hit(2, 4) is None  # already muted: no second mute
    assert all(tracker.hit(3, 1.0, media_group_id="album") is None for _ in range(10))
    tracker.prune(now=10_000)
    assert tracker.tracked == 0


@pytest.mark.parametrize(
    "fake",
    [
        "Оlivia",  # Cyrillic O
        "Ol\u200bivia",  # zero-width space
        "OIivia",  # capital I for l
        "0livia",  # zero for O
        "𝐎𝐥𝐢𝐯𝐢𝐚",  # mathematical bold
        "Olívia",  # accent
        "O l i v i a",
        "\u202eOlivia\u202c",  # bidi override
    ],
)
def test_look_alikes_of_a_moderator(fake: str) -> None:
    assert skeleton(fake) == skeleton("Olivia")
    found = find_resemblance(BIG, fake, {7: "Olivia"})
    assert found is not None and found.moderator_id == 7


def test_reasons_and_non_matches() -> None:
    reasons = resemblance("Оliviа", "Olivia")
    assert reasons is not None and any("mixed scripts" in str(r) for r in reasons)
    assert is_mixed_script("Оlivia") and not is_mixed_script("Olivia")
    assert find_resemblance(BIG, "Oliver", {7: "Olivia"}) is None
    assert find_resemblance(7, "Olivia", {7: "Olivia"}) is None  # herself
    assert find_resemblance(BIG, "Al", {7: "Al"}) is None  # too short to mean anything


def one_club(services: object, **moderation: object) -> Any:
    """One club whose moderation keeps just what the handler under test reads."""
    from types import SimpleNamespace

    from bot.core.club import Club, Clubs

    clubs: Clubs[Any] = Clubs()
    features = SimpleNamespace(moderation=SimpleNamespace(**moderation))
    clubs.add(Club(services=cast(Any, services), features=features))
    return clubs


def test_name_watch_runs_only_when_a_name_may_matter() -> None:
    # The look-alike observer is skipped (a dict lookup) for a member whose current name was
    # already checked: nearly every chat message. It runs for a new member, a renamed one,
    # moderators (to keep their names fresh) and member updates.
    from types import SimpleNamespace

    from telegram import Chat, ChatMemberMember, ChatMemberUpdated, Message, Update, User

    from bot.core.permissions import Permissions
    from bot.moderation.handlers import _NameMayMatter

    group = Chat(-100123, Chat.SUPERGROUP)
    moderator = User(BIG + 1, "Olivia", is_bot=False)
    services = SimpleNamespace(
        chats=SimpleNamespace(community_id=group.id),
        permissions=Permissions([moderator.id], []),
    )
    checked: dict[int, str] = {}
    # The moderators' names are due for a refresh (an await): every unchecked name goes on.
    watch = _NameMayMatter(
        one_club(services, checked_names=checked, name_clears_now=lambda user_id, name: False)
    )
    when = datetime(2026, 12, 1, tzinfo=UTC)

    def post(user: User, chat: Chat = group) -> Update:
        return Update(1, message=Message(1, when, chat, from_user=user, text="hi"))

    ada = User(BIG, "Ada", is_bot=False)
    assert watch.check_update(post(ada))
    checked[ada.id] = "Ada"
    assert not watch.check_update(post(ada))
    assert watch.check_update(post(User(BIG, "Ada", is_bot=False, last_name="New")))
    assert not watch.check_update(post(User(BIG + 2, "Eve", is_bot=True)))
    assert not watch.check_update(post(User(BIG + 3, "Eve", False), Chat(-100555, "group")))
    assert watch.check_update(post(moderator))
    joined = ChatMemberUpdated(group, ada, when, ChatMemberMember(ada), ChatMemberMember(ada))
    assert watch.check_update(Update(2, chat_member=joined))


def test_flood_guard_counts_member_posts_and_fires_only_on_a_flood() -> None:
    from types import SimpleNamespace

    from telegram import Chat, Message, Update, User

    from bot.core.permissions import Permissions
    from bot.moderation.flood_guard import FloodGuard

    group = Chat(-100123, Chat.SUPERGROUP)
    when = datetime(2026, 12, 1, tzinfo=UTC)
    moderator = User(BIG + 1, "Olivia", is_bot=False)
    services = SimpleNamespace(
        chats=SimpleNamespace(community_id=group.id),
        permissions=Permissions([moderator.id], []),
        clock=SimpleNamespace(now=lambda: when),
        settings=SimpleNamespace(moderation=SimpleNamespace(flood_mute_minutes=10)),
    )
    guard = FloodGuard(one_club(services, flood=FloodTracker(limit=2, window=10)))

    def post(user: User, chat: Chat = group, **kwargs: object) -> Update:
        return Update(1, message=Message(1, when, chat, from_user=user, **kwargs))

    ada = User(BIG, "Ada", is_bot=False)
    assert guard.check_update(post(ada, text="1")) is None
    assert guard.check_update(post(ada, text="2")) is None
    assert guard.check_update(post(ada, text="3")) == 3  # the third in 10 s: a flood
    for _ in range(5):  # never counted: moderators, bots, service messages, other chats
        assert guard.check_update(post(moderator, text="hi")) is None
        assert guard.check_update(post(User(BIG + 2, "Bot", is_bot=True), text="hi")) is None
        assert (
            guard.check_update(post(User(BIG + 3, "Ben", False), new_chat_members=(ada,))) is None
        )
        assert (
            guard.check_update(post(User(BIG + 4, "Cy", False), Chat(-5, "group"), text="x"))
            is None
        )


def test_flood_guard_counts_messages_when_written_not_when_they_arrive() -> None:
    # After downtime Telegram hands over the backlog at once: what was written calmly is no
    # flood, and a burst older than a flood mute is over (a mute now punishes the outage).
    from types import SimpleNamespace

    from telegram import Chat, Message, Update, User

    from bot.core.permissions import Permissions
    from bot.moderation.flood_guard import FloodGuard

    group = Chat(-100123, Chat.SUPERGROUP)
    back = datetime(2026, 12, 1, 12, tzinfo=UTC)  # the bot is back and reads the backlog
    services = SimpleNamespace(
        chats=SimpleNamespace(community_id=group.id),
        permissions=Permissions([], []),
        clock=SimpleNamespace(now=lambda: back),
        settings=SimpleNamespace(moderation=SimpleNamespace(flood_mute_minutes=10)),
    )
    guard = FloodGuard(one_club(services, flood=FloodTracker(limit=2, window=10)))

    def written(user: User, ago: timedelta) -> Update:
        return Update(1, message=Message(1, back - ago, group, from_user=user, text="hi"))

    ada, ben, cy = (User(BIG + i, name, is_bot=False) for i, name in enumerate("ABC"))
    # Ada wrote one message every 3 minutes in the last 9 minutes: all arrive now.
    assert [guard.check_update(written(ada, timedelta(minutes=m))) for m in (9, 6, 3, 0)] == [
        None
    ] * 4
    # Ben's burst an hour ago is over: not counted.
    burst = [timedelta(hours=1, seconds=-s) for s in range(5)]
    assert [guard.check_update(written(ben, ago)) for ago in burst] == [None] * 5
    # Cy's burst two minutes ago, arriving only now, is still a flood.
    late = [timedelta(minutes=2, seconds=-s) for s in range(3)]
    assert [guard.check_update(written(cy, ago)) for ago in late] == [None, None, 3]


def test_a_new_name_that_clears_at_once_is_noted_without_the_observer() -> None:
    # A member's first message (the bulk of a launch day) with the moderators' names at
    # hand: checked in check_update, noted, and PTB calls no handler. A name that looks like
    # a moderator's still goes on to observe_names, which reports it.
    from types import SimpleNamespace

    from telegram import Chat, Message, Update, User

    from bot.core.permissions import Permissions
    from bot.moderation.handlers import _NameMayMatter

    group = Chat(-100123, Chat.SUPERGROUP)
    services = SimpleNamespace(
        chats=SimpleNamespace(community_id=group.id), permissions=Permissions([BIG + 1], [])
    )
    checked: dict[int, str] = {}
    clears = {"Ada": True, "0livia": False}
    watch = _NameMayMatter(
        one_club(services, checked_names=checked, name_clears_now=lambda _, name: clears[name])
    )
    when = datetime(2026, 12, 1, tzinfo=UTC)

    def post(user: User) -> Update:
        return Update(1, message=Message(1, when, group, from_user=user, text="hi"))

    assert not watch.check_update(post(User(BIG, "Ada", is_bot=False)))
    assert checked == {BIG: "Ada"}
    assert watch.check_update(post(User(BIG + 2, "0livia", is_bot=False)))
    assert BIG + 2 not in checked  # observe_names notes it when it checks


async def test_a_name_clears_at_once_only_with_fresh_moderator_names() -> None:
    from types import SimpleNamespace

    from telegram import User

    from bot.core.permissions import Permissions
    from bot.moderation.impersonation import LookalikeWatch

    now = [1_000_000]
    olivia = User(BIG + 1, "Olivia", is_bot=False)

    async def admins(chat_id: int) -> list[Any]:
        return [SimpleNamespace(user=olivia)]  # what the watch reads of a ChatMember

    services = SimpleNamespace(
        now_ts=lambda: now[0],
        chats=SimpleNamespace(community_id=-100123),
        permissions=Permissions([], []),
        settings=SimpleNamespace(telegram=SimpleNamespace(moderators=[])),
    )
    watch = LookalikeWatch(cast(Any, services), cast(Any, None), cast(Any, None))
    assert not watch.clears_now(BIG, "Ada")  # names never fetched: check_name must fetch
    await watch.moderator_names(cast(Any, SimpleNamespace(get_chat_administrators=admins)))
    assert watch.clears_now(BIG, "Ada")
    assert not watch.clears_now(BIG, "0livia")  # looks like Olivia: check_name reports it
    now[0] += 600
    assert not watch.clears_now(BIG, "Ada")  # stale: refreshed by check_name first


def test_ascii_names_take_the_same_skeleton_as_the_unicode_path() -> None:
    # skeleton() maps ASCII names through a table: it must agree with the general steps
    # for every ASCII character, alone and in pairs (digraphs such as "rn" span two).
    from bot.moderation.lookalike import _DIGRAPHS, _unicode_skeleton

    def general(name: str) -> str:
        kept = _unicode_skeleton(name)
        for pair, single in _DIGRAPHS:
            kept = kept.replace(pair, single)
        return kept

    ascii_chars = [chr(code) for code in range(128)]
    names = ascii_chars + [a + b for a in ascii_chars for b in ascii_chars]
    names += ["Olivia", "0L1V1A", "Ol!v|a (Admin)", "Barn Owl", "vvill", "P1234"]
    assert [skeleton(n) for n in names] == [general(n) for n in names]


def test_only_admins_with_the_ban_right_and_configured_moderators_may_restrict() -> None:
    from telegram import ChatMemberAdministrator, ChatMemberMember, ChatMemberOwner, User

    from bot.core.permissions import Permissions

    def admin(user: User, *, restricts: bool) -> ChatMemberAdministrator:
        rights = dict.fromkeys(
            [
                "can_be_edited",
                "is_anonymous",
                "can_manage_chat",
                "can_delete_messages",
                "can_manage_video_chats",
                "can_promote_members",
                "can_change_info",
                "can_invite_users",
                "can_post_stories",
                "can_edit_stories",
                "can_delete_stories",
            ],
            False,
        )
        return ChatMemberAdministrator(user, can_restrict_members=restricts, **rights)

    configured, al, bea, olivia = (User(BIG + i, n, False) for i, n in enumerate("CABO"))
    permissions = Permissions([configured.id], [])
    permissions.note_member(admin(al, restricts=False))
    permissions.note_member(admin(bea, restricts=True))
    permissions.note_member(ChatMemberOwner(olivia, is_anonymous=False))
    assert all(permissions.is_moderator(u.id) for u in (configured, al, bea, olivia))
    assert [permissions.may_restrict(u.id) for u in (configured, al, bea, olivia)] == [
        True,
        False,
        True,
        True,
    ]
    # A partial demotion keeps the status and takes the right; a full one both.
    permissions.note_member(admin(bea, restricts=False))
    assert permissions.is_moderator(bea.id) and not permissions.may_restrict(bea.id)
    permissions.note_member(ChatMemberMember(olivia))
    assert not permissions.is_moderator(olivia.id) and not permissions.may_restrict(olivia.id)


def test_the_bots_own_log_reasons_are_shown_in_the_readers_language() -> None:
    de, en = translator("de"), translator("en")
    # Each record the bot writes is read back, in either language.
    assert reasons.shown(reasons.flood(9, 10), de) == "9 Nachrichten in 10 Sekunden"
    assert reasons.shown(reasons.flood(9, 10), en) == "9 messages in 10 seconds"
    assert reasons.shown(reasons.warn_limit(3), de) == "3 Verwarnungen"
    club = "Berlin <Bakery>"
    assert (
        reasons.shown(reasons.shared_ban(club), de)
        == "Sperre von Berlin &lt;Bakery&gt; übernommen"
    )
    assert (
        reasons.shown(reasons.shared_unban(club), en) == "shared unban from Berlin &lt;Bakery&gt;"
    )
    # Anything else is not the bot's: shown as written by whoever shows it.
    assert reasons.shown("9 messages in 10s, then more", de) is None
    assert reasons.shown("spam", de) is None
