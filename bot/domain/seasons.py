"""Seasons and earned roles: the rules, whatever path a season or a role mapping comes by.

A season is a window of time with a name: the predictions *resolved* inside it count for it
(a question asked before it started and resolved during it counts; one resolved after it ended
does not). A server runs at most one season at a time, so "this season" always means one thing
to its members; a new one starts once the running one ended. Its name is unique in the server
(members pick it from a list), its optional end lies in the future, and its optional tags narrow
it to predictions carrying at least one of them.

Earned roles map a server role to an achievement. "Well calibrated" is defined here, once:
at least ``min_forecasts`` resolved YES/NO forecasts in the season, and a calibration error
(the mean absolute gap between the forecast and how often it happened, over the ten-percent
buckets, weighted by each bucket's count) of at most :data:`CALIBRATION_BOUND`.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from bot.domain.errors import InvalidInput, InvalidState, NotAllowed
from bot.domain.tags import check_tag_count
from bot.domain.text import code_span

SEASON_NAME_MAX = 50
#: Seasons listed by ``/augury season list`` and offered by autocomplete.
SEASONS_LISTED = 25
#: "Well calibrated": the error bound, and the default number of forecasts it needs.
CALIBRATION_BOUND = 0.1
WELL_CALIBRATED_MIN_DEFAULT = 20
TOP_N_DEFAULT = 3
TOP_N_MAX = 25
MIN_FORECASTS_MAX = 1000
#: Role mappings per server: a handful of titles, not a role per member.
ROLE_MAPPINGS_MAX = 10


class Achievement(enum.StrEnum):
    """What a mapped role rewards."""

    TOP = "top"  # among the season's top N (by the leaderboard's score)
    WELL_CALIBRATED = "well_calibrated"  # enough forecasts, calibration error within the bound
    FIRST_FORECAST = "first_forecast"  # cast a first forecast in the server

    def describe(self, top_n: int | None, min_forecasts: int | None) -> str:
        """The achievement in plain words, for lists and replies."""
        if self is Achievement.TOP:
            n = top_n or TOP_N_DEFAULT
            return f"top {n} of a season" if n > 1 else "best forecaster of a season"
        if self is Achievement.WELL_CALIBRATED:
            m = min_forecasts or WELL_CALIBRATED_MIN_DEFAULT
            forecasts = "forecast" if m == 1 else "forecasts"
            return (
                f"well calibrated in a season (at least {m} resolved YES/NO {forecasts}, "
                f"off by at most {CALIBRATION_BOUND:.0%} on average)"
            )
        return "a first forecast"


def season_name(raw: str) -> str:
    """The name as stored: whitespace collapsed, 1 to :data:`SEASON_NAME_MAX` characters."""
    name = " ".join((raw or "").split())
    if not name:
        raise InvalidInput("A season needs a name, e.g. `Winter 2027`.")
    if len(name) > SEASON_NAME_MAX:
        raise InvalidInput(
            f"That season name is {len(name)} characters long; a name has at most "
            f"{SEASON_NAME_MAX}. Use a shorter one, e.g. `Winter 2027`."
        )
    return name


def check_new_season(
    name: str,
    *,
    ends_at: datetime | None,
    now: datetime,
    running: str | None,
    taken: bool,
    tags: Iterable[str] = (),
) -> None:
    """May a season called ``name`` start now? ``running``: the running season's name."""
    if running is not None:
        raise InvalidState(
            f"The season {code_span(running)} is still running; a server runs one season at a "
            "time. End it with `/augury season end` first."
        )
    if taken:
        raise InvalidInput(
            f"This server already had a season called {code_span(name)}; pick another name."
        )
    if ends_at is not None and ends_at <= now:
        raise InvalidInput("A season's end must be in the future, e.g. `in 3 months`.")
    check_tag_count(len(list(tags)))


@dataclass(frozen=True)
class RoleFacts:
    """What Discord says about a role and the bot, when a moderator maps it."""

    is_default: bool  # @everyone
    managed: bool  # a bot's or an integration's role: Discord alone assigns it
    position: int
    bot_top_position: int  # the bot's highest role
    bot_manages_roles: bool  # the bot has Manage Roles


def check_role_mappable(name: str, facts: RoleFacts) -> None:
    """Roles the bot can really give and take; anything else is refused at mapping time."""
    shown = code_span(name)
    if facts.is_default:
        raise InvalidInput("@everyone cannot be earned: pick another role.")
    if facts.managed:
        raise InvalidInput(
            f"{shown} belongs to a bot or an integration; Discord lets only it assign that role. "
            "Pick a role created in Server Settings → Roles."
        )
    if not facts.bot_manages_roles:
        raise NotAllowed(
            "Augury needs the Manage Roles permission to give earned roles. Grant it to "
            "Augury's role in Server Settings → Roles, then try again."
        )
    if facts.position >= facts.bot_top_position:
        raise NotAllowed(
            f"{shown} is at or above Augury's own highest role, and Discord lets a bot manage "
            "only roles below its own. Drag Augury's role above it in Server Settings → Roles, "
            "then try again."
        )


def check_mapping(
    achievement: Achievement, top_n: int | None, min_forecasts: int | None, mapped: int
) -> None:
    """The options fit the achievement, and the server has room for another mapping."""
    if top_n is not None and achievement is not Achievement.TOP:
        raise InvalidInput("`top` only applies to the top-of-the-season achievement.")
    if min_forecasts is not None and achievement is not Achievement.WELL_CALIBRATED:
        raise InvalidInput("`forecasts` only applies to the well-calibrated achievement.")
    if mapped >= ROLE_MAPPINGS_MAX:
        raise InvalidInput(
            f"A server maps at most {ROLE_MAPPINGS_MAX} earned roles; clear one first "
            "(`/augury season roles role:@… clear:True`)."
        )


def calibration_error(buckets: Iterable[tuple[int, float, float]]) -> float | None:
    """``(count, mean forecast, observed frequency)`` per bucket → the count-weighted mean
    absolute gap (0 is perfect); ``None`` without forecasts."""
    total = 0
    weighted = 0.0
    for count, forecast, observed in buckets:
        if count > 0:
            total += count
            weighted += count * abs(forecast - observed)
    return None if total == 0 else weighted / total


def is_well_calibrated(forecasts: int, error: float | None, min_forecasts: int) -> bool:
    return forecasts >= min_forecasts and error is not None and error <= CALIBRATION_BOUND + 1e-12
