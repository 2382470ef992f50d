"""Application command validation: the rules Discord applies to a bulk overwrite (PUT)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from .constants import CommandType, OptionType
from .errors import PathPart, Problem
from .ids import new_id
from .limits import length_between, max_length

Path = tuple[PathPart, ...]

CHAT_INPUT, USER, MESSAGE = CommandType.CHAT_INPUT, CommandType.USER, CommandType.MESSAGE
SUB_COMMAND, SUB_COMMAND_GROUP = OptionType.SUB_COMMAND, OptionType.SUB_COMMAND_GROUP
NAME_RE = re.compile(r"^[-_\w]{1,32}$")
MAX_OPTIONS = 25
MAX_CHOICES = 25
MAX_COMMANDS = {CHAT_INPUT: 100, USER: 15, MESSAGE: 15}
MAX_TOTAL_CHARS = 8000


def _chat_name(path: Path, name: Any) -> list[Problem]:
    if not isinstance(name, str) or not NAME_RE.match(name) or name != name.lower():
        return [
            (
                (*path, "name"),
                "APPLICATION_COMMAND_INVALID_NAME",
                f"Command name is invalid: {name!r} (1-32 lowercase letters, digits, - or _)",
            )
        ]
    return []


def _unique(path: Path, items: Sequence[Mapping[str, Any]]) -> list[Problem]:
    names = [i.get("name") for i in items]
    if len(names) != len(set(names)):
        return [
            (path, "APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS", "Option names must be unique")
        ]
    return []


def _choices(path: Path, option: Mapping[str, Any]) -> list[Problem]:
    choices = option.get("choices") or []
    problems: list[Problem] = []
    if len(choices) > MAX_CHOICES:
        problems.append(
            (
                (*path, "choices"),
                "BASE_TYPE_MAX_LENGTH",
                f"Must be {MAX_CHOICES} or fewer in length.",
            )
        )
    if choices and option.get("autocomplete"):
        problems.append(
            (
                (*path, "autocomplete"),
                "APPLICATION_COMMAND_OPTION_CHOICES_AUTOCOMPLETE",
                "Autocomplete cannot be set with choices",
            )
        )
    for i, choice in enumerate(choices):
        problems += length_between((*path, "choices", i, "name"), choice.get("name"), 1, 100)
        problems += max_length((*path, "choices", i, "value"), choice.get("value"), 100)
    return problems


def check_options(path: Path, options: Sequence[Mapping[str, Any]], *, depth: int) -> list[Problem]:
    """Options of a command (depth 0), a group (1) or a subcommand (2)."""
    problems: list[Problem] = []
    if len(options) > MAX_OPTIONS:
        problems.append(
            (
                (*path, "options"),
                "BASE_TYPE_MAX_LENGTH",
                f"Must be {MAX_OPTIONS} or fewer in length.",
            )
        )
    problems += _unique((*path, "options"), options)
    kinds = [o.get("type") for o in options]
    nested = [k in (SUB_COMMAND, SUB_COMMAND_GROUP) for k in kinds]
    if any(nested) and not all(nested):
        problems.append(
            (
                (*path, "options"),
                "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID",
                "Subcommands cannot be mixed with other options",
            )
        )
    seen_optional = False
    for i, option in enumerate(options):
        at = (*path, "options", i)
        problems += _chat_name(at, option.get("name"))
        problems += length_between((*at, "description"), option.get("description"), 1, 100)
        kind = option.get("type")
        if kind == SUB_COMMAND_GROUP and depth != 0:
            problems.append(
                (
                    (*at, "type"),
                    "APPLICATION_COMMAND_OPTION_TYPE_INVALID",
                    "Groups may only be top-level options",
                )
            )
        if kind == SUB_COMMAND and depth > 1:
            problems.append(
                (
                    (*at, "type"),
                    "APPLICATION_COMMAND_OPTION_TYPE_INVALID",
                    "Subcommands cannot nest",
                )
            )
        if kind == SUB_COMMAND_GROUP:
            children = option.get("options") or []
            if any(c.get("type") != SUB_COMMAND for c in children):
                problems.append(
                    (
                        (*at, "options"),
                        "APPLICATION_COMMAND_OPTION_TYPE_INVALID",
                        "Groups only contain subcommands",
                    )
                )
            problems += check_options(at, children, depth=1)
        elif kind == SUB_COMMAND:
            problems += check_options(at, option.get("options") or [], depth=2)
        else:
            if option.get("required"):
                if seen_optional:
                    problems.append(
                        (
                            (*at, "required"),
                            "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
                            "Required options must be placed before non-required options",
                        )
                    )
            else:
                seen_optional = True
            problems += _choices(at, option)
    return problems


def _chars(node: Mapping[str, Any]) -> int:
    total = len(node.get("name") or "") + len(node.get("description") or "")
    total += sum(
        len(str(c.get("name", ""))) + len(str(c.get("value", "")))
        for c in node.get("choices") or []
    )
    return total + sum(_chars(o) for o in node.get("options") or [])


def check_command(index: int, command: Mapping[str, Any]) -> list[Problem]:
    path: Path = (index,)
    kind = command.get("type", CHAT_INPUT)
    if kind == CHAT_INPUT:
        problems = _chat_name(path, command.get("name"))
        problems += length_between((*path, "description"), command.get("description"), 1, 100)
        problems += check_options(path, command.get("options") or [], depth=0)
        if _chars(command) > MAX_TOTAL_CHARS:
            problems.append(
                (
                    path,
                    "APPLICATION_COMMAND_TOO_LARGE",
                    f"Command exceeds maximum size ({MAX_TOTAL_CHARS})",
                )
            )
        return problems
    if kind in (USER, MESSAGE):
        problems = length_between((*path, "name"), command.get("name"), 1, 32)
        if command.get("description"):
            problems.append(
                (
                    (*path, "description"),
                    "APPLICATION_COMMAND_CONTEXT_MENU_DESCRIPTION",
                    "Context menu commands cannot have a description",
                )
            )
        if command.get("options"):
            problems.append(
                (
                    (*path, "options"),
                    "APPLICATION_COMMAND_CONTEXT_MENU_OPTIONS",
                    "Context menu commands cannot have options",
                )
            )
        return problems
    return [((*path, "type"), "BASE_TYPE_CHOICES", f"Unknown command type {kind!r}")]


def check_commands(commands: Any) -> list[Problem]:
    """Every rule of a bulk overwrite, including unique (name, type) and per-type counts."""
    if not isinstance(commands, list):
        return [((), "BASE_TYPE_ARRAY", "Must be an array")]
    problems: list[Problem] = []
    for i, command in enumerate(commands):
        problems += check_command(i, command)
    keys = [(c.get("type", CHAT_INPUT), c.get("name")) for c in commands]
    for i, key in enumerate(keys):
        if key in keys[:i]:
            problems.append(
                (
                    (i, "name"),
                    "APPLICATION_COMMANDS_DUPLICATE_NAME",
                    f"Application command names must be unique: {key[1]!r}",
                )
            )
    for kind, limit in MAX_COMMANDS.items():
        if sum(1 for k, _ in keys if k == kind) > limit:
            problems.append(
                ((), "BASE_TYPE_MAX_LENGTH", f"At most {limit} commands of type {kind}")
            )
    return problems


def stored_command(
    command: Mapping[str, Any], *, id: str, application_id: str, guild_id: str | None
) -> dict[str, Any]:
    """A command as Discord returns it: ids, a version, defaults filled in, permissions as str."""
    kind = int(command.get("type", CHAT_INPUT))
    permissions = command.get("default_member_permissions")
    data: dict[str, Any] = {
        "id": id,
        "application_id": application_id,
        "version": new_id(),
        "type": kind,
        "name": command["name"],
        "description": command.get("description") or "",
        "default_member_permissions": None if permissions is None else str(permissions),
        "dm_permission": command.get("dm_permission", True),
        "nsfw": command.get("nsfw", False),
        "contexts": command.get("contexts"),
        "integration_types": command.get("integration_types", [0]),
    }
    if kind == CHAT_INPUT:
        data["options"] = list(command.get("options") or [])
    if guild_id is not None:
        data["guild_id"] = guild_id
    return data
