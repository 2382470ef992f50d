"""The bot's side of the web view (issue 20): /augury web, /privacy web, whether @everyone can
read a prediction's channel (recorded on post and on permission changes), and the "View on
the web" link on the public message."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import select

from bot.domain.vocabulary import Status, Visibility
from bot.rendering.prediction_message import message_parts
from bot.services.core.dto import PredictionInfo
from bot.services.public.reader import NotPublic, PublicReader
from db.models import Prediction
from tests.cogs.conftest import Harness
from tests.cogs.helpers import guild, post_and_settle, uid
from tests.conftest import START
from tests.fakediscord import payloads as p
from tests.fakediscord.constants import OverwriteType
from tests.fakediscord.perms import VIEW_CHANNEL

PUBLIC_URL = "https://augury.example.org"
WEB_LABEL = "View on the web"


def on_off(value: str) -> dict[str, object]:
    return p.option("enabled", value)


async def public_channel(h: Harness, prediction_id: int) -> bool | None:
    async with h.services.ctx.sessions() as session:
        return await session.scalar(
            select(Prediction.public_channel).where(Prediction.id == prediction_id)
        )


def link_buttons(message: dict[str, object]) -> list[dict[str, object]]:
    rows = message.get("components") or []
    return [c for row in rows for c in row.get("components", []) if c.get("url")]  # type: ignore[union-attr]


async def test_augury_web_on_and_off(harness: Harness) -> None:
    h = harness
    refused = await h.run(h.fake.slash("augury", p.subcommand("web", on_off("on")), user="bob"))
    assert refused.ephemeral and not await h.services.web.server_on_web(guild(h))
    on = await h.run(h.fake.slash("augury", p.subcommand("web", on_off("on")), user="admin"))
    assert on.ephemeral and "on the web" in on.text and "everyone can read" in on.text
    assert "has not set PUBLIC_URL, so messages carry no link" in on.text  # the truth
    assert await h.services.web.server_on_web(guild(h))
    reader = PublicReader(h.services.ctx)
    assert (await reader.server(guild(h))).name  # the server's name, kept for the pages
    off = await h.run(h.fake.slash("augury", p.subcommand("web", on_off("off")), user="admin"))
    assert "off the web" in off.text and not await h.services.web.server_on_web(guild(h))
    with pytest.raises(NotPublic):
        await reader.server(guild(h))


async def test_privacy_web_off_and_on(harness: Harness) -> None:
    h = harness
    off = await h.run(h.fake.slash("privacy", p.subcommand("web", p.option("shown", "off"))))
    assert off.ephemeral and "off the web in every server" in off.text
    assert await h.services.web.member_hidden(uid(h, "alice"))
    on = await h.run(h.fake.slash("privacy", p.subcommand("web", p.option("shown", "on"))))
    assert "may show on the web" in on.text and not await h.services.web.member_hidden(
        uid(h, "alice")
    )


async def test_posted_prediction_is_public_and_links_to_its_page(harness: Harness) -> None:
    h = harness
    h.bot.public_messages.public_url = PUBLIC_URL  # as PUBLIC_URL would set it
    await h.run(h.fake.slash("augury", p.subcommand("web", on_off("on")), user="admin"))
    info = await post_and_settle(h)
    assert await public_channel(h, info.id) is True
    message = h.fake.message(str(info.message_id))
    [link] = link_buttons(message)
    assert link["label"] == WEB_LABEL
    assert link["url"] == f"{PUBLIC_URL}/servers/{guild(h)}/predictions/{info.number}"


async def test_no_link_when_the_server_is_not_on_the_web(harness: Harness) -> None:
    h = harness
    h.bot.public_messages.public_url = PUBLIC_URL
    info = await post_and_settle(h)
    assert await public_channel(h, info.id) is True  # recorded anyway, for a later opt-in
    assert link_buttons(h.fake.message(str(info.message_id))) == []


async def test_a_channel_made_private_takes_its_predictions_off_the_web(harness: Harness) -> None:
    h = harness
    await h.run(h.fake.slash("augury", p.subcommand("web", on_off("on")), user="admin"))
    info = await post_and_settle(h)
    reader = PublicReader(h.services.ctx)
    assert (await reader.prediction(guild(h), info.number)).statement
    channel = h.fake.channel(h.fake.text_channel_id)
    channel["permission_overwrites"] = [
        {"id": h.fake.guild_id, "type": OverwriteType.ROLE, "allow": "0", "deny": str(VIEW_CHANNEL)}
    ]
    await h.fake.dispatch("CHANNEL_UPDATE", channel)
    await h.settle()
    assert await public_channel(h, info.id) is False
    with pytest.raises(NotPublic):
        await reader.prediction(guild(h), info.number)


async def test_message_parts_link_only_when_listed_and_configured() -> None:
    """(async: discord.py's views need a running event loop)"""

    info = PredictionInfo(
        id=1,
        guild_id=7,
        number=3,
        author_id=1,
        statement="s",
        details=None,
        created_at=START,
        resolves_at=START,
        closes_at=START,
        status=Status.OPEN,
        visibility=Visibility.VISIBLE,
    )

    def labels(i: PredictionInfo, url: str | None) -> list[str | None]:
        view = message_parts(i, START, public_url=url)["view"]
        return [getattr(item, "url", None) for item in view.children]

    listed = replace(info, server_on_web=True, public_channel=True)
    assert f"{PUBLIC_URL}/servers/7/predictions/3" in labels(listed, PUBLIC_URL)
    assert not any(labels(listed, None))  # no PUBLIC_URL: no link
    assert not any(labels(replace(listed, public_channel=None), PUBLIC_URL))
    assert not any(labels(replace(listed, public_channel=False), PUBLIC_URL))
    assert not any(labels(replace(listed, server_on_web=False), PUBLIC_URL))
