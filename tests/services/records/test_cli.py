"""``python -m bot export`` and ``import`` as an admin runs them: the entry function in this
process (:func:`tests.conftest.cli_in_process`), and one real process for the exit code."""

from __future__ import annotations

import asyncio
import io
import json
import sqlite3
from pathlib import Path

import pytest

from bot.clock import FakeClock
from bot.services.core.context import ServiceContext
from bot.services.records import readers as records_readers
from bot.services.records.formats import MalformedFile
from bot.services.registry import Services
from db.engine import create_engine, create_session_factory
from tests.conftest import GUILD, CliRun, cli_in_process, fresh_sqlite_url, run_cli
from tests.services.records.files import FATEBOOK, augury, fatebook_csv, fatebook_row, prediction
from tests.services.records.world import build_world


async def test_export_then_import_from_the_command_line(
    tmp_path: Path, clock: FakeClock, migrated_sqlite: Path
) -> None:
    source_url = fresh_sqlite_url(migrated_sqlite, tmp_path / "source.db")
    engine = create_engine(source_url)
    await build_world(Services.build(ServiceContext(create_session_factory(engine), clock)), clock)
    await engine.dispose()

    async def cli(*args: str, database_url: str) -> CliRun:
        """In a thread: the command line runs its own event loop."""
        return await asyncio.to_thread(cli_in_process, *args, database_url=database_url)

    out = tmp_path / "record.json"
    done = await cli(
        "export", "--guild", str(GUILD), "--format", "json", "--out", str(out),
        database_url=source_url,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Exported 3 predictions" in done.stdout
    assert [p["number"] for p in json.loads(out.read_text())["predictions"]] == [1, 2, 3]

    target_url = f"sqlite+aiosqlite:///{tmp_path}/target.db"
    dry = await cli("import", str(out), "--guild", str(GUILD), "--dry-run", database_url=target_url)
    assert dry.returncode == 0, dry.stderr
    assert "Would import 3 predictions from augury" in dry.stdout
    real = await cli("import", str(out), "--guild", str(GUILD), database_url=target_url)
    assert "Imported 3 predictions" in real.stdout
    again = await cli("import", str(out), "--guild", str(GUILD), database_url=target_url)
    assert "Imported 0 predictions" in again.stdout
    assert "3 predictions were imported before" in again.stdout

    csv_file = tmp_path / "fatebook.csv"
    csv_file.write_bytes(FATEBOOK)
    mapped = await cli(
        "import", str(csv_file), "--guild", str(GUILD), "--member", "Grace Hopper=42",
        database_url=target_url,
    )  # fmt: skip
    assert mapped.returncode == 0 and "Imported 2 predictions from fatebook" in mapped.stdout


def test_malformed_file_exits_1_with_line_numbers(tmp_path: Path) -> None:
    """A real process: the exit code and stderr of ``python -m bot`` itself."""
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
    done = cli_in_process(
        "import", str(tmp_path / "x.csv"), "--guild", "1", "--member", "nobody",
        database_url=f"sqlite+aiosqlite:///{tmp_path}/t.db",
    )  # fmt: skip
    assert done.returncode == 1 and "NAME=DISCORD_ID" in done.stderr


def test_missing_file_is_refused(tmp_path: Path) -> None:
    done = cli_in_process(
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
        done = cli_in_process("export", "--guild", "1", "--out", str(out), database_url=url)
        assert done.returncode == 1, done.stderr
        assert says in done.stderr and "Traceback" not in done.stderr
    assert list(tmp_path.glob("*.partial")) == []  # no half file left behind


HOSTILE_FILES = {
    "infinity.json": (b'{"format": "augury", "version": 1, "guild_id": Infinity}', "Infinity"),
    "overflow.json": (
        augury(prediction(resolves_at="9999-12-31T23:30-05:00")),
        "outside the years a date can have",
    ),
    "id-over-2-63.json": (augury(prediction(author=str(2**63 + 5))), "neither a Discord id"),
    "deep.json": (b"[" * 200_000 + b"]" * 200_000, "nested too deeply"),
    "field-over-128k.csv": (
        fatebook_csv([fatebook_row("Q" * 140_000, "Ada", "0.5", "2024-01-02 10:00:00")]),
        "field larger than field limit",
    ),
    "long-name.csv": (
        fatebook_csv([fatebook_row("Q", "N" * 5000, "0.5", "2024-01-02 10:00:00")]),
        "limit is 100",
    ),
    "not-utf8.csv": (b"\xff\xfe\x00garbage", "not UTF-8"),
}


@pytest.mark.parametrize("name", list(HOSTILE_FILES))
def test_a_hostile_file_is_one_line_exit_1_and_nothing_written(tmp_path: Path, name: str) -> None:
    data, expected = HOSTILE_FILES[name]
    path = tmp_path / name
    path.write_bytes(data)
    database = tmp_path / "t.db"
    done = cli_in_process(
        "import", str(path), "--guild", "1", database_url=f"sqlite+aiosqlite:///{database}"
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and expected in done.stderr, done.stderr
    assert done.stdout == ""
    if database.exists():  # refused by the record's checks, after the schema was brought up
        with sqlite3.connect(database) as db:
            assert db.execute("SELECT count(*) FROM predictions").fetchone() == (0,)
            assert db.execute("SELECT count(*) FROM outside_forecasters").fetchone() == (0,)


def test_a_file_over_the_size_cap_is_refused_unread(monkeypatch: pytest.MonkeyPatch) -> None:
    """Streamed: the cap is met while reading, and named in the error."""
    monkeypatch.setattr(records_readers, "MAX_IMPORT_BYTES", 50_000)
    rows = [fatebook_row(f"Q{n}", "Ada", "0.5", "2024-01-02 10:00:00") for n in range(1000)]
    big = fatebook_csv(rows)
    assert len(big) > 50_000
    with pytest.raises(MalformedFile, match=r"larger than 0.0476837 MiB, the import limit"):
        records_readers.read_import(io.BytesIO(big))
    with pytest.raises(MalformedFile, match="the import limit"):
        records_readers.read_import(io.BytesIO(b"[" + b" " * 60_000 + b"]"))
