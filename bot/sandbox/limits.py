"""The numbers the sandbox enforces, each with where it comes from.

Kept in one module so a test failure like "message is too long" can be traced to one
line, and so nothing at run time has to read the Bot API spec: the values below were
copied from the Bot API 10.1 spec (api.json, method/field descriptions) while writing
the sandbox, or from Telegram's published bot FAQ where the spec is silent.
"""

from __future__ import annotations

# sendMessage.text: "1-4096 characters after entities parsing"
MAX_TEXT_LEN = 4096
# sendPhoto/sendDocument/sendVideo/copyMessage caption: "0-1024 characters after entities parsing"
MAX_CAPTION_LEN = 1024
# InlineKeyboardButton.callback_data: "Data to be sent in a callback query ..., 1-64 bytes"
MIN_CALLBACK_DATA_BYTES = 1
MAX_CALLBACK_DATA_BYTES = 64
# sendMediaGroup.media: "must include 2-10 items"
MIN_MEDIA_GROUP = 2
MAX_MEDIA_GROUP = 10
# copyMessages/forwardMessages message_ids: "1-100 identifiers"
MAX_COPY_MESSAGES = 100
# sendPoll.question: "Poll question, 1-300 characters"
MAX_POLL_QUESTION = 300
# sendPoll.options: the 10.1 spec says "1-12 answer options"; older versions (and the
# Telegram apps) require at least 2. We follow the brief and the long-standing behaviour
# (2-12), because a one-option poll is a bug in our bot either way.
MIN_POLL_OPTIONS = 2
MAX_POLL_OPTIONS = 12
# InputPollOption.text: "Option text, 1-100 characters"
MAX_POLL_OPTION_LEN = 100
# sendPoll.open_period / close_date: "5-2628000" seconds
MIN_POLL_OPEN_PERIOD = 5
MAX_POLL_OPEN_PERIOD = 2_628_000
# answerCallbackQuery.text: "0-200 characters"
MAX_CALLBACK_ANSWER_LEN = 200
# Telegram answers "query is too old" for callback queries answered after ~15 minutes
# (widely observed; not in the spec). Measured on the sandbox clock.
CALLBACK_QUERY_TTL_SECONDS = 15 * 60
# createChatInviteLink.name: "Invite link name; 0-32 characters"
MAX_INVITE_LINK_NAME = 32
# createChatInviteLink.member_limit: "1-99999"
MIN_MEMBER_LIMIT = 1
MAX_MEMBER_LIMIT = 99_999
# ChatJoinRequest.user_chat_id: "The bot can use this identifier for 5 minutes to send
# messages until the join request is processed, assuming no other administrator contacted
# the user."
JOIN_REQUEST_DM_WINDOW_SECONDS = 5 * 60
# getUpdates.limit: "Values between 1-100 are accepted. Defaults to 100."
MAX_UPDATES_LIMIT = 100
# setMyCommands.commands: "At most 100 commands can be specified."
MAX_BOT_COMMANDS = 100
# banChatMember/restrictChatMember until_date: "more than 366 days or less than 30 seconds
# from the current time they are considered to be banned/restricted forever"
FOREVER_MIN_SECONDS = 30
FOREVER_MAX_SECONDS = 366 * 24 * 3600
# setWebhook.secret_token: "1-256 characters. Only characters A-Z, a-z, 0-9, _ and -"
MAX_SECRET_TOKEN_LEN = 256

# Broadcast limits, from Telegram's bot FAQ ("My bot is hitting limits, how do I avoid
# this?"): avoid more than one message per second in a single chat (short bursts are
# tolerated), no more than 20 messages per minute to the same group, and about 30
# messages per second in bulk. Only used by the opt-in rate checker (Sandbox.rate_limits).
GLOBAL_MSGS_PER_SECOND = 30
PRIVATE_CHAT_MSGS_PER_SECOND = 1
# Short bursts in one private chat are tolerated; how many is unspecified. We allow 3
# messages within one second before flagging, so "reply + follow-up" flows don't trip.
PRIVATE_CHAT_BURST = 3
GROUP_MSGS_PER_MINUTE = 20

# Default allowed_updates: "Specify an empty list to receive all update types except
# chat_member, message_reaction, and message_reaction_count (default)."
OPT_IN_UPDATE_TYPES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
ALL_UPDATE_TYPES = frozenset(
    {
        "message",
        "edited_message",
        "channel_post",
        "edited_channel_post",
        "business_connection",
        "business_message",
        "edited_business_message",
        "deleted_business_messages",
        "message_reaction",
        "message_reaction_count",
        "inline_query",
        "chosen_inline_result",
        "callback_query",
        "shipping_query",
        "pre_checkout_query",
        "purchased_paid_media",
        "poll",
        "poll_answer",
        "my_chat_member",
        "chat_member",
        "chat_join_request",
        "chat_boost",
        "removed_chat_boost",
    }
)

# User ids: the Bot API notes that ids "may have more than 32 significant bits", so the
# sandbox hands out ids above 2**32 by default to catch code that stores them in int32.
FIRST_AUTO_USER_ID = 2**32 + 1000
FIRST_UPDATE_ID = 700_000_001
