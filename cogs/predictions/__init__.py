"""Creating and managing predictions.

``/predict`` and the message menu "Track as prediction" preregister a prediction and post it
(a message with its discussion thread, or a forum post); ``/predictions`` shows, lists, edits,
cancels, tags and follows them. Posting announces itself with the ``prediction_published`` event,
so other features (keycap seeding) react without importing this one.
"""

from __future__ import annotations

from discord import app_commands

from bot.runtime.client import AuguryBot
from cogs.predictions.create_commands import PredictCog
from cogs.predictions.manage_commands import PredictionsCog
from cogs.predictions.tag_commands import tags_group


async def setup(bot: AuguryBot) -> None:
    await bot.add_cog(PredictCog(bot))
    await bot.add_cog(PredictionsCog(bot))
    group = bot.tree.get_command("predictions")
    if isinstance(group, app_commands.Group):
        group.add_command(tags_group())
