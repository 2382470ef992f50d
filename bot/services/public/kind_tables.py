"""The data table beside a chart of a multiple-choice, numeric or date question on the web
(the chart's points in words, for readers who cannot see the image), and the view that carries
both. Kept out of :mod:`bot.services.public.reader`, which is long enough."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime

from bot.domain.kinds.ranges import RangeKind
from bot.services.track_record.choice_history import ChoiceHistory
from bot.services.track_record.range_history import RangeHistory

#: Rows in a table: the latest changes (the yes/no table keeps as many).
TABLE_ROWS = 50


@dataclass(frozen=True)
class Table:
    """``columns`` after the time column; each row: when, then one cell per column."""

    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[datetime, tuple[str, ...]], ...]


@dataclass(frozen=True)
class KindHistory:
    """The chart data of a multiple-choice, numeric or date question, and its table."""

    data: ChoiceHistory | RangeHistory
    table: Table


def _when(moment: float) -> datetime:
    return datetime.fromtimestamp(moment, UTC)


def choice_table(history: ChoiceHistory) -> Table:
    rows = tuple(
        (_when(moment), tuple(f"{round(p / 10)}%" for p in shares))
        for moment, shares in history.steps[-TABLE_ROWS:]
    )
    return Table(
        "The community's probability of each option after each change", history.options, rows
    )


def range_table(kind: RangeKind, history: RangeHistory) -> Table:
    def point(value: float) -> str:
        if math.isinf(value):
            return kind.beyond_phrase(high=value > 0)
        return kind.with_unit(kind.show_value(value, True))

    rows = tuple(
        (_when(moment), (point(p10), point(median), point(p90)))
        for moment, p10, median, p90 in history.steps[-TABLE_ROWS:]
    )
    return Table(
        "The community's median and 80 % interval (its 10th to 90th percentile) after each change",
        ("10th", "Median", "90th"),
        rows,
    )
