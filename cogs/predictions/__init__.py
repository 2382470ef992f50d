"""Creating and managing predictions.

``/predict`` and the message menu "Track as prediction" preregister a prediction and post it
(a message with its discussion thread, or a forum post); ``/predictions`` shows, lists, edits,
cancels, tags and follows them; moderators rename tags with ``/augury tags rename``. Posting
announces itself with the ``prediction_published`` event,
so other features (keycap seeding) react without importing this one.
"""

from __future__ import annotations

from bot.runtime.client import AuguryBot
from bot.runtime.shared_groups import AUGURY_GROUP, join_group, leave_group
from cogs.predictions.create_commands import PredictCog
from cogs.predictions.manage_commands import PredictionsCog
from cogs.predictions.tag_commands import tags_group


async def setup(bot: AuguryBot) -> None:
    await bot.add_cog(PredictCog(bot))
    await bot.add_cog(PredictionsCog(bot))
    join_group(bot.tree, tags_group(), AUGURY_GROUP)  # a moderator action: hidden from members


async def teardown(bot: AuguryBot) -> None:
    leave_group(bot.tree, "tags", AUGURY_GROUP)
