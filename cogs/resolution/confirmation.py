"""Resolving by button, with a private confirmation first (issue 11: fewer mistakes).

- Yes / No / Ambiguous on a reminder: "Resolve #12 as ✅ YES?" Confirm / Cancel, privately.
- Resolve on the prediction message: for its author and moderators only (checked on click),
  the three outcomes offered privately; choosing one there is the confirmation. A question of
  another kind offers its own outcomes in a select (multiple choice: its options), or a form
  to type the outcome in (numeric, date).
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from typing import Any

import discord

from bot.domain.kinds import AnyKind, kind_for
from bot.domain.vocabulary import YES_NO_OUTCOMES, Outcome
from bot.rendering.community import rendering_for
from bot.rendering.custom_ids import (
    RESOLVE_BUTTON_TEMPLATE,
    RESOLVE_CANCEL,
    RESOLVE_CONFIRM_TEMPLATE,
    RESOLVE_MENU_BUTTON,
    resolve_confirm_id,
)
from bot.rendering.outcome_text import outcome_text
from bot.rendering.prediction_embed import outcome_label
from bot.rendering.replies import (
    actor_of,
    committed,
    guild_id_of,
    reply_ephemeral,
    reports_errors,
    shown_later,
)
from bot.rendering.resolution_buttons import (
    confirm_buttons,
    outcome_form,
    outcome_select,
    resolve_button,
)
from bot.runtime.acting_member import keep_actors_name
from bot.runtime.client import AuguryBot, augury
from bot.services.resolution.service import Resolved
from cogs.resolution.announcement import announce_resolution


async def confirm_and_announce(
    bot: AuguryBot, interaction: discord.Interaction, resolved: Resolved
) -> None:
    """Tell the resolver privately what is stored and shown, then make the resolution public."""
    await tell_resolver(bot, interaction, resolved)
    await announce_resolution(bot, resolved)


async def tell_resolver(
    bot: AuguryBot, interaction: discord.Interaction, resolved: Resolved
) -> None:
    """Privately: what is stored, whether the message shows it yet, and how to undo it."""
    info = resolved.prediction
    summary = f"Resolved #{info.number} {outcome_text(info)}"
    committed(interaction, summary)
    shown = await bot.public_messages.render_now(info.id)
    await reply_ephemeral(
        interaction,
        f"{summary}.{shown_later(shown)} "
        f"A mistake? `/predictions reopen prediction:{info.number}` undoes it.",
    )


async def ask_privately(
    interaction: discord.Interaction,
    prediction_id: int,
    question: Callable[[int], str],
    outcomes: tuple[Outcome, ...],
) -> None:
    """For the author and moderators only: the question, privately, with a button per outcome."""
    number = await augury(interaction).services.resolution.can_resolve(
        guild_id_of(interaction), prediction_id, actor_of(interaction)
    )
    await reply_ephemeral(
        interaction, question(number), view=confirm_buttons(prediction_id, outcomes)
    )


class ResolveButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]], template=RESOLVE_BUTTON_TEMPLATE
):
    """A resolve button on a reminder: asks first, privately (author and moderators only)."""

    def __init__(self, prediction_id: int, outcome: Outcome) -> None:
        super().__init__(resolve_button(prediction_id, outcome))
        self.prediction_id = prediction_id
        self.outcome = outcome

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> ResolveButton:
        return cls(int(match["id"]), Outcome(match["outcome"]))

    @reports_errors
    async def callback(self, interaction: discord.Interaction) -> None:
        await ask_privately(
            interaction,
            self.prediction_id,
            lambda number: f"Resolve #{number} as {outcome_label(self.outcome)}?",
            (self.outcome,),
        )


class ResolveMenuButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]], template=RESOLVE_MENU_BUTTON.template
):
    """Resolve on the prediction message: the choice, privately, for those who may make it."""

    def __init__(self, prediction_id: int) -> None:
        super().__init__(discord.ui.Button(custom_id=RESOLVE_MENU_BUTTON.custom_id(prediction_id)))
        self.prediction_id = prediction_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> ResolveMenuButton:
        return cls(int(match["id"]))

    @reports_errors
    async def callback(self, interaction: discord.Interaction) -> None:
        bot = augury(interaction)
        target = await bot.services.votes.target_by_id(guild_id_of(interaction), self.prediction_id)
        kind = kind_for(target.kind, target.kind_spec)
        if not rendering_for(kind.name).outcome_buttons:
            await offer_outcomes(interaction, self.prediction_id, kind)
            return
        await ask_privately(
            interaction,
            self.prediction_id,
            lambda number: f"How did #{number} turn out? Ambiguous annuls it (nobody is scored).",
            YES_NO_OUTCOMES,
        )


async def offer_outcomes(
    interaction: discord.Interaction, prediction_id: int, kind: AnyKind
) -> None:
    """A question that is not yes/no: its own outcomes to pick from (multiple choice: its
    options), privately, where picking one resolves it; or, with no list, a form to type it."""
    number = await augury(interaction).services.resolution.can_resolve(
        guild_id_of(interaction), prediction_id, actor_of(interaction)
    )
    shown = rendering_for(kind.name)
    choices = shown.outcome_choices(kind)
    if not choices:
        await interaction.response.send_modal(
            outcome_form(prediction_id, number, shown.outcome_hint)
        )
        return
    await reply_ephemeral(
        interaction,
        f"How did #{number} turn out? Choosing one resolves it; AMBIGUOUS annuls it "
        "(nobody is scored).",
        view=outcome_select(prediction_id, choices),
    )


class ConfirmResolve(
    discord.ui.DynamicItem[discord.ui.Button[Any]], template=RESOLVE_CONFIRM_TEMPLATE
):
    """The confirmed choice: resolves (permission checked again by the service)."""

    def __init__(self, prediction_id: int, outcome: Outcome) -> None:
        super().__init__(discord.ui.Button(custom_id=resolve_confirm_id(prediction_id, outcome)))
        self.prediction_id = prediction_id
        self.outcome = outcome

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> ConfirmResolve:
        return cls(int(match["id"]), Outcome(match["outcome"]))

    @reports_errors
    async def callback(self, interaction: discord.Interaction) -> None:
        await resolve_the_choice(interaction, self.prediction_id, self.outcome)


async def resolve_the_choice(
    interaction: discord.Interaction, prediction_id: int, outcome: str
) -> None:
    """A private question answered (a YES/NO button pressed, an option picked): the answer is
    the confirmation. Resolve, tell the resolver, clear the question, make it public."""
    bot = augury(interaction)
    guild_id = guild_id_of(interaction)
    actor = actor_of(interaction)
    number = await bot.services.resolution.can_resolve(guild_id, prediction_id, actor)
    await interaction.response.defer()  # acknowledges the answer; the question stays
    await keep_actors_name(interaction)  # the message and the announcement name the resolver
    resolved = await bot.services.resolution.resolve(guild_id, number, actor, outcome)
    await tell_resolver(bot, interaction, resolved)
    # The answered question keeps nothing to press again.
    with contextlib.suppress(discord.HTTPException):
        await interaction.edit_original_response(view=None)
    await announce_resolution(bot, resolved)


class CancelResolve(
    discord.ui.DynamicItem[discord.ui.Button[Any]], template=RESOLVE_CANCEL.template
):
    def __init__(self, prediction_id: int) -> None:
        super().__init__(discord.ui.Button(custom_id=RESOLVE_CANCEL.custom_id(prediction_id)))

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> CancelResolve:
        return cls(int(match["id"]))

    @reports_errors
    async def callback(self, interaction: discord.Interaction) -> None:
        await interaction.response.edit_message(content="Cancelled: nothing changed.", view=None)


RESOLVE_ITEMS: tuple[type[discord.ui.DynamicItem[Any]], ...] = (
    ResolveButton,
    ResolveMenuButton,
    ConfirmResolve,
    CancelResolve,
)
