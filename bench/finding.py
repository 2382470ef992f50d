"""Finding predictions on a server with a million: autocomplete (a query per keystroke) and
``/predictions list`` with each of its filters.

Builds one SQLite file (migrated like production, filled like ``bench/reminders.py``) with
1,000,000 predictions in a single server, then times ``PredictionFinder.search`` — what every
keystroke in a ``number`` / ``prediction`` option runs — for the queries a member types: nothing,
a common word, a word no statement has (the worst case for a text scan), a number, ``#number``,
for each purpose (any, /vote, /resolve). Median of several runs each, against a baseline
measured in the same run: the exact ``#number`` look-up (one index probe). Each figure has its
aim; the last line is the worst ratio of figure to aim. Then one page of ``/predictions list``
(``PredictionService.list_page``, with its total count) for each filter a member can choose.
Run: .venv/bin/python -m bench.finding [--predictions N] [--runs N]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import bench.reminders as filler
from bot.clock import FakeClock
from bot.services.core.context import ServiceContext
from bot.services.predictions.finding import TEXT_WINDOW, PredictionFinder, Purpose
from bot.services.predictions.service import PredictionService
from db.engine import create_engine, create_session_factory
from db.migrate import upgrade

AIM_MS = 50.0
LIST_AIM_MS = 1000.0  # a command answered at once (Discord allows 3 s), like the leaderboard
MEMBER = 10_001  # an author in ``filler.prediction_rows``: 200 predictions, following each
LISTS: list[tuple[str, dict[str, Any]]] = [
    ("everything, page 1", {}),
    ("everything, page 5,000", {"page": 5000}),
    ("status open", {"status": "open"}),
    ("status closed", {"status": "closed"}),
    ("author", {"author_id": MEMBER}),
    ("show needs my vote", {"show": "needs_my_vote", "member_id": MEMBER}),
    ("show due", {"show": "due", "member_id": MEMBER}),
    ("show mine", {"show": "mine", "member_id": MEMBER}),
    ("show followed", {"show": "followed", "member_id": MEMBER}),
]
GUILD = 1 << 22  # the one server ``filler.prediction_rows`` uses when GUILDS is 1
QUERIES = [
    ("nothing typed", "", Purpose.ANY),
    ("a common word", "comes", Purpose.ANY),
    ("a word no statement has", "zebra", Purpose.ANY),
    ("a number", "12345", Purpose.ANY),
    ("#number", "#12345", Purpose.ANY),
    ("/vote, nothing typed", "", Purpose.VOTE),
    ("/vote, a word no statement has", "zebra", Purpose.VOTE),
    ("/resolve, nothing typed (due first)", "", Purpose.RESOLVE),
    ("/resolve, a word no statement has", "zebra", Purpose.RESOLVE),
]


async def timed(finder: PredictionFinder, query: str, purpose: Purpose, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        await finder.search(GUILD, query, purpose)
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


async def timed_list(predictions: PredictionService, options: dict[str, Any], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        await predictions.list_page(GUILD, **options)
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


async def main(count: int, runs: int) -> None:
    filler.GUILDS = 1
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "autocomplete.db"
        engine = create_engine(f"sqlite+aiosqlite:///{path}")
        await upgrade(engine)
        await engine.dispose()
        started = time.perf_counter()
        filler.fill(path, count)
        print(f"built {count:,} predictions in one server in {time.perf_counter() - started:.1f} s")
        engine = create_engine(f"sqlite+aiosqlite:///{path}")
        ctx = ServiceContext(create_session_factory(engine), FakeClock(filler.NOW))
        finder = PredictionFinder(ctx)
        await finder.search(GUILD, "", Purpose.ANY)  # warm the connection and the page cache
        baseline = await timed(finder, "#12345", Purpose.ANY, runs)
        print(f"baseline: the exact #number look-up: {baseline:.1f} ms (median of {runs})")
        print(f"text is matched among the newest {TEXT_WINDOW:,} predictions")
        worst = 0.0
        for label, query, purpose in QUERIES:
            ms = await timed(finder, query, purpose, runs)
            worst = max(worst, ms / AIM_MS)
            print(
                f"{label}: {ms:.1f} ms ({ms / max(baseline, 1e-3):.1f}x baseline; "
                f"aim < {AIM_MS:.0f} ms)"
            )
        predictions = PredictionService(ctx)
        for label, options in LISTS:
            ms = await timed_list(predictions, options, runs)
            worst = max(worst, ms / LIST_AIM_MS)
            print(f"/predictions list, {label}: {ms:.1f} ms (aim < {LIST_AIM_MS:.0f} ms)")
        await engine.dispose()
    print(f"worst ratio to aim: {worst:.2f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--predictions", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=7)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.predictions, arguments.runs))
