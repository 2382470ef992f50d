"""Every command and option name is valid for Discord and unique where Discord needs it."""

from __future__ import annotations

import re
from pathlib import Path

import discord
from discord import app_commands

from bot.app import build_bot
from bot.settings import Settings
from db.engine import create_engine

NAME = re.compile(r"^[-_\w]{1,32}$")


def walk_options(command: app_commands.Command | app_commands.Group) -> list[str]:  # type: ignore[type-arg]
    problems: list[str] = []
    if isinstance(command, app_commands.Group):
        names = [child.name for child in command.commands]
        if len(names) != len(set(names)):
            problems.append(f"duplicate subcommands in {command.qualified_name}")
        for child in command.commands:
            problems += walk_options(child)
        return problems
    names = [parameter.display_name for parameter in command.parameters]
    if len(names) != len(set(names)):
        problems.append(f"duplicate options in {command.qualified_name}")
    for parameter in command.parameters:
        if not NAME.match(parameter.display_name) or parameter.display_name.lower() != (
            parameter.display_name
        ):
            problems.append(f"bad option name {command.qualified_name}.{parameter.display_name}")
        if not 1 <= len(parameter.description) <= 100:
            problems.append(f"bad description for {command.qualified_name}.{parameter.name}")
        if len(parameter.choices) > 25:
            problems.append(f"too many choices for {command.qualified_name}.{parameter.name}")
    return problems


async def test_command_and_option_names_are_valid_and_unique(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path}/schema.db")
    bot = build_bot(Settings(discord_token="x"), engine)
    try:
        for extension in bot._extensions:
            await bot.load_extension(extension)
        problems: list[str] = []
        chat = bot.tree.get_commands(type=discord.AppCommandType.chat_input)
        names = [command.name for command in chat]
        assert len(names) == len(set(names)), names
        for command in chat:
            assert NAME.match(command.name) and command.name == command.name.lower(), command.name
            assert 1 <= len(command.description) <= 100, command.name
            problems += walk_options(command)  # type: ignore[arg-type]
        menus = bot.tree.get_commands(type=discord.AppCommandType.message)
        assert [menu.name for menu in menus] == ["Track as prediction"]
        assert problems == []
        assert {
            "predict",
            "predictions",
            "vote",
            "resolve",
            "timezone",
            "augury",
            "stats",
            "leaderboard",
        } <= set(names)
    finally:
        await bot.close()
        await engine.dispose()


EXPECTED_MAX_LENGTH = {
    "statement": 256,
    "resolves": 100,
    "closes": 100,
    "probability": 10,
    "details": 4000,
    "note": 1000,
    "source": 512,
    "keycaps": 40,
    "zone": 64,
    "reason": 1000,
    "tag": 64,
    "old": 64,
    "new": 64,
    "tags": 200,
    "add_tags": 200,
    "remove_tags": 200,
    "name": 100,  # an outside forecaster's name (/predictions link-forecaster)
    "forecast": 600,  # any kind's forecast: ten options of 50 characters, each with a number
    "options": 600,  # a multiple-choice question's options, separated by |
    "low": 100,  # a numeric value or a date phrase
    "high": 100,
    "unit": 30,
    "outcome": 100,  # YES, an option's name, a value with its unit, a date
    "ends": 100,  # a season's end date
    "season": 50,  # a season's name (/leaderboard season:, /stats season:)
}
#: Where one option name means more than one thing: /predict's probability is the author's own
#: forecast of any kind (a probability per option on a multiple-choice question).
EXPECTED_AT = {
    "/predict/probability": 600,
    "/augury/season/start/name": 50,  # a season's name
}


def string_options(payload: dict[str, object], path: str = "") -> list[tuple[str, dict]]:  # type: ignore[type-arg]
    found: list[tuple[str, dict]] = []  # type: ignore[type-arg]
    for option in payload.get("options") or []:  # type: ignore[attr-defined]
        where = f"{path}/{option['name']}"
        if option["type"] in (1, 2):  # subcommand, group
            found += string_options(option, where)
        elif option["type"] == 3 and not option.get("choices"):
            found.append((where, option))
    return found


async def test_every_free_text_option_has_a_max_length_fitting_its_meaning(
    tmp_path: Path,
) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path}/schema.db")
    bot = build_bot(Settings(discord_token="x"), engine)
    try:
        for extension in bot._extensions:
            await bot.load_extension(extension)
        options = [
            found
            for command in bot.tree.get_commands(type=discord.AppCommandType.chat_input)
            for found in string_options(command.to_dict(bot.tree), f"/{command.name}")
        ]
        assert options
        wrong = {
            where: option.get("max_length")
            for where, option in options
            if option.get("max_length")
            != EXPECTED_AT.get(where, EXPECTED_MAX_LENGTH.get(option["name"], "listed"))
        }
        assert wrong == {}
    finally:
        await bot.close()
        await engine.dispose()
