"""The recap post: one message when a season ends, worth sharing, pinging nobody, naming its
season in the footer (or a forum post's title) so that a retry can find it.

An embed (the top forecasters, the best calls, the biggest surprises, the calibration in words,
how many took part) with the recap card as its image, and the season's calibration chart
attached beside it. Both images render in the chart workers, off the event loop. Results marked
disputed by moderators' pending disputes say so.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from datetime import datetime

import discord
from discord.utils import escape_markdown

from bot.forecasting.chart_jobs import season_card
from bot.forecasting.probability import format_probability
from bot.rendering.chart_files import attachment_url, calibration_file, calibration_text
from bot.rendering.chart_pool import ChartPool
from bot.rendering.limits import EMBED_DESCRIPTION, EMBED_FIELD_VALUE, EMBED_TITLE, truncate
from bot.rendering.timestamps import discord_timestamp
from bot.services.seasons.results import SeasonResults

CARD_FILENAME = "season-recap.png"
MEDALS = ("🥇", "🥈", "🥉")
NO_MENTIONS = discord.AllowedMentions.none()


def recap_marker(name: str) -> str:
    """The recap embed's footer, which names its season: a retry finds an earlier post by it
    (a season's name is unique in its server and never changes)."""
    return "Season standings: /leaderboard season:" + truncate(name, 60)


def recap_thread_name(name: str) -> str:
    """A forum recap's post title, which names its season the same way."""
    return f"Season recap · {name}"[:100]


def plural(count: int, word: str, many: str | None = None) -> str:
    return f"{count:,} {word}" if count == 1 else f"{count:,} {many or word + 's'}"


def _score(value: float) -> str:
    return f"{value:+.3f}".replace("-", "−")


def _outcome(came_true: bool) -> str:
    return "✅ YES" if came_true else "❌ NO"


def _name(user_id: int, names: Mapping[int, str]) -> str:
    known = names.get(user_id)
    return escape_markdown(known) if known else f"<@{user_id}>"


def _statement(number: int, statement: str) -> str:
    return f"#{number} “{escape_markdown(truncate(statement, 80))}”"


def _disputed(flag: bool) -> str:
    return " *(disputed)*" if flag else ""


def took_part(results: SeasonResults) -> str:
    return (
        f"{plural(results.participants, 'forecaster')} took part · "
        f"{plural(results.resolved, 'prediction')} resolved"
    )


def _day(moment: datetime) -> str:
    return f"{moment.day} {moment:%B %Y}"


def window_text(results: SeasonResults) -> str:
    season = results.season
    end = season.ended_at or season.ends_at
    tags = f" · tagged {', '.join(season.tags)}" if season.tags else ""
    start = _day(season.started_at)
    return f"{start} – {_day(end)}{tags}" if end else f"From {start}{tags}"


def recap_embed(results: SeasonResults, names: Mapping[int, str]) -> discord.Embed:
    season = results.season
    end = season.ended_at or season.ends_at
    span = f"{discord_timestamp(season.started_at, 'D')} – " + (
        discord_timestamp(end, "D") if end else "now"
    )
    tags = (
        f"\nOnly predictions tagged {', '.join(f'`{t}`' for t in season.tags)}."
        if season.tags
        else ""
    )
    embed = discord.Embed(
        title=truncate(f"🏁 Season recap · {season.name}", EMBED_TITLE),
        description=truncate(f"{span}\n**{took_part(results)}**{tags}", EMBED_DESCRIPTION),
        colour=discord.Colour.gold(),
    )
    if results.top:
        lines = [
            f"{MEDALS[i] if i < len(MEDALS) else f'**{row.rank}.**'} {_name(row.user_id, names)}"
            f" · {_score(row.value)} · {plural(row.count, 'forecast')}"
            for i, row in enumerate(results.top)
        ]
        lines.append("*Relative Brier: below 0 beats the crowd; lower is better.*")
    else:
        lines = [
            f"Nobody reached the {plural(results.min_resolved, 'resolved forecast')} the "
            "leaderboard asks for."
        ]
    embed.add_field(
        name="Top forecasters", value=truncate("\n".join(lines), EMBED_FIELD_VALUE), inline=False
    )
    calls = [
        f"{_name(c.user_id, names)} said {format_probability(c.permille)} on "
        f"{_statement(c.number, c.statement)} when the community said "
        f"{format_probability(round(c.community_permille))}; it resolved {_outcome(c.outcome)}."
        f"{_disputed(c.disputed)}"
        for c in results.best_calls
    ]
    embed.add_field(
        name="Best calls",
        value=truncate(
            "\n".join(calls) or "No question went against the crowd this season.", EMBED_FIELD_VALUE
        ),
        inline=False,
    )
    surprises = [
        f"{_statement(s.number, s.statement)}: the community said "
        f"{format_probability(round(s.community_permille))}, it resolved {_outcome(s.outcome)}."
        f"{_disputed(s.disputed)}"
        for s in results.surprises
    ]
    embed.add_field(
        name="Biggest surprises",
        value=truncate(
            "\n".join(surprises) or "No surprises: the community saw it all coming.",
            EMBED_FIELD_VALUE,
        ),
        inline=False,
    )
    # Calibration is for yes/no forecasts: a season of other kinds says so, with no chart.
    calibration = (
        calibration_text(results.buckets)
        if _has_calibration(results)
        else "No yes/no forecast was resolved this season."
    )
    embed.add_field(name="Calibration (yes/no)", value=calibration, inline=False)
    embed.set_image(url=attachment_url(CARD_FILENAME))
    embed.set_footer(text=recap_marker(season.name))
    return embed


async def recap_files(
    results: SeasonResults, names: Mapping[int, str], pool: ChartPool
) -> list[discord.File]:
    """The card (the embed's image) and the calibration chart, rendered in the workers."""
    top = [(names.get(row.user_id) or "a member", _score(row.value)) for row in results.top]
    card = await pool.render(
        season_card,
        results.season.name,
        window_text(results),
        took_part(results),
        top,
        list(results.buckets),
    )
    alt = f"Season recap of {results.season.name}: {took_part(results)}."
    card_file = discord.File(
        io.BytesIO(card), filename=CARD_FILENAME, description=truncate(alt, 1024)
    )
    if not _has_calibration(results):
        return [card_file]
    chart = await calibration_file(
        results.buckets, f"Calibration · {results.season.name}", pool=pool
    )
    return [card_file, chart]


def _has_calibration(results: SeasonResults) -> bool:
    """Whether any yes/no forecast of the season was resolved (what calibration is about)."""
    return any(bucket.count > 0 for bucket in results.buckets)
