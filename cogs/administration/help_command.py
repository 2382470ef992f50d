"""``/help``: one private page — how to predict, vote, resolve, and what the scores mean."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.rendering.replies import reply_ephemeral
from bot.runtime.client import AuguryBot

SECTIONS = {
    "🔮 Predict": (
        "`/predict statement: resolves:` — a yes/no statement and the date it can be judged "
        "(`2027-06-30`, `in 3 months`; read in your `/timezone`). Right-click a message → "
        "**Track as prediction** to track someone's claim: they are credited."
    ),
    "🗳️ Vote": (
        "**Vote** on the message, `/vote`, or react 0️⃣ … 🔟 (0 … 100 %; the ends count as 1 % "
        "and 99 %). A yes/no vote is `70`, `70%`, `0.7`, or odds: `3:1` (3 to 1 for YES: "
        "75 %), `1 in 5` (20 %). Your latest vote counts; **My vote** shows it, and why you "
        "said so."
    ),
    "📊 Multiple choice": (
        "`/predict kind:Multiple choice options:OpenAI | Anthropic | Other` (2–10 options). Vote "
        "a % per option: `/vote forecast:OpenAI 50, Anthropic 30, Other 20`, or `50/30/20` in "
        "option order, or **Vote** on the message (a form listing every option). A sum of 98–"
        "102 % is scaled to 100 %; an option left out gets 1 %. The community forecast is the "
        "geometric mean of odds. Resolved to one option by its name; scored by the multiclass "
        "Brier score (0 is perfect, 2 the worst) and the relative score, like yes/no."
    ),
    "⚖️ Resolve": (
        "At the date the author (or a moderator) resolves it: **Resolve** on the message, or "
        "`/resolve`. YES, NO, or AMBIGUOUS (annulled: not scored). A mistake? "
        "`/predictions reopen`."
    ),
    "🎯 Scores": (
        "Brier score (p − outcome)²: 0 is perfect, 0.25 is a coin flip, lower is better. "
        "Each forecast counts for as long as it stood. Relative Brier: yours minus the median "
        "forecaster's over that time (negative = better than the crowd). Withdrawing a "
        "forecast does not erase it: it is scored for the time it stood (on the last one you "
        "held). A reopen withdraws everyone's scores until it is resolved again; once others "
        "have voted, only a moderator reopens it, with a reason. **How did I do?** on a "
        "resolution post; `/stats`, `/leaderboard`. One leaderboard ranks every kind of "
        "question on the relative score: how much better or worse than the crowd you did on "
        "each question, by that kind's own yardstick; `kind:` shows one kind."
    ),
    "🔔 Notifications": (
        "The author is told when their prediction falls due; 🔔 **Follow** to be told too. "
        "`/notifications`: thread ping, DM, or nothing, per topic, or mute all. "
        "`/predictions list show:` needs my vote · due · mine · followed."
    ),
}


SET_UP = (
    "`/augury settings` shows this server's; `/augury channel`, `timezone`, `moderator-role`, "
    "`voting`, `reminders` change them (you have Manage Server)."
)


def help_embed(*, can_configure: bool = False) -> discord.Embed:
    """``can_configure``: the member has Manage Server, so ``/augury`` is theirs to use."""
    embed = discord.Embed(title="Augury — community forecasting", colour=discord.Colour.blurple())
    for name, value in SECTIONS.items():
        embed.add_field(name=name, value=value, inline=False)
    if can_configure:
        embed.add_field(name="⚙️ Set up", value=SET_UP, inline=False)
    return embed


class HelpCog(commands.Cog):
    def __init__(self, bot: AuguryBot) -> None:
        self.bot = bot

    @app_commands.command(
        name="help", description="How to predict, vote, resolve; what scores mean"
    )
    async def help(self, interaction: discord.Interaction) -> None:
        can_configure = interaction.guild is not None and interaction.permissions.manage_guild
        await reply_ephemeral(interaction, embed=help_embed(can_configure=can_configure))
