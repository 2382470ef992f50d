"""Routes about the application itself: login, app info, gateway, commands, guild look-ups."""

from __future__ import annotations

from typing import Any

from . import errors as e
from .command_rules import check_commands
from .rest import Call, Reply, Router
from .state import FakeState


def _app(call: Call) -> None:
    if call.params["app_id"] != call.state.world.application_id:
        raise e.ApiError(404, 10002, "Unknown Application")


def _guild(call: Call) -> str:
    """Commands and look-ups for a guild the bot is not in fail like Discord: 403 Missing Access."""
    guild_id = call.params["guild_id"]
    if guild_id not in call.state.world.guild_names:
        raise e.ApiError(403, 50001, "Missing Access", violation=True, field="guild_id")
    return guild_id


def app_info(state: FakeState) -> dict[str, Any]:
    owner = state.world.users[state.world.owner_id]
    return {
        "id": state.world.application_id,
        "name": state.world.bot_user["username"],
        "icon": None,
        "description": "Augury under test",
        "summary": "",
        "type": None,
        "bot_public": True,
        "bot_require_code_grant": False,
        "verify_key": "0" * 64,
        "flags": (1 << 15) | (1 << 19),
        "owner": owner,
        "team": None,
        "bot": state.world.bot_user,
        "interactions_endpoint_url": None,
        "redirect_uris": [],
        "tags": [],
        "approximate_guild_count": len(state.world.guild_names),
    }


def register(router: Router) -> None:
    @router.route("GET", "/users/@me")
    def me(call: Call) -> Reply:
        return 200, {
            **call.state.world.bot_user,
            "verified": True,
            "mfa_enabled": False,
            "locale": "en-US",
        }

    @router.route("GET", "/users/{user_id}")
    def get_user(call: Call) -> Reply:
        return 200, call.state.user(call.params["user_id"])

    @router.route("GET", "/oauth2/applications/@me")
    def oauth_app(call: Call) -> Reply:
        return 200, app_info(call.state)

    @router.route("GET", "/applications/@me")
    def application(call: Call) -> Reply:
        return 200, app_info(call.state)

    @router.route("GET", "/gateway")
    def gateway(call: Call) -> Reply:
        return 200, {"url": call.gateway_url}

    @router.route("GET", "/gateway/bot")
    def gateway_bot(call: Call) -> Reply:
        limit = {"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1}
        shards = call.state.world.shard_count
        return 200, {"url": call.gateway_url, "shards": shards, "session_start_limit": limit}

    def put(call: Call, guild_id: str | None) -> Reply:
        _app(call)
        e.check(check_commands(call.json))
        return 200, call.state.put_commands(guild_id, call.json)

    def upsert(call: Call, guild_id: str | None) -> Reply:
        _app(call)
        e.check(check_commands([call.body()]))
        current = [
            c for c in call.state.commands.get(guild_id, []) if c["name"] != call.body()["name"]
        ]
        stored = call.state.put_commands(guild_id, [*current, call.body()])
        return 200, stored[-1]

    def listing(call: Call, guild_id: str | None) -> Reply:
        _app(call)
        return 200, call.state.commands.get(guild_id, [])

    def delete(call: Call, guild_id: str | None) -> Reply:
        _app(call)
        commands = call.state.commands.get(guild_id, [])
        kept = [c for c in commands if c["id"] != call.params["command_id"]]
        if len(kept) == len(commands):
            raise e.not_found(*e.UNKNOWN_COMMAND)
        call.state.commands[guild_id] = kept
        return 204, None

    router.add("PUT", "/applications/{app_id}/commands", lambda c: put(c, None))
    router.add("POST", "/applications/{app_id}/commands", lambda c: upsert(c, None))
    router.add("DELETE", "/applications/{app_id}/commands/{command_id}", lambda c: delete(c, None))
    router.add("GET", "/applications/{app_id}/commands", lambda c: listing(c, None))
    guild_path = "/applications/{app_id}/guilds/{guild_id}/commands"
    router.add("PUT", guild_path, lambda c: put(c, _guild(c)))
    router.add("POST", guild_path, lambda c: upsert(c, _guild(c)))
    router.add("DELETE", guild_path + "/{command_id}", lambda c: delete(c, _guild(c)))
    router.add("GET", guild_path, lambda c: listing(c, _guild(c)))

    @router.route("GET", "/guilds/{guild_id}")
    def get_guild(call: Call) -> Reply:
        _guild(call)
        data = call.state.guild_payload(all_members=False, guild_id=call.params["guild_id"])
        for key in ("channels", "threads", "members", "presences", "voice_states"):
            data.pop(key)
        return 200, data

    @router.route("GET", "/guilds/{guild_id}/channels")
    def guild_channels(call: Call) -> Reply:
        _guild(call)
        return 200, call.state.guild_channels(call.params["guild_id"])

    @router.route("GET", "/guilds/{guild_id}/roles")
    def guild_roles(call: Call) -> Reply:
        _guild(call)
        return 200, call.state.world.guild_roles[call.params["guild_id"]]

    @router.route("GET", "/guilds/{guild_id}/threads/active")
    def active_threads(call: Call) -> Reply:
        _guild(call)
        threads = call.state.threads(guild_id=call.params["guild_id"])
        return 200, {"threads": threads, "members": []}

    @router.route("GET", "/guilds/{guild_id}/members/{user_id}")
    def get_member(call: Call) -> Reply:
        _guild(call)
        return 200, call.state.member(call.params["user_id"])

    @router.route("GET", "/guilds/{guild_id}/members")
    def list_members(call: Call) -> Reply:
        _guild(call)
        after = int(call.query.get("after", 0))
        limit = int(call.query.get("limit", 1))
        members = sorted(call.state.world.members.values(), key=lambda m: int(m["user"]["id"]))
        return 200, [m for m in members if int(m["user"]["id"]) > after][:limit]
