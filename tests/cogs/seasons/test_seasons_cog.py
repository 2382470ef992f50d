"""``/augury season`` through real discord.py objects: private refusals that say what to do,
and problems Discord causes (nowhere to post, a role the bot may not manage) shown to the
moderators in ``/augury season list`` instead of crashing anything."""

from __future__ import annotations

from typing import cast

import pytest

from bot.domain.seasons import Achievement, RoleFacts
from bot.services.core.server_config import ChannelChoice
from bot.services.seasons.role_queue import queue_changes
from cogs.seasons.role_sender import RoleSenderCog
from cogs.seasons.scheduler import RECAP_LEASE, SeasonSchedulerCog
from tests.cogs.conftest import Harness, Reply
from tests.cogs.helpers import embed_fields, guild, uid
from tests.fakediscord import payloads as p
from tests.fakediscord import perms
from tests.fakediscord.routes_roles import add_role, member_role_ids, update_role
from tests.fakediscord.world import BOT_NAME

o, sub = p.option, p.subcommand
BELOW_THE_BOT = RoleFacts(False, False, 1, 3, True)


async def season(h: Harness, *options: p.JSON, user: str = "admin") -> Reply:
    group = p.subcommand_group("season", *options)
    return await h.run(h.fake.slash("augury", group, user=user))


def role_option(h: Harness, name: str) -> p.JSON:
    return o("role", h.fake.state.world.role_ids[name], type=p.ROLE)


async def test_roles_the_bot_cannot_manage_are_refused_privately_with_what_to_do(
    harness: Harness,
) -> None:
    h = harness
    await add_role(h.fake, "Staff", position=5)
    await add_role(h.fake, "Champion", position=2)
    await h.settle()
    no_permission = await season(
        h, sub("roles", role_option(h, "Champion"), o("achievement", "top"))
    )
    assert no_permission.ephemeral and "needs the Manage Roles permission" in no_permission.text
    await update_role(h.fake, BOT_NAME, permissions=perms.BOT | perms.MANAGE_ROLES)
    await h.settle()
    above = await season(h, sub("roles", role_option(h, "Staff"), o("achievement", "top")))
    assert above.ephemeral and "Drag Augury's role above it" in above.text
    managed = await season(h, sub("roles", role_option(h, BOT_NAME), o("achievement", "top")))
    assert managed.ephemeral and "belongs to a bot or an integration" in managed.text
    member = await season(h, sub("roles", role_option(h, "Champion")), user="bob")
    assert member.ephemeral and "Manage Server" in member.text
    assert await h.services.earned_roles.mappings(guild(h)) == []  # nothing stored

    ok = await season(
        h, sub("roles", role_option(h, "Champion"), o("achievement", "top"), o("top", 2))
    )
    assert ok.ephemeral and "top 2 of a season" in ok.text


async def test_a_recap_with_nowhere_to_go_and_a_refused_role_are_shown_to_moderators(
    harness: Harness,
) -> None:
    h = harness
    gid = guild(h)
    await update_role(h.fake, BOT_NAME, permissions=perms.BOT | perms.MANAGE_ROLES)
    newcomer = await add_role(h.fake, "Newcomer", position=1)
    champion = await add_role(h.fake, "Champion", position=2)
    await h.settle()
    services = h.services
    for role_id, name in ((int(newcomer), "Newcomer"), (int(champion), "Champion")):
        await services.earned_roles.map(
            gid, role_id, name, BELOW_THE_BOT, Achievement.FIRST_FORECAST
        )
    started = await season(h, sub("start", o("name", "Dry run"), o("tags", "Climate")))
    assert started.ephemeral and "Season **Dry run** has started" in started.text
    ended = await season(h, sub("end"))
    assert ended.ephemeral and "has ended" in ended.text
    again = await season(h, sub("end"))
    assert again.ephemeral and "No season is running" in again.text

    # No prediction channel and no system channel: nothing posted, the moderators are told.
    scheduler = cast(SeasonSchedulerCog, h.bot.get_cog("SeasonSchedulerCog"))
    assert await scheduler.run_once() == 0
    # A moderator drags Newcomer above Augury's role after mapping it.
    await update_role(h.fake, "Newcomer", position=6)
    await h.settle()
    bob = uid(h, "bob")
    async with services.ctx.sessions.begin() as session:
        for role_id in (int(newcomer), int(champion)):
            await queue_changes(session, gid, role_id, adding=[bob], now=h.clock.now())
    sender = cast(RoleSenderCog, h.bot.get_cog("RoleSenderCog"))
    assert await sender.run_once() == 2
    assert member_role_ids(h.fake, "bob") == [champion]  # the one Discord allowed

    listing = await season(h, sub("list"))
    assert listing.ephemeral
    [embed] = listing.embeds
    assert "Dry run" in embed["description"]
    assert "No prediction channel is set" in embed["description"]
    roles = embed["fields"][0]["value"]
    assert f"Discord refused to give <@&{newcomer}>" in roles
    assert "Missing Permissions" in roles and "Manage Roles" in roles
    assert await services.role_changes.pending(gid) == 0


async def test_the_season_option_offers_the_servers_seasons_latest_first(
    harness: Harness,
) -> None:
    h = harness
    for name in ("Spring 2026", "Autumn 2026", "Spring 2027"):
        await season(h, sub("start", o("name", name)))
        await season(h, sub("end"))
        h.clock.advance(days=1)
    typed = o("season", "spr", focused=True)
    offered = await h.run(h.fake.autocomplete("leaderboard", typed, user="bob"))
    assert [c["value"] for c in offered.choices or []] == ["Spring 2027", "Spring 2026"]
    stats = await h.run(
        h.fake.autocomplete("stats", sub("server", o("season", "", focused=True)), user="bob")
    )
    assert [c["value"] for c in stats.choices or []] == [
        "Spring 2027",
        "Autumn 2026",
        "Spring 2026",
    ]


async def test_a_deleted_prediction_channel_falls_back_and_is_reported_not_retried(
    harness: Harness,
) -> None:
    h = harness
    gid = guild(h)
    await h.services.server_config.update_guild(
        gid, prediction_channel_id=ChannelChoice(4_242_424_242_424_242, "text")
    )
    await season(h, sub("start", o("name", "Lost")))
    await season(h, sub("end"))
    scheduler = cast(SeasonSchedulerCog, h.bot.get_cog("SeasonSchedulerCog"))
    assert await scheduler.run_once() == 0
    [shown] = await h.services.seasons.listing(gid)
    assert shown.recapped_at is not None  # settled: not retried every cycle
    assert shown.recap_problem is not None and "No prediction channel" in shown.recap_problem


async def test_in_a_forum_the_recap_is_a_post_of_its_own(harness: Harness) -> None:
    h = harness
    gid = guild(h)
    forum = int(h.fake.forum_channel_id)
    await h.services.server_config.update_guild(
        gid, prediction_channel_id=ChannelChoice(forum, "forum")
    )
    await season(h, sub("start", o("name", "Forum season")))
    await season(h, sub("end"))
    scheduler = cast(SeasonSchedulerCog, h.bot.get_cog("SeasonSchedulerCog"))
    assert await scheduler.run_once() == 1
    [created] = h.fake.find_requests("POST", rf"^/channels/{forum}/threads$")
    assert created.json["name"] == "Season recap · Forum season"
    # Nothing was forecast: the card, and no empty calibration chart beside it.
    assert {f.filename for f in created.files} == {"season-recap.png"}
    [embed] = created.json["message"]["embeds"]
    assert embed_fields(embed)["Calibration (yes/no)"] == (
        "No yes/no forecast was resolved this season."
    )
    [shown] = await h.services.seasons.listing(gid)
    assert shown.recap_channel_id == int(created.response["id"]) and shown.recap_problem is None


async def crashed_after_posting(h: Harness, monkeypatch: pytest.MonkeyPatch) -> None:
    """The recap goes out, the process dies before recording it, and the retry comes after
    the lease and Discord's nonce window have both passed."""
    scheduler = cast(SeasonSchedulerCog, h.bot.get_cog("SeasonSchedulerCog"))
    record = h.services.seasons.recapped

    async def crash(*args: object, **kwargs: object) -> bool:
        raise RuntimeError("the process died here")

    monkeypatch.setattr(h.services.seasons, "recapped", crash)
    with pytest.raises(RuntimeError):
        await scheduler.run_once()
    monkeypatch.setattr(h.services.seasons, "recapped", record)
    h.clock.advance(seconds=RECAP_LEASE.total_seconds() + 1)
    h.fake.state.nonce_window = 0
    assert await scheduler.run_once() == 1


@pytest.mark.parametrize("where", ["text", "forum"])
async def test_a_recap_posted_before_a_crash_is_found_and_recorded_not_posted_again(
    harness: Harness, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    h = harness
    gid = guild(h)
    channel = h.fake.forum_channel_id if where == "forum" else h.fake.text_channel_id
    await h.services.server_config.update_guild(
        gid, prediction_channel_id=ChannelChoice(int(channel), where)
    )
    await season(h, sub("start", o("name", "Crashy")))
    await season(h, sub("end"))
    await crashed_after_posting(h, monkeypatch)
    path = rf"^/channels/{channel}/{'threads' if where == 'forum' else 'messages'}$"
    [posted] = h.fake.find_requests("POST", path)
    [shown] = await h.services.seasons.listing(gid)
    assert shown.recapped_at is not None and shown.recap_problem is None
    assert shown.recap_message_id == int(posted.response["id"])
    assert shown.recap_channel_id == int(posted.response["id"] if where == "forum" else channel)
