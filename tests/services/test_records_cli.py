"""``python -m bot export`` and ``import`` as an admin runs them (real subprocesses)."""

from __future__ import annotations

import json
from pathlib import Path

from bot.clock import FakeClock
from bot.services.context import ServiceContext
from bot.services.registry import Services
from db.engine import create_engine, create_session_factory
from db.migrate import upgrade
from tests.conftest import GUILD
from tests.services.records_world import build_world
from tests.services.test_backup import run_cli
from tests.services.test_records_import import FATEBOOK


async def test_export_then_import_from_the_command_line(tmp_path: Path, clock: FakeClock) -> None:
    source_url = f"sqlite+aiosqlite:///{tmp_path}/source.db"
    engine = create_engine(source_url)
    await upgrade(engine)
    await build_world(Services.build(ServiceContext(create_session_factory(engine), clock)), clock)
    await engine.dispose()

    out = tmp_path / "record.json"
    done = run_cli(
        "export", "--guild", str(GUILD), "--format", "json", "--out", str(out),
        database_url=source_url,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Exported 3 prediction(s)" in done.stdout
    assert [p["number"] for p in json.loads(out.read_text())["predictions"]] == [1, 2, 3]

    target_url = f"sqlite+aiosqlite:///{tmp_path}/target.db"
    dry = run_cli("import", str(out), "--guild", str(GUILD), "--dry-run", database_url=target_url)
    assert dry.returncode == 0, dry.stderr
    assert "Would import 3 prediction(s) from augury" in dry.stdout
    real = run_cli("import", str(out), "--guild", str(GUILD), database_url=target_url)
    assert "Imported 3 prediction(s)" in real.stdout
    again = run_cli("import", str(out), "--guild", str(GUILD), database_url=target_url)
    assert "Imported 0 prediction(s)" in again.stdout
    assert "3 prediction(s) were imported before" in again.stdout

    csv_file = tmp_path / "fatebook.csv"
    csv_file.write_bytes(FATEBOOK)
    mapped = run_cli(
        "import", str(csv_file), "--guild", str(GUILD), "--member", "Grace Hopper=42",
        database_url=target_url,
    )  # fmt: skip
    assert mapped.returncode == 0 and "Imported 2 prediction(s) from fatebook" in mapped.stdout


def test_malformed_file_exits_1_with_line_numbers(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(FATEBOOK.decode().replace("0.7", "seven", 1))
    done = run_cli(
        "import", str(bad), "--guild", "1", database_url=f"sqlite+aiosqlite:///{tmp_path}/t.db"
    )
    assert done.returncode == 1
    assert "line 2: forecast `seven` is not a number from 0 to 1" in done.stderr
    assert "Nothing was imported" in done.stderr
    assert not (tmp_path / "t.db").exists()  # refused before the database was even opened


def test_bad_member_mapping_is_refused(tmp_path: Path) -> None:
    done = run_cli(
        "import", str(tmp_path / "x.csv"), "--guild", "1", "--member", "nobody",
        database_url=f"sqlite+aiosqlite:///{tmp_path}/t.db",
    )  # fmt: skip
    assert done.returncode == 1 and "NAME=DISCORD_ID" in done.stderr


def test_missing_file_is_refused(tmp_path: Path) -> None:
    done = run_cli(
        "import", str(tmp_path / "nowhere.csv"), "--guild", "1",
        database_url=f"sqlite+aiosqlite:///{tmp_path}/t.db",
    )  # fmt: skip
    assert done.returncode == 1 and "nowhere.csv" in done.stderr
    assert "Cannot read" in done.stderr and "Traceback" not in done.stderr


def test_an_export_path_that_cannot_be_written_is_one_line(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path}/t.db"
    for out, says in (
        (tmp_path / "no" / "such" / "folder.csv", "Cannot write"),
        (tmp_path, "is a folder"),
    ):
        done = run_cli("export", "--guild", "1", "--out", str(out), database_url=url)
        assert done.returncode == 1, done.stderr
        assert says in done.stderr and "Traceback" not in done.stderr
    assert list(tmp_path.glob("*.partial")) == []  # no half file left behind
