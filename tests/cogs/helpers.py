"""What the cog tests share: ids by member handle, posting predictions, reading stored messages.

Imported explicitly (``from tests.cogs.helpers import uid, ...``); fixtures live in conftest.py.
"""

from __future__ import annotations

from bot.services.core.dto import PredictionInfo
from tests.cogs.conftest import Harness, Reply
from tests.fakediscord import FakeDiscord
from tests.fakediscord import payloads as p
from tests.fakediscord.payloads import JSON

#: The first eight bytes of every PNG file.
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


# --- ids ---------------------------------------------------------------------------------------


def uid(where: Harness | FakeDiscord, who: str) -> int:
    """The user id of a member of the fake's world, by handle (``"alice"``, ``"mod"``)."""
    fake = where.fake if isinstance(where, Harness) else where
    return int(fake.user_id(who))


def guild(h: Harness) -> int:
    """The fake guild's id."""
    return int(h.fake.guild_id)


# --- posting predictions -----------------------------------------------------------------------


async def predict(h: Harness, *options: JSON, user: str = "alice") -> Reply:
    """``user`` runs /predict with ``options``; the answer they see."""
    return await h.run(h.fake.slash("predict", *options, user=user))


async def post_and_settle(h: Harness, *extra: JSON, author: str = "alice") -> PredictionInfo:
    """``author`` predicts "It rains on the parade" by 2027-06-30 (plus ``extra`` options);
    once the bot is quiet, the newest prediction, posted."""
    await predict(
        h,
        p.option("statement", "It rains on the parade"),
        p.option("resolves", "2027-06-30"),
        *extra,
        user=author,
    )
    await h.settle()
    page = await h.services.predictions.list_page(guild(h))
    info = await h.services.predictions.by_id(page.items[0].id)
    assert info is not None and info.message_id is not None
    return info


async def post_with_votes(
    h: Harness, *, resolves: str = "2027-06-30", voters: tuple[str, ...] = ("bob", "carol")
) -> PredictionInfo:
    """alice predicts 70 % through /predict; each voter then votes (30 %, 40 %, …) a minute
    apart and follows it (as with 🔔: voting alone does not follow). Prediction #1, posted
    with its thread."""
    reply = await predict(
        h,
        p.option("statement", "The bridge opens"),
        p.option("resolves", resolves),
        p.option("probability", "70"),
        user="alice",
    )
    assert "Posted prediction **#1**" in reply.text, reply.text
    prediction_id = (await h.services.predictions.get(guild(h), 1)).id
    for index, who in enumerate(voters):
        h.clock.advance(minutes=1)
        await h.services.votes.vote(
            guild(h), prediction_id, uid(h, who), 300 + 100 * index, "slash"
        )
        await h.services.votes.set_following(guild(h), prediction_id, uid(h, who), True)
    h.clock.advance(minutes=1)
    await h.settle()
    info = await h.services.predictions.get(guild(h), 1)
    assert info.message_id is not None and info.thread_id is not None
    return info


# --- reading what the fake stored --------------------------------------------------------------


def prediction_message(h: Harness, info: PredictionInfo) -> JSON:
    """The prediction's public message, as the fake stores it now."""
    return h.fake.message(str(info.message_id))


def embed_fields(embed: JSON) -> dict[str, str]:
    """An embed's fields, value by name."""
    return {f["name"]: f["value"] for f in embed.get("fields", [])}


def message_fields(message: JSON) -> dict[str, str]:
    """The fields of a message's first embed, value by name."""
    return embed_fields(message["embeds"][0])


def custom_ids(message: JSON) -> list[str]:
    """The custom ids of a message's components (in action rows), in order."""
    return [c["custom_id"] for row in message["components"] for c in row["components"]]


def button(h: Harness, message_id: str, label: str) -> JSON:
    """The first component of a stored message whose label contains ``label``."""
    return next(
        c
        for row in h.fake.message(message_id)["components"]
        for c in row["components"]
        if label in c.get("label", "")
    )


def pinged(message: JSON) -> set[int]:
    """Whom Discord notified for a stored message (its resolved ``mentions``)."""
    return {int(user["id"]) for user in message["mentions"]}


async def track(h: Harness, message_id: str, *, user: str = "alice", kind: str = "Yes/no") -> Reply:
    """``user`` runs "Track as prediction" on a stored message and picks ``kind`` in the
    private choice that follows; the answer to that pick (the create form, normally)."""
    asked = await h.run(h.fake.message_command("Track as prediction", message_id, user=user))
    assert asked.ephemeral and asked.modal is None, asked.text
    [message] = asked.messages
    chosen = next(
        c for row in message["components"] for c in row["components"] if c.get("label") == kind
    )
    return await h.run(h.fake.click(message["id"], chosen["custom_id"], user=user))
