"""Use cases. They take a session factory and a clock, never import discord, and raise
:mod:`bot.domain.errors` whose messages are safe to show to members."""
