"""``/augury channel`` takes the two channel kinds Augury posts in (issue 23)."""

from __future__ import annotations

from tests.cogs.conftest import Harness
from tests.cogs.helpers import guild
from tests.fakediscord import payloads as p


async def test_augury_channel_refuses_a_channel_kind_it_cannot_post_in(harness: Harness) -> None:
    """The picker lists text and forum channels only; a payload naming another kind (here an
    announcement channel) is answered privately and nothing is stored."""
    h = harness
    news = p.text_channel(p.new_id(), h.fake.guild_id, "announcements", position=9)
    news["type"] = 5
    h.fake.state.channels[news["id"]] = news
    chosen = p.option("channel", news["id"], type=p.CHANNEL)
    reply = await h.run(h.fake.slash("augury", p.subcommand("channel", chosen), user="admin"))
    assert reply.ephemeral and "Pick a text or forum channel" in reply.text
    assert (await h.services.server_config.guild(guild(h))).prediction_channel_id is None
