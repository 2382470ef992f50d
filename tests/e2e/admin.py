"""What an admin sees beside Discord in the end-to-end records tests: the file the bot uploaded,
and ``python -m bot`` run against the live bot's database."""

from __future__ import annotations

import asyncio

from tests.conftest import CliRun, call_cli
from tests.e2e import flows
from tests.e2e.conftest import BotProcess
from tests.fakediscord import FakeDiscord


def uploaded(fake: FakeDiscord, answer: flows.Answer) -> bytes:
    files = answer.request.files
    assert len(files) == 1, files
    return files[0].data


async def cli(bot: BotProcess, *args: str, **env: str) -> CliRun:
    """``python -m bot ARGS`` with the bot's settings (no token; ``env`` over them) beside the
    running bot: its entry function in a thread of the test's process (it runs its own event
    loop), which spares a process start; tests/services/records/test_cli.py runs a real one."""
    settings = {**bot.env, "DISCORD_TOKEN": "", **env}
    return await asyncio.to_thread(call_cli, *args, env=settings)
