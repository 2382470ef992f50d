"""A minimal discord.py bot run in-process against the fake, to prove the fake is faithful.

It does not use the ``bot`` package: the self-tests must hold while that is being written.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

import discord
from discord import app_commands
from discord.ext import commands

from tests.fakediscord import FakeDiscord
from tests.fakediscord.inprocess import pointed_at


class PingView(discord.ui.View):
    def __init__(self) -> None:
        super().__init__(timeout=None)
        self.clicked_by: list[int] = []

    @discord.ui.button(label="Again", custom_id="ping:again", style=discord.ButtonStyle.primary)
    async def again(
        self, interaction: discord.Interaction, button: discord.ui.Button[PingView]
    ) -> None:
        self.clicked_by.append(interaction.user.id)
        await interaction.response.edit_message(content="pong again", view=None)


class AskModal(discord.ui.Modal, title="Ask the oracle"):
    question: discord.ui.Label[AskModal] = discord.ui.Label(
        text="Question", component=discord.ui.TextInput(custom_id="ask:question", max_length=200)
    )
    detail: discord.ui.TextInput[AskModal] = discord.ui.TextInput(
        label="Detail", custom_id="ask:detail", style=discord.TextStyle.paragraph, required=False
    )

    async def on_submit(self, interaction: discord.Interaction) -> None:
        assert isinstance(self.question.component, discord.ui.TextInput)
        answer = f"asked {self.question.component.value} / {self.detail.value}"
        await interaction.response.send_message(answer, ephemeral=True)


class MiniBot(commands.Bot):
    """Slash commands, a view, a modal, a context menu and raw reaction listeners."""

    def __init__(self, guild_id: int) -> None:
        intents = discord.Intents.default()
        intents.members = True
        super().__init__(command_prefix="!", intents=intents, guild_ready_timeout=0.05)
        self.guild_object = discord.Object(guild_id)
        self.raw_reactions: list[discord.RawReactionActionEvent] = []
        self.ping_view = PingView()
        self.votes: list[tuple[str, int, int]] = []
        self.tracked: list[str] = []

    async def setup_hook(self) -> None:
        self.tree.add_command(ping, guild=self.guild_object)
        self.tree.add_command(ask, guild=self.guild_object)
        self.tree.add_command(slow, guild=self.guild_object)
        self.tree.add_command(Prediction(), guild=self.guild_object)
        self.tree.add_command(
            app_commands.ContextMenu(name="Track as prediction", callback=track),
            guild=self.guild_object,
        )
        await self.tree.sync(guild=self.guild_object)

    async def on_raw_reaction_add(self, payload: discord.RawReactionActionEvent) -> None:
        self.raw_reactions.append(payload)

    async def on_raw_reaction_remove(self, payload: discord.RawReactionActionEvent) -> None:
        self.raw_reactions.append(payload)


@app_commands.command(description="Answer pong, with a button and a followup")
async def ping(interaction: discord.Interaction[MiniBot], text: str) -> None:
    await interaction.response.send_message(f"pong {text}", view=interaction.client.ping_view)
    await interaction.followup.send("followed up")


@app_commands.command(description="Open a modal")
async def ask(interaction: discord.Interaction[MiniBot]) -> None:
    await interaction.response.send_modal(AskModal())


@app_commands.command(description="Defer, then answer")
async def slow(interaction: discord.Interaction[MiniBot]) -> None:
    await interaction.response.defer(thinking=True)
    await interaction.followup.send("done thinking")


class Prediction(app_commands.Group, name="prediction", description="Predictions"):
    @app_commands.command(description="Vote on a prediction")
    async def vote(
        self, interaction: discord.Interaction[MiniBot], number: int, probability: int
    ) -> None:
        interaction.client.votes.append((interaction.user.name, number, probability))
        await interaction.response.send_message(f"{probability}% on #{number}", ephemeral=True)

    @vote.autocomplete("number")
    async def number_choices(
        self, interaction: discord.Interaction[MiniBot], current: str
    ) -> list[app_commands.Choice[int]]:
        return [app_commands.Choice(name=f"#{n} {current}", value=n) for n in (1, 2, 3)]


async def track(interaction: discord.Interaction[MiniBot], message: discord.Message) -> None:
    interaction.client.tracked.append(message.content)
    await interaction.response.send_message(f"tracking {message.id}", ephemeral=True)


@contextlib.asynccontextmanager
async def running_minibot(fake: FakeDiscord) -> AsyncIterator[MiniBot]:
    """Log in, connect, wait for on_ready; close the client afterwards."""
    bot = MiniBot(int(fake.guild_id))
    with pointed_at(fake):
        await bot.login(fake.token)
        task = asyncio.create_task(bot.connect(reconnect=True))
        try:
            await asyncio.wait_for(bot.wait_until_ready(), 5)
            yield bot
        finally:
            await bot.close()
            await asyncio.wait_for(task, 5)
