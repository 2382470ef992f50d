"""Charts render in separate worker processes, so matplotlib never holds the bot's GIL."""

from __future__ import annotations

import os
import signal
from collections.abc import AsyncIterator

import pytest

from bot.forecasting.calibration import calibration_table
from bot.rendering.chart_files import calibration_file
from bot.rendering.chart_pool import ChartPool


def worker_pid() -> bytes:
    """Module-level, so a spawned worker can import it by name."""
    return str(os.getpid()).encode()


@pytest.fixture
async def pool() -> AsyncIterator[ChartPool]:
    charts = ChartPool(workers=1)
    yield charts
    await charts.close()


async def test_charts_render_in_another_process(pool: ChartPool) -> None:
    pid = int(await pool.render(worker_pid))
    assert pid != os.getpid()
    file = await calibration_file(calibration_table([(700, True)]), "Calibration", pool=pool)
    assert file.fp.read(8) == b"\x89PNG\r\n\x1a\n"


async def test_a_killed_worker_is_replaced(pool: ChartPool) -> None:
    first = int(await pool.render(worker_pid))
    os.kill(first, signal.SIGKILL)
    second = int(await pool.render(worker_pid))
    assert second not in (first, os.getpid())


async def test_close_stops_the_workers_and_refuses_new_charts() -> None:
    charts = ChartPool(workers=1)
    pid = int(await charts.render(worker_pid))
    await charts.close()
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
    with pytest.raises(RuntimeError):
        await charts.render(worker_pid)
