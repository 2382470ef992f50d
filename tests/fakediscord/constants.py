"""Discord's numeric codes by name (API v10), for the fake and for tests reading what a bot sent.

Every class is an ``IntEnum``: members compare equal to the plain integers on the wire, go out
as plain numbers in JSON, and arithmetic on them (``EPHEMERAL | LOADING``, ``flags & ~LOADING``)
gives plain ints.
"""

from __future__ import annotations

from enum import IntEnum


class InteractionType(IntEnum):
    """The ``type`` of an interaction (INTERACTION_CREATE)."""

    PING = 1
    APPLICATION_COMMAND = 2
    MESSAGE_COMPONENT = 3
    APPLICATION_COMMAND_AUTOCOMPLETE = 4
    MODAL_SUBMIT = 5


class ResponseType(IntEnum):
    """The ``type`` of an interaction response (POST /interactions/{id}/{token}/callback)."""

    PONG = 1
    CHANNEL_MESSAGE_WITH_SOURCE = 4
    DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE = 5  # "thinking…", filled in by the first follow-up
    DEFERRED_UPDATE_MESSAGE = 6  # a component acknowledged, the message edited later (or not)
    UPDATE_MESSAGE = 7  # a component's message edited in place
    APPLICATION_COMMAND_AUTOCOMPLETE_RESULT = 8
    MODAL = 9


class ComponentType(IntEnum):
    ACTION_ROW = 1
    BUTTON = 2
    STRING_SELECT = 3
    TEXT_INPUT = 4
    USER_SELECT = 5
    ROLE_SELECT = 6
    MENTIONABLE_SELECT = 7
    CHANNEL_SELECT = 8
    SECTION = 9
    TEXT_DISPLAY = 10
    THUMBNAIL = 11
    MEDIA_GALLERY = 12
    FILE = 13
    SEPARATOR = 14
    CONTAINER = 17
    LABEL = 18


SELECT_TYPES = frozenset(
    {
        ComponentType.STRING_SELECT,
        ComponentType.USER_SELECT,
        ComponentType.ROLE_SELECT,
        ComponentType.MENTIONABLE_SELECT,
        ComponentType.CHANNEL_SELECT,
    }
)


class ButtonStyle(IntEnum):
    PRIMARY = 1
    SECONDARY = 2
    SUCCESS = 3
    DANGER = 4
    LINK = 5
    PREMIUM = 6


class TextInputStyle(IntEnum):
    SHORT = 1
    PARAGRAPH = 2


class MessageFlag(IntEnum):
    """Single bits of a message's ``flags``."""

    SUPPRESS_EMBEDS = 1 << 2
    EPHEMERAL = 1 << 6
    LOADING = 1 << 7  # a deferred interaction response still "thinking"
    SUPPRESS_NOTIFICATIONS = 1 << 12
    IS_COMPONENTS_V2 = 1 << 15


class CommandType(IntEnum):
    """The ``type`` of an application command."""

    CHAT_INPUT = 1
    USER = 2
    MESSAGE = 3


class OptionType(IntEnum):
    """The ``type`` of an application command option."""

    SUB_COMMAND = 1
    SUB_COMMAND_GROUP = 2
    STRING = 3
    INTEGER = 4
    BOOLEAN = 5
    USER = 6
    CHANNEL = 7
    ROLE = 8
    MENTIONABLE = 9
    NUMBER = 10
    ATTACHMENT = 11


class OverwriteType(IntEnum):
    """Whom a channel's permission overwrite applies to."""

    ROLE = 0
    MEMBER = 1
