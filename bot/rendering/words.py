"""Words for member-facing texts: real plurals and commands named as mentions.

Re-exported here so a cog finds its text helpers in one place; the plurals live in the domain
(services' messages use them too), the command mentions in :mod:`bot.rendering.command_mentions`.
"""

from __future__ import annotations

from bot.domain.words import noun, plural, plural_of
from bot.rendering.command_mentions import command_mention, mention_commands

__all__ = ["command_mention", "mention_commands", "noun", "plural", "plural_of"]
