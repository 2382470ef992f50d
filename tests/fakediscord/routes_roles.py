"""Routes and helpers for roles: giving and taking a member's role, as Discord checks it.

``PUT``/``DELETE /guilds/{guild}/members/{user}/roles/{role}`` answer 204 and change the
member's ``roles`` (an echo ``GUILD_MEMBER_UPDATE``, which only clients with the members intent
receive). Discord's refusals, in its order: an unknown role is 404 10011, an unknown member
404 10007; without Manage Roles, or for a role at or above the bot's highest role, or a managed
role, 403 50013 Missing Permissions (not a violation: the bot cannot know in advance that a
moderator moved a role since).

Helpers for tests: :func:`add_role` (a new role, GUILD_ROLE_CREATE), :func:`update_role`
(GUILD_ROLE_UPDATE: move it, change its permissions), :func:`member_role_ids`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import errors as e
from . import payloads as p
from . import perms
from .rest import Call, Reply, Router
from .state import FakeState

if TYPE_CHECKING:
    from .server import FakeDiscord

UNKNOWN_ROLE = (10011, "Unknown Role")
MISSING_PERMISSIONS = (50013, "Missing Permissions")


def _roles(state: FakeState, guild_id: str) -> list[dict[str, Any]]:
    if guild_id not in state.world.guild_names:
        raise e.ApiError(403, 50001, "Missing Access")
    return state.world.guild_roles[guild_id]


def _top_position(state: FakeState, roles: list[dict[str, Any]], user_id: str) -> int:
    held = set(state.member(user_id).get("roles", []))
    return max((int(r["position"]) for r in roles if r["id"] in held), default=0)


def _check(call: Call) -> tuple[dict[str, Any], dict[str, Any]]:
    state = call.state
    roles = _roles(state, call.params["guild_id"])
    role = next((r for r in roles if r["id"] == call.params["role_id"]), None)
    if role is None:
        raise e.not_found(*UNKNOWN_ROLE)
    member = state.member(call.params["user_id"])
    bot_id = state.bot_id
    granted = perms.member_permissions(
        state.member(bot_id), roles, guild_id=call.params["guild_id"], owner_id=state.world.owner_id
    )
    if (
        not granted & (perms.MANAGE_ROLES | perms.ADMINISTRATOR)
        or int(role["position"]) >= _top_position(state, roles, bot_id)
        or role.get("managed")
    ):
        raise e.ApiError(403, *MISSING_PERMISSIONS)
    return member, role


def register(router: Router) -> None:
    path = "/guilds/{guild_id}/members/{user_id}/roles/{role_id}"

    @router.route("PUT", path)
    def add(call: Call) -> Reply:
        member, role = _check(call)
        if role["id"] not in member["roles"]:
            member["roles"] = [*member["roles"], role["id"]]
            _echo(call.state, call.params["guild_id"], member)
        return 204, None

    @router.route("DELETE", path)
    def remove(call: Call) -> Reply:
        member, role = _check(call)
        if role["id"] in member["roles"]:
            member["roles"] = [r for r in member["roles"] if r != role["id"]]
            _echo(call.state, call.params["guild_id"], member)
        return 204, None


def _echo(state: FakeState, guild_id: str, member: dict[str, Any]) -> None:
    state.emit("GUILD_MEMBER_UPDATE", {**member, "guild_id": guild_id})


async def add_role(
    fake: FakeDiscord,
    name: str,
    *,
    position: int,
    permissions: int = 0,
    managed: bool = False,
    announce: bool = True,
) -> str:
    """A new role in the default server at ``position`` (the bot's own role is at 3);
    ``announce=False`` before the bot connects (it then comes with GUILD_CREATE)."""
    world = fake.state.world
    role = p.role(p.new_id(), name, permissions, position=position, managed=managed)
    world.roles.append(role)
    world.role_ids[name] = role["id"]
    if announce:
        await fake.dispatch("GUILD_ROLE_CREATE", {"guild_id": world.guild_id, "role": role})
    return str(role["id"])


async def update_role(
    fake: FakeDiscord, name: str, *, announce: bool = True, **changes: Any
) -> None:
    """Change a role of the default server (``position``, ``permissions`` as an int…)."""
    world = fake.state.world
    role = next(r for r in world.roles if r["id"] == world.role_ids[name])
    for key, value in changes.items():
        role[key] = str(value) if key == "permissions" else value
    if announce:
        await fake.dispatch("GUILD_ROLE_UPDATE", {"guild_id": world.guild_id, "role": role})


def member_role_ids(fake: FakeDiscord, who: str) -> list[str]:
    return list(fake.state.member(fake.user_id(who)).get("roles", []))
