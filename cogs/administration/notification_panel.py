"""The ``/notifications`` panel: a member's choices as selects, saved on every change.

One private message: what to be told about (a multi-select of the topics, the current ones
preselected), how (thread, DM or nowhere) and a Mute switch. Each change is saved at once
and the message is redrawn saying what is now stored. The handlers are registered by
custom_id, so a panel shown before a restart still works after it.
"""

from __future__ import annotations

import re
from typing import Any

import discord

from bot.rendering.replies import reports_errors
from bot.runtime.client import augury
from bot.services.core.notifications import TOPIC_LABELS, Preferences, Topic, Where

TOPICS_SELECT = "augury:notify:topics"
WHERE_SELECT = "augury:notify:where"
MUTE_TEMPLATE = r"^augury:notify:mute:(?P<state>on|off)$"
WHERE_LABELS = {
    Where.THREAD: "Ping me in the prediction's thread",
    Where.DM: "Send me a DM instead",
    Where.NONE: "Nowhere: don't notify me",
}


WHERE_TEXT = {
    Where.THREAD: "pinged in the prediction's thread",
    Where.DM: "sent a DM (if your DMs are closed, pinged in the thread instead)",
    Where.NONE: "not notified",
}


def preferences_text(prefs: Preferences) -> str:
    if prefs.muted:
        head = "🔇 **Muted**: nothing pings or DMs you. **Unmute** below undoes it."
    else:
        where = WHERE_TEXT[prefs.where]
        if prefs.where == Where.DM and prefs.dm_failed:
            where = (
                "sent a DM, but your DMs were closed: pinged in the thread until you choose again"
            )
        head = f"🔔 You are {where}."
    lines = [head, "About:"]
    for topic in Topic:
        mark = "✅" if topic in prefs.topics else "❌"
        lines.append(f"{mark} {TOPIC_LABELS[topic]}")
    lines.append(
        "Change any of it below (or with the options of `/notifications`). Whatever you choose, "
        "**How did I do?** on a resolution post tells you your result."
    )
    return "\n".join(lines)


def mute_id(muted: bool) -> str:
    return f"augury:notify:mute:{'on' if muted else 'off'}"


def topics_select(prefs: Preferences) -> discord.ui.Select[Any]:
    return discord.ui.Select(
        custom_id=TOPICS_SELECT,
        placeholder="Tell me about… (nothing chosen: nothing)",
        min_values=0,
        max_values=len(Topic),
        options=[
            discord.SelectOption(
                label=TOPIC_LABELS[topic].capitalize(),
                value=topic.value,
                default=topic in prefs.topics,
            )
            for topic in Topic
        ],
    )


def where_select(prefs: Preferences) -> discord.ui.Select[Any]:
    return discord.ui.Select(
        custom_id=WHERE_SELECT,
        placeholder="How to tell me",
        min_values=1,
        max_values=1,
        options=[
            discord.SelectOption(label=label, value=where.value, default=where == prefs.where)
            for where, label in WHERE_LABELS.items()
        ],
    )


def mute_button(prefs: Preferences) -> discord.ui.Button[Any]:
    return discord.ui.Button(
        label="Unmute" if prefs.muted else "Mute everything",
        emoji="🔔" if prefs.muted else "🔇",
        style=discord.ButtonStyle.primary if prefs.muted else discord.ButtonStyle.secondary,
        custom_id=mute_id(not prefs.muted),
    )


def panel(prefs: Preferences) -> discord.ui.View:
    """The member's choices as components (handled by custom_id, never by this view)."""
    view = discord.ui.View(timeout=None)
    view.add_item(topics_select(prefs))
    view.add_item(where_select(prefs))
    view.add_item(mute_button(prefs))
    view.stop()
    return view


async def show_saved(interaction: discord.Interaction, prefs: Preferences, saved: str) -> None:
    """Redraw the panel in place, saying what was just stored."""
    await interaction.response.edit_message(
        content=f"✅ Saved: {saved}.\n{preferences_text(prefs)}", view=panel(prefs)
    )


def topics_saved(topics: frozenset[Topic]) -> str:
    if not topics:
        return "nothing to be told about"
    return "told about " + ", ".join(TOPIC_LABELS[t] for t in Topic if t in topics)


class TopicsSelect(discord.ui.DynamicItem[discord.ui.Select[Any]], template=f"^{TOPICS_SELECT}$"):
    """What to be told about: the chosen topics on, the others off."""

    def __init__(self) -> None:
        super().__init__(discord.ui.Select(custom_id=TOPICS_SELECT))

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> TopicsSelect:
        return cls()

    @reports_errors
    async def callback(self, interaction: discord.Interaction) -> None:
        chosen = {Topic(value) for value in self.item.values if value in set(Topic)}
        prefs = await augury(interaction).services.notifications.update(
            interaction.user.id, topics={topic: topic in chosen for topic in Topic}
        )
        await show_saved(interaction, prefs, topics_saved(prefs.topics))


class WhereSelect(discord.ui.DynamicItem[discord.ui.Select[Any]], template=f"^{WHERE_SELECT}$"):
    """How to be told: thread, DM or nowhere."""

    def __init__(self) -> None:
        super().__init__(discord.ui.Select(custom_id=WHERE_SELECT))

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> WhereSelect:
        return cls()

    @reports_errors
    async def callback(self, interaction: discord.Interaction) -> None:
        where = self.item.values[0] if self.item.values else ""
        prefs = await augury(interaction).services.notifications.update(
            interaction.user.id, where=where
        )
        await show_saved(interaction, prefs, WHERE_TEXT[prefs.where])


class MuteButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=MUTE_TEMPLATE):
    """Mute everything (the choices are kept) or unmute."""

    def __init__(self, muted: bool) -> None:
        super().__init__(discord.ui.Button(custom_id=mute_id(muted)))
        self.muted = muted

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> MuteButton:
        return cls(match["state"] == "on")

    @reports_errors
    async def callback(self, interaction: discord.Interaction) -> None:
        prefs = await augury(interaction).services.notifications.update(
            interaction.user.id, muted=self.muted
        )
        await show_saved(interaction, prefs, "muted" if prefs.muted else "unmuted")


PANEL_ITEMS: tuple[type[discord.ui.DynamicItem[Any]], ...] = (TopicsSelect, WhereSelect, MuteButton)
