"""Builders bound to the fake's state: "alice clicks this button on the message the bot posted".

They fill in what the pure builders in ``payloads`` need (member with permissions, channel,
synced command id, resolved objects), and refuse what Discord's client would never send
(a command that was never synced, a button that is not on the message).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from . import payloads as p
from . import perms
from .constants import CommandType, ComponentType, OptionType
from .payloads import JSON, InteractionContext
from .state import FakeState, InteractionRecord
from .world import World


def _leaves(options: list[JSON]) -> Iterator[JSON]:
    for option in options:
        if option.get("type") in (OptionType.SUB_COMMAND, OptionType.SUB_COMMAND_GROUP):
            yield from _leaves(option.get("options") or [])
        else:
            yield option


def _components(components: list[JSON]) -> Iterator[JSON]:
    for component in components:
        yield component
        yield from _components(component.get("components") or [])
        if isinstance(component.get("component"), dict):
            yield component["component"]
        if isinstance(component.get("accessory"), dict):
            yield component["accessory"]


class BuilderMixin:
    """Mixed into FakeDiscord; everything here reads ``self.state``."""

    state: FakeState
    world: World

    # --- the default world ---------------------------------------------------------------------

    @property
    def application_id(self) -> str:
        return self.world.application_id

    @property
    def bot_user(self) -> JSON:
        return self.world.bot_user

    @property
    def bot_id(self) -> str:
        return self.state.bot_id

    @property
    def guild_id(self) -> str:
        return self.world.guild_id

    @property
    def text_channel_id(self) -> str:
        """The "predictions" text channel."""
        return self.world.channel_ids["predictions"]

    @property
    def general_channel_id(self) -> str:
        return self.world.channel_ids["general"]

    @property
    def forum_channel_id(self) -> str:
        return self.world.channel_ids["forum"]

    @property
    def moderator_role_id(self) -> str:
        return self.world.role_ids["Moderators"]

    @property
    def admin_role_id(self) -> str:
        return self.world.role_ids["Admins"]

    def user_id(self, who: str) -> str:
        return self.state.user_id(who)

    def user(self, who: str) -> JSON:
        return self.state.user(self.user_id(who))

    def member(self, who: str, channel_id: str | None = None) -> JSON:
        """The member (with user) and its permissions, as interactions carry it: in
        ``channel_id`` (a thread: its parent) with that channel's overwrites applied."""
        user_id = self.user_id(who)
        member = self.state.member(user_id)
        value = self.state.permissions(user_id)
        if channel_id is not None:
            channel = self.state.channel(channel_id)
            if channel.get("parent_id") and channel["type"] in (10, 11, 12):  # a thread
                channel = self.state.channel(str(channel["parent_id"]))
            value = perms.channel_permissions(
                value, member, channel.get("permission_overwrites", []), guild_id=self.guild_id
            )
        return {**member, "permissions": str(value)}

    def deny(self, channel_id: str, who: str, permissions: int) -> JSON:
        """A member overwrite denying ``permissions`` to ``who`` in a channel (the channel as
        it is now, e.g. to dispatch CHANNEL_UPDATE once the bot runs)."""
        channel = self.state.channel(channel_id)
        user_id = self.user_id(who)
        kept = [o for o in channel.get("permission_overwrites", []) if str(o["id"]) != user_id]
        channel["permission_overwrites"] = [
            *kept,
            {"id": user_id, "type": 1, "allow": "0", "deny": str(permissions)},
        ]
        return channel

    def channel(self, channel_id: str) -> JSON:
        return self.state.channel(channel_id)

    def message(self, message_id: str) -> JSON:
        return self.state.message(message_id)

    def messages_in(self, channel_id: str) -> list[JSON]:
        """Messages currently in a channel or thread, oldest first."""
        found = [m for m in self.state.messages.values() if m["channel_id"] == channel_id]
        return sorted(found, key=lambda m: int(m["id"]))

    def threads(self) -> list[JSON]:
        return self.state.threads(active_only=False)

    def dm_channel_id(self, who: str) -> str:
        """The DM channel with a user (opened if needed), e.g. for ``context(who, dm)``."""
        return str(self.state.open_dm(self.user_id(who))["id"])

    def close_dms(self, who: str) -> None:
        """Sending to this user's DM channel now fails with 50007, as with DMs turned off."""
        self.state.closed_dms.add(self.user_id(who))

    # --- interactions --------------------------------------------------------------------------

    def register_interaction(self, payload: JSON) -> InteractionRecord:
        """Let the bot answer ``payload`` without dispatching it (for Interaction(data=...))."""
        return self.state.register_interaction(payload)

    def _registered(self, payload: JSON) -> JSON:
        self.state.register_interaction(payload)
        return payload

    def guild_payload(self, *, all_members: bool = True) -> JSON:
        """The guild as GUILD_CREATE sends it (with every member unless told otherwise)."""
        return self.state.guild_payload(all_members=all_members)

    def commands_listed_for(self, who: str) -> list[str]:
        """The synced chat commands Discord's client lists for ``who`` in the guild: those
        without ``default_member_permissions``, or whose permissions the member has (the fake
        has no per-server overrides from Server Settings → Integrations)."""
        has = self.state.permissions(self.user_id(who))
        listed = []
        for scope in (self.guild_id, None):
            for command in self.state.commands.get(scope, []):
                needed = command.get("default_member_permissions")
                if command["type"] != CommandType.CHAT_INPUT or command["name"] in listed:
                    continue
                if needed is None or (has & int(needed)) == int(needed):
                    listed.append(command["name"])
        return sorted(listed)

    def context(self, who: str = "alice", channel_id: str | None = None) -> InteractionContext:
        channel = self.state.channel(channel_id or self.text_channel_id)
        app_permissions = str(perms.BOT)
        if channel["type"] == 1:
            return InteractionContext(
                self.application_id, channel, user=self.user(who), app_permissions=app_permissions
            )
        return InteractionContext(
            self.application_id,
            channel,
            guild_id=channel.get("guild_id") or self.guild_id,
            member=self.member(who, str(channel["id"])),
            app_permissions=app_permissions,
        )

    def _resolve(self, options: list[JSON]) -> JSON:
        users, roles, channels = [], [], []
        for option in _leaves(options):
            value = str(option.get("value"))
            if option["type"] in (p.USER, p.MENTIONABLE) and value in self.world.members:
                users.append(self.member(value))
            elif option["type"] in (p.ROLE, p.MENTIONABLE):
                roles += [r for r in self.world.roles if r["id"] == value]
            elif option["type"] == p.CHANNEL:
                # Resolved channels carry the invoker's permissions there, as on Discord.
                channels.append({**self.state.channel(value), "permissions": str(perms.BOT)})
        return p.resolved(members=users, roles=roles, channels=channels)

    def slash(
        self, name: str, *options: JSON, user: str = "alice", channel_id: str | None = None
    ) -> JSON:
        """INTERACTION_CREATE for ``/name``; user/role/channel options get ``resolved`` entries."""
        command = self.state.find_command(name)
        return self._registered(
            p.slash_command_interaction(
                self.context(user, channel_id),
                command_id=command["id"],
                name=name,
                options=list(options),
                command_guild_id=command.get("guild_id"),
                resolved_data=self._resolve(list(options)),
            )
        )

    def autocomplete(
        self, name: str, *options: JSON, user: str = "alice", channel_id: str | None = None
    ) -> JSON:
        """An autocomplete request; mark the typed option with ``option(..., focused=True)``."""
        command = self.state.find_command(name)
        return self._registered(
            p.autocomplete_interaction(
                self.context(user, channel_id),
                command_id=command["id"],
                name=name,
                options=list(options),
                command_guild_id=command.get("guild_id"),
            )
        )

    def click(
        self,
        message_id: str,
        custom_id: str,
        *,
        user: str = "alice",
        values: list[str] | None = None,
    ) -> JSON:
        """A click on a component that is really on the stored message (and enabled)."""
        message = self.state.message(message_id)
        component = next(
            (c for c in _components(message["components"]) if c.get("custom_id") == custom_id),
            None,
        )
        if component is None:
            ids = [c.get("custom_id") for c in _components(message["components"])]
            raise LookupError(f"no component {custom_id!r} on message {message_id}; has {ids}")
        if component.get("disabled"):
            raise ValueError(f"component {custom_id!r} is disabled: Discord would not send this")
        if component["type"] == ComponentType.STRING_SELECT:
            _check_select_values(component, values or [])
        return self._registered(
            p.component_interaction(
                self.context(user, message["channel_id"]),
                message=message,
                custom_id=custom_id,
                component_type=int(component["type"]),
                values=values,
            )
        )

    @property
    def last_modal(self) -> InteractionRecord | None:
        """The latest interaction the bot answered with a modal."""
        answered = [r for r in self.state.interactions.values() if r.modal is not None]
        return answered[-1] if answered else None

    def submit_modal(
        self,
        values: Mapping[str, str],
        *,
        user: str = "alice",
        record: InteractionRecord | None = None,
    ) -> JSON:
        """Submit the last modal the bot opened (or ``record``'s) with text-input values.

        Like Discord, every text input is submitted: the given value, else what the form was
        prefilled with (what the member would see and send untouched), else empty.
        """
        record = record or self.last_modal
        if record is None or record.modal is None:
            raise LookupError("the bot has not answered any interaction with a modal")
        modal = record.modal
        inputs = {
            c["custom_id"]
            for c in _components(modal["components"])
            if c.get("type") == ComponentType.TEXT_INPUT
        }
        unknown = set(values) - inputs
        if unknown:
            raise LookupError(f"modal {modal['custom_id']!r} has no inputs {unknown}; has {inputs}")
        rows = [c for c in modal["components"] if c.get("type") == ComponentType.ACTION_ROW]
        submitted = {
            c["custom_id"]: values.get(c["custom_id"], c.get("value") or "")
            for c in _components(modal["components"])
            if c.get("type") == ComponentType.TEXT_INPUT
        }
        return self._registered(
            p.modal_submit_interaction(
                self.context(user, record.channel_id),
                custom_id=modal["custom_id"],
                values=submitted,
                legacy_rows={
                    c["custom_id"]
                    for c in _components(rows)
                    if c.get("type") == ComponentType.TEXT_INPUT
                },
                message=record.payload.get("message"),
            )
        )

    def message_command(self, name: str, message_id: str, *, user: str = "alice") -> JSON:
        """A message context-menu command on a stored message."""
        command = self.state.find_command(name, type=CommandType.MESSAGE)
        target = self.state.message(message_id)
        return self._registered(
            p.message_command_interaction(
                self.context(user, target["channel_id"]),
                command_id=command["id"],
                name=name,
                target=target,
                command_guild_id=command.get("guild_id"),
            )
        )

    def user_command(self, name: str, target: str, *, user: str = "alice") -> JSON:
        command = self.state.find_command(name, type=CommandType.USER)
        return self._registered(
            p.user_command_interaction(
                self.context(user),
                command_id=command["id"],
                name=name,
                target=self.member(target),
                command_guild_id=command.get("guild_id"),
            )
        )

    # --- messages and reactions by members -----------------------------------------------------

    def user_message(
        self, content: str, *, user: str = "alice", channel_id: str | None = None
    ) -> JSON:
        """A member's message (MESSAGE_CREATE payload), stored so the bot can fetch it."""
        user_id = self.user_id(user)
        channel = self.state.channel(channel_id or self.text_channel_id)
        message = p.message(
            p.new_id(),
            channel["id"],
            self.state.user(user_id),
            content=content,
            guild_id=channel.get("guild_id"),
            member=self.state.member(user_id) if channel.get("guild_id") else None,
        )
        self.state.messages[message["id"]] = message
        return message

    def reaction_add(self, message_id: str, emoji: str, *, user: str = "alice") -> JSON:
        message = self.state.message(message_id)
        user_id = self.user_id(user)
        return p.reaction_add(
            user_id=user_id,
            channel_id=message["channel_id"],
            message_id=message_id,
            emoji=emoji,
            guild_id=message.get("guild_id"),
            member=self.state.member(user_id) if message.get("guild_id") else None,
            message_author_id=message["author"]["id"],
        )

    def reaction_remove(self, message_id: str, emoji: str, *, user: str = "alice") -> JSON:
        message = self.state.message(message_id)
        return p.reaction_remove(
            user_id=self.user_id(user),
            channel_id=message["channel_id"],
            message_id=message_id,
            emoji=emoji,
            guild_id=message.get("guild_id"),
        )


def _check_select_values(select: JSON, values: list[str]) -> None:
    """What Discord's client can send from a string select: offered values, within its
    ``min_values``/``max_values`` (defaults 1 and 1), each once."""
    offered = [option["value"] for option in select.get("options") or []]
    low, high = int(select.get("min_values", 1)), int(select.get("max_values", 1))
    if not low <= len(values) <= high or len(set(values)) != len(values):
        raise ValueError(f"select {select['custom_id']!r} takes {low}–{high} values, not {values}")
    unknown = [value for value in values if value not in offered]
    if unknown:
        raise ValueError(f"select {select['custom_id']!r} offers no {unknown}; has {offered}")
