"""The bot process never draws, so starting it must not load matplotlib (about a second of CPU
at every start): charts are drawn by the chart workers, which import it themselves. Nor does
parsing a plain start (or a bad setting's exit) import the record and sync commands' modules."""

from __future__ import annotations

import io
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout

import pytest

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


COMMANDS_PROBE = """
import sys
from bot.__main__ import parse_args
for argv in ([], ["run"], ["migrate", "--to", "0005"], ["web"], ["export", "--guild", "1",
             "--out", "x.json"]):
    parse_args(argv)
    print(sorted(m for m in ("bot.records_cli", "bot.sync_cli") if m in sys.modules))
"""


def test_only_the_commands_named_are_imported() -> None:
    """One process, the light commands first: once imported, a module stays imported."""
    done = subprocess.run(
        [sys.executable, "-c", COMMANDS_PROBE],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert done.stdout.split("\n")[:5] == [
        "[]",
        "[]",
        "[]",
        "[]",
        "['bot.records_cli', 'bot.sync_cli']",
    ]


def test_help_and_an_unknown_command_still_name_every_command() -> None:
    from bot.__main__ import parse_args

    for argv in (["--help"], ["exprot"]):
        out = io.StringIO()
        with pytest.raises(SystemExit), redirect_stdout(out), redirect_stderr(out):
            parse_args(argv)
        for command in ("export", "import", "backup", "sync"):
            assert command in out.getvalue(), (argv, out.getvalue())
