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
from bot.forecasting.multiple_choice_chart import choice_chart
from bot.forecasting.season_card import season_card

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


def example_choices() -> bytes:
    """A multiple-choice question whose favourite changed halfway through."""
    rng = random.Random(5)
    options = ["OpenAI", "Anthropic", "Google", "Other"]
    steps: list[tuple[float, list[int]]] = []
    weights = [40.0, 30.0, 20.0, 10.0]
    when = START
    for step in range(60):
        when += timedelta(minutes=rng.randint(30, 600))
        weights[1] += 0.6 if step > 20 else 0.0
        weights[0] -= 0.4 if step > 20 else 0.0
        noisy = [max(1.0, w + rng.gauss(0, 2)) for w in weights]
        total = sum(noisy)
        shares = [round(1000 * w / total) for w in noisy]
        shares[-1] += 1000 - sum(shares)
        steps.append((when.timestamp(), shares))
    return choice_chart(steps, options, "#57: Which lab releases its next model first?")


def example_season_card() -> bytes:
    rng = random.Random(31)
    forecasts = [(rng.choice([100, 300, 500, 700, 900]), rng.random() < 0.55) for _ in range(160)]
    top = [("ada", "−0.081"), ("grace", "−0.054"), ("alan", "−0.032")]
    return season_card(
        "Winter 2027",
        "1 December 2026 – 28 February 2027",
        "23 forecasters took part in 41 predictions.",
        top,
        calibration_table(forecasts),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("docs/charts"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    examples = (
        ("calibration", example_calibration()),
        ("history", example_history()),
        ("choices", example_choices()),
        ("season-recap", example_season_card()),
    )
    for name, data in examples:
        path = args.out / f"{name}.png"
        path.write_bytes(data)
        print(f"{path}: {len(data):,} bytes")


if __name__ == "__main__":
    main()
