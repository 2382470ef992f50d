"""/augury moderator-role and /timezone tell the truth about what they stored (issue 10)."""

from __future__ import annotations

from tests.cogs.conftest import Harness
from tests.cogs.helpers import guild, uid
from tests.fakediscord import payloads as p


async def moderator_role(h: Harness, role_id: str) -> str:
    role = p.option("role", role_id, type=p.ROLE)
    reply = await h.run(h.fake.slash("augury", p.subcommand("moderator-role", role), user="admin"))
    assert reply.ephemeral
    return reply.text


async def test_everyone_and_managed_roles_cannot_be_the_moderator_role(harness: Harness) -> None:
    h = harness
    assert "Moderators are now" in await moderator_role(h, h.fake.moderator_role_id)
    everyone = await moderator_role(h, h.fake.guild_id)
    assert "@everyone can't be the moderator role" in everyone
    managed = await moderator_role(h, h.fake.world.role_ids["Augury"])
    assert "managed by an integration" in managed
    config = await h.services.server_config.guild(guild(h))
    assert config.moderator_role_id == int(h.fake.moderator_role_id)  # unchanged by refusals


async def test_an_empty_timezone_changes_nothing_and_says_what_is_used(harness: Harness) -> None:
    """An empty value is no argument: the reply shows the zone in use, and nothing is stored
    (clearing is explicit, `clear:True`); it never claims a change that did not happen."""
    h = harness
    await h.services.server_config.update_guild(guild(h), timezone="Asia/Tokyo")
    await h.run(h.fake.slash("timezone", p.option("zone", "Europe/Berlin")))
    reply = await h.run(h.fake.slash("timezone", p.option("zone", " ")))
    assert reply.ephemeral
    assert "read in **Europe/Berlin**, your own" in reply.text, reply.text
    zone = await h.services.timezones.zone_for(uid(h, "alice"), guild(h))
    assert zone.key == "Europe/Berlin"
    cleared = await h.run(h.fake.slash("timezone", p.option("clear", True)))
    assert "**Asia/Tokyo**" in cleared.text, cleared.text
    zone = await h.services.timezones.zone_for(uid(h, "alice"), guild(h))
    assert zone.key == "Asia/Tokyo"


async def test_clearing_the_server_zone_says_utc(harness: Harness) -> None:
    h = harness
    reply = await h.run(
        h.fake.slash("augury", p.subcommand("timezone", p.option("zone", "")), user="admin")
    )
    assert "**UTC (no server zone set)**" in reply.text, reply.text
