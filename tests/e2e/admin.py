"""What an admin sees beside Discord in the end-to-end records tests: the file the bot uploaded,
and ``python -m bot`` run against the live bot's database."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.e2e import flows
from tests.e2e.conftest import BotProcess
from tests.fakediscord import FakeDiscord


def uploaded(fake: FakeDiscord, answer: flows.Answer) -> bytes:
    files = answer.request.files
    assert len(files) == 1, files
    return files[0].data


def cli(bot: BotProcess, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **bot.env, "DISCORD_TOKEN": ""}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], capture_output=True, text=True, env=env, timeout=120
    )
