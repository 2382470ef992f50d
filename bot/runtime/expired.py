"""Every interaction gets an answer, even one whose handler no longer exists.

Buttons of a view that lived only in memory (a paginator before a restart), forms opened
before a restart, or custom_ids of an older version reach no handler, and the member would
see "This interaction failed". When an interaction arrives, this looks up whether anything
will handle it — a registered ``DynamicItem`` template, a live view or modal in discord.py's
view store, or one of Augury's form routes (:data:`bot.rendering.custom_ids.FORM_TEMPLATES`)
— and if nothing will, answers at once, privately, that it expired and what to do. Routing
decides, not a timer, so a slow handler is never raced.

The look-up happens while discord.py is still dispatching the interaction (the client calls
:func:`note_handler` from its ``dispatch``), before any handler task has run: a view that stops
itself at the start of its callback (a confirmation) has left the store by the time an
``on_interaction`` listener would look.
"""

from __future__ import annotations

import logging
import re
from typing import Any

import discord

from bot.rendering.command_mentions import mention_commands
from bot.rendering.custom_ids import FORM_TEMPLATES

log = logging.getLogger(__name__)

EXPIRED_BUTTON = (
    "⌛ This has expired (the bot restarted since it was shown, or it was replaced). "
    "Run the command again, e.g. `/predictions list` or `/leaderboard`."
)
EXPIRED_FORM = (
    "⌛ This form has expired (the bot restarted since it was opened), so nothing was saved. "
    "Open it again (the same button or menu) and submit once more."
)


def has_handler(interaction: discord.Interaction) -> bool:
    """Whether a component click or form submit will reach a handler (others: always)."""
    data: dict[str, Any] = dict(interaction.data or {})
    custom_id = str(data.get("custom_id", ""))
    # discord.py keeps no public index of its handlers; the view store is the one source.
    store = interaction.client._connection._view_store
    if interaction.type is discord.InteractionType.component:
        if any(pattern.fullmatch(custom_id) for pattern in store._dynamic_items):
            return True
        key = (int(data.get("component_type", 0)), custom_id)
        message_id = interaction.message.id if interaction.message else None
        return any(key in store._views.get(entity, {}) for entity in (message_id, None))
    if interaction.type is discord.InteractionType.modal_submit:
        if custom_id in store._modals:
            return True
        return any(re.fullmatch(template, custom_id) for template in FORM_TEMPLATES)
    return True


HANDLED = "augury_has_handler"


def note_handler(interaction: discord.Interaction) -> None:
    """Remember, at dispatch time, whether a handler will take this interaction."""
    interaction.extras[HANDLED] = has_handler(interaction)


async def answer_if_unhandled(interaction: discord.Interaction) -> None:
    """Tell the member privately that what they clicked or submitted has expired."""
    handled = interaction.extras.get(HANDLED)
    if handled is None:
        handled = has_handler(interaction)
    if handled:
        return
    form = interaction.type is discord.InteractionType.modal_submit
    try:
        await interaction.response.send_message(
            EXPIRED_FORM if form else mention_commands(EXPIRED_BUTTON),
            ephemeral=True,
            allowed_mentions=discord.AllowedMentions.none(),
        )
    except discord.HTTPException:
        log.debug("Could not answer an expired interaction")
    else:
        data: dict[str, Any] = dict(interaction.data or {})
        log.info("Answered an expired interaction: %r", data.get("custom_id"))
