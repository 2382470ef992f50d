"""``/vote``: a forecast by number, and the registration of the vote buttons' handlers.

``probability`` (yes/no, the option existing members and scripts send) and ``forecast`` (any
kind: ``Anthropic 50, OpenAI 30, Google 20``) are both read by the question's kind; exactly one
of them is given.
"""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.domain import option_limits as limit
from bot.domain.errors import InvalidInput
from bot.domain.text import REASON_MAX
from bot.domain.vocabulary import VoteSource
from bot.rendering.replies import guild_id_of
from bot.runtime.autocomplete import PredictionNumber, open_prediction_numbers
from bot.runtime.client import AuguryBot
from cogs.voting.buttons import PREDICTION_BUTTONS
from cogs.voting.range_form import RangeForecastButton
from cogs.voting.submit import read_forecast, submit_vote

NO_FORECAST = (
    "Give your forecast: `probability` on a yes/no question (e.g. `70`), or `forecast` on the "
    "others (e.g. `Anthropic 50, OpenAI 30, Google 20`)."
)
TWO_FORECASTS = "Give your forecast once, in `probability` or in `forecast`, not in both."


def one_forecast(probability: str | None, forecast: str | None) -> str:
    """The forecast as typed, from whichever of the two options was given."""
    given = [text for text in (probability, forecast) if text is not None]
    if not given:
        raise InvalidInput(NO_FORECAST)
    if len(given) > 1:
        raise InvalidInput(TWO_FORECASTS)
    return given[0]


class VotingCog(commands.Cog):
    """Voting by slash command and by the buttons on a prediction message."""

    def __init__(self, bot: AuguryBot) -> None:
        self.bot = bot
        bot.add_dynamic_items(*PREDICTION_BUTTONS, RangeForecastButton)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(*PREDICTION_BUTTONS, RangeForecastButton)

    @app_commands.command(name="vote", description="Give your forecast on a prediction")
    @app_commands.guild_only()
    @app_commands.describe(
        prediction="The prediction's number (type to search)",
        probability="Yes/no: 1–99 %: 70, 70%, 0.7, or odds 3:1 (0 and 100 count as 1 and 99)",
        forecast="Other kinds, e.g. multiple choice: Anthropic 50, OpenAI 30, Google 20",
        reason="Why you think so (optional, up to 1000 characters; posted in the thread)",
    )
    @app_commands.autocomplete(prediction=open_prediction_numbers)
    async def vote(
        self,
        interaction: discord.Interaction,
        prediction: PredictionNumber,
        probability: app_commands.Range[str, 1, limit.PROBABILITY_TEXT_MAX] | None = None,
        forecast: app_commands.Range[str, 1, limit.FORECAST_TEXT_MAX] | None = None,
        reason: app_commands.Range[str, None, REASON_MAX] | None = None,
    ) -> None:
        guild_id = guild_id_of(interaction)
        typed = one_forecast(probability, forecast)
        await interaction.response.defer(ephemeral=True, thinking=True)
        target = await self.bot.services.votes.target_by_number(guild_id, prediction)
        read = read_forecast(target, typed)
        await submit_vote(
            self.bot,
            interaction,
            target.id,
            read.forecast,
            VoteSource.SLASH,
            reason=reason,
            note=read.note,
        )
