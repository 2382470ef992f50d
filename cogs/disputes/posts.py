"""What a dispute says in the prediction's thread, and whom it pings: the moderator role only
if the server set one, never anyone the member's text mentions."""

from __future__ import annotations

import discord

from bot.domain.vocabulary import Outcome
from bot.rendering.limits import MESSAGE_CONTENT, truncate
from bot.rendering.timestamps import discord_timestamp as ts
from bot.services.disputes import Opened

REASON_SHOWN = 1200


def outcome_words(outcome: Outcome | None) -> str:
    return "AMBIGUOUS" if outcome == Outcome.AMBIGUOUS else str(outcome or "").upper()


def dispute_post(opened: Opened, who: str) -> str:
    """The thread post: who disputes, the reason quoted as text, what moderators can do."""
    role = f"<@&{opened.moderator_role_id}> " if opened.moderator_role_id else ""
    quoted = "\n".join(
        f"> {line}"
        for line in discord.utils.escape_markdown(
            truncate(opened.reason, REASON_SHOWN)
        ).splitlines()
    )
    n = opened.number
    what = outcome_words(opened.outcome)
    answer = "the answer given" if opened.outcome == Outcome.ANSWERED else what
    text = (
        f"⚖️ {role}**{discord.utils.escape_markdown(who)}** disputes the resolution of "
        f"**#{n}** ({answer}):\n{quoted}\n"
        f"Scores stand meanwhile; leaderboards mark #{n} as disputed until a moderator keeps "
        f"the resolution (`/augury dispute confirm number:{n}`) or reopens it "
        f"(`/augury dispute reopen number:{n}`). Disputes close {ts(opened.window_closes, 'R')}."
    )
    return truncate(text, MESSAGE_CONTENT)


def dispute_mentions(opened: Opened) -> discord.AllowedMentions:
    """Only the moderator role (when set); nobody the reason names, no @everyone."""
    roles = [discord.Object(id=opened.moderator_role_id)] if opened.moderator_role_id else False
    return discord.AllowedMentions(everyone=False, users=False, roles=roles, replied_user=False)
