"""Which keycap reactions new predictions get, chosen in a multi-select (``/augury voting``).

The select lists 0️⃣ … 🔟 with the server's current keycaps preselected; a change is saved
at once and the message says what is stored. Changing server settings needs Manage Server,
here as in every ``/augury`` command; the handler is registered by custom_id, so a panel
shown before a restart still works after it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import discord

from bot.domain.errors import NotAllowed
from bot.forecasting.keycaps import keycap_emoji, keycap_permille
from bot.rendering.replies import guild_id_of, reports_errors
from bot.runtime.client import augury
from bot.services.core.server_config import KEYCAP_VALUES

KEYCAPS_SELECT = "augury:settings:keycaps"


def keycap_option(tens: int, chosen: Sequence[int]) -> discord.SelectOption:
    clamped = keycap_permille(tens) // 10
    return discord.SelectOption(
        label=f"{tens * 10} %",
        value=str(tens),
        emoji=keycap_emoji(tens),
        description=f"counts as {clamped} %" if clamped != tens * 10 else None,
        default=tens in chosen,
    )


def keycaps_view(chosen: Sequence[int]) -> discord.ui.View:
    """The keycap multi-select (handled by custom_id, never by this view)."""
    view = discord.ui.View(timeout=None)
    view.add_item(
        discord.ui.Select[Any](
            custom_id=KEYCAPS_SELECT,
            placeholder="Keycap reactions on new predictions (none: vote with the buttons)",
            min_values=0,
            max_values=len(KEYCAP_VALUES),
            options=[keycap_option(tens, chosen) for tens in KEYCAP_VALUES],
        )
    )
    view.stop()
    return view


def keycaps_text(keycaps: Sequence[int]) -> str:
    if not keycaps:
        return "new predictions get no keycap reactions (members vote with the buttons)"
    shown = " ".join(keycap_emoji(tens) for tens in keycaps)
    return f"new predictions get the keycap reactions {shown}"


class KeycapsSelect(discord.ui.DynamicItem[discord.ui.Select[Any]], template=f"^{KEYCAPS_SELECT}$"):
    """Saves the chosen keycaps as the server's (Manage Server only, as ``/augury``)."""

    def __init__(self) -> None:
        super().__init__(discord.ui.Select(custom_id=KEYCAPS_SELECT))

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> KeycapsSelect:
        return cls()

    @reports_errors
    async def callback(self, interaction: discord.Interaction) -> None:
        if not interaction.permissions.manage_guild:
            raise NotAllowed("You need the Manage Server permission to change the keycaps.")
        config = await augury(interaction).services.server_config.update_guild(
            guild_id_of(interaction), reaction_keycaps=",".join(self.item.values)
        )
        await interaction.response.edit_message(
            content=f"✅ Saved: {keycaps_text(config.reaction_keycaps)}.",
            view=keycaps_view(config.reaction_keycaps),
        )
