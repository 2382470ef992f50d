"""``/help``: one private page — how to predict, vote, resolve, and what the scores mean.

Built when asked, not at import: commands are named as mentions, and their ids are known only
once the commands are synced (or fetched) at start.

The scores are said as the code computes them (``bot/services/resolution/score_writer.py``,
``bot/domain/kinds/replay.py``): each forecast's penalty counts for the time it stood, and the
relative score is that time-averaged penalty minus the community forecast's over the same
time.
"""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.rendering.replies import reply_ephemeral
from bot.rendering.words import command_mention as cmd
from bot.runtime.client import AuguryBot


def sections() -> dict[str, str]:
    """The member's sections, with commands as mentions (or code until their ids are known)."""
    return {
        "🔮 Predict": (
            f"{cmd('predict')}: a statement and the date it can be judged (`2027-06-30`, "
            f"`in 3 months`; read in your time zone, see {cmd('timezone')}). Right-click a "
            "message → **Apps** → **Track as prediction** to track someone's claim: they are "
            "credited."
        ),
        "🗳️ Vote": (
            f"**Vote** on the message, {cmd('vote')}, or react with a keycap: 0️⃣ is 0 %, 1️⃣ "
            "10 % … 🔟 100 % (the ends count as 1 % and 99 %). Your latest forecast counts; "
            "**My vote** shows it, and why you said so."
        ),
        "⚖️ Resolve": (
            "At the date the author (or a moderator) resolves it: **Resolve** under "
            f"**My vote**, or {cmd('resolve')}. YES, NO, or AMBIGUOUS (annulled: not "
            f"scored). A mistake? {cmd('predictions reopen')}."
        ),
        "🎯 Scores": (
            "**Brier score**: (your forecast − the outcome)², the outcome being 1 for YES and 0 "
            "for NO. Lower is better, 0 is perfect, 0.25 is a coin flip (always saying 50 %). "
            "Each forecast counts for as long as it stood.\n"
            "**Relative score**: your time-averaged Brier minus the community forecast's Brier "
            "over the same time (the median of everyone's forecasts at each moment). Below 0 "
            "you beat the crowd; above 0 the crowd beat you.\n"
            "Withdrawing a forecast does not erase it: it is scored for the time it stood (on "
            "the last one you held). A reopen withdraws everyone's scores until it is resolved "
            "again; once others have voted, only a moderator reopens it, with a reason. "
            f"**How did I do?** on a resolution post; {cmd('stats member')}, "
            f"{cmd('leaderboard')}."
        ),
        "🔔 Notifications": (
            "The author is told when their prediction falls due; 🔔 **Follow** to be told too. "
            f"{cmd('notifications')}: a thread ping, a DM, or nothing, per topic, or mute all. "
            f"{cmd('predictions list')} shows what needs your forecast, what is due, yours, and "
            "what you follow."
        ),
    }


def set_up() -> str:
    return (
        f"{cmd('augury settings')} shows this server's settings; {cmd('augury channel')}, "
        f"{cmd('augury timezone')}, {cmd('augury moderator-role')}, {cmd('augury voting')} "
        f"and {cmd('augury reminders')} change them (you have Manage Server)."
    )


def help_embed(*, can_configure: bool = False) -> discord.Embed:
    """``can_configure``: the member has Manage Server, so ``/augury`` is theirs to use."""
    embed = discord.Embed(title="Augury — community forecasting", colour=discord.Colour.blurple())
    for name, value in sections().items():
        embed.add_field(name=name, value=value, inline=False)
    if can_configure:
        embed.add_field(name="⚙️ Set up", value=set_up(), inline=False)
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
