"""The weekly digest as one embed: four short lists, names not mentions, within Discord's limits.

Each field holds what fits in 1,024 characters and says how many more there are; statements are
cut to one line and escaped, so a statement's markdown or mention shows as typed and pings
nobody (the message is also sent with no allowed mentions).
"""

from __future__ import annotations

import discord

from bot.rendering.limits import EMBED_FIELD_VALUE, EMBED_TITLE, one_line, truncate
from bot.rendering.links import jump_url
from bot.rendering.timestamps import discord_timestamp as ts
from bot.services.digest import Digest, DigestLine, Standing

STATEMENT_SHOWN = 90
NOTHING = {
    "votes": "Nothing waiting: every open prediction has a few forecasters.",
    "due": "Nothing reaches its resolution date this week.",
    "resolved": "Nothing was resolved this week.",
    "standings": "Nobody is ranked yet: forecasts count once predictions resolve.",
    "season": "Nobody is ranked in this season yet: forecasts count once predictions resolve.",
}


def standings_title(season: str | None) -> str:
    """The running season's standings say which season (its name as typed, escaped)."""
    if season is None:
        return "🏆 Standings (relative Brier, all time)"
    return truncate(
        f"🏆 Standings · season {discord.utils.escape_markdown(season)} (relative Brier)", 256
    )


def plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _title(line: DigestLine, guild_id: int) -> str:
    words = discord.utils.escape_markdown(
        discord.utils.escape_mentions(truncate(one_line(line.statement), STATEMENT_SHOWN))
    )
    link = jump_url(guild_id, line.channel_id, line.message_id)
    number = f"[#{line.number}]({link})" if link else f"#{line.number}"
    return f"**{number}** {words}"


def vote_line(line: DigestLine, guild_id: int) -> str:
    return (
        f"{_title(line, guild_id)} · {plural(line.forecasters, 'forecaster')} · "
        f"voting closes {ts(line.when, 'R')}"
    )


def due_line(line: DigestLine, guild_id: int) -> str:
    return f"{_title(line, guild_id)} · due {ts(line.when, 'R')}"


def resolved_line(line: DigestLine, guild_id: int) -> str:
    disputed = " · ⚖️ disputed" if line.disputed else ""
    return f"{_title(line, guild_id)} · **{line.outcome}** {ts(line.when, 'R')}{disputed}"


def standing_line(row: Standing, names: dict[int, str]) -> str:
    who = discord.utils.escape_markdown(names.get(row.user_id, "a member"))
    return f"**{row.rank}.** {who} · {row.value:+.3f} · {plural(row.count, 'forecast')}"


def fit(lines: list[str], total: int, empty: str, limit: int = EMBED_FIELD_VALUE) -> str:
    """As many whole lines as fit, then "…and N more" for the rest (counted, not listed)."""
    if not lines:
        return empty
    shown: list[str] = []
    for index, line in enumerate(lines):
        rest = total - index - 1
        more = f"\n…and {rest} more" if rest > 0 else ""
        candidate = "\n".join([*shown, line]) + more
        if len(candidate) > limit:
            break
        shown.append(line)
    hidden = total - len(shown)
    tail = f"\n…and {hidden} more" if hidden > 0 else ""
    return truncate("\n".join(shown) + tail, limit) if shown else truncate(lines[0], limit)


def digest_embed(digest: Digest, server_name: str) -> discord.Embed:
    guild = digest.guild_id
    embed = discord.Embed(
        title=truncate(f"📅 The week at {server_name}", EMBED_TITLE),
        description="What needs your forecast, what is due, what was settled, and who leads.",
        colour=discord.Colour.teal(),
        timestamp=digest.now,
    )
    embed.add_field(
        name="🗳️ Needs your forecast",
        value=fit(
            [vote_line(line, guild) for line in digest.needs_votes],
            digest.needs_votes_total,
            NOTHING["votes"],
        ),
        inline=False,
    )
    embed.add_field(
        name="⏰ Due this week",
        value=fit(
            [due_line(line, guild) for line in digest.due_soon], digest.due_total, NOTHING["due"]
        ),
        inline=False,
    )
    embed.add_field(
        name="✅ Resolved this week",
        value=fit(
            [resolved_line(line, guild) for line in digest.resolved],
            digest.resolved_total,
            NOTHING["resolved"],
        ),
        inline=False,
    )
    embed.add_field(
        name=standings_title(digest.season),
        value=fit(
            [standing_line(row, digest.names) for row in digest.standings],
            len(digest.standings),
            NOTHING["standings"] if digest.season is None else NOTHING["season"],
        ),
        inline=False,
    )
    embed.set_footer(text="Weekly digest · moderators change it with /augury digest")
    return embed
