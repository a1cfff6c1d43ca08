"""The same contract as a real PTB Bot sees it: exceptions, offsets, long polling, faults."""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.core.clock import FakeClock
from bot.sandbox import Sandbox, SandboxError

ALL = list(Update.ALL_TYPES)


async def test_dm_rules_not_started_blocked_and_join_request_window(
    sb: Sandbox, bot: Bot, clock: FakeClock
) -> None:
    alice, bob = sb.create_user("Alice"), sb.create_user("Bob")
    with pytest.raises(Forbidden, match=r"(?i)bot can't initiate conversation with a user"):
        await bot.send_message(alice.id, "hi")
    sb.start_bot(alice)
    await bot.send_message(alice.id, "hi")
    sb.block_bot(alice)
    with pytest.raises(Forbidden, match=r"(?i)bot was blocked by the user"):
        await bot.send_message(alice.id, "hi")
    sb.unblock_bot(alice)
    await bot.send_message(alice.id, "hi again")

    group = sb.create_supergroup("G", chat_id=-1001)
    sb.make_bot_admin(group, can_invite_users=True)
    link = await bot.create_chat_invite_link(group.id, creates_join_request=True)
    sb.request_join(bob, link.invite_link)
    await bot.send_message(bob.id, "Tell us about yourself")  # allowed: join request window
    clock.advance(5 * 60 + 1)
    with pytest.raises(Forbidden, match=r"(?i)initiate"):
        await bot.send_message(bob.id, "too late")


async def test_join_request_approve_decline_errors(sb: Sandbox, bot: Bot) -> None:
    group = sb.create_supergroup("G", chat_id=-1001)
    bob, carol = sb.create_user("Bob"), sb.create_user("Carol")
    sb.add_member(group, carol)
    with pytest.raises(BadRequest, match=r"(?i)chat_admin_required"):
        await bot.approve_chat_join_request(group.id, bob.id)
    sb.make_bot_admin(group, can_invite_users=True)
    with pytest.raises(BadRequest, match=r"(?i)hide_requester_missing"):
        await bot.approve_chat_join_request(group.id, bob.id)
    with pytest.raises(BadRequest, match=r"(?i)user_already_participant"):
        await bot.decline_chat_join_request(group.id, carol.id)
    link = await bot.create_chat_invite_link(group.id, creates_join_request=True)
    sb.join_via_link(bob, link.invite_link)  # behaves as a join request
    assert [r.user for r in sb.pending_join_requests(group)] == [bob]
    assert await bot.approve_chat_join_request(group.id, bob.id)
    assert sb.member_status(group, bob) == "member"


async def test_invite_link_limits_expiry_revocation(
    sb: Sandbox, bot: Bot, clock: FakeClock
) -> None:
    group = sb.create_supergroup("G", chat_id=-1001)
    sb.make_bot_admin(group, can_invite_users=True)
    a, b, c = (sb.create_user(n) for n in "ABC")
    one = await bot.create_chat_invite_link(group.id, member_limit=1)
    sb.join_via_link(a, one.invite_link)
    with pytest.raises(SandboxError) as err:
        sb.join_via_link(b, one.invite_link)
    assert err.value.reason == "limit_reached"
    expires = clock.now() + timedelta(seconds=60)
    soon = await bot.create_chat_invite_link(group.id, expire_date=expires)
    clock.advance(61)
    with pytest.raises(SandboxError, match=r"(?i)expired"):
        sb.join_via_link(c, soon.invite_link)
    link = await bot.create_chat_invite_link(group.id)
    revoked = await bot.revoke_chat_invite_link(group.id, link.invite_link)
    assert revoked.is_revoked
    with pytest.raises(SandboxError, match=r"(?i)revoked"):
        sb.join_via_link(c, link.invite_link)


async def test_rights_and_admin_targets(sb: Sandbox, bot: Bot) -> None:
    group = sb.create_supergroup("G", chat_id=-1001)
    owner, admin, member = sb.create_user("O"), sb.create_user("A"), sb.create_user("M")
    sb.add_member(group, owner, status="creator")
    sb.add_member(group, admin, status="administrator", can_delete_messages=True)
    sb.add_member(group, member)
    with pytest.raises(BadRequest, match=r"(?i)not enough rights to restrict/unrestrict"):
        await bot.ban_chat_member(group.id, member.id)
    msg = sb.send_text(member, group, "hello")
    with pytest.raises(BadRequest, match=r"(?i)not enough rights to manage pinned messages"):
        await bot.pin_chat_message(group.id, msg.message_id)
    with pytest.raises(BadRequest, match=r"(?i)message can't be deleted"):
        await bot.delete_message(group.id, msg.message_id)
    sb.make_bot_admin(
        group, can_restrict_members=True, can_pin_messages=True, can_delete_messages=True
    )
    with pytest.raises(BadRequest, match=r"(?i)user is an administrator of the chat"):
        await bot.ban_chat_member(group.id, admin.id)
    with pytest.raises(BadRequest, match=r"(?i)can't remove chat owner"):
        await bot.restrict_chat_member(group.id, owner.id, permissions={})  # type: ignore[arg-type]
    assert await bot.pin_chat_message(group.id, msg.message_id)
    assert sb.messages_in(group)[msg.message_id - 1].pinned
    assert await bot.delete_message(group.id, msg.message_id)
    await bot.ban_chat_member(group.id, member.id)
    assert sb.member_status(group, member) == "kicked"
    await bot.unban_chat_member(group.id, member.id, only_if_banned=True)
    assert sb.member_status(group, member) == "left"


async def test_edit_not_modified_and_chat_migrated(sb: Sandbox, bot: Bot) -> None:
    alice = sb.create_user("Alice")
    sb.start_bot(alice)
    kb = InlineKeyboardMarkup([[InlineKeyboardButton("A", callback_data="a")]])
    m = await bot.send_message(alice.id, "hi", reply_markup=kb)
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_text("hi", alice.id, m.message_id, reply_markup=kb)
    await bot.edit_message_text("hello", alice.id, m.message_id)
    assert sb.bot_messages(alice)[-1].edits == ["hi"]
    old = sb.create_group("Old", chat_id=-77, kind="group")
    sb.migrate_group_to_supergroup(old, -10077)
    with pytest.raises(ChatMigrated) as err:
        await bot.send_message(-77, "x")
    assert err.value.new_chat_id == -10077


async def test_offset_semantics(sb: Sandbox, bot: Bot) -> None:
    alice = sb.create_user("Alice")
    sb.start_bot(alice)
    sb.send_text(alice, alice, "two")
    first = await bot.get_updates(allowed_updates=ALL)
    assert len(first) == 2
    again = await bot.get_updates()  # no offset: unconfirmed updates come back
    assert [u.update_id for u in again] == [u.update_id for u in first]
    rest = await bot.get_updates(offset=first[0].update_id + 1)
    assert [u.update_id for u in rest] == [first[1].update_id]
    assert await bot.get_updates(offset=first[1].update_id + 1) == ()
    # confirmed updates are gone for good, even with an old offset
    assert await bot.get_updates(offset=first[0].update_id) == ()
    sb.send_text(alice, alice, "three")
    sb.send_text(alice, alice, "four")
    last = await bot.get_updates(offset=-1)
    assert [u.message.text for u in last if u.message] == ["four"]


async def test_allowed_updates_default_excludes_chat_member(sb: Sandbox, bot: Bot) -> None:
    group = sb.create_supergroup("G", chat_id=-1001)
    sb.make_bot_admin(group, can_invite_users=True)
    await bot.get_updates(offset=-1)
    await bot.get_updates(offset=10**10)
    bob = sb.create_user("Bob")
    adder = sb.create_user("Adder")
    sb.add_member(group, adder)
    sb.add_by(adder, bob, group)
    ups = await bot.get_updates()
    assert not any(u.chat_member for u in ups)
    await bot.get_updates(offset=10**10, allowed_updates=ALL)
    sb.leave(bob, group)
    ups = await bot.get_updates()
    assert any(u.chat_member and u.chat_member.new_chat_member.status == "left" for u in ups)


async def test_long_poll_wakes_on_update(sb: Sandbox, bot: Bot) -> None:
    alice = sb.create_user("Alice")
    loop = asyncio.get_running_loop()
    loop.call_later(0.2, sb.start_bot, alice)
    started = time.monotonic()
    ups = await bot.get_updates(timeout=3, allowed_updates=ALL)
    elapsed = time.monotonic() - started
    assert len(ups) == 1 and ups[0].message.text == "/start"
    assert 0.15 < elapsed < 1.5


async def test_every_update_kind_parses_with_ptb(sb: Sandbox, bot: Bot) -> None:
    await bot.get_updates(allowed_updates=ALL)  # opt in to chat_member & reactions first
    group = sb.create_supergroup("G", chat_id=-1001234567890)
    alice, bob = sb.create_user("Alice", username="alice"), sb.create_user("Bob")
    sb.add_member(group, alice)
    sb.set_bot_can_read_all_messages(True)
    sb.make_bot_admin(group, can_invite_users=True, can_restrict_members=True)
    sb.start_bot(alice, payload="ref")
    msg = sb.send_text(alice, group, "hello")
    sb.send_photo(alice, group, caption="pic")
    sb.send_album(alice, group, n=2, caption="album")
    sb.send_as_chat(sender_chat=group, chat=group, text="anon")
    sb.edit_text(msg, "hello!")
    kb = InlineKeyboardMarkup([[InlineKeyboardButton("A", callback_data="a")]])
    sent = await bot.send_message(group.id, "choose", reply_markup=kb)
    sb.press_button(alice, sb.bot_messages(group)[-1], "a")
    poll = await bot.send_poll(group.id, "Q?", ["x", "y"], is_anonymous=False)
    sb.vote(alice, sb.bot_messages(group)[-1], [1])
    sb.react(alice, msg, ["👍"])
    link = await bot.create_chat_invite_link(group.id, creates_join_request=True)
    sb.request_join(bob, link.invite_link)
    await bot.approve_chat_join_request(group.id, bob.id)
    sb.leave(bob, group)
    sb.block_bot(alice)
    ups = await bot.get_updates(allowed_updates=ALL)
    kinds = {k for u in ups for k in u.to_dict() if k != "update_id"}
    assert {
        "message",
        "edited_message",
        "callback_query",
        "poll",
        "poll_answer",
        "message_reaction",
        "message_reaction_count",
        "chat_join_request",
        "chat_member",
        "my_chat_member",
    } <= kinds
    for u in ups:  # round-trip through PTB and back
        assert Update.de_json(u.to_dict(), bot) == u
    cq = next(u.callback_query for u in ups if u.callback_query)
    assert cq.message.message_id == sent.message_id
    pa = next(u.poll_answer for u in ups if u.poll_answer)
    assert pa.poll_id == poll.poll.id and pa.option_ids == (1,)
    cm = [u.chat_member for u in ups if u.chat_member]
    assert cm[0].via_join_request and cm[0].invite_link.invite_link == link.invite_link
    jr = next(u.chat_join_request for u in ups if u.chat_join_request)
    assert jr.user_chat_id == bob.id
    assert await bot.answer_callback_query(cq.id, text="ok")
    assert sb.callback_answers[-1]["text"] == "ok"
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await bot.answer_callback_query("nope")


async def test_fault_429_window(sb: Sandbox, bot: Bot, clock: FakeClock) -> None:
    alice = sb.create_user("Alice")
    sb.start_bot(alice)
    sb.faults.fail_next("sendMessage", status=429, retry_after=3)
    with pytest.raises(RetryAfter) as err:
        await bot.send_message(alice.id, "1")
    assert err.value.retry_after in (3, 3.0) or err.value.retry_after.total_seconds() == 3
    with pytest.raises(RetryAfter):
        await bot.send_message(alice.id, "2")  # still inside the window
    assert len(sb.rate_violations) == 1 and sb.rate_violations[0].kind == "flood_wait"
    await bot.get_me()  # other methods unaffected
    clock.advance(3)
    await bot.send_message(alice.id, "3")
    assert [m.text for m in sb.bot_messages(alice)] == ["3"]


# Slow set; the faults in use: tests/faults/test_telegram_faults.py
@pytest.mark.slow
async def test_fault_5xx_delay_drop(sb: Sandbox, bot: Bot) -> None:
    sb.faults.fail_next("getMe", status=502, times=2)
    for _ in range(2):
        with pytest.raises(NetworkError, match=r"(?i)Bad Gateway"):
            await bot.get_me()
    await bot.get_me()
    sb.faults.delay_next("getMe", seconds=2.5)
    with pytest.raises(TimedOut):
        await bot.get_me()  # read timeout is 2 s
    sb.faults.drop_next("getMe")
    with pytest.raises(NetworkError):
        await bot.get_me()
    sb.faults.drop_next("getMe")
    sb.faults.clear()
    assert (await bot.get_me()).username == "club_bot"


async def test_webhook_conflict_and_delivery(sb: Sandbox, bot: Bot) -> None:
    import tornado.web

    received: list[tuple[str | None, bytes]] = []

    class Hook(tornado.web.RequestHandler):
        def post(self) -> None:
            received.append(
                (self.request.headers.get("X-Telegram-Bot-Api-Secret-Token"), self.request.body)
            )

    import tornado.netutil

    sockets = tornado.netutil.bind_sockets(0, "127.0.0.1")
    port = sockets[0].getsockname()[1]
    server = tornado.httpserver.HTTPServer(tornado.web.Application([(r"/hook", Hook)]))
    server.add_sockets(sockets)
    try:
        await bot.set_webhook(f"http://127.0.0.1:{port}/hook", secret_token="s3cret")
        with pytest.raises(Exception, match=r"(?i)Conflict: can't use getUpdates"):
            await bot.get_updates()
        alice = sb.create_user("Alice")
        sb.start_bot(alice)
        await sb.wait_for(lambda: len(received) == 1)
        assert received[0][0] == "s3cret" and b"/start" in received[0][1]
        await sb.wait_idle()
        assert (await bot.get_webhook_info()).pending_update_count == 0
        await bot.delete_webhook()
        assert await bot.get_updates() == ()
    finally:
        server.stop()


async def test_wait_idle_and_wait_for_timeout(sb: Sandbox, bot: Bot) -> None:
    alice = sb.create_user("Alice")
    sb.start_bot(alice)
    with pytest.raises(TimeoutError, match=r"(?i)pending updates: 1"):
        await sb.wait_for(lambda: False, timeout=0.1)
    ups = await bot.get_updates()
    await bot.get_updates(offset=ups[-1].update_id + 1)
    await sb.wait_idle(timeout=1.0)


async def test_rate_checker_flags_fast_sends(sb: Sandbox, bot: Bot) -> None:
    alice = sb.create_user("Alice")
    sb.start_bot(alice)
    sb.rate_limits(True)
    for i in range(5):
        await bot.send_message(alice.id, str(i))
    assert any(v.kind == "private_chat" for v in sb.rate_violations)
