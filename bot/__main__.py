"""``python -m bot``: run the bot, or ``python -m bot migrate`` to only migrate."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import sys

from pydantic import ValidationError

from bot.logging_setup import configure_logging, secrets_of
from bot.settings import Settings
from bot.startup import BAD_SETTING, StartupError
from bot.version import version

TOKEN_HELP = (
    "DISCORD_TOKEN is not set. Create a bot at https://discord.com/developers/applications "
    "(Bot → Reset Token), then put DISCORD_TOKEN=… in .env or the environment."
)


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bot",
        description=(
            "Augury, a Discord bot for community forecasting. Without a command it applies "
            "database migrations, loads the cogs, syncs the slash commands (globally, or to "
            "DEV_GUILD_ID) and runs until stopped. Settings come from the environment and .env."
        ),
    )
    parser.add_argument("--version", action="version", version=f"augury {version()}")
    sub = parser.add_subparsers(dest="command", metavar="command")
    sub.add_parser("run", help="run the bot (the default)")
    migrate = sub.add_parser(
        "migrate", help="only apply database migrations to DATABASE_URL, then exit"
    )
    migrate.add_argument(
        "--to", metavar="REVISION", help="go to this migration instead of the newest (e.g. back)"
    )
    migrate.add_argument("--yes", action="store_true", help="also when it drops data")
    sub.add_parser(
        "web",
        help="only serve the public web view and API (WEB_PORT, default 8000; no token needed)",
    )
    if needs_every_command(argv):
        from bot.records_cli import add_commands
        from bot.sync_cli import add_command as add_sync_command

        add_commands(sub)
        add_sync_command(sub)
    return parser.parse_args(argv)


#: Commands parsed without importing the record and sync commands' modules (half a second of
#: CPU at every start, and all a bad setting's exit costs); those are imported when named.
LIGHT_COMMANDS = (None, "run", "migrate", "web")


def needs_every_command(argv: list[str]) -> bool:
    """Whether parsing ``argv`` needs every command defined: one of the others is named, an
    unknown one (its error lists them all), or help is asked for."""
    command = next((arg for arg in argv if not arg.startswith("-")), None)
    return command not in LIGHT_COMMANDS or "-h" in argv or "--help" in argv


def settings_problems(error: ValidationError) -> list[str]:
    """One line per bad setting: its name and what it must be, never its value (a secret?)."""
    lines = []
    for problem in error.errors():
        why = str(problem["msg"]).removeprefix("Value error, ")
        if problem["loc"]:
            lines.append(
                f"Invalid setting {str(problem['loc'][0]).upper()}: {why}. See .env.example."
            )
        else:  # a rule across settings (sharding): its message names them
            lines.append(f"Invalid settings: {why}. See .env.example.")
    return lines


def sqlite_refusal(settings: Settings) -> str | None:
    """One line when this setup needs PostgreSQL: SQLite serves one process only."""
    if settings.sqlite_path() is None or not settings.shard_id_list:
        return None
    return (
        "SHARD_IDS splits the shards between several processes, which needs PostgreSQL: set "
        "DATABASE_URL=postgresql+asyncpg://user:password@host:5432/augury (SQLite serves one "
        "process; to run every shard in it, leave SHARD_IDS empty)."
    )


RECORD_COMMANDS = ("export", "import", "backup")


def run_record_command(settings: Settings, args: argparse.Namespace) -> int:
    """Export, import and backup need no token: they only touch the database."""
    from bot import records_cli

    level = "WARNING" if settings.log_level == "INFO" else settings.log_level
    configure_logging(level, settings.log_format, secrets_of(settings))
    if args.command == "backup":
        return records_cli.run_backup(settings, args, sys.stdout)
    runner = records_cli.run_export if args.command == "export" else records_cli.run_import
    return asyncio.run(runner(settings, args, sys.stdout))


def run_web_command(settings: Settings) -> int:
    """The web view reads the database only: no token, and several may run (PostgreSQL)."""
    configure_logging(settings.log_level, settings.log_format, secrets_of(settings))
    from bot.app import run_web

    try:
        asyncio.run(run_web(settings))
        return 0
    except StartupError as error:
        logging.getLogger("bot").debug("Start-up failed", exc_info=True)
        print(str(error), file=sys.stderr)
        return error.exit_code


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        settings = Settings()
    except ValidationError as error:
        for line in settings_problems(error):
            print(line, file=sys.stderr)
        return BAD_SETTING
    refusal = sqlite_refusal(settings)
    if args.command != "migrate" and refusal:
        print(refusal, file=sys.stderr)
        return BAD_SETTING
    if args.command in RECORD_COMMANDS:
        return run_record_command(settings, args)
    if args.command == "web":
        return run_web_command(settings)
    if args.command != "migrate" and not settings.has_token:
        print(TOKEN_HELP, file=sys.stderr)
        return BAD_SETTING
    configure_logging(settings.log_level, settings.log_format, secrets_of(settings))
    if args.command == "sync":
        from bot.sync_cli import clear_guild_commands

        return asyncio.run(clear_guild_commands(settings, args.clear_guilds, sys.stdout))
    from bot.app import migrate_only, run_bot

    try:
        if args.command == "migrate" and args.to:
            from bot.migrate_cli import migrate_to

            return asyncio.run(migrate_to(settings, args.to, args.yes, sys.stdout))
        if args.command == "migrate":
            asyncio.run(migrate_only(settings))
            return 0
        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(run_bot(settings))
        return 0
    except StartupError as error:
        # One line a new admin can act on; the traceback only when asked for (DEBUG).
        logging.getLogger("bot").debug("Start-up failed", exc_info=True)
        print(str(error), file=sys.stderr)
        return error.exit_code


if __name__ == "__main__":
    sys.exit(main())
