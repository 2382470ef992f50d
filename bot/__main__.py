"""``python -m bot``: run the bot, or ``python -m bot migrate`` to only migrate."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import sys

from pydantic import ValidationError

from bot.settings import Settings

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
    sub = parser.add_subparsers(dest="command", metavar="command")
    sub.add_parser("run", help="run the bot (the default)")
    sub.add_parser("migrate", help="only apply database migrations to DATABASE_URL, then exit")
    from bot.records_cli import add_commands

    add_commands(sub)
    return parser.parse_args(argv)


#: Settings whose validation messages are ours and never contain a secret: shown in full.
EXPLAINED = {"shard_count", "shard_ids", "log_format", "metrics_port"}


def explained(error: ValidationError) -> str:
    """Our own validation messages (sharding): what is wrong and how to fix it, on one line."""
    messages = [
        str(e["msg"]).removeprefix("Value error, ")
        for e in error.errors()
        if not e["loc"] or e["loc"][0] in EXPLAINED
    ]
    return f" ({'; '.join(messages)})" if messages else ""


def sqlite_refusal(settings: Settings) -> str | None:
    """One line when this setup needs PostgreSQL: SQLite serves one process only."""
    if settings.sqlite_path() is None or not settings.shard_id_list:
        return None
    return (
        "SHARD_IDS splits the shards between several processes, which needs PostgreSQL: set "
        "DATABASE_URL=postgresql+asyncpg://user:password@host:5432/augury (SQLite serves one "
        "process; to run every shard in it, leave SHARD_IDS empty)."
    )


def configure_logging(level: str, log_format: str = "text") -> None:
    handler = logging.StreamHandler()
    if log_format == "json":
        from pythonjsonlogger.json import JsonFormatter

        handler.setFormatter(
            JsonFormatter(
                "%(asctime)s %(levelname)s %(name)s %(message)s",
                rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
            )
        )
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)-7s %(name)s: %(message)s"))
    logging.basicConfig(level=level, handlers=[handler])
    # Chatty libraries stay at WARNING unless the admin asks for DEBUG.
    quiet = logging.WARNING if level != "DEBUG" else logging.DEBUG
    for name in ("alembic.runtime.plugins", "alembic.runtime.migration", "discord.gateway"):
        logging.getLogger(name).setLevel(quiet)


RECORD_COMMANDS = ("export", "import", "backup")


def run_record_command(settings: Settings, args: argparse.Namespace) -> int:
    """Export, import and backup need no token: they only touch the database."""
    from bot import records_cli

    configure_logging("WARNING" if settings.log_level == "INFO" else settings.log_level)
    if args.command == "backup":
        return records_cli.run_backup(settings, args, sys.stdout)
    runner = records_cli.run_export if args.command == "export" else records_cli.run_import
    return asyncio.run(runner(settings, args, sys.stdout))


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        settings = Settings()
    except ValidationError as error:
        # Name the setting, never echo its value (it may be the token).
        fields = ", ".join(str(e["loc"][0]).upper() for e in error.errors() if e["loc"])
        print(f"Invalid settings: {fields}{explained(error)}. See .env.example.", file=sys.stderr)
        return 2
    refusal = sqlite_refusal(settings)
    if args.command != "migrate" and refusal:
        print(refusal, file=sys.stderr)
        return 2
    if args.command in RECORD_COMMANDS:
        return run_record_command(settings, args)
    if args.command != "migrate" and not settings.has_token:
        print(TOKEN_HELP, file=sys.stderr)
        return 2
    configure_logging(settings.log_level, settings.log_format)
    from bot.app import migrate_only, run_bot

    if args.command == "migrate":
        asyncio.run(migrate_only(settings))
        return 0
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(run_bot(settings))
    return 0


if __name__ == "__main__":
    sys.exit(main())
