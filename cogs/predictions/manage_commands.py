"""``/predictions``: show, list, edit, cancel, follow and unfollow.

(``/predictions reopen`` is the resolution feature's: it adds it to this group when it loads.)
"""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.domain import option_limits as limit
from bot.domain.tags import normalise_tag
from bot.rendering.chart_files import (
    HISTORY_FILENAME,
    attachment_url,
    history_file,
    history_text,
)
from bot.rendering.date_echo import understood
from bot.rendering.links import jump_url
from bot.rendering.paginator import Paginator
from bot.rendering.prediction_embed import list_line, prediction_embed
from bot.rendering.replies import (
    actor_of,
    committed,
    defer_publicly,
    guild_id_of,
    reply_ephemeral,
    send_public,
    shown_later,
)
from bot.runtime.autocomplete import PredictionNumber, prediction_numbers, tag_names
from bot.runtime.channels import find_channel
from bot.runtime.client import AuguryBot
from bot.runtime.cooldowns import member_cooldown
from bot.runtime.forum_tags import drop_status_tag, sync_topic_tags
from bot.runtime.manage_autocomplete import editable_prediction_numbers, own_tag_names
from bot.services.predictions.finding import FILTER_LABELS, ListFilter
from bot.services.predictions.service import STATUS_FILTERS
from cogs.predictions.history_text import history_embed

STATUS_CHOICES = [app_commands.Choice(name=s.value, value=s.value) for s in STATUS_FILTERS]
#: /predictions show draws a chart: a few per minute per member (browsing, not hammering).
SHOW_RATE, SHOW_PER = 4, 60.0
SHOW_CHOICES = [app_commands.Choice(name=FILTER_LABELS[f], value=f.value) for f in ListFilter]
FIELD_NAMES = {
    "statement": "statement",
    "details": "details",
    "resolves_at": "resolution date",
    "tags": "tags",
}


@app_commands.guild_install()
@app_commands.allowed_contexts(guilds=True, dms=False, private_channels=False)
class PredictionsCog(commands.GroupCog, group_name="predictions"):
    """Find and manage the server's predictions."""

    def __init__(self, bot: AuguryBot) -> None:
        self.bot = bot
        super().__init__()

    @app_commands.command(name="show", description="Show one prediction")
    @app_commands.describe(number="The prediction's number (type to search)")
    @app_commands.rename(number="prediction")  # one spelling everywhere
    @app_commands.autocomplete(number=prediction_numbers)
    @member_cooldown("predictions show", rate=SHOW_RATE, per=SHOW_PER)
    async def show(self, interaction: discord.Interaction, number: PredictionNumber) -> None:
        guild_id = guild_id_of(interaction)
        await defer_publicly(interaction)
        info = await self.bot.services.predictions.get(guild_id, number)
        now = self.bot.clock.now()
        embed = prediction_embed(info, now)
        embed.url = jump_url(guild_id, info.channel_id, info.message_id)
        files: list[discord.File] = []
        if info.votes_shown(now):
            history = await self.bot.services.stats.history(guild_id, info.id)
            zone = await self.bot.services.timezones.zone_for(interaction.user.id, guild_id)
            chart = await history_file(
                history, f"#{info.number}: community forecast", pool=self.bot.charts, tz=zone
            )
            if chart is not None:
                embed.add_field(name="History", value=history_text(history), inline=False)
                embed.set_image(url=attachment_url(HISTORY_FILENAME))
                files.append(chart)
        await send_public(interaction, embed=embed, files=files)

    @app_commands.command(name="list", description="List the server's predictions, newest first")
    @app_commands.describe(
        status="Only predictions in this state",
        author="Only this member's",
        tag="Only predictions with this tag",
        show="Only those that need your vote, are due, are yours, or you follow",
    )
    @app_commands.choices(status=STATUS_CHOICES, show=SHOW_CHOICES)
    @app_commands.autocomplete(tag=tag_names)
    async def list_(
        self,
        interaction: discord.Interaction,
        status: app_commands.Choice[str] | None = None,
        author: discord.Member | None = None,
        tag: app_commands.Range[str, 1, limit.TAG_TEXT_MAX] | None = None,
        show: app_commands.Choice[str] | None = None,
    ) -> None:
        guild_id = guild_id_of(interaction)
        status_value = status.value if status else None
        author_id = author.id if author else None
        shown = show.value if show else None
        member_id = interaction.user.id

        async def render(page: int) -> tuple[discord.Embed, int]:
            result = await self.bot.services.predictions.list_page(
                guild_id,
                status=status_value,
                author_id=author_id,
                tag=tag,
                page=page,
                show=shown,
                member_id=member_id,
            )
            now = self.bot.clock.now()
            lines = [list_line(info, now) for info in result.items]
            title = "Predictions" + "".join(
                f" · {label}"
                for label in (status_value, FILTER_LABELS[ListFilter(shown)] if shown else None)
                if label
            )
            title += f" · tagged {normalise_tag(tag)}" if tag else ""
            embed = discord.Embed(
                title=title,
                description="\n".join(lines) or "No predictions match.",
                colour=discord.Colour.blurple(),
            )
            embed.set_footer(
                text=f"Page {result.page + 1} of {result.pages} · {result.total} in all"
            )
            return embed, result.pages

        await interaction.response.defer(ephemeral=True, thinking=True)
        embed, pages = await render(0)
        view = Paginator(interaction.user.id, render, 0, pages) if pages > 1 else None
        await reply_ephemeral(interaction, embed=embed, view=view)

    @app_commands.command(name="edit", description="Edit your prediction (author or moderator)")
    @app_commands.describe(
        number="The prediction's number",
        statement="New statement (only until someone else has voted)",
        details="New details (after others voted: text to add)",
        resolves="New resolution date, e.g. 2027-06-30 or in 3 months",
        add_tags="Tags to add, comma-separated (a prediction has at most 5)",
        remove_tags="Tags to remove, comma-separated",
    )
    @app_commands.rename(number="prediction")  # one spelling everywhere
    @app_commands.autocomplete(number=editable_prediction_numbers)
    @app_commands.autocomplete(add_tags=tag_names, remove_tags=own_tag_names)
    async def edit(
        self,
        interaction: discord.Interaction,
        number: PredictionNumber,
        statement: app_commands.Range[str, 1, limit.STATEMENT_MAX] | None = None,
        details: app_commands.Range[str, 1, limit.DETAILS_MAX] | None = None,
        resolves: app_commands.Range[str, 1, limit.DATE_PHRASE_MAX] | None = None,
        add_tags: app_commands.Range[str, 1, limit.TAG_LIST_TEXT_MAX] | None = None,
        remove_tags: app_commands.Range[str, 1, limit.TAG_LIST_TEXT_MAX] | None = None,
    ) -> None:
        guild_id = guild_id_of(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        result = await self.bot.services.predictions.edit(
            guild_id,
            number,
            actor_of(interaction),
            statement=statement,
            details=details,
            resolves=resolves,
            add_tags=add_tags,
            remove_tags=remove_tags,
        )
        info = result.prediction
        changed = ", ".join(FIELD_NAMES.get(name, name) for name in result.changed)
        committed(interaction, f"Updated the {changed} of #{number}")
        if "tags" in result.changed and info.thread_id is not None:
            thread = await find_channel(self.bot, info.thread_id)
            if isinstance(thread, discord.Thread):
                await sync_topic_tags(thread, info.tags)
        shown = await self.bot.public_messages.render_now(result.prediction.id)
        tagged = ""
        if "tags" in result.changed:
            tagged = f" Tags now: {', '.join(info.tags) or 'none'}."
        if "resolves_at" in result.changed and resolves:
            zone = await self.bot.services.timezones.zone_for(interaction.user.id, guild_id)
            tagged += f" It now resolves {understood(info.resolves_at, resolves, zone.key)}."
        await reply_ephemeral(
            interaction, f"✏️ Updated the {changed} of #{number}.{tagged}{shown_later(shown)}"
        )

    @app_commands.command(name="cancel", description="Cancel a prediction (author or moderator)")
    @app_commands.describe(number="The prediction's number")
    @app_commands.rename(number="prediction")  # one spelling everywhere
    @app_commands.autocomplete(number=editable_prediction_numbers)
    async def cancel(self, interaction: discord.Interaction, number: PredictionNumber) -> None:
        guild_id = guild_id_of(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        info = await self.bot.services.predictions.cancel(guild_id, number, actor_of(interaction))
        committed(interaction, f"Cancelled #{number}")
        thread = await find_channel(self.bot, info.thread_id) if info.thread_id else None
        if isinstance(thread, discord.Thread):
            await drop_status_tag(thread)  # a forum post no longer tagged Open
        shown = await self.bot.public_messages.render_now(info.id)
        await reply_ephemeral(
            interaction,
            f"🚫 Cancelled #{number}. It stays in the list as cancelled.{shown_later(shown)}",
        )

    @app_commands.command(
        name="history", description="Every edit, cancel, resolve and reopen, with who and when"
    )
    @app_commands.describe(number="The prediction's number")
    @app_commands.rename(number="prediction")  # one spelling everywhere
    @app_commands.autocomplete(number=prediction_numbers)
    async def history(self, interaction: discord.Interaction, number: PredictionNumber) -> None:
        guild_id = guild_id_of(interaction)

        async def render(page: int) -> tuple[discord.Embed, int]:
            history = await self.bot.services.history.page(guild_id, number, page)
            return history_embed(history), history.pages

        await interaction.response.defer(ephemeral=True, thinking=True)
        embed, pages = await render(0)
        view = Paginator(interaction.user.id, render, 0, pages) if pages > 1 else None
        await reply_ephemeral(interaction, embed=embed, view=view)

    @app_commands.command(
        name="follow", description="Be pinged when a prediction is due or resolved"
    )
    @app_commands.describe(number="The prediction's number")
    @app_commands.rename(number="prediction")  # one spelling everywhere
    @app_commands.autocomplete(number=prediction_numbers)
    async def follow(self, interaction: discord.Interaction, number: PredictionNumber) -> None:
        await self._set_following(interaction, number, True)

    @app_commands.command(name="unfollow", description="Stop being pinged about a prediction")
    @app_commands.describe(number="The prediction's number")
    @app_commands.rename(number="prediction")  # one spelling everywhere
    @app_commands.autocomplete(number=prediction_numbers)
    async def unfollow(self, interaction: discord.Interaction, number: PredictionNumber) -> None:
        await self._set_following(interaction, number, False)

    async def _set_following(
        self, interaction: discord.Interaction, number: int, following: bool
    ) -> None:
        guild_id = guild_id_of(interaction)
        target = await self.bot.services.votes.target_by_number(guild_id, number)
        await self.bot.services.votes.set_following(
            guild_id, target.id, interaction.user.id, following
        )
        await reply_ephemeral(
            interaction,
            f"🔔 You follow #{number}: you'll be pinged when it is due and resolved."
            if following
            else f"🔕 You no longer follow #{number}.",
        )
