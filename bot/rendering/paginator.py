"""A small Previous / Next paginator for ephemeral lists (one page fetched at a time)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import discord

from bot.rendering.replies import report_error

PageRenderer = Callable[[int], Awaitable[tuple[discord.Embed, int]]]


class Paginator(discord.ui.View):
    """Buttons call ``render(page)`` which returns the embed and the page count."""

    def __init__(self, owner_id: int, render: PageRenderer, page: int, pages: int) -> None:
        super().__init__(timeout=600)
        self.owner_id = owner_id
        self.render = render
        self.page = page
        self.pages = pages
        self._sync_buttons()

    def _sync_buttons(self) -> None:
        self.previous.disabled = self.page <= 0
        self.next.disabled = self.page >= self.pages - 1

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        if interaction.user.id == self.owner_id:
            return True
        await interaction.response.send_message(
            "These buttons belong to someone else's list; run the command yourself.",
            ephemeral=True,
        )
        return False

    async def _show(self, interaction: discord.Interaction, page: int) -> None:
        embed, self.pages = await self.render(page)
        self.page = min(max(page, 0), self.pages - 1)
        self._sync_buttons()
        await interaction.response.edit_message(embed=embed, view=self)

    @discord.ui.button(label="◀ Previous", style=discord.ButtonStyle.secondary)
    async def previous(
        self, interaction: discord.Interaction, _: discord.ui.Button[Paginator]
    ) -> None:
        await self._show(interaction, self.page - 1)

    @discord.ui.button(label="Next ▶", style=discord.ButtonStyle.secondary)
    async def next(self, interaction: discord.Interaction, _: discord.ui.Button[Paginator]) -> None:
        await self._show(interaction, self.page + 1)

    async def on_error(
        self, interaction: discord.Interaction, error: Exception, _item: discord.ui.Item[Paginator]
    ) -> None:
        await report_error(interaction, error)
