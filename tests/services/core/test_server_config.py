"""The server's settings are checked by the service, whatever calls it (not only /augury)."""

from __future__ import annotations

import pytest

from bot.domain.errors import InvalidInput
from bot.services.core.server_config import ChannelChoice, RoleChoice
from bot.services.registry import Services
from tests.conftest import GUILD

GOOD_ROLE = 4_000_000_000_000_001


@pytest.mark.parametrize(
    ("changes", "fragment"),
    [
        ({"moderator_role_id": GUILD}, "@everyone can't be the moderator role"),
        ({"moderator_role_id": RoleChoice(GUILD)}, "@everyone can't be the moderator role"),
        ({"moderator_role_id": RoleChoice(GOOD_ROLE, managed=True)}, "managed by an integration"),
        ({"moderator_role_id": -5}, "not a role"),
        ({"prediction_channel_id": ChannelChoice(GOOD_ROLE, "voice")}, "text or forum channel"),
        ({"prediction_channel_id": 0}, "not a channel"),
        ({"reaction_keycaps": "1,11"}, "Keycaps are tens of percent"),
        ({"timezone": "Mars/Olympus_Mons"}, "not a timezone I know"),
        ({"default_visibility": "public"}, "Vote visibility is"),
        ({"reminder_count": 50}, "The reminder count is 0 to 20"),
        ({"reminder_interval_hours": "72"}, "The reminder interval is"),
        ({"close_warning": "no"}, "on or off"),
    ],
)
async def test_bad_settings_are_refused_by_the_service_and_nothing_changes(
    services: Services, changes: dict[str, object], fragment: str
) -> None:
    before = await services.server_config.guild(GUILD)
    with pytest.raises(InvalidInput, match=fragment):
        await services.server_config.update_guild(GUILD, leaderboard_min_resolved=7, **changes)
    assert await services.server_config.guild(GUILD) == before


async def test_good_choices_are_stored_by_id(services: Services) -> None:
    config = await services.server_config.update_guild(
        GUILD,
        moderator_role_id=RoleChoice(GOOD_ROLE),
        prediction_channel_id=ChannelChoice(GOOD_ROLE + 1, "forum"),
        close_warning=False,
    )
    assert config.moderator_role_id == GOOD_ROLE
    assert config.prediction_channel_id == GOOD_ROLE + 1
    assert config.close_warning is False
    cleared = await services.server_config.update_guild(
        GUILD, moderator_role_id=None, prediction_channel_id=None
    )
    assert cleared.moderator_role_id is None and cleared.prediction_channel_id is None
