"""What the resolution cog tests do and read: /resolve and its confirmation, the reopen payload,
the announcement in the thread and whom it pinged, a moderator role."""

from __future__ import annotations

import discord

from bot.services.core.dto import PredictionInfo
from tests.cogs.conftest import Harness, Reply
from tests.cogs.helpers import (
    guild,
)
from tests.fakediscord import payloads as p
from tests.fakediscord.payloads import JSON

GREEN = discord.Colour.green().value
RED = discord.Colour.red().value
BLURPLE = discord.Colour.blurple().value
#: Generous upper bound for background work (chart rendering) on a busy machine; not a timing
#: assertion: waits end as soon as the condition holds.
WAIT = 30.0


async def resolve(h: Harness, outcome: str, *, user: str = "alice", **options: str) -> Reply:
    extra = [p.option(name, value) for name, value in options.items()]
    return await h.run(
        h.fake.slash(
            "resolve", p.option("prediction", 1), p.option("outcome", outcome), *extra, user=user
        )
    )


def reopen_payload(h: Harness, *, user: str = "alice", reason: str | None = None) -> JSON:
    extra = [p.option("reason", reason)] if reason is not None else []
    return h.fake.slash(
        "predictions", p.subcommand("reopen", p.option("prediction", 1), *extra), user=user
    )


def announcements(h: Harness, info: PredictionInfo) -> list[JSON]:
    return [
        m
        for m in h.fake.messages_in(str(info.thread_id))
        if (m.get("content") or "").startswith(f"**#{info.number} resolved")
    ]


async def confirm(h: Harness, asked: Reply, who: str, label: str = "Confirm") -> Reply:
    """Press a button of the private confirmation ``asked`` showed."""
    [message] = asked.messages
    button = next(
        c for row in message["components"] for c in row["components"] if c["label"] == label
    )
    reply = await h.run(h.fake.click(message["id"], button["custom_id"], user=who))
    await h.settle()  # a confirmed question is first marked "Resolving…", then answered in place
    ids = dict.fromkeys(i for i in [reply.record.original_id, *reply.record.message_ids] if i)
    return Reply(
        reply.record, [h.fake.state.messages[i] for i in ids if i in h.fake.state.messages]
    )


async def announced(h: Harness, info: PredictionInfo) -> JSON:
    await h.fake.wait_for(
        lambda: announcements(h, info), timeout=WAIT, message="no resolution announcement"
    )
    [message] = announcements(h, info)
    return message


def allowed_users(message: JSON) -> set[int]:
    allowed = message["_fake_allowed_mentions"]
    assert allowed.get("parse") == [] and not allowed.get("roles"), allowed
    return {int(u) for u in allowed["users"]}


async def make_moderators(h: Harness) -> None:
    await h.services.server_config.update_guild(
        guild(h), moderator_role_id=int(h.fake.moderator_role_id)
    )


# --- /resolve -----------------------------------------------------------------------------------
