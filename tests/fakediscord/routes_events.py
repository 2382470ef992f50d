"""Guild scheduled events: create, edit, delete, read, as Discord serves them to a bot.

The bot needs Manage Events (403 50013 otherwise, not a violation: a server may withhold it).
External events (``entity_type`` 3) need a ``location`` of 1–100 characters and an end time;
names are 1–100 characters, descriptions up to 1,000, the start must not be in the past and
the end must follow the start (400 50035, a violation), and a server holds at most 100
(400 30038, a violation). Changes are echoed on the gateway as
GUILD_SCHEDULED_EVENT_CREATE / UPDATE / DELETE; :func:`interest` builds the USER_ADD / REMOVE
payloads a member's "Interested" click sends.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from . import errors as e
from .ids import new_id
from .payloads import JSON
from .rest import Call, Reply, Router
from .state import FakeState

MANAGE_EVENTS = 1 << 33
#: Scheduled (not yet ended) events a server may hold.
MAX_EVENTS = 100
UNKNOWN_EVENT = (10070, "Unknown Guild Scheduled Event")
EXTERNAL = 3
GUILD_ONLY = 2
SCHEDULED, ACTIVE, COMPLETED, CANCELED = 1, 2, 3, 4
#: How far in the past a start may be (the request's own travel time).
START_SLACK = timedelta(seconds=60)


def events_of(state: FakeState) -> dict[str, JSON]:
    """The scheduled events the fake holds, by id (kept on the state, created on first use)."""
    found: dict[str, JSON] = state.__dict__.setdefault("scheduled_events", {})
    return found


def grant_bot(state: FakeState, permission: int, *, granted: bool = True) -> None:
    """Give (or take) a permission of the bot's own role, as a server admin would."""
    bot_roles = set(state.member(state.bot_id).get("roles", []))
    for role in state.world.roles:
        if role["id"] in bot_roles:
            value = int(role["permissions"])
            role["permissions"] = str(value | permission if granted else value & ~permission)


def interest(event: JSON, user_id: str, *, add: bool = True) -> tuple[str, JSON]:
    """The gateway event of a member marking ``event`` Interested (or no longer)."""
    name = "GUILD_SCHEDULED_EVENT_USER_" + ("ADD" if add else "REMOVE")
    return name, {
        "guild_scheduled_event_id": event["id"],
        "user_id": user_id,
        "guild_id": event["guild_id"],
    }


def _when(value: Any, field: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(str(value))
    except ValueError:
        raise e.invalid_form_body([((field,), "DATE_TIME_TYPE_CONVERT", "Invalid date")]) from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed


def _validate(body: Mapping[str, Any], current: Mapping[str, Any] | None) -> None:
    merged: dict[str, Any] = {**(current or {}), **body}
    problems: list[e.Problem] = []
    name = merged.get("name")
    if not isinstance(name, str) or not 1 <= len(name) <= 100:
        problems.append((("name",), "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length."))
    description = merged.get("description")
    if description is not None and len(str(description)) > 1000:
        problems.append(
            (("description",), "BASE_TYPE_BAD_LENGTH", "Must be 1000 or fewer in length.")
        )
    if merged.get("privacy_level") != GUILD_ONLY:
        problems.append((("privacy_level",), "BASE_TYPE_CHOICES", "Value must be one of (2,)."))
    if merged.get("entity_type") == EXTERNAL:
        location = (merged.get("entity_metadata") or {}).get("location")
        if not isinstance(location, str) or not 1 <= len(location) <= 100:
            problems.append(
                (
                    ("entity_metadata", "location"),
                    "BASE_TYPE_BAD_LENGTH",
                    "Must be between 1 and 100 in length.",
                )
            )
        if not merged.get("scheduled_end_time"):
            problems.append((("scheduled_end_time",), "BASE_TYPE_REQUIRED", "Required."))
    elif merged.get("entity_type") not in (1, 2):
        problems.append((("entity_type",), "BASE_TYPE_CHOICES", "Value must be one of (1, 2, 3)."))
    e.check(problems)
    start = _when(merged.get("scheduled_start_time"), "scheduled_start_time")
    if "scheduled_start_time" in body and start < datetime.now(UTC) - START_SLACK:
        raise e.invalid_form_body(
            [(("scheduled_start_time",), "GUILD_SCHEDULED_EVENT_SCHEDULE_PAST", "In the past")]
        )
    end = merged.get("scheduled_end_time")
    if end and _when(end, "scheduled_end_time") <= start:
        raise e.invalid_form_body(
            [(("scheduled_end_time",), "GUILD_SCHEDULED_EVENT_END_BEFORE_START", "Before start")]
        )


def _guild(call: Call) -> str:
    guild_id = call.params["guild_id"]
    if guild_id not in call.state.world.guild_names:
        raise e.ApiError(403, 50001, "Missing Access")
    return guild_id


def _may_manage(call: Call) -> None:
    if not call.state.permissions(call.state.bot_id) & MANAGE_EVENTS:
        raise e.ApiError(403, 50013, "Missing Permissions")


def _event(call: Call, guild_id: str) -> JSON:
    found = events_of(call.state).get(call.params["event_id"])
    if found is None or found["guild_id"] != guild_id:
        raise e.not_found(*UNKNOWN_EVENT)
    return found


def register(router: Router) -> None:
    @router.route("GET", "/guilds/{guild_id}/scheduled-events")
    def list_events(call: Call) -> Reply:
        guild_id = _guild(call)
        return 200, [ev for ev in events_of(call.state).values() if ev["guild_id"] == guild_id]

    @router.route("POST", "/guilds/{guild_id}/scheduled-events")
    def create(call: Call) -> Reply:
        guild_id = _guild(call)
        _may_manage(call)
        body = call.body()
        _validate(body, None)
        held = [ev for ev in events_of(call.state).values() if ev["guild_id"] == guild_id]
        if len(held) >= MAX_EVENTS:
            raise e.ApiError(
                400, 30038, "Maximum number of guild scheduled events reached (100)", violation=True
            )
        event: JSON = {
            "id": new_id(),
            "guild_id": guild_id,
            "channel_id": None,
            "creator_id": call.state.bot_id,
            "creator": call.state.world.bot_user,
            "name": body["name"],
            "description": body.get("description"),
            "scheduled_start_time": body["scheduled_start_time"],
            "scheduled_end_time": body.get("scheduled_end_time"),
            "privacy_level": body["privacy_level"],
            "status": SCHEDULED,
            "entity_type": body["entity_type"],
            "entity_id": None,
            "entity_metadata": body.get("entity_metadata"),
            "user_count": 0,
            "image": None,
        }
        events_of(call.state)[event["id"]] = event
        call.state.emit("GUILD_SCHEDULED_EVENT_CREATE", event)
        return 200, event

    @router.route("GET", "/guilds/{guild_id}/scheduled-events/{event_id}")
    def get_event(call: Call) -> Reply:
        return 200, _event(call, _guild(call))

    @router.route("PATCH", "/guilds/{guild_id}/scheduled-events/{event_id}")
    def edit(call: Call) -> Reply:
        guild_id = _guild(call)
        _may_manage(call)
        event = _event(call, guild_id)
        body = call.body()
        _validate(body, event)
        for key in (
            "name",
            "description",
            "scheduled_start_time",
            "scheduled_end_time",
            "privacy_level",
            "entity_type",
            "entity_metadata",
            "status",
        ):
            if key in body:
                event[key] = body[key]
        call.state.emit("GUILD_SCHEDULED_EVENT_UPDATE", event)
        return 200, event

    @router.route("DELETE", "/guilds/{guild_id}/scheduled-events/{event_id}")
    def delete(call: Call) -> Reply:
        guild_id = _guild(call)
        _may_manage(call)
        event = _event(call, guild_id)
        del events_of(call.state)[event["id"]]
        call.state.emit("GUILD_SCHEDULED_EVENT_DELETE", event)
        return 204, None
