"""Errors: what the Bot API answers (ApiError) and what the driver refuses (SandboxError).

The wording of each ApiError mirrors what the real Bot API server sends, because the bot
(and PTB's exception mapping: BadRequest, Forbidden, ChatMigrated, RetryAfter) keys off
the status code and sometimes the text. Where the real text is not documented, the
comment next to the constant says it is an assumption.
"""

from __future__ import annotations

from typing import Any


class SandboxError(Exception):
    """A driver action that cannot happen in Telegram (e.g. joining through a revoked link).

    ``reason`` is a short machine-friendly word ("expired", "limit_reached", "revoked",
    "no_such_button", ...), so tests can assert on it without parsing messages.
    """

    def __init__(self, reason: str, message: str | None = None) -> None:
        super().__init__(message or reason)
        self.reason = reason


class ApiError(Exception):
    """An unsuccessful Bot API answer: {"ok": false, "error_code", "description", ...}."""

    def __init__(
        self, code: int, description: str, parameters: dict[str, Any] | None = None
    ) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters

    def body(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "ok": False,
            "error_code": self.code,
            "description": self.description,
        }
        if self.parameters:
            out["parameters"] = self.parameters
        return out


def bad_request(text: str, parameters: dict[str, Any] | None = None) -> ApiError:
    return ApiError(400, f"Bad Request: {text}", parameters)


def forbidden(text: str) -> ApiError:
    return ApiError(403, f"Forbidden: {text}")


# --- the exact texts, in one place -------------------------------------------------------
UNAUTHORIZED = ApiError(401, "Unauthorized")
NOT_FOUND = ApiError(404, "Not Found")
CHAT_NOT_FOUND = "chat not found"
USER_NOT_FOUND = "user not found"
# The real server checks chat_id/text/user_id itself with these wordings; for other
# required parameters it says 'parameter "X" is required' (telegram-bot-api Client.cpp).
MISSING_PARAM_TEXT = {
    "chat_id": "chat_id is empty",
    "text": "message text is empty",
    "user_id": "invalid user_id specified",
    "message_id": "message identifier is not specified",
    "callback_query_id": "query_id is empty",
}
TEXT_TOO_LONG = "message is too long"
CAPTION_TOO_LONG = "message caption is too long"
BUTTON_DATA_INVALID = "BUTTON_DATA_INVALID"
NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)
MESSAGE_TO_EDIT_NOT_FOUND = "message to edit not found"
MESSAGE_TO_DELETE_NOT_FOUND = "message to delete not found"
MESSAGE_CANT_BE_DELETED = "message can't be deleted"
MESSAGE_TO_REPLY_NOT_FOUND = "message to be replied not found"
MESSAGE_TO_PIN_NOT_FOUND = "message to pin not found"
MESSAGE_TO_COPY_NOT_FOUND = "message to copy not found"
MESSAGE_TO_FORWARD_NOT_FOUND = "message to forward not found"
# tdlib/telegram-bot-api#897 quotes the server answering "the message can't be forwarded";
# for protected content the same 400 is used (assumption: same text for copy).
MESSAGE_CANT_BE_FORWARDED = "the message can't be forwarded"
MESSAGE_CANT_BE_COPIED = "the message can't be copied"
# Rights errors as bots report them in the wild ("not enough rights to restrict/unrestrict
# chat member", "not enough rights to manage pinned messages in the chat"); for invite
# links the server answers with the MTProto code CHAT_ADMIN_REQUIRED.
RIGHTS_RESTRICT = "not enough rights to restrict/unrestrict chat member"
RIGHTS_PIN = "not enough rights to manage pinned messages in the chat"
RIGHTS_INVITE = "not enough rights to manage chat invite link"
CHAT_ADMIN_REQUIRED = "CHAT_ADMIN_REQUIRED"
RIGHTS_PROMOTE = "not enough rights"
USER_IS_ADMIN = "user is an administrator of the chat"
CANT_REMOVE_OWNER = "can't remove chat owner"
CANT_RESTRICT_SELF = "can't restrict self"
HIDE_REQUESTER_MISSING = "HIDE_REQUESTER_MISSING"
USER_ALREADY_PARTICIPANT = "USER_ALREADY_PARTICIPANT"
# Assumption: Telegram rejects member_limit together with creates_join_request; the MTProto
# error surfaced by the Bot API is not documented. We use a descriptive text.
MEMBER_LIMIT_WITH_JOIN_REQUEST = "can't use member_limit together with creates_join_request"
MEMBER_LIMIT_INVALID = "member limit must be between 1 and 99999"  # assumption (wording)
INVITE_LINK_NAME_TOO_LONG = "invite link name is too long"  # assumption (wording)
INVITE_HASH_EXPIRED = "INVITE_HASH_EXPIRED"
INVITE_LINK_NOT_FOUND = "invite link must be non-empty"  # assumption (wording)
QUERY_TOO_OLD = "query is too old and response timeout expired or query ID is invalid"
POLL_OPTIONS_COUNT = "poll must have at least 2 option"
POLL_TOO_MANY_OPTIONS = "poll can't have more than 12 options"
POLL_QUESTION_INVALID = "poll question length must be between 1 and 300"  # assumption
POLL_OPTION_INVALID = "poll options length must not exceed 100"  # assumption
POLL_ALREADY_CLOSED = "poll has already been closed"
MESSAGE_WITH_POLL_NOT_FOUND = "message with poll to stop not found"
MEDIA_GROUP_COUNT = "media group must contain 2-10 items"  # assumption (wording)
GROUP_UPGRADED = "group chat was upgraded to a supergroup chat"
CANT_INITIATE = "bot can't initiate conversation with a user"
BOT_BLOCKED = "bot was blocked by the user"
BOT_KICKED_GROUP = "bot was kicked from the supergroup chat"
BOT_NOT_MEMBER = "bot is not a member of the supergroup chat"
# Forum topics. TOPIC_CLOSED and "message thread not found" are what bots get in the wild
# (Matt0550/TagEveryoneTelegramBot#26, tdlib/telegram-bot-api#472). The rest are tdlib's
# ForumTopicManager texts, which the Bot API server passes on with the first letter lowered
# ("Bad Request: not enough rights to create a topic", "... the chat is not a forum", as
# bots quote them), or MTProto codes passed on as they are (TOPIC_ID_INVALID,
# TOPIC_NOT_MODIFIED, quoted by bots handling deleted topics and no-op edits).
TOPIC_CLOSED = "TOPIC_CLOSED"
THREAD_NOT_FOUND = "message thread not found"
NOT_A_FORUM = "the chat is not a forum"
RIGHTS_CREATE_TOPIC = "not enough rights to create a topic"
RIGHTS_EDIT_TOPIC = "not enough rights to edit the topic"
RIGHTS_CLOSE_TOPIC = "not enough rights to close or open the topic"
RIGHTS_DELETE_TOPIC = "not enough rights to delete the topic"
THREAD_ID_INVALID = "invalid message thread identifier specified"
TOPIC_ID_INVALID = "TOPIC_ID_INVALID"
TOPIC_NOT_MODIFIED = "TOPIC_NOT_MODIFIED"
TOPIC_TITLE_EMPTY = "title must be non-empty"
# tdlib checks only 0..0xFFFFFF ("invalid icon color specified"); the spec allows six values,
# so the sandbox refuses the others with the same text (assumption).
ICON_COLOR_INVALID = "invalid icon color specified"
WEBHOOK_ACTIVE = (
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)
TERMINATED_BY_OTHER = (
    "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running"
)


def missing(param: str) -> ApiError:
    return bad_request(MISSING_PARAM_TEXT.get(param, f'parameter "{param}" is required'))
