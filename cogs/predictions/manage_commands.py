"""``/predictions``: show, list, edit, cancel, follow and unfollow.

(``/predictions reopen`` is the resolution feature's: it adds it to this group when it loads.)
"""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.rendering.chart_files import (
    HISTORY_FILENAME,
    attachment_url,
    history_file,
    history_text,
)
from bot.rendering.links import jump_url
from bot.rendering.paginator import Paginator
from bot.rendering.prediction_embed import list_line, prediction_embed
from bot.rendering.replies import actor_of, guild_id_of, reply_ephemeral
from bot.runtime.autocomplete import prediction_numbers
from bot.runtime.client import AuguryBot
from bot.services.finding import FILTER_LABELS, ListFilter
from bot.services.predictions import STATUS_FILTERS

STATUS_CHOICES = [app_commands.Choice(name=s.value, value=s.value) for s in STATUS_FILTERS]
SHOW_CHOICES = [app_commands.Choice(name=FILTER_LABELS[f], value=f.value) for f in ListFilter]
FIELD_NAMES = {"statement": "statement", "details": "details", "resolves_at": "resolution date"}


@app_commands.guild_only()
class PredictionsCog(commands.GroupCog, group_name="predictions"):
    """Find and manage the server's predictions."""

    def __init__(self, bot: AuguryBot) -> None:
        self.bot = bot
        super().__init__()

    @app_commands.command(name="show", description="Show one prediction")
    @app_commands.describe(number="The prediction's number (type to search)")
    @app_commands.autocomplete(number=prediction_numbers)
    async def show(self, interaction: discord.Interaction, number: int) -> None:
        guild_id = guild_id_of(interaction)
        await interaction.response.defer(thinking=True)
        info = await self.bot.services.predictions.get(guild_id, number)
        now = self.bot.clock.now()
        embed = prediction_embed(info, now)
        embed.url = jump_url(guild_id, info.channel_id, info.message_id)
        files: list[discord.File] = []
        if info.votes_shown(now):
            history = await self.bot.services.stats.history(guild_id, info.id)
            zone = await self.bot.services.timezones.zone_for(interaction.user.id, guild_id)
            chart = await history_file(history, f"#{info.number}: community forecast", zone)
            if chart is not None:
                embed.add_field(name="History", value=history_text(history), inline=False)
                embed.set_image(url=attachment_url(HISTORY_FILENAME))
                files.append(chart)
        await interaction.followup.send(
            embed=embed, files=files, allowed_mentions=discord.AllowedMentions.none()
        )

    @app_commands.command(name="list", description="List the server's predictions, newest first")
    @app_commands.describe(
        status="Only predictions in this state",
        author="Only this member's",
        show="Only those that need your vote, are due, are yours, or you follow",
    )
    @app_commands.choices(status=STATUS_CHOICES, show=SHOW_CHOICES)
    async def list_(
        self,
        interaction: discord.Interaction,
        status: app_commands.Choice[str] | None = None,
        author: discord.Member | None = None,
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
    )
    @app_commands.autocomplete(number=prediction_numbers)
    async def edit(
        self,
        interaction: discord.Interaction,
        number: int,
        statement: str | None = None,
        details: str | None = None,
        resolves: str | None = None,
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
        )
        await self.bot.public_messages.render_now(result.prediction.id)
        changed = ", ".join(FIELD_NAMES.get(name, name) for name in result.changed)
        await reply_ephemeral(interaction, f"✏️ Updated the {changed} of #{number}.")

    @app_commands.command(name="cancel", description="Cancel a prediction (author or moderator)")
    @app_commands.describe(number="The prediction's number")
    @app_commands.autocomplete(number=prediction_numbers)
    async def cancel(self, interaction: discord.Interaction, number: int) -> None:
        guild_id = guild_id_of(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        info = await self.bot.services.predictions.cancel(guild_id, number, actor_of(interaction))
        await self.bot.public_messages.render_now(info.id)
        await reply_ephemeral(
            interaction, f"🚫 Cancelled #{number}. It stays in the list as cancelled."
        )

    @app_commands.command(
        name="follow", description="Be pinged when a prediction is due or resolved"
    )
    @app_commands.describe(number="The prediction's number")
    @app_commands.autocomplete(number=prediction_numbers)
    async def follow(self, interaction: discord.Interaction, number: int) -> None:
        await self._set_following(interaction, number, True)

    @app_commands.command(name="unfollow", description="Stop being pinged about a prediction")
    @app_commands.describe(number="The prediction's number")
    @app_commands.autocomplete(number=prediction_numbers)
    async def unfollow(self, interaction: discord.Interaction, number: int) -> None:
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
