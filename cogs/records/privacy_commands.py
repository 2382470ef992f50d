"""``/privacy forget-me``: confirm privately, then remove the member's identity; ``/privacy web``:
keep one's profile off the public web view (issue 20)."""

from __future__ import annotations

import logging

import discord
from discord import app_commands
from discord.ext import commands

from bot.rendering.replies import reply_ephemeral, reports_errors
from bot.rendering.words import plural
from bot.runtime.client import AuguryBot, augury
from bot.runtime.cooldowns import member_cooldown

log = logging.getLogger(__name__)

CONFIRM_SECONDS = 120
#: Forgetting rewrites a member's rows in every server; a member needs it once, not in a loop.
FORGET_RATE, FORGET_PER = 3, 3600.0
ASK = (
    "**Forget me?** This removes your Discord identity from everything Augury stores, in every "
    "server: you authored {authored} and have a forecast on {votes}.\n"
    "• Your forecasts stay, anonymously, so past community forecasts and other members' scores "
    "do not change. Where voting is still open, your current forecast is withdrawn from now on "
    "(vote again and you count once, as a new forecaster).\n"
    "• Your own scores, follows and settings are deleted; you are no longer pinged or listed.\n"
    "• Predictions you wrote stay, credited to a former member.\n"
    "This cannot be undone. Want a copy first? `/predictions export`."
)
WEB_OFF = (
    "🔒 Your profile is off the web in every server: no page, no name, no forecast of yours "
    "there; leaderboards show your place as a private member. `/privacy web shown:on` undoes it."
)
WEB_ON = (
    "🌐 Your profile may show on the web view of servers that turned it on (name, track record, "
    "forecasts whose votes are visible in Discord). `/privacy web shown:off` hides it."
)
CANCELLED = "Nothing was changed; Augury still has your record."
EXPIRED = "The confirmation expired and nothing was changed. Run `/privacy forget-me` again."


def done_text(votes: int, predictions: int, servers: int, withdrawn: int = 0) -> str:
    if servers == 0:
        return "✅ Done. Augury had no record of you, and now keeps none."
    text = (
        f"✅ Done. Your identity is gone from {plural(servers, 'server')}: "
        f"{plural(votes, 'forecast')} and {plural(predictions, 'prediction')} are now "
        "anonymous; your scores, follows and settings are "
        "deleted."
    )
    if withdrawn:
        text += (
            f" Your forecast on {plural(withdrawn, 'prediction')} still open for voting is "
            "withdrawn from now on."
        )
    return text


class ForgetConfirm(discord.ui.View):
    """Confirm / Cancel on the member's own ephemeral message."""

    def __init__(self, user_id: int) -> None:
        super().__init__(timeout=CONFIRM_SECONDS)
        self.user_id = user_id
        self.message: discord.InteractionMessage | None = None

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        return interaction.user.id == self.user_id

    @discord.ui.button(label="Forget me", style=discord.ButtonStyle.danger)
    @reports_errors
    async def confirm(
        self, interaction: discord.Interaction, _: discord.ui.Button[ForgetConfirm]
    ) -> None:
        self.stop()
        bot = augury(interaction)
        await interaction.response.edit_message(content="Forgetting you…", view=None)
        forgotten = await bot.services.privacy.forget(self.user_id)
        for prediction_id in forgotten.stale_messages:
            bot.public_messages.changed(prediction_id)
        await interaction.edit_original_response(
            content=done_text(
                forgotten.votes, forgotten.predictions, forgotten.servers, forgotten.withdrawn
            )
        )

    @discord.ui.button(label="Cancel", style=discord.ButtonStyle.secondary)
    @reports_errors
    async def cancel(
        self, interaction: discord.Interaction, _: discord.ui.Button[ForgetConfirm]
    ) -> None:
        self.stop()
        await interaction.response.edit_message(content=CANCELLED, view=None)

    async def on_timeout(self) -> None:
        if self.message is not None:
            try:
                await self.message.edit(content=EXPIRED, view=None)
            except discord.HTTPException:
                log.info("Could not mark an expired forget-me confirmation")


class PrivacyCog(commands.Cog):
    """What Augury stores about a member, and forgetting it on request."""

    privacy = app_commands.Group(name="privacy", description="Your data in Augury")

    def __init__(self, bot: AuguryBot) -> None:
        self.bot = bot

    @privacy.command(
        name="forget-me", description="Remove your identity from everything Augury stores"
    )
    @member_cooldown("forget-me", rate=FORGET_RATE, per=FORGET_PER)
    async def forget_me(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        authored, votes = await self.bot.services.privacy.footprint(interaction.user.id)
        view = ForgetConfirm(interaction.user.id)
        await reply_ephemeral(
            interaction,
            ASK.format(authored=plural(authored, "prediction"), votes=plural(votes, "prediction")),
            view=view,
        )
        view.message = await interaction.original_response()

    @privacy.command(name="web", description="Show or keep your profile off the public web view")
    @app_commands.describe(
        shown="on: your name, track record and forecasts may appear on servers' public pages"
    )
    @app_commands.choices(
        shown=[
            app_commands.Choice(name="on", value="on"),
            app_commands.Choice(name="off", value="off"),
        ]
    )
    async def web(self, interaction: discord.Interaction, shown: app_commands.Choice[str]) -> None:
        hidden = shown.value == "off"
        await self.bot.services.web.set_member_hidden(interaction.user.id, hidden)
        await reply_ephemeral(interaction, WEB_OFF if hidden else WEB_ON)
