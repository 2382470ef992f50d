"""Buttons as message parts: shapes and custom_ids only, never a handler.

A view built here is stopped before it is sent, so discord.py keeps no per-message state for
it; clicks reach the handler a feature registered for the custom_id template
(:mod:`bot.rendering.custom_ids`), on any message, after any restart.
"""

from __future__ import annotations

from typing import Any

import discord


def inert_view(*buttons: discord.ui.Item[Any]) -> discord.ui.View:
    """A view that only carries components; its clicks are handled by custom_id elsewhere."""
    view = discord.ui.View(timeout=None)
    for button in buttons:
        view.add_item(button)
    view.stop()
    return view


def submitted_values(data: Any) -> dict[str, str]:
    """custom_id → value of every text input in a modal submit, in either payload layout.

    Forms routed by custom_id (so they survive restarts) read their fields from here.
    """
    values: dict[str, str] = {}

    def walk(components: Any) -> None:
        for component in components or ():
            if "value" in component and "custom_id" in component:
                values[component["custom_id"]] = component["value"]
            walk(component.get("components"))
            if isinstance(component.get("component"), dict):
                walk([component["component"]])

    walk((data or {}).get("components"))
    return values
