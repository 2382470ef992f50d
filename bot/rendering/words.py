"""Words for member-facing texts: real plurals and commands named as mentions.

Re-exported here so a cog finds its text helpers in one place; the plurals live in the domain
(services' messages use them too), the command mentions in :mod:`bot.rendering.command_mentions`.
"""

from __future__ import annotations

from bot.domain.vocabulary import VoteSource
from bot.domain.words import noun, plural, plural_of
from bot.rendering.command_mentions import command_mention, mention_commands

__all__ = [
    "command_mention",
    "mention_commands",
    "noun",
    "plural",
    "plural_of",
    "vote_source_label",
]

#: How a forecast came in, as a member says it (the stored words are internal: "modal").
_SOURCES = {
    VoteSource.AUTHOR: "when posting",
    VoteSource.BUTTON: "button",
    VoteSource.MODAL: "vote form",
    VoteSource.REACTION: "keycap",
    VoteSource.IMPORTED: "imported",
    VoteSource.FORGOTTEN: "withdrawn by forget-me",
}


def vote_source_label(source: str) -> str:
    """``"modal"`` → ``"vote form"``, ``"slash"`` → the /vote mention (or `` `/vote` ``)."""
    if source == VoteSource.SLASH:
        return command_mention("vote")
    try:
        return _SOURCES[VoteSource(source)]
    except ValueError:
        return source
