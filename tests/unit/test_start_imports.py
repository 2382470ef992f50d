"""The bot process never draws, so starting it must not load matplotlib (about a second of CPU
at every start): charts are drawn by the chart workers, which import it themselves."""

from __future__ import annotations

import subprocess
import sys

PROBE = """
import importlib, pkgutil, sys
import bot.app, cogs
for module in pkgutil.walk_packages(cogs.__path__, "cogs."):
    importlib.import_module(module.name)
print(sorted(name for name in sys.modules if name.split(".")[0] == "matplotlib")[:3])
"""


def test_the_bot_and_its_cogs_import_without_matplotlib() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, check=True, timeout=120
    )
    assert done.stdout.strip() == "[]"


def test_a_chart_job_draws_in_the_process_that_runs_it() -> None:
    from bot.forecasting.calibration import Bucket
    from bot.forecasting.chart_jobs import calibration_chart

    png = calibration_chart([Bucket(700, 3, 2, 2 / 3, 0.7)], "Calibration")
    assert png.startswith(b"\x89PNG")
