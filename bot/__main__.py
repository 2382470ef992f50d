"""``python -m bot``: run the bot, or ``python -m bot migrate`` to only migrate."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import sys

from pydantic import ValidationError

from bot.log_redaction import RedactSecrets
from bot.settings import Settings
from bot.startup import BAD_SETTING, StartupError

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
    return parser.parse_args(argv)


def configure_logging(level: str, secrets: tuple[str, ...] = ()) -> None:
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)-7s %(name)s: %(message)s")
    # Tokens in REST paths (DEBUG), the bot token and database passwords never reach the log.
    for handler in logging.getLogger().handlers:
        handler.addFilter(RedactSecrets(secrets))
    # Chatty libraries stay at WARNING unless the admin asks for DEBUG.
    quiet = logging.WARNING if level != "DEBUG" else logging.DEBUG
    for name in ("alembic.runtime.plugins", "alembic.runtime.migration", "discord.gateway"):
        logging.getLogger(name).setLevel(quiet)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        settings = Settings()
    except ValidationError as error:
        # Name the setting and what it must be, never echo its value (it may be a secret).
        for problem in error.errors():
            name = str(problem["loc"][0]).upper() if problem["loc"] else "settings"
            why = str(problem["msg"]).removeprefix("Value error, ")
            print(f"Invalid setting {name}: {why}. See .env.example.", file=sys.stderr)
        return BAD_SETTING
    if args.command != "migrate" and not settings.has_token:
        print(TOKEN_HELP, file=sys.stderr)
        return BAD_SETTING
    configure_logging(settings.log_level, (settings.discord_token.get_secret_value(),))
    from bot.app import migrate_only, run_bot

    try:
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
