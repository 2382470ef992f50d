"""Importing a large Fatebook CSV: reading memory, the checks, and how long the write lock is held.

Writes a Fatebook export of N forecasts (100 forecasters per question, half the questions
resolved) to a temporary file, then: reads it (streamed; peak Python memory by tracemalloc),
checks it (the slash commands' rules), and imports it into a SQLite file while a probe task
makes a one-row write every 50 ms, as a member's vote would. The probe's slowest write is how
long the import held everyone else's writes; the same probe alone, in the same run, is the
baseline. The last lines are ratios.
Run: .venv/bin/python -m bench.import [--forecasts N]
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import update

from bot.clock import FakeClock
from bot.services.core.context import ServiceContext
from bot.services.records.checks import check_record
from bot.services.records.importing import RecordsImporter
from bot.services.records.readers import read_import_file
from db.engine import create_engine, create_session_factory
from db.migrate import upgrade
from db.models import GuildSettings

GUILD = 1
PROBE_GUILD = 2
FORECASTERS = 100
NOW = datetime(2026, 12, 1, tzinfo=UTC)
HEADERS = [
    "Question title", "Forecast created by", "Forecast (scale = 0-1)", "Forecast created at",
    "Question created by", "Question created at", "Question resolve by", "Resolution",
    "Resolved at", "Question notes", "Question tags",
]  # fmt: skip


def write_csv(path: Path, forecasts: int) -> None:
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(HEADERS)
        for n in range(forecasts):
            question, who = divmod(n, FORECASTERS)
            resolved = question % 2 == 0
            writer.writerow(
                [
                    f"Will thing number {question} happen before the deadline?",
                    f"Forecaster {who}",
                    f"0.{(n * 37) % 98 + 1:02d}",
                    f"2024-01-{who % 28 + 1:02d} 10:{who % 60:02d}:00",
                    "Forecaster 0",
                    "2024-01-01 09:00:00",
                    "2024-06-01 00:00:00",
                    "YES" if resolved else "",
                    "2024-06-02 00:00:00" if resolved else "",
                    "Some notes about how this resolves.",
                    "bench; imports",
                ]
            )


async def probe(sessions: object, stop: asyncio.Event) -> tuple[float, int]:
    """Slowest one-row write while ``stop`` is unset, and how many writes failed."""
    worst, failed = 0.0, 0
    while not stop.is_set():
        began = time.perf_counter()
        try:
            async with sessions.begin() as session:  # type: ignore[attr-defined]
                await session.execute(
                    update(GuildSettings)
                    .where(GuildSettings.guild_id == PROBE_GUILD)
                    .values(reminder_count=GuildSettings.reminder_count)
                )
        except Exception:
            failed += 1
        worst = max(worst, time.perf_counter() - began)
        await asyncio.sleep(0.05)
    return worst, failed


async def main(forecasts: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "fatebook.csv"
        write_csv(source, forecasts)
        size = source.stat().st_size
        tracemalloc.start()
        began = time.perf_counter()
        record = await asyncio.to_thread(read_import_file, source)
        read_s = time.perf_counter() - began
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        began = time.perf_counter()
        await asyncio.to_thread(check_record, record, GUILD, NOW)
        check_s = time.perf_counter() - began
        print(f"{forecasts} forecasts in {len(record.predictions)} questions, "
              f"{size / 1024 / 1024:.1f} MiB of CSV")  # fmt: skip
        print(f"read: {read_s:.1f} s, peak Python memory {peak / 1024 / 1024:.0f} MiB "
              f"({peak / size:.1f}x the file)")  # fmt: skip
        print(f"check: {check_s:.1f} s (before the transaction: holds no lock)")

        engine = create_engine(f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}")
        await upgrade(engine)
        sessions = create_session_factory(engine)
        async with sessions.begin() as session:
            session.add(GuildSettings(guild_id=PROBE_GUILD))
        stop = asyncio.Event()
        task = asyncio.create_task(probe(sessions, stop))
        await asyncio.sleep(1.0)
        stop.set()
        baseline, _ = await task

        importer = RecordsImporter(ServiceContext(sessions, FakeClock(NOW)))
        stop = asyncio.Event()
        task = asyncio.create_task(probe(sessions, stop))
        began = time.perf_counter()
        report = await importer.apply(GUILD, record)
        import_s = time.perf_counter() - began
        stop.set()
        worst, failed = await task
        print(report.lines()[0])
        print(f"import: {import_s:.1f} s ({forecasts / import_s:,.0f} forecasts/s)")
        print(f"probe write alone: slowest {baseline * 1000:.0f} ms")
        print(f"probe write during the import: slowest {worst * 1000:.0f} ms, {failed} failed "
              f"({worst / max(baseline, 1e-4):.0f}x baseline)")  # fmt: skip
        await engine.dispose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--forecasts", type=int, default=200_000)
    asyncio.run(main(parser.parse_args().forecasts))
