"""Render an example fan chart and density chart of a numeric question into ``docs/charts/``
(the README shows them): 40 members forecast a party's seats over two weeks, pooled by the
real kind; the question then resolved. Seeded, so the PNGs only change when the charts do.
Run: .venv/bin/python -m bench.render_range_charts [--out docs/charts]
"""

from __future__ import annotations

import argparse
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.domain.kinds import kind_for
from bot.domain.kinds.ranges import RangeForecast, RangeKind
from bot.forecasting.density_chart import density_chart
from bot.forecasting.distributions import densities
from bot.forecasting.fan_chart import fan_chart

START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
SEATS = {"low": "0", "high": "650", "unit": "seats", "open_ends": "high"}
TITLE = "#43: Seats the party wins"


def examples() -> tuple[bytes, bytes]:
    kind = kind_for("numeric", kind_for("numeric").parse_spec(SEATS))
    assert isinstance(kind, RangeKind)
    rng = random.Random(7)
    held: dict[int, RangeForecast] = {}
    steps = []
    when = START
    for index in range(40):
        when += timedelta(minutes=rng.randint(20, 900))
        median = rng.gauss(260 + index * 2.5, 40)
        held[rng.randint(1, 25)] = RangeForecast(
            round(median - rng.uniform(20, 80)), round(median), round(median + rng.uniform(30, 160))
        )
        pooled = kind.pool(list(held.values()))
        assert pooled is not None
        steps.append((when.timestamp(), pooled.p10, pooled.median, pooled.p90))
    cdf = kind.cdf_of(pooled)
    fan = fan_chart(steps, f"{TITLE} over time", 0, 650, "seats", False, ZoneInfo("Europe/Paris"))
    density = density_chart(
        [float(d) for d in densities(cdf)],
        TITLE,
        0,
        650,
        "seats",
        False,
        (float(cdf[0]), 1 - float(cdf[-1])),
        312.0,
    )
    return fan, density


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("docs/charts"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    fan, density = examples()
    for name, data in (("fan", fan), ("density", density)):
        path = args.out / f"{name}.png"
        path.write_bytes(data)
        print(f"{path}: {len(data):,} bytes")


if __name__ == "__main__":
    main()
