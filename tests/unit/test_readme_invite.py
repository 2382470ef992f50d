"""The README's permissions table and its two invite URLs agree with each other and with the
URL the bot logs: every integer is recomputed here from discord.Permissions."""

from __future__ import annotations

import re
from pathlib import Path

import discord

from bot.runtime.invite import RECOMMENDED, REQUIRED, invite_url

README = Path(__file__).resolve().parents[2] / "README.md"
#: The names the README's table uses → discord.py's flags.
FLAGS = {
    "View Channels": "view_channel",
    "Send Messages": "send_messages",
    "Embed Links": "embed_links",
    "Attach Files": "attach_files",
    "Read Message History": "read_message_history",
    "Add Reactions": "add_reactions",
    "Create Public Threads": "create_public_threads",
    "Send Messages in Threads": "send_messages_in_threads",
    "Manage Messages": "manage_messages",
    "Manage Threads": "manage_threads",
    "Manage Channels": "manage_channels",
    "Manage Events": "manage_events",
    "Manage Roles": "manage_roles",
}


def _section() -> str:
    text = README.read_text(encoding="utf-8")
    return text.split("## Creating the Discord application", 1)[1].split("\n## ", 1)[0]


def _table() -> tuple[discord.Permissions, discord.Permissions]:
    """(every permission in the table, the ones not marked optional)."""
    every, needed = discord.Permissions.none(), discord.Permissions.none()
    for cell in re.findall(r"^\| ([^|]+?) \|", _section(), re.MULTILINE):
        if cell in ("permission", "---"):
            continue
        optional = cell.endswith("(optional)")
        for name in cell.removesuffix("(optional)").split(","):
            flag = discord.Permissions(**{FLAGS[name.strip()]: True})
            every |= flag
            if not optional:
                needed |= flag
    return every, needed


def test_readme_table_is_what_the_bot_asks_for() -> None:
    every, needed = _table()
    assert every == RECOMMENDED
    assert needed == REQUIRED


def test_readme_invite_urls_carry_the_tables_integers() -> None:
    every, needed = _table()
    urls = re.findall(r"https://discord\.com/oauth2/authorize\?\S+?(?=`)", _section())
    assert urls == [
        invite_url(0, every).replace("client_id=0", "client_id=YOUR_APP_ID"),
        invite_url(0, needed).replace("client_id=0", "client_id=YOUR_APP_ID"),
    ]
    assert every.value == 335276010576 and needed.value == 309237763136
