"""``python -m bot sync --clear-guild ID``: remove this bot's guild-scoped commands from a server.

The running bot clears guilds it remembers syncing to (``DEV_GUILD_ID``) by itself; this is for
the ones it cannot know: commands synced from another copy of the database, or before that
record existed. It only logs in over HTTP (no gateway, no database).
"""

from __future__ import annotations

import argparse
from typing import TextIO

import discord

from bot.settings import Settings
from bot.startup import BAD_SETTING, UNREACHABLE


def add_command(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "sync",
        help="remove the bot's development (guild) commands from a server, e.g. after "
        "testing with DEV_GUILD_ID",
    )
    parser.add_argument(
        "--clear-guild",
        dest="clear_guilds",
        metavar="ID",
        type=int,
        action="append",
        required=True,
        help="the server's id (Developer Mode → right-click the server → Copy Server ID); "
        "repeat for several",
    )


async def clear_guild_commands(settings: Settings, guild_ids: list[int], out: TextIO) -> int:
    """0 when every server was cleared, 1 when one could not be (said which), 2 for a token
    Discord refuses."""
    from bot.app import point_at_discord

    point_at_discord(settings)
    client = discord.Client(intents=discord.Intents.none())
    status = 0
    async with client:
        try:
            await client.login(settings.discord_token.get_secret_value())
        except discord.LoginFailure:
            print("DISCORD_TOKEN was rejected by Discord.", file=out)
            return BAD_SETTING
        application = await client.application_info()
        for guild_id in guild_ids:
            try:
                await client.http.bulk_upsert_guild_commands(application.id, guild_id, [])
            except discord.HTTPException as error:
                print(
                    f"Server {guild_id}: not cleared ({error.status} {error.text or ''}). "
                    "Is the bot still in that server?",
                    file=out,
                )
                status = UNREACHABLE
            else:
                print(f"Server {guild_id}: this bot's server-only commands removed.", file=out)
    return status
