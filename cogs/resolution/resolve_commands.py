"""``/resolve``, ``/predictions reopen``, and the registration of the resolve buttons.

``/resolve``'s ``outcome`` is read by the question's kind: ``yes``/``no``/``ambiguous`` on a
yes/no question (the values existing members and scripts send), an option's name on a
multiple-choice one, a value or a date on the others; autocomplete offers the question's own.
"""

from __future__ import annotations

import re
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.domain import option_limits as limit
from bot.domain.errors import AuguryError
from bot.domain.kinds import kind_for
from bot.rendering.community import rendering_for
from bot.rendering.components import submitted_values
from bot.rendering.custom_ids import (
    RESOLVE_FORM,
    RESOLVE_FORM_NOTE,
    RESOLVE_FORM_OUTCOME,
    RESOLVE_PICK,
)
from bot.rendering.limits import CHOICE_NAME, truncate
from bot.rendering.replies import (
    actor_of,
    committed,
    guild_id_of,
    reply_ephemeral,
    reports_errors,
    shown_later,
)
from bot.rendering.resolution_buttons import AMBIGUOUS_CHOICE
from bot.runtime.acting_member import keep_actors_name
from bot.runtime.autocomplete import (
    PredictionNumber,
    resolvable_prediction_numbers,
)
from bot.runtime.client import AuguryBot, augury
from bot.runtime.manage_autocomplete import reopenable_prediction_numbers
from bot.runtime.shared_groups import join_group, leave_group
from bot.services.core.dto import PredictionInfo
from cogs.resolution.announcement import announce_reopen
from cogs.resolution.confirmation import RESOLVE_ITEMS, confirm_and_announce, resolve_the_choice
from cogs.resolution.results import HowDidIDoButton

AUTOCOMPLETE_CHOICES = 25  # Discord's limit


async def question_outcomes(
    interaction: discord.Interaction, current: str
) -> list[app_commands.Choice[str]]:
    """The chosen question's own outcomes (yes/no: YES, NO; multiple choice: its options) and
    AMBIGUOUS, matching what was typed; for a value or a date, what was typed and a hint."""
    number = getattr(interaction.namespace, "prediction", None)
    choices: list[tuple[str, str]] = []
    hint = ""
    if interaction.guild_id is not None and isinstance(number, int):
        try:
            target = await augury(interaction).services.votes.target_by_number(
                interaction.guild_id, number
            )
        except AuguryError:
            target = None
        if target is not None:
            kind = kind_for(target.kind, target.kind_spec)
            shown = rendering_for(kind.name)
            choices = list(shown.outcome_choices(kind))
            hint = "" if choices else shown.outcome_hint
    typed = current.strip()
    offered = [
        (label, value)
        for label, value in [*choices, AMBIGUOUS_CHOICE]
        if typed.lower() in label.lower()
    ]
    if hint:
        offered.insert(0, (f"{typed} ({hint})" if typed else hint, typed or hint))
    return [
        app_commands.Choice(
            name=truncate(label, CHOICE_NAME), value=value[: limit.OUTCOME_TEXT_MAX]
        )
        for label, value in offered[:AUTOCOMPLETE_CHOICES]
    ]


def reopen_command() -> app_commands.Command[Any, ..., None]:
    """``/predictions reopen``, built per bot: the group it joins belongs to that bot."""

    @app_commands.command(name="reopen", description="Undo a resolution (author or moderator)")
    @app_commands.describe(
        number="The prediction's number",
        reason="Why; a moderator must give one once others have voted (the history shows it)",
    )
    @app_commands.rename(number="prediction")  # one spelling everywhere
    @app_commands.autocomplete(number=reopenable_prediction_numbers)
    async def reopen(
        interaction: discord.Interaction,
        number: PredictionNumber,
        reason: app_commands.Range[str, 1, limit.REASON_MAX] | None = None,
    ) -> None:
        bot = augury(interaction)
        guild_id = guild_id_of(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        await keep_actors_name(interaction)  # the thread's notice names who reopened it
        reopened = await bot.services.resolution.reopen(
            guild_id, number, actor_of(interaction), reason=reason
        )
        committed(interaction, f"Reopened #{number}")
        shown = await announce_reopen(
            bot, reopened.prediction, interaction.user.id, reopened.reason
        )
        await reply_ephemeral(
            interaction,
            f"↩️ Reopened #{number}: its scores are removed until it is resolved again."
            + shown_later(shown),
        )

    return reopen


class PickOutcome(discord.ui.DynamicItem[discord.ui.Select[Any]], template=RESOLVE_PICK.template):
    """The outcome picked in the private select (a question that is not yes/no): picking is
    the confirmation, as with the yes/no choice; the service checks the permission again."""

    def __init__(self, prediction_id: int) -> None:
        super().__init__(discord.ui.Select(custom_id=RESOLVE_PICK.custom_id(prediction_id)))
        self.prediction_id = prediction_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> PickOutcome:
        return cls(int(match["id"]))

    @reports_errors
    async def callback(self, interaction: discord.Interaction) -> None:
        data: dict[str, Any] = dict(interaction.data or {})
        values = [str(value) for value in data.get("values") or []]
        if len(values) != 1:
            raise AuguryError("Choose one outcome.")
        await resolve_the_choice(interaction, self.prediction_id, values[0])


class ResolveCog(commands.Cog):
    """Resolving (YES, NO, an option, a value, or AMBIGUOUS), and undoing it."""

    def __init__(self, bot: AuguryBot) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(*RESOLVE_ITEMS, HowDidIDoButton, PickOutcome)
        join_group(self.bot.tree, reopen_command())

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(*RESOLVE_ITEMS, HowDidIDoButton, PickOutcome)
        leave_group(self.bot.tree, "reopen")

    @commands.Cog.listener("on_augury_reopened")
    async def announce_reopened_elsewhere(
        self, info: PredictionInfo, reopened_by: int, reason: str | None
    ) -> None:
        """Another feature reopened a prediction (a dispute): the same public side as here."""
        await announce_reopen(self.bot, info, reopened_by, reason)

    @app_commands.command(name="resolve", description="Resolve a prediction: say what happened")
    @app_commands.guild_install()
    @app_commands.allowed_contexts(guilds=True, dms=False, private_channels=False)
    @app_commands.describe(
        prediction="The prediction's number (type to search)",
        outcome="What happened: yes, no, an option's name, a value… or ambiguous (not scored)",
        note="A short explanation (up to 1000 characters)",
        source="A link or reference that shows the outcome",
    )
    @app_commands.autocomplete(prediction=resolvable_prediction_numbers)
    @app_commands.autocomplete(outcome=question_outcomes)
    async def resolve(
        self,
        interaction: discord.Interaction,
        prediction: PredictionNumber,
        outcome: app_commands.Range[str, 1, limit.OUTCOME_TEXT_MAX],
        note: app_commands.Range[str, 1, limit.NOTE_MAX] | None = None,
        source: app_commands.Range[str, 1, limit.SOURCE_MAX] | None = None,
    ) -> None:
        guild_id = guild_id_of(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        await keep_actors_name(interaction)  # the message and the announcement name the resolver
        resolved = await self.bot.services.resolution.resolve(
            guild_id, prediction, actor_of(interaction), outcome, note=note, source=source
        )
        await confirm_and_announce(self.bot, interaction, resolved)

    @commands.Cog.listener()
    async def on_interaction(self, interaction: discord.Interaction) -> None:
        """Submits of the outcome form (a question resolved by a typed value), at any time."""
        if interaction.type is not discord.InteractionType.modal_submit:
            return
        custom_id = str(dict(interaction.data or {}).get("custom_id", ""))
        prediction_id = RESOLVE_FORM.prediction_id(custom_id)
        if prediction_id is not None:
            await self._submit_outcome(interaction, prediction_id)

    @reports_errors
    async def _submit_outcome(self, interaction: discord.Interaction, prediction_id: int) -> None:
        guild_id = guild_id_of(interaction)
        values = submitted_values(interaction.data)
        await interaction.response.defer(ephemeral=True, thinking=True)
        actor = actor_of(interaction)
        number = await self.bot.services.resolution.can_resolve(guild_id, prediction_id, actor)
        await keep_actors_name(interaction)  # the message and the announcement name the resolver
        resolved = await self.bot.services.resolution.resolve(
            guild_id,
            number,
            actor,
            values.get(RESOLVE_FORM_OUTCOME, ""),
            note=values.get(RESOLVE_FORM_NOTE) or None,
        )
        await confirm_and_announce(self.bot, interaction, resolved)
