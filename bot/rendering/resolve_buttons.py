"""Yes / No / Ambiguous buttons on reminders: persistent, and only for those who may resolve."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import discord

from bot.rendering.embeds import OUTCOME_LABELS
from bot.rendering.replies import actor_of, guild_id_of, reply_ephemeral, report_error
from bot.rendering.resolution_post import announce_resolution

if TYPE_CHECKING:
    from bot.client import AuguryBot

STYLES = {
    "yes": discord.ButtonStyle.success,
    "no": discord.ButtonStyle.danger,
    "ambiguous": discord.ButtonStyle.secondary,
}


class ResolveButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"^augury:resolve:(?P<id>[0-9]+):(?P<outcome>yes|no|ambiguous)$",
):
    def __init__(self, prediction_id: int, outcome: str) -> None:
        super().__init__(
            discord.ui.Button(
                label=OUTCOME_LABELS[outcome].split(" ", 1)[1].title(),
                emoji=OUTCOME_LABELS[outcome].split(" ", 1)[0],
                style=STYLES[outcome],
                custom_id=f"augury:resolve:{prediction_id}:{outcome}",
            )
        )
        self.prediction_id = prediction_id
        self.outcome = outcome

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> ResolveButton:
        return cls(int(match["id"]), match["outcome"])

    async def callback(self, interaction: discord.Interaction) -> None:
        from bot.client import AuguryBot

        bot = interaction.client
        assert isinstance(bot, AuguryBot)
        try:
            guild_id = guild_id_of(interaction)
            actor = actor_of(interaction)
            number = await bot.services.resolution.can_resolve(guild_id, self.prediction_id, actor)
            await interaction.response.defer(ephemeral=True, thinking=True)
            resolved = await bot.services.resolution.resolve(guild_id, number, actor, self.outcome)
            await resolve_followup(bot, interaction, resolved)
        except Exception as error:
            await report_error(interaction, error)


async def resolve_followup(bot: AuguryBot, interaction: discord.Interaction, resolved: Any) -> None:
    info = resolved.prediction
    await reply_ephemeral(
        interaction,
        f"Resolved #{info.number} {OUTCOME_LABELS[info.outcome]}. "
        f"A mistake? `/predictions reopen number:{info.number}` undoes it.",
    )
    await announce_resolution(bot, resolved)


def resolution_view(prediction_id: int) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    for outcome in ("yes", "no", "ambiguous"):
        view.add_item(ResolveButton(prediction_id, outcome))
    return view
