"""Starting like a service (issue 10): each bad setting or unreachable dependency ends in one
clear line naming it, exit 2 (a setting) or 1 (unreachable after retries), no traceback unless
LOG_LEVEL=DEBUG, and no secret in the output."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e import flows
from tests.e2e.conftest import BotProcess
from tests.fakediscord import FakeDiscord
from tests.fakediscord import payloads as p

pytestmark = pytest.mark.e2e

PASSWORD = "s3cr3t-pw"
DOWN_POSTGRES = f"postgresql+asyncpg://augury:{PASSWORD}@127.0.0.1:1/augury"


async def exit_of(fake: FakeDiscord, tmp_path: Path, **env: str) -> tuple[int, str]:
    bot = BotProcess(fake, tmp_path, env=env)
    await bot.start()
    code = await bot.wait_exit(timeout=60)
    text = bot.log_text().split("=====\n", 1)[-1]
    return code, text


def file_in_the_way(tmp_path: Path) -> str:
    (tmp_path / "not-a-folder").write_text("a file where a folder should be")
    return f"sqlite+aiosqlite:///{tmp_path}/not-a-folder/data/augury.db"


@pytest.mark.parametrize(
    ("env", "code", "says"),
    [
        ({"DATABASE_URL": "foo"}, 2, "Invalid setting DATABASE_URL: DATABASE_URL must look like"),
        ({"LOG_LEVEL": "verbose"}, 2, "Invalid setting LOG_LEVEL: LOG_LEVEL is one of DEBUG"),
        ({"VOTE_RENDER_SECONDS": "soon"}, 2, "Invalid setting VOTE_RENDER_SECONDS"),
        ({"DATABASE_URL": "FOLDER"}, 2, "DATABASE_URL: cannot create the folder"),
        ({"DATABASE_URL": DOWN_POSTGRES}, 1, "Cannot reach the database at"),
        ({"DISCORD_API_BASE_URL": "http://127.0.0.1:1/api/v10"}, 1, "Cannot reach Discord at"),
    ],
)
async def test_each_startup_problem_gets_one_clear_line_and_an_exit_status(
    fake_discord: FakeDiscord, tmp_path: Path, env: dict[str, str], code: int, says: str
) -> None:
    if env.get("DATABASE_URL") == "FOLDER":
        env = {"DATABASE_URL": file_in_the_way(tmp_path)}
    status, output = await exit_of(fake_discord, tmp_path, **env)
    assert status == code, output
    assert says in output, output
    assert "Traceback" not in output, output
    assert PASSWORD not in output
    if code == 1:  # retried with backoff before giving up
        assert "retrying in" in output, output
        assert "127.0.0.1:1" in output


async def test_debug_shows_the_traceback_but_no_password(
    fake_discord: FakeDiscord, tmp_path: Path
) -> None:
    status, output = await exit_of(
        fake_discord, tmp_path, DATABASE_URL=DOWN_POSTGRES, LOG_LEVEL="DEBUG"
    )
    assert status == 1
    assert "Traceback" in output and "Cannot reach the database at" in output
    assert PASSWORD not in output


async def test_debug_logging_never_writes_interaction_tokens(
    fake_discord: FakeDiscord, bot_process: BotProcess
) -> None:
    fake = fake_discord
    await flows.launch(bot_process, LOG_LEVEL="DEBUG")
    payload = fake.slash("predictions", p.subcommand("list"))
    await flows.send(fake, payload)
    await flows.predict(fake, "The ferry runs", "in 2 months")
    await bot_process.terminate()
    log = bot_process.log_text()
    assert "/interactions/" in log and "/webhooks/" in log  # DEBUG does log the REST calls
    assert payload["token"] not in log
    assert fake.token not in log
