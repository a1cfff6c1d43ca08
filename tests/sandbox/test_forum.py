"""Forum topics as a real PTB Bot sees them: topics, threads, service messages, errors."""

from __future__ import annotations

import pytest
from telegram import Bot, Update
from telegram.error import BadRequest

from bot.sandbox import Sandbox, SandboxError

ALL = list(Update.ALL_TYPES)


async def _updates(bot: Bot, offset: int = 0) -> list[Update]:
    return list(await bot.get_updates(offset=offset, timeout=0, allowed_updates=ALL))


async def test_topics_need_a_forum_and_the_right(sb: Sandbox, bot: Bot) -> None:
    plain = sb.create_supergroup("Plain", chat_id=-1001)
    sb.make_bot_admin(plain, can_manage_topics=True)
    with pytest.raises(BadRequest, match=r"^The chat is not a forum$"):
        await bot.create_forum_topic(plain.id, "Previews")

    club = sb.create_forum("Club", chat_id=-1002)
    with pytest.raises(BadRequest, match=r"(?i)^not enough rights to create a topic$"):
        await bot.create_forum_topic(club.id, "Previews")
    sb.make_bot_admin(club, can_pin_messages=True)  # an admin, but without Manage Topics
    with pytest.raises(BadRequest, match=r"(?i)not enough rights to create a topic"):
        await bot.create_forum_topic(club.id, "Previews")

    sb.make_bot_admin(club, can_manage_topics=True)
    topic = await bot.create_forum_topic(club.id, "  Previews  ")
    assert topic.name == "Previews"
    assert topic.icon_color == 0x6FB9F0
    created = sb.messages_in(club)[-1]
    assert created.message_id == topic.message_thread_id
    assert created.service == {"forum_topic_created": {"name": "Previews", "icon_color": 7322096}}
    with pytest.raises(BadRequest, match=r"(?i)title must be non-empty"):
        await bot.create_forum_topic(club.id, "   ")
    with pytest.raises(BadRequest, match=r"(?i)invalid icon color"):
        await bot.create_forum_topic(club.id, "Odd", icon_color=0x123456)
    chat = await bot.get_chat(club.id)
    assert chat.is_forum is True
    assert (await bot.get_chat(plain.id)).is_forum is not True


async def test_a_plain_member_bot_may_create_topics_when_the_group_allows_it(
    sb: Sandbox, bot: Bot
) -> None:
    club = sb.create_forum("Club", chat_id=-1002)
    club.permissions["can_manage_topics"] = True
    topic = await bot.create_forum_topic(club.id, "Ideas")
    assert sb.topic_named(club, "Ideas") is not None
    # Closing someone else's topic needs the admin right; its own it may close.
    ada = sb.create_user("Ada")
    sb.add_member(club, ada)
    other = sb.create_topic(ada, club, "Ada's")
    with pytest.raises(BadRequest, match=r"(?i)not enough rights to close or open the topic"):
        await bot.close_forum_topic(club.id, other.thread_id)
    assert await bot.close_forum_topic(club.id, topic.message_thread_id)


async def test_members_write_in_topics_and_the_bot_sees_where(sb: Sandbox, bot: Bot) -> None:
    club = sb.create_forum("Club", chat_id=-1002)
    owner, ada = sb.create_user("Olivia"), sb.create_user("Ada")
    sb.add_member(club, owner, status="creator")
    sb.add_member(club, ada)
    sb.set_bot_can_read_all_messages(True)
    topic = sb.create_topic(owner, club, "Tasting notes")
    in_topic = sb.send_text(ada, club, "The rye is great", topic=topic)
    in_general = sb.send_text(ada, club, "Hello all")
    reply_in_general = sb.send_text(ada, club, "me again", reply_to=in_general)

    updates = await _updates(bot)
    created, said, hello, again = (u.message for u in updates)
    assert created is not None and created.forum_topic_created is not None
    assert created.forum_topic_created.name == "Tasting notes"
    assert created.message_thread_id == topic.thread_id and created.is_topic_message
    assert said is not None and said.message_thread_id == topic.thread_id
    assert said.is_topic_message is True
    # Not a reply, yet it carries the topic's first message as reply_to_message.
    assert said.reply_to_message is not None
    assert said.reply_to_message.message_id == topic.thread_id
    assert said.reply_to_message.forum_topic_created is not None
    assert hello is not None and hello.message_thread_id is None and not hello.is_topic_message
    assert hello.reply_to_message is None
    # A reply in General names its chain's root as thread, but is no topic message.
    assert again is not None and again.message_thread_id == in_general.message_id
    assert not again.is_topic_message
    assert [m.message_id for m in sb.messages_in_topic(club, topic)] == [
        topic.thread_id,
        in_topic.message_id,
    ]
    assert reply_in_general.thread_id is None


async def test_sends_land_in_the_topic_asked_for(sb: Sandbox, bot: Bot) -> None:
    club = sb.create_forum("Club", chat_id=-1002)
    sb.make_bot_admin(club, can_manage_topics=True)
    topic = await bot.create_forum_topic(club.id, "Previews")
    thread = topic.message_thread_id
    sent = await bot.send_message(club.id, "New bake!", message_thread_id=thread)
    assert sent.message_thread_id == thread and sent.is_topic_message
    poll = await bot.send_poll(club.id, "Like it?", ["Yes", "No"], message_thread_id=thread)
    assert poll.message_thread_id == thread
    photo = await bot.send_photo(club.id, b"\x89PNG fake", message_thread_id=thread)
    assert photo.message_thread_id == thread
    copied = await bot.copy_message(club.id, club.id, sent.message_id, message_thread_id=thread)
    assert sb.world.chats[club.id].messages[copied.message_id].thread_id == thread
    general = await bot.send_message(club.id, "In General")
    assert general.message_thread_id is None and not general.is_topic_message
    # A reply goes where the replied message is, without naming the thread.
    answer = await bot.send_message(club.id, "Answer", reply_to_message_id=sent.message_id)
    assert answer.message_thread_id == thread
    ids = [m.message_id for m in sb.messages_in_topic(club, thread)]
    assert ids == [
        thread,
        sent.message_id,
        poll.message_id,
        photo.message_id,
        copied.message_id,
        answer.message_id,
    ]


async def test_missing_and_closed_threads_are_refused(sb: Sandbox, bot: Bot) -> None:
    club = sb.create_forum("Club", chat_id=-1002)
    owner, ada = sb.create_user("Olivia"), sb.create_user("Ada")
    sb.add_member(club, owner, status="creator")
    sb.add_member(club, ada)
    topic = sb.create_topic(owner, club, "Announcements")
    with pytest.raises(BadRequest, match=r"(?i)^message thread not found$"):
        await bot.send_message(club.id, "hi", message_thread_id=999)
    plain = sb.create_supergroup("Plain", chat_id=-1001)
    with pytest.raises(BadRequest, match=r"(?i)message thread not found"):
        await bot.send_message(plain.id, "hi", message_thread_id=999)

    sb.close_topic(owner, club, topic)
    for send in (
        bot.send_message(club.id, "hi", message_thread_id=topic.thread_id),
        bot.send_poll(club.id, "Q?", ["a", "b"], message_thread_id=topic.thread_id),
        bot.send_photo(club.id, b"\x89PNG", message_thread_id=topic.thread_id),
    ):
        with pytest.raises(BadRequest, match=r"^Topic_closed$"):
            await send
    assert not sb.world.polls  # a refused poll leaves nothing behind
    with pytest.raises(SandboxError) as refused:
        sb.send_text(ada, club, "let me in", topic=topic)
    assert refused.value.reason == "topic_closed"
    # An admin with Manage Topics may still write in a closed topic.
    sb.make_bot_admin(club, can_manage_topics=True)
    await bot.send_message(club.id, "Admins only", message_thread_id=topic.thread_id)

    sb.close_general(owner, club)
    sb.make_bot_admin(club, can_pin_messages=True)
    with pytest.raises(BadRequest, match=r"^Topic_closed$"):
        await bot.send_message(club.id, "in General")


async def test_editing_closing_and_deleting_topics(sb: Sandbox, bot: Bot) -> None:
    club = sb.create_forum("Club", chat_id=-1002)
    owner = sb.create_user("Olivia")
    sb.add_member(club, owner, status="creator")
    theirs = sb.create_topic(owner, club, "Owner's")
    with pytest.raises(BadRequest, match=r"(?i)not enough rights to edit the topic"):
        await bot.edit_forum_topic(club.id, theirs.thread_id, name="Mine now")
    with pytest.raises(BadRequest, match=r"(?i)not enough rights to delete the topic"):
        await bot.delete_forum_topic(club.id, theirs.thread_id)
    sb.make_bot_admin(club, can_manage_topics=True, can_delete_messages=True)
    with pytest.raises(BadRequest, match=r"(?i)invalid message thread identifier"):
        await bot.close_forum_topic(club.id, 0)
    with pytest.raises(BadRequest, match=r"^Topic_id_invalid$"):
        await bot.close_forum_topic(club.id, 4242)

    assert await bot.edit_forum_topic(club.id, theirs.thread_id, name="Renamed")
    assert theirs.name == "Renamed"
    with pytest.raises(BadRequest, match=r"^Topic_not_modified$"):
        await bot.edit_forum_topic(club.id, theirs.thread_id, name="Renamed")
    assert await bot.close_forum_topic(club.id, theirs.thread_id)
    with pytest.raises(BadRequest, match=r"^Topic_not_modified$"):
        await bot.close_forum_topic(club.id, theirs.thread_id)
    assert await bot.reopen_forum_topic(club.id, theirs.thread_id)
    services = [m.service for m in sb.messages_in_topic(club, theirs)]
    assert services == [
        {"forum_topic_created": {"name": "Owner's", "icon_color": 7322096}},
        {"forum_topic_edited": {"name": "Renamed"}},
        {"forum_topic_closed": {}},
        {"forum_topic_reopened": {}},
    ]
    assert await bot.delete_forum_topic(club.id, theirs.thread_id)
    assert sb.topics(club) == [] and sb.messages_in_topic(club, theirs) == []
    with pytest.raises(BadRequest, match=r"(?i)message thread not found"):
        await bot.send_message(club.id, "gone?", message_thread_id=theirs.thread_id)


async def test_the_general_topic(sb: Sandbox, bot: Bot) -> None:
    club = sb.create_forum("Club", chat_id=-1002)
    with pytest.raises(BadRequest, match=r"(?i)not enough rights to close or open the topic"):
        await bot.hide_general_forum_topic(club.id)
    sb.make_bot_admin(club, can_manage_topics=True)
    assert await bot.edit_general_forum_topic(club.id, "Lobby")
    assert await bot.hide_general_forum_topic(club.id)
    assert club.general_hidden and club.general_closed  # hiding closes it
    with pytest.raises(BadRequest, match=r"^Topic_not_modified$"):
        await bot.hide_general_forum_topic(club.id)
    assert await bot.unhide_general_forum_topic(club.id)
    assert await bot.reopen_general_forum_topic(club.id)
    assert await bot.close_general_forum_topic(club.id)
    assert await bot.reopen_general_forum_topic(club.id)
    kinds = [next(iter(m.service or {})) for m in sb.messages_in_topic(club, None)]
    assert kinds == [
        "forum_topic_edited",
        "general_forum_topic_hidden",
        "general_forum_topic_unhidden",
        "forum_topic_reopened",
        "forum_topic_closed",
        "forum_topic_reopened",
    ]
    stickers = await bot.get_forum_topic_icon_stickers()
    assert stickers and all(s.custom_emoji_id for s in stickers)
    topic = await bot.create_forum_topic(
        club.id, "With icon", icon_custom_emoji_id=stickers[0].custom_emoji_id
    )
    assert topic.icon_custom_emoji_id == stickers[0].custom_emoji_id


async def test_people_s_topic_actions_reach_the_bot(sb: Sandbox, bot: Bot) -> None:
    club = sb.create_forum("Club", chat_id=-1002)
    owner, ada = sb.create_user("Olivia"), sb.create_user("Ada")
    sb.add_member(club, owner, status="creator")
    sb.add_member(club, ada)
    with pytest.raises(SandboxError) as refused:
        sb.create_topic(ada, club, "Mine")
    assert refused.value.reason == "no_rights"
    topic = sb.create_topic(owner, club, "News")
    sb.rename_topic(owner, club, topic, "Newsroom")
    sb.close_topic(owner, club, topic)
    sb.reopen_topic(owner, club, topic)
    sb.hide_general(owner, club)
    sb.unhide_general(owner, club)
    messages = [u.message for u in await _updates(bot)]
    assert all(m is not None for m in messages)
    assert messages[0] and messages[0].forum_topic_created
    assert messages[1] and messages[1].forum_topic_edited
    assert messages[1].forum_topic_edited.name == "Newsroom"
    assert messages[2] and messages[2].forum_topic_closed is not None
    assert messages[3] and messages[3].forum_topic_reopened is not None
    assert messages[4] and messages[4].general_forum_topic_hidden is not None
    assert messages[4].message_thread_id is None
    assert messages[5] and messages[5].general_forum_topic_unhidden is not None
    with pytest.raises(SandboxError) as refused:
        sb.create_topic(owner, sb.create_supergroup("Plain"), "x")
    assert refused.value.reason == "not_forum"
