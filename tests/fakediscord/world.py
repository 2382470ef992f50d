"""The default server the fake serves: one guild, its channels, roles and a few members.

Members are addressed by handle in tests (``"alice"``, ``"mod"``, ...):

| handle | roles | why it exists |
| --- | --- | --- |
| bot | Augury (managed) | the bot's own member |
| owner | — | guild owner: every permission |
| alice, bob, carol | — | ordinary forecasters |
| mod | Moderators | moderator by role (no Manage Server) |
| admin | Admins | moderator by Manage Server, without the role |
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from . import payloads as p
from . import perms
from .payloads import JSON

BOT_NAME = "Augury"
PLAIN_MEMBERS = ("alice", "bob", "carol")
REQUIRE_TAG = 1 << 4


@dataclass
class World:
    """Ids and objects of the default server; FakeState owns and mutates them."""

    application_id: str
    guild_id: str
    guild_name: str
    owner_id: str
    bot_user: JSON
    users: dict[str, JSON] = field(default_factory=dict)
    handles: dict[str, str] = field(default_factory=dict)
    roles: list[JSON] = field(default_factory=list)
    members: dict[str, JSON] = field(default_factory=dict)
    channels: dict[str, JSON] = field(default_factory=dict)
    role_ids: dict[str, str] = field(default_factory=dict)
    channel_ids: dict[str, str] = field(default_factory=dict)
    # Every server the bot is in, the default one first (more with ``guilds=N``): name, roles
    # (the same ones, with that server's @everyone), and its channels by name.
    guild_names: dict[str, str] = field(default_factory=dict)
    guild_roles: dict[str, list[JSON]] = field(default_factory=dict)
    guild_channel_ids: dict[str, dict[str, str]] = field(default_factory=dict)
    shard_count: int = 1  # what GET /gateway/bot recommends
    # A server's system channel (where Discord posts joins), when it has one.
    system_channels: dict[str, str] = field(default_factory=dict)

    @property
    def guild_ids(self) -> list[str]:
        return list(self.guild_names)


def guild_id_on_shard(shard_id: int, shard_count: int) -> str:
    """A fresh snowflake that Discord's rule ``(id >> 22) % count`` puts on ``shard_id``."""
    while True:
        candidate = p.new_id()
        if (int(candidate) >> 22) % shard_count == shard_id:
            return candidate


def build_world(
    *,
    forum_tags: Sequence[str] = (),
    forum_requires_tag: bool = False,
    extra_members: Sequence[str] = (),
    guilds: int = 1,
    shard_count: int = 1,
) -> World:
    """A fresh server with new snowflakes (so two fakes never share ids); with ``guilds`` > 1,
    more servers with the same members, each with a ``general`` and a ``predictions`` channel,
    server ``i`` on shard ``i % shard_count``."""
    bot_id = p.new_id()
    guild_id = guild_id_on_shard(0, shard_count)
    bot_user = p.user(bot_id, BOT_NAME, bot=True)
    world = World(
        application_id=bot_id,
        guild_id=guild_id,
        guild_name="Augury Test Server",
        owner_id="",
        bot_user=bot_user,
        shard_count=shard_count,
    )

    def add_role(name: str, permissions: int, position: int, **kwargs: object) -> str:
        role_id = guild_id if name == "@everyone" else p.new_id()
        world.roles.append(p.role(role_id, name, permissions, position=position, **kwargs))  # type: ignore[arg-type]
        world.role_ids[name] = role_id
        return role_id

    add_role("@everyone", perms.EVERYONE_DEFAULT, 0)
    moderators = add_role("Moderators", perms.MODERATOR, 1, hoist=True, mentionable=True)
    admins = add_role("Admins", perms.ADMIN, 2)
    bot_role = add_role(BOT_NAME, perms.BOT, 3, managed=True, tags={"bot_id": bot_id})

    def add_member(handle: str, user: JSON, roles: Sequence[str] = ()) -> None:
        world.users[user["id"]] = user
        world.handles[handle] = user["id"]
        world.members[user["id"]] = p.member(user, roles=roles)

    add_member("bot", bot_user, [bot_role])
    owner = p.user(p.new_id(), "owner")
    world.owner_id = owner["id"]
    add_member("owner", owner)
    for handle in (*PLAIN_MEMBERS, *extra_members):
        add_member(handle, p.user(p.new_id(), handle))
    add_member("mod", p.user(p.new_id(), "mod"), [moderators])
    add_member("admin", p.user(p.new_id(), "admin"), [admins])

    general = p.text_channel(p.new_id(), guild_id, "general", position=0)
    predictions = p.text_channel(
        p.new_id(), guild_id, "predictions", position=1, topic="Forecasts live here"
    )
    tags = [p.forum_tag(p.new_id(), name) for name in forum_tags]
    forum = p.forum_channel(
        p.new_id(),
        guild_id,
        "predictions-forum",
        position=2,
        available_tags=tags,
        flags=REQUIRE_TAG if forum_requires_tag else 0,
    )
    for name, channel in (("general", general), ("predictions", predictions), ("forum", forum)):
        world.channels[channel["id"]] = channel
        world.channel_ids[name] = channel["id"]
    world.guild_names[guild_id] = world.guild_name
    world.guild_roles[guild_id] = world.roles
    world.guild_channel_ids[guild_id] = dict(world.channel_ids)
    for index in range(1, guilds):
        _add_guild(world, guild_id_on_shard(index % shard_count, shard_count), index)
    return world


def _add_guild(world: World, guild_id: str, index: int) -> None:
    """Another server: the default one's roles (its own @everyone) and two text channels."""
    everyone = world.role_ids["@everyone"]
    world.guild_names[guild_id] = f"Augury Test Server {index + 1}"
    world.guild_roles[guild_id] = [
        {**role, "id": guild_id} if role["id"] == everyone else role for role in world.roles
    ]
    names = {}
    for position, name in enumerate(("general", "predictions")):
        channel = p.text_channel(p.new_id(), guild_id, name, position=position)
        world.channels[channel["id"]] = channel
        names[name] = channel["id"]
    world.guild_channel_ids[guild_id] = names


def join_guild(world: World, *, system_channel: bool, bot_can_post: bool) -> str:
    """A server the bot is invited to after it connected (on shard 0): ``general`` is its
    system channel if ``system_channel``; ``bot_can_post=False`` denies the bot Send Messages
    there, as a server that keeps its system channel for Discord's own notices would."""
    guild_id = guild_id_on_shard(0, world.shard_count)
    _add_guild(world, guild_id, len(world.guild_names))
    general = world.guild_channel_ids[guild_id]["general"]
    if system_channel:
        world.system_channels[guild_id] = general
    if not bot_can_post:
        deny = {"id": world.role_ids[BOT_NAME], "type": 0, "allow": "0"}
        world.channels[general]["permission_overwrites"] = [
            {**deny, "deny": str(perms.SEND_MESSAGES)}
        ]
    return guild_id
