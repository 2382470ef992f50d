"""A server's configuration: where predictions go, who moderates, reminders, defaults.

Every rule about a setting is checked here, in :meth:`ServerConfigService.update_guild`, so a
value is refused the same way whoever sets it (``/augury``, an import, a test): the moderator
role may not be @everyone or a role an integration manages, the prediction channel must be a
text or forum channel, keycaps are 0…10, a time zone must exist, numbers stay in range and
switches are on or off.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.errors import InvalidInput
from bot.domain.vocabulary import Visibility
from bot.forecasting.timezones import resolve_timezone
from bot.services.core.context import ServiceContext
from bot.services.core.dto import GuildConfig
from db.models import GuildSettings
from db.upsert import insert_for

KEYCAP_VALUES = tuple(range(11))  # 0️⃣ … 🔟 mean 0 %, 10 %, … 100 %
POSTABLE_KINDS = frozenset({"text", "forum"})


@dataclass(frozen=True)
class RoleChoice:
    """A role as the admin picked it: its id, and whether an integration hands it out."""

    id: int
    managed: bool = False


@dataclass(frozen=True)
class ChannelChoice:
    """A channel as the admin picked it: its id and kind (``text``, ``forum``, ``voice``…)."""

    id: int
    kind: str


async def ensure_guild_row(session: AsyncSession, guild_id: int) -> None:
    """Create the guild's settings row if missing, race-free (two inserts cannot clash)."""
    stmt = insert_for(session, GuildSettings).values(guild_id=guild_id)
    await session.execute(stmt.on_conflict_do_nothing(index_elements=["guild_id"]))


async def load_guild(session: AsyncSession, guild_id: int) -> GuildSettings:
    await ensure_guild_row(session, guild_id)
    row = await session.get(GuildSettings, guild_id, populate_existing=True)
    assert row is not None
    return row


def to_config(row: GuildSettings) -> GuildConfig:
    return GuildConfig(
        guild_id=row.guild_id,
        prediction_channel_id=row.prediction_channel_id,
        moderator_role_id=row.moderator_role_id,
        timezone=row.timezone,
        default_visibility=row.default_visibility,
        reminder_interval_hours=row.reminder_interval_hours,
        reminder_count=row.reminder_count,
        close_warning=row.close_warning,
        archive_on_resolve=row.archive_on_resolve,
        reaction_keycaps=parse_keycaps(row.reaction_keycaps),
        leaderboard_min_resolved=row.leaderboard_min_resolved,
        voters_follow=bool(row.voters_follow),
    )


def parse_keycaps(text: str) -> tuple[int, ...]:
    """``"1,3,5"`` → ``(1, 3, 5)``; tens of percent, 0…10."""
    values: list[int] = []
    for part in text.replace(" ", "").split(","):
        if not part:
            continue
        if not part.isdigit() or int(part) not in KEYCAP_VALUES:
            raise InvalidInput(
                "Keycaps are tens of percent from 0 to 10, separated by commas, e.g. `1,3,5,7,9`."
            )
        if int(part) not in values:
            values.append(int(part))
    return tuple(sorted(values))


class ServerConfigService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    async def guild(self, guild_id: int) -> GuildConfig:
        async with self._ctx.sessions.begin() as session:
            return to_config(await load_guild(session, guild_id))

    async def update_guild(self, guild_id: int, **changes: object) -> GuildConfig:
        """Change admin settings; values are validated here, not trusted from the cog."""
        checked = _validate_guild_changes(guild_id, changes)
        async with self._ctx.sessions.begin() as session:
            row = await load_guild(session, guild_id)
            for name, value in checked.items():
                setattr(row, name, value)
            await session.flush()
            return to_config(row)


_RANGES: dict[str, tuple[int, int, str]] = {
    "reminder_interval_hours": (1, 24 * 90, "The reminder interval is 1 hour to 90 days."),
    "reminder_count": (0, 20, "The reminder count is 0 to 20."),
    "leaderboard_min_resolved": (1, 1000, "The leaderboard minimum is 1 to 1000."),
}


def _moderator_role(guild_id: int, value: object) -> int | None:
    if value is None:
        return None
    role = value if isinstance(value, RoleChoice) else RoleChoice(_snowflake(value, "role"))
    if role.id == guild_id:  # @everyone's id is the server's
        raise InvalidInput(
            "@everyone can't be the moderator role: every member could resolve, cancel and "
            "edit anyone's predictions. Pick a role only moderators have."
        )
    if role.managed:
        raise InvalidInput(
            "That role is managed by an integration (a bot's own role or a subscription), so "
            "you can't choose who has it. Pick a role you hand out."
        )
    return _snowflake(role.id, "role")


def _prediction_channel(value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, ChannelChoice):
        if value.kind not in POSTABLE_KINDS:
            raise InvalidInput(
                "Predictions can only be posted in a text or forum channel. Pick one of those."
            )
        value = value.id
    return _snowflake(value, "channel")


def _snowflake(value: object, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise InvalidInput(f"That is not a {what} of this server. Pick one from the list.")
    return value


def _validate_guild_changes(guild_id: int, changes: dict[str, object]) -> dict[str, object]:
    checked: dict[str, object] = {}
    for name, value in changes.items():
        if name == "timezone":
            checked[name] = resolve_timezone(str(value)).key if value else None
        elif name == "default_visibility":
            if value not in {v.value for v in Visibility}:
                raise InvalidInput(
                    "Vote visibility is `visible`, `hidden_until_vote` or `hidden_until_close`."
                )
            checked[name] = Visibility(str(value))  # the enum the column holds once read back
        elif name == "reaction_keycaps":
            checked[name] = ",".join(str(v) for v in parse_keycaps(str(value or "")))
        elif name in _RANGES:
            low, high, message = _RANGES[name]
            if not isinstance(value, int) or not low <= value <= high:
                raise InvalidInput(message)
            checked[name] = value
        elif name == "moderator_role_id":
            checked[name] = _moderator_role(guild_id, value)
        elif name == "prediction_channel_id":
            checked[name] = _prediction_channel(value)
        elif name in {"close_warning", "archive_on_resolve", "voters_follow"}:
            if not isinstance(value, bool):
                raise InvalidInput(f"`{name}` is on or off (True or False).")
            checked[name] = value
        else:
            raise ValueError(f"unknown guild setting {name!r}")
    return checked


def checked_guild_changes(changes: dict[str, object], guild_id: int) -> dict[str, object]:
    """Settings from elsewhere (an import file) by the same rules as ``update_guild``."""
    return _validate_guild_changes(guild_id, changes)
