"""Interaction and application-command option payloads (re-exported by ``payloads``)."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .constants import CommandType, ComponentType, InteractionType, OptionType
from .ids import ATTACHMENT_SIZE_LIMIT, JSON, new_id, new_token

# --- application command options -------------------------------------------------------------

STRING, INTEGER, BOOLEAN = OptionType.STRING, OptionType.INTEGER, OptionType.BOOLEAN
USER, CHANNEL, ROLE = OptionType.USER, OptionType.CHANNEL, OptionType.ROLE
MENTIONABLE, NUMBER, ATTACHMENT = OptionType.MENTIONABLE, OptionType.NUMBER, OptionType.ATTACHMENT


def option(name: str, value: Any, *, type: int | None = None, focused: bool = False) -> JSON:
    """A leaf option as received; the type is inferred from the value unless given.

    Ids (users, channels, roles, attachments) need an explicit ``type`` and a ``resolved`` entry.
    """
    if type is None:
        if isinstance(value, bool):
            type = BOOLEAN
        elif isinstance(value, int):
            type = INTEGER
        elif isinstance(value, float):
            type = NUMBER
        else:
            type = STRING
    data: JSON = {"name": name, "type": type, "value": value}
    if focused:
        data["focused"] = True
    return data


def subcommand(name: str, *options: Mapping[str, Any]) -> JSON:
    return {"name": name, "type": OptionType.SUB_COMMAND, "options": [dict(o) for o in options]}


def subcommand_group(name: str, *subcommands: Mapping[str, Any]) -> JSON:
    return {
        "name": name,
        "type": OptionType.SUB_COMMAND_GROUP,
        "options": [dict(s) for s in subcommands],
    }


def resolved(
    *,
    users: Iterable[Mapping[str, Any]] = (),
    members: Iterable[Mapping[str, Any]] = (),
    roles: Iterable[Mapping[str, Any]] = (),
    channels: Iterable[Mapping[str, Any]] = (),
    messages: Iterable[Mapping[str, Any]] = (),
    attachments: Iterable[Mapping[str, Any]] = (),
) -> JSON:
    """The ``resolved`` map; members are given with their user and stored without it."""
    data: JSON = {}
    member_list = list(members)
    user_list = [dict(u) for u in users] + [dict(m["user"]) for m in member_list if "user" in m]
    if user_list:
        data["users"] = {u["id"]: u for u in user_list}
    if member_list:
        data["members"] = {
            m["user"]["id"]: {k: v for k, v in m.items() if k != "user"} for m in member_list
        }
    for key, items in (
        ("roles", roles),
        ("channels", channels),
        ("messages", messages),
        ("attachments", attachments),
    ):
        as_list = [dict(i) for i in items]
        if as_list:
            data[key] = {i["id"]: i for i in as_list}
    return data


# --- interactions -----------------------------------------------------------------------------


@dataclass(frozen=True)
class InteractionContext:
    """Who interacts, where: a guild member in a guild channel, or a user in a DM."""

    application_id: str
    channel: Mapping[str, Any]
    guild_id: str | None = None
    member: Mapping[str, Any] | None = None
    user: Mapping[str, Any] | None = None
    app_permissions: str = "0"
    locale: str = "en-US"


def interaction(
    ctx: InteractionContext,
    type: int,
    data: Mapping[str, Any] | None = None,
    *,
    message: Mapping[str, Any] | None = None,
) -> JSON:
    """The INTERACTION_CREATE envelope; discord.py needs ``attachment_size_limit``."""
    channel = dict(ctx.channel)
    payload: JSON = {
        "id": new_id(),
        "application_id": ctx.application_id,
        "type": type,
        "token": new_token(),
        "version": 1,
        "channel_id": channel["id"],
        "channel": channel,
        "app_permissions": ctx.app_permissions,
        "locale": ctx.locale,
        "entitlements": [],
        "attachment_size_limit": ATTACHMENT_SIZE_LIMIT,
        "context": 0 if ctx.guild_id else 1,
    }
    if data is not None:
        payload["data"] = dict(data)
    if ctx.guild_id is not None:
        payload["guild_id"] = ctx.guild_id
        payload["guild"] = {"id": ctx.guild_id, "locale": "en-US", "features": []}
        payload["guild_locale"] = "en-US"
        payload["authorizing_integration_owners"] = {"0": ctx.guild_id}
        if ctx.member is None:
            raise ValueError("a guild interaction needs a member (with permissions)")
        payload["member"] = dict(ctx.member)
    else:
        if ctx.user is None:
            raise ValueError("a DM interaction needs a user")
        payload["user"] = dict(ctx.user)
        payload["authorizing_integration_owners"] = {"0": "0"}
    if message is not None:
        payload["message"] = dict(message)
    return payload


def slash_command_interaction(
    ctx: InteractionContext,
    *,
    command_id: str,
    name: str,
    options: Sequence[Mapping[str, Any]] = (),
    command_guild_id: str | None = None,
    resolved_data: Mapping[str, Any] | None = None,
    autocomplete: bool = False,
) -> JSON:
    """A chat-input command interaction, or its autocomplete request when ``autocomplete``."""
    data: JSON = {
        "id": command_id,
        "name": name,
        "type": CommandType.CHAT_INPUT,
        "options": [dict(o) for o in options],
    }
    if command_guild_id is not None:
        data["guild_id"] = command_guild_id
    if resolved_data:
        data["resolved"] = dict(resolved_data)
    kind = (
        InteractionType.APPLICATION_COMMAND_AUTOCOMPLETE
        if autocomplete
        else InteractionType.APPLICATION_COMMAND
    )
    return interaction(ctx, kind, data)


def autocomplete_interaction(
    ctx: InteractionContext,
    *,
    command_id: str,
    name: str,
    options: Sequence[Mapping[str, Any]],
    command_guild_id: str | None = None,
) -> JSON:
    """An autocomplete request: one option among ``options`` has ``focused``."""
    return slash_command_interaction(
        ctx,
        command_id=command_id,
        name=name,
        options=options,
        command_guild_id=command_guild_id,
        autocomplete=True,
    )


def message_command_interaction(
    ctx: InteractionContext,
    *,
    command_id: str,
    name: str,
    target: Mapping[str, Any],
    command_guild_id: str | None = None,
) -> JSON:
    """A message context-menu command; the target travels in ``resolved.messages``."""
    data: JSON = {
        "id": command_id,
        "name": name,
        "type": CommandType.MESSAGE,
        "target_id": target["id"],
        "resolved": resolved(messages=[target]),
    }
    if command_guild_id is not None:
        data["guild_id"] = command_guild_id
    return interaction(ctx, InteractionType.APPLICATION_COMMAND, data)


def user_command_interaction(
    ctx: InteractionContext,
    *,
    command_id: str,
    name: str,
    target: Mapping[str, Any],
    command_guild_id: str | None = None,
) -> JSON:
    """A user context-menu command; ``target`` is a member (with user) or a bare user."""
    if "user" in target:
        data_resolved, target_id = resolved(members=[target]), target["user"]["id"]
    else:
        data_resolved, target_id = resolved(users=[target]), target["id"]
    data: JSON = {
        "id": command_id,
        "name": name,
        "type": CommandType.USER,
        "target_id": target_id,
        "resolved": data_resolved,
    }
    if command_guild_id is not None:
        data["guild_id"] = command_guild_id
    return interaction(ctx, InteractionType.APPLICATION_COMMAND, data)


def component_interaction(
    ctx: InteractionContext,
    *,
    message: Mapping[str, Any],
    custom_id: str,
    component_type: int = ComponentType.BUTTON,
    values: Sequence[str] | None = None,
) -> JSON:
    """A button or select click on ``message``; selects carry ``values``."""
    data: JSON = {"custom_id": custom_id, "component_type": component_type}
    if component_type != ComponentType.BUTTON:
        data["values"] = list(values or [])
    return interaction(ctx, InteractionType.MESSAGE_COMPONENT, data, message=message)


def modal_submit_interaction(
    ctx: InteractionContext,
    *,
    custom_id: str,
    values: Mapping[str, str],
    legacy_rows: Collection[str] = (),
    message: Mapping[str, Any] | None = None,
) -> JSON:
    """A modal submit, as discord.py 2.7 parses it.

    Each text input comes back wrapped the way the modal sent it: in a Label (``component``)
    or, for the ids in ``legacy_rows``, in an ActionRow (``components``).
    """
    components: list[JSON] = []
    for index, (input_id, value) in enumerate(values.items()):
        text_input = {
            "type": ComponentType.TEXT_INPUT,
            "id": index * 2 + 2,
            "custom_id": input_id,
            "value": value,
        }
        row_id = index * 2 + 1
        if input_id in legacy_rows:
            row = {"type": ComponentType.ACTION_ROW, "id": row_id, "components": [text_input]}
        else:
            row = {"type": ComponentType.LABEL, "id": row_id, "component": text_input}
        components.append(row)
    data: JSON = {"custom_id": custom_id, "components": components}
    return interaction(ctx, InteractionType.MODAL_SUBMIT, data, message=message)
