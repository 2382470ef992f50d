"""The synced command payload, as a member's Discord client reads it (issue 23).

Moderator actions sit under ``/augury`` (listed for Manage Server only: Discord sets that per
top-level command), ``/augury channel`` lists only text and forum channels, a prediction is
always chosen through an option named ``prediction``, and names and choices share one case
style.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.app import build_bot
from bot.settings import Settings
from db.engine import create_engine

JSON = dict[str, Any]
MANAGE_GUILD = 1 << 5
TEXT, FORUM = 0, 15
INTEGER = 4
MODERATOR_ACTIONS = {("tags", "rename"), ("export",), ("link-forecaster",)}
#: Words a choice label may start with in capitals: acronyms and a proper name.
CAPITALISED = ("CSV", "JSON", "Brier")


@pytest.fixture
async def payload(tmp_path: Path) -> dict[str, JSON]:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path}/payload.db")
    bot = build_bot(Settings(discord_token="x"), engine)
    try:
        for extension in bot._extensions:
            await bot.load_extension(extension)
        return {c.name: c.to_dict(bot.tree) for c in bot.tree.get_commands()}
    finally:
        await bot.close()
        await engine.dispose()


def leaves(command: JSON, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], JSON]]:
    """(subcommand path, option) for every option below any subcommand (group)."""
    for option in command.get("options") or []:
        if option["type"] in (1, 2):
            yield from leaves(option, (*path, option["name"]))
        else:
            yield path, option


def subcommands(command: JSON, path: tuple[str, ...] = ()) -> set[tuple[str, ...]]:
    found: set[tuple[str, ...]] = set()
    for option in command.get("options") or []:
        if option["type"] == 1:
            found.add((*path, option["name"]))
        elif option["type"] == 2:
            found |= subcommands(option, (*path, option["name"]))
    return found


def test_moderator_actions_are_under_augury_which_members_do_not_see(
    payload: dict[str, JSON],
) -> None:
    augury = payload["augury"]
    assert int(augury["default_member_permissions"]) == MANAGE_GUILD
    assert subcommands(augury) >= MODERATOR_ACTIONS
    members = subcommands(payload["predictions"])
    assert payload["predictions"]["default_member_permissions"] is None
    assert ("tags", "rename") not in members and ("link-forecaster",) not in members
    assert ("export",) in members  # a member's own export stays, without a whole-server scope
    assert [o["name"] for path, o in leaves(payload["predictions"]) if path == ("export",)] == [
        "format"
    ]


def test_augury_channel_lists_text_and_forum_channels_only(payload: dict[str, JSON]) -> None:
    options = {o["name"]: o for path, o in leaves(payload["augury"]) if path == ("channel",)}
    assert sorted(options["channel"]["channel_types"]) == [TEXT, FORUM]


def test_a_prediction_is_always_chosen_by_an_option_named_prediction(
    payload: dict[str, JSON],
) -> None:
    numbered = {
        f"/{name} {' '.join(path)}".strip(): option["name"]
        for name, command in payload.items()
        for path, option in leaves(command)
        if option["type"] == INTEGER and option.get("autocomplete")
    }
    assert len(numbered) >= 9  # vote, resolve, show, edit, cancel, history, (un)follow, reopen
    assert set(numbered.values()) == {"prediction"}, numbered
    names = {option["name"] for command in payload.values() for _, option in leaves(command)}
    assert "number" not in names


def test_option_names_and_choices_share_one_case_style(payload: dict[str, JSON]) -> None:
    wrong = []
    for name, command in payload.items():
        for path, option in leaves(command):
            where = f"/{name} {' '.join(path)} {option['name']}"
            if not re.fullmatch(r"[a-z][a-z0-9]*(_[a-z0-9]+)*", option["name"]):
                wrong.append(where)
            for choice in option.get("choices") or []:
                label = choice["name"]
                if not (label[:1].islower() or label.startswith(CAPITALISED)):
                    wrong.append(f"{where}: {label}")
                if str(choice["value"]) != str(choice["value"]).lower():
                    wrong.append(f"{where} value: {choice['value']}")
    assert wrong == []
