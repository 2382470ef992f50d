"""Choices shown in more than one command."""

from __future__ import annotations

from discord import app_commands

from bot.domain.vocabulary import Visibility

VISIBILITY_CHOICES = [
    app_commands.Choice(name="visible", value=Visibility.VISIBLE.value),
    app_commands.Choice(name="hidden until you vote", value=Visibility.HIDDEN_UNTIL_VOTE.value),
    app_commands.Choice(name="hidden until close", value=Visibility.HIDDEN_UNTIL_CLOSE.value),
]
