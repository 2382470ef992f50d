"""Render one example of every chart into ``docs/charts/`` (the README shows them).

The data is made up but shaped like a real server's: a forecaster who is a little
overconfident, buckets of very different sizes, and a prediction whose community forecast
moved over two weeks as 40 members voted. Seeded, so the PNGs only change when the charts do.
Run: .venv/bin/python -m bench.render_charts [--out docs/charts]
"""

from __future__ import annotations

import argparse
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.forecasting.calibration import calibration_table
from bot.forecasting.charts import calibration_chart, history_chart

START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def example_calibration() -> bytes:
    rng = random.Random(23)
    forecasts = []
    for _ in range(420):
        said = rng.choice([50, 100, 200, 300, 300, 500, 700, 700, 800, 900, 900, 950])
        truth = 0.5 + (said / 1000 - 0.5) * 0.8  # a little overconfident
        forecasts.append((said, rng.random() < truth))
    return calibration_chart(calibration_table(forecasts), "Server calibration")


def example_history() -> bytes:
    rng = random.Random(11)
    community, votes, latest = [], [], {}
    when = START
    for _ in range(40):
        when += timedelta(minutes=rng.randint(20, 900))
        member = rng.randint(1, 25)
        latest[member] = max(10, min(990, round(rng.gauss(620 + len(votes) * 4, 120), -1)))
        votes.append((when, int(latest[member])))
        ordered = sorted(latest.values())
        community.append((when, float(ordered[len(ordered) // 2])))
    return history_chart(
        community, votes, "#42: The bridge opens before July", ZoneInfo("Europe/Paris")
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("docs/charts"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for name, data in (("calibration", example_calibration()), ("history", example_history())):
        path = args.out / f"{name}.png"
        path.write_bytes(data)
        print(f"{path}: {len(data):,} bytes")


if __name__ == "__main__":
    main()
