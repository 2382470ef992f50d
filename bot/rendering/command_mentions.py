"""Commands named as Discord command mentions (``</predictions list:123>``): clickable, and
always the command's current name in the member's client.

A mention needs the command's id, which only Discord knows: the bot remembers the ids of the
commands it synced, or fetches them at start when it does not sync (each process fetches its
own, so every shard's texts carry mentions). Until then, and for a command Discord does not
know, a name falls back to code (`` `/predictions list` ``), which reads the same.

Texts written before the ids were known, or in a layer that cannot import this one (a
service's error message), name commands as code; :func:`mention_commands` turns every such
name of a known command into a mention where the text is sent. Code that shows options
(`` `/vote prediction:3` ``) is an example of what to type, and stays code.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import discord
from discord import AppCommandOptionType, AppCommandType

_SUB = (AppCommandOptionType.subcommand, AppCommandOptionType.subcommand_group)
_WORD = r"[a-z0-9][a-z0-9_-]*"
#: A command named as code: `` `/name` ``, `` `/group sub` `` (no options: those are examples).
_CODE_NAME = re.compile(rf"`/({_WORD}(?: {_WORD}){{0,2}})`")
#: A command named in plain text (not in a link, a path or a mention): ``/stats``.
_BARE_NAME = re.compile(rf"(?<![\w/<:`.])/({_WORD}(?: {_WORD}){{0,2}})")

#: Qualified name ("predictions tags rename") → the id of its top-level command.
_ids: dict[str, int] = {}


def _paths(prefix: str, options: Iterable[Any]) -> Iterable[str]:
    for option in options:
        if getattr(option, "type", None) in _SUB:
            path = f"{prefix} {option.name}"
            yield path
            yield from _paths(path, getattr(option, "options", ()))


def remember_commands(commands: Iterable[Any]) -> int:
    """Take the ids of synced or fetched commands (``discord.app_commands.AppCommand``);
    replaces what was known. Returns how many names can now be mentioned."""
    found: dict[str, int] = {}
    for command in commands:
        if getattr(command, "type", AppCommandType.chat_input) is not AppCommandType.chat_input:
            continue  # context menus cannot be mentioned
        found[command.name] = int(command.id)
        for path in _paths(command.name, getattr(command, "options", ())):
            found[path] = int(command.id)
    _ids.clear()
    _ids.update(found)
    return len(found)


def forget_commands() -> None:
    """Back to plain names (tests; a process that lost its commands)."""
    _ids.clear()


def known_commands() -> frozenset[str]:
    return frozenset(_ids)


def command_mention(name: str) -> str:
    """``"predictions list"`` → ``</predictions list:ID>``, or `` `/predictions list` `` while
    the id is not known. ``name`` may start with "/"."""
    path = " ".join(name.removeprefix("/").split())
    command_id = _ids.get(path)
    return f"</{path}:{command_id}>" if command_id is not None else f"`/{path}`"


def _longest_known(words: str) -> str | None:
    parts = words.split(" ")
    for size in range(len(parts), 0, -1):
        candidate = " ".join(parts[:size])
        if candidate in _ids:
            return candidate
    return None


def mention_commands(text: str) -> str:
    """Every command this text names as `` `/name` `` or a bare ``/name`` becomes a mention,
    when its id is known; everything else is left as it was."""
    if not _ids or "/" not in text:
        return text

    def code(match: re.Match[str]) -> str:
        path = match[1]
        return command_mention(path) if path in _ids else match[0]

    def bare(match: re.Match[str]) -> str:
        path = _longest_known(match[1])
        if path is None:
            return match[0]
        return command_mention(path) + match[1][len(path) :]

    # Inside a fenced code block a mention would show raw: those parts stay as written.
    parts = text.split("```")
    for index in range(0, len(parts), 2):
        parts[index] = _BARE_NAME.sub(bare, _CODE_NAME.sub(code, parts[index]))
    return "```".join(parts)


def mention_commands_in_embed(embed: discord.Embed) -> discord.Embed:
    """:func:`mention_commands` where Discord renders mentions in an embed: its description
    and field values (a title, field name or footer shows them raw, so those stay as written).
    Changes ``embed`` in place and returns it."""
    if not _ids:
        return embed
    if embed.description:
        embed.description = mention_commands(embed.description)
    for index, entry in enumerate(embed.fields):
        if entry.value and "/" in entry.value:
            embed.set_field_at(
                index, name=entry.name, value=mention_commands(entry.value), inline=entry.inline
            )
    return embed
